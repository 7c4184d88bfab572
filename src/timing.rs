//! Stage timings for profiling: with `TA_SCORECARD_TIMINGS=1` each stage prints its wall time to
//! stderr (how BENCHMARKS.md's profile was taken). Off by default, and then free.

use std::time::Instant;

pub struct Stages {
    last: Option<Instant>,
}

impl Stages {
    pub fn from_env() -> Stages {
        let on = std::env::var_os("TA_SCORECARD_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
        Stages { last: on.then(Instant::now) }
    }

    /// Prints the time since the previous stage ended, under `stage`.
    pub fn done(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!("time: {stage:<24} {:>7.2} s", last.elapsed().as_secs_f64());
            self.last = Some(Instant::now());
        }
    }
}
