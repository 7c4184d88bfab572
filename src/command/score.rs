//! `ta-scorecard score`: build the report, render every chosen format, replace the output
//! folder, and print the summary table and the reconciliation.

use crate::config::ScoreConfig;
use crate::output::{self, write};
use crate::timing;

pub(crate) fn run(config: ScoreConfig) -> anyhow::Result<()> {
    let (report, warnings) = crate::build_report(&config.input)?;
    // Each file goes into the staging folder as it is rendered; the folder is swapped in whole.
    let staging = write::Staging::open(&config.out, config.force, &config.input.paths.all())?;
    output::render_each(&report, &config.formats, &|file| staging.put(&file))?;
    timing::done("render and write");
    let kept = staging.finish()?;
    timing::done("swap in");

    super::print_findings(&super::notes_with_kept(&report.notes, &config.out, &kept), &warnings);
    super::print(&format!(
        "{}\n{} scorecards written to {}\n{}\n",
        output::table::render(&report),
        report.scorecards.len(),
        config.out.display(),
        report.reconciliation
    ))?;
    anyhow::ensure!(
        report.reconciliation.balanced,
        "the ARR reconciliation does not balance: this is a bug, please report it"
    );
    Ok(())
}
