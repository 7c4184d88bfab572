//! `ta-scorecard validate`: everything `score` checks, without writing: warnings and a summary
//! on success; on failure the problems (printed by `main`) and exit code 3.

use crate::config::InputConfig;
use crate::format::thousands;

pub(crate) fn run(config: &InputConfig) -> anyhow::Result<()> {
    let (report, warnings) = crate::build_report(config)?;
    super::print_findings(&report.notes, &warnings);
    let r = &report.reconciliation;
    super::print(&format!(
        "valid: {} accounts, {} arr.csv rows ({} account-months), {} scorecards for {} (data {} to {}); {} warning{}\n{r}\n",
        thousands(report.accounts.len() as u64),
        thousands(r.rows_read),
        thousands(r.rows_used),
        report.scorecards.len(),
        report.quarter,
        report.data_first_month,
        report.data_last_month,
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
    ))
}
