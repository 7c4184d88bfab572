//! The forecast stage (SPEC §12): the next quarter end `T = E + 3`, the origin `O` it is made
//! at and the horizon `h = T − O`, and the calibration of each class of accounts from the
//! company's own history ([`calibrate`]). It reads the ARR table, so it runs before classify
//! drops it, and it uses no data after `O`.

mod calibrate;
mod history;
mod scenarios;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::domain::calendar::{Month, Point, Quarter, TREND_POINTS};
use crate::domain::modes::HealthMode;
use crate::format::month_ranges;
use crate::model::{Ahead, Forecast, PastForecast};
use crate::pipeline::context::Context;
use crate::pipeline::load::Inputs;

/// The next quarter end, the origin and horizon, the class table, and each advisor's figures.
pub(crate) fn forecast(inputs: &Inputs, run: &Context) -> anyhow::Result<Ahead> {
    let end = run.period.evaluated().end;
    let target = end.plus(3);
    let quarter = Quarter::ending(target, run.period.evaluated().quarter.fiscal_start());
    let classes_by = match run.modes.health {
        HealthMode::History => "each account's health band at the month (health.csv)".to_string(),
        HealthMode::Current => "one class, all: without health history (health.csv) accounts are not classed by \
                                health, since today's scores would leak each account's outcome into the past"
            .to_string(),
    };
    let mut forecast = Forecast {
        target_quarter: quarter.to_string(),
        target_month: target.to_string(),
        origin_month: None,
        horizon_months: None,
        unavailable: None,
        classes_by,
        sample_origins: None,
        classes: Vec::new(),
        without_renewals: None,
    };
    let last = inputs.last_month;
    if last >= target {
        forecast.unavailable = Some(format!(
            "the next quarter ({quarter}) is already in the data: score it with --quarter {quarter} instead"
        ));
        let samples = calibrate::Samples::over(inputs, run, &past_origins(inputs, run, 3), 3)?;
        let renewals = scenarios::Renewals::of(inputs)?;
        return Ok(Ahead { forecast, by_advisor: HashMap::new(), past: past(inputs, run, &renewals, &samples)? });
    }
    let origin = last.min(end.plus(2));
    let horizon = target.0 - origin.0;
    let settings = &run.targets.forecast;
    let origins = sample_origins(inputs, run, origin, horizon);
    // One pass over the samples for the horizon of this forecast and of the backtest's (3 months).
    let samples =
        calibrate::Samples::over(inputs, run, &union(&origins, &past_origins(inputs, run, horizon)), horizon)?;
    let backtest_samples = match horizon {
        3 => None,
        _ => Some(calibrate::Samples::over(inputs, run, &past_origins(inputs, run, 3), 3)?),
    };
    let calibration = calibrate::calibrate(&samples, run, &origins);
    forecast.origin_month = Some(origin.to_string());
    forecast.horizon_months = Some(horizon as u32);
    forecast.sample_origins = (!origins.is_empty()).then(|| month_ranges(&origins));
    let mut classes = calibration.classes;
    if calibration.pooled_samples < u64::from(settings.min_samples) {
        for class in &mut classes {
            (class.p, class.m, class.v) = (None, None, None);
        }
        forecast.unavailable = Some(format!(
            "not enough history to forecast: {} samples (accounts with ARR at a month {horizon} months before \
             another within the last {} months), fewer than forecast.min_samples ({})",
            calibration.pooled_samples, settings.lookback_months, settings.min_samples
        ));
    }
    let renewals = scenarios::Renewals::of(inputs)?;
    let by_advisor = match forecast.unavailable {
        None => scenarios::advisors(inputs, run, &renewals, origin, target, &classes, Scope::All)?,
        Some(_) => HashMap::new(),
    };
    forecast.classes = classes;
    if !renewals.dated() {
        forecast.without_renewals = Some(
            "accounts.csv gives no renewal dates, so there is no downside and no list of the renewals that decide it"
                .into(),
        );
    }
    crate::timing::done("forecast");
    let past = past(inputs, run, &renewals, backtest_samples.as_ref().unwrap_or(&samples))?;
    crate::timing::done("backtest");
    Ok(Ahead { forecast, by_advisor, past })
}

/// Which figures a forecast needs: all of them, or for the backtest the expected NDR with its
/// range and status.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    All,
    Expected,
}

/// The sample origins for a forecast from `origin` over `horizon` months: `o` ≥ the data's first
/// month, `o + h` ≤ `O`, `o` > `O − h − lookback`.
fn sample_origins(inputs: &Inputs, run: &Context, origin: Month, horizon: i32) -> Vec<Month> {
    let lookback = run.targets.forecast.lookback_months as i32;
    let first = inputs.first_month.max(Month(origin.0 - horizon - lookback + 1));
    (first.0..=origin.0 - horizon).map(Month).collect()
}

/// The trend points the backtest looks at: the last four quarter ends with a whole window.
fn backtest_points<'a>(run: &'a Context) -> impl Iterator<Item = &'a Point> {
    run.period.points.iter().take(TREND_POINTS).filter(|p| p.start_known)
}

/// Every sample origin the backtest's forecasts need (made a quarter before each point), in
/// order, for `horizon` months ahead.
fn past_origins(inputs: &Inputs, run: &Context, horizon: i32) -> Vec<Month> {
    let all = backtest_points(run).map(|point| sample_origins(inputs, run, point.end.minus(3), horizon));
    all.fold(Vec::new(), |acc: Vec<Month>, origins: Vec<Month>| union(&acc, &origins))
}

/// Two ranges of months as one, in order (the months between included).
fn union(a: &[Month], b: &[Month]) -> Vec<Month> {
    let ends = a.iter().chain(b).copied();
    match (ends.clone().min(), ends.max()) {
        (Some(first), Some(last)) => (first.0..=last.0).map(Month).collect(),
        _ => Vec::new(),
    }
}

/// The forecasts made a quarter before each trend point, with only the data known then; a point
/// without enough history (too few samples to calibrate) is left out. `samples` holds every
/// origin they need, 3 months ahead.
fn past(
    inputs: &Inputs,
    run: &Context,
    renewals: &scenarios::Renewals,
    samples: &calibrate::Samples,
) -> anyhow::Result<Vec<PastForecast>> {
    // The points' forecasts side by side: each holds only its window's rows (a tenth of the
    // ARR table), and most of their steps are too small for Polars to keep both cores busy.
    let points: Vec<&Point> = backtest_points(run).collect();
    let past: Vec<Option<PastForecast>> = points
        .into_par_iter()
        .map(|point| {
            let origin = point.end.minus(3);
            let origins = sample_origins(inputs, run, origin, 3);
            let calibration = calibrate::calibrate(samples, run, &origins);
            if calibration.pooled_samples < u64::from(run.targets.forecast.min_samples) {
                return Ok(None);
            }
            let by_advisor =
                scenarios::advisors(inputs, run, renewals, origin, point.end, &calibration.classes, Scope::Expected)?;
            Ok(Some(PastForecast { quarter: point.quarter.to_string(), origin, by_advisor }))
        })
        .collect::<anyhow::Result<_>>()?;
    let past = past.into_iter().flatten().collect();
    Ok(past)
}
