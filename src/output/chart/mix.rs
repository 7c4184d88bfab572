//! The book mix: active ARR by tier (segment × band), the level's primary tiers highlighted and
//! the primary share written on the chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{cartesian, categories, category, legend, no_data, offset, text, with_legend, Axes, Chart, Swatch};
use super::{MUTED, PRIMARY, SECONDARY};
use crate::domain::targets::Level;
use crate::format::{short_amount, whole_percent};
use crate::model::Scorecard;

pub(crate) struct Mix<'a> {
    pub(crate) card: &'a Scorecard,
    pub(crate) level: Option<&'a Level>,
}

impl Chart for Mix<'_> {
    fn name(&self) -> &'static str {
        "mix"
    }

    fn title(&self) -> String {
        "Book mix: active ARR by tier, the level's primary tiers highlighted".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        if self.card.tiers.is_empty() {
            return no_data(root, "Book mix", "No active accounts at the quarter end");
        }
        // Tiers from the smallest segment to the largest, under the band before over it.
        let mut tiers: Vec<_> = self.card.tiers.iter().collect();
        tiers.sort_by_key(|t| (t.segment, t.band_kind));
        let labels: Vec<String> = tiers.iter().map(|t| t.tier.clone()).collect();
        let top = tiers.iter().map(|t| t.arr).fold(0.0, f64::max) * 1.25;
        let caption = match (self.card.primary_scope_share, self.level) {
            (Some(share), Some(level)) => format!(
                "Book mix: {} in primary tiers (level expects {})",
                whole_percent(share),
                whole_percent(level.primary_min_share)
            ),
            _ => "Book mix".to_string(),
        };
        let (plot, legend_area) = with_legend(root, 130);
        let mut chart = cartesian(
            &plot,
            Axes {
                caption,
                x: -0.5..tiers.len() as f64 - 0.5,
                y: 0.0..top.max(1.0),
                y_label_width: 62,
                x_keys: categories(tiers.len()),
                y_keys: None,
                x_label: &|x| category(&labels, *x),
                y_label: &|y| short_amount(*y, &self.card.currency),
                y_desc: None,
            },
        )?;
        chart.draw_series(tiers.iter().enumerate().map(|(i, t)| {
            let color = if t.primary {
                PRIMARY
            } else if t.secondary {
                SECONDARY
            } else {
                MUTED
            };
            Rectangle::new([(i as f64 - 0.32, 0.0), (i as f64 + 0.32, t.arr)], color.filled())
        }))?;
        // Amount and share on two short lines, so neighbouring bars' labels never meet.
        let style = text(11).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(tiers.iter().enumerate().map(|(i, t)| {
            EmptyElement::at((i as f64, t.arr))
                + Text::new(short_amount(t.arr, &self.card.currency), (0, offset(-16)), style.clone())
                + Text::new(whole_percent(t.share), (0, offset(-3)), style.clone())
        }))?;
        let mut entries = Vec::new();
        if tiers.iter().any(|t| t.primary) {
            entries.push((Swatch::Bar(PRIMARY), "primary tiers".to_string(), None));
        }
        if tiers.iter().any(|t| t.secondary) {
            entries.push((Swatch::Bar(SECONDARY), "secondary tiers".to_string(), None));
        }
        if tiers.iter().any(|t| !t.primary && !t.secondary) {
            entries.push((Swatch::Bar(MUTED), "other tiers".to_string(), None));
        }
        legend(&legend_area, &entries)?;
        Ok(())
    }
}
