//! What the load stage is asked to read: where the input files are ([`InputPaths`]) and how the
//! exports are written ([`ReadOptions`]), as the configuration resolved them from the flags.

use std::path::{Path, PathBuf};

use crate::domain::columns::ColumnNames;
use crate::domain::money::Decimal;

/// Where the three input files are.
#[derive(Clone, Debug)]
pub struct InputPaths {
    /// accounts.csv: one row per account.
    pub accounts: PathBuf,
    /// arr.csv: monthly ARR snapshots.
    pub arr: PathBuf,
    /// advisors.csv: the roster.
    pub advisors: PathBuf,
    /// rates.csv: exchange rates (SPEC §10), when there is one.
    pub rates: Option<PathBuf>,
    /// health.csv: health scores over time (SPEC §11), when there is one.
    pub health: Option<PathBuf>,
    /// ownership.csv: who owned each account when (SPEC §9), when there is one.
    pub ownership: Option<PathBuf>,
}

impl InputPaths {
    /// Every input file, the optional ones when there are.
    pub(crate) fn all(&self) -> Vec<&Path> {
        let optional = [&self.rates, &self.health, &self.ownership];
        let mut all = vec![self.accounts.as_path(), self.arr.as_path(), self.advisors.as_path()];
        all.extend(optional.into_iter().flatten().map(PathBuf::as_path));
        all
    }
}

/// How the exports are written: the flags every command that reads them shares.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// `--delimiter`: the field separator of every file; `None` detects each file's from its header.
    pub delimiter: Option<u8>,
    /// `--decimal-comma`: `1.234,50` and `1 234,50`.
    pub decimal: Decimal,
    /// `--date-format`: chrono format of dates that are not ISO, e.g. `%m/%d/%Y`.
    pub date_format: Option<String>,
    /// A team's own column names (`columns.toml`); empty without one.
    pub columns: ColumnNames,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { delimiter: None, decimal: Decimal::Point, date_format: None, columns: ColumnNames::default() }
    }
}
