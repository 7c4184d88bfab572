//! ownership.csv (SPEC §9): who owned each account from which month, checked row by row (the
//! ledger is small) and reported with lines like every input.

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use super::table::read_table;
use super::ReadOptions;
use super::{Found, RosterEntry};
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::ledger::{owner_name, Ledger};
use crate::error::{Problem, Read};

/// ownership.csv: a known account, a `from` month inside arr.csv's months, one row per account
/// and month, owners resolved like accounts.csv's (roster e-mails are their advisor), and each
/// account's latest row naming its accounts.csv advisor.
pub(super) fn read(
    path: &Path,
    accounts: &DataFrame,
    accounts_file: &str,
    roster: &[RosterEntry],
    last_month: Month,
    read: &ReadOptions,
    found: &mut Found,
) -> Read<Ledger> {
    let table = read_table(path, &c::OWNERSHIP, true, read, found)?;
    let problems = &mut found.problems;
    let before = problems.len();
    let ids = accounts.column(c::ACCOUNT_ID)?.str()?;
    let advisors = accounts.column(c::ADVISOR)?.str()?;
    let keys: HashMap<&str, u32> = ids.iter().enumerate().filter_map(|(i, id)| Some((id?, i as u32))).collect();
    let by_email: HashMap<String, &str> =
        roster.iter().filter_map(|r| Some((r.email.as_deref()?.to_lowercase(), r.advisor.as_str()))).collect();
    let mut ledger = Ledger::default();
    let mut lines: HashMap<(u32, Month), u64> = HashMap::new();
    for (line, record) in &table.records {
        let at = |column: &str, message: String| Problem::new(&table.file, message).at(*line).column(column);
        let id = table.get(record, c::ACCOUNT_ID);
        let key = match keys.get(id) {
            _ if id.is_empty() => {
                problems.push(at(c::ACCOUNT_ID, "missing".into()));
                None
            }
            None => {
                let message = format!("not in {accounts_file}: its owners would own nothing");
                problems.push(at(c::ACCOUNT_ID, message).value(id));
                None
            }
            Some(key) => Some(*key),
        };
        let from_text = table.get(record, c::FROM_MONTH);
        let from = match Month::parse_with(from_text, read.date_format.as_deref()) {
            _ if from_text.is_empty() => {
                problems.push(at(c::FROM_MONTH, "missing: the first month of this ownership".into()));
                None
            }
            None => {
                problems.push(at(c::FROM_MONTH, "not a month, expected YYYY-MM or YYYY-MM-DD".into()).value(from_text));
                None
            }
            Some(month) if month > last_month => {
                let message =
                    format!("after the last month of arr.csv ({last_month}): a hand-over not yet in the data");
                problems.push(at(c::FROM_MONTH, message).value(from_text));
                None
            }
            Some(month) => Some(month),
        };
        let written = table.get(record, c::ADVISOR);
        let owner = by_email.get(&written.to_lowercase()).copied().unwrap_or(written);
        let (Some(key), Some(from)) = (key, from) else { continue };
        if let Some(first) = lines.insert((key, from), *line) {
            problems.push(
                at(c::FROM_MONTH, format!("a second owner of {id} from {from}, first on line {first}"))
                    .value(from_text),
            );
            continue;
        }
        ledger.accounts.entry(key).or_default().push((from, owner_name(Some(owner))));
    }
    for (key, rows) in ledger.accounts.iter_mut() {
        rows.sort();
        let (from, owner) = rows.last().expect("an account is in the ledger by one of its rows");
        let current = owner_name(advisors.get(*key as usize));
        if *owner != current {
            let id = ids.get(*key as usize).unwrap_or_default();
            let line = lines.get(&(*key, *from)).copied().unwrap_or(1);
            problems.push(
                Problem::new(
                    &table.file,
                    format!(
                        "the latest owner of {id} is {owner} but {accounts_file} says {current}: the ledger's last \
                         row must be the account's current owner"
                    ),
                )
                .at(line)
                .column(c::ADVISOR)
                .value(owner.clone()),
            );
        }
    }
    problems.stop_if_any_since(before)?;
    Ok(ledger)
}
