//! `ta-scorecard plan`: the hand-overs that make every book fit its advisor's level (SPEC §13),
//! written as plan files and as ownership rows for the next quarter.

use std::collections::HashSet;

use crate::config::PlanConfig;
use crate::domain::columns as c;
use crate::error::{InvalidInput, Problem};
use crate::format;
use crate::model::plan::{Plan, PlanAdvisor};
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

/// The most hand-overs the terminal lists; plan.csv has them all.
const SHOWN: usize = 20;

/// The terminal's summary: how many books fit before and after, the moves, where the files are.
fn summary(plan: &Plan, out: &str) -> String {
    let (fit, moved) = (|after| plan.fitting(after), plan.moved_arr());
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
        match plan.proven_optimal {
            true => " Proven optimal.".to_string(),
            false => format!(" May not be optimal: {}.", plan.unproven.join("; ")),
        }
    ));
    for m in plan.moves.iter().take(SHOWN) {
        text.push_str(&format!(
            "  {} ({}, {}): {} → {}\n",
            m.account_name.as_deref().unwrap_or(&m.account_id),
            m.tier,
            format::amount(m.arr, &plan.currency),
            m.from_advisor,
            m.to_advisor
        ));
    }
    if plan.moves.len() > SHOWN {
        text.push_str(&format!("  … and {} more in plan.csv\n", plan.moves.len() - SHOWN));
    }
    if plan.problems > 1 {
        text.push_str(&format!("{} teams planned separately (no account may move between them).\n", plan.problems));
    }
    let below: Vec<&PlanAdvisor> = plan.advisors.iter().filter(|a| a.why_below.is_some()).collect();
    if !below.is_empty() {
        let unsettled = below.iter().filter(|a| a.unsettled).count();
        let open = match unsettled {
            0 => String::new(),
            n => format!(", {n} not ruled out (a longer --time-limit may fit them)"),
        };
        text.push_str(&format!(
            "{} still below: {} proven unable to fit within the limits{open}.\n",
            books(below.len()),
            below.len() - unsettled
        ));
    }
    for advisor in below.iter().take(SHOWN) {
        text.push_str(&format!("  {}: {}\n", advisor.advisor, advisor.why_below.as_deref().unwrap_or_default()));
    }
    if below.len() > SHOWN {
        text.push_str(&format!("  … and {} more in plan.md\n", below.len() - SHOWN));
    }
    text.push_str(&format!(
        "Plan written to {out}: plan.html, plan.md, plan.csv, plan-advisors.csv, plan-ownership.csv\n"
    ));
    text
}

/// `1 book`, `3 books`.
fn books(count: usize) -> String {
    format!("{count} book{}", if count == 1 { "" } else { "s" })
}
