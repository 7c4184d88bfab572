//! NDR and GRR at the last quarter ends, with the level's targets, the tolerance bands shaded and
//! the next level's targets dashed; the legend beside the plot says which line is which.

/// The legend's strip right of the plot, in chart pixels.
const LEGEND_WIDTH: u32 = 150;

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{cartesian, categories, category, legend, no_data, offset, px, text, with_legend, Axes, Chart, Swatch};
use super::{GRR, INK, NDR};
use crate::domain::targets::Level;
use crate::format::{label_percent, tick_percent};
use crate::model::Scorecard;

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
        let next = self.card.readiness.iter().find(|c| c.next_level);
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
        // Room above and below for the value labels.
        let pad = ((hi - lo) * 0.15).max(2.0);
        let (y0, y1) = (lo - pad, hi + pad);
        let x1 = labels.len() as f64 - 0.5;
        let (plot, legend_area) = with_legend(root, LEGEND_WIDTH);

        let mut chart = cartesian(
            &plot,
            Axes {
                caption: "NDR and GRR".into(),
                x: -0.5..x1,
                y: y0..y1,
                y_label_width: 52,
                x_keys: categories(labels.len()),
                y_keys: None,
                x_label: &|x| category(&labels, *x),
                y_label: &|y| tick_percent(*y),
                y_desc: None,
            },
        )?;

        let mut entries =
            vec![(Swatch::Line(NDR, 3), "NDR".to_string(), None), (Swatch::Line(GRR, 3), "GRR".to_string(), None)];
        if let Some(level) = self.level {
            for (goal, color) in [(level.ndr, NDR), (level.grr, GRR)] {
                let (t, band) = (goal.target * 100.0, (goal.target - goal.tolerance) * 100.0);
                if goal.tolerance > 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(-0.5, band), (x1, t)],
                        color.mix(0.12).filled(),
                    )))?;
                }
                chart.draw_series(LineSeries::new([(-0.5, t), (x1, t)], color.mix(0.8).stroke_width(px(1))))?;
            }
            entries.push((Swatch::Line(INK, 1), format!("{} target", level.name), None));
            if level.ndr.tolerance > 0.0 || level.grr.tolerance > 0.0 {
                entries.push((Swatch::Band(INK), "near band".to_string(), None));
            }
        }
        if let Some(n) = next {
            for (target, color) in [(n.ndr_target, NDR), (n.grr_target, GRR)] {
                let t = target * 100.0;
                chart.draw_series(DashedLineSeries::new(
                    [(-0.5, t), (x1, t)],
                    px(6),
                    px(5),
                    color.mix(0.6).stroke_width(px(1)),
                ))?;
            }
            // A next-level target on the own target hides its dashes: say so in words.
            let same: Vec<&str> = self
                .level
                .map(|l| {
                    [("NDR", l.ndr.target, n.ndr_target), ("GRR", l.grr.target, n.grr_target)]
                        .into_iter()
                        .filter(|(_, own, next)| (own - next).abs() < 1e-9)
                        .map(|(name, _, _)| name)
                        .collect()
                })
                .unwrap_or_default();
            let own = self.level.map(|l| l.name.as_str()).unwrap_or_default();
            let note = match same.as_slice() {
                [] => None,
                [one] => Some(format!("{one}: on {own}'s line")),
                _ => Some(format!("on {own}'s lines")),
            };
            entries.push((Swatch::Dashed(INK), format!("{} target", n.level), note));
        }
        for (series, color, above) in [(&ndr, NDR, true), (&grr, GRR, false)] {
            chart.draw_series(LineSeries::new(series.iter().copied(), color.stroke_width(px(3))))?;
            chart.draw_series(series.iter().map(|p| Circle::new(*p, px(4), color.filled())))?;
            // NDR is never below GRR, so NDR's labels go above its points and GRR's below.
            let (vpos, dy) = if above { (VPos::Bottom, offset(-8)) } else { (VPos::Top, offset(8)) };
            let style = text(11).color(&color).pos(Pos::new(HPos::Center, vpos));
            chart.draw_series(
                series
                    .iter()
                    .map(|&(x, y)| EmptyElement::at((x, y)) + Text::new(label_percent(y), (0, dy), style.clone())),
            )?;
        }
        legend(&legend_area, &entries)?;
        Ok(())
    }
}
