//! The careful path of arr.csv: every row as text (from a CSV file that the fast path refused,
//! a wide layout or a sheet), months parsed once per distinct value, amounts by a cast or by
//! [`money::parse`], every bad row reported at its place (a line, or a sheet's cell), each
//! account's currency found, then rows of the same account and month summed.

use std::collections::HashSet;
use std::path::Path;

use polars::prelude::*;

use super::rows::{month_lookup, warn_stray_months, ArrData, Known, Origin};
use super::sum::sum_account_months;
use crate::domain::columns as c;
use crate::domain::fx::Named;
use crate::domain::money::{self, Decimal};
use crate::error::{Problem, Problems, Read, Stop};
use crate::pipeline::load::table::{not_data, read_text_columns, second_header, Table};
use crate::pipeline::load::{Found, ReadOptions};

/// The careful path: arr.csv read by Polars as text, months parsed once per distinct value,
/// amounts read by [`money::parse`], every bad row reported with its line, each
/// checked, then rows of the same account and month summed.
pub(super) fn read_careful(
    path: &Path,
    table: &Table,
    known: Option<&Known>,
    read: &ReadOptions,
    found: &mut Found,
) -> Read<ArrData> {
    let (raw, names) = read_text_columns(path, table, found)?;
    let problems = &mut found.problems;
    let file = table.file.clone();
    let source = |name: &str| names.get(name).cloned();
    let (Some(id_col), Some(month_col), Some(arr_col)) = (source(c::ACCOUNT_ID), source(c::MONTH), source(c::ARR))
    else {
        let found: Vec<&str> = raw.columns().iter().skip(1).map(|c| c.name().as_str()).collect();
        return problems.stop(Problem::new(&file, "cannot match the header's columns").at(1).value(found.join(", ")));
    };
    // A blank line (or one of only commas) is no row of data: Polars reads it as all nulls.
    let blank = col(id_col.clone()).is_null().and(col(month_col.clone()).is_null()).and(col(arr_col.clone()).is_null());
    let currency = match source(c::CURRENCY) {
        Some(currency_col) => col(currency_col).alias(c::CURRENCY_RAW),
        None => lit(NULL).cast(DataType::String).alias(c::CURRENCY_RAW),
    };
    let raw = raw
        .lazy()
        .filter(blank.not())
        .select([
            col(c::ROW),
            col(id_col).alias(c::ACCOUNT_ID),
            col(month_col).alias(c::MONTH_RAW),
            col(arr_col).alias(c::ARR_RAW),
            currency,
        ])
        .collect()?;
    check_and_sum(raw, &Origin::Csv(path), &file, known, read, found)
}

/// The rows of arr.csv as text (`row`, `account_id`, `month_raw`, `arr_raw`, blank rows left out)
/// read, checked and summed: months parsed once per distinct value, amounts by a cast or by
/// [`money::parse`], every bad row reported at its place, each account's currency found.
pub(super) fn check_and_sum(
    raw: DataFrame,
    origin: &Origin,
    file: &str,
    known: Option<&Known>,
    read: &ReadOptions,
    found: &mut Found,
) -> Read<ArrData> {
    let (problems, notes) = (&mut found.problems, &mut found.notes);
    let file = file.to_string();
    let months = month_lookup(raw.column(c::MONTH_RAW)?, read.date_format.as_deref())?;
    let known_ids = match known {
        Some(known) => known.ids.clone().lazy(),
        None => df!(c::ACCOUNT_ID => Vec::<String>::new(), c::KEY => Vec::<u32>::new())?.lazy(),
    };
    // Plain numbers, the common case, by a cast; a decimal comma makes every amount need reading.
    let plain = match read.decimal {
        Decimal::Point => col(c::ARR_RAW).str().strip_chars(lit(NULL)).cast(DataType::Float64),
        Decimal::Comma => lit(NULL).cast(DataType::Float64),
    };
    let parsed = raw
        .lazy()
        .select([
            col(c::ROW),
            col(c::ACCOUNT_ID).str().strip_chars(lit(NULL)).alias(c::ACCOUNT_ID),
            col(c::MONTH_RAW),
            col(c::ARR_RAW),
            col(c::CURRENCY_RAW).str().strip_chars(lit(NULL)).str().to_uppercase().alias(c::CURRENCY_RAW),
            plain.alias(c::ARR),
        ])
        .left_join(months.lazy(), col(c::MONTH_RAW), col(c::MONTH_RAW))
        .left_join(known_ids, col(c::ACCOUNT_ID), col(c::ACCOUNT_ID))
        .collect()?;
    let parsed = read_decorated_amounts(parsed, read.decimal)?;
    if parsed.height() == 0 {
        return problems.stop(Problem::new(&file, "no data rows after the header").at(2));
    }
    let rows_read = parsed.height();

    let missing_id = col(c::ACCOUNT_ID).is_null().or(col(c::ACCOUNT_ID).eq(lit("")));
    let unknown_id = col(c::KEY).is_null().and(missing_id.clone().not()).and(lit(known.is_some()));
    let bad_arr =
        col(c::ARR).is_null().or(col(c::ARR).is_nan()).or(col(c::ARR).is_infinite()).or(col(c::ARR).lt(lit(0.0)));
    let bad_rows =
        parsed.clone().lazy().filter(missing_id.or(unknown_id).or(col(c::MONTH).is_null()).or(bad_arr)).collect()?;
    if bad_rows.height() > 0 {
        report_bad_arr_rows(origin, &file, &bad_rows, known.map(|k| k.file.as_str()), read, problems)?;
        return Err(Stop::Invalid);
    }
    let parsed = currency_column(origin, &file, parsed, problems)?;
    let named = account_currencies(origin, &file, &parsed, known.is_some(), problems)?;
    note_what_was_accepted(&file, &parsed, read, notes)?;
    let months = parsed.column(c::MONTH)?.i32()?;
    let rows = parsed.column(c::ROW)?.idx()?;
    let first_row = |month: i32| {
        let at = months.iter().position(|m| m == Some(month))?;
        rows.get(at).map(|row| row as usize)
    };
    warn_stray_months(origin, &file, months.iter().flatten(), first_row, &mut found.warnings);
    if known.is_none() {
        return Err(Stop::Invalid); // accounts.csv did not load (its problems say why): no key to sum under
    }

    let rows = parsed.lazy().select([col(c::KEY), col(c::MONTH), col(c::ARR)]);
    Ok(ArrData::summed(&file, sum_account_months(rows)?, rows_read, named, None)?)
}

/// A problem collector that drops a problem already said.
struct Unrepeated<'p> {
    problems: &'p mut Problems,
    said: HashSet<String>,
}

impl Unrepeated<'_> {
    fn push(&mut self, problem: Problem) {
        if self.said.insert(problem.to_string()) {
            self.problems.push(problem);
        }
    }
}

/// The amounts a plain cast refused (`$1,234.50`, `USD 1,234`, decimal commas) read by
/// [`money::parse`], only on those rows, so a clean export never pays for the regexes. Adds the
/// `currency` and `decorated` columns.
fn read_decorated_amounts(parsed: DataFrame, decimal: Decimal) -> PolarsResult<DataFrame> {
    let amount = || col(c::ARR_RAW).str().strip_chars(lit(NULL));
    let decorated = parsed
        .clone()
        .lazy()
        .filter(col(c::ARR).is_null().and(col(c::ARR_RAW).is_not_null()))
        .select([
            col(c::ROW),
            money::parse(amount(), decimal).alias("read_arr"),
            money::currency(amount()).alias(c::CURRENCY),
            money::decorated(amount()).alias(c::DECORATED),
        ])
        .collect()?;
    let columns =
        [c::ROW, c::ACCOUNT_ID, c::MONTH_RAW, c::ARR_RAW, c::CURRENCY_RAW, c::MONTH, c::MONTH_ISO, c::KEY].map(col);
    if decorated.height() == 0 {
        let mut plain = columns.to_vec();
        plain.extend([
            col(c::ARR),
            lit(NULL).cast(DataType::String).alias(c::CURRENCY),
            lit(false).alias(c::DECORATED),
        ]);
        return parsed.lazy().select(plain).collect();
    }
    let mut merged = columns.to_vec();
    merged.extend([
        col(c::ARR).fill_null(col("read_arr")).alias(c::ARR),
        col(c::CURRENCY),
        col(c::DECORATED).fill_null(lit(false)).alias(c::DECORATED),
    ]);
    parsed.lazy().left_join(decorated.lazy(), col(c::ROW), col(c::ROW)).select(merged).collect()
}

/// Each account's currency (SPEC §10). Codes that are not ISO 4217 are problems, and so is an
/// account in two currencies (on the line its second one first appears). An account whose rows
/// name none is in the file's only currency; when the file names several, it is a problem.
fn account_currencies(
    origin: &Origin,
    file: &str,
    parsed: &DataFrame,
    known: bool,
    problems: &mut Problems,
) -> Read<Named> {
    let firsts = parsed
        .clone()
        .lazy()
        .filter(col(c::CURRENCY).is_not_null())
        .group_by([col(c::CURRENCY)])
        .agg([col(c::ROW).min()])
        .sort([c::ROW], SortMultipleOptions::default())
        .collect()?;
    let codes: Vec<String> = firsts.column(c::CURRENCY)?.str()?.iter().flatten().map(str::to_string).collect();
    let rows: Vec<usize> = firsts.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
    // Name the currency column when the file has one, else the amounts that carried the codes.
    let from_column = parsed.clone().lazy().select([col(c::CURRENCY_RAW).neq(lit("")).sum()]).collect()?;
    let column = if from_column.column(c::CURRENCY_RAW)?.get(0)?.extract::<u64>().unwrap_or(0) > 0 {
        c::CURRENCY
    } else {
        c::ARR
    };
    let lines = origin.lines(&rows);
    let line = |row: usize| lines.get(&row).copied().unwrap_or(row as u64 + 2);
    let before = problems.len();
    for (code, row) in codes.iter().zip(&rows) {
        if !money::is_code(code) {
            problems.push(
                Problem::new(file, "not an ISO 4217 currency code (like USD, EUR, GBP)")
                    .at(line(*row))
                    .column(column)
                    .value(code.clone()),
            );
        }
    }
    problems.stop_if_any_since(before)?;
    if !known {
        return Ok(Named::Nothing);
    }
    match codes.len() {
        0 => return Ok(Named::Nothing),
        1 => return Ok(Named::One(codes[0].clone())),
        _ => {}
    }
    // Each account's currencies with the row each first appears on; accounts naming none have a
    // null currency.
    let by_account = parsed
        .clone()
        .lazy()
        .group_by([col(c::KEY), col(c::CURRENCY)])
        .agg([col(c::ROW).min(), col(c::ACCOUNT_ID).first()])
        .sort([c::KEY, c::ROW], SortMultipleOptions::default())
        .collect()?;
    let keys = by_account.column(c::KEY)?.u32()?;
    let named = by_account.column(c::CURRENCY)?.str()?;
    let first_rows = by_account.column(c::ROW)?.idx()?;
    let ids = by_account.column(c::ACCOUNT_ID)?.str()?;
    // One entry per account: its first named currency and where it appeared, or its first row.
    let mut accounts: Vec<(u32, Option<&str>, usize, &str)> = Vec::new();
    let mut conflicts: Vec<(usize, String)> = Vec::new();
    for i in 0..by_account.height() {
        let (Some(key), Some(row)) = (keys.get(i), first_rows.get(i)) else { continue };
        let (code, row, id) = (named.get(i), row as usize, ids.get(i).unwrap_or_default());
        match accounts.last_mut() {
            Some(last) if last.0 == key => match (last.1, code) {
                (_, None) => {}
                (None, Some(_)) => *last = (key, code, row, id),
                (Some(first), Some(second)) => conflicts.push((
                    row,
                    format!(
                        "account {id} is in {first} (line {}) and in {second}: all rows of one account must be in one currency",
                        line_of(origin, last.2)
                    ),
                )),
            },
            _ => accounts.push((key, code, row, id)),
        }
    }
    let unnamed: Vec<(usize, String)> = accounts
        .iter()
        .filter(|a| a.1.is_none())
        .map(|a| {
            let message = format!(
                "account {} names no currency while others are in {}: give its currency",
                a.3,
                codes.join(", ")
            );
            (a.2, message)
        })
        .collect();
    let said: Vec<usize> = conflicts.iter().chain(&unnamed).map(|p| p.0).collect();
    let said_lines = origin.lines(&said);
    for (row, message) in conflicts.into_iter().chain(unnamed) {
        let at = said_lines.get(&row).copied().unwrap_or(row as u64 + 2);
        problems.push(Problem::new(file, message).at(at).column(column));
    }
    problems.stop_if_any_since(before)?;
    let mut sorted = codes.clone();
    sorted.sort();
    let index = |code: &str| sorted.iter().position(|c| c == code).unwrap_or(0) as u32;
    Ok(Named::PerAccount {
        keys: accounts.iter().map(|a| a.0).collect(),
        currencies: accounts.iter().map(|a| index(a.1.unwrap_or_default())).collect(),
        codes: sorted,
    })
}

/// The physical line of one row.
fn line_of(origin: &Origin, row: usize) -> u64 {
    origin.lines(&[row]).get(&row).copied().unwrap_or(row as u64 + 2)
}

/// The currency of each row: its `currency` cell when the file has that column, else the code or
/// symbol in its amount. A cell and an amount that disagree are a problem on that row.
fn currency_column(origin: &Origin, file: &str, parsed: DataFrame, problems: &mut Problems) -> Read<DataFrame> {
    let given = col(c::CURRENCY_RAW).is_not_null().and(col(c::CURRENCY_RAW).neq(lit("")));
    let disagree = parsed
        .clone()
        .lazy()
        .filter(given.clone().and(col(c::CURRENCY).is_not_null()).and(col(c::CURRENCY).neq(col(c::CURRENCY_RAW))))
        .select([col(c::ROW), col(c::CURRENCY), col(c::CURRENCY_RAW)])
        .collect()?;
    if disagree.height() > 0 {
        let rows: Vec<usize> = disagree.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
        let lines = origin.lines(&rows);
        let (amount, cell) = (disagree.column(c::CURRENCY)?.str()?, disagree.column(c::CURRENCY_RAW)?.str()?);
        for (i, row) in rows.iter().enumerate() {
            let message = format!(
                "the amount is in {} but the currency column says {}",
                amount.get(i).unwrap_or_default(),
                cell.get(i).unwrap_or_default()
            );
            problems.push(
                Problem::new(file, message).at(lines.get(row).copied().unwrap_or(*row as u64 + 2)).column(c::CURRENCY),
            );
        }
        return Err(Stop::Invalid);
    }
    Ok(parsed
        .lazy()
        .with_column(when(given).then(col(c::CURRENCY_RAW)).otherwise(col(c::CURRENCY)).alias(c::CURRENCY))
        .collect()?)
}

/// Says what was read beyond plain numbers and ISO months, so the report shows it.
fn note_what_was_accepted(
    file: &str,
    parsed: &DataFrame,
    read: &ReadOptions,
    notes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let decorated = parsed.column(c::DECORATED)?.bool()?.sum().unwrap_or(0);
    if decorated > 0 {
        let currency =
            parsed.column(c::CURRENCY)?.str()?.iter().flatten().next().map(|c| format!(" in {c}")).unwrap_or_default();
        let separator = if read.decimal == Decimal::Comma { ", with a decimal comma" } else { "" };
        notes.push(format!(
            "{file}: {decorated} amounts had a currency or thousands separators{currency}{separator}; read as plain numbers"
        ));
    }
    if let Some(format) = &read.date_format {
        let iso = parsed.column(c::MONTH_ISO)?.bool()?;
        let dated = iso.len() - iso.sum().unwrap_or(0) as usize - iso.null_count();
        if dated > 0 {
            notes.push(format!("{file}: {dated} months read as dates in the format {format}"));
        }
    }
    Ok(())
}

/// One message per problem of each bad arr.csv row, with the physical line of the row; rows
/// that are not data at all (a footer, a second header, a merged-cell blank) get one message
/// that says so.
fn report_bad_arr_rows(
    origin: &Origin,
    file: &str,
    bad: &DataFrame,
    accounts_file: Option<&str>,
    read: &ReadOptions,
    problems: &mut Problems,
) -> anyhow::Result<()> {
    let rows: Vec<usize> = bad.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
    let lines = origin.lines(&rows);
    let ids = bad.column(c::ACCOUNT_ID)?.str()?;
    let month_raw = bad.column(c::MONTH_RAW)?.str()?;
    let month = bad.column(c::MONTH)?.i32()?;
    let arr_raw = bad.column(c::ARR_RAW)?.str()?;
    let arr = bad.column(c::ARR)?.f64()?;
    let known = bad.column(c::KEY)?.u32()?;
    // Rows made from a wide layout share their line: an id's problem is said once, not per month.
    let mut problems = Unrepeated { problems, said: HashSet::new() };
    for (i, row) in rows.iter().enumerate() {
        let line = lines.get(row).copied().unwrap_or(*row as u64 + 2);
        let at = |column: &str, message: &str| Problem::new(file, message).at(line).column(column);
        let arr_column = origin.arr_column(*row);
        let id = ids.get(i).unwrap_or_default();
        if id.eq_ignore_ascii_case(c::ACCOUNT_ID)
            && month_raw.get(i).is_some_and(|m| m.trim().eq_ignore_ascii_case(c::MONTH))
        {
            problems.push(second_header(file, line));
            continue;
        }
        let rest_filled = month_raw.get(i).is_some() || arr_raw.get(i).is_some();
        if let Some(problem) = not_data(file, line, id, rest_filled) {
            problems.push(problem);
            if !id.is_empty() || !rest_filled {
                continue; // a footer or an empty row: its other cells say nothing more
            }
        } else if known.get(i).is_none() {
            if let Some(accounts) = accounts_file {
                problems
                    .push(at(c::ACCOUNT_ID, &format!("not in {accounts}: its ARR would belong to no book")).value(id));
            }
        }
        match (month_raw.get(i), month.get(i)) {
            (None, _) => problems.push(at(c::MONTH, "missing")),
            (Some(raw), None) => {
                let message = match &read.date_format {
                    Some(format) => format!("not a month, expected YYYY-MM, YYYY-MM-DD or {format}"),
                    None if raw.contains('/') || raw.contains('.') => {
                        "not a month, expected YYYY-MM or YYYY-MM-DD (for dates like 9/30/2026 pass --date-format '%m/%d/%Y')".to_string()
                    }
                    None => "not a month, expected YYYY-MM or YYYY-MM-DD".to_string(),
                };
                problems.push(at(c::MONTH, &message).value(raw));
            }
            _ => {}
        }
        match (arr_raw.get(i), arr.get(i)) {
            (None, _) => problems.push(at(arr_column, "missing")),
            (Some(raw), Some(v)) if v.is_finite() && v < 0.0 => {
                problems.push(at(arr_column, "negative ARR").value(raw))
            }
            (Some(raw), v) if !v.is_some_and(f64::is_finite) => {
                let hint = if read.decimal == Decimal::Point && raw.contains(',') {
                    "not a number (if ',' is the decimal separator, pass --decimal-comma)"
                } else {
                    "not a number"
                };
                problems.push(at(arr_column, hint).value(raw));
            }
            _ => {}
        }
    }
    Ok(())
}
