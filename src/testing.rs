//! Test helpers: tiny books built in memory and run through the real classify and compute stages.

use std::collections::HashMap;

use polars::prelude::*;

use crate::columns as c;
use crate::load::Inputs;
use crate::model::WindowMetrics;
use crate::period::{resolve, Month, Period, Quarter};
use crate::targets::Targets;

/// One account of a tiny book.
#[derive(Clone, Debug, Default)]
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) advisor: Option<String>,
    pub(crate) health: Option<f64>,
    pub(crate) segment: Option<&'static str>,
    pub(crate) employees: Option<i64>,
    pub(crate) ela: bool,
}

pub(crate) fn account(id: &str, advisor: &str, health: Option<f64>) -> Account {
    Account { id: id.into(), advisor: (!advisor.is_empty()).then(|| advisor.into()), health, ..Account::default() }
}

/// Inputs as `load` would produce them; ARR rows of the same account and month are summed.
pub(crate) fn inputs(accounts: &[Account], arr: &[(&str, &str, f64)]) -> Inputs {
    let key = |id: &str| accounts.iter().position(|a| a.id == id).expect("ARR rows name accounts of the book") as u32;
    let months: Vec<i32> = arr.iter().map(|(_, month, _)| Month::parse(month).unwrap().0).collect();
    let rows = df!(
        c::KEY => arr.iter().map(|(id, _, _)| key(id)).collect::<Vec<_>>(),
        c::MONTH => months.clone(),
        c::ARR => arr.iter().map(|(_, _, value)| *value).collect::<Vec<_>>(),
    )
    .unwrap();
    let arr_rows = rows.height();
    let arr = crate::load::sum_account_months(rows.lazy()).unwrap();
    let accounts = df!(
        c::ACCOUNT_ID => accounts.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        c::KEY => (0..accounts.len() as u32).collect::<Vec<_>>(),
        c::ACCOUNT_NAME => accounts.iter().map(|_| None::<String>).collect::<Vec<_>>(),
        c::ADVISOR => accounts.iter().map(|a| a.advisor.clone()).collect::<Vec<_>>(),
        c::SEGMENT_CRM => accounts.iter().map(|a| a.segment).collect::<Vec<_>>(),
        c::EMPLOYEES => accounts.iter().map(|a| a.employees).collect::<Vec<_>>(),
        c::ELA => accounts.iter().map(|a| a.ela).collect::<Vec<_>>(),
        c::HEALTH => accounts.iter().map(|a| a.health).collect::<Vec<_>>(),
        c::RENEWAL_DATE => accounts.iter().map(|_| None::<String>).collect::<Vec<_>>(),
    )
    .unwrap();
    Inputs {
        accounts,
        arr,
        roster: Vec::new(),
        first_month: Month(*months.iter().min().unwrap()),
        last_month: Month(*months.iter().max().unwrap()),
        arr_rows_read: arr_rows,
        notes: Vec::new(),
    }
}

/// The built-in targets.
pub(crate) fn targets() -> Targets {
    Targets::load(None).unwrap()
}

/// The period of `quarter` over the data of `inputs`, with the built-in window and 4 points.
pub(crate) fn period(inputs: &Inputs, quarter: &str) -> Period {
    let q: Quarter = quarter.parse().unwrap();
    resolve(Some(q), &targets(), inputs.first_month, inputs.last_month, std::path::Path::new("arr.csv")).unwrap()
}

/// The classified per-account table of `inputs` at `quarter`.
pub(crate) fn book(inputs: &Inputs, quarter: &str) -> DataFrame {
    classified(inputs, quarter).frame
}

/// The classify stage's whole output for `inputs` at `quarter`.
pub(crate) fn classified(inputs: &Inputs, quarter: &str) -> crate::book::Book {
    crate::book::classify(inputs, &period(inputs, quarter), &targets()).unwrap()
}

/// Every advisor's metrics at every trend point of `quarter`.
pub(crate) fn metrics(inputs: &Inputs, quarter: &str) -> HashMap<String, Vec<WindowMetrics>> {
    crate::metrics::compute(&classified(inputs, quarter), &inputs.roster, &period(inputs, quarter)).unwrap().books
}
