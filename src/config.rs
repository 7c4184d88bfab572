//! Resolved configuration: paths filled in from `--data`, the targets loaded and validated.

use std::path::{Path, PathBuf};

use crate::cli::{InputArgs, ScoreArgs};
use crate::domain::calendar::QuarterText;
use crate::domain::columns::ColumnNames;
use crate::domain::money::Decimal;
use crate::domain::targets::Targets;
use crate::error::{InvalidInput, Problem};
use crate::output::Format;
pub use crate::pipeline::load::{InputPaths, ReadOptions};

/// Where the exports are read from without `--data`: the bundled samples, run from the project.
const DEFAULT_DATA: &str = "samples";

/// What every command that reads the inputs needs.
pub struct InputConfig {
    pub paths: InputPaths,
    pub targets: Targets,
    pub quarter: Option<QuarterText>,
    pub strict: bool,
    pub max_problems: usize,
    pub read: ReadOptions,
    /// `--currency`: the reporting currency's ISO code, when given (SPEC §10).
    pub currency: Option<String>,
}

impl InputConfig {
    pub(crate) fn from_cli(args: InputArgs) -> Result<InputConfig, InvalidInput> {
        let data = args.data.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
        let in_data = |name: &str| data.join(name);
        let every_file_named = args.accounts.is_some() && args.arr.is_some() && args.advisors.is_some();
        if args.data.is_none()
            && !every_file_named
            && !in_data("accounts.csv").exists()
            && !in_data("accounts.xlsx").exists()
        {
            let here = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
            return Err(InvalidInput::one(
                Problem::new(
                    "--data",
                    format!(
                        "no exports to read: without --data, accounts.csv, arr.csv and advisors.csv are looked for in \
                         {DEFAULT_DATA}/ (the bundled samples), and there is none here; point --data at the folder \
                         holding your exports, e.g. ta-scorecard score --data ~/exports"
                    ),
                )
                .value(format!("looked in {}", Path::new(&here).join(DEFAULT_DATA).display())),
            ));
        }
        let columns = match &args.columns {
            Some(path) => ColumnNames::load(path)?,
            None if in_data("columns.toml").is_file() => ColumnNames::load(&in_data("columns.toml"))?,
            None => ColumnNames::default(),
        };
        Ok(InputConfig {
            paths: InputPaths {
                accounts: args.accounts.map_or_else(|| input(&data, "accounts"), Ok)?,
                arr: args.arr.map_or_else(|| input(&data, "arr"), Ok)?,
                advisors: args.advisors.map_or_else(|| input(&data, "advisors"), Ok)?,
                rates: match args.rates {
                    Some(rates) => Some(rates),
                    None => optional_input(&data, "rates")?,
                },
                health: match args.health {
                    Some(health) => Some(health),
                    None => optional_input(&data, "health")?,
                },
                ownership: match args.ownership {
                    Some(ownership) => Some(ownership),
                    None => optional_input(&data, "ownership")?,
                },
            },
            targets: Targets::load(args.targets.as_deref())?,
            quarter: args.quarter,
            strict: args.strict,
            max_problems: args.max_problems,
            read: ReadOptions {
                delimiter: args.delimiter.map(|d| d as u8),
                decimal: if args.decimal_comma { Decimal::Comma } else { Decimal::Point },
                date_format: args.date_format,
                columns,
            },
            currency: args.currency,
        })
    }
}

/// Where `--data` has the input `name`: the workbook itself when `--data` names one (its sheet
/// `name` is read), else `name.csv`, or `name.xlsx` when that is there instead.
fn input(data: &Path, name: &str) -> Result<PathBuf, InvalidInput> {
    if crate::pipeline::load::is_workbook(data) {
        return Ok(data.to_path_buf());
    }
    let csv = data.join(format!("{name}.csv"));
    let others = [data.join(format!("{name}.xlsx")), data.join(format!("{name}.parquet"))];
    let present: Vec<&PathBuf> = std::iter::once(&csv).chain(&others).filter(|p| p.exists()).collect();
    match present[..] {
        [] => Ok(csv),
        [one] => Ok(one.clone()),
        [first, ref rest @ ..] => Err(InvalidInput::one(Problem::new(
            rest[0].display().to_string(),
            format!("{} is here too: keep one of them, so it is clear which to read", first.display()),
        ))),
    }
}

/// An input that may be absent (rates.csv): where `--data` has it, if anywhere.
fn optional_input(data: &Path, name: &str) -> Result<Option<PathBuf>, InvalidInput> {
    if crate::pipeline::load::is_workbook(data) {
        return Ok(crate::pipeline::load::has_sheet(data, name).then(|| data.to_path_buf()));
    }
    let path = input(data, name)?;
    Ok(path.exists().then_some(path))
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
        let input = InputConfig::from_cli(args.input)?;
        crate::output::write::check_out_folder(&args.out, args.force, &input.paths.all())?;
        Ok(ScoreConfig { input, out: args.out, formats, force: args.force })
    }
}

/// `plan`'s inputs and settings, checked (SPEC §13).
pub struct PlanConfig {
    pub input: InputConfig,
    pub(crate) settings: crate::pipeline::plan::Settings,
    pub out: PathBuf,
    pub force: bool,
}

impl PlanConfig {
    pub(crate) fn from_cli(args: crate::cli::PlanArgs) -> Result<PlanConfig, InvalidInput> {
        let mut problems = Vec::new();
        if !(args.max_change > 0.0 && args.max_change <= 1.0) {
            problems
                .push(Problem::new("--max-change", "must be above 0 and at most 1").value(args.max_change.to_string()));
        }
        if !(args.time_limit > 0.0 && args.time_limit.is_finite() && args.time_limit <= 86_400.0) {
            problems.push(
                Problem::new("--time-limit", "must be a number of seconds above 0 (at most a day)")
                    .value(args.time_limit.to_string()),
            );
        }
        InvalidInput::check(problems)?;
        let input = InputConfig::from_cli(args.input)?;
        crate::output::write::check_out_folder(&args.out, args.force, &input.paths.all())?;
        let settings = crate::pipeline::plan::Settings {
            protect_months: args.protect_months,
            across_teams: args.across_teams,
            keep: args.keep.iter().map(|id| id.trim().to_string()).filter(|id| !id.is_empty()).collect(),
            max_change: args.max_change,
            time_limit: std::time::Duration::from_secs_f64(args.time_limit),
        };
        Ok(PlanConfig { input, settings, out: args.out, force: args.force })
    }
}
