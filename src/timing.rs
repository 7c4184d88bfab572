//! Stage timings for profiling: with `TA_SCORECARD_TIMINGS=1` each stage prints its wall time to
//! stderr as it ends, with the process's resident memory and how many cores it kept busy on
//! average (how BENCHMARKS.md's profile was taken).
//! Off by default, and then free. One clock for the whole run, so each stage marks its own end
//! without passing a timer along the pipeline.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// A moment of the run: when, and the process's CPU time by then (where the system tells it).
type Mark = (Instant, Option<f64>);

/// When the previous stage ended; `None` when timings are off.
fn clock() -> &'static Mutex<Option<Mark>> {
    static CLOCK: OnceLock<Mutex<Option<Mark>>> = OnceLock::new();
    CLOCK.get_or_init(|| {
        let on = std::env::var_os("TA_SCORECARD_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
        Mutex::new(on.then(now))
    })
}

fn now() -> Mark {
    (Instant::now(), cpu_seconds())
}

/// Starts the clock: the first stage is timed from here.
pub(crate) fn start() {
    let mut last = clock().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if last.is_some() {
        *last = Some(now());
    }
}

/// Prints the time since the previous stage ended, under `stage`.
pub(crate) fn done(stage: &str) {
    let mut last = clock().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((previous, cpu_before)) = *last {
        let wall = previous.elapsed().as_secs_f64();
        let resident = resident_mb().map(|mb| format!("  {mb:>6} MB resident")).unwrap_or_default();
        let cores = match (cpu_before, cpu_seconds()) {
            (Some(before), Some(after)) if wall > 0.0 => format!("  {:>4.1} cores", (after - before) / wall),
            _ => String::new(),
        };
        eprintln!("time: {stage:<24} {wall:>7.2} s{resident}{cores}");
        *last = Some(now());
    }
}

/// The CPU time the process has used (user and system, every thread), where the system tells
/// it: Linux's `/proc/self/stat`, in ticks of 1/100 s (the kernel's fixed `USER_HZ`).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command, which is in parentheses and may hold spaces.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let (user, system) = (fields.nth(11)?.parse::<u64>().ok()?, fields.next()?.parse::<u64>().ok()?);
    Some((user + system) as f64 / 100.0)
}

/// Resident memory in MB, where the system tells it (Linux's `/proc/self/statm`, in pages of
/// 4 KiB).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The CPU time is read, and grows with work done.
    #[test]
    fn cpu_time_is_read_and_grows() {
        let before = super::cpu_seconds().expect("/proc/self/stat reads");
        let start = std::time::Instant::now();
        let mut spin = 0u64;
        while start.elapsed().as_millis() < 60 {
            spin = std::hint::black_box(spin.wrapping_add(1));
        }
        assert!(super::cpu_seconds().expect("/proc/self/stat reads") > before);
    }
}
