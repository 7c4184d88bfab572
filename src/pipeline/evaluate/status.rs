//! The rules of SPEC §6: a value against a target and tolerance, the overall status, the scope
//! status and readiness for the next level. Every "meets" the outputs show is decided here.

use crate::domain::targets::{Basis, Goal, Level};
use crate::format::{percent, score};
use crate::model::{ReadinessCheck, Status, TierShare, TrendPoint};

/// A value within this distance of a bound counts as reaching it (SPEC §6).
const EPSILON: f64 = 1e-9;

/// meets at or above the target, near within the tolerance below it, below under that.
pub(crate) fn status(value: Option<f64>, goal: Goal) -> Status {
    match value {
        None => Status::NotApplicable,
        Some(v) if v >= goal.target - EPSILON => Status::Meets,
        Some(v) if v >= goal.target - goal.tolerance - EPSILON => Status::Near,
        Some(_) => Status::Below,
    }
}

/// The worst of NDR, GRR and health, ignoring n/a; n/a whenever NDR is (no cohort, not enough
/// history): health alone never makes a book "meets" (SPEC §6).
pub(crate) fn overall(ndr: Status, grr: Status, health: Status) -> Status {
    if ndr == Status::NotApplicable {
        return Status::NotApplicable;
    }
    [ndr, grr, health].into_iter().filter(|s| *s != Status::NotApplicable).min().unwrap_or(Status::NotApplicable)
}

/// Share of active ARR in tiers matching the level's primary patterns; none without active ARR.
pub(crate) fn primary_share(tiers: &[TierShare], arr_active: f64) -> Option<f64> {
    (arr_active > 0.0).then(|| tiers.iter().filter(|t| t.primary).map(|t| t.arr).sum::<f64>() / arr_active)
}

pub(crate) fn scope_status(share: Option<f64>, level: &Level) -> Status {
    match share {
        None => Status::NotApplicable,
        Some(s) if reaches_share(s, level.primary_min_share) => Status::Meets,
        Some(_) => Status::Below,
    }
}

/// Whether a primary scope share reaches a level's minimum (the plan judges books by it too).
pub(crate) fn reaches_share(share: f64, minimum: f64) -> bool {
    share >= minimum - EPSILON
}

/// The promotion rule's quarter ends (SPEC §6), newest first: the next level's targets at each of
/// the last `quarters`, then the advisor's own level's at each of the `at_level` before them.
pub(crate) fn readiness(
    trend: &[TrendPoint],
    own: &Level,
    next: &Level,
    quarters: usize,
    at_level: usize,
    basis: Basis,
) -> Vec<ReadinessCheck> {
    trend
        .iter()
        .take(quarters + at_level)
        .enumerate()
        .map(|(i, p)| check(p, if i < quarters { next } else { own }, i < quarters, basis))
        .collect()
}

/// One quarter end against one level's targets, NDR and GRR rated on `basis`, with what fell
/// short in words.
fn check(p: &TrendPoint, level: &Level, next_level: bool, basis: Basis) -> ReadinessCheck {
    let m = &p.metrics;
    let (ndr, grr, ndr_name, grr_name) = match basis {
        Basis::T12m => (m.ndr, m.grr, "NDR", "GRR"),
        Basis::Average4 => (p.ndr_avg4, p.grr_avg4, "NDR average", "GRR average"),
    };
    let health = Goal { target: level.health.target, tolerance: 0.0 };
    let (ndr_status, grr_status, health_status) =
        (status(ndr, level.ndr), status(grr, level.grr), status(m.health_avg, health));
    let met = [ndr_status, grr_status, health_status].iter().all(|s| *s == Status::Meets);
    let mut fell_short = Vec::new();
    for (name, value, target, state, ratio) in [
        (ndr_name, ndr, level.ndr.target, ndr_status, true),
        (grr_name, grr, level.grr.target, grr_status, true),
        ("health", m.health_avg, level.health.target, health_status, false),
    ] {
        let shown = |v: f64| if ratio { percent(Some(v)) } else { score(Some(v)) };
        match value {
            None => fell_short.push(format!("no {name} at {} (no cohort or not enough history)", p.as_of_month)),
            Some(v) if state != Status::Meets => fell_short.push(format!("{name} {} < {}", shown(v), shown(target))),
            Some(_) => {}
        }
    }
    ReadinessCheck {
        quarter: p.quarter.clone(),
        level: level.name.clone(),
        next_level,
        ndr,
        ndr_target: level.ndr.target,
        grr,
        grr_target: level.grr.target,
        health_avg: m.health_avg,
        health_min: level.health.target,
        ndr_status,
        grr_status,
        health_status,
        met,
        fell_short,
    }
}

/// Ready when every required quarter end was evaluated (enough history) and met.
pub(crate) fn is_ready(checks: &[ReadinessCheck], required: usize) -> bool {
    checks.len() == required && checks.iter().all(|c| c.met)
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
        assert_eq!(overall(Meets, Near, NotApplicable), Near);
        assert_eq!(overall(Meets, Below, Near), Below);
        assert_eq!(overall(Meets, NotApplicable, NotApplicable), Meets);
        assert_eq!(overall(NotApplicable, NotApplicable, NotApplicable), NotApplicable);
    }

    #[test]
    fn health_alone_never_makes_a_book_meet() {
        use Status::*;
        assert_eq!(overall(NotApplicable, NotApplicable, Meets), NotApplicable);
        assert_eq!(overall(NotApplicable, Meets, Meets), NotApplicable);
        assert_eq!(overall(NotApplicable, Below, Below), NotApplicable);
    }

    fn check(met: bool) -> ReadinessCheck {
        ReadinessCheck {
            quarter: "2026-Q3".into(),
            level: "IC4".into(),
            next_level: true,
            ndr: None,
            ndr_target: 1.1,
            grr: None,
            grr_target: 0.95,
            health_avg: None,
            health_min: 7.0,
            ndr_status: Status::NotApplicable,
            grr_status: Status::NotApplicable,
            health_status: Status::NotApplicable,
            met,
            fell_short: Vec::new(),
        }
    }

    #[test]
    fn ready_needs_every_required_quarter() {
        assert!(is_ready(&[check(true), check(true)], 2));
        assert!(!is_ready(&[check(true), check(false)], 2));
        assert!(!is_ready(&[check(true)], 2));
    }
}
