//! The plan's mixed-integer program over single accounts (SPEC §13): a binary choice per
//! (account, receiving seat) and per seat whether its book fits, solved by good_lp's pure-Rust
//! microlp backend one aim at a time, each later aim holding the earlier ones' best. Exact, so
//! it can prove a plan best, but only for small teams ([`super::solve`] decides which).

use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable,
    WithTimeLimit,
};

use super::books::{after, Movable, Seat};

/// Which aim one solve pursues, holding the earlier aims' best.
pub(crate) enum Aim {
    Fit,
    Arr { fitting: usize },
    Count { fitting: usize, moved: f64 },
}

/// One solve over books of which only those that `may_fit` (see [`super::books::may_fit`]) are
/// given the choice to fit, started from `hint` (a plan that keeps every limit: the solver's first incumbent
/// when it also holds the earlier aims' best): the plan found, and whether it is proven best for
/// its aim (moves as (account, receiving seat)); none when the solver fails or finds nothing in `seconds`.
pub(crate) fn run(
    seats: &[Seat],
    accounts: &[Movable],
    may_fit: &[bool],
    aim: Aim,
    hint: &[(usize, usize)],
    seconds: f64,
) -> Option<(Vec<(usize, usize)>, bool)> {
    let mut chosen = vec![None; accounts.len()];
    for &(a, to) in hint {
        chosen[a] = Some(to);
    }
    let hinted = after(seats, accounts, hint);
    let mut vars = ProblemVariables::new();
    let x: Vec<Vec<(usize, Variable)>> = accounts
        .iter()
        .zip(&chosen)
        .map(|(a, chosen)| {
            let pick = |to: usize| f64::from(u8::from(*chosen == Some(to)));
            a.targets().map(|to| (to, vars.add(variable().binary().initial(pick(to))))).collect()
        })
        .collect();
    // Whether each book fits: a choice only for a book that may fit at all.
    let y: Vec<Option<Variable>> = seats
        .iter()
        .zip(&hinted)
        .zip(may_fit)
        .map(|((s, &(arr, primary)), &may)| {
            let fits = f64::from(u8::from(s.fits(arr, primary)));
            (s.min_share.is_some() && may).then(|| vars.add(variable().binary().initial(fits)))
        })
        .collect();
    let mut arr: Vec<Expression> = seats.iter().map(|s| Expression::from(s.arr)).collect();
    let mut gap: Vec<Expression> =
        seats.iter().map(|s| Expression::from(s.primary - s.min_share.unwrap_or(0.0) * s.arr)).collect();
    let (mut moved, mut count) = (Expression::from(0.0), Expression::from(0.0));
    for (account, choices) in accounts.iter().zip(&x) {
        for &(to, var) in choices {
            let share = |seat: usize| seats[seat].min_share.unwrap_or(0.0);
            let weight = |seat: usize| if seats[seat].is_primary(account.tier) { 1.0 } else { 0.0 };
            arr[account.owner] -= account.arr * var;
            arr[to] += account.arr * var;
            gap[account.owner] -= (weight(account.owner) - share(account.owner)) * account.arr * var;
            gap[to] += (weight(to) - share(to)) * account.arr * var;
            moved += account.arr * var;
            count += var;
        }
    }
    let fitting: Expression = y.iter().flatten().map(|v| Expression::from(*v)).sum();
    let total: f64 = seats.iter().map(|s| s.arr.abs()).sum::<f64>() + 1.0;
    let objective = match aim {
        Aim::Fit => fitting.clone(),
        Aim::Arr { .. } => Expression::from(0.0) - moved.clone(),
        Aim::Count { .. } => Expression::from(0.0) - count.clone(),
    };
    let mut model = vars.maximise(objective).using(microlp).with_time_limit(seconds);
    for choices in &x {
        if choices.len() > 1 {
            let once: Expression = choices.iter().map(|(_, v)| Expression::from(*v)).sum();
            model = model.with(constraint!(once <= 1));
        }
    }
    for (s, seat) in seats.iter().enumerate().filter(|(_, seat)| seat.min_share.is_some()) {
        model = model.with(constraint!(arr[s].clone() >= seat.low));
        model = model.with(constraint!(arr[s].clone() <= seat.high));
        let Some(fits) = y[s] else { continue };
        // A book fits when its primary share reaches the minimum, and only with ARR to share.
        model = model.with(constraint!(gap[s].clone() + total * (1 - fits) >= 0.0));
        model = model.with(constraint!(arr[s].clone() - 0.01 * fits >= 0.0));
        if seat.fits(seat.arr, seat.primary) {
            model = model.with(constraint!(fits >= 1));
        }
    }
    match aim {
        Aim::Fit => {}
        Aim::Arr { fitting: k } => model = model.with(constraint!(fitting.clone() >= k as f64)),
        Aim::Count { fitting: k, moved: m } => {
            model = model.with(constraint!(fitting.clone() >= k as f64));
            model = model.with(constraint!(moved.clone() <= m * (1.0 + 1e-9) + 1e-6));
        }
    }
    let solution = model.solve().ok()?;
    let proven = matches!(solution.status(), SolutionStatus::Optimal);
    let moves: Vec<(usize, usize)> = x
        .iter()
        .enumerate()
        .flat_map(|(a, choices)| choices.iter().filter(|(_, v)| solution.value(*v) > 0.5).map(move |(to, _)| (a, *to)))
        .collect();
    Some((moves, proven))
}
