//! Turns generated exports into one workbook, as a spreadsheet user keeps them: sheets
//! `accounts` and `advisors` as they are, and `arr` wide (an account column, one column per
//! month). `bench/run.sh` times `score --data book.xlsx` on it.
//!
//!     cargo run --release --features bench --example to_xlsx -- DATA_DIR BOOK_XLSX

use std::collections::BTreeMap;

use rust_xlsxwriter::{Workbook, Worksheet};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, data, book] = &args[..] else {
        anyhow::bail!("usage: to_xlsx DATA_DIR BOOK_XLSX");
    };
    let data = std::path::Path::new(data);
    let mut workbook = Workbook::new();
    for name in ["accounts", "advisors"] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let mut reader = csv::Reader::from_path(data.join(format!("{name}.csv")))?;
        write_row(sheet, 0, reader.headers()?.iter().map(str::to_string))?;
        for (r, record) in reader.records().enumerate() {
            write_row(sheet, r as u32 + 1, record?.iter().map(str::to_string))?;
        }
    }
    // arr.csv is sorted by account: one wide row per account, months as columns.
    let mut months = BTreeMap::new();
    let mut rows: Vec<(String, BTreeMap<String, f64>)> = Vec::new();
    for record in csv::Reader::from_path(data.join("arr.csv"))?.records() {
        let record = record?;
        let (id, month, arr) = (&record[0], &record[1], record[2].parse::<f64>()?);
        if rows.last().is_none_or(|(last, _)| last != id) {
            rows.push((id.to_string(), BTreeMap::new()));
        }
        months.insert(month.to_string(), ());
        *rows.last_mut().expect("pushed above").1.entry(month.to_string()).or_default() += arr;
    }
    let months: Vec<String> = months.into_keys().collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name("arr")?;
    write_row(sheet, 0, std::iter::once("Account ID".to_string()).chain(months.iter().cloned()))?;
    for (r, (id, values)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, id)?;
        for (c, month) in months.iter().enumerate() {
            if let Some(value) = values.get(month) {
                sheet.write_number(r, c as u16 + 1, *value)?;
            }
        }
    }
    workbook.save(book)?;
    Ok(())
}

/// Cells that read as numbers are written as numbers, the rest as text.
fn write_row(sheet: &mut Worksheet, row: u32, cells: impl Iterator<Item = String>) -> anyhow::Result<()> {
    for (c, cell) in cells.enumerate() {
        match cell.parse::<f64>() {
            Ok(number) => sheet.write_number(row, c as u16, number)?,
            Err(_) if cell.is_empty() => continue,
            Err(_) => sheet.write_string(row, c as u16, cell)?,
        };
    }
    Ok(())
}
