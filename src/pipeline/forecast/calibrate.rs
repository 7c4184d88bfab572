//! Calibration from the company's own history (SPEC §12): every account with ARR above 0 at a
//! sample origin `o` is one sample of its class at `o` (owners play no part); it churned when
//! its ARR is 0 at `o + h`, else it survived with ratio `r = ARR(a, o + h) ÷ ARR(a, o)` and
//! weight `ARR(a, o)`, amounts in the account's own currency. Per class: `n`, `p` = churned ÷
//! `n`, `m` = Σ w·r ÷ Σ w, `v` = Σ w·(r − m)² ÷ Σ w over the survivors (`m` = 1 and `v` = 0 when
//! none survived); a class with fewer than `forecast.min_samples` uses all samples pooled.

use polars::prelude::*;

use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::columns::arr_at;
use crate::domain::modes::HealthMode;
use crate::model::ForecastClass;
use crate::pipeline::context::Context;
use crate::pipeline::load::{health, Inputs};

/// A sample's class.
const CLASS: &str = "class";
/// The sums per class.
const N: &str = "n";
const CHURNED: &str = "churned";
const WEIGHT: &str = "weight";
const GROWN: &str = "grown";
const SQUARED: &str = "squared";
/// An origin's place in its block.
const ORIGIN: &str = "origin";
/// A row's place in [`by_month`]'s buffer.
const SLOT: &str = "slot";

/// How many values of ARR by account and month [`by_month`]'s buffer holds (120 MB): at 1M
/// accounts and a 3-month horizon, 12 origins' samples are found in one pass over the ARR table.
/// A bigger buffer is slower, not faster: its pages are new to the process, and its writes
/// scatter over more of them.
const BUFFER_VALUES: usize = 15_000_000;

/// The class of accounts without a health score at the month.
pub(super) const UNSCORED: &str = "unscored";
/// The one class without health history.
pub(super) const ALL: &str = "all";

/// The class table and the number of samples pooled.
pub(super) struct Calibration {
    pub(super) classes: Vec<ForecastClass>,
    pub(super) pooled_samples: u64,
}

/// The classes in band order, `unscored` last; `all` alone without health history.
pub(super) fn class_names(health: HealthMode, cuts: &[f64]) -> Vec<String> {
    match health {
        HealthMode::Current => vec![ALL.to_string()],
        HealthMode::History => {
            let mut names = Vec::with_capacity(cuts.len() + 2);
            names.push(format!("<{}", cuts[0]));
            names.extend(cuts.windows(2).map(|pair| format!("{}–{}", pair[0], pair[1])));
            names.push(format!("{}+", cuts[cuts.len() - 1]));
            names.push(UNSCORED.to_string());
            names
        }
    }
}

/// The class of each row from its `health_score`, as its place in [`class_names`]: the band it
/// falls in (each band includes its lower bound; `cuts` ascend), so the number of cuts at or
/// below the score, and the last place, `unscored`, without a score. A number, not a name: the
/// forecast classes every account at every sample origin.
pub(super) fn class_expr(cuts: &[f64]) -> Expr {
    let bands = cuts.iter().map(|cut| col(c::HEALTH).gt_eq(lit(*cut)).cast(DataType::UInt32)).reduce(|a, b| a + b);
    bands.unwrap_or(lit(0u32)).fill_null(lit(cuts.len() as u32 + 1)).cast(DataType::UInt32)
}

/// The samples' sums by origin month and class, for one horizon: summed once over every origin
/// any forecast of the run needs, then added up over each forecast's own origins (sums add up).
pub(super) struct Samples {
    by_origin: Vec<(Month, String, Sums)>,
}

impl Samples {
    /// The sums of the samples at `origins` (in order), each followed `horizon` months later.
    /// A block of origins at a time, so the ARR by account and month is never held for every
    /// origin of a big table at once.
    pub(super) fn over(inputs: &Inputs, run: &Context, origins: &[Month], horizon: i32) -> anyhow::Result<Samples> {
        let settings = &run.targets.forecast;
        let names = class_names(run.modes.health, &settings.health_bands);
        let slots = inputs.slots()?;
        let mut by_origin = Vec::new();
        // The health at the previous origin, which the next one's starts from (origins are in
        // order); none before the first.
        let mut health_at = (None, Float64Chunked::full_null(c::HEALTH.into(), slots).into_series());
        let at_once = (BUFFER_VALUES / slots.max(1)).saturating_sub(horizon as usize).max(1);
        for block in origins.chunks(at_once) {
            let (Some(first), Some(last)) = (block.first(), block.last()) else { continue };
            let months = by_month(&inputs.arr, *first, last.plus(horizon), slots)?;
            let pair = |origin: Month| (col(arr_at(origin)), col(arr_at(origin.plus(horizon))));
            match (&inputs.health, run.modes.health) {
                // Each origin's samples classed by their health at it.
                (Some(history), HealthMode::History) => {
                    let scores = health_by_month(history, &health_at.1, health_at.0, block, slots)?;
                    let mut plans = Vec::with_capacity(block.len());
                    for (place, (origin, scores)) in block.iter().zip(scores).enumerate() {
                        let mut part = months.select([arr_at(*origin), arr_at(origin.plus(horizon))])?;
                        part.with_column(scores.clone().into_column())?;
                        health_at = (Some(*origin), scores);
                        plans.push(class_sums(part, pair(*origin), &settings.health_bands, place as u32));
                    }
                    // The block's origins side by side.
                    let table = concat(plans, UnionArgs::default())?.collect()?;
                    let (places, classes) = (table.column(ORIGIN)?.u32()?, table.column(CLASS)?.u32()?);
                    for i in 0..table.height() {
                        let (Some(place), Some(class)) = (places.get(i), classes.get(i)) else { continue };
                        by_origin.push((block[place as usize], names[class as usize].clone(), read(&table, "", i)?));
                    }
                }
                // One class: every origin of the block summed in one pass over its months.
                _ => {
                    let all = block.iter().flat_map(|origin| {
                        let (at, later) = pair(*origin);
                        aggregates(at, later, &origin.to_string())
                    });
                    let table = months.lazy().select(all.collect::<Vec<_>>()).collect()?;
                    for origin in block {
                        by_origin.push((*origin, ALL.to_string(), read(&table, &origin.to_string(), 0)?));
                    }
                }
            }
        }
        Ok(Samples { by_origin })
    }
}

/// Every account's ARR at each month from `first` to `last` (0 without a row) as one column
/// per month (`arr_<month>`, indexed by account key). The ARR table has one row per account and
/// month, so its rows are scattered once into one buffer, month after month, and each month's
/// column is a slice of it: an origin's samples are then two columns side by side, with no
/// join and no shift over the ARR table.
fn by_month(arr: &DataFrame, first: Month, last: Month, slots: usize) -> anyhow::Result<DataFrame> {
    let values = scatter_months(arr, c::ARR, first, last, slots, Some(0.0))?;
    let months = (last.0 - first.0 + 1) as usize;
    let columns = (0..months).map(|offset| {
        let name = arr_at(Month(first.0 + offset as i32));
        values.slice((offset * slots) as i64, slots).with_name(name.into()).into_column()
    });
    Ok(DataFrame::new_infer_height(columns.collect())?)
}

/// `value` of `frame`'s rows (by account key and month) at the months `first` to `last`,
/// scattered into one buffer month after month, `slots` values a month; `empty` (or null) where
/// an account has no row that month.
fn scatter_months(
    frame: &DataFrame,
    value: &str,
    first: Month,
    last: Month,
    slots: usize,
    empty: Option<f64>,
) -> anyhow::Result<Series> {
    let months = (last.0 - first.0 + 1).max(1) as usize;
    let Some(size) = slots.checked_mul(months).filter(|size| *size <= IdxSize::MAX as usize) else {
        anyhow::bail!("{slots} accounts over {months} months are too many for one forecast buffer");
    };
    let month = || col(c::MONTH);
    let slot = (month() - lit(first.0)).cast(IDX_DTYPE) * lit(slots as IdxSize) + col(c::KEY).cast(IDX_DTYPE);
    let rows = frame
        .clone()
        .lazy()
        .filter(month().gt_eq(lit(first.0)).and(month().lt_eq(lit(last.0))))
        .select([slot.alias(SLOT), col(value)])
        .collect()?;
    let at = rows.column(SLOT)?.idx()?.rechunk();
    let mut buffer = match empty {
        Some(fill) => Float64Chunked::full(value.into(), fill, size),
        None => Float64Chunked::full_null(value.into(), size),
    };
    Ok(buffer.scatter(at.cont_slice()?, rows.column(value)?.f64()?.iter())?)
}

/// Each account's health at each of `months` (consecutive, in order) from `scores`, its health
/// at an earlier month `since` (SPEC §11: an account's latest row at or before the month). The
/// first month's rows since `since` are scattered over `scores`; the later months' rows are
/// scattered once into one buffer ([`scatter_months`]), and each month's scores are its own
/// rows over the month before's: one pass over health.csv for all the months, not one each.
fn health_by_month(
    history: &DataFrame,
    scores: &Series,
    since: Option<Month>,
    months: &[Month],
    slots: usize,
) -> anyhow::Result<Vec<Series>> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(Vec::new()) };
    let mut by_month = vec![health::later(history, scores, since, *first)?];
    if last <= first {
        return Ok(by_month);
    }
    let own = scatter_months(history, c::HEALTH, first.plus(1), *last, slots, None)?;
    let own = own.f64()?;
    for offset in 0..(last.0 - first.0) as usize {
        let rows = own.slice((offset * slots) as i64, slots);
        let before = by_month[offset].f64()?;
        by_month.push(rows.zip_with(&rows.is_not_null(), before)?.with_name(c::HEALTH.into()).into_series());
    }
    Ok(by_month)
}

/// The class table from the samples at `origins`.
pub(super) fn calibrate(samples: &Samples, run: &Context, origins: &[Month]) -> Calibration {
    let settings = &run.targets.forecast;
    let names = class_names(run.modes.health, &settings.health_bands);
    let (first, last) = (origins.first().copied(), origins.last().copied());
    let within = |month: Month| first.is_some_and(|f| month >= f) && last.is_some_and(|l| month <= l);
    let mut by_class: Vec<(&str, Sums)> = Vec::new();
    for (_, class, sums) in samples.by_origin.iter().filter(|(origin, ..)| within(*origin)) {
        match by_class.iter_mut().find(|(name, _)| *name == class) {
            Some((_, total)) => *total = total.plus(sums),
            None => by_class.push((class, *sums)),
        }
    }
    let pooled = by_class.iter().fold(Sums::default(), |all, (_, s)| all.plus(s));
    let classes = names
        .into_iter()
        .map(|class| {
            let own = by_class.iter().find(|(name, _)| *name == class).map(|(_, s)| *s).unwrap_or_default();
            let pooled_in = own.n < u64::from(settings.min_samples);
            let used = if pooled_in { pooled } else { own };
            let known = pooled.n > 0;
            ForecastClass {
                class,
                n: own.n,
                p: known.then(|| used.p()),
                m: known.then(|| used.m()),
                v: known.then(|| used.v()),
                pooled: pooled_in,
            }
        })
        .collect();
    Calibration { classes, pooled_samples: pooled.n }
}

/// What each class's statistics are made of, summed in one pass: `n`, the churned, and over
/// the survivors Σ w, Σ w·r and Σ w·r² (w = ARR at the origin, r = later ÷ at the origin).
/// Sums add up, so the pooled statistics are the classes' sums added.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sums {
    n: u64,
    churned: u64,
    weight: f64,
    grown: f64,
    squared: f64,
}

impl Sums {
    fn plus(self, other: &Sums) -> Sums {
        Sums {
            n: self.n + other.n,
            churned: self.churned + other.churned,
            weight: self.weight + other.weight,
            grown: self.grown + other.grown,
            squared: self.squared + other.squared,
        }
    }

    /// The chance of churn.
    fn p(&self) -> f64 {
        self.churned as f64 / self.n.max(1) as f64
    }

    /// Σ w·r ÷ Σ w; 1 when none survived.
    fn m(&self) -> f64 {
        if self.weight > 0.0 {
            self.grown / self.weight
        } else {
            1.0
        }
    }

    /// Σ w·(r − m)² ÷ Σ w = Σ w·r² ÷ Σ w − m²; 0 when none survived.
    fn v(&self) -> f64 {
        if self.weight > 0.0 {
            (self.squared / self.weight - self.m() * self.m()).max(0.0)
        } else {
            0.0
        }
    }
}

/// The sums of the samples of one origin, `at` its ARR there and `later` a horizon later,
/// named with `tag`.
fn aggregates(at: Expr, later: Expr, tag: &str) -> [Expr; 5] {
    values(at, later).map(|(name, value)| value.sum().alias(format!("{tag}{name}")))
}

/// What each account adds to its origin's sums, by the sum's name: an account is a sample when
/// `at` > 0; a survivor adds its weight `at`, `later` and `later² ÷ at` (w·r and w·r²).
fn values(at: Expr, later: Expr) -> [(&'static str, Expr); 5] {
    let sample = || at.clone().gt(lit(0.0));
    let survived = || sample().and(later.clone().gt(lit(0.0)));
    let survivors = |value: Expr| when(survived()).then(value).otherwise(lit(0.0));
    [
        (N, sample().cast(DataType::UInt64)),
        (CHURNED, sample().and(survived().not()).cast(DataType::UInt64)),
        (WEIGHT, survivors(at.clone())),
        (GROWN, survivors(later.clone())),
        (SQUARED, survivors(later.clone() * later.clone() / at.clone())),
    ]
}

/// The sums of each class of one origin's samples (`part`, with its ARR there and a horizon
/// later, `pair`, and each account's health), classed by the health bands `cuts`, with the
/// origin's `place` in its block. Each account's values are computed over the whole column and
/// then summed by class, the group-by's fast path.
fn class_sums(part: DataFrame, pair: (Expr, Expr), cuts: &[f64], place: u32) -> LazyFrame {
    let values = values(pair.0, pair.1);
    let mut columns = vec![class_expr(cuts).alias(CLASS)];
    columns.extend(values.iter().map(|(name, value)| value.clone().alias(*name)));
    part.lazy()
        .select(columns)
        .group_by_stable([col(CLASS)])
        .agg(values.map(|(name, _)| col(name).sum()))
        .with_column(lit(place).cast(DataType::UInt32).alias(ORIGIN))
}

/// Row `i` of the [`aggregates`] tagged `tag` in `table`.
fn read(table: &DataFrame, tag: &str, i: usize) -> PolarsResult<Sums> {
    let count =
        |what: &str| -> PolarsResult<u64> { Ok(table.column(&format!("{tag}{what}"))?.u64()?.get(i).unwrap_or(0)) };
    let sum =
        |what: &str| -> PolarsResult<f64> { Ok(table.column(&format!("{tag}{what}"))?.f64()?.get(i).unwrap_or(0.0)) };
    Ok(Sums {
        n: count(N)?,
        churned: count(CHURNED)?,
        weight: sum(WEIGHT)?,
        grown: sum(GROWN)?,
        squared: sum(SQUARED)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{account, inputs, period, targets};

    #[test]
    fn classes_are_the_bands_then_unscored() {
        let names = class_names(HealthMode::History, &[5.0, 7.0, 8.0]);
        assert_eq!(names, ["<5", "5–7", "7–8", "8+", "unscored"]);
        assert_eq!(class_names(HealthMode::History, &[6.5]), ["<6.5", "6.5+", "unscored"]);
        assert_eq!(class_names(HealthMode::Current, &[5.0]), ["all"]);
    }

    #[test]
    fn a_band_includes_its_lower_bound() {
        let names = class_names(HealthMode::History, &[5.0, 7.0, 8.0]);
        let scores = df!(c::HEALTH => [Some(4.99), Some(5.0), Some(7.0), Some(7.99), Some(8.0), None]).unwrap();
        let classed = scores.lazy().select([class_expr(&[5.0, 7.0, 8.0]).alias(CLASS)]).collect().unwrap();
        let places = classed.column(CLASS).unwrap().u32().unwrap();
        let got: Vec<&str> = places.iter().flatten().map(|place| names[place as usize].as_str()).collect();
        assert_eq!(got, ["<5", "5–7", "7–8", "7–8", "8+", "unscored"]);
    }

    /// Four accounts followed from 2026-04 and 2026-05 to two months later (by hand):
    /// a: 100 → 110 (2026-04 → 06), 110 → 0 (05 → 07): one survivor (r = 1.1), one churn;
    /// b: 200 → 200, 200 → 180: survivors r = 1.0 and 0.9;
    /// c: 0 at 2026-04 (not a sample), 50 → 75 from 2026-05: r = 1.5;
    /// d: 300 → 0 (no row two months later): a churn; no ARR at 2026-05.
    /// n = 6, churned 2, p = 1/3; survivors' Σ w = 100 + 200 + 200 + 50 = 550 and Σ later =
    /// 110 + 200 + 180 + 75 = 565, m = 565 / 550 = 1.027273; v = Σ w·(r − m)² / Σ w =
    /// (100·0.072727² + 200·0.027273² + 200·0.127273² + 50·0.472727²) / 550 = 0.027438.
    #[test]
    fn one_class_calibrates_by_hand() {
        let book =
            [account("a", "Ada", None), account("b", "Ada", None), account("c", "Bo", None), account("d", "Bo", None)];
        let arr = [
            ("a", "2026-04", 100.0),
            ("a", "2026-05", 110.0),
            ("a", "2026-06", 110.0),
            ("a", "2026-07", 0.0),
            ("b", "2026-04", 200.0),
            ("b", "2026-05", 200.0),
            ("b", "2026-06", 200.0),
            ("b", "2026-07", 180.0),
            ("c", "2026-05", 50.0),
            ("c", "2026-07", 75.0),
            ("d", "2026-04", 300.0),
        ];
        let data = inputs(&book, &arr);
        let targets = targets();
        let run = Context::new(period(&data, "2026-Q2"), &targets, &data);
        let origins = [Month::parse("2026-04").unwrap(), Month::parse("2026-05").unwrap()];
        let samples = Samples::over(&data, &run, &origins, 2).unwrap();
        let calibration = calibrate(&samples, &run, &origins);
        assert_eq!(calibration.pooled_samples, 6);
        let all = &calibration.classes[0];
        assert_eq!((all.class.as_str(), all.n, all.pooled), ("all", 6, true));
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-6;
        assert!(close(all.p, 1.0 / 3.0), "{all:?}");
        assert!(close(all.m, 565.0 / 550.0), "{all:?}");
        assert!(close(all.v, 0.027438), "{all:?}");
    }
}
