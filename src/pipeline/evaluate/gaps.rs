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

/// The gaps of the metrics whose status (`[ndr, grr, health]`) is near or below the level's
/// targets, for an advisor whose book is `book` with `m` at the evaluated quarter end.
pub(super) fn gaps(m: &WindowMetrics, statuses: [Status; 3], level: &Level, book: &[&AccountRow]) -> Vec<Gap> {
    let [ndr_status, grr_status, health_status] = statuses;
    let below = |s: Status| matches!(s, Status::Near | Status::Below);
    let mut gaps = Vec::new();
    if let (true, Some(ndr), Some(start), Some(end)) = (below(ndr_status), m.ndr, m.start_arr, m.end_arr) {
        let target = level.ndr.target;
        gaps.push(Gap {
            metric: GapMetric::Ndr,
            value: ndr,
            target,
            dollars: Some(ndr_dollars(start, end, target)),
            cohort_start_arr: Some(start),
            accounts: None,
        });
    }
    if let (true, Some(grr), Some(start), Some(contraction), Some(churn)) =
        (below(grr_status), m.grr, m.start_arr, m.contraction_arr, m.churned_arr)
    {
        let target = level.grr.target;
        gaps.push(Gap {
            metric: GapMetric::Grr,
            value: grr,
            target,
            dollars: Some(grr_dollars(start, contraction, churn, target)),
            cohort_start_arr: Some(start),
            accounts: None,
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
        });
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

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
