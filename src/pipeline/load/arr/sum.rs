//! Summing arr.csv per account and month (SPEC §3.2): the account and month packed into one
//! key, the rows sorted by it when they are not already, and each run summed with the exact bits
//! of Polars' group-by. Both readers end here, so they give the same table.

use polars::prelude::*;

use crate::domain::columns as c;

/// `ARR(a, m)`: the rows of each account and month (`key`, `month`, `arr`) summed, sorted by
/// account then month. Both keys are packed into one (`key << 32 | month`) and sorted, so an
/// account-month's rows are one run (exports are usually sorted already, and then this is only
/// checked), and later stages can read neighbouring months by a shift instead of a join.
pub(crate) fn sum_account_months(rows: LazyFrame) -> PolarsResult<DataFrame> {
    let mut rows = pack(rows)?;
    if !mark_sorted(&mut rows)? {
        rows.sort_in_place([PACKED], SortMultipleOptions::default())?;
    }
    sum_runs(rows)
}

/// Whether [`pack`]ed rows are sorted by `account_month`; when they are, the column says so.
pub(in crate::pipeline::load) fn mark_sorted(rows: &mut DataFrame) -> PolarsResult<bool> {
    let mut packed = rows.column(PACKED)?.as_materialized_series().clone();
    if !packed.is_sorted(SortOptions::default())? {
        return Ok(false);
    }
    packed.set_sorted_flag(polars::series::IsSorted::Ascending);
    rows.with_column(packed.into_column())?;
    Ok(true)
}

/// `key << 32 | month`: one `Int64` that sorts as account then month, and whose month part
/// adds like a month.
fn packed_key() -> Expr {
    col(c::KEY).cast(DataType::Int64) * lit(1i64 << 32) + col(c::MONTH).cast(DataType::Int64)
}

/// The packed account-month key's column.
pub(crate) const PACKED: &str = "account_month";

/// `key`, `month`, `arr` rows as `account_month` (`key << 32 | month`) and `arr`, in one chunk:
/// a run is summed over one slice, as the careful path and the fast path's batches both sum it.
pub(crate) fn pack(rows: LazyFrame) -> PolarsResult<DataFrame> {
    let mut rows = rows.select([packed_key().alias(PACKED), col(c::ARR)]).collect()?;
    rows.rechunk_mut_par();
    Ok(rows)
}

/// Runs longer than this are summed by a group-by; shorter ones (an account-month's few line
/// items) by a pass per row of the longest run, over whole columns.
const SHORT_RUN: usize = 8;

/// The runs of [`pack`]ed rows sorted by `account_month`, each summed, unpacked into `key`,
/// `month` and `arr`. A run is summed left to right, each pass adding one more row of every
/// run: the very sum Polars' group-by takes of a run shorter than 128 rows (a run's sum of
/// zeros is +0), so both ways give the same bits.
pub(in crate::pipeline::load) fn sum_runs(rows: DataFrame) -> PolarsResult<DataFrame> {
    let packed = || col(PACKED);
    let unpack = |arr: Expr| {
        [
            (packed() / lit(1i64 << 32)).cast(DataType::UInt32).alias(c::KEY),
            (packed() % lit(1i64 << 32)).cast(DataType::Int32).alias(c::MONTH),
            arr.alias(c::ARR),
        ]
    };
    // Whether each row continues the run of the row before; the longest run is one more than
    // the most such rows in a row.
    let continues = rows.clone().lazy().select([packed().eq_missing(packed().shift(lit(1))).alias(CONTINUES)]);
    let continues = continues.collect()?.column(CONTINUES)?.as_materialized_series().clone();
    let (mut longest, mut run) = (1, continues.bool()?.clone());
    while longest < SHORT_RUN && run.any() {
        run = &run & &continues.bool()?.shift(longest as i64);
        longest += 1;
    }
    if longest >= SHORT_RUN {
        return rows.lazy().group_by_stable([packed()]).agg([col(c::ARR).sum()]).select(unpack(col(c::ARR))).collect();
    }
    let mut rows = rows;
    rows.with_column(continues.into_column())?;
    let continued = || col(CONTINUES);
    let mut sum = col(c::ARR);
    for _ in 1..longest {
        sum = when(continued()).then(sum.shift(lit(1)) + col(c::ARR)).otherwise(col(c::ARR));
    }
    let sum = when(continued().and(sum.clone().eq(lit(0.0)))).then(lit(0.0)).otherwise(sum);
    let ends = packed().neq_missing(packed().shift(lit(-1)));
    rows.lazy().with_column(sum.alias(SUM)).filter(ends).select(unpack(col(SUM))).collect()
}

/// Whether a row continues its account-month's run, and a run's sum so far.
const CONTINUES: &str = "continues";
const SUM: &str = "sum";

#[cfg(test)]
mod tests {
    use proptest::prelude::{Just, Strategy};

    use super::*;

    #[test]
    fn sum_account_months_sums_sorts_and_unpacks_large_keys() {
        // Unsorted, with a duplicate account-month, and keys past 2^21 where a float division
        // of the packed key would round.
        let rows = df!(
            c::KEY => [4_000_000u32, 7, 4_000_000, 7, 4_000_000],
            c::MONTH => [24_300i32, 24_301, 24_299, 24_300, 24_300],
            c::ARR => [1.5, 2.0, 3.0, 4.0, 10.25],
        )
        .unwrap();
        let summed = sum_account_months(rows.lazy()).unwrap();
        let keys: Vec<u32> = summed.column(c::KEY).unwrap().u32().unwrap().into_no_null_iter().collect();
        let months: Vec<i32> = summed.column(c::MONTH).unwrap().i32().unwrap().into_no_null_iter().collect();
        let arr: Vec<f64> = summed.column(c::ARR).unwrap().f64().unwrap().into_no_null_iter().collect();
        assert_eq!(keys, [7, 7, 4_000_000, 4_000_000]);
        assert_eq!(months, [24_300, 24_301, 24_299, 24_300]);
        assert_eq!(arr, [4.0, 2.0, 3.0, 11.75]);
    }

    proptest::proptest! {
        /// Summing runs by passes gives Polars' group-by sum to the bit, with any amounts
        /// (zeros of either sign among them) and runs short and long.
        #[test]
        fn runs_sum_to_the_bits_of_a_group_by(
            runs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        Just(0.0f64),
                        Just(-0.0f64),
                        0.0f64..1e9,
                        (0u32..10_000).prop_map(|c| f64::from(c) / 100.0),
                    ],
                    1..12,
                ),
                1..40,
            ),
            long in proptest::bool::ANY,
        ) {
            // Short runs only, or one run long enough to take the group-by.
            let runs: Vec<Vec<f64>> = runs
                .into_iter()
                .map(|run| if long { run } else { run.into_iter().take(SHORT_RUN - 1).collect() })
                .collect();
            let packed: Vec<i64> = runs
                .iter()
                .enumerate()
                .flat_map(|(i, run)| std::iter::repeat_n(i as i64 * 7 + (1 << 32), run.len()))
                .collect();
            let arr: Vec<f64> = runs.iter().flatten().copied().collect();
            let mut packed = Series::new(PACKED.into(), packed);
            packed.set_sorted_flag(polars::series::IsSorted::Ascending);
            let arr = Series::new(c::ARR.into(), arr).into_column();
            let rows = DataFrame::new_infer_height(vec![packed.into_column(), arr]).unwrap();
            // As sum_account_months grouped before: by the sorted key's runs.
            let want = rows.clone().lazy().group_by_stable([col(PACKED)]).agg([col(c::ARR).sum()]);
            let want = want.collect().unwrap();
            let got = sum_runs(rows).unwrap();
            let bits = |frame: &DataFrame| -> Vec<u64> {
                frame.column(c::ARR).unwrap().f64().unwrap().into_no_null_iter().map(f64::to_bits).collect()
            };
            proptest::prop_assert_eq!(bits(&got), bits(&want));
            let months: Vec<i32> = got.column(c::MONTH).unwrap().i32().unwrap().into_no_null_iter().collect();
            proptest::prop_assert_eq!(months, (0..runs.len() as i32).map(|i| i * 7).collect::<Vec<_>>());
        }

        /// Runs of any length, sorted or not, sum as a plain map from account-month does.
        #[test]
        fn sum_account_months_matches_a_map(
            rows in proptest::collection::vec((0u32..6, 0i32..4, 0u32..1_000), 0..200),
            sorted in proptest::bool::ANY,
        ) {
            let mut rows = rows;
            if sorted {
                rows.sort_by_key(|(key, month, _)| (*key, *month));
            }
            let mut expected = std::collections::BTreeMap::new();
            for (key, month, cents) in &rows {
                *expected.entry((*key, *month)).or_insert(0u64) += u64::from(*cents);
            }
            let frame = df!(
                c::KEY => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
                c::MONTH => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
                c::ARR => rows.iter().map(|r| f64::from(r.2) / 4.0).collect::<Vec<_>>(),
            )
            .unwrap();
            let summed = sum_account_months(frame.lazy()).unwrap();
            let keys = summed.column(c::KEY).unwrap().u32().unwrap().clone();
            let months = summed.column(c::MONTH).unwrap().i32().unwrap().clone();
            let arr = summed.column(c::ARR).unwrap().f64().unwrap().clone();
            let got: Vec<((u32, i32), f64)> =
                (0..summed.height()).map(|i| ((keys.get(i).unwrap(), months.get(i).unwrap()), arr.get(i).unwrap())).collect();
            let want: Vec<((u32, i32), f64)> = expected.into_iter().map(|(k, quarters)| (k, quarters as f64 / 4.0)).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
