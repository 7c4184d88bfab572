//! `ta-scorecard plan`: the hand-overs that make every book fit its advisor's level (SPEC §13),
//! written as plan files and as ownership rows for the next quarter.

use std::collections::HashSet;

use crate::config::PlanConfig;
use crate::domain::columns as c;
use crate::error::{InvalidInput, Problem};
use crate::format;
use crate::model::plan::Plan;
use crate::model::Status;
use crate::output::{self, write};
use crate::pipeline::plan::{self, Known};

pub(crate) fn run(config: PlanConfig) -> anyhow::Result<()> {
    // The account ids ownership.csv has rows for, and arr.csv's first month.
    let (report, warnings, (ledger_accounts, first_month)) = crate::build_report_with(&config.input, |inputs| {
        let keys = inputs.accounts.column(c::KEY)?.u32()?;
        let ids = inputs.accounts.column(c::ACCOUNT_ID)?.str()?;
        let in_ledger: HashSet<u32> = inputs.ownership.iter().flat_map(|l| l.accounts.keys().copied()).collect();
        let ledger: HashSet<String> = keys
            .iter()
            .zip(ids.iter())
            .filter_map(|(key, id)| Some((key?, id?)))
            .filter(|(key, _)| in_ledger.contains(key))
            .map(|(_, id)| id.to_string())
            .collect();
        Ok((ledger, inputs.first_month))
    })?;
    let ids: HashSet<&str> = report.accounts.iter().map(|a| a.account_id.as_str()).collect();
    let unknown: Vec<Problem> = config
        .settings
        .keep
        .iter()
        .filter(|id| !ids.contains(id.as_str()))
        .map(|id| Problem::new("--keep", "no account with this id in accounts.csv").value(id.clone()))
        .collect();
    InvalidInput::check(unknown)?;
    let known = Known { ledger_accounts: &ledger_accounts, first_month };
    let plan = plan::plan(&report, &config.input.targets, &config.settings, &known)?;
    let files = output::plan::render(&plan)?;
    let kept = write::replace_folder(&config.out, &files, config.force, &config.input.paths.all())?;
    super::print_findings(&super::notes_with_kept(&report.notes, &config.out, &kept), &warnings);
    super::print(&summary(&plan, &config.out.display().to_string()))
}

/// The terminal's summary: how many books fit before and after, the moves, where the files are.
fn summary(plan: &Plan, out: &str) -> String {
    let fit = |after: bool| {
        plan.advisors
            .iter()
            .filter(|a| (if after { a.scope_status_after } else { a.scope_status_before }) == Status::Meets)
            .count()
    };
    let moved: f64 = plan.moves.iter().map(|m| m.arr).sum();
    let mut text = format!(
        "Book plan for {} (accounts as at {}): {} of {} advisors' books fit their level before, {} after.\n",
        plan.quarter,
        plan.as_of_month,
        fit(false),
        plan.advisors.len(),
        fit(true)
    );
    text.push_str(&format!(
        "{} hand-overs, {} moved, from {}.{}\n",
        plan.moves.len(),
        format::amount(moved, &plan.currency),
        plan.from_month,
        if plan.proven_optimal { " Proven optimal." } else { " May not be optimal: the time limit ended the search." }
    ));
    for m in &plan.moves {
        text.push_str(&format!(
            "  {} ({}, {}): {} → {}\n",
            m.account_name.as_deref().unwrap_or(&m.account_id),
            m.tier,
            format::amount(m.arr, &plan.currency),
            m.from_advisor,
            m.to_advisor
        ));
    }
    if plan.problems > 1 {
        text.push_str(&format!("{} teams planned separately (no account may move between them).\n", plan.problems));
    }
    for advisor in &plan.advisors {
        if let Some(why) = &advisor.why_below {
            text.push_str(&format!("  still below: {} ({})\n", advisor.advisor, why));
        }
    }
    text.push_str(&format!(
        "Plan written to {out}: plan.html, plan.md, plan.csv, plan-advisors.csv, plan-ownership.csv\n"
    ));
    text
}
