//! Domain types: the calendar, money and exchange rates, segments and tiers, the career
//! framework, the ownership ledger and column names. They import no stage and no output.

pub(crate) mod calendar;
pub(crate) mod columns;
pub(crate) mod fx;
pub(crate) mod ledger;
pub(crate) mod modes;
pub mod money;
pub(crate) mod segments;
pub mod targets;
