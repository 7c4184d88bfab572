//! Exchange rates (SPEC §10): rates.csv's rates, the reporting currency and each account's
//! currency, and the expressions that put a window in constant currency at its end
//! month's rates. The load stage resolves [`Currencies`]; the classify stage turns it into one
//! rate column per month the windows read ([`rate_columns`]); the compute stage reads amounts
//! through the run's [`CurrencyMode`].

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::domain::calendar::Month;
use crate::domain::columns::{arr_at, rate_at, CURRENCY_INDEX};
use crate::domain::modes::CurrencyMode;

/// rates.csv (SPEC §10): each pair's rates by the month they are in force from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rates {
    /// The file (or sheet) they came from; `None` without rates.csv.
    pub(crate) file: Option<String>,
    /// `(from, to)` → month → units of `to` for one unit of `from`.
    pub(crate) pairs: BTreeMap<(String, String), BTreeMap<Month, f64>>,
}

impl Rates {
    /// `rate(from, month)` into `to`: the latest row of the pair with a month at or before
    /// `month`. Only direct pairs: no inversion, no triangulation.
    pub(crate) fn at(&self, from: &str, to: &str, month: Month) -> Option<f64> {
        let by_month = self.pairs.get(&(from.to_string(), to.to_string()))?;
        by_month.range(..=month).next_back().map(|(_, rate)| *rate)
    }

    /// The `to` currencies of the file.
    pub(crate) fn targets(&self) -> BTreeSet<&str> {
        self.pairs.keys().map(|(_, to)| to.as_str()).collect()
    }
}

/// The currencies arr.csv names.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Named {
    /// No amount names a currency.
    #[default]
    Nothing,
    /// Every account is in this one.
    One(String),
    /// Several: `codes` (sorted) and each account's, as an index into `codes`, by key; accounts
    /// without a row have none.
    PerAccount { codes: Vec<String>, keys: Vec<u32>, currencies: Vec<u32> },
}

/// The reporting currency and what must be converted into it.
#[derive(Clone, Debug)]
pub(crate) struct Currencies {
    /// The reporting currency's ISO code.
    pub(crate) reporting: String,
    /// Each account's currency when some account is in another currency than the reporting
    /// one; `None` when every amount is already in it (nothing is converted).
    pub(crate) accounts: Option<AccountCurrencies>,
    pub(crate) rates: Rates,
    /// arr.csv's name, for messages about rates it needs.
    pub(crate) arr_file: String,
}

impl Currencies {
    /// The currency of the account with `key`: its own, or the reporting one when nothing is
    /// converted.
    pub(crate) fn code_of(&self, key: u32) -> &str {
        match &self.accounts {
            Some(accounts) => &accounts.codes[accounts.by_key.get(key as usize).unwrap_or(0) as usize],
            None => &self.reporting,
        }
    }
}

/// Each account's currency, by account key.
#[derive(Clone, Debug)]
pub(crate) struct AccountCurrencies {
    /// The currencies, sorted; one of them is the reporting currency.
    pub(crate) codes: Vec<String>,
    /// Per account key, an index into `codes` (the reporting currency for accounts without ARR).
    pub(crate) by_key: UInt32Chunked,
}

/// One rate column per month (see [`rate_at`]): each account's rate, as an expression over
/// [`CURRENCY_INDEX`] (a handful of currencies, so a short `when` chain); null where rates.csv
/// has none.
pub(crate) fn rate_columns(accounts: &AccountCurrencies, currencies: &Currencies, months: &[Month]) -> Vec<Expr> {
    months
        .iter()
        .map(|month| {
            let rate =
                accounts.codes.iter().enumerate().fold(lit(NULL).cast(DataType::Float64), |otherwise, (i, code)| {
                    let rate = if *code == currencies.reporting {
                        Some(1.0)
                    } else {
                        currencies.rates.at(code, &currencies.reporting, *month)
                    };
                    let rate = rate.map_or(lit(NULL).cast(DataType::Float64), lit);
                    when(col(CURRENCY_INDEX).eq(lit(i as u32))).then(rate).otherwise(otherwise)
                });
            rate.alias(rate_at(*month))
        })
        .collect()
}

/// How the classify stage's per-account ARR columns become amounts in the reporting currency:
/// each window in constant currency at its end month's rates (SPEC §10). In a single currency
/// the columns are read as they are, so such a run is exactly what it was before conversion.
impl CurrencyMode {
    /// `ARR(a, month)` at the rates in force at `rates_of`.
    pub(crate) fn arr(self, month: Month, rates_of: Month) -> Expr {
        let arr = col(arr_at(month));
        match self {
            CurrencyMode::Converted => arr * col(rate_at(rates_of)),
            CurrencyMode::Single => arr,
        }
    }

    /// An account's exchange-rate impact over a window: its ARR at the start, in its own
    /// currency, times the change of rate from the start to the end; 0 in a single currency.
    pub(crate) fn fx_impact(self, start: Month, end: Month) -> Expr {
        match self {
            CurrencyMode::Converted => col(arr_at(start)) * (col(rate_at(end)) - col(rate_at(start))),
            CurrencyMode::Single => lit(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::testing::{account, in_currencies, inputs, metrics, try_metrics};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// SPEC §10's example: an account flat in euros while the euro rises is flat, not expansion,
    /// and the rise is the exchange-rate impact.
    #[test]
    fn flat_in_euros_while_the_euro_rises_is_flat_with_an_fx_impact() {
        let book =
            inputs(&[account("eu", "Ada", Some(8.0))], &[("eu", "2025-09", 1_000.0), ("eu", "2026-09", 1_000.0)]);
        let rates = [("2025-09", "EUR", "USD", 1.10), ("2026-09", "EUR", "USD", 1.20)];
        let book = in_currencies(book, &[("eu", "EUR")], &rates, None).unwrap();
        assert_eq!(book.currencies.reporting, "USD"); // rates.csv's only `to`
        let m = &metrics(&book, "2026-Q3")["Ada"][0];
        assert!(close(m.start_arr, 1_200.0) && close(m.end_arr, 1_200.0) && close(m.arr_active, 1_200.0));
        assert_eq!((m.expansion_arr, m.contraction_arr, m.churned_arr), (Some(0.0), Some(0.0), Some(0.0)));
        assert!(close(m.ndr, 1.0) && close(m.grr, 1.0));
        assert!(close(m.fx_impact_arr, 1_000.0 * (1.20 - 1.10)));
    }

    /// A USD and a EUR account in one book; the rate for 2026-09 is the one of 2026-06 (the
    /// latest at or before it), and the window's start uses 2025-09's.
    #[test]
    fn a_mixed_book_in_constant_currency_with_the_latest_rate_in_force() {
        let book = inputs(
            &[account("us", "Ada", Some(6.0)), account("eu", "Ada", Some(9.0))],
            &[
                ("us", "2025-09", 500.0),
                ("us", "2026-09", 400.0),
                ("eu", "2025-09", 1_000.0),
                ("eu", "2026-09", 1_100.0),
            ],
        );
        let rates = [("2025-09", "EUR", "USD", 1.10), ("2026-06", "EUR", "USD", 1.20), ("2026-12", "EUR", "USD", 1.50)];
        let book = in_currencies(book, &[("us", "USD"), ("eu", "EUR")], &rates, Some("USD")).unwrap();
        let m = &metrics(&book, "2026-Q3")["Ada"][0];
        // At 2026-09's rate (1.20): start 500 + 1,200, end 400 + 1,320.
        assert!(close(m.start_arr, 1_700.0) && close(m.end_arr, 1_720.0));
        assert!(close(m.expansion_arr, 120.0) && close(m.contraction_arr, 100.0));
        assert!(close(m.ndr, 1_720.0 / 1_700.0) && close(m.grr, 1_600.0 / 1_700.0));
        assert!(close(m.fx_impact_arr, 1_000.0 * (1.20 - 1.10)));
        let bridge =
            m.start_arr.unwrap() + m.expansion_arr.unwrap() - m.contraction_arr.unwrap() - m.churned_arr.unwrap();
        assert!(close(m.end_arr, bridge));
        // Health weights use the same rates: (6 × 400 + 9 × 1,320) / 1,720.
        assert!(close(m.health_arr_weighted, (6.0 * 400.0 + 9.0 * 1_320.0) / 1_720.0));
    }

    #[test]
    fn the_reporting_currency_is_chosen_in_the_spec_order() {
        let arr = [("a", "2025-09", 100.0), ("a", "2026-09", 100.0), ("b", "2026-09", 50.0)];
        let two = || inputs(&[account("a", "Ada", None), account("b", "Ada", None)], &arr);
        let rates = [("2025-01", "EUR", "GBP", 0.85), ("2025-01", "USD", "GBP", 0.75)];
        // Nothing named: USD. One currency named: that one, nothing converted.
        assert_eq!(in_currencies(two(), &[], &[], None).unwrap().currencies.reporting, "USD");
        let eur = in_currencies(two(), &[("a", "EUR"), ("b", "EUR")], &[], None).unwrap();
        assert_eq!((eur.currencies.reporting.as_str(), eur.currencies.accounts.is_none()), ("EUR", true));
        assert!(close(metrics(&eur, "2026-Q3")["Ada"][0].arr_active, 150.0));
        // rates.csv's only `to` beats arr.csv's currencies; --currency beats both.
        let both = [("a", "EUR"), ("b", "USD")];
        assert_eq!(in_currencies(two(), &both, &rates, None).unwrap().currencies.reporting, "GBP");
        let chosen = in_currencies(two(), &both, &rates, Some("EUR")).unwrap();
        assert_eq!(chosen.currencies.reporting, "EUR");
        // Several candidates without --currency: a problem that asks for it.
        let text = in_currencies(two(), &both, &[], None).err().unwrap().to_string();
        assert!(text.contains("amounts are in EUR and USD: pass --currency CODE"), "{text}");
        let two_targets = [("2025-01", "EUR", "GBP", 0.85), ("2025-01", "EUR", "USD", 1.1)];
        let text = in_currencies(two(), &both, &two_targets, None).err().unwrap().to_string();
        assert!(text.contains("rates.csv: to: rates convert into several currencies (GBP and USD)"), "{text}");
    }

    #[test]
    fn a_missing_rate_names_the_currency_and_the_months() {
        let book = inputs(&[account("eu", "Ada", None)], &[("eu", "2025-09", 1_000.0), ("eu", "2026-09", 1_000.0)]);
        let rates = [("2026-01", "EUR", "USD", 1.10)];
        let book = in_currencies(book, &[("eu", "EUR")], &rates, None).unwrap();
        let text = try_metrics(&book, "2026-Q3").unwrap_err().to_string();
        assert!(
            text.contains(
                "rates.csv: from: no rate from EUR to USD in force at 2025-09 (its first rate is for 2026-01)"
            ),
            "{text}"
        );
        let without = inputs(&[account("eu", "Ada", None)], &[("eu", "2026-09", 1_000.0)]);
        let without = in_currencies(without, &[("eu", "EUR")], &[], Some("USD")).unwrap();
        let text = try_metrics(&without, "2026-Q3").unwrap_err().to_string();
        assert!(text.contains("arr.csv: currency: amounts in EUR need rates.csv"), "{text}");
        assert!(text.contains("no rate for 2026-09 (EUR)"), "{text}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// With every rate 1, every metric of every book at every point is the single-currency
        /// result (to the last bits a sum in another order can change), and the exchange-rate
        /// impact is 0.
        #[test]
        fn rates_of_one_change_nothing(values in prop::collection::vec((0u32..4, 0u32..2_000_000, 0u32..2_000_000, 0usize..3), 1..30)) {
            let accounts: Vec<_> = (0..values.len()).map(|i| account(&format!("a{i}"), &format!("adv{}", values[i].3), Some(7.0))).collect();
            let ids: Vec<String> = (0..values.len()).map(|i| format!("a{i}")).collect();
            let mut arr: Vec<(&str, &str, f64)> = Vec::new();
            for (id, (_, start, end, _)) in ids.iter().zip(&values) {
                arr.push((id, "2025-06", f64::from(*start) / 100.0));
                arr.push((id, "2025-09", f64::from(*start) / 100.0));
                arr.push((id, "2026-09", f64::from(*end) / 100.0));
            }
            let plain = metrics(&inputs(&accounts, &arr), "2026-Q3");
            let codes = ["USD", "EUR", "GBP", "JPY"];
            let named: Vec<(&str, &str)> = ids.iter().zip(&values).map(|(id, v)| (id.as_str(), codes[v.0 as usize])).collect();
            let rates: Vec<(&str, &str, &str, f64)> = codes[1..].iter().map(|c| ("2025-01", *c, "USD", 1.0)).collect();
            let converted = in_currencies(inputs(&accounts, &arr), &named, &rates, Some("USD")).unwrap();
            let converted = metrics(&converted, "2026-Q3");
            prop_assert_eq!(plain.len(), converted.len());
            let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                (a, b) => a == b,
            };
            for (advisor, trend) in &plain {
                for (before, after) in trend.iter().zip(&converted[advisor]) {
                    prop_assert_eq!(before.accounts_active, after.accounts_active);
                    prop_assert_eq!(before.cohort_accounts, after.cohort_accounts);
                    let pairs = [
                        (before.arr_active, after.arr_active),
                        (before.start_arr, after.start_arr),
                        (before.end_arr, after.end_arr),
                        (before.expansion_arr, after.expansion_arr),
                        (before.contraction_arr, after.contraction_arr),
                        (before.churned_arr, after.churned_arr),
                        (before.new_arr, after.new_arr),
                        (before.ndr, after.ndr),
                        (before.grr, after.grr),
                        (before.health_avg, after.health_avg),
                        (before.health_arr_weighted, after.health_arr_weighted),
                    ];
                    for (b, a) in pairs {
                        prop_assert!(same(b, a), "{advisor}: {b:?} vs {a:?}");
                    }
                    prop_assert_eq!(after.fx_impact_arr, before.fx_impact_arr.map(|_| 0.0));
                }
            }
        }
    }
}
