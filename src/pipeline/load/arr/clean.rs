//! What arr's fast paths share (SPEC §3.2): typed batches of a clean export, from CSV text
//! ([`super::fast`]) or a Parquet file ([`super::parquet`]), checked by whole-column kernels and
//! summed batch by batch. A batch that is not clean is refused, and the file is read by
//! [`super::careful`], which names every bad row.

use std::collections::BTreeSet;

use chrono::Datelike;
use polars::prelude::*;

use super::rows::{categorical, parse_months, stray_months, ArrData, Known};
use super::sum::{mark_sorted, pack, sum_account_months, sum_runs, PACKED};
use crate::domain::calendar::Month;
use crate::domain::columns as c;
use crate::domain::fx::Named;
use crate::domain::money;
use crate::pipeline::load::table::Table;
use crate::pipeline::load::{Found, ReadOptions};

/// Names of the columns in the header's own spelling (Polars keeps it).
pub(super) struct Names {
    pub(super) id: PlSmallStr,
    pub(super) month: PlSmallStr,
    pub(super) arr: PlSmallStr,
    pub(super) currency: Option<PlSmallStr>,
}

impl Names {
    /// The table's account, month, ARR and (when there is one) currency columns.
    pub(super) fn of(table: &Table) -> Option<Names> {
        Some(Names {
            id: table.column_name(c::ACCOUNT_ID)?,
            month: table.column_name(c::MONTH)?,
            arr: table.column_name(c::ARR)?,
            currency: table.column_name(c::CURRENCY),
        })
    }

    pub(super) fn all(&self) -> Vec<PlSmallStr> {
        [&self.id, &self.month, &self.arr].into_iter().chain(&self.currency).cloned().collect()
    }
}

/// What a batch came to.
pub(super) enum Batch {
    Summed,
    /// Not clean: the file goes to the careful path.
    Refused,
    /// Not sorted by account and month: the file is to be read again as one batch.
    Unsorted,
}

/// A clean export's batches, checked and summed as they come. Account ids are read straight into
/// an Enum of accounts.csv's ids (its codes are the account keys), month texts into a
/// Categorical (parsed once per distinct text; a typed date is its month), amounts as Float64.
/// A batch is refused for a cell the reader refused or left blank (an unknown id, a decorated
/// amount), a month that does not parse or lies far from the others, a negative or non-finite
/// amount, a currency code that is not ISO 4217 or an account in two currencies.
pub(super) struct Clean<'a> {
    pub(super) names: Names,
    /// The account ids' Enum: accounts.csv's ids, then padding.
    pub(super) id_type: DataType,
    /// The Categorical every batch's months use, so a month's text has one code in all.
    pub(super) month_type: DataType,
    /// The same for currencies (apart, so the months' codes are only months).
    pub(super) currency_type: DataType,
    accounts: usize,
    months: Months<'a>,
    /// The months of typed dates, which have no text.
    dated_months: BTreeSet<i32>,
    currencies: Option<BatchCurrencies>,
    rows_read: usize,
    /// Rows whose month was read in the `--date-format` (not written `YYYY-MM`).
    dated: usize,
    sums: Option<BatchSums>,
}

impl<'a> Clean<'a> {
    /// `None` when the table lacks a column or the ids cannot be an Enum.
    pub(super) fn new(table: &Table, known: &Known, read: &'a ReadOptions) -> PolarsResult<Option<Clean<'a>>> {
        let Some(names) = Names::of(table) else {
            return Ok(None);
        };
        let Some(id_type) = known.id_enum()? else {
            return Ok(None);
        };
        let accounts = known.ids.height();
        let currencies = names.currency.as_ref().map(|_| BatchCurrencies::new(accounts));
        Ok(Some(Clean {
            names,
            id_type,
            month_type: categorical(),
            currency_type: categorical(),
            accounts,
            months: Months::new(read.date_format.as_deref()),
            dated_months: BTreeSet::new(),
            currencies,
            rows_read: 0,
            dated: 0,
            sums: None,
        }))
    }

    /// The types a CSV reader gives the columns.
    pub(super) fn schema(&self) -> Schema {
        let mut columns = vec![
            (self.names.id.clone(), self.id_type.clone()),
            (self.names.month.clone(), self.month_type.clone()),
            (self.names.arr.clone(), DataType::Float64),
        ];
        columns.extend(self.names.currency.iter().map(|name| (name.clone(), self.currency_type.clone())));
        columns.into_iter().collect()
    }

    /// Checks and sums a batch typed as [`Self::schema`] says (its months may be dates instead).
    /// `whole` when it is the whole file; `rows_in_file` guesses the file's rows from the batch's.
    pub(super) fn add(
        &mut self,
        frame: DataFrame,
        whole: bool,
        rows_in_file: impl FnOnce(usize) -> usize,
    ) -> PolarsResult<Batch> {
        if frame.height() == 0 {
            return Ok(Batch::Summed);
        }
        self.rows_read += frame.height();
        // The table has at most as many rows as the file, which the first batch tells.
        // A whole file's one batch is kept as summed, with nothing to reserve.
        let height = frame.height();
        let sums =
            self.sums.get_or_insert_with(|| BatchSums::with_capacity(if whole { 0 } else { rows_in_file(height) }));
        // Every check is a whole-column kernel or a look at the distinct months: no pass per row.
        let names = &self.names;
        let blank = frame.columns().iter().any(|column| column.null_count() > 0);
        let keys = frame.column(&names.id)?.to_physical_repr().take_materialized_series();
        let unknown = keys.u32()?.max().is_some_and(|key| key as usize >= self.accounts);
        let amounts = frame.column(&names.arr)?.f64()?;
        let bad_arr = amounts.min().is_some_and(|a| a < 0.0) || !amounts.sum().unwrap_or(0.0).is_finite();
        if blank || unknown || bad_arr {
            return Ok(Batch::Refused);
        }
        let month = frame.column(&names.month)?;
        let months = match month.dtype() {
            DataType::Date => {
                let Some(months) = months_of_dates(month)? else {
                    return Ok(Batch::Refused);
                };
                self.dated_months.extend(months.unique()?.i32()?.into_no_null_iter());
                months
            }
            _ => {
                if !self.months.learn(month) {
                    return Ok(Batch::Refused);
                }
                if self.months.date_format.is_some() {
                    let codes = month.to_physical_repr().take_materialized_series();
                    let iso = Series::new(c::MONTH_ISO.into(), &self.months.iso_by_code).take(codes.u32()?)?;
                    self.dated += height - iso.bool()?.sum().unwrap_or(0) as usize;
                }
                self.months.of(month)?
            }
        };
        if let (Some(currencies), Some(currency)) = (&mut self.currencies, &names.currency) {
            if !currencies.add(frame.column(currency)?, &keys)? {
                return Ok(Batch::Refused);
            }
        }
        let rows = DataFrame::new_infer_height(vec![
            keys.with_name(c::KEY.into()).into_column(),
            months.with_name(c::MONTH.into()).into_column(),
            frame.column(&names.arr)?.clone().with_name(c::ARR.into()),
        ])?;
        // The batch as read goes before summing, so its rows are held once, not twice.
        drop(frame);
        Ok(if sums.add(rows, whole)? { Batch::Summed } else { Batch::Unsorted })
    }

    /// The table, once every batch is in; `None` when the file needs the careful path after all.
    pub(super) fn finish(self, table: &Table, found: &mut Found) -> anyhow::Result<Option<ArrData>> {
        // A month far from the others is a typo to warn of with its line, which the careful path
        // finds; it is rare enough not to keep every row's line here.
        // Every month a row names: each month text's, and each typed date's.
        let months: BTreeSet<i32> =
            self.months.by_code.iter().flatten().copied().chain(self.dated_months.iter().copied()).collect();
        if self.rows_read == 0 || !stray_months(months.iter().copied()).is_empty() {
            return Ok(None);
        }
        let named = match self.currencies.map(BatchCurrencies::finish).transpose()? {
            Some(Some(named)) => named,
            Some(None) => return Ok(None),
            None => Named::Nothing,
        };
        if let Some(format) = self.months.date_format.filter(|_| self.dated > 0) {
            found.notes.push(format!("{}: {} months read as dates in the format {format}", table.file, self.dated));
        }
        let summed = self.sums.unwrap_or_default().finish()?;
        Ok(Some(ArrData::summed(&table.file, summed, self.rows_read, named, Some(months))?))
    }
}

/// Each date's month, looked up by its day's offset from the first day in a table of the days
/// from the first to the last (a few years of days, not one lookup per row); `None` when the
/// dates span more than a thousand years, which only a typo does (the careful path names it).
fn months_of_dates(dates: &Column) -> PolarsResult<Option<Series>> {
    let days = dates.to_physical_repr().take_materialized_series();
    let days = days.i32()?;
    let (Some(first), Some(last)) = (days.min(), days.max()) else {
        return Ok(None);
    };
    if i64::from(last) - i64::from(first) > 366_000 {
        return Ok(None);
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    let month_of = |day: i32| {
        let date = epoch + chrono::TimeDelta::days(i64::from(day));
        Month::from_ym(date.year(), date.month()).0
    };
    let by_offset = Series::new(c::MONTH.into(), (first..=last).map(month_of).collect::<Vec<i32>>());
    let offsets = (days - first).cast(&IDX_DTYPE)?;
    Ok(Some(by_offset.take(offsets.idx()?)?))
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
        // The vectors become the columns as they are: `from_vec` takes them without a copy (a copy
        // wrote 480 MB of fresh pages at 1M accounts: the arr stage 3.2 -> 2.5 s, alternated).
        DataFrame::new_infer_height(vec![
            UInt32Chunked::from_vec(c::KEY.into(), self.keys).into_column(),
            Int32Chunked::from_vec(c::MONTH.into(), self.months).into_column(),
            Float64Chunked::from_vec(c::ARR.into(), self.arr).into_column(),
        ])
    }
}

/// The file's distinct month texts, learnt batch by batch: each parsed once, by its code.
pub(in crate::pipeline::load) struct Months<'a> {
    date_format: Option<&'a str>,
    /// The month each code reads as; null when it does not parse.
    by_code: Vec<Option<i32>>,
    /// Whether each code is written `YYYY-MM` or `YYYY-MM-DD`.
    iso_by_code: Vec<bool>,
}

impl<'a> Months<'a> {
    pub(in crate::pipeline::load) fn new(date_format: Option<&'a str>) -> Months<'a> {
        Months { date_format, by_code: Vec::new(), iso_by_code: Vec::new() }
    }

    /// Parses the codes `column` added to the shared Categorical; false when one does not parse.
    pub(in crate::pipeline::load) fn learn(&mut self, column: &Column) -> bool {
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

    /// The month of each row of a `column` already learnt, by its code.
    pub(in crate::pipeline::load) fn of(&self, column: &Column) -> PolarsResult<Series> {
        let codes = column.to_physical_repr().take_materialized_series();
        Series::new(c::MONTH.into(), &self.by_code).take(codes.u32()?)
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
