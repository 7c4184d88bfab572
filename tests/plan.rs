//! `plan` (SPEC §13) on small teams whose best plans are worked out by hand, through the binary.

use std::collections::HashMap;

use crate::util::{rows, scorecard, Fixture};

/// Ivy (IC3: primary Ent 100k+) holds two SMB accounts beside an Ent; Ian (IC1: primary SMB and
/// MM <100k) holds an Ent beside an SMB. Both below 50%, both managed by Max:
/// Ivy: S1 SMB 90,000, S2 SMB 80,000, E1 Ent 120,000: 290,000, Ent 41%, may end 217,500–362,500;
/// Ian: E2 Ent 110,000, S3 SMB 90,000: 200,000, SMB 45%, may end 150,000–250,000.
const ACCOUNTS: &str = "\
account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date
S1,Slate,Ivy,SMB,10,no,8,2027-06-01
S2,Spruce,Ivy,SMB,10,no,8,RENEWS
E1,Elm,Ivy,Enterprise,5000,yes,8,2027-06-01
E2,Ember,Ian,Enterprise,5000,yes,8,2027-06-01
S3,Sage,Ian,SMB,10,no,8,2027-06-01
";

const ARR: &str = "\
account_id,month,arr
S1,2025-09,90000
S1,2026-09,90000
S2,2025-09,80000
S2,2026-09,80000
E1,2025-09,120000
E1,2026-09,120000
E2,2025-09,110000
E2,2026-09,110000
S3,2025-09,90000
S3,2026-09,90000
";

fn team(renews: &str, ian_manager: &str) -> Fixture {
    Fixture::empty()
        .file("data/accounts.csv", &ACCOUNTS.replace("RENEWS", renews))
        .file("data/arr.csv", ARR)
        .file("data/advisors.csv", &format!("advisor,level,manager\nIvy,IC3,Max\nIan,IC1,{ian_manager}\n"))
}

/// Each advisor's plan-advisors.csv row, column → value, by name.
type Advisors = HashMap<String, HashMap<String, String>>;

/// `plan` on the fixture with `extra`: plan.csv's rows and Ivy's and Ian's rows.
fn plan(fixture: &Fixture, extra: &[&str]) -> (Vec<Vec<String>>, Advisors) {
    let mut args = vec!["plan", "--data", "data", "--out", "plan"];
    args.extend_from_slice(extra);
    fixture.run(&args).success();
    let moves = rows(&fixture.read("plan/plan.csv"));
    let advisors = fixture.read("plan/plan-advisors.csv");
    let by_name = ["Ivy", "Ian"].iter().map(|a| (a.to_string(), scorecard(&advisors, a))).collect();
    (moves, by_name)
}

/// Ivy can only fit with Ian's Ent (E2), which takes her to 400,000, over her limit: she must
/// give at least 37,500 away, and S2 (80,000) is the smallest SMB that does. Ian then has
/// S3 + S2 = 170,000, all SMB. 190,000 moved in 2 moves; swapping S1 instead moves 200,000.
#[test]
fn an_ic3_with_smb_beside_an_ic1_with_ent_swap() {
    let fixture = team("2027-06-01", "Max");
    let (moves, advisors) = plan(&fixture, &[]);
    assert_eq!(
        moves,
        [
            vec!["account_id", "account_name", "tier", "arr", "from_advisor", "to_advisor"],
            vec!["E2", "Ember", "Ent 100k+", "110000.00", "Ian", "Ivy"],
            vec!["S2", "Spruce", "SMB <100k", "80000.00", "Ivy", "Ian"],
        ]
    );
    let ivy = &advisors["Ivy"];
    assert_eq!((ivy["arr_before"].as_str(), ivy["arr_after"].as_str()), ("290000.00", "320000.00"));
    assert_eq!((ivy["scope_status_before"].as_str(), ivy["scope_status_after"].as_str()), ("below", "meets"));
    assert_eq!(ivy["scope_share_after"], "0.718750"); // (120,000 + 110,000) / 320,000
    assert_eq!(advisors["Ian"]["arr_after"], "170000.00");
    assert_eq!(advisors["Ian"]["scope_share_after"], "1.000000");
    let ownership = fixture.read("plan/plan-ownership.csv");
    assert_eq!(ownership, "account_id,advisor,from\nE2,Ian,2025-09\nE2,Ivy,2026-10\nS2,Ivy,2025-09\nS2,Ian,2026-10\n");
}

/// S2 renews in 2026-11, within the 3 protected months: the plan swaps S1 (90,000) instead.
#[test]
fn a_protected_renewal_blocks_the_cheapest_move() {
    let fixture = team("2026-11-15", "Max");
    let (moves, _) = plan(&fixture, &[]);
    let moved: Vec<&str> = moves[1..].iter().map(|m| m[0].as_str()).collect();
    assert_eq!(moved, ["E2", "S1"]);
    // With no month protected, S2 moves again.
    let (moves, _) = plan(&fixture, &["--protect-months", "0", "--force"]);
    assert_eq!(moves[1..].iter().map(|m| m[0].as_str()).collect::<Vec<_>>(), ["E2", "S2"]);
}

/// E2 pinned: Ivy has no Ent to receive, and Ian cannot take an SMB without passing 250,000.
/// No move; both stay below, and the run succeeds.
#[test]
fn a_pinned_account_leaves_both_below() {
    let fixture = team("2027-06-01", "Max");
    let (moves, advisors) = plan(&fixture, &["--keep", "E2"]);
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(advisors["Ivy"]["scope_status_after"], "below");
    assert_eq!(advisors["Ian"]["scope_status_after"], "below");
}

/// The size limit forces a smaller move, by hand: Ivy (IC3: SA SMB 800,000, SB SMB 200,000, EA
/// Ent 600,000; 1.6M, Ent 37.5%) may end between 1.2M and 2.0M. Ian's EB (Ent 500,000) alone
/// would fit her in one move (2.1M, Ent 52%) but passes 2.0M; his EC (300,000) alone leaves her
/// at 47%; EC in and SB out fits (1.7M, Ent 53%): 500,000 in two moves. Ian (IC1: EB, EC, SC
/// SMB 2.2M; 3.0M) keeps fitting. With books free to double, EB alone does it.
#[test]
fn the_size_limit_forces_a_smaller_move() {
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n\
                    SA,Sable,Ivy,SMB,10,no,8,\nSB,Sage,Ivy,SMB,10,no,8,\nEA,Elm,Ivy,Enterprise,5000,no,8,\n\
                    EB,Ember,Ian,Enterprise,5000,no,8,\nEC,Elder,Ian,Enterprise,5000,no,8,\nSC,Slate,Ian,SMB,10,no,8,\n";
    let arr = "account_id,month,arr\nSA,2026-09,800000\nSB,2026-09,200000\nEA,2026-09,600000\n\
               EB,2026-09,500000\nEC,2026-09,300000\nSC,2026-09,2200000\n";
    let fixture = Fixture::empty()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", "advisor,level,manager\nIvy,IC3,Max\nIan,IC1,Max\n");
    fixture.run(&["plan", "--data", "data", "--out", "plan"]).success();
    let moved = |fixture: &Fixture| -> Vec<String> {
        rows(&fixture.read("plan/plan.csv"))[1..].iter().map(|m| format!("{} {}→{}", m[0], m[4], m[5])).collect()
    };
    assert_eq!(moved(&fixture), ["EC Ian→Ivy", "SB Ivy→Ian"]);
    assert!(fixture.read("plan/plan.md").contains("Proven optimal"));
    fixture.run(&["plan", "--data", "data", "--out", "plan", "--max-change", "1", "--force"]).success();
    assert_eq!(moved(&fixture), ["EB Ian→Ivy"]);
}

/// Ian in another team: nothing moves unless --across-teams.
#[test]
fn cross_team_moves_only_with_across_teams() {
    let fixture = team("2027-06-01", "Mia");
    let (moves, _) = plan(&fixture, &[]);
    assert_eq!(moves.len(), 1);
    let (moves, _) = plan(&fixture, &["--across-teams", "--force"]);
    assert_eq!(moves[1..].iter().map(|m| m[0].as_str()).collect::<Vec<_>>(), ["E2", "S2"]);
}

/// Scoring the inputs with each moved account's owner replaced gives the plan's after values,
/// and plan-ownership.csv read as ownership.csv by the next quarter's score credits the months
/// before the hand-over to the giver.
#[test]
fn scoring_the_moved_books_gives_the_after_values() {
    let fixture = team("2027-06-01", "Max");
    let (_, advisors) = plan(&fixture, &[]);
    let moved = ACCOUNTS
        .replace("RENEWS", "2027-06-01")
        .replace("E2,Ember,Ian", "E2,Ember,Ivy")
        .replace("S2,Spruce,Ivy", "S2,Spruce,Ian");
    let after = Fixture::empty()
        .file("data/accounts.csv", &moved)
        .file("data/arr.csv", ARR)
        .file("data/advisors.csv", "advisor,level,manager\nIvy,IC3,Max\nIan,IC1,Max\n");
    after.score(&["--format", "csv"]).success();
    let scorecards = after.read("out/scorecards.csv");
    for name in ["Ivy", "Ian"] {
        let row = scorecard(&scorecards, name);
        let planned = &advisors[name];
        assert_eq!(row["arr_active"], planned["arr_after"], "{name}");
        assert_eq!(row["primary_scope_share"], planned["scope_share_after"], "{name}");
        assert_eq!(row["scope_status"], planned["scope_status_after"], "{name}");
    }
    // The next quarter: the CRM's owners changed, ownership.csv holds the plan's rows.
    let next = ARR.to_string()
        + "S1,2026-12,90000\nS2,2026-12,80000\nE1,2026-12,120000\nE2,2026-12,110000\nS3,2026-12,90000\n";
    let ledger = fixture.read("plan/plan-ownership.csv");
    let later = Fixture::empty()
        .file("data/accounts.csv", &moved)
        .file("data/arr.csv", &next)
        .file("data/advisors.csv", "advisor,level,manager\nIvy,IC3,Max\nIan,IC1,Max\n")
        .file("data/ownership.csv", &ledger);
    later.score(&["--format", "csv"]).success();
}

#[test]
fn bad_settings_are_refused_with_nothing_written() {
    let fixture = team("2027-06-01", "Max");
    let run = fixture.run(&["plan", "--data", "data", "--out", "plan", "--max-change", "1.5", "--time-limit", "0"]);
    let run = run.code(3);
    assert!(run.stderr.contains("--max-change: must be above 0 and at most 1 (1.5)"), "{}", run.stderr);
    assert!(run.stderr.contains("--time-limit: must be a number of seconds above 0"), "{}", run.stderr);
    let run = fixture.run(&["plan", "--data", "data", "--out", "plan", "--keep", "NOPE"]).code(3);
    assert!(run.stderr.contains("--keep: no account with this id in accounts.csv (NOPE)"), "{}", run.stderr);
    assert!(!fixture.path().join("plan").exists());
}

/// On the samples, Aisha Khan and Ben Carter (both IC3) are below their scope; the plan fits
/// every book, proven, and the team index points to it.
#[test]
fn the_samples_plan_fits_every_book() {
    let fixture = Fixture::empty();
    let samples = crate::util::repo_root().join("samples");
    let data = samples.to_str().unwrap();
    fixture.run(&["plan", "--data", data, "--out", "plan"]).success();
    let advisors = rows(&fixture.read("plan/plan-advisors.csv"));
    let before = advisors.iter().filter(|r| r[7] == "below").count();
    let after = advisors.iter().filter(|r| r[8] == "meets").count();
    assert_eq!((before, after, advisors.len() - 1), (2, 8, 8));
    let page = fixture.read("plan/plan.md");
    assert!(page.contains("Proven optimal"), "{page}");
    assert!(page.contains("### Ben Carter → James Whitfield"), "{page}");
    fixture.run(&["score", "--data", data, "--out", "out", "--format", "md"]).success();
    let index = fixture.read("out/index.md");
    assert!(index.contains("Books outside their level's scope: Aisha Khan, Ben Carter."), "{index}");
}

/// A book still below says why: here E2, the only Ent in Ivy's reach, is pinned.
#[test]
fn a_book_still_below_says_why() {
    let fixture = team("2027-06-01", "Max");
    plan(&fixture, &["--keep", "E2"]);
    let page = fixture.read("plan/plan.md");
    assert!(page.contains("- Ivy: 1 account of a primary tier in reach: 1 pinned by --keep"), "{page}");
    // Ian (IC1) keeps E2 (110,000, not primary) and may end at 250,000: 10,000 to 50,000 more of
    // SMB would fit him, but Ivy's are 90,000 and 80,000. Split accounts could, so it is the
    // limit, found by the proven search, that keeps him below.
    assert!(page.contains("- Ian: a limit: enough of the 2 accounts of a primary tier in reach"), "{page}");
    let html = fixture.read("plan/plan.html");
    assert!(html.contains("<li>Ivy: 1 account of a primary tier in reach: 1 pinned by --keep</li>"), "{html}");
}

/// An unassigned account may go to any advisor with a level: Ivy (IC3; S1 SMB 90,000, S2 SMB
/// 30,000, E1 Ent 100,000: 220,000, Ent 45%) fits by taking U1 (Ent, 110,000, no advisor):
/// 330,000 with Ent 210,000 (64%), within ±60%. Its ownership rows: blank before, Ivy from E + 1.
#[test]
fn an_unassigned_account_goes_to_whoever_it_fits() {
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n\
                    S1,Slate,Ivy,SMB,10,no,8,\nS2,Spruce,Ivy,SMB,10,no,8,\nE1,Elm,Ivy,Enterprise,5000,yes,8,\n\
                    U1,Umber,,Enterprise,5000,yes,8,\n";
    let arr = "account_id,month,arr\nS1,2026-09,90000\nS2,2026-09,30000\nE1,2026-09,100000\nU1,2026-09,110000\n";
    let fixture = Fixture::empty()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", "advisor,level,manager\nIvy,IC3,Max\n");
    fixture.run(&["plan", "--data", "data", "--out", "plan", "--max-change", "0.6"]).success();
    assert_eq!(
        rows(&fixture.read("plan/plan.csv"))[1],
        ["U1", "Umber", "Ent 100k+", "110000.00", "(unassigned)", "Ivy"]
    );
    assert_eq!(fixture.read("plan/plan-ownership.csv"), "account_id,advisor,from\nU1,,2026-09\nU1,Ivy,2026-10\n");
}

/// An IC5 needs an all-Strategic book: Zed (ST1 Strategic 200,000, E3 Ent 150,000: 57%) can
/// only fit by giving E3 away; Yan (IC4: ST2 Strategic 300,000, E4 Ent 100,000: 75%) takes it
/// and still fits (550,000, 55%) when books may change by 100%. Within ±25% Zed would drop to
/// 200,000 (under 262,500) and Yan rise to 550,000 (over 500,000): no move, and the page says a
/// limit is why.
#[test]
fn an_ic5_needs_an_all_strategic_book() {
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n\
                    ST1,Stone,Zed,Strategic,50000,yes,8,\nE3,Ember,Zed,Enterprise,5000,yes,8,\n\
                    ST2,Steel,Yan,Strategic,50000,yes,8,\nE4,Elder,Yan,Enterprise,5000,yes,8,\n";
    let arr = "account_id,month,arr\nST1,2026-09,200000\nE3,2026-09,150000\nST2,2026-09,300000\nE4,2026-09,100000\n";
    let fixture = Fixture::empty()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", "advisor,level,manager\nZed,IC5,Max\nYan,IC4,Max\n");
    fixture.run(&["plan", "--data", "data", "--out", "plan", "--max-change", "1"]).success();
    let moves = rows(&fixture.read("plan/plan.csv"));
    assert_eq!(moves[1..], [["E3", "Ember", "Ent 100k+", "150000.00", "Zed", "Yan"]]);
    fixture.run(&["plan", "--data", "data", "--out", "plan", "--force"]).success();
    assert_eq!(rows(&fixture.read("plan/plan.csv")).len(), 1);
    let page = fixture.read("plan/plan.md");
    assert!(page.contains("- Zed: no plan can fit it within the limits: even with accounts split"), "{page}");
}

/// Too little of a primary tier in reach, by hand: Ivy (IC3) holds S1 (SMB 900,000) and E1 (Ent
/// 100,000); the only other Ent is the unassigned U1 (200,000). Her smallest book within ±25% is
/// 750,000, so fitting takes 375,000 of Ent, and 300,000 is all there is.
#[test]
fn too_little_of_a_primary_tier_in_reach() {
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n\
                    S1,Slate,Ivy,SMB,10,no,8,\nE1,Elm,Ivy,Enterprise,5000,yes,8,\nU1,Umber,,Enterprise,5000,yes,8,\n";
    let arr = "account_id,month,arr\nS1,2026-09,900000\nE1,2026-09,100000\nU1,2026-09,200000\n";
    let fixture = Fixture::empty()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", arr)
        .file("data/advisors.csv", "advisor,level,manager\nIvy,IC3,Max\n");
    fixture.run(&["plan", "--data", "data", "--out", "plan"]).success();
    assert_eq!(rows(&fixture.read("plan/plan.csv")).len(), 1);
    let page = fixture.read("plan/plan.md");
    assert!(
        page.contains(
            "- Ivy: too little ARR of a primary tier in reach: fitting takes at least $375,000 (50% of \
             $750,000, the smallest book within ±25%), and its own and the 1 account it could receive come to \
             $300,000"
        ),
        "{page}"
    );
    assert!(page.contains("Proven optimal"), "{page}");
}

mod properties {
    use proptest::prelude::*;

    use crate::util::{rows, scorecard, Fixture};

    const SEGMENTS: [&str; 4] = ["SMB", "Mid-Market", "Enterprise", "Strategic"];

    /// Advisors as (level index, manager), accounts as (owner, segment, ARR in thousands; an
    /// owner past the advisors is none), and `--max-change` in percent.
    type Company = (Vec<(usize, usize)>, Vec<(usize, usize, u32)>, u32);

    /// A random company: two to four advisors at IC1 to IC5 under one or two managers, and three
    /// to nine accounts of any segment and ARR, some unassigned.
    fn company() -> impl Strategy<Value = Company> {
        (
            proptest::collection::vec((0usize..5, 0usize..2), 2..5),
            proptest::collection::vec((0usize..5, 0usize..4, 20u32..400), 3..10),
            prop_oneof![Just(25u32), Just(50), Just(100)],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
        /// Every plan keeps every limit, and scoring the inputs with each moved account's owner
        /// replaced gives exactly plan-advisors.csv's after values.
        #[test]
        fn every_plan_keeps_its_limits_and_scores_as_planned((advisors, accounts, change) in company()) {
            let name = |i: usize| format!("Advisor {i}");
            let roster: String = advisors
                .iter()
                .enumerate()
                .map(|(i, (level, manager))| format!("{},IC{},Manager {manager}\n", name(i), level + 1))
                .collect();
            let owner = |o: usize| if o < advisors.len() { name(o) } else { String::new() };
            let book = |owners: &dyn Fn(usize, usize) -> String| -> String {
                let mut text = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n".to_string();
                for (a, &(o, segment, _)) in accounts.iter().enumerate() {
                    text += &format!("A{a},Account {a},{},{},100,no,8,\n", owners(a, o), SEGMENTS[segment]);
                }
                text
            };
            let arr: String = "account_id,month,arr\n".to_string()
                + &accounts.iter().enumerate().map(|(a, &(_, _, k))| format!("A{a},2026-09,{}\n", k * 1000)).collect::<String>();
            let fixture = Fixture::empty()
                .file("data/accounts.csv", &book(&|_, o| owner(o)))
                .file("data/arr.csv", &arr)
                .file("data/advisors.csv", &format!("advisor,level,manager\n{roster}"));
            let max_change = format!("{:.2}", f64::from(change) / 100.0);
            fixture.run(&["plan", "--data", "data", "--out", "plan", "--max-change", &max_change, "--time-limit", "2"]).success();
            let moves = rows(&fixture.read("plan/plan.csv"));
            let planned = fixture.read("plan/plan-advisors.csv");
            // Limits: each book within ±max-change, and a book that met its scope still does.
            for row in rows(&planned).iter().skip(1) {
                let (before, after): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
                if before > 0.0 {
                    prop_assert!((after - before).abs() <= before * f64::from(change) / 100.0 + 0.01, "{row:?}");
                }
                prop_assert!(row[7] != "meets" || row[8] == "meets", "{row:?}");
            }
            // The inputs with the owners replaced, scored.
            let to: std::collections::HashMap<String, String> =
                moves.iter().skip(1).map(|m| (m[0].clone(), m[5].clone())).collect();
            let moved = book(&|a, o| to.get(&format!("A{a}")).cloned().unwrap_or_else(|| owner(o)));
            let after = Fixture::empty()
                .file("data/accounts.csv", &moved)
                .file("data/arr.csv", &arr)
                .file("data/advisors.csv", &format!("advisor,level,manager\n{roster}"));
            after.score(&["--format", "csv"]).success();
            let scorecards = after.read("out/scorecards.csv");
            for i in 0..advisors.len() {
                let (row, plan) = (scorecard(&scorecards, &name(i)), scorecard(&planned, &name(i)));
                prop_assert_eq!(&row["arr_active"], &plan["arr_after"], "{}", name(i));
                prop_assert_eq!(&row["primary_scope_share"], &plan["scope_share_after"], "{}", name(i));
                prop_assert_eq!(&row["scope_status"], &plan["scope_status_after"], "{}", name(i));
            }
        }
    }
}
