//! Stage timings for profiling: with `TA_SCORECARD_TIMINGS=1` each stage prints its wall time to
//! stderr as it ends, with the process's resident memory (how BENCHMARKS.md's profile was taken).
//! Off by default, and then free. One clock for the whole run, so each stage marks its own end
//! without passing a timer along the pipeline.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// When the previous stage ended; `None` when timings are off.
fn clock() -> &'static Mutex<Option<Instant>> {
    static CLOCK: OnceLock<Mutex<Option<Instant>>> = OnceLock::new();
    CLOCK.get_or_init(|| {
        let on = std::env::var_os("TA_SCORECARD_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
        Mutex::new(on.then(Instant::now))
    })
}

/// Starts the clock: the first stage is timed from here.
pub(crate) fn start() {
    let mut last = clock().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if last.is_some() {
        *last = Some(Instant::now());
    }
}

/// Prints the time since the previous stage ended, under `stage`.
pub(crate) fn done(stage: &str) {
    let mut last = clock().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(previous) = *last {
        let resident = resident_mb().map(|mb| format!("  {mb:>6} MB resident")).unwrap_or_default();
        eprintln!("time: {stage:<24} {:>7.2} s{resident}", previous.elapsed().as_secs_f64());
        *last = Some(Instant::now());
    }
}

/// Resident memory in MB, where the system tells it (Linux's `/proc/self/statm`, in pages of
/// 4 KiB).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
