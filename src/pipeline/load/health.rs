//! health.csv (SPEC §11): each account's health score over time, so every quarter end is scored
//! with the health it had then. The file can be as long as arr.csv (a score per account and
//! month), so a CSV file is read by Polars as text and checked by whole-column expressions; a
//! sheet's rows come from its cells. Every bad row is named by its line (or cell).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use super::arr::{month_lookup, Known};
use super::table::read_text_columns;
use super::table::{in_cells, read_raw, Table};
use super::text::record_lines;
use super::Found;
use super::ReadOptions;
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::money;
use crate::error::{Problem, Read, Stop};

/// health.csv as `key`, `month`, `health_score`, sorted by account then month: a known account,
/// a month that parses, a score in [0, 10], one row per account and month.
pub(super) fn read(path: &Path, known: &Known, read: &ReadOptions, found: &mut Found) -> Read<DataFrame> {
    let sheet = in_cells(path);
    let raw = read_raw(path, c::HEALTH_FILE.table, sheet, read, found)?;
    let table = Table::new(raw, &c::HEALTH_FILE, read, found)?;
    let (rows, lines) = if sheet { from_cells(&table)? } else { from_csv(path, &table, found)? };
    let file = table.file.clone();
    let line_of = |rows: &[usize]| -> HashMap<usize, u64> {
        match &lines {
            Some(lines) => rows.iter().filter_map(|r| Some((*r, *lines.get(*r)?))).collect(),
            None => record_lines(path, rows),
        }
    };
    let months = month_lookup(rows.column(c::MONTH_RAW)?, read.date_format.as_deref())?;
    let score = money::parse(col(c::HEALTH_RAW).str().strip_chars(lit(NULL)), read.decimal);
    let parsed = rows
        .lazy()
        .select([
            col(c::ROW),
            col(c::ACCOUNT_ID).str().strip_chars(lit(NULL)).alias(c::ACCOUNT_ID),
            col(c::MONTH_RAW),
            col(c::HEALTH_RAW),
            score.alias(c::HEALTH),
        ])
        .left_join(months.lazy(), col(c::MONTH_RAW), col(c::MONTH_RAW))
        .left_join(known.ids.clone().lazy(), col(c::ACCOUNT_ID), col(c::ACCOUNT_ID))
        .sort([c::ROW], SortMultipleOptions::default())
        .collect()?;
    if parsed.height() == 0 {
        return found.problems.stop(Problem::new(&file, "no data rows after the header").at(2));
    }
    let bad_score = col(c::HEALTH).is_null().or(col(c::HEALTH).lt(lit(0.0))).or(col(c::HEALTH).gt(lit(10.0)));
    let bad =
        parsed.clone().lazy().filter(col(c::KEY).is_null().or(col(c::MONTH).is_null()).or(bad_score)).collect()?;
    let problems = &mut found.problems;
    if bad.height() > 0 {
        let rows: Vec<usize> = bad.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
        let lines = line_of(&rows);
        let (ids, keys) = (bad.column(c::ACCOUNT_ID)?.str()?, bad.column(c::KEY)?.u32()?);
        let (month_raw, month) = (bad.column(c::MONTH_RAW)?.str()?, bad.column(c::MONTH)?.i32()?);
        let (score_raw, score) = (bad.column(c::HEALTH_RAW)?.str()?, bad.column(c::HEALTH)?.f64()?);
        for (i, row) in rows.iter().enumerate() {
            let line = lines.get(row).copied().unwrap_or(*row as u64 + 2);
            let at = |column: &str, message: String| Problem::new(&file, message).at(line).column(column);
            match (ids.get(i).filter(|id| !id.is_empty()), keys.get(i)) {
                (None, _) => problems.push(at(c::ACCOUNT_ID, "missing".into())),
                (Some(id), None) => problems.push(
                    at(c::ACCOUNT_ID, format!("not in {}: a health score needs its account", known.file)).value(id),
                ),
                _ => {}
            }
            match (month_raw.get(i), month.get(i)) {
                (None, _) => problems.push(at(c::MONTH, "missing".into())),
                (Some(raw), None) => {
                    problems.push(at(c::MONTH, "not a month, expected YYYY-MM or YYYY-MM-DD".into()).value(raw))
                }
                _ => {}
            }
            match (score_raw.get(i), score.get(i)) {
                (None, _) => problems.push(at(c::HEALTH, "missing".into())),
                (Some(raw), None) => problems.push(at(c::HEALTH, "not a number".into()).value(raw)),
                (Some(raw), Some(v)) if v > 10.0 && v <= 100.0 => problems
                    .push(at(c::HEALTH, "outside the 0 to 10 scale; a 0–100 score? divide by 10".into()).value(raw)),
                (Some(raw), Some(v)) if !(0.0..=10.0).contains(&v) => {
                    problems.push(at(c::HEALTH, "outside the 0 to 10 scale".into()).value(raw))
                }
                _ => {}
            }
        }
        return Err(Stop::Invalid);
    }
    // Two rows of one account in one month: the second is named, with the first's line.
    let sorted = parsed
        .lazy()
        .select([col(c::ROW), col(c::ACCOUNT_ID), col(c::KEY), col(c::MONTH), col(c::MONTH_RAW), col(c::HEALTH)])
        .sort([c::KEY, c::MONTH, c::ROW], SortMultipleOptions::default())
        .collect()?;
    let repeated = col(c::KEY).eq(col(c::KEY).shift(lit(1))).and(col(c::MONTH).eq(col(c::MONTH).shift(lit(1))));
    let twice =
        sorted.clone().lazy().with_column(col(c::ROW).shift(lit(1)).alias("first_row")).filter(repeated).collect()?;
    if twice.height() > 0 {
        let rows: Vec<usize> = twice.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
        let firsts: Vec<usize> = twice.column("first_row")?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
        let lines = line_of(&[rows.clone(), firsts.clone()].concat());
        let line = |row: &usize| lines.get(row).copied().unwrap_or(*row as u64 + 2);
        let (ids, months) = (twice.column(c::ACCOUNT_ID)?.str()?, twice.column(c::MONTH_RAW)?.str()?);
        for (i, (row, first)) in rows.iter().zip(&firsts).enumerate() {
            let id = ids.get(i).unwrap_or_default();
            problems.push(
                Problem::new(
                    &file,
                    format!("a second health score for {id} in this month, first on line {}", line(first)),
                )
                .at(line(row))
                .column(c::MONTH)
                .value(months.get(i).unwrap_or_default()),
            );
        }
        return Err(Stop::Invalid);
    }
    Ok(sorted.select([c::KEY, c::MONTH, c::HEALTH])?)
}

/// A CSV file's rows as text, with a row index, by Polars' reader.
fn from_csv(path: &Path, table: &Table, found: &mut Found) -> Read<(DataFrame, Option<Vec<u64>>)> {
    let (raw, names) = read_text_columns(path, table, found)?;
    let source = |name: &str| names.get(name).cloned();
    let (Some(id), Some(month), Some(score)) = (source(c::ACCOUNT_ID), source(c::MONTH), source(c::HEALTH)) else {
        return found.problems.stop(Problem::new(&table.file, "cannot match the header's columns").at(1));
    };
    // A blank line (or one of only commas) is no row of data.
    let blank = col(id.clone()).is_null().and(col(month.clone()).is_null()).and(col(score.clone()).is_null());
    let rows = raw
        .lazy()
        .filter(blank.not())
        .select([
            col(c::ROW),
            col(id).alias(c::ACCOUNT_ID),
            col(month).alias(c::MONTH_RAW),
            col(score).alias(c::HEALTH_RAW),
        ])
        .collect()?;
    Ok((rows, None))
}

/// A sheet's rows as text, with each row's line.
fn from_cells(table: &Table) -> Read<(DataFrame, Option<Vec<u64>>)> {
    let text = |t: &str| (!t.is_empty()).then(|| t.to_string());
    let (mut ids, mut months, mut scores, mut lines) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (line, record) in &table.records {
        ids.push(text(table.get(record, c::ACCOUNT_ID)));
        months.push(text(table.get(record, c::MONTH)));
        scores.push(text(table.get(record, c::HEALTH)));
        lines.push(*line);
    }
    let rows: Vec<IdxSize> = (0..ids.len() as IdxSize).collect();
    let frame = df!(c::ROW => rows, c::ACCOUNT_ID => ids, c::MONTH_RAW => months, c::HEALTH_RAW => scores)
        .map_err(|e| Stop::Failed(e.into()))?;
    Ok((frame, Some(lines)))
}

/// Each account's health at `month` (SPEC §11): its latest health.csv row at or before it, null
/// when it has none. `history` is sorted by account then month, so scattering the rows up to
/// `month` in order leaves each account's latest.
pub(crate) fn at(history: &DataFrame, month: Month, slots: usize) -> PolarsResult<Series> {
    later(history, &Float64Chunked::full_null(c::HEALTH.into(), slots).into_series(), None, month)
}

/// Each account's health at `month` from `scores`, its health at an earlier month `since`: the
/// rows after `since` up to `month` scattered over them (all rows up to `month` without `since`).
/// Months in order each read only their own rows this way.
pub(crate) fn later(history: &DataFrame, scores: &Series, since: Option<Month>, month: Month) -> PolarsResult<Series> {
    let mut rows = col(c::MONTH).lt_eq(lit(month.0));
    if let Some(since) = since {
        rows = rows.and(col(c::MONTH).gt(lit(since.0)));
    }
    let rows = history.clone().lazy().filter(rows).collect()?;
    let keys = rows.column(c::KEY)?.u32()?.rechunk();
    let mut by_key = scores.f64()?.clone();
    by_key.scatter(keys.cont_slice()?, rows.column(c::HEALTH)?.f64()?.iter())
}
