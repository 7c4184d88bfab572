//! `ta-scorecard compare OLD NEW` (issue 29): what changed between two runs, each a
//! scorecards.json or the folder a `score` run wrote it to. Per advisor, the statuses that
//! changed, the metrics that moved beyond the rounding the CSV writes, and readiness; the advisors
//! added or gone; and which inputs differ by fingerprint. The same quarter twice is a restatement
//! (a data correction), two quarters are progress.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{InvalidInput, Problem};
use crate::format::{amount, percent, score};
use crate::model::inputs::short;

/// The statuses compared, as scorecards.json names them.
const STATUSES: [&str; 6] = ["level", "ndr_status", "grr_status", "health_status", "overall_status", "scope_status"];

/// How a metric is written, which sets what "beyond rounding" means.
#[derive(Clone, Copy)]
enum Kind {
    /// A count: any change.
    Count,
    /// Money, to the cent.
    Money,
    /// A ratio or share, to 6 decimals as the CSV writes it.
    Ratio,
    /// A health score, to 6 decimals.
    Score,
}

/// The metrics compared, in scorecards.csv's order.
const METRICS: [(&str, Kind); 16] = [
    ("accounts_active", Kind::Count),
    ("arr_active", Kind::Money),
    ("cohort_accounts", Kind::Count),
    ("start_arr", Kind::Money),
    ("end_arr", Kind::Money),
    ("expansion_arr", Kind::Money),
    ("contraction_arr", Kind::Money),
    ("churned_arr", Kind::Money),
    ("new_arr", Kind::Money),
    ("ndr", Kind::Ratio),
    ("grr", Kind::Ratio),
    ("health_avg", Kind::Score),
    ("primary_scope_share", Kind::Ratio),
    ("ndr_avg4", Kind::Ratio),
    ("grr_avg4", Kind::Ratio),
    ("health_arr_weighted", Kind::Score),
];

/// One run as read.
struct Run {
    path: String,
    quarter: String,
    currency: String,
    records: BTreeMap<String, Value>,
    inputs: Option<Value>,
}

/// The comparison, as `--json` writes it.
#[derive(Debug, Serialize)]
struct Comparison {
    old: Side,
    new: Side,
    /// `restatement` (the same quarter) or `progress` (two quarters).
    kind: &'static str,
    /// Each input file by name, and the targets: `same`, `changed`, `added` or `gone`, with the
    /// short fingerprints; empty when either run has no fingerprints.
    inputs: Vec<InputChange>,
    added: Vec<String>,
    gone: Vec<String>,
    /// The advisors with a change, by name.
    changed: Vec<AdvisorChange>,
    /// How many advisors in both runs did not change.
    unchanged: usize,
}

#[derive(Debug, Serialize)]
struct Side {
    path: String,
    quarter: String,
}

#[derive(Debug, Serialize)]
struct InputChange {
    name: String,
    change: &'static str,
    old: Option<String>,
    new: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct AdvisorChange {
    advisor: String,
    statuses: Vec<Moved<String>>,
    metrics: Vec<Moved<f64>>,
    /// Whether the advisor is ready for the next level, before and after, when that changed.
    readiness: Option<Moved<bool>>,
}

#[derive(Debug, Serialize)]
struct Moved<T> {
    field: String,
    old: Option<T>,
    new: Option<T>,
}

/// Compares the runs at `old` and `new` and prints the result, as text or JSON.
pub(crate) fn run(old: &Path, new: &Path, json: bool) -> anyhow::Result<()> {
    let (old, new) = match (read(old, "OLD"), read(new, "NEW")) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let problems: Vec<Problem> = [old.err(), new.err()].into_iter().flatten().map(|p| *p).collect();
            return Err(InvalidInput::new(problems).into());
        }
    };
    let comparison = compare(&old, &new);
    let text = match json {
        true => serde_json::to_string_pretty(&comparison)? + "\n",
        false => text(&comparison, &new.currency),
    };
    super::print(&text)
}

/// scorecards.json at `path`, or in the folder `path`.
fn read(path: &Path, which: &str) -> Result<Run, Box<Problem>> {
    let file: PathBuf = if path.is_dir() { path.join("scorecards.json") } else { path.to_path_buf() };
    let name = file.display().to_string();
    let problem = |message: String| Box::new(Problem::new(&name, format!("{which}: {message}")));
    let text = std::fs::read_to_string(&file).map_err(|e| {
        problem(format!("cannot read it ({e}); give a scorecards.json or the folder a score run wrote it to"))
    })?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| problem(format!("not a scorecards.json: not JSON ({e})")))?;
    let Some(scorecards) = json.get("scorecards").and_then(Value::as_array) else {
        return Err(problem("not a scorecards.json: it has no \"scorecards\" list".into()));
    };
    let records =
        scorecards.iter().filter_map(|r| Some((r.get("advisor")?.as_str()?.to_string(), r.clone()))).collect();
    let field = |key: &str| json.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    Ok(Run {
        path: path.display().to_string(),
        quarter: field("quarter"),
        currency: field("currency"),
        records,
        inputs: json.get("inputs").cloned(),
    })
}

fn compare(old: &Run, new: &Run) -> Comparison {
    let in_both: Vec<&String> = new.records.keys().filter(|a| old.records.contains_key(*a)).collect();
    let changed: Vec<AdvisorChange> =
        in_both.iter().map(|a| advisor(a, &old.records[*a], &new.records[*a])).filter(|c| !c.is_empty()).collect();
    Comparison {
        old: Side { path: old.path.clone(), quarter: old.quarter.clone() },
        new: Side { path: new.path.clone(), quarter: new.quarter.clone() },
        kind: if old.quarter == new.quarter { "restatement" } else { "progress" },
        inputs: inputs(old.inputs.as_ref(), new.inputs.as_ref()),
        added: new.records.keys().filter(|a| !old.records.contains_key(*a)).cloned().collect(),
        gone: old.records.keys().filter(|a| !new.records.contains_key(*a)).cloned().collect(),
        unchanged: in_both.len() - changed.len(),
        changed,
    }
}

impl AdvisorChange {
    fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.metrics.is_empty() && self.readiness.is_none()
    }
}

/// What changed for one advisor.
fn advisor(name: &str, old: &Value, new: &Value) -> AdvisorChange {
    let text = |r: &Value, key: &str| r.get(key).and_then(Value::as_str).map(str::to_string);
    let number = |r: &Value, key: &str| r.get(key).and_then(Value::as_f64);
    let statuses = STATUSES
        .iter()
        .filter(|key| text(old, key) != text(new, key))
        .map(|key| Moved { field: key.to_string(), old: text(old, key), new: text(new, key) })
        .collect();
    let metrics = METRICS
        .iter()
        .filter(|(key, kind)| moved(number(old, key), number(new, key), *kind))
        .map(|(key, _)| Moved { field: key.to_string(), old: number(old, key), new: number(new, key) })
        .collect();
    let ready = |r: &Value| r.get("next_level_ready").and_then(Value::as_bool);
    let readiness = (ready(old) != ready(new)).then(|| Moved {
        field: "next_level_ready".into(),
        old: ready(old),
        new: ready(new),
    });
    AdvisorChange { advisor: name.to_string(), statuses, metrics, readiness }
}

/// Whether a metric moved beyond the rounding its column is written with.
fn moved(old: Option<f64>, new: Option<f64>, kind: Kind) -> bool {
    let (Some(old), Some(new)) = (old, new) else { return old.is_some() != new.is_some() };
    let scale = match kind {
        Kind::Count => 1.0,
        Kind::Money => 100.0,
        Kind::Ratio | Kind::Score => 1e6,
    };
    (old * scale).round() != (new * scale).round()
}

/// Each input file by name, then the targets, compared by fingerprint.
fn inputs(old: Option<&Value>, new: Option<&Value>) -> Vec<InputChange> {
    let (Some(old), Some(new)) = (old, new) else { return Vec::new() };
    let files = |inputs: &Value| -> BTreeMap<String, String> {
        let list = inputs.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
        let field = |f: &Value, key: &str| f.get(key).and_then(Value::as_str).map(str::to_string);
        list.iter().filter_map(|f| Some((field(f, "name")?, field(f, "sha256")?))).collect()
    };
    let (mut before, mut after) = (files(old), files(new));
    let targets = |inputs: &Value| inputs.pointer("/targets/sha256").and_then(Value::as_str).map(str::to_string);
    before.extend(targets(old).map(|t| ("targets".to_string(), t)));
    after.extend(targets(new).map(|t| ("targets".to_string(), t)));
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let (o, n) = (before.get(name).cloned(), after.get(name).cloned());
            let change = match (&o, &n) {
                (Some(o), Some(n)) if o == n => "same",
                (Some(_), Some(_)) => "changed",
                (None, _) => "added",
                (_, None) => "gone",
            };
            InputChange { name: name.clone(), change, old: o, new: n }
        })
        .collect()
}

/// The comparison in words.
fn text(c: &Comparison, currency: &str) -> String {
    let mut out = format!(
        "Comparing {} ({}) with {} ({}): {}.\n",
        c.old.path,
        c.old.quarter,
        c.new.path,
        c.new.quarter,
        match c.kind {
            "restatement" => "the same quarter, a restatement",
            _ => "two quarters, progress",
        }
    );
    if c.inputs.is_empty() {
        out.push_str("Inputs: not compared (a run without fingerprints).\n");
    } else {
        let same: Vec<&str> = c.inputs.iter().filter(|i| i.change == "same").map(|i| i.name.as_str()).collect();
        let fingerprint = |sha: &Option<String>| sha.as_deref().map_or("–".to_string(), |s| short(s).to_string());
        let mut parts: Vec<String> = c
            .inputs
            .iter()
            .filter(|i| i.change != "same")
            .map(|i| format!("{} {} ({} → {})", i.name, i.change, fingerprint(&i.old), fingerprint(&i.new)))
            .collect();
        if !same.is_empty() {
            parts.push(format!("the same: {}", same.join(", ")));
        }
        out.push_str(&format!("Inputs: {}.\n", parts.join("; ")));
    }
    if !c.added.is_empty() {
        out.push_str(&format!("Added: {}.\n", c.added.join(", ")));
    }
    if !c.gone.is_empty() {
        out.push_str(&format!("Gone: {}.\n", c.gone.join(", ")));
    }
    for change in &c.changed {
        out.push_str(&format!("{}\n", change.advisor));
        let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
        let statuses: Vec<String> =
            change.statuses.iter().map(|s| format!("{} {} → {}", s.field, or_dash(&s.old), or_dash(&s.new))).collect();
        if !statuses.is_empty() {
            out.push_str(&format!("  {}\n", statuses.join("; ")));
        }
        let metrics: Vec<String> = change
            .metrics
            .iter()
            .map(|m| {
                let kind = METRICS.iter().find(|(key, _)| *key == m.field).map_or(Kind::Ratio, |(_, k)| *k);
                let (old, new) = shown(m.old, m.new, kind, currency);
                format!("{} {old} → {new}", m.field)
            })
            .collect();
        if !metrics.is_empty() {
            out.push_str(&format!("  {}\n", metrics.join("; ")));
        }
        if let Some(r) = &change.readiness {
            let word = |b: Option<bool>| match b {
                Some(true) => "ready",
                Some(false) => "not ready",
                None => "–",
            };
            out.push_str(&format!("  next level: {} → {}\n", word(r.old), word(r.new)));
        }
    }
    out.push_str(&format!(
        "{} advisor{} changed, {} unchanged.\n",
        c.changed.len(),
        if c.changed.len() == 1 { "" } else { "s" },
        c.unchanged
    ));
    out
}

/// Two values as the pages write them, with more digits when that would hide the move.
fn shown(old: Option<f64>, new: Option<f64>, kind: Kind, currency: &str) -> (String, String) {
    let plain = |v: Option<f64>| match kind {
        Kind::Count => v.map_or("–".into(), |v| format!("{v:.0}")),
        Kind::Money => v.map_or("–".into(), |v| amount(v, currency)),
        Kind::Ratio => percent(v),
        Kind::Score => score(v),
    };
    let (a, b) = (plain(old), plain(new));
    if a != b {
        return (a, b);
    }
    let fine = |v: Option<f64>| match kind {
        Kind::Ratio => v.map_or("–".into(), |v| format!("{:.4}%", v * 100.0)),
        Kind::Money => v.map_or("–".into(), |v| format!("{v:.2}")),
        _ => v.map_or("–".into(), |v| format!("{v:.6}")),
    };
    (fine(old), fine(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_counts_only_beyond_the_rounding_written() {
        assert!(!moved(Some(1.0500001), Some(1.0500004), Kind::Ratio));
        assert!(moved(Some(1.050001), Some(1.050003), Kind::Ratio));
        assert!(!moved(Some(100.001), Some(100.004), Kind::Money));
        assert!(moved(Some(100.0), Some(100.01), Kind::Money));
        assert!(moved(None, Some(1.0), Kind::Ratio));
        assert!(!moved(None, None, Kind::Ratio));
    }
}
