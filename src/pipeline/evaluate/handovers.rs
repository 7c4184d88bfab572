//! Ownership history on the scorecards (SPEC §9): each advisor's hand-overs in and out, their
//! tenures of the accounts handed over (which replace those accounts' whole windows among the
//! movers), and caveats when the window is mostly other advisors' book or cut into tenures too
//! short to judge.

use std::collections::{BTreeSet, HashMap};

use crate::format::amount;
use crate::model::{AccountMove, Transfer, WindowMetrics};

/// The hand-overs of the evaluated window, grouped by advisor once: a big team has thousands
/// of advisors and hand-overs.
pub(super) struct Handovers<'a> {
    /// The accounts handed over inside the window.
    pub(super) handed: BTreeSet<&'a str>,
    handed_in: HashMap<&'a str, Vec<Transfer>>,
    handed_out: HashMap<&'a str, Vec<Transfer>>,
    tenure_moves: HashMap<&'a str, Vec<AccountMove>>,
    short_tenures: &'a HashMap<String, usize>,
}

/// One advisor's part of the hand-overs.
pub(super) struct AdvisorHandovers {
    pub(super) transfers_in: Vec<Transfer>,
    pub(super) transfers_out: Vec<Transfer>,
    /// The advisor's tenures of the accounts handed over, as moves.
    pub(super) tenure_moves: Vec<AccountMove>,
    /// How many of the advisor's tenures in the window a hand-over made shorter than three months.
    short_tenures: Option<usize>,
}

impl<'a> Handovers<'a> {
    pub(super) fn new(
        transfers: &'a [Transfer],
        short_tenures: &'a HashMap<String, usize>,
        tenure_moves: &'a [(String, AccountMove)],
    ) -> Handovers<'a> {
        let mut handed_in: HashMap<&str, Vec<Transfer>> = HashMap::new();
        let mut handed_out: HashMap<&str, Vec<Transfer>> = HashMap::new();
        for t in transfers {
            handed_in.entry(t.to_advisor.as_str()).or_default().push(t.clone());
            handed_out.entry(t.from_advisor.as_str()).or_default().push(t.clone());
        }
        let mut moves: HashMap<&str, Vec<AccountMove>> = HashMap::new();
        for (owner, account) in tenure_moves {
            moves.entry(owner.as_str()).or_default().push(account.clone());
        }
        Handovers {
            handed: transfers.iter().map(|t| t.account_id.as_str()).collect(),
            handed_in,
            handed_out,
            tenure_moves: moves,
            short_tenures,
        }
    }

    /// `advisor`'s part, taken out (each advisor is asked once).
    pub(super) fn take(&mut self, advisor: &str) -> AdvisorHandovers {
        AdvisorHandovers {
            transfers_in: self.handed_in.remove(advisor).unwrap_or_default(),
            transfers_out: self.handed_out.remove(advisor).unwrap_or_default(),
            tenure_moves: self.tenure_moves.remove(advisor).unwrap_or_default(),
            short_tenures: self.short_tenures.get(advisor).copied(),
        }
    }
}

impl AdvisorHandovers {
    /// A caveat when more than half of the cohort's start ARR came by hand-over, and one when a
    /// tenure a hand-over made is shorter than three months.
    pub(super) fn caveats(&self, m: &WindowMetrics, currency: &str) -> Vec<String> {
        let mut caveats = Vec::new();
        if let (Some(start), Some(handed_in)) = (m.start_arr, m.transferred_in_arr) {
            if start > 0.0 && handed_in > start / 2.0 {
                caveats.push(format!(
                    "{} of the cohort's {} start ARR came by hand-over: this window is mostly other advisors' book",
                    amount(handed_in, currency),
                    amount(start, currency)
                ));
            }
        }
        if let Some(count) = self.short_tenures {
            let tenures = if count == 1 { "tenure" } else { "tenures" };
            caveats.push(format!(
                "{count} {tenures} in the window last less than three months: too short to judge the accounts by"
            ));
        }
        caveats
    }
}
