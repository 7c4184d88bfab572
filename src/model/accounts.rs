//! The account-level part of the result model: each account over the window (accounts.csv), the
//! accounts behind a scorecard (movers, at risk, renewals) and the hand-overs (transfers.csv).

use serde::Serialize;

use crate::domain::segments::{Segment, SegmentSource};

/// How an account's ARR moved over the evaluated window (SPEC §7 accounts.csv).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Movement {
    /// No ARR at the start, some at the end.
    New,
    /// More ARR at the end than at the start.
    Expansion,
    /// Less ARR at the end than at the start, still above 0.
    Contraction,
    /// ARR at the start, none at the end.
    Churn,
    /// The same ARR at both ends.
    Flat,
    /// No ARR at either end.
    Inactive,
}

impl Movement {
    /// The movement from `start` to `end` ARR.
    pub(crate) fn between(start: f64, end: f64) -> Movement {
        if start == 0.0 && end == 0.0 {
            Movement::Inactive
        } else if start == 0.0 {
            Movement::New
        } else if end == 0.0 {
            Movement::Churn
        } else if end > start {
            Movement::Expansion
        } else if end < start {
            Movement::Contraction
        } else {
            Movement::Flat
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Movement::New => "new",
            Movement::Expansion => "expansion",
            Movement::Contraction => "contraction",
            Movement::Churn => "churn",
            Movement::Flat => "flat",
            Movement::Inactive => "inactive",
        }
    }
}

/// One account's movement over the evaluated window.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AccountMove {
    /// The account's id.
    pub(crate) account_id: String,
    /// The account's display name, when accounts.csv gives one.
    pub(crate) account_name: Option<String>,
    /// Expansion, contraction or churn.
    pub(crate) movement: Movement,
    /// ARR at the start of the window.
    pub(crate) start_arr: f64,
    /// ARR at the evaluated quarter end.
    pub(crate) end_arr: f64,
    /// `end_arr − start_arr`.
    pub(crate) change: f64,
}

/// An active account whose health is below the level's minimum.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AccountRisk {
    /// The account's id.
    pub(crate) account_id: String,
    /// The account's display name, when accounts.csv gives one.
    pub(crate) account_name: Option<String>,
    /// ARR at the evaluated quarter end.
    pub(crate) arr: f64,
    /// Its health score.
    pub(crate) health_score: f64,
    /// Its next renewal, as `YYYY-MM-DD`.
    pub(crate) renewal_date: Option<String>,
    /// Whether it renews in the two quarters after the evaluated one.
    #[serde(skip)]
    pub(crate) renews_soon: bool,
}

/// A renewal's health against the advisor's level (for renewals and ARR at risk).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HealthBand {
    /// Below the level's minimum: ARR at risk.
    Below,
    /// At the minimum or within a point above it.
    Near,
    Healthy,
    /// No health score.
    Unscored,
}

impl HealthBand {
    pub(crate) const ALL: [HealthBand; 4] =
        [HealthBand::Below, HealthBand::Near, HealthBand::Healthy, HealthBand::Unscored];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HealthBand::Below => "below the minimum",
            HealthBand::Near => "near the minimum",
            HealthBand::Healthy => "healthy",
            HealthBand::Unscored => "unscored",
        }
    }
}

/// An active account renewing in the two quarters after the evaluated one.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Renewal {
    pub(crate) account_id: String,
    pub(crate) account_name: Option<String>,
    /// As `YYYY-MM-DD`.
    pub(crate) renewal_date: String,
    /// ARR at the evaluated quarter end.
    pub(crate) arr: f64,
    pub(crate) health_score: Option<f64>,
    pub(crate) band: HealthBand,
}

/// Renewals totalled by health band, as the pages sum them up: for an advisor's renewals or the
/// whole team's.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RenewalTotals {
    /// Each band with renewals, in [`HealthBand::ALL`]'s order: the band, its accounts, their ARR.
    pub(crate) by_band: Vec<(HealthBand, usize, f64)>,
    /// The ARR renewing below the level's health minimum, and its accounts.
    pub(crate) at_risk_arr: f64,
    pub(crate) at_risk_accounts: usize,
}

impl RenewalTotals {
    /// The totals of `renewals`, summed in their order.
    pub(crate) fn of<'a>(renewals: impl Iterator<Item = &'a Renewal> + Clone) -> RenewalTotals {
        let by_band = HealthBand::ALL
            .iter()
            .filter_map(|band| {
                let of_band = renewals.clone().filter(|r| r.band == *band);
                let (accounts, arr) = (of_band.clone().count(), of_band.map(|r| r.arr).sum::<f64>());
                (accounts > 0).then_some((*band, accounts, arr))
            })
            .collect();
        let at_risk = renewals.filter(|r| r.band == HealthBand::Below);
        RenewalTotals { by_band, at_risk_arr: at_risk.clone().map(|r| r.arr).sum(), at_risk_accounts: at_risk.count() }
    }
}

/// The hand-overs of one direction (to an advisor, or away from them), totalled.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TransferTotal {
    pub(crate) accounts: usize,
    /// Σ of the ARR handed over.
    pub(crate) arr: f64,
    /// The first month of them, as `2026-04`.
    pub(crate) since: String,
}

impl TransferTotal {
    /// The total of `transfers`; none without any.
    pub(crate) fn of(transfers: &[Transfer]) -> Option<TransferTotal> {
        let since = transfers.iter().map(|t| t.month.as_str()).min()?;
        let arr = transfers.iter().map(|t| t.arr_handed_over).sum();
        Some(TransferTotal { accounts: transfers.len(), arr, since: since.to_string() })
    }
}

/// One hand-over of an account inside the evaluated window (SPEC §9): a row of transfers.csv.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Transfer {
    pub(crate) account_id: String,
    pub(crate) account_name: Option<String>,
    /// The new owner's first month, as `2026-04`.
    pub(crate) month: String,
    pub(crate) from_advisor: String,
    pub(crate) to_advisor: String,
    /// ARR the month before the hand-over, in the reporting currency at the evaluated month's
    /// rates.
    pub(crate) arr_handed_over: f64,
}

/// One account over the evaluated window (a row of accounts.csv).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AccountRow {
    /// The account's id.
    pub(crate) account_id: String,
    /// The account's display name, when accounts.csv gives one.
    pub(crate) account_name: Option<String>,
    /// Its advisor, or `(unassigned)`.
    pub(crate) advisor: String,
    /// SMB, MM, Ent or Strategic.
    pub(crate) segment: Segment,
    /// Whether accounts.csv gave the segment or the segment rules derived it.
    pub(crate) segment_source: SegmentSource,
    /// `<100k` or `100k+` (as the targets name them).
    pub(crate) band: String,
    /// Segment and band, as `MM 100k+`.
    pub(crate) tier: String,
    /// ARR used for the band and the segment rules (SPEC §5), at the evaluated month's rates.
    pub(crate) reference_arr: f64,
    /// ARR at the start of the window, at the evaluated month's rates; none with insufficient
    /// history.
    pub(crate) start_arr: Option<f64>,
    /// ARR at the evaluated quarter end.
    pub(crate) end_arr: f64,
    /// The account's own currency (the reporting one when arr.csv names none).
    pub(crate) currency: String,
    /// `start_arr` in the account's own currency.
    pub(crate) own_start_arr: Option<f64>,
    /// `end_arr` in the account's own currency.
    pub(crate) own_end_arr: f64,
    /// The month its owner at the evaluated quarter end has owned it since, by ownership.csv;
    /// none without a hand-over in the ledger.
    pub(crate) owner_since: Option<String>,
    /// `end_arr − start_arr`; none with insufficient history.
    pub(crate) change_arr: Option<f64>,
    /// How ARR moved over the window; none with insufficient history.
    pub(crate) movement: Option<Movement>,
    /// The current health score, when known.
    pub(crate) health_score: Option<f64>,
    /// The next renewal, as `YYYY-MM-DD`.
    pub(crate) renewal_date: Option<String>,
}
