//! The terminal view of one advisor (`show`): statuses in colour on a terminal and plain text
//! when piped, the distance to each target, the trend with sparklines, the accounts behind the
//! numbers and the path to the next level.

use std::fmt::Write;

use crate::domain::targets::Level;
use crate::format::{amount, percent, score};
use crate::model::{Report, Scorecard, Status};
use crate::output::view;

/// The least a sparkline's scale spans: five points of NDR or GRR, one point of health.
const SPAN_RATIO: f64 = 0.05;
const SPAN_HEALTH: f64 = 1.0;

struct Paint {
    color: bool,
}

impl Paint {
    fn code(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.code("1", text)
    }

    fn status(&self, status: Status) -> String {
        let code = match status {
            Status::Meets => "32",
            Status::Near => "33",
            Status::Below => "31",
            Status::NotApplicable => "2",
        };
        self.code(code, status.as_str())
    }
}

/// `▁▃▆█` over the values, a space for a missing one. The scale spans at least `min_span` around
/// the values (five points of NDR, one of health), so noise is not stretched to full height and a
/// flat series draws flat.
pub(crate) fn sparkline(values: &[Option<f64>], min_span: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = known.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let widen = ((min_span - (hi - lo)) / 2.0).max(0.0);
    let (lo, hi) = (lo - widen, hi + widen);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi - lo < 1e-12 => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

/// The width `show` writes to: an 80-column terminal. Prose wraps; a table too wide for it
/// shortens its account names, never wraps a row.
pub(crate) const WIDTH: usize = 80;

/// `text` filled to [`WIDTH`] after `first` (the first line's indent and label), with the
/// lines after it indented by `rest` spaces.
fn para(out: &mut String, first: &str, rest: usize, text: &str) {
    let indent = " ".repeat(rest);
    // Dates, quarters and amounts keep their hyphens and minus signs whole.
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(&indent)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let _ = writeln!(out, "{}", textwrap::fill(text, &options));
}

/// `  Label   text`, wrapped under the text.
fn labelled(out: &mut String, label: &str, text: &str) {
    para(out, &format!("  {label:<7} "), 10, text);
}

/// Column widths for `rows` within `width` after `indent` and `gap` spaces between columns:
/// each as wide as its longest cell, the first (a name) shortened to fit, to 12 at the least.
pub(crate) fn fit(rows: &[Vec<String>], indent: usize, gap: usize, width: usize) -> Vec<usize> {
    let count = rows.first().map_or(0, Vec::len);
    let mut widths: Vec<usize> =
        (0..count).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let rest: usize = widths.iter().skip(1).sum::<usize>() + gap * count.saturating_sub(1) + indent;
    if let Some(first) = widths.first_mut() {
        *first = (*first).min(width.saturating_sub(rest).max(12));
    }
    widths
}

pub(crate) fn render(report: &Report, card: &Scorecard, color: bool) -> String {
    let p = Paint { color };
    let level = view::level_of(report, card.level.as_deref());
    let next = view::next_level_of(report, card);
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.bold(&format!("{} — {}", card.advisor, card.quarter)));
    para(&mut out, "", 0, &view::header_line(card, level));
    out.push('\n');

    for b in view::badges(card, level, report.basis) {
        let _ = writeln!(out, "  {:<7} {:>7}   target {:<14} {}", b.name, b.value, b.target, p.status(b.status));
    }
    let why = card.overall_note.as_deref().map(|why| format!(": {why}")).unwrap_or_default();
    if why.is_empty() {
        let _ = writeln!(out, "  {:<7} {}", "Overall", p.status(card.overall_status));
    } else {
        // The reason wraps; the status keeps its colour.
        let mut reason = String::new();
        para(&mut reason, &format!("  {:<7} {}", "Overall", card.overall_status.as_str()), 10, &why);
        out.push_str(&reason.replacen(card.overall_status.as_str(), &p.status(card.overall_status), 1));
    }
    if let (Some(share), Some(l)) = (card.primary_scope_share, level) {
        let _ = writeln!(
            out,
            "  {:<7} {:>7}   in primary tiers, expects {:<5} {}",
            "Scope",
            percent(Some(share)),
            percent(Some(l.primary_min_share)),
            p.status(card.scope_status)
        );
    }
    labelled(&mut out, "Basis", &view::basis_line(card, report.basis));
    labelled(&mut out, "Ready", &view::readiness_summary(report, card));
    if let Some(rates) = view::exchange_rates(card) {
        labelled(&mut out, "Rates", &rates);
    }
    if let Some(transfers) = view::transfers_summary(card) {
        labelled(&mut out, "Moves", &transfers);
    }

    let gaps = view::gap_lines(card);
    if !gaps.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("To reach the target"));
        for line in gaps {
            para(&mut out, "  ", 4, &line);
        }
    }

    next_quarter(&mut out, &p, report, card);
    trend(&mut out, &p, report, card);
    movers(&mut out, &p, card);
    at_risk(&mut out, &p, card);
    readiness(&mut out, &p, card, next, &report.framework_rules);
    out
}

/// The quarter ahead: where the book is expected to land, the renewals that decide it, and what
/// the forecast assumes.
fn next_quarter(out: &mut String, p: &Paint, report: &Report, card: &Scorecard) {
    let _ = writeln!(out, "\n{}", p.bold(&view::forecast::next_quarter_heading(report)));
    for line in view::forecast::next_quarter_lines(report, card) {
        para(out, "  ", 4, &line);
    }
    let rows: Vec<Vec<String>> = view::forecast::renewal_rows(card).into_iter().map(Vec::from).collect();
    if !rows.is_empty() {
        let heading = "The renewals that decide it (renews, ARR now, health, chance of churn, expected loss):";
        para(out, "  ", 4, heading);
        let w = fit(&rows, 4, 2, WIDTH);
        for r in &rows {
            let cells: Vec<String> = r.iter().enumerate().map(|(i, cell)| pad(cell, w[i], i >= 2)).collect();
            let _ = writeln!(out, "    {}", cells.join("  "));
        }
    }
    para(out, "  ", 2, &view::forecast::assumptions(report));
}

/// The trend, oldest first, with the change since the previous quarter end.
fn trend(out: &mut String, p: &Paint, report: &Report, card: &Scorecard) {
    let points: Vec<_> = card.trend.iter().rev().collect();
    let _ = writeln!(out, "\n{}", p.bold("Trend"));
    // `2026-Q3`, or `FY2027-Q1` with a fiscal year.
    let width = points.iter().map(|p| p.quarter.len()).max().unwrap_or(7).max(7) + 1;
    let mut header = format!("  {:<7}", "");
    for point in &points {
        let _ = write!(header, " {:>width$}", point.quarter);
    }
    let _ = writeln!(out, "{header}  {:>9}", "change");
    let newest = card.trend.first().map(|t| t.change).unwrap_or_default();
    let series = |value: fn(&crate::model::WindowMetrics) -> Option<f64>| -> Vec<Option<f64>> {
        points.iter().map(|t| value(&t.metrics)).collect()
    };
    let rows = [
        ("NDR", series(|m| m.ndr), newest.ndr, true),
        ("GRR", series(|m| m.grr), newest.grr, true),
        ("Health", series(|m| m.health_avg), newest.health_avg, false),
    ];
    for (name, values, delta, ratio) in rows {
        let mut line = format!("  {name:<7}");
        for v in &values {
            let shown = if ratio { percent(*v) } else { score(*v) };
            let _ = write!(line, " {shown:>width$}");
        }
        let min_span = if ratio { SPAN_RATIO } else { SPAN_HEALTH };
        let _ = writeln!(out, "{line}  {:>9}  {}", view::change(delta, ratio), sparkline(&values, min_span));
    }
    if let Some(note) = view::health_history_note(report) {
        para(out, "  Health: ", 4, &format!("{note}."));
    }
}

/// The cohort accounts that moved NDR most, in columns that fit [`WIDTH`].
fn movers(out: &mut String, p: &Paint, card: &Scorecard) {
    let _ = writeln!(out, "\n{}", p.bold("Accounts behind NDR (largest changes)"));
    if card.movers.is_empty() {
        let _ = writeln!(out, "  No cohort account expanded, contracted or churned in the window.");
        return;
    }
    let rows: Vec<Vec<String>> = card
        .movers
        .iter()
        .take(5)
        .map(|m| {
            let change = if m.change > 0.0 {
                format!("+{}", amount(m.change, &card.currency))
            } else {
                amount(m.change, &card.currency)
            };
            vec![
                m.account_name.clone().unwrap_or_else(|| m.account_id.clone()),
                m.movement.as_str().to_string(),
                amount(m.start_arr, &card.currency),
                amount(m.end_arr, &card.currency),
                change,
            ]
        })
        .collect();
    let w = fit(&rows, 2, 2, WIDTH);
    for r in &rows {
        // Name and movement left, amounts right: `start → end  change`.
        let [name, movement, start, end, change] = [0, 1, 2, 3, 4].map(|i| pad(&r[i], w[i], i >= 2));
        let _ = writeln!(out, "  {name}  {movement}  {start} → {end}  {change}");
    }
}

/// At-risk accounts with the renewals of the next two quarters first, then by ARR.
fn at_risk(out: &mut String, p: &Paint, card: &Scorecard) {
    let Some(min) = card.health_min else { return };
    let _ =
        writeln!(out, "\n{}", p.bold(&format!("At risk (health below {}; soonest renewals first)", score(Some(min)))));
    if card.at_risk.is_empty() {
        let _ = writeln!(out, "  No active account scores below the minimum.");
        return;
    }
    let rows: Vec<Vec<String>> = card
        .at_risk
        .iter()
        .map(|r| {
            vec![
                r.account_name.clone().unwrap_or_else(|| r.account_id.clone()),
                amount(r.arr, &card.currency),
                format!("health {}", score(Some(r.health_score))),
                format!("renews {}", r.renewal_date.as_deref().unwrap_or("–")),
            ]
        })
        .collect();
    let w = fit(&rows, 2, 2, WIDTH);
    for r in &rows {
        let [name, arr, health] = [0, 1, 2].map(|i| pad(&r[i], w[i], i == 1));
        let _ = writeln!(out, "  {name}  {arr}  {health}  {}", r[3]);
    }
}

/// The quarter ends the promotion rule checks, value (target) per metric, then the scope and
/// the framework's rules; the distance to each target is on the pages.
fn readiness(out: &mut String, p: &Paint, card: &Scorecard, next: Option<&Level>, rules: &[String]) {
    let arr_active = card.metrics.arr_active;
    let Some(next) = next else { return };
    let _ = writeln!(out, "\n{}", p.bold(&format!("Path to {} ({})", next.name, next.title)));
    let shown = |value: Option<f64>, target: f64, ratio: bool| {
        if ratio {
            format!("{} ({})", percent(value), percent(Some(target)))
        } else {
            format!("{} ({})", score(value), score(Some(target)))
        }
    };
    let mut rows = vec![vec![
        "quarter".to_string(),
        "targets of".to_string(),
        "NDR (target)".to_string(),
        "GRR (target)".to_string(),
        "health (min)".to_string(),
    ]];
    rows.extend(card.readiness.iter().map(|c| {
        vec![
            c.quarter.clone(),
            if c.next_level { format!("{} (next)", c.level) } else { format!("{} (own)", c.level) },
            shown(c.ndr, c.ndr_target, true),
            shown(c.grr, c.grr_target, true),
            shown(c.health_avg, c.health_min, false),
        ]
    }));
    let w = fit(&rows, 2, 2, WIDTH);
    for (i, r) in rows.iter().enumerate() {
        let verdict = match card.readiness.get(i.wrapping_sub(1)) {
            None => "verdict".to_string(),
            Some(c) if c.met => p.code("32", "met"),
            Some(_) => p.code("31", "not met"),
        };
        let cells: Vec<String> = r.iter().zip(&w).map(|(cell, width)| pad(cell, *width, false)).collect();
        let _ = writeln!(out, "  {}  {verdict}", cells.join("  "));
    }
    let tiers: Vec<&str> = next.primary_tiers.iter().map(|t| t.text.as_str()).collect();
    let today = match (card.next_level_scope_share, arr_active) {
        (Some(s), Some(arr)) if arr > 0.0 => format!("{} of your book is there today", percent(Some(s))),
        _ => "no active book today".into(),
    };
    let scope = format!(
        "{} expects {} in {} ({}); {today}.",
        next.name,
        percent(Some(next.primary_min_share)),
        tiers.join(", "),
        next.scope.trim_end_matches('.')
    );
    para(out, "  Scope: ", 4, &scope);
    if !rules.is_empty() {
        let _ = writeln!(out, "\n  {}:", view::RULES_HEADING);
        for rule in rules {
            para(out, "  • ", 4, rule);
        }
    }
}

/// `text` in exactly `width` characters: shortened with `…`, or padded (on the left when `right`).
fn pad(text: &str, width: usize, right: bool) -> String {
    let text = truncate(text, width);
    if right {
        format!("{text:>width$}")
    } else {
        format!("{text:<width$}")
    }
}

/// `text` in at most `width` characters, ending in `…` when cut.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_between_min_and_max() {
        assert_eq!(sparkline(&[Some(1.0), Some(2.0), None, Some(3.0)], 0.0), "▁▅ █");
        assert_eq!(sparkline(&[Some(5.0), Some(5.0)], 0.0), "▄▄");
    }

    #[test]
    fn sparklines_do_not_stretch_noise() {
        // Health 7.2 four times is flat; 7.8 ± 0.05 stays near the middle, not full height.
        assert_eq!(sparkline(&[Some(7.2); 4], SPAN_HEALTH), "▅▅▅▅");
        let noise = sparkline(&[Some(7.8), Some(7.8), Some(7.85), Some(7.75)], SPAN_HEALTH);
        assert!(noise.chars().all(|c| "▃▄▅".contains(c)), "{noise}");
        // A real move of 26 points of NDR still uses the whole height.
        assert_eq!(sparkline(&[Some(1.059), Some(1.05), Some(0.80), Some(0.794)], SPAN_RATIO), "██▁▁");
    }
}
