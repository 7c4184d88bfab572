//! The modes a run is in, decided once from the inputs it was given and carried in the run
//! context (and the report): code whose behaviour differs matches on them, so no `bool` or
//! `Option::is_some()` stands for a mode anywhere else.

/// Who owns each account in each month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OwnershipMode {
    /// Without ownership.csv: every account is its accounts.csv advisor's in every month.
    Fixed,
    /// With ownership.csv (SPEC §9): the ledger says who owned each account when, and a
    /// hand-over inside a window cuts it into tenures.
    History,
}

/// Which health score each quarter end reads (SPEC §11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HealthMode {
    /// Without health.csv: accounts.csv's current score stands for every quarter end.
    Current,
    /// With health.csv: each quarter end reads the score in force at it.
    History,
}

/// Which currencies the amounts are in (SPEC §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CurrencyMode {
    /// Every amount is in the reporting currency: the ARR columns are read as they are.
    Single,
    /// Some accounts are in other currencies: each window is read in constant currency at its
    /// end month's rates.
    Converted,
}

/// The three modes of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Modes {
    pub(crate) ownership: OwnershipMode,
    pub(crate) health: HealthMode,
    pub(crate) currency: CurrencyMode,
}
