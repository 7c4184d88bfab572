//! Loading the three exports (SPEC §3) into validated frames. accounts.csv and advisors.csv are
//! read with the csv crate and checked row by row with exact line numbers; arr.csv, the big one,
//! goes through Polars' parallel reader and one lazy plan that parses, checks and sums it.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use crate::amounts::{self, Decimal};
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

/// How the exports are written: the flags every command that reads them shares.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Field separator (`,` unless `--delimiter`).
    pub delimiter: u8,
    /// `--decimal-comma`: `1.234,50` and `1 234,50`.
    pub decimal: Decimal,
    /// `--date-format`: chrono format of dates that are not ISO, e.g. `%m/%d/%Y`.
    pub date_format: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { delimiter: b',', decimal: Decimal::Point, date_format: None }
    }
}

/// Cells that are a report's footer or note rather than data.
const FOOTER_STARTS: [&str; 9] =
    ["grand total", "total", "subtotal", "confidential", "generated", "report ", "page ", "copyright", "©"];

fn looks_like_footer(cell: &str) -> bool {
    let cell = cell.trim();
    FOOTER_STARTS.iter().any(|start| cell.get(..start.len()).is_some_and(|head| head.eq_ignore_ascii_case(start)))
}

/// The first byte that is not UTF-8, with its line and the encoding the export likely used.
fn encoding_problem(file: &str, bytes: &[u8]) -> Option<Problem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(Problem::new(file, "the file is UTF-16 text: save the export as UTF-8 (CSV UTF-8)").at(1));
    }
    let error = std::str::from_utf8(bytes).err()?;
    let offset = error.valid_up_to();
    let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    Some(
        Problem::new(
            file,
            format!(
                "not valid UTF-8 at byte {offset} (0x{:02X}): the export looks like Windows-1252 (Latin-1); save it as UTF-8",
                bytes[offset]
            ),
        )
        .at(line),
    )
}

/// The validated inputs of a run.
pub struct Inputs {
    /// One row per account: `account_id`, `key`, `account_name`, `advisor` (null = unassigned),
    /// `segment_crm`, `employees`, `ela`, `health_score`, `renewal_date`.
    pub accounts: DataFrame,
    /// `ARR(a, m)`: `key`, `month` and `arr`, one row per account and month present in arr.csv,
    /// duplicates summed. Sorted by account then month (later stages read the month before by a
    /// shift).
    pub arr: DataFrame,
    pub roster: Vec<RosterEntry>,
    pub first_month: Month,
    pub last_month: Month,
    /// Data rows read from arr.csv, before summing rows of the same account and month.
    pub arr_rows_read: usize,
    /// What was accepted beyond the plain format, to say so in the report.
    pub notes: Vec<String>,
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
pub fn load(
    paths: &InputPaths,
    targets: &Targets,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<Option<Inputs>> {
    let mut stages = crate::timing::Stages::from_env();
    let accounts = load_accounts(&paths.accounts, read, problems)?;
    stages.done("accounts.csv");
    let roster = load_roster(&paths.advisors, targets, read, problems)?;
    stages.done("advisors.csv");
    let known = accounts.as_ref().map(|a| a.select([c::ACCOUNT_ID, c::KEY])).transpose()?;
    let accounts_name = paths.accounts.display().to_string();
    let mut notes = Vec::new();
    let arr = load_arr(&paths.arr, known.as_ref().map(|k| (k, accounts_name.as_str())), read, problems, &mut notes)?;
    stages.done("arr.csv");
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
        notes,
    }))
}

/// A CSV file read with the csv crate: header positions by normalised name, records with lines.
struct Table {
    file: String,
    width: usize,
    /// The header's cells as written (a leading BOM removed), as Polars names the columns.
    header: Vec<PlSmallStr>,
    index: HashMap<String, usize>,
    records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// The trimmed value of `column` in `record`, empty when the column is absent.
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        cell(record, self.index.get(column).copied())
    }
}

/// The trimmed value at `position` in `record`, empty when there is no such column.
fn cell(record: &csv::StringRecord, position: Option<usize>) -> &str {
    position.and_then(|i| record.get(i)).map(str::trim).unwrap_or("")
}

/// Reads the header (and, with `with_rows`, every record) of a CSV file, checking that the
/// `required` columns are there. Problems go to `problems`; `None` means the file is unusable.
fn read_table(
    path: &Path,
    required: &[&str],
    with_rows: bool,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let file = path.display().to_string();
    // Small files are read whole and checked for encoding first; for arr.csv only the start.
    let bytes = match if with_rows { std::fs::read(path) } else { read_start(path) } {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.push(Problem::new(&file, format!("cannot read file: {e}")));
            return None;
        }
    };
    let checked =
        if with_rows { &bytes[..] } else { &bytes[..bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len())] };
    if let Some(problem) = encoding_problem(&file, checked) {
        problems.push(problem);
        return None;
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(read.delimiter).from_reader(&bytes[..]);
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
    let written: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 { raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw) } else { raw };
            String::from_utf8_lossy(raw).into_owned()
        })
        .collect();
    let names: Vec<String> = written.iter().map(|name| name.trim().to_lowercase()).collect();
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
    if !missing.is_empty() && read.delimiter == b',' && names.iter().any(|n| n.contains(';')) {
        problems.push(
            Problem::new(&file, "the header looks semicolon-delimited: pass --delimiter ';'")
                .at(1)
                .value(names.join(",")),
        );
        return None;
    }
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
    let header = written.iter().map(|name| PlSmallStr::from(name.as_str())).collect();
    let mut table = Table { file: file.clone(), width: names.len(), header, index, records: Vec::new() };
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

/// The first 64 KiB of a file: enough for its header.
fn read_start(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::new();
    File::open(path)?.take(64 * 1024).read_to_end(&mut start)?;
    Ok(start)
}

/// accounts.csv (SPEC §3.1), checked row by row: rows are read in parallel, then ids are checked
/// for duplicates in file order, so problems come out in the order of the file.
fn load_accounts(path: &Path, read: &ReadOptions, problems: &mut Vec<Problem>) -> anyhow::Result<Option<DataFrame>> {
    let Some(table) = read_table(path, &[c::ACCOUNT_ID, c::ADVISOR], true, read, problems) else {
        return Ok(None);
    };
    let columns = AccountColumns::of(&table);
    let read_rows: Vec<Result<AccountRecord, Problem>> =
        table.records.par_iter().map(|(line, record)| read_account(&table, &columns, *line, record, read)).collect();

    let accounts = || read_rows.iter().filter_map(|row| row.as_ref().ok());
    let ids: StringChunked = accounts().map(|row| row.id).collect();
    // Ids are checked by Polars in parallel; only a file with a repeated id walks them in order.
    let mut seen: Option<PlHashMap<&str, u64>> = (ids.n_unique()? < ids.len()).then(PlHashMap::new);
    let before = problems.len();
    for row in &read_rows {
        let row = match row {
            Ok(row) => row,
            Err(not_data) => {
                problems.push(not_data.clone());
                continue;
            }
        };
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
    if problems.len() > before {
        return Ok(None);
    }
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
    Ok(Some(frame))
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
struct AccountRecord<'r> {
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

/// Reads one row of accounts.csv; `Err` when the row is not an account at all (a footer, a
/// blank id).
fn read_account<'r>(
    table: &Table,
    columns: &AccountColumns,
    line: u64,
    record: &'r csv::StringRecord,
    read: &ReadOptions,
) -> Result<AccountRecord<'r>, Problem> {
    let get = |position: Option<usize>| cell(record, position);
    let non_empty = |v: &'r str| (!v.is_empty()).then_some(v);
    let mut problems = Vec::new();
    let mut bad = |column: &str, message: &str, value: &str| {
        problems.push(Problem::new(&table.file, message).at(line).column(column).value(value));
    };

    let id = get(columns.id);
    let rest_filled = || record.iter().skip(1).any(|v| !v.trim().is_empty());
    if let Some(problem) = not_data(&table.file, line, id, id.is_empty() && rest_filled()) {
        return Err(problem);
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
        let parsed = amounts::parse_text(count, read.decimal)
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
        match amounts::parse_text(health_text, read.decimal) {
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

    Ok(AccountRecord {
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
    })
}

/// A date as `YYYY-MM-DD`: the cell itself when written so, else read in `--date-format`.
fn read_date<'r>(text: &'r str, read: &ReadOptions) -> Option<std::borrow::Cow<'r, str>> {
    let iso = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| text.len() == 10);
    let as_written = |i: usize, b: u8| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() };
    if iso.is_some() && text.bytes().enumerate().all(|(i, b)| as_written(i, b)) {
        return Some(text.into());
    }
    let date = iso.or_else(|| chrono::NaiveDate::parse_from_str(text, read.date_format.as_deref()?).ok())?;
    Some(date.format("%Y-%m-%d").to_string().into())
}

/// A row that is not an account: a report footer or note, or a blank id under a merged cell.
fn not_data(file: &str, line: u64, id: &str, rest_filled: bool) -> Option<Problem> {
    let problem = |message: &str| Problem::new(file, message).at(line).column(c::ACCOUNT_ID);
    if looks_like_footer(id) {
        return Some(
            problem("looks like a report footer or note, not data: export the data without totals or footers")
                .value(id),
        );
    }
    match (id.is_empty(), rest_filled) {
        (true, true) => {
            Some(problem("missing; the cells beside it are filled, as under a merged cell: fill the id into every row"))
        }
        (true, false) => Some(problem("missing")),
        _ => None,
    }
}

fn second_header(file: &str, line: u64) -> Problem {
    Problem::new(file, "a second header row: are several exports pasted together? keep only the first header").at(line)
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

/// advisors.csv (SPEC §3.3).
fn load_roster(
    path: &Path,
    targets: &Targets,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<Option<Vec<RosterEntry>>> {
    let Some(table) = read_table(path, &[c::ADVISOR, c::LEVEL], true, read, problems) else {
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

/// arr.csv (SPEC §3.2). A clean export (plain numbers, known ids, months that parse, nothing
/// blank) is read by [`read_clean`]: typed by the Polars reader and summed in one pass. Anything
/// else is read again by [`read_careful`], which keeps every cell's text to report each bad row
/// with its line. `known` is accounts.csv (`account_id` and `key`) and that file's name, when it
/// loaded.
fn load_arr(
    path: &Path,
    known: Option<(&DataFrame, &str)>,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<String>,
) -> anyhow::Result<Option<ArrData>> {
    let required = [c::ACCOUNT_ID, c::MONTH, c::ARR];
    let Some(table) = read_table(path, &required, false, read, problems) else {
        return Ok(None);
    };
    if let Some((accounts, _)) = known {
        if let Some(clean) = read_clean(path, &table, accounts, read, notes)? {
            return Ok(Some(clean));
        }
    }
    read_careful(path, &table, known, read, problems, notes)
}

/// Names of the three columns in the header's own spelling (Polars keeps it), by position.
fn header_names(table: &Table) -> Option<[PlSmallStr; 3]> {
    let source = |name: &str| table.index.get(name).and_then(|i| table.header.get(*i)).cloned();
    Some([source(c::ACCOUNT_ID)?, source(c::MONTH)?, source(c::ARR)?])
}

/// The fast path for a clean export: account ids read straight into an Enum of accounts.csv's
/// ids (its codes are the account keys), months into a Categorical (parsed once per distinct
/// text) and amounts as Float64, by Polars' parallel reader, so no text column of the ARR table
/// is ever held. `None` when the file needs [`read_careful`]: a cell the reader refuses (an
/// unknown id, a decorated amount), a blank cell, a month that does not parse, a negative or
/// non-finite amount.
fn read_clean(
    path: &Path,
    table: &Table,
    accounts: &DataFrame,
    read: &ReadOptions,
    notes: &mut Vec<String>,
) -> anyhow::Result<Option<ArrData>> {
    if read.decimal == Decimal::Comma {
        return Ok(None);
    }
    let Some([id_col, month_col, arr_col]) = header_names(table) else {
        return Ok(None);
    };
    // The Enum's codes are the keys: accounts.csv's ids in order. Polars stores fewer than 65,536
    // categories in 8 or 16 bits, which this build leaves out, so small books are padded with
    // names no export holds; a row naming one is an unknown account (`key >= accounts`).
    let ids = accounts.column(c::ACCOUNT_ID)?.str()?;
    let padding: Vec<String> = (ids.len()..=u16::MAX as usize).map(|i| format!("\0ta-scorecard padding {i}")).collect();
    let names = ids.iter().flatten().chain(padding.iter().map(String::as_str));
    let Ok(id_type) = FrozenCategories::new(names).map(DataType::from_frozen_categories) else {
        return Ok(None);
    };
    let month_type = DataType::from_categories(Categories::random(PlSmallStr::EMPTY, CategoricalPhysical::U32));
    let schema: Schema =
        [(id_col.clone(), id_type), (month_col.clone(), month_type), (arr_col.clone(), DataType::Float64)]
            .into_iter()
            .collect();
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some([id_col.clone(), month_col.clone(), arr_col.clone()].into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|o| o.with_separator(read.delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish());
    let Ok(frame) = frame else {
        return Ok(None);
    };
    let DataType::Categorical(_, mapping) = frame.column(&month_col)?.dtype().clone() else {
        return Ok(None);
    };
    let texts: Vec<Option<&str>> =
        (0..mapping.num_cats_upper_bound() as u32).map(|code| mapping.cat_to_str(code)).collect();
    let (by_code, iso_by_code) = parse_months(&texts, read.date_format.as_deref());
    // Every check is a whole-column kernel or a look at the distinct months: no pass per row.
    let rows_read = frame.height();
    let blank = frame.columns().iter().any(|column| column.null_count() > 0);
    let unparsed = texts.iter().zip(&by_code).any(|(text, month)| text.is_some() && month.is_none());
    let keys = frame.column(&id_col)?.to_physical_repr().take_materialized_series();
    let unknown = keys.u32()?.max().is_some_and(|key| key as usize >= ids.len());
    let amounts = frame.column(&arr_col)?.f64()?;
    let bad_arr = amounts.min().is_some_and(|a| a < 0.0) || !amounts.sum().unwrap_or(0.0).is_finite();
    if rows_read == 0 || blank || unparsed || unknown || bad_arr {
        return Ok(None);
    }
    let month_codes = frame.column(&month_col)?.to_physical_repr().take_materialized_series();
    let codes = month_codes.u32()?;
    if let Some(format) = &read.date_format {
        let iso = Series::new(c::MONTH_ISO.into(), iso_by_code).take(codes)?;
        let dated = rows_read - iso.bool()?.sum().unwrap_or(0) as usize;
        if dated > 0 {
            notes.push(format!("{}: {dated} months read as dates in the format {format}", table.file));
        }
    }
    let rows = DataFrame::new_infer_height(vec![
        keys.with_name(c::KEY.into()).into_column(),
        Series::new(c::MONTH.into(), by_code).take(codes)?.into_column(),
        frame.column(&arr_col)?.clone().with_name(c::ARR.into()),
    ])?;
    // The frame as read goes before summing, so the ARR table is held once, not twice.
    drop((frame, month_codes));
    Ok(Some(ArrData::summed(&table.file, sum_account_months(rows.lazy())?, rows_read)?))
}

/// `ARR(a, m)`: the rows of each account and month (`key`, `month`, `arr`) summed, sorted by
/// account then month. Both keys are packed into one (`key << 32 | month`) and sorted, so the
/// group-by takes contiguous runs (exports are usually sorted already, and then this is only
/// checked), and later stages can read neighbouring months by a shift instead of a join.
pub fn sum_account_months(rows: LazyFrame) -> PolarsResult<DataFrame> {
    const PACKED: &str = "account_month";
    let packed = col(PACKED);
    let key_month = col(c::KEY).cast(DataType::Int64) * lit(1i64 << 32) + col(c::MONTH).cast(DataType::Int64);
    let mut rows = rows.select([key_month.alias(PACKED), col(c::ARR)]).collect()?;
    // One chunk: the sorted group-by sums slices, which is slow across the reader's many chunks.
    rows.rechunk_mut_par();
    let keys = rows.column(PACKED)?.as_materialized_series().clone();
    if keys.is_sorted(SortOptions::default())? {
        let mut keys = keys;
        keys.set_sorted_flag(polars::series::IsSorted::Ascending);
        rows.with_column(keys.into_column())?;
    } else {
        rows.sort_in_place([PACKED], SortMultipleOptions::default())?;
    }
    rows.lazy()
        .group_by_stable([packed.clone()])
        .agg([col(c::ARR).sum()])
        .select([
            (packed.clone() / lit(1i64 << 32)).cast(DataType::UInt32).alias(c::KEY),
            (packed % lit(1i64 << 32)).cast(DataType::Int32).alias(c::MONTH),
            col(c::ARR),
        ])
        .collect()
}

impl ArrData {
    fn summed(file: &str, summed: DataFrame, rows_read: usize) -> anyhow::Result<ArrData> {
        let month_values = summed.column(c::MONTH)?.i32()?;
        let (Some(first), Some(last)) = (month_values.min(), month_values.max()) else {
            anyhow::bail!("{file}: no months after summing");
        };
        Ok(ArrData { summed, first_month: Month(first), last_month: Month(last), rows_read })
    }
}

/// The careful path: arr.csv read by Polars as text, months parsed once per distinct value,
/// amounts read by [`amounts::parse`], every bad row reported with its line, one currency
/// checked, then rows of the same account and month summed.
fn read_careful(
    path: &Path,
    table: &Table,
    known: Option<(&DataFrame, &str)>,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<String>,
) -> anyhow::Result<Option<ArrData>> {
    let file = table.file.clone();
    let reader = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_row_index(Some(RowIndex { name: c::ROW.into(), offset: 0 }))
        .map_parse_options(|o| o.with_separator(read.delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish());
    let raw = match reader {
        Ok(raw) => raw,
        Err(e) => {
            let bytes = std::fs::read(path).unwrap_or_default();
            problems.push(
                encoding_problem(&file, &bytes).unwrap_or_else(|| Problem::new(&file, format!("cannot read CSV: {e}"))),
            );
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

    let months = month_lookup(raw.column(&month_col)?, read.date_format.as_deref())?;
    let known_ids = match known {
        Some((ids, _)) => ids.clone().lazy(),
        None => df!(c::ACCOUNT_ID => Vec::<String>::new(), c::KEY => Vec::<u32>::new())?.lazy(),
    };
    // A blank line (or one of only commas) is no row of data: Polars reads it as all nulls.
    let blank = col(id_col.clone()).is_null().and(col(month_col.clone()).is_null()).and(col(arr_col.clone()).is_null());
    // Plain numbers, the common case, by a cast; a decimal comma makes every amount need reading.
    let plain = match read.decimal {
        Decimal::Point => col(arr_col.clone()).str().strip_chars(lit(NULL)).cast(DataType::Float64),
        Decimal::Comma => lit(NULL).cast(DataType::Float64),
    };
    let parsed = raw
        .lazy()
        .filter(blank.not())
        .select([
            col(c::ROW),
            col(id_col).str().strip_chars(lit(NULL)).alias(c::ACCOUNT_ID),
            col(month_col).alias(c::MONTH_RAW),
            col(arr_col).alias(c::ARR_RAW),
            plain.alias(c::ARR),
        ])
        .left_join(months.lazy(), col(c::MONTH_RAW), col(c::MONTH_RAW))
        .left_join(known_ids, col(c::ACCOUNT_ID), col(c::ACCOUNT_ID))
        .collect()?;
    let parsed = read_decorated_amounts(parsed, read.decimal)?;
    if parsed.height() == 0 {
        problems.push(Problem::new(&file, "no data rows after the header").at(2));
        return Ok(None);
    }
    let rows_read = parsed.height();

    let missing_id = col(c::ACCOUNT_ID).is_null().or(col(c::ACCOUNT_ID).eq(lit("")));
    let unknown_id = col(c::KEY).is_null().and(missing_id.clone().not()).and(lit(known.is_some()));
    let bad_arr =
        col(c::ARR).is_null().or(col(c::ARR).is_nan()).or(col(c::ARR).is_infinite()).or(col(c::ARR).lt(lit(0.0)));
    let bad_rows =
        parsed.clone().lazy().filter(missing_id.or(unknown_id).or(col(c::MONTH).is_null()).or(bad_arr)).collect()?;
    if bad_rows.height() > 0 {
        report_bad_arr_rows(path, &file, &bad_rows, known.map(|k| k.1), read, problems)?;
        return Ok(None);
    }
    if !one_currency(path, &file, &parsed, problems)? {
        return Ok(None);
    }
    note_what_was_accepted(&file, &parsed, read, notes)?;
    if known.is_none() {
        return Ok(None); // accounts.csv did not load: no account has a key to sum under
    }

    let rows = parsed.lazy().select([col(c::KEY), col(c::MONTH), col(c::ARR)]);
    Ok(Some(ArrData::summed(&file, sum_account_months(rows)?, rows_read)?))
}

/// The amounts a plain cast refused (`$1,234.50`, `USD 1,234`, decimal commas) read by
/// [`amounts::parse`], only on those rows, so a clean export never pays for the regexes. Adds the
/// `currency` and `decorated` columns.
fn read_decorated_amounts(parsed: DataFrame, decimal: Decimal) -> PolarsResult<DataFrame> {
    let amount = || col(c::ARR_RAW).str().strip_chars(lit(NULL));
    let decorated = parsed
        .clone()
        .lazy()
        .filter(col(c::ARR).is_null().and(col(c::ARR_RAW).is_not_null()))
        .select([
            col(c::ROW),
            amounts::parse(amount(), decimal).alias("read_arr"),
            amounts::currency(amount()).alias(c::CURRENCY),
            amounts::decorated(amount()).alias(c::DECORATED),
        ])
        .collect()?;
    let columns = [c::ROW, c::ACCOUNT_ID, c::MONTH_RAW, c::ARR_RAW, c::MONTH, c::MONTH_ISO, c::KEY].map(col);
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

/// Amounts in more than one currency cannot be added up: each currency after the first is
/// reported on the line it first appears. Returns whether the file has at most one.
fn one_currency(path: &Path, file: &str, parsed: &DataFrame, problems: &mut Vec<Problem>) -> anyhow::Result<bool> {
    let firsts = parsed
        .clone()
        .lazy()
        .filter(col(c::CURRENCY).is_not_null())
        .group_by([col(c::CURRENCY)])
        .agg([col(c::ROW).min()])
        .sort([c::ROW], SortMultipleOptions::default())
        .collect()?;
    if firsts.height() <= 1 {
        return Ok(true);
    }
    let currencies: Vec<String> = firsts.column(c::CURRENCY)?.str()?.iter().flatten().map(str::to_string).collect();
    let rows: Vec<usize> = firsts.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
    let lines = record_lines(path, &rows);
    let line = |row: &usize| lines.get(row).copied().unwrap_or(*row as u64 + 2);
    for (currency, row) in currencies.iter().zip(&rows).skip(1) {
        problems.push(
            Problem::new(
                file,
                format!(
                    "mixed currencies in one file ({} first on line {}): convert to one currency before exporting",
                    currencies[0],
                    line(&rows[0])
                ),
            )
            .at(line(row))
            .column(c::ARR)
            .value(currency.clone()),
        );
    }
    Ok(false)
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

/// Each distinct month text of arr.csv with its parsed month (null when it does not parse).
/// Parsing the few distinct values in Rust keeps the rule exact without a per-row loop.
fn month_lookup(months: &Column, date_format: Option<&str>) -> anyhow::Result<DataFrame> {
    let distinct = months.unique()?;
    let texts: Vec<Option<&str>> = distinct.str()?.iter().collect();
    let (parsed, iso) = parse_months(&texts, date_format);
    Ok(DataFrame::new_infer_height(vec![
        distinct.with_name(c::MONTH_RAW.into()),
        Column::new(c::MONTH.into(), parsed),
        Column::new(c::MONTH_ISO.into(), iso),
    ])?)
}

/// Each distinct month text parsed (null when it does not parse), and whether it was written
/// `YYYY-MM` or `YYYY-MM-DD`: shared by both paths so they read months alike.
fn parse_months(texts: &[Option<&str>], date_format: Option<&str>) -> (Vec<Option<i32>>, Vec<bool>) {
    let parsed = texts.iter().map(|m| m.and_then(|m| Month::parse_with(m, date_format)).map(|m| m.0)).collect();
    let iso = texts.iter().map(|m| m.and_then(Month::parse).is_some()).collect();
    (parsed, iso)
}

/// One message per problem of each bad arr.csv row, with the physical line of the row; rows
/// that are not data at all (a footer, a second header, a merged-cell blank) get one message
/// that says so.
fn report_bad_arr_rows(
    path: &Path,
    file: &str,
    bad: &DataFrame,
    accounts_file: Option<&str>,
    read: &ReadOptions,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<()> {
    let rows: Vec<usize> = bad.column(c::ROW)?.idx()?.into_no_null_iter().map(|r| r as usize).collect();
    let lines = record_lines(path, &rows);
    let ids = bad.column(c::ACCOUNT_ID)?.str()?;
    let month_raw = bad.column(c::MONTH_RAW)?.str()?;
    let month = bad.column(c::MONTH)?.i32()?;
    let arr_raw = bad.column(c::ARR_RAW)?.str()?;
    let arr = bad.column(c::ARR)?.f64()?;
    let known = bad.column(c::KEY)?.u32()?;
    for (i, row) in rows.iter().enumerate() {
        let line = lines.get(row).copied().unwrap_or(*row as u64 + 2);
        let at = |column: &str, message: &str| Problem::new(file, message).at(line).column(column);
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
            (None, _) => problems.push(at(c::ARR, "missing")),
            (Some(raw), Some(v)) if v.is_finite() && v < 0.0 => problems.push(at(c::ARR, "negative ARR").value(raw)),
            (Some(raw), v) if !v.is_some_and(f64::is_finite) => {
                let hint = if read.decimal == Decimal::Point && raw.contains(',') {
                    "not a number (if ',' is the decimal separator, pass --decimal-comma)"
                } else {
                    "not a number"
                };
                problems.push(at(c::ARR, hint).value(raw));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_account_months_sums_sorts_and_unpacks_large_keys() {
        // Unsorted, with a duplicate account-month, and keys past 2^21 where a float division
        // of the packed key would round.
        let rows = df!(
            c::KEY => [4_000_000u32, 7, 4_000_000, 7, 4_000_000],
            c::MONTH => [24_300i32, 24_301, 24_299, 24_300, 24_300],
            c::ARR => [1.5, 2.0, 3.0, 4.0, 10.25],
        )
        .unwrap();
        let summed = sum_account_months(rows.lazy()).unwrap();
        let keys: Vec<u32> = summed.column(c::KEY).unwrap().u32().unwrap().into_no_null_iter().collect();
        let months: Vec<i32> = summed.column(c::MONTH).unwrap().i32().unwrap().into_no_null_iter().collect();
        let arr: Vec<f64> = summed.column(c::ARR).unwrap().f64().unwrap().into_no_null_iter().collect();
        assert_eq!(keys, [7, 7, 4_000_000, 4_000_000]);
        assert_eq!(months, [24_300, 24_301, 24_299, 24_300]);
        assert_eq!(arr, [4.0, 2.0, 3.0, 11.75]);
    }

    proptest::proptest! {
        /// Runs of any length, sorted or not, sum as a plain map from account-month does.
        #[test]
        fn sum_account_months_matches_a_map(
            rows in proptest::collection::vec((0u32..6, 0i32..4, 0u32..1_000), 0..200),
            sorted in proptest::bool::ANY,
        ) {
            let mut rows = rows;
            if sorted {
                rows.sort_by_key(|(key, month, _)| (*key, *month));
            }
            let mut expected = std::collections::BTreeMap::new();
            for (key, month, cents) in &rows {
                *expected.entry((*key, *month)).or_insert(0u64) += u64::from(*cents);
            }
            let frame = df!(
                c::KEY => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
                c::MONTH => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
                c::ARR => rows.iter().map(|r| f64::from(r.2) / 4.0).collect::<Vec<_>>(),
            )
            .unwrap();
            let summed = sum_account_months(frame.lazy()).unwrap();
            let keys = summed.column(c::KEY).unwrap().u32().unwrap().clone();
            let months = summed.column(c::MONTH).unwrap().i32().unwrap().clone();
            let arr = summed.column(c::ARR).unwrap().f64().unwrap().clone();
            let got: Vec<((u32, i32), f64)> =
                (0..summed.height()).map(|i| ((keys.get(i).unwrap(), months.get(i).unwrap()), arr.get(i).unwrap())).collect();
            let want: Vec<((u32, i32), f64)> = expected.into_iter().map(|(k, quarters)| (k, quarters as f64 / 4.0)).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn the_fast_path_and_the_careful_path_read_the_samples_alike() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let paths = InputPaths {
            accounts: samples.join("accounts.csv"),
            arr: samples.join("arr.csv"),
            advisors: samples.join("advisors.csv"),
        };
        let read = ReadOptions::default();
        let (mut problems, mut notes) = (Vec::new(), Vec::new());
        let accounts = load_accounts(&paths.accounts, &read, &mut problems).unwrap().unwrap();
        let known = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let table = read_table(&paths.arr, &[c::ACCOUNT_ID, c::MONTH, c::ARR], false, &read, &mut problems).unwrap();
        let clean = read_clean(&paths.arr, &table, &known, &read, &mut notes).unwrap().expect("the samples are clean");
        let careful =
            read_careful(&paths.arr, &table, Some((&known, "accounts.csv")), &read, &mut problems, &mut notes)
                .unwrap()
                .unwrap();
        assert!(problems.is_empty() && notes.is_empty());
        assert!(clean.summed.equals(&careful.summed));
        assert_eq!(clean.rows_read, careful.rows_read);
        assert_eq!((clean.first_month, clean.last_month), (careful.first_month, careful.last_month));
    }
}
