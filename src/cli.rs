//! The command line as clap sees it: flags only, no logic (see [`crate::config`]).

use std::path::PathBuf;

use std::io::IsTerminal;

use clap::{Args, Parser, Subcommand};

use crate::domain::calendar::QuarterText;
use crate::output::Format;

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
    /// Propose the hand-overs that make every book fit its advisor's level, moving as little as
    /// possible, and write them as ownership rows for the next quarter.
    Plan(PlanArgs),
    /// What changed between two runs (a restatement or two quarters): statuses, metrics,
    /// readiness, advisors added or gone, and which inputs differ.
    Compare(CompareArgs),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `ta-scorecard man > ta-scorecard.1`.
    Man,
}

/// `completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `compare OLD NEW`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier run: its scorecards.json, or the folder `score` wrote it to.
    pub old: PathBuf,
    /// The later run, the same way.
    pub new: PathBuf,
    /// Write the comparison as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Where the inputs are, shared by every command that reads them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Folder holding accounts.csv, arr.csv and advisors.csv.
    /// [default: samples, the bundled samples, when run from the project]
    #[arg(long, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    /// accounts.csv to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) accounts: Option<PathBuf>,
    /// arr.csv (monthly ARR) to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) arr: Option<PathBuf>,
    /// advisors.csv (the roster) to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) advisors: Option<PathBuf>,
    /// rates.csv (exchange rates: month, from, to, rate) to use instead of the one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) rates: Option<PathBuf>,
    /// health.csv (health scores over time: account_id, month, health_score) to use instead of the
    /// one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) health: Option<PathBuf>,
    /// ownership.csv (who owned each account when: account_id, advisor, from) to use instead of
    /// the one in --data.
    #[arg(long, value_name = "FILE")]
    pub(crate) ownership: Option<PathBuf>,
    /// Currency to report in, as an ISO code like EUR [default: rates.csv's target currency, else
    /// arr.csv's only currency, else USD].
    #[arg(long, value_name = "CODE", value_parser = currency_code)]
    pub(crate) currency: Option<String>,
    /// Targets TOML file (or a folder holding targets.toml) replacing the built-in framework.
    #[arg(long, value_name = "PATH")]
    pub(crate) targets: Option<PathBuf>,
    /// Quarter to evaluate, like 2026-Q3, or FY2027-Q1 when the targets set a fiscal year
    /// [default: the latest quarter arr.csv covers].
    #[arg(long, value_name = "YYYY-Qn")]
    pub(crate) quarter: Option<QuarterText>,
    /// Treat every data-quality warning as an error.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Field separator of every CSV file, e.g. ';' [default: each file's, detected from its header].
    #[arg(long, value_name = "CHAR", value_parser = delimiter)]
    pub(crate) delimiter: Option<char>,
    /// Your exports' own column names: a TOML file of tables such as `[accounts] advisor = "Primary TA"`
    /// [default: columns.toml in --data, when there is one].
    #[arg(long, value_name = "FILE")]
    pub(crate) columns: Option<PathBuf>,
    /// Amounts use a decimal comma: 1.234,50 or 1 234,50.
    #[arg(long)]
    pub(crate) decimal_comma: bool,
    /// Format of dates that are not ISO, in chrono's notation, e.g. '%m/%d/%Y' for 9/30/2026.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) date_format: Option<String>,
    /// How many problems of one file are listed before the rest are only counted.
    #[arg(long, value_name = "N", default_value_t = crate::error::MAX_PROBLEMS_PER_FILE)]
    pub(crate) max_problems: usize,
}

/// An ISO 4217 currency code, any case.
fn currency_code(text: &str) -> Result<String, String> {
    let code = text.trim().to_uppercase();
    if crate::domain::money::is_code(&code) {
        Ok(code)
    } else {
        Err(format!("'{text}' is not an ISO 4217 currency code (like USD, EUR, GBP)"))
    }
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
    pub(crate) advisor: String,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Print the advisor's scorecard record as JSON instead.
    #[arg(long)]
    pub(crate) json: bool,
    /// Colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct TargetsArgs {
    /// Targets TOML file (or a folder holding targets.toml) instead of the built-in framework.
    #[arg(long, value_name = "PATH")]
    pub(crate) targets: Option<PathBuf>,
    /// Print one level in full, e.g. IC3.
    #[arg(long, value_name = "LEVEL")]
    pub(crate) level: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of accounts.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) accounts: usize,
    /// Months of ARR history.
    #[arg(long, default_value_t = 36)]
    pub(crate) months: u32,
    /// Number of advisors on the roster.
    #[arg(long, default_value_t = 50)]
    pub(crate) advisors: usize,
    /// Seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// The quarter whose last month is the last month of the data.
    #[arg(long, default_value = "2026-Q3", value_name = "YYYY-Qn")]
    pub(crate) end: QuarterText,
    /// Currencies besides USD, e.g. EUR,GBP: accounts are billed in them in equal shares with
    /// USD, arr.csv gets a currency column and rates.csv their month-end rates into USD.
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = currency_code)]
    pub(crate) currencies: Vec<String>,
    /// Share of accounts (0 to 1) handed over once inside the last year: ownership.csv is
    /// written with their previous and current owners.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub(crate) hand_overs: f64,
    /// Write health.csv: each account's health at every quarter end, low before it churns and
    /// lower before it shrinks, so the forecast's health classes have something to learn.
    #[arg(long)]
    pub(crate) health_history: bool,
    /// Share of advisors (0 to 1) listed at a level their book was not built for, so their books
    /// fall outside its scope and `plan` has something to fix; the accounts stay the same.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub(crate) misfits: f64,
    /// Write arr.parquet instead of arr.csv, as a warehouse unloads it: months as DATE, amounts
    /// as DECIMAL(18,2).
    #[arg(long)]
    pub(crate) parquet: bool,
    /// Folder the files are written to.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Folder the scorecards are written to.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub(crate) out: PathBuf,
    /// Outputs to write, comma-separated.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "csv,json,md,html,xlsx")]
    pub(crate) format: Vec<Format>,
    /// Replace --out even when it holds files ta-scorecard did not write.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Accounts renewing within this many months after the quarter end stay with their owner.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(crate) protect_months: u32,
    /// Let accounts move between teams (advisors of different managers).
    #[arg(long)]
    pub(crate) across_teams: bool,
    /// Account ids that stay with their owner, comma-separated.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub(crate) keep: Vec<String>,
    /// How much a book may grow or shrink, as a share of its ARR (0 to 1).
    #[arg(long, value_name = "SHARE", default_value_t = 0.25)]
    pub(crate) max_change: f64,
    /// Seconds the optimiser may search; past it the best plan found is written, marked as
    /// perhaps not optimal.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub(crate) time_limit: f64,
    /// Folder the plan is written to.
    #[arg(long, value_name = "DIR", default_value = "plan")]
    pub(crate) out: PathBuf,
    /// Replace --out even when it holds files ta-scorecard did not write.
    #[arg(long)]
    pub(crate) force: bool,
}

/// `--color`: when the terminal view is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub(crate) fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
