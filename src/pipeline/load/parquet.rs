//! Parquet inputs (issue 31): a warehouse unload read into the same table a CSV file gives, each
//! typed value written the way the CSV rules read it: integers and whole floats without decimals,
//! dates and timestamps as `YYYY-MM-DD` (a date is its month where a month is wanted), flags as
//! `true`/`false`, null as an empty cell. The header is the schema's column names; rows are
//! numbered from 1, the first data row, and the schema counts as row 0, so a message names the
//! file, the column, the row and the value, exactly as for CSV.

use std::path::Path;

use polars::prelude::*;

use super::raw::Raw;
use super::sheet::number;
use super::Found;
use crate::error::{Problem, Read};

/// Whether `path` names a Parquet file (by its extension).
pub(crate) fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The whole file as text cells.
pub(super) fn read(path: &Path, found: &mut Found) -> Read<Raw> {
    let file = path.display().to_string();
    let frame = std::fs::File::open(path).map_err(PolarsError::from).and_then(|f| ParquetReader::new(f).finish());
    let frame = match frame {
        Ok(frame) => frame,
        Err(e) => return found.problems.stop(Problem::new(&file, format!("cannot read the Parquet file: {e}"))),
    };
    let header: Vec<String> = frame.get_column_names().iter().map(|n| n.to_string()).collect();
    let columns: Vec<Vec<String>> = frame.columns().iter().map(texts).collect();
    let records = (0..frame.height())
        .map(|i| (i as u64 + 1, csv::StringRecord::from(columns.iter().map(|c| c[i].as_str()).collect::<Vec<_>>())))
        .filter(|(_, record)| record.iter().any(|cell| !cell.trim().is_empty()))
        .collect();
    Ok(Raw { file, delimiter: b',', header, header_line: 0, records: Some(records), first_column: None })
}

/// A column's values as the CSV rules read them.
fn texts(column: &Column) -> Vec<String> {
    let series = column.as_materialized_series();
    let cast = |to: &DataType| series.cast(to).ok();
    let dates = match series.dtype() {
        DataType::Date => cast(&DataType::String),
        DataType::Datetime(..) => cast(&DataType::Date).and_then(|d| d.cast(&DataType::String).ok()),
        _ => None,
    };
    if let Some(dates) = dates {
        return match dates.str() {
            Ok(strings) => strings.iter().map(|v| v.unwrap_or_default().to_string()).collect(),
            Err(_) => vec![String::new(); series.len()],
        };
    }
    (0..series.len())
        .map(|i| match series.get(i) {
            Ok(AnyValue::Null) | Err(_) => String::new(),
            Ok(AnyValue::String(s)) => s.to_string(),
            Ok(AnyValue::StringOwned(s)) => s.to_string(),
            Ok(AnyValue::Boolean(b)) => b.to_string(),
            Ok(AnyValue::Float64(v)) => number(v),
            Ok(AnyValue::Float32(v)) => number(f64::from(v)),
            Ok(other) => other.to_string(),
        })
        .collect()
}
