//! Resolved configuration: paths filled in from `--data`, the targets loaded and validated.

use std::path::PathBuf;

use crate::amounts::Decimal;
use crate::cli::{InputArgs, ScoreArgs};
use crate::error::InvalidInput;
use crate::period::Quarter;
use crate::report::Format;
use crate::targets::Targets;

/// Where the three input files are.
#[derive(Clone, Debug)]
pub struct InputPaths {
    /// accounts.csv: one row per account.
    pub accounts: PathBuf,
    /// arr.csv: monthly ARR snapshots.
    pub arr: PathBuf,
    /// advisors.csv: the roster.
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

/// What every command that reads the inputs needs.
pub struct InputConfig {
    pub paths: InputPaths,
    pub targets: Targets,
    pub quarter: Option<Quarter>,
    pub strict: bool,
    pub max_problems: usize,
    pub read: ReadOptions,
}

impl InputConfig {
    pub(crate) fn from_cli(args: InputArgs) -> Result<InputConfig, InvalidInput> {
        let in_data = |name: &str| args.data.join(name);
        Ok(InputConfig {
            paths: InputPaths {
                accounts: args.accounts.unwrap_or_else(|| in_data("accounts.csv")),
                arr: args.arr.unwrap_or_else(|| in_data("arr.csv")),
                advisors: args.advisors.unwrap_or_else(|| in_data("advisors.csv")),
            },
            targets: Targets::load(args.targets.as_deref())?,
            quarter: args.quarter,
            strict: args.strict,
            max_problems: args.max_problems,
            read: ReadOptions {
                delimiter: args.delimiter as u8,
                decimal: if args.decimal_comma { Decimal::Comma } else { Decimal::Point },
                date_format: args.date_format,
            },
        })
    }
}

pub struct ScoreConfig {
    pub input: InputConfig,
    pub out: PathBuf,
    pub formats: Vec<Format>,
    pub force: bool,
}

impl ScoreConfig {
    pub(crate) fn from_cli(args: ScoreArgs) -> Result<ScoreConfig, InvalidInput> {
        let mut formats = args.format;
        formats.dedup();
        crate::write::check_out_folder(&args.out, args.force)?;
        Ok(ScoreConfig { input: InputConfig::from_cli(args.input)?, out: args.out, formats, force: args.force })
    }
}
