//! `ta-scorecard generate`: synthetic exports of any size, for benchmarks and demos.

pub(crate) mod synthetic;

use crate::cli::GenerateArgs;
use synthetic::{generate, Spec};

pub(crate) fn run(args: GenerateArgs) -> anyhow::Result<()> {
    // The data's last month: a calendar quarter's end.
    let end = args.end.resolve(crate::domain::calendar::CALENDAR).map_err(|why| anyhow::anyhow!("--end: {why}"))?;
    let spec = Spec {
        accounts: args.accounts,
        months: args.months,
        advisors: args.advisors,
        seed: args.seed,
        end: end.end_month(),
        currencies: args.currencies.into_iter().filter(|c| c != crate::domain::money::DEFAULT).collect(),
        hand_overs: args.hand_overs.clamp(0.0, 1.0),
        health_history: args.health_history,
        misfits: args.misfits.clamp(0.0, 1.0),
    };
    let started = std::time::Instant::now();
    let written = generate(&spec, &args.out)?;
    super::print(&format!(
        "{} accounts, {} arr.csv rows and {} advisors written to {} in {:.1} s\n",
        written.accounts,
        written.arr_rows,
        written.advisors,
        args.out.display(),
        started.elapsed().as_secs_f64()
    ))
}
