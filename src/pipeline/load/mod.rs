//! The load stage: the exports (SPEC §3, §9–§11) read into validated frames, then checked for
//! data quality. [`table`] is the reader every file shares (header matched to columns, rows that
//! are not data); [`text`] and [`sheet`] read CSV files and spreadsheets into the same [`raw`]
//! table. Each input has its own file with its own rules: [`accounts`], [`arr`] (its own folder:
//! the layout, a fast path for clean exports, a careful path that names every bad row, the wide
//! layout), [`roster`], [`rates`], [`health`], [`ownership`]; [`currencies`] chooses the
//! reporting currency; [`owners`] resolves owners written as e-mail addresses; [`checks`] finds
//! what is suspicious in inputs that loaded; [`options`] is what load is asked to read.
//!
//! Problems travel one way (see [`crate::error`]): every reader adds what it finds to one
//! [`Problems`] collector and reads on while it can; a reader returns `Err(Stop::Invalid)` when
//! the input stops it, and `load` reports the problems of every file together.

mod accounts;
mod arr;
mod checks;
mod currencies;
pub(crate) mod health;
mod options;
mod owners;
mod ownership;
mod parquet;
mod rates;
mod raw;
mod roster;
mod sheet;
mod table;
mod text;

use std::path::Path;

use polars::prelude::*;

#[cfg(test)]
pub(crate) use arr::sum_account_months;
pub(crate) use arr::{pack, PACKED};
#[cfg(test)]
pub(crate) use currencies::resolve as resolve_currencies;
pub use options::{InputPaths, ReadOptions};
pub(crate) use sheet::{has_sheet, is_workbook};
pub(crate) use table::in_cells;

use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::fx::{Currencies, Rates};
use crate::domain::ledger::Ledger;
use crate::domain::targets::Targets;
use crate::error::Problems;
use crate::timing;
use crate::warnings::Warning;

/// The validated inputs of a run.
/// What reading the inputs finds besides their data: problems, which stop the run, and
/// warnings and notes, which the report shows.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) problems: Problems,
    pub(crate) warnings: Vec<Warning>,
    /// What was read beyond the plain format (other column names, decorated amounts, dates).
    pub(crate) notes: Vec<String>,
}

#[derive(Clone)]
pub(crate) struct Inputs {
    /// One row per account: `account_id`, `key`, `account_name`, `advisor` (null = unassigned),
    /// `segment_crm`, `employees`, `ela`, `health_score`, `renewal_date`.
    pub(crate) accounts: DataFrame,
    /// `ARR(a, m)`: `key`, `month` and `arr`, one row per account and month present in arr.csv,
    /// duplicates summed. Sorted by account then month (later stages read the month before by a
    /// shift).
    pub(crate) arr: DataFrame,
    pub(crate) roster: Vec<RosterEntry>,
    pub(crate) first_month: Month,
    pub(crate) last_month: Month,
    /// Data rows read from arr.csv, before summing rows of the same account and month.
    pub(crate) arr_rows_read: usize,
    /// What was accepted beyond the plain format, to say so in the report.
    pub(crate) notes: Vec<String>,
    /// The reporting currency, each account's currency and the rates (SPEC §10).
    pub(crate) currencies: Currencies,
    /// health.csv (SPEC §11): `key`, `month`, `health_score`, sorted by account then month;
    /// `None` without one (accounts.csv's current score then stands for every quarter end).
    pub(crate) health: Option<DataFrame>,
    /// ownership.csv (SPEC §9); `None` without one (every account is its accounts.csv advisor's
    /// in every month).
    pub(crate) ownership: Option<Ledger>,
}

impl Inputs {
    /// The length of a column indexed by account key: the largest key and one.
    pub(crate) fn slots(&self) -> PolarsResult<usize> {
        Ok(self.accounts.column(c::KEY)?.u32()?.max().map_or(0, |max| max as usize + 1))
    }
}

/// One advisor of advisors.csv.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RosterEntry {
    pub(crate) advisor: String,
    /// The level's name as the targets spell it.
    pub(crate) level: String,
    pub(crate) manager: Option<String>,
    /// The advisor's e-mail address: owners written as it (any case) are this advisor.
    pub(crate) email: Option<String>,
}

/// An input's stage as `TA_SCORECARD_TIMINGS` names it: the input and its file's kind
/// (`arr.csv`, `arr.parquet`, `arr.xlsx`), so a Parquet or workbook run is not labelled as CSV.
fn stage(input: &str, path: Option<&Path>) -> String {
    let kind = path.and_then(|path| path.extension()).and_then(|kind| kind.to_str()).unwrap_or("csv");
    format!("{input}.{}", kind.to_ascii_lowercase())
}

/// Reads and checks all the files, reporting the problems of all of them together, resolves the
/// reporting currency (`currency` is `--currency`), then checks the data's quality: findings
/// that do not stop a run but that a manager should see.
pub(crate) fn load(
    paths: &InputPaths,
    targets: &Targets,
    read: &ReadOptions,
    currency: Option<&str>,
) -> anyhow::Result<(Inputs, Vec<Warning>)> {
    let mut found = Found::default();
    let accounts = Problems::settle(accounts::read(&paths.accounts, read, &mut found))?;
    timing::done(&stage("accounts", Some(&paths.accounts)));
    let roster = Problems::settle(roster::read(&paths.advisors, targets, read, &mut found))?;
    timing::done(&stage("advisors", Some(&paths.advisors)));
    let accounts = match (accounts, &roster) {
        (Some(accounts), Some(roster)) => Problems::settle(owners::resolve(accounts, roster, paths, &mut found))?,
        (accounts, _) => accounts,
    };
    let known = accounts.as_ref().map(|a| a.select([c::ACCOUNT_ID, c::KEY])).transpose()?;
    let known = known.as_ref().map(|ids| arr::Known::new(ids, paths.accounts.display().to_string()));
    let arr = Problems::settle(arr::read(&paths.arr, known.as_ref(), read, &mut found))?;
    timing::done(&stage("arr", Some(&paths.arr)));
    let health = match (&paths.health, known.as_ref()) {
        (Some(path), Some(known)) => Problems::settle(health::read(path, known, read, &mut found))?.map(Some),
        (Some(_), None) => None, // accounts.csv did not load: its problems say why
        (None, _) => Some(None),
    };
    timing::done(&stage("health", paths.health.as_deref()));
    let ownership = match (&paths.ownership, &accounts, &roster, &arr) {
        (Some(path), Some(accounts), Some(roster), Some(arr)) => {
            let file = paths.accounts.display().to_string();
            let ledger = ownership::read(path, accounts, &file, roster, arr.last_month, read, &mut found);
            Problems::settle(ledger)?.map(Some)
        }
        (Some(_), ..) => None, // an input it depends on did not load: its problems say why
        (None, ..) => Some(None),
    };
    timing::done(&stage("ownership", paths.ownership.as_deref()));
    let rates = match &paths.rates {
        Some(path) => Problems::settle(rates::read(path, read, &mut found))?,
        None => Some(Rates::default()),
    };
    let currencies = match (&arr, rates, &accounts) {
        (Some(arr), Some(rates), Some(accounts)) => {
            let slots = accounts.height();
            let arr_file = paths.arr.display().to_string();
            let resolved =
                currencies::resolve(currency, arr.named.clone(), rates, &arr_file, slots, &mut found.problems);
            Problems::settle(resolved)?
        }
        _ => None,
    };
    let Found { problems, mut warnings, notes } = found;
    problems.finish()?;
    let (Some(accounts), Some(roster), Some(arr), Some(currencies), Some(health), Some(ownership)) =
        (accounts, roster, arr, currencies, health, ownership)
    else {
        anyhow::bail!("an input stopped loading without a problem to say why: this is a bug, please report it");
    };
    let arr_months = arr.months;
    let inputs = Inputs {
        accounts,
        roster,
        first_month: arr.first_month,
        last_month: arr.last_month,
        arr_rows_read: arr.rows_read,
        arr: arr.summed,
        notes,
        currencies,
        health,
        ownership,
    };
    warnings.extend(checks::check(&inputs, &arr_months)?);
    timing::done("quality checks");
    Ok((inputs, warnings))
}
