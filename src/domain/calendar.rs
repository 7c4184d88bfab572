//! The calendar: months and quarters as plain integers, calendar or fiscal, and the period a
//! run evaluates: its quarter ends and their windows (SPEC §4).

use std::fmt;
use std::str::FromStr;

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

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// The first month of a fiscal year, 1–12; 1 is the calendar year (SPEC §4, "Fiscal quarters").
pub(crate) const CALENDAR: u32 = 1;

/// A quarter: its last month `E`, and the first month of the fiscal year its name follows.
/// Written `2026-Q3` with calendar years and `FY2027-Q1` with fiscal ones, a fiscal year being
/// named by the calendar year of its last month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    end: Month,
    fiscal_start: u32,
}

impl Quarter {
    /// The first month of the fiscal year the quarter's name follows.
    pub(crate) fn fiscal_start(self) -> u32 {
        self.fiscal_start
    }

    /// Whether `month` ends a quarter of years starting in `fiscal_start`.
    fn ends_a_quarter(month: Month, fiscal_start: u32) -> bool {
        (month.month() + 12 - fiscal_start + 1).is_multiple_of(3)
    }

    /// The quarter that ends in `month`, or the latest one that ends before it.
    pub(crate) fn latest_ending_by(month: Month, fiscal_start: u32) -> Quarter {
        let back = (0..3).find(|k| Quarter::ends_a_quarter(month.minus(*k), fiscal_start)).unwrap_or(0);
        Quarter { end: month.minus(back), fiscal_start }
    }

    /// The quarter of years starting in `fiscal_start` that ends in `end`, a quarter end.
    pub(crate) fn ending(end: Month, fiscal_start: u32) -> Quarter {
        debug_assert!(Quarter::ends_a_quarter(end, fiscal_start));
        Quarter { end, fiscal_start }
    }

    /// The last month of the quarter: the evaluation month `E`.
    pub(crate) fn end_month(self) -> Month {
        self.end
    }

    /// Its first month.
    pub(crate) fn start_month(self) -> Month {
        self.end.minus(2)
    }

    /// The year's name (the calendar year of its last month) and the quarter's number, 1–4.
    fn name(self) -> (i32, u32) {
        let into_year = (self.end.month() + 12 - self.fiscal_start) % 12; // 2, 5, 8 or 11
        let year_end = self.end.plus(11 - into_year as i32);
        (year_end.year(), into_year / 3 + 1)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, number) = self.name();
        if self.fiscal_start == CALENDAR {
            write!(f, "{year:04}-Q{number}")
        } else {
            write!(f, "FY{year:04}-Q{number}")
        }
    }
}

/// A quarter as written on the command line, `2026-Q3` or `FY2027-Q1`, before the targets say
/// which form the team's quarters take ([`QuarterText::resolve`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuarterText {
    fiscal: bool,
    year: i32,
    number: u32,
}

impl QuarterText {
    /// The quarter in years starting in `fiscal_start`; the other form is refused with the
    /// quarter written in the right one.
    pub(crate) fn resolve(self, fiscal_start: u32) -> Result<Quarter, String> {
        let calendar = fiscal_start == CALENDAR;
        let end = match (self.fiscal, calendar) {
            (false, true) => Month::from_ym(self.year, self.number * 3),
            // FYyyyy ends in the month before `fiscal_start` of yyyy (FY2027 with February: 2027-01).
            (true, false) => Month::from_ym(self.year, fiscal_start - 1).minus(12 - 3 * self.number as i32),
            (false, false) => {
                let month = Month::from_ym(self.year, self.number * 3);
                let holding = Quarter::latest_ending_by(month.plus(2), fiscal_start);
                return Err(format!(
                    "{self} is a calendar quarter, but the targets' fiscal year starts in {}: write fiscal quarters like {holding} ({} to {}, which holds {month})",
                    month_name(fiscal_start),
                    holding.start_month(),
                    holding.end_month(),
                ));
            }
            (true, true) => {
                let quarter = Quarter { end: Month::from_ym(self.year, self.number * 3), fiscal_start };
                return Err(format!(
                    "{self} is a fiscal quarter, but the targets set no fiscal year (fiscal_year_start_month = 1): write calendar quarters like {quarter}"
                ));
            }
        };
        Ok(Quarter { end, fiscal_start })
    }
}

/// `February` for 2.
pub(crate) fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month as usize + 11) % 12]
}

impl fmt::Display for QuarterText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fy = if self.fiscal { "FY" } else { "" };
        write!(f, "{fy}{:04}-Q{}", self.year, self.number)
    }
}

impl FromStr for QuarterText {
    type Err = String;

    fn from_str(text: &str) -> Result<QuarterText, String> {
        let bad = || format!("expected a quarter like 2026-Q3 (or FY2027-Q1 with a fiscal year), got '{text}'");
        let trimmed = text.trim();
        let (fiscal, rest) = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("FY") => (true, &trimmed[2..]),
            _ => (false, trimmed),
        };
        let (year, number) = rest.split_once('-').ok_or_else(bad)?;
        let number = number.strip_prefix(['Q', 'q']).ok_or_else(bad)?;
        let (year, number): (i32, u32) = (year.parse().map_err(|_| bad())?, number.parse().map_err(|_| bad())?);
        if year.to_string().len() != 4 || !(1..=4).contains(&number) {
            return Err(bad());
        }
        Ok(QuarterText { fiscal, year, number })
    }
}

/// Quarter ends the trend shows: the evaluated one and the three before it.
pub(crate) const TREND_POINTS: usize = 4;

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
                    quarter: Quarter::ending(end, quarter.fiscal_start()),
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
        let q = |y, m| Quarter::latest_ending_by(Month::from_ym(y, m), CALENDAR).to_string();
        assert_eq!(q(2026, 9), "2026-Q3");
        assert_eq!(q(2026, 10), "2026-Q3");
        assert_eq!(q(2026, 11), "2026-Q3");
        assert_eq!(q(2026, 12), "2026-Q4");
        assert_eq!(q(2026, 2), "2025-Q4");
    }

    /// `text` read with years starting in `fiscal_start`.
    fn quarter(text: &str, fiscal_start: u32) -> Result<Quarter, String> {
        text.parse::<QuarterText>()?.resolve(fiscal_start)
    }

    #[test]
    fn parses_quarters() {
        assert_eq!(quarter("2026-Q3", CALENDAR).unwrap().end_month().to_string(), "2026-09");
        assert_eq!(quarter("2026-q1", CALENDAR).unwrap().end_month().to_string(), "2026-03");
        assert!("2026-Q5".parse::<QuarterText>().is_err());
        assert!("2026Q3".parse::<QuarterText>().is_err());
        assert!("FY27-Q1".parse::<QuarterText>().is_err());
    }

    #[test]
    fn a_february_year_is_named_by_its_last_month() {
        // FY2027 runs 2026-02 to 2027-01: Q1 is 2026-02..04, Q4 ends in 2027-01.
        let q1 = quarter("FY2027-Q1", 2).unwrap();
        assert_eq!((q1.start_month().to_string(), q1.end_month().to_string()), ("2026-02".into(), "2026-04".into()));
        assert_eq!(quarter("fy2027-q4", 2).unwrap().end_month().to_string(), "2027-01");
        // FY2026-Q4 ends in 2026-01, the month before FY2027 starts.
        assert_eq!(quarter("FY2026-Q4", 2).unwrap().end_month().to_string(), "2026-01");
        let by = |y, m| Quarter::latest_ending_by(Month::from_ym(y, m), 2).to_string();
        assert_eq!(by(2026, 1), "FY2026-Q4");
        assert_eq!(by(2026, 4), "FY2027-Q1");
        assert_eq!(by(2026, 6), "FY2027-Q1");
        assert_eq!(by(2026, 10), "FY2027-Q3");
    }

    #[test]
    fn july_and_november_years() {
        // July: FY2027 = 2026-07..2027-06, Q1 ends 2026-09, Q3 ends 2027-03.
        assert_eq!(quarter("FY2027-Q1", 7).unwrap().end_month().to_string(), "2026-09");
        assert_eq!(quarter("FY2027-Q3", 7).unwrap().end_month().to_string(), "2027-03");
        assert_eq!(Quarter::latest_ending_by(Month::from_ym(2026, 6), 7).to_string(), "FY2026-Q4");
        // November: FY2027 = 2026-11..2027-10, Q1 = 2026-11..2027-01.
        let q1 = quarter("FY2027-Q1", 11).unwrap();
        assert_eq!((q1.start_month().to_string(), q1.end_month().to_string()), ("2026-11".into(), "2027-01".into()));
        assert_eq!(Quarter::latest_ending_by(Month::from_ym(2026, 12), 11).to_string(), "FY2026-Q4");
    }

    #[test]
    fn the_wrong_form_is_refused_naming_the_right_one() {
        let calendar = quarter("2026-Q3", 2).unwrap_err();
        assert!(calendar.contains("fiscal year starts in February: write fiscal quarters like FY2027-Q3 (2026-08 to 2026-10, which holds 2026-09)"), "{calendar}");
        let fiscal = quarter("FY2026-Q3", CALENDAR).unwrap_err();
        assert!(fiscal.contains("write calendar quarters like 2026-Q3"), "{fiscal}");
    }

    proptest::proptest! {
        #[test]
        fn labels_round_trip_and_quarters_tile_the_year(fiscal_start in 1u32..=12, year in 1990i32..2100, month in 1u32..=12) {
            let q = Quarter::latest_ending_by(Month::from_ym(year, month), fiscal_start);
            let back = q.to_string().parse::<QuarterText>().unwrap().resolve(fiscal_start).unwrap();
            proptest::prop_assert_eq!(back, q);
            // A quarter ends at most two months before the month, and the next one after it.
            let gap = Month::from_ym(year, month).0 - q.end_month().0;
            proptest::prop_assert!((0..3).contains(&gap));
            let next = Quarter::latest_ending_by(q.end_month().plus(3), fiscal_start);
            proptest::prop_assert_eq!(next.end_month(), q.end_month().plus(3));
        }
    }

    #[test]
    fn trend_points_step_back_a_quarter() {
        let q = "2026-Q3".parse::<QuarterText>().unwrap().resolve(CALENDAR).unwrap();
        let p = Period::new(q, 12, Month::from_ym(2025, 1), Month::from_ym(2026, 10), 4);
        let ends: Vec<String> = p.points.iter().map(|p| p.end.to_string()).collect();
        assert_eq!(ends, ["2026-09", "2026-06", "2026-03", "2025-12"]);
        assert!(p.points[0].start_known); // 2025-09
        assert!(!p.points[3].start_known); // 2024-12
        assert_eq!(p.months_needed().len(), 4 + 3);
    }
}
