//! scorecards.xlsx (issue 17): read back with calamine, the numbers are numbers equal to
//! scorecards.csv's, statuses keep their words, and text from the inputs stays text.

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::util::{rows, Fixture};

pub(crate) fn open(path: &std::path::Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    book.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
}

fn float(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(v) => Some(*v),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_workbook_holds_the_csv_numbers_as_numbers() {
    let (_dir, out) = crate::pages::sample_output();
    let mut book = open(&out.join("scorecards.xlsx"));
    let names = ["Scorecards", "Accounts", "Trend", "Team", "Forecast", "Transfers", "Columns"];
    assert_eq!(book.sheet_names(), names);

    let csv = rows(&std::fs::read_to_string(out.join("scorecards.csv")).unwrap());
    let sheet_rows = sheet(&mut book, "Scorecards");
    assert_eq!(sheet_rows.len(), csv.len(), "a row per scorecard");
    let header: Vec<String> = sheet_rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..4], ["Advisor", "Level", "Manager", "Quarter"]);
    assert_eq!(header.last().unwrap(), "Logo retention");
    for (row, line) in sheet_rows.iter().skip(1).zip(csv.iter().skip(1)) {
        assert_eq!(row[0], Data::String(line[0].clone()));
        for (c, name) in csv[0].iter().enumerate() {
            let (cell, text) = (&row[c], &line[c]);
            match name.as_str() {
                "ndr" | "grr" | "health_avg" | "arr_active" | "start_arr" | "primary_scope_share" => {
                    let expected = (!text.is_empty()).then(|| text.parse::<f64>().unwrap());
                    let found = float(cell);
                    assert!(
                        match (found, expected) {
                            (Some(f), Some(e)) => (f - e).abs() < 0.005,
                            (None, None) => true,
                            _ => false,
                        },
                        "{name} of {}: {cell:?} vs {text}",
                        line[0]
                    );
                }
                "accounts_active" | "cohort_accounts" => {
                    assert_eq!(float(cell), Some(text.parse::<f64>().unwrap()), "{name}");
                }
                "overall_status" | "ndr_status" | "scope_status" => assert_eq!(cell, &Data::String(text.clone())),
                "next_level_ready" => assert_eq!(cell, &Data::Bool(text == "true")),
                _ => {}
            }
        }
    }
    let priya = sheet_rows.iter().find(|r| r[0] == Data::String("Priya Shah".into())).unwrap();
    let logo = float(priya.last().unwrap()).unwrap();
    assert!(logo > 0.0 && logo <= 1.0, "logo retention is a share: {logo}");

    let accounts = rows(&std::fs::read_to_string(out.join("accounts.csv")).unwrap());
    assert_eq!(sheet(&mut book, "Accounts").len(), accounts.len(), "a row per account");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scorecards.json")).unwrap()).unwrap();
    let points: usize =
        json["scorecards"].as_array().unwrap().iter().map(|s| s["trend"].as_array().unwrap().len()).sum();
    assert_eq!(sheet(&mut book, "Trend").len(), points + 1, "advisor × quarter end");
    let team = sheet(&mut book, "Team");
    assert_eq!(team.len(), 4, "two managers and the team");
    assert!(team.iter().any(|r| r[0] == Data::String("Whole team".into())));
    let columns = sheet(&mut book, "Columns");
    assert!(columns.iter().any(|r| r[2] == Data::String("ndr".into()) && r[3].to_string().contains("Net dollar")));
    // The Forecast sheet holds forecast.csv's numbers as numbers.
    let forecast = rows(&std::fs::read_to_string(out.join("forecast.csv")).unwrap());
    let sheet_rows = sheet(&mut book, "Forecast");
    assert_eq!(sheet_rows.len(), forecast.len(), "a row per scorecard");
    let column = forecast[0].iter().position(|c| c == "expected_ndr").unwrap();
    for (csv_row, sheet_row) in forecast.iter().zip(&sheet_rows).skip(1) {
        if let Ok(value) = csv_row[column].parse::<f64>() {
            assert!((float(&sheet_row[column]).unwrap() - value).abs() < 1e-6, "{csv_row:?}");
        }
    }
}

#[test]
fn formula_like_text_stays_text_and_xlsx_can_be_the_only_format() {
    let name = "=HYPERLINK(\"http://x\",\"y\")";
    let fixture = Fixture::new()
        .file(
            "data/advisors.csv",
            &format!("advisor,level,manager\nAda,IC1,Max\nBo,IC3,Max\n\"{}\",IC2,Max\n", name.replace('"', "\"\"")),
        )
        .file(
            "data/accounts.csv",
            &format!("account_id,account_name,advisor\nA1,One,Ada\nA2,@SUM(A1),\"{}\"\n", name.replace('"', "\"\"")),
        )
        .file("data/arr.csv", "account_id,month,arr\nA1,2025-09,100\nA1,2026-09,120\nA2,2025-09,50\nA2,2026-09,60\n");
    fixture.score(&["--format", "xlsx"]).success();
    let mut files: Vec<String> = std::fs::read_dir(fixture.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| !f.starts_with('.'))
        .collect();
    files.sort();
    assert_eq!(files, ["scorecards.xlsx"]);
    let mut book = open(&fixture.path().join("out/scorecards.xlsx"));
    let scorecards = sheet(&mut book, "Scorecards");
    assert!(scorecards.iter().any(|r| r[0] == Data::String(name.into())), "the name as written");
    let accounts = sheet(&mut book, "Accounts");
    assert!(accounts.iter().any(|r| r[1] == Data::String("@SUM(A1)".into())));
    for sheet in ["Scorecards", "Accounts"] {
        let formulas = book.worksheet_formula(sheet).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{sheet} has a formula");
    }
}
