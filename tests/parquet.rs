//! Parquet (issue 31): `--format parquet` writes the CSVs' rows with typed columns, read back
//! with Polars and compared cell by cell with the CSVs; inputs as Parquet (typed, long or wide,
//! as `generate --parquet` unloads them) score exactly as their CSVs.

use polars::prelude::*;

use crate::util::{repo_root, rows, run_in, Fixture};

/// A Parquet file as text cells the way the CSV writes them: numbers parsed back, months as
/// `YYYY-MM`, booleans as `true`/`false`, null as empty.
fn as_csv_cells(frame: &DataFrame) -> Vec<Vec<String>> {
    let mut out = vec![frame.get_column_names().iter().map(|n| n.to_string()).collect::<Vec<_>>()];
    for i in 0..frame.height() {
        let row = frame
            .columns()
            .iter()
            .map(|column| match column.get(i).unwrap() {
                AnyValue::Null => String::new(),
                AnyValue::Date(days) => {
                    let date = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(days as u64);
                    date.format("%Y-%m").to_string()
                }
                AnyValue::Boolean(b) => b.to_string(),
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                AnyValue::UInt64(n) => n.to_string(),
                AnyValue::Float64(v) => format!("{v}"),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        out.push(row);
    }
    out
}

#[test]
fn the_parquet_files_hold_the_csv_rows_with_typed_columns() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_in(&repo_root(), &["score", "--out", dir.to_str().unwrap(), "--format", "csv,parquet"]).success();
    for name in ["scorecards", "accounts", "forecast", "transfers"] {
        let file = std::fs::File::open(dir.join(format!("{name}.parquet"))).unwrap();
        let frame = ParquetReader::new(file).finish().unwrap();
        let csv = rows(&std::fs::read_to_string(dir.join(format!("{name}.csv"))).unwrap());
        let parquet = as_csv_cells(&frame);
        assert_eq!(parquet.len(), csv.len(), "{name}: rows");
        assert_eq!(parquet[0], csv[0], "{name}: columns");
        for (r, (p, c)) in parquet.iter().zip(&csv).enumerate().skip(1) {
            for (k, (p, c)) in p.iter().zip(c).enumerate() {
                // Numbers compare as numbers (the CSV pads to its decimals); text as written, less
                // the CSV's guard against spreadsheet formulas.
                let same = match (p.parse::<f64>(), c.parse::<f64>()) {
                    (Ok(a), Ok(b)) => (a - b).abs() < 1e-9,
                    _ => p == c.strip_prefix('\'').unwrap_or(c),
                };
                assert!(same, "{name} row {r} column {}: parquet {p:?}, csv {c:?}", csv[0][k]);
            }
        }
    }
    let file = std::fs::File::open(dir.join("scorecards.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    let dtype = |column: &str| frame.column(column).unwrap().dtype().clone();
    assert_eq!(dtype("accounts_active"), DataType::UInt64);
    assert_eq!(dtype("arr_active"), DataType::Float64);
    assert_eq!(dtype("ndr"), DataType::Float64);
    assert_eq!(dtype("as_of_month"), DataType::Date);
    assert_eq!(dtype("ndr_status"), DataType::String);
    assert_eq!(dtype("next_level_ready"), DataType::Boolean);
}

#[test]
fn parquet_is_not_among_the_default_formats() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_in(&repo_root(), &["score", "--out", dir.to_str().unwrap()]).success();
    assert!(dir.join("scorecards.csv").exists());
    assert!(!dir.join("scorecards.parquet").exists());
}

/// `csv` (a file of the samples) as a Parquet file at `to`, with the types Polars infers (amounts
/// as integers or floats, ids and months as strings).
fn to_parquet(csv: &std::path::Path, to: &std::path::Path) {
    let mut frame =
        CsvReadOptions::default().try_into_reader_with_file_path(Some(csv.into())).unwrap().finish().unwrap();
    ParquetWriter::new(std::fs::File::create(to).unwrap()).finish(&mut frame).unwrap();
}

#[test]
fn the_samples_as_parquet_score_exactly_as_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for entry in std::fs::read_dir(repo_root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            to_parquet(&path, &data.join(path.with_extension("parquet").file_name().unwrap()));
        }
    }
    let (csv_out, parquet_out) = (dir.path().join("csv"), dir.path().join("parquet"));
    run_in(&repo_root(), &["score", "--out", csv_out.to_str().unwrap(), "--format", "csv"]).success();
    let run = run_in(
        &repo_root(),
        &["score", "--data", data.to_str().unwrap(), "--out", parquet_out.to_str().unwrap(), "--format", "csv"],
    );
    run.success();
    for name in ["scorecards.csv", "accounts.csv"] {
        let read = |dir: &std::path::Path| std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(read(&parquet_out), read(&csv_out), "{name}");
    }
}

/// Months as dates and timestamps, amounts as integers and floats: read as their CSV text. A
/// month stored as text that is not one, and an amount that is not a number, are refused with the
/// file, the column, the 1-based data row and the value, and nothing is written.
#[test]
fn typed_columns_are_read_and_bad_values_named_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let fixture_dir = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    fixture_dir("accounts.csv", crate::util::ACCOUNTS);
    fixture_dir("advisors.csv", crate::util::ADVISORS);
    to_parquet(&dir.path().join("accounts.csv"), &data.join("accounts.parquet"));
    to_parquet(&dir.path().join("advisors.csv"), &data.join("advisors.parquet"));
    // arr as typed columns: a Date month and integer amounts for A1 and A2, a timestamp month and
    // float amounts for A3.
    let days = |y: i32, m: u32| {
        (chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap() - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
            .num_days() as i32
    };
    let months = [(2025, 9), (2026, 9), (2025, 9), (2026, 9), (2025, 6), (2025, 9), (2026, 9)];
    let ids = ["A1", "A1", "A2", "A2", "A3", "A3", "A3"];
    let arr = [1000.0, 1200.0, 2000.0, 1500.0, 5000.0, 5000.0, 0.0];
    let month = Int32Chunked::from_vec("month".into(), months.iter().map(|(y, m)| days(*y, *m)).collect()).into_date();
    let mut frame = DataFrame::new(
        7,
        vec![
            Column::new("account_id".into(), ids),
            month.clone().into_series().into(),
            Column::new("arr".into(), arr.iter().map(|v| *v as i64).collect::<Vec<_>>()),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(data.join("arr.parquet")).unwrap()).finish(&mut frame).unwrap();
    let out = dir.path().join("out");
    run_in(dir.path(), &["score", "--data", "data", "--out", "out", "--format", "csv"]).success();
    let plain = Fixture::new();
    plain.score(&["--format", "csv"]).success();
    assert_eq!(std::fs::read_to_string(out.join("scorecards.csv")).unwrap(), plain.read("out/scorecards.csv"));

    // Timestamps and floats read the same.
    let stamps = month.cast(&DataType::Datetime(TimeUnit::Milliseconds, None)).unwrap();
    let mut frame = DataFrame::new(
        7,
        vec![Column::new("account_id".into(), ids), stamps.into(), Column::new("arr".into(), arr.to_vec())],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(data.join("arr.parquet")).unwrap()).finish(&mut frame).unwrap();
    run_in(dir.path(), &["score", "--data", "data", "--out", "out", "--format", "csv", "--force"]).success();
    assert_eq!(std::fs::read_to_string(out.join("scorecards.csv")).unwrap(), plain.read("out/scorecards.csv"));

    // Bad values: every one named with its row, nothing written.
    let mut frame = DataFrame::new(
        3,
        vec![
            Column::new("account_id".into(), ["A1", "A1", "A2"]),
            Column::new("month".into(), ["2025-09", "June", "2025-09"]),
            Column::new("arr".into(), ["1000", "1200", "12x"]),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(data.join("arr.parquet")).unwrap()).finish(&mut frame).unwrap();
    let bad = dir.path().join("bad");
    let run = run_in(dir.path(), &["score", "--data", "data", "--out", "bad"]).code(3);
    assert!(run.stderr.contains("data/arr.parquet:2: month:"), "{}", run.stderr);
    assert!(run.stderr.contains("(June)"), "{}", run.stderr);
    assert!(run.stderr.contains("data/arr.parquet:3: arr:"), "{}", run.stderr);
    assert!(run.stderr.contains("(12x)"), "{}", run.stderr);
    assert!(!bad.exists());

    // arr.csv beside arr.parquet: which one is meant is not clear.
    std::fs::write(data.join("arr.csv"), crate::util::ARR).unwrap();
    let run = run_in(dir.path(), &["score", "--data", "data", "--out", "bad"]).code(3);
    assert!(run.stderr.contains("is here too: keep one of them"), "{}", run.stderr);
}

/// `generate --parquet` writes arr.parquet as a warehouse unloads it (DATE months, DECIMAL(18,2)
/// amounts), which scores exactly as the same data in arr.csv, in one currency or three.
#[test]
fn a_generated_unload_scores_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    for extra in [&[][..], &["--currencies", "EUR,GBP"][..]] {
        let generate = |out: &str, parquet: bool| {
            let mut args = vec!["generate", "--accounts", "3000", "--advisors", "15", "--seed", "5", "--out", out];
            args.extend(extra);
            if parquet {
                args.push("--parquet");
            }
            run_in(dir.path(), &args).success();
        };
        generate("csv", false);
        generate("unload", true);
        let unload = dir.path().join("unload");
        assert!(!unload.join("arr.csv").exists());
        let mut reader = ParquetReader::new(std::fs::File::open(unload.join("arr.parquet")).unwrap());
        let schema = reader.schema().unwrap();
        let types: Vec<String> = schema.iter().map(|(name, field)| format!("{name} {:?}", field.dtype)).collect();
        assert_eq!(&types[..3], ["account_id Utf8View", "month Date32", "arr Decimal(18, 2)"], "{extra:?}");
        for data in ["csv", "unload"] {
            let out = format!("out-{data}");
            run_in(dir.path(), &["score", "--data", data, "--out", &out, "--format", "csv", "--force"]).success();
        }
        for name in ["scorecards.csv", "accounts.csv"] {
            let read = |run: &str| std::fs::read_to_string(dir.path().join(run).join(name)).unwrap();
            assert_eq!(read("out-unload"), read("out-csv"), "{name} {extra:?}");
        }
    }
}

/// The wide layout (one column per month) as Parquet, amounts as floats and decimals and months
/// without ARR null, reads as the long CSV; an account id accounts.csv lacks, in a typed long
/// unload, is named with its row.
#[test]
fn a_wide_unload_reads_as_the_long_csv_and_an_unknown_id_is_named() {
    let plain = Fixture::new();
    plain.score(&["--format", "csv"]).success();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("accounts.csv"), crate::util::ACCOUNTS).unwrap();
    std::fs::write(dir.path().join("advisors.csv"), crate::util::ADVISORS).unwrap();
    let decimal = |values: &[f64]| Series::new("".into(), values).cast(&DataType::Decimal(18, 2)).unwrap();
    let mut frame = DataFrame::new(
        3,
        vec![
            Column::new("account_id".into(), ["A1", "A2", "A3"]),
            Column::new("2025-06".into(), [None, None, Some(5000.0)]),
            decimal(&[1000.0, 2000.0, 5000.0]).with_name("2025-09".into()).into(),
            Column::new("2026-09".into(), [1200.0, 1500.0, 0.0]),
        ],
    )
    .unwrap();
    let arr = dir.path().join("arr.parquet");
    ParquetWriter::new(std::fs::File::create(&arr).unwrap()).finish(&mut frame).unwrap();
    run_in(dir.path(), &["score", "--data", ".", "--out", "out", "--format", "csv"]).success();
    let scorecards = std::fs::read_to_string(dir.path().join("out/scorecards.csv")).unwrap();
    assert_eq!(scorecards, plain.read("out/scorecards.csv"));

    let mut frame = DataFrame::new(
        3,
        vec![
            Column::new("account_id".into(), ["A1", "A1", "A9"]),
            Column::new("month".into(), ["2025-09", "2026-09", "2026-09"]),
            Column::new("arr".into(), [1000.0, 1200.0, 700.0]),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&arr).unwrap()).finish(&mut frame).unwrap();
    let run = run_in(dir.path(), &["score", "--data", ".", "--out", "bad"]).code(3);
    assert!(run.stderr.contains("arr.parquet:3: account_id:"), "{}", run.stderr);
    assert!(run.stderr.contains("(A9)"), "{}", run.stderr);
    assert!(!dir.path().join("bad").exists());
}
