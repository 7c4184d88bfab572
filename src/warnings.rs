//! Non-fatal findings of a run, collected and printed together (and kept in scorecards.json and
//! on the team index). `--strict` turns them into errors.

use std::fmt;

use crate::domain::calendar::Month;
use crate::error::{InvalidInput, Problem};
use crate::format::{amount, amount_cents, month_ranges, thousands};

/// One suspicious month-over-month change of an account's ARR.
#[derive(Clone, Debug, PartialEq)]
pub struct Jump {
    pub(crate) account_id: String,
    pub(crate) month: String,
    pub(crate) from: f64,
    pub(crate) to: f64,
    /// The account's own currency.
    pub(crate) currency: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Accounts name an advisor who is not on the roster: scored without a level.
    OffRoster { advisor: String, accounts: u64, suggestion: Option<String> },
    /// A roster advisor owns no account.
    EmptyBook { advisor: String },
    /// Accounts with ARR at the evaluated quarter end have no advisor.
    Unassigned { accounts: u64, arr: f64, currency: String },
    /// Accounts of accounts.csv without any row in arr.csv.
    NoArrRows { count: usize, examples: Vec<String> },
    /// Months inside the data range without a row for any account.
    MissingMonths { months: Vec<Month> },
    /// A month of arr.csv far from every other month of the file: probably a typo.
    StrayMonth { file: String, line: u64, month: Month, gap: i32 },
    /// ARR that grows more than 10× or falls below a tenth from one month to the next.
    ArrJumps { count: usize, examples: Vec<Jump> },
    /// A column that is not used but looks like one of the input's columns (a close spelling).
    LookAlikeColumn { file: String, header: String, column: &'static str, table: &'static str },
    /// Every health score is at most 1: probably a 0–1 scale.
    HealthUnitScale { count: usize },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::OffRoster { advisor, accounts, suggestion } => {
                if *accounts == 0 {
                    // A leaver's record: the accounts held in the window, none now.
                    write!(f, "advisor '{advisor}' is not in advisors.csv and has no active account (a leaver?): scored without a level, on the accounts held in the window")?;
                } else {
                    write!(f, "advisor '{advisor}' owns accounts ({accounts} active) but is not in advisors.csv: scored without a level")?;
                }
                if let Some(s) = suggestion {
                    write!(f, "; did you mean '{s}'?")?;
                }
                Ok(())
            }
            Warning::EmptyBook { advisor } => write!(f, "advisor '{advisor}' is on the roster but owns no account"),
            Warning::Unassigned { accounts, arr, currency } => {
                let arr = amount(*arr, currency);
                write!(f, "{accounts} active accounts ({arr} ARR) have no advisor: reported under (unassigned)")
            }
            Warning::NoArrRows { count, examples } => write!(
                f,
                "{count} accounts have no row in arr.csv at all (ARR 0 throughout), e.g. {}",
                examples.join(", ")
            ),
            Warning::MissingMonths { months } => write!(
                f,
                "no account has a row for {}: every account reads as ARR 0 that month; is the export complete?",
                month_ranges(months)
            ),
            Warning::StrayMonth { file, line, month, gap } => {
                let months = gap.unsigned_abs();
                let distance = match months / 12 {
                    0 | 1 => format!("{months} months"),
                    years => format!("{} months (about {} years)", thousands(u64::from(months)), thousands(u64::from(years))),
                };
                write!(
                    f,
                    "{file}:{line}: month {month} is {distance} from every other month of the file: a typo? \
                     Every month between reads as ARR 0"
                )
            }
            Warning::ArrJumps { count, examples } => {
                let shown: Vec<String> = examples
                    .iter()
                    .map(|j| {
                        let (from, to) = (amount_cents(j.from, &j.currency), amount_cents(j.to, &j.currency));
                        format!("{} {} {from} → {to}", j.account_id, j.month)
                    })
                    .collect();
                write!(
                    f,
                    "{count} month-over-month ARR changes above 10× or below a tenth (check units and duplicates), e.g. {}",
                    shown.join("; ")
                )
            }
            Warning::LookAlikeColumn { file, header, column, table } => write!(
                f,
                "{file}: column \"{header}\" is not used, but looks like {column}: to read it as {column}, add \
                 {column} = \"{header}\" under [{table}] in columns.toml"
            ),
            Warning::HealthUnitScale { count } => write!(
                f,
                "all {count} health scores are between 0 and 1: the export looks like a 0–1 scale, but health is read on 0–10"
            ),
        }
    }
}

/// `--strict`: every warning as a problem, so the run stops before writing anything.
pub(crate) fn refuse(warnings: &[Warning]) -> Result<(), InvalidInput> {
    InvalidInput::check(warnings.iter().map(|w| Problem::new("--strict", w.to_string())).collect())
}

/// The roster name closest to `name` (case-insensitive edit distance of at most a third of its
/// length), to suggest for a misspelt advisor.
pub(crate) fn closest<'a>(name: &str, roster: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let target = name.to_lowercase();
    roster
        .into_iter()
        .map(|candidate| (edit_distance(&target, &candidate.to_lowercase()), candidate))
        .filter(|(d, _)| *d <= target.chars().count().div_ceil(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_roster_spelling() {
        let roster = ["Priya Shah", "Tom Becker", "Ben Carter"];
        assert_eq!(closest("priya shah", roster), Some("Priya Shah".into()));
        assert_eq!(closest("Tom Beker", roster), Some("Tom Becker".into()));
        assert_eq!(closest("Zed", roster), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
