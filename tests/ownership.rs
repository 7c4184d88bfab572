//! Ownership history (SPEC §9) end to end: tenures computed by hand below, the ledger's checks,
//! and nothing changed without a ledger.

use crate::util::{scorecard, Fixture, ACCOUNTS, ADVISORS};

// A2 was Bo's until 2026-03 (it shrank 2,000 → 1,800 under him) and is Ada's from 2026-04
// (1,800 → 1,500 under her). A1 stays Ada's (1,000 → 1,200); A3 stays Bo's (5,000 → 0).
// Window 2025-09 → 2026-09:
//   Ada: A1 1,000 → 1,200 and A2's tenure 1,800 → 1,500 (handed in): start 2,800, end 2,700,
//        expansion 200, contraction 300; NDR 2,700 / 2,800 = 0.964286, GRR 2,500 / 2,800 =
//        0.892857; transferred in 1,800.
//   Bo:  A3 5,000 → 0 (churn) and A2's tenure 2,000 → 1,800 (handed out): start 7,000, end 1,800,
//        contraction 200, churn 5,000; NDR = GRR = 1,800 / 7,000 = 0.257143; transferred out 1,800.
const ARR: &str = "\
account_id,month,arr
A1,2025-09,1000
A1,2026-09,1200
A2,2025-09,2000
A2,2026-03,1800
A2,2026-09,1500
A3,2025-06,5000
A3,2025-09,5000
A3,2026-09,0
";

const LEDGER: &str = "\
account_id,advisor,from
A2,Bo,2025-01
A2,Ada,2026-04
";

fn fixture() -> Fixture {
    Fixture::empty()
        .file("data/accounts.csv", ACCOUNTS)
        .file("data/arr.csv", ARR)
        .file("data/advisors.csv", ADVISORS)
        .file("data/ownership.csv", LEDGER)
}

#[test]
fn each_advisor_is_scored_on_the_tenures_they_held() {
    let fixture = fixture();
    fixture.score(&[]).success();
    let csv = fixture.read("out/scorecards.csv");
    let columns = [
        "cohort_accounts",
        "start_arr",
        "end_arr",
        "expansion_arr",
        "contraction_arr",
        "churned_arr",
        "ndr",
        "grr",
        "transferred_in_arr",
        "transferred_out_arr",
        "accounts_active",
        "arr_active",
    ];
    let row = |name: &str| -> Vec<String> {
        let card = scorecard(&csv, name);
        columns.iter().map(|c| card[*c].clone()).collect()
    };
    assert_eq!(
        row("Ada"),
        [
            "2", "2800.00", "2700.00", "200.00", "300.00", "0.00", "0.964286", "0.892857", "1800.00", "0.00", "2",
            "2700.00"
        ]
    );
    assert_eq!(
        row("Bo"),
        [
            "2", "7000.00", "1800.00", "0.00", "200.00", "5000.00", "0.257143", "0.257143", "0.00", "1800.00", "0",
            "0.00"
        ]
    );
}

#[test]
fn hand_overs_are_listed_and_explained_everywhere() {
    let fixture = fixture();
    fixture.score(&[]).success();
    assert_eq!(
        fixture.read("out/transfers.csv"),
        "account_id,account_name,month,from_advisor,to_advisor,arr_handed_over\nA2,Bolt,2026-04,Bo,Ada,1800.00\n"
    );
    let accounts = fixture.read("out/accounts.csv");
    assert!(accounts.lines().next().unwrap().ends_with(",owner_since"));
    assert!(accounts.lines().any(|l| l.starts_with("A2,") && l.ends_with(",2026-04")), "{accounts}");
    let ada = fixture.read("out/advisors/ada.md");
    assert!(ada.contains("1 account ($1,800) transferred in since 2026-04."), "{ada}");
    assert!(ada.contains("| Bolt (A2) | 2026-04 | in, from Bo | $1,800 |"), "{ada}");
    // Ada's tenure of A2 began in 2026-04: six months, no short-tenure caveat.
    assert!(!ada.contains("less than three months"), "{ada}");
    // The accounts behind NDR are the tenures held: Ada's A2 moved 1,800 → 1,500, Bo's 2,000 → 1,800.
    assert!(ada.contains("| Bolt (A2) | contraction | $1,800 | $1,500 | −$300 |"), "{ada}");
    let bo = fixture.read("out/advisors/bo.md");
    assert!(bo.contains("| Bolt (A2) | contraction | $2,000 | $1,800 | −$200 |"), "{bo}");
    let svg = fixture.read("out/advisors/ada/bridge.svg");
    assert!(svg.contains("Transferred in") && svg.contains("+$2k"), "bridge without the hand-over bar");
    assert!(fixture.read("out/advisors/bo/bridge.svg").contains("Transferred out"));
    assert!(fixture.read("out/index.md").contains("| transfers |"));
    let show = fixture.run(&["show", "ada", "--data", "data"]).success();
    assert!(show.stdout.contains("Moves   1 account ($1,800) transferred in since 2026-04"), "{}", show.stdout);
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["transfers"][0]["to_advisor"], "Ada");
    assert_eq!(json["scorecards"][0]["transferred_in_arr"], 1800.0);
}

#[test]
fn a_short_or_mostly_inherited_window_carries_a_caveat() {
    // A1 handed from Bo to Ada in 2026-08: two months under Ada, and most of her start.
    let ledger = format!("{LEDGER}A1,Bo,2025-01\nA1,Ada,2026-08\n");
    let fixture = fixture().file("data/ownership.csv", &ledger);
    fixture.score(&[]).success();
    let ada = fixture.read("out/advisors/ada.md");
    assert!(ada.contains("1 tenure in the window last less than three months"), "{ada}");
    assert!(ada.contains("of the cohort's $1,800 start ARR came by hand-over"), "{ada}");
}

#[test]
fn without_a_ledger_the_columns_are_zero_and_a_ledger_that_changes_nobody_changes_nothing() {
    let plain = Fixture::empty()
        .file("data/accounts.csv", ACCOUNTS)
        .file("data/arr.csv", ARR)
        .file("data/advisors.csv", ADVISORS);
    plain.score(&[]).success();
    let expected = plain.read("out/scorecards.csv");
    assert_eq!(scorecard(&expected, "Ada")["transferred_in_arr"], "0.00");
    let same = "account_id,advisor,from\nA1,Ada,2025-01\nA2,Ada,2024-06\nA3,Bo,2025-06\n";
    let fixture = fixture().file("data/ownership.csv", same);
    fixture.score(&[]).success();
    assert_eq!(fixture.read("out/scorecards.csv"), expected);
    assert!(!plain.path().join("out/transfers.csv").exists());
    assert!(!plain.read("out/accounts.csv").contains("owner_since"));
}

#[test]
fn ledger_problems_are_all_named_with_their_lines() {
    let bad = "account_id,advisor,from\nA9,Ada,2026-01\nA1,Ada,\nA2,Bo,2026-01\nA2,Ada,2026-01\nA1,Ada,2027-01\nA3,Ada,2026-01\n";
    fixture()
        .file("data/ownership.csv", bad)
        .run(&["validate", "--data", "data"])
        .code(3)
        .stderr_line("data/ownership.csv:2: account_id: not in data/accounts.csv: its owners would own nothing (A9)")
        .stderr_line("data/ownership.csv:3: from: missing: the first month of this ownership")
        .stderr_line("data/ownership.csv:5: from: a second owner of A2 from 2026-01, first on line 4 (2026-01)")
        .stderr_line(
            "data/ownership.csv:6: from: after the last month of arr.csv (2026-09): a hand-over not yet in the data \
             (2027-01)",
        )
        .stderr_line(
            "data/ownership.csv:7: advisor: the latest owner of A3 is Ada but data/accounts.csv says Bo: the ledger's \
             last row must be the account's current owner (Ada)",
        );
}

#[test]
fn a_hand_over_while_arr_is_zero_is_a_churn_before_and_new_arr_after() {
    // A2 has no ARR in 2026-03 (a month inside the data without a row is 0) when Bo hands it to
    // Ada in 2026-04: Bo's tenure 2,000 → 0 is churn; Ada's 0 → 1,500 is new ARR, not in her cohort.
    let arr = ARR.replace("A2,2026-03,1800\n", "");
    let fixture = fixture().file("data/arr.csv", &arr);
    fixture.score(&[]).success();
    let csv = fixture.read("out/scorecards.csv");
    let (ada, bo) = (scorecard(&csv, "Ada"), scorecard(&csv, "Bo"));
    let got = |card: &std::collections::HashMap<String, String>, columns: &[&str]| -> Vec<String> {
        columns.iter().map(|c| card[*c].clone()).collect()
    };
    let columns = ["cohort_accounts", "start_arr", "end_arr", "new_arr", "churned_arr", "transferred_in_arr"];
    assert_eq!(got(&ada, &columns), ["1", "1000.00", "1200.00", "1500.00", "0.00", "0.00"]);
    assert_eq!(got(&bo, &columns), ["2", "7000.00", "0.00", "0.00", "7000.00", "0.00"]);
    assert_eq!(bo["transferred_out_arr"], "0.00");
}
