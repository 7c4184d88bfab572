//! `ta-scorecard targets`: the career framework in force, as a table or one level in full.

use crate::cli::TargetsArgs;
use crate::domain::targets::Targets;
use crate::output::framework;

pub(crate) fn run(args: TargetsArgs) -> anyhow::Result<()> {
    let targets = Targets::load(args.targets.as_deref())?;
    let text = match &args.level {
        Some(name) => framework::level(&targets, name)?,
        None => framework::table(&targets),
    };
    super::print(&text)
}
