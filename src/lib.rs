//! ta-scorecard: quarterly book-of-business scorecards for Technical Advisors from CRM exports.
//!
//! [`build_report`] is the pipeline, one stage a line: [`load`] → [`period`] → [`forecast`] →
//! [`classify`] → [`compute`] → [`evaluate`] → [`reconcile`] → the [`model::Report`] that
//! [`output`] renders and [`output::write`] writes. Four layers, each a folder: [`domain`] (types every layer
//! shares), [`pipeline`] (the stages), [`model`] (the result), [`output`] (the views).
//! `docs/architecture.md` is the map.

// The library is the binary's: its documentation is built with its private items
// (`cargo doc --document-private-items`), where links to them resolve.
#![allow(rustdoc::private_intra_doc_links)]

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
use model::Report;
use pipeline::context::Context;
use pipeline::{classify, compute, evaluate, forecast, load, period, reconcile};
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
        Command::Plan(args) => command::plan::run(config::PlanConfig::from_cli(args)?),
        Command::Compare(args) => command::compare::run(&args.old, &args.new, args.json),
        Command::Completions(args) => command::shell::completions(args.shell),
        Command::Man => command::shell::man(),
    }
}

/// load → classify → compute → evaluate → reconcile: the report every output is a view of, and
/// the run's warnings. Problems are listed up to `--max-problems` per file.
pub fn build_report(config: &InputConfig) -> anyhow::Result<(Report, Vec<Warning>)> {
    let (report, warnings, ()) = build_report_with(config, |_| Ok(()))?;
    Ok((report, warnings))
}

/// [`build_report`] with what `also` takes from the inputs before classify drops the ARR table.
pub(crate) fn build_report_with<T>(
    config: &InputConfig,
    also: impl FnOnce(&load::Inputs) -> anyhow::Result<T>,
) -> anyhow::Result<(Report, Vec<Warning>, T)> {
    build(config, also).map_err(|e| match e.downcast::<InvalidInput>() {
        Ok(invalid) => invalid.with_cap(config.max_problems).into(),
        Err(other) => other,
    })
}

fn build<T>(
    config: &InputConfig,
    also: impl FnOnce(&load::Inputs) -> anyhow::Result<T>,
) -> anyhow::Result<(Report, Vec<Warning>, T)> {
    timing::start();
    // Every file read: the exports, and columns.toml when one names their columns.
    // Their data rows are counted where they are CSV text (not a workbook, a Parquet file or
    // columns.toml).
    let mut read: Vec<(std::path::PathBuf, bool)> =
        config.paths.all().into_iter().map(|p| (p.to_path_buf(), !load::in_cells(p))).collect();
    let names = std::path::PathBuf::from(&config.read.columns.source);
    if names.is_file() {
        read.push((names, false));
    }
    let fingerprints = pipeline::fingerprint::spawn(read);
    let (mut inputs, mut warnings) =
        load::load(&config.paths, &config.targets, &config.read, config.currency.as_deref())?;
    let period =
        period::resolve(config.quarter, &config.targets, inputs.first_month, inputs.last_month, &config.paths.arr)?;
    let run = Context::new(period, &config.targets, &inputs);
    let extra = also(&inputs)?;
    let ahead = forecast::forecast(&inputs, &run)?;
    let classified = classify::classify(&mut inputs, &run)?;
    let computed = compute::compute(&classified, &inputs.roster, &run)?;
    let evaluated = evaluate::evaluate(computed, classified.accounts, ahead, &inputs.roster, &run, &mut warnings);
    if config.strict {
        warnings::refuse(&warnings)?;
    }
    let reconciliation = reconcile::reconcile(&inputs, &run, classified.arr_totals, &evaluated);
    let read = run.provenance(inputs.notes);
    let files =
        fingerprints.join().map_err(|_| anyhow::anyhow!("fingerprinting the inputs failed: this is a bug"))??;
    let used = model::inputs::Inputs {
        files,
        targets: model::inputs::TargetsUsed {
            source: config.targets.source.clone(),
            sha256: config.targets.sha256.clone().unwrap_or_else(|| "built-in".into()),
        },
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let report = Report::new(&run.period, run.targets, read, &warnings, reconciliation, evaluated, used);
    Ok((report, warnings, extra))
}
