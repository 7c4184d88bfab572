//! The bundled samples: the README's first command, and the story they tell.

use crate::util::{repo_root, rows, run_in, scorecard};

#[test]
fn default_command_scores_the_bundled_samples() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    let run = run_in(&repo_root(), &["score", "--out", out_dir.to_str().unwrap()]).success();
    let text = std::fs::read_to_string(out_dir.join("scorecards.csv")).unwrap();
    let table = rows(&text);
    assert_eq!(table[0].len(), 36);
    let names: Vec<&str> = table[1..].iter().map(|r| r[0].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "rows sorted by advisor (byte order)");
    assert_eq!(names.len(), 10); // eight on the roster, the unassigned, and Nina Petrov who left

    // The story: one ready for the next level, some near, one below.
    let status = |name: &str| {
        let r = scorecard(&text, name);
        (r["level"].clone(), r["overall_status"].clone(), r["next_level_ready"].clone())
    };
    assert_eq!(status("Priya Shah"), ("IC1".into(), "meets".into(), "true".into()));
    assert_eq!(status("Tom Becker"), ("IC1".into(), "near".into(), "false".into()));
    assert_eq!(status("Ben Carter"), ("IC3".into(), "near".into(), "false".into()));
    assert_eq!(status("Carlos Mendes"), ("IC2".into(), "below".into(), "false".into()));
    assert_eq!(status("James Whitfield"), ("IC5".into(), "meets".into(), "false".into()));
    assert!(run.stdout.contains("Priya Shah"), "{}", run.stdout);
    // The reorg: Carlos inherited three of the leaver's accounts in 2026-04, Lena two.
    let transfers = rows(&std::fs::read_to_string(out_dir.join("transfers.csv")).unwrap());
    let to = |name: &str| transfers[1..].iter().filter(|t| t[4] == name).count();
    assert_eq!((to("Carlos Mendes"), to("Lena Fischer"), transfers.len() - 1), (3, 2, 5));
    assert_eq!(status("Nina Petrov"), (String::new(), "n/a".into(), "false".into()));

    // Every account of accounts.csv is in exactly one book.
    let accounts = rows(&std::fs::read_to_string(out_dir.join("accounts.csv")).unwrap());
    let input = rows(&std::fs::read_to_string(repo_root().join("samples/accounts.csv")).unwrap());
    assert_eq!(accounts.len(), input.len());
}

/// The bridge identity on every sample book, read back from the written CSV.
#[test]
fn bridge_identity_holds_on_the_samples() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    run_in(&repo_root(), &["score", "--out", out_dir.to_str().unwrap()]).success();
    let table = rows(&std::fs::read_to_string(out_dir.join("scorecards.csv")).unwrap());
    let col = |name: &str| table[0].iter().position(|c| c == name).unwrap();
    for row in &table[1..] {
        let v = |name: &str| row[col(name)].parse::<f64>().unwrap();
        let bridge = v("start_arr") + v("expansion_arr") - v("contraction_arr") - v("churned_arr");
        assert!((v("end_arr") - bridge).abs() < 0.011, "{}: {} vs {bridge}", row[0], v("end_arr"));
    }
}

/// The samples' quarter ahead (2026-Q4, made at 2026-10): Priya on track, Aisha already safe,
/// and Lena's chance hinging on two named renewals below her level's health minimum: she is
/// expected to meet IC2's 105% and lands well below it if both are lost (the downside).
#[test]
fn the_quarter_ahead_tells_the_samples_story() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    run_in(&repo_root(), &["score", "--out", out_dir.to_str().unwrap(), "--format", "csv,json"]).success();
    let forecast = std::fs::read_to_string(out_dir.join("forecast.csv")).unwrap();
    let number = |name: &str, column: &str| -> f64 { scorecard(&forecast, name)[column].parse().unwrap() };
    let chance = |name: &str| number(name, "p_meets_ndr");
    assert!(chance("Aisha Khan") > 0.95, "safe: {}", chance("Aisha Khan"));
    assert!((0.75..0.95).contains(&chance("Priya Shah")), "on track: {}", chance("Priya Shah"));
    assert!((0.5..0.75).contains(&chance("Lena Fischer")), "hinges: {}", chance("Lena Fischer"));
    assert!(number("Lena Fischer", "expected_ndr") >= 1.05 && number("Lena Fischer", "downside_ndr") < 0.95);

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("scorecards.json")).unwrap()).unwrap();
    let lena = json["scorecards"].as_array().unwrap().iter().find(|r| r["advisor"] == "Lena Fischer").unwrap();
    let renewals: Vec<(&str, f64)> = lena["forecast"]["renewals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["account_name"].as_str().unwrap(), r["health_score"].as_f64().unwrap()))
        .collect();
    assert_eq!(renewals, [("River Health plc", 6.2), ("Delta Capital GmbH", 4.6)]);
}
