//! The quarter ahead in the result model (SPEC §12): which quarter end the forecast looks at,
//! from which month, and how the company's own history calibrates it.

use std::collections::HashMap;

use serde::Serialize;

use super::Status;
use crate::domain::calendar::Month;

/// The forecast at the top of scorecards.json.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Forecast {
    /// The next quarter end `T`, as `2026-Q4`, and its month, as `2026-12`.
    pub(crate) target_quarter: String,
    pub(crate) target_month: String,
    /// The origin `O`: the forecast uses no data after it. None when the next quarter is
    /// already in the data.
    pub(crate) origin_month: Option<String>,
    /// `T − O`: 1, 2 or 3 months.
    pub(crate) horizon_months: Option<u32>,
    /// Why there is no forecast, in words; none when there is one.
    pub(crate) unavailable: Option<String>,
    /// How accounts are classed, in words.
    pub(crate) classes_by: String,
    /// The months whose accounts are the samples, as `2024-07 … 2026-06`; none without any.
    pub(crate) sample_origins: Option<String>,
    /// The class table, in band order, `unscored` last.
    pub(crate) classes: Vec<ForecastClass>,
    /// Why there is no downside and no renewal list, in words: accounts.csv gives no renewal
    /// dates. None when it does.
    pub(crate) without_renewals: Option<String>,
}

/// One class of the calibration: of its accounts with ARR at a sample origin, how many churned
/// within the horizon and how the others grew.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct ForecastClass {
    /// `<5`, `5–7`, `7–8`, `8+`, `unscored`; `all` without health history.
    pub(crate) class: String,
    /// The class's samples: accounts with ARR above 0 at a sample origin.
    pub(crate) n: u64,
    /// The chance of churn: the share of samples whose ARR was 0 a horizon later.
    pub(crate) p: Option<f64>,
    /// The survivors' ARR a horizon later over their ARR at the origin (Σ later ÷ Σ at origin).
    pub(crate) m: Option<f64>,
    /// The ARR-weighted variance of that ratio over the survivors.
    pub(crate) v: Option<f64>,
    /// Whether `p`, `m` and `v` are all samples' pooled: the class has fewer than
    /// `forecast.min_samples` of its own.
    pub(crate) pooled: bool,
}

/// One advisor's quarter ahead (SPEC §12): a row of forecast.csv. Every figure is null when
/// there is no forecast; ratios are null without a cohort, the chance and the gap without a
/// level too.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct AdvisorForecast {
    /// The cohort's ARR at the start of the window at `T`.
    pub(crate) start_arr: Option<f64>,
    /// `runrate`: every account's ARR at `T` is its ARR at `O`.
    pub(crate) runrate_end_arr: Option<f64>,
    pub(crate) runrate_ndr: Option<f64>,
    pub(crate) runrate_grr: Option<f64>,
    /// `expected`: every account's expected ARR at `T` from its class.
    pub(crate) expected_end_arr: Option<f64>,
    pub(crate) expected_ndr: Option<f64>,
    pub(crate) expected_grr: Option<f64>,
    /// The expected NDR less and plus 1.2816 standard deviations: a 10–90% range under a normal
    /// approximation with independent accounts.
    pub(crate) ndr_p10: Option<f64>,
    pub(crate) ndr_p90: Option<f64>,
    /// The chance of meeting the level's NDR target at `T`, under the same approximation.
    pub(crate) p_meets_ndr: Option<f64>,
    /// `downside`: accounts renewing by `T` with health below the minimum churn.
    pub(crate) downside_ndr: Option<f64>,
    pub(crate) downside_grr: Option<f64>,
    /// The expected values against the advisor's own level.
    pub(crate) expected_ndr_status: Status,
    pub(crate) expected_grr_status: Status,
    /// The net ARR the book must add by `T` to meet the NDR target (negative: may still lose).
    pub(crate) ndr_gap_arr: Option<f64>,
    /// The renewals that decide it: how many, their ARR at `O`, and each.
    pub(crate) renewals_in_horizon: Option<u64>,
    pub(crate) renewals_arr: Option<f64>,
    pub(crate) renewals: Vec<ForecastRenewal>,
}

/// A renewal that decides an advisor's quarter ahead: an account of their cohort at `T`
/// renewing between `O` and `T`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ForecastRenewal {
    pub(crate) account_id: String,
    pub(crate) account_name: Option<String>,
    /// As `YYYY-MM-DD`.
    pub(crate) renewal_date: String,
    /// ARR at `O`, in the reporting currency at `O`'s rates.
    pub(crate) arr: f64,
    /// Health at `O`.
    pub(crate) health_score: Option<f64>,
    pub(crate) class: String,
    /// The class's chance of churn.
    pub(crate) p_churn: f64,
    /// ARR at `O` less the expected ARR at `T`.
    pub(crate) expected_loss: f64,
}

/// How good the forecast has been (SPEC §12): at each of the last four quarter ends, the
/// forecast made a quarter before it with the data known then, against what happened.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Backtest {
    /// Each quarter end with enough history, newest first.
    pub(crate) points: Vec<BacktestPoint>,
    /// Over every (advisor, quarter end) pair of the points.
    pub(crate) pooled: BacktestFigures,
}

/// One quarter end of the backtest.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct BacktestPoint {
    /// The quarter end `q`, as `2026-Q3`, and the month its forecast was made from (`q − 3`).
    pub(crate) quarter: String,
    pub(crate) origin_month: String,
    #[serde(flatten)]
    pub(crate) figures: BacktestFigures,
}

/// The backtest's figures over some (advisor, quarter end) pairs with both a forecast and an
/// actual NDR.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct BacktestFigures {
    /// How many pairs.
    pub(crate) pairs: u64,
    /// The mean of |expected NDR − actual NDR|.
    pub(crate) backtest_mae: Option<f64>,
    /// The share of pairs whose actual NDR fell within [ndr_p10, ndr_p90].
    pub(crate) backtest_coverage: Option<f64>,
    /// How many pairs have a level, so a status to compare.
    pub(crate) status_pairs: u64,
    /// The share of those whose expected NDR status was the actual one.
    pub(crate) backtest_status_hits: Option<f64>,
}

/// What the forecast stage hands on: its frame and class table for the report, each advisor's
/// quarter ahead for their scorecard, and the forecasts it would have made in the past for the
/// backtest.
pub(crate) struct Ahead {
    pub(crate) forecast: Forecast,
    /// By advisor; an advisor absent from it owns no account at `T` (or there is no forecast).
    pub(crate) by_advisor: HashMap<String, AdvisorForecast>,
    /// For each trend point with enough history, the forecast made a quarter before it.
    pub(crate) past: Vec<PastForecast>,
}

/// The forecast made at `q − 3`, with the data known then, for the quarter end `q` (SPEC §12,
/// the backtest): each advisor's expected NDR, its range and its status.
pub(crate) struct PastForecast {
    /// `q`, as `2026-Q3`.
    pub(crate) quarter: String,
    pub(crate) origin: Month,
    pub(crate) by_advisor: HashMap<String, AdvisorForecast>,
}
