//! Each advisor's quarter ahead (SPEC §12): every account's ARR at `T` in the three scenarios
//! (`runrate`, `expected`, `downside`) and its variance, the scenarios' metrics on the history
//! extended by `T`, the spread of the expected end ARR, the chance of meeting the NDR target,
//! what it takes, and the renewals that decide it.

use std::collections::HashMap;

use polars::prelude::*;

use super::calibrate::class_expr;
use super::history::{Known, Scenario};
use super::Scope;
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::modes::{CurrencyMode, HealthMode, OwnershipMode};
use crate::domain::targets::Level;
use crate::model::{AdvisorForecast, ForecastClass, ForecastRenewal, WindowMetrics};
use crate::pipeline::classify::scatter_by_key;
use crate::pipeline::context::Context;
use crate::pipeline::evaluate::status;
use crate::pipeline::load::{health, Inputs};

/// `z` of the normal distribution's 90th percentile: the 10–90% range is ± z·σ.
const Z90: f64 = 1.2815515655446004;

/// The columns of the accounts' frame, indexed by account key.
const AT_ORIGIN: &str = "at_origin";
const CLASS: &str = "class";
const P: &str = "p";
const M: &str = "m";
const V: &str = "v";
const EXPECTED: &str = "expected";
const VARIANCE: &str = "variance";
const RENEWS: &str = "renews";

/// Every account as the forecast sees it at `O`, by key.
struct Accounts {
    frame: DataFrame,
    /// The classes' names, by the place the frame's `class` column gives.
    classes: Vec<String>,
}

/// Each account's renewal month, by key (null without a date); none at all when accounts.csv
/// gives no renewal date. Read once per run, for the forecast and the backtest's.
pub(super) struct Renewals(Option<Int32Chunked>);

impl Renewals {
    pub(super) fn of(inputs: &Inputs) -> PolarsResult<Renewals> {
        let dates = inputs.accounts.column(c::RENEWAL_DATE)?.str()?;
        if dates.null_count() == dates.len() {
            return Ok(Renewals(None));
        }
        let keys = inputs.accounts.column(c::KEY)?.u32()?;
        let slots = inputs.slots()?;
        let months: Vec<Option<i32>> =
            dates.iter().map(|d| d.and_then(|d| d.get(..7)).and_then(Month::parse).map(|m| m.0)).collect();
        let mut by_key = Int32Chunked::full_null(RENEWS.into(), slots);
        Ok(Renewals(Some(by_key.scatter(keys.rechunk().cont_slice()?, months)?.i32()?.clone())))
    }

    /// Whether accounts.csv gives any renewal date.
    pub(super) fn dated(&self) -> bool {
        self.0.is_some()
    }

    /// Whether each account renews in `O+1 … T`, by key.
    fn within(&self, origin: Month, target: Month, slots: usize) -> PolarsResult<BooleanChunked> {
        match &self.0 {
            // An account without a renewal date does not renew in it.
            Some(months) => (months.gt(origin.0) & months.lt_eq(target.0)).fill_null_with_values(false),
            None => Ok(BooleanChunked::full(RENEWS.into(), false, slots)),
        }
    }
}

/// Every advisor's quarter ahead from `O` to `T`, with `classes` calibrated.
pub(super) fn advisors(
    inputs: &Inputs,
    run: &Context,
    renewals: &Renewals,
    origin: Month,
    target: Month,
    classes: &[ForecastClass],
    scope: Scope,
) -> anyhow::Result<HashMap<String, AdvisorForecast>> {
    let known = Known::new(inputs, run, origin, target)?;
    let accounts =
        Accounts::at(inputs, run, &known, renewals.within(origin, target, inputs.slots()?)?, origin, classes)?;
    let column = |name: &str| -> PolarsResult<Float64Chunked> { Ok(accounts.frame.column(name)?.f64()?.clone()) };
    let dates = renewals.dated();
    // The expected scenario with its uncertainty beside the other two: most of their steps are
    // too small for Polars to keep both cores busy.
    let (expected, others) = rayon::join(
        || -> anyhow::Result<_> {
            let expected = known.metrics(run, &column(EXPECTED)?)?;
            let deciding = deciding(&expected, &accounts, target, run, scope)?;
            Ok((expected, deciding))
        },
        || -> anyhow::Result<_> {
            Ok(match scope {
                Scope::All => (
                    known.metrics(run, &column(AT_ORIGIN)?)?.by_advisor,
                    match dates {
                        true => known.metrics(run, &downside(&accounts, inputs, &known, run, origin)?)?.by_advisor,
                        // Without renewal dates there is no downside (SPEC §12), and the pages say so.
                        false => HashMap::new(),
                    },
                ),
                Scope::Expected => (HashMap::new(), HashMap::new()),
            })
        },
    );
    let ((expected, mut deciding), (runrate, downside)) = (expected?, others?);
    let levels: HashMap<&str, &Level> =
        inputs.roster.iter().filter_map(|r| Some((r.advisor.as_str(), run.targets.level(&r.level)?))).collect();
    let mut by_advisor = HashMap::new();
    for (advisor, metrics) in &expected.by_advisor {
        let own = deciding.remove(advisor.as_str()).unwrap_or_default();
        let forecast = advisor_forecast(
            metrics,
            runrate.get(advisor),
            downside.get(advisor),
            own.variance,
            own.renewals,
            levels.get(advisor.as_str()).copied(),
        );
        let forecast = match dates {
            true => forecast,
            false => AdvisorForecast { renewals_in_horizon: None, renewals_arr: None, ..forecast },
        };
        by_advisor.insert(advisor.clone(), forecast);
    }
    Ok(by_advisor)
}

/// One advisor's figures from the three scenarios' metrics, the variance `sigma2` of the
/// expected end ARR and the renewals that decide it.
fn advisor_forecast(
    expected: &WindowMetrics,
    runrate: Option<&WindowMetrics>,
    downside: Option<&WindowMetrics>,
    sigma2: f64,
    renewals: Vec<ForecastRenewal>,
    level: Option<&Level>,
) -> AdvisorForecast {
    let start = expected.start_arr.filter(|s| *s > 0.0);
    let end = expected.end_arr;
    let sigma = sigma2.max(0.0).sqrt();
    let ratio = |value: f64| start.map(|s| value / s);
    let target = level.map(|l| l.ndr.target);
    let p_meets = match (start, end, target) {
        (Some(s), Some(e), Some(t)) if sigma == 0.0 => Some(if e >= t * s - 1e-9 * s { 1.0 } else { 0.0 }),
        (Some(s), Some(e), Some(t)) => Some(normal_cdf((e - t * s) / sigma)),
        _ => None,
    };
    let runrate_end = runrate.and_then(|m| m.end_arr);
    let statuses = |value: Option<f64>, goal: fn(&Level) -> crate::domain::targets::Goal| match level {
        Some(l) => status::status(value, goal(l)),
        None => crate::model::Status::NotApplicable,
    };
    AdvisorForecast {
        start_arr: expected.start_arr,
        runrate_end_arr: runrate_end,
        runrate_ndr: runrate.and_then(|m| m.ndr),
        runrate_grr: runrate.and_then(|m| m.grr),
        expected_end_arr: end,
        expected_ndr: expected.ndr,
        expected_grr: expected.grr,
        ndr_p10: end.and_then(|e| ratio(e - Z90 * sigma)),
        ndr_p90: end.and_then(|e| ratio(e + Z90 * sigma)),
        p_meets_ndr: p_meets,
        downside_ndr: downside.and_then(|m| m.ndr),
        downside_grr: downside.and_then(|m| m.grr),
        expected_ndr_status: statuses(expected.ndr, |l| l.ndr),
        expected_grr_status: statuses(expected.grr, |l| l.grr),
        ndr_gap_arr: match (start, runrate_end, target) {
            (Some(s), Some(e), Some(t)) => Some(t * s - e),
            _ => None,
        },
        renewals_in_horizon: Some(renewals.len() as u64),
        renewals_arr: Some(renewals.iter().map(|r| r.arr).sum()),
        renewals,
    }
}

/// Φ, the standard normal distribution function.
fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
}

impl Accounts {
    /// Every account's ARR at `O`, health and class at `O`, its class's `p`, `m`, `v`, its
    /// expected ARR and variance at `T` (own currency), and whether it renews in `O+1 … T`
    /// (`renewal`, by key).
    fn at(
        inputs: &Inputs,
        run: &Context,
        known: &Known,
        renewal: BooleanChunked,
        origin: Month,
        classes: &[ForecastClass],
    ) -> anyhow::Result<Accounts> {
        let keys = inputs.accounts.column(c::KEY)?.u32()?;
        let slots = inputs.slots()?;
        let at_origin = known.arr().clone().lazy().filter(col(c::MONTH).eq(lit(origin.0))).collect()?;
        let x = scatter_by_key(slots, at_origin.column(c::KEY)?, at_origin.column(c::ARR)?)?;
        let scores = match (&known.health(), run.modes.health) {
            (Some(history), HealthMode::History) => health::at(history, origin, slots)?,
            // Without a history, accounts.csv's score stands for every month (SPEC §11).
            _ => {
                let mut by_key = Float64Chunked::full_null(c::HEALTH.into(), slots);
                let current = inputs.accounts.column(c::HEALTH)?.f64()?;
                by_key.scatter(keys.rechunk().cont_slice()?, current.iter())?
            }
        };
        // Each account's class as its place in `classes`, which are in the order of their names.
        let class = match run.modes.health {
            HealthMode::History => class_expr(&run.targets.forecast.health_bands),
            HealthMode::Current => lit(0u32).cast(DataType::UInt32),
        };
        let table = df!(
            CLASS => (0..classes.len() as u32).collect::<Vec<_>>(),
            P => classes.iter().map(|c| c.p.unwrap_or(0.0)).collect::<Vec<_>>(),
            M => classes.iter().map(|c| c.m.unwrap_or(1.0)).collect::<Vec<_>>(),
            V => classes.iter().map(|c| c.v.unwrap_or(0.0)).collect::<Vec<_>>(),
        )?;
        let (p, m, v, at) = (col(P), col(M), col(V), || col(AT_ORIGIN));
        let survives = lit(1.0) - p;
        let frame = DataFrame::new_infer_height(vec![
            Column::new(c::KEY.into(), (0..slots as u32).collect::<Vec<_>>()),
            x.with_name(AT_ORIGIN.into()).into_column(),
            scores.with_name(c::HEALTH.into()).into_column(),
            renewal.with_name(RENEWS.into()).into_series().into_column(),
        ])?
        .lazy()
        .with_column(class.alias(CLASS))
        .join(table.lazy(), [col(CLASS)], [col(CLASS)], in_key_order())
        .with_columns([
            (at() * survives.clone() * m.clone()).alias(EXPECTED),
            (at() * at() * (survives.clone() * (v + m.clone() * m.clone()) - (survives.clone() * m.clone()).pow(2)))
                .alias(VARIANCE),
        ])
        .collect()?;
        Ok(Accounts { frame, classes: classes.iter().map(|c| c.class.clone()).collect() })
    }
}

/// Every account's ARR at `T` in the downside scenario: 0 for an account renewing in
/// `O+1 … T` whose health at `O` is below its owner's level's minimum (unscored counts as
/// below; the first level's minimum for an owner without a level), else its ARR at `O`.
fn downside(
    accounts: &Accounts,
    inputs: &Inputs,
    known: &Known,
    run: &Context,
    origin: Month,
) -> anyhow::Result<Float64Chunked> {
    const MINIMUM: &str = "minimum";
    let levelled: Vec<(&str, f64)> = inputs
        .roster
        .iter()
        .filter_map(|r| Some((r.advisor.as_str(), run.targets.level(&r.level)?.health.target)))
        .collect();
    let minimums = df!(
        c::OWNER => levelled.iter().map(|(advisor, _)| *advisor).collect::<Vec<_>>(),
        MINIMUM => levelled.iter().map(|(_, minimum)| *minimum).collect::<Vec<_>>(),
    )?;
    let first = run.targets.levels.first().map_or(0.0, |l| l.health.target);
    let mut frame = accounts.frame.select([c::KEY, AT_ORIGIN, c::HEALTH, RENEWS])?;
    frame.with_column(known.owners_at_origin(origin)?.into_column())?;
    let below = col(c::HEALTH).is_null().or(col(c::HEALTH).lt(col(MINIMUM).fill_null(lit(first))));
    let downside = frame
        .lazy()
        .join(minimums.lazy(), [col(c::OWNER)], [col(c::OWNER)], in_key_order())
        .select([when(col(RENEWS).and(below))
            .then(lit(0.0))
            .otherwise(col(AT_ORIGIN).fill_null(lit(0.0)))
            .alias(c::ARR)])
        .collect()?;
    Ok(downside.column(c::ARR)?.f64()?.clone())
}

/// A left join that keeps the left frame's rows in their order: the accounts' frames are
/// indexed by key.
fn in_key_order() -> JoinArgs {
    JoinArgs { maintain_order: MaintainOrderJoin::Left, ..JoinArgs::new(JoinType::Left) }
}

/// One advisor's part of the expected scenario's uncertainty.
#[derive(Default)]
struct Deciding {
    /// Σ `Var[X]` over the advisor's cohort tenures whose end value is taken at `T`, in the
    /// reporting currency.
    variance: f64,
    /// Those accounts renewing in `O+1 … T`, largest expected loss first.
    renewals: Vec<ForecastRenewal>,
}

/// The accounts of each advisor's cohort whose end value is taken at `T` (their own at `O`),
/// with their variance and, when they renew by `T`, as renewals that decide it (not for the
/// backtest's forecasts, which show none).
fn deciding(
    expected: &Scenario,
    accounts: &Accounts,
    end: Month,
    run: &Context,
    scope: Scope,
) -> anyhow::Result<HashMap<String, Deciding>> {
    let table = &expected.per_account;
    let start = end.minus(run.period.window_months as i32);
    // Each account's rate at `O` (the rate column at `T`, rates known at `O`), 1 in one currency.
    let rate = match run.modes.currency {
        CurrencyMode::Converted => col(c::rate_at(end)),
        CurrencyMode::Single => lit(1.0),
    };
    let whole = match run.modes.ownership {
        OwnershipMode::History => col(c::whole_at(end)),
        OwnershipMode::Fixed => lit(true),
    };
    let in_cohort = col(c::arr_at(start)).gt(lit(0.0));
    // Each account's variance and renewal beside the table's rows: the accounts' frame is
    // indexed by key, so a gather by the table's keys, not a join.
    let beside = accounts.frame.select([VARIANCE, RENEWS])?.take(table.column(c::KEY)?.u32()?)?;
    let rows = table.hstack(beside.columns())?.lazy();
    // Each row's rate, its variance in the reporting currency (× rate²) and whether it renews.
    let at_rate = |rate: Expr| -> Vec<Expr> {
        vec![rate.clone().alias(c::RATE), (col(VARIANCE) * rate.clone() * rate).alias(VARIANCE), col(RENEWS)]
    };
    let mut owned = vec![rows
        .clone()
        .filter(whole.and(in_cohort))
        .select([[col(c::KEY), col(c::ADVISOR).alias(c::OWNER)].to_vec(), at_rate(rate.clone())].concat())];
    if let Some(tenures) = &expected.tenures {
        // Tenures that end at `T` (not handed out) and start above 0: the advisor's own at `O`.
        let rates = rows.clone().select([[col(c::KEY)].to_vec(), at_rate(rate)].concat());
        owned.push(
            tenures
                .clone()
                .lazy()
                .filter(col(c::HANDED_OUT).not().and(col(c::START).gt(lit(0.0))))
                .select([col(c::KEY), col(c::OWNER)])
                .join(rates, [col(c::KEY)], [col(c::KEY)], JoinArgs::new(JoinType::Inner)),
        );
    }
    let owned = concat(owned, UnionArgs::default())?.collect()?;
    let mut by_advisor: HashMap<String, Deciding> = HashMap::new();
    let variances = owned.clone().lazy().group_by([col(c::OWNER)]).agg([col(VARIANCE).sum()]).collect()?;
    let (owners, sums) = (variances.column(c::OWNER)?.str()?, variances.column(VARIANCE)?.f64()?);
    for (owner, sum) in owners.iter().zip(sums.iter()) {
        if let (Some(owner), Some(sum)) = (owner, sum) {
            by_advisor.entry(owner.to_string()).or_default().variance = sum;
        }
    }
    if scope == Scope::Expected {
        return Ok(by_advisor);
    }
    let names =
        table.clone().lazy().select([col(c::KEY), col(c::ACCOUNT_ID), col(c::ACCOUNT_NAME), col(c::RENEWAL_DATE)]);
    let renewing = owned
        .lazy()
        .filter(col(RENEWS))
        .join(names, [col(c::KEY)], [col(c::KEY)], JoinArgs::new(JoinType::Inner))
        .collect()?;
    let details = accounts.frame.select([AT_ORIGIN, EXPECTED, c::HEALTH, P, CLASS])?;
    let renewing = renewing.hstack(details.take(renewing.column(c::KEY)?.u32()?)?.columns())?;
    let text = |name: &str| renewing.column(name).and_then(|c| c.str().cloned());
    let number = |name: &str| renewing.column(name).and_then(|c| c.f64().cloned());
    let (owners, ids, names, dates, classes) = (
        text(c::OWNER)?,
        text(c::ACCOUNT_ID)?,
        text(c::ACCOUNT_NAME)?,
        text(c::RENEWAL_DATE)?,
        renewing.column(CLASS)?.u32()?.clone(),
    );
    let (x, expected_arr, health, p, rates) =
        (number(AT_ORIGIN)?, number(EXPECTED)?, number(c::HEALTH)?, number(P)?, number(c::RATE)?);
    for i in 0..renewing.height() {
        let (Some(owner), Some(x), Some(expected_arr), Some(rate)) =
            (owners.get(i), x.get(i), expected_arr.get(i), rates.get(i))
        else {
            continue;
        };
        by_advisor.entry(owner.to_string()).or_default().renewals.push(ForecastRenewal {
            account_id: ids.get(i).unwrap_or_default().to_string(),
            account_name: names.get(i).map(str::to_string),
            renewal_date: dates.get(i).unwrap_or_default().to_string(),
            arr: x * rate,
            health_score: health.get(i),
            class: classes.get(i).and_then(|place| accounts.classes.get(place as usize)).cloned().unwrap_or_default(),
            p_churn: p.get(i).unwrap_or(0.0),
            expected_loss: (x - expected_arr) * rate,
        });
    }
    for deciding in by_advisor.values_mut() {
        deciding
            .renewals
            .sort_by(|a, b| b.expected_loss.total_cmp(&a.expected_loss).then_with(|| a.account_id.cmp(&b.account_id)));
    }
    Ok(by_advisor)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::targets;

    fn metrics(start: f64, end: f64) -> WindowMetrics {
        WindowMetrics { start_arr: Some(start), end_arr: Some(end), ndr: Some(end / start), ..WindowMetrics::default() }
    }

    proptest! {
        /// The 10–90% range holds the expected NDR, and the chance of meeting a target falls
        /// as the target rises.
        #[test]
        fn the_range_holds_the_expectation_and_the_chance_falls_with_the_target(
            start in 1.0f64..1e7,
            end in 0.0f64..2e7,
            sigma in 0.0f64..1e6,
            targets_in in proptest::collection::vec(0.5f64..1.5, 2..6),
        ) {
            let mut level = targets().levels[0].clone();
            let mut chances = Vec::new();
            let mut goals = targets_in.clone();
            goals.sort_by(f64::total_cmp);
            for goal in &goals {
                level.ndr.target = *goal;
                let f = advisor_forecast(&metrics(start, end), None, None, sigma * sigma, Vec::new(), Some(&level));
                let (p10, expected, p90) = (f.ndr_p10.unwrap(), f.expected_ndr.unwrap(), f.ndr_p90.unwrap());
                prop_assert!(p10 <= expected + 1e-12 && expected <= p90 + 1e-12, "{p10} {expected} {p90}");
                chances.push(f.p_meets_ndr.unwrap());
            }
            for pair in chances.windows(2) {
                prop_assert!(pair[1] <= pair[0] + 1e-12, "{chances:?} for {goals:?}");
            }
        }
    }

    #[test]
    fn no_cohort_no_figures_and_no_level_no_chance() {
        let none = advisor_forecast(&WindowMetrics::default(), None, None, 0.0, Vec::new(), None);
        assert_eq!((none.expected_ndr, none.ndr_p10, none.p_meets_ndr, none.ndr_gap_arr), (None, None, None, None));
        let unlevelled =
            advisor_forecast(&metrics(100.0, 90.0), Some(&metrics(100.0, 95.0)), None, 4.0, Vec::new(), None);
        assert_eq!((unlevelled.p_meets_ndr, unlevelled.ndr_gap_arr), (None, None));
        assert_eq!(unlevelled.expected_ndr_status, crate::model::Status::NotApplicable);
        // σ = 2 on a start of 100: the range is 0.9 ∓ 1.2816 × 0.02.
        assert!((unlevelled.ndr_p10.unwrap() - (0.9 - Z90 * 0.02)).abs() < 1e-12);
    }
}
