//! Ownership history's ledger (SPEC §9): who owned each account when, and the tenures a change
//! of owner cuts a window into. The ledger is small (a row per hand-over), so it is walked in
//! Rust; the ARR values of the tenures are read in the tenures stage
//! ([`crate::pipeline::tenures`]).

use std::collections::BTreeMap;

use crate::domain::calendar::Month;

/// The owner of accounts that no advisor owns: blank in accounts.csv or ownership.csv.
pub(crate) const UNASSIGNED: &str = "(unassigned)";

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
}
