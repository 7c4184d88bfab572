//! arr.csv's fast path (SPEC §3.2): a clean export read in batches of whole records, each
//! typed by Polars' parallel reader on a thread of its own, then checked and summed by [`Clean`]
//! while the next is read and typed. Neither the file nor its rows as read are held whole
//! (unless the export is not sorted by account and month: it is then read whole, as one batch),
//! and no text column of the ARR table is built. A file it refuses is read by
//! [`super::careful`], which names every bad row.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use polars::prelude::*;

use super::clean::{Batch, Clean};
use super::rows::{ArrData, Known};
use crate::domain::money::Decimal;
use crate::pipeline::load::table::Table;
use crate::pipeline::load::{Found, ReadOptions};

/// Bytes of arr.csv read and summed at once: large enough for Polars to parse each batch on
/// every core, small enough that a batch and its typed rows are a small part of a large file
/// (16 MB measured faster and smaller than 64 MB at 200k and 1M accounts, and than reading the
/// whole file at once).
const BATCH_BYTES: usize = 16 << 20;

/// The fast path for a clean export (see [`Clean`]). `None` when the file needs
/// [`super::careful`].
pub(super) fn read_clean(
    path: &Path,
    table: &Table,
    known: &Known,
    read: &ReadOptions,
    found: &mut Found,
) -> anyhow::Result<Option<ArrData>> {
    read_in_batches(path, table, known, read, found, BATCH_BYTES)
}

/// [`read_clean`] with batches of about `batch_bytes` (tests cut small files into many).
fn read_in_batches(
    path: &Path,
    table: &Table,
    known: &Known,
    read: &ReadOptions,
    found: &mut Found,
    batch_bytes: usize,
) -> anyhow::Result<Option<ArrData>> {
    if read.decimal == Decimal::Comma {
        return Ok(None);
    }
    let Some(mut clean) = Clean::new(table, known, read)? else {
        return Ok(None);
    };
    let (names, schema) = (clean.names.all(), Arc::new(clean.schema()));
    let Ok(batches) = Batches::open(path, batch_bytes) else {
        return Ok(None);
    };
    let whole = batches.whole();
    let parse = |batch: &[u8]| {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_columns(Some(names.clone().into()))
            .with_schema_overwrite(Some(schema.clone()))
            .map_parse_options(|o| o.with_separator(table.delimiter))
            .into_reader_with_file_handle(Cursor::new(batch))
            .finish()
    };
    // Both cores busy: a thread cuts and parses the next batch while this one checks and sums
    // the last (parsing alone keeps them busy only part of the time). One batch waits at most.
    let outcome = std::thread::scope(|scope| -> anyhow::Result<Batch> {
        let (send, parsed) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || parse_ahead(batches, parse, send));
        for next in parsed {
            let (frame, rows_in_file) = next?;
            let Some(frame) = frame else { return Ok(Batch::Refused) };
            match clean.add(frame, whole, |_| rows_in_file)? {
                Batch::Summed => {}
                other => return Ok(other),
            }
        }
        Ok(Batch::Summed)
    })?;
    match outcome {
        Batch::Summed => clean.finish(table, found),
        Batch::Refused => Ok(None),
        // Not sorted by account and month: summed whole, as the careful path sums it.
        Batch::Unsorted => read_in_batches(path, table, known, read, found, usize::MAX),
    }
}

/// A parsed batch (`None` when the reader refused it) with the rows the file likely holds.
type Parsed = std::io::Result<(Option<DataFrame>, usize)>;

/// Cuts and parses `batches` one after the other and sends each on, until the last or until the
/// receiver stops taking them (a batch was refused). A batch the reader refuses ends the file.
fn parse_ahead(
    mut batches: Batches,
    parse: impl Fn(&[u8]) -> PolarsResult<DataFrame>,
    send: std::sync::mpsc::SyncSender<Parsed>,
) {
    loop {
        let next = match batches.next_batch() {
            Ok(Some(batch)) => match parse(batch) {
                Ok(frame) => {
                    let rows = batches.rows_in_file(frame.height());
                    Ok((Some(frame), rows))
                }
                Err(_) => Ok((None, 0)),
            },
            Ok(None) => return,
            Err(e) => Err(e),
        };
        let last = !matches!(next, Ok((Some(_), _)));
        if send.send(next).is_err() || last {
            return;
        }
    }
}

/// arr.csv cut into batches of whole records, each led by the file's header so Polars reads it
/// as a file of its own. A cut falls only on a line end outside quotes, so a quoted field with a
/// line break stays in one batch. One buffer serves every batch.
struct Batches {
    file: File,
    /// The header record's length, with its line end.
    header: usize,
    /// The header, then the bytes read after the last cut (and, until the next call, the records
    /// of the batch last handed out, `sent` bytes of them).
    next: Vec<u8>,
    sent: usize,
    size: usize,
    /// The file's length in bytes.
    length: usize,
    done: bool,
}

impl Batches {
    /// `path` in batches of about `size` bytes (one batch when `size` is the file's or more).
    fn open(path: &Path, size: usize) -> std::io::Result<Batches> {
        let file = File::open(path)?;
        let length = file.metadata()?.len() as usize;
        let size = size.min(length + 1);
        let next = Vec::with_capacity(size.saturating_mul(2).min(size + (64 << 20)));
        let mut batches = Batches { file, header: 0, next, sent: 0, size, length, done: false };
        loop {
            let start = batches.next.len();
            batches.fill()?;
            let end = first_record_end(&batches.next, start);
            if end.is_some() || batches.done {
                batches.header = end.unwrap_or(batches.next.len());
                return Ok(batches);
            }
        }
    }

    /// About how many rows the file holds, from the batch last handed out holding `rows`: a
    /// little more rather than less.
    fn rows_in_file(&self, rows: usize) -> usize {
        let per_row = self.sent.max(1) as f64 / rows.max(1) as f64;
        (self.length as f64 / per_row * 1.05) as usize + 1024
    }

    /// Whether the whole file is one batch.
    fn whole(&self) -> bool {
        self.done || self.next.len() < self.size
    }

    /// Reads up to `size` more bytes onto `next`; `done` at the end of the file.
    fn fill(&mut self) -> std::io::Result<()> {
        let read = (&mut self.file).take(self.size as u64).read_to_end(&mut self.next)?;
        self.done |= read == 0;
        Ok(())
    }

    /// The header and the next whole records (about `size` bytes of them); `None` after the last.
    fn next_batch(&mut self) -> std::io::Result<Option<&[u8]>> {
        let body = self.header;
        self.next.drain(body..body + self.sent);
        let end = loop {
            if self.done {
                break self.next.len();
            }
            if self.next.len() >= self.size {
                if let Some(end) = last_record_end(&self.next[body..]) {
                    break body + end;
                }
            }
            self.fill()?;
        };
        self.sent = end - body;
        Ok((end > body).then(|| &self.next[..end]))
    }
}

/// Where the first record of `bytes` ends (after its `\n`), looking from `from` on: the first line
/// end with an even number of quotes before it.
fn first_record_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quotes = count_quotes(&bytes[..from]);
    let mut start = from;
    while let Some(newline) = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i) {
        quotes += count_quotes(&bytes[start..newline]);
        if quotes.is_multiple_of(2) {
            return Some(newline + 1);
        }
        start = newline + 1;
    }
    None
}

/// Where the last whole record of `bytes` ends (after its `\n`), `bytes` starting at a record's
/// start: the last line end with an even number of quotes before it, so not inside a quoted
/// field (an escaped quote, `""`, counts twice).
fn last_record_end(bytes: &[u8]) -> Option<usize> {
    let last = memchr::memrchr(b'\n', bytes)?;
    if memchr::memchr(b'"', bytes).is_none() {
        return Some(last + 1);
    }
    let mut quotes = count_quotes(bytes);
    let mut end = bytes.len();
    while let Some(newline) = memchr::memrchr(b'\n', &bytes[..end]) {
        quotes -= count_quotes(&bytes[newline..end]);
        if quotes.is_multiple_of(2) {
            return Some(newline + 1);
        }
        end = newline;
    }
    None
}

fn count_quotes(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'"', bytes).count()
}

#[cfg(test)]
mod tests {
    use super::super::careful::read_careful;
    use super::*;
    use crate::domain::calendar::Month;
    use crate::domain::columns as c;
    use crate::domain::fx::Named;
    use crate::pipeline::load::table::read_table;

    /// Reads `dir`'s arr.csv by both paths, which must agree, the fast one in batches of
    /// several sizes (one for the whole file, and many); `None` when the fast path refuses the file.
    fn both_paths(dir: &Path) -> Option<(ArrData, ArrData)> {
        let mut read = None;
        for batch_bytes in [BATCH_BYTES, 2048] {
            read = Some(both_paths_in(dir, batch_bytes)?);
        }
        read
    }

    fn both_paths_in(dir: &Path, batch_bytes: usize) -> Option<(ArrData, ArrData)> {
        let read = ReadOptions::default();
        let mut found = Found::default();
        let accounts = crate::pipeline::load::accounts::read(&dir.join("accounts.csv"), &read, &mut found).unwrap();
        let ids = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let known = Known::new(&ids, "accounts.csv".into());
        let arr = dir.join("arr.csv");
        let table = read_table(&arr, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let clean = read_in_batches(&arr, &table, &known, &read, &mut found, batch_bytes).unwrap()?;
        let careful = read_careful(&arr, &table, Some(&known), &read, &mut found).unwrap();
        let (problems, notes) = (found.problems, found.notes);
        assert!(problems.is_empty() && notes.is_empty());
        assert!(clean.summed.equals(&careful.summed));
        assert_eq!(clean.rows_read, careful.rows_read);
        assert_eq!((clean.first_month, clean.last_month), (careful.first_month, careful.last_month));
        assert_eq!(clean.months, careful.months);
        assert_eq!(clean.named, careful.named);
        Some((clean, careful))
    }

    #[test]
    fn the_fast_path_and_the_careful_path_read_the_samples_alike() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        both_paths(&samples).expect("the samples are clean");
    }

    #[test]
    fn the_fast_path_reads_a_currency_column_as_the_careful_path_does() {
        let dir = tempfile::tempdir().unwrap();
        let spec = crate::command::generate::synthetic::Spec {
            accounts: 500,
            months: 12,
            advisors: 5,
            seed: 9,
            end: Month::from_ym(2026, 9),
            currencies: vec!["EUR".into(), "GBP".into()],
            hand_overs: 0.0,
            health_history: false,
            misfits: 0.0,
        };
        crate::command::generate::synthetic::generate(&spec, dir.path()).unwrap();
        let (clean, _) = both_paths(dir.path()).expect("a clean currency column takes the fast path");
        assert!(matches!(&clean.named, Named::PerAccount { codes, .. } if codes == &["EUR", "GBP", "USD"]));
        // An account in two currencies is left to the careful path, which names it.
        let arr = std::fs::read_to_string(dir.path().join("arr.csv")).unwrap();
        let first = arr.lines().nth(1).unwrap().to_string();
        let other = if first.ends_with("USD") {
            first.replace("USD", "EUR")
        } else {
            first.replace(",EUR", ",USD").replace(",GBP", ",USD")
        };
        std::fs::write(dir.path().join("arr.csv"), arr.replacen(&first, &other, 1)).unwrap();
        let two = dir.path().join("arr.csv");
        let (read, mut found) = (ReadOptions::default(), Found::default());
        let accounts =
            crate::pipeline::load::accounts::read(&dir.path().join("accounts.csv"), &read, &mut found).unwrap();
        let ids = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let known = Known::new(&ids, "accounts.csv".into());
        let table = read_table(&two, &c::ARR_FILE, false, &read, &mut found).unwrap();
        // The generator writes an account's rows together, so the first account has more rows:
        // in one batch, and in the next batches (16 bytes hold one row).
        let id = first.split(',').next().unwrap();
        assert!(arr.lines().nth(2).unwrap().starts_with(id));
        for batch_bytes in [BATCH_BYTES, 16] {
            let refused = read_in_batches(&two, &table, &known, &read, &mut found, batch_bytes).unwrap();
            assert!(refused.is_none(), "{first} / {other} in batches of {batch_bytes}");
        }
    }

    #[test]
    fn a_cut_falls_on_a_line_end_outside_quotes() {
        let text = b"a,\"x\ny\",1\nb,\"say \"\"hi\"\"\n\",2\nc,";
        // Line ends at 4 (inside quotes), 9 (the first record's), 23 (inside) and 27.
        assert_eq!(first_record_end(text, 0), Some(10));
        assert_eq!(last_record_end(text), Some(28));
        assert_eq!(last_record_end(&text[..27]), Some(10));
        assert_eq!(last_record_end(b"a,\"open\n"), None);
        assert_eq!(first_record_end(b"no line end", 0), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Whatever the batches' size, the rows' order, a BOM and the quoting (a quoted note with
        /// line breaks, escaped quotes and commas; CRLF line ends), the fast path reads what the
        /// careful path reads.
        #[test]
        fn batches_of_any_size_read_as_the_careful_path_does(
            rows in proptest::collection::vec((0usize..5, 0i32..4, 0u32..400, 0usize..4), 1..60),
            batch_bytes in 1usize..200,
            crlf in proptest::bool::ANY,
            sorted in proptest::bool::ANY,
            bom in proptest::bool::ANY,
        ) {
            // Sorted by account and month (as most exports are), the batches are summed one by
            // one; otherwise the file is summed whole.
            let mut rows = rows;
            if sorted {
                rows.sort_by_key(|(account, month, ..)| (*account, *month));
            }
            let dir = tempfile::tempdir().unwrap();
            let ids = ["A1", "A2", "A3", "A4", "A5"];
            let mut accounts = String::from("account_id,account_name,advisor\n");
            for id in ids {
                accounts.push_str(&format!("{id},Account {id},Priya Shah\n"));
            }
            std::fs::write(dir.path().join("accounts.csv"), accounts).unwrap();
            let notes = ["", "\"two\nlines\"", "\"a \"\"quoted\"\", word\"", "plain"];
            let end = if crlf { "\r\n" } else { "\n" };
            let bom = if bom { "\u{feff}" } else { "" };
            let mut arr = format!("{bom}account_id,month,note,arr{end}");
            for (account, month, cents, note) in &rows {
                let month = Month::from_ym(2026, 1 + *month as u32);
                arr.push_str(&format!("{},{month},{},{}{end}", ids[*account], notes[*note], f64::from(*cents) / 4.0));
            }
            std::fs::write(dir.path().join("arr.csv"), arr).unwrap();
            let read = both_paths_in(dir.path(), batch_bytes);
            proptest::prop_assert!(read.is_some(), "the fast path refused a clean file");
        }
    }
}
