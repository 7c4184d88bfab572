//! `score` on small fixtures whose every figure is computed by hand in the comments.

use crate::util::{rows, scorecard, Fixture};

// Ada (IC1): A1 1,000 → 1,200 (expansion 200), A2 2,000 → 1,500 (contraction 500).
//   start 3,000, end 2,700, NDR 0.9 (below 1.05 − 0.05), GRR 2,500 / 3,000 (near 0.85 − 0.05),
//   health (8 + 6.5) / 2 = 7.25, weighted (8 × 1,200 + 6.5 × 1,500) / 2,700 = 7.166667.
//   A1 SMB (CRM), A2 MM by 500 employees, both under 100k: all primary for IC1.
// Bo (IC3): A3 5,000 → 0 (churn): NDR 0, GRR 0, no active account so no health.
// No ownership history and one currency: nothing transferred, no exchange-rate impact, USD.
const EXPECTED: &str = "\
advisor,level,manager,quarter,as_of_month,window_months,accounts_active,arr_active,cohort_accounts,start_arr,end_arr,expansion_arr,contraction_arr,churned_arr,new_arr,ndr,grr,health_avg,health_arr_weighted,ndr_target,grr_target,health_min,ndr_status,grr_status,health_status,overall_status,primary_scope_share,scope_status,next_level,next_level_ready,transferred_in_arr,transferred_out_arr,fx_impact_arr,currency,ndr_avg4,grr_avg4
Ada,IC1,Max,2026-Q3,2026-09,12,2,2700.00,2,3000.00,2700.00,200.00,500.00,0.00,0.00,0.900000,0.833333,7.250000,7.166667,1.050000,0.850000,7.000000,below,near,meets,below,1.000000,meets,IC2,false,0.00,0.00,0.00,USD,,
Bo,IC3,Max,2026-Q3,2026-09,12,0,0.00,1,5000.00,0.00,0.00,0.00,5000.00,0.00,0.000000,0.000000,,,1.100000,0.950000,7.000000,below,below,n/a,below,,n/a,IC4,false,0.00,0.00,0.00,USD,,
";

#[test]
fn scorecards_csv_follows_the_spec_to_the_letter() {
    let fixture = Fixture::new();
    let run = fixture.score(&[]).success();
    assert_eq!(fixture.read("out/scorecards.csv"), EXPECTED);
    assert!(run.stdout.contains("2026-Q3 (as of 2026-09, 12-month window)"), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with("Ada") && l.contains("90.0% below")), "{}", run.stdout);
}

#[test]
fn accounts_csv_has_one_row_per_account_with_its_movement() {
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    let table = rows(&fixture.read("out/accounts.csv"));
    assert_eq!(table[0][..4], ["account_id", "account_name", "advisor", "segment"]);
    let movement: Vec<(&str, &str, &str)> =
        table[1..].iter().map(|r| (r[0].as_str(), r[6].as_str(), r[11].as_str())).collect();
    assert_eq!(
        movement,
        [("A1", "SMB <100k", "expansion"), ("A2", "MM <100k", "contraction"), ("A3", "Ent <100k", "churn")]
    );
}

#[test]
fn json_has_the_records_plus_trend_tiers_and_readiness() {
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let ada = &json["scorecards"][0];
    assert_eq!(ada["advisor"], "Ada");
    assert_eq!(ada["ndr"], 0.9);
    assert_eq!(ada["grr"], 0.833333);
    assert_eq!(ada["trend"].as_array().unwrap().len(), 4);
    // 2025-Q4 (window from 2024-12) is before the data (2025-06): nulls, not zeros.
    assert_eq!(ada["trend"][3]["quarter"], "2025-Q4");
    assert!(ada["trend"][3]["start_arr"].is_null());
    assert_eq!(ada["trend"][3]["ndr_status"], "n/a");
    let tiers: Vec<(&str, f64)> = ada["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["tier"].as_str().unwrap(), t["arr"].as_f64().unwrap()))
        .collect();
    assert_eq!(tiers, [("MM <100k", 1500.0), ("SMB <100k", 1200.0)]);
    assert_eq!(ada["readiness"][0]["quarter"], "2026-Q3");
    assert_eq!(ada["readiness"][0]["met"], false);
    // IC2's primary tier is MM 100k+: none of Ada's book, shown beside readiness.
    assert_eq!(ada["next_level_scope_share"], 0.0);
    assert!(json["scorecards"][1]["next_level_scope_share"].is_null(), "Bo has no active ARR at 2026-09");
}

#[test]
fn messy_but_valid_exports_are_read() {
    // BOM, CRLF, header case and spaces, quoting, extra columns, YYYY-MM-DD months,
    // several rows for one account and month (summed), a trailing line of commas.
    let accounts = "\u{feff}Account_ID , Account_Name,ADVISOR,Segment,Notes\r\nA1,\"Acme, Inc.\",Ada,smb,\"said \"\"hi\"\"\"\r\n,,,,\r\n";
    let arr = "account_id,Month,ARR,product\r\nA1,2025-09-30,600,core\r\nA1,2025-09,400.50,addon\r\nA1,2026-09-01, 1200 ,core\r\n";
    let fixture = Fixture::new().file("data/accounts.csv", accounts).file("data/arr.csv", arr);
    fixture.score(&[]).success();
    let ada = scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!((ada["start_arr"].as_str(), ada["end_arr"].as_str()), ("1000.50", "1200.00"));
    assert_eq!(ada["ndr"], format!("{:.6}", 1200.0 / 1000.5));
    assert_eq!(rows(&fixture.read("out/accounts.csv"))[1][1], "Acme, Inc.");
}

#[test]
fn unassigned_off_roster_and_empty_books() {
    let accounts = "account_id,advisor\nA1,Ada\nA2,\nA3,Zed\n";
    let arr = "account_id,month,arr\nA1,2025-09,100\nA1,2026-09,100\nA2,2025-09,50\nA2,2026-09,60\nA3,2026-09,70\n";
    let advisors = "advisor,level,manager\nAda,IC2,Max\nNew Hire,IC1,Max\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", advisors);
    let run = fixture.score(&[]).success();
    let text = fixture.read("out/scorecards.csv");
    let names: Vec<String> = rows(&text)[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, ["(unassigned)", "Ada", "New Hire", "Zed"]);

    let unassigned = scorecard(&text, "(unassigned)");
    assert_eq!((unassigned["level"].as_str(), unassigned["ndr"].as_str()), ("", "1.200000"));
    assert_eq!((unassigned["overall_status"].as_str(), unassigned["next_level_ready"].as_str()), ("n/a", "false"));
    assert_eq!((unassigned["ndr_target"].as_str(), unassigned["primary_scope_share"].as_str()), ("", ""));

    let hire = scorecard(&text, "New Hire");
    assert_eq!(
        (hire["accounts_active"].as_str(), hire["arr_active"].as_str(), hire["start_arr"].as_str()),
        ("0", "0.00", "0.00")
    );
    assert_eq!(
        (hire["ndr"].as_str(), hire["overall_status"].as_str(), hire["scope_status"].as_str()),
        ("", "n/a", "n/a")
    );

    let zed = scorecard(&text, "Zed");
    assert_eq!((zed["level"].as_str(), zed["new_arr"].as_str(), zed["ndr_status"].as_str()), ("", "70.00", "n/a"));
    assert!(run.stderr.contains("warning: advisor 'Zed' owns accounts"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: advisor 'New Hire' is on the roster but owns no account"), "{}", run.stderr);
}

#[test]
fn quarter_flag_picks_an_earlier_quarter() {
    let fixture = Fixture::new();
    fixture.score(&["--quarter", "2026-Q2"]).success();
    let ada = scorecard(&fixture.read("out/scorecards.csv"), "Ada");
    assert_eq!((ada["quarter"].as_str(), ada["as_of_month"].as_str()), ("2026-Q2", "2026-06"));
    // The window 2025-06 → 2026-06 has no ARR for Ada at its start: no cohort, null ratios.
    assert_eq!((ada["cohort_accounts"].as_str(), ada["ndr"].as_str()), ("0", ""));
}

#[test]
fn no_book_meets_its_level_without_ndr() {
    // 2025-Q1 on the samples: the 12-month window starts before the data, so there is no NDR;
    // health alone must not make anyone "meets" (SPEC §6), and every view says why.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = crate::util::run_in(
        &crate::util::repo_root(),
        &["score", "--quarter", "2025-Q1", "--out", out.to_str().unwrap()],
    )
    .success();
    let csv = std::fs::read_to_string(out.join("scorecards.csv")).unwrap();
    for row in crate::util::rows(&csv).iter().skip(1) {
        assert_eq!((row[15].as_str(), row[25].as_str()), ("", "n/a"), "{row:?}");
    }
    let why = "not enough history for a 12-month window (data from 2024-04)";
    assert!(run.stdout.contains(&format!("overall n/a for 8 advisors: {why}")), "{}", run.stdout);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let shown = format!("<span class=\"status status-na\">n/a</span> <span class=\"detail\">{why}</span>");
    assert!(index.contains(&shown), "the index says why");
    let page = std::fs::read_to_string(out.join("advisors/priya-shah.md")).unwrap();
    assert!(page.contains(&format!("**Overall: n/a: {why}.**")), "{page}");
    // With NDR the rule is unchanged: at 2026-Q3 Priya Shah meets her level, with no note.
    let (_dir, out) = crate::pages::sample_output();
    let csv = std::fs::read_to_string(out.join("scorecards.csv")).unwrap();
    assert_eq!(scorecard(&csv, "Priya Shah")["overall_status"], "meets");
    let page = std::fs::read_to_string(out.join("advisors/priya-shah.md")).unwrap();
    assert!(page.contains("**Overall: meets.**"), "{page}");
}

#[test]
fn separate_file_flags_and_a_targets_file() {
    let targets = crate::util::repo_root().join("targets/targets.toml");
    let edited = std::fs::read_to_string(&targets).unwrap().replace(
        "ndr = { target = 1.05, tolerance = 0.05 }\ngrr = { target = 0.85, tolerance = 0.05 }",
        "ndr = { target = 0.90, tolerance = 0.05 }\ngrr = { target = 0.80, tolerance = 0.05 }",
    );
    let fixture = Fixture::new().file("mine.toml", &edited);
    fixture
        .run(&[
            "score",
            "--accounts",
            "data/accounts.csv",
            "--arr",
            "data/arr.csv",
            "--advisors",
            "data/advisors.csv",
            "--targets",
            "mine.toml",
            "--out",
            "q3",
        ])
        .success();
    let ada = scorecard(&fixture.read("q3/scorecards.csv"), "Ada");
    assert_eq!(
        (ada["ndr_target"].as_str(), ada["ndr_status"].as_str(), ada["grr_status"].as_str()),
        ("0.900000", "meets", "meets")
    );
}

#[test]
fn output_cells_that_look_like_formulas_are_neutralised() {
    let accounts = "account_id,account_name,advisor\nA1,=HYPERLINK(\"http://x\"),@Ada\n";
    let arr = "account_id,month,arr\nA1,2025-09,100\nA1,2026-09,100\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", "advisor,level\n@Ada,IC1\n");
    fixture.score(&[]).success();
    let table = rows(&fixture.read("out/accounts.csv"));
    assert_eq!((table[1][1].as_str(), table[1][2].as_str()), ("'=HYPERLINK(\"http://x\")", "'@Ada"));
    assert_eq!(rows(&fixture.read("out/scorecards.csv"))[1][0], "'@Ada");
}

#[test]
fn renewals_by_health_band_and_logo_retention() {
    // A1 (health 8) renews 2026-12-01, inside the next two quarters; A3 renews 2027-01-15 but has
    // no ARR at 2026-09. Ada's cohort keeps both accounts: logo retention 1; Bo's loses A3: 0.
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let (ada, bo) = (&json["scorecards"][0], &json["scorecards"][1]);
    assert_eq!((ada["logo_retention"].as_f64(), bo["logo_retention"].as_f64()), (Some(1.0), Some(0.0)));
    assert_eq!(ada["renewals"][0]["account_id"], "A1");
    // Health 8 against a minimum of 7: "near" is [7, 8), so healthy.
    assert_eq!(ada["renewals"][0]["band"], "healthy");
    assert_eq!(bo["renewals"].as_array().unwrap().len(), 0);
    assert!(!fixture.read("out/scorecards.csv").contains("logo_retention"), "informational: not in the CSV");
    let page = fixture.read("out/advisors/ada.md");
    assert!(page.contains("1 account healthy ($1,200); ARR at risk $0."), "{page}");
    assert!(page.contains("Logo retention 100.0%: 2 of 2 cohort accounts still active."), "{page}");
    let index = fixture.read("out/index.md");
    assert!(index.contains("Across the team: 1 account healthy ($1,200); ARR at risk $0."), "{index}");
}
