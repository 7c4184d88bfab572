//! The render stage: each output format is a view of the [`Report`](crate::model::Report) that
//! returns bytes; writing them is [`crate::write`]'s job.

pub mod csv;
pub mod json;
pub mod table;

use crate::model::Report;

/// A rendered output file, relative to the output folder.
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every file a `score` run writes.
pub fn render_all(report: &Report) -> anyhow::Result<Vec<Rendered>> {
    Ok(vec![
        Rendered { path: "scorecards.csv".into(), bytes: csv::scorecards(report)? },
        Rendered { path: "scorecards.json".into(), bytes: json::report(report)? },
        Rendered { path: "accounts.csv".into(), bytes: csv::accounts(report)? },
    ])
}

/// ARR with 2 decimals (SPEC §7); never `-0.00`.
pub fn money(value: f64) -> String {
    format!("{:.2}", value + 0.0).replace("-0.00", "0.00")
}

/// Ratios, shares, health values and targets with 6 decimals (SPEC §7).
pub fn fraction(value: f64) -> String {
    let text = format!("{:.6}", value + 0.0);
    if text == "-0.000000" {
        "0.000000".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_only_when_writing() {
        assert_eq!(money(1234.5650001), "1234.57");
        assert_eq!(money(-0.001), "0.00");
        assert_eq!(fraction(1.05), "1.050000");
        assert_eq!(fraction(2.0 / 3.0), "0.666667");
        assert_eq!(fraction(-1e-12), "0.000000");
    }
}
