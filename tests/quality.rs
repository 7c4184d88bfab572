//! Data-quality warnings, `--strict`, the reconciliation line, and how the output folder is
//! replaced (issue 4).

use crate::util::{Fixture, ACCOUNTS, ADVISORS};

#[test]
fn warnings_for_suspicious_exports() {
    // "ada" is a misspelling of the roster's "Ada"; A4 never has ARR; nobody has a row in
    // 2026-01; A1 jumps 20× in a month; every health score is at most 1.
    let accounts = "account_id,advisor,health_score\nA1,Ada,0.8\nA2,ada,0.9\nA3,Bo,\nA4,Bo,0.5\n";
    let arr = "account_id,month,arr\n\
        A1,2025-09,100\nA1,2025-12,100\nA1,2026-02,100\nA1,2026-03,2000\nA1,2026-09,2000\n\
        A2,2025-09,50\nA2,2025-12,50\nA2,2026-02,50\nA2,2026-09,50\n\
        A3,2025-09,10\nA3,2025-12,10\nA3,2026-02,10\nA3,2026-03,10\nA3,2026-09,10\n";
    let fixture = Fixture::new().file("data/accounts.csv", accounts).file("data/arr.csv", arr);
    let run = fixture.score(&[]).success();
    for expected in [
        "warning: advisor 'ada' owns accounts (1 active) but is not in advisors.csv: scored without a level; did you mean 'Ada'?",
        "warning: 1 accounts have no row in arr.csv at all (ARR 0 throughout), e.g. A4",
        "warning: no account has a row for 2025-10, 2025-11, 2026-01, 2026-04 … 2026-08 (8 months): every account reads as ARR 0 that month; is the export complete?",
        "warning: 1 month-over-month ARR changes above 10× or below a tenth (check units and duplicates), e.g. A1 2026-03 $100.00 → $2,000.00",
        "warning: all 3 health scores are between 0 and 1: the export looks like a 0–1 scale, but health is read on 0–10",
    ] {
        assert!(run.stderr.lines().any(|l| l == expected), "missing\n  {expected}\nin\n{}", run.stderr);
    }
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["warnings"].as_array().unwrap().len(), 5);
    assert!(fixture.read("out/index.html").contains("did you mean &#39;Ada&#39;?"));
}

#[test]
fn strict_turns_warnings_into_errors_and_writes_nothing() {
    let fixture = Fixture::new().file("data/advisors.csv", &format!("{ADVISORS}Cy,IC2,Max\n"));
    fixture.score(&["--strict"]).code(3).stderr_line("--strict: advisor 'Cy' is on the roster but owns no account");
    assert!(!fixture.path().join("out").exists());
    fixture.score(&[]).success();
}

#[test]
fn reconciliation_is_printed_and_recorded() {
    // Two rows for A1 in 2026-09 are summed: 7 rows read, 6 used, 1 merged.
    let arr = "account_id,month,arr\nA1,2025-09,1000\nA1,2026-09,700\nA1,2026-09,500\nA2,2025-09,2000\nA2,2026-09,1500\nA3,2025-06,5000\nA3,2026-09,0\n";
    let fixture = Fixture::new().file("data/arr.csv", arr);
    let run = fixture.score(&[]).success();
    let line = "reconciliation: 2026-09 ARR $2,700.00 = advisors $2,700.00 + unassigned $0.00 ✓ · arr.csv rows read 7 = used 6 + merged 1";
    assert!(run.stdout.lines().any(|l| l == line), "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["reconciliation"]["balanced"], true);
    assert_eq!(json["reconciliation"]["rows_merged"], 1);
}

#[test]
fn the_output_folder_keeps_every_file_the_tool_did_not_write() {
    // A rerun replaces what the tool wrote and keeps the rest, naming it in a note.
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    std::fs::write(fixture.path().join("out/file.txt"), "my own notes").unwrap();
    std::fs::create_dir_all(fixture.path().join("out/advisors/mine")).unwrap();
    std::fs::write(fixture.path().join("out/advisors/mine/draft.md"), "a draft").unwrap();
    fixture
        .score(&[])
        .success()
        .stderr_line("note: out: kept 2 files ta-scorecard did not write: advisors/mine/draft.md, file.txt");
    assert_eq!(fixture.read("out/file.txt"), "my own notes");
    assert_eq!(fixture.read("out/advisors/mine/draft.md"), "a draft");
    assert!(fixture.path().join("out/advisors/ada.html").is_file());

    // A folder the tool did not write: refused, and with --force written beside the files.
    let fixture = Fixture::new().file("out/notes.txt", "my own notes");
    fixture.score(&[]).code(3).stderr_line(
        "--out: holds files ta-scorecard did not write; choose another folder, or pass --force to write beside them \
         (they are kept) (out)",
    );
    assert_eq!(fixture.read("out/notes.txt"), "my own notes");
    fixture.score(&["--force"]).success();
    assert_eq!(fixture.read("out/notes.txt"), "my own notes");
    assert!(fixture.path().join("out/scorecards.csv").is_file());

    // Never the current folder, nor one holding the inputs, even with --force.
    Fixture::new().run(&["score", "--data", "data", "--out", "."]).code(3);
    let here = Fixture::new();
    std::fs::create_dir_all(here.path().join("sub")).unwrap();
    here.run(&["score", "--data", "data", "--out", "data", "--force"])
        .code(3)
        .stderr_line("--out: holds the input data/accounts.csv: choose a folder of its own, such as out/ (data)");
    assert!(here.path().join("data/accounts.csv").is_file());
}

#[test]
fn a_killed_run_s_staging_folder_is_removed_by_the_next_run() {
    let fixture = Fixture::new();
    // A run killed mid-write leaves its staging folder; PID 999999999 is not alive.
    let stale = fixture.path().join(".out.new-999999999");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("scorecards.csv"), "half").unwrap();
    fixture.score(&[]).success();
    assert!(!stale.exists(), "the stale staging folder is gone");
    assert!(fixture.path().join("out/scorecards.csv").is_file());
}

#[test]
fn formula_cells_are_neutralised_in_every_csv() {
    let accounts = ACCOUNTS.replace("A1,Acme,Ada", "A1,-cmd|' /C calc'!A0,Ada");
    let fixture = Fixture::new().file("data/accounts.csv", &accounts);
    fixture.score(&[]).success();
    assert!(fixture.read("out/accounts.csv").contains(",'-cmd|' /C calc'!A0,"));
    // Numbers are never prefixed, negative or not.
    assert!(fixture.read("out/accounts.csv").contains(",-500.00,"));
}

#[test]
fn validate_reports_without_writing() {
    let fixture = Fixture::new();
    let run = fixture.run(&["validate", "--data", "data"]).success();
    assert!(
        run.stdout.starts_with("valid: 3 accounts, 7 arr.csv rows (7 account-months), 2 scorecards for 2026-Q3"),
        "{}",
        run.stdout
    );
    assert!(!fixture.path().join("out").exists());
}

#[test]
fn validate_groups_caps_and_counts_problems() {
    let arr = "account_id,month,arr\nA1,2025-09,1x\nA1,2026-09,2x\nA1,2026-09,3x\nA2,2026-13,5\n";
    let fixture = Fixture::new().file("data/arr.csv", arr);
    let run = fixture.run(&["validate", "--data", "data", "--max-problems", "2"]).code(3);
    let run = run.stderr_line("data/arr.csv:2: arr: not a number (1x)");
    let run = run.stderr_line("data/arr.csv:3: arr: not a number (2x)");
    let run = run.stderr_line("data/arr.csv: … and 2 more problems");
    let run = run.stderr_line("     3 × data/arr.csv: arr: not a number");
    run.stderr_line("     1 × data/arr.csv: month: not a month, expected YYYY-MM or YYYY-MM-DD");
    assert!(!fixture.path().join("out").exists());
}

#[test]
fn unambiguous_messy_values_are_read_and_the_report_says_so() {
    let accounts = "account_id,advisor,ela,employees,health_score,renewal_date\n\
        A1,Ada,TRUE,\"1,200\",8,12/31/2026\nA2,Ada,False,5,7.5,\nA3,Bo,Y,,,\n";
    let arr = "account_id,month,arr\n\
        A1,9/30/2025,\"$1,234.50\"\nA1,9/30/2026,\"USD 2,000\"\n\
        A2,2025-09,$100\nA2,2026-09,  $150.25 \nA3,2025-09,0\nA3,2026-09,$10\n";
    let fixture = Fixture::new().file("data/accounts.csv", accounts).file("data/arr.csv", arr);
    let run = fixture.score(&["--date-format", "%m/%d/%Y"]).success();
    let ada = crate::util::scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!((ada["start_arr"].as_str(), ada["end_arr"].as_str()), ("1334.50", "2150.25"));
    let accounts_out = crate::util::rows(&fixture.read("out/accounts.csv"));
    assert_eq!(accounts_out[1][13], "2026-12-31", "renewal dates are written as ISO");
    assert_eq!(accounts_out[1][3], "Strategic", "TRUE is an ELA");
    assert!(
        run.stderr.lines().any(|l| l
            == "note: data/arr.csv: 5 amounts had a currency or thousands separators in USD; read as plain numbers"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("note: data/arr.csv: 2 months read as dates in the format %m/%d/%Y"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["notes"].as_array().unwrap().len(), 2);
}

#[test]
fn decimal_comma_and_semicolons_when_asked() {
    let accounts = "account_id;advisor;health_score\nA1;Ada;7,5\n";
    let arr = "account_id;month;arr\nA1;2025-09;1 234,00 €\nA1;2026-09;1.500,50 €\n";
    let advisors = "advisor;level\nAda;IC1\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", advisors);
    fixture.score(&["--delimiter", ";", "--decimal-comma"]).success();
    let ada = crate::util::scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!(
        (ada["start_arr"].as_str(), ada["end_arr"].as_str(), ada["health_avg"].as_str()),
        ("1234.00", "1500.50", "7.500000")
    );
    // The same file without --decimal-comma is refused, not misread.
    fixture.score(&["--delimiter", ";"]).code(3);
}
