//! scorecards.csv, accounts.csv and transfers.csv (SPEC §7): the columns of [`rows`] with
//! exact number formats, every text cell from the inputs neutralised so a spreadsheet never runs
//! it as a formula.

use rayon::prelude::*;

use crate::format::{fraction, money};
use crate::model::Report;
use crate::report::rows::{self, Cell, Column};

/// A text cell that a spreadsheet would run as a formula gets a leading `'`.
pub(crate) fn safe_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A cell as SPEC §7 writes it: ARR with 2 decimals, ratios, health and shares with 6, counts
/// as integers, null as an empty cell, text from the inputs neutralised.
fn cell(cell: Cell) -> String {
    match cell {
        Cell::Text(text) => text.as_deref().map(safe_text).unwrap_or_default(),
        Cell::Plain(text) => text,
        Cell::Count(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Money(v) => v.map(money).unwrap_or_default(),
        Cell::Ratio(v) | Cell::Score(v) => v.map(fraction).unwrap_or_default(),
        Cell::Status(status) => status.as_str().to_string(),
        Cell::Bool(b) => b.to_string(),
    }
}

fn line(cells: Vec<Cell>) -> Vec<String> {
    cells.into_iter().map(cell).collect()
}

fn names(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.name).collect()
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
    write_rows(&names(&rows::SCORECARD), &report.scorecards, |s| line(rows::scorecard(s)))
}

/// accounts.csv; with ownership history it ends with `owner_since`, when the owner at the
/// evaluated quarter end has owned the account since.
pub(crate) fn accounts(report: &Report) -> anyhow::Result<Vec<u8>> {
    if report.transfers.is_none() {
        return write_rows(&names(&rows::ACCOUNT), &report.accounts, |a| line(rows::account(a, false)));
    }
    let header: Vec<&str> = names(&rows::ACCOUNT).into_iter().chain([rows::OWNER_SINCE.name]).collect();
    write_rows(&header, &report.accounts, |a| line(rows::account(a, true)))
}

/// transfers.csv: one row per hand-over inside the evaluated window; only with ownership history.
pub(crate) fn transfers(report: &Report) -> anyhow::Result<Vec<u8>> {
    let transfers = report.transfers.as_deref().unwrap_or_default();
    write_rows(&names(&rows::TRANSFER), transfers, |t| line(rows::transfer(t)))
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
