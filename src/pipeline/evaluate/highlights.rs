//! What stands behind an advisor's numbers: the accounts that moved NDR most, the accounts at
//! risk, the spread of health scores, and caveats when the numbers rest on little.

use std::collections::BTreeSet;

use crate::domain::calendar::Month;
use crate::format::whole_percent;
use crate::model::{AccountMove, AccountRisk, AccountRow, HealthBand, Movement, Renewal, WindowMetrics};

/// How many movers and at-risk accounts a scorecard lists.
const LISTED: usize = 10;
/// Below this many cohort accounts, NDR and GRR swing on a single account.
const SMALL_COHORT: u64 = 5;
/// One account above this share of start ARR dominates the book.
const DOMINANT_SHARE: f64 = 0.5;
/// At-risk accounts renewing up to this many months after the quarter end renew soon.
const RENEWS_SOON_MONTHS: i32 = 6;

/// What stands behind one advisor's numbers, from the rows of their book (accounts.csv's).
pub(super) struct Highlights {
    pub(super) at_risk: Vec<AccountRisk>,
    pub(super) renewals: Vec<Renewal>,
    pub(super) health_histogram: Vec<u64>,
    pub(super) health_unknown: u64,
    /// Caveats when the numbers rest on little: a small cohort, one dominant account.
    pub(super) caveats: Vec<String>,
}

/// The highlights of `book`, an advisor's account rows with `metrics` at the evaluated quarter
/// end `end` and the level's health minimum, when the advisor has a level.
pub(super) fn highlights(
    book: &[&AccountRow],
    metrics: &WindowMetrics,
    health_min: Option<f64>,
    end: Month,
) -> Highlights {
    let (health_histogram, health_unknown) = health_histogram(book);
    Highlights {
        at_risk: health_min.map(|min| at_risk(book, min, end)).unwrap_or_default(),
        renewals: renewals(book, health_min, end),
        health_histogram,
        health_unknown,
        caveats: caveats(metrics, book),
    }
}

/// The accounts of `book` that moved NDR most, largest change first.
pub(super) fn movers(book: &[&AccountRow]) -> Vec<AccountMove> {
    let mut moves = moves_of(book, &BTreeSet::new());
    moves.truncate(LISTED);
    moves
}

/// Every cohort account of `book` that expanded, contracted or churned, except those in `skip`,
/// largest change first.
fn moves_of(book: &[&AccountRow], skip: &BTreeSet<&str>) -> Vec<AccountMove> {
    let mut moves: Vec<AccountMove> = book
        .iter()
        .filter(|a| matches!(a.movement, Some(Movement::Expansion | Movement::Contraction | Movement::Churn)))
        .filter(|a| !skip.contains(a.account_id.as_str()))
        .filter_map(|a| {
            let start = a.start_arr?;
            Some(AccountMove {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                movement: a.movement?,
                start_arr: start,
                end_arr: a.end_arr,
                change: a.end_arr - start,
            })
        })
        .collect();
    by_size(&mut moves);
    moves
}

/// Largest change first, then by account id.
fn by_size(moves: &mut [AccountMove]) {
    moves.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.account_id.cmp(&b.account_id)));
}

/// With ownership history: the movers of accounts handed over inside the window give way to the
/// advisor's own tenures of them (`tenures`), so the list adds up to what the advisor held. The
/// list is made again from the whole `book`, so a handed-over account never pushes one of the
/// advisor's own movers off it.
pub(super) fn movers_with_tenures(
    book: &[&AccountRow],
    handed: &BTreeSet<&str>,
    tenures: Vec<AccountMove>,
) -> Vec<AccountMove> {
    let mut moves = moves_of(book, handed);
    moves.extend(tenures);
    by_size(&mut moves);
    moves.truncate(LISTED);
    moves
}

fn at_risk(book: &[&AccountRow], health_min: f64, end: Month) -> Vec<AccountRisk> {
    let soon = end.plus(RENEWS_SOON_MONTHS);
    let renews_soon = |date: Option<&str>| {
        date.and_then(|d| d.get(..7)).and_then(Month::parse).is_some_and(|month| month > end && month <= soon)
    };
    let mut risks: Vec<AccountRisk> = book
        .iter()
        .filter(|a| a.end_arr > 0.0)
        .filter_map(|a| {
            let health = a.health_score.filter(|h| *h < health_min)?;
            Some(AccountRisk {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                arr: a.end_arr,
                health_score: health,
                renewal_date: a.renewal_date.clone(),
                renews_soon: renews_soon(a.renewal_date.as_deref()),
            })
        })
        .collect();
    // Renewals of the next two quarters first, soonest first; then by ARR (pages and show alike).
    risks.sort_by(|a, b| {
        let soon = |r: &AccountRisk| if r.renews_soon { r.renewal_date.clone() } else { None };
        (!a.renews_soon, soon(a))
            .cmp(&(!b.renews_soon, soon(b)))
            .then_with(|| b.arr.total_cmp(&a.arr))
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    risks.truncate(LISTED);
    risks
}

/// A health score against the level's minimum, for renewals: below it, within a point above it
/// (near), healthy, or unscored.
pub(crate) fn health_band(health: Option<f64>, minimum: Option<f64>) -> HealthBand {
    match (health, minimum) {
        (None, _) => HealthBand::Unscored,
        (Some(h), Some(min)) if h < min => HealthBand::Below,
        (Some(h), Some(min)) if h < min + NEAR_HEALTH => HealthBand::Near,
        (Some(_), _) => HealthBand::Healthy,
    }
}

/// Health within this many points above the level's minimum is "near" it, for renewals.
const NEAR_HEALTH: f64 = 1.0;

/// The book's active accounts renewing in the two quarters after the evaluated one, soonest
/// first then by ARR, each with its health band.
fn renewals(book: &[&AccountRow], health_min: Option<f64>, end: Month) -> Vec<Renewal> {
    let soon = end.plus(RENEWS_SOON_MONTHS);
    let mut renewals: Vec<Renewal> = book
        .iter()
        .filter(|a| a.end_arr > 0.0)
        .filter_map(|a| {
            let date = a.renewal_date.as_deref()?;
            let month = date.get(..7).and_then(Month::parse)?;
            (month > end && month <= soon).then(|| Renewal {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                renewal_date: date.to_string(),
                arr: a.end_arr,
                health_score: a.health_score,
                band: health_band(a.health_score, health_min),
            })
        })
        .collect();
    renewals.sort_by(|a, b| {
        a.renewal_date
            .cmp(&b.renewal_date)
            .then_with(|| b.arr.total_cmp(&a.arr))
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    renewals
}

/// Active accounts per one-point bucket of health (`[0,1)`, …, `[9,10]`) and those unscored.
fn health_histogram(book: &[&AccountRow]) -> (Vec<u64>, u64) {
    let mut buckets = vec![0u64; 10];
    let mut unknown = 0;
    for account in book.iter().filter(|a| a.end_arr > 0.0) {
        match account.health_score {
            Some(h) => buckets[(h.floor() as usize).min(9)] += 1,
            None => unknown += 1,
        }
    }
    (buckets, unknown)
}

fn caveats(metrics: &WindowMetrics, book: &[&AccountRow]) -> Vec<String> {
    let mut caveats = Vec::new();
    let (Some(cohort), Some(start)) = (metrics.cohort_accounts, metrics.start_arr) else {
        return caveats;
    };
    if cohort > 0 && cohort < SMALL_COHORT {
        caveats.push(format!(
            "The cohort has only {cohort} account{}: one renewal can swing NDR and GRR.",
            if cohort == 1 { "" } else { "s" }
        ));
    }
    let largest = book.iter().filter_map(|a| a.start_arr.map(|s| (s, *a))).max_by(|x, y| x.0.total_cmp(&y.0));
    if let Some((arr, account)) = largest.filter(|(arr, _)| start > 0.0 && arr / start > DOMINANT_SHARE) {
        let name = account.account_name.as_deref().unwrap_or(&account.account_id);
        caveats.push(format!(
            "One account, {name}, holds {} of start ARR: the book's NDR and GRR are mostly that account's.",
            whole_percent(arr / start)
        ));
    }
    caveats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::segments::{Segment, SegmentSource};

    fn account(id: usize, start: f64, end: f64) -> AccountRow {
        AccountRow {
            account_id: format!("A{id:02}"),
            account_name: None,
            advisor: "Ada".into(),
            segment: Segment::Smb,
            segment_source: SegmentSource::Rules,
            band: "<100k".into(),
            tier: "SMB <100k".into(),
            reference_arr: end,
            start_arr: Some(start),
            end_arr: end,
            currency: "USD".into(),
            own_start_arr: Some(start),
            own_end_arr: end,
            owner_since: None,
            change_arr: Some(end - start),
            movement: Some(if end > start { Movement::Expansion } else { Movement::Contraction }),
            health_score: None,
            renewal_date: None,
        }
    }

    #[test]
    fn handed_over_accounts_never_push_the_advisors_own_movers_off_the_list() {
        // Twelve movers, changes 120, 110, … 10; the three largest were handed over in the window.
        let accounts: Vec<AccountRow> = (0..12).map(|i| account(i, 1000.0, 1000.0 + 10.0 * (12 - i) as f64)).collect();
        let book: Vec<&AccountRow> = accounts.iter().collect();
        let listed = movers(&book);
        assert_eq!(listed.len(), LISTED);
        let handed: BTreeSet<&str> = ["A00", "A01", "A02"].into();
        let tenure = AccountMove { change: 5.0, ..listed[0].clone() };
        let movers = movers_with_tenures(&book, &handed, vec![tenure]);
        let ids: Vec<&str> = movers.iter().map(|m| m.account_id.as_str()).collect();
        // A03 … A11 are the advisor's own nine; the tenure of A00 (+5) is the tenth.
        assert_eq!(ids, ["A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A00"]);
    }
}
