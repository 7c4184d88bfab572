//! "How these numbers are computed": the definitions every page, the index and the workbook carry,
//! made from the targets and the inputs actually in force (window, cohort, the GRR cap, the basis,
//! the band, the promotion rule, currency, ownership and health history), so that a page pasted
//! into a review says which definitions produced it.

use crate::domain::calendar::{month_name, CALENDAR};
use crate::domain::modes::{CurrencyMode, HealthMode, OwnershipMode};
use crate::domain::targets::Basis;
use crate::format::amount;
use crate::model::Report;

/// The section's title.
pub(crate) const DEFINITIONS_HEADING: &str = "How these numbers are computed";

/// The definitions, one sentence each.
pub(crate) fn definitions(report: &Report) -> Vec<String> {
    let rules = &report.rules;
    let w = report.window_months;
    let quarters = match rules.fiscal_year_start_month {
        CALENDAR => "calendar quarters".to_string(),
        start => format!("fiscal quarters of a year starting in {}", month_name(start)),
    };
    let basis = match report.basis {
        Basis::T12m => format!(
            "Statuses rate the {w}-month NDR and GRR at each quarter end (basis t12m); the annual average beside \
             them is the mean of those values at the quarter end and the three before it."
        ),
        Basis::Average4 => format!(
            "Statuses rate the annual average (basis average4): the mean of the {w}-month NDR and GRR at the \
             quarter end and the three before it, none unless all four are known."
        ),
    };
    let promotion = match rules.promotion_quarters_at_level {
        0 => format!(
            "Ready for the next level: its NDR, GRR and health targets met at each of the last {} quarter ends.",
            rules.promotion_quarters
        ),
        n => format!(
            "Ready for the next level: its NDR, GRR and health targets met at each of the last {} quarter ends, \
             and the advisor's own level's at each of the {n} before them.",
            rules.promotion_quarters
        ),
    };
    let currency = match report.conversion {
        CurrencyMode::Single => format!("Amounts are in {}, as the exports give them.", report.currency),
        CurrencyMode::Converted => format!(
            "Amounts are in {}: each window is converted at its end month's rates, and what rate moves alone did \
             is set apart from expansion and contraction.",
            report.currency
        ),
    };
    let ownership = match report.ownership {
        OwnershipMode::Fixed => "Each account belongs to its current advisor for the whole window (no ownership.csv).",
        OwnershipMode::History => {
            "Each account's months are credited to whoever owned it then (ownership.csv): a hand-over inside a \
             window splits it, and the ARR handed over is the start of the new owner's part."
        }
    };
    let health = match report.health {
        HealthMode::Current => "Health is the mean of the current scores of the accounts active at each quarter end.",
        HealthMode::History => "Health at each quarter end is the mean of the scores in force then (health.csv).",
    };
    vec![
        format!(
            "Window: {w} months, from S, {w} months before the quarter end E, to E; {quarters}; data from {} to {}.",
            report.data_first_month, report.data_last_month
        ),
        "Cohort: the accounts with ARR above zero at S. NDR is their ARR at E over their ARR at S; new logos \
         (no ARR at S) are not in it."
            .to_string(),
        "GRR counts only losses (contraction and churn) against the cohort's ARR at S, so it never exceeds 100%."
            .to_string(),
        basis,
        format!(
            "Tiers: the segment and the band, under or over {} of ARR at E (or the last ARR before it).",
            amount(rules.band_threshold, &report.currency)
        ),
        promotion,
        currency,
        ownership.to_string(),
        health.to_string(),
        format!("Targets: {}.", report.targets),
    ]
}
