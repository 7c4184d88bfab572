//! The ARR bridge as a waterfall: start → + expansion → − contraction → − churn → end, with new
//! ARR beside it (new logos are not part of NDR). With accounts in other currencies and rates
//! that moved, the start is shown at the window's start rates and an "exchange rates" bar takes
//! it to the constant-currency start (SPEC §10), so a rate move never reads as expansion. With
//! ownership history, ARR handed in joins the start and ARR handed away leaves after the end.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{cartesian, categories, category, no_data, offset, px, text, Axes, Chart};
use super::{BAD, GOOD, INK, MUTED, NDR, SECONDARY, WARN};
use crate::format::short_amount;
use crate::model::Scorecard;

/// The bar of the exchange-rate impact.
const RATES: &str = "Exchange rates";
/// The bars of the hand-overs (SPEC §9): start ARR that came with accounts handed in, and end
/// ARR of accounts handed away (part of the end, gone from the book).
const HANDED_IN: &str = "Transferred in";
const HANDED_OUT: &str = "Transferred out";

pub(crate) struct Bridge<'a> {
    pub(crate) card: &'a Scorecard,
}

impl Chart for Bridge<'_> {
    fn name(&self) -> &'static str {
        "bridge"
    }

    fn title(&self) -> String {
        "ARR bridge of the cohort over the window, with new ARR beside it".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static,
    {
        let m = &self.card.metrics;
        let (Some(start), Some(expansion), Some(contraction), Some(churn), Some(end), Some(new)) =
            (m.start_arr, m.expansion_arr, m.contraction_arr, m.churned_arr, m.end_arr, m.new_arr)
        else {
            return no_data(root, "ARR bridge", "Not enough history for a window yet");
        };
        if start == 0.0 && new == 0.0 {
            return no_data(root, "ARR bridge", "No ARR at either end of the window");
        }
        // (label, bottom, top, colour, signed amount shown)
        let fx = m.fx_impact_arr.unwrap_or(0.0);
        let (handed_in, handed_out) = (m.transferred_in_arr.unwrap_or(0.0), m.transferred_out_arr.unwrap_or(0.0));
        let after_expansion = start + expansion;
        let after_contraction = after_expansion - contraction;
        // The start the advisor held from the window's start, at its rates; then what came by
        // hand-over and what the rates moved, which together make the cohort's start.
        let own = start - handed_in - fx;
        let mut bars = vec![("Start", 0.0, own, MUTED, own)];
        if handed_in != 0.0 {
            bars.push((HANDED_IN, own, own + handed_in, SECONDARY, handed_in));
        }
        if fx != 0.0 {
            let before = own + handed_in;
            bars.push((RATES, before.min(start), before.max(start), INK, fx));
        }
        bars.extend([
            ("Expansion", start, after_expansion, GOOD, expansion),
            ("Contraction", after_contraction, after_expansion, WARN, -contraction),
            ("Churn", after_contraction - churn, after_contraction, BAD, -churn),
            ("End", 0.0, end, MUTED, end),
        ]);
        if handed_out != 0.0 {
            bars.push((HANDED_OUT, end - handed_out, end, SECONDARY, -handed_out));
        }
        bars.push(("New", 0.0, new, NDR, new));
        let currency = self.card.currency.as_str();
        let labels: Vec<String> = bars.iter().map(|b| b.0.to_string()).collect();
        let top = bars.iter().map(|b| b.2).fold(0.0, f64::max) * 1.15;

        let mut chart = cartesian(
            root,
            Axes {
                caption: "ARR bridge".into(),
                x: -0.5..bars.len() as f64 - 0.5,
                y: 0.0..top.max(1.0),
                y_label_width: 62,
                x_keys: categories(bars.len()),
                y_keys: None,
                x_label: &|x| category(&labels, *x),
                y_label: &|y| short_amount(*y, currency),
                y_desc: None,
            },
        )?;
        chart.draw_series(bars.iter().enumerate().map(|(i, (_, bottom, top, color, _))| {
            let x = i as f64;
            Rectangle::new([(x - 0.32, *bottom), (x + 0.32, *top)], color.filled())
        }))?;
        chart.draw_series(bars.iter().enumerate().map(|(i, (label, _, top, _, amount))| {
            let shown = match *label {
                "Expansion" | "New" | HANDED_IN => format!("+{}", short_amount(*amount, currency)),
                RATES if *amount > 0.0 => format!("+{}", short_amount(*amount, currency)),
                _ => short_amount(*amount, currency),
            };
            let style = text(12).pos(Pos::new(HPos::Center, VPos::Bottom));
            EmptyElement::at((i as f64, *top)) + Text::new(shown, (0, offset(-3)), style)
        }))?;
        // The gap before "New" marks it as outside the bridge.
        let before_new = bars.len() as f64 - 1.5;
        chart.draw_series(DashedLineSeries::new(
            [(before_new, 0.0), (before_new, top)],
            px(4),
            px(4),
            MUTED.stroke_width(px(1)),
        ))?;
        Ok(())
    }
}
