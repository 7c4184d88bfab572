//! The books a plan changes (SPEC §13): each advisor's seat with its limits, the accounts that
//! may move, and plain arithmetic over a plan (each book after it, whether it keeps every limit,
//! how good it is, and which books could fit at all). Every search ([`super::greedy`],
//! [`super::tiers`], [`super::program`]) reads them and [`super::solve`] checks each plan by them.

use std::sync::Arc;

use crate::pipeline::evaluate::status::reaches_share;

/// One advisor of a team (or `(unassigned)`) as the plan sees them at `E`.
#[derive(Clone, Debug)]
pub(crate) struct Seat {
    /// `arr_active` at `E`.
    pub(crate) arr: f64,
    /// The part of it in the tiers the advisor's level calls primary.
    pub(crate) primary: f64,
    /// The level's minimum primary share; none for `(unassigned)`, who has no level, no limit
    /// and receives nothing.
    pub(crate) min_share: Option<f64>,
    /// The bounds of `arr_active` after the plan (`--max-change`, SPEC §13).
    pub(crate) low: f64,
    pub(crate) high: f64,
    /// By tier, whether the level calls it primary (none for `(unassigned)`).
    pub(crate) primary_tiers: Arc<[bool]>,
}

impl Seat {
    /// Whether an account of `tier` is primary here.
    pub(crate) fn is_primary(&self, tier: usize) -> bool {
        self.primary_tiers.get(tier).copied().unwrap_or(false)
    }

    /// Whether a book of `arr` with `primary` of it in primary tiers fits the level: a share at
    /// or above the minimum (as the scorecards judge it, SPEC §6); no book, no share.
    pub(crate) fn fits(&self, arr: f64, primary: f64) -> bool {
        self.min_share.is_some_and(|min| arr > 0.0 && reaches_share(primary / arr, min))
    }

    /// Whether the book could fit with `reach` primary ARR (its own and all it could receive):
    /// it fits now, or `reach` is at least the minimum share of the smallest book the limits allow
    /// (a hair under it, so that only a book that plainly cannot fit is ruled out).
    pub(crate) fn may_fit(&self, reach: f64) -> bool {
        self.min_share.is_some_and(|min| {
            self.fits(self.arr, self.primary)
                || ((min <= 0.0 || reach > 0.0) && reach >= (min - 1e-6) * self.low.max(0.0) - 1e-6)
        })
    }

    /// Whether the book is all the plan asks of it: it fits, or the seat has no level.
    pub(crate) fn content(&self, (arr, primary): (f64, f64)) -> bool {
        self.min_share.is_none() || self.fits(arr, primary)
    }

    /// Whether the book `after` the plan keeps this seat's limits: within its bounds, and
    /// fitting if it fitted before (no limit without a level).
    pub(crate) fn keeps(&self, (arr, primary): (f64, f64)) -> bool {
        self.min_share.is_none()
            || (arr >= self.low - 1e-6
                && arr <= self.high + 1e-6
                && (!self.fits(self.arr, self.primary) || self.fits(arr, primary)))
    }
}

/// One account that may move: its owner's seat, its ARR at `E`, its tier, and the seats it may
/// go to (its team's, shared by the team's accounts; its owner's among them is skipped).
#[derive(Clone, Debug)]
pub(crate) struct Movable {
    pub(crate) owner: usize,
    pub(crate) arr: f64,
    pub(crate) tier: usize,
    pub(crate) receivers: Arc<[usize]>,
}

impl Movable {
    /// The seats it may go to.
    pub(crate) fn targets(&self) -> impl Iterator<Item = usize> + '_ {
        self.receivers.iter().copied().filter(move |to| *to != self.owner)
    }
}

/// Each seat's `arr_active` and primary ARR after `moves`.
pub(crate) fn after(seats: &[Seat], accounts: &[Movable], moves: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let mut books: Vec<(f64, f64)> = seats.iter().map(|s| (s.arr, s.primary)).collect();
    for &(a, to) in moves {
        let account = &accounts[a];
        (books[account.owner], books[to]) = handed(seats, account, to, books[account.owner], books[to]);
    }
    books
}

/// The giver's and the taker's books (ARR, primary ARR) once `account` goes from its owner to
/// `to`.
pub(crate) fn handed(
    seats: &[Seat],
    account: &Movable,
    to: usize,
    giver: (f64, f64),
    taker: (f64, f64),
) -> ((f64, f64), (f64, f64)) {
    let primary = |seat: usize| if seats[seat].is_primary(account.tier) { account.arr } else { 0.0 };
    ((giver.0 - account.arr, giver.1 - primary(account.owner)), (taker.0 + account.arr, taker.1 + primary(to)))
}

/// Whether `moves` keep every limit: each account moves once to a seat it may go to, every
/// levelled seat's book stays within its bounds, and a book that fits before fits after.
pub(crate) fn keeps_limits(seats: &[Seat], accounts: &[Movable], moves: &[(usize, usize)]) -> bool {
    let mut moved = vec![false; accounts.len()];
    for &(a, to) in moves {
        if moved[a] || !accounts[a].targets().any(|t| t == to) {
            return false;
        }
        moved[a] = true;
    }
    seats.iter().zip(after(seats, accounts, moves)).all(|(seat, book)| seat.keeps(book))
}

/// By seat, the most primary ARR its book could hold after any plan: its own, and that of every
/// movable account of another owner that may go to it in a tier its level calls primary.
/// Each as (that ARR, how many movable accounts it counts).
pub(crate) fn reach(seats: &[Seat], accounts: &[Movable]) -> Vec<(f64, usize)> {
    let mut reach: Vec<(f64, usize)> = seats.iter().map(|s| (s.primary, 0)).collect();
    for account in accounts {
        for to in account.targets().filter(|&to| seats[to].is_primary(account.tier)) {
            reach[to].0 += account.arr;
            reach[to].1 += 1;
        }
    }
    reach
}

/// By seat, whether any plan could make its book fit: it fits already, or the primary ARR in its
/// [`reach`] comes to the minimum share of the smallest book its limits allow. A book that may
/// not fit is left out of the search's choices, which spares the solver proving it.
pub(crate) fn may_fit(seats: &[Seat], accounts: &[Movable]) -> Vec<bool> {
    seats.iter().zip(reach(seats, accounts)).map(|(seat, (reach, _))| seat.may_fit(reach)).collect()
}

/// How good a plan is, best first when sorted: more books that fit, less ARR moved, fewer moves.
pub(crate) fn score(seats: &[Seat], accounts: &[Movable], moves: &[(usize, usize)]) -> (usize, f64, usize) {
    let books = after(seats, accounts, moves);
    let fitting = seats.iter().zip(&books).filter(|(seat, &(arr, primary))| seat.fits(arr, primary)).count();
    let moved: f64 = moves.iter().map(|&(a, _)| accounts[a].arr).sum();
    (fitting, moved, moves.len())
}

/// Plans (books fitting, ARR moved, moves) best first: more books fitting, less ARR, fewer moves.
fn order(a: (usize, f64, usize), b: (usize, f64, usize)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
}

/// Whether plan `a` is better than `b` (see [`order`]).
pub(crate) fn better(a: (usize, f64, usize), b: (usize, f64, usize)) -> bool {
    order(a, b) == std::cmp::Ordering::Less
}
