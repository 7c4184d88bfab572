//! `ta-scorecard compare OLD NEW` (issue 29) through the binary: a restatement, two quarters,
//! advisors added, and unreadable inputs.

use crate::util::{Fixture, ADVISORS, ARR};

/// Scores the fixture's data into `out`.
fn score(fixture: &Fixture, out: &str, extra: &[&str]) {
    let mut args = vec!["score", "--data", "data", "--out", out, "--format", "json", "--force"];
    args.extend_from_slice(extra);
    fixture.run(&args).success();
}

/// A1's ARR at 2026-09 corrected from 1,200 to 1,500: Ada's cohort (3,000 at the start) ends at
/// 3,000 instead of 2,700, so NDR goes from 90.0% (below IC1's 100–105% band) to 100.0% (near),
/// her overall status with it, and her GRR (losses only) stays. Bo does not change.
#[test]
fn a_restatement_names_what_moved_and_the_input_that_changed() {
    let fixture = Fixture::new();
    score(&fixture, "old", &[]);
    let corrected = Fixture::new().file("data/arr.csv", &ARR.replacen("A1,2026-09,1200", "A1,2026-09,1500", 1));
    score(&corrected, "new", &[]);
    let old = fixture.path().join("old");
    let new = corrected.path().join("new");
    let run = fixture.run(&["compare", old.to_str().unwrap(), new.to_str().unwrap()]).success();
    let text = run.stdout;
    assert!(text.contains("(2026-Q3): the same quarter, a restatement."), "{text}");
    assert!(text.contains("Inputs: arr.csv changed ("), "{text}");
    assert!(text.contains("the same: accounts.csv, advisors.csv, targets."), "{text}");
    assert!(text.contains("Ada\n  ndr_status below → near; overall_status below → near\n"), "{text}");
    assert!(text.contains("arr_active $2,700 → $3,000"), "{text}");
    assert!(text.contains("ndr 90.0% → 100.0%"), "{text}");
    assert!(!text.contains("grr "), "GRR did not move: {text}");
    assert!(!text.contains("\nBo\n"), "{text}");
    assert!(text.ends_with("1 advisor changed, 1 unchanged.\n"), "{text}");

    let json = fixture.run(&["compare", old.to_str().unwrap(), new.to_str().unwrap(), "--json"]).success();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["kind"], "restatement");
    assert_eq!(json["changed"][0]["advisor"], "Ada");
    let arr = json["inputs"].as_array().unwrap().iter().find(|i| i["name"] == "arr.csv").unwrap().clone();
    assert_eq!(arr["change"], "changed");
    // The same run twice: nothing changed.
    let same = fixture.run(&["compare", old.to_str().unwrap(), old.to_str().unwrap()]).success();
    assert!(same.stdout.ends_with("0 advisors changed, 2 unchanged.\n"), "{}", same.stdout);
}

/// Two quarters of the same data, and an advisor added to the roster.
#[test]
fn two_quarters_are_progress_and_added_advisors_are_named() {
    let fixture = Fixture::new();
    score(&fixture, "q2", &["--quarter", "2026-Q2"]);
    let grown = Fixture::new().file("data/advisors.csv", &format!("{ADVISORS}Cy,IC2,Max\n"));
    score(&grown, "q3", &[]);
    let (q2, q3) = (fixture.path().join("q2/scorecards.json"), grown.path().join("q3"));
    let run = fixture.run(&["compare", q2.to_str().unwrap(), q3.to_str().unwrap()]).success();
    assert!(run.stdout.contains("(2026-Q2) with "), "{}", run.stdout);
    assert!(run.stdout.contains("(2026-Q3): two quarters, progress."), "{}", run.stdout);
    assert!(run.stdout.contains("advisors.csv changed"), "{}", run.stdout);
    assert!(run.stdout.contains("Added: Cy.\n"), "{}", run.stdout);
}

#[test]
fn unreadable_runs_are_refused_with_a_clear_message() {
    let fixture =
        Fixture::new().file("notes.json", "{ this is not json").file("list.json", "{\"quarter\": \"2026-Q3\"}");
    let missing = fixture.path().join("nowhere");
    let notes = fixture.path().join("notes.json");
    let run = fixture.run(&["compare", missing.to_str().unwrap(), notes.to_str().unwrap()]).code(3);
    assert!(run.stderr.contains("OLD: cannot read it ("), "{}", run.stderr);
    assert!(run.stderr.contains("NEW: not a scorecards.json: not JSON"), "{}", run.stderr);
    let list = fixture.path().join("list.json");
    let run = fixture.run(&["compare", list.to_str().unwrap(), list.to_str().unwrap()]).code(3);
    assert!(run.stderr.contains("OLD: not a scorecards.json: it has no \"scorecards\" list"), "{}", run.stderr);
}
