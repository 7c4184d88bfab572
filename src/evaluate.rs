//! The evaluate stage (SPEC §6): statuses against the advisor's level, overall status, scope
//! share and status, and readiness for the next level. Assembles the scorecards.

use std::collections::{BTreeSet, HashMap};

use crate::book::UNASSIGNED;
use crate::load::RosterEntry;
use crate::metrics::{empty_book, TierTotal, WindowMetrics};
use crate::model::{ReadinessCheck, Scorecard, Status, TierShare, TrendPoint};
use crate::period::Period;
use crate::segments::{Segment, TierPattern};
use crate::targets::{Goal, Level, Targets};
use crate::warnings::{closest, Warning};

/// A value within this distance of a bound counts as reaching it (SPEC §6).
const EPSILON: f64 = 1e-9;

/// meets at or above the target, near within the tolerance below it, below under that.
pub fn status(value: Option<f64>, goal: Goal) -> Status {
    match value {
        None => Status::NotApplicable,
        Some(v) if v >= goal.target - EPSILON => Status::Meets,
        Some(v) if v >= goal.target - goal.tolerance - EPSILON => Status::Near,
        Some(_) => Status::Below,
    }
}

/// The worst status, ignoring n/a; n/a when all are.
pub fn overall(statuses: &[Status]) -> Status {
    statuses.iter().copied().filter(|s| *s != Status::NotApplicable).min().unwrap_or(Status::NotApplicable)
}

/// Share of active ARR in tiers matching the level's primary patterns; none without active ARR.
pub fn primary_share(tiers: &[TierShare], arr_active: f64) -> Option<f64> {
    (arr_active > 0.0).then(|| tiers.iter().filter(|t| t.primary).map(|t| t.arr).sum::<f64>() / arr_active)
}

pub fn scope_status(share: Option<f64>, level: &Level) -> Status {
    match share {
        None => Status::NotApplicable,
        Some(s) if s >= level.primary_min_share - EPSILON => Status::Meets,
        Some(_) => Status::Below,
    }
}

/// The next level's targets at each of the last `quarters` quarter ends.
pub fn readiness(trend: &[TrendPoint], next: &Level, quarters: usize) -> Vec<ReadinessCheck> {
    trend
        .iter()
        .take(quarters)
        .map(|p| {
            let m = &p.metrics;
            let met = status(m.ndr, next.ndr) == Status::Meets
                && status(m.grr, next.grr) == Status::Meets
                && status(m.health_avg, Goal { target: next.health.target, tolerance: 0.0 }) == Status::Meets;
            ReadinessCheck {
                quarter: p.quarter.clone(),
                ndr: m.ndr,
                ndr_target: next.ndr.target,
                grr: m.grr,
                grr_target: next.grr.target,
                health_avg: m.health_avg,
                health_min: next.health.target,
                met,
            }
        })
        .collect()
}

/// Ready when every required quarter end was evaluated (enough history) and met.
pub fn is_ready(checks: &[ReadinessCheck], quarters: usize) -> bool {
    checks.len() == quarters && checks.iter().all(|c| c.met)
}

fn tier_shares(totals: &[TierTotal], level: Option<&Level>, bands: &crate::segments::BandLabels) -> Vec<TierShare> {
    let arr_active: f64 = totals.iter().map(|t| t.arr).sum();
    let matches = |patterns: &[TierPattern], t: &TierTotal| {
        let segment = Segment::normalise(&t.segment);
        let band = bands.parse(&t.band);
        matches!((segment, band), (Some(s), Some(b)) if patterns.iter().any(|p| p.matches(s, b)))
    };
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

/// One scorecard per advisor on the roster or owning accounts, sorted by name (byte order).
pub fn evaluate(
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
        .map(|(m, p)| {
            let [ndr_status, grr_status, health_status] = statuses(m);
            TrendPoint {
                quarter: p.quarter.to_string(),
                as_of_month: p.end.to_string(),
                metrics: m.clone(),
                ndr_status,
                grr_status,
                health_status,
            }
        })
        .collect();
    let now = metrics.into_iter().next().unwrap_or_default();
    let [ndr_status, grr_status, health_status] = statuses(&now);
    let share = level.and_then(|_| primary_share(&tiers, now.arr_active.unwrap_or(0.0)));
    let next = level.and_then(|l| targets.next_level(&l.name));
    let quarters = targets.promotion_quarters as usize;
    let readiness = next.map(|n| readiness(&trend, n, quarters)).unwrap_or_default();
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
        overall_status: overall(&[ndr_status, grr_status, health_status]),
        primary_scope_share: share,
        scope_status: level.map_or(Status::NotApplicable, |l| scope_status(share, l)),
        next_level: next.map(|n| n.name.clone()),
        next_level_ready: next.is_some() && is_ready(&readiness, quarters),
        ndr_tolerance: level.map(|l| l.ndr.tolerance),
        grr_tolerance: level.map(|l| l.grr.tolerance),
        metrics: now,
        trend: trend.into_iter().take(4).collect(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const NDR_IC3: Goal = Goal { target: 1.10, tolerance: 0.05 };

    #[test]
    fn status_exactly_at_the_target_meets() {
        assert_eq!(status(Some(1.10), NDR_IC3), Status::Meets);
        // 1.1 computed the long way is 1.1000000000000003 or 1.0999999999999999: still meets.
        assert_eq!(status(Some(0.1 * 11.0), NDR_IC3), Status::Meets);
        assert_eq!(status(Some(1.10 - 5e-10), NDR_IC3), Status::Meets);
        assert_eq!(status(Some(1.0999), NDR_IC3), Status::Near);
    }

    #[test]
    fn status_exactly_at_target_minus_tolerance_is_near() {
        assert_eq!(status(Some(1.05), NDR_IC3), Status::Near);
        assert_eq!(status(Some(1.10 - 0.05), NDR_IC3), Status::Near);
        assert_eq!(status(Some(1.0499), NDR_IC3), Status::Below);
        assert_eq!(status(None, NDR_IC3), Status::NotApplicable);
    }

    #[test]
    fn health_has_no_tolerance() {
        let health = Goal { target: 7.0, tolerance: 0.0 };
        assert_eq!(status(Some(7.0), health), Status::Meets);
        assert_eq!(status(Some(6.99), health), Status::Below);
    }

    #[test]
    fn no_tolerance_means_no_near_band() {
        let ic4 = Goal { target: 1.10, tolerance: 0.0 };
        assert_eq!(status(Some(1.09), ic4), Status::Below);
    }

    #[test]
    fn overall_is_the_worst_ignoring_na() {
        use Status::*;
        assert_eq!(overall(&[Meets, Near, NotApplicable]), Near);
        assert_eq!(overall(&[Meets, Below, Near]), Below);
        assert_eq!(overall(&[NotApplicable, Meets, NotApplicable]), Meets);
        assert_eq!(overall(&[NotApplicable; 3]), NotApplicable);
    }

    fn check(met: bool) -> ReadinessCheck {
        ReadinessCheck {
            quarter: "2026-Q3".into(),
            ndr: None,
            ndr_target: 1.1,
            grr: None,
            grr_target: 0.95,
            health_avg: None,
            health_min: 7.0,
            met,
        }
    }

    #[test]
    fn ready_needs_every_required_quarter() {
        assert!(is_ready(&[check(true), check(true)], 2));
        assert!(!is_ready(&[check(true), check(false)], 2));
        assert!(!is_ready(&[check(true)], 2));
    }
}
