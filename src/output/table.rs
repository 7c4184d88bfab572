//! The compact table printed on stdout after a run, so a manager sees the result at once: one
//! line per scorecard within [`WIDTH`] columns.

use crate::format::{amount, percent, score};
use crate::model::Report;
use crate::output::terminal::{fit, truncate};
use crate::output::view::with_status;

/// The widest line of the table; a long advisor name is shortened to fit.
pub(crate) const WIDTH: usize = 100;

const HEADER: [&str; 8] = ["advisor", "level", "ARR", "NDR", "GRR", "health", "overall", "next level"];

/// advisor, level, active ARR, NDR, GRR, health, overall status and readiness for the next level.
pub(crate) fn render(report: &Report) -> String {
    let mut rows: Vec<Vec<String>> = vec![HEADER.map(String::from).to_vec()];
    rows.extend(report.scorecards.iter().map(|s| {
        let m = &s.metrics;
        vec![
            s.advisor.chars().filter(|c| !c.is_control()).collect(),
            s.level.clone().unwrap_or_else(|| "–".into()),
            amount(m.arr_active.unwrap_or(0.0), &s.currency),
            with_status(percent(m.ndr), s.ndr_status),
            with_status(percent(m.grr), s.grr_status),
            with_status(score(m.health_avg), s.health_status),
            s.overall_status.as_str().into(),
            match &s.next_level {
                Some(next) if s.next_level_ready => format!("ready ({next})"),
                Some(next) => format!("not yet ({next})"),
                None => "–".into(),
            },
        ]
    }));
    let widths = fit(&rows, 0, 2, WIDTH);
    // Amounts right-aligned, words left.
    let line = |r: &Vec<String>| {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| match i {
                0 => format!("{:<w$}", truncate(c, *w)),
                2 => format!("{c:>w$}"),
                _ => format!("{c:<w$}"),
            })
            .collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = format!("{} (as of {}, {}-month window)\n", report.quarter, report.as_of_month, report.window_months);
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
