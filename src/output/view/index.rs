//! The team index's words and figures (HTML and Markdown): the summary first, then a row per
//! advisor, then the roll-ups.

use super::next_level_of;
use crate::domain::modes::OwnershipMode;
use crate::domain::targets::Basis;
use crate::format::{amount, percent, points, score, signed, sort_key, thousands, whole_percent};
use crate::model::{Report, Rollup, RollupKind, Scorecard, Status};

/// One column of the advisors table.
pub(crate) struct IndexColumn {
    pub(crate) name: &'static str,
    /// Right-aligned and sorted as a number.
    pub(crate) numeric: bool,
    /// Its words may wrap; the other columns keep each cell on one line.
    pub(crate) wraps: bool,
}

/// One cell of the advisors table: `text`, then a status chip that keeps its word, then
/// `detail` (a change since the previous quarter end, or why a status is n/a).
#[derive(Debug, PartialEq)]
pub(crate) struct IndexCell {
    pub(crate) text: String,
    /// What the column sorts by.
    pub(crate) key: String,
    /// None where there is nothing to judge (no level, not enough history).
    pub(crate) status: Option<Status>,
    pub(crate) detail: Option<String>,
}

impl IndexCell {
    fn plain(text: String, key: String) -> Self {
        IndexCell { text, key, status: None, detail: None }
    }

    /// The cell as one line of text: `114.6% meets (+2.1 pts)`, `no (IC3); 4.6% in IC3's tiers…`.
    pub(crate) fn line(&self) -> String {
        let mut line = self.text.clone();
        if let Some(status) = self.status {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(status.as_str());
        }
        match &self.detail {
            Some(detail) if line.ends_with(')') => line.push_str(&format!("; {detail}")),
            Some(detail) => line.push_str(&format!(" ({detail})")),
            None => {}
        }
        line
    }
}

/// (name, numeric, wraps); the manager is under the advisor's name, and the groups and the
/// filter are by manager.
const COLUMNS: [(&str, bool, bool); 14] = [
    ("advisor", false, false),
    ("level", false, false),
    ("accounts", true, false),
    ("ARR", true, false),
    ("NDR", true, false),
    ("NDR avg", true, false),
    ("GRR", true, false),
    ("GRR avg", true, false),
    ("health", true, false),
    ("overall", true, false),
    ("scope", true, false),
    ("ready for next", false, true),
    ("expected NDR", true, false),
    ("chance", true, false),
];

/// The advisors table's columns, with the hand-overs once there is ownership history.
pub(crate) fn index_columns(report: &Report) -> Vec<IndexColumn> {
    let mut columns: Vec<IndexColumn> =
        COLUMNS.iter().map(|&(name, numeric, wraps)| IndexColumn { name, numeric, wraps }).collect();
    if report.ownership == OwnershipMode::History {
        columns.push(IndexColumn { name: "transfers", numeric: true, wraps: false });
    }
    columns
}

/// A change since the quarter end before: `−1.4 pts` for ratios, `+0.5` for health, `±0.0`
/// when it rounds to nothing.
pub(crate) fn change(delta: Option<f64>, ratio: bool) -> String {
    let Some(delta) = delta else { return "–".into() };
    let shown = signed(if ratio { delta * 100.0 } else { delta });
    let shown = match shown.as_str() {
        "+0.0" | "-0.0" => "±0.0".to_string(),
        _ => shown.replace('-', "−"),
    };
    if ratio {
        format!("{shown} pts")
    } else {
        shown
    }
}

/// An advisor's row of the table, cell by cell as [`index_columns`].
pub(crate) fn index_cells(report: &Report, card: &Scorecard) -> Vec<IndexCell> {
    let m = &card.metrics;
    // Sort keys to 6 decimals, as the CSV writes them: a sum's last bits vary with the order a
    // parallel run adds it up in, and index.html stays the same from run to run.
    let key = |v: Option<f64>| v.map(|v| sort_key(v + 0.0)).unwrap_or_else(|| "-1".into());
    let judged = |s: Status| (s != Status::NotApplicable).then_some(s);
    let since = card.trend.first().map(|t| t.change).unwrap_or_default();
    let moved = |delta: Option<f64>, ratio: bool| delta.map(|d| change(Some(d), ratio));
    let metric = |text: String, value: Option<f64>, status: Status, detail: Option<String>| IndexCell {
        text,
        key: key(value),
        status: judged(status),
        detail,
    };
    let scope = next_level_of(report, card).zip(card.next_level_scope_share).map(|(next, share)| {
        format!(
            "{} in {}'s tiers, which expect {}",
            percent(Some(share)),
            next.name,
            percent(Some(next.primary_min_share))
        )
    });
    let ready = match &card.next_level {
        Some(next) if card.next_level_ready => format!("yes on performance ({next})"),
        Some(next) => format!("no ({next})"),
        None => "–".into(),
    };
    let text_or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    let on_t12m = |s: Status| if report.basis == Basis::T12m { s } else { Status::NotApplicable };
    let on_average = |s: Status| if report.basis == Basis::Average4 { s } else { Status::NotApplicable };
    let mut cells = vec![
        IndexCell { text: card.advisor.clone(), key: card.advisor.clone(), status: None, detail: card.manager.clone() },
        IndexCell::plain(text_or_dash(&card.level), card.level.clone().unwrap_or_default()),
        IndexCell::plain(m.accounts_active.unwrap_or(0).to_string(), key(m.accounts_active.map(|a| a as f64))),
        IndexCell::plain(amount(m.arr_active.unwrap_or(0.0), &card.currency), key(m.arr_active)),
        // The T12M value and the annual average beside it; the status goes with the one rated.
        metric(percent(m.ndr), m.ndr, on_t12m(card.ndr_status), moved(since.ndr, true)),
        metric(percent(card.ndr_avg4), card.ndr_avg4, on_average(card.ndr_status), None),
        metric(percent(m.grr), m.grr, on_t12m(card.grr_status), moved(since.grr, true)),
        metric(percent(card.grr_avg4), card.grr_avg4, on_average(card.grr_status), None),
        metric(score(m.health_avg), m.health_avg, card.health_status, moved(since.health_avg, false)),
        IndexCell {
            text: String::new(),
            key: status_rank(card.overall_status).to_string(),
            status: Some(card.overall_status),
            detail: card.overall_note.clone(),
        },
        metric(percent(card.primary_scope_share), card.primary_scope_share, card.scope_status, None),
        IndexCell { key: ready.clone(), text: ready, status: None, detail: scope },
    ];
    // The quarter ahead: the expected NDR with its range, and the chance of meeting the target.
    let f = &card.forecast;
    let range =
        f.ndr_p10.zip(f.ndr_p90).map(|(low, high)| format!("{} to {}", percent(Some(low)), percent(Some(high))));
    cells.push(metric(percent(f.expected_ndr), f.expected_ndr, f.expected_ndr_status, range));
    cells.push(IndexCell::plain(f.p_meets_ndr.map_or_else(|| "–".into(), whole_percent), key(f.p_meets_ndr)));
    if report.ownership == OwnershipMode::History {
        let (handed_in, handed_out) = (m.transferred_in_arr.unwrap_or(0.0), m.transferred_out_arr.unwrap_or(0.0));
        let way = |arr: f64, count: usize, word: &str| {
            (arr != 0.0).then(|| format!("{word} {} ({count})", amount(arr, &card.currency)))
        };
        let parts: Vec<String> =
            [way(handed_in, card.transfers_in.len(), "in"), way(handed_out, card.transfers_out.len(), "out")]
                .into_iter()
                .flatten()
                .collect();
        let shown = if parts.is_empty() { "–".to_string() } else { parts.join(" · ") };
        cells.push(IndexCell::plain(shown, sort_key(handed_in + handed_out)));
    }
    cells
}

/// A manager group's heading: `Manager: David Okafor · 4 advisors`, or `No manager · 2 advisors`.
pub(crate) fn group_heading(manager: Option<&str>, advisors: usize) -> String {
    let group = manager.map(|m| format!("Manager: {m}")).unwrap_or_else(|| "No manager".into());
    format!("{group} · {advisors} advisor{}", if advisors == 1 { "" } else { "s" })
}

/// The advisors grouped by manager for the index's sections, managers by name and the books
/// without one last; each group keeps the report's order.
pub(crate) fn by_manager(report: &Report) -> Vec<(Option<&str>, Vec<usize>)> {
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    for (i, card) in report.scorecards.iter().enumerate() {
        let manager = card.manager.as_deref();
        match groups.iter_mut().find(|(m, _)| *m == manager) {
            Some((_, members)) => members.push(i),
            None => groups.push((manager, vec![i])),
        }
    }
    groups.sort_by(|a, b| (a.0.is_none(), a.0).cmp(&(b.0.is_none(), b.0)));
    groups
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
    let (at_risk, count) = (s.renewals.at_risk_arr, s.renewals.at_risk_accounts);
    lines.push(format!(
        "ARR at risk: {} in {count} account{} renewing in the next two quarters below their level's health minimum.",
        amount(at_risk, &report.currency),
        if count == 1 { "" } else { "s" }
    ));
    let outside: Vec<&str> = report
        .scorecards
        .iter()
        .filter(|c| c.scope_status == crate::model::Status::Below)
        .map(|c| c.advisor.as_str())
        .collect();
    if !outside.is_empty() {
        lines.push(format!(
            "Books outside their level's scope: {}. The plan command (ta-scorecard plan) proposes the hand-overs that fit them.",
            outside.join(", ")
        ));
    }
    lines.extend(forecast_lines(report));
    lines
}

/// The quarter ahead once for the team: the class table in words and how good the forecast has
/// been, or why there is none.
fn forecast_lines(report: &Report) -> Vec<String> {
    let frame = &report.forecast;
    if let Some(why) = &frame.unavailable {
        return vec![format!("{}: no forecast: {why}.", super::forecast::next_quarter_heading(report))];
    }
    let horizon = frame.horizon_months.unwrap_or(0);
    let classes: Vec<String> = frame
        .classes
        .iter()
        .filter(|c| c.n > 0)
        .map(|c| {
            let pooled = if c.pooled { ", too few: all pooled" } else { "" };
            format!("{} {} ({} samples{pooled})", c.class, percent(c.p), thousands(c.n))
        })
        .collect();
    let mut lines = vec![format!(
        "{}: accounts churned within {horizon} months by class: {}.",
        super::forecast::next_quarter_heading(report),
        classes.join("; ")
    )];
    let pooled = &report.backtest.pooled;
    if let (Some(mae), Some(coverage)) = (pooled.backtest_mae, pooled.backtest_coverage) {
        lines.push(format!(
            "Forecasts made one quarter ahead were off by {} NDR points on average; {} of actuals fell in the \
             10–90% range ({} advisor-quarters).",
            points(mae),
            whole_percent(coverage),
            pooled.pairs
        ));
    }
    lines
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Below => 0,
        Status::Near => 1,
        Status::Meets => 2,
        Status::NotApplicable => 3,
    }
}

pub(crate) const ROLLUP_COLUMNS: [&str; 9] =
    ["roll-up", "advisors", "overall", "active accounts", "active ARR", "NDR", "GRR", "health", "new ARR"];

/// A roll-up's row; its advisors' overall statuses are counted from the scorecards (the team:
/// every advisor with a level, as [`summary_lines`]).
pub(crate) fn rollup_row(report: &Report, r: &Rollup) -> [String; 9] {
    let m = &r.metrics;
    let currency = &report.currency;
    let members = report.scorecards.iter().filter(|c| match r.kind {
        RollupKind::Team => c.level.is_some(),
        RollupKind::Manager => c.manager.as_deref() == Some(r.name.as_str()),
    });
    let mut counts = [0u64; 4];
    for card in members {
        counts[status_rank(card.overall_status) as usize] += 1;
    }
    let statuses: Vec<String> = [(2, "meets"), (1, "near"), (0, "below"), (3, "n/a")]
        .iter()
        .filter(|(rank, _)| counts[*rank] > 0)
        .map(|(rank, word)| format!("{} {word}", counts[*rank]))
        .collect();
    [
        match r.kind {
            RollupKind::Team => "Whole team".into(),
            RollupKind::Manager => format!("Manager: {}", r.name),
        },
        r.advisors.to_string(),
        statuses.join(" · "),
        m.accounts_active.unwrap_or(0).to_string(),
        amount(m.arr_active.unwrap_or(0.0), currency),
        percent(m.ndr),
        percent(m.grr),
        score(m.health_avg),
        m.new_arr.map(|v| amount(v, currency)).unwrap_or_else(|| "–".into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_in_points_with_a_sign() {
        assert_eq!(change(Some(1.05 - 1.10), true), "−5.0 pts");
        assert_eq!(change(Some(7.5 - 7.0), false), "+0.5");
        assert_eq!(change(Some(-0.0004), true), "±0.0 pts");
        assert_eq!(change(None, false), "–");
    }

    #[test]
    fn a_cell_reads_as_one_line() {
        let cell = IndexCell {
            text: "114.6%".into(),
            key: "1.146".into(),
            status: Some(Status::Meets),
            detail: Some("+2.1 pts".into()),
        };
        assert_eq!(cell.line(), "114.6% meets (+2.1 pts)");
        let overall =
            IndexCell { text: String::new(), key: "3".into(), status: Some(Status::NotApplicable), detail: None };
        assert_eq!(overall.line(), "n/a");
    }
}
