//! The outputs: each format is a view of the [`crate::model::Report`] that returns bytes
//! ([`chart`] draws the charts the pages show); writing them is [`mod@write`]'s job. An output
//! imports the model, the domain and `format` only, never a stage.

pub(crate) mod chart;
pub(crate) mod csv;
pub(crate) mod framework;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod parquet;
pub(crate) mod plan;
pub(crate) mod rows;
pub(crate) mod slug;
pub(crate) mod table;
pub(crate) mod terminal;
pub(crate) mod view;
pub(crate) mod write;
pub(crate) mod xlsx;

use std::io::IsTerminal;

use rayon::prelude::*;

use crate::domain::modes::OwnershipMode;
use crate::model::Report;

/// An output format `--format` can pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// scorecards.csv, accounts.csv and forecast.csv (with transfers.csv given ownership history)
    Csv,
    /// scorecards.json
    Json,
    /// index.md and `advisors/<name>.md` with PNG charts
    Md,
    /// index.html and `advisors/<name>.html` with inline SVG charts
    Html,
    /// scorecards.xlsx: scorecards, accounts, trend and roll-ups as typed numbers
    Xlsx,
    /// scorecards.parquet, accounts.parquet and forecast.parquet (with transfers.parquet given
    /// ownership history): the CSVs' rows with typed columns; not in the default set
    Parquet,
}

/// A rendered output file, relative to the output folder.
pub struct Rendered {
    pub(crate) path: String,
    pub(crate) bytes: Vec<u8>,
}

/// Above this many advisors a progress bar shows while pages render (on a terminal).
const PROGRESS_AFTER: usize = 8;

/// Where each rendered file goes as soon as it is made, from any thread.
pub type Sink<'a> = &'a (dyn Fn(Rendered) -> anyhow::Result<()> + Sync);

/// Every file of the chosen formats.
pub fn render_all(report: &Report, formats: &[Format]) -> anyhow::Result<Vec<Rendered>> {
    let files = std::sync::Mutex::new(Vec::new());
    render_each(report, formats, &|file| {
        files.lock().map_err(|_| anyhow::anyhow!("a rendering thread failed"))?.push(file);
        Ok(())
    })?;
    let mut files = files.into_inner().map_err(|_| anyhow::anyhow!("a rendering thread failed"))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every file of the chosen formats, each handed to `sink` as it is rendered, so a big book's
/// pages are written while the next are drawn and never held all at once.
pub fn render_each(report: &Report, formats: &[Format], sink: Sink) -> anyhow::Result<()> {
    let has = |f: Format| formats.contains(&f);
    // The data files and the pages are rendered side by side: a big book's workbook is written by
    // one thread, and the pages keep the other cores busy meanwhile.
    let (data, pages) =
        rayon::join(|| data_files(report, formats, sink), || pages(report, has(Format::Md), has(Format::Html), sink));
    data?;
    pages
}

/// scorecards.csv, accounts.csv, forecast.csv, transfers.csv, scorecards.json and
/// scorecards.xlsx, as chosen.
fn data_files(report: &Report, formats: &[Format], sink: Sink) -> anyhow::Result<()> {
    let has = |f: Format| formats.contains(&f);
    // The data files are independent and each is large for a big book: written side by side.
    type Writer = fn(&Report) -> anyhow::Result<Vec<u8>>;
    let data: [(Format, &str, Writer); 8] = [
        (Format::Csv, "scorecards.csv", csv::scorecards),
        (Format::Csv, "accounts.csv", csv::accounts),
        (Format::Csv, "forecast.csv", csv::forecast),
        (Format::Json, "scorecards.json", json::report),
        (Format::Xlsx, "scorecards.xlsx", xlsx::workbook),
        (Format::Parquet, "scorecards.parquet", parquet::scorecards),
        (Format::Parquet, "accounts.parquet", parquet::accounts),
        (Format::Parquet, "forecast.parquet", parquet::forecast),
    ];
    let forecast = report.forecast.unavailable.is_none();
    data.par_iter()
        .filter(|(format, ..)| has(*format))
        .filter(|(_, path, _)| *path != "forecast.parquet" || forecast)
        .try_for_each(|(_, path, write)| sink(Rendered { path: path.to_string(), bytes: write(report)? }))?;
    if has(Format::Csv) && report.ownership == OwnershipMode::History {
        sink(Rendered { path: "transfers.csv".into(), bytes: csv::transfers(report)? })?;
    }
    if has(Format::Parquet) && report.ownership == OwnershipMode::History {
        sink(Rendered { path: "transfers.parquet".into(), bytes: parquet::transfers(report)? })?;
    }
    Ok(())
}

/// The indexes and every advisor's page, as chosen.
fn pages(report: &Report, md: bool, html: bool, sink: Sink) -> anyhow::Result<()> {
    if md || html {
        let slugs = slug::assign(report.scorecards.iter().map(|s| s.advisor.as_str()));
        if md {
            sink(Rendered { path: "index.md".into(), bytes: markdown::index(report, &slugs).into_bytes() })?;
        }
        if html {
            sink(Rendered { path: "index.html".into(), bytes: html::index(report, &slugs).into_bytes() })?;
        }
        advisor_pages(report, &slugs, md, html, sink)?;
    }
    Ok(())
}

/// Each advisor's page and charts, rendered in parallel across cores.
fn advisor_pages(report: &Report, slugs: &[String], md: bool, html: bool, sink: Sink) -> anyhow::Result<()> {
    let progress = if report.scorecards.len() > PROGRESS_AFTER && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(report.scorecards.len() as u64).with_message("rendering pages")
    } else {
        indicatif::ProgressBar::hidden()
    };
    report.scorecards.par_iter().zip(slugs).try_for_each(|(card, slug)| {
        let charts = chart::advisor_charts(card, report, md)?;
        if html {
            sink(Rendered {
                path: format!("advisors/{slug}.html"),
                bytes: html::advisor(report, card, &charts).into_bytes(),
            })?;
        }
        if md {
            let page = markdown::advisor(report, card, slug, &charts);
            sink(Rendered { path: format!("advisors/{slug}.md"), bytes: page.into_bytes() })?;
            // The page is made: each chart's bytes go to their files without a copy.
            for c in charts {
                if let Some(png) = c.png {
                    sink(Rendered { path: format!("advisors/{slug}/{}.png", c.name), bytes: png })?;
                }
                sink(Rendered { path: format!("advisors/{slug}/{}.svg", c.name), bytes: c.svg.into_bytes() })?;
            }
        }
        progress.inc(1);
        anyhow::Ok(())
    })?;
    progress.finish_and_clear();
    Ok(())
}
