//! Non-fatal findings of a run, collected and printed together (and kept in scorecards.json).

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Accounts name an advisor who is not on the roster: scored without a level.
    OffRoster { advisor: String, accounts: u64 },
    /// A roster advisor owns no account.
    EmptyBook { advisor: String },
    /// Accounts with ARR at the evaluated quarter end have no advisor.
    Unassigned { accounts: u64, arr: f64 },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::OffRoster { advisor, accounts } => write!(
                f,
                "advisor '{advisor}' owns accounts ({accounts} active) but is not in advisors.csv: scored without a level"
            ),
            Warning::EmptyBook { advisor } => write!(f, "advisor '{advisor}' is on the roster but owns no account"),
            Warning::Unassigned { accounts, arr } => write!(
                f,
                "{accounts} active accounts ({arr:.2} ARR) have no advisor: reported under (unassigned)"
            ),
        }
    }
}
