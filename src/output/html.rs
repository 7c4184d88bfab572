//! The HTML views: an advisor's page and the team index, each one self-contained file (inline
//! CSS, inline SVG charts, no network) filled from templates compiled into the binary. Every
//! string from the inputs goes through [`escape`].

use std::fmt::Write;

use crate::format::score;
use crate::model::{Renewal, RenewalTotals};
use crate::model::{Report, Scorecard, Status};
use crate::output::chart::RenderedChart;
use crate::output::view;

pub(crate) const STYLE: &str = include_str!("templates/style.css");
const ADVISOR: &str = include_str!("templates/advisor.html");
const INDEX: &str = include_str!("templates/index.html");
const SORT_SCRIPT: &str = include_str!("templates/sort.js");

/// Text safe anywhere in HTML, attributes included.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Replaces each `{{key}}` of the template with its (already escaped) fragment, in one pass over
/// the template, so text inside a fragment is never read as a placeholder.
fn fill(template: &str, fragments: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + fragments.iter().map(|f| f.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let key = &after[..close];
        match fragments.iter().find(|(k, _)| *k == key) {
            Some((_, fragment)) => out.push_str(fragment),
            None => debug_assert!(false, "template placeholder {{{{{key}}}}} has no fragment"),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Meets => "meets",
        Status::Near => "near",
        Status::Below => "below",
        Status::NotApplicable => "na",
    }
}

pub(crate) fn table<const N: usize>(header: [&str; N], rows: &[[String; N]], numeric: &[usize]) -> String {
    let class = |i: usize| if numeric.contains(&i) { " class=\"num\"" } else { "" };
    // In a box of its own that scrolls sideways when the screen is narrow, so the page never does.
    let mut out = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>");
    out
}

/// Points as a bulleted list.
pub(crate) fn list(points: &[String]) -> String {
    let items: String = points.iter().map(|p| format!("<li>{}</li>", escape(p))).collect();
    format!("<ul>{items}</ul>")
}

fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

/// `advisors/<slug>.html`.
pub(crate) fn advisor(report: &Report, card: &Scorecard, charts: &[RenderedChart]) -> String {
    let level = view::level_of(report, card.level.as_deref());
    let badges: String = view::badges(card, level, report.basis)
        .into_iter()
        .map(|b| {
            let class = status_class(b.status);
            format!(
                "<div class=\"badge status-{class}\"><div class=\"name\">{}</div><div class=\"value\">{}</div>\
                 <div class=\"target\">target {} · near band {}</div><span class=\"status status-{class}\">{}</span></div>",
                escape(b.name),
                escape(&b.value),
                escape(&b.target),
                escape(&b.band),
                escape(b.status.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let gaps = view::gap_lines(card);
    let gaps = if gaps.is_empty() {
        String::new()
    } else {
        let items: String = gaps.iter().map(|g| format!("<li>{}</li>", escape(g))).collect();
        format!("<h2>To reach the target</h2>\n<ul class=\"gaps\">{items}</ul>")
    };
    let caveats: String = card
        .caveats
        .iter()
        .map(|c| format!("<p class=\"caveat\"><strong>Caveat:</strong> {}</p>", escape(c)))
        .collect();
    let mut trend = table(view::TREND_COLUMNS, &view::trend_rows(card, report.basis), &[1, 2, 3]);
    if let Some(summary) = view::transfers_summary(card) {
        let _ = write!(
            trend,
            "\n<h2>Hand-overs</h2>\n<p>{}.</p>\n{}",
            escape(&summary),
            table(view::TRANSFER_COLUMNS, &view::transfer_rows(card), &[3])
        );
    }
    if let Some(note) = view::health_history_note(report) {
        let _ = write!(trend, "\n<p class=\"note\">Health: {}.</p>", escape(note));
    }
    let charts_html: String = charts
        .iter()
        .map(|c| {
            format!(
                "<figure data-chart=\"{}\" role=\"img\" aria-label=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                c.name,
                escape(&c.title),
                strip_xml_declaration(&c.svg),
                escape(&c.title)
            )
        })
        .collect();
    let mut levels = String::new();
    for (heading, l) in [("expects", level), ("expects (next level)", view::next_level_of(report, card))] {
        if let Some(l) = l {
            let _ = write!(levels, "<div><h3>What {} {heading}</h3>{}<dl>", escape(&l.name), paragraph(&l.scope));
            for (area, points) in l.behaviours.categories() {
                let _ = write!(levels, "<dt>{area}</dt><dd>{}</dd>", list(points));
            }
            levels.push_str("</dl></div>\n");
        }
    }
    if levels.is_empty() {
        levels = paragraph("No level: this book is not on the roster.");
    }
    let readiness_rows = view::readiness_rows(card);
    let mut readiness =
        if readiness_rows.is_empty() { String::new() } else { table(view::READINESS_COLUMNS, &readiness_rows, &[]) };
    if !report.framework_rules.is_empty() {
        let _ = write!(readiness, "\n<h3>{}</h3>\n{}", view::RULES_HEADING, list(&report.framework_rules));
    }
    let movers = view::mover_rows(card);
    let movers = if movers.is_empty() {
        paragraph("No cohort account expanded, contracted or churned in the window.")
    } else {
        table(view::MOVER_COLUMNS, &movers, &[2, 3, 4])
    };
    let risks = view::risk_rows(card);
    let risks = match card.health_min {
        None => paragraph("No level, so no health minimum to compare with."),
        Some(min) if risks.is_empty() => {
            paragraph(&format!("No active account scores below the minimum of {}.", score(Some(min))))
        }
        Some(min) => {
            paragraph(&format!("Active accounts with health below {}, largest ARR first.", score(Some(min))))
                + &table(view::RISK_COLUMNS, &risks, &[1, 2])
        }
    };
    fill(
        ADVISOR,
        &[
            ("title", escape(&format!("{} — scorecard {}", card.advisor, card.quarter))),
            ("style", STYLE.to_string()),
            ("heading", escape(&format!("{} — scorecard {}", card.advisor, card.quarter))),
            ("header", escape(&view::header_line(card, level))),
            ("badges", badges),
            ("basis", escape(&view::basis_line(card, report.basis))),
            ("overall_class", status_class(card.overall_status).into()),
            ("overall", escape(&view::overall(card))),
            ("summary", escape(&view::book_summary(card, level))),
            ("gaps", gaps),
            ("next_quarter_heading", escape(&view::forecast::next_quarter_heading(report))),
            ("next_quarter", next_quarter_html(report, card)),
            ("caveats", caveats),
            ("trend", trend),
            ("charts", charts_html),
            ("levels", levels),
            ("readiness_summary", escape(&view::readiness_summary(report, card))),
            ("readiness", readiness),
            ("movers", movers),
            (
                "renewals",
                renewals_html(&card.renewal_totals, &card.currency, Some(&card.renewals.iter().collect::<Vec<_>>())),
            ),
            ("risks", risks),
            ("definitions", definitions_html(report)),
        ],
    )
}

/// The "How these numbers are computed" section, and the line naming the quarter, the version and
/// the inputs' fingerprints.
fn definitions_html(report: &Report) -> String {
    let items: String = view::definitions(report).iter().map(|d| format!("<li>{}</li>", escape(d))).collect();
    format!(
        "<h2>{}</h2>\n<ul class=\"definitions\">{items}</ul>\n<p class=\"sub\">{}</p>",
        escape(view::DEFINITIONS_HEADING),
        escape(&report.inputs.footer(&report.quarter))
    )
}

/// The quarter ahead: the sentences as a list, the renewals that decide it, what it assumes.
fn next_quarter_html(report: &Report, card: &Scorecard) -> String {
    let items: String =
        view::forecast::next_quarter_lines(report, card).iter().map(|l| format!("<li>{}</li>", escape(l))).collect();
    let mut out = format!("<ul>{items}</ul>\n");
    let renewals = view::forecast::renewal_rows(card);
    if !renewals.is_empty() {
        out.push_str(&paragraph("The renewals that decide it:"));
        out.push_str(&table(view::forecast::RENEWAL_COLUMNS, &renewals, &[2, 3, 4, 5]));
    }
    out.push_str(&format!("<p class=\"sub\">{}</p>", escape(&view::forecast::assumptions(report))));
    out
}

/// plotters writes a standalone SVG document; inline, only the `<svg>` element belongs.
fn strip_xml_declaration(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |at| &svg[at..])
}

/// Renewals by health band, with the accounts `listed` on an advisor's page.
fn renewals_html(totals: &RenewalTotals, currency: &str, listed: Option<&[&Renewal]>) -> String {
    match (view::renewal_summary(totals, currency), listed) {
        (None, _) => paragraph("No active account renews in the next two quarters."),
        (Some(summary), Some(renewals)) => {
            let rows = view::renewal_rows(renewals, currency);
            format!("{}\n{}", paragraph(&format!("{summary}.")), table(view::RENEWAL_COLUMNS, &rows, &[2, 3]))
        }
        (Some(summary), None) => paragraph(&format!("Across the team: {summary}.")),
    }
}

/// One cell of the advisors table: the text, a status chip that keeps its word, the detail.
fn index_cell(cell: &view::IndexCell, column: &view::IndexColumn, link: Option<&str>) -> String {
    // Cells stay on one line (the table scrolls) unless their column wraps.
    let class = match (column.numeric, column.wraps) {
        (true, _) => " class=\"num\"",
        (false, true) => " class=\"wrap\"",
        (false, false) => "",
    };
    let mut shown = match link {
        Some(href) => format!("<a href=\"{href}\">{}</a>", escape(&cell.text)),
        None => escape(&cell.text),
    };
    if let Some(status) = cell.status {
        if !shown.is_empty() {
            shown.push(' ');
        }
        let _ = write!(shown, "<span class=\"status status-{}\">{}</span>", status_class(status), status.as_str());
    }
    if let Some(detail) = &cell.detail {
        let _ = write!(shown, " <span class=\"detail\">{}</span>", escape(detail));
    }
    format!("<td{class} data-value=\"{}\">{shown}</td>", escape(&cell.key))
}

/// `index.html`: the team at a glance with the roll-ups, then the advisors (sortable, filtered by
/// manager with scripts, grouped by manager without), renewals and data-quality warnings.
pub(crate) fn index(report: &Report, slugs: &[String]) -> String {
    let columns = view::index_columns(report);
    let head: String = columns
        .iter()
        .map(|c| {
            let (kind, class) = if c.numeric { ("number", " class=\"num\"") } else { ("text", "") };
            format!("<th data-sort=\"{kind}\"{class} scope=\"col\">{}</th>", escape(c.name))
        })
        .collect();
    let mut rows = String::new();
    let mut options = String::new();
    for (manager, members) in view::by_manager(report) {
        let name = manager.unwrap_or("no manager");
        let _ = writeln!(
            rows,
            "<tbody data-manager=\"{name}\"><tr class=\"group\"><th colspan=\"{}\" scope=\"rowgroup\">{}</th></tr>",
            columns.len(),
            escape(&view::group_heading(manager, members.len())),
            name = escape(name),
        );
        let _ = write!(options, "<option value=\"{0}\">{0}</option>", escape(name));
        for i in members {
            let (card, slug) = (&report.scorecards[i], &slugs[i]);
            let cells: String = view::index_cells(report, card)
                .iter()
                .zip(&columns)
                .enumerate()
                .map(|(at, (cell, column))| {
                    let link = (at == 0).then(|| format!("advisors/{slug}.html"));
                    index_cell(cell, column, link.as_deref())
                })
                .collect();
            let _ = writeln!(rows, "<tr>{cells}</tr>");
        }
        rows.push_str("</tbody>\n");
    }
    let rollups: Vec<[String; 9]> = report.rollups.iter().map(|r| view::rollup_row(report, r)).collect();
    let mut warnings = if report.warnings.is_empty() {
        paragraph("No warnings.")
    } else {
        let items: String = report.warnings.iter().map(|w| format!("<li>{}</li>", escape(w))).collect();
        format!("<ul>{items}</ul>")
    };
    if !report.notes.is_empty() {
        let items: String = report.notes.iter().map(|n| format!("<li>{}</li>", escape(n))).collect();
        warnings.push_str(&format!("<p>Read beyond the plain formats:</p><ul>{items}</ul>"));
    }
    fill(
        INDEX,
        &[
            ("title", escape(&format!("Team scorecards {}", report.quarter))),
            ("style", STYLE.to_string()),
            (
                "subtitle",
                escape(&format!(
                    "As of {}, {}-month window; data from {} to {}.",
                    report.as_of_month, report.window_months, report.data_first_month, report.data_last_month
                )),
            ),
            ("head", head),
            ("rows", rows),
            ("summary", {
                let items: String =
                    view::summary_lines(report).iter().map(|l| format!("<li>{}</li>", escape(l))).collect();
                format!("<ul>{items}</ul>")
            }),
            ("rollups", table(view::ROLLUP_COLUMNS, &rollups, &[1, 3, 4, 5, 6, 7, 8])),
            ("managers", options),
            ("warnings", warnings),
            ("renewals", renewals_html(&report.team_summary.renewals, &report.currency, None)),
            ("script", SORT_SCRIPT.to_string()),
            ("definitions", definitions_html(report)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_never_reads_a_fragment_as_a_placeholder() {
        let filled = fill("<h1>{{a}}</h1>{{b}}", &[("a", "{{b}}".into()), ("b", "x".into())]);
        assert_eq!(filled, "<h1>{{b}}</h1>x");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("<script>alert('x&y')</script>"), "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;");
        assert_eq!(escape("\"a\""), "&quot;a&quot;");
    }
}
