//! Numbers anyone can re-check (issue 29): the definitions every page carries follow the targets
//! in force, and every output names the inputs that produced it by their fingerprints.

use crate::util::{repo_root, Fixture};

/// The built-in targets with a 6-month window, fiscal years from February, and a promotion rule
/// of one quarter end at the next level after three at the advisor's own.
fn custom_targets() -> String {
    let built_in = std::fs::read_to_string(repo_root().join("targets/targets.toml")).unwrap();
    let custom = built_in
        .replacen("window_months = 12", "window_months = 6", 1)
        .replacen("fiscal_year_start_month = 1", "fiscal_year_start_month = 2", 1)
        .replacen("quarters = 2", "quarters = 1", 1)
        .replacen("quarters_at_level = 0", "quarters_at_level = 3", 1);
    assert_ne!(custom, built_in);
    custom
}

#[test]
fn the_definitions_follow_a_custom_targets_file() {
    let fixture = Fixture::new().file("targets.toml", &custom_targets());
    fixture
        .run(&["score", "--data", "data", "--out", "out", "--targets", "targets.toml", "--format", "md,html,xlsx"])
        .success();
    for page in ["out/index.md", "out/advisors/ada.md"] {
        let text = fixture.read(page);
        assert!(text.contains("## How these numbers are computed"), "{page}: {text}");
        assert!(text.contains("- Window: 6 months, from S, 6 months before the quarter end E, to E; fiscal quarters of a year starting in February;"), "{page}: {text}");
        assert!(
            text.contains(
                "- Ready for the next level: its NDR, GRR and health targets met at each of the last 1 quarter ends, \
                 and the advisor's own level's at each of the 3 before them."
            ),
            "{page}: {text}"
        );
        assert!(text.contains("Statuses rate the 6-month NDR and GRR at each quarter end (basis t12m)"), "{page}");
        assert!(text.contains("- Each account belongs to its current advisor for the whole window (no ownership.csv)."));
        assert!(text.contains("- Health is the mean of the current scores of the accounts active at each quarter end."));
        assert!(text.contains("- Targets: targets.toml."), "{page}: {text}");
    }
    let html = fixture.read("out/index.html");
    assert!(html.contains("<li>Window: 6 months, from S, 6 months before the quarter end E, to E; fiscal quarters"));
    // The workbook's Columns sheet carries them too.
    let mut book = crate::workbook::open(&fixture.path().join("out/scorecards.xlsx"));
    let columns = crate::workbook::sheet(&mut book, "Columns");
    assert!(columns.iter().flatten().any(|cell| cell.to_string().starts_with("Window: 6 months")));
}

/// The JSON's inputs block: each file with its bytes, data rows and SHA-256, the targets, the
/// version and the command line; pages end with one line of short fingerprints.
#[test]
fn fingerprints_change_with_one_byte_and_stay_otherwise() {
    let run = |fixture: &Fixture| -> serde_json::Value {
        fixture.run(&["score", "--data", "data", "--out", "out", "--format", "json,md", "--force"]).success();
        let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
        json["inputs"].clone()
    };
    let fixture = Fixture::new();
    let first = run(&fixture);
    let files = first["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["accounts.csv", "arr.csv", "advisors.csv"]);
    let arr = &files[1];
    let text = fixture.read("data/arr.csv");
    assert_eq!(arr["bytes"].as_u64(), Some(text.len() as u64));
    assert_eq!(arr["data_rows"].as_u64(), Some(text.lines().count() as u64 - 1));
    assert_eq!(arr["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(first["targets"]["sha256"], "built-in");
    assert_eq!(first["tool_version"], env!("CARGO_PKG_VERSION"));
    assert!(first["command"].as_str().unwrap().contains("score --data data --out out"), "{first}");
    let footer = |fixture: &Fixture| fixture.read("out/index.md").lines().last().unwrap().to_string();
    let short = &arr["sha256"].as_str().unwrap()[..8];
    assert!(footer(&fixture).contains(&format!("arr.csv {short}")), "{}", footer(&fixture));

    // The same inputs again: the same fingerprints.
    assert_eq!(run(&fixture)["files"], first["files"]);
    // One byte of arr.csv changed: its fingerprint changes, the others stay.
    let changed = Fixture::new().file("data/arr.csv", &text.replacen("1200", "1201", 1));
    let second = run(&changed);
    assert_ne!(second["files"][1]["sha256"], first["files"][1]["sha256"]);
    assert_eq!(second["files"][0], first["files"][0]);
    assert_eq!(second["files"][2], first["files"][2]);
    assert!(!footer(&changed).contains(&format!("arr.csv {short}")));
}
