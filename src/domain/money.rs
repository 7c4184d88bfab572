//! Money: which currency codes exist and how each is written (SPEC §10), and amounts as CRM and
//! billing exports write them (issue 4): `$1,234.50`, `USD 1,234`, `1 234,00 €`
//! (with `--decimal-comma`). Polars expressions, so the whole ARR column is read in one plan.
//! A value is only accepted when it is unambiguous: digit groups must be exactly three digits,
//! so `1,50` is refused rather than read as 150.

use polars::prelude::*;

/// Currencies written with a symbol on pages and in amounts; every other currency is written
/// with its code (`CHF 1,234`). `$` is the US dollar only: it never stands for another dollar.
pub(crate) const SYMBOLS: [(&str, &str); 4] = [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY")];

/// The currency of data that names none (SPEC §10).
pub(crate) const DEFAULT: &str = "USD";

/// Whether `code` is an ISO 4217 currency code (upper case).
pub(crate) fn is_code(code: &str) -> bool {
    iso_currency::Currency::from_code(code).is_some()
}

/// The symbol pages write for `code`, if it has one of [`SYMBOLS`].
pub(crate) fn symbol(code: &str) -> Option<&'static str> {
    SYMBOLS.iter().find(|(_, c)| *c == code).map(|(s, _)| *s)
}

/// The decimal separator of the export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decimal {
    /// `1,234.50`
    #[default]
    Point,
    /// `1.234,50` or `1 234,50`
    Comma,
}

/// What is not part of the number: a currency code (three letters) or symbol. Single letters
/// stay, so `1e3` is never read as `13`.
const NOT_NUMBER: &str = r"[A-Za-z]{3}|[$€£¥]";
/// Spaces that exports use as thousands separators (plain, no-break, narrow no-break).
const SPACES: &str = r"[ \x{a0}\x{202f}]";

/// The number's grammar once the currency is removed: optional sign, digits either plain or in
/// groups of three, optional decimals.
fn grammar(decimal: Decimal) -> String {
    match decimal {
        Decimal::Point => r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$".to_string(),
        Decimal::Comma => format!(r"^[+-]?(\d{{1,3}}([.]\d{{3}})+|\d{{1,3}}({SPACES}\d{{3}})+|\d+)(,\d+)?$"),
    }
}

/// The number part of a trimmed amount: currency codes and symbols removed, trimmed again.
fn number_text(raw: Expr) -> Expr {
    raw.str().replace_all(lit(NOT_NUMBER), lit(""), false).str().strip_chars(lit(NULL))
}

/// The amount as Float64; null when it is not an unambiguous number.
pub(crate) fn parse(raw: Expr, decimal: Decimal) -> Expr {
    let text = number_text(raw.clone());
    let grouped = text.clone().str().contains(lit(grammar(decimal)), true);
    match decimal {
        Decimal::Point => {
            let cleaned = text.str().replace_all(lit(","), lit(""), true);
            // Plain values like `1e5` parse directly; grouped ones once the commas are gone.
            when(grouped).then(cleaned.cast(DataType::Float64)).otherwise(raw.cast(DataType::Float64))
        }
        Decimal::Comma => {
            let cleaned = text.str().replace_all(lit(format!(r"[.]|{SPACES}")), lit(""), false).str().replace_all(
                lit(","),
                lit("."),
                true,
            );
            when(grouped).then(cleaned.cast(DataType::Float64)).otherwise(lit(NULL).cast(DataType::Float64))
        }
    }
}

/// The currency an amount names (`USD` for `$` or `USD`), null when it names none.
pub(crate) fn currency(raw: Expr) -> Expr {
    let code = raw.clone().str().extract(lit(r"([A-Za-z]{3})"), 1).str().to_uppercase();
    let symbol = raw.str().extract(lit(r"([$€£¥])"), 1);
    let by_symbol = SYMBOLS.iter().rev().fold(lit(NULL).cast(DataType::String), |otherwise, (s, c)| {
        when(symbol.clone().eq(lit(*s))).then(lit(*c)).otherwise(otherwise)
    });
    when(code.clone().is_not_null()).then(code).otherwise(by_symbol)
}

/// True when the amount carried more than a plain number: a currency or digit grouping.
pub(crate) fn decorated(raw: Expr) -> Expr {
    raw.str().contains(lit(format!(r"{NOT_NUMBER}|,|\d{SPACES}\d")), true).fill_null(lit(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(values: &[&str], decimal: Decimal) -> Vec<(Option<f64>, Option<String>)> {
        let frame = df!("raw" => values).unwrap();
        let out = frame
            .lazy()
            .select([
                parse(col("raw").str().strip_chars(lit(NULL)), decimal).alias("value"),
                currency(col("raw")).alias("currency"),
            ])
            .collect()
            .unwrap();
        let v = out.column("value").unwrap().f64().unwrap().clone();
        let c = out.column("currency").unwrap().str().unwrap().clone();
        (0..out.height()).map(|i| (v.get(i), c.get(i).map(str::to_string))).collect()
    }

    #[test]
    fn reads_currency_symbols_codes_and_thousands_separators() {
        let got = read(&["$1,234.50", "USD 1,234", " 1234.5 ", "1e3", "£12", "-5", "EUR1,000,000.25"], Decimal::Point);
        let values: Vec<Option<f64>> = got.iter().map(|g| g.0).collect();
        assert_eq!(
            values,
            [Some(1234.5), Some(1234.0), Some(1234.5), Some(1000.0), Some(12.0), Some(-5.0), Some(1_000_000.25)]
        );
        let currencies: Vec<Option<&str>> = got.iter().map(|g| g.1.as_deref()).collect();
        assert_eq!(currencies, [Some("USD"), Some("USD"), None, None, Some("GBP"), None, Some("EUR")]);
    }

    #[test]
    fn refuses_ambiguous_grouping() {
        let got =
            read(&["1,50", "1.234,56", "12,34,567", "1,2345", "abc", "", "$", "1e3,000", "USD1e3x"], Decimal::Point);
        assert!(got.iter().all(|g| g.0.is_none()), "{got:?}");
    }

    #[test]
    fn decimal_comma_only_when_asked() {
        let got = read(&["1 234,00 €", "1.234,56", "12,5", "1\u{a0}000", "1234"], Decimal::Comma);
        let values: Vec<Option<f64>> = got.iter().map(|g| g.0).collect();
        assert_eq!(values, [Some(1234.0), Some(1234.56), Some(12.5), Some(1000.0), Some(1234.0)]);
        // With a decimal comma, a point is a thousands separator: 1.5 is not a number.
        assert_eq!(read(&["1.5", "1.234.5"], Decimal::Comma).iter().map(|g| g.0).collect::<Vec<_>>(), [None, None]);
    }
}

/// The same reading for one value in Rust, for the small files checked row by row
/// (accounts.csv); same grammar as [`parse`].
pub(crate) fn parse_text(text: &str, decimal: Decimal) -> Option<f64> {
    let trimmed = text.trim();
    if plain_number(trimmed, decimal) {
        return trimmed.parse().ok().filter(|v: &f64| v.is_finite());
    }
    parse_by_grammar(trimmed, decimal)
}

/// [`parse_text`] for any trimmed text, by the regular expressions of [`parse`].
fn parse_by_grammar(trimmed: &str, decimal: Decimal) -> Option<f64> {
    use std::sync::OnceLock;
    static NOT: OnceLock<regex::Regex> = OnceLock::new();
    static POINT: OnceLock<regex::Regex> = OnceLock::new();
    static COMMA: OnceLock<regex::Regex> = OnceLock::new();
    static SPACE_OR_POINT: OnceLock<regex::Regex> = OnceLock::new();
    let compile = |pattern: &str| regex::Regex::new(pattern).expect("a valid built-in pattern");
    let number = NOT.get_or_init(|| compile(NOT_NUMBER)).replace_all(trimmed, "");
    let number = number.trim();
    match decimal {
        Decimal::Point if POINT.get_or_init(|| compile(&grammar(Decimal::Point))).is_match(number) => {
            number.replace(',', "").parse().ok()
        }
        Decimal::Point => trimmed.parse().ok(),
        Decimal::Comma if COMMA.get_or_init(|| compile(&grammar(Decimal::Comma))).is_match(number) => {
            let separators = SPACE_OR_POINT.get_or_init(|| compile(&format!(r"[.]|{SPACES}")));
            separators.replace_all(number, "").replace(',', ".").parse().ok()
        }
        Decimal::Comma => None,
    }
    .filter(|v: &f64| v.is_finite())
}

/// Digits with, when the point is the decimal separator, one point between digits: text the
/// grammar accepts as it is, so it is read without the regular expressions.
fn plain_number(text: &str, decimal: Decimal) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    match (decimal, text.split_once('.')) {
        (_, None) => digits(text),
        (Decimal::Point, Some((whole, fraction))) => digits(whole) && digits(fraction),
        (Decimal::Comma, Some(_)) => false,
    }
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn rust_reading_matches_the_polars_one() {
        assert_eq!(parse_text("$1,234.50", Decimal::Point), Some(1234.5));
        assert_eq!(parse_text("1,50", Decimal::Point), None);
        assert_eq!(parse_text("7,5", Decimal::Comma), Some(7.5));
        assert_eq!(parse_text("1.200", Decimal::Comma), Some(1200.0));
        assert_eq!(parse_text("NaN", Decimal::Point), None);
    }

    #[test]
    fn plain_numbers_read_as_the_grammar_reads_them() {
        for text in ["0", "7", "007", "12.5", "0.25", "1234567.891", "1.200", "12.", ".5", "1.2.3", &"9".repeat(400)] {
            for decimal in [Decimal::Point, Decimal::Comma] {
                assert_eq!(parse_text(text, decimal), parse_by_grammar(text, decimal), "{text} {decimal:?}");
            }
        }
    }
}
