//! ta-scorecard: quarterly book-of-business scorecards for Technical Advisors from CRM exports.
//!
//! [`build_report`] is the pipeline, one stage a line: [`load`] → [`book`] (classify) →
//! [`metrics`] (compute) → [`evaluate`] → [`reconcile`] → the [`model::Report`] that
//! [`report`] renders and [`write`] writes. `docs/architecture.md` is the map.

pub mod cli;
pub(crate) mod command;
pub mod config;
pub mod domain;
pub mod error;
pub(crate) mod format;
pub mod model;
pub mod output;
pub(crate) mod pipeline;
#[cfg(test)]
mod testing;
pub(crate) mod timing;
pub mod warnings;

use cli::{Cli, Command};
use config::{InputConfig, ScoreConfig};
use error::InvalidInput;
use model::{Provenance, Report};
use pipeline::{classify as book, compute as metrics, evaluate, load, period, reconcile};
use warnings::Warning;

/// Runs one command. Errors a user can act on are [`InvalidInput`] inside the `anyhow::Error`.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Score(args) => command::score::run(ScoreConfig::from_cli(args)?),
        Command::Validate(args) => command::validate::run(&InputConfig::from_cli(args.input)?),
        Command::Show(args) => {
            command::show::run(&InputConfig::from_cli(args.input)?, &args.advisor, args.json, args.color)
        }
        Command::Targets(args) => command::targets::run(args),
        Command::Generate(args) => command::generate::run(args),
    }
}

/// load → classify → compute → evaluate → reconcile: the report every output is a view of, and
/// the run's warnings. Problems are listed up to `--max-problems` per file.
pub fn build_report(config: &InputConfig) -> anyhow::Result<(Report, Vec<Warning>)> {
    build(config).map_err(|e| match e.downcast::<InvalidInput>() {
        Ok(invalid) => invalid.with_cap(config.max_problems).into(),
        Err(other) => other,
    })
}

fn build(config: &InputConfig) -> anyhow::Result<(Report, Vec<Warning>)> {
    let targets = &config.targets;
    timing::start();
    let (mut inputs, mut warnings) = load::load(&config.paths, targets, &config.read, config.currency.as_deref())?;
    let period = period::resolve(config.quarter, targets, inputs.first_month, inputs.last_month, &config.paths.arr)?;
    let book = book::classify(&inputs, &period, targets)?;
    // The book holds every ARR value the later stages read: the ARR table goes once
    // reconciliation has its side of it.
    let arr_side = reconcile::arr_side(&inputs, &period, &book.frame, &book.conversion)?;
    drop(std::mem::take(&mut inputs.arr));
    let computed = metrics::compute(&book, &inputs.roster, &period)?;
    let currency = &inputs.currencies.reporting;
    let mut books =
        evaluate::evaluate(computed, book.accounts, &inputs.roster, targets, &period, currency, &mut warnings);
    if inputs.ownership.is_some() {
        evaluate::attach_transfers(&mut books, book.transfers, &book.short_tenures, &book.tenure_moves);
        timing::done("hand-overs");
    }
    if config.strict {
        warnings::refuse(&warnings)?;
    }
    let reconciliation = reconcile::reconcile(&inputs, &period, arr_side, &books.scorecards);
    let read = Provenance { notes: inputs.notes, currency: currency.clone(), health_history: inputs.health.is_some() };
    let report = Report::new(&period, targets, read, &warnings, reconciliation, books);
    Ok((report, warnings))
}
