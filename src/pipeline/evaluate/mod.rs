//! The evaluate stage (SPEC §6): statuses against the advisor's level, overall status, scope
//! share and status, readiness for the next level, the accounts that moved the numbers, the gaps
//! to target, and the warnings about books. Assembles the scorecards.

mod gaps;
mod highlights;
mod status;

use status::{is_ready, overall, primary_share, readiness, scope_status, status};

use std::collections::{BTreeSet, HashMap};

use crate::domain::calendar::Period;
use crate::domain::segments::{BandLabels, Segment, TierPattern};
use crate::domain::targets::{Level, Targets};
use crate::format::amount;
use crate::model::{
    AccountMove, AccountRow, Books, Change, Scorecard, Status, TeamSummary, TierShare, Transfer, TrendPoint,
    WindowMetrics, UNASSIGNED,
};
use crate::pipeline::compute::{empty_book, Computed, TierTotal};
use crate::pipeline::load::RosterEntry;
use crate::warnings::{closest, Warning};

/// Whether a tier (segment and band as written) matches one of `patterns`.
fn tier_matches(patterns: &[TierPattern], segment: &str, band: &str, bands: &BandLabels) -> bool {
    matches!((Segment::normalise(segment), bands.parse(band)), (Some(s), Some(b)) if patterns.iter().any(|p| p.matches(s, b)))
}

fn tier_shares(totals: &[TierTotal], level: Option<&Level>, bands: &BandLabels) -> Vec<TierShare> {
    let arr_active: f64 = totals.iter().map(|t| t.arr).sum();
    let matches = |patterns: &[TierPattern], t: &TierTotal| tier_matches(patterns, &t.segment, &t.band, bands);
    let mut shares: Vec<TierShare> = totals
        .iter()
        .map(|t| TierShare {
            tier: format!("{} {}", t.segment, t.band),
            segment: t.segment.clone(),
            band: t.band.clone(),
            accounts: t.accounts,
            arr: t.arr,
            share: if arr_active > 0.0 { t.arr / arr_active } else { 0.0 },
            primary: level.is_some_and(|l| matches(&l.primary_tiers, t)),
            secondary: level.is_some_and(|l| matches(&l.secondary_tiers, t)),
        })
        .collect();
    shares.sort_by(|a, b| b.arr.total_cmp(&a.arr).then_with(|| a.tier.cmp(&b.tier)));
    shares
}

/// Share of a book's active ARR in the tiers matching `patterns` (another level's, say); none
/// without active ARR.
fn share_in(tiers: &[TierShare], patterns: &[TierPattern], bands: &BandLabels) -> Option<f64> {
    let total: f64 = tiers.iter().map(|t| t.arr).sum();
    let matching: f64 =
        tiers.iter().filter(|t| tier_matches(patterns, &t.segment, &t.band, bands)).map(|t| t.arr).sum();
    (total > 0.0).then(|| matching / total)
}

/// The scorecards of every book, with the accounts that stand behind them, and the warnings
/// about books (off the roster, empty, unassigned).
pub(crate) fn evaluate(
    computed: Computed,
    accounts: Vec<AccountRow>,
    roster: &[RosterEntry],
    targets: &Targets,
    period: &Period,
    currency: &str,
    warnings: &mut Vec<Warning>,
) -> Books {
    let mut scorecards = scorecards(computed.books, &computed.tiers, roster, targets, period, warnings);
    for card in &mut scorecards {
        card.currency = currency.to_string();
    }
    crate::timing::done("evaluate");
    highlights::attach(&mut scorecards, &accounts, period.evaluated().end);
    gaps::attach(&mut scorecards, &accounts);
    crate::timing::done("highlights, gaps");
    if let Some(unassigned) = scorecards.iter().find(|s| s.advisor == UNASSIGNED) {
        let accounts = unassigned.metrics.accounts_active.unwrap_or(0);
        if accounts > 0 {
            let arr = unassigned.metrics.arr_active.unwrap_or(0.0);
            warnings.push(Warning::Unassigned { accounts, arr, currency: currency.to_string() });
        }
    }
    let team_summary = team_summary(&scorecards);
    Books { scorecards, rollups: computed.rollups, accounts, transfers: None, team_summary }
}

/// Counts per overall status, the promotion candidates and the advisors below at two
/// consecutive quarter ends, over the advisors with a level.
fn team_summary(scorecards: &[Scorecard]) -> TeamSummary {
    let mut summary = TeamSummary::default();
    for card in scorecards.iter().filter(|c| c.level.is_some()) {
        match card.overall_status {
            Status::Meets => summary.meets += 1,
            Status::Near => summary.near += 1,
            Status::Below => summary.below += 1,
            Status::NotApplicable => summary.not_applicable += 1,
        }
        if let (true, Some(level), Some(next)) = (card.next_level_ready, &card.level, &card.next_level) {
            summary.promotion_candidates.push(format!("{} ({level} → {next})", card.advisor));
        }
        let below = |k: usize| card.trend.get(k).is_some_and(|t| t.overall_status == Status::Below);
        if below(0) && below(1) {
            summary.below_twice.push(card.advisor.clone());
        }
    }
    summary
}

/// Ownership history on the scorecards (SPEC §9): each advisor's hand-overs in and out, and a
/// caveat when more than half of the cohort's start ARR came by hand-over or a tenure a
/// hand-over made is shorter than three months.
/// The accounts behind NDR are then each owner's tenures of the accounts handed over, not those
/// accounts' whole windows.
pub(crate) fn attach_transfers(
    books: &mut Books,
    transfers: Vec<Transfer>,
    short: &HashMap<String, usize>,
    tenure_moves: &[(String, AccountMove)],
) {
    let handed: BTreeSet<&str> = transfers.iter().map(|t| t.account_id.as_str()).collect();
    // Each list grouped by advisor once: a big team has thousands of advisors and hand-overs.
    let mut handed_in: HashMap<&str, Vec<Transfer>> = HashMap::new();
    let mut handed_out: HashMap<&str, Vec<Transfer>> = HashMap::new();
    for t in &transfers {
        handed_in.entry(t.to_advisor.as_str()).or_default().push(t.clone());
        handed_out.entry(t.from_advisor.as_str()).or_default().push(t.clone());
    }
    let mut moves: HashMap<&str, Vec<AccountMove>> = HashMap::new();
    for (owner, account) in tenure_moves {
        moves.entry(owner.as_str()).or_default().push(account.clone());
    }
    let mut by_owner: HashMap<&str, Vec<&AccountRow>> = HashMap::new();
    for account in &books.accounts {
        by_owner.entry(account.advisor.as_str()).or_default().push(account);
    }
    for card in &mut books.scorecards {
        let advisor = card.advisor.clone();
        card.transfers_in = handed_in.remove(advisor.as_str()).unwrap_or_default();
        card.transfers_out = handed_out.remove(advisor.as_str()).unwrap_or_default();
        let book = by_owner.remove(advisor.as_str()).unwrap_or_default();
        card.movers =
            highlights::movers_with_tenures(&book, &handed, moves.remove(advisor.as_str()).unwrap_or_default());
        let m = &card.metrics;
        if let (Some(start), Some(handed_in)) = (m.start_arr, m.transferred_in_arr) {
            if start > 0.0 && handed_in > start / 2.0 {
                card.caveats.push(format!(
                    "{} of the cohort's {} start ARR came by hand-over: this window is mostly other advisors' book",
                    amount(handed_in, &card.currency),
                    amount(start, &card.currency)
                ));
            }
        }
        if let Some(count) = short.get(&card.advisor) {
            let tenures = if *count == 1 { "tenure" } else { "tenures" };
            card.caveats.push(format!(
                "{count} {tenures} in the window last less than three months: too short to judge the accounts by"
            ));
        }
    }
    books.transfers = Some(transfers);
}

/// One scorecard per advisor on the roster or owning accounts, sorted by name (byte order).
fn scorecards(
    mut books: HashMap<String, Vec<WindowMetrics>>,
    tiers: &HashMap<String, Vec<TierTotal>>,
    roster: &[RosterEntry],
    targets: &Targets,
    period: &Period,
    warnings: &mut Vec<Warning>,
) -> Vec<Scorecard> {
    let on_roster: HashMap<&str, &RosterEntry> = roster.iter().map(|r| (r.advisor.as_str(), r)).collect();
    let names: BTreeSet<String> = books.keys().cloned().chain(roster.iter().map(|r| r.advisor.clone())).collect();
    names
        .into_iter()
        .map(|name| {
            let entry = on_roster.get(name.as_str()).copied();
            let metrics = books.remove(&name);
            match (entry, &metrics) {
                (None, Some(m)) if name != UNASSIGNED => warnings.push(Warning::OffRoster {
                    advisor: name.clone(),
                    accounts: m[0].accounts_active.unwrap_or(0),
                    suggestion: closest(&name, roster.iter().map(|r| r.advisor.as_str())),
                }),
                (Some(_), None) => warnings.push(Warning::EmptyBook { advisor: name.clone() }),
                _ => {}
            }
            let metrics = metrics.unwrap_or_else(|| empty_book(period));
            let level = entry.and_then(|e| targets.level(&e.level));
            let no_tiers = Vec::new();
            let shares = tier_shares(tiers.get(&name).unwrap_or(&no_tiers), level, &targets.bands);
            scorecard(name, entry, level, metrics, shares, targets, period)
        })
        .collect()
}

fn scorecard(
    advisor: String,
    entry: Option<&RosterEntry>,
    level: Option<&Level>,
    metrics: Vec<WindowMetrics>,
    tiers: Vec<TierShare>,
    targets: &Targets,
    period: &Period,
) -> Scorecard {
    let statuses = |m: &WindowMetrics| match level {
        Some(l) => [status(m.ndr, l.ndr), status(m.grr, l.grr), status(m.health_avg, l.health)],
        None => [Status::NotApplicable; 3],
    };
    let trend: Vec<TrendPoint> = metrics
        .iter()
        .zip(&period.points)
        .enumerate()
        .map(|(k, (m, p))| {
            let [ndr_status, grr_status, health_status] = statuses(m);
            TrendPoint {
                quarter: p.quarter.to_string(),
                as_of_month: p.end.to_string(),
                metrics: m.clone(),
                ndr_status,
                grr_status,
                health_status,
                overall_status: overall(ndr_status, grr_status, health_status),
                change: metrics.get(k + 1).map(|before| change(m, before)).unwrap_or_default(),
            }
        })
        .collect();
    let now = metrics.into_iter().next().unwrap_or_default();
    let [ndr_status, grr_status, health_status] = statuses(&now);
    let share = level.and_then(|_| primary_share(&tiers, now.arr_active.unwrap_or(0.0)));
    let next = level.and_then(|l| targets.next_level(&l.name));
    let (quarters, at_level) = (targets.promotion_quarters as usize, targets.promotion_quarters_at_level as usize);
    let readiness = match (level, next) {
        (Some(own), Some(next)) => readiness(&trend, own, next, quarters, at_level),
        _ => Vec::new(),
    };
    Scorecard {
        advisor,
        level: level.map(|l| l.name.clone()),
        manager: entry.and_then(|e| e.manager.clone()),
        quarter: period.evaluated().quarter.to_string(),
        as_of_month: period.evaluated().end.to_string(),
        window_months: period.window_months,
        ndr_target: level.map(|l| l.ndr.target),
        grr_target: level.map(|l| l.grr.target),
        health_min: level.map(|l| l.health.target),
        ndr_status,
        grr_status,
        health_status,
        overall_status: overall(ndr_status, grr_status, health_status),
        overall_note: level.and_then(|_| no_ndr_because(&now, period)),
        primary_scope_share: share,
        scope_status: level.map_or(Status::NotApplicable, |l| scope_status(share, l)),
        next_level: next.map(|n| n.name.clone()),
        next_level_ready: next.is_some() && is_ready(&readiness, quarters + at_level),
        next_level_scope_share: next.and_then(|n| share_in(&tiers, &n.primary_tiers, &targets.bands)),
        currency: String::new(), // set by `evaluate`, which knows it
        renewals: Vec::new(),
        transfers_in: Vec::new(),
        transfers_out: Vec::new(),
        ndr_tolerance: level.map(|l| l.ndr.tolerance),
        grr_tolerance: level.map(|l| l.grr.tolerance),
        metrics: now,
        trend: trend.into_iter().take(crate::domain::calendar::TREND_POINTS).collect(),
        tiers,
        readiness,
        movers: Vec::new(),
        at_risk: Vec::new(),
        health_histogram: Vec::new(),
        health_unknown: 0,
        caveats: Vec::new(),
        gaps: Vec::new(),
    }
}

/// Why a book has no NDR, in words, when it has none: the overall status is n/a for it.
fn no_ndr_because(metrics: &WindowMetrics, period: &Period) -> Option<String> {
    if metrics.ndr.is_some() {
        return None;
    }
    let point = period.evaluated();
    Some(if !point.start_known {
        format!("not enough history for a {}-month window (data from {})", period.window_months, period.first_month)
    } else {
        format!("no cohort: no account of the book had ARR at the window's start ({})", point.start)
    })
}

/// NDR, GRR and mean health at one quarter end minus those at the quarter end `before`.
fn change(now: &WindowMetrics, before: &WindowMetrics) -> Change {
    let minus = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
    Change {
        ndr: minus(now.ndr, before.ndr),
        grr: minus(now.grr, before.grr),
        health_avg: minus(now.health_avg, before.health_avg),
    }
}
