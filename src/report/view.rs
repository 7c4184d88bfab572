//! The words and figures the human-readable pages show, shared by the Markdown and HTML views so
//! both say the same thing; each view only adds its own markup and escaping.

use crate::model::{Report, Rollup, Scorecard, Status};
use crate::report::{dollars, percent, score};
use crate::targets::{Goal, Level};

/// One status badge: NDR, GRR or health against the level.
pub struct Badge {
    pub name: &'static str,
    pub value: String,
    pub target: String,
    /// The near band, e.g. `100.0%–105.0%`; `none` without a tolerance.
    pub band: String,
    pub status: Status,
}

pub fn level_of<'a>(report: &'a Report, name: Option<&str>) -> Option<&'a Level> {
    name.and_then(|n| report.levels.iter().find(|l| l.name == n))
}

pub fn next_level_of<'a>(report: &'a Report, card: &Scorecard) -> Option<&'a Level> {
    level_of(report, card.next_level.as_deref())
}

fn ratio_band(goal: Goal) -> String {
    if goal.tolerance > 0.0 {
        format!("{}–{}", percent(Some(goal.target - goal.tolerance)), percent(Some(goal.target)))
    } else {
        "none".into()
    }
}

pub fn badges(card: &Scorecard, level: Option<&Level>) -> Vec<Badge> {
    let m = &card.metrics;
    let target = |f: fn(&Level) -> String| level.map(f).unwrap_or_else(|| "–".into());
    vec![
        Badge {
            name: "NDR",
            value: percent(m.ndr),
            target: target(|l| percent(Some(l.ndr.target))),
            band: target(|l| ratio_band(l.ndr)),
            status: card.ndr_status,
        },
        Badge {
            name: "GRR",
            value: percent(m.grr),
            target: target(|l| percent(Some(l.grr.target))),
            band: target(|l| ratio_band(l.grr)),
            status: card.grr_status,
        },
        Badge {
            name: "Health",
            value: score(m.health_avg),
            target: target(|l| format!("{:.1} minimum", l.health.target)),
            band: target(|l| {
                if l.health.tolerance > 0.0 {
                    format!("{:.1}+", l.health.target - l.health.tolerance)
                } else {
                    "none".into()
                }
            }),
            status: card.health_status,
        },
    ]
}

/// `Level IC1 (Technical Advisor I) · manager Maria Santos · 2026-Q3, as of 2026-09 · 12-month window`.
pub fn header_line(card: &Scorecard, level: Option<&Level>) -> String {
    let level = match level {
        Some(l) => format!("Level {} ({})", l.name, l.title),
        None => "No level (not on the roster)".into(),
    };
    let manager = card.manager.as_deref().map(|m| format!(" · manager {m}")).unwrap_or_default();
    format!("{level}{manager} · {}, as of {} · {}-month window", card.quarter, card.as_of_month, card.window_months)
}

pub fn book_summary(card: &Scorecard, level: Option<&Level>) -> String {
    let m = &card.metrics;
    let mut text = format!(
        "{} active accounts, {} ARR at {}.",
        m.accounts_active.unwrap_or(0),
        dollars(m.arr_active.unwrap_or(0.0)),
        card.as_of_month
    );
    if let (Some(cohort), Some(start)) = (m.cohort_accounts, m.start_arr) {
        text.push_str(&format!(
            " Cohort: {cohort} accounts with {} ARR at the start of the window; new ARR {}.",
            dollars(start),
            dollars(m.new_arr.unwrap_or(0.0))
        ));
    }
    if let (Some(share), Some(l)) = (card.primary_scope_share, level) {
        let tiers: Vec<&str> = l.primary_tiers.iter().map(|p| p.text.as_str()).collect();
        text.push_str(&format!(
            " {} of it in the level's primary tiers ({}), which expect {}: scope {}.",
            percent(Some(share)),
            tiers.join(", "),
            percent(Some(l.primary_min_share)),
            card.scope_status.as_str()
        ));
    }
    text
}

/// One sentence per metric below target: what it would take to reach it.
pub fn gap_lines(card: &Scorecard) -> Vec<String> {
    card.gaps
        .iter()
        .map(|g| match g.metric {
            "ndr" => format!(
                "NDR {} → {}: +{} of expansion or retained ARR on a {} cohort",
                percent(Some(g.value)),
                percent(Some(g.target)),
                dollars(g.dollars.unwrap_or(0.0)),
                crate::chart::short_money(g.cohort_start_arr.unwrap_or(0.0))
            ),
            "grr" => format!(
                "GRR {} → {}: {} of churn or contraction would have had to be saved on a {} cohort",
                percent(Some(g.value)),
                percent(Some(g.target)),
                dollars(g.dollars.unwrap_or(0.0)),
                crate::chart::short_money(g.cohort_start_arr.unwrap_or(0.0))
            ),
            _ => match g.accounts {
                Some(n) => format!(
                    "Health {:.1} → {:.1}: the {n} lowest-scored active account{} would need to reach {:.1}",
                    g.value,
                    g.target,
                    if n == 1 { "" } else { "s" },
                    g.target
                ),
                None => format!("Health {:.1} → {:.1}", g.value, g.target),
            },
        })
        .collect()
}

/// One sentence on readiness for the next level.
pub fn readiness_summary(card: &Scorecard) -> String {
    let Some(next) = &card.next_level else {
        return match &card.level {
            Some(level) => format!("{level} is the top level."),
            None => "No level, so no next level to check.".into(),
        };
    };
    let quarters: Vec<&str> = card.readiness.iter().map(|c| c.quarter.as_str()).collect();
    if card.next_level_ready {
        format!("Ready for {next}: NDR, GRR and health met {next}'s targets at {}.", quarters.join(" and "))
    } else {
        format!(
            "Not yet ready for {next}: promotion asks for NDR, GRR and health at {next}'s targets at each of {}.",
            quarters.join(" and ")
        )
    }
}

/// `110.6% vs 105.0% ✓` or `103.0% vs 105.0%: 2.0 pts short`.
fn against(value: Option<f64>, target: f64, ratio: bool) -> String {
    let shown = |v: f64| if ratio { percent(Some(v)) } else { format!("{v:.1}") };
    match value {
        None => format!("– vs {}: no data", shown(target)),
        Some(v) if v >= target - 1e-9 => format!("{} vs {} ✓", shown(v), shown(target)),
        Some(v) if ratio => format!("{} vs {}: {:.1} pts short", shown(v), shown(target), (target - v) * 100.0),
        Some(v) => format!("{} vs {}: {:.1} short", shown(v), shown(target), target - v),
    }
}

/// quarter, NDR, GRR, health, verdict: one row per quarter the promotion rule needs.
pub fn readiness_rows(card: &Scorecard) -> Vec<[String; 5]> {
    card.readiness
        .iter()
        .map(|c| {
            [
                c.quarter.clone(),
                against(c.ndr, c.ndr_target, true),
                against(c.grr, c.grr_target, true),
                against(c.health_avg, c.health_min, false),
                if c.met { "met".into() } else { "not met".into() },
            ]
        })
        .collect()
}

pub const MOVER_COLUMNS: [&str; 5] = ["account", "movement", "ARR at start", "ARR at end", "change"];

pub fn mover_rows(card: &Scorecard) -> Vec<[String; 5]> {
    card.movers
        .iter()
        .map(|m| {
            let change = if m.change > 0.0 { format!("+{}", dollars(m.change)) } else { dollars(m.change) };
            [
                account_label(&m.account_id, m.account_name.as_deref()),
                m.movement.clone(),
                dollars(m.start_arr),
                dollars(m.end_arr),
                change,
            ]
        })
        .collect()
}

pub const RISK_COLUMNS: [&str; 4] = ["account", "ARR", "health", "renewal"];

pub fn risk_rows(card: &Scorecard) -> Vec<[String; 4]> {
    card.at_risk
        .iter()
        .map(|r| {
            [
                account_label(&r.account_id, r.account_name.as_deref()),
                dollars(r.arr),
                format!("{:.1}", r.health_score),
                r.renewal_date.clone().unwrap_or_else(|| "–".into()),
            ]
        })
        .collect()
}

fn account_label(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name} ({id})"),
        None => id.to_string(),
    }
}

/// Share of the book's active ARR in tiers matching `patterns` (of another level, say); none
/// without active ARR.
pub fn share_in(card: &Scorecard, patterns: &[crate::segments::TierPattern]) -> Option<f64> {
    let total: f64 = card.tiers.iter().map(|t| t.arr).sum();
    let matching: f64 = card
        .tiers
        .iter()
        .filter(|t| patterns.iter().any(|p| p.text == t.tier || (p.band.is_none() && p.segment.name() == t.segment)))
        .map(|t| t.arr)
        .sum();
    (total > 0.0).then(|| matching / total)
}

/// The behaviours of a level, as (area, text).
pub fn behaviours(level: &Level) -> [(&'static str, &str); 4] {
    let b = &level.behaviours;
    [("Impact", &b.impact), ("Scope", &b.scope), ("Execution", &b.execution), ("Teamwork", &b.teamwork)]
}

pub const INDEX_COLUMNS: [&str; 9] =
    ["advisor", "level", "manager", "NDR", "GRR", "health", "overall", "primary scope", "ready for next"];

/// A team index row: the shown text and a sort key of each column.
pub fn index_row(card: &Scorecard) -> [(String, String); 9] {
    let m = &card.metrics;
    let key = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_else(|| "-1".into());
    let ready = match &card.next_level {
        Some(next) if card.next_level_ready => format!("yes ({next})"),
        Some(next) => format!("no ({next})"),
        None => "–".into(),
    };
    [
        (card.advisor.clone(), card.advisor.clone()),
        (card.level.clone().unwrap_or_else(|| "–".into()), card.level.clone().unwrap_or_default()),
        (card.manager.clone().unwrap_or_else(|| "–".into()), card.manager.clone().unwrap_or_default()),
        (with_status(percent(m.ndr), card.ndr_status), key(m.ndr)),
        (with_status(percent(m.grr), card.grr_status), key(m.grr)),
        (with_status(score(m.health_avg), card.health_status), key(m.health_avg)),
        (card.overall_status.as_str().into(), status_rank(card.overall_status).to_string()),
        (percent(card.primary_scope_share), key(card.primary_scope_share)),
        (ready.clone(), ready),
    ]
}

/// `110.6% meets`; the value alone when the status is n/a.
pub fn with_status(value: String, status: Status) -> String {
    match status {
        Status::NotApplicable => value,
        s => format!("{value} {}", s.as_str()),
    }
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Below => 0,
        Status::Near => 1,
        Status::Meets => 2,
        Status::NotApplicable => 3,
    }
}

pub const ROLLUP_COLUMNS: [&str; 8] =
    ["roll-up", "advisors", "active accounts", "active ARR", "NDR", "GRR", "health", "new ARR"];

pub fn rollup_row(r: &Rollup) -> [String; 8] {
    let m = &r.metrics;
    [
        if r.kind == "team" { "Whole team".into() } else { format!("Manager: {}", r.name) },
        r.advisors.to_string(),
        m.accounts_active.unwrap_or(0).to_string(),
        dollars(m.arr_active.unwrap_or(0.0)),
        percent(m.ndr),
        percent(m.grr),
        score(m.health_avg),
        m.new_arr.map(dollars).unwrap_or_else(|| "–".into()),
    ]
}
