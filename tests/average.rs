//! The framework's "annual average" (SPEC §4): `ndr_avg4` and `grr_avg4` worked out by hand, and
//! the `average4` basis changing what the statuses, the readiness verdict and the gaps rate.

use crate::util::{repo_root, scorecard, Fixture};

/// Three IC1 advisors, one SMB account each, their ARR by month from 2024-09 to 2026-09 as
/// steps (the value from that month on). The 12-month NDR at each quarter end, by hand:
///
/// | advisor | 2025-09 | 2025-12 | 2026-03 | 2026-06 | 2026-09 |
/// |---|---|---|---|---|---|
/// | Ada | 100/100 = 1.00 | 120/100 = 1.20 | 112/100 = 1.12 | 100/100 = 1.00 | 90/100 = 0.90 |
/// | Bea | 1.00 | 90/100 = 0.90 | 0.90 | 0.90 | 110/100 = 1.10 |
/// | Cy  | – (no ARR a year before) | – | – | 100/100 = 1.00 | 1.00 |
///
/// So at 2026-09: Ada's annual average is (0.90 + 1.00 + 1.12 + 1.20) / 4 = 1.055 and GRR's
/// (0.90 + 1 + 1 + 1) / 4 = 0.975; Bea's NDR (1.10 + 0.90 × 3) / 4 = 0.95, GRR (1 + 0.9 × 3) / 4 =
/// 0.925; Cy has no NDR at 2026-03, so no average.
fn fixture(targets: Option<&str>) -> Fixture {
    let steps: [(&str, &[(&str, u32)]); 3] = [
        ("A1", &[("2024-09", 100), ("2025-10", 120), ("2026-01", 112), ("2026-04", 100), ("2026-07", 90)]),
        ("B1", &[("2024-09", 100), ("2025-10", 90), ("2026-07", 110)]),
        ("C1", &[("2025-06", 100)]),
    ];
    let mut arr = String::from("account_id,month,arr\n");
    for (id, steps) in steps {
        for year in 2024..=2026 {
            for month in 1..=12 {
                let at = format!("{year}-{month:02}");
                if at.as_str() < "2024-09" || at.as_str() > "2026-09" {
                    continue;
                }
                if let Some((_, value)) = steps.iter().rev().find(|(from, _)| *from <= at.as_str()) {
                    arr += &format!("{id},{at},{value}\n");
                }
            }
        }
    }
    let accounts = "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date\n\
                    A1,Alder,Ada,SMB,10,no,8,\nB1,Birch,Bea,SMB,10,no,8,\nC1,Cedar,Cy,SMB,10,no,8,\n";
    let mut fixture = Fixture::empty()
        .file("data/accounts.csv", accounts)
        .file("data/arr.csv", &arr)
        .file("data/advisors.csv", "advisor,level,manager\nAda,IC1,Max\nBea,IC1,Max\nCy,IC1,Max\n");
    if let Some(targets) = targets {
        fixture = fixture.file("targets.toml", targets);
    }
    fixture
}

/// The built-in targets with `basis` set.
fn targets_with_basis(basis: &str) -> String {
    let built_in = std::fs::read_to_string(repo_root().join("targets/targets.toml")).unwrap();
    assert!(built_in.contains("basis = \"t12m\""));
    built_in.replacen("basis = \"t12m\"", &format!("basis = \"{basis}\""), 1)
}

#[test]
fn the_annual_average_by_hand_and_none_when_a_quarter_end_is_missing() {
    let fixture = fixture(None);
    fixture.run(&["score", "--data", "data", "--out", "out", "--format", "csv,json"]).success();
    let csv = fixture.read("out/scorecards.csv");
    let (ada, bea, cy) = (scorecard(&csv, "Ada"), scorecard(&csv, "Bea"), scorecard(&csv, "Cy"));
    assert_eq!(
        (ada["ndr"].as_str(), ada["ndr_avg4"].as_str(), ada["grr_avg4"].as_str()),
        ("0.900000", "1.055000", "0.975000")
    );
    assert_eq!((bea["ndr_avg4"].as_str(), bea["grr_avg4"].as_str()), ("0.950000", "0.925000"));
    assert_eq!((cy["ndr"].as_str(), cy["ndr_avg4"].as_str(), cy["grr_avg4"].as_str()), ("1.000000", "", ""));
    // The statuses rate the 12-month value by default.
    assert_eq!((ada["ndr_status"].as_str(), bea["ndr_status"].as_str()), ("below", "meets"));
    let json = fixture.read("out/scorecards.json");
    assert!(json.contains("\"basis\": \"t12m\""), "{json}");
    // show puts the average beside the 12-month value.
    let show = fixture.run(&["show", "Ada", "--data", "data"]).success();
    assert!(show.stdout.contains("NDR 105.5%, GRR 97.5%"), "{}", show.stdout);
    assert!(json.contains("\"ndr_avg4\": 1.055"), "{json}");
}

/// With `basis = "average4"`, Ada's average of 105.5% meets the IC1 target of 105% where her
/// 12-month 90% is below, and her readiness for IC2 (105% at each of the last two quarter ends:
/// 1.055 and (1.00 + 1.12 + 1.20 + 1.00) / 4 = 1.08) turns true. Bea's average of 95% is below,
/// and her gap says what 12-month NDR at 2026-09 would lift it: 4 × 1.05 − 0.9 × 3 = 1.50, that
/// is 150 of end ARR on her 100 cohort where she has 110: +$40.
#[test]
fn the_average4_basis_changes_a_status_a_verdict_and_a_gap() {
    let plain = fixture(None);
    plain.run(&["score", "--data", "data", "--out", "out", "--format", "csv,md"]).success();
    let csv = plain.read("out/scorecards.csv");
    assert_eq!(scorecard(&csv, "Ada")["next_level_ready"], "false");

    let fixture = fixture(Some(&targets_with_basis("average4")));
    let run =
        fixture.run(&["score", "--data", "data", "--out", "out", "--format", "csv,md", "--targets", "targets.toml"]);
    run.success();
    let csv = fixture.read("out/scorecards.csv");
    let (ada, bea) = (scorecard(&csv, "Ada"), scorecard(&csv, "Bea"));
    assert_eq!((ada["ndr_status"].as_str(), ada["overall_status"].as_str()), ("meets", "meets"));
    assert_eq!(ada["next_level_ready"], "true");
    assert_eq!((bea["ndr_status"].as_str(), bea["overall_status"].as_str()), ("below", "below"));
    let page = fixture.read("out/advisors/bea.md");
    assert!(
        page.contains(
            "NDR average 95.0% → 105.0%; the 12-month NDR at 2026-09 would need 150.0% (now 110.0%): +$40 of \
             expansion or retained ARR"
        ),
        "{page}"
    );
    assert!(page.contains("The statuses rate the annual average (basis average4)"), "{page}");
    assert!(page.contains("| NDR | 95.0% (annual average) | 105.0% |"), "{page}");
    // The trend shows both values, the status going with the average.
    assert!(page.contains("110.0% · avg 95.0% below"), "{page}");
    let targets = fixture.run(&["targets", "--targets", "targets.toml"]).success();
    assert!(targets.stdout.contains("(basis average4)"), "{}", targets.stdout);
}

#[test]
fn an_unknown_basis_is_refused() {
    let fixture = fixture(Some(&targets_with_basis("average5")));
    let run = fixture.run(&["score", "--data", "data", "--out", "out", "--targets", "targets.toml"]).code(3);
    assert!(run.stderr.contains("basis: must be \"t12m\" or \"average4\" (average5)"), "{}", run.stderr);
    assert!(!fixture.path().join("out").exists());
}
