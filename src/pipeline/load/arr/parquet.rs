//! arr.parquet's fast path (issue 31): a clean unload's columns read with their stored types, a
//! slice of rows at a time, each typed as [`Clean`] takes it (ids into the Enum of accounts.csv's
//! ids, text months and currencies into their shared Categoricals, dates as they are, amounts as Float64) and
//! checked and summed before the next. An unload it refuses is read as text cells by the careful
//! path, which names every bad row.

use std::path::Path;

use polars::prelude::*;

use super::clean::{Batch, Clean};
use super::rows::{ArrData, Known};
use crate::pipeline::load::parquet::open;
use crate::pipeline::load::table::Table;
use crate::pipeline::load::{Found, ReadOptions};

/// Rows read and summed at once: a row group or two as warehouses and Polars write them, about
/// as many rows as arr.csv's batches (a million rows measured 1.1 s and 580 MB at 200k accounts
/// against 1.3-2.1 s and 690 MB for four million, and no slower at 1M).
const SLICE_ROWS: usize = 1 << 20;

/// The fast path for a clean arr.parquet; `None` when the file needs the careful path: a column
/// of another type (amounts as text, months as numbers), or anything [`Clean`] refuses.
pub(super) fn read_clean(
    path: &Path,
    table: &Table,
    known: &Known,
    read: &ReadOptions,
    found: &mut Found,
) -> anyhow::Result<Option<ArrData>> {
    read_in_slices(path, table, known, read, found, SLICE_ROWS)
}

fn read_in_slices(
    path: &Path,
    table: &Table,
    known: &Known,
    read: &ReadOptions,
    found: &mut Found,
    slice_rows: usize,
) -> anyhow::Result<Option<ArrData>> {
    let Some(mut clean) = Clean::new(table, known, read)? else {
        return Ok(None);
    };
    let columns: Vec<String> = clean.names.all().iter().map(|name| name.to_string()).collect();
    let Ok(rows) = open(path).and_then(|mut reader| reader.num_rows()) else {
        return Ok(None);
    };
    let whole = rows <= slice_rows;
    for start in (0..rows).step_by(slice_rows.max(1)) {
        let frame = open(path)?.with_columns(Some(columns.clone())).with_slice(Some((start, slice_rows))).finish()?;
        let Some(frame) = typed(frame, &clean)? else {
            return Ok(None);
        };
        match clean.add(frame, whole, |_| rows)? {
            Batch::Summed => {}
            Batch::Refused => return Ok(None),
            // Not sorted by account and month: summed whole, as the careful path sums it.
            Batch::Unsorted => return read_in_slices(path, table, known, read, found, usize::MAX),
        }
    }
    clean.finish(table, found)
}

/// The slice's columns as [`Clean`] takes them; `None` when one is of a type the careful path
/// is to read (or an id is not in accounts.csv, which it names).
fn typed(frame: DataFrame, clean: &Clean) -> PolarsResult<Option<DataFrame>> {
    let names = &clean.names;
    let column = |name: &PlSmallStr| frame.column(name).map(|c| c.as_materialized_series().clone());
    let id = column(&names.id)?;
    let Ok(id) = id.cast(&DataType::String).and_then(|ids| ids.strict_cast(&clean.id_type)) else {
        return Ok(None);
    };
    let month = column(&names.month)?;
    let month = match month.dtype() {
        DataType::Date => month,
        DataType::Datetime(..) => month.cast(&DataType::Date)?,
        DataType::String => month.cast(&clean.month_type)?,
        _ => return Ok(None),
    };
    let arr = column(&names.arr)?;
    if !(arr.dtype().is_primitive_numeric() || arr.dtype().is_decimal()) {
        return Ok(None);
    }
    let mut columns = vec![id.into_column(), month.into_column(), arr.cast(&DataType::Float64)?.into_column()];
    if let Some(currency) = &names.currency {
        let currency = column(currency)?;
        if currency.dtype() != &DataType::String {
            return Ok(None);
        }
        columns.push(currency.cast(&clean.currency_type)?.into_column());
    }
    Ok(Some(DataFrame::new_infer_height(columns)?))
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use super::super::careful::check_and_sum;
    use super::super::wide;
    use super::*;
    use crate::domain::columns as c;
    use crate::pipeline::load::table::read_table;

    /// The samples' arr.csv as arr.parquet in `dir` (with accounts.csv beside it), its months and
    /// amounts as `month` and `arr` make them from their text; rows reversed when not `sorted`.
    fn samples_as(dir: &Path, month: Expr, arr: Expr, sorted: bool) {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        std::fs::copy(samples.join("accounts.csv"), dir.join("accounts.csv")).unwrap();
        let text: Schema =
            [c::ACCOUNT_ID, c::MONTH, c::ARR].map(|n| (n.into(), DataType::String)).into_iter().collect();
        let frame = CsvReadOptions::default()
            .with_schema_overwrite(Some(Arc::new(text)))
            .try_into_reader_with_file_path(Some(samples.join("arr.csv")))
            .unwrap()
            .finish()
            .unwrap();
        let frame = if sorted { frame } else { frame.reverse() };
        let mut frame = frame.lazy().with_columns([month.alias(c::MONTH), arr.alias(c::ARR)]).collect().unwrap();
        ParquetWriter::new(File::create(dir.join("arr.parquet")).unwrap()).finish(&mut frame).unwrap();
    }

    /// Reads `dir`'s arr.parquet by the fast path, in slices of `slice_rows`, and by the careful
    /// path from its text cells; both must agree. `None` when the fast path refuses the file.
    fn both_paths(dir: &Path, slice_rows: usize) -> Option<ArrData> {
        let read = ReadOptions::default();
        let mut found = Found::default();
        let accounts = crate::pipeline::load::accounts::read(&dir.join("accounts.csv"), &read, &mut found).unwrap();
        let ids = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let known = Known::new(&ids, "accounts.csv".into());
        let path = dir.join("arr.parquet");
        let mut table = read_table(&path, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let clean = read_in_slices(&path, &table, &known, &read, &mut found, slice_rows).unwrap()?;
        let records = crate::pipeline::load::parquet::rows(&path, &mut found).unwrap();
        table.set_records(records, &mut found).unwrap();
        let (raw, origin) = wide::long_rows(&table).unwrap();
        let careful = check_and_sum(raw, &origin, &table.file, Some(&known), &read, &mut found).unwrap();
        assert!(found.problems.is_empty() && found.notes.is_empty());
        assert!(clean.summed.equals(&careful.summed));
        assert_eq!(clean.rows_read, careful.rows_read);
        assert_eq!((clean.first_month, clean.last_month), (careful.first_month, careful.last_month));
        assert_eq!(clean.months, careful.months);
        Some(clean)
    }

    fn date() -> Expr {
        (col(c::MONTH) + lit("-01")).str().to_date(StrptimeOptions::default())
    }

    #[test]
    fn typed_unloads_take_the_fast_path_and_read_as_the_careful_path_does() {
        let stamp = date().cast(DataType::Datetime(TimeUnit::Milliseconds, None));
        let cases = [
            (date(), col(c::ARR).cast(DataType::Decimal(18, 2)), true),
            (stamp, col(c::ARR).cast(DataType::Float64), true),
            (col(c::MONTH), col(c::ARR).cast(DataType::Float64), false),
            (date(), col(c::ARR).cast(DataType::Float64).cast(DataType::Int64), true),
        ];
        for (i, (month, arr, sorted)) in cases.into_iter().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            samples_as(dir.path(), month, arr, sorted);
            for slice_rows in [SLICE_ROWS, 1000, 7] {
                assert!(both_paths(dir.path(), slice_rows).is_some(), "case {i} in slices of {slice_rows}");
            }
        }
    }

    #[test]
    fn amounts_as_text_and_unknown_ids_are_left_to_the_careful_path() {
        let dir = tempfile::tempdir().unwrap();
        samples_as(dir.path(), date(), col(c::ARR), true);
        assert!(both_paths(dir.path(), SLICE_ROWS).is_none(), "amounts as text");
        let unknown = when(col(c::ACCOUNT_ID).eq(lit("ACC-0002"))).then(lit("ACC-9999")).otherwise(col(c::ACCOUNT_ID));
        samples_as(dir.path(), date(), col(c::ARR).cast(DataType::Float64), true);
        let mut frame = ParquetReader::new(File::open(dir.path().join("arr.parquet")).unwrap()).finish().unwrap();
        frame = frame.lazy().with_column(unknown.alias(c::ACCOUNT_ID)).collect().unwrap();
        ParquetWriter::new(File::create(dir.path().join("arr.parquet")).unwrap()).finish(&mut frame).unwrap();
        let read = ReadOptions::default();
        let mut found = Found::default();
        let accounts =
            crate::pipeline::load::accounts::read(&dir.path().join("accounts.csv"), &read, &mut found).unwrap();
        let ids = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let path = dir.path().join("arr.parquet");
        let table = read_table(&path, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let known = Known::new(&ids, "accounts.csv".into());
        assert!(read_clean(&path, &table, &known, &read, &mut found).unwrap().is_none(), "an unknown id");
    }
}
