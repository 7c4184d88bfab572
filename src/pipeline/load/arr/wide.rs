//! The wide ARR layout (SPEC §3.5), the way spreadsheets keep ARR: an account column and one
//! column per month (`2026-01`, `2026-01-31`, `Jan 2026`, `January 2026`, or dates in
//! `--date-format`). Each filled cell is read as a row `account_id, month, arr`; a blank cell is
//! no row. Messages name the cell's line and its month's column.

use polars::prelude::*;

use super::rows::Origin;
use crate::domain::calendar::Month;
use crate::domain::columns::{self as c, normalise, ColumnNames};
use crate::pipeline::load::table::Table;
use crate::pipeline::load::ReadOptions;

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a header names, in any of the forms of SPEC §3.5.
pub(super) fn month_of_header(header: &str, date_format: Option<&str>) -> Option<Month> {
    let header = header.trim();
    if let Some(month) = Month::parse_with(header, date_format) {
        return Some(month);
    }
    let (name, year) = header.rsplit_once([' ', '-', '_'])?;
    let name = name.trim().to_lowercase();
    let year: i32 = year.trim().parse().ok().filter(|_| year.trim().len() == 4)?;
    let number = MONTH_NAMES.iter().position(|full| name.len() >= 3 && full.starts_with(name.as_str()))?;
    Some(Month::from_ym(year, number as u32 + 1))
}

/// The month columns of a header in the wide layout: none of its columns is the long layout's
/// month or arr column, and at least two headers read as months.
pub(super) fn month_columns(header: &[String], names: &ColumnNames, read: &ReadOptions) -> Option<Vec<(usize, Month)>> {
    let long_fields = c::ARR_FILE.fields.iter().filter(|f| f.name == c::MONTH || f.name == c::ARR);
    for field in long_fields {
        let mapped = names.header(c::ARR_FILE.table, field.name).map(normalise);
        let is_field = |h: &String| {
            let h = normalise(h);
            h == field.name || field.aliases.contains(&h.as_str()) || mapped.as_deref() == Some(h.as_str())
        };
        if header.iter().any(is_field) {
            return None;
        }
    }
    let months: Vec<(usize, Month)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, month_of_header(h, read.date_format.as_deref())?)))
        .collect();
    (months.len() >= 2).then_some(months)
}

/// Each filled month cell of `table` as a text row (`row`, `account_id`, `month_raw`, `arr_raw`)
/// for the careful path, with the line and the month's column of each.
pub(super) fn rows(table: &Table, months: &[(usize, Month)]) -> PolarsResult<(DataFrame, Origin<'static>)> {
    let mut rows = CellRows::default();
    for (line, record) in &table.records {
        let (id, currency) = (table.get(record, c::ACCOUNT_ID), table.get(record, c::CURRENCY));
        for (column, month) in months {
            let cell = record.get(*column).map(str::trim).unwrap_or("");
            if !cell.is_empty() {
                rows.push(*line, [id, &month.to_string(), cell, currency], *column);
            }
        }
    }
    let names = table.header.iter().map(|h| h.trim().to_string()).collect();
    rows.finish(names)
}

/// The rows of a long-layout sheet (`account_id`, `month`, `arr`) as text rows for the careful
/// path, each with its line.
pub(super) fn long_rows(table: &Table) -> PolarsResult<(DataFrame, Origin<'static>)> {
    let mut rows = CellRows::default();
    let arr_column = table.index.get(c::ARR).copied().unwrap_or(0);
    for (line, record) in &table.records {
        let cells = [c::ACCOUNT_ID, c::MONTH, c::ARR, c::CURRENCY].map(|column| table.get(record, column));
        rows.push(*line, cells, arr_column);
    }
    // Messages name the amount's column `arr`, and the sheet's cell beside it.
    let mut names: Vec<String> = table.header.iter().map(|h| h.trim().to_string()).collect();
    if let Some(name) = names.get_mut(arr_column) {
        *name = c::ARR.to_string();
    }
    rows.finish(names)
}

/// Text rows built cell by cell, with where each came from.
#[derive(Default)]
struct CellRows {
    ids: Vec<String>,
    months: Vec<Option<String>>,
    amounts: Vec<Option<String>>,
    currencies: Vec<Option<String>>,
    lines: Vec<u64>,
    columns: Vec<usize>,
}

impl CellRows {
    /// One row: its account id, month, amount and currency cells.
    fn push(&mut self, line: u64, [id, month, amount, currency]: [&str; 4], column: usize) {
        let text = |t: &str| (!t.is_empty()).then(|| t.to_string());
        self.ids.push(id.to_string());
        self.months.push(text(month));
        self.amounts.push(text(amount));
        self.currencies.push(text(currency));
        self.lines.push(line);
        self.columns.push(column);
    }

    fn finish(self, names: Vec<String>) -> PolarsResult<(DataFrame, Origin<'static>)> {
        let rows: Vec<IdxSize> = (0..self.ids.len() as IdxSize).collect();
        let raw = df!(
            c::ROW => rows,
            c::ACCOUNT_ID => self.ids,
            c::MONTH_RAW => self.months,
            c::ARR_RAW => self.amounts,
            c::CURRENCY_RAW => self.currencies,
        )?;
        Ok((raw, Origin::Cells { lines: self.lines, arr_columns: self.columns, names }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_month_headers_in_every_form() {
        let m = |text: &str| month_of_header(text, None).map(|m| m.to_string());
        for text in ["2026-01", "2026-01-31", "Jan 2026", "January 2026", "jan-2026", " JAN 2026 "] {
            assert_eq!(m(text).as_deref(), Some("2026-01"), "{text}");
        }
        assert_eq!(m("Sept 2025").as_deref(), Some("2025-09"));
        for text in ["account_id", "Owner", "Ja 2026", "Jan 26", "2026", "Total 2026", "Mayday 2026"] {
            assert_eq!(m(text), None, "{text}");
        }
        assert_eq!(month_of_header("1/31/2026", Some("%m/%d/%Y")).map(|m| m.to_string()).as_deref(), Some("2026-01"));
    }
}
