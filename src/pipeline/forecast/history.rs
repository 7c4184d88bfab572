//! The history as known at the origin `O`, extended by the next quarter end `T` (SPEC §12): a
//! scenario gives every account one ARR at `T`, and its metrics are the ordinary window metrics
//! at `T` on that history, classified and computed by the same stages as the scorecards, so
//! tenures (§9) and currencies (§10, at `O`'s rates) work exactly as there.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::domain::calendar::{Month, Period, Quarter};
use crate::domain::columns as c;
use crate::domain::ledger::Ledger;
use crate::model::WindowMetrics;
use crate::pipeline::context::Context;
use crate::pipeline::load::{health, Inputs};
use crate::pipeline::{classify, compute};

/// What a scenario's metrics are computed over: the inputs as known at `O` (the months of the
/// window at `T` up to `O`, health rows and ownership rows up to `O`, rates in force at `O`).
pub(super) struct Known {
    inputs: Inputs,
    /// The window at `T` as a one-point period.
    period: Period,
    target: Month,
}

impl Known {
    pub(super) fn new(inputs: &Inputs, run: &Context, origin: Month, target: Month) -> anyhow::Result<Known> {
        let quarter = Quarter::ending(target, run.period.evaluated().quarter.fiscal_start());
        let period = Period::new(quarter, run.period.window_months, inputs.first_month, target, 1);
        let start = period.evaluated().start;
        let mut known = inputs.clone();
        known.arr = window_rows(inputs, start, origin)?;
        known.last_month = target;
        known.health = inputs.health.as_ref().map(|history| health::upto(history, origin)).transpose()?;
        known.ownership = inputs.ownership.as_ref().map(|ledger| until(ledger, origin));
        for by_month in known.currencies.rates.pairs.values_mut() {
            by_month.retain(|month, _| *month <= origin);
        }
        Ok(Known { inputs: known, period, target })
    }

    /// The ARR rows known at `O` that the window at `T` reads (see [`window_rows`]), `O`'s among them.
    pub(super) fn arr(&self) -> &DataFrame {
        &self.inputs.arr
    }

    /// health.csv's rows up to `O`, with health history.
    pub(super) fn health(&self) -> Option<&DataFrame> {
        self.inputs.health.as_ref()
    }

    /// Each account's owner at `O`, by key (`owner`): the ledger's as known then, else
    /// accounts.csv's advisor (null for an account without one).
    pub(super) fn owners_at_origin(&self, origin: Month) -> PolarsResult<Series> {
        let advisors = self.inputs.accounts.column(c::ADVISOR)?.str()?;
        let keys = self.inputs.accounts.column(c::KEY)?.u32()?.rechunk();
        let slots = self.inputs.slots()?;
        let owners = StringChunked::full_null(c::OWNER.into(), slots).scatter(keys.cont_slice()?, advisors.iter())?;
        let Some(ledger) = &self.inputs.ownership else { return Ok(owners) };
        let (keys, names): (Vec<IdxSize>, Vec<&str>) = ledger.owners_at(origin).unzip();
        owners.str()?.clone().scatter(&keys, names.into_iter().map(Some))
    }

    /// Every advisor's metrics at `T` with `at_target` as each account's ARR there (own currency,
    /// indexed by account key; 0 adds no row).
    pub(super) fn metrics(&self, run: &Context, at_target: &Float64Chunked) -> anyhow::Result<Scenario> {
        let mut inputs = self.inputs.clone();
        let keys: Vec<u32> = (0..at_target.len() as u32).collect();
        let target = df!(
            c::KEY => keys,
            c::MONTH => vec![self.target.0; at_target.len()],
            c::ARR => at_target.clone().into_series(),
        )?
        .lazy()
        .filter(col(c::ARR).gt(lit(0.0)));
        // Month T's rows after the others, not sorted in: every account's rows are still in
        // month order with T, the latest month, last, and that is all the per-account table
        // reads the ARR table's order for (each account's latest non-zero ARR); the rest of
        // classify reads it by month, and the tenures search it as two runs sorted by account.
        inputs.arr = concat([inputs.arr.lazy(), target], UnionArgs::default())?.collect()?;
        let at_t = Context {
            period: self.period.clone(),
            targets: run.targets,
            currency: run.currency.clone(),
            modes: run.modes,
        };
        let (per_account, owners) = classify::window_table(&inputs, &at_t)?;
        let by_advisor = compute::advisor_metrics(&per_account, &owners.tenures, &at_t)?
            .into_iter()
            .map(|(advisor, mut points)| (advisor, points.swap_remove(0)))
            .collect();
        Ok(Scenario { by_advisor, per_account, tenures: owners.tenures.into_iter().next().flatten() })
    }
}

/// One scenario's metrics at `T`, with the table and tenure rows they were computed over.
pub(super) struct Scenario {
    pub(super) by_advisor: std::collections::HashMap<String, WindowMetrics>,
    /// The per-account table at `T` (owners at `T`, rate columns at `O`'s rates).
    pub(super) per_account: DataFrame,
    /// With ownership history, the tenure rows of the window at `T`.
    pub(super) tenures: Option<DataFrame>,
}

/// The rows of the window at `T` known at `O` that its metrics read: every account's rows at
/// the window's first month and at `O`, and every row of the accounts the ledger hands over
/// (their tenures' values). An account's reference ARR, which sets its band (SPEC §5), is then
/// its latest non-zero among those and `T`: the forecast's figures read no band, and a
/// tenth of the rows are classified.
fn window_rows(inputs: &Inputs, start: Month, origin: Month) -> PolarsResult<DataFrame> {
    let (arr, month) = (&inputs.arr, || col(c::MONTH));
    let Some(ledger) = &inputs.ownership else {
        return arr.clone().lazy().filter(month().eq(lit(start.0)).or(month().eq(lit(origin.0)))).collect();
    };
    let rows = arr.clone().lazy().filter(month().gt_eq(lit(start.0)).and(month().lt_eq(lit(origin.0)))).collect()?;
    let months = rows.column(c::MONTH)?.i32()?;
    let ends = months.equal(start.0) | months.equal(origin.0);
    let handed: Vec<IdxSize> = ledger.accounts.keys().copied().collect();
    let mut by_key = BooleanChunked::full("handed".into(), false, inputs.slots()?);
    let by_key = by_key.scatter(&handed, std::iter::repeat_n(Some(true), handed.len()))?;
    rows.filter(&(ends | by_key.bool()?.take(rows.column(c::KEY)?.u32()?)?))
}

/// The ledger as known at `origin`: the rows from then or before.
fn until(ledger: &Ledger, origin: Month) -> Ledger {
    let accounts: BTreeMap<u32, Vec<(Month, String)>> = ledger
        .accounts
        .iter()
        .map(|(key, rows)| (*key, rows.iter().filter(|(from, _)| *from <= origin).cloned().collect::<Vec<_>>()))
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    Ledger { accounts }
}
