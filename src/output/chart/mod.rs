//! Charts drawn with plotters: size, font and palette set once here, one file per chart. Every
//! chart draws on any backend, so the same code gives the SVG inlined in pages and the PNG
//! (with the embedded DejaVu Sans, no system fonts) that Markdown links to. Charts measure in
//! [`px`], so the PNG draws the same chart at twice the size for review documents.

mod bridge;
mod health;
mod mix;
mod outlook;
mod trend;

use std::cell::Cell;
use std::ops::Range;
use std::sync::Once;

use anyhow::Context;
use plotters::coord::ranged1d::{BoldPoints, DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::model::{Report, Scorecard};

/// The size of a chart in CSS pixels; the PNG has [`PNG_SCALE`] times as many in each direction.
pub(crate) const WIDTH: u32 = 720;
pub(crate) const HEIGHT: u32 = 340;
/// PNGs are for review documents: 1,440 pixels wide, sharp when scaled down.
const PNG_SCALE: u32 = 2;

thread_local! {
    /// Device pixels per chart pixel while a chart draws: 1 for SVG, [`PNG_SCALE`] for PNG.
    static SCALE: Cell<u32> = const { Cell::new(1) };
}

/// `n` chart pixels in the pixels of the backend drawing now. Every size in a chart (fonts,
/// margins, strokes, offsets) goes through this, so the PNG is the SVG at twice the size.
pub(crate) fn px(n: u32) -> u32 {
    n * SCALE.with(Cell::get)
}

/// [`px`] for offsets, which may be negative.
pub(crate) fn offset(n: i32) -> i32 {
    n * SCALE.with(Cell::get) as i32
}

/// Draws with `scale` device pixels per chart pixel, then goes back to 1.
fn scaled<T>(scale: u32, draw: impl FnOnce() -> T) -> T {
    SCALE.with(|s| s.set(scale));
    let result = draw();
    SCALE.with(|s| s.set(1));
    result
}

pub(crate) const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

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
    /// The PNG, when asked for (Markdown links it; HTML inlines the SVG).
    pub(crate) png: Option<Vec<u8>>,
}

/// The five charts of an advisor's page, as SVG and, `with_png`, as PNG too: drawing and
/// encoding the PNG is most of a chart's cost, so pages without Markdown skip it.
pub(crate) fn advisor_charts(card: &Scorecard, report: &Report, with_png: bool) -> anyhow::Result<Vec<RenderedChart>> {
    let level = card.level.as_deref().and_then(|name| report.levels.iter().find(|l| l.name == name));
    Ok(vec![
        render(&trend::Trend { card, level }, with_png)?,
        render(&bridge::Bridge { card }, with_png)?,
        render(&mix::Mix { card, level }, with_png)?,
        render(&health::Health { card }, with_png)?,
        render(&outlook::Outlook { card, target_quarter: &report.forecast.target_quarter }, with_png)?,
    ])
}

fn render(chart: &impl Chart, with_png: bool) -> anyhow::Result<RenderedChart> {
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root).with_context(|| format!("drawing the {} chart", chart.name()))?;
        root.present()?;
    }
    let png = if with_png { Some(png(chart)?) } else { None };
    Ok(RenderedChart { name: chart.name(), title: chart.title(), svg, png })
}

/// `chart` drawn at [`PNG_SCALE`] and encoded as PNG.
fn png(chart: &impl Chart) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE);
    // White from the start: the same pixels as filling the area white, in one pass not two.
    let mut pixels = vec![u8::MAX; (width * height * 3) as usize];
    scaled(PNG_SCALE, || -> anyhow::Result<()> {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw(&root).with_context(|| format!("drawing the {} chart", chart.name()))?;
        root.present()?;
        Ok(())
    })?;
    encode_png(&pixels, width, height)
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
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

/// The charts' font at `size` chart pixels.
pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FONT, px(size)).into_font().color(&INK)
}

/// "No data" in the middle of an empty chart, so a chart is never blank.
pub(crate) fn no_data<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, why: &str) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    root.draw(&Text::new(title.to_string(), (offset(16), offset(12)), text(18)))?;
    let style = text(15).color(&MUTED).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Center,
    ));
    let (width, height) = root.dim_in_pixel();
    root.draw(&Text::new(why.to_string(), ((width / 2) as i32, (height / 2) as i32), style))?;
    Ok(())
}

/// A chart's frame: its caption, the ranges of both axes and how their labels read.
pub(crate) struct Axes<'f> {
    pub(crate) caption: String,
    pub(crate) x: Range<f64>,
    pub(crate) y: Range<f64>,
    /// Room left of the plot for the y labels, in pixels.
    pub(crate) y_label_width: u32,
    /// Where the x axis has a tick and a label: one per category, never an empty one.
    pub(crate) x_keys: Vec<f64>,
    /// Where the y axis has them; none lets plotters choose round values.
    pub(crate) y_keys: Option<Vec<f64>>,
    pub(crate) x_label: &'f dyn Fn(&f64) -> String,
    pub(crate) y_label: &'f dyn Fn(&f64) -> String,
    /// The y axis's title, if it has one.
    pub(crate) y_desc: Option<&'f str>,
}

/// A chart axis with a tick and a label exactly at each of its keys. (plotters'
/// `WithKeyPoints` does the same but has no value formatter, so a mesh cannot draw it.)
pub(crate) struct Axis {
    inner: RangedCoordf64,
    keys: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _: Hint) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

fn axis(range: Range<f64>, keys: Vec<f64>) -> Axis {
    Axis { inner: range.into(), keys }
}

/// The chart area every chart draws on: caption, margins, label areas and a mesh with
/// horizontal guide lines only, in the charts' font. The one place the frame is set up.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    axes: Axes,
) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<Axis, Axis>>>
where
    DB::ErrorType: 'static,
{
    let y_keys = axes.y_keys.unwrap_or_else(|| round_values(axes.y.clone()));
    let (x_count, y_count) = (axes.x_keys.len(), y_keys.len());
    let mut chart = ChartBuilder::on(root)
        .caption(axes.caption, text(18))
        .margin(px(12))
        .x_label_area_size(px(30))
        .y_label_area_size(px(axes.y_label_width))
        .build_cartesian_2d(axis(axes.x, axes.x_keys), axis(axes.y, y_keys))?;
    let mut mesh = chart.configure_mesh();
    mesh.max_light_lines(0)
        .disable_x_mesh()
        .x_labels(x_count)
        .y_labels(y_count)
        .x_label_formatter(axes.x_label)
        .y_label_formatter(axes.y_label)
        .label_style(text(12));
    if let Some(desc) = axes.y_desc {
        mesh.y_desc(desc);
    }
    mesh.draw()?;
    Ok(chart)
}

/// The round values plotters would put on an axis over `range` (about ten of them).
fn round_values(range: Range<f64>) -> Vec<f64> {
    RangedCoordf64::from(range).key_points(BoldPoints(10))
}

/// One per category: 0, 1, … `count − 1`.
pub(crate) fn categories(count: usize) -> Vec<f64> {
    (0..count).map(|i| i as f64).collect()
}

/// What a legend entry draws before its words.
pub(crate) enum Swatch {
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Band(RGBColor),
    Bar(RGBColor),
}

/// A legend down the left of `area`, one entry per line, each with an optional second line in
/// muted text: drawn beside the plot, never over it.
pub(crate) fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Swatch, String, Option<String>)],
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let (x, swatch_width) = (offset(6), offset(22));
    let mut y = offset(56);
    for (swatch, words, more) in entries {
        let (left, right) = (x, x + swatch_width);
        match swatch {
            Swatch::Line(color, width) => {
                area.draw(&PathElement::new(vec![(left, y), (right, y)], color.stroke_width(px(*width))))?
            }
            Swatch::Dashed(color) => area.draw(&plotters::element::DashedPathElement::new(
                vec![(left, y), (right, y)],
                px(5),
                px(3),
                color.stroke_width(px(2)),
            ))?,
            Swatch::Band(color) => {
                area.draw(&Rectangle::new([(left, y - offset(6)), (right, y + offset(6))], color.mix(0.18).filled()))?
            }
            Swatch::Bar(color) => {
                area.draw(&Rectangle::new([(left, y - offset(6)), (right, y + offset(6))], color.filled()))?
            }
        }
        let style = text(12).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw(&Text::new(words.clone(), (right + offset(6), y), style.clone()))?;
        y += offset(20);
        if let Some(more) = more {
            area.draw(&Text::new(more.clone(), (right + offset(6), y - offset(5)), style.color(&MUTED)))?;
            y += offset(16);
        }
    }
    Ok(())
}

/// The plot and, right of it, a strip of `legend_width` chart pixels for the legend.
#[allow(clippy::type_complexity)]
pub(crate) fn with_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend_width: u32,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = root.dim_in_pixel().0;
    root.split_horizontally(width.saturating_sub(px(legend_width)))
}

/// The label of category `x` when `x` is (nearly) a whole index into `labels`.
pub(crate) fn category(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}
