//! The quarter ahead's words and figures (SPEC §12), shared by the pages and `show`: where the
//! advisor stands now against where they are expected to land, how sure that is, what it takes,
//! the renewals that decide it, and what the forecast assumes.

use crate::domain::modes::{CurrencyMode, HealthMode};
use crate::format::{amount, percent, points, score, short_amount, whole_percent};
use crate::model::{Report, Scorecard};

/// The section's heading: `Next quarter: 2026-Q4`.
pub(crate) fn next_quarter_heading(report: &Report) -> String {
    format!("Next quarter: {}", report.forecast.target_quarter)
}

/// The section's sentences, in order; one saying why when there is no forecast.
pub(crate) fn next_quarter_lines(report: &Report, card: &Scorecard) -> Vec<String> {
    let frame = &report.forecast;
    if let Some(why) = &frame.unavailable {
        return vec![format!("No forecast: {why}.")];
    }
    let f = &card.forecast;
    let (Some(expected), Some(origin)) = (f.expected_ndr, frame.origin_month.as_deref()) else {
        return vec![format!(
            "No forecast for this book: it has no cohort at the start of the window ending {}.",
            frame.target_month
        )];
    };
    let mut lines = vec![
        format!("Now: NDR {} at {}.", percent(card.metrics.ndr), card.as_of_month),
        format!(
            "Run-rate: NDR {}, GRR {}, if every account stays at its {origin} ARR.",
            percent(f.runrate_ndr),
            percent(f.runrate_grr)
        ),
        format!(
            "Expected: NDR {} (10–90% range {} to {}), GRR {}; NDR status {}.",
            percent(Some(expected)),
            percent(f.ndr_p10),
            percent(f.ndr_p90),
            percent(f.expected_grr),
            f.expected_ndr_status.as_str()
        ),
        match &frame.without_renewals {
            Some(why) => format!("Downside: none: {why}."),
            None => format!(
                "Downside: NDR {}, GRR {}, if every account renewing by {} with health below the minimum churns.",
                percent(f.downside_ndr),
                percent(f.downside_grr),
                frame.target_month
            ),
        },
    ];
    if let (Some(chance), Some(target), Some(level)) = (f.p_meets_ndr, card.ndr_target, card.level.as_deref()) {
        lines.push(format!(
            "Chance of meeting {level}'s NDR target of {}: {}.",
            percent(Some(target)),
            whole_percent(chance)
        ));
    }
    if let (Some(gap), Some(start)) = (f.ndr_gap_arr, f.start_arr) {
        let cohort = short_amount(start, &card.currency);
        lines.push(if gap > 0.0 {
            format!(
                "What it takes: {} more net ARR by {} on a {cohort} cohort.",
                amount(gap, &card.currency),
                frame.target_month
            )
        } else {
            format!(
                "At the run-rate the target is met: the {cohort} cohort may still lose {} by {}.",
                amount(-gap, &card.currency),
                frame.target_month
            )
        });
    }
    lines
}

/// The columns of [`renewal_rows`].
pub(crate) const RENEWAL_COLUMNS: [&str; 6] =
    ["account", "renews", "ARR now", "health", "chance of churn", "expected loss"];

/// The renewals that decide the quarter ahead, largest expected loss first.
pub(crate) fn renewal_rows(card: &Scorecard) -> Vec<[String; 6]> {
    card.forecast
        .renewals
        .iter()
        .map(|r| {
            [
                r.account_name.clone().unwrap_or_else(|| r.account_id.clone()),
                r.renewal_date.clone(),
                amount(r.arr, &card.currency),
                score(r.health_score),
                percent(Some(r.p_churn)),
                amount(r.expected_loss, &card.currency),
            ]
        })
        .collect()
}

/// What the forecast assumes and how good it has been, in words.
pub(crate) fn assumptions(report: &Report) -> String {
    let frame = &report.forecast;
    let classes = match report.health {
        HealthMode::History => "accounts of the same health band",
        HealthMode::Current => "all accounts alike (without health history there is no health signal)",
    };
    let rates = match report.conversion {
        CurrencyMode::Converted => {
            format!(", with exchange rates held at {}", frame.origin_month.as_deref().unwrap_or("the origin"))
        }
        CurrencyMode::Single => String::new(),
    };
    let mut text = format!(
        "The forecast assumes each account churns or grows as {classes} did over the company's last months, \
         independently of the others, and reads the range and the chance from a normal approximation{rates}."
    );
    let pooled = &report.backtest.pooled;
    if let (Some(mae), Some(coverage)) = (pooled.backtest_mae, pooled.backtest_coverage) {
        text.push_str(&format!(
            " Made a quarter ahead at the last quarter ends, it was off by {} NDR points on average, and {} of \
             the actual values fell in its 10–90% range ({} advisor-quarters).",
            points(mae),
            whole_percent(coverage),
            pooled.pairs
        ));
    }
    text
}
