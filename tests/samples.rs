//! The bundled samples: the README's first command, and the story they tell.

use crate::util::{repo_root, rows, run_in, scorecard};

#[test]
fn default_command_scores_the_bundled_samples() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    let run = run_in(&repo_root(), &["score", "--out", out_dir.to_str().unwrap()]).success();
    let text = std::fs::read_to_string(out_dir.join("scorecards.csv")).unwrap();
    let table = rows(&text);
    assert_eq!(table[0].len(), 34);
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
