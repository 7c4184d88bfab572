//! Distance to target: for each metric below the level's target, what it would take in dollars
//! (NDR, GRR) or in accounts (health) to reach it.

use crate::domain::targets::Level;
use crate::model::{AccountRow, Gap, GapMetric, Status, WindowMetrics};

/// `target × start − end`: the end ARR that NDR lacks.
pub(super) fn ndr_dollars(start: f64, end: f64, target: f64) -> f64 {
    (target * start - end).max(0.0)
}

/// `target × start − (start − contraction − churn)`: the losses GRR needed saved.
pub(super) fn grr_dollars(start: f64, contraction: f64, churn: f64, target: f64) -> f64 {
    (target * start - (start - contraction - churn)).max(0.0)
}

/// How many of the lowest scores must be raised to `minimum` for the mean to reach it; None
/// when even raising all of them would not (it always does, since the minimum is the target).
pub(super) fn accounts_to_raise(scores: &[f64], minimum: f64) -> Option<u64> {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mut sum: f64 = sorted.iter().sum();
    if n == 0.0 || sum / n >= minimum - 1e-9 {
        return Some(0);
    }
    for (k, score) in sorted.iter().enumerate() {
        if *score < minimum {
            sum += minimum - score;
        }
        if sum / n >= minimum - 1e-9 {
            return Some(k as u64 + 1);
        }
    }
    None
}

/// The T12M value at `E` that lifts the annual average to `target` (SPEC §4): the average is
/// the mean of it and the three quarter ends before, so it must be `4 × target` less those three.
pub(super) fn t12m_for_average(target: f64, average: f64, t12m: f64) -> f64 {
    4.0 * target - (4.0 * average - t12m)
}

/// The gaps of the metrics whose status (`[ndr, grr, health]`) is near or below the level's
/// targets, for an advisor whose book is `book` with `m` at the evaluated quarter end. With the
/// `average4` basis, `averages` holds the annual averages of NDR and GRR that were rated, and a
/// gap says what T12M value at `E` would lift the average to the target, and what that takes.
pub(super) fn gaps(
    m: &WindowMetrics,
    averages: Option<(Option<f64>, Option<f64>)>,
    statuses: [Status; 3],
    level: &Level,
    book: &[&AccountRow],
) -> Vec<Gap> {
    let [ndr_status, grr_status, health_status] = statuses;
    let below = |s: Status| matches!(s, Status::Near | Status::Below);
    // The value rated, the target, and the T12M value at `E` that reaches it.
    let rated = |t12m: Option<f64>, average: Option<Option<f64>>, target: f64| match average {
        None => t12m.map(|v| (v, target, None)),
        Some(average) => {
            let (average, t12m) = (average?, t12m?);
            Some((average, target, Some(t12m_for_average(target, average, t12m))))
        }
    };
    let mut gaps = Vec::new();
    let ndr = rated(m.ndr, averages.map(|a| a.0), level.ndr.target);
    if let (true, Some((value, target, needed)), Some(start), Some(end)) =
        (below(ndr_status), ndr, m.start_arr, m.end_arr)
    {
        gaps.push(Gap {
            metric: GapMetric::Ndr,
            value,
            target,
            dollars: Some(ndr_dollars(start, end, needed.unwrap_or(target))),
            cohort_start_arr: Some(start),
            accounts: None,
            t12m_needed: needed,
        });
    }
    let grr = rated(m.grr, averages.map(|a| a.1), level.grr.target);
    if let (true, Some((value, target, needed)), Some(start), Some(contraction), Some(churn)) =
        (below(grr_status), grr, m.start_arr, m.contraction_arr, m.churned_arr)
    {
        gaps.push(Gap {
            metric: GapMetric::Grr,
            value,
            target,
            dollars: Some(grr_dollars(start, contraction, churn, needed.unwrap_or(target))),
            cohort_start_arr: Some(start),
            accounts: None,
            t12m_needed: needed,
        });
    }
    if let (true, Some(health)) = (below(health_status), m.health_avg) {
        let minimum = level.health.target;
        // The health scores of the book's active accounts.
        let scores: Vec<f64> = book.iter().filter(|a| a.end_arr > 0.0).filter_map(|a| a.health_score).collect();
        gaps.push(Gap {
            metric: GapMetric::Health,
            value: health,
            target: minimum,
            dollars: None,
            cohort_start_arr: None,
            accounts: accounts_to_raise(&scores, minimum),
            t12m_needed: None,
        });
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_t12m_value_that_lifts_the_average() {
        // T12M NDR 1.00 at E, 1.04, 1.08, 1.12 before: average 1.06. To average 1.10 the T12M
        // value at E must be 4 × 1.10 − (1.04 + 1.08 + 1.12) = 1.16.
        let needed = t12m_for_average(1.10, 1.06, 1.00);
        assert!((needed - 1.16).abs() < 1e-12, "{needed}");
    }

    #[test]
    fn ndr_gap_in_dollars() {
        // A $2.1M cohort at 103% needs 105%: 0.02 × 2.1M = $42,000 more end ARR.
        assert!((ndr_dollars(2_100_000.0, 2_163_000.0, 1.05) - 42_000.0).abs() < 1e-6);
        assert_eq!(ndr_dollars(100.0, 120.0, 1.05), 0.0);
    }

    #[test]
    fn grr_gap_is_the_loss_to_save() {
        // start 1,000, contraction 50, churn 150: GRR 80%; 85% needs 50 of those losses saved.
        assert!((grr_dollars(1_000.0, 50.0, 150.0, 0.85) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn health_accounts_to_raise_lowest_first() {
        // Mean 23 / 4 = 5.75; raising 3 to 7 gives 27 / 4 = 6.75; raising 5 too gives 7.25.
        assert_eq!(accounts_to_raise(&[9.0, 6.0, 3.0, 5.0], 7.0), Some(2));
        // Mean 6.0; raising 3 to 7 alone gives 28 / 4 = 7.0.
        assert_eq!(accounts_to_raise(&[9.0, 6.0, 3.0, 6.0], 7.0), Some(1));
        assert_eq!(accounts_to_raise(&[8.0, 7.0], 7.0), Some(0));
        assert_eq!(accounts_to_raise(&[1.0], 7.0), Some(1));
    }
}
