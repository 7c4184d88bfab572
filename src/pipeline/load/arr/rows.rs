//! What arr.csv's readers share: accounts.csv's ids they check against (and the types a fast
//! path reads ids and texts into, which health.csv's uses too), the summed table they return,
//! where a row came from (for its line in messages), and how a month is read.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use polars::prelude::*;

use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::fx::Named;
use crate::pipeline::load::text::record_lines;
use crate::warnings::Warning;

/// accounts.csv's ids with their keys, and that file's name for messages.
pub(in crate::pipeline::load) struct Known<'a> {
    pub(in crate::pipeline::load) ids: &'a DataFrame,
    pub(in crate::pipeline::load) file: String,
    /// The ids' Enum, made when a fast path first asks (arr's, then health's, use one).
    id_type: OnceLock<Option<DataType>>,
}

impl<'a> Known<'a> {
    pub(in crate::pipeline::load) fn new(ids: &'a DataFrame, file: String) -> Known<'a> {
        Known { ids, file, id_type: OnceLock::new() }
    }

    /// The Enum a reader reads account ids into ([`id_enum`]); `None` when the ids cannot be one.
    pub(in crate::pipeline::load) fn id_enum(&self) -> PolarsResult<Option<DataType>> {
        if let Some(made) = self.id_type.get() {
            return Ok(made.clone());
        }
        let made = id_enum(self.ids.column(c::ACCOUNT_ID)?.str()?);
        Ok(self.id_type.get_or_init(|| made).clone())
    }
}

/// The Enum a reader reads account ids into: `ids` (accounts.csv's, in order), so its codes are
/// the account keys. Polars stores fewer than 65,536 categories in 8 or 16 bits, which this build
/// leaves out, so small books are padded with names no export holds; a row naming one is an
/// unknown account (`key >= ids.len()`). `None` when the ids cannot be an Enum.
fn id_enum(ids: &StringChunked) -> Option<DataType> {
    let padding: Vec<String> = (ids.len()..=u16::MAX as usize).map(|i| format!("\0ta-scorecard padding {i}")).collect();
    let all = ids.iter().flatten().chain(padding.iter().map(String::as_str));
    FrozenCategories::new(all).map(DataType::from_frozen_categories).ok()
}

/// A Categorical of its own, which every batch read with it shares: a text has one code in all.
pub(in crate::pipeline::load) fn categorical() -> DataType {
    DataType::from_categories(Categories::random(PlSmallStr::EMPTY, CategoricalPhysical::U32))
}

/// arr.csv once summed per account and month.
pub(in crate::pipeline::load) struct ArrData {
    pub(in crate::pipeline::load) summed: DataFrame,
    pub(in crate::pipeline::load) first_month: Month,
    pub(in crate::pipeline::load) last_month: Month,
    pub(in crate::pipeline::load) rows_read: usize,
    /// The currencies the file names (SPEC §10).
    pub(in crate::pipeline::load) named: Named,
    /// Every month with a row, in order.
    pub(in crate::pipeline::load) months: Vec<Month>,
}

impl ArrData {
    /// The `summed` table, with the `months` its rows name when the reader kept them (else they
    /// are found in the table).
    pub(in crate::pipeline::load) fn summed(
        file: &str,
        summed: DataFrame,
        rows_read: usize,
        named: Named,
        months: Option<BTreeSet<i32>>,
    ) -> anyhow::Result<ArrData> {
        let months: BTreeSet<i32> = match months {
            Some(months) => months,
            None => summed.column(c::MONTH)?.unique()?.i32()?.iter().flatten().collect(),
        };
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            anyhow::bail!("{file}: no months after summing");
        };
        let (first_month, last_month) = (Month(*first), Month(*last));
        let months = months.into_iter().map(Month).collect();
        Ok(ArrData { summed, first_month, last_month, rows_read, named, months })
    }
}

/// Where the rows of the careful path came from, to say where each bad row is.
pub(in crate::pipeline::load) enum Origin<'a> {
    /// A long CSV file: data row `r` is its record `r + 1`, whose line a scan of the file finds.
    Csv(&'a Path),
    /// Rows made from the cells of a table (a wide layout, a sheet): each row's line and the
    /// column of its amount, as a position into `names` (the columns as messages name them).
    Cells { lines: Vec<u64>, arr_columns: Vec<usize>, names: Vec<String> },
}

impl Origin<'_> {
    /// The physical line of each of `rows`.
    pub(in crate::pipeline::load) fn lines(&self, rows: &[usize]) -> HashMap<usize, u64> {
        match self {
            Origin::Csv(path) => record_lines(path, rows),
            Origin::Cells { lines, .. } => rows.iter().filter_map(|r| Some((*r, *lines.get(*r)?))).collect(),
        }
    }

    /// The column a row's amount is in, as messages name it.
    pub(super) fn arr_column(&self, row: usize) -> &str {
        match self {
            Origin::Csv(_) => c::ARR,
            Origin::Cells { arr_columns, names, .. } => {
                arr_columns.get(row).and_then(|i| names.get(*i)).map_or(c::ARR, String::as_str)
            }
        }
    }
}

/// A month this far or farther from every other month of the file is probably a typo (1901 for
/// 2021): it stretches the data's range and every month between reads as ARR 0.
const STRAY_GAP: i32 = 24;

/// Warns of each month far from all the others, naming the line it first appears on. `months`
/// are the file's months (repeats allowed); `first_row` finds a month's first data row.
pub(in crate::pipeline::load) fn warn_stray_months(
    origin: &Origin,
    file: &str,
    months: impl Iterator<Item = i32>,
    first_row: impl Fn(i32) -> Option<usize>,
    warnings: &mut Vec<Warning>,
) {
    for (month, gap) in stray_months(months) {
        let Some(row) = first_row(month) else { continue };
        let line = origin.lines(&[row]).get(&row).copied().unwrap_or(row as u64 + 2);
        warnings.push(Warning::StrayMonth { file: file.to_string(), line, month: Month(month), gap });
    }
}

/// Each month at least [`STRAY_GAP`] months from every other month of `months` (repeats
/// allowed), with that gap, in order.
pub(in crate::pipeline::load) fn stray_months(months: impl Iterator<Item = i32>) -> Vec<(i32, i32)> {
    let mut distinct: Vec<i32> = months.collect();
    distinct.sort_unstable();
    distinct.dedup();
    (0..distinct.len())
        .filter_map(|i| {
            let before = i.checked_sub(1).map(|j| distinct[i] - distinct[j]);
            let after = distinct.get(i + 1).map(|next| next - distinct[i]);
            let gap = before.into_iter().chain(after).min()?;
            (gap >= STRAY_GAP).then_some((distinct[i], gap))
        })
        .collect()
}

/// Each distinct month text parsed (null when it does not parse), and whether it was written
/// `YYYY-MM` or `YYYY-MM-DD`: shared by both paths so they read months alike.
pub(in crate::pipeline::load) fn parse_months(
    texts: &[Option<&str>],
    date_format: Option<&str>,
) -> (Vec<Option<i32>>, Vec<bool>) {
    let parsed = texts.iter().map(|m| m.and_then(|m| Month::parse_with(m, date_format)).map(|m| m.0)).collect();
    let iso = texts.iter().map(|m| m.and_then(Month::parse).is_some()).collect();
    (parsed, iso)
}

/// Each distinct month text of arr.csv with its parsed month (null when it does not parse).
/// Parsing the few distinct values in Rust keeps the rule exact without a per-row loop.
pub(in crate::pipeline::load) fn month_lookup(months: &Column, date_format: Option<&str>) -> anyhow::Result<DataFrame> {
    let distinct = months.unique()?;
    let texts: Vec<Option<&str>> = distinct.str()?.iter().collect();
    let (parsed, iso) = parse_months(&texts, date_format);
    Ok(DataFrame::new_infer_height(vec![
        distinct.with_name(c::MONTH_RAW.into()),
        Column::new(c::MONTH.into(), parsed),
        Column::new(c::MONTH_ISO.into(), iso),
    ])?)
}
