//! The rates the windows need that rates.csv lacks (SPEC §10), found by the classify stage for
//! whole windows and by the tenures stage for tenures, and the problems that name them.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::domain::calendar::Month;
use crate::domain::columns::{self as c, arr_at, rate_at, CURRENCY_INDEX};
use crate::domain::fx::{AccountCurrencies, Currencies};
use crate::error::Problem;
use crate::format::month_ranges;

/// The rates a book needs and rates.csv lacks, by currency: `(currency, months)`. A rate is
/// needed at `E` of a window for an account with ARR at its start or end, and at the start
/// for an account with ARR there (its exchange-rate impact); `frame` has the ARR and rate
/// columns and [`CURRENCY_INDEX`]. The band's reference ARR needs the rate at `evaluated`.
pub(crate) fn missing_rates(
    frame: &DataFrame,
    accounts: &AccountCurrencies,
    windows: &[(Option<Month>, Month)],
    evaluated: Month,
) -> PolarsResult<BTreeMap<String, BTreeSet<Month>>> {
    let positive = |month: Month| col(arr_at(month)).gt(lit(0.0));
    let mut needs: Vec<(Month, Expr)> = vec![(evaluated, col(c::REFERENCE_ARR).gt(lit(0.0)))];
    for (start, end) in windows {
        let used = match start {
            Some(start) => positive(*start).or(positive(*end)),
            None => positive(*end),
        };
        needs.push((*end, used));
        if let Some(start) = start {
            needs.push((*start, positive(*start)));
        }
    }
    let mut missing: BTreeMap<String, BTreeSet<Month>> = BTreeMap::new();
    for (month, used) in needs {
        let lacking = frame
            .clone()
            .lazy()
            .filter(used.and(col(rate_at(month)).is_null()))
            .select([col(CURRENCY_INDEX).unique()])
            .collect()?;
        for index in lacking.column(CURRENCY_INDEX)?.u32()?.iter().flatten() {
            if let Some(code) = accounts.codes.get(index as usize) {
                missing.entry(code.clone()).or_default().insert(month);
            }
        }
    }
    Ok(missing)
}

/// One problem per currency lacking rates, naming the currency and its months.
pub(crate) fn problems(currencies: &Currencies, missing: &BTreeMap<String, BTreeSet<Month>>) -> Vec<Problem> {
    let reporting = &currencies.reporting;
    missing
        .iter()
        .map(|(code, months)| {
            let months: Vec<Month> = months.iter().copied().collect();
            let list = month_ranges(&months);
            match &currencies.rates.file {
                Some(file) => {
                    let first = currencies.rates.pairs.get(&(code.clone(), reporting.clone())).and_then(|m| m.keys().next());
                    let since = first.map(|m| format!(" (its first rate is for {m})")).unwrap_or_else(|| " (it has none)".into());
                    Problem::new(
                        file,
                        format!("no rate from {code} to {reporting} in force at {list}{since}: add a row for that month or earlier"),
                    )
                    .column("from")
                    .value(code.clone())
                }
                None => Problem::new(
                    &currencies.arr_file,
                    format!(
                        "amounts in {code} need rates.csv (month, from, to, rate) to be reported in {reporting}: no rate for {list}"
                    ),
                )
                .column(c::CURRENCY)
                .value(code.clone()),
            }
        })
        .collect()
}
