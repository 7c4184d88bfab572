//! The human-readable pages: per-advisor HTML and Markdown with charts, the team index, the
//! `--format` flag, hostile names, and snapshots of the samples' Markdown.

use std::path::{Path, PathBuf};

use crate::util::{repo_root, run_in, Fixture};

/// Scores the bundled samples into a fresh folder and returns it (kept alive by the TempDir).
pub fn sample_output() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_in(&repo_root(), &["score", "--out", out.to_str().unwrap()]).success();
    (dir, out)
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_advisor_gets_a_page_and_five_charts_both_ways() {
    let (_dir, out) = sample_output();
    let files = files_under(&out);
    for name in ["index.html", "index.md", "scorecards.csv", "scorecards.json", "accounts.csv"] {
        assert!(files.contains(&name.to_string()), "{name} missing from {files:?}");
    }
    let pages: Vec<&String> = files.iter().filter(|f| f.starts_with("advisors/") && f.ends_with(".html")).collect();
    assert_eq!(pages.len(), 10, "{pages:?}"); // the roster, the unassigned and a leaver
    for page in pages {
        let slug = page.trim_start_matches("advisors/").trim_end_matches(".html");
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert_eq!(html.matches("<figure data-chart=").count(), 5, "{page}");
        // The level's behaviours as lists per category, and how to read them beside readiness.
        let no_level = ["unassigned", "nina-petrov"].contains(&slug); // no level, so no behaviours
        assert!(no_level || html.contains("<dt>Teamwork</dt><dd><ul><li>"), "{page}");
        assert!(html.contains("<h3>How to read the framework</h3>\n<ul><li>Levels build on each other"), "{page}");
        assert!(!html.contains("<?xml"), "{page}: inline SVG only");
        assert!(!html.contains("http://") || html.matches("http://").all(|_| html.contains("xmlns")), "{page}");
        let md = std::fs::read_to_string(out.join(format!("advisors/{slug}.md"))).unwrap();
        for chart in ["trend", "bridge", "mix", "health", "outlook"] {
            assert!(md.contains(&format!("({slug}/{chart}.png)")), "{slug}.md links {chart}.png");
            let png = std::fs::read(out.join(format!("advisors/{slug}/{chart}.png"))).unwrap();
            assert!(png.starts_with(b"\x89PNG") && png.len() > 5_000, "{slug}/{chart}.png");
            // Sharp in a review document: at least 1,440 pixels wide (the IHDR chunk's width).
            let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
            assert!(width >= 1440, "{slug}/{chart}.png is {width} px wide");
            let svg = std::fs::read_to_string(out.join(format!("advisors/{slug}/{chart}.svg"))).unwrap();
            assert!(svg.contains("<svg") && svg.contains("<text"), "{slug}/{chart}.svg");
        }
    }
}

#[test]
fn index_links_every_page_and_rolls_up_by_manager_and_team() {
    let (_dir, out) = sample_output();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for link in html.split("href=\"").skip(1) {
        let target = &link[..link.find('"').unwrap()];
        assert!(out.join(target).is_file(), "index.html links a missing {target}");
    }
    assert_eq!(html.matches("<a href=\"advisors/").count(), 10);
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    for line in ["| Manager: David Okafor |", "| Manager: Maria Santos |", "| Whole team |"] {
        assert!(md.lines().any(|l| l.starts_with(line)), "{line} in\n{md}");
    }
    assert!(md.contains("3 active accounts"), "the unassigned warning is on the index");
    // The team at a glance comes first.
    let summary = md.find("## Summary").unwrap();
    assert!(summary < md.find("| advisor |").unwrap());
    for line in [
        "- 8 advisors: 5 meet their level, 2 near, 1 below.",
        "- Ready for the next level on performance: Priya Shah (IC1 → IC2).",
        "- Below their level at this quarter end and the one before: Carlos Mendes.",
    ] {
        assert!(md.contains(line), "{line} in\n{md}");
    }
    assert!(html.contains("<section class=\"summary\">"));
    // The roll-ups are in the summary, before the advisors, with each group's statuses.
    assert!(html.find("Whole team").unwrap() < html.find("<table id=\"advisors\">").unwrap());
    assert!(md.contains("| Manager: David Okafor | 4 | 1 meets · 2 near · 1 below | 63 |"), "{md}");
    // Without scripts the advisors are grouped by manager; the script turns the groups into a
    // filter, which stays hidden for a browser without scripts.
    for group in ["David Okafor", "Maria Santos", "no manager"] {
        assert!(html.contains(&format!("<tbody data-manager=\"{group}\"><tr class=\"group\">")), "{group}");
    }
    assert!(html.contains("id=\"filter\" hidden") && html.contains("<option value=\"Maria Santos\">"));
    assert!(md.contains("### Manager: David Okafor · 4 advisors"), "{md}");
    // Book size, statuses as chips that keep their word, the change since the quarter end before,
    // scope with its status, readiness with the next level's scope.
    let carlos = md.lines().find(|l| l.starts_with("| [Carlos Mendes]")).unwrap();
    for cell in [
        "| 17 | $2,007,100 |",
        "| 80.7% below (−2.0 pts) |",
        "| 6.4 below (−0.3) |",
        "| 82.7% meets |",
        "| no (IC3); 0.0% in IC3's tiers, which expect 50.0% |",
        "| in $581,700 (3) |",
    ] {
        assert!(carlos.contains(cell), "{cell} in {carlos}");
    }
    assert!(
        html.contains("80.7% <span class=\"status status-below\">below</span> <span class=\"detail\">−2.0 pts</span>")
    );
}

/// Roll-ups are SPEC §4 over the union of books: the team's start and end ARR are the sums of
/// the advisors' (not an average of their ratios).
#[test]
fn team_rollup_is_the_union_of_the_books() {
    let (_dir, out) = sample_output();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scorecards.json")).unwrap()).unwrap();
    let cards = json["scorecards"].as_array().unwrap();
    let sum = |field: &str| -> f64 {
        cards.iter().filter(|c| c["advisor"] != "(unassigned)").map(|c| c[field].as_f64().unwrap()).sum()
    };
    let team = json["rollups"].as_array().unwrap().iter().find(|r| r["kind"] == "team").unwrap();
    let (start, end) = (sum("start_arr"), sum("end_arr"));
    assert!((team["start_arr"].as_f64().unwrap() - start).abs() < 0.01);
    assert!((team["end_arr"].as_f64().unwrap() - end).abs() < 0.01);
    assert!((team["ndr"].as_f64().unwrap() - end / start).abs() < 1e-6);
    assert_eq!(team["advisors"], 8);
}

#[test]
fn format_flag_picks_the_outputs() {
    let fixture = Fixture::new();
    fixture.score(&["--format", "csv"]).success();
    let files = files_under(&fixture.path().join("out"));
    assert_eq!(files, [".ta-scorecard", "accounts.csv", "forecast.csv", "scorecards.csv"]);

    let fixture = Fixture::new();
    fixture.score(&["--format", "md,html"]).success();
    let files = files_under(&fixture.path().join("out"));
    assert!(files.contains(&"index.html".to_string()) && files.contains(&"advisors/ada.md".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with(".csv") || f.ends_with(".json")), "{files:?}");

    // HTML alone: the pages inline their SVG charts, and no chart file (PNG or SVG) is written,
    // since only Markdown links them.
    let fixture = Fixture::new();
    fixture.score(&["--format", "html"]).success();
    let files = files_under(&fixture.path().join("out"));
    assert!(files.contains(&"advisors/ada.html".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with(".png") || f.ends_with(".svg") || f.ends_with(".md")), "{files:?}");
    assert_eq!(fixture.read("out/advisors/ada.html").matches("<figure data-chart=").count(), 5);

    Fixture::new().score(&["--format", "pdf"]).code(2);
}

#[test]
fn hostile_names_render_as_text_and_write_nothing_outside_the_output_folder() {
    let accounts = "account_id,account_name,advisor\n\
        A1,<img src=x onerror=alert(1)>,<script>alert(1)</script>\n\
        A2,x|y,../../evil\n\
        A3,\"line\nbreak\",a|b\n";
    let arr = "account_id,month,arr\nA1,2025-09,100\nA1,2026-09,50\nA2,2025-09,100\nA2,2026-09,120\nA3,2025-09,10\nA3,2026-09,0\n";
    let advisors = "advisor,level,manager\n<script>alert(1)</script>,IC1,\"<b onclick=\"\"x\"\">M</b>\"\n../../evil,IC2,\na|b,IC3,\n";
    let fixture = Fixture::new()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", advisors);
    fixture.score(&[]).success();

    let top: Vec<String> = std::fs::read_dir(fixture.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut top = top;
    top.sort();
    assert_eq!(top, ["data", "out"], "nothing written beside the output folder");
    let files = files_under(&fixture.path().join("out"));
    assert!(
        files.iter().all(|f| f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-./".contains(&b))),
        "{files:?}"
    );
    assert!(files.contains(&"advisors/evil.html".to_string()), "{files:?}");

    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = fixture.read(&format!("out/{page}"));
        assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "{page} has raw markup");
        let scripts = html.matches("<script>").count();
        assert!(scripts == usize::from(page == "index.html"), "{page}: only the index's own sort script");
    }
    let index = fixture.read("out/index.html");
    assert!(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "names are shown as text");
    // A manager's name is text in the filter, the group's attribute and its heading.
    assert!(!index.contains("<b onclick"), "raw markup from a manager's name");
    assert!(index.contains("<option value=\"&lt;b onclick=&quot;x&quot;&gt;M&lt;/b&gt;\">"), "{index}");
    let md = fixture.read("out/index.md");
    assert!(md.contains("a\\|b") && md.contains("\\<script\\>"), "{md}");
    let a3 = fixture.read("out/advisors/a-b.md");
    assert!(a3.contains("line break (A3)"), "a newline in a cell is folded: {a3}");
}

#[test]
fn caveats_when_the_numbers_rest_on_little() {
    // Ada's cohort is A1 (1,000) and A2 (2,000): two accounts, and A2 holds 67% of start ARR.
    let fixture = Fixture::new();
    fixture.score(&["--format", "md,html"]).success();
    let md = fixture.read("out/advisors/ada.md");
    assert!(md.contains("> **Caveat:** The cohort has only 2 accounts: one renewal can swing NDR and GRR."), "{md}");
    assert!(md.contains("> **Caveat:** One account, Bolt, holds 67% of start ARR"), "{md}");
    let html = fixture.read("out/advisors/ada.html");
    assert_eq!(html.matches("class=\"caveat\"").count(), 2);
    // At risk: A2 scores 6.5, under IC1's 7.0; A1 (8.0) is not.
    assert!(md.contains("| Bolt (A2) | $1,500 | 6.5 | – |"), "{md}");
    assert!(!md.contains("| Acme (A1) | $1,200"), "{md}");
}

#[test]
fn samples_markdown_snapshots() {
    let (_dir, out) = sample_output();
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    insta::assert_snapshot!("index_md", read("index.md"));
    insta::assert_snapshot!("priya_shah_md", read("advisors/priya-shah.md"));
    insta::assert_snapshot!("carlos_mendes_md", read("advisors/carlos-mendes.md"));
}
