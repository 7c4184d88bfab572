//! The plan's problems (SPEC §13): teams cannot exchange accounts, so each is solved apart, on
//! every core at once, over its own books only. Unassigned accounts, which any team may take,
//! are offered afterwards to the books still below whose level calls their tier primary. When
//! there is one team (or `--across-teams`), or unassigned accounts join teams small enough for the
//! program over single accounts together, every account is one problem instead, so that its plan
//! can be proven best.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::books::{after, better, may_fit, score, Movable, Seat};
use super::solve::{solve, Solved, MAX_CHOICES};
use super::tiers::ruled_out;

/// The plan over all problems: the moves (index into the movable accounts, receiving seat), why
/// it may not be optimal (none when every part is proven best), and how many teams were solved
/// apart (1 for one problem), and the books no plan can fit.
pub(crate) struct Parts {
    pub(crate) moves: Vec<(usize, usize)>,
    pub(crate) unproven: Vec<String>,
    pub(crate) problems: usize,
    /// The seats whose books no plan can fit, with every account in their reach considered.
    pub(crate) ruled_out: Vec<usize>,
}

/// Why parts `solved` may not be optimal, in words.
fn unproven(solved: &[Solved], unassigned_after: bool) -> Vec<String> {
    let mut why = Vec::new();
    if solved.iter().any(|s| !s.proven && !s.too_big) {
        why.push("the time limit ended the search".to_string());
    }
    if solved.iter().any(|s| s.too_big) {
        why.push(format!(
            "a team over {MAX_CHOICES} account-receiver pairs was planned by tier and rounded to whole accounts"
        ));
    }
    if unassigned_after {
        why.push("the unassigned accounts were offered after the teams' plans, not with them".to_string());
    }
    why
}

/// Solves `teams` (each a list of indices into `movable`) apart, then offers the `unassigned`
/// accounts to the books still below, within `limit` in all. With one team, or when the whole
/// has no more than `merge_up_to` account-receiver pairs (the program over single accounts can
/// prove it: [`MAX_CHOICES`]), it is one problem.
pub(crate) fn solve_parts(
    seats: &[Seat],
    movable: &[Movable],
    teams: Vec<Vec<usize>>,
    unassigned: Vec<usize>,
    merge_up_to: usize,
    limit: Duration,
) -> Parts {
    let start = Instant::now();
    let whole = || movable.iter().map(|m| m.targets().count()).sum::<usize>();
    if teams.len() <= 1 || (!unassigned.is_empty() && whole() <= merge_up_to) {
        let mut all: Vec<usize> = teams.into_iter().flatten().chain(unassigned).collect();
        all.sort_unstable();
        let solved = part(seats, movable, &all, &[], &[], limit);
        let unproven = unproven(std::slice::from_ref(&solved), false);
        return Parts { moves: solved.moves, unproven, problems: 1, ruled_out: solved.ruled_out };
    }
    let later = !unassigned.is_empty();
    let deadline = start + limit.mul_f64(if later { 0.8 } else { 1.0 });
    // Teams run side by side, each with its share (by accounts) of the time left when it starts,
    // on every core: time a quick team leaves goes to the teams after it.
    let left = AtomicUsize::new(teams.iter().map(Vec::len).sum());
    let cores = rayon::current_num_threads() as f64;
    let mut solved: Vec<Solved> = teams
        .par_iter()
        .map(|members| {
            let share = members.len() as f64 / left.fetch_sub(members.len(), Ordering::Relaxed).max(1) as f64;
            let limit = deadline.saturating_duration_since(Instant::now()).mul_f64((share * cores).min(1.0));
            part(seats, movable, members, &[], &unassigned, limit)
        })
        .collect();
    let ruled_out: Vec<usize> = solved.iter().flat_map(|s| s.ruled_out.iter().copied()).collect();
    if later {
        // The unassigned accounts, team by team, to the teams with a book still below that is not
        // ruled out: each team is planned again with the accounts left offered to its advisors,
        // and the new plan kept when it is better for the team.
        let mut pool: Vec<usize> = unassigned.clone();
        let out: HashSet<usize> = ruled_out.iter().copied().collect();
        let books = after(seats, movable, &solved.iter().flat_map(|s| s.moves.clone()).collect::<Vec<_>>());
        let open = |members: &Vec<usize>| {
            members.iter().any(|&a| {
                let s = movable[a].owner;
                !out.contains(&s) && !seats[s].content(books[s])
            })
        };
        let waiting: Vec<usize> = (0..teams.len()).filter(|&t| open(&teams[t])).collect();
        let finish = start + limit;
        for (k, &t) in waiting.iter().enumerate() {
            let now = Instant::now();
            if now >= finish || pool.is_empty() {
                break;
            }
            let share = finish.saturating_duration_since(now).div_f64((waiting.len() - k) as f64);
            let again = part(seats, movable, &teams[t], &pool, &[], share);
            if better(score(seats, movable, &again.moves), score(seats, movable, &solved[t].moves)) {
                let used: HashSet<usize> = again.moves.iter().map(|&(a, _)| a).collect();
                pool.retain(|a| !used.contains(a));
                solved[t] = Solved { ruled_out: Vec::new(), ..again };
            }
        }
    }
    let moves: Vec<(usize, usize)> = solved.iter().flat_map(|s| s.moves.iter().copied()).collect();
    Parts { moves, unproven: unproven(&solved, later), problems: teams.len(), ruled_out }
}

/// The plan for the `members` of `movable`, and the `offered` accounts (unassigned) which may go
/// to the members' seats only, over only the seats they touch: moves as (index into `movable`,
/// seat). A book it rules out is checked again with the `loose` accounts (unassigned) in reach of
/// the same seats: only a book no plan of either can fit is reported.
fn part(
    seats: &[Seat],
    movable: &[Movable],
    members: &[usize],
    offered: &[usize],
    loose: &[usize],
    limit: Duration,
) -> Solved {
    // The seats the members leave or may go to, renumbered from 0.
    let mut local: HashMap<usize, usize> = HashMap::new();
    let mut global: Vec<usize> = Vec::new();
    let mut number = |global: &mut Vec<usize>, seat: usize| {
        *local.entry(seat).or_insert_with(|| {
            global.push(seat);
            global.len() - 1
        })
    };
    let mut shared: HashMap<*const [usize], Arc<[usize]>> = HashMap::new();
    let mut accounts: Vec<Movable> = members
        .iter()
        .map(|&a| {
            let account = &movable[a];
            let owner = number(&mut global, account.owner);
            let receivers = match shared.get(&Arc::as_ptr(&account.receivers)) {
                Some(receivers) => receivers.clone(),
                None => {
                    let renumbered: Arc<[usize]> = account.receivers.iter().map(|&s| number(&mut global, s)).collect();
                    shared.insert(Arc::as_ptr(&account.receivers), renumbered.clone());
                    renumbered
                }
            };
            Movable { owner, receivers, ..account.clone() }
        })
        .collect();
    // Unassigned accounts, to the members' seats only.
    let in_team: Arc<[usize]> = (0..global.len()).collect();
    let mut extend = |global: &mut Vec<usize>, accounts: &mut Vec<Movable>, extra: &[usize]| {
        if let Some(&first) = extra.first() {
            let owner = number(global, movable[first].owner);
            accounts.extend(extra.iter().map(|&a| Movable { owner, receivers: in_team.clone(), ..movable[a].clone() }));
        }
    };
    extend(&mut global, &mut accounts, offered);
    let mut team: Vec<Seat> = global.iter().map(|&s| seats[s].clone()).collect();
    let solved = solve(&team, &accounts, limit);
    let mut ruled = solved.ruled_out.clone();
    if !ruled.is_empty() && !loose.is_empty() {
        extend(&mut global, &mut accounts, loose);
        team.extend(global[team.len()..].iter().map(|&s| seats[s].clone()));
        let reach = may_fit(&team, &accounts);
        let again: Vec<bool> = (0..team.len()).map(|s| reach[s] && ruled.contains(&s)).collect();
        let still = ruled_out(&team, &accounts, &again, limit.as_secs_f64() * 0.1);
        ruled.retain(|&s| !reach[s] || still[s]);
    }
    let index = |a: usize| if a < members.len() { members[a] } else { offered[a - members.len()] };
    Solved {
        moves: solved.moves.into_iter().map(|(a, to)| (index(a), global[to])).collect(),
        ruled_out: ruled.into_iter().map(|s| global[s]).collect(),
        ..solved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seat of `arr`, all of it in tier `holds`, whose level calls tier `primary` primary (50%
    /// minimum, ±25%).
    fn seat(arr: f64, holds: usize, primary: usize) -> Seat {
        let primary_tiers: Arc<[bool]> = (0..3).map(|t| t == primary).collect();
        let primary = if holds == primary { arr } else { 0.0 };
        Seat { arr, primary, min_share: Some(0.5), low: arr * 0.75, high: arr * 1.25, primary_tiers }
    }

    /// Two teams planned apart, then the unassigned account offered: seat 0 (team A, all tier 1,
    /// primary tier 0) fits only by taking the unassigned U (tier 0, 100) and giving its tier-1
    /// account of 80 to seat 1 (team A, primary tier 1); seat 2 (team B) fits. By hand: seat 0
    /// may end between 90 and 150, so with U it must give 80 (its 40 alone leaves 180) and ends
    /// with 100 of tier 0 and 40 of tier 1 (71%); seat 1 ends with 480, within 300 and 500.
    #[test]
    fn the_unassigned_go_to_a_book_below_after_the_teams() {
        let unassigned = Seat { min_share: None, low: f64::MIN, high: f64::MAX, ..seat(100.0, 0, 9) };
        let seats = [seat(120.0, 1, 0), seat(400.0, 1, 1), seat(100.0, 2, 2), unassigned];
        let team_a: Arc<[usize]> = Arc::from([0, 1]);
        let anyone: Arc<[usize]> = Arc::from([0, 1, 2]);
        let movable = [
            Movable { owner: 0, arr: 80.0, tier: 1, receivers: team_a.clone() },
            Movable { owner: 0, arr: 40.0, tier: 1, receivers: team_a },
            Movable { owner: 3, arr: 100.0, tier: 0, receivers: anyone },
        ];
        let parts = solve_parts(&seats, &movable, vec![vec![0, 1], Vec::new()], vec![2], 0, Duration::from_secs(5));
        let mut moves = parts.moves.clone();
        moves.sort();
        assert_eq!(moves, [(0, 1), (2, 0)]);
        assert!(parts.unproven.iter().any(|why| why.contains("unassigned accounts were offered after")));
        assert!(parts.ruled_out.is_empty());
        // Merged (the whole is small), the same plan, proven.
        let parts =
            solve_parts(&seats, &movable, vec![vec![0, 1], Vec::new()], vec![2], MAX_CHOICES, Duration::from_secs(5));
        let mut merged = parts.moves.clone();
        merged.sort();
        assert_eq!((merged, parts.unproven), (moves, Vec::<String>::new()));
    }

    /// A book ruled out within its team is checked again with the unassigned accounts in reach:
    /// seat 0 (tier 1, primary tier 0) has nothing of tier 0 in its team, so its team rules it
    /// out; with U (tier 0, 100) in reach it is not ruled out, and fits.
    #[test]
    fn a_book_ruled_out_in_its_team_is_not_when_the_unassigned_reach_it() {
        let unassigned = Seat { min_share: None, low: f64::MIN, high: f64::MAX, ..seat(100.0, 0, 9) };
        let seats = [seat(120.0, 1, 0), seat(400.0, 1, 1), unassigned];
        let team: Arc<[usize]> = Arc::from([0, 1]);
        let movable = [
            Movable { owner: 0, arr: 80.0, tier: 1, receivers: team.clone() },
            Movable { owner: 1, arr: 100.0, tier: 1, receivers: team },
            Movable { owner: 2, arr: 100.0, tier: 0, receivers: Arc::from([0, 1]) },
        ];
        let alone = part(&seats, &movable, &[0, 1], &[], &[], Duration::from_secs(5));
        assert_eq!(alone.ruled_out, [0]);
        let checked = part(&seats, &movable, &[0, 1], &[], &[2], Duration::from_secs(5));
        assert!(checked.ruled_out.is_empty());
    }
}
