//! `ta-scorecard generate`: synthetic exports of any size, for benchmarks and demos.

pub(crate) mod synthetic;

use std::fs::File;
use std::path::Path;

use anyhow::Context;
use polars::prelude::*;

use crate::cli::GenerateArgs;
use crate::domain::columns as c;
use synthetic::{generate, Spec};

pub(crate) fn run(args: GenerateArgs) -> anyhow::Result<()> {
    // The data's last month: a calendar quarter's end.
    let end = args.end.resolve(crate::domain::calendar::CALENDAR).map_err(|why| anyhow::anyhow!("--end: {why}"))?;
    let spec = Spec {
        accounts: args.accounts,
        months: args.months,
        advisors: args.advisors,
        seed: args.seed,
        end: end.end_month(),
        currencies: args.currencies.into_iter().filter(|c| c != crate::domain::money::DEFAULT).collect(),
        hand_overs: args.hand_overs.clamp(0.0, 1.0),
        health_history: args.health_history,
        misfits: args.misfits.clamp(0.0, 1.0),
    };
    let started = std::time::Instant::now();
    let written = generate(&spec, &args.out)?;
    if args.parquet {
        arr_as_parquet(&args.out)?;
    }
    super::print(&format!(
        "{} accounts, {} {} rows and {} advisors written to {} in {:.1} s\n",
        written.accounts,
        written.arr_rows,
        if args.parquet { "arr.parquet" } else { "arr.csv" },
        written.advisors,
        args.out.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// Replaces `dir`'s arr.csv by arr.parquet with the types a warehouse unload has: ids and
/// currencies as strings, months as DATE (the month's first day), amounts as DECIMAL(18,2)
/// (parsed from their text, so exactly the CSV's cents).
fn arr_as_parquet(dir: &Path) -> anyhow::Result<()> {
    let csv = dir.join("arr.csv");
    let text = |name: &str| (PlSmallStr::from(name), DataType::String);
    let schema: Schema = [text(c::ACCOUNT_ID), text(c::MONTH), text(c::ARR), text(c::CURRENCY)].into_iter().collect();
    let mut frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema_overwrite(Some(Arc::new(schema)))
        .try_into_reader_with_file_path(Some(csv.clone()))?
        .finish()?
        .lazy()
        .with_columns([
            (col(c::MONTH) + lit("-01"))
                .str()
                .to_date(StrptimeOptions { format: Some("%Y-%m-%d".into()), ..Default::default() }),
            col(c::ARR).cast(DataType::Decimal(18, 2)),
        ])
        .collect()?;
    let path = dir.join("arr.parquet");
    let file = File::create(&path).with_context(|| format!("cannot write '{}'", path.display()))?;
    ParquetWriter::new(file).with_compression(ParquetCompression::Zstd(None)).finish(&mut frame)?;
    std::fs::remove_file(&csv)?;
    Ok(())
}
