//! scorecards.csv, accounts.csv and transfers.csv (SPEC §7): the columns of [`rows`] with
//! exact number formats, every text cell from the inputs neutralised so a spreadsheet never runs
//! it as a formula.

use rayon::prelude::*;

use crate::format::{push_fraction, push_money};
use crate::model::Report;
use crate::output::rows::{self, Cell};

/// Whether a spreadsheet would run `text` as a formula: such a cell gets a leading `'`.
fn is_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell as SPEC §7 writes it, onto `out`: ARR with 2 decimals, ratios, health and shares with
/// 6, counts as integers, null as an empty cell, text from the inputs neutralised.
fn push_cell(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Text(text) => {
            if let Some(text) = text {
                if is_formula(text) {
                    out.push('\'');
                }
                out.push_str(text);
            }
        }
        Cell::Plain(text) => out.push_str(text),
        Cell::Count(n) => n.iter().for_each(|n| out.push_str(itoa::Buffer::new().format(*n))),
        Cell::Money(v) => v.iter().for_each(|v| push_money(out, *v)),
        Cell::Ratio(v) | Cell::Score(v) => v.iter().for_each(|v| push_fraction(out, *v)),
        Cell::Status(status) => out.push_str(status.as_str()),
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

/// Rows written per block; blocks are written in parallel and joined in order.
const ROWS_PER_BLOCK: usize = 20_000;

pub(crate) fn write_rows<T: Sync>(
    header: &[&str],
    items: &[T],
    row: impl Fn(&T) -> Vec<Cell> + Sync,
) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    let header = writer.into_inner()?;
    let blocks: Vec<Vec<u8>> =
        items.par_chunks(ROWS_PER_BLOCK).map(|items| csv_block(items, &row)).collect::<anyhow::Result<_>>()?;
    Ok([header].into_iter().chain(blocks).collect::<Vec<_>>().concat())
}

/// Rows as CSV bytes, quoted as needed, each cell formatted into one reused buffer.
fn csv_block<T>(items: &[T], row: &impl Fn(&T) -> Vec<Cell>) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut field = String::new();
    for item in items {
        for cell in row(item) {
            field.clear();
            push_cell(&mut field, &cell);
            writer.write_field(&field)?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    Ok(writer.into_inner()?)
}

pub(crate) fn scorecards(report: &Report) -> anyhow::Result<Vec<u8>> {
    write_rows(&rows::names(&rows::SCORECARD), &report.scorecards, rows::scorecard)
}

/// accounts.csv; with ownership history it ends with `owner_since`, when the owner at the
/// evaluated quarter end has owned the account since.
pub(crate) fn accounts(report: &Report) -> anyhow::Result<Vec<u8>> {
    let header: Vec<&str> = rows::account_columns(report.ownership).iter().map(|c| c.name).collect();
    write_rows(&header, &report.accounts, |a| rows::account(a, report.ownership))
}

/// forecast.csv: one row per scorecard, in the same order (SPEC §12).
pub(crate) fn forecast(report: &Report) -> anyhow::Result<Vec<u8>> {
    write_rows(&rows::names(&rows::FORECAST), &report.scorecards, |s| rows::forecast(s, &report.forecast))
}

/// transfers.csv: one row per hand-over inside the evaluated window; only with ownership history.
pub(crate) fn transfers(report: &Report) -> anyhow::Result<Vec<u8>> {
    write_rows(&rows::names(&rows::TRANSFER), report.transfers(), rows::transfer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells() {
        let safe_text = |text: &str| {
            let mut out = String::new();
            push_cell(&mut out, &Cell::Text(Some(text.to_string())));
            out
        };
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("+1"), "'+1");
        assert_eq!(safe_text("@SUM"), "'@SUM");
        assert_eq!(safe_text("Ada Lovelace"), "Ada Lovelace");
    }
}
