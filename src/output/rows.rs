//! The data files' rows as typed cells, with each column's name, label and meaning: one
//! definition that scorecards.csv, accounts.csv and transfers.csv write as text (SPEC §7) and
//! scorecards.xlsx writes as typed numbers.

use crate::domain::modes::OwnershipMode;
use crate::model::{AccountRow, Forecast, Scorecard, Status, Transfer, WindowMetrics};

/// One column of a data file.
pub(crate) struct Column {
    /// The CSV header (SPEC §7).
    pub(crate) name: &'static str,
    /// The spreadsheet's header.
    pub(crate) label: &'static str,
    /// What the column holds, for the workbook's Columns sheet.
    pub(crate) meaning: &'static str,
}

pub(crate) const fn column(name: &'static str, label: &'static str, meaning: &'static str) -> Column {
    Column { name, label, meaning }
}

/// A value with its kind, so each format writes it its own way.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    /// Text from the inputs: a spreadsheet must never run it as a formula.
    Text(Option<String>),
    /// Text the tool wrote itself: a quarter, a month, a code, a tier.
    Plain(String),
    Count(Option<u64>),
    /// An amount in the reporting currency.
    Money(Option<f64>),
    /// A ratio or a share: 1.05 is 105%.
    Ratio(Option<f64>),
    /// A health score or a health minimum, 0 to 10.
    Score(Option<f64>),
    Status(Status),
    Bool(bool),
}

/// The columns' names, as a data file's header writes them.
pub(crate) fn names(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.name).collect()
}

pub(crate) fn text(value: &str) -> Cell {
    Cell::Text(Some(value.to_string()))
}

fn maybe(value: Option<&str>) -> Cell {
    Cell::Text(value.map(str::to_string))
}

/// scorecards.csv's columns, in order (SPEC §7).
pub(crate) const SCORECARD: [Column; 36] = [
    column("advisor", "Advisor", "The advisor; (unassigned) holds the accounts without one."),
    column("level", "Level", "The advisor's career level from the roster; blank when not on it."),
    column("manager", "Manager", "The advisor's manager from the roster."),
    column("quarter", "Quarter", "The quarter evaluated."),
    column("as_of_month", "As of", "The quarter's last month: the end of the window."),
    column("window_months", "Window (months)", "The length of the window NDR and GRR are measured over."),
    column("accounts_active", "Active accounts", "Accounts with ARR above zero at the end of the window."),
    column("arr_active", "Active ARR", "Their ARR at the end of the window."),
    column("cohort_accounts", "Cohort accounts", "Accounts with ARR above zero at the start of the window."),
    column("start_arr", "Start ARR", "The cohort's ARR at the start of the window."),
    column("end_arr", "End ARR", "The cohort's ARR at the end of the window."),
    column("expansion_arr", "Expansion", "Growth of cohort accounts that grew."),
    column("contraction_arr", "Contraction", "Shrinkage of cohort accounts still active at the end."),
    column("churned_arr", "Churn", "Start ARR of cohort accounts with no ARR at the end."),
    column("new_arr", "New ARR", "End ARR of accounts outside the cohort; not part of NDR."),
    column("ndr", "NDR", "Net dollar retention: end ARR of the cohort over its start ARR."),
    column("grr", "GRR", "Gross revenue retention: start ARR less contraction and churn, over start ARR."),
    column("health_avg", "Health", "Mean health score of the active accounts."),
    column("health_arr_weighted", "Health (ARR-weighted)", "Health of the active accounts weighted by their ARR."),
    column("ndr_target", "NDR target", "The level's NDR target."),
    column("grr_target", "GRR target", "The level's GRR target."),
    column("health_min", "Health minimum", "The level's minimum mean health."),
    column("ndr_status", "NDR status", "meets, near (within the level's tolerance), below, or n/a."),
    column("grr_status", "GRR status", "meets, near, below, or n/a."),
    column("health_status", "Health status", "meets, near, below, or n/a."),
    column("overall_status", "Overall", "The worst of the three; n/a without NDR."),
    column("primary_scope_share", "Primary scope", "Share of active ARR in the level's primary tiers."),
    column("scope_status", "Scope status", "meets when the share reaches the level's minimum, otherwise below."),
    column("next_level", "Next level", "The next career level, if any."),
    column("next_level_ready", "Ready for next", "Whether the promotion rule's quarters met the next level's targets."),
    column(
        "transferred_in_arr",
        "Transferred in",
        "ARR of cohort accounts handed to the advisor in the window, at the hand-over.",
    ),
    column(
        "transferred_out_arr",
        "Transferred out",
        "ARR of cohort accounts handed away in the window, at the hand-over.",
    ),
    column("fx_impact_arr", "Exchange-rate effect", "What exchange-rate moves alone did to the cohort's start ARR."),
    column("currency", "Currency", "The reporting currency of every amount."),
    column(
        "ndr_avg4",
        "NDR annual average",
        "The mean of the 12-month NDR at this quarter end and the three before it; empty unless all four are known.",
    ),
    column("grr_avg4", "GRR annual average", "The same mean of the 12-month GRR."),
];

/// One advisor's row of scorecards.csv.
pub(crate) fn scorecard(s: &Scorecard) -> Vec<Cell> {
    let m = &s.metrics;
    let mut row = vec![
        text(&s.advisor),
        maybe(s.level.as_deref()),
        maybe(s.manager.as_deref()),
        Cell::Plain(s.quarter.clone()),
        Cell::Plain(s.as_of_month.clone()),
        Cell::Count(Some(u64::from(s.window_months))),
    ];
    row.extend(window(m));
    row.extend([
        Cell::Score(m.health_arr_weighted),
        Cell::Ratio(s.ndr_target),
        Cell::Ratio(s.grr_target),
        Cell::Score(s.health_min),
        Cell::Status(s.ndr_status),
        Cell::Status(s.grr_status),
        Cell::Status(s.health_status),
        Cell::Status(s.overall_status),
        Cell::Ratio(s.primary_scope_share),
        Cell::Status(s.scope_status),
        maybe(s.next_level.as_deref()),
        Cell::Bool(s.next_level_ready),
        Cell::Money(m.transferred_in_arr),
        Cell::Money(m.transferred_out_arr),
        Cell::Money(m.fx_impact_arr),
        Cell::Plain(s.currency.clone()),
        Cell::Ratio(s.ndr_avg4),
        Cell::Ratio(s.grr_avg4),
    ]);
    row
}

/// A window's book size, bridge, NDR, GRR and mean health, in scorecards.csv's order: shared by
/// a scorecard's row and a roll-up's.
pub(crate) fn window(m: &WindowMetrics) -> [Cell; 12] {
    [
        Cell::Count(m.accounts_active),
        Cell::Money(m.arr_active),
        Cell::Count(m.cohort_accounts),
        Cell::Money(m.start_arr),
        Cell::Money(m.end_arr),
        Cell::Money(m.expansion_arr),
        Cell::Money(m.contraction_arr),
        Cell::Money(m.churned_arr),
        Cell::Money(m.new_arr),
        Cell::Ratio(m.ndr),
        Cell::Ratio(m.grr),
        Cell::Score(m.health_avg),
    ]
}

/// accounts.csv's columns, in order: amounts in the reporting currency (at the evaluated
/// month's rates), then the account's own currency and its amounts in it.
pub(crate) const ACCOUNT: [Column; 17] = [
    column("account_id", "Account ID", "The account's ID from accounts.csv."),
    column("account_name", "Account", "The account's name."),
    column("advisor", "Advisor", "The owner at the quarter end; (unassigned) without one."),
    column("segment", "Segment", "SMB, MM, Ent or Strategic."),
    column("segment_source", "Segment from", "crm: the segment came from the export; rules: from the ARR."),
    column("band", "Band", "Under or over 100k of reference ARR."),
    column("tier", "Tier", "Segment and band together, as the levels name them."),
    column("reference_arr", "Reference ARR", "The ARR the band is read from."),
    column("start_arr", "Start ARR", "ARR at the start of the window; blank outside the cohort."),
    column("end_arr", "End ARR", "ARR at the end of the window."),
    column("change_arr", "Change", "End ARR less start ARR."),
    column("movement", "Movement", "new, expansion, contraction, churn, flat or inactive."),
    column("health_score", "Health", "The health score at the quarter end, 0 to 10."),
    column("renewal_date", "Renewal", "The next renewal date from the export."),
    column("account_currency", "Account currency", "The currency the account is billed in."),
    column("start_arr_account_currency", "Start ARR (own currency)", "Start ARR in the account's currency."),
    column("end_arr_account_currency", "End ARR (own currency)", "End ARR in the account's currency."),
];

/// accounts.csv's last column with ownership history.
pub(crate) const OWNER_SINCE: Column =
    column("owner_since", "Owner since", "The month the quarter end's owner took the account over.");

/// One account's row of accounts.csv, with `owner_since` when there is ownership history.
pub(crate) fn account(a: &AccountRow, ownership: OwnershipMode) -> Vec<Cell> {
    let mut row = vec![
        text(&a.account_id),
        maybe(a.account_name.as_deref()),
        text(&a.advisor),
        Cell::Plain(a.segment.to_string()),
        Cell::Plain(a.segment_source.as_str().to_string()),
        Cell::Plain(a.band.clone()),
        Cell::Plain(a.tier.clone()),
        Cell::Money(Some(a.reference_arr)),
        Cell::Money(a.start_arr),
        Cell::Money(Some(a.end_arr)),
        Cell::Money(a.change_arr),
        Cell::Plain(a.movement.map(|m| m.as_str()).unwrap_or_default().to_string()),
        Cell::Score(a.health_score),
        maybe(a.renewal_date.as_deref()),
        Cell::Plain(a.currency.clone()),
        Cell::Money(a.own_start_arr),
        Cell::Money(Some(a.own_end_arr)),
    ];
    match ownership {
        OwnershipMode::History => row.push(maybe(a.owner_since.as_deref())),
        OwnershipMode::Fixed => {}
    }
    row
}

/// accounts.csv's columns in `ownership`'s mode: `owner_since` last with ownership history.
pub(crate) fn account_columns(ownership: OwnershipMode) -> Vec<&'static Column> {
    let mut columns: Vec<&Column> = ACCOUNT.iter().collect();
    match ownership {
        OwnershipMode::History => columns.push(&OWNER_SINCE),
        OwnershipMode::Fixed => {}
    }
    columns
}

/// forecast.csv's columns (SPEC §12), in order.
pub(crate) const FORECAST: [Column; 22] = [
    column("advisor", "Advisor", "The advisor; (unassigned) holds the accounts without one."),
    column("level", "Level", "The advisor's career level from the roster."),
    column("target_quarter", "Forecast quarter", "The next quarter end the forecast looks at."),
    column("origin_month", "Forecast from", "The last month of data the forecast uses."),
    column("horizon_months", "Horizon (months)", "Months from the origin to the next quarter end."),
    column("start_arr", "Start ARR", "The cohort's ARR at the start of the window ending at the next quarter end."),
    column("runrate_end_arr", "Run-rate end ARR", "The cohort's ARR at the next quarter end if nothing changes."),
    column("runrate_ndr", "Run-rate NDR", "NDR at the next quarter end if nothing changes."),
    column("runrate_grr", "Run-rate GRR", "GRR at the next quarter end if nothing changes."),
    column("expected_end_arr", "Expected end ARR", "The cohort's expected ARR at the next quarter end."),
    column("expected_ndr", "Expected NDR", "Expected NDR from each account's class: its churn rate and growth."),
    column("expected_grr", "Expected GRR", "Expected GRR, the same way."),
    column("ndr_p10", "NDR (10%)", "The low end of the 10–90% range of NDR (normal approximation)."),
    column("ndr_p90", "NDR (90%)", "The high end of that range."),
    column(
        "p_meets_ndr",
        "Chance of meeting NDR",
        "The chance of meeting the level's NDR target (normal approximation).",
    ),
    column("downside_ndr", "Downside NDR", "NDR if every renewal by then with health below the minimum churns."),
    column("downside_grr", "Downside GRR", "GRR in the same case."),
    column(
        "expected_ndr_status",
        "Expected NDR status",
        "The expected NDR against the level: meets, near, below, n/a.",
    ),
    column("expected_grr_status", "Expected GRR status", "The expected GRR against the level."),
    column(
        "ndr_gap_arr",
        "NDR gap",
        "Net ARR to add by the next quarter end to meet the NDR target (negative: may lose).",
    ),
    column("renewals_in_horizon", "Renewals ahead", "Cohort accounts renewing before the next quarter end."),
    column("renewals_arr", "Renewing ARR", "Their ARR at the origin."),
];

/// One advisor's row of forecast.csv, with the forecast's quarter, origin and horizon.
pub(crate) fn forecast(s: &Scorecard, frame: &Forecast) -> Vec<Cell> {
    let f = &s.forecast;
    vec![
        text(&s.advisor),
        maybe(s.level.as_deref()),
        Cell::Plain(frame.target_quarter.clone()),
        Cell::Plain(frame.origin_month.clone().unwrap_or_default()),
        Cell::Count(frame.horizon_months.map(u64::from)),
        Cell::Money(f.start_arr),
        Cell::Money(f.runrate_end_arr),
        Cell::Ratio(f.runrate_ndr),
        Cell::Ratio(f.runrate_grr),
        Cell::Money(f.expected_end_arr),
        Cell::Ratio(f.expected_ndr),
        Cell::Ratio(f.expected_grr),
        Cell::Ratio(f.ndr_p10),
        Cell::Ratio(f.ndr_p90),
        Cell::Ratio(f.p_meets_ndr),
        Cell::Ratio(f.downside_ndr),
        Cell::Ratio(f.downside_grr),
        Cell::Status(f.expected_ndr_status),
        Cell::Status(f.expected_grr_status),
        Cell::Money(f.ndr_gap_arr),
        Cell::Count(f.renewals_in_horizon),
        Cell::Money(f.renewals_arr),
    ]
}

/// transfers.csv's columns (SPEC §9).
pub(crate) const TRANSFER: [Column; 6] = [
    column("account_id", "Account ID", "The account handed over."),
    column("account_name", "Account", "Its name."),
    column("month", "Month", "The first month under the new owner."),
    column("from_advisor", "From", "The owner before."),
    column("to_advisor", "To", "The owner after."),
    column("arr_handed_over", "ARR handed over", "The account's ARR in the month before the hand-over."),
];

/// One hand-over's row of transfers.csv.
pub(crate) fn transfer(t: &Transfer) -> Vec<Cell> {
    vec![
        text(&t.account_id),
        maybe(t.account_name.as_deref()),
        Cell::Plain(t.month.clone()),
        text(&t.from_advisor),
        text(&t.to_advisor),
        Cell::Money(Some(t.arr_handed_over)),
    ]
}
