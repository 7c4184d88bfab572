//! The distribution of active accounts' health scores, with the level's minimum marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{cartesian, categories, no_data, px, text, Axes, Chart, BAD, GOOD, INK};
use crate::format::{score, tick};
use crate::model::Scorecard;

pub(crate) struct Health<'a> {
    pub(crate) card: &'a Scorecard,
}

impl Chart for Health<'_> {
    fn name(&self) -> &'static str {
        "health"
    }

    fn title(&self) -> String {
        "Health scores of active accounts, with the level's minimum".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let buckets = &self.card.health_histogram;
        let most = buckets.iter().copied().max().unwrap_or(0);
        if most == 0 {
            return no_data(root, "Health", "No active account has a health score");
        }
        let min = self.card.health_min;
        let caption = match (self.card.health_unknown, min) {
            (0, Some(m)) => format!("Health scores (minimum {})", score(Some(m))),
            (0, None) => "Health scores".to_string(),
            (n, Some(m)) => format!("Health scores (minimum {}; {n} without a score)", score(Some(m))),
            (n, None) => format!("Health scores ({n} without a score)"),
        };
        let top = (most as f64 * 1.2).max(1.0);
        // Whole numbers of accounts only, about six of them.
        let step = (most as f64 / 6.0).ceil().max(1.0);
        let y_keys = (0..).map(|k| k as f64 * step).take_while(|y| *y <= top).collect();
        let mut chart = cartesian(
            root,
            Axes {
                caption,
                x: 0.0..10.0,
                y: 0.0..top,
                y_label_width: 40,
                x_keys: categories(11),
                y_keys: Some(y_keys),
                x_label: &|x| tick(*x),
                y_label: &|y| tick(*y),
                y_desc: Some("accounts"),
            },
        )?;
        chart.draw_series(buckets.iter().enumerate().map(|(i, count)| {
            let from = i as f64;
            let color = if min.is_some_and(|m| from + 1.0 <= m) { BAD } else { GOOD };
            Rectangle::new([(from + 0.08, 0.0), (from + 0.92, *count as f64)], color.mix(0.85).filled())
        }))?;
        if let Some(m) = min {
            chart.draw_series(DashedLineSeries::new([(m, 0.0), (m, top)], px(6), px(4), INK.stroke_width(px(2))))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("minimum {}", score(Some(m))),
                (m + 0.1, top * 0.95),
                text(12),
            )))?;
        }
        Ok(())
    }
}
