//! NDR and GRR at the last quarter ends, with the level's targets, the tolerance bands shaded and
//! the next level's targets dashed.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{cartesian, category, no_data, text, Axes, Chart, GRR, NDR};
use crate::model::Scorecard;
use crate::targets::Level;

pub(crate) struct Trend<'a> {
    pub(crate) card: &'a Scorecard,
    pub(crate) level: Option<&'a Level>,
}

impl Chart for Trend<'_> {
    fn name(&self) -> &'static str {
        "trend"
    }

    fn title(&self) -> String {
        "NDR and GRR at the last quarter ends, against the level's targets".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        // Oldest quarter first, as people read time.
        let points: Vec<_> = self.card.trend.iter().rev().collect();
        let labels: Vec<String> = points.iter().map(|p| p.quarter.clone()).collect();
        let ndr: Vec<(f64, f64)> =
            points.iter().enumerate().filter_map(|(i, p)| p.metrics.ndr.map(|v| (i as f64, v * 100.0))).collect();
        let grr: Vec<(f64, f64)> =
            points.iter().enumerate().filter_map(|(i, p)| p.metrics.grr.map(|v| (i as f64, v * 100.0))).collect();
        if ndr.is_empty() && grr.is_empty() {
            return no_data(root, "NDR and GRR", "No window with start ARR yet: not enough history or no cohort");
        }
        let next = self.card.readiness.first();
        let mut bounds: Vec<f64> = ndr.iter().chain(&grr).map(|p| p.1).collect();
        if let Some(level) = self.level {
            bounds.extend(
                [
                    level.ndr.target,
                    level.ndr.target - level.ndr.tolerance,
                    level.grr.target,
                    level.grr.target - level.grr.tolerance,
                ]
                .map(|v| v * 100.0),
            );
        }
        if let Some(n) = next {
            bounds.extend([n.ndr_target * 100.0, n.grr_target * 100.0]);
        }
        let lo = bounds.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = bounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.1).max(2.0);
        let (y0, y1) = (lo - pad, hi + pad);
        // Room right of the newest quarter for the legend, so it never covers a point.
        let x1 = labels.len() as f64 - 0.5 + 0.9;

        let mut chart = cartesian(
            root,
            Axes {
                caption: "NDR and GRR".into(),
                x: -0.5..x1,
                y: y0..y1,
                y_label_width: 52,
                // Half steps too, so every quarter gets its label (the halves stay blank).
                x_labels: labels.len() * 2 + 2,
                x_label: &|x| category(&labels, *x),
                y_label: &|y| format!("{y:.0}%"),
                y_desc: None,
            },
        )?;

        if let Some(level) = self.level {
            for (goal, color) in [(level.ndr, NDR), (level.grr, GRR)] {
                let (t, band) = (goal.target * 100.0, (goal.target - goal.tolerance) * 100.0);
                if goal.tolerance > 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(-0.5, band), (x1, t)],
                        color.mix(0.12).filled(),
                    )))?;
                }
                chart.draw_series(LineSeries::new([(-0.5, t), (x1, t)], color.mix(0.8).stroke_width(1)))?;
            }
        }
        if let Some(n) = next {
            for (target, color) in [(n.ndr_target, NDR), (n.grr_target, GRR)] {
                let t = target * 100.0;
                chart.draw_series(DashedLineSeries::new([(-0.5, t), (x1, t)], 6, 5, color.mix(0.6).stroke_width(1)))?;
            }
        }
        for (name, series, color) in [("NDR", &ndr, NDR), ("GRR", &grr, GRR)] {
            chart
                .draw_series(LineSeries::new(series.iter().copied(), color.stroke_width(3)))?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
            chart.draw_series(series.iter().map(|p| Circle::new(*p, 4, color.filled())))?;
            chart.draw_series(
                series
                    .iter()
                    .map(|(x, y)| Text::new(format!("{y:.1}%"), (*x + 0.06, *y + pad * 0.25), text(11).color(&color))),
            )?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(text(12))
            .background_style(WHITE.mix(0.85))
            .border_style(super::MUTED)
            .draw()?;
        Ok(())
    }
}
