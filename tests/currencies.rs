//! Currencies (SPEC §10) end to end: a book in EUR, GBP and USD with rates.csv gives
//! constant-currency numbers computed by hand below, the exchange-rate impact on its own line,
//! and amounts written in the reporting currency everywhere.

use crate::util::{rows, scorecard, Fixture, ACCOUNTS, ADVISORS};

// Ada: A1 €1,000 → €1,000 (flat in euros), A2 £2,000 → £1,500. Bo: A3 $5,000 → $0.
// Rates into USD: EUR 1.10 (2025-09), 1.20 (2026-09); GBP 1.25 (2025-01), 1.30 (2026-06, so in
// force at 2026-09). The window 2025-09 → 2026-09 at 2026-09's rates:
//   start 1,000 × 1.20 + 2,000 × 1.30 = 3,800; end 1,200 + 1,500 × 1.30 = 3,150;
//   contraction 2,600 − 1,950 = 650, no expansion (the euro's rise is not growth);
//   NDR = GRR = 3,150 / 3,800 = 0.828947;
//   fx_impact 1,000 × (1.20 − 1.10) + 2,000 × (1.30 − 1.25) = 200.
const ARR: &str = "\
account_id,month,arr,currency
A1,2025-09,1000,EUR
A1,2026-09,1000,EUR
A2,2025-09,£2000,
A2,2026-09,1500,GBP
A3,2025-06,5000,USD
A3,2025-09,5000,USD
A3,2026-09,0,USD
";

const RATES: &str = "\
month,from,to,rate
2025-09,EUR,USD,1.10
2026-09,EUR,USD,1.20
2025-01,GBP,USD,1.25
2026-06,GBP,USD,1.30
";

fn fixture() -> Fixture {
    Fixture::empty()
        .file("data/accounts.csv", ACCOUNTS)
        .file("data/arr.csv", ARR)
        .file("data/advisors.csv", ADVISORS)
        .file("data/rates.csv", RATES)
}

#[test]
fn a_book_in_three_currencies_is_scored_in_constant_currency() {
    let fixture = fixture();
    fixture.score(&[]).success();
    let csv = fixture.read("out/scorecards.csv");
    let ada = scorecard(&csv, "Ada");
    let got: Vec<&str> =
        ["start_arr", "end_arr", "expansion_arr", "contraction_arr", "churned_arr", "ndr", "grr", "arr_active"]
            .iter()
            .map(|c| ada[*c].as_str())
            .collect();
    assert_eq!(got, ["3800.00", "3150.00", "0.00", "650.00", "0.00", "0.828947", "0.828947", "3150.00"]);
    assert_eq!((ada["fx_impact_arr"].as_str(), ada["currency"].as_str()), ("200.00", "USD"));
    assert_eq!((ada["transferred_in_arr"].as_str(), ada["transferred_out_arr"].as_str()), ("0.00", "0.00"));
    let bo = scorecard(&csv, "Bo");
    assert_eq!((bo["churned_arr"].as_str(), bo["fx_impact_arr"].as_str()), ("5000.00", "0.00"));

    // accounts.csv: both currencies side by side; the EUR account is flat, not expansion.
    let accounts = rows(&fixture.read("out/accounts.csv"));
    let column = |name: &str| accounts[0].iter().position(|h| h == name).unwrap();
    let a1 = &accounts[1];
    let shown: Vec<&str> = ["start_arr", "end_arr", "movement", "account_currency", "start_arr_account_currency"]
        .iter()
        .map(|c| a1[column(c)].as_str())
        .collect();
    assert_eq!(shown, ["1200.00", "1200.00", "flat", "EUR", "1000.00"]);

    // JSON carries the same, and the report's currency.
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    assert_eq!(json["currency"], "USD");
    assert_eq!(json["scorecards"][0]["fx_impact_arr"], 200.0);

    // The page says what the rates did, and the bridge has its bar.
    let page = fixture.read("out/advisors/ada.md");
    assert!(page.contains("the rates alone raised the cohort's start ARR by $200 (from $3,600"), "{page}");
    let svg = fixture.read("out/advisors/ada/bridge.svg");
    assert!(svg.contains("Exchange rates") && svg.contains("+$200"), "bridge without its exchange-rate bar");
    let reconciliation = fixture.read("out/scorecards.json");
    assert!(reconciliation.contains("\"balanced\": true"), "{reconciliation}");
}

#[test]
fn show_and_validate_take_the_reporting_currency() {
    let two_targets = fixture().file("data/rates.csv", &format!("{RATES}2025-01,USD,EUR,0.9\n2026-09,USD,EUR,0.8\n"));
    // Two target currencies: the run asks which.
    two_targets.run(&["validate", "--data", "data"]).code(3).stderr_line(
        "data/rates.csv: to: rates convert into several currencies (EUR and USD): pass --currency CODE to choose the \
         reporting one",
    );
    // In EUR, the GBP account has no rate into EUR: named with its months.
    two_targets.run(&["validate", "--data", "data", "--currency", "EUR"]).code(3).stderr_line(
        "data/rates.csv: from: no rate from GBP to EUR in force at 2025-09, 2026-09 (it has none): add a row for \
         that month or earlier (GBP)",
    );
    // Bad rates: every one named, all at once.
    let bad = format!("{RATES}2026-09,EUR,USD,1.25\n2026-10,EUR,USD,0\n2026-10,XEU,USD,1\n");
    fixture()
        .file("data/rates.csv", &bad)
        .run(&["validate", "--data", "data"])
        .code(3)
        .stderr_line("data/rates.csv:6: month: a second rate from EUR to USD for 2026-09, first on line 3 (2026-09)")
        .stderr_line("data/rates.csv:7: rate: a rate must be above 0 (0)")
        .stderr_line("data/rates.csv:8: from: not an ISO 4217 currency code (like USD, EUR, GBP) (XEU)");
    let run = two_targets.run(&["show", "ada", "--data", "data", "--currency", "usd"]).success();
    assert!(run.stdout.contains("Rates   Amounts are in USD at 2026-09 exchange rates"), "{}", run.stdout);
    two_targets.run(&["show", "ada", "--data", "data", "--currency", "XYZ"]).code(2);
}

#[test]
fn one_currency_other_than_usd_is_written_as_itself() {
    let euros = ARR.replace("USD", "EUR").replace(",GBP", ",EUR").replace("£2000,", "2000,EUR");
    let fixture = fixture().file("data/arr.csv", &euros).remove("data/rates.csv");
    fixture.score(&[]).success();
    assert_eq!(scorecard(&fixture.read("out/scorecards.csv"), "Ada")["currency"], "EUR");
    // The framework's own words ("under $100k ARR", from the targets file) are the only `$`.
    for page in ["out/advisors/ada.md", "out/index.md", "out/advisors/ada.html"] {
        let text = fixture.read(page).replace("$100k", "");
        assert!(text.contains('€') && !text.contains('$'), "{page} writes another currency's sign:\n{text}");
    }
    let run = fixture.run(&["show", "ada", "--data", "data"]).success();
    let shown = run.stdout.replace("$100k", "");
    assert!(shown.contains('€') && !shown.contains('$'), "{}", run.stdout);
}

#[test]
fn a_workbook_carries_its_rates_in_a_sheet() {
    let book =
        crate::exports::workbook(&[("accounts", ACCOUNTS), ("arr", ARR), ("advisors", ADVISORS), ("Rates", RATES)]);
    let from_sheets = Fixture::empty().bytes("book.xlsx", &book);
    from_sheets.run(&["score", "--data", "book.xlsx", "--out", "out"]).success();
    let from_csv = fixture();
    from_csv.score(&[]).success();
    assert_eq!(from_sheets.read("out/scorecards.csv"), from_csv.read("out/scorecards.csv"));
    // A bad rate is named by its cell.
    let bad = RATES.replace("2026-09,EUR,USD,1.20", "2026-09,EUR,USD,-1");
    let book =
        crate::exports::workbook(&[("accounts", ACCOUNTS), ("arr", ARR), ("advisors", ADVISORS), ("rates", &bad)]);
    let fixture = Fixture::empty().bytes("book.xlsx", &book);
    fixture
        .run(&["validate", "--data", "book.xlsx"])
        .code(3)
        .stderr_line("book.xlsx[rates]!D3: rate: a rate must be above 0 (-1)");
}
