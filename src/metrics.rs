//! The compute stage: the window metrics of SPEC §4 for every book at every trend point, as
//! small Polars expressions aggregated in one plan, plus each book's ARR by tier.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::columns::{self as c, arr_at};
use crate::period::{Period, Point};

/// The SPEC §4 metrics of one book at one quarter end. `None` is null: insufficient history,
/// no cohort (ratios), or no known health score.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WindowMetrics {
    /// Accounts of the book with ARR above 0 at the quarter end.
    pub accounts_active: Option<u64>,
    /// Σ of ARR at the quarter end over the book.
    pub arr_active: Option<f64>,
    /// Accounts with ARR above 0 at the start of the window.
    pub cohort_accounts: Option<u64>,
    /// Σ of the cohort's ARR at the start of the window.
    pub start_arr: Option<f64>,
    /// Σ of the cohort's ARR at the quarter end.
    pub end_arr: Option<f64>,
    /// Growth of cohort accounts that grew.
    pub expansion_arr: Option<f64>,
    /// Loss of cohort accounts that shrank but stayed above 0.
    pub contraction_arr: Option<f64>,
    /// Start ARR of cohort accounts that reached 0.
    pub churned_arr: Option<f64>,
    /// ARR at the quarter end of accounts that had none at the start (new logos, returns).
    pub new_arr: Option<f64>,
    /// Net dollar retention: `end_arr / start_arr`.
    pub ndr: Option<f64>,
    /// Gross revenue retention: `(start_arr − contraction_arr − churned_arr) / start_arr`.
    pub grr: Option<f64>,
    /// Mean health score of active accounts with a known score.
    pub health_avg: Option<f64>,
    /// The same mean weighted by ARR at the quarter end.
    pub health_arr_weighted: Option<f64>,
}

/// The sums one group-by produces for a book at a point, before the rules about nulls apply.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sums {
    pub accounts_active: u64,
    pub arr_active: f64,
    pub cohort_accounts: u64,
    pub start_arr: f64,
    pub end_arr: f64,
    pub expansion_arr: f64,
    pub contraction_arr: f64,
    pub churned_arr: f64,
    pub new_arr: f64,
    /// Σ of known health scores of active accounts, and how many there are.
    pub health_sum: f64,
    pub health_count: u64,
    /// Σ of health × ARR and Σ of ARR over the same accounts.
    pub health_arr_sum: f64,
    pub health_arr_weight: f64,
}

impl WindowMetrics {
    /// Applies SPEC §4's nulls: nothing is known before the data starts; window metrics are null
    /// when the window starts before it; ratios are null without start ARR.
    pub fn from_sums(s: &Sums, point: &Point) -> WindowMetrics {
        if !point.end_known {
            return WindowMetrics::default();
        }
        let window = |v| point.start_known.then_some(v);
        let ratio = |num: f64, den: f64| (den > 0.0).then(|| num / den);
        let start = window(s.start_arr);
        WindowMetrics {
            accounts_active: Some(s.accounts_active),
            arr_active: Some(s.arr_active),
            cohort_accounts: window(s.cohort_accounts as f64).map(|n| n as u64),
            start_arr: start,
            end_arr: window(s.end_arr),
            expansion_arr: window(s.expansion_arr),
            contraction_arr: window(s.contraction_arr),
            churned_arr: window(s.churned_arr),
            new_arr: window(s.new_arr),
            ndr: start.and_then(|st| ratio(s.end_arr, st)),
            grr: start.and_then(|st| ratio(st - s.contraction_arr - s.churned_arr, st)),
            health_avg: ratio(s.health_sum, s.health_count as f64),
            health_arr_weighted: ratio(s.health_arr_sum, s.health_arr_weight),
        }
    }
}

/// One tier of a book at the evaluated quarter end.
#[derive(Clone, Debug, PartialEq)]
pub struct TierTotal {
    pub segment: String,
    pub band: String,
    pub accounts: u64,
    pub arr: f64,
}

// The metric expressions, over a frame with `start`, `end` (ARR of one account at the two ends
// of the window) and `health_score`.

fn in_cohort() -> Expr {
    col(c::START).gt(lit(0.0))
}

fn active() -> Expr {
    col(c::END).gt(lit(0.0))
}

fn sum_where(condition: Expr, value: Expr) -> Expr {
    when(condition).then(value).otherwise(lit(0.0)).sum()
}

fn count_where(condition: Expr) -> Expr {
    condition.cast(DataType::UInt64).sum()
}

fn start_arr() -> Expr {
    sum_where(in_cohort(), col(c::START))
}

fn end_arr() -> Expr {
    sum_where(in_cohort(), col(c::END))
}

fn expansion_arr() -> Expr {
    sum_where(in_cohort().and(col(c::END).gt(col(c::START))), col(c::END) - col(c::START))
}

fn contraction_arr() -> Expr {
    sum_where(in_cohort().and(active()).and(col(c::END).lt(col(c::START))), col(c::START) - col(c::END))
}

fn churned_arr() -> Expr {
    sum_where(in_cohort().and(active().not()), col(c::START))
}

fn new_arr() -> Expr {
    sum_where(in_cohort().not().and(active()), col(c::END))
}

fn scored() -> Expr {
    active().and(col(c::HEALTH).is_not_null())
}

/// Every sum of [`Sums`], named after its field.
fn sum_exprs() -> Vec<Expr> {
    vec![
        count_where(active()).alias("accounts_active"),
        col(c::END).sum().alias("arr_active"),
        count_where(in_cohort()).alias("cohort_accounts"),
        start_arr().alias("start_arr"),
        end_arr().alias("end_arr"),
        expansion_arr().alias("expansion_arr"),
        contraction_arr().alias("contraction_arr"),
        churned_arr().alias("churned_arr"),
        new_arr().alias("new_arr"),
        sum_where(scored(), col(c::HEALTH)).alias("health_sum"),
        count_where(scored()).alias("health_count"),
        sum_where(scored(), col(c::HEALTH) * col(c::END)).alias("health_arr_sum"),
        sum_where(scored(), col(c::END)).alias("health_arr_weight"),
    ]
}

/// The metrics of every advisor's book at every point of the period, by advisor; an advisor
/// absent from the result owns no account.
pub fn compute(book: &DataFrame, period: &Period) -> PolarsResult<HashMap<String, Vec<WindowMetrics>>> {
    let frames: Vec<LazyFrame> = period
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.end_known)
        .map(|(k, p)| {
            let start = if p.start_known { col(arr_at(p.start)) } else { lit(0.0) };
            book.clone().lazy().select([
                col(c::ADVISOR),
                col(c::HEALTH),
                start.alias(c::START),
                col(arr_at(p.end)).alias(c::END),
                lit(k as u32).cast(DataType::UInt32).alias(c::POINT),
            ])
        })
        .collect();
    let sums =
        concat(frames, UnionArgs::default())?.group_by([col(c::ADVISOR), col(c::POINT)]).agg(sum_exprs()).collect()?;

    let mut by_advisor: HashMap<String, Vec<Sums>> = HashMap::new();
    let advisors = sums.column(c::ADVISOR)?.str()?;
    let points = sums.column(c::POINT)?.u32()?;
    let f = |name: &str| -> PolarsResult<Float64Chunked> { Ok(sums.column(name)?.f64()?.clone()) };
    let n = |name: &str| -> PolarsResult<UInt64Chunked> { Ok(sums.column(name)?.u64()?.clone()) };
    let (active, arr_active, cohort) = (n("accounts_active")?, f("arr_active")?, n("cohort_accounts")?);
    let (start, end, expansion) = (f("start_arr")?, f("end_arr")?, f("expansion_arr")?);
    let (contraction, churned, new) = (f("contraction_arr")?, f("churned_arr")?, f("new_arr")?);
    let (h_sum, h_count) = (f("health_sum")?, n("health_count")?);
    let (h_arr_sum, h_arr_weight) = (f("health_arr_sum")?, f("health_arr_weight")?);
    for i in 0..sums.height() {
        let (Some(advisor), Some(point)) = (advisors.get(i), points.get(i)) else { continue };
        let entry = by_advisor.entry(advisor.to_string()).or_insert_with(|| vec![Sums::default(); period.points.len()]);
        entry[point as usize] = Sums {
            accounts_active: active.get(i).unwrap_or(0),
            arr_active: arr_active.get(i).unwrap_or(0.0),
            cohort_accounts: cohort.get(i).unwrap_or(0),
            start_arr: start.get(i).unwrap_or(0.0),
            end_arr: end.get(i).unwrap_or(0.0),
            expansion_arr: expansion.get(i).unwrap_or(0.0),
            contraction_arr: contraction.get(i).unwrap_or(0.0),
            churned_arr: churned.get(i).unwrap_or(0.0),
            new_arr: new.get(i).unwrap_or(0.0),
            health_sum: h_sum.get(i).unwrap_or(0.0),
            health_count: h_count.get(i).unwrap_or(0),
            health_arr_sum: h_arr_sum.get(i).unwrap_or(0.0),
            health_arr_weight: h_arr_weight.get(i).unwrap_or(0.0),
        };
    }
    Ok(by_advisor
        .into_iter()
        .map(|(advisor, sums)| {
            let metrics = sums.iter().zip(&period.points).map(|(s, p)| WindowMetrics::from_sums(s, p)).collect();
            (advisor, metrics)
        })
        .collect())
}

/// The metrics of a book that owns no account, at every point.
pub fn empty_book(period: &Period) -> Vec<WindowMetrics> {
    period.points.iter().map(|p| WindowMetrics::from_sums(&Sums::default(), p)).collect()
}

/// ARR and active accounts by segment and band at the evaluated quarter end, by advisor.
pub fn tier_totals(book: &DataFrame, period: &Period) -> PolarsResult<HashMap<String, Vec<TierTotal>>> {
    let end = arr_at(period.evaluated().end);
    let totals = book
        .clone()
        .lazy()
        .filter(col(end.as_str()).gt(lit(0.0)))
        .group_by([col(c::ADVISOR), col(c::SEGMENT), col(c::BAND)])
        .agg([col(end.as_str()).sum().alias("arr"), len().cast(DataType::UInt64).alias("accounts")])
        .collect()?;
    let advisors = totals.column(c::ADVISOR)?.str()?;
    let segments = totals.column(c::SEGMENT)?.str()?;
    let bands = totals.column(c::BAND)?.str()?;
    let arr = totals.column("arr")?.f64()?;
    let accounts = totals.column("accounts")?.u64()?;
    let mut by_advisor: HashMap<String, Vec<TierTotal>> = HashMap::new();
    for i in 0..totals.height() {
        by_advisor.entry(advisors.get(i).unwrap_or_default().to_string()).or_default().push(TierTotal {
            segment: segments.get(i).unwrap_or_default().to_string(),
            band: bands.get(i).unwrap_or_default().to_string(),
            accounts: accounts.get(i).unwrap_or(0),
            arr: arr.get(i).unwrap_or(0.0),
        });
    }
    Ok(by_advisor)
}

/// How an account's ARR moved over the evaluated window (SPEC §7 `accounts.csv`).
pub fn movement_expr(point: &Point) -> Expr {
    if !point.start_known {
        return lit(NULL).cast(DataType::String);
    }
    let (s, e) = (col(arr_at(point.start)), col(arr_at(point.end)));
    let zero = || lit(0.0);
    when(s.clone().eq(zero()).and(e.clone().eq(zero())))
        .then(lit("inactive"))
        .when(s.clone().eq(zero()))
        .then(lit("new"))
        .when(e.clone().eq(zero()))
        .then(lit("churn"))
        .when(e.clone().gt(s.clone()))
        .then(lit("expansion"))
        .when(e.lt(s))
        .then(lit("contraction"))
        .otherwise(lit("flat"))
}
