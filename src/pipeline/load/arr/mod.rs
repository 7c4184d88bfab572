//! arr.csv (SPEC §3.2): monthly ARR snapshots, summed per account and month. The header says
//! which layout it is; a clean long export goes through a fast typed path ([`fast`] for CSV,
//! [`parquet`] for Parquet, both checking and summing with [`clean`]), anything else through the
//! careful path ([`careful`]) that names every bad row with its physical line;
//! [`wide`] turns one column per month into rows. [`rows`] is what they share; all end in
//! [`sum`], so they give the same table.

use std::path::Path;

mod careful;
mod clean;
mod fast;
mod parquet;
mod rows;
mod sum;
mod wide;

pub(super) use clean::Months;
pub(super) use rows::{categorical, month_lookup, ArrData, Known};
#[cfg(test)]
pub(crate) use sum::sum_account_months;
pub(crate) use sum::{pack, PACKED};

use super::parquet::is_parquet;
use super::table::{in_cells, read_raw, Table};
use super::Found;
use super::ReadOptions;
use crate::domain::columns as c;
use crate::error::Read;
use careful::{check_and_sum, read_careful};
use fast::read_clean;

/// arr.csv (SPEC §3.2). A clean export (plain numbers, known ids, months that parse, nothing
/// blank) is read by [`read_clean`]: typed by the Polars reader and summed in one pass. Anything
/// else is read again by [`read_careful`], which keeps every cell's text to report each bad row
/// with its line. `known` is accounts.csv when it loaded; without it the file is still read, for
/// its own problems, and then stops.
pub(super) fn read(path: &Path, known: Option<&Known>, read: &ReadOptions, found: &mut Found) -> Read<ArrData> {
    // The header says which layout it is. A sheet is read whole at once; of a CSV or Parquet file
    // only the header, since a long one is read by Polars, and a wide one is then read with its rows.
    let (cells, parquet) = (in_cells(path), is_parquet(path));
    let raw = read_raw(path, c::ARR_FILE.table, cells && !parquet, read, found)?;
    if let Some(months) = wide::month_columns(&raw.header, &read.columns, read) {
        let raw = if raw.records.is_some() { raw } else { read_raw(path, c::ARR_FILE.table, true, read, found)? };
        let table = Table::new(raw, &c::ARR_WIDE, read, found)?;
        let (raw, origin) = wide::rows(&table, &months)?;
        return check_and_sum(raw, &origin, &table.file, known, read, found);
    }
    let mut table = Table::new(raw, &c::ARR_FILE, read, found)?;
    if let Some(known) = known.filter(|_| parquet || !cells) {
        let clean = if parquet {
            parquet::read_clean(path, &table, known, read, found)?
        } else {
            read_clean(path, &table, known, read, found)?
        };
        if let Some(clean) = clean {
            return Ok(clean);
        }
    }
    if cells {
        if parquet {
            let records = super::parquet::rows(path, found)?;
            table.set_records(records, found)?;
        }
        let (raw, origin) = wide::long_rows(&table)?;
        return check_and_sum(raw, &origin, &table.file, known, read, found);
    }
    read_careful(path, &table, known, read, found)
}
