//! The plan stage (SPEC §13): which accounts to hand over so every book fits its advisor's
//! level, from the state at the evaluated quarter end `E` (owners, tiers, `ARR(a, E)`) as the
//! report has it. Each team is one problem ([`parts`], [`solve`]), or the whole company with
//! `--across-teams`; unassigned accounts, which any team may take, are offered after them.

pub(crate) mod books;
mod greedy;
mod parts;
mod program;
pub(crate) mod solve;
mod tiers;
mod why;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use books::{Movable, Seat};

use crate::domain::calendar::Month;
use crate::domain::targets::{Level, Targets};
use crate::model::plan::{OwnershipRow, Plan, PlanAdvisor, PlanMove};
use crate::model::{AccountRow, Report, Status, UNASSIGNED};
use crate::pipeline::evaluate::status::scope_status;

/// What `plan`'s flags set (SPEC §13).
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Accounts renewing within this many months after `E` stay (`--protect-months`).
    pub(crate) protect_months: u32,
    /// Accounts may move between teams (`--across-teams`).
    pub(crate) across_teams: bool,
    /// Account ids pinned in place (`--keep`).
    pub(crate) keep: BTreeSet<String>,
    /// How much a book may grow or shrink, a share of its ARR (`--max-change`).
    pub(crate) max_change: f64,
    /// How long the solver may search, in all (`--time-limit`).
    pub(crate) time_limit: Duration,
}

/// What the plan reads besides the report: the account ids ownership.csv already has rows for,
/// and arr.csv's first month.
pub(crate) struct Known<'a> {
    pub(crate) ledger_accounts: &'a HashSet<String>,
    pub(crate) first_month: Month,
}

/// One advisor with a level, or `(unassigned)`, as the plan sees them.
struct Owner<'a> {
    name: &'a str,
    level: Option<&'a Level>,
    manager: Option<&'a str>,
}

/// The plan for `report`'s evaluated quarter end.
pub(crate) fn plan<'a>(
    report: &'a Report,
    targets: &'a Targets,
    settings: &Settings,
    known: &Known,
) -> anyhow::Result<Plan> {
    let end = Month::parse(&report.as_of_month)
        .ok_or_else(|| anyhow::anyhow!("the report's month '{}' does not parse: this is a bug", report.as_of_month))?;
    // Every advisor with a level, then `(unassigned)`.
    let mut owners: Vec<Owner<'a>> = report
        .scorecards
        .iter()
        .filter_map(|s| {
            let level = targets.level(s.level.as_deref()?)?;
            Some(Owner { name: &s.advisor, level: Some(level), manager: s.manager.as_deref() })
        })
        .collect();
    owners.push(Owner { name: UNASSIGNED, level: None, manager: None });
    let seat_of: HashMap<&str, usize> = owners.iter().enumerate().map(|(i, o)| (o.name, i)).collect();
    let unassigned = owners.len() - 1;
    let active: Vec<&AccountRow> =
        report.accounts.iter().filter(|a| a.end_arr > 0.0 && seat_of.contains_key(a.advisor.as_str())).collect();
    let primary_for = |account: &AccountRow, owner: &Owner| -> bool {
        let band = targets.bands.parse(&account.band);
        owner.level.is_some_and(|l| band.is_some_and(|b| l.primary_tiers.iter().any(|p| p.matches(account.segment, b))))
    };
    // Every tier of the active accounts, by index, and which of them each seat's level calls primary.
    let mut tier_of: HashMap<&str, usize> = HashMap::new();
    let mut tiers: Vec<&AccountRow> = Vec::new();
    for account in &active {
        tier_of.entry(account.tier.as_str()).or_insert_with(|| {
            tiers.push(account);
            tiers.len() - 1
        });
    }
    let primary_tiers: Vec<Arc<[bool]>> =
        owners.iter().map(|owner| tiers.iter().map(|account| primary_for(account, owner)).collect()).collect();
    // Each seat's book at `E`.
    let mut books = vec![(0.0, 0.0); owners.len()];
    for account in &active {
        let seat = seat_of[account.advisor.as_str()];
        books[seat].0 += account.end_arr;
        if primary_for(account, &owners[seat]) {
            books[seat].1 += account.end_arr;
        }
    }
    let across = settings.across_teams;
    let team = |owner: &Owner<'a>| -> Option<&'a str> { (!across).then(|| owner.manager.unwrap_or_default()) };
    let seats: Vec<Seat> = owners
        .iter()
        .enumerate()
        .map(|(i, owner)| {
            let (arr, primary) = books[i];
            let Some(level) = owner.level else {
                let primary_tiers = primary_tiers[i].clone();
                return Seat { arr, primary, min_share: None, low: f64::MIN, high: f64::MAX, primary_tiers };
            };
            let high = if arr > 0.0 {
                arr * (1.0 + settings.max_change)
            } else {
                // Up to the median book of the others with a level and ARR in the team (the
                // lower middle one for an even count).
                let mut others: Vec<f64> = (0..owners.len())
                    .filter(|&j| j != i && owners[j].level.is_some() && books[j].0 > 0.0)
                    .filter(|&j| team(&owners[j]) == team(owner) || settings.across_teams)
                    .map(|j| books[j].0)
                    .collect();
                others.sort_by(f64::total_cmp);
                others.get(others.len().saturating_sub(1) / 2).copied().unwrap_or(0.0)
            };
            Seat {
                arr,
                primary,
                min_share: Some(level.primary_min_share),
                low: arr * (1.0 - settings.max_change),
                high,
                primary_tiers: primary_tiers[i].clone(),
            }
        })
        .collect();
    // Whether each active account renews within the protected months (it stays).
    let protected = |account: &AccountRow| {
        let renews = account.renewal_date.as_deref().and_then(|d| Month::parse(d.get(..7)?));
        renews.is_some_and(|m| m > end && m.0 <= end.0 + settings.protect_months as i32)
    };
    // Where an account may go: any advisor with a level in its owner's team, or anyone's for an
    // unassigned account; one list per team, shared by its accounts.
    let mut members: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, owner) in owners[..unassigned].iter().enumerate() {
        members.entry(team(owner)).or_default().push(i);
    }
    let by_team: HashMap<Option<&str>, Arc<[usize]>> =
        members.into_iter().map(|(team, seats)| (team, Arc::from(seats))).collect();
    let anyone: Arc<[usize]> = (0..unassigned).collect();
    let renewing: Vec<bool> = active.iter().map(|a| protected(a)).collect();
    let (rows, movable): (Vec<&AccountRow>, Vec<Movable>) = active
        .iter()
        .zip(&renewing)
        .filter(|(a, renews)| !**renews && !settings.keep.contains(&a.account_id))
        .map(|(account, _)| {
            let owner = seat_of[account.advisor.as_str()];
            let receivers = match owner == unassigned {
                true => anyone.clone(),
                false => by_team[&team(&owners[owner])].clone(),
            };
            (*account, Movable { owner, arr: account.end_arr, tier: tier_of[account.tier.as_str()], receivers })
        })
        .filter(|(_, m)| m.targets().next().is_some())
        .unzip();
    // One problem per team; the unassigned accounts, which any team may take, after them.
    let mut teams: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    let mut loose = Vec::new();
    for (i, m) in movable.iter().enumerate() {
        match m.owner == unassigned {
            true => loose.push(i),
            false => teams.entry(team(&owners[m.owner])).or_default().push(i),
        }
    }
    let parts::Parts { moves, unproven, problems, ruled_out } = parts::solve_parts(
        &seats,
        &movable,
        teams.into_values().collect(),
        loose,
        solve::MAX_CHOICES,
        settings.time_limit,
    );
    let ruled_out: HashSet<usize> = ruled_out.into_iter().collect();
    anyhow::ensure!(
        books::keeps_limits(&seats, &movable, &moves),
        "the plan breaks a limit: this is a bug, please report it"
    );
    let after = books::after(&seats, &movable, &moves);
    let mut flows = vec![(0u64, 0u64); owners.len()];
    let mut planned: Vec<PlanMove> = moves
        .iter()
        .map(|&(i, to)| {
            let (account, m) = (rows[i], &movable[i]);
            flows[m.owner].1 += 1;
            flows[to].0 += 1;
            PlanMove {
                account_id: account.account_id.clone(),
                account_name: account.account_name.clone(),
                tier: account.tier.clone(),
                arr: account.end_arr,
                renewal_date: account.renewal_date.clone(),
                from_advisor: account.advisor.clone(),
                to_advisor: owners[to].name.to_string(),
            }
        })
        .collect();
    planned.sort_by(|a, b| {
        a.from_advisor.cmp(&b.from_advisor).then(b.arr.total_cmp(&a.arr)).then(a.account_id.cmp(&b.account_id))
    });
    let share = |(arr, primary): (f64, f64)| (arr > 0.0).then(|| primary / arr);
    // As the scorecards judge it (SPEC §6).
    let status = |owner: &Owner, book| owner.level.map_or(Status::NotApplicable, |l| scope_status(share(book), l));
    let mut advisors: Vec<PlanAdvisor> = owners[..unassigned]
        .iter()
        .enumerate()
        .map(|(i, owner)| PlanAdvisor {
            advisor: owner.name.to_string(),
            level: owner.level.map(|l| l.name.clone()).unwrap_or_default(),
            manager: owner.manager.map(str::to_string),
            arr_before: books[i].0,
            arr_after: after[i].0,
            scope_share_before: share(books[i]),
            scope_share_after: share(after[i]),
            scope_status_before: status(owner, books[i]),
            scope_status_after: status(owner, after[i]),
            accounts_in: flows[i].0,
            accounts_out: flows[i].1,
            why_below: None,
            unsettled: false,
        })
        .collect();
    let mut held = why::Held::default();
    for (account, &renews) in active.iter().zip(&renewing) {
        let (seat, tier) = (seat_of[account.advisor.as_str()], tier_of[account.tier.as_str()]);
        let owner = (seat != unassigned).then_some(seat);
        let pinned = settings.keep.contains(&account.account_id);
        held.add(team(&owners[seat]), owner, tier, pinned, renews);
    }
    // The most primary ARR each book could hold, and how many movable accounts of it.
    let in_reach = books::reach(&seats, &movable);
    for (i, advisor) in advisors.iter_mut().enumerate() {
        let still = matches!(advisor.scope_status_after, Status::Below | Status::NotApplicable);
        let Some(level) = owners[i].level.filter(|_| still) else { continue };
        let primary = (0..tiers.len()).filter(|t| seats[i].is_primary(*t));
        let below = why::Below {
            level,
            seat: &seats[i],
            arr_after: advisor.arr_after,
            held: held.in_reach(team(&owners[i]), i, primary),
            reach_arr: in_reach[i].0,
            reach_count: in_reach[i].1,
            ruled_out: ruled_out.contains(&i),
            unproven: &unproven,
            currency: &report.currency,
        };
        let (why, unsettled) = why::why_below(&below, settings);
        (advisor.why_below, advisor.unsettled) = (Some(why), unsettled);
    }
    advisors.sort_by(|a, b| a.advisor.cmp(&b.advisor));
    let from = end.plus(1).to_string();
    let mut ownership: Vec<OwnershipRow> = Vec::new();
    for m in &planned {
        ownership.push(OwnershipRow {
            account_id: m.account_id.clone(),
            from: from.clone(),
            advisor: m.to_advisor.clone(),
        });
        if !known.ledger_accounts.contains(&m.account_id) {
            // The months before the hand-over stay with the owner at `E`.
            let before = if m.from_advisor == UNASSIGNED { String::new() } else { m.from_advisor.clone() };
            ownership.push(OwnershipRow {
                account_id: m.account_id.clone(),
                from: known.first_month.to_string(),
                advisor: before,
            });
        }
    }
    ownership.sort();
    Ok(Plan {
        quarter: report.quarter.clone(),
        as_of_month: report.as_of_month.clone(),
        from_month: from,
        currency: report.currency.clone(),
        moves: planned,
        advisors,
        ownership,
        proven_optimal: unproven.is_empty(),
        unproven,
        problems,
    })
}
