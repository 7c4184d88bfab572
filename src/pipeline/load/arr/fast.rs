//! arr.csv's fast path (SPEC §3.2): a clean export read in batches of whole records, each
//! typed by Polars' parallel reader, checked by whole-column kernels and summed before the next
//! is read. Neither the file nor its rows as read are held whole (unless the export is not sorted
//! by account and month: it is then read whole, as one batch), and no text column of the ARR
//! table is built. A file it refuses is read by [`super::careful`], which names every bad row.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use polars::prelude::*;

use super::rows::{parse_months, stray_months, ArrData};
use super::sum::{mark_sorted, pack, sum_account_months, sum_runs, PACKED};
use crate::domain::columns as c;
use crate::domain::fx::Named;
use crate::domain::money::{self, Decimal};
use crate::pipeline::load::table::Table;
use crate::pipeline::load::{Found, ReadOptions};

/// Bytes of arr.csv read and summed at once: large enough for Polars to parse each batch on
/// every core, small enough that a batch and its rows are a small part of a large file.
const BATCH_BYTES: usize = 64 << 20;

/// Names of the three columns in the header's own spelling (Polars keeps it), by position.
fn header_names(table: &Table) -> Option<[PlSmallStr; 3]> {
    let source = |name: &str| table.index.get(name).and_then(|i| table.header.get(*i)).cloned();
    Some([source(c::ACCOUNT_ID)?, source(c::MONTH)?, source(c::ARR)?])
}

/// The fast path for a clean export: account ids read straight into an Enum of accounts.csv's
/// ids (its codes are the account keys), months into a Categorical (parsed once per distinct
/// text) and amounts as Float64. `None` when the file needs [`super::careful`]: a cell the reader
/// refuses (an unknown id, a decorated amount), a blank cell, a month that does not parse or
/// lies far from the others, a negative or non-finite amount, a currency code that is not ISO
/// 4217 or an account in two currencies.
pub(super) fn read_clean(
    path: &Path,
    table: &Table,
    accounts: &DataFrame,
    read: &ReadOptions,
    found: &mut Found,
) -> anyhow::Result<Option<ArrData>> {
    read_in_batches(path, table, accounts, read, found, BATCH_BYTES)
}

/// [`read_clean`] with batches of about `batch_bytes` (tests cut small files into many).
fn read_in_batches(
    path: &Path,
    table: &Table,
    accounts: &DataFrame,
    read: &ReadOptions,
    found: &mut Found,
    batch_bytes: usize,
) -> anyhow::Result<Option<ArrData>> {
    if read.decimal == Decimal::Comma {
        return Ok(None);
    }
    let Some([id_col, month_col, arr_col]) = header_names(table) else {
        return Ok(None);
    };
    let currency_col = table.index.get(c::CURRENCY).and_then(|i| table.header.get(*i)).cloned();
    // The Enum's codes are the keys: accounts.csv's ids in order. Polars stores fewer than 65,536
    // categories in 8 or 16 bits, which this build leaves out, so small books are padded with
    // names no export holds; a row naming one is an unknown account (`key >= accounts`).
    let ids = accounts.column(c::ACCOUNT_ID)?.str()?;
    let padding: Vec<String> = (ids.len()..=u16::MAX as usize).map(|i| format!("\0ta-scorecard padding {i}")).collect();
    let names = ids.iter().flatten().chain(padding.iter().map(String::as_str));
    let Ok(id_type) = FrozenCategories::new(names).map(DataType::from_frozen_categories) else {
        return Ok(None);
    };
    // One Categorical type for every batch, so a month or a currency has the same code in all.
    let categorical = || DataType::from_categories(Categories::random(PlSmallStr::EMPTY, CategoricalPhysical::U32));
    let mut columns =
        vec![(id_col.clone(), id_type), (month_col.clone(), categorical()), (arr_col.clone(), DataType::Float64)];
    columns.extend(currency_col.iter().map(|name| (name.clone(), categorical())));
    let names: Vec<PlSmallStr> = columns.iter().map(|(name, _)| name.clone()).collect();
    let schema = Arc::new(columns.into_iter().collect::<Schema>());

    let Ok(mut batches) = Batches::open(path, batch_bytes) else {
        return Ok(None);
    };
    let whole = batches.whole();
    let mut months = Months::new(read.date_format.as_deref());
    let mut currencies = currency_col.as_ref().map(|_| BatchCurrencies::new(ids.len()));
    let (mut rows_read, mut dated) = (0, 0);
    let mut sums = None;
    while let Some(batch) = batches.next_batch()? {
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .with_columns(Some(names.clone().into()))
            .with_schema_overwrite(Some(schema.clone()))
            .map_parse_options(|o| o.with_separator(table.delimiter))
            .into_reader_with_file_handle(Cursor::new(batch))
            .finish();
        let Ok(frame) = frame else {
            return Ok(None);
        };
        if frame.height() == 0 {
            continue;
        }
        rows_read += frame.height();
        // The table has at most as many rows as the file, which the first batch tells.
        // A whole file's one batch is kept as summed, with nothing to reserve.
        let rows_in_file = if whole { 0 } else { batches.rows_in_file(frame.height()) };
        let sums = sums.get_or_insert_with(|| BatchSums::with_capacity(rows_in_file));
        // Every check is a whole-column kernel or a look at the distinct months: no pass per row.
        let blank = frame.columns().iter().any(|column| column.null_count() > 0);
        let keys = frame.column(&id_col)?.to_physical_repr().take_materialized_series();
        let unknown = keys.u32()?.max().is_some_and(|key| key as usize >= ids.len());
        let amounts = frame.column(&arr_col)?.f64()?;
        let bad_arr = amounts.min().is_some_and(|a| a < 0.0) || !amounts.sum().unwrap_or(0.0).is_finite();
        if blank || unknown || bad_arr || !months.learn(frame.column(&month_col)?) {
            return Ok(None);
        }
        if let (Some(currencies), Some(currency_col)) = (&mut currencies, &currency_col) {
            if !currencies.add(frame.column(currency_col)?, &keys)? {
                return Ok(None);
            }
        }
        let month_codes = frame.column(&month_col)?.to_physical_repr().take_materialized_series();
        let codes = month_codes.u32()?;
        if read.date_format.is_some() {
            let iso = Series::new(c::MONTH_ISO.into(), &months.iso_by_code).take(codes)?;
            dated += frame.height() - iso.bool()?.sum().unwrap_or(0) as usize;
        }
        let rows = DataFrame::new_infer_height(vec![
            keys.with_name(c::KEY.into()).into_column(),
            Series::new(c::MONTH.into(), &months.by_code).take(codes)?.into_column(),
            frame.column(&arr_col)?.clone().with_name(c::ARR.into()),
        ])?;
        // The batch as read goes before summing, so its rows are held once, not twice.
        drop((frame, month_codes));
        if !sums.add(rows, whole)? {
            // Not sorted by account and month: summed whole, as the careful path sums it.
            return read_in_batches(path, table, accounts, read, found, usize::MAX);
        }
    }
    // A month far from the others is a typo to warn of with its line, which the careful path
    // finds; it is rare enough not to keep every row's line here.
    if rows_read == 0 || !stray_months(months.by_code.iter().flatten().copied()).is_empty() {
        return Ok(None);
    }
    let named = match currencies.map(BatchCurrencies::finish).transpose()? {
        Some(Some(named)) => named,
        Some(None) => return Ok(None),
        None => Named::Nothing,
    };
    if let Some(format) = read.date_format.as_deref().filter(|_| dated > 0) {
        found.notes.push(format!("{}: {dated} months read as dates in the format {format}", table.file));
    }
    let summed = sums.unwrap_or_default().finish()?;
    Ok(Some(ArrData::summed(&table.file, summed, rows_read, named)?))
}

/// The batches' rows summed per account and month, batch by batch. Each account-month is summed
/// in one batch, over its rows in file order, as the careful path sums it: the rows of a batch's
/// last account-month are held back and summed with the next batch, which must then follow on
/// (rows sorted by account and month, as most exports are). Each batch's sums are copied onto
/// the table's columns at once, so the table is built once and never held twice.
#[derive(Default)]
struct BatchSums {
    keys: Vec<u32>,
    months: Vec<i32>,
    arr: Vec<f64>,
    /// The [`pack`]ed rows of the last account-month so far, not yet summed.
    held: Option<DataFrame>,
    /// A whole file's one batch, summed: the table as it is.
    whole: Option<DataFrame>,
}

impl BatchSums {
    /// Room for about `rows` account-months (reserved, not yet touched).
    fn with_capacity(rows: usize) -> BatchSums {
        BatchSums {
            keys: Vec::with_capacity(rows),
            months: Vec::with_capacity(rows),
            arr: Vec::with_capacity(rows),
            held: None,
            whole: None,
        }
    }

    /// Sums a batch's rows (`key`, `month`, `arr`). False when they are not sorted, and so can
    /// only be summed with the whole file's; a `whole` file's one batch is summed as it is.
    fn add(&mut self, rows: DataFrame, whole: bool) -> PolarsResult<bool> {
        if whole {
            self.whole = Some(sum_account_months(rows.lazy())?);
            return Ok(true);
        }
        let mut rows = pack(rows.lazy())?;
        if let Some(mut held) = self.held.take() {
            held.vstack_mut_owned(rows)?;
            held.rechunk_mut_par();
            rows = held;
        }
        if !mark_sorted(&mut rows)? {
            return Ok(false);
        }
        let packed = rows.column(PACKED)?.i64()?;
        let last_rows = packed.last().map_or(0, |last| packed.equal(last).sum().unwrap_or(0) as usize);
        let summed = rows.height() - last_rows;
        if summed > 0 {
            self.append(sum_runs(rows.slice(0, summed))?)?;
        }
        self.held = Some(rows.slice(summed as i64, last_rows));
        Ok(true)
    }

    /// Copies summed rows onto the table's columns.
    fn append(&mut self, summed: DataFrame) -> PolarsResult<()> {
        self.keys.extend_from_slice(summed.column(c::KEY)?.u32()?.rechunk().cont_slice()?);
        self.months.extend_from_slice(summed.column(c::MONTH)?.i32()?.rechunk().cont_slice()?);
        self.arr.extend_from_slice(summed.column(c::ARR)?.f64()?.rechunk().cont_slice()?);
        Ok(())
    }

    /// Every account-month summed, sorted by account then month, in one chunk.
    fn finish(mut self) -> PolarsResult<DataFrame> {
        if let Some(whole) = self.whole {
            return Ok(whole);
        }
        if let Some(held) = self.held.take() {
            self.append(sum_runs(held)?)?;
        }
        DataFrame::new_infer_height(vec![
            Series::new(c::KEY.into(), self.keys).into_column(),
            Series::new(c::MONTH.into(), self.months).into_column(),
            Series::new(c::ARR.into(), self.arr).into_column(),
        ])
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

/// The file's distinct month texts, learnt batch by batch: each parsed once, by its code.
struct Months<'a> {
    date_format: Option<&'a str>,
    /// The month each code reads as; null when it does not parse.
    by_code: Vec<Option<i32>>,
    /// Whether each code is written `YYYY-MM` or `YYYY-MM-DD`.
    iso_by_code: Vec<bool>,
}

impl<'a> Months<'a> {
    fn new(date_format: Option<&'a str>) -> Months<'a> {
        Months { date_format, by_code: Vec::new(), iso_by_code: Vec::new() }
    }

    /// Parses the codes `column` added to the shared Categorical; false when one does not parse.
    fn learn(&mut self, column: &Column) -> bool {
        let DataType::Categorical(_, mapping) = column.dtype() else {
            return false;
        };
        let known = self.by_code.len() as u32;
        let texts: Vec<Option<&str>> =
            (known..mapping.num_cats_upper_bound() as u32).map(|code| mapping.cat_to_str(code)).collect();
        let (by_code, iso) = parse_months(&texts, self.date_format);
        let parsed = texts.iter().zip(&by_code).all(|(text, month)| text.is_none() || month.is_some());
        self.by_code.extend(by_code);
        self.iso_by_code.extend(iso);
        parsed
    }
}

/// Each account's currency from a clean currency column (SPEC §10), gathered batch by batch by
/// whole-column kernels: every row's code scattered to its account, then read back and compared,
/// so an account in two currencies shows as a row that disagrees, in one batch or across two.
struct BatchCurrencies {
    /// Each account's currency code; `u32::MAX` before a row names one.
    by_key: UInt32Chunked,
    /// The codes' texts, from the column's shared Categorical.
    mapping: Option<Arc<CategoricalMapping>>,
}

impl BatchCurrencies {
    fn new(accounts: usize) -> BatchCurrencies {
        BatchCurrencies { by_key: UInt32Chunked::full(c::CURRENCY.into(), u32::MAX, accounts), mapping: None }
    }

    /// Adds a batch's currencies; false when an account is in two.
    fn add(&mut self, column: &Column, keys: &Series) -> PolarsResult<bool> {
        let DataType::Categorical(_, mapping) = column.dtype() else {
            return Ok(false);
        };
        self.mapping = Some(mapping.clone());
        let codes = column.to_physical_repr().take_materialized_series();
        let codes = codes.u32()?.rechunk();
        let keys = keys.u32()?.rechunk();
        let before = self.by_key.take(keys.as_ref())?;
        let unset = before.equal(u32::MAX);
        if (before.not_equal(codes.as_ref()) & !unset).any() {
            return Ok(false);
        }
        self.by_key = self.by_key.scatter(keys.cont_slice()?, codes.iter())?.u32()?.clone();
        Ok(!self.by_key.take(keys.as_ref())?.not_equal(codes.as_ref()).any())
    }

    /// The currencies the file names; `None` when a code is not ISO 4217 as written, which the
    /// careful path reports.
    fn finish(self) -> PolarsResult<Option<Named>> {
        let texts: Vec<Option<&str>> = match &self.mapping {
            Some(mapping) => (0..mapping.num_cats_upper_bound() as u32).map(|code| mapping.cat_to_str(code)).collect(),
            None => Vec::new(),
        };
        let used = self.by_key.unique()?;
        let used: Vec<u32> = used.iter().flatten().filter(|code| *code != u32::MAX).collect();
        if used.iter().any(|code| !texts.get(*code as usize).copied().flatten().is_some_and(money::is_code)) {
            return Ok(None);
        }
        let mut distinct: Vec<String> =
            used.iter().filter_map(|code| texts[*code as usize].map(str::to_string)).collect();
        distinct.sort();
        Ok(Some(match distinct.len() {
            0 => Named::Nothing,
            1 => Named::One(distinct.remove(0)),
            _ => {
                let index: Vec<u32> = texts
                    .iter()
                    .map(|text| text.and_then(|t| distinct.iter().position(|d| d == t)).unwrap_or(0) as u32)
                    .collect();
                let (keys, currencies): (Vec<u32>, Vec<u32>) = self
                    .by_key
                    .iter()
                    .enumerate()
                    .filter_map(|(key, code)| Some((key as u32, index[code.filter(|c| *c != u32::MAX)? as usize])))
                    .unzip();
                Named::PerAccount { codes: distinct, keys, currencies }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::careful::read_careful;
    use super::*;
    use crate::domain::calendar::Month;
    use crate::pipeline::load::arr::Known;
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
        let known = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let arr = dir.join("arr.csv");
        let table = read_table(&arr, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let clean = read_in_batches(&arr, &table, &known, &read, &mut found, batch_bytes).unwrap()?;
        let known = Known { ids: &known, file: "accounts.csv".into() };
        let careful = read_careful(&arr, &table, Some(&known), &read, &mut found).unwrap();
        let (problems, notes) = (found.problems, found.notes);
        assert!(problems.is_empty() && notes.is_empty());
        assert!(clean.summed.equals(&careful.summed));
        assert_eq!(clean.rows_read, careful.rows_read);
        assert_eq!((clean.first_month, clean.last_month), (careful.first_month, careful.last_month));
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
        let known = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
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
