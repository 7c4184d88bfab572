//! The result model every output reads: JSON is this model serialised; CSV, Markdown, HTML, the
//! charts and the terminal are views of it. Every number a view shows is a field here, so no
//! renderer computes or decides anything. This file imports no stage: the stages fill it.
//!
//! Fields marked `#[serde(skip)]` are for the views only and stay out of scorecards.json.

use serde::Serialize;

use crate::domain::calendar::Period;
use crate::domain::modes::{CurrencyMode, HealthMode, Modes, OwnershipMode};
use crate::domain::segments::{Band, Segment};
use crate::domain::targets::{Basis, Level, Targets};
use crate::format::{amount_cents, thousands};
use crate::warnings::Warning;

mod accounts;
mod forecast;
pub(crate) mod inputs;
pub(crate) mod plan;

pub(crate) use accounts::{
    AccountMove, AccountRisk, AccountRow, HealthBand, Movement, Renewal, RenewalTotals, Transfer, TransferTotal,
};
pub(crate) use forecast::{
    AdvisorForecast, Ahead, Backtest, BacktestFigures, BacktestPoint, Forecast, ForecastClass, ForecastRenewal,
    PastForecast,
};

/// The advisor name under which accounts with a blank advisor are reported (SPEC §7).
pub(crate) use crate::domain::ledger::UNASSIGNED;

/// Everything a `score` run produced.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The evaluated quarter, as `2026-Q3`.
    pub(crate) quarter: String,
    /// Its last month `E`, as `2026-09`.
    pub(crate) as_of_month: String,
    /// Months between the start and the end of each window.
    pub(crate) window_months: u32,
    /// First month present in arr.csv.
    pub(crate) data_first_month: String,
    /// Last month present in arr.csv.
    pub(crate) data_last_month: String,
    /// The targets file in force.
    pub(crate) targets: String,
    /// Which value of NDR and GRR the statuses rate: `t12m` or `average4` (SPEC §4).
    pub(crate) basis: Basis,
    /// The rest of the targets' rules the pages' definitions name.
    #[serde(skip)]
    pub(crate) rules: Rules,
    /// What produced the report: the input files' fingerprints, the targets, the version and the
    /// command line.
    pub(crate) inputs: inputs::Inputs,
    /// The reporting currency's ISO code: every amount is in it, at each window's end rates.
    pub(crate) currency: String,
    /// Whether health.csv gave each quarter end its own scores (SPEC §11); without it every
    /// quarter end uses today's scores, and the pages say so. Written `health_history`, a boolean.
    #[serde(rename = "health_history", serialize_with = "is_history")]
    pub(crate) health: HealthMode,
    /// With or without ownership history (SPEC §9): which columns and sections the views show.
    #[serde(skip)]
    pub(crate) ownership: OwnershipMode,
    /// With or without currency conversion (SPEC §10): whether the forecast holds rates.
    #[serde(skip)]
    pub(crate) conversion: CurrencyMode,
    /// Non-fatal data-quality findings of the run.
    pub(crate) warnings: Vec<String>,
    /// What was read beyond the plain formats (currency symbols, grouping, date formats).
    pub(crate) notes: Vec<String>,
    /// Proof that every ARR dollar and every arr.csv row is accounted for.
    pub(crate) reconciliation: Reconciliation,
    /// The career levels in force (targets, scope, behaviours), in career order.
    pub(crate) levels: Vec<Level>,
    /// How to read the framework: levels build on each other, behaviours are examples, and so on.
    pub(crate) framework_rules: Vec<String>,
    /// SPEC §4 metrics over the union of books: per manager, then the whole team.
    pub(crate) rollups: Vec<Rollup>,
    /// One per advisor on the roster or owning accounts, sorted by name (byte order).
    pub(crate) scorecards: Vec<Scorecard>,
    /// One per account of accounts.csv, sorted by advisor then account_id (written to accounts.csv).
    #[serde(skip)]
    pub(crate) accounts: Vec<AccountRow>,
    /// With ownership history (SPEC §9), every hand-over inside the evaluated window
    /// (transfers.csv); `None` without.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) transfers: Option<Vec<Transfer>>,
    /// What a manager reads first: how many advisors meet, who is ready, who needs attention.
    pub(crate) team_summary: TeamSummary,
    /// The quarter ahead (SPEC §12): the next quarter end, the origin and horizon, the class
    /// table, or why there is no forecast.
    pub(crate) forecast: Forecast,
    /// How good the forecast has been at the last quarter ends (SPEC §12).
    pub(crate) backtest: Backtest,
}

impl Report {
    /// The hand-overs inside the evaluated window: none without ownership history.
    pub(crate) fn transfers(&self) -> &[Transfer] {
        self.transfers.as_deref().unwrap_or_default()
    }
}

/// The team at a glance, over the advisors with a level.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct TeamSummary {
    /// Advisors by overall status.
    pub(crate) meets: u64,
    pub(crate) near: u64,
    pub(crate) below: u64,
    pub(crate) not_applicable: u64,
    /// Advisors ready for the next level on performance, as `Priya Shah (IC1 → IC2)`.
    pub(crate) promotion_candidates: Vec<String>,
    /// Advisors below their level at this quarter end and the one before.
    pub(crate) below_twice: Vec<String>,
    /// Every advisor's renewals of the next two quarters, totalled by health band.
    #[serde(skip)]
    pub(crate) renewals: RenewalTotals,
}

/// What the report says about how the inputs were read, beside their numbers.
pub(crate) struct Provenance {
    /// What was read beyond the plain formats.
    pub(crate) notes: Vec<String>,
    /// The reporting currency's ISO code.
    pub(crate) currency: String,
    /// The run's modes: with or without ownership history, health history, conversion.
    pub(crate) modes: Modes,
}

/// `health_history` in scorecards.json: whether health.csv gave each quarter end its scores.
fn is_history<S: serde::Serializer>(health: &HealthMode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(*health == HealthMode::History)
}

/// What the evaluate stage hands on: the scorecards with the roll-ups and accounts behind them.
pub(crate) struct Evaluated {
    /// One per advisor on the roster or owning accounts, sorted by name (byte order).
    pub(crate) scorecards: Vec<Scorecard>,
    /// Per manager, then the whole team.
    pub(crate) rollups: Vec<Rollup>,
    /// One per account, sorted by advisor then account_id.
    pub(crate) accounts: Vec<AccountRow>,
    /// With ownership history, the hand-overs inside the evaluated window.
    pub(crate) transfers: Option<Vec<Transfer>>,
    pub(crate) team_summary: TeamSummary,
    /// The forecast's frame and class table.
    pub(crate) forecast: Forecast,
    /// The past forecasts against what happened.
    pub(crate) backtest: Backtest,
}

impl Report {
    pub(crate) fn new(
        period: &Period,
        targets: &Targets,
        read: Provenance,
        warnings: &[Warning],
        reconciliation: Reconciliation,
        evaluated: Evaluated,
        inputs: inputs::Inputs,
    ) -> Report {
        let Provenance { notes, currency, modes } = read;
        Report {
            quarter: period.evaluated().quarter.to_string(),
            as_of_month: period.evaluated().end.to_string(),
            window_months: period.window_months,
            data_first_month: period.first_month.to_string(),
            data_last_month: period.last_month.to_string(),
            targets: targets.source.clone(),
            basis: targets.basis,
            rules: Rules {
                fiscal_year_start_month: targets.fiscal_year_start_month,
                band_threshold: targets.bands.threshold,
                promotion_quarters: targets.promotion_quarters,
                promotion_quarters_at_level: targets.promotion_quarters_at_level,
            },
            inputs,
            currency,
            health: modes.health,
            ownership: modes.ownership,
            conversion: modes.currency,
            warnings: warnings.iter().map(ToString::to_string).collect(),
            notes,
            reconciliation,
            levels: targets.levels.clone(),
            framework_rules: targets.general_rules.clone(),
            rollups: evaluated.rollups,
            scorecards: evaluated.scorecards,
            accounts: evaluated.accounts,
            transfers: evaluated.transfers,
            team_summary: evaluated.team_summary,
            forecast: evaluated.forecast,
            backtest: evaluated.backtest,
        }
    }
}

/// The targets' rules a report's definitions name besides its window and basis (SPEC §4–§6).
#[derive(Clone, Debug, Default)]
pub(crate) struct Rules {
    /// The first month of the fiscal year; 1 for calendar quarters.
    pub(crate) fiscal_year_start_month: u32,
    /// Reference ARR from which an account is in the `100k+` band.
    pub(crate) band_threshold: f64,
    /// Quarter ends at the next level's targets, and at the advisor's own before them.
    pub(crate) promotion_quarters: u32,
    pub(crate) promotion_quarters_at_level: u32,
}

/// An evaluation status (SPEC §6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) enum Status {
    /// Under the target by more than the tolerance.
    #[serde(rename = "below")]
    Below,
    /// Under the target, within the tolerance.
    #[serde(rename = "near")]
    Near,
    /// At or above the target.
    #[serde(rename = "meets")]
    Meets,
    /// No value to compare (no level, no cohort, not enough history).
    #[serde(rename = "n/a")]
    #[default]
    NotApplicable,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Below => "below",
            Status::Near => "near",
            Status::Meets => "meets",
            Status::NotApplicable => "n/a",
        }
    }
}

/// The SPEC §4 metrics of one book at one quarter end. `None` is null: insufficient history,
/// no cohort (ratios), or no known health score.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct WindowMetrics {
    /// Accounts of the book with ARR above 0 at the quarter end.
    pub(crate) accounts_active: Option<u64>,
    /// Σ of ARR at the quarter end over the book.
    pub(crate) arr_active: Option<f64>,
    /// Accounts with ARR above 0 at the start of the window.
    pub(crate) cohort_accounts: Option<u64>,
    /// Σ of the cohort's ARR at the start of the window.
    pub(crate) start_arr: Option<f64>,
    /// Σ of the cohort's ARR at the quarter end.
    pub(crate) end_arr: Option<f64>,
    /// Growth of cohort accounts that grew.
    pub(crate) expansion_arr: Option<f64>,
    /// Loss of cohort accounts that shrank but stayed above 0.
    pub(crate) contraction_arr: Option<f64>,
    /// Start ARR of cohort accounts that reached 0.
    pub(crate) churned_arr: Option<f64>,
    /// ARR at the quarter end of accounts that had none at the start (new logos, returns).
    pub(crate) new_arr: Option<f64>,
    /// Net dollar retention: `end_arr / start_arr`.
    pub(crate) ndr: Option<f64>,
    /// Gross revenue retention: `(start_arr − contraction_arr − churned_arr) / start_arr`.
    pub(crate) grr: Option<f64>,
    /// Mean health score of active accounts with a known score.
    pub(crate) health_avg: Option<f64>,
    /// The same mean weighted by ARR at the quarter end.
    pub(crate) health_arr_weighted: Option<f64>,
    /// Logo retention, informational: cohort accounts (tenures) still active at the end ÷ cohort
    /// accounts; null without a cohort or history. Not in scorecards.csv.
    pub(crate) logo_retention: Option<f64>,
    /// Cohort accounts (tenures) still active at the end: logo retention's numerator.
    #[serde(skip)]
    pub(crate) cohort_retained: Option<u64>,
    /// Start values of cohort tenures that began inside the window, by a hand-over (SPEC §9);
    /// 0 without ownership history.
    pub(crate) transferred_in_arr: Option<f64>,
    /// End values of cohort tenures that ended inside the window, by a hand-over (SPEC §9).
    pub(crate) transferred_out_arr: Option<f64>,
    /// How much of `start_arr` is exchange rate alone (SPEC §10): Σ over the cohort of the start
    /// value in its own currency × (rate at the end − rate at the start); 0 in one currency.
    pub(crate) fx_impact_arr: Option<f64>,
}

/// One advisor's scorecard: the fields of scorecards.csv in its column order, then the trend,
/// the book mix and the readiness detail that only the JSON and the pages carry.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Scorecard {
    /// Advisor name as in the inputs, or `(unassigned)`.
    pub(crate) advisor: String,
    /// Career level from the roster; none for `(unassigned)` and advisors off the roster.
    pub(crate) level: Option<String>,
    /// The advisor's manager from the roster.
    pub(crate) manager: Option<String>,
    /// The evaluated quarter, as `2026-Q3`.
    pub(crate) quarter: String,
    /// Its last month, as `2026-09`.
    pub(crate) as_of_month: String,
    /// Months in the window.
    pub(crate) window_months: u32,
    /// The book's metrics at the evaluated quarter end.
    #[serde(flatten)]
    pub(crate) metrics: WindowMetrics,
    /// The mean of the T12M NDR and GRR at the four quarter ends `E`, `E−3`, `E−6`, `E−9` (SPEC
    /// §4, "Annual average"); none unless all four are known.
    pub(crate) ndr_avg4: Option<f64>,
    pub(crate) grr_avg4: Option<f64>,
    /// The level's NDR target (none without a level).
    pub(crate) ndr_target: Option<f64>,
    /// The level's GRR target (none without a level).
    pub(crate) grr_target: Option<f64>,
    /// The level's minimum mean health (none without a level).
    pub(crate) health_min: Option<f64>,
    /// NDR against the level's target.
    pub(crate) ndr_status: Status,
    /// GRR against the level's target.
    pub(crate) grr_status: Status,
    /// Mean health against the level's minimum.
    pub(crate) health_status: Status,
    /// Worst of the three statuses above, ignoring n/a; n/a whenever NDR is.
    pub(crate) overall_status: Status,
    /// Why the overall status is n/a for a book with a level, in words (no NDR: not enough
    /// history, or no cohort).
    #[serde(skip)]
    pub(crate) overall_note: Option<String>,
    /// Share of active ARR in the level's primary tiers.
    pub(crate) primary_scope_share: Option<f64>,
    /// The share against the level's `primary_min_share`.
    pub(crate) scope_status: Status,
    /// The level after this one; none at the top level or without a level.
    pub(crate) next_level: Option<String>,
    /// Whether the next level's targets were met at each quarter end the promotion rule needs.
    pub(crate) next_level_ready: bool,
    /// Share of active ARR in the next level's primary tiers, shown beside readiness (which is
    /// on performance); none without a next level or without active ARR.
    pub(crate) next_level_scope_share: Option<f64>,
    /// The reporting currency's ISO code: every amount of the scorecard is in it (SPEC §10).
    pub(crate) currency: String,
    /// Active accounts renewing in the next two quarters, soonest first, with their health band.
    pub(crate) renewals: Vec<Renewal>,
    /// Those renewals totalled by health band.
    #[serde(skip)]
    pub(crate) renewal_totals: RenewalTotals,
    /// The hand-overs to the advisor and away from them, totalled; none without.
    #[serde(skip)]
    pub(crate) handed_in: Option<TransferTotal>,
    #[serde(skip)]
    pub(crate) handed_out: Option<TransferTotal>,
    /// Accounts handed to this advisor inside the window (SPEC §9), by account then month.
    #[serde(skip)]
    pub(crate) transfers_in: Vec<Transfer>,
    /// Accounts this advisor handed over inside the window.
    #[serde(skip)]
    pub(crate) transfers_out: Vec<Transfer>,
    /// The NDR tolerance behind the status (none without a level).
    pub(crate) ndr_tolerance: Option<f64>,
    /// The GRR tolerance behind the status (none without a level).
    pub(crate) grr_tolerance: Option<f64>,
    /// The same metrics at the last quarter ends, newest first (the evaluated quarter first).
    pub(crate) trend: Vec<TrendPoint>,
    /// Active ARR and accounts by tier at the evaluated quarter end, largest first.
    pub(crate) tiers: Vec<TierShare>,
    /// The next level's targets at each quarter end the promotion rule needs, newest first.
    pub(crate) readiness: Vec<ReadinessCheck>,
    /// Cohort accounts that moved NDR most (expansion, contraction, churn), largest change first.
    pub(crate) movers: Vec<AccountMove>,
    /// Active accounts whose health is below the level's minimum, largest ARR first.
    pub(crate) at_risk: Vec<AccountRisk>,
    /// Active accounts by health score: ten buckets of one point, the last one holding 10.
    pub(crate) health_histogram: Vec<u64>,
    /// Active accounts without a known health score.
    pub(crate) health_unknown: u64,
    /// Reasons the numbers rest on little (a small cohort, one dominant account).
    pub(crate) caveats: Vec<String>,
    /// For each metric below the level's target, what it would take to reach it.
    pub(crate) gaps: Vec<Gap>,
    /// The quarter ahead (SPEC §12): where the book is expected to land at the next quarter end.
    pub(crate) forecast: AdvisorForecast,
}

/// Which books a roll-up joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RollupKind {
    /// The books of one manager's advisors.
    Manager,
    /// Every advisor's book.
    Team,
}

/// The metrics over the union of several books.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Rollup {
    /// The manager's name, or `Team` for every advisor's book.
    pub(crate) name: String,
    /// Whose books are joined.
    pub(crate) kind: RollupKind,
    /// Advisors whose books are in the union.
    pub(crate) advisors: u64,
    /// The metrics of the union at the evaluated quarter end.
    #[serde(flatten)]
    pub(crate) metrics: WindowMetrics,
}

/// A book's metrics at one quarter end, with statuses against the advisor's own level.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TrendPoint {
    /// The quarter, as `2026-Q3`.
    pub(crate) quarter: String,
    /// Its last month, as `2026-09`.
    pub(crate) as_of_month: String,
    /// The book's metrics at that quarter end.
    #[serde(flatten)]
    pub(crate) metrics: WindowMetrics,
    /// NDR against the advisor's level.
    pub(crate) ndr_status: Status,
    /// GRR against the advisor's level.
    pub(crate) grr_status: Status,
    /// Mean health against the advisor's level.
    pub(crate) health_status: Status,
    /// The worst of the three, n/a without NDR (SPEC §6).
    pub(crate) overall_status: Status,
    /// The mean of the T12M NDR and GRR at this quarter end and the three before it (SPEC §4,
    /// "Annual average"); none unless all four are known, and left out where the run did not
    /// compute the quarter ends before (with the `t12m` basis, past the evaluated quarter end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ndr_avg4: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) grr_avg4: Option<f64>,
    /// NDR, GRR and mean health minus those of the quarter end before (none when either is
    /// unknown, and at the oldest point).
    #[serde(skip)]
    pub(crate) change: Change,
}

/// How NDR, GRR and mean health changed since the quarter end before.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Change {
    /// In fractions: 0.014 is 1.4 points.
    pub(crate) ndr: Option<f64>,
    /// In fractions.
    pub(crate) grr: Option<f64>,
    /// In points of health.
    pub(crate) health_avg: Option<f64>,
}

/// One tier of a book at the evaluated quarter end.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TierShare {
    /// Segment and band, as `MM 100k+`.
    pub(crate) tier: String,
    /// The segment, as `MM`.
    pub(crate) segment: Segment,
    /// The band, as `100k+`.
    pub(crate) band: String,
    /// The same band as under or over the threshold, for ordering tiers.
    #[serde(skip)]
    pub(crate) band_kind: Band,
    /// Active accounts in the tier.
    pub(crate) accounts: u64,
    /// Their ARR at the evaluated quarter end.
    pub(crate) arr: f64,
    /// `arr` as a share of the book's active ARR.
    pub(crate) share: f64,
    /// Whether the tier matches one of the level's primary patterns.
    pub(crate) primary: bool,
    /// Whether the tier matches one of the level's secondary patterns.
    pub(crate) secondary: bool,
}

/// The next level's targets against one quarter end.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ReadinessCheck {
    /// The quarter, as `2026-Q3`.
    pub(crate) quarter: String,
    /// The level whose targets this quarter end is checked against: the next level for the last
    /// `promotion.quarters`, the advisor's own before them (`promotion.quarters_at_level`).
    pub(crate) level: String,
    /// Whether that is the next level (else the advisor's own).
    pub(crate) next_level: bool,
    /// NDR rated at that quarter end: the T12M value, or its annual average with the `average4`
    /// basis (SPEC §4).
    pub(crate) ndr: Option<f64>,
    /// That level's NDR target.
    pub(crate) ndr_target: f64,
    /// GRR rated at that quarter end, as `ndr`.
    pub(crate) grr: Option<f64>,
    /// That level's GRR target.
    pub(crate) grr_target: f64,
    /// Mean health at that quarter end.
    pub(crate) health_avg: Option<f64>,
    /// That level's minimum mean health.
    pub(crate) health_min: f64,
    /// NDR against that level's target.
    #[serde(skip)]
    pub(crate) ndr_status: Status,
    /// GRR against that level's target.
    #[serde(skip)]
    pub(crate) grr_status: Status,
    /// Mean health against that level's minimum (no tolerance).
    #[serde(skip)]
    pub(crate) health_status: Status,
    /// ndr, grr and health all meet (not merely near) that level's targets.
    pub(crate) met: bool,
    /// What fell short, in words (`NDR 103.0% < 110.0%`, `no NDR: not enough history`); empty
    /// when met.
    pub(crate) fell_short: Vec<String>,
}

/// The metric a gap is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GapMetric {
    /// Net dollar retention.
    Ndr,
    /// Gross revenue retention.
    Grr,
    /// Mean health.
    Health,
}

/// What one metric lacks to reach its target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Gap {
    /// The metric below its target.
    pub(crate) metric: GapMetric,
    /// Its value.
    pub(crate) value: f64,
    /// The level's target for it.
    pub(crate) target: f64,
    /// NDR: end ARR the cohort lacked (expansion or retained ARR); GRR: churn or contraction
    /// that would have had to be saved. None for health.
    pub(crate) dollars: Option<f64>,
    /// The cohort's start ARR the ratio is taken on (NDR, GRR).
    pub(crate) cohort_start_arr: Option<f64>,
    /// Health: how many of the lowest-scored active accounts would need to reach the minimum.
    pub(crate) accounts: Option<u64>,
    /// With the `average4` basis (NDR, GRR): the T12M value at `E` that would lift the annual
    /// average to the target; `dollars` is what that value takes.
    pub(crate) t12m_needed: Option<f64>,
}

/// Proof that nothing was lost between arr.csv and the scorecards.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Reconciliation {
    /// The evaluated month `E`.
    pub(crate) month: String,
    /// The currency of the three amounts (the reporting one; other currencies at `E`'s rates).
    pub(crate) currency: String,
    /// Σ of every arr.csv row of month `E`.
    pub(crate) arr_total: f64,
    /// Σ of the advisors' active ARR (unassigned excluded).
    pub(crate) advisors_arr: f64,
    /// Active ARR of accounts without an advisor.
    pub(crate) unassigned_arr: f64,
    /// `arr_total = advisors_arr + unassigned_arr` (to the cent).
    pub(crate) balanced: bool,
    /// Data rows of arr.csv (blank lines are not rows).
    pub(crate) rows_read: u64,
    /// Distinct account-month pairs the metrics read.
    pub(crate) rows_used: u64,
    /// Rows summed into another row of the same account and month.
    pub(crate) rows_merged: u64,
}

impl std::fmt::Display for Reconciliation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "reconciliation: {} ARR {} = advisors {} + unassigned {} {} · arr.csv rows read {} = used {} + merged {}",
            self.month,
            amount_cents(self.arr_total, &self.currency),
            amount_cents(self.advisors_arr, &self.currency),
            amount_cents(self.unassigned_arr, &self.currency),
            if self.balanced { "✓" } else { "✗ DOES NOT BALANCE" },
            thousands(self.rows_read),
            thousands(self.rows_used),
            thousands(self.rows_merged)
        )
    }
}
