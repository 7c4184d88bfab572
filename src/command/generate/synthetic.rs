//! `ta-scorecard generate`: synthetic exports of any size with the shapes of real ones (issue 6):
//! skewed ARR (many SMB, few Strategic), new logos, expansion, contraction, churn and return,
//! multi-line subscriptions, blank health and segment cells. Deterministic for a seed: every
//! account draws from its own generator, so the output does not depend on threads.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use crate::domain::calendar::Month;
use crate::format::{push_fraction, score};

/// What to generate.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub(crate) accounts: usize,
    pub(crate) months: u32,
    pub(crate) advisors: usize,
    pub(crate) seed: u64,
    /// The last month of the data.
    pub(crate) end: Month,
    /// Currencies besides USD (SPEC §10): each account is in USD or one of them, in equal
    /// shares; arr.csv gets a `currency` column and rates.csv is written.
    pub(crate) currencies: Vec<String>,
    /// Share of accounts handed over once in the last year (SPEC §9): ownership.csv is written.
    pub(crate) hand_overs: f64,
    /// health.csv (SPEC §11) at every quarter end, with scores that foretell churn and shrinkage
    /// (the forecast's classes, SPEC §12, then have something to learn).
    pub(crate) health_history: bool,
    /// Share of advisors listed at a level their book was not built for (IC3 for the others,
    /// IC1 for IC3s), spread evenly over the roster: books outside their level's scope, for
    /// `plan` (SPEC §13) to fix. The accounts and their owners are the same as without.
    pub(crate) misfits: f64,
}

/// Whether advisor `i` of the roster is listed at another level, for a share `misfits`.
fn misfit(i: usize, misfits: f64) -> bool {
    (i as f64 * misfits).floor() != ((i + 1) as f64 * misfits).floor()
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Written {
    pub(crate) accounts: usize,
    pub(crate) arr_rows: usize,
    pub(crate) advisors: usize,
}

/// splitmix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Log-uniform in [lo, hi): many small values, few large ones.
    fn log_between(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + (hi.ln() - lo.ln()) * self.unit()).exp()
    }
}

/// Segments with their share of accounts, ARR range, employee range and CRM spellings.
struct SegmentShape {
    share: f64,
    arr: (f64, f64),
    employees: (u64, u64),
    spellings: &'static [&'static str],
    /// Index of the level whose advisors own such accounts.
    level: usize,
}

const SHAPES: [SegmentShape; 4] = [
    SegmentShape {
        share: 0.60,
        arr: (2_000.0, 90_000.0),
        employees: (5, 199),
        spellings: &["SMB", "smb", "Smb"],
        level: 0,
    },
    SegmentShape {
        share: 0.25,
        arr: (25_000.0, 260_000.0),
        employees: (200, 1_999),
        spellings: &["MM", "Mid-Market", "midmarket", "mid market"],
        level: 1,
    },
    SegmentShape {
        share: 0.12,
        arr: (60_000.0, 480_000.0),
        employees: (2_000, 50_000),
        spellings: &["Ent", "Enterprise", "ENT"],
        level: 2,
    },
    SegmentShape {
        share: 0.03,
        arr: (500_000.0, 5_000_000.0),
        employees: (5_000, 200_000),
        spellings: &["Strategic", "Strat", "STRATEGIC"],
        level: 3,
    },
];

const LEVELS: [&str; 5] = ["IC1", "IC2", "IC3", "IC4", "IC5"];
/// Accounts written per parallel task.
const CHUNK: usize = 4_096;

/// Writes accounts.csv, arr.csv and advisors.csv into `dir`.
pub(crate) fn generate(spec: &Spec, dir: &Path) -> anyhow::Result<Written> {
    anyhow::ensure!(
        spec.accounts > 0 && spec.months > 0 && spec.advisors > 0,
        "accounts, months and advisors must be above 0"
    );
    fs::create_dir_all(dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
    let advisors = roster(spec);
    let months: Vec<String> =
        (0..spec.months).map(|i| Month(spec.end.0 - (spec.months - 1 - i) as i32).to_string()).collect();

    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.join(name);
        Ok(BufWriter::with_capacity(
            1 << 20,
            File::create(&path).with_context(|| format!("cannot write '{}'", path.display()))?,
        ))
    };
    let mut roster_file = create("advisors.csv")?;
    writeln!(roster_file, "advisor,level,manager")?;
    for (i, (name, level, manager)) in advisors.iter().enumerate() {
        let listed = match (misfit(i, spec.misfits), *level) {
            (false, level) => level,
            (true, 2) => 0,
            (true, _) => 2,
        };
        writeln!(roster_file, "{name},{},{manager}", LEVELS[listed])?;
    }
    roster_file.flush()?;

    let mut accounts_file = create("accounts.csv")?;
    let mut arr_file = create("arr.csv")?;
    writeln!(accounts_file, "account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date")?;
    let currency_column = if spec.currencies.is_empty() { "" } else { ",currency" };
    writeln!(arr_file, "account_id,month,arr{currency_column}")?;
    if !spec.currencies.is_empty() {
        write_rates(spec, &months, &mut create("rates.csv")?)?;
    }
    let mut ownership_file = if spec.hand_overs > 0.0 {
        let mut file = create("ownership.csv")?;
        writeln!(file, "account_id,advisor,from")?;
        Some(file)
    } else {
        None
    };
    let mut health_file = if spec.health_history {
        let mut file = create("health.csv")?;
        writeln!(file, "account_id,month,health_score")?;
        Some(file)
    } else {
        None
    };
    let chunks = spec.accounts.div_ceil(CHUNK);
    let mut arr_rows = 0;
    // Batches of chunks in parallel, written in order, so memory stays bounded.
    for batch in (0..chunks).collect::<Vec<_>>().chunks(rayon::current_num_threads() * 2) {
        let parts: Vec<Chunk> = batch.par_iter().map(|&chunk| write_chunk(spec, chunk, &advisors, &months)).collect();
        for part in parts {
            accounts_file.write_all(&part.accounts)?;
            arr_file.write_all(&part.arr)?;
            if let Some(file) = &mut ownership_file {
                file.write_all(&part.ownership)?;
            }
            if let Some(file) = &mut health_file {
                file.write_all(&part.health)?;
            }
            arr_rows += part.arr_rows;
        }
    }
    if let Some(file) = &mut ownership_file {
        file.flush()?;
    }
    if let Some(file) = &mut health_file {
        file.flush()?;
    }
    accounts_file.flush()?;
    arr_file.flush()?;
    Ok(Written { accounts: spec.accounts, arr_rows, advisors: advisors.len() })
}

/// Month-end rates into USD of every currency of `spec`: a level near the currency's usual one,
/// drifting a few percent over the months.
fn write_rates(spec: &Spec, months: &[String], out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(out, "month,from,to,rate")?;
    for (i, code) in spec.currencies.iter().enumerate() {
        let level = match code.as_str() {
            "EUR" => 1.08,
            "GBP" => 1.27,
            "JPY" => 0.0067,
            "CHF" => 1.12,
            _ => 0.75,
        };
        for (m, month) in months.iter().enumerate() {
            let drift = 1.0 + 0.04 * ((m as f64) / 5.0 + i as f64).sin();
            let mut rate = String::new();
            push_fraction(&mut rate, level * drift);
            writeln!(out, "{month},{code},USD,{rate}")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Advisors with levels in pyramid proportions (every level present) and one manager per eight.
fn roster(spec: &Spec) -> Vec<(String, usize, String)> {
    (0..spec.advisors)
        .map(|i| {
            // The first five cover every level, so even a tiny roster serves every segment.
            let level = match i % 20 {
                _ if i < 5 => i,
                0..=6 => 0,
                7..=12 => 1,
                13..=16 => 2,
                17..=18 => 3,
                _ => 4,
            };
            (format!("Advisor {:05}", i + 1), level, format!("Manager {:04}", i / 8 + 1))
        })
        .collect()
}

/// One chunk of accounts as the bytes of each file.
struct Chunk {
    accounts: Vec<u8>,
    arr: Vec<u8>,
    arr_rows: usize,
    ownership: Vec<u8>,
    health: Vec<u8>,
}

fn write_chunk(spec: &Spec, chunk: usize, advisors: &[(String, usize, String)], months: &[String]) -> Chunk {
    let mut ownership = Vec::new();
    let mut health = Vec::new();
    let mut accounts = Vec::with_capacity(CHUNK * 90);
    let mut arr = Vec::with_capacity(CHUNK * months.len() * 26);
    let mut rows = 0;
    let mut number = itoa::Buffer::new();
    for index in chunk * CHUNK..((chunk + 1) * CHUNK).min(spec.accounts) {
        let mut rng = Rng::new(spec.seed, index as u64);
        let draw = rng.unit();
        let mut cumulative = 0.0;
        let segment = SHAPES.iter().position(|s| {
            cumulative += s.share;
            draw < cumulative
        });
        let shape = &SHAPES[segment.unwrap_or(0)];
        let base = rng.log_between(shape.arr.0, shape.arr.1);
        let values = trajectory(&mut rng, base, months.len());

        // The owner: an advisor of the level that serves this segment (IC4 and IC5 share Strategic).
        let level = if shape.level == 3 && rng.unit() < 0.4 { 4 } else { shape.level };
        let owners: Vec<usize> = (0..advisors.len()).filter(|i| advisors[*i].1 == level).collect();
        let owner = if rng.unit() < 0.003 || owners.is_empty() {
            None
        } else {
            Some(owners[rng.below(owners.len() as u64) as usize])
        };
        let ela = shape.level == 3 && level == 4;
        let id = format!("A{:07}", index + 1);
        // Drawn only with currencies, so the files without them stay as they were for a seed.
        let currency = match spec.currencies.len() {
            0 => None,
            n => rng.below(n as u64 + 1).checked_sub(1).map(|i| spec.currencies[i as usize].as_bytes()),
        };
        accounts.extend_from_slice(id.as_bytes());
        accounts.extend_from_slice(b",Account ");
        accounts.extend_from_slice(number.format(index + 1).as_bytes());
        accounts.push(b',');
        if let Some(owner) = owner {
            accounts.extend_from_slice(advisors[owner].0.as_bytes());
        }
        accounts.push(b',');
        if rng.unit() < 0.6 {
            accounts.extend_from_slice(shape.spellings[rng.below(shape.spellings.len() as u64) as usize].as_bytes());
        }
        accounts.push(b',');
        accounts.extend_from_slice(
            number.format(shape.employees.0 + rng.below(shape.employees.1 - shape.employees.0)).as_bytes(),
        );
        accounts.extend_from_slice(if ela { b",yes," } else { b",no," });
        if rng.unit() >= 0.1 {
            let health = (rng.between(3.0, 10.0) + rng.between(0.0, 2.0)).min(10.0);
            accounts.extend_from_slice(score(Some(health)).as_bytes());
        }
        accounts.push(b',');
        let renewal = Month(spec.end.0 + 1 + rng.below(12) as i32);
        accounts.extend_from_slice(format!("{renewal}-{:02}\n", 1 + rng.below(28)).as_bytes());

        // Several rows per month for multi-line subscriptions; a 0 row the month an account churns.
        let lines = match rng.unit() {
            u if u < 0.05 => 3,
            u if u < 0.20 => 2,
            _ => 1,
        };
        for (m, value) in values.iter().enumerate() {
            let previous = if m == 0 { 0.0 } else { values[m - 1] };
            if *value == 0.0 && previous == 0.0 {
                continue;
            }
            let cents = (value * 100.0).round() as i64;
            let parts: &[i64] = match lines {
                3 if cents > 0 => &[cents / 2, cents * 3 / 10, cents - cents / 2 - cents * 3 / 10],
                2 if cents > 0 => &[cents * 7 / 10, cents - cents * 7 / 10],
                _ => &[cents],
            };
            for part in parts {
                arr.extend_from_slice(id.as_bytes());
                arr.push(b',');
                arr.extend_from_slice(months[m].as_bytes());
                arr.push(b',');
                arr.extend_from_slice(number.format(part / 100).as_bytes());
                arr.push(b'.');
                let rest = part % 100;
                if rest < 10 {
                    arr.push(b'0');
                }
                arr.extend_from_slice(number.format(rest).as_bytes());
                if !spec.currencies.is_empty() {
                    arr.push(b',');
                    arr.extend_from_slice(currency.unwrap_or(b"USD"));
                }
                arr.push(b'\n');
                rows += 1;
            }
        }
        if spec.health_history {
            health_rows(spec, index, &id, &values, months, &mut health);
        }
        // Drawn last, and only with hand-overs, so the other files stay as they were for a seed.
        let handed = spec.hand_overs > 0.0 && months.len() > 1 && rng.unit() < spec.hand_overs;
        if let Some(owner) = owner.filter(|_| handed) {
            let before = owners[(owners.iter().position(|o| *o == owner).unwrap_or(0) + 1) % owners.len()];
            // A month of the last year, after the first month of the data.
            let at = months.len().saturating_sub(1 + rng.below(12) as usize).max(1);
            for (advisor, from) in [(before, &months[0]), (owner, &months[at])] {
                ownership.extend_from_slice(format!("{id},{},{from}\n", advisors[advisor].0).as_bytes());
            }
        }
    }
    Chunk { accounts, arr, arr_rows: rows, ownership, health }
}

/// An account's health at every quarter end of `months` (the last month and every third before
/// it) while it has ARR, as health.csv rows: a level of its own, low before it churns within the
/// next three months, lower before it shrinks, with some noise. A stream of its own, so every
/// other file stays as it was for a seed.
fn health_rows(spec: &Spec, index: usize, id: &str, values: &[f64], months: &[String], out: &mut Vec<u8>) {
    let mut rng = Rng::new(spec.seed ^ 0x4845_414c_5448, index as u64);
    let level = rng.between(6.0, 9.5);
    let last = values.len().saturating_sub(1);
    for m in (0..values.len()).filter(|m| (last - m).is_multiple_of(3) && values[*m] > 0.0) {
        let ahead = |k: usize| values.get(m + k).copied();
        let churns = (1..=3).any(|k| ahead(k) == Some(0.0));
        let shrinks = ahead(3).is_some_and(|later| later < values[m] * 0.9);
        let score_then = match (churns, shrinks) {
            (true, _) => rng.between(1.5, 5.5),
            (false, true) => rng.between(4.5, 7.0),
            _ => (level + rng.between(-1.0, 1.0)).clamp(0.0, 10.0),
        };
        out.extend_from_slice(format!("{id},{},{}\n", months[m], score(Some(score_then))).as_bytes());
    }
}

/// Monthly ARR of one account: a start (most accounts predate the data, some are new logos),
/// changes at each yearly renewal (expansion, contraction, churn), occasional mid-term upsells,
/// and some churned accounts that come back.
fn trajectory(rng: &mut Rng, base: f64, months: usize) -> Vec<f64> {
    let start = if rng.unit() < 0.8 { 0 } else { rng.below(months as u64) as usize };
    let renewal = rng.below(12) as usize;
    let mut values = vec![0.0; months];
    let mut arr = base;
    let mut back_at = None;
    for (m, value) in values.iter_mut().enumerate().skip(start) {
        if back_at == Some(m) {
            arr = base * rng.between(0.6, 1.0);
            back_at = None;
        }
        if arr > 0.0 && m > start && m % 12 == renewal {
            match rng.unit() {
                u if u < 0.07 => {
                    arr = 0.0;
                    if rng.unit() < 0.15 {
                        back_at = Some(m + 3 + rng.below(7) as usize);
                    }
                }
                u if u < 0.19 => arr *= rng.between(0.55, 0.95),
                u if u < 0.74 => arr *= rng.between(1.02, 1.45),
                _ => {}
            }
        } else if arr > 0.0 && rng.unit() < 0.01 {
            arr *= rng.between(1.05, 1.3);
        }
        *value = (arr * 100.0).round() / 100.0;
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(accounts: usize, seed: u64) -> Spec {
        let currencies = Vec::new();
        let end = Month::from_ym(2026, 9);
        Spec {
            accounts,
            months: 24,
            advisors: 10,
            seed,
            end,
            currencies,
            hand_overs: 0.0,
            health_history: false,
            misfits: 0.0,
        }
    }

    #[test]
    fn same_seed_same_files() {
        let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(&spec(5_000, 7), a.path()).unwrap();
        generate(&spec(5_000, 7), b.path()).unwrap();
        generate(&spec(5_000, 8), c.path()).unwrap();
        for name in ["accounts.csv", "arr.csv", "advisors.csv"] {
            let read = |d: &tempfile::TempDir| fs::read(d.path().join(name)).unwrap();
            assert_eq!(read(&a), read(&b), "{name}");
        }
        assert_ne!(fs::read(a.path().join("arr.csv")).unwrap(), fs::read(c.path().join("arr.csv")).unwrap());
    }

    /// A fifth of the roster listed at another level: two of ten advisors, spread out, and the
    /// accounts unchanged.
    #[test]
    fn misfits_change_only_the_roster_s_levels() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(&spec(2_000, 3), a.path()).unwrap();
        generate(&Spec { misfits: 0.2, ..spec(2_000, 3) }, b.path()).unwrap();
        for name in ["accounts.csv", "arr.csv"] {
            assert_eq!(fs::read(a.path().join(name)).unwrap(), fs::read(b.path().join(name)).unwrap(), "{name}");
        }
        let roster = |d: &tempfile::TempDir| fs::read_to_string(d.path().join("advisors.csv")).unwrap();
        let (plain, misfit) = (roster(&a), roster(&b));
        let changed: Vec<usize> =
            plain.lines().zip(misfit.lines()).enumerate().filter(|(_, (p, m))| p != m).map(|(i, _)| i).collect();
        assert_eq!(changed, [5, 10], "{misfit}");
    }

    #[test]
    fn currencies_give_a_currency_column_and_rates_that_score() {
        let dir = tempfile::tempdir().unwrap();
        let spec = Spec { currencies: vec!["EUR".into(), "GBP".into()], ..spec(600, 3) };
        generate(&spec, dir.path()).unwrap();
        let arr = fs::read_to_string(dir.path().join("arr.csv")).unwrap();
        assert!(arr.starts_with("account_id,month,arr,currency\n"));
        for code in ["USD", "EUR", "GBP"] {
            assert!(arr.lines().filter(|l| l.ends_with(code)).count() > 1_000, "{code}");
        }
        let rates = fs::read_to_string(dir.path().join("rates.csv")).unwrap();
        assert_eq!(rates.lines().count(), 1 + 2 * 24);
    }

    #[test]
    fn hand_overs_write_a_ledger_ending_with_each_account_s_owner() {
        let dir = tempfile::tempdir().unwrap();
        generate(&Spec { hand_overs: 0.2, ..spec(2_000, 5) }, dir.path()).unwrap();
        let accounts = fs::read_to_string(dir.path().join("accounts.csv")).unwrap();
        let owner: std::collections::HashMap<&str, &str> =
            accounts.lines().skip(1).map(|l| (l.split(',').next().unwrap(), l.split(',').nth(2).unwrap())).collect();
        let ledger = fs::read_to_string(dir.path().join("ownership.csv")).unwrap();
        let rows: Vec<Vec<&str>> = ledger.lines().skip(1).map(|l| l.split(',').collect()).collect();
        let handed = rows.len() / 2;
        assert!((300..500).contains(&handed), "{handed} of 2,000 accounts handed over");
        for pair in rows.chunks(2) {
            assert_eq!(pair[0][0], pair[1][0]);
            assert!(pair[0][2] < pair[1][2], "{pair:?}");
            assert_eq!(pair[1][1], owner[pair[1][0]], "the last row is the current owner");
        }
    }

    #[test]
    fn skewed_segments_and_multi_line_rows() {
        let dir = tempfile::tempdir().unwrap();
        let written = generate(&spec(2_000, 1), dir.path()).unwrap();
        assert_eq!(written.accounts, 2_000);
        assert!(written.arr_rows > 2_000 * 20, "most accounts have most months, some several lines");
        let accounts = fs::read_to_string(dir.path().join("accounts.csv")).unwrap();
        let smb = accounts.lines().filter(|l| l.to_lowercase().contains(",smb,")).count();
        let strategic = accounts.lines().filter(|l| l.to_lowercase().contains(",strat")).count();
        assert!(smb > 10 * strategic, "{smb} SMB vs {strategic} Strategic");
    }
}
