//! Resolved configuration: paths filled in from `--data`, the targets loaded and validated.

use std::path::PathBuf;

use crate::amounts::Decimal;
use crate::cli::{InputArgs, ScoreArgs};
use crate::error::InvalidInput;
use crate::load::{InputPaths, ReadOptions};
use crate::period::Quarter;
use crate::report::Format;
use crate::targets::Targets;

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
    pub fn from_cli(args: InputArgs) -> Result<InputConfig, InvalidInput> {
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
    pub fn from_cli(args: ScoreArgs) -> Result<ScoreConfig, InvalidInput> {
        let mut formats = args.format;
        formats.dedup();
        crate::write::check_out_folder(&args.out, args.force)?;
        Ok(ScoreConfig { input: InputConfig::from_cli(args.input)?, out: args.out, formats, force: args.force })
    }
}
