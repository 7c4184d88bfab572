//! The plan's program by tier (SPEC §13), for teams too big for a binary choice per account: how
//! much of each owner's ARR in each tier goes to each receiver, as amounts, with a binary per
//! book for whether it fits. A team of eight books has a few hundred amounts and eight binaries
//! whatever the number of accounts, so microlp solves it at once. The amounts are then rounded to
//! whole accounts, largest first; where rounding breaks a limit or leaves a book meant to fit
//! short, that book's margin grows by what was missing and the program is solved again. The
//! result keeps every limit; [`super::greedy`] finishes it and [`super::solve`] keeps it only
//! when it beats the other plans.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, WithTimeLimit,
};

use super::books::{after, better, keeps_limits, score, Movable, Seat};

/// How many times the program is solved, each time with more accounts fixed or larger margins.
const ROUNDS: usize = 8;

/// One owner's movable accounts of one tier, largest ARR first, and the seats they may go to.
struct Group {
    owner: usize,
    tier: usize,
    accounts: Vec<usize>,
    arr: f64,
    receivers: Vec<usize>,
}

/// What the program must leave spare in each book, in ARR, so that rounding to whole accounts
/// keeps it right: within its size bounds, and its primary ARR above the minimum share.
#[derive(Clone)]
struct Margins {
    size: Vec<f64>,
    share: Vec<f64>,
}

/// A plan rounded from the program by tier (in which only the books that `may_fit` may fit) that
/// keeps every limit, made before `deadline`; none when the program fails or every rounding
/// breaks a limit. The accounts of one owner and tier must share their receivers (they do:
/// receivers follow the owner's team).
///
/// Rounding a large account is what breaks a book, so the rounding dives: after each solve, the
/// larger half of the accounts still free in the groups that move is fixed where the rounding
/// put it (moved or staying), and the program is solved again around them; the last accounts
/// left free are the smallest. Where a rounding still breaks a limit or leaves a book meant to fit
/// short, that book's margin grows by what was missing.
pub(crate) fn by_tier(
    seats: &[Seat],
    accounts: &[Movable],
    may_fit: &[bool],
    deadline: Instant,
) -> Option<Vec<(usize, usize)>> {
    // By account: free, or fixed to stay (`Some(None)`) or to move to a seat.
    let mut fixed: Vec<Option<Option<usize>>> = vec![None; accounts.len()];
    let mut margins = Margins { size: vec![0.0; seats.len()], share: vec![0.0; seats.len()] };
    let mut kept: Option<Vec<(usize, usize)>> = None;
    for round in 0..ROUNDS {
        let seconds = deadline.saturating_duration_since(Instant::now()).as_secs_f64() / (ROUNDS - round) as f64;
        if seconds < 0.001 {
            break;
        }
        let settled: Vec<(usize, usize)> =
            fixed.iter().enumerate().filter_map(|(a, f)| f.flatten().map(|to| (a, to))).collect();
        let groups = groups(accounts, &fixed);
        let base = after(seats, accounts, &settled);
        let Some((flows, meant)) = program(seats, &base, may_fit, &groups, &margins, seconds) else { break };
        let rounded = round_flows(accounts, &groups, &flows);
        let moves: Vec<(usize, usize)> = settled.iter().chain(&rounded).copied().collect();
        let books = after(seats, accounts, &moves);
        let mut short = false;
        for (s, seat) in seats.iter().enumerate() {
            let (arr, primary) = books[s];
            let Some(min) = seat.min_share else { continue };
            let over = (seat.low - arr).max(arr - seat.high);
            if over > 0.0 {
                margins.size[s] += over * 1.5 + 1.0;
                short = true;
            }
            if meant[s] && !seat.fits(arr, primary) {
                margins.share[s] += (min * arr - primary).max(0.0) * 1.5 + 1.0;
                short = true;
            }
        }
        let keeps = keeps_limits(seats, accounts, &moves);
        let moves = if keeps { moves } else { repair(seats, accounts, moves) };
        let keeps = keeps || keeps_limits(seats, accounts, &moves);
        if keeps && kept.as_ref().is_none_or(|k| better(score(seats, accounts, &moves), score(seats, accounts, k))) {
            kept = Some(moves);
        }
        if keeps && !short {
            break;
        }
        if !dive(accounts, &groups, &flows, &mut fixed) {
            break;
        }
    }
    kept
}

/// `moves` with moves undone, one at a time, until every book keeps its limits: for the first book
/// that breaks one, of the moves into it (when too big) or out of it (when too small), or either
/// when it no longer fits as it did before, the smallest whose undoing mends it, else the largest
/// that takes it closer.
fn repair(seats: &[Seat], accounts: &[Movable], mut moves: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    while !moves.is_empty() {
        let books = after(seats, accounts, &moves);
        let Some(s) = (0..seats.len()).find(|&s| !seats[s].keeps(books[s])) else { break };
        let (arr, primary) = books[s];
        let seat = &seats[s];
        let min = seat.min_share.unwrap_or(0.0);
        // What undoing a move does to the book: (ARR, primary ARR) added back.
        let undo = |&(a, to): &(usize, usize)| -> Option<(f64, f64)> {
            let account = &accounts[a];
            let primary = if seat.is_primary(account.tier) { account.arr } else { 0.0 };
            match (account.owner == s, to == s) {
                (true, _) => Some((account.arr, primary)),
                (_, true) => Some((-account.arr, -primary)),
                _ => None,
            }
        };
        let helps = |(d_arr, d_primary): (f64, f64)| {
            if arr > seat.high {
                d_arr < 0.0
            } else if arr < seat.low {
                d_arr > 0.0
            } else {
                (d_primary - min * d_arr) > 0.0 && arr + d_arr >= seat.low && arr + d_arr <= seat.high
                    || primary - min * arr > 0.0
            }
        };
        let helping: Vec<(usize, (f64, f64))> =
            moves.iter().enumerate().filter_map(|(i, m)| undo(m).filter(|d| helps(*d)).map(|d| (i, d))).collect();
        let size = |&(i, _): &(usize, (f64, f64))| accounts[moves[i].0].arr;
        let mends = |&(_, (d_arr, d_primary)): &(usize, (f64, f64))| seat.keeps((arr + d_arr, primary + d_primary));
        let pick = helping
            .iter()
            .filter(|h| mends(h))
            .min_by(|x, y| size(x).total_cmp(&size(y)))
            .or_else(|| helping.iter().max_by(|x, y| size(x).total_cmp(&size(y))))
            .map(|&(i, _)| i);
        let Some(i) = pick else { break };
        moves.swap_remove(i);
    }
    moves
}

/// Fixes the larger half of the free accounts of the groups that move, largest first, so that the
/// program's amounts less what is fixed stay a solution of the next program: an account moves to
/// the receiver with the most still to receive when it is no more than that, and stays when the
/// group's other free accounts still cover all that is left to move; otherwise it stays free.
/// Whether any account was fixed.
fn dive(accounts: &[Movable], groups: &[Group], flows: &[Vec<f64>], fixed: &mut [Option<Option<usize>>]) -> bool {
    let mut free: Vec<usize> = groups
        .iter()
        .zip(flows)
        .filter(|(_, amounts)| amounts.iter().sum::<f64>() > 1e-6)
        .flat_map(|(group, _)| group.accounts.iter().copied())
        .collect();
    free.sort_by(|&x, &y| accounts[y].arr.total_cmp(&accounts[x].arr));
    let larger: HashSet<usize> = free[..free.len().div_ceil(2)].iter().copied().collect();
    let mut any = false;
    for (group, amounts) in groups.iter().zip(flows) {
        let mut left = amounts.clone();
        let mut room = group.arr;
        for &a in group.accounts.iter().filter(|a| larger.contains(a)) {
            let arr = accounts[a].arr;
            let (r, rest) = left.iter().copied().enumerate().max_by(|x, y| x.1.total_cmp(&y.1)).unwrap_or((0, 0.0));
            if arr <= rest + 1e-6 {
                left[r] -= arr;
                fixed[a] = Some(Some(group.receivers[r]));
            } else if room - arr >= left.iter().sum::<f64>() - 1e-6 {
                fixed[a] = Some(None);
            } else {
                continue;
            }
            room -= arr;
            any = true;
        }
    }
    any
}

/// The free accounts (`fixed` none) by owner and tier, largest first, with where they may go.
fn groups(accounts: &[Movable], fixed: &[Option<Option<usize>>]) -> Vec<Group> {
    let mut grouped: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (a, account) in accounts.iter().enumerate().filter(|(a, _)| fixed[*a].is_none()) {
        grouped.entry((account.owner, account.tier)).or_default().push(a);
    }
    grouped
        .into_iter()
        .map(|((owner, tier), mut members)| {
            members.sort_by(|&x, &y| accounts[y].arr.total_cmp(&accounts[x].arr));
            let arr = members.iter().map(|&a| accounts[a].arr).sum();
            let receivers = accounts[members[0]].targets().collect();
            Group { owner, tier, accounts: members, arr, receivers }
        })
        .filter(|g| !g.receivers.is_empty())
        .collect()
}

/// The program by tier under `margins`, from the books `base` (after the accounts fixed so far):
/// each group's amount to each receiver and, by seat, whether the program means its book to fit.
/// Most books fitting first, then the least ARR moved.
fn program(
    seats: &[Seat],
    base: &[(f64, f64)],
    may_fit: &[bool],
    groups: &[Group],
    margins: &Margins,
    seconds: f64,
) -> Option<(Vec<Vec<f64>>, Vec<bool>)> {
    let model = Model { seats, base, may_fit, must: None, groups, margins, slack: 0.0 };
    let (flows, meant) = model.solve(None, seconds / 2.0).ok()?;
    let most = meant.iter().filter(|m| **m).count() as f64;
    Some(model.solve(Some(most), seconds / 2.0).unwrap_or((flows, meant)))
}

/// By seat, whether no plan can fit its book: for each book below that `may_fit`, the program by
/// tier with that book required to fit, every book within its limits and every book that fits
/// kept fitting, has no solution even with accounts split into amounts of ARR (which allows
/// every plan of whole accounts and more). A solver that fails or runs out of `seconds` rules
/// out nothing.
pub(crate) fn ruled_out(seats: &[Seat], accounts: &[Movable], may_fit: &[bool], seconds: f64) -> Vec<bool> {
    let groups = groups(accounts, &vec![None; accounts.len()]);
    let base: Vec<(f64, f64)> = seats.iter().map(|s| (s.arr, s.primary)).collect();
    let margins = Margins { size: vec![0.0; seats.len()], share: vec![0.0; seats.len()] };
    let candidates: Vec<usize> =
        (0..seats.len()).filter(|&s| may_fit[s] && !seats[s].content((seats[s].arr, seats[s].primary))).collect();
    let each = seconds / candidates.len().max(1) as f64;
    let slack = 0.01 + 1e-9 * seats.iter().map(|s| s.arr.abs()).sum::<f64>();
    let mut out = vec![false; seats.len()];
    for s in candidates {
        // Only this book and the books that fit now may (and must) fit.
        let alone: Vec<bool> =
            seats.iter().enumerate().map(|(t, seat)| t == s || seat.fits(seat.arr, seat.primary)).collect();
        let model =
            Model { seats, base: &base, may_fit: &alone, must: Some(s), groups: &groups, margins: &margins, slack };
        out[s] = matches!(model.solve(None, each), Err(ResolutionError::Infeasible));
    }
    out
}

/// The program by tier, as built for one solve.
struct Model<'a> {
    seats: &'a [Seat],
    base: &'a [(f64, f64)],
    /// By seat, whether its book is given the choice to fit.
    may_fit: &'a [bool],
    /// A seat whose book must fit.
    must: Option<usize>,
    groups: &'a [Group],
    margins: &'a Margins,
    /// How far past its limits a book may go, in ARR: a hair when ruling books out, so that only
    /// a book that plainly cannot fit is.
    slack: f64,
}

impl Model<'_> {
    /// Solves for the most books fitting, or with `most` fitting for the least ARR moved: each
    /// group's amounts, and by seat whether its book is meant to fit.
    fn solve(&self, most: Option<f64>, seconds: f64) -> Result<(Vec<Vec<f64>>, Vec<bool>), ResolutionError> {
        let Model { seats, base, may_fit, must, groups, margins, slack } = *self;
        let total: f64 = seats.iter().map(|s| s.arr.abs()).sum::<f64>() + 1.0;
        let mut vars = ProblemVariables::new();
        let flow: Vec<Vec<good_lp::Variable>> = groups
            .iter()
            .map(|g| g.receivers.iter().map(|_| vars.add(variable().min(0.0).max(g.arr))).collect())
            .collect();
        let y: Vec<Option<good_lp::Variable>> = seats
            .iter()
            .zip(may_fit)
            .map(|(s, &may)| (s.min_share.is_some() && may).then(|| vars.add(variable().binary())))
            .collect();
        let mut arr: Vec<Expression> = base.iter().map(|&(arr, _)| Expression::from(arr)).collect();
        let mut gap: Vec<Expression> = seats
            .iter()
            .zip(base)
            .map(|(s, &(arr, primary))| Expression::from(primary - s.min_share.unwrap_or(0.0) * arr))
            .collect();
        let mut moved = Expression::from(0.0);
        let share = |seat: usize| seats[seat].min_share.unwrap_or(0.0);
        let weight = |seat: usize, tier: usize| f64::from(u8::from(seats[seat].is_primary(tier)));
        for (group, amounts) in groups.iter().zip(&flow) {
            for (&to, &f) in group.receivers.iter().zip(amounts) {
                arr[group.owner] -= f;
                arr[to] += f;
                gap[group.owner] -= (weight(group.owner, group.tier) - share(group.owner)) * f;
                gap[to] += (weight(to, group.tier) - share(to)) * f;
                moved += f;
            }
        }
        let fitting: Expression = y.iter().flatten().map(|v| Expression::from(*v)).sum();
        let objective = match most {
            None => fitting.clone(),
            Some(_) => Expression::from(0.0) - moved.clone(),
        };
        let mut model = vars.maximise(objective).using(microlp).with_time_limit(seconds);
        for (group, amounts) in groups.iter().zip(&flow) {
            if amounts.len() > 1 {
                let out: Expression = amounts.iter().map(|f| Expression::from(*f)).sum();
                model = model.with(constraint!(out <= group.arr));
            }
        }
        for (s, seat) in seats.iter().enumerate().filter(|(_, seat)| seat.min_share.is_some()) {
            // Margins never rule out moving nothing more: a book keeps at least the room it has.
            let now_arr = base[s].0;
            let low = seat.low + margins.size[s].min(now_arr - seat.low).max(0.0);
            let high = seat.high - margins.size[s].min(seat.high - now_arr).max(0.0);
            model = model.with(constraint!(arr[s].clone() >= low - slack));
            model = model.with(constraint!(arr[s].clone() <= high + slack));
            let Some(fits) = y[s] else { continue };
            let now = seat.primary - share(s) * seat.arr;
            let spare = match seat.fits(seat.arr, seat.primary) {
                true => margins.share[s].min(now.max(0.0)),
                false => margins.share[s],
            };
            model = model.with(constraint!(gap[s].clone() + slack + (total + spare) * (1 - fits) >= spare));
            model = model.with(constraint!(arr[s].clone() - 0.01 * fits >= 0.0));
            if seat.fits(seat.arr, seat.primary) || must == Some(s) {
                model = model.with(constraint!(fits >= 1));
            }
        }
        if let Some(k) = most {
            model = model.with(constraint!(fitting.clone() >= k));
        }
        let solution = model.solve()?;
        let flows: Vec<Vec<f64>> =
            flow.iter().map(|amounts| amounts.iter().map(|f| solution.value(*f).max(0.0)).collect()).collect();
        let meant: Vec<bool> = y.iter().map(|v| v.is_some_and(|v| solution.value(v) > 0.5)).collect();
        Ok((flows, meant))
    }
}

/// Whole accounts for the amounts: each group's accounts, largest first, go to the receiver with
/// the most still to receive when that brings its amount closer (the account is under twice what
/// is left).
fn round_flows(accounts: &[Movable], groups: &[Group], flows: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let mut moves = Vec::new();
    for (group, amounts) in groups.iter().zip(flows) {
        let mut left = amounts.clone();
        if left.iter().all(|f| *f < 1e-6) {
            continue;
        }
        for &a in &group.accounts {
            let Some((r, rest)) = left.iter().copied().enumerate().max_by(|x, y| x.1.total_cmp(&y.1)) else { break };
            if rest < 1e-6 {
                break;
            }
            if accounts[a].arr < 2.0 * rest {
                left[r] -= accounts[a].arr;
                moves.push((a, group.receivers[r]));
            }
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    /// A team too big to solve account by account, in miniature: seat 0 (an IC1 by its tiers)
    /// holds forty Ent accounts of 10 and nothing of its primary tier; seat 1 holds forty SMB of
    /// 10 and forty Ent of 10 (50% Ent, primary Ent). Seat 0 may end between 300 and 500: it
    /// fits by taking at least half its book in SMB and giving Ent to seat 1, which must stay
    /// within 600 and 1,000 and keep half its book Ent. Every plan found keeps every limit and
    /// fits both books.
    #[test]
    fn rounding_keeps_every_limit_and_fits_both() {
        let tiers = |primary: usize| -> Arc<[bool]> { (0..2).map(|t| t == primary).collect() };
        let seats = [
            Seat { arr: 400.0, primary: 0.0, min_share: Some(0.5), low: 300.0, high: 500.0, primary_tiers: tiers(0) },
            Seat {
                arr: 800.0,
                primary: 400.0,
                min_share: Some(0.5),
                low: 600.0,
                high: 1000.0,
                primary_tiers: tiers(1),
            },
        ];
        let all: Arc<[usize]> = Arc::from([0, 1]);
        let account = |owner, tier| Movable { owner, arr: 10.0, tier, receivers: all.clone() };
        let accounts: Vec<Movable> = (0..40)
            .map(|_| account(0, 1))
            .chain((0..40).map(|_| account(1, 0)))
            .chain((0..40).map(|_| account(1, 1)))
            .collect();
        let plan = by_tier(&seats, &accounts, &[true, true], Instant::now() + Duration::from_secs(5)).expect("a plan");
        assert!(keeps_limits(&seats, &accounts, &plan));
        assert_eq!(score(&seats, &accounts, &plan).0, 2, "{plan:?}");
    }

    /// Seat 0 (100, all tier 1, primary tier 0) may only grow by 10% and its accounts are pinned
    /// (none movable): fitting takes at least as much tier 0 as tier 1, a book of 200. Seat 1's
    /// 100 of tier 0 pass the reach test (at least 45, half of the smallest book of 90), but no
    /// plan fits seat 0 within its limits: ruled out. When it may grow to 200 it is not.
    #[test]
    fn a_book_that_cannot_grow_enough_is_ruled_out() {
        let tiers = |primary: usize| -> Arc<[bool]> { (0..2).map(|t| t == primary).collect() };
        let mut seats = [
            Seat { arr: 100.0, primary: 0.0, min_share: Some(0.5), low: 90.0, high: 110.0, primary_tiers: tiers(0) },
            Seat { arr: 200.0, primary: 100.0, min_share: Some(0.5), low: 80.0, high: 320.0, primary_tiers: tiers(1) },
        ];
        let accounts = [Movable { owner: 1, arr: 100.0, tier: 0, receivers: Arc::from([0, 1]) }];
        assert_eq!(crate::pipeline::plan::books::may_fit(&seats, &accounts), [true, true]);
        assert_eq!(ruled_out(&seats, &accounts, &[true, true], 5.0), [true, false]);
        seats[0].high = 200.0;
        assert_eq!(ruled_out(&seats, &accounts, &[true, true], 5.0), [false, false]);
    }

    /// Repair undoes the fewest, smallest moves that mend a book: seat 0 (100, at most 110)
    /// receives 20, 5 and 12 (137). No single undo mends it, so the largest (20) goes first
    /// (117); then the smallest that mends it is 12 (105), and the 5 stays.
    #[test]
    fn repair_undoes_the_moves_that_mend_a_book() {
        let tiers: Arc<[bool]> = Arc::from([true]);
        let seats = [
            Seat {
                arr: 100.0,
                primary: 100.0,
                min_share: Some(0.5),
                low: 90.0,
                high: 110.0,
                primary_tiers: tiers.clone(),
            },
            Seat { arr: 400.0, primary: 400.0, min_share: Some(0.5), low: 0.0, high: 1000.0, primary_tiers: tiers },
        ];
        let account = |arr| Movable { owner: 1, arr, tier: 0, receivers: Arc::from([0, 1]) };
        let accounts = [account(20.0), account(5.0), account(12.0)];
        assert_eq!(repair(&seats, &accounts, vec![(0, 0), (1, 0), (2, 0)]), [(1, 0)]);
    }
}
