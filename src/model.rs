//! The result model every output reads: JSON is this model serialised; CSV and the terminal
//! table are views of it. Nothing downstream recomputes a metric.

use serde::Serialize;

use crate::metrics::WindowMetrics;

/// Everything a `score` run produced.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The evaluated quarter, as `2026-Q3`.
    pub quarter: String,
    /// Its last month `E`, as `2026-09`.
    pub as_of_month: String,
    /// Months between the start and the end of each window.
    pub window_months: u32,
    /// First and last month present in arr.csv.
    pub data_first_month: String,
    pub data_last_month: String,
    /// The targets file in force.
    pub targets: String,
    /// Non-fatal data-quality findings of the run.
    pub warnings: Vec<String>,
    /// What was read beyond the plain formats (currency symbols, grouping, date formats).
    pub notes: Vec<String>,
    /// Proof that every ARR dollar and every arr.csv row is accounted for.
    pub reconciliation: crate::quality::Reconciliation,
    /// The career levels in force (targets, scope, behaviours), in career order.
    pub levels: Vec<crate::targets::Level>,
    /// SPEC §4 metrics over the union of books: per manager, then the whole team.
    pub rollups: Vec<Rollup>,
    /// One per advisor on the roster or owning accounts, sorted by name (byte order).
    pub scorecards: Vec<Scorecard>,
    /// One per account of accounts.csv, sorted by advisor then account_id (written to accounts.csv).
    #[serde(skip)]
    pub accounts: Vec<AccountRow>,
}

/// An evaluation status (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Status {
    #[serde(rename = "below")]
    Below,
    #[serde(rename = "near")]
    Near,
    #[serde(rename = "meets")]
    Meets,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Below => "below",
            Status::Near => "near",
            Status::Meets => "meets",
            Status::NotApplicable => "n/a",
        }
    }
}

/// One advisor's scorecard: the fields of scorecards.csv in its column order, then the trend,
/// the book mix and the readiness detail that only the JSON and the pages carry.
#[derive(Clone, Debug, Serialize)]
pub struct Scorecard {
    /// Advisor name as in the inputs, or `(unassigned)`.
    pub advisor: String,
    /// Career level from the roster; none for `(unassigned)` and advisors off the roster.
    pub level: Option<String>,
    pub manager: Option<String>,
    pub quarter: String,
    pub as_of_month: String,
    pub window_months: u32,
    /// The book's metrics at the evaluated quarter end.
    #[serde(flatten)]
    pub metrics: WindowMetrics,
    /// The level's targets (none without a level).
    pub ndr_target: Option<f64>,
    pub grr_target: Option<f64>,
    pub health_min: Option<f64>,
    pub ndr_status: Status,
    pub grr_status: Status,
    pub health_status: Status,
    /// Worst of the three statuses above, ignoring n/a.
    pub overall_status: Status,
    /// Share of active ARR in the level's primary tiers.
    pub primary_scope_share: Option<f64>,
    pub scope_status: Status,
    /// The level after this one; none at the top level or without a level.
    pub next_level: Option<String>,
    /// Whether the next level's targets were met at each quarter end the promotion rule needs.
    pub next_level_ready: bool,
    /// The tolerances behind the statuses (none without a level).
    pub ndr_tolerance: Option<f64>,
    pub grr_tolerance: Option<f64>,
    /// The same metrics at the last quarter ends, newest first (the evaluated quarter first).
    pub trend: Vec<TrendPoint>,
    /// Active ARR and accounts by tier at the evaluated quarter end, largest first.
    pub tiers: Vec<TierShare>,
    /// The next level's targets at each quarter end the promotion rule needs, newest first.
    pub readiness: Vec<ReadinessCheck>,
    /// Cohort accounts that moved NDR most (expansion, contraction, churn), largest change first.
    pub movers: Vec<AccountMove>,
    /// Active accounts whose health is below the level's minimum, largest ARR first.
    pub at_risk: Vec<AccountRisk>,
    /// Active accounts by health score: ten buckets of one point, the last one holding 10.
    pub health_histogram: Vec<u64>,
    /// Active accounts without a known health score.
    pub health_unknown: u64,
    /// Reasons the numbers rest on little (a small cohort, one dominant account).
    pub caveats: Vec<String>,
    /// For each metric below the level's target, what it would take to reach it.
    pub gaps: Vec<crate::gaps::Gap>,
}

/// The metrics over the union of several books.
#[derive(Clone, Debug, Serialize)]
pub struct Rollup {
    /// The manager's name, or `Team` for every advisor's book.
    pub name: String,
    /// `manager` or `team`.
    pub kind: &'static str,
    /// Advisors whose books are in the union.
    pub advisors: u64,
    #[serde(flatten)]
    pub metrics: WindowMetrics,
}

/// One account's movement over the evaluated window.
#[derive(Clone, Debug, Serialize)]
pub struct AccountMove {
    pub account_id: String,
    pub account_name: Option<String>,
    /// `expansion`, `contraction` or `churn`.
    pub movement: String,
    pub start_arr: f64,
    pub end_arr: f64,
    /// `end_arr − start_arr`.
    pub change: f64,
}

/// An active account whose health is below the level's minimum.
#[derive(Clone, Debug, Serialize)]
pub struct AccountRisk {
    pub account_id: String,
    pub account_name: Option<String>,
    pub arr: f64,
    pub health_score: f64,
    pub renewal_date: Option<String>,
}

/// A book's metrics at one quarter end, with statuses against the advisor's own level.
#[derive(Clone, Debug, Serialize)]
pub struct TrendPoint {
    pub quarter: String,
    pub as_of_month: String,
    #[serde(flatten)]
    pub metrics: WindowMetrics,
    pub ndr_status: Status,
    pub grr_status: Status,
    pub health_status: Status,
}

/// One tier of a book at the evaluated quarter end.
#[derive(Clone, Debug, Serialize)]
pub struct TierShare {
    /// Segment and band, as `MM 100k+`.
    pub tier: String,
    pub segment: String,
    pub band: String,
    /// Active accounts in the tier.
    pub accounts: u64,
    /// Their ARR at the evaluated quarter end.
    pub arr: f64,
    /// `arr` as a share of the book's active ARR.
    pub share: f64,
    /// Whether the tier matches one of the level's primary or secondary patterns.
    pub primary: bool,
    pub secondary: bool,
}

/// The next level's targets against one quarter end.
#[derive(Clone, Debug, Serialize)]
pub struct ReadinessCheck {
    pub quarter: String,
    pub ndr: Option<f64>,
    pub ndr_target: f64,
    pub grr: Option<f64>,
    pub grr_target: f64,
    pub health_avg: Option<f64>,
    pub health_min: f64,
    /// ndr, grr and health all meet (not merely near) the next level's targets.
    pub met: bool,
}

/// One account over the evaluated window (a row of accounts.csv).
#[derive(Clone, Debug, Serialize)]
pub struct AccountRow {
    pub account_id: String,
    pub account_name: Option<String>,
    pub advisor: String,
    pub segment: String,
    /// `crm` when accounts.csv gave the segment, `rules` when the segment rules derived it.
    pub segment_source: &'static str,
    pub band: String,
    pub tier: String,
    /// ARR used for the band and the segment rules (SPEC §5).
    pub reference_arr: f64,
    /// ARR at the start of the window; none with insufficient history.
    pub start_arr: Option<f64>,
    /// ARR at the evaluated quarter end.
    pub end_arr: f64,
    /// `new`, `expansion`, `contraction`, `churn`, `flat` or `inactive`; none with insufficient history.
    pub movement: Option<String>,
    pub health_score: Option<f64>,
    pub renewal_date: Option<String>,
}
