//! rates.csv (SPEC §10): exchange rates into the reporting currency, one row per month and
//! pair, checked row by row (the file is small) and reported with lines like every input.

use std::collections::HashMap;
use std::path::Path;

use super::table::read_table;
use super::Found;
use super::ReadOptions;
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::fx::Rates;
use crate::domain::money::{self, parse_text};
use crate::error::{Problem, Read};

/// rates.csv: a month that parses, two ISO 4217 codes, a rate above 0, each pair once a month.
pub(super) fn read(path: &Path, read: &ReadOptions, found: &mut Found) -> Read<Rates> {
    let table = read_table(path, &c::RATES, true, read, found)?;
    let problems = &mut found.problems;
    let before = problems.len();
    let mut rates = Rates { file: Some(table.file.clone()), ..Rates::default() };
    let mut seen: HashMap<(String, String, Month), u64> = HashMap::new();
    for (line, record) in &table.records {
        let at = |column: &str, message: &str, value: &str| {
            Problem::new(&table.file, message).at(*line).column(column).value(value)
        };
        let month_text = table.get(record, c::MONTH);
        let month = Month::parse_with(month_text, read.date_format.as_deref());
        if month_text.is_empty() {
            problems.push(Problem::new(&table.file, "missing").at(*line).column(c::MONTH));
        } else if month.is_none() {
            problems.push(at(c::MONTH, "not a month, expected YYYY-MM or YYYY-MM-DD", month_text));
        }
        let mut code = |column: &str| {
            let text = table.get(record, column);
            let code = text.to_uppercase();
            if text.is_empty() {
                problems.push(Problem::new(&table.file, "missing").at(*line).column(column));
                None
            } else if !money::is_code(&code) {
                problems.push(at(column, "not an ISO 4217 currency code (like USD, EUR, GBP)", text));
                None
            } else {
                Some(code)
            }
        };
        let (from, to) = (code(c::FROM), code(c::TO));
        let rate_text = table.get(record, c::RATE);
        let rate = parse_text(rate_text, read.decimal);
        match rate {
            _ if rate_text.is_empty() => problems.push(Problem::new(&table.file, "missing").at(*line).column(c::RATE)),
            None => problems.push(at(c::RATE, "not a number", rate_text)),
            Some(r) if r <= 0.0 => problems.push(at(c::RATE, "a rate must be above 0", rate_text)),
            Some(_) => {}
        }
        let (Some(month), Some(from), Some(to), Some(rate)) = (month, from, to, rate.filter(|r| *r > 0.0)) else {
            continue;
        };
        if let Some(first) = seen.insert((from.clone(), to.clone(), month), *line) {
            problems.push(at(
                c::MONTH,
                &format!("a second rate from {from} to {to} for {month}, first on line {first}"),
                month_text,
            ));
            continue;
        }
        rates.pairs.entry((from, to)).or_default().insert(month, rate);
    }
    problems.stop_if_any_since(before)?;
    Ok(rates)
}
