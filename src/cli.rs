//! The command line as clap sees it: flags only, no logic (see [`crate::config`]).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::period::Quarter;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(name = "ta-scorecard", version, about = "Quarterly book-of-business scorecards for Technical Advisors")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every advisor's book for a quarter and write the scorecards.
    Score(ScoreArgs),
    /// Check the exports without writing anything: every problem, grouped by file and counted by kind.
    Validate(ValidateArgs),
    /// One advisor's scorecard in the terminal: where they stand, what it would take, the path to the next level.
    Show(ShowArgs),
    /// Print the career framework in force: levels, targets, scope and behaviours.
    Targets(TargetsArgs),
    /// Write synthetic exports of any size (for benchmarks and demos), deterministic for a seed.
    Generate(GenerateArgs),
    /// The benchmark's floor: read arr.csv with the same Polars reader and sum its ARR column.
    #[command(hide = true)]
    Floor {
        #[arg(long, value_name = "FILE")]
        arr: PathBuf,
    },
}

/// Where the inputs are, shared by every command that reads them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Folder holding accounts.csv, arr.csv and advisors.csv.
    #[arg(long, value_name = "DIR", default_value = "samples")]
    pub data: PathBuf,
    /// accounts.csv to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// arr.csv (monthly ARR) to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub arr: Option<PathBuf>,
    /// advisors.csv (the roster) to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub advisors: Option<PathBuf>,
    /// Targets TOML file (or a folder holding targets.toml) replacing the built-in framework.
    #[arg(long, value_name = "PATH")]
    pub targets: Option<PathBuf>,
    /// Quarter to evaluate, like 2026-Q3 [default: the latest quarter arr.csv covers].
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: Option<Quarter>,
    /// Treat every data-quality warning as an error.
    #[arg(long)]
    pub strict: bool,
    /// Field separator of the CSV files, e.g. ';'.
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = delimiter)]
    pub delimiter: char,
    /// Amounts use a decimal comma: 1.234,50 or 1 234,50.
    #[arg(long)]
    pub decimal_comma: bool,
    /// Format of dates that are not ISO, in chrono's notation, e.g. '%m/%d/%Y' for 9/30/2026.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// How many problems of one file are listed before the rest are only counted.
    #[arg(long, value_name = "N", default_value_t = crate::error::MAX_PROBLEMS_PER_FILE)]
    pub max_problems: usize,
}

/// A single ASCII character other than a quote or a line break.
fn delimiter(text: &str) -> Result<char, String> {
    let text = if text == "\\t" { "\t" } else { text };
    match text.chars().collect::<Vec<_>>()[..] {
        [c] if c.is_ascii() && !matches!(c, '"' | '\n' | '\r') => Ok(c),
        _ => Err(format!("expected one character such as ';' or '\\t', got '{text}'")),
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The advisor's name: any case, and a unique start of the name is enough.
    pub advisor: String,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the advisor's scorecard record as JSON instead.
    #[arg(long)]
    pub json: bool,
    /// Colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: crate::show::ColorChoice,
}

#[derive(Debug, Args)]
pub struct TargetsArgs {
    /// Targets TOML file (or a folder holding targets.toml) instead of the built-in framework.
    #[arg(long, value_name = "PATH")]
    pub targets: Option<PathBuf>,
    /// Print one level in full, e.g. IC3.
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of accounts.
    #[arg(long, default_value_t = 10_000)]
    pub accounts: usize,
    /// Months of ARR history.
    #[arg(long, default_value_t = 36)]
    pub months: u32,
    /// Number of advisors on the roster.
    #[arg(long, default_value_t = 50)]
    pub advisors: usize,
    /// Seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The quarter whose last month is the last month of the data.
    #[arg(long, default_value = "2026-Q3", value_name = "YYYY-Qn")]
    pub end: Quarter,
    /// Folder the three files are written to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder the scorecards are written to.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Outputs to write, comma-separated.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "csv,json,md,html")]
    pub format: Vec<Format>,
    /// Replace --out even when it holds files ta-scorecard did not write.
    #[arg(long)]
    pub force: bool,
}
