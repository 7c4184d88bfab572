//! The compute stage: the window metrics of SPEC §4 ([`metrics`], the definitions) for every
//! book at every trend point, aggregated in one Polars plan per grouping, each book's ARR by
//! tier, and the roll-ups per manager and for the whole team.

mod metrics;

use metrics::{sum, sums_by_group, window_metrics, Rows, Sums};

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::calendar::Period;
use crate::domain::columns as c;
use crate::domain::columns::arr_at;
use crate::domain::columns::{owner_at, whole_at};
use crate::domain::modes::{CurrencyMode, Modes, OwnershipMode};
use crate::domain::segments::{Band, BandLabels, Segment};
use crate::model::{Rollup, RollupKind, WindowMetrics, UNASSIGNED};
use crate::pipeline::classify::{health_at, Classified};
use crate::pipeline::context::Context;
use crate::pipeline::load::RosterEntry;

/// Every advisor's metrics at every point of `run`'s period over `per_account` (and the tenure
/// rows of its windows, with ownership history): the forecast's scenarios are these metrics on
/// histories extended by the next quarter end.
pub(crate) fn advisor_metrics(
    per_account: &DataFrame,
    tenures: &[Option<DataFrame>],
    run: &Context,
) -> PolarsResult<HashMap<String, Vec<WindowMetrics>>> {
    compute_by(per_account, Grouping::Advisor, &run.period, run.modes, tenures)
}

/// What the compute stage hands on to evaluate.
pub(crate) struct Computed {
    /// Every advisor's metrics at every point of the period, by advisor; an advisor absent
    /// from it owns no account.
    pub(crate) by_advisor: HashMap<String, Vec<WindowMetrics>>,
    /// Every advisor's active ARR by tier at the evaluated quarter end.
    pub(crate) tiers: HashMap<String, Vec<TierTotal>>,
    /// Per manager, then the whole team, at the evaluated quarter end.
    pub(crate) rollups: Vec<Rollup>,
}

/// The metrics, tiers and roll-ups of every book, in the reporting currency.
pub(crate) fn compute(classified: &Classified, roster: &[RosterEntry], run: &Context) -> PolarsResult<Computed> {
    let (per_account, tenures, modes) = (&classified.per_account, &classified.tenures, run.modes);
    let by_advisor = compute_by(per_account, Grouping::Advisor, &run.period, modes, tenures)?;
    let tiers = tier_totals(per_account, &run.period, modes.currency, &run.targets.bands)?;
    crate::timing::done("metrics");
    let rollups = rollups(per_account, roster, &run.period, modes, tenures)?;
    crate::timing::done("rollups");
    Ok(Computed { by_advisor, tiers, rollups })
}

/// One tier of a book at the evaluated quarter end.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TierTotal {
    pub(crate) segment: Segment,
    pub(crate) band: Band,
    /// Active accounts in the tier.
    pub(crate) accounts: u64,
    /// Their ARR at the evaluated quarter end.
    pub(crate) arr: f64,
}

/// Which union of books a row belongs to, from its owner.
#[derive(Clone, Copy)]
enum Grouping<'a> {
    /// Each advisor's own book.
    Advisor,
    /// The books of each manager's advisors (a frame of `advisor`, `manager`).
    Manager(&'a DataFrame),
    /// Every advisor's book (unassigned accounts belong to none).
    Team,
}

impl Grouping<'_> {
    fn apply(self, rows: LazyFrame) -> LazyFrame {
        match self {
            Grouping::Advisor => rows.with_column(col(c::OWNER).alias(c::GROUP)),
            Grouping::Team => rows.with_column(
                when(col(c::OWNER).neq(lit(UNASSIGNED)))
                    .then(lit("Team"))
                    .otherwise(lit(NULL).cast(DataType::String))
                    .alias(c::GROUP),
            ),
            Grouping::Manager(managers) => {
                let managers = managers.clone().lazy().select([col(c::ADVISOR).alias(c::OWNER), col(c::MANAGER)]);
                rows.left_join(managers, col(c::OWNER), col(c::OWNER)).with_column(col(c::MANAGER).alias(c::GROUP))
            }
        }
    }
}

/// The metrics at every point of the period over the union of the books of each group (rows
/// whose group is null belong to no union). Each window is in constant currency at its end
/// month's rates; with ownership history, each point's book is the accounts owned at its end
/// and its window is cut into tenures (`tenures`, aligned with the period's points).
fn compute_by(
    per_account: &DataFrame,
    grouping: Grouping,
    period: &Period,
    modes: Modes,
    tenures: &[Option<DataFrame>],
) -> PolarsResult<HashMap<String, Vec<WindowMetrics>>> {
    let (conversion, ownership) = (modes.currency, modes.ownership);
    let table = per_account.clone().lazy();
    let mut frames: Vec<LazyFrame> = Vec::new();
    for (k, p) in period.points.iter().enumerate().filter(|(_, p)| p.end_known) {
        let point = lit(k as u32).cast(DataType::UInt32).alias(c::POINT);
        let (start, fx_impact) = if p.start_known {
            (conversion.arr(p.start, p.end), conversion.fx_impact(p.start, p.end))
        } else {
            (lit(0.0), lit(0.0))
        };
        let (owner, whole) = match ownership {
            OwnershipMode::History if p.start_known => (col(owner_at(p.end)), col(whole_at(p.end))),
            OwnershipMode::History => (col(owner_at(p.end)), lit(true)),
            OwnershipMode::Fixed => (col(c::ADVISOR), lit(true)),
        };
        let mut columns = vec![
            owner.alias(c::OWNER),
            health_at(p.end, modes.health).alias(c::HEALTH),
            start.alias(c::START),
            conversion.arr(p.end, p.end).alias(c::END),
            fx_impact.alias(c::FX_IMPACT),
            lit(false).alias(c::HANDED_IN),
            lit(false).alias(c::HANDED_OUT),
        ];
        if ownership == OwnershipMode::History {
            columns.extend([whole.alias(c::IN_WINDOW), lit(true).alias(c::IN_BOOK)]);
        }
        let mut rows = vec![grouping.apply(table.clone().select(columns))];
        if let Some(Some(tenures)) = tenures.get(k) {
            let tenures = tenures.clone().lazy().select([
                col(c::OWNER),
                lit(NULL).cast(DataType::Float64).alias(c::HEALTH),
                col(c::START),
                col(c::END),
                col(c::FX_IMPACT),
                col(c::HANDED_IN),
                col(c::HANDED_OUT),
                lit(true).alias(c::IN_WINDOW),
                lit(false).alias(c::IN_BOOK),
            ]);
            rows.push(grouping.apply(tenures));
        }
        // One group-by per point, on the group alone: a key of two columns costs a row
        // encoding of every owner's name, and the points' plans run side by side. Stable, and
        // with Polars' partitioned aggregation off (`POLARS_NO_PARTITION`, set by the binary's
        // `main`), so each group is summed in one pass in row order: the team's and a manager's
        // sums (a million accounts in one group) otherwise came out in another order, and other
        // last bits, from run to run.
        frames.push(
            concat(rows, UnionArgs::default())?
                .filter(col(c::GROUP).is_not_null())
                .group_by_stable([col(c::GROUP)])
                .agg(Rows { ownership }.sums())
                .with_column(point),
        );
    }
    let sums = concat(frames, UnionArgs::default())?.collect()?;

    let by_advisor = sums_by_group(&sums, period.points.len())?;
    Ok(by_advisor
        .into_iter()
        .map(|(advisor, sums)| {
            let metrics = sums.iter().zip(&period.points).map(|(s, p)| window_metrics(s, p)).collect();
            (advisor, metrics)
        })
        .collect())
}

/// SPEC §4 metrics at the evaluated quarter end over the union of the books of each manager's
/// advisors, then of every advisor (unassigned accounts belong to no advisor's book).
fn rollups(
    per_account: &DataFrame,
    roster: &[RosterEntry],
    period: &Period,
    modes: Modes,
    tenures: &[Option<DataFrame>],
) -> PolarsResult<Vec<Rollup>> {
    let managers = df!(
        c::ADVISOR => roster.iter().map(|r| r.advisor.clone()).collect::<Vec<_>>(),
        c::MANAGER => roster.iter().map(|r| r.manager.clone()).collect::<Vec<_>>(),
    )?;
    // Roll-ups show the evaluated quarter only: the trend's other points are not computed.
    let period = &Period { points: vec![*period.evaluated()], ..period.clone() };
    let tenures = &tenures[..tenures.len().min(1)];
    let by_manager = compute_by(per_account, Grouping::Manager(&managers), period, modes, tenures)?;
    let team = compute_by(per_account, Grouping::Team, period, modes, tenures)?;

    let owners = per_account.column(c::ADVISOR)?.unique()?;
    let owners = owners.str()?;
    let advisors_of = |manager: Option<&str>| {
        let mut names: Vec<&str> = roster
            .iter()
            .filter(|r| manager.is_none() || r.manager.as_deref() == manager)
            .map(|r| r.advisor.as_str())
            .collect();
        if manager.is_none() {
            // Advisors off the roster own books too.
            names.extend(owners.iter().flatten().filter(|a| *a != UNASSIGNED));
        }
        names.sort();
        names.dedup();
        names.len() as u64
    };
    let mut names: Vec<&String> = by_manager.keys().collect();
    names.sort();
    let mut rollups: Vec<Rollup> = names
        .into_iter()
        .map(|name| Rollup {
            name: name.clone(),
            kind: RollupKind::Manager,
            advisors: advisors_of(Some(name)),
            metrics: by_manager[name][0].clone(),
        })
        .collect();
    let team_metrics = team.get("Team").map(|m| m[0].clone()).unwrap_or_else(|| empty_book(period).remove(0));
    rollups.push(Rollup {
        name: "Team".into(),
        kind: RollupKind::Team,
        advisors: advisors_of(None),
        metrics: team_metrics,
    });
    Ok(rollups)
}

/// The metrics of a book that owns no account, at every point.
pub(crate) fn empty_book(period: &Period) -> Vec<WindowMetrics> {
    period.points.iter().map(|p| window_metrics(&Sums::default(), p)).collect()
}

/// ARR and active accounts by segment and band at the evaluated quarter end, by advisor.
fn tier_totals(
    per_account: &DataFrame,
    period: &Period,
    conversion: CurrencyMode,
    labels: &BandLabels,
) -> PolarsResult<HashMap<String, Vec<TierTotal>>> {
    let end = period.evaluated().end;
    let totals = per_account
        .clone()
        .lazy()
        .filter(col(arr_at(end)).gt(lit(0.0)))
        .group_by([col(c::ADVISOR), col(c::SEGMENT), col(c::BAND)])
        .agg([
            conversion.arr(end, end).sum().alias(sum::TIER_ARR),
            len().cast(DataType::UInt64).alias(sum::TIER_ACCOUNTS),
        ])
        .collect()?;
    let advisors = totals.column(c::ADVISOR)?.str()?;
    let segments = totals.column(c::SEGMENT)?.str()?;
    let bands = totals.column(c::BAND)?.str()?;
    let arr = totals.column(sum::TIER_ARR)?.f64()?;
    let accounts = totals.column(sum::TIER_ACCOUNTS)?.u64()?;
    let mut by_advisor: HashMap<String, Vec<TierTotal>> = HashMap::new();
    for i in 0..totals.height() {
        // The classify stage wrote both columns, in these spellings.
        let (segment, band) = (segments.get(i).unwrap_or_default(), bands.get(i).unwrap_or_default());
        let segment = Segment::normalise(segment).ok_or_else(|| polars_err!(ComputeError: "segment '{segment}'"))?;
        let band = labels.parse(band).ok_or_else(|| polars_err!(ComputeError: "band '{band}'"))?;
        by_advisor.entry(advisors.get(i).unwrap_or_default().to_string()).or_default().push(TierTotal {
            segment,
            band,
            accounts: accounts.get(i).unwrap_or(0),
            arr: arr.get(i).unwrap_or(0.0),
        });
    }
    Ok(by_advisor)
}
