//! Why a book is still below its level after the plan (SPEC §13), in words: from what its level
//! could receive (the accounts of its primary tiers in reach, pinned or renewing), the primary
//! ARR in its reach against the smallest book its limits allow, whether the search ruled it out,
//! and whether the search was exhaustive.

use std::collections::HashMap;

use super::books::Seat;
use super::Settings;
use crate::domain::targets::Level;
use crate::format;

/// Active accounts counted as (all, pinned by `--keep`, renewing within the protected months and
/// not pinned): by team and tier, by seat and tier, and the unassigned by tier.
#[derive(Default)]
pub(super) struct Held<'a> {
    by_team: HashMap<(Option<&'a str>, usize), [usize; 3]>,
    by_seat: HashMap<(usize, usize), [usize; 3]>,
    unassigned: HashMap<usize, [usize; 3]>,
}

impl<'a> Held<'a> {
    /// Counts one active account of `tier`, held by `seat` of `team` (none when unassigned).
    pub(super) fn add(
        &mut self,
        team: Option<&'a str>,
        seat: Option<usize>,
        tier: usize,
        pinned: bool,
        renewing: bool,
    ) {
        let counts = [1, usize::from(pinned), usize::from(renewing && !pinned)];
        let add = |slot: &mut [usize; 3]| (0..3).for_each(|k| slot[k] += counts[k]);
        match seat {
            None => add(self.unassigned.entry(tier).or_default()),
            Some(seat) => {
                add(self.by_team.entry((team, tier)).or_default());
                add(self.by_seat.entry((seat, tier)).or_default());
            }
        }
    }

    /// The accounts of `tiers` that could come to `seat` of `team`: its team's (not its own) and
    /// the unassigned, as (all, pinned, renewing).
    pub(super) fn in_reach(
        &self,
        team: Option<&'a str>,
        seat: usize,
        tiers: impl Iterator<Item = usize>,
    ) -> [usize; 3] {
        let mut reach = [0usize; 3];
        for tier in tiers {
            let team_held = self.by_team.get(&(team, tier)).copied().unwrap_or_default();
            let own = self.by_seat.get(&(seat, tier)).copied().unwrap_or_default();
            let loose = self.unassigned.get(&tier).copied().unwrap_or_default();
            for k in 0..3 {
                reach[k] += team_held[k] - own[k] + loose[k];
            }
        }
        reach
    }
}

/// What is known of one book still below after the plan.
pub(super) struct Below<'a> {
    pub(super) level: &'a Level,
    pub(super) seat: &'a Seat,
    pub(super) arr_after: f64,
    /// The accounts of its primary tiers in reach, as (all, pinned, renewing).
    pub(super) held: [usize; 3],
    /// The primary ARR it could hold, and how many movable accounts of it could come.
    pub(super) reach_arr: f64,
    pub(super) reach_count: usize,
    /// Whether the program by tier rules it out.
    pub(super) ruled_out: bool,
    /// Why the plan may not be optimal (empty when proven).
    pub(super) unproven: &'a [String],
    pub(super) currency: &'a str,
}

/// Why the book is still below, in words, and whether that is unsettled (nothing proves that no
/// plan can fit it).
pub(super) fn why_below(below: &Below, settings: &Settings) -> (String, bool) {
    let [reach, pinned, renewing] = below.held;
    let limit = format::whole_percent(settings.max_change);
    let money = |value: f64| format::amount(value, below.currency);
    let reason = if below.arr_after <= 0.0 {
        "no active ARR to fit".to_string()
    } else if reach == 0 {
        let names: Vec<&str> = below.level.primary_tiers.iter().map(|p| p.text.as_str()).collect();
        format!("no account of a primary tier ({}) in reach", names.join(", "))
    } else if pinned + renewing >= reach {
        let mut held = Vec::new();
        if renewing > 0 {
            held.push(format!("{renewing} renew within {} months (protected)", settings.protect_months));
        }
        if pinned > 0 {
            held.push(format!("{pinned} pinned by --keep"));
        }
        format!("{} of a primary tier in reach: {}", accounts(reach), held.join(", "))
    } else if !below.seat.may_fit(below.reach_arr) {
        let (min, low) = (below.level.primary_min_share, below.seat.low.max(0.0));
        format!(
            "too little ARR of a primary tier in reach: fitting takes at least {} ({} of {}, the smallest book \
             within ±{limit}), and its own and the {} it could receive come to {}",
            money(min * low),
            format::whole_percent(min),
            money(low),
            accounts(below.reach_count),
            money(below.reach_arr)
        )
    } else if below.ruled_out {
        format!(
            "no plan can fit it within the limits: even with accounts split into any amounts, no hand-over of the \
             {} of a primary tier in reach fits it while every book stays within ±{limit} and every book that \
             fits keeps fitting",
            accounts(reach)
        )
    } else if !below.unproven.is_empty() {
        let reason = format!(
            "no plan that fits it was found ({} of a primary tier in reach), but the search was not exhaustive: {}",
            accounts(reach),
            below.unproven.join("; ")
        );
        return (reason, true);
    } else {
        format!(
            "a limit: enough of the {} of a primary tier in reach would take a book past ±{limit} or leave a book \
             that fits below its level",
            accounts(reach)
        )
    };
    (reason, false)
}

/// `1 account`, `3 accounts`.
fn accounts(count: usize) -> String {
    format!("{count} account{}", if count == 1 { "" } else { "s" })
}
