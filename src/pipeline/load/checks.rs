//! Data-quality checks on inputs that loaded: findings that do not stop a run but that a manager
//! should see before trusting it.

use polars::prelude::*;

use super::Inputs;
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::warnings::{Jump, Warning};

/// How many example accounts or months a warning names.
const EXAMPLES: usize = 5;
/// Month-over-month ARR changes beyond these factors (without reaching 0) look like a unit or
/// export error rather than a real expansion or contraction.
const JUMP_FACTOR: f64 = 10.0;

/// The checks that read arr.csv and accounts.csv; `arr_months` are the months with a row.
pub(crate) fn check(inputs: &Inputs, arr_months: &[Month]) -> PolarsResult<Vec<Warning>> {
    let mut warnings = Vec::new();
    // The two checks over the ARR table are queries of their own, each mostly on one core: side
    // by side (with the small one over accounts.csv), they keep both busy.
    let (never_billed, (jumps, unit_scale)) = rayon::join(
        || accounts_without_arr(inputs),
        || rayon::join(|| jumps(inputs), || health_on_a_unit_scale(inputs)),
    );
    let never_billed = never_billed?;
    if !never_billed.is_empty() {
        let count = never_billed.len();
        warnings.push(Warning::NoArrRows { count, examples: never_billed.into_iter().take(EXAMPLES).collect() });
    }
    let missing = missing_months(inputs, arr_months);
    if !missing.is_empty() {
        warnings.push(Warning::MissingMonths { months: missing });
    }
    let (count, examples) = jumps?;
    if count > 0 {
        warnings.push(Warning::ArrJumps { count, examples });
    }
    if let Some(count) = unit_scale? {
        warnings.push(Warning::HealthUnitScale { count });
    }
    Ok(warnings)
}

/// Accounts of accounts.csv with no row in arr.csv at all.
fn accounts_without_arr(inputs: &Inputs) -> PolarsResult<Vec<String>> {
    // The ARR table is sorted by account: each account's first row is where the key changes.
    let billed = inputs
        .arr
        .clone()
        .lazy()
        .select([col(c::KEY)])
        .filter(col(c::KEY).neq_missing(col(c::KEY).shift(lit(1))))
        .with_column(lit(true).alias(c::KNOWN_ACCOUNT));
    let frame = inputs
        .accounts
        .clone()
        .lazy()
        .select([col(c::ACCOUNT_ID), col(c::KEY)])
        .left_join(billed, col(c::KEY), col(c::KEY))
        .filter(col(c::KNOWN_ACCOUNT).is_null())
        .sort([c::ACCOUNT_ID], SortMultipleOptions::default())
        .collect()?;
    Ok(frame.column(c::ACCOUNT_ID)?.str()?.iter().flatten().map(str::to_string).collect())
}

/// Months inside the data range with no row for any account (`present` are those with one, in
/// order): a broken export, since every account would read as ARR 0 that month.
fn missing_months(inputs: &Inputs, present: &[Month]) -> Vec<Month> {
    (inputs.first_month.0..=inputs.last_month.0).map(Month).filter(|m| present.binary_search(m).is_err()).collect()
}

/// Month-over-month changes above 10× or below a tenth, both months above 0. The ARR table is
/// sorted by account then month, so the month before is the row before when it is the same
/// account a month earlier.
fn jumps(inputs: &Inputs) -> PolarsResult<(usize, Vec<Jump>)> {
    let before = |column: &str| col(column).shift(lit(1));
    let previous = when(before(c::KEY).eq(col(c::KEY)).and(before(c::MONTH).eq(col(c::MONTH) - lit(1))))
        .then(before(c::ARR))
        .otherwise(lit(NULL).cast(DataType::Float64));
    let found = inputs
        .arr
        .clone()
        .lazy()
        .select([col(c::KEY), col(c::MONTH), col(c::ARR), previous.alias("previous")])
        .filter(col("previous").gt(lit(0.0)).and(col(c::ARR).gt(lit(0.0))).and(
            col(c::ARR).gt(col("previous") * lit(JUMP_FACTOR)).or(col(c::ARR).lt(col("previous") / lit(JUMP_FACTOR))),
        ))
        .left_join(inputs.accounts.clone().lazy().select([col(c::KEY), col(c::ACCOUNT_ID)]), col(c::KEY), col(c::KEY))
        .sort([c::ACCOUNT_ID, c::MONTH], SortMultipleOptions::default())
        .collect()?;
    let (ids, keys) = (found.column(c::ACCOUNT_ID)?.str()?, found.column(c::KEY)?.u32()?);
    let months = found.column(c::MONTH)?.i32()?;
    let (from, to) = (found.column("previous")?.f64()?, found.column(c::ARR)?.f64()?);
    // Each example in its account's own currency.
    let currencies = &inputs.currencies;
    let currency_of = |key: Option<u32>| key.map_or(&currencies.reporting[..], |k| currencies.code_of(k)).to_string();
    let examples = (0..found.height().min(EXAMPLES))
        .map(|i| Jump {
            account_id: ids.get(i).unwrap_or_default().to_string(),
            month: Month(months.get(i).unwrap_or_default()).to_string(),
            from: from.get(i).unwrap_or_default(),
            to: to.get(i).unwrap_or_default(),
            currency: currency_of(keys.get(i)),
        })
        .collect();
    Ok((found.height(), examples))
}

/// Every known health score at most 1 (and at least one above 0): the export is probably on a
/// 0–1 scale, which would read as very unhealthy on the 0–10 scale.
fn health_on_a_unit_scale(inputs: &Inputs) -> PolarsResult<Option<usize>> {
    let health = inputs.accounts.column(c::HEALTH)?.f64()?;
    let known: Vec<f64> = health.iter().flatten().collect();
    let unit = !known.is_empty() && known.iter().all(|h| *h <= 1.0) && known.iter().any(|h| *h > 0.0);
    Ok(unit.then_some(known.len()))
}
