//! The quarter ahead in the result model (SPEC §12): which quarter end the forecast looks at,
//! from which month, and how the company's own history calibrates it.

use serde::Serialize;

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
