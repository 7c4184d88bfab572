//! The terminal view of one advisor (`show`): statuses in colour on a terminal and plain text
//! when piped, the distance to each target, the trend with sparklines, the accounts behind the
//! numbers and the path to the next level.

use std::fmt::Write;

use crate::format::{amount, percent, score};
use crate::model::{Report, Scorecard, Status};
use crate::report::view;
use crate::targets::Level;

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

pub(crate) fn render(report: &Report, card: &Scorecard, color: bool) -> String {
    let p = Paint { color };
    let level = view::level_of(report, card.level.as_deref());
    let next = view::next_level_of(report, card);
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.bold(&format!("{} — {}", card.advisor, card.quarter)));
    let _ = writeln!(out, "{}\n", view::header_line(card, level));

    for b in view::badges(card, level) {
        let _ = writeln!(out, "  {:<7} {:>7}   target {:<14} {}", b.name, b.value, b.target, p.status(b.status));
    }
    let why = card.overall_note.as_deref().map(|why| format!(": {why}")).unwrap_or_default();
    let _ = writeln!(out, "  {:<7} {}{why}", "Overall", p.status(card.overall_status));
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
    let _ = writeln!(out, "  {:<7} {}", "Ready", view::readiness_summary(report, card));
    if let Some(rates) = view::exchange_rates(card) {
        let _ = writeln!(out, "  {:<7} {rates}", "Rates");
    }
    if let Some(transfers) = view::transfers_summary(card) {
        let _ = writeln!(out, "  {:<7} {transfers}", "Moves");
    }

    let gaps = view::gap_lines(card);
    if !gaps.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("To reach the target"));
        for line in gaps {
            let _ = writeln!(out, "  {line}");
        }
    }

    // The trend, oldest first, with the change since the previous quarter end.
    let points: Vec<_> = card.trend.iter().rev().collect();
    let _ = writeln!(out, "\n{}", p.bold("Trend"));
    let mut header = format!("  {:<7}", "");
    for point in &points {
        let _ = write!(header, " {:>8}", point.quarter);
    }
    let _ = writeln!(out, "{header}  {:>10}  ", "change");
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
            let _ = write!(line, " {shown:>8}");
        }
        let min_span = if ratio { SPAN_RATIO } else { SPAN_HEALTH };
        let _ = writeln!(out, "{line}  {:>10}  {}", view::change(delta, ratio), sparkline(&values, min_span));
    }
    if let Some(note) = view::health_history_note(report) {
        let _ = writeln!(out, "  Health: {note}.");
    }

    let _ = writeln!(out, "\n{}", p.bold("Accounts behind NDR (largest changes)"));
    if card.movers.is_empty() {
        let _ = writeln!(out, "  No cohort account expanded, contracted or churned in the window.");
    }
    for mover in card.movers.iter().take(5) {
        let name = mover.account_name.as_deref().unwrap_or(&mover.account_id);
        let change = if mover.change > 0.0 {
            format!("+{}", amount(mover.change, &card.currency))
        } else {
            amount(mover.change, &card.currency)
        };
        let _ = writeln!(
            out,
            "  {:<34} {:<11} {:>12} → {:>12}  {:>12}",
            truncate(name, 34),
            mover.movement.as_str(),
            amount(mover.start_arr, &card.currency),
            amount(mover.end_arr, &card.currency),
            change
        );
    }

    at_risk(&mut out, &p, card);
    readiness(&mut out, &p, card, next, &report.framework_rules);
    out
}

/// At-risk accounts with the renewals of the next two quarters first, then by ARR.
fn at_risk(out: &mut String, p: &Paint, card: &Scorecard) {
    let Some(min) = card.health_min else { return };
    let _ = writeln!(
        out,
        "\n{}",
        p.bold(&format!("At risk (health below {min:.1}; renewals in the next two quarters first)"))
    );
    if card.at_risk.is_empty() {
        let _ = writeln!(out, "  No active account scores below the minimum.");
        return;
    }
    for r in &card.at_risk {
        let name = r.account_name.as_deref().unwrap_or(&r.account_id);
        let renewal = r.renewal_date.as_deref().unwrap_or("–");
        let _ = writeln!(
            out,
            "  {:<34} {:>12}  health {:>4.1}  renews {renewal}",
            truncate(name, 34),
            amount(r.arr, &card.currency),
            r.health_score
        );
    }
}

fn readiness(out: &mut String, p: &Paint, card: &Scorecard, next: Option<&Level>, rules: &[String]) {
    let arr_active = card.metrics.arr_active;
    let Some(next) = next else { return };
    let _ = writeln!(out, "\n{}", p.bold(&format!("Path to {} ({})", next.name, next.title)));
    for [quarter, level, ndr, grr, health, verdict] in view::readiness_rows(card) {
        let verdict = if verdict == "met" { p.code("32", "met") } else { p.code("31", "not met") };
        let _ = writeln!(out, "  {quarter} {level:<10} NDR {ndr} · GRR {grr} · health {health}  {verdict}");
    }
    let tiers: Vec<&str> = next.primary_tiers.iter().map(|t| t.text.as_str()).collect();
    let today = match (card.next_level_scope_share, arr_active) {
        (Some(s), Some(arr)) if arr > 0.0 => format!("{} of your book is there today", percent(Some(s))),
        _ => "no active book today".into(),
    };
    let _ = writeln!(
        out,
        "  Scope: {} expects {} in {} ({}); {today}.",
        next.name,
        percent(Some(next.primary_min_share)),
        tiers.join(", "),
        next.scope.trim_end_matches('.')
    );
    if !rules.is_empty() {
        let _ = writeln!(out, "\n  {}:", view::RULES_HEADING);
        for rule in rules {
            let _ = writeln!(out, "  • {rule}");
        }
    }
}

fn truncate(text: &str, width: usize) -> String {
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
