//! The `ta-scorecard` binary: parse the arguments, run, print an error once, exit with a code.

use std::process::ExitCode;

use clap::Parser;
use ta_scorecard::cli::Cli;
use ta_scorecard::error::{InvalidInput, EXIT_FAILURE, EXIT_INVALID_INPUT};

/// Polars allocates and frees large buffers at every step of a plan; mimalloc keeps them mapped
/// instead of returning them to the kernel and faulting them in again (the allocator Polars
/// recommends). Built without transparent huge pages (`no_thp`, see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Polars sums a group-by with few groups (the team's, a manager's) in parts on several
    // threads and adds the parts in whatever order they finish, so the same inputs gave the
    // roll-ups other last bits from run to run. Its default aggregation sums each group in one
    // pass, in row order. Set before any other thread starts.
    std::env::set_var("POLARS_NO_PARTITION", "1");
    let cli = Cli::parse();
    match ta_scorecard::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(invalid) = error.downcast_ref::<InvalidInput>() {
                let count = invalid.problems().len();
                let noun = if count == 1 { "problem" } else { "problems" };
                eprintln!("error: the inputs have {count} {noun}; nothing was written\n{invalid}");
                let kinds = invalid.kinds();
                if kinds.len() > 1 || kinds.first().is_some_and(|k| k.0 > 1) {
                    eprintln!("problems by kind:");
                    for (n, kind) in kinds {
                        eprintln!("{n:>6} × {kind}");
                    }
                }
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
