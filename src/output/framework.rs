//! `ta-scorecard targets`: the career framework in force as a readable table, or one level in
//! full, so an advisor sees what is expected without opening TOML.

use std::fmt::Write;

use crate::domain::targets::{Basis, Goal, Level, Targets};
use crate::error::{InvalidInput, Problem};
use crate::format::{percent, score, whole_points};

fn tolerance(goal: Goal) -> String {
    if goal.tolerance > 0.0 {
        format!("±{} pts", whole_points(goal.tolerance))
    } else {
        "none".into()
    }
}

fn tiers(level: &Level) -> String {
    let primary: Vec<&str> = level.primary_tiers.iter().map(|t| t.text.as_str()).collect();
    let secondary: Vec<&str> = level.secondary_tiers.iter().map(|t| t.text.as_str()).collect();
    if secondary.is_empty() {
        primary.join(", ")
    } else {
        format!("{} (some {})", primary.join(", "), secondary.join(", "))
    }
}

/// Every level in one table, then the rules that apply to all.
pub(crate) fn table(targets: &Targets) -> String {
    let mut out = format!("Career framework ({})\n\n", targets.source);
    let header = ["level", "title", "NDR", "tol.", "GRR", "tol.", "health", "scope (primary tiers)", "share"];
    let rows: Vec<[String; 9]> = targets
        .levels
        .iter()
        .map(|l| {
            [
                l.name.clone(),
                l.title.clone(),
                percent(Some(l.ndr.target)),
                tolerance(l.ndr),
                percent(Some(l.grr.target)),
                tolerance(l.grr),
                score(Some(l.health.target)),
                tiers(l),
                percent(Some(l.primary_min_share)),
            ]
        })
        .collect();
    let widths: Vec<usize> =
        (0..9).map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)).collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    let _ = write!(
        out,
        "\nNDR and GRR over a {}-month window, rated {}; health is the mean score of active accounts (0–10).\n\
         meets: at or above target · near: within the tolerance below it · below: further down.\n\
         Ready for the next level: its NDR, GRR and health targets met at each of the last {} quarter ends{}.\n\
         Tiers: segment and ARR band ({} / {}). `ta-scorecard targets --level IC3` shows one level in full.\n",
        targets.window_months,
        basis_words(targets.basis),
        targets.promotion_quarters,
        match targets.promotion_quarters_at_level {
            0 => String::new(),
            n => format!(", and the advisor's own level's at each of the {n} before them"),
        },
        targets.bands.under,
        targets.bands.over
    );
    if targets.fiscal_year_start_month != crate::domain::calendar::CALENDAR {
        let example = crate::domain::calendar::Quarter::latest_ending_by(
            crate::domain::calendar::Month::from_ym(2026, targets.fiscal_year_start_month + 2),
            targets.fiscal_year_start_month,
        );
        let _ = writeln!(
            out,
            "Quarters are fiscal: the year starts in month {} and is named by its last month's year ({example} is {} to {}).",
            targets.fiscal_year_start_month,
            example.start_month(),
            example.end_month()
        );
    }
    rules(&mut out, targets);
    out
}

/// The framework's general rules, after a blank line.
fn rules(out: &mut String, targets: &Targets) {
    if !targets.general_rules.is_empty() {
        let _ = writeln!(out, "\n{}:", crate::output::view::RULES_HEADING);
        for rule in &targets.general_rules {
            let _ = writeln!(out, "  • {rule}");
        }
    }
}

/// One level in full: targets, scope and the expected behaviours.
pub(crate) fn level(targets: &Targets, name: &str) -> Result<String, InvalidInput> {
    let Some(level) = targets.level_named(name) else {
        let names: Vec<&str> = targets.levels.iter().map(|l| l.name.as_str()).collect();
        return Err(InvalidInput::one(
            Problem::new("--level", format!("unknown level, expected one of {}", names.join(", "))).value(name),
        ));
    };
    let mut out = format!("{} — {}\n\n", level.name, level.title);
    let _ = writeln!(out, "  NDR     {} (near band: {})", percent(Some(level.ndr.target)), tolerance(level.ndr));
    let _ = writeln!(out, "  GRR     {} (near band: {})", percent(Some(level.grr.target)), tolerance(level.grr));
    let _ = writeln!(out, "  Health  {} minimum", score(Some(level.health.target)));
    let _ = writeln!(out, "  Scope   {}", level.scope);
    let _ = writeln!(out, "          {} of active ARR in {}", percent(Some(level.primary_min_share)), tiers(level));
    let _ = writeln!(out, "\nExpected behaviours");
    for (area, points) in level.behaviours.categories() {
        let _ = writeln!(out, "\n  {area}");
        for point in points {
            let _ = writeln!(out, "    • {point}");
        }
    }
    match targets.next_level(&level.name) {
        Some(next) => {
            let _ = writeln!(out, "\nNext level: {} ({}).", next.name, next.title);
        }
        None => out.push_str("\nThis is the top level.\n"),
    }
    rules(&mut out, targets);
    Ok(out)
}

/// Which value the statuses rate, in words (SPEC §4).
pub(crate) fn basis_words(basis: Basis) -> &'static str {
    match basis {
        Basis::T12m => "on the 12-month value at each quarter end (basis t12m)",
        Basis::Average4 => {
            "on their annual average: the mean of the 12-month values at each quarter end and the three before it \
             (basis average4)"
        }
    }
}
