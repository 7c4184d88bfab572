//! Stage timings for profiling: with `TA_SCORECARD_TIMINGS=1` each stage prints its wall time to
//! stderr, with the process's resident memory as it ends (how BENCHMARKS.md's profile was
//! taken). Off by default, and then free.

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
            let resident = resident_mb().map(|mb| format!("  {mb:>6} MB resident")).unwrap_or_default();
            eprintln!("time: {stage:<24} {:>7.2} s{resident}", last.elapsed().as_secs_f64());
            self.last = Some(Instant::now());
        }
    }
}

/// Resident memory in MB, where the system tells it (Linux's `/proc/self/statm`, in pages of
/// 4 KiB).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
