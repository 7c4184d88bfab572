//! The shared table reader: what every input goes through before its own rules. A CSV file
//! ([`super::text`]) or a spreadsheet sheet ([`super::sheet`]) is read into the same [`Raw`]
//! table; its header is then matched to the input's columns by name, alias or `columns.toml`
//! (SPEC §3.5). Rows that are not data (footers, second headers, merged-cell blanks) are named
//! here too.

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use super::raw::{footer, looks_like_footer, Raw};
use super::text::encoding_problem;
use super::{parquet, sheet, text, Found, ReadOptions};
use crate::domain::columns::{self as c, normalise, ColumnNames, Schema};
use crate::error::{Problem, Read, Stop};
use crate::warnings::{edit_distance, Warning};

/// Reads an input's header and, with `with_rows`, its records: a sheet of an `.xlsx` workbook
/// (the sheet named `input`, or a lone one) or a CSV file.
pub(super) fn read_raw(path: &Path, input: &str, with_rows: bool, read: &ReadOptions, found: &mut Found) -> Read<Raw> {
    if sheet::is_workbook(path) {
        sheet::read(path, input, found)
    } else if parquet::is_parquet(path) {
        parquet::read(path, with_rows, found)
    } else {
        text::read(path, with_rows, read, found)
    }
}

/// Whether `path` is read whole as typed cells (a workbook or a Parquet file), not as CSV text.
pub(crate) fn in_cells(path: &Path) -> bool {
    sheet::is_workbook(path) || parquet::is_parquet(path)
}

/// An input with its columns matched: header positions by the SPEC's column names, records with
/// lines.
pub(super) struct Table {
    pub(super) file: String,
    /// The field separator, as given or as detected from the header.
    pub(super) delimiter: u8,
    /// The header's cells as written, as Polars names the columns.
    pub(super) header: Vec<PlSmallStr>,
    /// Each matched column's position, by the column's name in the SPEC.
    pub(super) index: HashMap<String, usize>,
    /// The header's line (0 for a Parquet file's schema).
    header_line: u64,
    pub(super) records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// `raw` with its header matched to `schema` (see [`match_columns`]). Stops on a problem with
    /// the header, and when records were read but there are none.
    pub(super) fn new(raw: Raw, schema: &Schema, read: &ReadOptions, found: &mut Found) -> Read<Table> {
        let index = match_columns(&raw.file, &raw.header, raw.header_line, schema, &read.columns, found)?;
        if let Some(first) = raw.first_column {
            // Messages about a sheet name its cells: columns by their name and by their header.
            let mut columns: HashMap<String, u32> =
                raw.header.iter().enumerate().map(|(i, h)| (h.trim().to_string(), first + i as u32)).collect();
            columns.extend(index.iter().map(|(name, i)| (name.clone(), first + *i as u32)));
            found.problems.locate(&raw.file, columns);
        }
        let mut table = Table {
            header: raw.header.iter().map(|h| PlSmallStr::from(h.as_str())).collect(),
            file: raw.file,
            delimiter: raw.delimiter,
            header_line: raw.header_line,
            index,
            records: Vec::new(),
        };
        if let Some(records) = raw.records {
            table.set_records(records, found)?;
        }
        Ok(table)
    }

    /// The records, read after the header; stops when there are none.
    pub(super) fn set_records(&mut self, records: Vec<(u64, csv::StringRecord)>, found: &mut Found) -> Read<()> {
        if records.is_empty() {
            return found
                .problems
                .stop(Problem::new(&self.file, "no data rows after the header").at(self.header_line + 1));
        }
        self.records = records;
        Ok(())
    }

    /// The header's name of the column matched to `field` (as Polars names it), if one is.
    pub(super) fn column_name(&self, field: &str) -> Option<PlSmallStr> {
        self.index.get(field).and_then(|i| self.header.get(*i)).cloned()
    }

    /// The trimmed value of `column` in `record`, empty when the column is absent.
    pub(super) fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        cell(record, self.index.get(column).copied())
    }
}

/// The trimmed value at `position` in `record`, empty when there is no such column.
pub(super) fn cell(record: &csv::StringRecord, position: Option<usize>) -> &str {
    position.and_then(|i| record.get(i)).map(str::trim).unwrap_or("")
}

/// Reads an input and matches its columns to `schema`.
pub(super) fn read_table(
    path: &Path,
    schema: &Schema,
    with_rows: bool,
    read: &ReadOptions,
    found: &mut Found,
) -> Read<Table> {
    let raw = read_raw(path, schema.table, with_rows, read, found)?;
    Table::new(raw, schema, read, found)
}

/// Which column of the header is each of `schema`'s fields: by `columns.toml`, else by name or
/// alias after normalising (SPEC §3.5). Two columns for one field, a `columns.toml` header that
/// is not there and a missing required column are problems; an unused column that looks like a
/// field is a warning; columns read under another name are noted, so the report says so.
fn match_columns(
    file: &str,
    written: &[String],
    header_line: u64,
    schema: &Schema,
    names: &ColumnNames,
    found: &mut Found,
) -> Read<HashMap<String, usize>> {
    let problems = &mut found.problems;
    let normalised: Vec<String> = written.iter().map(|w| normalise(w)).collect();
    let quoted = |i: usize| format!("\"{}\"", written[i].trim());
    let header_list = || written.iter().map(|w| w.trim()).collect::<Vec<_>>().join(", ");
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in normalised.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        if seen.insert(name, i).is_some() {
            problems.push(Problem::new(file, "column appears twice in the header").at(header_line).column(name));
        }
    }
    // Columns columns.toml claims, then each field's column by name or alias.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut claimed: Vec<usize> = Vec::new();
    for field in schema.fields {
        let Some(header) = names.header(schema.table, field.name) else { continue };
        match normalised.iter().position(|n| *n == normalise(header)) {
            Some(i) => {
                index.insert(field.name.to_string(), i);
                claimed.push(i);
            }
            None => problems.push(
                Problem::new(file, format!("{} maps it to \"{header}\", which is not in the header", names.source))
                    .at(header_line)
                    .column(field.name)
                    .value(format!("found: {}", header_list())),
            ),
        }
    }
    for field in schema.fields.iter().filter(|f| names.header(schema.table, f.name).is_none()) {
        // The column's own name wins over its aliases: a file that has `advisor` means it, and its
        // `owner` column is someone else (as before aliases were read).
        let unclaimed = || (0..written.len()).filter(|i| !claimed.contains(i));
        let mut matching: Vec<usize> = unclaimed().filter(|i| normalised[*i] == field.name).collect();
        let aliased: Vec<usize> = unclaimed().filter(|i| field.aliases.contains(&normalised[*i].as_str())).collect();
        if matching.is_empty() {
            matching = aliased;
        } else if let (Some(&own), false) = (matching.first(), aliased.is_empty()) {
            // Say which one was read, so a wrong guess shows.
            let others: Vec<String> = aliased.iter().map(|&i| quoted(i)).collect();
            found.notes.push(format!(
                "{file}: {} and {} can both be {}; read {} (the column's own name); to read {} instead, name it in \
                 columns.toml ([{}] {} = {})",
                quoted(own),
                others.join(" and "),
                field.name,
                quoted(own),
                others[0],
                schema.table,
                field.name,
                others[0]
            ));
        }
        match matching[..] {
            [] => {}
            [i] => {
                index.insert(field.name.to_string(), i);
            }
            [first, second, ..] if normalised[first] != normalised[second] => problems.push(
                Problem::new(
                    file,
                    format!(
                        "two columns can be {}: {} and {}; keep one, or name it in columns.toml ([{}] {} = {})",
                        field.name,
                        quoted(first),
                        quoted(second),
                        schema.table,
                        field.name,
                        quoted(first)
                    ),
                )
                .at(header_line)
                .column(field.name),
            ),
            [first, ..] => {
                index.insert(field.name.to_string(), first); // the same name twice: reported above
            }
        }
    }
    for field in schema.fields.iter().filter(|f| f.required && !index.contains_key(f.name)) {
        if names.header(schema.table, field.name).is_some() {
            continue; // reported above
        }
        problems.push(
            Problem::new(
                file,
                format!(
                    "required column missing; if the export names it otherwise, add {} = \"its header\" under [{}] in columns.toml",
                    field.name, schema.table
                ),
            )
            .at(header_line)
            .column(field.name)
            .value(format!("found: {}", header_list())),
        );
    }
    if schema.fields.iter().any(|f| f.required && !index.contains_key(f.name)) {
        return Err(Stop::Invalid);
    }

    let renamed: Vec<String> = schema
        .fields
        .iter()
        .filter_map(|f| index.get(f.name).map(|i| (f.name, *i)))
        .filter(|(name, i)| written[*i].trim().to_lowercase() != *name)
        .map(|(name, i)| format!("{name} ← {}", quoted(i)))
        .collect();
    if !renamed.is_empty() {
        found.notes.push(format!("{file}: columns read as {}", renamed.join(", ")));
    }
    let used: Vec<usize> = index.values().copied().collect();
    for i in (0..written.len()).filter(|i| !used.contains(i) && !normalised[*i].is_empty()) {
        let header = normalised[i].as_str();
        let unmapped = schema.fields.iter().filter(|f| !index.contains_key(f.name));
        let closest = unmapped
            .flat_map(|f| std::iter::once(&f.name).chain(f.aliases).map(move |n| (edit_distance(header, n), f, *n)))
            .filter(|(d, _, name)| *d > 0 && name.len() >= 4 && *d <= (name.len() / 5).max(1))
            .min_by_key(|(d, ..)| *d);
        if let Some((_, field, _)) = closest {
            found.warnings.push(Warning::LookAlikeColumn {
                file: file.to_string(),
                header: written[i].trim().to_string(),
                column: field.name,
                table: schema.table,
            });
        }
    }
    Ok(index)
}

/// A row that is not an account: a report footer or note, or a blank id under a merged cell.
pub(super) fn not_data(file: &str, line: u64, id: &str, rest_filled: bool) -> Option<Problem> {
    let problem = |message: &str| Problem::new(file, message).at(line).column(c::ACCOUNT_ID);
    if looks_like_footer(id) {
        return Some(footer(file, line, c::ACCOUNT_ID, id));
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

/// A CSV file's records as text columns, by Polars' parallel reader, each with its 0-based data
/// record (`row`), for the inputs too long to read row by row (arr.csv's careful path,
/// health.csv); and each matched column's name as Polars spells it (the header's own spelling).
pub(super) fn read_text_columns(
    path: &Path,
    table: &Table,
    found: &mut Found,
) -> Read<(DataFrame, HashMap<String, PlSmallStr>)> {
    let reader = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_row_index(Some(RowIndex { name: c::ROW.into(), offset: 0 }))
        .map_parse_options(|o| o.with_separator(table.delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish());
    let raw = match reader {
        Ok(raw) => raw,
        Err(e) => {
            let bytes = std::fs::read(path).unwrap_or_default();
            let problem = encoding_problem(&table.file, &bytes)
                .unwrap_or_else(|| Problem::new(&table.file, format!("cannot read CSV: {e}")));
            return found.problems.stop(problem);
        }
    };
    // Each matched column by its position in the header (after the row index).
    let names = table
        .index
        .iter()
        .filter_map(|(name, i)| Some((name.clone(), raw.columns().get(i + 1)?.name().clone())))
        .collect();
    Ok((raw, names))
}
