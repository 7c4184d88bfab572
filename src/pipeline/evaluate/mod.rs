//! The evaluate stage (SPEC §6): statuses against the advisor's level, overall status, scope
//! share and status, readiness for the next level, the accounts that moved the numbers
//! ([`highlights`]), the hand-overs with ownership history ([`handovers`]), the gaps to target
//! ([`gaps`]), and the warnings about books. Each scorecard is made whole here, in one place.

mod backtest;
mod gaps;
mod handovers;
mod highlights;
pub(crate) mod status;

use handovers::{AdvisorHandovers, Handovers};
use status::{is_ready, overall, primary_share, readiness, scope_status, status};

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::domain::calendar::{Period, TREND_POINTS};
use crate::domain::modes::OwnershipMode;
use crate::domain::segments::{BandLabels, TierPattern};
use crate::domain::targets::{Basis, Level};
use crate::model::{
    AccountRow, AdvisorForecast, Ahead, Change, Evaluated, RenewalTotals, Scorecard, Status, TeamSummary, TierShare,
    TransferTotal, TrendPoint, WindowMetrics, UNASSIGNED,
};
use crate::pipeline::classify::Accounts;
use crate::pipeline::compute::{empty_book, Computed, TierTotal};
use crate::pipeline::context::Context;
use crate::pipeline::load::RosterEntry;
use crate::warnings::{closest, Warning};

/// A book's tiers, largest ARR first then by name: the order the pages list them in.
fn by_size<'a>(totals: &'a [TierTotal], bands: &BandLabels) -> Vec<(String, &'a TierTotal)> {
    let mut tiers: Vec<(String, &TierTotal)> =
        totals.iter().map(|t| (format!("{} {}", t.segment, bands.label(t.band)), t)).collect();
    tiers.sort_by(|(a_name, a), (b_name, b)| b.arr.total_cmp(&a.arr).then_with(|| a_name.cmp(b_name)));
    tiers
}

fn tier_shares(totals: &[TierTotal], level: Option<&Level>, bands: &BandLabels) -> Vec<TierShare> {
    let arr_active: f64 = totals.iter().map(|t| t.arr).sum();
    let matches = |patterns: &[TierPattern], t: &TierTotal| patterns.iter().any(|p| p.matches(t.segment, t.band));
    by_size(totals, bands)
        .into_iter()
        .map(|(tier, t)| TierShare {
            tier,
            segment: t.segment,
            band: bands.label(t.band).to_string(),
            band_kind: t.band,
            accounts: t.accounts,
            arr: t.arr,
            share: if arr_active > 0.0 { t.arr / arr_active } else { 0.0 },
            primary: level.is_some_and(|l| matches(&l.primary_tiers, t)),
            secondary: level.is_some_and(|l| matches(&l.secondary_tiers, t)),
        })
        .collect()
}

/// Share of a book's active ARR in the tiers matching `patterns` (another level's, say); none
/// without active ARR. Summed in the pages' order, largest tier first.
fn share_in(totals: &[TierTotal], patterns: &[TierPattern], bands: &BandLabels) -> Option<f64> {
    let tiers = by_size(totals, bands);
    let total: f64 = tiers.iter().map(|(_, t)| t.arr).sum();
    let matching: f64 =
        tiers.iter().filter(|(_, t)| patterns.iter().any(|p| p.matches(t.segment, t.band))).map(|(_, t)| t.arr).sum();
    (total > 0.0).then(|| matching / total)
}

/// The scorecards of every book, each whole, with the accounts that stand behind them, and the
/// warnings about books (off the roster, empty, unassigned).
pub(crate) fn evaluate(
    computed: Computed,
    accounts: Accounts,
    ahead: Ahead,
    roster: &[RosterEntry],
    run: &Context,
    warnings: &mut Vec<Warning>,
) -> Evaluated {
    let Accounts { rows, transfers, short_tenures, tenure_moves } = accounts;
    let Ahead { forecast, by_advisor: mut ahead, past } = ahead;
    let scorecards = {
        let mut books: HashMap<&str, Vec<&AccountRow>> = HashMap::new();
        for account in &rows {
            books.entry(account.advisor.as_str()).or_default().push(account);
        }
        let mut handovers = match run.modes.ownership {
            OwnershipMode::History => Some(Handovers::new(&transfers, &short_tenures, &tenure_moves)),
            OwnershipMode::Fixed => None,
        };
        let on_roster: HashMap<&str, &RosterEntry> = roster.iter().map(|r| (r.advisor.as_str(), r)).collect();
        let mut by_advisor = computed.by_advisor;
        let names: BTreeSet<String> =
            by_advisor.keys().cloned().chain(roster.iter().map(|r| r.advisor.clone())).collect();
        // Each advisor's parts are taken in name order (so are the warnings), then the
        // scorecards are made side by side.
        let parts: Vec<_> = names
            .into_iter()
            .map(|name| {
                let entry = on_roster.get(name.as_str()).copied();
                let metrics = by_advisor.remove(&name);
                warn_of_book(&name, entry, metrics.as_deref(), roster, warnings);
                let metrics = metrics.unwrap_or_else(|| empty_book(&run.period));
                let book = books.remove(name.as_str()).unwrap_or_default();
                let handed = handovers.as_mut().map(|h| h.take(&name));
                let tiers = computed.tiers.get(&name).map(Vec::as_slice).unwrap_or_default();
                let forecast = ahead.remove(&name).unwrap_or_default();
                (name, entry, metrics, book, handed, tiers, forecast)
            })
            .collect();
        let handed_over = handovers.as_ref().map(|h| &h.handed);
        parts
            .into_par_iter()
            .map(|(name, entry, metrics, book, handed, tiers, forecast)| {
                let handed = handed.zip(handed_over);
                scorecard(name, entry, Parts { metrics, tiers, book: &book, handed, forecast }, run)
            })
            .collect::<Vec<_>>()
    };
    crate::timing::done("evaluate");
    if let Some(unassigned) = scorecards.iter().find(|s| s.advisor == UNASSIGNED) {
        let accounts = unassigned.metrics.accounts_active.unwrap_or(0);
        if accounts > 0 {
            let arr = unassigned.metrics.arr_active.unwrap_or(0.0);
            warnings.push(Warning::Unassigned { accounts, arr, currency: run.currency.clone() });
        }
    }
    let team_summary = team_summary(&scorecards);
    let transfers = match run.modes.ownership {
        OwnershipMode::History => Some(transfers),
        OwnershipMode::Fixed => None,
    };
    let backtest = backtest::backtest(&past, &scorecards);
    Evaluated { scorecards, rollups: computed.rollups, accounts: rows, transfers, team_summary, forecast, backtest }
}

/// The warnings about one book: an owner off the roster, an advisor without accounts.
fn warn_of_book(
    name: &str,
    entry: Option<&RosterEntry>,
    metrics: Option<&[WindowMetrics]>,
    roster: &[RosterEntry],
    warnings: &mut Vec<Warning>,
) {
    match (entry, metrics) {
        (None, Some(m)) if name != UNASSIGNED => warnings.push(Warning::OffRoster {
            advisor: name.to_string(),
            accounts: m[0].accounts_active.unwrap_or(0),
            suggestion: closest(name, roster.iter().map(|r| r.advisor.as_str())),
        }),
        (Some(_), None) => warnings.push(Warning::EmptyBook { advisor: name.to_string() }),
        _ => {}
    }
}

/// Counts per overall status, the promotion candidates and the advisors below at two
/// consecutive quarter ends, over the advisors with a level.
fn team_summary(scorecards: &[Scorecard]) -> TeamSummary {
    let mut summary = TeamSummary {
        renewals: RenewalTotals::of(scorecards.iter().flat_map(|c| &c.renewals)),
        ..TeamSummary::default()
    };
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

/// The trend: statuses at every point of the period, and the change since the point before.
/// Each point's NDR and GRR are rated on the targets' basis (SPEC §4): the T12M value, or the
/// annual average of it and the three quarter ends before.
fn trend(metrics: &[WindowMetrics], level: Option<&Level>, period: &Period, basis: Basis) -> Vec<TrendPoint> {
    metrics
        .iter()
        .zip(&period.points)
        .enumerate()
        .map(|(k, (m, p))| {
            let (ndr_avg4, grr_avg4) = (average4(metrics, k, |m| m.ndr), average4(metrics, k, |m| m.grr));
            let rated = match basis {
                Basis::T12m => [m.ndr, m.grr, m.health_avg],
                Basis::Average4 => [ndr_avg4, grr_avg4, m.health_avg],
            };
            let [ndr_status, grr_status, health_status] = statuses(rated, level);
            TrendPoint {
                quarter: p.quarter.to_string(),
                as_of_month: p.end.to_string(),
                metrics: m.clone(),
                ndr_status,
                grr_status,
                health_status,
                overall_status: overall(ndr_status, grr_status, health_status),
                ndr_avg4,
                grr_avg4,
                change: metrics.get(k + 1).map(|before| change(m, before)).unwrap_or_default(),
            }
        })
        .collect()
}

/// The annual average at point `k` (SPEC §4): the mean of `value` at points `k` to `k + 3` (this
/// quarter end and the three before it); none unless the run computed all four and each is known.
fn average4(metrics: &[WindowMetrics], k: usize, value: fn(&WindowMetrics) -> Option<f64>) -> Option<f64> {
    let four = metrics.get(k..k + 4)?;
    four.iter().map(value).sum::<Option<f64>>().map(|sum| sum / 4.0)
}

/// NDR, GRR and health (the values rated, `[ndr, grr, health]`) against the level's targets;
/// n/a without a level.
fn statuses([ndr, grr, health]: [Option<f64>; 3], level: Option<&Level>) -> [Status; 3] {
    match level {
        Some(l) => [status(ndr, l.ndr), status(grr, l.grr), status(health, l.health)],
        None => [Status::NotApplicable; 3],
    }
}

/// What one advisor's scorecard is made of besides their roster entry: their metrics at every
/// point, their tiers, their book's account rows, their hand-overs with the accounts handed
/// over (with ownership history), and their quarter ahead.
struct Parts<'a> {
    metrics: Vec<WindowMetrics>,
    tiers: &'a [TierTotal],
    book: &'a [&'a AccountRow],
    handed: Option<(AdvisorHandovers, &'a BTreeSet<&'a str>)>,
    forecast: AdvisorForecast,
}

/// One advisor's whole scorecard: `metrics` at every point of the period, `tiers` at the
/// evaluated quarter end, `book` the account rows, and with ownership history the advisor's
/// hand-overs with the set of accounts handed over.
fn scorecard(advisor: String, entry: Option<&RosterEntry>, parts: Parts, run: &Context) -> Scorecard {
    let Parts { metrics, tiers, book, handed, forecast } = parts;
    let (targets, period) = (run.targets, &run.period);
    let level = entry.and_then(|e| targets.level(&e.level));
    let trend = trend(&metrics, level, period, targets.basis);
    let now = metrics.into_iter().next().unwrap_or_default();
    let (ndr_avg4, grr_avg4) = trend.first().map_or((None, None), |p| (p.ndr_avg4, p.grr_avg4));
    let [ndr_status, grr_status, health_status] =
        trend.first().map_or([Status::NotApplicable; 3], |p| [p.ndr_status, p.grr_status, p.health_status]);
    let shares = tier_shares(tiers, level, &targets.bands);
    let share = level.and_then(|_| primary_share(&shares, now.arr_active.unwrap_or(0.0)));
    let next = level.and_then(|l| targets.next_level(&l.name));
    let (quarters, at_level) = (targets.promotion_quarters as usize, targets.promotion_quarters_at_level as usize);
    let readiness = match (level, next) {
        (Some(own), Some(next)) => readiness(&trend, own, next, quarters, at_level, targets.basis),
        _ => Vec::new(),
    };
    let end = period.evaluated().end;
    let highlights = highlights::highlights(book, &now, level.map(|l| l.health.target), end);
    let averages = match targets.basis {
        Basis::T12m => None,
        Basis::Average4 => Some((ndr_avg4, grr_avg4)),
    };
    let statuses = [ndr_status, grr_status, health_status];
    let gaps = level.map(|l| gaps::gaps(&now, averages, statuses, l, book)).unwrap_or_default();
    let mut caveats = highlights.caveats;
    let (movers, transfers_in, transfers_out) = match handed {
        Some((advisor_handovers, handed)) => {
            caveats.extend(advisor_handovers.caveats(&now, &run.currency));
            let AdvisorHandovers { transfers_in, transfers_out, tenure_moves, .. } = advisor_handovers;
            (highlights::movers_with_tenures(book, handed, tenure_moves), transfers_in, transfers_out)
        }
        None => (highlights::movers(book), Vec::new(), Vec::new()),
    };
    Scorecard {
        advisor,
        level: level.map(|l| l.name.clone()),
        manager: entry.and_then(|e| e.manager.clone()),
        quarter: period.evaluated().quarter.to_string(),
        as_of_month: end.to_string(),
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
        next_level_scope_share: next.and_then(|n| share_in(tiers, &n.primary_tiers, &targets.bands)),
        currency: run.currency.clone(),
        renewal_totals: RenewalTotals::of(highlights.renewals.iter()),
        renewals: highlights.renewals,
        handed_in: TransferTotal::of(&transfers_in),
        handed_out: TransferTotal::of(&transfers_out),
        transfers_in,
        transfers_out,
        ndr_tolerance: level.map(|l| l.ndr.tolerance),
        grr_tolerance: level.map(|l| l.grr.tolerance),
        metrics: now,
        ndr_avg4,
        grr_avg4,
        trend: trend.into_iter().take(TREND_POINTS).collect(),
        tiers: shares,
        readiness,
        movers,
        at_risk: highlights.at_risk,
        health_histogram: highlights.health_histogram,
        health_unknown: highlights.health_unknown,
        caveats,
        gaps,
        forecast,
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
