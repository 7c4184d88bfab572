//! The benchmark's floor: read arr.csv (or arr.parquet, every column) with the same Polars reader
//! ta-scorecard uses and sum its ARR column, nothing else. `bench/run.sh` builds it with
//! `--features bench --example floor`.

use polars::prelude::*;

fn main() -> anyhow::Result<()> {
    let Some(arr) = std::env::args().nth(1) else {
        anyhow::bail!("usage: floor ARR_CSV|ARR_PARQUET");
    };
    let frame = if arr.ends_with(".parquet") {
        ParquetReader::new(std::fs::File::open(&arr)?).finish()?
    } else {
        CsvReadOptions::default().with_has_header(true).try_into_reader_with_file_path(Some(arr.into()))?.finish()?
    };
    let sum = frame.column("arr")?.cast(&DataType::Float64)?.f64()?.sum().unwrap_or(0.0);
    println!("{sum:.2}");
    Ok(())
}
