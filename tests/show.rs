//! `show` and `targets`: the advisor's self-check in the terminal (issue 5).

use crate::util::{flat, repo_root, rows, run_in, Fixture};

/// `show` prints, for every sample advisor, the figures scorecards.csv holds, as percentages.
#[test]
fn show_agrees_with_scorecards_csv_for_every_advisor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_in(&repo_root(), &["score", "--out", out.to_str().unwrap(), "--format", "csv,json"]).success();
    let table = rows(&std::fs::read_to_string(out.join("scorecards.csv")).unwrap());
    let col = |name: &str| table[0].iter().position(|c| c == name).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scorecards.json")).unwrap()).unwrap();
    for row in &table[1..] {
        let advisor = &row[col("advisor")];
        let run = run_in(&repo_root(), &["show", advisor, "--color", "never"]).success();
        let line = |label: &str| {
            run.stdout.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_default().to_string()
        };
        let pct = |v: &str| v.parse::<f64>().map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|_| "–".into());
        let ndr = line("NDR ");
        assert!(ndr.contains(&pct(&row[col("ndr")])) && ndr.contains(&row[col("ndr_status")]), "{advisor}: {ndr}");
        let grr = line("GRR ");
        assert!(grr.contains(&pct(&row[col("grr")])) && grr.contains(&row[col("grr_status")]), "{advisor}: {grr}");
        let health = row[col("health_avg")].parse::<f64>().map(|h| format!("{h:.1}")).unwrap_or_else(|_| "–".into());
        assert!(line("Health ").contains(&health), "{advisor}: {}", line("Health "));
        assert!(line("Overall").contains(&row[col("overall_status")]), "{advisor}");
        if !row[col("primary_scope_share")].is_empty() {
            assert!(line("Scope").contains(&pct(&row[col("primary_scope_share")])), "{advisor}");
        }
        let ready = line("Ready");
        let said = match (row[col("next_level")].as_str(), row[col("next_level_ready")].as_str()) {
            ("", _) if row[col("level")].is_empty() => "no next level".to_string(),
            ("", _) => "is the top level".to_string(),
            (next, "true") => format!("Ready for {next} on performance"),
            (next, _) => format!("Not yet ready for {next}"),
        };
        assert!(ready.contains(&said), "{advisor}: {ready}");

        let record = run_in(&repo_root(), &["show", advisor, "--json"]).success();
        let shown: serde_json::Value = serde_json::from_str(&record.stdout).unwrap();
        let stored = json["scorecards"].as_array().unwrap().iter().find(|s| s["advisor"] == advisor.as_str()).unwrap();
        assert_eq!(&shown, stored, "{advisor}: show --json is the scorecards.json record");
    }
}

#[test]
fn distance_to_target_in_dollars() {
    // Ada (IC1): start 3,000, end 2,700, contraction 500. NDR 90% → 105%: 1.05 × 3,000 − 2,700
    // = $450; GRR 83.3% → 85%: 0.85 × 3,000 − 2,500 = $50 of losses to save. Health 7.25 meets.
    let fixture = Fixture::new();
    let run = fixture.run(&["show", "ada", "--data", "data", "--color", "never"]).success();
    assert!(
        flat(&run.stdout).contains("NDR 90.0% → 105.0%: +$450 of expansion or retained ARR on a $3k cohort"),
        "{}",
        run.stdout
    );
    assert!(
        flat(&run.stdout)
            .contains("GRR 83.3% → 85.0%: $50 of churn or contraction would have had to be saved on a $3k cohort"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Health 7.2 →"), "health meets: no gap");
    // Bo (IC3) has no active account, so no health to raise; NDR and GRR are 0.
    let bo = fixture.run(&["show", "Bo", "--data", "data", "--json"]).success();
    let record: serde_json::Value = serde_json::from_str(&bo.stdout).unwrap();
    assert_eq!(record["gaps"][0]["metric"], "ndr");
    assert_eq!(record["gaps"][0]["dollars"], 5500.0);
    assert_eq!(record["gaps"][1]["dollars"], 4750.0);
    // The same figures on the advisor's pages.
    fixture.score(&["--format", "md,html"]).success();
    assert!(fixture.read("out/advisors/ada.html").contains("+$450 of expansion or retained ARR"));
    assert!(fixture.read("out/advisors/ada.md").contains("## To reach the target"));
}

#[test]
fn health_gap_counts_the_lowest_accounts_to_raise() {
    // Active scores 3, 5, 6, 9 (mean 5.75): raising 3 and 5 to 7 gives 7.25.
    let accounts = "account_id,advisor,health_score\nA1,Ada,3\nA2,Ada,5\nA3,Ada,6\nA4,Ada,9\n";
    let arr = "account_id,month,arr\nA1,2025-09,10\nA1,2026-09,10\nA2,2025-09,10\nA2,2026-09,10\nA3,2025-09,10\nA3,2026-09,10\nA4,2025-09,10\nA4,2026-09,10\n";
    let fixture = Fixture::new().file("data/accounts.csv", accounts).file("data/arr.csv", arr);
    let run = fixture.run(&["show", "Ada", "--data", "data"]).success();
    assert!(
        run.stdout.contains("Health 5.8 → 7.0: the 2 lowest-scored active accounts would need to reach 7.0"),
        "{}",
        run.stdout
    );
}

#[test]
fn names_match_by_case_and_unique_prefix() {
    let advisors = "advisor,level\nAda,IC1\nAdam,IC2\nBo,IC3\n";
    let fixture = Fixture::new().file("data/advisors.csv", advisors);
    let show = |name: &str| fixture.run(&["show", name, "--data", "data", "--color", "never"]);
    assert!(show("ADA").success().stdout.starts_with("Ada — 2026-Q3"));
    assert!(show("ada").stdout.starts_with("Ada — 2026-Q3"), "an exact name wins over a longer one");
    assert!(show("adam").success().stdout.starts_with("Adam — 2026-Q3"));
    assert!(show("b").success().stdout.starts_with("Bo — 2026-Q3"));
    show("Ad").code(3).stderr_line("advisor: 'Ad' starts several names: Ada, Adam; type more of the name");
    show("Bob").code(3).stderr_line("advisor: no advisor named 'Bob'; closest: Bo, Ada, Adam (3 advisors in the data)");
}

#[test]
fn colour_on_request_plain_when_piped() {
    let fixture = Fixture::new();
    let plain = fixture.run(&["show", "Ada", "--data", "data"]).success();
    assert!(!plain.stdout.contains('\x1b'), "piped output is plain");
    let coloured = fixture.run(&["show", "Ada", "--data", "data", "--color", "always"]).success();
    assert!(coloured.stdout.contains("\x1b[31mbelow\x1b[0m"), "{}", coloured.stdout);
    assert!(fixture.run(&["show", "Ada", "--data", "data", "--color", "never"]).stdout.find('\x1b').is_none());
}

#[test]
fn trend_table_with_sparklines_and_change() {
    let run = run_in(&repo_root(), &["show", "Carlos Mendes", "--color", "never"]).success();
    assert!(run.stdout.contains("2025-Q4  2026-Q1  2026-Q2  2026-Q3"), "{}", run.stdout);
    let ndr = run.stdout.lines().find(|l| l.starts_with("  NDR") && l.contains("pts")).unwrap();
    assert!(
        ndr.contains("105.9%") && ndr.contains("80.7%") && ndr.contains("−2.0 pts") && ndr.ends_with("█▇▂▁"),
        "{ndr}"
    );
    assert!(run.stdout.contains("Path to IC3 (Senior Technical Advisor)"));
    assert!(run.stdout.contains("  quarter  targets of  NDR (target)    GRR (target)   health (min)  verdict"));
    assert!(run.stdout.contains("  2026-Q3  IC3 (next)  80.7% (110.0%)  77.9% (95.0%)  6.4 (7.0)     not met"));
    assert!(run.stdout.contains("Scope: IC3 expects 50.0% in Ent 100k+"), "{}", run.stdout);
    assert!(run.stdout.contains("  How to read the framework:\n  • Levels build on each other"), "{}", run.stdout);
}

#[test]
fn targets_prints_the_framework_and_one_level() {
    let run = run_in(&repo_root(), &["targets"]).success();
    for level in ["IC1", "IC2", "IC3", "IC4", "IC5"] {
        assert!(run.stdout.lines().any(|l| l.starts_with(level)), "{level} in\n{}", run.stdout);
    }
    assert!(run
        .stdout
        .lines()
        .any(|l| l.starts_with("IC3") && l.contains("110.0%") && l.contains("±5 pts") && l.contains("Ent 100k+")));
    let ic3 = run_in(&repo_root(), &["targets", "--level", "ic3"]).success();
    assert!(ic3.stdout.starts_with("IC3 — Senior Technical Advisor"), "{}", ic3.stdout);
    // Each category as a headed list, then the framework's general rules.
    for category in ["Impact", "Scope", "Execution", "Teamwork"] {
        assert!(ic3.stdout.contains(&format!("\n  {category}\n    • ")), "{category} in\n{}", ic3.stdout);
    }
    assert!(
        ic3.stdout.contains("• Logs product gaps backed by revenue and finds sponsors for them."),
        "{}",
        ic3.stdout
    );
    assert!(ic3.stdout.contains("Next level: IC4"), "{}", ic3.stdout);
    assert!(ic3.stdout.contains("How to read the framework:\n  • Levels build on each other"), "{}", ic3.stdout);
    assert!(
        run.stdout.contains("• The behaviours are examples of working at a level, not a checklist."),
        "{}",
        run.stdout
    );
    run_in(&repo_root(), &["targets", "--level", "IC9"]).code(3);
}

#[test]
fn show_fits_80_columns_and_the_score_table_100() {
    let (_dir, out) = crate::pages::sample_output();
    let json = out.join("scorecards.json");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    for card in json["scorecards"].as_array().unwrap() {
        let advisor = card["advisor"].as_str().unwrap();
        let run = run_in(&repo_root(), &["show", advisor, "--color", "never"]).success();
        for line in run.stdout.lines() {
            assert!(line.chars().count() <= 80, "{advisor}: {} columns: {line}", line.chars().count());
        }
    }
    // A long name is shortened in the table, never wrapped; ARR and readiness are in it.
    let long = "Maximiliane Alexandrina von Hohenzollern-Sigmaringen";
    let fixture = Fixture::new()
        .file("data/advisors.csv", &format!("advisor,level,manager\nAda,IC1,Max\nBo,IC3,Max\n{long},IC2,Max\n"))
        .file("data/accounts.csv", &format!("account_id,account_name,advisor\nA1,One,Ada\nA2,Two,{long}\n"))
        .file(
            "data/arr.csv",
            "account_id,month,arr\nA1,2025-09,100\nA1,2026-09,120\nA2,2025-09,50000000\nA2,2026-09,60000000\n",
        );
    let run = fixture.score(&[]).success();
    let table: Vec<&str> = run.stdout.lines().take_while(|l| !l.is_empty()).collect();
    assert!(table[1].starts_with("advisor") && table[1].contains("ARR") && table[1].ends_with("next level"));
    for line in &table {
        assert!(line.chars().count() <= 100, "{} columns: {line}", line.chars().count());
    }
    let row = table.iter().find(|l| l.starts_with("Maximiliane")).unwrap();
    assert!(row.contains("…") && row.contains("$60,000,000") && row.ends_with("not yet (IC3)"), "{row}");
}
