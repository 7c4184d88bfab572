//! ta-scorecard: quarterly book-of-business scorecards for Technical Advisors from CRM exports.
//!
//! The pipeline, one module per stage: [`load`] → [`book`] (classify) → [`metrics`] (compute) →
//! [`evaluate`] → [`report`] (render) → [`write`].

pub mod amounts;
pub mod book;
pub mod chart;
pub mod cli;
pub mod columns;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod gaps;
pub mod generate;
pub mod highlights;
pub mod load;
pub mod metrics;
pub mod model;
pub mod period;
pub mod quality;
pub mod report;
pub mod segments;
pub mod show;
pub mod targets;
#[cfg(test)]
mod testing;
pub mod timing;
pub mod warnings;
pub mod write;

use std::io::Write;

use cli::{Cli, Command};
use config::{InputConfig, ScoreConfig};
use error::InvalidInput;
use model::Report;
use warnings::Warning;

/// Runs one command. Errors a user can act on are [`InvalidInput`] inside the `anyhow::Error`.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Score(args) => score(ScoreConfig::from_cli(args)?),
        Command::Validate(args) => validate(&InputConfig::from_cli(args.input)?),
        Command::Generate(args) => {
            let spec = generate::Spec {
                accounts: args.accounts,
                months: args.months,
                advisors: args.advisors,
                seed: args.seed,
                end: args.end.end_month(),
            };
            let started = std::time::Instant::now();
            let written = generate::generate(&spec, &args.out)?;
            println!(
                "{} accounts, {} arr.csv rows and {} advisors written to {} in {:.1} s",
                written.accounts,
                written.arr_rows,
                written.advisors,
                args.out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Floor { arr } => {
            use polars::prelude::*;
            let frame =
                CsvReadOptions::default().with_has_header(true).try_into_reader_with_file_path(Some(arr))?.finish()?;
            println!("{:.2}", frame.column(columns::ARR)?.f64()?.sum().unwrap_or(0.0));
            Ok(())
        }
        Command::Show(args) => show::run(&InputConfig::from_cli(args.input)?, &args.advisor, args.json, args.color),
        Command::Targets(args) => {
            let targets = targets::Targets::load(args.targets.as_deref())?;
            let text = match &args.level {
                Some(name) => report::framework::level(&targets, name)?,
                None => report::framework::table(&targets),
            };
            ignore_broken_pipe(std::io::stdout().lock().write_all(text.as_bytes()))
        }
    }
}

fn score(config: ScoreConfig) -> anyhow::Result<()> {
    let (report, warnings) = build_report(&config.input)?;
    let mut stages = timing::Stages::from_env();
    let files = report::render_all(&report, &config.formats)?;
    stages.done("render");
    write::replace_folder(&config.out, &files, config.force)?;
    stages.done("write");

    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let mut stdout = std::io::stdout().lock();
    let summary = format!(
        "{}\n{} scorecards written to {}\n{}\n",
        report::table::render(&report),
        report.scorecards.len(),
        config.out.display(),
        report.reconciliation
    );
    ignore_broken_pipe(stdout.write_all(summary.as_bytes()))?;
    anyhow::ensure!(
        report.reconciliation.balanced,
        "the ARR reconciliation does not balance: this is a bug, please report it"
    );
    Ok(())
}

/// Everything `score` checks, without writing: warnings and a summary on success; on failure
/// the problems (printed by `main`) and exit code 3.
fn validate(config: &InputConfig) -> anyhow::Result<()> {
    let (report, warnings) = build_report(config)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let r = &report.reconciliation;
    let summary = format!(
        "valid: {} accounts, {} arr.csv rows ({} account-months), {} scorecards for {} (data {} to {}); {} warning{}\n{r}\n",
        report.accounts.len(),
        r.rows_read,
        r.rows_used,
        report.scorecards.len(),
        report.quarter,
        report.data_first_month,
        report.data_last_month,
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
    );
    ignore_broken_pipe(std::io::stdout().lock().write_all(summary.as_bytes()))
}

/// load → classify → compute → evaluate: the report every output is a view of.
pub fn build_report(config: &InputConfig) -> anyhow::Result<(Report, Vec<Warning>)> {
    build(config).map_err(|e| match e.downcast::<InvalidInput>() {
        Ok(invalid) => invalid.with_cap(config.max_problems).into(),
        Err(other) => other,
    })
}

fn build(config: &InputConfig) -> anyhow::Result<(Report, Vec<Warning>)> {
    let targets = &config.targets;
    let mut problems = Vec::new();
    let inputs = load::load(&config.paths, targets, &config.read, &mut problems)?;
    let inputs = match inputs {
        Some(inputs) if problems.is_empty() => inputs,
        _ => return Err(InvalidInput::new(problems).into()),
    };
    let points = (targets.promotion_quarters as usize).max(4);
    let period = period::resolve(
        config.quarter,
        targets.window_months,
        inputs.first_month,
        inputs.last_month,
        points,
        &config.paths.arr.display().to_string(),
    )
    .map_err(InvalidInput::one)?;

    let mut stages = timing::Stages::from_env();
    let mut warnings = quality::check(&inputs)?;
    stages.done("quality checks");
    let book = book::classify(&inputs, &period, targets)?;
    stages.done("classify");
    let books = metrics::compute(&book, &period)?;
    let tiers = metrics::tier_totals(&book, &period)?;
    stages.done("metrics");
    let mut scorecards = evaluate::evaluate(books, &tiers, &inputs.roster, targets, &period, &mut warnings);
    stages.done("evaluate");
    let accounts = book::account_rows(&book, &period)?;
    stages.done("account rows");
    highlights::attach(&mut scorecards, &accounts);
    gaps::attach(&mut scorecards, &accounts);
    stages.done("highlights, gaps");
    let rollups = metrics::rollups(&book, &inputs.roster, &period)?;
    stages.done("rollups");
    if let Some(unassigned) = scorecards.iter().find(|s| s.advisor == book::UNASSIGNED) {
        let accounts = unassigned.metrics.accounts_active.unwrap_or(0);
        if accounts > 0 {
            warnings.push(Warning::Unassigned { accounts, arr: unassigned.metrics.arr_active.unwrap_or(0.0) });
        }
    }
    if config.strict && !warnings.is_empty() {
        let problems = warnings.iter().map(|w| error::Problem::new("--strict", w.to_string())).collect();
        return Err(InvalidInput::new(problems).into());
    }
    let reconciliation = quality::Reconciliation::new(&inputs, &period, &scorecards)?;
    stages.done("reconciliation");
    let report = Report {
        quarter: period.evaluated().quarter.to_string(),
        as_of_month: period.evaluated().end.to_string(),
        window_months: period.window_months,
        data_first_month: period.first_month.to_string(),
        data_last_month: period.last_month.to_string(),
        targets: targets.source.clone(),
        warnings: warnings.iter().map(ToString::to_string).collect(),
        notes: inputs.notes.clone(),
        reconciliation,
        levels: targets.levels.clone(),
        rollups,
        scorecards,
        accounts,
    };
    Ok((report, warnings))
}

/// A closed pipe (`| head`) is the reader's choice, not an error.
pub(crate) fn ignore_broken_pipe(result: std::io::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
