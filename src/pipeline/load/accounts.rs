//! accounts.csv (SPEC §3.1): one row per account, each cell checked with its line. Rows are read
//! in parallel, each carrying its own problems, which are then added in file order.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use super::table::{cell, not_data, read_table, second_header, Table};
use super::Found;
use super::ReadOptions;
use crate::domain::columns as c;
use crate::domain::money;
use crate::domain::segments::Segment;
use crate::error::{Problem, Read};

/// accounts.csv (SPEC §3.1), checked row by row: rows are read in parallel, then ids are checked
/// for duplicates in file order, so problems come out in the order of the file.
pub(super) fn read(path: &Path, read: &ReadOptions, found: &mut Found) -> Read<DataFrame> {
    let table = read_table(path, &c::ACCOUNTS, true, read, found)?;
    let problems = &mut found.problems;
    let columns = AccountColumns::of(&table);
    let read_rows: Vec<AccountRecord> =
        table.records.par_iter().map(|(line, record)| read_account(&table, &columns, *line, record, read)).collect();

    let accounts = || read_rows.iter().filter(|row| row.is_account);
    let ids: StringChunked = accounts().map(|row| row.id).collect();
    // Ids are checked by Polars in parallel; only a file with a repeated id walks them in order.
    let mut seen: Option<PlHashMap<&str, u64>> = (ids.n_unique()? < ids.len()).then(PlHashMap::new);
    let before = problems.len();
    for row in &read_rows {
        if !row.is_account {
            problems.extend(row.problems.iter().cloned());
            continue;
        }
        if row.id.eq_ignore_ascii_case(c::ACCOUNT_ID) {
            problems.push(second_header(&table.file, row.line));
        } else if let Some(seen) = &mut seen {
            if let Some(first) = seen.get(row.id) {
                problems.push(
                    Problem::new(&table.file, format!("duplicate account_id, first seen on line {first}"))
                        .at(row.line)
                        .column(c::ACCOUNT_ID)
                        .value(row.id),
                );
            } else {
                seen.insert(row.id, row.line);
            }
        }
        problems.extend(row.problems.iter().cloned());
    }
    problems.stop_if_any_since(before)?;
    let keys: Vec<u32> = (0..ids.len() as u32).collect();
    let frame = df!(
        c::ACCOUNT_ID => ids.into_series(),
        c::KEY => keys,
        c::ACCOUNT_NAME => accounts().map(|r| r.name).collect::<Vec<_>>(),
        c::ADVISOR => accounts().map(|r| r.advisor).collect::<Vec<_>>(),
        c::SEGMENT_CRM => accounts().map(|r| r.segment).collect::<Vec<_>>(),
        c::EMPLOYEES => accounts().map(|r| r.employees).collect::<Vec<_>>(),
        c::ELA => accounts().map(|r| r.ela).collect::<Vec<_>>(),
        c::HEALTH => accounts().map(|r| r.health).collect::<Vec<_>>(),
        c::RENEWAL_DATE => accounts().map(|r| r.renewal.as_deref()).collect::<Vec<_>>(),
    )?;
    Ok(frame)
}

/// Where accounts.csv's columns are, looked up once rather than for every cell.
struct AccountColumns {
    id: Option<usize>,
    name: Option<usize>,
    advisor: Option<usize>,
    segment: Option<usize>,
    employees: Option<usize>,
    ela: Option<usize>,
    health: Option<usize>,
    renewal: Option<usize>,
}

impl AccountColumns {
    fn of(table: &Table) -> AccountColumns {
        let at = |column: &str| table.index.get(column).copied();
        AccountColumns {
            id: at(c::ACCOUNT_ID),
            name: at(c::ACCOUNT_NAME),
            advisor: at(c::ADVISOR),
            segment: at(c::SEGMENT),
            employees: at(c::EMPLOYEES),
            ela: at(c::ELA),
            health: at(c::HEALTH),
            renewal: at(c::RENEWAL_DATE),
        }
    }
}

/// One account as read from its row, its cells borrowed from the record, with the problems of
/// its cells. Duplicate ids are found later, across rows.
#[derive(Default)]
struct AccountRecord<'r> {
    /// False for a row that is not an account at all (a footer, a blank id): its one problem
    /// says so, and its cells are not read.
    is_account: bool,
    line: u64,
    id: &'r str,
    name: Option<&'r str>,
    advisor: Option<&'r str>,
    segment: Option<&'static str>,
    employees: Option<i64>,
    ela: bool,
    health: Option<f64>,
    renewal: Option<std::borrow::Cow<'r, str>>,
    problems: Vec<Problem>,
}

/// Reads one row of accounts.csv.
fn read_account<'r>(
    table: &Table,
    columns: &AccountColumns,
    line: u64,
    record: &'r csv::StringRecord,
    read: &ReadOptions,
) -> AccountRecord<'r> {
    let get = |position: Option<usize>| cell(record, position);
    let non_empty = |v: &'r str| (!v.is_empty()).then_some(v);
    let mut problems = Vec::new();
    let mut bad = |column: &str, message: &str, value: &str| {
        problems.push(Problem::new(&table.file, message).at(line).column(column).value(value));
    };

    let id = get(columns.id);
    let rest_filled = || record.iter().skip(1).any(|v| !v.trim().is_empty());
    if let Some(problem) = not_data(&table.file, line, id, id.is_empty() && rest_filled()) {
        return AccountRecord { line, problems: vec![problem], ..AccountRecord::default() };
    }

    let segment = get(columns.segment);
    let segment = if segment.is_empty() {
        None
    } else {
        let parsed = Segment::normalise(segment);
        if parsed.is_none() {
            bad(c::SEGMENT, "unknown segment, expected SMB, MM, Ent or Strategic (or blank for the rules)", segment);
        }
        parsed.map(Segment::name)
    };

    let count = get(columns.employees);
    let employees = if count.is_empty() {
        None
    } else {
        let parsed = money::parse_text(count, read.decimal)
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 1e15)
            .map(|n| n as i64);
        if parsed.is_none() {
            bad(c::EMPLOYEES, "not a whole number of 0 or more", count);
        }
        parsed
    };

    let ela_text = get(columns.ela);
    let ela = parse_flag(ela_text).unwrap_or_else(|| {
        bad(c::ELA, "not a flag, expected true/false, yes/no or 1/0", ela_text);
        false
    });

    let health_text = get(columns.health);
    let health = if health_text.is_empty() {
        None
    } else {
        match money::parse_text(health_text, read.decimal) {
            Some(h) if (0.0..=10.0).contains(&h) => Some(h),
            Some(h) if (0.0..=100.0).contains(&h) => {
                bad(c::HEALTH, "outside the 0 to 10 scale; a 0–100 score? divide by 10", health_text);
                None
            }
            Some(_) => {
                bad(c::HEALTH, "outside the 0 to 10 scale", health_text);
                None
            }
            None => {
                bad(c::HEALTH, "not a number", health_text);
                None
            }
        }
    };

    let renewal_text = get(columns.renewal);
    let renewal = if renewal_text.is_empty() {
        None
    } else {
        let renewal = read_date(renewal_text, read);
        if renewal.is_none() {
            bad(c::RENEWAL_DATE, &date_message(read, renewal_text), renewal_text);
        }
        renewal
    };

    AccountRecord {
        is_account: true,
        line,
        id,
        name: non_empty(get(columns.name)),
        advisor: non_empty(get(columns.advisor)),
        segment,
        employees,
        ela,
        health,
        renewal,
        problems,
    }
}

/// A date as `YYYY-MM-DD`: the cell itself when written so, else read in `--date-format`.
fn read_date<'r>(text: &'r str, read: &ReadOptions) -> Option<std::borrow::Cow<'r, str>> {
    let as_written = |i: usize, b: u8| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() };
    let iso_shaped = text.len() == 10 && text.bytes().enumerate().all(|(i, b)| as_written(i, b));
    // The usual cell, a real date written YYYY-MM-DD, without chrono's format parser (a million
    // accounts each have one).
    if iso_shaped {
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        if let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) {
            if chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some() {
                return Some(text.into());
            }
        }
    }
    let iso = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| text.len() == 10);
    let date = iso.or_else(|| chrono::NaiveDate::parse_from_str(text, read.date_format.as_deref()?).ok())?;
    Some(date.format("%Y-%m-%d").to_string().into())
}

fn date_message(read: &ReadOptions, value: &str) -> String {
    match &read.date_format {
        Some(format) => format!("not a date, expected YYYY-MM-DD or {format}"),
        None if value.contains('/') || value.contains('.') => {
            "not a date, expected YYYY-MM-DD (for dates like 9/30/2026 pass --date-format '%m/%d/%Y')".into()
        }
        None => "not a date, expected YYYY-MM-DD".into(),
    }
}

/// `true/false/yes/no/1/0` in any case (and `y`/`n`); blank is false.
fn parse_flag(text: &str) -> Option<bool> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if ["", "false", "no", "n", "0"].into_iter().any(is) {
        Some(false)
    } else if ["true", "yes", "y", "1"].into_iter().any(is) {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `read_date` as it was before its shortcut for dates written `YYYY-MM-DD`: chrono's parser
    /// for every cell.
    fn by_chrono<'r>(text: &'r str, read: &ReadOptions) -> Option<std::borrow::Cow<'r, str>> {
        let iso = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| text.len() == 10);
        let as_written = |i: usize, b: u8| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() };
        if iso.is_some() && text.bytes().enumerate().all(|(i, b)| as_written(i, b)) {
            return Some(text.into());
        }
        let date = iso.or_else(|| chrono::NaiveDate::parse_from_str(text, read.date_format.as_deref()?).ok())?;
        Some(date.format("%Y-%m-%d").to_string().into())
    }

    proptest! {
        /// The shortcut reads every cell as chrono does: real and impossible dates (2026-02-30,
        /// month 00 or 13), other shapes, and dates in `--date-format`.
        #[test]
        fn dates_read_as_chrono_reads_them(
            year in 0u32..10_000, month in 0u32..14, day in 0u32..33,
            shape in 0usize..4, us in any::<bool>(),
        ) {
            let text = match shape {
                0 => format!("{year:04}-{month:02}-{day:02}"),
                1 => format!("{year}-{month}-{day}"),
                2 => format!("{month}/{day}/{year}"),
                _ => format!(" {year:04}-{month:02}-{day:02}"),
            };
            let read = ReadOptions { date_format: us.then(|| "%m/%d/%Y".to_string()), ..ReadOptions::default() };
            prop_assert_eq!(read_date(&text, &read), by_chrono(&text, &read), "{}", text);
        }
    }
}
