//! Loading the three exports (SPEC §3) into validated frames. accounts.csv and advisors.csv are
//! read with the csv crate and checked row by row with exact line numbers; arr.csv, the big one,
//! goes through Polars' parallel reader and one lazy plan that parses, checks and sums it.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::columns as c;
use crate::error::Problem;
use crate::period::Month;
use crate::segments::Segment;
use crate::targets::Targets;

/// Where the three input files are.
#[derive(Clone, Debug)]
pub struct InputPaths {
    pub accounts: PathBuf,
    pub arr: PathBuf,
    pub advisors: PathBuf,
}

/// The validated inputs of a run.
pub struct Inputs {
    /// One row per account: `account_id`, `account_name`, `advisor` (null = unassigned),
    /// `segment_crm`, `employees`, `ela`, `health_score`, `renewal_date`.
    pub accounts: DataFrame,
    /// `ARR(a, m)`: one row per account and month present in arr.csv, duplicates summed.
    pub arr: DataFrame,
    pub roster: Vec<RosterEntry>,
    pub first_month: Month,
    pub last_month: Month,
    /// Data rows read from arr.csv, before summing rows of the same account and month.
    pub arr_rows_read: usize,
}

/// One advisor of advisors.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterEntry {
    pub advisor: String,
    /// The level's name as the targets spell it.
    pub level: String,
    pub manager: Option<String>,
}

/// Reads and checks all three files, reporting the problems of all of them together.
pub fn load(paths: &InputPaths, targets: &Targets, problems: &mut Vec<Problem>) -> anyhow::Result<Option<Inputs>> {
    let accounts = load_accounts(&paths.accounts, problems)?;
    let roster = load_roster(&paths.advisors, targets, problems)?;
    let known = accounts.as_ref().map(|a| a.column(c::ACCOUNT_ID)).transpose()?;
    let accounts_name = paths.accounts.display().to_string();
    let arr = load_arr(&paths.arr, known.map(|k| (k, accounts_name.as_str())), problems)?;
    let (Some(accounts), Some(roster), Some(arr)) = (accounts, roster, arr) else {
        return Ok(None);
    };
    if !problems.is_empty() {
        return Ok(None);
    }
    Ok(Some(Inputs {
        accounts,
        roster,
        first_month: arr.first_month,
        last_month: arr.last_month,
        arr_rows_read: arr.rows_read,
        arr: arr.summed,
    }))
}

/// A CSV file read with the csv crate: header positions by normalised name, records with lines.
struct Table {
    file: String,
    width: usize,
    index: HashMap<String, usize>,
    records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// The trimmed value of `column` in `record`, empty when the column is absent.
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index.get(column).and_then(|&i| record.get(i)).map(str::trim).unwrap_or("")
    }
}

/// Reads the header (and, with `with_rows`, every record) of a CSV file, checking that the
/// `required` columns are there. Problems go to `problems`; `None` means the file is unusable.
fn read_table(path: &Path, required: &[&str], with_rows: bool, problems: &mut Vec<Problem>) -> Option<Table> {
    let file = path.display().to_string();
    let handle = match File::open(path) {
        Ok(handle) => handle,
        Err(e) => {
            problems.push(Problem::new(&file, format!("cannot read file: {e}")));
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(handle);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            problems.push(Problem::new(&file, "file is empty: expected a header row").at(1));
            return None;
        }
        Some(Err(e)) => {
            problems.push(Problem::new(&file, format!("cannot read CSV: {e}")).at(1));
            return None;
        }
        Some(Ok(header)) => header,
    };
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 { raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw) } else { raw };
            String::from_utf8_lossy(raw).trim().to_lowercase()
        })
        .collect();
    let mut index = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if index.contains_key(name) {
            problems.push(Problem::new(&file, "column appears twice in the header").at(1).column(name));
        } else {
            index.insert(name.clone(), i);
        }
    }
    let missing: Vec<&&str> = required.iter().filter(|r| !index.contains_key(**r)).collect();
    for column in &missing {
        problems.push(
            Problem::new(&file, "required column missing")
                .at(1)
                .column(**column)
                .value(format!("found: {}", names.join(", "))),
        );
    }
    if !missing.is_empty() {
        return None;
    }
    let mut table = Table { file: file.clone(), width: names.len(), index, records: Vec::new() };
    if !with_rows {
        return Some(table);
    }
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(&file, format!("cannot read CSV: {e}")).at(line));
                return None;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace)) {
            continue; // a line of only commas, as spreadsheets export after the last row
        }
        match csv::StringRecord::from_byte_record(record) {
            Ok(text) => table.records.push((line, text)),
            Err(e) => problems.push(
                Problem::new(
                    &file,
                    format!("not valid UTF-8 in field {}; save the export as UTF-8", e.utf8_error().field() + 1),
                )
                .at(line),
            ),
        }
    }
    table.records.retain(|(line, record)| {
        let extra_filled = record.iter().skip(table.width).any(|v| !v.trim().is_empty());
        let ok = record.len() >= table.width;
        if !ok || extra_filled {
            problems.push(
                Problem::new(
                    &file,
                    format!("expected {} fields as in the header, found {}", table.width, record.len()),
                )
                .at(*line),
            );
        }
        ok && !extra_filled
    });
    if table.records.is_empty() {
        problems.push(Problem::new(&file, "no data rows after the header").at(2));
        return None;
    }
    Some(table)
}

/// accounts.csv (SPEC §3.1), checked row by row.
fn load_accounts(path: &Path, problems: &mut Vec<Problem>) -> anyhow::Result<Option<DataFrame>> {
    let Some(table) = read_table(path, &[c::ACCOUNT_ID, c::ADVISOR], true, problems) else {
        return Ok(None);
    };
    let before = problems.len();
    let n = table.records.len();
    let mut ids: Vec<String> = Vec::with_capacity(n);
    let mut names: Vec<Option<String>> = Vec::with_capacity(n);
    let mut advisors: Vec<Option<String>> = Vec::with_capacity(n);
    let mut segments: Vec<Option<&'static str>> = Vec::with_capacity(n);
    let mut employees: Vec<Option<i64>> = Vec::with_capacity(n);
    let mut elas: Vec<bool> = Vec::with_capacity(n);
    let mut healths: Vec<Option<f64>> = Vec::with_capacity(n);
    let mut renewals: Vec<Option<String>> = Vec::with_capacity(n);
    let mut seen: HashMap<String, u64> = HashMap::with_capacity(n);

    for (line, record) in &table.records {
        let line = *line;
        let bad = |column: &str, message: &str, value: &str| {
            Problem::new(&table.file, message).at(line).column(column).value(value)
        };
        let get = |column| table.get(record, column);
        let non_empty = |v: &str| (!v.is_empty()).then(|| v.to_string());

        let id = get(c::ACCOUNT_ID);
        if id.is_empty() {
            problems
                .push(Problem::new(&table.file, "missing: every account needs an id").at(line).column(c::ACCOUNT_ID));
        } else if let Some(first) = seen.get(id) {
            problems.push(bad(c::ACCOUNT_ID, &format!("duplicate account_id, first seen on line {first}"), id));
        } else {
            seen.insert(id.to_string(), line);
        }
        ids.push(id.to_string());
        names.push(non_empty(get(c::ACCOUNT_NAME)));
        advisors.push(non_empty(get(c::ADVISOR)));

        let segment = get(c::SEGMENT);
        segments.push(if segment.is_empty() {
            None
        } else {
            let parsed = Segment::normalise(segment);
            if parsed.is_none() {
                problems.push(bad(
                    c::SEGMENT,
                    "unknown segment, expected SMB, MM, Ent or Strategic (or blank for the rules)",
                    segment,
                ));
            }
            parsed.map(Segment::name)
        });

        let count = get(c::EMPLOYEES);
        employees.push(if count.is_empty() {
            None
        } else {
            let parsed = count.parse::<i64>().ok().filter(|n| *n >= 0);
            if parsed.is_none() {
                problems.push(bad(c::EMPLOYEES, "not a whole number of 0 or more", count));
            }
            parsed
        });

        let ela = get(c::ELA);
        elas.push(match parse_flag(ela) {
            Some(flag) => flag,
            None => {
                problems.push(bad(c::ELA, "not a flag, expected true/false, yes/no or 1/0", ela));
                false
            }
        });

        let health = get(c::HEALTH);
        healths.push(if health.is_empty() {
            None
        } else {
            match health.parse::<f64>() {
                Ok(h) if (0.0..=10.0).contains(&h) => Some(h),
                Ok(h) if h.is_finite() => {
                    problems.push(bad(c::HEALTH, "outside the 0 to 10 scale", health));
                    None
                }
                _ => {
                    problems.push(bad(c::HEALTH, "not a number", health));
                    None
                }
            }
        });

        let renewal = get(c::RENEWAL_DATE);
        renewals.push(if renewal.is_empty() {
            None
        } else {
            if chrono::NaiveDate::parse_from_str(renewal, "%Y-%m-%d").is_err() || renewal.len() != 10 {
                problems.push(bad(c::RENEWAL_DATE, "not a date, expected YYYY-MM-DD", renewal));
            }
            Some(renewal.to_string())
        });
    }
    if problems.len() > before {
        return Ok(None);
    }
    let frame = df!(
        c::ACCOUNT_ID => ids,
        c::ACCOUNT_NAME => names,
        c::ADVISOR => advisors,
        c::SEGMENT_CRM => segments,
        c::EMPLOYEES => employees,
        c::ELA => elas,
        c::HEALTH => healths,
        c::RENEWAL_DATE => renewals,
    )?;
    Ok(Some(frame))
}

/// `true/false/yes/no/1/0` in any case (and `y`/`n`); blank is false.
fn parse_flag(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" => Some(false),
        "true" | "yes" | "y" | "1" => Some(true),
        _ => None,
    }
}

/// advisors.csv (SPEC §3.3).
fn load_roster(
    path: &Path,
    targets: &Targets,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<Option<Vec<RosterEntry>>> {
    let Some(table) = read_table(path, &[c::ADVISOR, c::LEVEL], true, problems) else {
        return Ok(None);
    };
    let before = problems.len();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut roster = Vec::with_capacity(table.records.len());
    let level_names: Vec<&str> = targets.levels.iter().map(|l| l.name.as_str()).collect();
    for (line, record) in &table.records {
        let advisor = table.get(record, c::ADVISOR);
        let level = table.get(record, c::LEVEL);
        let manager = table.get(record, c::MANAGER);
        let bad = |column: &str, message: String, value: &str| {
            Problem::new(&table.file, message).at(*line).column(column).value(value)
        };
        if advisor.is_empty() {
            problems.push(
                Problem::new(&table.file, "missing: every roster row needs an advisor").at(*line).column(c::ADVISOR),
            );
        } else if let Some(first) = seen.get(advisor) {
            problems.push(bad(c::ADVISOR, format!("advisor listed twice, first on line {first}"), advisor));
        } else {
            seen.insert(advisor.to_string(), *line);
        }
        let Some(known) = targets.level_named(level) else {
            let message = format!("unknown level, expected one of {}", level_names.join(", "));
            problems.push(bad(c::LEVEL, message, level));
            continue;
        };
        roster.push(RosterEntry {
            advisor: advisor.to_string(),
            level: known.name.clone(),
            manager: (!manager.is_empty()).then(|| manager.to_string()),
        });
    }
    Ok((problems.len() == before).then_some(roster))
}

/// arr.csv once summed per account and month.
struct ArrData {
    summed: DataFrame,
    first_month: Month,
    last_month: Month,
    rows_read: usize,
}

/// arr.csv (SPEC §3.2): read by Polars as text, months parsed once per distinct value, ARR cast,
/// every bad row reported with its line, then rows of the same account and month summed.
/// `known` is the account_id column of accounts.csv and that file's name, when it loaded.
fn load_arr(
    path: &Path,
    known: Option<(&Column, &str)>,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<Option<ArrData>> {
    let required = [c::ACCOUNT_ID, c::MONTH, c::ARR];
    let Some(table) = read_table(path, &required, false, problems) else {
        return Ok(None);
    };
    let file = table.file.clone();
    let read = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_row_index(Some(RowIndex { name: c::ROW.into(), offset: 0 }))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish());
    let raw = match read {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(Problem::new(&file, format!("cannot read CSV: {e}")));
            return Ok(None);
        }
    };
    // Polars keeps the header's own spelling; find each column by its position (after the row index).
    let source = |name: &str| table.index.get(name).and_then(|i| raw.columns().get(i + 1)).map(|c| c.name().clone());
    let (Some(id_col), Some(month_col), Some(arr_col)) = (source(c::ACCOUNT_ID), source(c::MONTH), source(c::ARR))
    else {
        let found: Vec<&str> = raw.columns().iter().skip(1).map(|c| c.name().as_str()).collect();
        problems.push(Problem::new(&file, "cannot match the header's columns").at(1).value(found.join(", ")));
        return Ok(None);
    };

    let months = month_lookup(raw.column(&month_col)?)?;
    let known_ids = match known {
        Some((ids, _)) => {
            DataFrame::new_infer_height(vec![ids.clone(), Column::new(c::KNOWN_ACCOUNT.into(), vec![true; ids.len()])])?
                .lazy()
        }
        None => df!(c::ACCOUNT_ID => Vec::<String>::new(), c::KNOWN_ACCOUNT => Vec::<bool>::new())?.lazy(),
    };
    // A blank line (or one of only commas) is no row of data: Polars reads it as all nulls.
    let blank = col(id_col.clone()).is_null().and(col(month_col.clone()).is_null()).and(col(arr_col.clone()).is_null());
    let parsed = raw
        .lazy()
        .filter(blank.not())
        .select([
            col(c::ROW),
            col(id_col).str().strip_chars(lit(NULL)).alias(c::ACCOUNT_ID),
            col(month_col).alias(c::MONTH_RAW),
            col(arr_col.clone()).alias(c::ARR_RAW),
            col(arr_col).str().strip_chars(lit(NULL)).cast(DataType::Float64).alias(c::ARR),
        ])
        .left_join(months.lazy(), col(c::MONTH_RAW), col(c::MONTH_RAW))
        .left_join(known_ids, col(c::ACCOUNT_ID), col(c::ACCOUNT_ID))
        .collect()?;
    if parsed.height() == 0 {
        problems.push(Problem::new(&file, "no data rows after the header").at(2));
        return Ok(None);
    }
    let rows_read = parsed.height();

    let missing_id = col(c::ACCOUNT_ID).is_null().or(col(c::ACCOUNT_ID).eq(lit("")));
    let unknown_id = col(c::KNOWN_ACCOUNT).is_null().and(missing_id.clone().not()).and(lit(known.is_some()));
    let bad_arr =
        col(c::ARR).is_null().or(col(c::ARR).is_nan()).or(col(c::ARR).is_infinite()).or(col(c::ARR).lt(lit(0.0)));
    let bad_rows =
        parsed.clone().lazy().filter(missing_id.or(unknown_id).or(col(c::MONTH).is_null()).or(bad_arr)).collect()?;
    if bad_rows.height() > 0 {
        report_bad_arr_rows(path, &file, &bad_rows, known.map(|k| k.1), problems)?;
        return Ok(None);
    }

    let summed = parsed.lazy().group_by([col(c::ACCOUNT_ID), col(c::MONTH)]).agg([col(c::ARR).sum()]).collect()?;
    let month_values = summed.column(c::MONTH)?.i32()?;
    let (Some(first), Some(last)) = (month_values.min(), month_values.max()) else {
        anyhow::bail!("{file}: no months after summing");
    };
    Ok(Some(ArrData { summed, first_month: Month(first), last_month: Month(last), rows_read }))
}

/// Each distinct month text of arr.csv with its parsed month (null when it does not parse).
/// Parsing the few distinct values in Rust keeps the rule exact without a per-row loop.
fn month_lookup(months: &Column) -> anyhow::Result<DataFrame> {
    let distinct = months.unique()?;
    let parsed: Vec<Option<i32>> = distinct.str()?.iter().map(|m| m.and_then(Month::parse).map(|m| m.0)).collect();
    Ok(DataFrame::new_infer_height(vec![
        distinct.with_name(c::MONTH_RAW.into()),
        Column::new(c::MONTH.into(), parsed),
    ])?)
}

/// One message per problem of each bad arr.csv row, with the physical line of the row.
fn report_bad_arr_rows(
    path: &Path,
    file: &str,
    bad: &DataFrame,
    accounts_file: Option<&str>,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<()> {
    let rows: Vec<usize> = bad.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
    let lines = record_lines(path, &rows);
    let ids = bad.column(c::ACCOUNT_ID)?.str()?;
    let month_raw = bad.column(c::MONTH_RAW)?.str()?;
    let month = bad.column(c::MONTH)?.i32()?;
    let arr_raw = bad.column(c::ARR_RAW)?.str()?;
    let arr = bad.column(c::ARR)?.f64()?;
    let known = bad.column(c::KNOWN_ACCOUNT)?.bool()?;
    for (i, row) in rows.iter().enumerate() {
        let line = lines.get(row).copied().unwrap_or(*row as u64 + 2);
        let at = |column: &str, message: &str| Problem::new(file, message).at(line).column(column);
        match ids.get(i).filter(|id| !id.is_empty()) {
            None => problems.push(at(c::ACCOUNT_ID, "missing")),
            Some(id) if known.get(i).is_none() => {
                if let Some(accounts) = accounts_file {
                    problems.push(
                        at(c::ACCOUNT_ID, &format!("not in {accounts}: its ARR would belong to no book")).value(id),
                    );
                }
            }
            Some(_) => {}
        }
        match (month_raw.get(i), month.get(i)) {
            (None, _) => problems.push(at(c::MONTH, "missing")),
            (Some(raw), None) => problems.push(at(c::MONTH, "not a month, expected YYYY-MM or YYYY-MM-DD").value(raw)),
            _ => {}
        }
        match (arr_raw.get(i), arr.get(i)) {
            (None, _) => problems.push(at(c::ARR, "missing")),
            (Some(raw), Some(v)) if v.is_finite() && v < 0.0 => problems.push(at(c::ARR, "negative ARR").value(raw)),
            (Some(raw), v) if !v.is_some_and(f64::is_finite) => problems.push(at(c::ARR, "not a number").value(raw)),
            _ => {}
        }
    }
    Ok(())
}

/// The physical line on which each wanted data record starts, counting records as Polars does
/// (a blank line is a record; a newline inside quotes is not). Only run when there is something
/// to report, so the fast path never scans the file twice.
fn record_lines(path: &Path, rows: &[usize]) -> HashMap<usize, u64> {
    let wanted: HashSet<usize> = rows.iter().copied().collect();
    let Some(last) = rows.iter().max() else {
        return HashMap::new();
    };
    let Ok(bytes) = std::fs::read(path) else {
        return HashMap::new();
    };
    let mut lines = HashMap::new();
    let (mut line, mut record, mut quoted) = (1u64, 0usize, false);
    for byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    record += 1;
                    // Record 0 is the header: data row r is record r + 1.
                    if record > 0 && wanted.contains(&(record - 1)) {
                        lines.insert(record - 1, line);
                    }
                    if record > last + 1 {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    lines
}
