//! advisors.csv (SPEC §3.3): the roster, each advisor once, with a level the targets define.

use std::collections::HashMap;
use std::path::Path;

use super::table::read_table;
use super::Found;
use super::ReadOptions;
use super::RosterEntry;
use crate::domain::columns as c;
use crate::domain::targets::Targets;
use crate::error::{Problem, Read};

/// advisors.csv (SPEC §3.3).
pub(super) fn read(path: &Path, targets: &Targets, read: &ReadOptions, found: &mut Found) -> Read<Vec<RosterEntry>> {
    let table = read_table(path, &c::ADVISORS, true, read, found)?;
    let problems = &mut found.problems;
    let before = problems.len();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
    let mut roster = Vec::with_capacity(table.records.len());
    let level_names: Vec<&str> = targets.levels.iter().map(|l| l.name.as_str()).collect();
    for (line, record) in &table.records {
        let advisor = table.get(record, c::ADVISOR);
        let level = table.get(record, c::LEVEL);
        let manager = table.get(record, c::MANAGER);
        let email = table.get(record, c::EMAIL);
        let bad = |column: &str, message: String, value: &str| {
            Problem::new(&table.file, message).at(*line).column(column).value(value)
        };
        if advisor.is_empty() {
            problems.push(
                Problem::new(&table.file, "missing: every roster row needs an advisor").at(*line).column(c::ADVISOR),
            );
        } else if let Some(first) = seen.get(advisor) {
            problems.push(bad(c::ADVISOR, format!("advisor listed twice, first on line {first}"), advisor));
        } else {
            seen.insert(advisor.to_string(), *line);
        }
        if !email.is_empty() {
            if !email.contains('@') {
                problems.push(bad(c::EMAIL, "not an e-mail address".into(), email));
            } else if let Some(first) = emails.get(&email.to_lowercase()) {
                problems.push(bad(c::EMAIL, format!("e-mail listed twice, first on line {first}"), email));
            } else {
                emails.insert(email.to_lowercase(), *line);
            }
        }
        let Some(known) = targets.level_named(level) else {
            let message = format!("unknown level, expected one of {}", level_names.join(", "));
            problems.push(bad(c::LEVEL, message, level));
            continue;
        };
        roster.push(RosterEntry {
            advisor: advisor.to_string(),
            level: known.name.clone(),
            manager: (!manager.is_empty()).then(|| manager.to_string()),
            email: (!email.is_empty()).then(|| email.to_string()),
        });
    }
    problems.stop_if_any_since(before)?;
    Ok(roster)
}
