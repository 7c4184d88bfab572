//! What both readers of an input produce, a CSV file ([`super::text`]) or a spreadsheet's sheet
//! ([`super::sheet`]): the [`Raw`] table before its columns are matched, and the rows that are a
//! report's footer rather than data.

use crate::error::Problem;

/// Cells that are a report's footer or note rather than data.
const FOOTER_STARTS: [&str; 9] =
    ["grand total", "total", "subtotal", "confidential", "generated", "report ", "page ", "copyright", "©"];

pub(super) fn looks_like_footer(cell: &str) -> bool {
    let cell = cell.trim();
    FOOTER_STARTS.iter().any(|start| cell.get(..start.len()).is_some_and(|head| head.eq_ignore_ascii_case(start)))
}

/// An input as read, before its columns are matched.
pub(super) struct Raw {
    /// The file as messages name it: `accounts.csv`, or `book.xlsx[accounts]` for a sheet.
    pub(super) file: String,
    /// The field separator of a CSV file, as given or detected.
    pub(super) delimiter: u8,
    /// The header's cells as written (a leading BOM removed).
    pub(super) header: Vec<String>,
    /// The header's line (a sheet's header may be lower than its first row).
    pub(super) header_line: u64,
    /// Every data record with its line; `None` when only the header was read.
    pub(super) records: Option<Vec<(u64, csv::StringRecord)>>,
    /// A sheet's first column (0 = A), so messages can name cells; `None` for a CSV file.
    pub(super) first_column: Option<u32>,
}

/// A report's footer or note (`Grand Totals (148 records)`, `Confidential`) where data should be.
pub(super) fn footer(file: &str, line: u64, column: &str, cell: &str) -> Problem {
    Problem::new(file, "looks like a report footer or note, not data: export the data without totals or footers")
        .at(line)
        .column(column)
        .value(cell.trim())
}
