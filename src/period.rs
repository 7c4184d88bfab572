//! Months and quarters as plain integers, and the windows a run evaluates (SPEC §4).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{InvalidInput, Problem};
use crate::targets::Targets;

/// Quarter ends the trend shows: the evaluated one and the three before it.
pub(crate) const TREND_POINTS: usize = 4;

/// A calendar month as `year * 12 + (month - 1)`, so that month arithmetic is integer arithmetic
/// and the same number can live in a Polars `Int32` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub i32);

impl Month {
    pub(crate) fn from_ym(year: i32, month: u32) -> Month {
        Month(year * 12 + month as i32 - 1)
    }

    pub(crate) fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    pub(crate) fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub(crate) fn minus(self, months: i32) -> Month {
        Month(self.0 - months)
    }

    pub(crate) fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// Like [`Month::parse`], and also dates in `format` (chrono's, e.g. `%m/%d/%Y`) when given.
    pub(crate) fn parse_with(text: &str, format: Option<&str>) -> Option<Month> {
        Month::parse(text).or_else(|| {
            let date = chrono::NaiveDate::parse_from_str(text.trim(), format?).ok()?;
            use chrono::Datelike;
            Some(Month::from_ym(date.year(), date.month()))
        })
    }

    /// Parses `YYYY-MM` or `YYYY-MM-DD` (the day must be a real day of that month, and is then
    /// ignored). Surrounding spaces are allowed.
    pub(crate) fn parse(text: &str) -> Option<Month> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes[range.clone()].iter().all(u8::is_ascii_digit).then(|| text[range].parse::<u32>().ok())?
        };
        if !(bytes.len() == 7 || bytes.len() == 10) || bytes[4] != b'-' {
            return None;
        }
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        if bytes.len() == 10 {
            let day = (bytes[7] == b'-').then(|| digits(8..10))??;
            chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
        }
        Some(Month::from_ym(year as i32, month))
    }
}

/// The column of the per-account table (the classify stage's) holding `ARR(a, month)`.
pub(crate) fn arr_at(month: Month) -> String {
    format!("arr_{}", month.0)
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// A calendar quarter, written `2026-Q3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub(crate) year: i32,
    pub(crate) number: u32,
}

impl Quarter {
    /// The quarter that ends in `month`, or the latest one that ends before it.
    pub(crate) fn latest_ending_by(month: Month) -> Quarter {
        Quarter::of_end_month(month.minus((month.month() % 3) as i32))
    }

    /// The last month of the quarter: the evaluation month `E`.
    pub(crate) fn end_month(self) -> Month {
        Month::from_ym(self.year, self.number * 3)
    }

    pub(crate) fn of_end_month(end: Month) -> Quarter {
        debug_assert_eq!(end.month() % 3, 0);
        Quarter { year: end.year(), number: end.month() / 3 }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

impl FromStr for Quarter {
    type Err = String;

    fn from_str(text: &str) -> Result<Quarter, String> {
        let bad = || format!("expected a quarter like 2026-Q3, got '{text}'");
        let (year, number) = text.trim().split_once(['-']).ok_or_else(bad)?;
        let number = number.strip_prefix(['Q', 'q']).ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u32 = number.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || !(1..=4).contains(&number) {
            return Err(bad());
        }
        Ok(Quarter { year, number })
    }
}

/// One evaluation point: a quarter end `E` and the start of its window `S = E − W`.
/// `start_known` is false when `S` is before the first month of arr.csv (insufficient history).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Point {
    pub(crate) quarter: Quarter,
    pub(crate) end: Month,
    pub(crate) start: Month,
    pub(crate) end_known: bool,
    pub(crate) start_known: bool,
}

/// The evaluated quarter and the quarter ends of its trend, newest first.
#[derive(Clone, Debug)]
pub(crate) struct Period {
    pub(crate) window_months: u32,
    pub(crate) first_month: Month,
    pub(crate) last_month: Month,
    /// `points[0]` is the evaluated quarter; the rest step back three months at a time.
    pub(crate) points: Vec<Point>,
}

impl Period {
    pub(crate) fn new(quarter: Quarter, window_months: u32, first: Month, last: Month, count: usize) -> Period {
        let points = (0..count)
            .map(|k| {
                let end = quarter.end_month().minus(3 * k as i32);
                let start = end.minus(window_months as i32);
                Point {
                    quarter: Quarter::of_end_month(end),
                    end,
                    start,
                    end_known: end >= first,
                    start_known: start >= first,
                }
            })
            .collect();
        Period { window_months, first_month: first, last_month: last, points }
    }

    pub(crate) fn evaluated(&self) -> &Point {
        &self.points[0]
    }

    /// Every month whose ARR the metrics read, each once.
    pub(crate) fn months_needed(&self) -> Vec<Month> {
        let mut months: Vec<Month> = self
            .points
            .iter()
            .flat_map(|p| [p.end_known.then_some(p.end), p.start_known.then_some(p.start)])
            .flatten()
            .collect();
        months.sort();
        months.dedup();
        months
    }
}

/// The period to evaluate: `--quarter`, or the latest quarter whose last month is at most the
/// last month of arr.csv (which must end inside the data), with the targets' window and as many
/// trend points as the trend and the promotion rule need.
pub(crate) fn resolve(
    requested: Option<Quarter>,
    targets: &Targets,
    first: Month,
    last: Month,
    arr_file: &Path,
) -> Result<Period, InvalidInput> {
    let arr_file = arr_file.display().to_string();
    let range = format!("{first} to {last}");
    let quarter = match requested {
        Some(q) if q.end_month() > last || q.end_month() < first => {
            return Err(InvalidInput::one(
                Problem::new("--quarter", format!("ends in {}, outside the months of {arr_file}", q.end_month()))
                    .value(format!("{q}; data covers {range}")),
            ));
        }
        Some(q) => q,
        None => {
            let q = Quarter::latest_ending_by(last);
            if q.end_month() < first {
                return Err(InvalidInput::one(
                    Problem::new(&arr_file, "no quarter ends inside the data, so there is nothing to evaluate")
                        .column(crate::columns::MONTH)
                        .value(range),
                ));
            }
            q
        }
    };
    let promotion = targets.promotion_quarters + targets.promotion_quarters_at_level;
    let points = (promotion as usize).max(TREND_POINTS);
    Ok(Period::new(quarter, targets.window_months, first, last, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_months_with_and_without_day() {
        assert_eq!(Month::parse("2026-09"), Some(Month::from_ym(2026, 9)));
        assert_eq!(Month::parse(" 2026-09-30 "), Some(Month::from_ym(2026, 9)));
        for bad in ["2026-13", "2026-9", "26-09", "2026/09", "2026-02-30", "2026-09-", "+026-09", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn month_parsing_never_panics_and_round_trips(text in "\\PC{0,12}", year in 1000i32..9999, month in 1u32..=12) {
            let _ = Month::parse(&text);
            let m = Month::from_ym(year, month);
            proptest::prop_assert_eq!(Month::parse(&m.to_string()), Some(m));
        }
    }

    #[test]
    fn month_display_round_trips() {
        let m = Month::from_ym(2025, 12);
        assert_eq!(m.to_string(), "2025-12");
        assert_eq!(m.minus(12).to_string(), "2024-12");
        assert_eq!(Month::from_ym(2026, 1).minus(1).to_string(), "2025-12");
    }

    #[test]
    fn latest_quarter_ending_by_a_month() {
        let q = |y, m| Quarter::latest_ending_by(Month::from_ym(y, m)).to_string();
        assert_eq!(q(2026, 9), "2026-Q3");
        assert_eq!(q(2026, 10), "2026-Q3");
        assert_eq!(q(2026, 11), "2026-Q3");
        assert_eq!(q(2026, 12), "2026-Q4");
        assert_eq!(q(2026, 2), "2025-Q4");
    }

    #[test]
    fn parses_quarters() {
        assert_eq!("2026-Q3".parse::<Quarter>().unwrap().end_month().to_string(), "2026-09");
        assert_eq!("2026-q1".parse::<Quarter>().unwrap().end_month().to_string(), "2026-03");
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert!("2026Q3".parse::<Quarter>().is_err());
    }

    #[test]
    fn trend_points_step_back_a_quarter() {
        let q: Quarter = "2026-Q3".parse().unwrap();
        let p = Period::new(q, 12, Month::from_ym(2025, 1), Month::from_ym(2026, 10), 4);
        let ends: Vec<String> = p.points.iter().map(|p| p.end.to_string()).collect();
        assert_eq!(ends, ["2026-09", "2026-06", "2026-03", "2025-12"]);
        assert!(p.points[0].start_known); // 2025-09
        assert!(!p.points[3].start_known); // 2024-12
        assert_eq!(p.months_needed().len(), 4 + 3);
    }
}
