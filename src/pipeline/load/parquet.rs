//! Parquet inputs (issue 31): a warehouse unload read into the same table a CSV file gives, each
//! typed value written the way the CSV rules read it: integers, decimals and whole floats as
//! numbers, dates and timestamps as `YYYY-MM-DD` (a date is its month where a month is wanted),
//! flags as `true`/`false`, null as an empty cell. The header is the schema's column names; rows
//! are numbered from 1, the first data row, and the schema counts as row 0, so a message names the
//! file, the column, the row and the value, exactly as for CSV. arr.parquet's fast path
//! (`arr/parquet.rs`) reads the typed columns itself, a slice at a time, from [`open`].

use std::fs::File;
use std::path::Path;

use polars::prelude::{ArrowDataType as Arrow, *};

use super::raw::Raw;
use super::sheet::number;
use super::Found;
use crate::error::{Problem, Read};

/// Whether `path` names a Parquet file (by its extension).
pub(crate) fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The file's header, and its rows as text cells when `with_rows`. A column of a type no export
/// has (a struct, a map, an interval) is not read: its cells are blank and a note names it.
pub(super) fn read(path: &Path, with_rows: bool, found: &mut Found) -> Read<Raw> {
    let file = path.display().to_string();
    let schema = match open(path).and_then(|mut reader| reader.schema()) {
        Ok(schema) => schema,
        Err(e) => return found.problems.stop(unreadable(&file, e)),
    };
    for (name, field) in schema.iter().filter(|(_, field)| !readable(&field.dtype)) {
        // The type's name without its fields: `Struct([Field { … }])` is a struct.
        let kind = format!("{:?}", field.dtype);
        let kind = kind.split(['(', ' ']).next().unwrap_or_default().to_lowercase();
        found.notes.push(format!("{file}: column '{name}' holds {kind} values, which are not read"));
    }
    let header: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let records = if with_rows { Some(rows(path, found)?) } else { None };
    Ok(Raw { file, delimiter: b',', header, header_line: 0, records, first_column: None })
}

/// The file's rows as text cells, numbered from 1, blank rows left out.
pub(super) fn rows(path: &Path, found: &mut Found) -> Read<Vec<(u64, csv::StringRecord)>> {
    let file = path.display().to_string();
    let read = || -> PolarsResult<(DataFrame, Vec<String>)> {
        let schema = open(path)?.schema()?;
        let header: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        let readable: Vec<String> =
            schema.iter().filter(|(_, field)| readable(&field.dtype)).map(|(name, _)| name.to_string()).collect();
        Ok((typed(path, &readable)?, header))
    };
    let (frame, header) = match read() {
        Ok(read) => read,
        Err(e) => return found.problems.stop(unreadable(&file, e)),
    };
    let height = frame.height();
    let columns: Vec<Vec<String>> = header
        .iter()
        .map(|name| match frame.column(name) {
            Ok(column) => texts(column),
            Err(_) => vec![String::new(); height],
        })
        .collect();
    Ok((0..height)
        .map(|i| (i as u64 + 1, csv::StringRecord::from(columns.iter().map(|c| c[i].as_str()).collect::<Vec<_>>())))
        .filter(|(_, record)| record.iter().any(|cell| !cell.trim().is_empty()))
        .collect())
}

fn unreadable(file: &str, e: PolarsError) -> Problem {
    Problem::new(file, format!("cannot read the Parquet file: {e}"))
}

/// The named columns with their types as stored (each name read from the schema before).
fn typed(path: &Path, columns: &[String]) -> PolarsResult<DataFrame> {
    open(path)?.with_columns(Some(columns.to_vec())).finish()
}

/// A reader of the file, which reads nothing until asked.
pub(super) fn open(path: &Path) -> PolarsResult<ParquetReader<File>> {
    Ok(ParquetReader::new(File::open(path)?))
}

/// Whether Polars reads a column of this type (others it cannot hold, or would stop on).
fn readable(dtype: &Arrow) -> bool {
    match dtype {
        Arrow::Null
        | Arrow::Boolean
        | Arrow::Int8
        | Arrow::Int16
        | Arrow::Int32
        | Arrow::Int64
        | Arrow::UInt8
        | Arrow::UInt16
        | Arrow::UInt32
        | Arrow::UInt64
        | Arrow::Float32
        | Arrow::Float64
        | Arrow::Utf8
        | Arrow::LargeUtf8
        | Arrow::Utf8View
        | Arrow::Binary
        | Arrow::LargeBinary
        | Arrow::BinaryView
        | Arrow::Date32
        | Arrow::Date64
        | Arrow::Timestamp(..)
        | Arrow::Time32(_)
        | Arrow::Time64(_)
        | Arrow::Duration(_)
        | Arrow::Decimal(..)
        | Arrow::Decimal32(..)
        | Arrow::Decimal64(..) => true,
        Arrow::Dictionary(_, values, _) => matches!(**values, Arrow::Utf8 | Arrow::LargeUtf8 | Arrow::Utf8View),
        _ => false,
    }
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
