//! Spreadsheets (SPEC §3.5): an input's sheet of an `.xlsx` workbook read into the same table a
//! CSV file gives, with typed cells written the way the CSV rules read them: dates as
//! `YYYY-MM-DD`, whole numbers without decimals, flags as `true`/`false`. Lines are the sheet's
//! row numbers, and messages name cells (`book.xlsx[arr]!C17`).

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use super::raw::Raw;
use super::Found;
use crate::error::{Problem, Read};

/// Whether `path` names a workbook (by its extension; CSV files with workbook bytes are refused
/// when read as text).
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Whether the workbook at `path` has a sheet named `input` (any case), for optional inputs.
pub(crate) fn has_sheet(path: &Path, input: &str) -> bool {
    let workbook: Result<Xlsx<_>, _> = open_workbook(path);
    workbook.is_ok_and(|w| w.sheet_names().iter().any(|s| s.trim().eq_ignore_ascii_case(input)))
}

/// The sheet of `path` named `input` (any case), or its only sheet, or, when the file is named
/// after the input (`accounts.xlsx`), its first sheet.
pub(super) fn read(path: &Path, input: &str, found: &mut Found) -> Read<Raw> {
    let name = path.display().to_string();
    let problems = &mut found.problems;
    let mut workbook: Xlsx<_> = match open_workbook(path) {
        Ok(workbook) => workbook,
        Err(e) => return problems.stop(Problem::new(&name, format!("cannot read the workbook: {e}"))),
    };
    let sheets = workbook.sheet_names();
    let named_after_input = path.file_stem().is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(input));
    let sheet = sheets
        .iter()
        .find(|s| s.trim().eq_ignore_ascii_case(input))
        .or_else(|| sheets.first().filter(|_| sheets.len() == 1 || named_after_input));
    let Some(sheet) = sheet.cloned() else {
        return problems.stop(Problem::new(
            &name,
            format!("has no sheet named {input} (sheets: {}): name the sheet {input}", sheets.join(", ")),
        ));
    };
    let file = format!("{name}[{sheet}]");
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => return problems.stop(Problem::new(&file, format!("cannot read the sheet: {e}"))),
    };
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let Some(header) = rows.next().filter(|row| row.iter().any(|c| *c != Data::Empty)) else {
        return problems.stop(Problem::new(&file, "the sheet is empty: expected a header row").at(1));
    };
    let header: Vec<String> = header.iter().map(text).collect();
    let header_line = u64::from(first_row) + 1;
    let records = rows
        .enumerate()
        .filter(|(_, row)| row.iter().any(|c| !text(c).trim().is_empty()))
        .map(|(i, row)| (header_line + 1 + i as u64, csv::StringRecord::from(row.iter().map(text).collect::<Vec<_>>())))
        .collect();
    Ok(Raw { file, delimiter: b',', header, header_line, records: Some(records), first_column: Some(first_column) })
}

/// A cell as the CSV rules read it.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTime(dt) => number(dt.as_f64()),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as written in a CSV: whole numbers without a decimal point (`250`, not `250.0`).
pub(super) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_the_csv_rules_expect() {
        assert_eq!(text(&Data::Float(250.0)), "250");
        assert_eq!(text(&Data::Float(1234.5)), "1234.5");
        assert_eq!(text(&Data::Int(1)), "1");
        assert_eq!(text(&Data::Bool(true)), "true");
        assert_eq!(text(&Data::DateTimeIso("2026-09-30T00:00:00".into())), "2026-09-30");
        assert_eq!(text(&Data::Empty), "");
    }
}
