//! The plan's simple search (SPEC §13): one move at a time, each keeping every limit. It is the
//! start every optimised plan must beat, and it finishes the plans rounded from the by-tier
//! program ([`super::tiers`]); [`prune`] then drops the moves that fit no book.

use std::time::Instant;

use super::books::{after, handed, keeps_limits, score, Movable, Seat};

/// `start` (a plan that keeps every limit; empty for the simple start) and then one move at a
/// time, the one that fits the most books and then closes the most of the books' shortfall
/// (primary ARR missing for the minimum share), least ARR first, each keeping every limit; when
/// no single move helps, a swap (an account each way between a book below and another) that does.
/// It stops when nothing helps, or at `deadline` once it has made a move.
pub(crate) fn greedy(
    seats: &[Seat],
    accounts: &[Movable],
    start: Vec<(usize, usize)>,
    deadline: Instant,
) -> Vec<(usize, usize)> {
    let mut books = after(seats, accounts, &start);
    let mut moved = vec![false; accounts.len()];
    for &(a, _) in &start {
        moved[a] = true;
    }
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); seats.len()];
    for (a, account) in accounts.iter().enumerate() {
        owned[account.owner].push(a);
    }
    let first = start.len();
    let mut moves = start;
    let mut fitting: Vec<bool> = seats.iter().zip(&books).map(|(s, b)| s.content(*b)).collect();
    loop {
        if moves.len() > first && Instant::now() > deadline {
            return moves;
        }
        // The best move: (books newly fitting, shortfall closed, −ARR), then the move. A move
        // between two books that fit (or have no level) gains nothing.
        let mut best: Option<(Gain, (usize, usize))> = None;
        for (a, account) in accounts.iter().enumerate().filter(|(a, _)| !moved[*a]) {
            let from = account.owner;
            for to in account.targets() {
                if fitting[from] && fitting[to] {
                    continue;
                }
                let (giver, taker) = handed(seats, account, to, books[from], books[to]);
                if let Some(key) = gain(seats, (from, to), (books[from], books[to]), (giver, taker), account.arr) {
                    if best.is_none_or(|(k, _)| key > k) {
                        best = Some((key, (a, to)));
                    }
                }
            }
        }
        let chosen = match best {
            Some((_, one)) => vec![one],
            None => match swap(seats, accounts, &books, &moved, &owned, &fitting) {
                Some(two) => two.to_vec(),
                None => return moves,
            },
        };
        for (a, to) in chosen {
            let from = accounts[a].owner;
            (books[from], books[to]) = handed(seats, &accounts[a], to, books[from], books[to]);
            moved[a] = true;
            moves.push((a, to));
            for seat in [from, to] {
                fitting[seat] = seats[seat].content(books[seat]);
            }
        }
    }
}

/// The primary ARR a book below lacks for its level's minimum share (1 more with no ARR at all).
fn shortfall(seat: &Seat, (arr, primary): (f64, f64)) -> f64 {
    match seat.min_share {
        Some(min) if !seat.fits(arr, primary) => (min * arr - primary).max(0.0) + if arr > 0.0 { 0.0 } else { 1.0 },
        _ => 0.0,
    }
}

/// What changing the books of seats `(x, y)` from `before` to `after`, moving `arr`, gains: none
/// when a limit breaks or nothing is gained.
fn gain(
    seats: &[Seat],
    (x, y): (usize, usize),
    before: ((f64, f64), (f64, f64)),
    after: ((f64, f64), (f64, f64)),
    arr: f64,
) -> Option<Gain> {
    if !seats[x].keeps(after.0) || !seats[y].keeps(after.1) {
        return None;
    }
    let fits = |seat: usize, book: (f64, f64)| i64::from(seats[seat].fits(book.0, book.1));
    let newly = fits(x, after.0) + fits(y, after.1) - fits(x, before.0) - fits(y, before.1);
    let closed = shortfall(&seats[x], before.0) + shortfall(&seats[y], before.1)
        - shortfall(&seats[x], after.0)
        - shortfall(&seats[y], after.1);
    (newly > 0 || (newly == 0 && closed > 1e-9)).then_some((newly, closed, -arr))
}

/// The best swap for a book below: one of its accounts to another seat and one of that seat's to
/// it, both unmoved, keeping every limit.
fn swap(
    seats: &[Seat],
    accounts: &[Movable],
    books: &[(f64, f64)],
    moved: &[bool],
    owned: &[Vec<usize>],
    fitting: &[bool],
) -> Option<[(usize, usize); 2]> {
    let mut best: Option<(Gain, [(usize, usize); 2])> = None;
    for s in (0..seats.len()).filter(|&s| !fitting[s]) {
        for &a in owned[s].iter().filter(|&&a| !moved[a]) {
            for t in accounts[a].targets() {
                for &b in owned[t].iter().filter(|&&b| !moved[b] && accounts[b].targets().any(|to| to == s)) {
                    let (mine, theirs) = handed(seats, &accounts[a], t, books[s], books[t]);
                    let (theirs, mine) = handed(seats, &accounts[b], s, theirs, mine);
                    let arr = accounts[a].arr + accounts[b].arr;
                    if let Some(key) = gain(seats, (s, t), (books[s], books[t]), (mine, theirs), arr) {
                        if best.is_none_or(|(k, _)| key > k) {
                            best = Some((key, [(a, t), (b, s)]));
                        }
                    }
                }
            }
        }
    }
    best.map(|(_, pair)| pair)
}

/// What one move of [`greedy`] gains: books newly fitting, shortfall closed, and its ARR negated
/// (less is better).
type Gain = (i64, f64, f64);

/// `moves` without those that fit no book: each, largest ARR first, is dropped when the rest
/// still keep every limit and fit as many books (until `deadline`).
pub(crate) fn prune(
    seats: &[Seat],
    accounts: &[Movable],
    moves: Vec<(usize, usize)>,
    deadline: Instant,
) -> Vec<(usize, usize)> {
    let fitting = score(seats, accounts, &moves).0;
    let mut order: Vec<usize> = (0..moves.len()).collect();
    order.sort_by(|&x, &y| accounts[moves[y].0].arr.total_cmp(&accounts[moves[x].0].arr));
    let mut kept = vec![true; moves.len()];
    let chosen = |kept: &[bool]| -> Vec<(usize, usize)> {
        moves.iter().zip(kept).filter(|(_, keep)| **keep).map(|(m, _)| *m).collect()
    };
    for i in order {
        if Instant::now() > deadline {
            break;
        }
        kept[i] = false;
        let trial = chosen(&kept);
        if !keeps_limits(seats, accounts, &trial) || score(seats, accounts, &trial).0 < fitting {
            kept[i] = true;
        }
    }
    chosen(&kept)
}
