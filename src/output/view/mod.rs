//! The words and figures the human-readable pages show, shared by the Markdown and HTML views so
//! both say the same thing; each view only adds its own markup and escaping.

use crate::domain::modes::HealthMode;
use crate::domain::targets::{Basis, Goal, Level};
use crate::format::{amount, in_words, percent, points, score, short_amount};
use crate::model::{Gap, GapMetric, Report, Scorecard, Status};
use crate::model::{Renewal, RenewalTotals, TransferTotal};

mod definitions;
pub(crate) mod forecast;
mod index;
pub(crate) use definitions::*;
pub(crate) use index::*;

/// One status badge: NDR, GRR or health against the level.
pub(crate) struct Badge {
    pub(crate) name: &'static str,
    pub(crate) value: String,
    pub(crate) target: String,
    /// The near band, e.g. `100.0%–105.0%`; `none` without a tolerance.
    pub(crate) band: String,
    pub(crate) status: Status,
}

pub(crate) fn level_of<'a>(report: &'a Report, name: Option<&str>) -> Option<&'a Level> {
    name.and_then(|n| report.levels.iter().find(|l| l.name == n))
}

pub(crate) fn next_level_of<'a>(report: &'a Report, card: &Scorecard) -> Option<&'a Level> {
    level_of(report, card.next_level.as_deref())
}

fn ratio_band(goal: Goal) -> String {
    if goal.tolerance > 0.0 {
        format!("{}–{}", percent(Some(goal.target - goal.tolerance)), percent(Some(goal.target)))
    } else {
        "none".into()
    }
}

/// NDR, GRR and health against the level, each with the value its status rates: the T12M value,
/// or with the `average4` basis the annual average (SPEC §4).
pub(crate) fn badges(card: &Scorecard, level: Option<&Level>, basis: Basis) -> Vec<Badge> {
    let m = &card.metrics;
    let target = |f: &dyn Fn(&Level) -> String| level.map(f).unwrap_or_else(|| "–".into());
    let ratio = |name, t12m: Option<f64>, average: Option<f64>, goal: fn(&Level) -> Goal, status| Badge {
        name,
        value: match basis {
            Basis::T12m => percent(t12m),
            Basis::Average4 => format!("{} (annual average)", percent(average)),
        },
        target: target(&|l| percent(Some(goal(l).target))),
        band: target(&|l| ratio_band(goal(l))),
        status,
    };
    vec![
        ratio("NDR", m.ndr, card.ndr_avg4, |l| l.ndr, card.ndr_status),
        ratio("GRR", m.grr, card.grr_avg4, |l| l.grr, card.grr_status),
        Badge {
            name: "Health",
            value: score(m.health_avg),
            target: target(&|l| format!("{} minimum", score(Some(l.health.target)))),
            band: target(&|l| {
                if l.health.tolerance > 0.0 {
                    format!("{}+", score(Some(l.health.target - l.health.tolerance)))
                } else {
                    "none".into()
                }
            }),
            status: card.health_status,
        },
    ]
}

/// `Level IC1 (Technical Advisor I) · manager Maria Santos · 2026-Q3, as of 2026-09 · 12-month window`.
pub(crate) fn header_line(card: &Scorecard, level: Option<&Level>) -> String {
    let level = match level {
        Some(l) => format!("Level {} ({})", l.name, l.title),
        None => "No level (not on the roster)".into(),
    };
    let manager = card.manager.as_deref().map(|m| format!(" · manager {m}")).unwrap_or_default();
    format!("{level}{manager} · {}, as of {} · {}-month window", card.quarter, card.as_of_month, card.window_months)
}

/// What exchange rates did to the window, when they moved it (SPEC §10): amounts are at the
/// quarter end's rates, so the rate move is set apart from expansion and contraction.
pub(crate) fn exchange_rates(card: &Scorecard) -> Option<String> {
    let m = &card.metrics;
    let (fx, start) = (m.fx_impact_arr.filter(|fx| *fx != 0.0)?, m.start_arr?);
    let change = if fx > 0.0 { "raised" } else { "lowered" };
    Some(format!(
        "Amounts are in {} at {} exchange rates; the rates alone {change} the cohort's start ARR by {} (from {} at the window's start rates), which counts as neither expansion nor contraction.",
        card.currency,
        card.as_of_month,
        amount(fx.abs(), &card.currency),
        amount(start - fx, &card.currency),
    ))
}

pub(crate) fn book_summary(card: &Scorecard, level: Option<&Level>) -> String {
    let m = &card.metrics;
    let mut text = format!(
        "{} active accounts, {} ARR at {}.",
        m.accounts_active.unwrap_or(0),
        amount(m.arr_active.unwrap_or(0.0), &card.currency),
        card.as_of_month
    );
    if let (Some(cohort), Some(start)) = (m.cohort_accounts, m.start_arr) {
        text.push_str(&format!(
            " Cohort: {cohort} accounts with {} ARR at the start of the window; new ARR {}.",
            amount(start, &card.currency),
            amount(m.new_arr.unwrap_or(0.0), &card.currency)
        ));
    }
    if let (Some(retention), Some(cohort), Some(retained)) = (m.logo_retention, m.cohort_accounts, m.cohort_retained) {
        text.push_str(&format!(
            " Logo retention {}: {retained} of {cohort} cohort accounts still active.",
            percent(Some(retention))
        ));
    }
    if let Some(rates) = exchange_rates(card) {
        text.push(' ');
        text.push_str(&rates);
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

/// One sentence on the annual average (SPEC §4) and which value the statuses rate: the mean of
/// the 12-month NDR and GRR at the quarter end and the three before it.
pub(crate) fn basis_line(card: &Scorecard, basis: Basis) -> String {
    let averages = format!("NDR {}, GRR {}", percent(card.ndr_avg4), percent(card.grr_avg4));
    match basis {
        Basis::T12m => format!(
            "Annual average (the mean of the 12-month values at {} and the three quarter ends before): {averages}. \
             The statuses rate the 12-month value (basis t12m).",
            card.as_of_month
        ),
        Basis::Average4 => format!(
            "The statuses rate the annual average (basis average4): the mean of the 12-month NDR and GRR at \
             each quarter end and the three before it; at {}: {averages} (12-month NDR {}, GRR {}).",
            card.as_of_month,
            percent(card.metrics.ndr),
            percent(card.metrics.grr)
        ),
    }
}

/// With the `average4` basis, what a gap's T12M value at `E` must be: `; the 12-month NDR at
/// 2026-09 would need 112.0% (now 104.0%)`; empty otherwise.
fn needed(g: &Gap, name: &str, card: &Scorecard, now: Option<f64>) -> String {
    match g.t12m_needed {
        None => String::new(),
        Some(needed) => {
            let reach = if name == "GRR" && needed > 1.0 { ", above 100%: out of reach this quarter" } else { "" };
            format!(
                "; the 12-month {name} at {} would need {} (now {}){reach}",
                card.as_of_month,
                percent(Some(needed)),
                percent(now)
            )
        }
    }
}

/// One sentence per metric below target: what it would take to reach it.
pub(crate) fn gap_lines(card: &Scorecard) -> Vec<String> {
    let average = |g: &Gap| if g.t12m_needed.is_some() { " average" } else { "" };
    card.gaps
        .iter()
        .map(|g| match g.metric {
            GapMetric::Ndr => format!(
                "NDR{} {} → {}{}: +{} of expansion or retained ARR on a {} cohort",
                average(g),
                percent(Some(g.value)),
                percent(Some(g.target)),
                needed(g, "NDR", card, card.metrics.ndr),
                amount(g.dollars.unwrap_or(0.0), &card.currency),
                short_amount(g.cohort_start_arr.unwrap_or(0.0), &card.currency)
            ),
            GapMetric::Grr => format!(
                "GRR{} {} → {}{}: {} of churn or contraction would have had to be saved on a {} cohort",
                average(g),
                percent(Some(g.value)),
                percent(Some(g.target)),
                needed(g, "GRR", card, card.metrics.grr),
                amount(g.dollars.unwrap_or(0.0), &card.currency),
                short_amount(g.cohort_start_arr.unwrap_or(0.0), &card.currency)
            ),
            GapMetric::Health => match g.accounts {
                Some(n) => format!(
                    "Health {} → {}: the {n} lowest-scored active account{} would need to reach {}",
                    score(Some(g.value)),
                    score(Some(g.target)),
                    if n == 1 { "" } else { "s" },
                    score(Some(g.target))
                ),
                None => format!("Health {} → {}", score(Some(g.value)), score(Some(g.target))),
            },
        })
        .collect()
}

/// One sentence on readiness for the next level: the promotion rule's quarter ends with the
/// level each is checked against, and the scope beside it.
pub(crate) fn readiness_summary(report: &Report, card: &Scorecard) -> String {
    let Some(next) = &card.next_level else {
        return match &card.level {
            Some(level) => format!("{level} is the top level."),
            None => "No level, so no next level to check.".into(),
        };
    };
    let quarters = |at_next: bool| -> Vec<&str> {
        card.readiness.iter().filter(|c| c.next_level == at_next).map(|c| c.quarter.as_str()).collect()
    };
    let (at_next, at_own) = (quarters(true), quarters(false));
    let own = match (card.level.as_deref(), at_own.is_empty()) {
        (Some(level), false) => format!(", after {level}'s own targets at each of {}", in_words(&at_own)),
        _ => String::new(),
    };
    let scope = next_scope(report, card).map(|s| format!(" Scope: {s}.")).unwrap_or_default();
    let health = match report.health {
        HealthMode::History => "",
        HealthMode::Current => " Its health check rests on today's scores (no health history).",
    };
    if card.next_level_ready {
        format!(
            "Ready for {next} on performance: NDR, GRR and health met {next}'s targets at {}{own}.{health}{scope}",
            in_words(&at_next)
        )
    } else {
        format!(
            "Not yet ready for {next}: promotion asks for NDR, GRR and health at {next}'s targets at each of {}{own}.{health}{scope}",
            in_words(&at_next)
        )
    }
}

/// The book against the next level's scope: `16.7% of the book in IC2's tiers (MM 100k+), which
/// expect 50.0%`; none without a next level or without active ARR. Readiness is on performance
/// (SPEC §6); this says beside it whether the book looks like the next level's.
pub(crate) fn next_scope(report: &Report, card: &Scorecard) -> Option<String> {
    let next = next_level_of(report, card)?;
    let share = card.next_level_scope_share?;
    let tiers: Vec<&str> = next.primary_tiers.iter().map(|p| p.text.as_str()).collect();
    Some(format!(
        "{} of the book in {}'s tiers ({}), which expect {}",
        percent(Some(share)),
        next.name,
        tiers.join(", "),
        percent(Some(next.primary_min_share))
    ))
}

/// `110.6% vs 105.0% ✓` or `103.0% vs 105.0%: 2.0 pts short`.
fn against(value: Option<f64>, target: f64, status: Status, ratio: bool) -> String {
    let shown = |v: f64| if ratio { percent(Some(v)) } else { score(Some(v)) };
    match value {
        None => format!("– vs {}: no data", shown(target)),
        Some(v) if status == Status::Meets => format!("{} vs {} ✓", shown(v), shown(target)),
        Some(v) if ratio => format!("{} vs {}: {} pts short", shown(v), shown(target), points(target - v)),
        Some(v) => format!("{} vs {}: {} short", shown(v), shown(target), score(Some(target - v))),
    }
}

/// What the health trend rests on when there is no health history (SPEC §11).
pub(crate) const NO_HEALTH_HISTORY: &str = "health history not provided: earlier quarters use today's scores";

/// The note beside a health trend, when there is no health history.
pub(crate) fn health_history_note(report: &Report) -> Option<&'static str> {
    match report.health {
        HealthMode::History => None,
        HealthMode::Current => Some(NO_HEALTH_HISTORY),
    }
}

/// The columns of [`trend_rows`].
pub(crate) const TREND_COLUMNS: [&str; 5] = ["quarter end", "NDR", "GRR", "health", "overall"];

/// The trend, oldest first: quarter end, NDR, GRR and health with their statuses; with the
/// `average4` basis, NDR and GRR with their annual average, which the status rates.
pub(crate) fn trend_rows(card: &Scorecard, basis: Basis) -> Vec<[String; 5]> {
    let ratio = |t12m: Option<f64>, average: Option<f64>| match basis {
        Basis::T12m => percent(t12m),
        Basis::Average4 => format!("{} · avg {}", percent(t12m), percent(average)),
    };
    card.trend
        .iter()
        .rev()
        .map(|t| {
            let m = &t.metrics;
            [
                format!("{} ({})", t.quarter, t.as_of_month),
                with_status(ratio(m.ndr, t.ndr_avg4), t.ndr_status),
                with_status(ratio(m.grr, t.grr_avg4), t.grr_status),
                with_status(score(m.health_avg), t.health_status),
                t.overall_status.as_str().to_string(),
            ]
        })
        .collect()
}

/// The columns of [`readiness_rows`].
pub(crate) const READINESS_COLUMNS: [&str; 6] = ["quarter", "targets of", "NDR", "GRR", "health", "verdict"];

/// quarter, level checked against, NDR, GRR, health, verdict: one row per quarter the promotion
/// rule needs.
pub(crate) fn readiness_rows(card: &Scorecard) -> Vec<[String; 6]> {
    card.readiness
        .iter()
        .map(|c| {
            [
                c.quarter.clone(),
                if c.next_level { format!("{} (next)", c.level) } else { format!("{} (own)", c.level) },
                against(c.ndr, c.ndr_target, c.ndr_status, true),
                against(c.grr, c.grr_target, c.grr_status, true),
                against(c.health_avg, c.health_min, c.health_status, false),
                if c.met { "met".into() } else { "not met".into() },
            ]
        })
        .collect()
}

pub(crate) const MOVER_COLUMNS: [&str; 5] = ["account", "movement", "ARR at start", "ARR at end", "change"];

pub(crate) fn mover_rows(card: &Scorecard) -> Vec<[String; 5]> {
    card.movers
        .iter()
        .map(|m| {
            let change = if m.change > 0.0 {
                format!("+{}", amount(m.change, &card.currency))
            } else {
                amount(m.change, &card.currency)
            };
            [
                account_label(&m.account_id, m.account_name.as_deref()),
                m.movement.as_str().to_string(),
                amount(m.start_arr, &card.currency),
                amount(m.end_arr, &card.currency),
                change,
            ]
        })
        .collect()
}

pub(crate) const RISK_COLUMNS: [&str; 4] = ["account", "ARR", "health", "renewal"];

pub(crate) fn risk_rows(card: &Scorecard) -> Vec<[String; 4]> {
    card.at_risk
        .iter()
        .map(|r| {
            [
                account_label(&r.account_id, r.account_name.as_deref()),
                amount(r.arr, &card.currency),
                score(Some(r.health_score)),
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

/// The heading of the framework's general rules, wherever readiness is explained.
pub(crate) const RULES_HEADING: &str = "How to read the framework";

/// `3 accounts ($412,000) transferred in since 2026-04`, and the same for those handed away;
/// none without hand-overs.
pub(crate) fn transfers_summary(card: &Scorecard) -> Option<String> {
    let part = |total: &Option<TransferTotal>, way: &str| -> Option<String> {
        let TransferTotal { accounts: count, arr, since } = total.as_ref()?;
        let accounts = if *count == 1 { "account" } else { "accounts" };
        Some(format!("{count} {accounts} ({}) transferred {way} since {since}", amount(*arr, &card.currency)))
    };
    let parts: Vec<String> =
        [part(&card.handed_in, "in"), part(&card.handed_out, "out")].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Renewals of the next two quarters by health band: `below the minimum: 2 accounts, $120,000`
/// for each band with accounts, and the ARR at risk (below the minimum); none without renewals.
pub(crate) fn renewal_summary(totals: &RenewalTotals, currency: &str) -> Option<String> {
    if totals.by_band.is_empty() {
        return None;
    }
    let parts: Vec<String> = totals
        .by_band
        .iter()
        .map(|(band, count, arr)| {
            let accounts = if *count == 1 { "account" } else { "accounts" };
            format!("{count} {accounts} {} ({})", band.as_str(), amount(*arr, currency))
        })
        .collect();
    Some(format!("{}; ARR at risk {}", parts.join(" · "), amount(totals.at_risk_arr, currency)))
}

/// The columns of [`renewal_rows`].
pub(crate) const RENEWAL_COLUMNS: [&str; 5] = ["account", "renews", "ARR", "health", "band"];

/// Renewals, soonest first: account, date, ARR, health, band.
pub(crate) fn renewal_rows(renewals: &[&Renewal], currency: &str) -> Vec<[String; 5]> {
    renewals
        .iter()
        .map(|r| {
            [
                account_label(&r.account_id, r.account_name.as_deref()),
                r.renewal_date.clone(),
                amount(r.arr, currency),
                score(r.health_score),
                r.band.as_str().to_string(),
            ]
        })
        .collect()
}

/// The columns of [`transfer_rows`].
pub(crate) const TRANSFER_COLUMNS: [&str; 4] = ["account", "month", "hand-over", "ARR handed over"];

/// Accounts handed to the advisor, then those handed away: account, month, counterpart, ARR.
pub(crate) fn transfer_rows(card: &Scorecard) -> Vec<[String; 4]> {
    let row = |t: &crate::model::Transfer, counterpart: String| {
        [
            account_label(&t.account_id, t.account_name.as_deref()),
            t.month.clone(),
            counterpart,
            amount(t.arr_handed_over, &card.currency),
        ]
    };
    let handed_in = card.transfers_in.iter().map(|t| row(t, format!("in, from {}", t.from_advisor)));
    let handed_out = card.transfers_out.iter().map(|t| row(t, format!("out, to {}", t.to_advisor)));
    handed_in.chain(handed_out).collect()
}

/// The overall status, with why it is n/a when a book with a level has no NDR:
/// `n/a: not enough history for a 12-month window: …`.
pub(crate) fn overall(card: &Scorecard) -> String {
    match &card.overall_note {
        Some(why) => format!("{}: {why}", card.overall_status.as_str()),
        None => card.overall_status.as_str().to_string(),
    }
}

/// `110.6% meets`; the value alone when the status is n/a.
pub(crate) fn with_status(value: String, status: Status) -> String {
    match status {
        Status::NotApplicable => value,
        s => format!("{value} {}", s.as_str()),
    }
}
