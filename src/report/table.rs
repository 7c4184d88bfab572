//! The compact table printed on stdout after a run, so a manager sees the result at once.

use crate::format::{percent, score};
use crate::model::Report;
use crate::report::view::with_status;

/// advisor, level, NDR, GRR, health and overall status, one line per scorecard.
pub(crate) fn render(report: &Report) -> String {
    let header = ["advisor", "level", "NDR", "GRR", "health", "overall"].map(String::from);
    let rows: Vec<[String; 6]> = report
        .scorecards
        .iter()
        .map(|s| {
            let m = &s.metrics;
            [
                s.advisor.chars().filter(|c| !c.is_control()).collect(),
                s.level.clone().unwrap_or_else(|| "–".into()),
                with_status(percent(m.ndr), s.ndr_status),
                with_status(percent(m.grr), s.grr_status),
                with_status(score(m.health_avg), s.health_status),
                s.overall_status.as_str().into(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..6)
        .map(|i| std::iter::once(&header).chain(&rows).map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let line = |r: &[String; 6]| {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = format!("{} (as of {}, {}-month window)\n", report.quarter, report.as_of_month, report.window_months);
    out.push_str(&line(&header));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    // Why overall is n/a for books with a level, once per reason.
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for note in report.scorecards.iter().filter_map(|s| s.overall_note.as_deref()) {
        match reasons.iter_mut().find(|(r, _)| *r == note) {
            Some((_, n)) => *n += 1,
            None => reasons.push((note, 1)),
        }
    }
    for (reason, n) in reasons {
        let advisors = if n == 1 { "1 advisor".to_string() } else { format!("{n} advisors") };
        out.push_str(&format!("overall n/a for {advisors}: {reason}\n"));
    }
    out
}
