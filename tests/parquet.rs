//! `--format parquet` (issue 31): the CSVs' rows with typed columns, read back with Polars and
//! compared cell by cell with the CSVs.

use polars::prelude::*;

use crate::util::{repo_root, rows, run_in};

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
