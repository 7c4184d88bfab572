//! The bad-input corpus (`tests/corpus/`): every case through the real binary, pinning the exit
//! code and the exact first problem line, with a previous output folder left byte-for-byte
//! unchanged.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::util::{repo_root, run_in};

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for (inner, bytes) in read_tree(&path) {
                files.insert(format!("{name}/{inner}"), bytes);
            }
        } else {
            files.insert(name, fs::read(&path).unwrap());
        }
    }
    files
}

/// Runs one case; returns a description of what went wrong, if anything.
fn run_case(case: &Path) -> Option<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(&data).unwrap();
    let base = repo_root().join("tests/corpus/_base");
    for entry in fs::read_dir(&base).unwrap().chain(fs::read_dir(case).unwrap()) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv" || e == "toml") {
            fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
        }
    }
    for absent in fs::read_to_string(case.join("absent")).unwrap_or_default().lines() {
        fs::remove_file(data.join(absent)).unwrap();
    }
    // A previous run's results, which a failed run must leave exactly as they were.
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("advisors")).unwrap();
    fs::write(out.join(".ta-scorecard"), "marker\n").unwrap();
    fs::write(out.join("scorecards.csv"), "advisor,level\nAda,IC1\n").unwrap();
    fs::write(out.join("advisors/ada.md"), "# Ada\n").unwrap();
    let before = read_tree(&out);

    let args_text = fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut args = vec!["score", "--data", "data", "--out", "out"];
    args.extend(args_text.lines().filter(|l| !l.is_empty()));
    let run = run_in(dir.path(), &args);
    let expected = fs::read_to_string(case.join("expect")).unwrap();
    let expected = expected.trim_end_matches('\n');
    let first =
        run.stderr.lines().find(|l| !l.starts_with("error:") && !l.starts_with("warning:") && !l.starts_with("note:"));
    let mut wrong = Vec::new();
    if run.code != 3 {
        wrong.push(format!("exit code {} (expected 3)", run.code));
    }
    if first != Some(expected) {
        wrong
            .push(format!("first problem line\n    got:      {}\n    expected: {expected}", first.unwrap_or("(none)")));
    }
    if read_tree(&out) != before {
        wrong.push("the previous output folder changed".into());
    }
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data" && n != "out")
        .collect();
    if !leftovers.is_empty() {
        wrong.push(format!("left behind: {leftovers:?}"));
    }
    // `validate` reads the same way and says the same first thing.
    let mut validate = vec!["validate", "--data", "data"];
    validate.extend(args_text.lines().filter(|l| !l.is_empty()));
    let checked = run_in(dir.path(), &validate);
    let first_checked = checked
        .stderr
        .lines()
        .find(|l| !l.starts_with("error:") && !l.starts_with("warning:") && !l.starts_with("note:"));
    if checked.code != 3 || first_checked != Some(expected) {
        wrong.push(format!("validate: exit code {}, first line {}", checked.code, first_checked.unwrap_or("(none)")));
    }
    (!wrong.is_empty()).then(|| format!("{name}: {}\n  stderr:\n{}", wrong.join("; "), run.stderr))
}

#[test]
fn every_bad_input_gives_its_message_and_touches_nothing() {
    let root = repo_root().join("tests/corpus");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus holds {} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
