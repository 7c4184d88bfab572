//! CSV files as they are exported: encoding (UTF-8, BOM), the delimiter of each file, records
//! with their physical lines (CRLF, quoted newlines), and rows whose field count is off.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use super::raw::{footer, looks_like_footer, Raw};
use super::{Found, ReadOptions};
use crate::domain::columns::normalise;
use crate::error::{Problem, Read};

/// The bytes a zip archive, and so an `.xlsx` workbook, starts with; and an old `.xls`'s.
const XLSX_MAGIC: &[u8] = b"PK\x03\x04";
const XLS_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// The header of a CSV file and, with `with_rows`, every record with its physical line. Stops
/// when the file cannot be read, is not UTF-8 text, or has no header.
pub(super) fn read(path: &Path, with_rows: bool, read: &ReadOptions, found: &mut Found) -> Read<Raw> {
    let file = path.display().to_string();
    let problems = &mut found.problems;
    // Small files are read whole and checked for encoding first; for arr.csv only the start.
    let bytes = match if with_rows { std::fs::read(path) } else { read_start(path) } {
        Ok(bytes) => bytes,
        Err(e) => {
            return problems.stop(Problem::new(&file, format!("cannot read file: {e}")));
        }
    };
    if bytes.starts_with(XLSX_MAGIC) {
        return problems.stop(Problem::new(&file, "this is an Excel workbook: name it .xlsx"));
    }
    if bytes.starts_with(XLS_MAGIC) {
        return problems
            .stop(Problem::new(&file, "this is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8"));
    }
    let first_line = &bytes[..bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len())];
    let checked = if with_rows { &bytes[..] } else { first_line };
    if let Some(problem) = encoding_problem(&file, checked) {
        return problems.stop(problem);
    }
    let delimiter = read.delimiter.unwrap_or_else(|| detect_delimiter(first_line));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(&bytes[..]);
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
    let header: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 { raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw) } else { raw };
            String::from_utf8_lossy(raw).into_owned()
        })
        .collect();
    if let (Some(forced), [only]) = (read.delimiter, &header[..]) {
        if let Some(other) = [b',', b';', b'\t', b'|'].into_iter().find(|d| *d != forced && only.as_bytes().contains(d))
        {
            return problems.stop(
                Problem::new(
                    &file,
                    format!(
                        "the header looks {}-delimited, but --delimiter was given as {}: leave --delimiter out to detect it",
                        delimiter_name(other),
                        delimiter_name(forced)
                    ),
                )
                .at(1)
                .value(only.clone()),
            );
        }
    }
    let mut raw = Raw { file: file.clone(), delimiter, header, header_line: 1, records: None, first_column: None };
    if !with_rows {
        return Ok(raw);
    }
    let width = raw.header.len();
    let first_column = normalise(&raw.header[0]);
    let lines = Lines::of(&bytes);
    let mut passed = 0;
    let mut kept = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at_in_order(p.byte(), &mut passed));
                return problems.stop(Problem::new(&file, format!("cannot read CSV: {e}")).at(line));
            }
        };
        let line = record.position().map_or(0, |p| lines.at_in_order(p.byte(), &mut passed));
        if record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace)) {
            continue; // a line of only commas, as spreadsheets export after the last row
        }
        let record = match csv::StringRecord::from_byte_record(record) {
            Ok(record) => record,
            Err(e) => {
                let field = e.utf8_error().field() + 1;
                problems.push(
                    Problem::new(&file, format!("not valid UTF-8 in field {field}; save the export as UTF-8")).at(line),
                );
                continue;
            }
        };
        let extra_filled = record.iter().skip(width).any(|v| !v.trim().is_empty());
        let short = record.len() < width;
        if short && record.iter().skip(1).all(|v| v.trim().is_empty()) && looks_like_footer(&record[0]) {
            problems.push(footer(&file, line, &first_column, &record[0]));
        } else if short || extra_filled {
            let message = format!("expected {width} fields as in the header, found {}", record.len());
            problems.push(Problem::new(&file, message).at(line));
        } else {
            kept.push((line, record));
        }
    }
    raw.records = Some(kept);
    Ok(raw)
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

/// The field separator of a header line: the most frequent of `,` `;` tab `|` outside quotes,
/// `,` when there is none.
fn detect_delimiter(header: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for byte in header {
        if *byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = CANDIDATES.iter().position(|c| c == byte) {
                counts[i] += 1;
            }
        }
    }
    // The first of the most frequent, so a tie goes to the comma.
    let best = (0..4).rev().max_by_key(|i| counts[*i]).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        CANDIDATES[best]
    }
}

fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".into(),
        b';' => "semicolon".into(),
        b',' => "comma".into(),
        b'|' => "pipe".into(),
        other => format!("'{}'", other as char),
    }
}

/// Physical lines of a file: where each line break is, to turn a byte offset into a line.
pub(super) struct Lines {
    breaks: Vec<usize>,
}

impl Lines {
    pub(super) fn of(bytes: &[u8]) -> Lines {
        Lines { breaks: bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect() }
    }

    /// The 1-based line of the record starting at `byte`. A record never starts with a line
    /// break, but the csv crate reports the offset before a CRLF's `\n` (and its own line count
    /// one short), so breaks at the offset itself count too.
    pub(super) fn at(&self, byte: u64) -> u64 {
        let mut start = byte as usize;
        while self.breaks.binary_search(&start).is_ok() {
            start += 1;
        }
        self.breaks.partition_point(|b| *b < start) as u64 + 1
    }

    /// [`Lines::at`] for records read in order: `passed` (the line breaks before the previous
    /// record; 0 at first) only moves forward, so a file's records take one walk over its breaks
    /// instead of two binary searches each (a million accounts: 2 million searches). A record
    /// before the previous one is searched for as by [`Lines::at`].
    pub(super) fn at_in_order(&self, byte: u64, passed: &mut usize) -> u64 {
        let mut start = byte as usize;
        if *passed > 0 && self.breaks[*passed - 1] >= start {
            let line = self.at(byte);
            *passed = line as usize - 1;
            return line;
        }
        loop {
            while self.breaks.get(*passed).is_some_and(|b| *b < start) {
                *passed += 1;
            }
            match self.breaks.get(*passed) == Some(&start) {
                true => start += 1,
                false => return *passed as u64 + 1,
            }
        }
    }
}

/// The first 64 KiB of a file: enough for its header.
fn read_start(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::new();
    File::open(path)?.take(64 * 1024).read_to_end(&mut start)?;
    Ok(start)
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Lines;

    proptest! {
        /// Walking the breaks in order finds every offset's line as the binary search does, on
        /// text of LF and CRLF lines, blank lines among them, for offsets in order and out of it.
        #[test]
        fn lines_in_order_are_the_lines_searched(
            text in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'\n'), Just(b'\r')], 0..200),
            mut offsets in proptest::collection::vec(0u64..220, 0..40),
            sorted in any::<bool>(),
        ) {
            let lines = Lines::of(&text);
            if sorted {
                offsets.sort_unstable();
            }
            let mut passed = 0;
            for byte in offsets {
                prop_assert_eq!(lines.at_in_order(byte, &mut passed), lines.at(byte), "offset {}", byte);
            }
        }
    }
}
