//! Ownership history (SPEC §9): who owned each account when, and the tenures it cuts a window
//! into. The ledger is small (a row per hand-over), so it is walked in Rust; the ARR values a
//! tenure needs are read from the ARR table by one join (see `metrics.rs`).

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::columns as c;
use crate::currency::{self, Currencies};
use crate::error::InvalidInput;
use crate::load::{self, PACKED};
use crate::model::UNASSIGNED;
use crate::period::Month;

/// ownership.csv, validated: each account's rows by month, owners resolved (blank = unassigned).
#[derive(Clone, Debug, Default)]
pub(crate) struct Ledger {
    /// Account key → its rows, sorted by month: the first month of each ownership and its owner.
    pub(crate) accounts: BTreeMap<u32, Vec<(Month, String)>>,
}

/// One account's stretch of a window with one owner: months `first ..= last`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tenure {
    pub(crate) key: u32,
    pub(crate) owner: String,
    pub(crate) first: Month,
    pub(crate) last: Month,
}

impl Tenure {
    /// The month the tenure's start value is read from: `S` for the window's first tenure, else
    /// the month before the hand-over (the ARR handed over).
    pub(crate) fn start_month(&self, window_start: Month) -> Month {
        if self.first == window_start {
            window_start
        } else {
            self.first.minus(1)
        }
    }
}

/// An owner value as the ledger writes it: blank is unassigned.
pub(crate) fn owner_name(advisor: Option<&str>) -> String {
    advisor.filter(|a| !a.is_empty()).unwrap_or(UNASSIGNED).to_string()
}

impl Ledger {
    /// `owner(a, m)` for an account with rows: the owner of its latest row with a month at or
    /// before `m`, or its first row's before it. `None` for an account without rows (its
    /// accounts.csv advisor owns it in every month).
    pub(crate) fn owner(&self, key: u32, month: Month) -> Option<&str> {
        let rows = self.accounts.get(&key)?;
        let at = rows.iter().rev().find(|(from, _)| *from <= month).or(rows.first())?;
        Some(at.1.as_str())
    }

    /// The first month of the current run of `owner(a, month)` for an account with rows: when
    /// its owner has owned it since (the month of the row that began the run), or `None` when
    /// that owner has held it since before the ledger begins (or it has no rows).
    pub(crate) fn owner_since(&self, key: u32, month: Month) -> Option<Month> {
        let rows = self.accounts.get(&key)?;
        let owner = self.owner(key, month)?;
        let mut since = None;
        for (from, who) in rows.iter().rev().filter(|(from, _)| *from <= month) {
            if who != owner {
                break;
            }
            since = Some(*from);
        }
        since.filter(|first| Some(*first) != rows.first().map(|r| r.0))
    }

    /// Every account whose owner at `month` is set by the ledger, with that owner.
    pub(crate) fn owners_at(&self, month: Month) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.accounts.keys().filter_map(move |key| Some((*key, self.owner(*key, month)?)))
    }

    /// The tenures of the accounts whose owner changes inside `(start, end]`, in key then month
    /// order; every other account is one tenure over the whole window, owned by its owner at
    /// `end`.
    pub(crate) fn tenures(&self, start: Month, end: Month) -> Vec<Tenure> {
        let mut tenures = Vec::new();
        for (key, rows) in &self.accounts {
            let Some(first_owner) = self.owner(*key, start) else { continue };
            let mut current = Tenure { key: *key, owner: first_owner.to_string(), first: start, last: end };
            let mut cut = Vec::new();
            for (from, owner) in rows.iter().filter(|(from, _)| *from > start && *from <= end) {
                if *owner != current.owner {
                    let next = Tenure { key: *key, owner: owner.clone(), first: *from, last: end };
                    current.last = from.minus(1);
                    cut.push(std::mem::replace(&mut current, next));
                }
            }
            if !cut.is_empty() {
                tenures.extend(cut);
                tenures.push(current);
            }
        }
        tenures
    }
}

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
    /// One row per tenure of the accounts handed over inside the window: its owner
    /// ([`c::OWNER`]), its start and end values in the reporting currency at the end's rates
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
/// read from the ARR table by one join on the tenures' (account, month) pairs, for every window
/// at once.
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
        return Err(InvalidInput::new(currency::missing_rate_problems(currencies, &missing)).into());
    }
    let rows = df!(
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

/// `ARR(a, m)` for each `(a, m)` pair, 0 where the ARR table has no row: one join on the packed
/// key ([`load::pack`], as the table is summed by).
fn arr_at_pairs(arr: &DataFrame, pairs: &[(u32, Month)]) -> PolarsResult<Vec<f64>> {
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
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn ledger(rows: &[(u32, &str, &str)]) -> Ledger {
        let mut ledger = Ledger::default();
        for (key, from, owner) in rows {
            ledger.accounts.entry(*key).or_default().push((m(from), owner_name(Some(owner))));
        }
        for rows in ledger.accounts.values_mut() {
            rows.sort();
        }
        ledger
    }

    #[test]
    fn owner_is_the_latest_row_or_the_first_before_any() {
        let l = ledger(&[(0, "2026-01", "Ada"), (0, "2026-06", "Bo")]);
        assert_eq!(l.owner(0, m("2025-09")), Some("Ada"));
        assert_eq!(l.owner(0, m("2026-05")), Some("Ada"));
        assert_eq!(l.owner(0, m("2026-06")), Some("Bo"));
        assert_eq!(l.owner(1, m("2026-06")), None);
    }

    #[test]
    fn tenures_cut_the_window_at_each_change_of_owner() {
        // Handed over in the window's second month; away and back; in its last month; to nobody;
        // to the same owner again (no cut); an account with one row (no change at all).
        let l = ledger(&[
            (0, "2025-01", "Ada"),
            (0, "2025-10", "Bo"),
            (1, "2025-01", "Ada"),
            (1, "2026-02", "Bo"),
            (1, "2026-05", "Ada"),
            (2, "2025-01", "Ada"),
            (2, "2026-09", "Bo"),
            (3, "2025-01", "Ada"),
            (3, "2026-03", ""),
            (4, "2026-03", "Ada"),
            (4, "2025-01", "Ada"),
            (5, "2026-01", "Bo"),
        ]);
        let (s, e) = (m("2025-09"), m("2026-09"));
        let got: Vec<(u32, String, String, String)> =
            l.tenures(s, e).into_iter().map(|t| (t.key, t.owner, t.first.to_string(), t.last.to_string())).collect();
        let want = [
            (0, "Ada", "2025-09", "2025-09"),
            (0, "Bo", "2025-10", "2026-09"),
            (1, "Ada", "2025-09", "2026-01"),
            (1, "Bo", "2026-02", "2026-04"),
            (1, "Ada", "2026-05", "2026-09"),
            (2, "Ada", "2025-09", "2026-08"),
            (2, "Bo", "2026-09", "2026-09"),
            (3, "Ada", "2025-09", "2026-02"),
            (3, UNASSIGNED, "2026-03", "2026-09"),
        ];
        let want: Vec<(u32, String, String, String)> =
            want.iter().map(|(k, o, f, l)| (*k, o.to_string(), f.to_string(), l.to_string())).collect();
        assert_eq!(got, want);
        let tenures = l.tenures(s, e);
        assert_eq!((tenures[0].start_month(s), tenures[1].start_month(s)), (s, s));
        assert_eq!(tenures[3].start_month(s), m("2026-01")); // the ARR handed over
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
