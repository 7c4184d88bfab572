//! Bad inputs (SPEC §8): each gives its `file:line: column: message (value)` line, exit code 3,
//! and leaves the output folder untouched.

use crate::util::{Fixture, ACCOUNTS, ADVISORS, ARR};

const INVALID_INPUT: i32 = 3;

/// Runs `score` on the fixture with an existing output folder, expects `line` on stderr and the
/// folder exactly as it was.
fn rejects(fixture: Fixture, extra: &[&str], line: &str) {
    let fixture = fixture.file("out/scorecards.csv", "previous results\n").file("out/.ta-scorecard", "marker\n");
    fixture.score(extra).code(INVALID_INPUT).stderr_line(line);
    let mut entries: Vec<_> =
        std::fs::read_dir(fixture.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    entries.sort();
    assert_eq!(entries, [".ta-scorecard", "scorecards.csv"]);
    assert_eq!(fixture.read("out/scorecards.csv"), "previous results\n");
    let beside: Vec<_> = std::fs::read_dir(fixture.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(beside.iter().all(|n| !n.to_string_lossy().starts_with(".out")), "no staging folder left: {beside:?}");
}

fn with_arr_line(line: &str) -> Fixture {
    Fixture::new().file("data/arr.csv", &format!("{ARR}{line}\n"))
}

#[test]
fn missing_file() {
    rejects(
        Fixture::new().remove("data/arr.csv"),
        &[],
        "data/arr.csv: cannot read file: No such file or directory (os error 2)",
    );
}

#[test]
fn missing_required_column_lists_the_columns_found() {
    let accounts = "account_id,account_name\nA1,Acme\n";
    rejects(
        Fixture::new().file("data/accounts.csv", accounts),
        &[],
        "data/accounts.csv:1: advisor: required column missing; if the export names it otherwise, add advisor = \"its header\" under [accounts] in columns.toml (found: account_id, account_name)",
    );
}

#[test]
fn non_numeric_arr() {
    rejects(with_arr_line("A1,2026-06,12x"), &[], "data/arr.csv:9: arr: not a number (12x)");
}

#[test]
fn negative_arr() {
    rejects(with_arr_line("A1,2026-06,-5"), &[], "data/arr.csv:9: arr: negative ARR (-5)");
}

#[test]
fn unparsable_month() {
    rejects(
        with_arr_line("A1,2026-13,5"),
        &[],
        "data/arr.csv:9: month: not a month, expected YYYY-MM or YYYY-MM-DD (2026-13)",
    );
}

#[test]
fn duplicate_account_id() {
    rejects(
        Fixture::new().file("data/accounts.csv", &format!("{ACCOUNTS}A1,Again,Bo,,,,,\n")),
        &[],
        "data/accounts.csv:5: account_id: duplicate account_id, first seen on line 2 (A1)",
    );
}

#[test]
fn health_outside_the_scale() {
    let accounts = ACCOUNTS.replace("A1,Acme,Ada,SMB,10,no,8,", "A1,Acme,Ada,SMB,10,no,75,");
    rejects(
        Fixture::new().file("data/accounts.csv", &accounts),
        &[],
        "data/accounts.csv:2: health_score: outside the 0 to 10 scale; a 0–100 score? divide by 10 (75)",
    );
}

#[test]
fn unknown_segment_text() {
    let accounts = ACCOUNTS.replace("A1,Acme,Ada,SMB,", "A1,Acme,Ada,Large,");
    rejects(
        Fixture::new().file("data/accounts.csv", &accounts),
        &[],
        "data/accounts.csv:2: segment: unknown segment, expected SMB, MM, Ent or Strategic (or blank for the rules) (Large)",
    );
}

#[test]
fn unknown_level() {
    rejects(
        Fixture::new().file("data/advisors.csv", &ADVISORS.replace("Bo,IC3", "Bo,IC9")),
        &[],
        "data/advisors.csv:3: level: unknown level, expected one of IC1, IC2, IC3, IC4, IC5 (IC9)",
    );
}

#[test]
fn arr_for_an_account_missing_from_accounts_csv() {
    rejects(
        with_arr_line("Z9,2026-09,100"),
        &[],
        "data/arr.csv:9: account_id: not in data/accounts.csv: its ARR would belong to no book (Z9)",
    );
}

#[test]
fn quarter_outside_the_data() {
    rejects(
        Fixture::new(),
        &["--quarter", "2027-Q1"],
        "--quarter: ends in 2027-03, outside the months of data/arr.csv (2027-Q1; data covers 2025-06 to 2026-09)",
    );
}

#[test]
fn empty_file() {
    rejects(
        Fixture::new().file("data/advisors.csv", ""),
        &[],
        "data/advisors.csv:1: file is empty: expected a header row",
    );
}

#[test]
fn header_with_no_rows() {
    rejects(
        Fixture::new().file("data/arr.csv", "account_id,month,arr\n"),
        &[],
        "data/arr.csv:2: no data rows after the header",
    );
}

#[test]
fn every_problem_of_every_file_at_once() {
    let fixture = Fixture::new()
        .file("data/arr.csv", &format!("{ARR}A1,2026-06,12x\n\nA2,June,-1\n"))
        .file("data/accounts.csv", &ACCOUNTS.replace("8,2026-12-01", "8,2026-12-32"));
    let run = fixture.score(&[]).code(INVALID_INPUT);
    let run = run.stderr_line("error: the inputs have 4 problems; nothing was written");
    let run = run.stderr_line("data/accounts.csv:2: renewal_date: not a date, expected YYYY-MM-DD (2026-12-32)");
    let run = run.stderr_line("data/arr.csv:9: arr: not a number (12x)");
    let run = run.stderr_line("data/arr.csv:11: month: not a month, expected YYYY-MM or YYYY-MM-DD (June)");
    run.stderr_line("data/arr.csv:11: arr: negative ARR (-1)");
    assert!(!fixture.path().join("out").exists(), "no output folder is created");
}

#[test]
fn line_numbers_count_physical_lines() {
    // A quoted newline in a name moves every later line down by one.
    let accounts = "account_id,account_name,advisor\nA1,\"two\nlines\",Ada\nA2,x,Ada\nA3,y,Bo\nA3,z,Bo\n";
    rejects(
        Fixture::new().file("data/accounts.csv", accounts),
        &[],
        "data/accounts.csv:6: account_id: duplicate account_id, first seen on line 5 (A3)",
    );
}

#[test]
fn invalid_targets_name_the_file_and_key() {
    let targets = std::fs::read_to_string(crate::util::repo_root().join("targets/targets.toml")).unwrap().replacen(
        "tolerance = 0.05 }",
        "tolerance = -0.05 }",
        1,
    );
    rejects(
        Fixture::new().file("bad.toml", &targets),
        &["--targets", "bad.toml"],
        "bad.toml: levels.IC1.ndr.tolerance: must not be negative (-0.05)",
    );
}

#[test]
fn a_command_line_that_does_not_parse_is_a_usage_error() {
    Fixture::new().score(&["--quarter", "2026-Q9"]).code(2);
    Fixture::new().run(&["score", "--no-such-flag"]).code(2);
}

#[test]
fn a_column_named_twice_is_ambiguous() {
    rejects(
        Fixture::new().file("data/advisors.csv", "advisor,level,Level\nAda,IC1,IC2\nBo,IC3,IC3\n"),
        &[],
        "data/advisors.csv:1: level: column appears twice in the header",
    );
}
