//! Never a panic: every loader, and everything after it, on arbitrary bytes, on mutated valid
//! exports and on hostile valid books, returns a result or an error. A bounded pass (about a
//! minute: `FUZZ_CASES`, 2000 by default) runs in `cargo test`; `scripts/fuzz.sh` runs longer.

use std::path::Path;

use proptest::prelude::*;
use ta_scorecard::config::{InputConfig, InputPaths, ReadOptions};
use ta_scorecard::domain::money::Decimal;
use ta_scorecard::domain::targets::Targets;
use ta_scorecard::output::{render_all, Format};

use crate::util::{ACCOUNTS, ADVISORS, ARR};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
}

/// Writes the three files and runs load → … → render; any outcome but a panic is fine.
fn run_pipeline(dir: &Path, files: [&[u8]; 3], read: ReadOptions) {
    let names = ["accounts.csv", "arr.csv", "advisors.csv"];
    for (name, bytes) in names.iter().zip(files) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let config = InputConfig {
        paths: InputPaths {
            accounts: dir.join(names[0]),
            arr: dir.join(names[1]),
            advisors: dir.join(names[2]),
            rates: None,
            health: None,
            ownership: None,
        },
        targets: Targets::load(None).unwrap(),
        quarter: None,
        strict: false,
        max_problems: 20,
        read,
        currency: None,
    };
    if let Ok((report, _)) = ta_scorecard::build_report(&config) {
        let _ = render_all(&report, &[Format::Csv, Format::Json, Format::Md, Format::Html]);
    }
}

fn read_options() -> impl Strategy<Value = ReadOptions> {
    let delimiter = prop_oneof![Just(None), Just(Some(b',')), Just(Some(b';')), Just(Some(b'\t'))];
    (delimiter, any::<bool>(), prop::option::of(Just("%m/%d/%Y".to_string()))).prop_map(
        |(delimiter, comma, date_format)| ReadOptions {
            delimiter,
            decimal: if comma { Decimal::Comma } else { Decimal::Point },
            date_format,
            ..ReadOptions::default()
        },
    )
}

/// Bytes that make CSV and number parsing interesting.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(b'"'),
        Just(b','),
        Just(b';'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'-'),
        Just(b'.'),
        Just(b'e'),
        Just(b'/'),
        Just(b'$'),
        Just(b' '),
        Just(0u8),
        Just(0xFFu8),
        Just(0xC3u8),
        b'0'..=b'9',
        any::<u8>(),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, u8),
    Delete(usize, usize),
    Replace(usize, u8),
    DuplicateLine(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), interesting_byte()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..12).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), interesting_byte()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Mutation::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                if start < end {
                    bytes.drain(start..end);
                }
            }
            Mutation::Replace(at, b) => {
                if !bytes.is_empty() {
                    bytes[at % len] = b;
                }
            }
            Mutation::DuplicateLine(at) => {
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                let line = lines[at % lines.len()].to_vec();
                bytes.extend_from_slice(b"\n");
                bytes.extend_from_slice(&line);
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        accounts in prop::collection::vec(any::<u8>(), 0..400),
        arr in prop::collection::vec(any::<u8>(), 0..400),
        advisors in prop::collection::vec(any::<u8>(), 0..200),
        read in read_options(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        run_pipeline(dir.path(), [&accounts, &arr, &advisors], read);
    }

    #[test]
    fn mutated_valid_exports_never_panic(
        which in 0usize..3,
        mutations in prop::collection::vec(mutation(), 1..6),
        read in read_options(),
    ) {
        let mut files = [ACCOUNTS.as_bytes().to_vec(), ARR.as_bytes().to_vec(), ADVISORS.as_bytes().to_vec()];
        let base = [ACCOUNTS, ARR, ADVISORS][which];
        files[which] = mutate(base, &mutations);
        let dir = tempfile::tempdir().unwrap();
        run_pipeline(dir.path(), [&files[0], &files[1], &files[2]], read);
    }
}

/// A structurally valid export with hostile values: odd names, zero and huge ARR, gaps, levels
/// and segments at random, so the stages after loading (metrics, charts, pages) are fuzzed too.
fn valid_book() -> impl Strategy<Value = [String; 3]> {
    let name = prop_oneof![
        Just("Ada".to_string()),
        Just("<b>Bo</b> & \"Co\"".to_string()),
        Just("../x|y".to_string()),
        Just("Zoë 👩‍💻".to_string()),
        Just("".to_string()),
        "[a-z]{1,8}",
    ];
    let account = (
        name,
        prop::option::of(prop_oneof![Just("SMB"), Just("mid-market"), Just("ENT"), Just("strat")]),
        prop::option::of(0u32..100_000),
        prop::option::of(0.0f64..=10.0),
        prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..1e9, Just(1e12)], 1..30),
        0i32..24,
    );
    (prop::collection::vec(account, 1..8), prop::collection::vec(0usize..5, 1..4)).prop_map(|(accounts, levels)| {
        let mut accounts_csv = String::from("account_id,advisor,segment,employees,health_score\n");
        let mut arr_csv = String::from("account_id,month,arr\n");
        let mut advisors: Vec<String> = Vec::new();
        for (i, (advisor, segment, employees, health, values, start)) in accounts.iter().enumerate() {
            let quoted = format!("\"{}\"", advisor.replace('"', "\"\""));
            accounts_csv.push_str(&format!(
                "a{i},{quoted},{},{},{}\n",
                segment.unwrap_or(""),
                employees.map(|e| e.to_string()).unwrap_or_default(),
                health.map(|h| format!("{h:.2}")).unwrap_or_default()
            ));
            for (k, v) in values.iter().enumerate() {
                let month = 2024 * 12 + start + k as i32;
                arr_csv.push_str(&format!("a{i},{:04}-{:02},{v:.2}\n", month / 12, month % 12 + 1));
            }
            if !advisor.is_empty() && !advisors.contains(advisor) {
                advisors.push(advisor.clone());
            }
        }
        let mut roster = String::from("advisor,level,manager\n");
        for (advisor, level) in advisors.iter().zip(levels.iter().cycle()) {
            roster.push_str(&format!("\"{}\",IC{},M\n", advisor.replace('"', "\"\""), level + 1));
        }
        [accounts_csv, arr_csv, roster]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 10 + 1, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn valid_but_hostile_books_never_panic(files in valid_book()) {
        let dir = tempfile::tempdir().unwrap();
        run_pipeline(dir.path(), [files[0].as_bytes(), files[1].as_bytes(), files[2].as_bytes()], ReadOptions::default());
    }
}
