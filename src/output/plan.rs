//! The plan's files (SPEC §13): plan.csv (the moves), plan-advisors.csv (each advisor with a
//! level before and after) and plan-ownership.csv (the rows to add to ownership.csv), written
//! like scorecards.csv: exact number formats, text from the inputs neutralised; plan.md and
//! plan.html, the page: before and after, the hand-overs by giver and receiver, and why a book
//! is still below.

use crate::format;
use crate::model::plan::{OwnershipRow, Plan, PlanAdvisor, PlanMove};
use crate::output::csv::write_rows;
use crate::output::rows::{text, Cell};
use crate::output::Rendered;

const MOVES: [&str; 6] = ["account_id", "account_name", "tier", "arr", "from_advisor", "to_advisor"];
const ADVISORS: [&str; 11] = [
    "advisor",
    "level",
    "manager",
    "arr_before",
    "arr_after",
    "scope_share_before",
    "scope_share_after",
    "scope_status_before",
    "scope_status_after",
    "accounts_in",
    "accounts_out",
];
const OWNERSHIP: [&str; 3] = ["account_id", "advisor", "from"];

/// Every file of the plan.
pub(crate) fn render(plan: &Plan) -> anyhow::Result<Vec<Rendered>> {
    Ok(vec![
        Rendered { path: "plan.csv".into(), bytes: write_rows(&MOVES, &plan.moves, moved)? },
        Rendered { path: "plan-advisors.csv".into(), bytes: write_rows(&ADVISORS, &plan.advisors, advisor)? },
        Rendered { path: "plan-ownership.csv".into(), bytes: write_rows(&OWNERSHIP, &plan.ownership, owned)? },
        Rendered { path: "plan.md".into(), bytes: markdown(plan).into_bytes() },
        Rendered { path: "plan.html".into(), bytes: html(plan).into_bytes() },
    ])
}

fn moved(m: &PlanMove) -> Vec<Cell> {
    vec![
        text(&m.account_id),
        Cell::Text(m.account_name.clone()),
        Cell::Plain(m.tier.clone()),
        Cell::Money(Some(m.arr)),
        text(&m.from_advisor),
        text(&m.to_advisor),
    ]
}

fn advisor(a: &PlanAdvisor) -> Vec<Cell> {
    vec![
        text(&a.advisor),
        Cell::Plain(a.level.clone()),
        Cell::Text(a.manager.clone()),
        Cell::Money(Some(a.arr_before)),
        Cell::Money(Some(a.arr_after)),
        Cell::Ratio(a.scope_share_before),
        Cell::Ratio(a.scope_share_after),
        Cell::Status(a.scope_status_before),
        Cell::Status(a.scope_status_after),
        Cell::Count(Some(a.accounts_in)),
        Cell::Count(Some(a.accounts_out)),
    ]
}

fn owned(row: &OwnershipRow) -> Vec<Cell> {
    vec![text(&row.account_id), text(&row.advisor), Cell::Plain(row.from.clone())]
}

/// The page's parts as text, shared by plan.md and plan.html (each escapes as it writes).
struct Page {
    title: String,
    lines: Vec<String>,
    head: [&'static str; 7],
    advisors: Vec<[String; 7]>,
    /// Per giver and receiver, the moves' rows ([`MOVE_HEAD`]).
    groups: Vec<(String, Vec<[String; 4]>)>,
    /// Each book still below, and why.
    below: Vec<String>,
}

/// The columns of a group of moves on the page.
const MOVE_HEAD: [&str; 4] = ["Account", "Tier", "ARR", "Renewal"];

fn page(plan: &Plan) -> Page {
    let (fit, moved) = (|after| plan.fitting(after), plan.moved_arr());
    let mut lines = vec![
        format!(
            "{} of {} advisors' books fit their level before the plan, {} after.",
            fit(false),
            plan.advisors.len(),
            fit(true)
        ),
        format!(
            "{} hand-overs moving {} of ARR, each from {} (plan-ownership.csv holds the rows for ownership.csv).",
            plan.moves.len(),
            format::amount(moved, &plan.currency),
            plan.from_month
        ),
    ];
    lines.push(match plan.proven_optimal {
        true => "Proven optimal: no plan fits more books, and none as good moves less ARR or fewer accounts.".into(),
        false => format!("May not be optimal: {}; this is the best plan found.", plan.unproven.join("; ")),
    });
    let share = |s: Option<f64>| format::percent(s);
    let advisors = plan
        .advisors
        .iter()
        .map(|a| {
            [
                a.advisor.clone(),
                a.level.clone(),
                format!(
                    "{} → {}",
                    format::amount(a.arr_before, &plan.currency),
                    format::amount(a.arr_after, &plan.currency)
                ),
                format!("{} → {}", share(a.scope_share_before), share(a.scope_share_after)),
                format!("{} → {}", a.scope_status_before.as_str(), a.scope_status_after.as_str()),
                a.accounts_in.to_string(),
                a.accounts_out.to_string(),
            ]
        })
        .collect();
    let mut groups: Vec<(String, Vec<[String; 4]>)> = Vec::new();
    let mut moves: Vec<&PlanMove> = plan.moves.iter().collect();
    moves.sort_by(|a, b| (&a.from_advisor, &a.to_advisor).cmp(&(&b.from_advisor, &b.to_advisor)));
    for m in moves {
        let title = format!("{} → {}", m.from_advisor, m.to_advisor);
        let row = [
            m.account_name.clone().unwrap_or_else(|| m.account_id.clone()),
            m.tier.clone(),
            format::amount(m.arr, &plan.currency),
            m.renewal_date.clone().unwrap_or_else(|| "–".into()),
        ];
        match groups.last_mut() {
            Some((last, rows)) if *last == title => rows.push(row),
            _ => groups.push((title, vec![row])),
        }
    }
    let below =
        plan.advisors.iter().filter_map(|a| Some(format!("{}: {}", a.advisor, a.why_below.as_ref()?))).collect();
    Page {
        title: format!("Book plan for {} (accounts as at {})", plan.quarter, plan.as_of_month),
        lines,
        head: ["Advisor", "Level", "Active ARR", "Primary scope", "Scope", "In", "Out"],
        advisors,
        groups,
        below,
    }
}

/// plan.md: for pasting into a review document.
fn markdown(plan: &Plan) -> String {
    use crate::output::markdown::{escape, table};
    let page = page(plan);
    let mut out = format!("# {}\n\n", escape(&page.title));
    for line in &page.lines {
        out.push_str(&format!("{}\n\n", escape(line)));
    }
    out.push_str("## Advisors before → after\n\n");
    table(&mut out, page.head, &page.advisors);
    out.push_str("## Hand-overs\n\n");
    if page.groups.is_empty() {
        out.push_str("None.\n\n");
    }
    for (title, rows) in &page.groups {
        out.push_str(&format!("### {}\n\n", escape(title)));
        table(&mut out, MOVE_HEAD, rows);
    }
    if !page.below.is_empty() {
        out.push_str("## Still below, and why\n\n");
        for line in &page.below {
            out.push_str(&format!("- {}\n", escape(line)));
        }
    }
    out
}

/// plan.html: one self-contained page, every string escaped.
fn html(plan: &Plan) -> String {
    use crate::output::html::{escape, list, table};
    let page = page(plan);
    let mut body = String::new();
    for line in &page.lines {
        body.push_str(&format!("<p>{}</p>\n", escape(line)));
    }
    body.push_str("<h2>Advisors before → after</h2>\n");
    body.push_str(&table(page.head, &page.advisors, &[5, 6]));
    body.push_str("\n<h2>Hand-overs</h2>\n");
    if page.groups.is_empty() {
        body.push_str("<p>None.</p>\n");
    }
    for (title, rows) in &page.groups {
        body.push_str(&format!("<h3>{}</h3>\n{}\n", escape(title), table(MOVE_HEAD, rows, &[2])));
    }
    if !page.below.is_empty() {
        body.push_str(&format!("<h2>Still below, and why</h2>\n{}\n", list(&page.below)));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         <style>\n{style}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}</body>\n</html>\n",
        title = escape(&page.title),
        style = crate::output::html::STYLE,
    )
}
