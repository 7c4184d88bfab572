//! The team index's words and figures (HTML and Markdown): the summary first, then a row per
//! advisor, then the roll-ups.

use super::{next_level_of, overall, with_status};
use crate::format::{amount, percent, score};
use crate::model::{HealthBand, Renewal, Report, Rollup, RollupKind, Scorecard, Status};

pub(crate) const INDEX_COLUMNS: [&str; 9] =
    ["advisor", "level", "manager", "NDR", "GRR", "health", "overall", "primary scope", "ready for next"];

/// The index's columns: [`INDEX_COLUMNS`], and the hand-overs with ownership history.
pub(crate) fn index_columns(report: &Report) -> Vec<&'static str> {
    let mut columns = INDEX_COLUMNS.to_vec();
    if report.transfers.is_some() {
        columns.push("transfers");
    }
    columns
}

/// An index row's cells (text, sort key) for [`index_columns`].
pub(crate) fn index_cells(report: &Report, card: &Scorecard) -> Vec<(String, String)> {
    let mut cells = index_row(report, card).to_vec();
    if report.transfers.is_some() {
        let m = &card.metrics;
        let shown = match (m.transferred_in_arr.unwrap_or(0.0), m.transferred_out_arr.unwrap_or(0.0)) {
            (i, o) if i == 0.0 && o == 0.0 => "–".to_string(),
            (i, o) => format!(
                "in {} ({}) · out {} ({})",
                amount(i, &card.currency),
                card.transfers_in.len(),
                amount(o, &card.currency),
                card.transfers_out.len()
            ),
        };
        let moved = m.transferred_in_arr.unwrap_or(0.0) + m.transferred_out_arr.unwrap_or(0.0);
        cells.push((shown, format!("{moved}")));
    }
    cells
}

/// The team at a glance, first on the index: statuses, the team's numbers, who is ready, who
/// needs attention, the ARR at risk at renewal.
pub(crate) fn summary_lines(report: &Report) -> Vec<String> {
    let s = &report.team_summary;
    let advisors = s.meets + s.near + s.below + s.not_applicable;
    let mut lines = vec![format!(
        "{advisors} advisors: {} meet their level, {} near, {} below{}.",
        s.meets,
        s.near,
        s.below,
        if s.not_applicable > 0 { format!(", {} without enough history", s.not_applicable) } else { String::new() }
    )];
    if let Some(team) = report.rollups.iter().find(|r| r.kind == crate::model::RollupKind::Team) {
        let m = &team.metrics;
        lines.push(format!(
            "Team: NDR {}, GRR {}, health {}; {} ARR in {} active accounts.",
            percent(m.ndr),
            percent(m.grr),
            score(m.health_avg),
            amount(m.arr_active.unwrap_or(0.0), &report.currency),
            m.accounts_active.unwrap_or(0)
        ));
    }
    let names = |list: &[String]| if list.is_empty() { "none".to_string() } else { list.join(", ") };
    lines.push(format!("Ready for the next level on performance: {}.", names(&s.promotion_candidates)));
    lines.push(format!("Below their level at this quarter end and the one before: {}.", names(&s.below_twice)));
    let renewals: Vec<&Renewal> = report.scorecards.iter().flat_map(|c| &c.renewals).collect();
    let at_risk: f64 = renewals.iter().filter(|r| r.band == HealthBand::Below).map(|r| r.arr).sum();
    let count = renewals.iter().filter(|r| r.band == HealthBand::Below).count();
    lines.push(format!(
        "ARR at risk: {} in {count} account{} renewing in the next two quarters below their level's health minimum.",
        amount(at_risk, &report.currency),
        if count == 1 { "" } else { "s" }
    ));
    lines
}

/// A team index row: the shown text and a sort key of each column.
pub(crate) fn index_row(report: &Report, card: &Scorecard) -> [(String, String); 9] {
    let m = &card.metrics;
    let key = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_else(|| "-1".into());
    let scope = next_level_of(report, card)
        .zip(card.next_level_scope_share)
        .map(|(next, share)| {
            format!("; {} in its tiers, which expect {}", percent(Some(share)), percent(Some(next.primary_min_share)))
        })
        .unwrap_or_default();
    let ready = match &card.next_level {
        Some(next) if card.next_level_ready => format!("yes on performance ({next}){scope}"),
        Some(next) => format!("no ({next}){scope}"),
        None => "–".into(),
    };
    [
        (card.advisor.clone(), card.advisor.clone()),
        (card.level.clone().unwrap_or_else(|| "–".into()), card.level.clone().unwrap_or_default()),
        (card.manager.clone().unwrap_or_else(|| "–".into()), card.manager.clone().unwrap_or_default()),
        (with_status(percent(m.ndr), card.ndr_status), key(m.ndr)),
        (with_status(percent(m.grr), card.grr_status), key(m.grr)),
        (with_status(score(m.health_avg), card.health_status), key(m.health_avg)),
        (overall(card), status_rank(card.overall_status).to_string()),
        (percent(card.primary_scope_share), key(card.primary_scope_share)),
        (ready.clone(), ready),
    ]
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Below => 0,
        Status::Near => 1,
        Status::Meets => 2,
        Status::NotApplicable => 3,
    }
}

pub(crate) const ROLLUP_COLUMNS: [&str; 8] =
    ["roll-up", "advisors", "active accounts", "active ARR", "NDR", "GRR", "health", "new ARR"];

pub(crate) fn rollup_row(r: &Rollup, currency: &str) -> [String; 8] {
    let m = &r.metrics;
    [
        match r.kind {
            RollupKind::Team => "Whole team".into(),
            RollupKind::Manager => format!("Manager: {}", r.name),
        },
        r.advisors.to_string(),
        m.accounts_active.unwrap_or(0).to_string(),
        amount(m.arr_active.unwrap_or(0.0), currency),
        percent(m.ndr),
        percent(m.grr),
        score(m.health_avg),
        m.new_arr.map(|v| amount(v, currency)).unwrap_or_else(|| "–".into()),
    ]
}
