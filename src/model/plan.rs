//! The book plan (SPEC §13): the hand-overs that make books fit their advisors' levels, each
//! advisor before and after, and the ownership rows that credit the moves from the next month.

use crate::model::Status;

/// A plan for the accounts at the evaluated quarter end `E`.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The evaluated quarter, as `2026-Q3`, and its last month `E`.
    pub(crate) quarter: String,
    pub(crate) as_of_month: String,
    /// The month the moves take effect, `E + 1`.
    pub(crate) from_month: String,
    /// The reporting currency's ISO code.
    pub(crate) currency: String,
    /// The moves, by giver, then largest ARR first.
    pub(crate) moves: Vec<PlanMove>,
    /// Every advisor with a level, by name.
    pub(crate) advisors: Vec<PlanAdvisor>,
    /// The rows to add to ownership.csv once the CRM's owners are changed, by account then month.
    pub(crate) ownership: Vec<OwnershipRow>,
    /// Whether every team's plan is proven best; otherwise each is the best found in the time.
    pub(crate) proven_optimal: bool,
    /// Why the plan may not be optimal, in words (empty when proven).
    pub(crate) unproven: Vec<String>,
    /// How many teams were planned apart (1 when all were one problem: one team,
    /// `--across-teams`, or a company small enough to prove with its unassigned accounts).
    pub(crate) problems: usize,
}

impl Plan {
    /// How many advisors' books fit their level (scope meets) before the plan, or after it.
    pub(crate) fn fitting(&self, after: bool) -> usize {
        let status = |a: &PlanAdvisor| if after { a.scope_status_after } else { a.scope_status_before };
        self.advisors.iter().filter(|a| status(a) == Status::Meets).count()
    }

    /// The ARR the hand-overs move, in all.
    pub(crate) fn moved_arr(&self) -> f64 {
        self.moves.iter().map(|m| m.arr).sum()
    }
}

/// One hand-over.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlanMove {
    pub(crate) account_id: String,
    pub(crate) account_name: Option<String>,
    /// Segment and band, as `MM 100k+`.
    pub(crate) tier: String,
    /// ARR at `E` in the reporting currency.
    pub(crate) arr: f64,
    pub(crate) renewal_date: Option<String>,
    pub(crate) from_advisor: String,
    pub(crate) to_advisor: String,
}

/// One advisor with a level, before and after the plan.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlanAdvisor {
    pub(crate) advisor: String,
    pub(crate) level: String,
    pub(crate) manager: Option<String>,
    pub(crate) arr_before: f64,
    pub(crate) arr_after: f64,
    pub(crate) scope_share_before: Option<f64>,
    pub(crate) scope_share_after: Option<f64>,
    pub(crate) scope_status_before: Status,
    pub(crate) scope_status_after: Status,
    pub(crate) accounts_in: u64,
    pub(crate) accounts_out: u64,
    /// Why the book is still below its level after the plan, in words; none when it fits.
    pub(crate) why_below: Option<String>,
    /// Whether the book is still below with nothing proving that no plan can fit it (the search
    /// was not exhaustive): a longer `--time-limit` may fit it.
    pub(crate) unsettled: bool,
}

/// One row of ownership.csv (SPEC §9): `advisor` owns `account_id` from `from`; blank when
/// the account was unassigned.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct OwnershipRow {
    pub(crate) account_id: String,
    pub(crate) from: String,
    pub(crate) advisor: String,
}
