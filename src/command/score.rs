//! `ta-scorecard score`: build the report, render every chosen format, replace the output
//! folder, and print the summary table and the reconciliation.

use crate::config::ScoreConfig;
use crate::output::{self, write};
use crate::timing;

pub(crate) fn run(config: ScoreConfig) -> anyhow::Result<()> {
    let (report, warnings) = crate::build_report(&config.input)?;
    let files = output::render_all(&report, &config.formats)?;
    timing::done("render");
    let kept = write::replace_folder(&config.out, &files, config.force, &config.input.paths.all())?;
    timing::done("write");

    let mut notes = report.notes.clone();
    if !kept.is_empty() {
        let files = if kept.len() == 1 { "file" } else { "files" };
        notes.push(format!(
            "{}: kept {} {files} ta-scorecard did not write: {}",
            config.out.display(),
            kept.len(),
            kept.join(", ")
        ));
    }
    super::print_findings(&notes, &warnings);
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
