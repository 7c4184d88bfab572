//! The quarter ahead (SPEC §12): the NDR now against where it is expected to land at the next
//! quarter end, with the 10–90% range, the run-rate and the level's target line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{cartesian, categories, category, no_data, px, text, Axes, Chart, INK, MUTED, NDR};
use crate::format::{label_percent, tick_percent};
use crate::model::Scorecard;

pub(crate) struct Outlook<'a> {
    pub(crate) card: &'a Scorecard,
    /// The next quarter, as `2026-Q4`.
    pub(crate) target_quarter: &'a str,
}

impl Chart for Outlook<'_> {
    fn name(&self) -> &'static str {
        "outlook"
    }

    fn title(&self) -> String {
        "NDR now and expected at the next quarter end, with its 10–90% range and the target".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let (card, f) = (self.card, &self.card.forecast);
        let (Some(now), Some(expected), Some(low), Some(high)) =
            (card.metrics.ndr, f.expected_ndr, f.ndr_p10, f.ndr_p90)
        else {
            return no_data(root, "Next quarter", "No forecast of NDR for this book");
        };
        let [now, expected, low, high] = [now, expected, low, high].map(|v| v * 100.0);
        let runrate = f.runrate_ndr.map(|v| v * 100.0);
        let target = card.ndr_target.map(|v| v * 100.0);
        let shown = [Some(now), Some(low), Some(high), runrate, target];
        let (min, max) = shown.iter().flatten().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        let pad = ((max - min) * 0.15).max(2.0);
        let labels = vec![card.quarter.clone(), self.target_quarter.to_string()];
        // Labels sit just above what they name (plotters draws text below its point).
        let up = (max - min + 2.0 * pad) * 0.07;
        let mut chart = cartesian(
            root,
            Axes {
                caption: format!("NDR: {} now and expected at {}", card.quarter, self.target_quarter),
                x: -0.5..1.5,
                y: (min - pad)..(max + pad),
                y_label_width: 56,
                x_keys: categories(2),
                y_keys: None,
                x_label: &|x| category(&labels, *x),
                y_label: &|y| tick_percent(*y),
                y_desc: None,
            },
        )?;
        if let Some(t) = target {
            chart.draw_series(DashedLineSeries::new([(-0.5, t), (1.5, t)], px(6), px(4), INK.stroke_width(px(2))))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("target {}", label_percent(t)),
                (-0.45, t + up),
                text(12),
            )))?;
        }
        // The 10–90% range as a bar with caps, the path from now to the expectation dashed.
        let bar = NDR.stroke_width(px(3));
        chart.draw_series(LineSeries::new([(1.0, low), (1.0, high)], bar))?;
        for end in [low, high] {
            chart.draw_series(LineSeries::new([(0.92, end), (1.08, end)], bar))?;
        }
        chart.draw_series(DashedLineSeries::new(
            [(0.0, now), (1.0, expected)],
            px(5),
            px(4),
            MUTED.stroke_width(px(2)),
        ))?;
        chart.draw_series([(0.0, now), (1.0, expected)].map(|point| Circle::new(point, px(6), NDR.filled())))?;
        if let Some(r) = runrate {
            chart.draw_series(std::iter::once(Cross::new((1.0, r), px(6), INK.stroke_width(px(2)))))?;
            chart.draw_series(std::iter::once(Text::new("run-rate", (1.12, r + up / 2.0), text(12))))?;
        }
        let labels = [(0.0, now, label_percent(now)), (1.0, expected, format!("expected {}", label_percent(expected)))];
        chart.draw_series(labels.into_iter().map(|(x, y, label)| Text::new(label, (x + 0.08, y + up), text(12))))?;
        Ok(())
    }
}
