//! The tenures stage (SPEC §9): each window's tenures of the accounts handed over inside it,
//! with their start and end values found in the ARR table ([`arr_at_pairs`]), converted at the
//! window's end rates, and the hand-overs and short tenures they show.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;
use rayon::prelude::*;

use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::fx::Currencies;
use crate::domain::ledger::{Ledger, Tenure};
use crate::error::InvalidInput;
use crate::pipeline::load::{self, PACKED};
use crate::pipeline::missing_rates;

/// One hand-over inside a window: the account, the new owner's first month, both owners, and
/// the ARR handed over (`ARR(a, month − 1)` in the reporting currency at the window's end rates).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Handover {
    pub(crate) key: u32,
    pub(crate) month: Month,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) arr: f64,
}

/// A window's tenures, as the metrics and the pages read them.
pub(crate) struct WindowTenures {
    /// One row per tenure of the accounts handed over inside the window: its account
    /// ([`c::KEY`]) and owner ([`c::OWNER`]), its start and end values in the reporting currency at the end's rates
    /// ([`c::START`], [`c::END`]), its exchange-rate impact, and whether a hand-over began or
    /// ended it ([`c::HANDED_IN`], [`c::HANDED_OUT`]).
    pub(crate) rows: DataFrame,
    /// Those accounts' keys: their whole-window rows count only for the book at the end.
    pub(crate) handed: Vec<u32>,
    /// Every hand-over inside the window, in account then month order.
    pub(crate) handovers: Vec<Handover>,
    /// Tenures shorter than three months that a hand-over began or ended: (owner, months).
    pub(crate) short: Vec<(String, i32)>,
    /// Every tenure with its owner, start and end values: (key, owner, start, end).
    pub(crate) values: Vec<(u32, String, f64, f64)>,
}

/// The tenures of each window `[start, end]` of `windows` (SPEC §9). The values they need are
/// found in the ARR table for the tenures' (account, month) pairs ([`arr_at_pairs`]), for
/// every window at once.
pub(crate) fn tenure_rows(
    ledger: &Ledger,
    arr: &DataFrame,
    currencies: &Currencies,
    windows: &[(Month, Month)],
) -> anyhow::Result<Vec<WindowTenures>> {
    let tenures: Vec<Vec<Tenure>> = windows.iter().map(|(start, end)| ledger.tenures(*start, *end)).collect();
    let pairs: Vec<(u32, Month)> = tenures
        .iter()
        .zip(windows)
        .flat_map(|(tenures, (start, _))| {
            tenures.iter().flat_map(|t| [(t.key, t.start_month(*start)), (t.key, t.last)])
        })
        .collect();
    let values = arr_at_pairs(arr, &pairs)?;
    let mut read = 0;
    let mut out = Vec::with_capacity(windows.len());
    for (tenures, (start, end)) in tenures.into_iter().zip(windows) {
        let used = 2 * tenures.len();
        out.push(window_tenures(tenures, &values[read..read + used], currencies, *start, *end)?);
        read += used;
    }
    Ok(out)
}

/// One window's tenures with their ARR values (start and end of each, in order), converted.
fn window_tenures(
    tenures: Vec<Tenure>,
    values: &[f64],
    currencies: &Currencies,
    start: Month,
    end: Month,
) -> anyhow::Result<WindowTenures> {
    let mut missing: BTreeMap<String, BTreeSet<Month>> = BTreeMap::new();
    let mut rate = |key: u32, month: Month, used: bool| -> f64 {
        let code = currencies.code_of(key);
        if code == currencies.reporting {
            return 1.0;
        }
        match currencies.rates.at(code, &currencies.reporting, month) {
            Some(rate) => rate,
            None => {
                if used {
                    missing.entry(code.to_string()).or_default().insert(month);
                }
                f64::NAN
            }
        }
    };
    let (mut starts, mut ends, mut fx) = (Vec::new(), Vec::new(), Vec::new());
    for (i, t) in tenures.iter().enumerate() {
        let (from, to) = (values[2 * i], values[2 * i + 1]);
        let at_end = rate(t.key, end, from > 0.0 || to > 0.0);
        let at_start = rate(t.key, t.start_month(start), from > 0.0);
        starts.push(from * at_end);
        ends.push(to * at_end);
        fx.push(if from > 0.0 { from * (at_end - at_start) } else { 0.0 });
    }
    if !missing.is_empty() {
        return Err(InvalidInput::new(missing_rates::problems(currencies, &missing)).into());
    }
    let rows = df!(
        c::KEY => tenures.iter().map(|t| t.key).collect::<Vec<_>>(),
        c::OWNER => tenures.iter().map(|t| t.owner.clone()).collect::<Vec<_>>(),
        c::START => starts.clone(),
        c::END => ends.clone(),
        c::FX_IMPACT => fx,
        c::HANDED_IN => tenures.iter().map(|t| t.first > start).collect::<Vec<_>>(),
        c::HANDED_OUT => tenures.iter().map(|t| t.last < end).collect::<Vec<_>>(),
    )?;
    let mut handed: Vec<u32> = tenures.iter().map(|t| t.key).collect();
    handed.dedup();
    let handovers = tenures
        .windows(2)
        .zip(starts.iter().skip(1))
        .filter(|(pair, _)| pair[0].key == pair[1].key)
        .map(|(pair, arr)| Handover {
            key: pair[1].key,
            month: pair[1].first,
            from: pair[0].owner.clone(),
            to: pair[1].owner.clone(),
            arr: *arr,
        })
        .collect();
    let short =
        tenures.iter().map(|t| (t.owner.clone(), t.last.0 - t.first.0 + 1)).filter(|(_, months)| *months < 3).collect();
    let values =
        tenures.iter().zip(starts.iter().zip(&ends)).map(|(t, (s, e))| (t.key, t.owner.clone(), *s, *e)).collect();
    Ok(WindowTenures { rows, handed, handovers, short, values })
}

/// `ARR(a, m)` for each `(a, m)` pair, 0 where the ARR table has no row. The ARR table is
/// sorted by account ([`crate::pipeline::load::Inputs::arr`]), or for the forecast's history is
/// a few such runs one after the other (the window's rows, then the next quarter end's), so each
/// pair's account is found in each run by a binary search and its month among that account's
/// few rows: a walk over the pairs, not over the table (at 1M accounts, 2M pairs in 0.1 s
/// against 1.3 s for a join). A table in any other order is joined ([`arr_at_pairs_joined`]).
fn arr_at_pairs(arr: &DataFrame, pairs: &[(u32, Month)]) -> PolarsResult<Vec<f64>> {
    /// More runs than this and a join is quicker than a search in each.
    const RUNS: usize = 4;
    const ROW: &str = "row";
    let nulls = arr.columns().iter().any(|column| column.null_count() > 0);
    // Where a run sorted by account ends: a key below the one before.
    let key = || col(c::KEY);
    let falls = arr.select([c::KEY])?.lazy().with_row_index(ROW, None).filter(key().lt(key().shift(lit(1))));
    let falls = falls.select([col(ROW)]).collect()?;
    if nulls || falls.height() >= RUNS {
        return arr_at_pairs_joined(arr, pairs);
    }
    let mut ends: Vec<usize> = falls.column(ROW)?.idx()?.into_no_null_iter().map(|row| row as usize).collect();
    ends.push(arr.height());
    let keys = arr.column(c::KEY)?.u32()?.rechunk();
    let months = arr.column(c::MONTH)?.i32()?.rechunk();
    let amounts = arr.column(c::ARR)?.f64()?.rechunk();
    let (keys, months, amounts) = (keys.cont_slice()?, months.cont_slice()?, amounts.cont_slice()?);
    let runs: Vec<std::ops::Range<usize>> =
        ends.iter().scan(0, |start, end| Some(std::mem::replace(start, *end)..*end)).collect();
    Ok(pairs
        .par_iter()
        .map(|(key, month)| {
            let in_run = |run: &std::ops::Range<usize>| {
                let keys = &keys[run.clone()];
                let first = keys.partition_point(|k| k < key);
                let rows = keys[first..].partition_point(|k| k == key);
                (run.start + first..run.start + first + rows).find(|row| months[*row] == month.0)
            };
            runs.iter().find_map(in_run).map_or(0.0, |row| amounts[row])
        })
        .collect())
}

/// [`arr_at_pairs`] by one join on the packed key, for a table in any order.
fn arr_at_pairs_joined(arr: &DataFrame, pairs: &[(u32, Month)]) -> PolarsResult<Vec<f64>> {
    const POSITION: &str = "position";
    let pack = |key: u32, month: Month| (i64::from(key) << 32) + i64::from(month.0);
    let wanted = df!(
        PACKED => pairs.iter().map(|(key, month)| pack(*key, *month)).collect::<Vec<_>>(),
        POSITION => (0..pairs.len() as u32).collect::<Vec<_>>(),
    )?;
    let table = load::pack(arr.clone().lazy())?.lazy();
    let found = wanted
        .lazy()
        .join(table, [col(PACKED)], [col(PACKED)], JoinArgs::new(JoinType::Inner))
        .select([col(POSITION), col(c::ARR)])
        .collect()?;
    let mut values = vec![0.0; pairs.len()];
    let (positions, amounts) = (found.column(POSITION)?.u32()?, found.column(c::ARR)?.f64()?);
    for (position, amount) in positions.iter().zip(amounts.iter()) {
        if let (Some(position), Some(amount)) = (position, amount) {
            values[position as usize] = amount;
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use crate::domain::calendar::Month;
    use crate::domain::ledger::{owner_name, Ledger};

    proptest::proptest! {
        /// The search over a table sorted by account, or of a few such runs, finds what the join
        /// finds, 0 where the table has no row; a table in no order is joined.
        #[test]
        fn values_by_search_are_values_by_join(
            rows in proptest::collection::btree_map((0u32..40, 0i32..12), 0u32..500, 0..120),
            pairs in proptest::collection::vec((0u32..45, 0i32..14), 0..60),
        ) {
            use polars::prelude::*;
            use crate::domain::columns as c;
            let sorted = df!(
                c::KEY => rows.keys().map(|(key, _)| *key).collect::<Vec<_>>(),
                c::MONTH => rows.keys().map(|(_, month)| 24_000 + *month).collect::<Vec<_>>(),
                c::ARR => rows.values().map(|arr| f64::from(*arr) / 4.0).collect::<Vec<_>>(),
            )
            .unwrap();
            let pairs: Vec<(u32, Month)> = pairs.iter().map(|(key, month)| (*key, Month(24_000 + *month))).collect();
            let joined = super::arr_at_pairs_joined(&sorted, &pairs).unwrap();
            for (value, (key, month)) in joined.iter().zip(&pairs) {
                let row = rows.get(&(*key, month.0 - 24_000)).map_or(0.0, |arr| f64::from(*arr) / 4.0);
                proptest::prop_assert_eq!(*value, row);
            }
            proptest::prop_assert_eq!(&super::arr_at_pairs(&sorted, &pairs).unwrap(), &joined);
            // Two runs sorted by account, as the forecast's history with its next quarter end's
            // rows after the others; and a table in no order.
            let (early, late) = (col(c::MONTH).lt(lit(24_006)), col(c::MONTH).gt_eq(lit(24_006)));
            let parts = [sorted.clone().lazy().filter(early), sorted.clone().lazy().filter(late)];
            let runs = concat(parts, UnionArgs::default()).unwrap().collect().unwrap();
            proptest::prop_assert_eq!(&super::arr_at_pairs(&runs, &pairs).unwrap(), &joined);
            let reversed = sorted.reverse();
            proptest::prop_assert_eq!(&super::arr_at_pairs(&reversed, &pairs).unwrap(), &joined);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// For any ledger, the tenures of every owner add up to the whole company's change
        /// (Σ end − start over tenures = Σ ARR(E) − ARR(S) over accounts), and each owner's
        /// bridge holds.
        #[test]
        fn tenures_neither_lose_nor_invent_arr(
            accounts in proptest::collection::vec(
                (
                    proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(0u32), 1u32..500], 13),
                    proptest::collection::vec((0i32..21, 0usize..4), 0..4),
                    0usize..4,
                ),
                1..8,
            )
        ) {
            use crate::testing::{account, inputs, metrics};
            let owners = ["Ada", "Bo", "Cy", ""];
            let ids: Vec<String> = (0..accounts.len()).map(|i| format!("a{i}")).collect();
            let book: Vec<_> = accounts.iter().zip(&ids).map(|((_, _, owner), id)| account(id, owners[*owner], None)).collect();
            let months: Vec<String> = (0..13).map(|i| Month::parse("2025-09").unwrap().plus(i).to_string()).collect();
            let mut arr: Vec<(&str, &str, f64)> = Vec::new();
            for ((values, _, _), id) in accounts.iter().zip(&ids) {
                for (value, month) in values.iter().zip(&months) {
                    arr.push((id, month, f64::from(*value)));
                }
            }
            let mut data = inputs(&book, &arr);
            let mut ledger = Ledger::default();
            for (key, (_, rows, owner)) in accounts.iter().enumerate() {
                let mut rows: Vec<(Month, String)> = rows
                    .iter()
                    .map(|(offset, who)| (Month::parse("2025-01").unwrap().plus(*offset), owner_name(Some(owners[*who]))))
                    .collect();
                rows.sort();
                rows.dedup_by_key(|r| r.0);
                // The latest row is the account's current owner, as the reader insists.
                rows.push((Month::parse("2026-09").unwrap(), owner_name(Some(owners[*owner]))));
                rows.dedup_by_key(|r| r.0);
                if let Some(last) = rows.last_mut() {
                    last.1 = owner_name(Some(owners[*owner]));
                }
                ledger.accounts.insert(key as u32, rows);
            }
            data.ownership = Some(ledger);
            let by_owner = metrics(&data, "2026-Q3");
            let company: f64 = accounts.iter().map(|(values, _, _)| f64::from(values[12]) - f64::from(values[0])).sum();
            let mut tenures = 0.0;
            for (owner, trend) in &by_owner {
                let m = &trend[0];
                let (start, end) = (m.start_arr.unwrap(), m.end_arr.unwrap());
                let bridge = start + m.expansion_arr.unwrap() - m.contraction_arr.unwrap() - m.churned_arr.unwrap();
                proptest::prop_assert!((end - bridge).abs() < 1e-6, "{owner}: {end} vs {bridge}");
                // New ARR is a tenure that starts at 0: it belongs to the change too.
                tenures += end - start + m.new_arr.unwrap();
            }
            // Cohort tenures that start at 0 are not in start_arr, new ones are in new_arr.
            proptest::prop_assert!((tenures - company).abs() < 1e-6, "{tenures} vs {company}");
        }
    }
}
