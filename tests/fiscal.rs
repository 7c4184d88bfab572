//! Fiscal quarters (issue 20, SPEC §4): with `fiscal_year_start_month` the quarters are the
//! fiscal year's, named by the calendar year of its last month; windows still end at `E`.

use crate::util::{flat, repo_root, run_in, scorecard, Fixture};

/// The built-in targets with the fiscal year starting in `month`.
fn targets(month: u32) -> String {
    let builtin = std::fs::read_to_string(repo_root().join("targets/targets.toml")).unwrap();
    let setting = format!("fiscal_year_start_month = {month}");
    assert!(builtin.contains("fiscal_year_start_month = 1"));
    builtin.replacen("fiscal_year_start_month = 1", &setting, 1)
}

/// Ada's book by hand: A1 100 → 120 and A2 50 → 0 over FY2027-Q1 of a February year
/// (E = 2026-04, S = 2025-04); Bo's A3 is new in 2026-02.
const ARR: &str = "account_id,month,arr\n\
A1,2025-04,100\nA1,2026-01,110\nA1,2026-04,120\n\
A2,2025-04,50\nA2,2026-04,0\n\
A3,2026-02,30\nA3,2026-04,30\n";

#[test]
fn a_february_year_scores_its_own_quarters() {
    let fixture = Fixture::new().file("data/arr.csv", ARR).file("fy.toml", &targets(2));
    let run = fixture.score(&["--targets", "fy.toml"]).success();
    // The data ends in 2026-04, the end of FY2027-Q1.
    assert!(run.stdout.starts_with("FY2027-Q1 (as of 2026-04, 12-month window)"), "{}", run.stdout);
    let ada = scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!((ada["quarter"].as_str(), ada["as_of_month"].as_str()), ("FY2027-Q1", "2026-04"));
    // Cohort A1 + A2 = 150 at 2025-04; at 2026-04 120: NDR 0.8, GRR (150 − 50) / 150.
    assert_eq!((ada["start_arr"].as_str(), ada["end_arr"].as_str()), ("150.00", "120.00"));
    assert_eq!((ada["ndr"].as_str(), ada["grr"].as_str()), ("0.800000", "0.666667"));
    assert_eq!(scorecard(&fixture.read("out/scorecards.csv"), "Bo")["new_arr"], "30.00");
    // The trend steps back three months at a time, in fiscal names: FY2026-Q4 ends 2026-01.
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let trend: Vec<(&str, &str)> = json["scorecards"][0]["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["quarter"].as_str().unwrap(), t["as_of_month"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trend,
        [("FY2027-Q1", "2026-04"), ("FY2026-Q4", "2026-01"), ("FY2026-Q3", "2025-10"), ("FY2026-Q2", "2025-07")]
    );
    assert!(fixture.read("out/index.html").contains("<title>Team scorecards FY2027-Q1</title>"));
    assert!(fixture.read("out/advisors/ada.md").contains("FY2027-Q1"));
    let show = fixture.run(&["show", "ada", "--data", "data", "--targets", "fy.toml"]).success();
    assert!(flat(&show.stdout).contains("FY2026-Q2 FY2026-Q3 FY2026-Q4 FY2027-Q1 change"), "{}", show.stdout);

    // --quarter takes the fiscal form; the calendar form is refused, naming the fiscal one.
    let earlier = fixture.score(&["--targets", "fy.toml", "--quarter", "fy2026-q4", "--force"]).success();
    assert!(earlier.stdout.starts_with("FY2026-Q4 (as of 2026-01"), "{}", earlier.stdout);
    let refused = fixture.score(&["--targets", "fy.toml", "--quarter", "2026-Q1"]).code(3);
    refused.stderr_line(
        "--quarter: 2026-Q1 is a calendar quarter, but the targets' fiscal year starts in February: write fiscal quarters like FY2027-Q1 (2026-02 to 2026-04, which holds 2026-03)",
    );
    let outside = fixture.score(&["--targets", "fy.toml", "--quarter", "FY2028-Q1"]).code(3);
    assert!(outside.stderr.contains("FY2028-Q1; data covers 2025-04 to 2026-04"), "{}", outside.stderr);
}

#[test]
fn a_july_year_and_the_calendar_default() {
    // July: FY2026 = 2025-07..2026-06; the samples end in 2026-10, so the latest fiscal quarter
    // is FY2027-Q1 (2026-07..09).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fy.toml"), targets(7)).unwrap();
    let out = dir.path().join("out");
    let run = run_in(
        &repo_root(),
        &[
            "score",
            "--targets",
            dir.path().join("fy.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv",
        ],
    )
    .success();
    assert!(run.stdout.starts_with("FY2027-Q1 (as of 2026-09"), "{}", run.stdout);
    // 2026-09 also ends the calendar 2026-Q3: the numbers are the same, only the names differ.
    let calendar = dir.path().join("calendar");
    run_in(&repo_root(), &["score", "--out", calendar.to_str().unwrap(), "--format", "csv"]).success();
    let fiscal = std::fs::read_to_string(out.join("scorecards.csv")).unwrap();
    let plain = std::fs::read_to_string(calendar.join("scorecards.csv")).unwrap();
    assert_eq!(fiscal.replace(",FY2027-Q1,", ",2026-Q3,"), plain);

    // With the calendar default a fiscal quarter is refused, naming the calendar form.
    let refused = run_in(&repo_root(), &["validate", "--quarter", "FY2026-Q3"]).code(3);
    assert!(refused.stderr.contains("write calendar quarters like 2026-Q3"), "{}", refused.stderr);
}

#[test]
fn the_setting_is_validated() {
    let fixture = Fixture::new().file("fy.toml", &targets(13));
    let run = fixture.score(&["--targets", "fy.toml"]).code(3);
    assert!(
        run.stderr.contains("fiscal_year_start_month: must be a month from 1 (January: calendar quarters) to 12 (13)"),
        "{}",
        run.stderr
    );
}
