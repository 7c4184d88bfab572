//! The definitions of SPEC §4's window metrics: which rows of a book count for what (cohort,
//! active, new, expansion, contraction, churn, health), each as a small Polars expression
//! summed per group ([`Rows::sums`]), and the rules about nulls that turn those sums into a
//! book's [`WindowMetrics`] ([`window_metrics`]). The unit tests here pin the definitions on
//! hand-computed books and the bridge identity.

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::calendar::Point;
use crate::domain::columns as c;
use crate::domain::modes::OwnershipMode;
use crate::model::WindowMetrics;

/// The names of the sums of [`Sums`] in the aggregated frame.
pub(super) mod sum {
    pub(in crate::pipeline::compute) const ACCOUNTS_ACTIVE: &str = "accounts_active";
    pub(in crate::pipeline::compute) const ARR_ACTIVE: &str = "arr_active";
    pub(in crate::pipeline::compute) const COHORT_ACCOUNTS: &str = "cohort_accounts";
    pub(in crate::pipeline::compute) const START_ARR: &str = "start_arr";
    pub(in crate::pipeline::compute) const END_ARR: &str = "end_arr";
    pub(in crate::pipeline::compute) const EXPANSION_ARR: &str = "expansion_arr";
    pub(in crate::pipeline::compute) const CONTRACTION_ARR: &str = "contraction_arr";
    pub(in crate::pipeline::compute) const CHURNED_ARR: &str = "churned_arr";
    pub(in crate::pipeline::compute) const NEW_ARR: &str = "new_arr";
    pub(in crate::pipeline::compute) const HEALTH_SUM: &str = "health_sum";
    pub(in crate::pipeline::compute) const HEALTH_COUNT: &str = "health_count";
    pub(in crate::pipeline::compute) const HEALTH_ARR_SUM: &str = "health_arr_sum";
    pub(in crate::pipeline::compute) const HEALTH_ARR_WEIGHT: &str = "health_arr_weight";
    pub(in crate::pipeline::compute) const FX_IMPACT_ARR: &str = "fx_impact_arr";
    pub(in crate::pipeline::compute) const TRANSFERRED_IN_ARR: &str = "transferred_in_arr";
    pub(in crate::pipeline::compute) const TRANSFERRED_OUT_ARR: &str = "transferred_out_arr";
    pub(in crate::pipeline::compute) const COHORT_RETAINED: &str = "cohort_retained";
    /// A tier's ARR and its number of accounts.
    pub(in crate::pipeline::compute) const TIER_ARR: &str = "arr";
    pub(in crate::pipeline::compute) const TIER_ACCOUNTS: &str = "accounts";
}

/// The sums one group-by produces for a book at a point, before the rules about nulls apply.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Sums {
    accounts_active: u64,
    arr_active: f64,
    cohort_accounts: u64,
    start_arr: f64,
    end_arr: f64,
    expansion_arr: f64,
    contraction_arr: f64,
    churned_arr: f64,
    new_arr: f64,
    /// Σ of known health scores of active accounts, and how many there are.
    health_sum: f64,
    health_count: u64,
    /// Σ of health × ARR and Σ of ARR over the same accounts.
    health_arr_sum: f64,
    health_arr_weight: f64,
    /// Σ over the cohort of each account's exchange-rate impact.
    fx_impact_arr: f64,
    /// Σ start values of cohort tenures begun by a hand-over, and Σ end values of those ended
    /// by one (SPEC §9).
    transferred_in_arr: f64,
    transferred_out_arr: f64,
    /// Cohort accounts (tenures) still above 0 at the end.
    cohort_retained: u64,
}

/// Applies SPEC §4's nulls to a book's sums: nothing is known before the data starts; window
/// metrics are null when the window starts before it; ratios are null without start ARR.
pub(super) fn window_metrics(s: &Sums, point: &Point) -> WindowMetrics {
    if !point.end_known {
        return WindowMetrics::default();
    }
    let window = |v| point.start_known.then_some(v);
    let ratio = |num: f64, den: f64| (den > 0.0).then(|| num / den);
    let start = window(s.start_arr);
    WindowMetrics {
        accounts_active: Some(s.accounts_active),
        arr_active: Some(s.arr_active),
        cohort_accounts: point.start_known.then_some(s.cohort_accounts),
        start_arr: start,
        end_arr: window(s.end_arr),
        expansion_arr: window(s.expansion_arr),
        contraction_arr: window(s.contraction_arr),
        churned_arr: window(s.churned_arr),
        new_arr: window(s.new_arr),
        ndr: start.and_then(|st| ratio(s.end_arr, st)),
        grr: start.and_then(|st| ratio(st - s.contraction_arr - s.churned_arr, st)),
        health_avg: ratio(s.health_sum, s.health_count as f64),
        health_arr_weighted: ratio(s.health_arr_sum, s.health_arr_weight),
        logo_retention: point.start_known.then(|| ratio(s.cohort_retained as f64, s.cohort_accounts as f64)).flatten(),
        cohort_retained: point.start_known.then_some(s.cohort_retained),
        transferred_in_arr: window(s.transferred_in_arr),
        transferred_out_arr: window(s.transferred_out_arr),
        fx_impact_arr: window(s.fx_impact_arr),
    }
}

// The metric expressions, over a frame with `start`, `end` (ARR of one account, or one tenure,
// at the two ends of the window, in the reporting currency at the end's rates), `fx_impact`,
// `health_score`, and with ownership history the flags saying which rows count for the window
// (a whole window or a tenure) and which for the book at the quarter end (SPEC §9).

/// Which rows count for what: every row for both without ownership history; with it, the
/// rows of whole windows and tenures for the window, and the accounts owned at the quarter end
/// for the book.
#[derive(Clone, Copy)]
pub(super) struct Rows {
    pub(super) ownership: OwnershipMode,
}

impl Rows {
    /// `condition` on the rows of the window's cohort and tenures.
    fn window(self, condition: Expr) -> Expr {
        match self.ownership {
            OwnershipMode::History => condition.and(col(c::IN_WINDOW)),
            OwnershipMode::Fixed => condition,
        }
    }

    /// `condition` on the rows of the book at the quarter end.
    fn book(self, condition: Expr) -> Expr {
        match self.ownership {
            OwnershipMode::History => condition.and(col(c::IN_BOOK)),
            OwnershipMode::Fixed => condition,
        }
    }

    fn in_cohort(self) -> Expr {
        self.window(col(c::START).gt(lit(0.0)))
    }

    /// Active in the book at the quarter end.
    fn active(self) -> Expr {
        self.book(ends_above_zero())
    }

    fn scored(self) -> Expr {
        self.active().and(col(c::HEALTH).is_not_null())
    }

    /// Every sum of [`Sums`], named after its field.
    pub(super) fn sums(self) -> Vec<Expr> {
        let cohort = || self.in_cohort();
        let (start, end) = (|| col(c::START), || col(c::END));
        vec![
            count_where(self.active()).alias(sum::ACCOUNTS_ACTIVE),
            match self.ownership {
                OwnershipMode::History => sum_where(col(c::IN_BOOK), end()),
                OwnershipMode::Fixed => end().sum(),
            }
            .alias(sum::ARR_ACTIVE),
            count_where(cohort()).alias(sum::COHORT_ACCOUNTS),
            sum_where(cohort(), start()).alias(sum::START_ARR),
            sum_where(cohort(), end()).alias(sum::END_ARR),
            sum_where(cohort().and(end().gt(start())), end() - start()).alias(sum::EXPANSION_ARR),
            sum_where(cohort().and(ends_above_zero()).and(end().lt(start())), start() - end())
                .alias(sum::CONTRACTION_ARR),
            sum_where(cohort().and(ends_above_zero().not()), start()).alias(sum::CHURNED_ARR),
            sum_where(self.window(start().gt(lit(0.0)).not().and(ends_above_zero())), end()).alias(sum::NEW_ARR),
            sum_where(self.scored(), col(c::HEALTH)).alias(sum::HEALTH_SUM),
            count_where(self.scored()).alias(sum::HEALTH_COUNT),
            sum_where(self.scored(), col(c::HEALTH) * end()).alias(sum::HEALTH_ARR_SUM),
            sum_where(self.scored(), end()).alias(sum::HEALTH_ARR_WEIGHT),
            sum_where(cohort(), col(c::FX_IMPACT)).alias(sum::FX_IMPACT_ARR),
            sum_where(cohort().and(col(c::HANDED_IN)), start()).alias(sum::TRANSFERRED_IN_ARR),
            sum_where(cohort().and(col(c::HANDED_OUT)), end()).alias(sum::TRANSFERRED_OUT_ARR),
            count_where(cohort().and(ends_above_zero())).alias(sum::COHORT_RETAINED),
        ]
    }
}

fn ends_above_zero() -> Expr {
    col(c::END).gt(lit(0.0))
}

fn sum_where(condition: Expr, value: Expr) -> Expr {
    when(condition).then(value).otherwise(lit(0.0)).sum()
}

fn count_where(condition: Expr) -> Expr {
    condition.cast(DataType::UInt64).sum()
}

/// The sums of the aggregated frame (one row per group and point), by group: one [`Sums`] per
/// point of the period, zero where a group has no row at a point.
pub(super) fn sums_by_group(sums: &DataFrame, point_count: usize) -> PolarsResult<HashMap<String, Vec<Sums>>> {
    let mut by_advisor: HashMap<String, Vec<Sums>> = HashMap::new();
    let advisors = sums.column(c::GROUP)?.str()?;
    let points = sums.column(c::POINT)?.u32()?;
    let f = |name: &str| -> PolarsResult<Float64Chunked> { Ok(sums.column(name)?.f64()?.clone()) };
    let n = |name: &str| -> PolarsResult<UInt64Chunked> { Ok(sums.column(name)?.u64()?.clone()) };
    let (active, arr_active, cohort) = (n(sum::ACCOUNTS_ACTIVE)?, f(sum::ARR_ACTIVE)?, n(sum::COHORT_ACCOUNTS)?);
    let (start, end, expansion) = (f(sum::START_ARR)?, f(sum::END_ARR)?, f(sum::EXPANSION_ARR)?);
    let (contraction, churned, new) = (f(sum::CONTRACTION_ARR)?, f(sum::CHURNED_ARR)?, f(sum::NEW_ARR)?);
    let (h_sum, h_count) = (f(sum::HEALTH_SUM)?, n(sum::HEALTH_COUNT)?);
    let (h_arr_sum, h_arr_weight) = (f(sum::HEALTH_ARR_SUM)?, f(sum::HEALTH_ARR_WEIGHT)?);
    let fx_impact = f(sum::FX_IMPACT_ARR)?;
    let (handed_in, handed_out) = (f(sum::TRANSFERRED_IN_ARR)?, f(sum::TRANSFERRED_OUT_ARR)?);
    let retained = n(sum::COHORT_RETAINED)?;
    for i in 0..sums.height() {
        let (Some(advisor), Some(point)) = (advisors.get(i), points.get(i)) else { continue };
        let entry = by_advisor.entry(advisor.to_string()).or_insert_with(|| vec![Sums::default(); point_count]);
        entry[point as usize] = Sums {
            accounts_active: active.get(i).unwrap_or(0),
            arr_active: arr_active.get(i).unwrap_or(0.0),
            cohort_accounts: cohort.get(i).unwrap_or(0),
            start_arr: start.get(i).unwrap_or(0.0),
            end_arr: end.get(i).unwrap_or(0.0),
            expansion_arr: expansion.get(i).unwrap_or(0.0),
            contraction_arr: contraction.get(i).unwrap_or(0.0),
            churned_arr: churned.get(i).unwrap_or(0.0),
            new_arr: new.get(i).unwrap_or(0.0),
            health_sum: h_sum.get(i).unwrap_or(0.0),
            health_count: h_count.get(i).unwrap_or(0),
            health_arr_sum: h_arr_sum.get(i).unwrap_or(0.0),
            health_arr_weight: h_arr_weight.get(i).unwrap_or(0.0),
            fx_impact_arr: fx_impact.get(i).unwrap_or(0.0),
            transferred_in_arr: handed_in.get(i).unwrap_or(0.0),
            transferred_out_arr: handed_out.get(i).unwrap_or(0.0),
            cohort_retained: retained.get(i).unwrap_or(0),
        };
    }
    Ok(by_advisor)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::testing::{account, inputs, metrics};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// One account of each movement over the window 2025-09 → 2026-09.
    #[test]
    fn hand_computed_book() {
        let accounts = [
            account("up", "Ada", Some(8.0)),
            account("down", "Ada", Some(6.0)),
            account("gone", "Ada", Some(3.0)),
            account("new", "Ada", None),
            account("flat", "Ada", Some(7.0)),
        ];
        let arr = [
            ("up", "2025-09", 100.0),
            ("up", "2026-09", 130.0),
            ("down", "2025-09", 200.0),
            ("down", "2026-09", 150.0),
            ("gone", "2025-09", 50.0),
            ("new", "2026-09", 80.0),
            ("flat", "2025-09", 70.0),
            ("flat", "2026-09", 70.0),
        ];
        let m = &metrics(&inputs(&accounts, &arr), "2026-Q3")["Ada"][0];
        assert_eq!(m.cohort_accounts, Some(4));
        assert_eq!(m.start_arr, Some(420.0));
        assert_eq!(m.end_arr, Some(350.0));
        assert_eq!(m.expansion_arr, Some(30.0));
        assert_eq!(m.contraction_arr, Some(50.0));
        assert_eq!(m.churned_arr, Some(50.0));
        assert_eq!(m.new_arr, Some(80.0));
        assert!(close(m.ndr, 350.0 / 420.0));
        assert!(close(m.grr, 320.0 / 420.0));
        assert_eq!(m.accounts_active, Some(4));
        assert_eq!(m.arr_active, Some(430.0));
        // Active with a score: up 8, down 6, flat 7 ("gone" is not active, "new" has none).
        assert!(close(m.health_avg, 7.0));
        assert!(close(m.health_arr_weighted, (8.0 * 130.0 + 6.0 * 150.0 + 7.0 * 70.0) / 350.0));
    }

    #[test]
    fn churn_and_return_inside_the_window_is_expansion_not_churn_or_new() {
        let arr = [("a", "2025-09", 100.0), ("a", "2026-01", 0.0), ("a", "2026-06", 120.0), ("a", "2026-09", 120.0)];
        let m = &metrics(&inputs(&[account("a", "Ada", None)], &arr), "2026-Q3")["Ada"][0];
        assert_eq!((m.expansion_arr, m.churned_arr, m.new_arr), (Some(20.0), Some(0.0), Some(0.0)));
        assert!(close(m.ndr, 1.2));
        assert!(close(m.grr, 1.0));
    }

    #[test]
    fn missing_month_inside_the_data_is_zero() {
        // No row for "a" in 2026-09 while the file goes on to 2026-10: ARR 0, so churn.
        let arr = [("a", "2025-09", 100.0), ("b", "2025-09", 10.0), ("b", "2026-10", 10.0)];
        let m = &metrics(&inputs(&[account("a", "Ada", None), account("b", "Bo", None)], &arr), "2026-Q3")["Ada"][0];
        assert_eq!(m.churned_arr, Some(100.0));
        assert!(close(m.ndr, 0.0));
    }

    #[test]
    fn a_book_with_no_cohort_has_null_ratios() {
        let arr = [("a", "2025-09", 0.0), ("a", "2026-09", 50.0), ("b", "2025-01", 5.0)];
        let m =
            &metrics(&inputs(&[account("a", "Ada", Some(9.0)), account("b", "Bo", None)], &arr), "2026-Q3")["Ada"][0];
        assert_eq!((m.cohort_accounts, m.start_arr, m.new_arr), (Some(0), Some(0.0), Some(50.0)));
        assert_eq!((m.ndr, m.grr), (None, None));
        assert_eq!(m.health_avg, Some(9.0));
    }

    #[test]
    fn insufficient_history_gives_nulls_not_zeros() {
        // The data starts in 2026-01, so the window start 2025-09 is unknown.
        let arr = [("a", "2026-01", 100.0), ("a", "2026-09", 120.0)];
        let m = &metrics(&inputs(&[account("a", "Ada", Some(8.0))], &arr), "2026-Q3")["Ada"][0];
        assert_eq!((m.cohort_accounts, m.start_arr, m.end_arr, m.new_arr), (None, None, None, None));
        assert_eq!((m.ndr, m.grr), (None, None));
        assert_eq!((m.accounts_active, m.arr_active, m.health_avg), (Some(1), Some(120.0), Some(8.0)));
    }

    #[test]
    fn trend_points_each_have_their_own_window() {
        let arr = [
            ("a", "2024-12", 90.0),
            ("a", "2025-06", 100.0),
            ("a", "2025-09", 110.0),
            ("a", "2025-12", 105.0),
            ("a", "2026-06", 121.0),
            ("a", "2026-09", 132.0),
        ];
        let trend = &metrics(&inputs(&[account("a", "Ada", None)], &arr), "2026-Q3")["Ada"];
        assert!(close(trend[0].ndr, 132.0 / 110.0)); // 2025-09 → 2026-09
        assert!(close(trend[1].ndr, 121.0 / 100.0)); // 2025-06 → 2026-06
        assert_eq!(trend[2].ndr, None); // 2025-03 → 2026-03: no ARR at either end, no cohort
        assert!(close(trend[3].ndr, 105.0 / 90.0)); // 2024-12 → 2025-12
    }

    #[derive(Debug, Clone)]
    struct RandomAccount {
        start: f64,
        end: f64,
        advisor: usize,
    }

    fn arr_value() -> impl Strategy<Value = f64> {
        prop_oneof![Just(0.0), 0.01..2_000_000.0f64, (0u32..200).prop_map(|n| n as f64 * 500.0)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// On random books: end = start + expansion − contraction − churn, GRR ≤ 1 and GRR ≤ NDR.
        #[test]
        fn bridge_identity_and_retention_bounds(books in prop::collection::vec(
            (arr_value(), arr_value(), 0usize..3).prop_map(|(start, end, advisor)| RandomAccount { start, end, advisor }),
            1..40,
        )) {
            let accounts: Vec<_> = books.iter().enumerate()
                .map(|(i, a)| account(&format!("a{i}"), &format!("adv{}", a.advisor), None)).collect();
            let ids: Vec<String> = (0..books.len()).map(|i| format!("a{i}")).collect();
            let mut arr: Vec<(&str, &str, f64)> = Vec::new();
            for (id, a) in ids.iter().zip(&books) {
                arr.push((id, "2025-09", a.start));
                arr.push((id, "2026-09", a.end));
            }
            for (advisor, trend) in metrics(&inputs(&accounts, &arr), "2026-Q3") {
                let m = &trend[0];
                let (start, end) = (m.start_arr.unwrap(), m.end_arr.unwrap());
                let bridge = start + m.expansion_arr.unwrap() - m.contraction_arr.unwrap() - m.churned_arr.unwrap();
                prop_assert!((end - bridge).abs() <= 1e-6 * start.max(1.0), "{advisor}: {end} vs {bridge}");
                if let (Some(ndr), Some(grr)) = (m.ndr, m.grr) {
                    prop_assert!(grr <= 1.0 + 1e-12, "{advisor}: grr {grr}");
                    prop_assert!(grr <= ndr + 1e-12, "{advisor}: grr {grr} > ndr {ndr}");
                    prop_assert!(grr >= 0.0);
                }
            }
        }
    }
}
