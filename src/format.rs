//! How numbers are written for people and for files: money, percentages, points, health
//! scores, short amounts and ticks for charts, sort keys, in the reporting currency. Every
//! renderer and every message uses these, so the same number reads the same everywhere;
//! rounding and precision live here and nowhere else.

use crate::domain::calendar::Month;

/// A ratio as a percentage with one decimal, `110.6%`; `–` when null.
pub(crate) fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{}%", fixed(v * 100.0, 1))).unwrap_or_else(|| "–".into())
}

/// A health score with one decimal; `–` when null.
pub(crate) fn score(value: Option<f64>) -> String {
    value.map(|v| fixed(v, 1)).unwrap_or_else(|| "–".into())
}

/// A ratio as a whole percentage, `46%` (chart captions, shares in words).
pub(crate) fn whole_percent(ratio: f64) -> String {
    format!("{}%", fixed(ratio * 100.0, 0))
}

/// A difference of two ratios in percentage points with one decimal, `2.0` (the caller writes
/// `pts`).
pub(crate) fn points(ratio: f64) -> String {
    fixed(ratio * 100.0, 1)
}

/// A ratio as whole percentage points, `5` (a tolerance).
pub(crate) fn whole_points(ratio: f64) -> String {
    format!("{:.0}", ratio * 100.0)
}

/// A change with its sign and one decimal, `+7.7`, `-0.1`.
pub(crate) fn signed(value: f64) -> String {
    let text = fixed(value, 1);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// A number as a sort key with 6 decimals, as the CSV writes it, so a sum's last bits (which
/// vary with the order a parallel run adds it up in) never reorder a table.
pub(crate) fn sort_key(value: f64) -> String {
    format!("{value:.6}")
}

/// A chart's tick: a whole number, `40`.
pub(crate) fn tick(value: f64) -> String {
    format!("{value:.0}")
}

/// A chart's tick in percent (the value already ×100): `105%`.
pub(crate) fn tick_percent(value: f64) -> String {
    format!("{value:.0}%")
}

/// A chart's point label in percent (the value already ×100), one decimal: `104.2%`.
pub(crate) fn label_percent(value: f64) -> String {
    format!("{}%", fixed(value, 1))
}

/// A whole amount of `currency` with thousands separators: `$1,234,567`, `€5,000`,
/// `CHF 12,000`; negative as `−$5,000`. A currency without a symbol of its own is written with
/// its code, so `$` only ever means US dollars (SPEC §10).
pub(crate) fn amount(value: f64, currency: &str) -> String {
    let whole = format!("{:.0}", value.abs());
    let negative = value < 0.0 && whole != "0";
    format!("{}{}{}", if negative { "−" } else { "" }, sign(currency), group(&whole))
}

/// An amount of `currency` to the cent, with thousands separators: `$57,280,600.00`,
/// `CHF 1,234.50`, `−€5.00`. For people; files keep plain numbers ([`push_money`]).
pub(crate) fn amount_cents(value: f64, currency: &str) -> String {
    let cents = format!("{:.2}", value.abs());
    let (whole, fraction) = cents.split_once('.').unwrap_or((&cents, "00"));
    let negative = value < 0.0 && cents != "0.00";
    format!("{}{}{}.{fraction}", if negative { "−" } else { "" }, sign(currency), group(whole))
}

/// What goes before an amount of `currency`: its symbol, or its code and a space.
fn sign(currency: &str) -> String {
    crate::domain::money::symbol(currency).map_or_else(|| format!("{currency} "), str::to_string)
}

/// A list in words: `a`, `a and b`, `a, b and c`.
pub(crate) fn in_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A count with thousands separators, `1,472`.
pub(crate) fn thousands(count: u64) -> String {
    group(&count.to_string())
}

/// Digits grouped by three with commas.
fn group(digits: &str) -> String {
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// ARR with 2 decimals (SPEC §7), never `-0.00`, onto `out` (writers format many cells into one
/// buffer).
pub(crate) fn push_money(out: &mut String, value: f64) {
    push_fixed(out, value, 2);
}

/// Ratios, shares, health values and targets with 6 decimals (SPEC §7), onto `out`.
pub(crate) fn push_fraction(out: &mut String, value: f64) {
    push_fixed(out, half_away(value, 6), 6);
}

/// A ratio, a score or a percentage with `decimals` decimals, a half rounded away from zero as
/// people do (`7.55` → `7.6`), never `-0.0`. The value is first taken to 6 decimals past the
/// last one written, so sums that differ only in their last bits (a parallel sum adds up in
/// whichever order its threads finish) round the same way, run after run. Not for money, whose
/// magnitudes leave no bits that far down.
fn fixed(value: f64, decimals: usize) -> String {
    let mut text = String::new();
    push_fixed(&mut text, half_away(value, decimals), decimals);
    text
}

/// `value` rounded to `decimals` decimals as [`fixed`] says.
fn half_away(value: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    ((value * scale * 1e6).round() / 1e6).round() / scale
}

/// `value` with `decimals` decimals onto `out`; a value that rounds to zero is written without
/// a minus sign.
fn push_fixed(out: &mut String, value: f64, decimals: usize) {
    if !push_fixed_far_from_a_tie(out, value, decimals) {
        push_fixed_exactly(out, value, decimals);
    }
}

/// [`push_fixed`] by integer digits, when `value` is far from a tie (its scaled fraction within a
/// quarter of a whole) and small enough that scaling it is off by far less than a quarter: the
/// exact value then rounds to the nearest whole, whatever the rule for ties, so the text is
/// [`push_fixed_exactly`]'s, without its exact decimal expansion (most of writing a large
/// accounts.csv). False, writing nothing, otherwise.
fn push_fixed_far_from_a_tie(out: &mut String, value: f64, decimals: usize) -> bool {
    const SCALES: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    // Below 2^40, scaling (by a power of ten, itself exact) is off by at most 2^-13.
    const LARGEST: f64 = (1u64 << 40) as f64;
    let Some(scale) = SCALES.get(decimals) else { return false };
    let scaled = value * scale;
    let whole = scaled.round();
    if !(whole.abs() < LARGEST && (scaled - whole).abs() < 0.25) {
        return false;
    }
    let digits = whole.abs() as u64;
    if digits != 0 && whole < 0.0 {
        out.push('-');
    }
    let unit = 10u64.pow(decimals as u32);
    let mut buffer = itoa::Buffer::new();
    out.push_str(buffer.format(digits / unit));
    if decimals > 0 {
        out.push('.');
        let fraction = buffer.format(digits % unit);
        out.extend(std::iter::repeat_n('0', decimals - fraction.len()));
        out.push_str(fraction);
    }
    true
}

/// [`push_fixed`] by Rust's exact decimal expansion, for any value.
fn push_fixed_exactly(out: &mut String, value: f64, decimals: usize) {
    use std::fmt::Write;
    let start = out.len();
    let _ = write!(out, "{:.*}", decimals, value + 0.0);
    if out[start..].starts_with('-') && out[start + 1..].bytes().all(|b| b == b'0' || b == b'.') {
        out.remove(start);
    }
}

/// `$1.2M`, `€450k`, `CHF 900`: short amounts for chart labels.
pub(crate) fn short_amount(value: f64, currency: &str) -> String {
    let minus = if value < 0.0 { "−" } else { "" };
    let (v, sign) = (value.abs(), sign(currency));
    if v >= 1e6 {
        format!("{minus}{sign}{:.1}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{minus}{sign}{:.0}k", v / 1e3)
    } else {
        format!("{minus}{sign}{v:.0}")
    }
}

/// Months in order, runs of three or more written as `first … last`, with the count when a run
/// was shortened: `2025-07, 2025-08, 2025-10 … 2026-08 (13 months)`.
pub(crate) fn month_ranges(months: &[Month]) -> String {
    let mut runs: Vec<(Month, Month)> = Vec::new();
    for month in months {
        match runs.last_mut() {
            Some((_, last)) if last.plus(1) == *month => *last = *month,
            _ => runs.push((*month, *month)),
        }
    }
    let mut shortened = false;
    let mut parts = Vec::new();
    for (first, last) in runs {
        match last.0 - first.0 {
            0 => parts.push(first.to_string()),
            1 => parts.extend([first.to_string(), last.to_string()]),
            _ => {
                shortened = true;
                parts.push(format!("{first} … {last}"));
            }
        }
    }
    let count = if shortened { format!(" ({} months)", thousands(months.len() as u64)) } else { String::new() };
    format!("{}{count}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_only_when_writing() {
        let written = |push: fn(&mut String, f64), value: f64| {
            let mut text = String::from("x");
            push(&mut text, value);
            text[1..].to_string()
        };
        let (money, fraction) = (|v| written(push_money, v), |v| written(push_fraction, v));
        assert_eq!(money(1234.5650001), "1234.57");
        assert_eq!(money(-12.5), "-12.50");
        assert_eq!(money(-0.001), "0.00");
        assert_eq!(fraction(1.05), "1.050000");
        assert_eq!(fraction(2.0 / 3.0), "0.666667");
        assert_eq!(fraction(-1e-12), "0.000000");
        assert_eq!(amount(1_234_567.49, "USD"), "$1,234,567");
        assert_eq!(amount(-5_000.0, "USD"), "−$5,000");
        assert_eq!(amount(999.5, "USD"), "$1,000");
        assert_eq!(amount(-5_000.0, "EUR"), "−€5,000");
        assert_eq!(amount(12_000.0, "CHF"), "CHF 12,000");
        assert_eq!(amount_cents(57_280_600.0, "USD"), "$57,280,600.00");
        assert_eq!(amount_cents(-0.001, "EUR"), "€0.00");
        assert_eq!(amount_cents(-1234.5, "CHF"), "−CHF 1,234.50");
        assert_eq!(percent(Some(1.10621)), "110.6%");
        assert_eq!(percent(None), "–");
        // A tie that a sum reaches from either side rounds the same way.
        let (below, above) = (7.55 - 4.0 * f64::EPSILON, 7.55 + 4.0 * f64::EPSILON);
        assert_eq!((score(Some(below)), score(Some(above))), ("7.6".into(), "7.6".into()));
        assert_eq!((fraction(0.1234565 - 1e-15), fraction(0.1234565 + 1e-15)), ("0.123457".into(), "0.123457".into()));
        assert_eq!((signed(-0.04), signed(0.25), points(-0.0004)), ("+0.0".into(), "+0.3".into(), "0.0".into()));
    }

    proptest::proptest! {
        /// Digits far from a tie are the exact expansion's: on amounts in cents, on values a
        /// hair from a tie, and on any finite value, at every number of decimals written.
        #[test]
        fn fixed_digits_are_the_exact_expansion(
            cents in -10_000_000_000_000i64..10_000_000_000_000,
            hair in -1e-9f64..1e-9,
            bits in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
            decimals in 0usize..=7,
        ) {
            let scale = 10f64.powi(decimals as i32);
            for value in [cents as f64 / 100.0, (cents as f64 + 0.5) / scale + hair, cents as f64 / scale + hair, bits] {
                let (mut fast, mut exact) = (String::new(), String::new());
                push_fixed(&mut fast, value, decimals);
                push_fixed_exactly(&mut exact, value, decimals);
                proptest::prop_assert_eq!(&fast, &exact, "{} at {} decimals", value, decimals);
            }
        }
    }

    #[test]
    fn short_money_labels() {
        assert_eq!(short_amount(1_250_000.0, "USD"), "$1.2M");
        assert_eq!(short_amount(-45_000.0, "USD"), "−$45k");
        assert_eq!(short_amount(900.0, "GBP"), "£900");
        assert_eq!(short_amount(1_250_000.0, "CAD"), "CAD 1.2M");
    }
}
