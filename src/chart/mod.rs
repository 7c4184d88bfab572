//! Charts drawn with plotters: size, font and palette set once here, one file per chart. Every
//! chart draws on any backend, so the same code gives the SVG inlined in pages and the PNG
//! (with the embedded DejaVu Sans, no system fonts) that Markdown links to.

mod bridge;
mod health;
mod mix;
mod trend;

use std::ops::Range;
use std::sync::Once;

use anyhow::Context;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::model::{Report, Scorecard};

pub(crate) const WIDTH: u32 = 720;
pub(crate) const HEIGHT: u32 = 340;

pub(crate) const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

// The palette; statuses are never told by colour alone (pages write them in words too).
pub(crate) const INK: RGBColor = RGBColor(0x26, 0x32, 0x38);
pub(crate) const MUTED: RGBColor = RGBColor(0x90, 0xa4, 0xae);
pub(crate) const NDR: RGBColor = RGBColor(0x15, 0x65, 0xc0);
pub(crate) const GRR: RGBColor = RGBColor(0x6a, 0x1b, 0x9a);
pub(crate) const GOOD: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
pub(crate) const WARN: RGBColor = RGBColor(0xef, 0x9a, 0x00);
pub(crate) const BAD: RGBColor = RGBColor(0xc6, 0x28, 0x28);
pub(crate) const PRIMARY: RGBColor = RGBColor(0x15, 0x65, 0xc0);
pub(crate) const SECONDARY: RGBColor = RGBColor(0x90, 0xca, 0xf9);

/// A chart of one scorecard.
pub(crate) trait Chart {
    /// File stem, e.g. `trend` for `trend.svg` and `trend.png`.
    fn name(&self) -> &'static str;
    /// What the chart shows, used as its caption and alt text.
    fn title(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>
    where
        DB::ErrorType: 'static;
}

/// A chart rendered both ways.
pub(crate) struct RenderedChart {
    pub(crate) name: &'static str,
    pub(crate) title: String,
    pub(crate) svg: String,
    pub(crate) png: Vec<u8>,
}

/// The four charts of an advisor's page.
pub(crate) fn advisor_charts(card: &Scorecard, report: &Report) -> anyhow::Result<Vec<RenderedChart>> {
    let level = card.level.as_deref().and_then(|name| report.levels.iter().find(|l| l.name == name));
    Ok(vec![
        render(&trend::Trend { card, level })?,
        render(&bridge::Bridge { card })?,
        render(&mix::Mix { card, level })?,
        render(&health::Health { card })?,
    ])
}

fn render(chart: &impl Chart) -> anyhow::Result<RenderedChart> {
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root).with_context(|| format!("drawing the {} chart", chart.name()))?;
        root.present()?;
    }
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root).with_context(|| format!("drawing the {} chart", chart.name()))?;
        root.present()?;
    }
    Ok(RenderedChart { name: chart.name(), title: chart.title(), svg, png: encode_png(&pixels)? })
}

fn encode_png(rgb: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(rgb)?;
    Ok(bytes)
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse; a failure would show as missing text.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// "No data" in the middle of an empty chart, so a chart is never blank.
pub(crate) fn no_data<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, why: &str) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    root.draw(&Text::new(title.to_string(), (16, 12), text(18)))?;
    let style = text(15).color(&MUTED).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Center,
    ));
    root.draw(&Text::new(why.to_string(), ((WIDTH / 2) as i32, (HEIGHT / 2) as i32), style))?;
    Ok(())
}

/// A chart's frame: its caption, the ranges of both axes and how their labels read.
pub(crate) struct Axes<'f> {
    pub(crate) caption: String,
    pub(crate) x: Range<f64>,
    pub(crate) y: Range<f64>,
    /// Room left of the plot for the y labels, in pixels.
    pub(crate) y_label_width: u32,
    /// How many x labels the mesh asks for (categories: one per category).
    pub(crate) x_labels: usize,
    pub(crate) x_label: &'f dyn Fn(&f64) -> String,
    pub(crate) y_label: &'f dyn Fn(&f64) -> String,
    /// The y axis's title, if it has one.
    pub(crate) y_desc: Option<&'f str>,
}

/// The chart area every chart draws on: caption, margins, label areas and a mesh with
/// horizontal guide lines only, in the charts' font. The one place the frame is set up.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    axes: Axes,
) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(root)
        .caption(axes.caption, text(18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(axes.y_label_width)
        .build_cartesian_2d(axes.x, axes.y)?;
    let mut mesh = chart.configure_mesh();
    mesh.max_light_lines(0)
        .disable_x_mesh()
        .x_labels(axes.x_labels)
        .x_label_formatter(axes.x_label)
        .y_label_formatter(axes.y_label)
        .label_style(text(12));
    if let Some(desc) = axes.y_desc {
        mesh.y_desc(desc);
    }
    mesh.draw()?;
    Ok(chart)
}

/// The label of category `x` when `x` is (nearly) a whole index into `labels`.
pub(crate) fn category(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}
