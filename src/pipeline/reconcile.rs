//! The reconcile stage: proof that every ARR amount of the evaluated month and every arr.csv row
//! is accounted for, from the inputs on one side and the scorecards on the other.

use polars::prelude::*;

use crate::domain::calendar::Period;
use crate::domain::columns as c;
use crate::domain::fx::Conversion;
use crate::model::{Reconciliation, Scorecard, UNASSIGNED};
use crate::pipeline::load::Inputs;

/// arr.csv's side of the reconciliation, taken as soon as the book is classified so the ARR
/// table can be dropped before the metrics: its total at `E` and the rows it holds after summing.
pub(crate) struct ArrSide {
    arr_total: f64,
    rows_used: u64,
}

/// arr.csv's total at `E` and its rows. Amounts in other currencies count at `E`'s rates, the
/// rates every book's `arr_active` uses.
pub(crate) fn arr_side(
    inputs: &Inputs,
    period: &Period,
    book: &DataFrame,
    conversion: &Conversion,
) -> PolarsResult<ArrSide> {
    let end = period.evaluated().end;
    let at_end = inputs.arr.clone().lazy().filter(col(c::MONTH).eq(lit(end.0)));
    let total = if conversion.converting {
        let rates = book.select([c::KEY, c::rate_at(end).as_str()])?;
        let joined = at_end.join(rates.lazy(), [col(c::KEY)], [col(c::KEY)], JoinArgs::new(JoinType::Inner));
        joined.select([(col(c::ARR) * col(c::rate_at(end))).sum().alias(c::ARR)]).collect()?
    } else {
        at_end.select([col(c::ARR).sum()]).collect()?
    };
    let arr_total = total.column(c::ARR)?.f64()?.get(0).unwrap_or(0.0);
    Ok(ArrSide { arr_total, rows_used: inputs.arr.height() as u64 })
}

/// arr.csv's total at `E` against the active ARR of the scorecards, and rows read against used.
pub(crate) fn reconcile(inputs: &Inputs, period: &Period, arr: ArrSide, scorecards: &[Scorecard]) -> Reconciliation {
    let active = |unassigned: bool| -> f64 {
        scorecards.iter().filter(|s| (s.advisor == UNASSIGNED) == unassigned).filter_map(|s| s.metrics.arr_active).sum()
    };
    let (advisors_arr, unassigned_arr) = (active(false), active(true));
    let ArrSide { arr_total, rows_used } = arr;
    crate::timing::done("reconciliation");
    Reconciliation {
        month: period.evaluated().end.to_string(),
        currency: inputs.currencies.reporting.clone(),
        arr_total,
        advisors_arr,
        unassigned_arr,
        balanced: (arr_total - advisors_arr - unassigned_arr).abs() < 0.005,
        rows_read: inputs.arr_rows_read as u64,
        rows_used,
        rows_merged: inputs.arr_rows_read as u64 - rows_used,
    }
}
