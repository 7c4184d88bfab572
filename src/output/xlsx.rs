//! scorecards.xlsx: the data files as a workbook a manager opens in a spreadsheet, numbers as
//! numbers. Sheets Scorecards, Accounts, Trend, Team, Transfers (with ownership history) and
//! Columns, which says what each column holds. Ratios carry a percent format, health one
//! decimal, money separators; statuses are filled by status and keep their word; text from the
//! inputs is written as text, so a spreadsheet never runs it as a formula.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::domain::modes::OwnershipMode;
use crate::model::{Report, RollupKind, Status};
use crate::output::rows::{self, column, Cell, Column};
use crate::output::view;

/// Data rows on one sheet: Excel's 1,048,576 rows less the header. A longer Accounts sheet
/// continues on `Accounts (2)`, and so on.
const ROWS_PER_SHEET: usize = 1_048_575;

/// The formats of the workbook, made once.
struct Formats {
    header: Format,
    money: Format,
    ratio: Format,
    score: Format,
    meets: Format,
    near: Format,
    below: Format,
    not_applicable: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |color: u32| Format::new().set_background_color(color);
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(0xECEFF1)
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap(),
            money: Format::new().set_num_format("#,##0.00"),
            ratio: Format::new().set_num_format("0.0%"),
            score: Format::new().set_num_format("0.0"),
            meets: fill(0xC8E6C9),
            near: fill(0xFFE0B2),
            below: fill(0xFFCDD2),
            not_applicable: fill(0xECEFF1),
            wrap: Format::new().set_text_wrap(),
        }
    }

    fn status(&self, status: Status) -> &Format {
        match status {
            Status::Meets => &self.meets,
            Status::Near => &self.near,
            Status::Below => &self.below,
            Status::NotApplicable => &self.not_applicable,
        }
    }
}

/// Writes one typed cell; a null is left blank.
fn write(sheet: &mut Worksheet, f: &Formats, row: u32, col: u16, cell: &Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(None) | Cell::Count(None) | Cell::Money(None) | Cell::Ratio(None) | Cell::Score(None) => {}
        Cell::Text(Some(text)) | Cell::Plain(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Count(Some(n)) => {
            sheet.write_number(row, col, *n as f64)?;
        }
        Cell::Money(Some(v)) | Cell::Ratio(Some(v)) | Cell::Score(Some(v)) => {
            match number_format(f, cell) {
                Some(format) => sheet.write_number_with_format(row, col, *v, format)?,
                None => sheet.write_number(row, col, *v)?,
            };
        }
        Cell::Status(status) => {
            sheet.write_string_with_format(row, col, status.as_str(), f.status(*status))?;
        }
        Cell::Bool(b) => {
            sheet.write_boolean(row, col, *b)?;
        }
    }
    Ok(())
}

/// The number format of a money, ratio or score cell.
fn number_format<'f>(f: &'f Formats, cell: &Cell) -> Option<&'f Format> {
    match cell {
        Cell::Money(_) => Some(&f.money),
        Cell::Ratio(_) => Some(&f.ratio),
        Cell::Score(_) => Some(&f.score),
        _ => None,
    }
}

/// A sheet's header row, frozen with the first column, and a filter over `rows` data rows.
fn header(sheet: &mut Worksheet, f: &Formats, labels: &[&str], rows: usize) -> Result<(), XlsxError> {
    for (c, label) in labels.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *label, &f.header)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofilter(0, 0, rows as u32, labels.len().saturating_sub(1) as u16)?;
    Ok(())
}

/// A sheet of typed rows: header, rows, then widths fitted to the contents.
fn table(
    workbook: &mut Workbook,
    f: &Formats,
    name: &str,
    labels: &[&str],
    rows: impl ExactSizeIterator<Item = Vec<Cell>>,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    header(sheet, f, labels, rows.len())?;
    for (r, row) in rows.enumerate() {
        for (c, cell) in row.iter().enumerate() {
            write(sheet, f, r as u32 + 1, c as u16, cell)?;
        }
    }
    sheet.set_autofit_max_width(280).autofit();
    Ok(())
}

fn labels(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.label).collect()
}

/// What the Scorecards and Team sheets add to the CSV's columns (issue 17: informational).
const LOGO_RETENTION: Column = column("logo_retention", "Logo retention", "Cohort accounts still active at the end of the window, over cohort accounts (informational; not in scorecards.csv).");

const TREND: [Column; 15] = [
    column("advisor", "Advisor", "The advisor."),
    column("quarter", "Quarter", "A quarter end of the trend, newest first."),
    column("as_of_month", "As of", "Its last month."),
    column("ndr", "NDR", "NDR of the window ending then."),
    column("grr", "GRR", "GRR of that window."),
    column("health_avg", "Health", "Mean health of the active accounts then."),
    column("ndr_status", "NDR status", "Against the advisor's level today."),
    column("grr_status", "GRR status", "Against the advisor's level today."),
    column("health_status", "Health status", "Against the advisor's level today."),
    column("overall_status", "Overall", "The worst of the three; n/a without NDR."),
    column("start_arr", "Start ARR", "The cohort's ARR at that window's start."),
    column("end_arr", "End ARR", "The cohort's ARR at that window's end."),
    column("arr_active", "Active ARR", "ARR of the active accounts then."),
    column("ndr_avg4", "NDR annual average", "The mean of the 12-month NDR then and at the three quarter ends before."),
    column("grr_avg4", "GRR annual average", "The same mean of the 12-month GRR."),
];

const TEAM: [Column; 15] = [
    column("rollup", "Roll-up", "The whole team, or one manager's advisors."),
    column("advisors", "Advisors", "Advisors with a level in it."),
    column("accounts_active", "Active accounts", "As on Scorecards, over the union of the books."),
    column("arr_active", "Active ARR", "As on Scorecards, summed."),
    column("cohort_accounts", "Cohort accounts", "As on Scorecards, summed."),
    column("start_arr", "Start ARR", "As on Scorecards, summed."),
    column("end_arr", "End ARR", "As on Scorecards, summed."),
    column("expansion_arr", "Expansion", "As on Scorecards, summed."),
    column("contraction_arr", "Contraction", "As on Scorecards, summed."),
    column("churned_arr", "Churn", "As on Scorecards, summed."),
    column("new_arr", "New ARR", "As on Scorecards, summed."),
    column("ndr", "NDR", "Over the union of the books: not an average of ratios."),
    column("grr", "GRR", "Over the union of the books."),
    column("health_avg", "Health", "Mean health over the union of the active accounts."),
    LOGO_RETENTION,
];

/// scorecards.xlsx as bytes.
pub(crate) fn workbook(report: &Report) -> anyhow::Result<Vec<u8>> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    // Excel's own level: about a third faster to save than the default 6, for a file about 15%
    // larger (1M accounts: 93 MB -> 108 MB, with the Accounts sheet's formats by column).
    workbook.set_zip_compression_level(3);

    let mut scorecard_labels = labels(&rows::SCORECARD);
    scorecard_labels.push(LOGO_RETENTION.label);
    let scorecards = report.scorecards.iter().map(|s| {
        let mut row = rows::scorecard(s);
        row.push(Cell::Ratio(s.metrics.logo_retention));
        row
    });
    table(&mut workbook, &f, "Scorecards", &scorecard_labels, scorecards)?;

    accounts(&mut workbook, &f, report)?;

    let trend = report.scorecards.iter().flat_map(|s| {
        s.trend.iter().map(|t| {
            let m = &t.metrics;
            vec![
                Cell::Text(Some(s.advisor.clone())),
                Cell::Plain(t.quarter.clone()),
                Cell::Plain(t.as_of_month.clone()),
                Cell::Ratio(m.ndr),
                Cell::Ratio(m.grr),
                Cell::Score(m.health_avg),
                Cell::Status(t.ndr_status),
                Cell::Status(t.grr_status),
                Cell::Status(t.health_status),
                Cell::Status(t.overall_status),
                Cell::Money(m.start_arr),
                Cell::Money(m.end_arr),
                Cell::Money(m.arr_active),
                Cell::Ratio(t.ndr_avg4),
                Cell::Ratio(t.grr_avg4),
            ]
        })
    });
    let trend: Vec<Vec<Cell>> = trend.collect();
    table(&mut workbook, &f, "Trend", &labels(&TREND), trend.into_iter())?;

    let team = report.rollups.iter().map(|r| {
        let name = match r.kind {
            RollupKind::Team => "Whole team".to_string(),
            RollupKind::Manager => format!("Manager: {}", r.name),
        };
        let mut row = vec![Cell::Text(Some(name)), Cell::Count(Some(r.advisors))];
        row.extend(rows::window(&r.metrics));
        row.push(Cell::Ratio(r.metrics.logo_retention));
        row
    });
    table(&mut workbook, &f, "Team", &labels(&TEAM), team)?;

    let forecast = report.scorecards.iter().map(|s| rows::forecast(s, &report.forecast));
    table(&mut workbook, &f, "Forecast", &labels(&rows::FORECAST), forecast)?;

    match report.ownership {
        OwnershipMode::History => {
            let transfers = report.transfers().iter().map(rows::transfer);
            table(&mut workbook, &f, "Transfers", &labels(&rows::TRANSFER), transfers)?;
        }
        OwnershipMode::Fixed => {}
    }

    columns(&mut workbook, &f, report)?;
    Ok(workbook.save_to_buffer()?)
}

/// The accounts, on as many sheets as Excel's row limit needs, written row by row without
/// holding the sheet in memory (a book can have a million accounts).
fn accounts(workbook: &mut Workbook, f: &Formats, report: &Report) -> Result<(), XlsxError> {
    let columns = rows::account_columns(report.ownership);
    let chunks: Vec<&[crate::model::AccountRow]> =
        if report.accounts.is_empty() { vec![&[]] } else { report.accounts.chunks(ROWS_PER_SHEET).collect() };
    for (i, chunk) in chunks.into_iter().enumerate() {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(if i == 0 { "Accounts".to_string() } else { format!("Accounts ({})", i + 1) })?;
        // Widths come first: in constant memory a row is gone once the next one is written.
        for (c, column) in columns.iter().enumerate() {
            sheet.set_column_width(c as u16, column.label.len().clamp(10, 24) as f64 + 2.0)?;
        }
        // A column of money, ratios or scores takes its number format once, as the column's, and
        // its cells are written without one: Excel shows them alike, and no format is looked up
        // for each of a million accounts' cells.
        // Every account's row has the same kind of cell in a column, so the first row's say which.
        let kinds = chunk.first().map(|account| rows::account(account, report.ownership)).unwrap_or_default();
        for (c, cell) in kinds.iter().enumerate() {
            if let Some(format) = number_format(f, cell) {
                sheet.set_column_format(c as u16, format)?;
            }
        }
        let labels: Vec<&str> = columns.iter().map(|c| c.label).collect();
        header(sheet, f, &labels, chunk.len())?;
        for (r, account) in chunk.iter().enumerate() {
            let row = r as u32 + 1;
            for (c, cell) in rows::account(account, report.ownership).iter().enumerate() {
                match cell {
                    Cell::Money(Some(v)) | Cell::Ratio(Some(v)) | Cell::Score(Some(v)) => {
                        sheet.write_number(row, c as u16, *v)?;
                    }
                    _ => write(sheet, f, row, c as u16, cell)?,
                }
            }
        }
    }
    Ok(())
}

/// The Columns sheet: each sheet's columns, their CSV names and what they hold.
fn columns(workbook: &mut Workbook, f: &Formats, report: &Report) -> Result<(), XlsxError> {
    let mut sheets: Vec<(&str, Vec<&Column>)> = vec![
        ("Scorecards", rows::SCORECARD.iter().chain([&LOGO_RETENTION]).collect()),
        ("Accounts", rows::account_columns(report.ownership)),
        ("Trend", TREND.iter().collect()),
        ("Team", TEAM.iter().collect()),
        ("Forecast", rows::FORECAST.iter().collect()),
    ];
    match report.ownership {
        OwnershipMode::History => sheets.push(("Transfers", rows::TRANSFER.iter().collect())),
        OwnershipMode::Fixed => {}
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Columns")?;
    let count: usize = sheets.iter().map(|(_, c)| c.len()).sum();
    header(sheet, f, &["Sheet", "Column", "In the CSV", "What it holds"], count)?;
    let mut r = 1;
    for (name, columns) in &sheets {
        for column in columns {
            sheet.write_string(r, 0, *name)?;
            sheet.write_string(r, 1, column.label)?;
            sheet.write_string(r, 2, column.name)?;
            sheet.write_string_with_format(r, 3, column.meaning, &f.wrap)?;
            r += 1;
        }
    }
    sheet.set_column_width(0, 12)?.set_column_width(1, 24)?.set_column_width(2, 28)?.set_column_width(3, 90)?;
    let amounts = format!("Amounts are in {} at the quarter end's exchange rates.", report.currency);
    sheet.write_string(r + 1, 0, amounts)?;
    sheet.write_string_with_format(r + 3, 0, view::DEFINITIONS_HEADING, &f.header)?;
    for (k, line) in view::definitions(report).iter().enumerate() {
        sheet.write_string(r + 4 + k as u32, 0, line)?;
    }
    Ok(())
}
