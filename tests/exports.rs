//! Real exports (SPEC §3.5, issue 13): CRM column names, `columns.toml`, look-alike headers,
//! e-mail owners, delimiters per file, wide ARR layouts, spreadsheets, physical line numbers and
//! one-cell footers. Each shape of the small fixture must give the plain fixture's numbers, or
//! the exact message.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::util::{Fixture, ACCOUNTS, ADVISORS, ARR};

/// scorecards.csv of the plain fixture: what every reshaped export must give.
fn plain_scorecards() -> String {
    let fixture = Fixture::new();
    fixture.score(&[]).success();
    fixture.read("out/scorecards.csv")
}

/// The fixture with `accounts`, `arr` and `advisors` replacing the plain files (None keeps one).
fn reshaped(accounts: Option<&str>, arr: Option<&str>, advisors: Option<&str>) -> Fixture {
    Fixture::empty()
        .file("data/accounts.csv", accounts.unwrap_or(ACCOUNTS))
        .file("data/arr.csv", arr.unwrap_or(ARR))
        .file("data/advisors.csv", advisors.unwrap_or(ADVISORS))
}

/// Replaces the header line of `csv`.
fn with_header(csv: &str, header: &str) -> String {
    let (_, rest) = csv.split_once('\n').unwrap();
    format!("{header}\n{rest}")
}

fn scores_like_the_plain_fixture(fixture: &Fixture, extra: &[&str]) -> crate::util::Run {
    scores_like_the_plain_fixture_in(fixture, extra, "USD")
}

/// The plain fixture's numbers, reported in `currency` (the last column of scorecards.csv).
fn scores_like_the_plain_fixture_in(fixture: &Fixture, extra: &[&str], currency: &str) -> crate::util::Run {
    let run = fixture.score(extra).success();
    let expected = plain_scorecards().replace(",USD,", &format!(",{currency},"));
    assert_eq!(fixture.read("out/scorecards.csv"), expected, "{}", run.stderr);
    run
}

/// An export with both `advisor` and `Account Owner`: the column's own name is read, and a note
/// names both and says which, in `score` and `validate`.
#[test]
fn both_a_name_and_its_alias_read_the_name_and_say_so() {
    let accounts: String = ACCOUNTS
        .lines()
        .enumerate()
        .map(|(i, line)| if i == 0 { format!("{line},Account Owner\n") } else { format!("{line},Someone Else\n") })
        .collect();
    let fixture = reshaped(Some(&accounts), None, None);
    let note = "note: data/accounts.csv: \"advisor\" and \"Account Owner\" can both be advisor; read \"advisor\" (the \
                column's own name); to read \"Account Owner\" instead, name it in columns.toml ([accounts] advisor = \
                \"Account Owner\")";
    scores_like_the_plain_fixture(&fixture, &[]).stderr_line(note);
    fixture.run(&["validate", "--data", "data"]).success().stderr_line(note);
}

#[test]
fn salesforce_headers_are_read_and_named_in_a_note() {
    let accounts =
        with_header(ACCOUNTS, "Account ID,Account Name,Account Owner,Segment,Employees,ELA,Health Score,Renewal Date");
    let arr = with_header(ARR, "Account ID,Month,ARR (converted)");
    let fixture = reshaped(Some(&accounts), Some(&arr), None);
    scores_like_the_plain_fixture(&fixture, &[])
        .stderr_line(
            "note: data/accounts.csv: columns read as account_id ← \"Account ID\", account_name ← \"Account Name\", \
             advisor ← \"Account Owner\", health_score ← \"Health Score\", renewal_date ← \"Renewal Date\"",
        )
        .stderr_line("note: data/arr.csv: columns read as account_id ← \"Account ID\", arr ← \"ARR (converted)\"");
    // validate says the same mapping.
    fixture
        .run(&["validate", "--data", "data"])
        .success()
        .stderr_line("note: data/arr.csv: columns read as account_id ← \"Account ID\", arr ← \"ARR (converted)\"");
}

#[test]
fn hubspot_headers_are_read() {
    let accounts = "Record ID,Company name,Company owner,Customer Segment,Number of Employees,Enterprise License Agreement,Customer Health Score,Next Renewal Date\n"
        .to_string()
        + ACCOUNTS.split_once('\n').unwrap().1;
    let arr = with_header(ARR, "Record ID,Date,Annual Recurring Revenue");
    let advisors = with_header(ADVISORS, "Full Name,Job Level,Reports To");
    scores_like_the_plain_fixture(&reshaped(Some(&accounts), Some(&arr), Some(&advisors)), &[]);
}

#[test]
fn columns_toml_maps_a_teams_own_names() {
    let accounts =
        with_header(ACCOUNTS, "Acct #,account_name,Primary TA,segment,employees,ela,health_score,renewal_date");
    let columns = "[accounts]\naccount_id = \"Acct #\"\nadvisor = \"Primary TA\"\n";
    let fixture = reshaped(Some(&accounts), None, None).file("data/columns.toml", columns);
    scores_like_the_plain_fixture(&fixture, &[]);
    // columns.toml shaped what was read, so its fingerprint is among the inputs.
    fixture.score(&["--format", "json", "--force"]).success();
    let json: serde_json::Value = serde_json::from_str(&fixture.read("out/scorecards.json")).unwrap();
    let names: Vec<&str> =
        json["inputs"]["files"].as_array().unwrap().iter().filter_map(|f| f["name"].as_str()).collect();
    assert_eq!(names, ["accounts.csv", "arr.csv", "advisors.csv", "columns.toml"]);
    // It is not CSV: no data rows are counted in it.
    assert!(json["inputs"]["files"][3]["data_rows"].is_null(), "{}", json["inputs"]);
    // --columns names a file anywhere; a header it names that is not there is refused.
    let fixture = reshaped(Some(&accounts), None, None)
        .file("names.toml", "[accounts]\naccount_id = \"Acct #\"\nadvisor = \"Primary Technical Advisor\"\n");
    fixture.score(&["--columns", "names.toml"]).code(3).stderr_line(
        "data/accounts.csv:1: advisor: names.toml maps it to \"Primary Technical Advisor\", which is not in the header \
         (found: Acct #, account_name, Primary TA, segment, employees, ela, health_score, renewal_date)",
    );
    let fixture = reshaped(None, None, None).file("data/columns.toml", "[acounts]\nadvisor = \"x\"\n");
    fixture.score(&[]).code(3).stderr_line(
        "data/columns.toml: [acounts]: unknown table, expected one of accounts, arr, advisors, rates, health, ownership",
    );
}

#[test]
fn a_look_alike_header_is_a_warning_with_the_line_that_maps_it() {
    let accounts =
        with_header(ACCOUNTS, "account_id,account_name,advisor,segment,employees,ela,Helth Score,renewal_date");
    let fixture = reshaped(Some(&accounts), None, None);
    let line = "warning: data/accounts.csv: column \"Helth Score\" is not used, but looks like health_score: to read \
                it as health_score, add health_score = \"Helth Score\" under [accounts] in columns.toml";
    fixture.score(&[]).success().stderr_line(line);
    fixture.run(&["validate", "--data", "data"]).success().stderr_line(line);
    fixture.score(&["--strict"]).code(3);
}

#[test]
fn two_columns_for_one_field_are_refused() {
    let accounts = "account_id,Account Owner,Owner\nA1,Ada,Bo\n";
    reshaped(Some(accounts), None, None).score(&[]).code(3).stderr_line(
        "data/accounts.csv:1: advisor: two columns can be advisor: \"Account Owner\" and \"Owner\"; keep one, or \
         name it in columns.toml ([accounts] advisor = \"Account Owner\")",
    );
    // A column named as the SPEC names it wins over an alias, as before aliases were read.
    let accounts: Vec<String> =
        ACCOUNTS.lines().enumerate().map(|(i, l)| format!("{l},{}\n", ["owner", "Zed"][i.min(1)])).collect();
    scores_like_the_plain_fixture(&reshaped(Some(&accounts.concat()), None, None), &[]);
}

#[test]
fn owners_written_as_roster_e_mails_are_those_advisors() {
    let accounts = ACCOUNTS.replace(",Ada,", ",ADA@example.com,").replace(",Bo,", ",bo@example.com,");
    let advisors = "advisor,level,manager,Email\nAda,IC1,Max,ada@example.com\nBo,IC3,Max,Bo@Example.com\n";
    scores_like_the_plain_fixture(&reshaped(Some(&accounts), None, Some(advisors)), &[]);
    // Without e-mails on the roster: one error that says what to add, not a warning per owner.
    let run = reshaped(Some(&accounts), None, None).score(&[]).code(3);
    assert_eq!(run.stderr.lines().filter(|l| l.starts_with("data/")).count(), 1, "{}", run.stderr);
    run.stderr_line(
        "data/advisors.csv:1: email: 3 of 3 owners in data/accounts.csv are e-mail addresses, but the roster has no \
         email column to match them with: add one with each advisor's address (e.g. ADA@example.com)",
    );
}

#[test]
fn each_file_has_its_own_delimiter() {
    let arr = ARR.replace(',', ";");
    let advisors = ADVISORS.replace(',', "\t");
    scores_like_the_plain_fixture(&reshaped(None, Some(&arr), Some(&advisors)), &[]);
    // A decimal comma is still refused without --decimal-comma, with that advice.
    let arr = format!("{arr}A1;2026-06;1,50\n");
    reshaped(None, Some(&arr), None).score(&[]).code(3).stderr_line(
        "data/arr.csv:9: arr: not a number (if ',' is the decimal separator, pass --decimal-comma) (1,50)",
    );
}

/// ARR as one column per month, headers written by `label`.
fn wide_arr(label: fn(&str) -> String) -> String {
    let months = ["2025-06", "2025-09", "2026-09"];
    let mut out = format!("Account ID,Name,{}\n", months.map(label).join(","));
    for (id, cells) in [("A1", ",1000,1200"), ("A2", ",2000,1500"), ("A3", "5000,5000,0")] {
        out.push_str(&format!("{id},x,{cells}\n"));
    }
    out
}

#[test]
fn wide_arr_layouts_read_as_rows() {
    scores_like_the_plain_fixture(&reshaped(None, Some(&wide_arr(|m| m.to_string())), None), &[]);
    let named = |m: &str| match m {
        "2025-06" => "Jun 2025".to_string(),
        "2025-09" => "September 2025".to_string(),
        _ => "Sep 2026".to_string(),
    };
    scores_like_the_plain_fixture(&reshaped(None, Some(&wide_arr(named)), None), &[]);
    // A currency column beside the months is each row's currency: EUR alone is reported in EUR.
    let with_currency = wide_arr(|m| m.to_string()).replace("Name,", "Currency,").replace(",x,", ",EUR,");
    scores_like_the_plain_fixture_in(&reshaped(None, Some(&with_currency), None), &[], "EUR");
    // Two currencies need a reporting one, and rates for the other.
    let mixed = with_currency.replacen("A3,EUR,", "A3,GBP,", 1);
    reshaped(None, Some(&mixed), None).score(&[]).code(3).stderr_line(
        "data/arr.csv: currency: amounts are in EUR and GBP: pass --currency CODE to choose the reporting currency, \
         with rates.csv (month, from, to, rate) for the others",
    );
    let at_par = "month,from,to,rate\n2025-01,GBP,EUR,1\n";
    scores_like_the_plain_fixture_in(&reshaped(None, Some(&mixed), None).file("data/rates.csv", at_par), &[], "EUR");
    // A bad cell is named by its physical line and its month's column.
    let arr = wide_arr(|m| m.to_string()).replace("A2,x,,2000,1500", "A2,x,,2000,1.5k");
    reshaped(None, Some(&arr), None).score(&[]).code(3).stderr_line("data/arr.csv:3: 2026-09: not a number (1.5k)");
}

/// A workbook of `sheets`, each written from CSV text with typed cells: numbers as numbers,
/// `YYYY-MM-DD` as dates.
pub(crate) fn workbook(sheets: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, csv) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                let ymd: Vec<&str> = cell.split('-').collect();
                if let Ok(number) = cell.parse::<f64>() {
                    sheet.write_number(r, c, number).unwrap();
                } else if let [y, m, d] = ymd[..] {
                    let day = ExcelDateTime::from_ymd(y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
                    sheet.write_datetime_with_format(r, c, day.unwrap(), &date).unwrap();
                } else if !cell.is_empty() {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn spreadsheets_beside_or_instead_of_csv() {
    // Flags as 1/0 numbers and renewal dates as date cells, as spreadsheets type them.
    let accounts = ACCOUNTS.replace(",no,", ",0,").replace(",yes,", ",1,");
    let fixture = Fixture::empty()
        .bytes("data/accounts.xlsx", &workbook(&[("Sheet1", &accounts)]))
        .bytes("data/arr.xlsx", &workbook(&[("ARR export", ARR)]))
        .bytes("data/advisors.xlsx", &workbook(&[("Roster", ADVISORS), ("Notes", "written by hand")]));
    scores_like_the_plain_fixture(&fixture, &[]);
    // A workbook beside the CSV of the same input: which to read is not clear, so it is refused.
    let fixture = fixture.file("data/arr.csv", ARR);
    fixture
        .score(&[])
        .code(3)
        .stderr_line("data/arr.xlsx: data/arr.csv is here too: keep one of them, so it is clear which to read");

    let book = workbook(&[("advisors", ADVISORS), ("accounts", &accounts), ("arr", ARR)]);
    let fixture = Fixture::empty().bytes("book.xlsx", &book);
    let run = fixture.run(&["score", "--data", "book.xlsx", "--out", "out"]).success();
    assert_eq!(fixture.read("out/scorecards.csv"), plain_scorecards(), "{}", run.stderr);

    // A wide sheet, and a bad cell named by sheet and cell.
    let book = workbook(&[("accounts", &accounts), ("arr", &wide_arr(|m| m.to_string())), ("advisors", ADVISORS)]);
    let fixture = Fixture::empty().bytes("book.xlsx", &book);
    let run = fixture.run(&["score", "--data", "book.xlsx", "--out", "out"]).success();
    assert_eq!(fixture.read("out/scorecards.csv"), plain_scorecards(), "{}", run.stderr);
    let arr = ARR.replace("A2,2026-09,1500", "A2,2026-09,lots");
    let fixture = Fixture::empty()
        .bytes("book.xlsx", &workbook(&[("accounts", &accounts), ("arr", &arr), ("advisors", ADVISORS)]));
    fixture
        .run(&["score", "--data", "book.xlsx", "--out", "out"])
        .code(3)
        .stderr_line("book.xlsx[arr]!C5: arr: not a number (lots)");
    let fixture = Fixture::empty().bytes("book.xlsx", &workbook(&[("accounts", &accounts), ("advisors", ADVISORS)]));
    fixture
        .run(&["score", "--data", "book.xlsx", "--out", "out"])
        .code(3)
        .stderr_line("book.xlsx: has no sheet named arr (sheets: accounts, advisors): name the sheet arr");
}

#[test]
fn workbook_bytes_named_csv_are_refused_not_read_as_text() {
    let fixture = reshaped(None, None, None).bytes("data/arr.csv", &workbook(&[("arr", ARR)]));
    fixture.score(&[]).code(3).stderr_line("data/arr.csv: this is an Excel workbook: name it .xlsx");
}

#[test]
fn line_numbers_are_physical_lines_with_crlf_and_quoted_newlines() {
    let accounts = "account_id,account_name,advisor,renewal_date\r\nA1,\"Acme\r\nEurope\",Ada,2026-12-01\r\nA2,Bolt,Ada,2027/13/45\r\nA3,Core,Bo,\r\n";
    reshaped(Some(accounts), None, None).score(&[]).code(3).stderr_line(
        "data/accounts.csv:4: renewal_date: not a date, expected YYYY-MM-DD (for dates like 9/30/2026 pass \
         --date-format '%m/%d/%Y') (2027/13/45)",
    );
    let with_bom = format!("\u{feff}{}", accounts.replace("2027/13/45", "2027-01-01"));
    let advisors = format!("{ADVISORS}Grand Totals (2 records)\n");
    reshaped(Some(&with_bom), None, Some(&advisors)).score(&[]).code(3).stderr_line(
        "data/advisors.csv:4: advisor: looks like a report footer or note, not data: export the data without totals \
         or footers (Grand Totals (2 records))",
    );
}

#[test]
fn a_stray_month_is_named_and_month_lists_are_ranges() {
    let arr = format!("{ARR}A1,1901-01,10\n");
    reshaped(None, Some(&arr), None)
        .score(&[])
        .success()
        .stderr_line(
            // 1901-01 to 2025-06, the next month of the file: 124 × 12 + 5 months.
            "warning: data/arr.csv:9: month 1901-01 is 1,493 months (about 124 years) from every other month of the \
             file: a typo? Every month between reads as ARR 0",
        )
        .stderr_line(
            // 1901-02 … 2025-05 is 124 × 12 − 4 = 1,492 months, then 2 and 11 more.
            "warning: no account has a row for 1901-02 … 2025-05, 2025-07, 2025-08, 2025-10 … 2026-08 (1,505 months): \
             every account reads as ARR 0 that month; is the export complete?",
        );
}

#[test]
fn without_data_outside_the_project_it_says_where_it_looked() {
    let fixture = Fixture::empty();
    let run = fixture.run(&["score"]).code(3);
    assert!(
        run.stderr.contains("--data: no exports to read: without --data, accounts.csv, arr.csv and advisors.csv are looked for in samples/"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_currency_column_is_never_summed_across_currencies() {
    // One currency: the same numbers, reported in it.
    let with_currency: String =
        ARR.lines().enumerate().map(|(i, l)| format!("{l},{}\n", if i == 0 { "Currency" } else { "eur" })).collect();
    scores_like_the_plain_fixture_in(&reshaped(None, Some(&with_currency), None), &[], "EUR");
    // One account in two currencies: refused where its second currency appears, never summed.
    let mixed = with_currency.replacen("A2,2025-09,2000,eur", "A2,2025-09,2000,USD", 1);
    reshaped(None, Some(&mixed), None).score(&["--currency", "EUR"]).code(3).stderr_line(
        "data/arr.csv:5: currency: account A2 is in USD (line 4) and in EUR: all rows of one account must be in one \
         currency",
    );
    // Several currencies, one per account, without rates: never summed, the run asks for them.
    let by_account = with_currency
        .replace("A2,2025-09,2000,eur", "A2,2025-09,2000,USD")
        .replace("A2,2026-09,1500,eur", "A2,2026-09,1500,USD");
    reshaped(None, Some(&by_account), None).score(&[]).code(3).stderr_line(
        "data/arr.csv: currency: amounts are in EUR and USD: pass --currency CODE to choose the reporting currency, \
         with rates.csv (month, from, to, rate) for the others",
    );
    reshaped(None, Some(&by_account), None).score(&["--currency", "eur"]).code(3).stderr_line(
        "data/arr.csv: currency: amounts in USD need rates.csv (month, from, to, rate) to be reported in EUR: no rate \
         for 2025-09, 2026-09 (USD)",
    );
    // A code that is not a currency.
    let unknown = with_currency.replacen("A3,2025-09,5000,eur", "A3,2025-09,5000,EUX", 1);
    reshaped(None, Some(&unknown), None)
        .score(&[])
        .code(3)
        .stderr_line("data/arr.csv:7: currency: not an ISO 4217 currency code (like USD, EUR, GBP) (EUX)");
    // A cell and the code in its amount that disagree.
    let disagree = with_currency.replacen("A1,2026-09,1200,eur", "A1,2026-09,$1200,eur", 1);
    reshaped(None, Some(&disagree), None)
        .score(&[])
        .code(3)
        .stderr_line("data/arr.csv:3: currency: the amount is in USD but the currency column says EUR");
}
