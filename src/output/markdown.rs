//! The Markdown views, for pasting into review documents: an advisor's page (charts linked as
//! PNG files beside it) and the team index.

use std::fmt::Write;

use crate::format::score;
use crate::model::{Report, Scorecard};
use crate::output::chart::RenderedChart;
use crate::output::view;

/// Text safe in Markdown: characters with a meaning are backslash-escaped, newlines folded.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn table<const N: usize>(out: &mut String, header: [&str; N], rows: &[[String; N]]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(N));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// `advisors/<slug>.md`; the charts are at `advisors/<slug>/<chart>.png`.
pub(crate) fn advisor(report: &Report, card: &Scorecard, slug: &str, charts: &[RenderedChart]) -> String {
    let level = view::level_of(report, card.level.as_deref());
    let mut out = String::new();
    let _ = writeln!(out, "# {} — scorecard {}\n", escape(&card.advisor), card.quarter);
    let _ = writeln!(out, "{}\n", escape(&view::header_line(card, level)));

    let badges: Vec<[String; 5]> = view::badges(card, level, report.basis)
        .into_iter()
        .map(|b| [b.name.to_string(), b.value, b.target, b.band, b.status.as_str().to_string()])
        .collect();
    table(&mut out, ["metric", "value", "target", "near band", "status"], &badges);
    let _ = writeln!(out, "{}\n", escape(&view::basis_line(card, report.basis)));
    let _ =
        writeln!(out, "**Overall: {}.** {}\n", escape(&view::overall(card)), escape(&view::book_summary(card, level)));

    let gaps = view::gap_lines(card);
    if !gaps.is_empty() {
        out.push_str("## To reach the target\n\n");
        for line in &gaps {
            let _ = writeln!(out, "- {}", escape(line));
        }
        out.push('\n');
    }
    for caveat in &card.caveats {
        let _ = writeln!(out, "> **Caveat:** {}\n", escape(caveat));
    }

    let _ = writeln!(out, "## {}\n", escape(&view::forecast::next_quarter_heading(report)));
    for line in view::forecast::next_quarter_lines(report, card) {
        let _ = writeln!(out, "- {}", escape(&line));
    }
    out.push('\n');
    let renewals = view::forecast::renewal_rows(card);
    if !renewals.is_empty() {
        out.push_str("The renewals that decide it:\n\n");
        table(&mut out, view::forecast::RENEWAL_COLUMNS, &renewals);
    }
    let _ = writeln!(out, "*{}*\n", escape(&view::forecast::assumptions(report)));

    out.push_str("## Trend\n\n");
    table(&mut out, view::TREND_COLUMNS, &view::trend_rows(card, report.basis));
    if let Some(note) = view::health_history_note(report) {
        let _ = writeln!(out, "*Health: {note}.*\n");
    }

    if let Some(summary) = view::transfers_summary(card) {
        let _ = writeln!(out, "## Hand-overs\n\n{}.\n", escape(&summary));
        table(&mut out, view::TRANSFER_COLUMNS, &view::transfer_rows(card));
    }

    out.push_str("## Charts\n\n");
    for chart in charts {
        let _ = writeln!(out, "![{}]({slug}/{}.png)\n", escape(&chart.title), chart.name);
    }

    if let Some(level) = level {
        let _ = writeln!(out, "## What {} expects\n", escape(&level.name));
        behaviours(&mut out, level);
    }
    if let Some(next) = view::next_level_of(report, card) {
        let _ = writeln!(out, "## What {} expects (next level)\n", escape(&next.name));
        behaviours(&mut out, next);
    }

    let _ = writeln!(out, "## Readiness for the next level\n\n{}\n", escape(&view::readiness_summary(report, card)));
    let rows = view::readiness_rows(card);
    if !rows.is_empty() {
        table(&mut out, view::READINESS_COLUMNS, &rows);
    }
    if !report.framework_rules.is_empty() {
        let _ = writeln!(out, "**{}:**\n", view::RULES_HEADING);
        for rule in &report.framework_rules {
            let _ = writeln!(out, "- {}", escape(rule));
        }
        out.push('\n');
    }

    let renewals: Vec<&crate::model::Renewal> = card.renewals.iter().collect();
    out.push_str("## Renewals in the next two quarters\n\n");
    match view::renewal_summary(&card.renewal_totals, &card.currency) {
        Some(summary) => {
            let _ = writeln!(out, "{}.\n", escape(&summary));
            table(&mut out, view::RENEWAL_COLUMNS, &view::renewal_rows(&renewals, &card.currency));
        }
        None => out.push_str("No active account renews in the next two quarters.\n\n"),
    }

    out.push_str("## Accounts that moved NDR\n\n");
    let movers = view::mover_rows(card);
    if movers.is_empty() {
        out.push_str("No cohort account expanded, contracted or churned in the window.\n\n");
    } else {
        table(&mut out, view::MOVER_COLUMNS, &movers);
    }

    out.push_str("## Accounts at risk\n\n");
    let risks = view::risk_rows(card);
    match card.health_min {
        None => out.push_str("No level, so no health minimum to compare with.\n\n"),
        Some(min) if risks.is_empty() => {
            let _ = writeln!(out, "No active account scores below the minimum of {}.\n", score(Some(min)));
        }
        Some(min) => {
            let _ = writeln!(out, "Active accounts with health below {}, largest ARR first.\n", score(Some(min)));
            table(&mut out, view::RISK_COLUMNS, &risks);
        }
    }
    definitions(&mut out, report);
    out.trim_end().to_string() + "\n"
}

/// The "How these numbers are computed" section, and the line naming the quarter, the version
/// and the inputs' fingerprints.
fn definitions(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## {}\n", view::DEFINITIONS_HEADING);
    for line in view::definitions(report) {
        let _ = writeln!(out, "- {}", escape(&line));
    }
    let _ = writeln!(out, "\n*{}*\n", escape(&report.inputs.footer(&report.quarter)));
}

fn behaviours(out: &mut String, level: &crate::domain::targets::Level) {
    let _ = writeln!(out, "{}\n", escape(&level.scope));
    for (area, points) in level.behaviours.categories() {
        let _ = writeln!(out, "**{area}**\n");
        for point in points {
            let _ = writeln!(out, "- {}", escape(point));
        }
        out.push('\n');
    }
}

/// `index.md`: the summary with the roll-ups, then the advisors by manager, each row linking to
/// the advisor's page; renewals and warnings.
pub(crate) fn index(report: &Report, slugs: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Team scorecards {}\n\nAs of {}, {}-month window; data from {} to {}.\n",
        report.quarter, report.as_of_month, report.window_months, report.data_first_month, report.data_last_month
    );
    out.push_str("## Summary\n\n");
    for line in view::summary_lines(report) {
        let _ = writeln!(out, "- {}", escape(&line));
    }
    out.push('\n');
    out.push_str("Roll-ups are the metrics over the union of the books, not averages of ratios.\n\n");
    let rollups: Vec<[String; 9]> = report.rollups.iter().map(|r| view::rollup_row(report, r)).collect();
    table(&mut out, view::ROLLUP_COLUMNS, &rollups);
    out.push_str("## Advisors\n\n");
    let columns: Vec<&str> = view::index_columns(report).iter().map(|c| c.name).collect();
    for (manager, members) in view::by_manager(report) {
        let _ = writeln!(out, "### {}\n", escape(&view::group_heading(manager, members.len())));
        let _ = writeln!(out, "| {} |", columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(columns.len()));
        for i in members {
            let (card, slug) = (&report.scorecards[i], &slugs[i]);
            let row = view::index_cells(report, card);
            let mut cells: Vec<String> = row.iter().map(|c| escape(&c.line())).collect();
            // The section names the manager already.
            cells[0] = format!("[{}](advisors/{slug}.md)", escape(&row[0].text));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out.push_str("## Renewals in the next two quarters\n\n");
    match view::renewal_summary(&report.team_summary.renewals, &report.currency) {
        Some(summary) => {
            let _ = writeln!(out, "Across the team: {}.\n", escape(&summary));
        }
        None => out.push_str("No active account renews in the next two quarters.\n\n"),
    }
    out.push_str("## Data quality\n\n");
    if report.warnings.is_empty() {
        out.push_str("No warnings.\n");
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "- {}", escape(warning));
    }
    for note in &report.notes {
        let _ = writeln!(out, "- Read: {}", escape(note));
    }
    out.push('\n');
    definitions(&mut out, report);
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_breakers_and_markup() {
        assert_eq!(escape("a|b\nc"), "a\\|b c");
        assert_eq!(escape("<script>*x*</script>"), "\\<script\\>\\*x\\*\\</script\\>");
        assert_eq!(escape("[link](x)"), "\\[link\\](x)");
    }
}
