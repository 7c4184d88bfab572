//! `ta-scorecard show`: one advisor's scorecard in the terminal, found by a forgiving name.

use crate::cli::ColorChoice;
use crate::config::InputConfig;
use crate::error::{InvalidInput, Problem};
use crate::model::Scorecard;
use crate::output::{json, terminal};
use crate::warnings::edit_distance;

/// The advisor `query` names: exactly (ignoring case), or as the unique start of one name.
pub(crate) fn find<'a>(cards: &'a [Scorecard], query: &str) -> Result<&'a Scorecard, InvalidInput> {
    let wanted = query.trim().to_lowercase();
    if let Some(card) = cards.iter().find(|c| c.advisor.to_lowercase() == wanted) {
        return Ok(card);
    }
    let starting: Vec<&Scorecard> = cards.iter().filter(|c| c.advisor.to_lowercase().starts_with(&wanted)).collect();
    match starting[..] {
        [card] => Ok(card),
        [] => {
            let mut ranked: Vec<(usize, &str)> =
                cards.iter().map(|c| (edit_distance(&wanted, &c.advisor.to_lowercase()), c.advisor.as_str())).collect();
            ranked.sort();
            let closest: Vec<&str> = ranked.iter().take(3).map(|r| r.1).collect();
            Err(InvalidInput::one(
                Problem::new("advisor", format!("no advisor named '{query}'; closest: {}", closest.join(", ")))
                    .value(format!("{} advisors in the data", cards.len())),
            ))
        }
        _ => {
            let names: Vec<&str> = starting.iter().map(|c| c.advisor.as_str()).collect();
            Err(InvalidInput::one(Problem::new(
                "advisor",
                format!("'{query}' starts several names: {}; type more of the name", names.join(", ")),
            )))
        }
    }
}

pub(crate) fn run(config: &InputConfig, query: &str, as_json: bool, color: ColorChoice) -> anyhow::Result<()> {
    let (report, _warnings) = crate::build_report(config)?;
    let card = find(&report.scorecards, query)?;
    let text =
        if as_json { String::from_utf8(json::value(card)?)? } else { terminal::render(&report, card, color.enabled()) };
    super::print(&text)
}
