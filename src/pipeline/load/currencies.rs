//! The reporting currency (SPEC §10): chosen from `--currency`, rates.csv and the currencies
//! arr.csv names, and each account's currency as an index into the codes in use.

use polars::prelude::*;

use crate::domain::fx::{AccountCurrencies, Currencies, Named, Rates};
use crate::domain::money::DEFAULT;
use crate::error::{Problem, Problems, Read, Stop};
use crate::format::in_words;

/// The reporting currency (SPEC §10): `--currency`, else the only `to` of rates.csv, else the
/// only currency of arr.csv, else USD when nothing names one. Several candidates are a problem
/// asking for `--currency`.
pub(crate) fn resolve(
    flag: Option<&str>,
    named: Named,
    rates: Rates,
    arr_file: &str,
    slots: usize,
    problems: &mut Problems,
) -> Read<Currencies> {
    let targets = rates.targets();
    let reporting = match (flag, &named) {
        (Some(code), _) => code.to_string(),
        _ if targets.len() == 1 => targets.iter().next().map(|c| c.to_string()).unwrap_or_default(),
        _ if targets.len() > 1 => {
            let file = rates.file.clone().unwrap_or_default();
            let list = in_words(&targets.iter().copied().collect::<Vec<_>>());
            return problems.stop(
                Problem::new(
                    file,
                    format!("rates convert into several currencies ({list}): pass --currency CODE to choose the reporting one"),
                )
                .column("to"),
            );
        }
        (None, Named::Nothing) => DEFAULT.to_string(),
        (None, Named::One(code)) => code.clone(),
        (None, Named::PerAccount { codes, .. }) => {
            return problems.stop(
                Problem::new(
                    arr_file,
                    format!(
                        "amounts are in {}: pass --currency CODE to choose the reporting currency, with rates.csv \
                         (month, from, to, rate) for the others",
                        in_words(&codes.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                )
                .column(crate::domain::columns::CURRENCY),
            );
        }
    };
    let accounts = match named {
        Named::Nothing => None,
        Named::One(code) if code == reporting => None,
        Named::One(code) => {
            let codes = vec![code];
            Some(AccountCurrencies { codes, by_key: UInt32Chunked::full("currency".into(), 0, slots) })
        }
        Named::PerAccount { mut codes, keys, currencies } => {
            if !codes.contains(&reporting) {
                codes.push(reporting.clone());
            }
            if codes.len() == 1 {
                None
            } else {
                let home = codes.iter().position(|c| *c == reporting).unwrap_or(0) as u32;
                let mut by_key = UInt32Chunked::full("currency".into(), home, slots);
                let by_key =
                    by_key.scatter(&keys, currencies.iter().map(|c| Some(*c))).map_err(|e| Stop::Failed(e.into()))?;
                let by_key = by_key.u32().map_err(|e| Stop::Failed(e.into()))?.clone();
                Some(AccountCurrencies { codes, by_key })
            }
        }
    };
    Ok(Currencies { reporting, accounts, rates, arr_file: arr_file.to_string() })
}
