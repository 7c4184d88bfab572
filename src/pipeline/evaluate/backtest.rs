//! How good the forecast has been (SPEC §12): each past forecast (made a quarter before a trend
//! point with the data known then) against the actual NDR and status at that point, per advisor
//! with both values, per point and pooled.

use crate::model::{Backtest, BacktestFigures, BacktestPoint, PastForecast, Scorecard, Status};

/// The backtest of `past` against the scorecards' trends.
pub(super) fn backtest(past: &[PastForecast], scorecards: &[Scorecard]) -> Backtest {
    let mut pooled = Tally::default();
    let points = past
        .iter()
        .map(|forecast| {
            let mut tally = Tally::default();
            for card in scorecards {
                let Some(actual) = card.trend.iter().find(|t| t.quarter == forecast.quarter) else { continue };
                let Some(f) = forecast.by_advisor.get(&card.advisor) else { continue };
                let (Some(expected), Some(ndr), Some(p10), Some(p90)) =
                    (f.expected_ndr, actual.metrics.ndr, f.ndr_p10, f.ndr_p90)
                else {
                    continue;
                };
                let status = (card.level.is_some() && actual.ndr_status != Status::NotApplicable)
                    .then_some(f.expected_ndr_status == actual.ndr_status);
                let (error, covered) = ((expected - ndr).abs(), p10 <= ndr && ndr <= p90);
                tally.add(error, covered, status);
                pooled.add(error, covered, status);
            }
            BacktestPoint {
                quarter: forecast.quarter.clone(),
                origin_month: forecast.origin.to_string(),
                figures: tally.figures(),
            }
        })
        .collect();
    Backtest { points, pooled: pooled.figures() }
}

/// The sums the figures are made of.
#[derive(Default)]
struct Tally {
    pairs: u64,
    error: f64,
    covered: u64,
    status_pairs: u64,
    hits: u64,
}

impl Tally {
    fn add(&mut self, error: f64, covered: bool, status_hit: Option<bool>) {
        self.pairs += 1;
        self.error += error;
        self.covered += u64::from(covered);
        if let Some(hit) = status_hit {
            self.status_pairs += 1;
            self.hits += u64::from(hit);
        }
    }

    fn figures(&self) -> BacktestFigures {
        let share = |count: u64, of: u64| (of > 0).then(|| count as f64 / of as f64);
        BacktestFigures {
            pairs: self.pairs,
            backtest_mae: (self.pairs > 0).then(|| self.error / self.pairs as f64),
            backtest_coverage: share(self.covered, self.pairs),
            status_pairs: self.status_pairs,
            backtest_status_hits: share(self.hits, self.status_pairs),
        }
    }
}
