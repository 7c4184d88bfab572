//! The shared table reader: what every input file goes through before its own rules. Encoding
//! (UTF-8, BOM), delimiter, the header and its columns by normalised name, records with their
//! physical lines, and rows that are not data (footers, second headers, merged-cell blanks).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use polars::prelude::PlSmallStr;

use crate::columns as c;
use crate::config::ReadOptions;
use crate::error::{Problem, Problems, Read, Stop};

/// Cells that are a report's footer or note rather than data.
const FOOTER_STARTS: [&str; 9] =
    ["grand total", "total", "subtotal", "confidential", "generated", "report ", "page ", "copyright", "©"];

pub(super) fn looks_like_footer(cell: &str) -> bool {
    let cell = cell.trim();
    FOOTER_STARTS.iter().any(|start| cell.get(..start.len()).is_some_and(|head| head.eq_ignore_ascii_case(start)))
}

/// The first byte that is not UTF-8, with its line and the encoding the export likely used.
pub(super) fn encoding_problem(file: &str, bytes: &[u8]) -> Option<Problem> {
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

/// A CSV file read with the csv crate: header positions by normalised name, records with lines.
pub(super) struct Table {
    pub(super) file: String,
    width: usize,
    /// The header's cells as written (a leading BOM removed), as Polars names the columns.
    pub(super) header: Vec<PlSmallStr>,
    pub(super) index: HashMap<String, usize>,
    pub(super) records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// The trimmed value of `column` in `record`, empty when the column is absent.
    pub(super) fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        cell(record, self.index.get(column).copied())
    }
}

/// The trimmed value at `position` in `record`, empty when there is no such column.
pub(super) fn cell(record: &csv::StringRecord, position: Option<usize>) -> &str {
    position.and_then(|i| record.get(i)).map(str::trim).unwrap_or("")
}

/// Reads the header (and, with `with_rows`, every record) of a CSV file, checking that the
/// `required` columns are there. Stops when the file is unusable (unreadable, not UTF-8, no header,
/// a required column missing, no data rows).
pub(super) fn read_table(
    path: &Path,
    required: &[&str],
    with_rows: bool,
    read: &ReadOptions,
    problems: &mut Problems,
) -> Read<Table> {
    let file = path.display().to_string();
    // Small files are read whole and checked for encoding first; for arr.csv only the start.
    let bytes = match if with_rows { std::fs::read(path) } else { read_start(path) } {
        Ok(bytes) => bytes,
        Err(e) => {
            return problems.stop(Problem::new(&file, format!("cannot read file: {e}")));
        }
    };
    let checked =
        if with_rows { &bytes[..] } else { &bytes[..bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len())] };
    if let Some(problem) = encoding_problem(&file, checked) {
        return problems.stop(problem);
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(read.delimiter).from_reader(&bytes[..]);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            return problems.stop(Problem::new(&file, "file is empty: expected a header row").at(1));
        }
        Some(Err(e)) => {
            return problems.stop(Problem::new(&file, format!("cannot read CSV: {e}")).at(1));
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
        return problems.stop(
            Problem::new(&file, "the header looks semicolon-delimited: pass --delimiter ';'")
                .at(1)
                .value(names.join(",")),
        );
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
        return Err(Stop::Invalid);
    }
    let header = written.iter().map(|name| PlSmallStr::from(name.as_str())).collect();
    let mut table = Table { file: file.clone(), width: names.len(), header, index, records: Vec::new() };
    if !with_rows {
        return Ok(table);
    }
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return problems.stop(Problem::new(&file, format!("cannot read CSV: {e}")).at(line));
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
        return problems.stop(Problem::new(&file, "no data rows after the header").at(2));
    }
    Ok(table)
}

/// The first 64 KiB of a file: enough for its header.
fn read_start(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::new();
    File::open(path)?.take(64 * 1024).read_to_end(&mut start)?;
    Ok(start)
}

/// A row that is not an account: a report footer or note, or a blank id under a merged cell.
pub(super) fn not_data(file: &str, line: u64, id: &str, rest_filled: bool) -> Option<Problem> {
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

pub(super) fn second_header(file: &str, line: u64) -> Problem {
    Problem::new(file, "a second header row: are several exports pasted together? keep only the first header").at(line)
}

/// The physical line on which each wanted data record starts, counting records as Polars does
/// (a blank line is a record; a newline inside quotes is not). Only run when there is something
/// to report, so the fast path never scans the file twice.
pub(super) fn record_lines(path: &Path, rows: &[usize]) -> HashMap<usize, u64> {
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
