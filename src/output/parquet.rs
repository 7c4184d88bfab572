//! `--format parquet` (issue 31): scorecards.parquet, accounts.parquet, forecast.parquet (when
//! there is a forecast) and transfers.parquet (with ownership history), the CSVs' rows with typed
//! columns for warehouses and BI tools. Counts are `UInt64`, money, ratios and scores `Float64`
//! at the precision the CSV writes (cents; 6 decimals), so both files hold the same numbers;
//! statuses and text are strings, flags booleans, and a column of months a `Date` (the first day
//! of the month). Money is `Float64` rather than `Decimal(18,2)`: every BI tool and pandas read
//! it natively, and rounded to the cent it holds exactly what the CSV says.

use polars::prelude::*;

use crate::model::Report;
use crate::output::rows::{self, Cell};

/// scorecards.parquet.
pub(crate) fn scorecards(report: &Report) -> anyhow::Result<Vec<u8>> {
    write(&rows::names(&rows::SCORECARD), report.scorecards.iter().map(rows::scorecard))
}

/// accounts.parquet, with `owner_since` given ownership history.
pub(crate) fn accounts(report: &Report) -> anyhow::Result<Vec<u8>> {
    let names: Vec<&str> = rows::account_columns(report.ownership).iter().map(|c| c.name).collect();
    write(&names, report.accounts.iter().map(|a| rows::account(a, report.ownership)))
}

/// forecast.parquet.
pub(crate) fn forecast(report: &Report) -> anyhow::Result<Vec<u8>> {
    write(&rows::names(&rows::FORECAST), report.scorecards.iter().map(|s| rows::forecast(s, &report.forecast)))
}

/// transfers.parquet.
pub(crate) fn transfers(report: &Report) -> anyhow::Result<Vec<u8>> {
    write(&rows::names(&rows::TRANSFER), report.transfers().iter().map(rows::transfer))
}

/// The rows as a Parquet file (zstd), one typed column per name.
fn write(names: &[&str], rows: impl Iterator<Item = Vec<Cell>>) -> anyhow::Result<Vec<u8>> {
    let rows: Vec<Vec<Cell>> = rows.collect();
    let series: Vec<polars::prelude::Column> =
        names.iter().enumerate().map(|(i, name)| typed(name, rows.iter().map(|r| &r[i]))).collect();
    let mut frame = DataFrame::new(rows.len(), series)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).with_compression(ParquetCompression::Zstd(None)).finish(&mut frame)?;
    Ok(bytes)
}

/// One column from its cells: the type of its first cell, and a column the tool writes of
/// `YYYY-MM` months as dates.
fn typed<'a>(name: &str, cells: impl Iterator<Item = &'a Cell> + Clone) -> polars::prelude::Column {
    let name = PlSmallStr::from(name);
    let round = |v: Option<f64>, scale: f64| v.map(|v| (v * scale).round() / scale);
    match cells.clone().next() {
        Some(Cell::Count(_)) => {
            let values: Vec<Option<u64>> = cells.map(|c| if let Cell::Count(v) = c { *v } else { None }).collect();
            polars::prelude::Column::new(name, values)
        }
        Some(Cell::Money(_) | Cell::Ratio(_) | Cell::Score(_)) => {
            let values: Vec<Option<f64>> = cells
                .map(|c| match c {
                    Cell::Money(v) => round(*v, 100.0),
                    Cell::Ratio(v) | Cell::Score(v) => round(*v, 1e6),
                    _ => None,
                })
                .collect();
            polars::prelude::Column::new(name, values)
        }
        Some(Cell::Bool(_)) => {
            let values: Vec<Option<bool>> =
                cells.map(|c| if let Cell::Bool(v) = c { Some(*v) } else { None }).collect();
            polars::prelude::Column::new(name, values)
        }
        first => {
            // Only a column the tool writes can be months: text from the inputs stays text.
            let written = matches!(first, Some(Cell::Plain(_)));
            let values: Vec<Option<String>> = cells.map(text).collect();
            let months: Option<Vec<Option<i32>>> =
                values.iter().map(|v| v.as_deref().map(month_days).unwrap_or(Some(None))).collect();
            match months {
                Some(days) if written && values.iter().any(Option::is_some) => {
                    let days = Int32Chunked::from_iter_options(name, days.into_iter());
                    days.into_date().into_series().into()
                }
                _ => polars::prelude::Column::new(name, values),
            }
        }
    }
}

/// A text or status cell's text; none when empty.
fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(v) => v.clone(),
        Cell::Plain(v) => (!v.is_empty()).then(|| v.clone()),
        Cell::Status(s) => Some(s.as_str().to_string()),
        _ => None,
    }
}

/// `Some(Some(days since 1970-01-01))` of a `YYYY-MM` month's first day; `None` when it is not one.
fn month_days(text: &str) -> Option<Option<i32>> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some(Some((date - epoch).num_days() as i32))
}
