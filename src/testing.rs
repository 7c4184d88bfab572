//! Test helpers: tiny books built in memory and run through the real classify and compute stages.

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::calendar::{Month, Period, QuarterText};
use crate::domain::columns as c;
use crate::domain::fx::{Currencies, Named, Rates};
use crate::domain::targets::Targets;
use crate::model::WindowMetrics;
use crate::pipeline::classify::{classify, Classified};
use crate::pipeline::compute::compute;
use crate::pipeline::context::Context;
use crate::pipeline::load::Inputs;
use crate::pipeline::period::resolve;

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
    let arr = crate::pipeline::load::sum_account_months(rows.lazy()).unwrap();
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
        currencies: Currencies {
            reporting: "USD".into(),
            accounts: None,
            rates: Rates::default(),
            arr_file: "arr.csv".into(),
        },
        health: None,
        ownership: None,
    }
}

/// `inputs` with each account in the currency `currencies` gives it (by id; the others in none),
/// `rates` as rates.csv rows `(month, from, to, rate)`, and `--currency` as `flag`, resolved as
/// `load` resolves them.
pub(crate) fn in_currencies(
    mut inputs: Inputs,
    currencies: &[(&str, &str)],
    rates: &[(&str, &str, &str, f64)],
    flag: Option<&str>,
) -> Result<Inputs, crate::error::InvalidInput> {
    let ids = inputs.accounts.column(c::ACCOUNT_ID).unwrap().str().unwrap().clone();
    let key = |id: &str| ids.iter().position(|i| i == Some(id)).expect("an account of the book") as u32;
    let mut codes: Vec<String> = currencies.iter().map(|(_, code)| code.to_string()).collect();
    codes.sort();
    codes.dedup();
    let named = match codes.len() {
        0 => Named::Nothing,
        1 if currencies.len() == ids.len() => Named::One(codes[0].clone()),
        _ => Named::PerAccount {
            keys: currencies.iter().map(|(id, _)| key(id)).collect(),
            currencies: currencies
                .iter()
                .map(|(_, code)| codes.iter().position(|c| c == code).unwrap() as u32)
                .collect(),
            codes,
        },
    };
    let mut table = Rates { file: (!rates.is_empty()).then(|| "rates.csv".to_string()), ..Rates::default() };
    for (month, from, to, rate) in rates {
        let pair = table.pairs.entry((from.to_string(), to.to_string())).or_default();
        pair.insert(Month::parse(month).unwrap(), *rate);
    }
    let mut problems = crate::error::Problems::default();
    let resolved = crate::pipeline::load::resolve_currencies(flag, named, table, "arr.csv", ids.len(), &mut problems);
    match resolved {
        Ok(currencies) => {
            inputs.currencies = currencies;
            Ok(inputs)
        }
        Err(_) => Err(problems.finish().unwrap_err()),
    }
}

/// The built-in targets.
pub(crate) fn targets() -> Targets {
    Targets::load(None).unwrap()
}

/// The period of `quarter` over the data of `inputs`, with the built-in window and 4 points.
pub(crate) fn period(inputs: &Inputs, quarter: &str) -> Period {
    let q: QuarterText = quarter.parse().unwrap();
    resolve(Some(q), &targets(), inputs.first_month, inputs.last_month, std::path::Path::new("arr.csv")).unwrap()
}

/// The classified per-account table of `inputs` at `quarter`.
pub(crate) fn per_account(inputs: &Inputs, quarter: &str) -> DataFrame {
    classified(inputs, quarter).unwrap().per_account
}

/// The classify stage's whole output for `inputs` at `quarter` (on a copy: classify drops the
/// ARR table it reads), or the problems it found (rates that are missing).
fn classified(inputs: &Inputs, quarter: &str) -> anyhow::Result<Classified> {
    let targets = targets();
    let run = Context::new(period(inputs, quarter), &targets, inputs);
    classify(&mut inputs.clone(), &run)
}

/// Every advisor's metrics at every trend point of `quarter`, or the problems classify found
/// (rates that are missing).
pub(crate) fn try_metrics(inputs: &Inputs, quarter: &str) -> anyhow::Result<HashMap<String, Vec<WindowMetrics>>> {
    let targets = targets();
    let run = Context::new(period(inputs, quarter), &targets, inputs);
    let classified = classify(&mut inputs.clone(), &run)?;
    Ok(compute(&classified, &inputs.roster, &run)?.by_advisor)
}

/// Every advisor's metrics at every trend point of `quarter`.
pub(crate) fn metrics(inputs: &Inputs, quarter: &str) -> HashMap<String, Vec<WindowMetrics>> {
    try_metrics(inputs, quarter).unwrap()
}
