//! The reconcile stage: proof that every ARR amount of the evaluated month and every arr.csv row
//! is accounted for: arr.csv's totals, which the classify stage took before the ARR table was
//! dropped, against the scorecards.

use crate::model::{Evaluated, Reconciliation, UNASSIGNED};
use crate::pipeline::classify::ArrTotals;
use crate::pipeline::context::Context;
use crate::pipeline::load::Inputs;

/// arr.csv's total at `E` against the active ARR of the scorecards, and rows read against used.
pub(crate) fn reconcile(inputs: &Inputs, run: &Context, arr: ArrTotals, evaluated: &Evaluated) -> Reconciliation {
    let active = |unassigned: bool| -> f64 {
        let scorecards = evaluated.scorecards.iter();
        scorecards.filter(|s| (s.advisor == UNASSIGNED) == unassigned).filter_map(|s| s.metrics.arr_active).sum()
    };
    let (advisors_arr, unassigned_arr) = (active(false), active(true));
    let ArrTotals { at_end: arr_total, rows_used } = arr;
    crate::timing::done("reconciliation");
    Reconciliation {
        month: run.period.evaluated().end.to_string(),
        currency: run.currency.clone(),
        arr_total,
        advisors_arr,
        unassigned_arr,
        balanced: (arr_total - advisors_arr - unassigned_arr).abs() < 0.005,
        rows_read: inputs.arr_rows_read as u64,
        rows_used,
        rows_merged: inputs.arr_rows_read as u64 - rows_used,
    }
}
