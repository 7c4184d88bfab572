//! health.csv (SPEC §11): each account's health score over time, so every quarter end is scored
//! with the health it had then. The file can be as long as arr.csv (a score per account and
//! month), so a clean CSV file is typed by Polars' reader as arr.csv's fast path types it
//! ([`read_clean`]); any other (and a sheet, whose rows come from its cells) is read as text and
//! checked by whole-column expressions, every bad row named by its line (or cell).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use super::arr::{categorical, month_lookup, Known, Months};
use super::table::read_text_columns;
use super::table::{in_cells, read_raw, Table};
use super::text::record_lines;
use super::Found;
use super::ReadOptions;
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::money::{self, Decimal};
use crate::error::{Problem, Read, Stop};

/// health.csv as `key`, `month`, `health_score`, sorted by account then month: a known account,
/// a month that parses, a score in [0, 10], one row per account and month.
pub(super) fn read(path: &Path, known: &Known, read: &ReadOptions, found: &mut Found) -> Read<DataFrame> {
    let sheet = in_cells(path);
    let raw = read_raw(path, c::HEALTH_FILE.table, sheet, read, found)?;
    let table = Table::new(raw, &c::HEALTH_FILE, read, found)?;
    if !sheet {
        if let Some(clean) = read_clean(path, &table, known, read)? {
            return Ok(clean);
        }
    }
    read_careful(path, &table, sheet, known, read, found)
}

/// health.csv (or its sheet) read as text and checked by whole-column expressions, every bad row
/// named by its line (or cell).
fn read_careful(
    path: &Path,
    table: &Table,
    sheet: bool,
    known: &Known,
    read: &ReadOptions,
    found: &mut Found,
) -> Read<DataFrame> {
    let (rows, lines) = if sheet { from_cells(table)? } else { from_csv(path, table, found)? };
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

/// A clean health.csv typed by Polars' reader: ids straight into the Enum of accounts.csv's ids
/// (its codes are the keys), month texts into a Categorical (each distinct text parsed once),
/// scores as Float64; then sorted by account and month when they are not already. `None` when
/// anything is not clean (a cell the reader refuses or leaves blank, an unknown id, a month that
/// does not parse, a score that is not a plain number from 0 to 10, two rows of one account in
/// one month): [`read`] then reads the file as text and names every bad row with its line.
fn read_clean(path: &Path, table: &Table, known: &Known, read: &ReadOptions) -> anyhow::Result<Option<DataFrame>> {
    let name = |field: &str| table.column_name(field);
    let (Some(id), Some(month), Some(score)) = (name(c::ACCOUNT_ID), name(c::MONTH), name(c::HEALTH)) else {
        return Ok(None);
    };
    let Some(id_type) = known.id_enum()?.filter(|_| read.decimal == Decimal::Point) else {
        return Ok(None);
    };
    let schema: Schema = [(id.clone(), id_type), (month.clone(), categorical()), (score.clone(), DataType::Float64)]
        .into_iter()
        .collect();
    let Ok(frame) = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some(vec![id.clone(), month.clone(), score.clone()].into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|o| o.with_separator(table.delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
    else {
        return Ok(None);
    };
    if frame.height() == 0 || frame.columns().iter().any(|column| column.null_count() > 0) {
        return Ok(None);
    }
    let keys = frame.column(&id)?.to_physical_repr().take_materialized_series();
    let scores = frame.column(&score)?.f64()?;
    // A sum that is not finite holds a NaN or an infinity.
    let bad_score = scores.min().is_some_and(|s| s < 0.0)
        || scores.max().is_some_and(|s| s > 10.0)
        || !scores.sum().unwrap_or(0.0).is_finite();
    if keys.u32()?.max().is_some_and(|key| key as usize >= known.ids.height()) || bad_score {
        return Ok(None);
    }
    let (mut texts, months) = (Months::new(read.date_format.as_deref()), frame.column(&month)?);
    if !texts.learn(months) {
        return Ok(None);
    }
    let months = texts.of(months)?;
    let rows = DataFrame::new_infer_height(vec![
        keys.with_name(c::KEY.into()).into_column(),
        months.into_column(),
        scores.clone().with_name(c::HEALTH.into()).into_column(),
    ])?;
    // Each row after an earlier account, or a later month of the same: sorted, no month twice.
    let (key, month) = (|| col(c::KEY), || col(c::MONTH));
    let ascending = |rows: &DataFrame| -> PolarsResult<bool> {
        let after =
            key().gt(key().shift(lit(1))).or(key().eq(key().shift(lit(1))).and(month().gt(month().shift(lit(1)))));
        let after = rows.clone().lazy().select([after.fill_null(lit(true)).all(true)]).collect()?;
        Ok(after.columns()[0].bool()?.get(0) == Some(true))
    };
    if ascending(&rows)? {
        return Ok(Some(rows));
    }
    let sorted = rows.sort([c::KEY, c::MONTH], SortMultipleOptions::default())?;
    // Still not ascending once sorted: an account has two scores in one month.
    Ok(ascending(&sorted)?.then_some(sorted))
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

/// `history`'s rows up to `month`: the table itself, not a copy, when it holds no later row (the
/// forecast's history as known at its origin, health at the last month of the data).
pub(crate) fn upto(history: &DataFrame, month: Month) -> PolarsResult<DataFrame> {
    if history.column(c::MONTH)?.i32()?.max().is_none_or(|last| last <= month.0) {
        return Ok(history.clone());
    }
    history.clone().lazy().filter(col(c::MONTH).lt_eq(lit(month.0))).collect()
}

/// Each account's health at `month` from `scores`, its health at an earlier month `since`: the
/// rows after `since` up to `month` scattered over them (all rows up to `month` without `since`).
/// Months in order each read only their own rows this way.
pub(crate) fn later(history: &DataFrame, scores: &Series, since: Option<Month>, month: Month) -> PolarsResult<Series> {
    let rows = match since {
        None => upto(history, month)?,
        Some(since) => {
            let rows = col(c::MONTH).lt_eq(lit(month.0)).and(col(c::MONTH).gt(lit(since.0)));
            history.clone().lazy().filter(rows).collect()?
        }
    };
    let keys = rows.column(c::KEY)?.u32()?.rechunk();
    let mut by_key = scores.f64()?.clone();
    by_key.scatter(keys.cont_slice()?, rows.column(c::HEALTH)?.f64()?.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::load::table::read_table;

    /// Reads `dir`'s health.csv by both paths: the careful path's table, or its problems as
    /// text, and the fast path's table when it takes the file (which must then be the same).
    fn both_paths(dir: &Path) -> (Result<DataFrame, String>, Option<DataFrame>) {
        let read = ReadOptions::default();
        let mut found = Found::default();
        let accounts = crate::pipeline::load::accounts::read(&dir.join("accounts.csv"), &read, &mut found).unwrap();
        let ids = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let known = Known::new(&ids, "accounts.csv".into());
        let path = dir.join("health.csv");
        let table = read_table(&path, &c::HEALTH_FILE, false, &read, &mut found).unwrap();
        let clean = read_clean(&path, &table, &known, &read).unwrap();
        let careful = match read_careful(&path, &table, false, &known, &read, &mut found) {
            Ok(careful) => Ok(careful),
            Err(_) => Err(format!("{} problems", found.problems.len())),
        };
        if let (Some(clean), Ok(careful)) = (&clean, &careful) {
            assert!(clean.equals(careful), "{clean}\n{careful}");
            assert_eq!(clean.schema(), careful.schema());
        }
        (careful, clean)
    }

    #[test]
    fn the_fast_path_reads_a_generated_health_history_as_the_careful_path_does() {
        let dir = tempfile::tempdir().unwrap();
        let spec = crate::command::generate::synthetic::Spec {
            accounts: 400,
            months: 12,
            advisors: 4,
            seed: 5,
            end: Month::from_ym(2026, 9),
            currencies: Vec::new(),
            hand_overs: 0.0,
            health_history: true,
            misfits: 0.0,
        };
        crate::command::generate::synthetic::generate(&spec, dir.path()).unwrap();
        let (careful, clean) = both_paths(dir.path());
        assert!(careful.is_ok() && clean.is_some(), "a generated history is clean");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Rows in any order, with CRLF, a BOM, quoted cells, a month twice, an unknown account, a
        /// score off the scale or a month that does not parse: the fast path takes exactly the files
        /// the careful path reads without a problem, and reads them alike. Scores written in an
        /// unusual way (`+5`, `.5`, `nan`) it may leave to the careful path, but reads alike if not.
        #[test]
        fn the_fast_path_takes_what_the_careful_path_reads_and_reads_it_alike(
            rows in proptest::collection::vec((0usize..6, 0i32..5, 0u32..1_100), 1..40),
            sorted in proptest::bool::ANY,
            crlf in proptest::bool::ANY,
            bom in proptest::bool::ANY,
            quoted in proptest::bool::ANY,
            odd in 0usize..9,
        ) {
            let mut rows = rows;
            if sorted {
                rows.sort_by_key(|(account, month, _)| (*account, *month));
            }
            let dir = tempfile::tempdir().unwrap();
            // A6 is not in accounts.csv.
            let ids = ["A1", "A2", "A3", "A4", "A5", "A6"];
            let mut accounts = String::from("account_id,account_name,advisor\n");
            for id in &ids[..5] {
                accounts.push_str(&format!("{id},Account {id},Priya Shah\n"));
            }
            std::fs::write(dir.path().join("accounts.csv"), accounts).unwrap();
            let end = if crlf { "\r\n" } else { "\n" };
            let mut health = format!("{}account_id,month,health_score{end}", if bom { "\u{feff}" } else { "" });
            for (i, (account, month, score)) in rows.iter().enumerate() {
                let id = if quoted { format!("\"{}\"", ids[*account]) } else { ids[*account].to_string() };
                let month = match (odd, i) {
                    (1, 0) => "2026-13".to_string(),
                    (2, 0) => "2026-03-31".to_string(),
                    _ => Month::from_ym(2026, 1 + *month as u32).to_string(),
                };
                // Scores each reader may read its own way: the fast path must never take one the
                // careful path refuses.
                let score = match (odd, i) {
                    (3, 0) => "7,5".to_string(),
                    (4, 0) => "+5".to_string(),
                    (5, 0) => ".5".to_string(),
                    (6, 0) => "5.".to_string(),
                    (7, 0) => "nan".to_string(),
                    (8, 0) => "1e0".to_string(),
                    _ => format!("{}", f64::from(*score) / 100.0),
                };
                health.push_str(&format!("{id},{month},{score}{end}"));
            }
            std::fs::write(dir.path().join("health.csv"), health).unwrap();
            let (careful, clean) = both_paths(dir.path());
            match odd {
                0..=3 => proptest::prop_assert_eq!(careful.is_ok(), clean.is_some(), "{:?}", careful.err()),
                _ => proptest::prop_assert!(clean.is_none() || careful.is_ok()),
            }
        }
    }
}
