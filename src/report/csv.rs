//! scorecards.csv and accounts.csv (SPEC §7): exact columns, order and number formats, with
//! every text cell neutralised so a spreadsheet never runs it as a formula.

use rayon::prelude::*;

use crate::format::{fraction, money};
use crate::model::{AccountRow, Report, Scorecard};

/// The columns of scorecards.csv, in order (SPEC §7).
pub(crate) const SCORECARD_COLUMNS: [&str; 34] = [
    "advisor",
    "level",
    "manager",
    "quarter",
    "as_of_month",
    "window_months",
    "accounts_active",
    "arr_active",
    "cohort_accounts",
    "start_arr",
    "end_arr",
    "expansion_arr",
    "contraction_arr",
    "churned_arr",
    "new_arr",
    "ndr",
    "grr",
    "health_avg",
    "health_arr_weighted",
    "ndr_target",
    "grr_target",
    "health_min",
    "ndr_status",
    "grr_status",
    "health_status",
    "overall_status",
    "primary_scope_share",
    "scope_status",
    "next_level",
    "next_level_ready",
    "transferred_in_arr",
    "transferred_out_arr",
    "fx_impact_arr",
    "currency",
];

/// The columns of accounts.csv, in order: amounts in the reporting currency (at the evaluated
/// month's rates), then the account's own currency and its amounts in it.
pub(crate) const ACCOUNT_COLUMNS: [&str; 17] = [
    "account_id",
    "account_name",
    "advisor",
    "segment",
    "segment_source",
    "band",
    "tier",
    "reference_arr",
    "start_arr",
    "end_arr",
    "change_arr",
    "movement",
    "health_score",
    "renewal_date",
    "account_currency",
    "start_arr_account_currency",
    "end_arr_account_currency",
];

/// A text cell that a spreadsheet would run as a formula gets a leading `'`.
pub(crate) fn safe_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn text(value: Option<&str>) -> String {
    value.map(safe_text).unwrap_or_default()
}

fn opt(value: Option<f64>, format: fn(f64) -> String) -> String {
    value.map(format).unwrap_or_default()
}

fn count(value: Option<u64>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

fn scorecard_row(s: &Scorecard) -> Vec<String> {
    let m = &s.metrics;
    vec![
        safe_text(&s.advisor),
        text(s.level.as_deref()),
        text(s.manager.as_deref()),
        s.quarter.clone(),
        s.as_of_month.clone(),
        s.window_months.to_string(),
        count(m.accounts_active),
        opt(m.arr_active, money),
        count(m.cohort_accounts),
        opt(m.start_arr, money),
        opt(m.end_arr, money),
        opt(m.expansion_arr, money),
        opt(m.contraction_arr, money),
        opt(m.churned_arr, money),
        opt(m.new_arr, money),
        opt(m.ndr, fraction),
        opt(m.grr, fraction),
        opt(m.health_avg, fraction),
        opt(m.health_arr_weighted, fraction),
        opt(s.ndr_target, fraction),
        opt(s.grr_target, fraction),
        opt(s.health_min, fraction),
        s.ndr_status.as_str().into(),
        s.grr_status.as_str().into(),
        s.health_status.as_str().into(),
        s.overall_status.as_str().into(),
        opt(s.primary_scope_share, fraction),
        s.scope_status.as_str().into(),
        text(s.next_level.as_deref()),
        s.next_level_ready.to_string(),
        opt(m.transferred_in_arr, money),
        opt(m.transferred_out_arr, money),
        opt(m.fx_impact_arr, money),
        s.currency.clone(),
    ]
}

fn account_row(a: &AccountRow) -> Vec<String> {
    vec![
        safe_text(&a.account_id),
        text(a.account_name.as_deref()),
        safe_text(&a.advisor),
        a.segment.clone(),
        a.segment_source.into(),
        a.band.clone(),
        a.tier.clone(),
        money(a.reference_arr),
        opt(a.start_arr, money),
        money(a.end_arr),
        opt(a.change_arr, money),
        a.movement.map(|m| m.as_str()).unwrap_or_default().to_string(),
        opt(a.health_score, fraction),
        text(a.renewal_date.as_deref()),
        a.currency.clone(),
        opt(a.own_start_arr, money),
        money(a.own_end_arr),
    ]
}

/// Rows written per block; blocks are written in parallel and joined in order.
const ROWS_PER_BLOCK: usize = 20_000;

fn write_rows<T: Sync>(header: &[&str], items: &[T], row: fn(&T) -> Vec<String>) -> anyhow::Result<Vec<u8>> {
    let header = csv_block([header.iter().map(|h| h.to_string()).collect()])?;
    let blocks: Vec<Vec<u8>> = items
        .par_chunks(ROWS_PER_BLOCK)
        .map(|items| csv_block(items.iter().map(row)))
        .collect::<anyhow::Result<_>>()?;
    Ok([header].into_iter().chain(blocks).collect::<Vec<_>>().concat())
}

/// Rows as CSV bytes, quoted as needed.
fn csv_block(rows: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row)?;
    }
    Ok(writer.into_inner()?)
}

pub(crate) fn scorecards(report: &Report) -> anyhow::Result<Vec<u8>> {
    write_rows(&SCORECARD_COLUMNS, &report.scorecards, scorecard_row)
}

pub(crate) fn accounts(report: &Report) -> anyhow::Result<Vec<u8>> {
    if report.transfers.is_none() {
        return write_rows(&ACCOUNT_COLUMNS, &report.accounts, account_row);
    }
    // With ownership history: when the owner at the evaluated quarter end has owned it since.
    let header: Vec<&str> = ACCOUNT_COLUMNS.iter().copied().chain(["owner_since"]).collect();
    write_rows(&header, &report.accounts, |a| {
        let mut row = account_row(a);
        row.push(text(a.owner_since.as_deref()));
        row
    })
}

/// The columns of transfers.csv (SPEC §9).
pub(crate) const TRANSFER_COLUMNS: [&str; 6] =
    ["account_id", "account_name", "month", "from_advisor", "to_advisor", "arr_handed_over"];

/// transfers.csv: one row per hand-over inside the evaluated window; only with ownership history.
pub(crate) fn transfers(report: &Report) -> anyhow::Result<Vec<u8>> {
    let transfers = report.transfers.as_deref().unwrap_or_default();
    write_rows(&TRANSFER_COLUMNS, transfers, |t| {
        vec![
            safe_text(&t.account_id),
            text(t.account_name.as_deref()),
            t.month.clone(),
            safe_text(&t.from_advisor),
            safe_text(&t.to_advisor),
            money(t.arr_handed_over),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells() {
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("+1"), "'+1");
        assert_eq!(safe_text("@SUM"), "'@SUM");
        assert_eq!(safe_text("Ada Lovelace"), "Ada Lovelace");
    }
}
