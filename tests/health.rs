//! Health history (SPEC §11) and the promotion rules (SPEC §6) end to end: health.csv scores each
//! quarter end with the health it had then; without it the pages say today's scores stand in;
//! a framework that asks for quarters at the current level checks them against that level.

use crate::util::{flat, repo_root, run_in, scorecard, Fixture};

// Ada's accounts: A1 scored 5.0 in 2025-09 and 9.0 from 2026-06; A2 7.0 from 2026-09. At
// 2026-09: mean (9 + 7) / 2 = 8.0, weighted (9 × 1,200 + 7 × 1,500) / 2,700 = 7.888889, where
// accounts.csv's current scores (8 and 6.5) would give 7.25.
const HEALTH: &str = "\
account_id,month,health_score
A1,2025-09,5.0
A1,2026-06,9.0
A2,2026-09,7
";

#[test]
fn each_quarter_end_is_scored_with_the_health_it_had() {
    let fixture = Fixture::new().file("data/health.csv", HEALTH);
    fixture.score(&[]).success();
    let ada = scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!((ada["health_avg"].as_str(), ada["health_arr_weighted"].as_str()), ("8.000000", "7.888889"));
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["health_history"], true);
    assert_eq!(json["scorecards"][0]["trend"][0]["health_avg"], 8.0);
    let page = fixture.read("out/advisors/ada.md");
    assert!(!page.contains("health history not provided"), "{page}");
    // accounts.csv shows the evaluated month's score, not accounts.csv's.
    assert!(fixture.read("out/accounts.csv").contains(",9.000000,2026-12-01,"));
}

#[test]
fn without_health_history_every_view_says_today_s_scores_stand_in() {
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    let note = "health history not provided: earlier quarters use today's scores";
    assert!(fixture.read("out/advisors/ada.md").contains(note));
    assert!(fixture.read("out/advisors/ada.html").contains(&note.replace('\'', "&#39;")));
    let show = fixture.run(&["show", "ada", "--data", "data"]).success();
    assert!(flat(&show.stdout).contains(&format!("Health: {note}.")), "{}", show.stdout);
    assert!(flat(&show.stdout).contains("Its health check rests on today's scores"), "{}", show.stdout);
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["health_history"], false);
}

#[test]
fn bad_health_rows_are_all_named_with_their_lines() {
    let bad = "account_id,month,health_score\nA1,2026-09,11\nA9,2026-09,7\nA2,Sept,7\nA2,2026-06,7\nA2,2026-06-30,8\n";
    let fixture = Fixture::new().file("data/health.csv", bad);
    fixture
        .run(&["validate", "--data", "data"])
        .code(3)
        .stderr_line("data/health.csv:2: health_score: outside the 0 to 10 scale; a 0–100 score? divide by 10 (11)")
        .stderr_line("data/health.csv:3: account_id: not in data/accounts.csv: a health score needs its account (A9)")
        .stderr_line("data/health.csv:4: month: not a month, expected YYYY-MM or YYYY-MM-DD (Sept)");
    let twice = "account_id,month,health_score\nA2,2026-06,7\nA1,2026-06,7\nA2,2026-06-30,8\n";
    Fixture::new().file("data/health.csv", twice).run(&["validate", "--data", "data"]).code(3).stderr_line(
        "data/health.csv:4: month: a second health score for A2 in this month, first on line 2 (2026-06-30)",
    );
}

#[test]
fn a_workbook_carries_its_health_history_in_a_sheet() {
    let accounts = crate::util::ACCOUNTS.replace(",no,", ",0,").replace(",yes,", ",1,");
    let sheets = [
        ("accounts", accounts.as_str()),
        ("arr", crate::util::ARR),
        ("advisors", crate::util::ADVISORS),
        ("health", HEALTH),
    ];
    let fixture = Fixture::empty().bytes("book.xlsx", &crate::exports::workbook(&sheets));
    fixture.run(&["score", "--data", "book.xlsx", "--out", "out"]).success();
    assert_eq!(scorecard(&fixture.read("out/scorecards.csv"), "Ada")["health_avg"], "8.000000");
}

#[test]
fn the_ce_rule_checks_four_quarters_at_the_own_level_and_one_at_the_next() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    let args = ["score", "--targets", "targets/ce-framework.toml", "--out", out_dir.to_str().unwrap()];
    run_in(&repo_root(), &args).success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("scorecards.json")).unwrap()).unwrap();
    let priya = json["scorecards"].as_array().unwrap().iter().find(|c| c["advisor"] == "Priya Shah").unwrap();
    let checks = priya["readiness"].as_array().unwrap();
    let levels: Vec<(&str, bool)> =
        checks.iter().map(|c| (c["level"].as_str().unwrap(), c["next_level"].as_bool().unwrap())).collect();
    assert_eq!(levels, [("IC2", true), ("IC1", false), ("IC1", false), ("IC1", false), ("IC1", false)]);
    let quarters: Vec<&str> = checks.iter().map(|c| c["quarter"].as_str().unwrap()).collect();
    assert_eq!(quarters, ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3"]);
    // Ready only when every check is met; a check not met says what fell short.
    let all_met = checks.iter().all(|c| c["met"] == true);
    assert_eq!(priya["next_level_ready"], all_met);
    for c in checks.iter().filter(|c| c["met"] == false) {
        assert!(!c["fell_short"].as_array().unwrap().is_empty(), "{c}");
    }
    let show = run_in(&repo_root(), &["show", "priya", "--targets", "targets/ce-framework.toml"]).success();
    assert!(flat(&show.stdout).contains("2025-Q3 IC1 (own)"), "{}", show.stdout);
    assert!(
        flat(&show.stdout).contains("after IC1's own targets at each of 2026-Q2, 2026-Q1, 2025-Q4 and 2025-Q3"),
        "{}",
        show.stdout
    );
    run_in(&repo_root(), &["targets", "--targets", "targets/support-framework.toml"]).success();
}
