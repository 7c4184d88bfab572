//! Owners as the exports write them, resolved to roster advisors (SPEC §3.5): an owner equal to a
//! roster e-mail, in any case, is that advisor. CRMs often export owners as e-mail addresses.

use polars::prelude::*;

use super::InputPaths;
use super::{Found, RosterEntry};
use crate::domain::columns as c;
use crate::error::{Problem, Read};

/// accounts.csv with each owner that is a roster e-mail replaced by that advisor's name. Stops
/// when most owners are e-mail addresses and the roster has none to match them with.
pub(super) fn resolve(
    accounts: DataFrame,
    roster: &[RosterEntry],
    paths: &InputPaths,
    found: &mut Found,
) -> Read<DataFrame> {
    let owners = accounts.column(c::ADVISOR)?.str()?.clone();
    let by_email: PlHashMap<String, &str> =
        roster.iter().filter_map(|r| Some((r.email.as_deref()?.to_lowercase(), r.advisor.as_str()))).collect();
    if by_email.is_empty() {
        let named = owners.iter().flatten().count();
        let emails: Vec<&str> = owners.iter().flatten().filter(|o| looks_like_email(o)).collect();
        if named > 0 && emails.len() * 2 > named {
            return found.problems.stop(
                Problem::new(
                    paths.advisors.display().to_string(),
                    format!(
                        "{} of {named} owners in {} are e-mail addresses, but the roster has no email column to \
                         match them with: add one with each advisor's address",
                        emails.len(),
                        paths.accounts.display()
                    ),
                )
                .at(1)
                .column(c::EMAIL)
                .value(format!("e.g. {}", emails[0])),
            );
        }
        return Ok(accounts);
    }
    let resolved: StringChunked = owners
        .iter()
        .map(|owner| owner.map(|o| by_email.get(o.to_lowercase().as_str()).copied().unwrap_or(o)))
        .collect();
    let mut accounts = accounts;
    accounts.with_column(resolved.with_name(c::ADVISOR.into()).into_series().into_column())?;
    Ok(accounts)
}

fn looks_like_email(owner: &str) -> bool {
    owner.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
}
