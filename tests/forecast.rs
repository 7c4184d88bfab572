//! The quarter ahead (SPEC §12), so far its frame: the next quarter end, the origin and horizon,
//! the class table calibrated from the company's own history, and the words when there is no
//! forecast; the `[forecast]` settings of the targets.

use serde_json::{json, Value};

use crate::util::{repo_root, Fixture};

/// The built-in targets with `[forecast]`'s `key = value` in place of the built-in value.
fn targets(key: &str, value: &str) -> String {
    let builtin = std::fs::read_to_string(repo_root().join("targets/targets.toml")).unwrap();
    let line = builtin.lines().find(|l| l.starts_with(&format!("{key} = "))).expect("the key is in the built-in file");
    builtin.replacen(line, &format!("{key} = {value}"), 1)
}

fn forecast(fixture: &Fixture) -> Value {
    let json: Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    json["forecast"].clone()
}

// The fixture's arr.csv ends in 2026-09 = E, so T = 2026-12, O = 2026-09 and h = 3. Sample
// origins run from the first month (2025-06) to O − h = 2026-06; a month without a row is ARR 0.
// The samples, by hand: A3 5,000 at 2025-06 and 5,000 at 2025-09 (survived, r = 1); A1 1,000,
// A2 2,000 and A3 5,000 at 2025-09, none with a row at 2025-12 (three churns). So n = 4,
// p = 3/4, m = 5,000 / 5,000 = 1, v = 0.

#[test]
fn the_class_table_comes_from_the_company_s_history() {
    let fixture = Fixture::new().file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let forecast = forecast(&fixture);
    assert_eq!(forecast["target_quarter"], "2026-Q4");
    assert_eq!(forecast["target_month"], "2026-12");
    assert_eq!((forecast["origin_month"].as_str(), forecast["horizon_months"].as_u64()), (Some("2026-09"), Some(3)));
    assert_eq!(forecast["sample_origins"], "2025-06 … 2026-06 (13 months)");
    assert_eq!(forecast["unavailable"], Value::Null);
    assert!(forecast["classes_by"].as_str().unwrap().contains("without health history"), "{forecast}");
    let all = json!({"class": "all", "n": 4, "p": 0.75, "m": 1.0, "v": 0.0, "pooled": false});
    assert_eq!(forecast["classes"], json!([all]));
}

// With health.csv, each sample is classed by its health at its origin: A1 scored 5.0 at
// 2025-09 (5–7, churned); A2 has no score until 2026-09 and A3 none at all (unscored: A3 at
// 2025-06 survived, A2 and A3 at 2025-09 churned). With min_samples = 2 the 5–7 class (n = 1)
// takes the pooled figures (n = 4, p = 3/4, m = 1, v = 0); unscored keeps its own: p = 2/3.
#[test]
fn with_health_history_samples_are_classed_by_their_band_at_the_origin() {
    let health = "account_id,month,health_score\nA1,2025-09,5.0\nA1,2026-06,9.0\nA2,2026-09,7\n";
    let fixture = Fixture::new().file("data/health.csv", health).file("t.toml", &targets("min_samples", "2"));
    fixture.score(&["--targets", "t.toml"]).success();
    let forecast = forecast(&fixture);
    let classes = forecast["classes"].as_array().unwrap();
    let names: Vec<&str> = classes.iter().map(|c| c["class"].as_str().unwrap()).collect();
    assert_eq!(names, ["<5", "5–7", "7–8", "8+", "unscored"]);
    let counts: Vec<u64> = classes.iter().map(|c| c["n"].as_u64().unwrap()).collect();
    assert_eq!(counts, [0, 1, 0, 0, 3]);
    assert_eq!(classes[1], json!({"class": "5–7", "n": 1, "p": 0.75, "m": 1.0, "v": 0.0, "pooled": true}));
    assert_eq!(classes[4]["p"], 0.666667);
    assert_eq!(classes[4]["pooled"], false);
    assert!(forecast["classes_by"].as_str().unwrap().contains("health band"), "{forecast}");
}

#[test]
fn too_little_history_is_said_in_words_and_the_figures_are_empty() {
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    let forecast = forecast(&fixture);
    let why = forecast["unavailable"].as_str().unwrap();
    assert!(why.starts_with("not enough history to forecast: 4 samples"), "{why}");
    assert!(why.ends_with("fewer than forecast.min_samples (30)"), "{why}");
    assert_eq!(forecast["classes"][0]["n"], 4);
    assert_eq!((&forecast["classes"][0]["p"], &forecast["classes"][0]["m"]), (&Value::Null, &Value::Null));
}

#[test]
fn a_next_quarter_already_in_the_data_is_not_forecast() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    let run = crate::util::run_in(
        &repo_root(),
        &["score", "--quarter", "2026-Q2", "--format", "json", "--out", out.to_str().unwrap()],
    );
    run.success();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(out.join("scorecards.json")).unwrap()).unwrap();
    let forecast = &json["forecast"];
    assert_eq!(
        forecast["unavailable"],
        "the next quarter (2026-Q3) is already in the data: score it with --quarter 2026-Q3 instead"
    );
    assert_eq!((&forecast["origin_month"], &forecast["classes"]), (&Value::Null, &json!([])));
}

#[test]
fn bad_settings_are_refused_with_their_key_and_value() {
    let cases = [
        ("health_bands", "[7.0, 5.0]", "forecast.health_bands: must be one or more health scores above 0 and at most 10, in ascending order ([7, 5])"),
        ("health_bands", "[]", "forecast.health_bands: must be one or more health scores above 0 and at most 10, in ascending order ([])"),
        ("lookback_months", "0", "forecast.lookback_months: must be between 1 and 120 months (0)"),
        ("min_samples", "0", "forecast.min_samples: must be between 1 and 1,000,000 (0)"),
    ];
    for (key, value, message) in cases {
        let fixture = Fixture::new().file("t.toml", &targets(key, value));
        let run = fixture.score(&["--targets", "t.toml"]).code(3);
        assert!(run.stderr.contains(message), "{key} = {value}: {}", run.stderr);
        assert!(!fixture.path().join("out").exists(), "nothing is written");
    }
}

// A book worked by hand (no health history, so one class). E = O = 2026-09, T = 2026-12, h = 3,
// the window at T starts S_T = 2025-12. Samples (origins 2025-12 … 2026-06, a month without a
// row is ARR 0): at 2025-12 A1 1,000, A2 2,000, A3 500, none with a row at 2026-03 (3 churns);
// at 2026-06 A1 1,000 → 1,200 (r = 1.2), A2 2,000 → 1,500 (r = 0.75), A3 500 → 0 (a churn).
// n = 6, p = 4/6; m = 2,700 / 3,000 = 0.9; v = (1,000·0.3² + 2,000·0.15²) / 3,000 = 0.045.
// Each account at O: E[X] = x·(1 − p)·m = 0.3·x, Var[X] = x²·((1 − p)(v + m²) − ((1 − p)m)²)
// = 0.195·x²: A1 1,200 → 360 (Var 280,800); A2 1,500 → 450 (Var 438,750); A3 0 → 0.
// Ada (IC1, NDR 105%): cohort A1 1,000 + A2 2,000 = 3,000 at S_T.
//   runrate: end 2,700, NDR 0.9, GRR (3,000 − 500) / 3,000 = 0.833333; gap 1.05·3,000 − 2,700 = 450.
//   expected: end 810, NDR = GRR = 0.27; σ = √719,550 = 848.26; p10 = (810 − 1.28155·σ) / 3,000
//   = −0.092364, p90 = 0.632364; chance Φ((810 − 3,150) / σ) = 0.002903.
//   downside: A1 renews 2026-12-01 but its health (8, accounts.csv's) is above IC1's 7: as runrate.
//   The renewal that decides it: A1, 1,200 at O, expected loss 1,200 − 360 = 840.
// Bo (IC3, NDR 110%): A3 500 at S_T, 0 at O: every scenario ends at 0; σ = 0, so the chance is 0;
// gap 550; A3 renews after T.
const HAND_ARR: &str = "account_id,month,arr\n\
A1,2025-12,1000\nA1,2026-06,1000\nA1,2026-09,1200\n\
A2,2025-12,2000\nA2,2026-06,2000\nA2,2026-09,1500\n\
A3,2025-12,500\nA3,2026-06,500\nA3,2026-09,0\n";

#[test]
fn every_figure_of_forecast_csv_by_hand() {
    let fixture = Fixture::new().file("data/arr.csv", HAND_ARR).file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let rows = crate::util::rows(&fixture.read("out/forecast.csv"));
    assert_eq!(
        rows[0].join(","),
        "advisor,level,target_quarter,origin_month,horizon_months,start_arr,runrate_end_arr,runrate_ndr,runrate_grr,\
         expected_end_arr,expected_ndr,expected_grr,ndr_p10,ndr_p90,p_meets_ndr,downside_ndr,downside_grr,\
         expected_ndr_status,expected_grr_status,ndr_gap_arr,renewals_in_horizon,renewals_arr"
    );
    assert_eq!(
        rows[1].join(","),
        "Ada,IC1,2026-Q4,2026-09,3,3000.00,2700.00,0.900000,0.833333,810.00,0.270000,0.270000,\
         -0.092364,0.632364,0.002903,0.900000,0.833333,below,below,450.00,1,1200.00"
    );
    assert_eq!(
        rows[2].join(","),
        "Bo,IC3,2026-Q4,2026-09,3,500.00,0.00,0.000000,0.000000,0.00,0.000000,0.000000,\
         0.000000,0.000000,0.000000,0.000000,0.000000,below,below,550.00,0,0.00"
    );
    let json: Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let ada = &json["scorecards"][0]["forecast"];
    let renewal = json!({
        "account_id": "A1", "account_name": "Acme", "renewal_date": "2026-12-01", "arr": 1200.0,
        "health_score": 8.0, "class": "all", "p_churn": 0.666667, "expected_loss": 840.0
    });
    assert_eq!(ada["renewals"], json!([renewal]));
}

#[test]
fn without_a_forecast_every_figure_is_empty() {
    let fixture = Fixture::new().file("data/arr.csv", HAND_ARR);
    fixture.score(&[]).success();
    let rows = crate::util::rows(&fixture.read("out/forecast.csv"));
    assert_eq!(rows[1].join(","), "Ada,IC1,2026-Q4,2026-09,3,,,,,,,,,,,,,n/a,n/a,,,");
}

#[test]
fn the_runrate_is_the_ordinary_metrics_when_every_account_stays_where_it_is() {
    let forecast = Fixture::new().file("data/arr.csv", HAND_ARR).file("t.toml", &targets("min_samples", "1"));
    forecast.score(&["--targets", "t.toml"]).success();
    let runrate = crate::util::scorecard(&forecast.read("out/forecast.csv"), "Ada");
    // The same book a quarter later with every account at its ARR of 2026-09.
    let later = format!("{HAND_ARR}A1,2026-12,1200\nA2,2026-12,1500\n");
    let actual = Fixture::new().file("data/arr.csv", &later);
    actual.score(&["--quarter", "2026-Q4"]).success();
    let ada = crate::util::scorecard(&actual.read("out/scorecards.csv"), "Ada");
    assert_eq!((&runrate["runrate_ndr"], &runrate["runrate_grr"]), (&ada["ndr"], &ada["grr"]));
    assert_eq!((&runrate["start_arr"], &runrate["runrate_end_arr"]), (&ada["start_arr"], &ada["end_arr"]));
}

// The same book in two currencies: A1 in EUR, the rest in USD; rates EUR→USD 1.00 from 2025-12,
// 1.10 from 2026-09 and 1.50 from 2026-11, after O, which the forecast does not know. The class
// table is in each account's own currency, so p, m and v are as above; the scenarios are at O's
// rate, 1.10. Ada: start 1,000 × 1.10 + 2,000 = 3,100; runrate end 1,320 + 1,500 = 2,820 (NDR
// 0.909677); expected end 360 × 1.10 + 450 = 846 (NDR 0.272903); σ² = 280,800 × 1.10² + 438,750
// = 778,518; the renewal A1: 1,320 at O, expected loss 840 × 1.10 = 924.
#[test]
fn two_currencies_are_forecast_at_the_origin_s_rates() {
    let arr: String = HAND_ARR
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},currency\n"),
            _ if line.starts_with("A1") => format!("{line},EUR\n"),
            _ => format!("{line},USD\n"),
        })
        .collect();
    let rates = "month,from,to,rate\n2025-12,EUR,USD,1.00\n2026-09,EUR,USD,1.10\n2026-11,EUR,USD,1.50\n";
    let fixture = Fixture::new()
        .file("data/arr.csv", &arr)
        .file("data/rates.csv", rates)
        .file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let ada = crate::util::scorecard(&fixture.read("out/forecast.csv"), "Ada");
    let figures = ["start_arr", "runrate_end_arr", "runrate_ndr", "expected_end_arr", "expected_ndr", "renewals_arr"];
    let got: Vec<&str> = figures.iter().map(|f| ada[*f].as_str()).collect();
    assert_eq!(got, ["3100.00", "2820.00", "0.909677", "846.00", "0.272903", "1320.00"]);
    let sigma = 778_518f64.sqrt();
    let p90 = (846.0 + 1.2815515655446004 * sigma) / 3100.0;
    assert_eq!(ada["ndr_p90"], format!("{p90:.6}"));
    let json: Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let renewal = &json["scorecards"][0]["forecast"]["renewals"][0];
    assert_eq!((&renewal["arr"], &renewal["expected_loss"]), (&json!(1320.0), &json!(924.0)));
}

// A hand-over inside the window at T: A2 goes from Ada to Bo in 2026-08 (ARR 2,000 in 2026-07,
// a month that is no sample origin, so the class table is as above). Ada's tenure of A2 ends
// in 2026-07 at 2,000, known: her cohort is A1 (end at T) and that tenure. start 3,000; runrate
// end 1,200 + 2,000 = 3,200 (NDR 1.066667, GRR 1); expected 360 + 2,000 = 2,360 (NDR 0.786667);
// only A1 is uncertain: σ² = 280,800. Bo: A3 (500 → 0) and his tenure of A2 from 2,000 at
// 2026-07: start 2,500; runrate end 1,500 (NDR 0.6; GRR (2,500 − 500 churn − 500 contraction)
// / 2,500 = 0.6); expected 450 (NDR 0.18); σ² = 438,750.
#[test]
fn a_hand_over_inside_the_window_splits_the_book_by_tenure() {
    let arr = format!("{HAND_ARR}A2,2026-07,2000\n");
    let accounts = crate::util::ACCOUNTS.replace("A2,Bolt,Ada,", "A2,Bolt,Bo,");
    let ledger = "account_id,advisor,from\nA2,Ada,2025-01\nA2,Bo,2026-08\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", &accounts)
        .file("data/arr.csv", &arr)
        .file("data/ownership.csv", ledger)
        .file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let forecast = fixture.read("out/forecast.csv");
    let figures = ["start_arr", "runrate_end_arr", "runrate_ndr", "runrate_grr", "expected_end_arr", "expected_ndr"];
    let of = |advisor: &str| {
        let row = crate::util::scorecard(&forecast, advisor);
        figures.iter().map(|f| row[*f].clone()).collect::<Vec<_>>()
    };
    assert_eq!(of("Ada"), ["3000.00", "3200.00", "1.066667", "1.000000", "2360.00", "0.786667"]);
    assert_eq!(of("Bo"), ["2500.00", "1500.00", "0.600000", "0.600000", "450.00", "0.180000"]);
    let p90 =
        |end: f64, variance: f64, start: f64| format!("{:.6}", (end + 1.2815515655446004 * variance.sqrt()) / start);
    assert_eq!(crate::util::scorecard(&forecast, "Ada")["ndr_p90"], p90(2360.0, 280_800.0, 3000.0));
    assert_eq!(crate::util::scorecard(&forecast, "Bo")["ndr_p90"], p90(450.0, 438_750.0, 2500.0));
}

/// Every account flat at the same ARR every month since 2024-01: whatever the forecast knew, it
/// was right. Each class is p = 0, m = 1, v = 0, so each past forecast is the actual NDR (1.0)
/// with a range of nothing around it: no error, every actual inside its range, every status hit.
#[test]
fn a_book_whose_future_is_known_backtests_perfectly() {
    let mut arr = String::from("account_id,month,arr\n");
    for month in 0..33 {
        let (year, m) = (2024 + month / 12, month % 12 + 1);
        for (id, value) in [("A1", 1000), ("A2", 2000), ("A3", 500)] {
            arr.push_str(&format!("{id},{year}-{m:02},{value}\n"));
        }
    }
    let fixture = Fixture::new().file("data/arr.csv", &arr).file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let json: Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let backtest = &json["backtest"];
    let quarters: Vec<&str> =
        backtest["points"].as_array().unwrap().iter().map(|p| p["quarter"].as_str().unwrap()).collect();
    assert_eq!(quarters, ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]);
    assert_eq!(backtest["points"][0]["origin_month"], "2026-06");
    let perfect = json!({"pairs": 8, "backtest_mae": 0.0, "backtest_coverage": 1.0, "status_pairs": 8, "backtest_status_hits": 1.0});
    assert_eq!(backtest["pooled"], perfect);
}

#[test]
fn without_renewal_dates_there_is_no_downside_and_the_pages_say_so() {
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score\n\
        A1,Acme,Ada,SMB,10,no,8\nA2,Bolt,Ada,,500,,6.5\nA3,Core,Bo,Enterprise,5000,yes,\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", HAND_ARR)
        .file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let ada = crate::util::scorecard(&fixture.read("out/forecast.csv"), "Ada");
    assert_eq!((ada["downside_ndr"].as_str(), ada["renewals_in_horizon"].as_str()), ("", ""));
    assert_eq!(ada["expected_ndr"], "0.270000", "nothing else changes");
    let page = fixture.read("out/advisors/ada.md");
    assert!(page.contains("Downside: none: accounts.csv gives no renewal dates"), "{page}");
}

// The edges of SPEC §12 on the hand-worked book: Cy owns A4 but is not on the roster (no level:
// figures but no chance, no gap, no status); Dee is on the roster without accounts (an empty
// book: every figure empty); Eve's A5 starts after the window at T begins (no cohort: no ratio).
#[test]
fn no_level_an_empty_book_and_no_cohort_each_leave_their_figures_empty() {
    let accounts = format!("{}A4,Dart,Cy,SMB,10,no,8,\nA5,Echo,Eve,SMB,10,no,8,\n", crate::util::ACCOUNTS);
    let advisors = format!("{}Dee,IC2,Max\nEve,IC1,Max\n", crate::util::ADVISORS);
    let arr = format!("{HAND_ARR}A4,2025-12,300\nA4,2026-06,300\nA4,2026-09,300\nA5,2026-06,100\nA5,2026-09,100\n");
    let fixture = Fixture::new()
        .file("data/accounts.csv", &accounts)
        .file("data/advisors.csv", &advisors)
        .file("data/arr.csv", &arr)
        .file("t.toml", &targets("min_samples", "1"));
    fixture.score(&["--targets", "t.toml"]).success();
    let forecast = fixture.read("out/forecast.csv");
    let cy = crate::util::scorecard(&forecast, "Cy");
    assert!(!cy["expected_ndr"].is_empty() && !cy["ndr_p90"].is_empty(), "{cy:?}");
    let levelled = ["p_meets_ndr", "ndr_gap_arr"].map(|f| cy[f].as_str());
    assert_eq!((levelled, cy["expected_ndr_status"].as_str()), (["", ""], "n/a"));
    let dee = crate::util::scorecard(&forecast, "Dee");
    assert!(
        ["start_arr", "expected_ndr", "p_meets_ndr", "renewals_in_horizon"].iter().all(|f| dee[*f].is_empty()),
        "{dee:?}"
    );
    let eve = crate::util::scorecard(&forecast, "Eve");
    let ratios = ["runrate_ndr", "expected_ndr", "ndr_p10", "p_meets_ndr", "ndr_gap_arr"].map(|f| eve[f].as_str());
    assert_eq!(ratios, [""; 5], "{eve:?}");
    let page = fixture.read("out/advisors/eve.md");
    assert!(page.contains("No forecast for this book: it has no cohort"), "{page}");
}

/// `generate --health-history` writes health.csv whose low scores foretell churn, and leaves
/// the other files as they were for the seed: the forecast learns that low health churns more.
#[test]
fn generated_health_history_foretells_churn() {
    let dir = tempfile::tempdir().unwrap();
    let args = |out: &str, history: bool| {
        let mut args = vec!["generate", "--accounts", "2000", "--advisors", "20", "--seed", "4", "--out", out];
        if history {
            args.push("--health-history");
        }
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    for (out, history) in [("with", true), ("without", false)] {
        let args = args(out, history);
        crate::util::run_in(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>()).success();
    }
    for file in ["accounts.csv", "arr.csv", "advisors.csv"] {
        let read = |folder: &str| std::fs::read(dir.path().join(folder).join(file)).unwrap();
        assert!(read("with") == read("without"), "{file} stays as it was for the seed");
    }
    crate::util::run_in(dir.path(), &["score", "--data", "with", "--format", "json", "--out", "out"]).success();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/scorecards.json")).unwrap()).unwrap();
    let churn = |class: &str| {
        let classes = json["forecast"]["classes"].as_array().unwrap();
        classes.iter().find(|c| c["class"] == class).unwrap()["p"].as_f64().unwrap()
    };
    assert!(churn("<5") > 5.0 * churn("8+"), "{}", json["forecast"]);
}
