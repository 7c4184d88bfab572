//! arr.csv's fast path (SPEC §3.2): a clean export read by Polars' typed reader, checked by
//! whole-column kernels and summed, never holding a text column of the ARR table. A file it
//! refuses is read by [`super::careful`], which names every bad row.

use std::path::Path;

use polars::prelude::*;

use super::arr::{parse_months, sum_account_months, warn_stray_months, ArrData};
use super::careful::Origin;
use super::table::Table;
use super::Found;
use crate::amounts::Decimal;
use crate::columns as c;
use crate::config::ReadOptions;
use crate::currency::{self, Named};

/// Names of the three columns in the header's own spelling (Polars keeps it), by position.
fn header_names(table: &Table) -> Option<[PlSmallStr; 3]> {
    let source = |name: &str| table.index.get(name).and_then(|i| table.header.get(*i)).cloned();
    Some([source(c::ACCOUNT_ID)?, source(c::MONTH)?, source(c::ARR)?])
}

/// The fast path for a clean export: account ids read straight into an Enum of accounts.csv's
/// ids (its codes are the account keys), months into a Categorical (parsed once per distinct
/// text) and amounts as Float64, by Polars' parallel reader, so no text column of the ARR table
/// is ever held. `None` when the file needs [`read_careful`]: a cell the reader refuses (an
/// unknown id, a decorated amount), a blank cell, a month that does not parse, a negative or
/// non-finite amount.
pub(super) fn read_clean(
    path: &Path,
    table: &Table,
    accounts: &DataFrame,
    read: &ReadOptions,
    found: &mut Found,
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
    let categorical = || DataType::from_categories(Categories::random(PlSmallStr::EMPTY, CategoricalPhysical::U32));
    let mut columns =
        vec![(id_col.clone(), id_type), (month_col.clone(), categorical()), (arr_col.clone(), DataType::Float64)];
    columns.extend(currency_col.iter().map(|name| (name.clone(), categorical())));
    let names: Vec<PlSmallStr> = columns.iter().map(|(name, _)| name.clone()).collect();
    let schema: Schema = columns.into_iter().collect();
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some(names.into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|o| o.with_separator(table.delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish());
    let Ok(frame) = frame else {
        return Ok(None);
    };
    crate::timing::done("arr.csv: parse");
    let DataType::Categorical(_, mapping) = frame.column(&month_col)?.dtype().clone() else {
        return Ok(None);
    };
    let texts: Vec<Option<&str>> =
        (0..mapping.num_cats_upper_bound() as u32).map(|code| mapping.cat_to_str(code)).collect();
    let (by_code, iso_by_code) = parse_months(&texts, read.date_format.as_deref());
    // Every check is a whole-column kernel or a look at the distinct months: no pass per row.
    let rows_read = frame.height();
    let blank = frame.columns().iter().any(|column| column.null_count() > 0);
    let unparsed = texts.iter().zip(&by_code).any(|(text, month)| text.is_some() && month.is_none());
    let keys = frame.column(&id_col)?.to_physical_repr().take_materialized_series();
    let unknown = keys.u32()?.max().is_some_and(|key| key as usize >= ids.len());
    let amounts = frame.column(&arr_col)?.f64()?;
    let bad_arr = amounts.min().is_some_and(|a| a < 0.0) || !amounts.sum().unwrap_or(0.0).is_finite();
    if rows_read == 0 || blank || unparsed || unknown || bad_arr {
        return Ok(None);
    }
    let named = match &currency_col {
        Some(currency_col) => match account_currencies(frame.column(currency_col)?, &keys, ids.len())? {
            Some(named) => named,
            None => return Ok(None),
        },
        None => Named::Nothing,
    };
    let month_codes = frame.column(&month_col)?.to_physical_repr().take_materialized_series();
    let codes = month_codes.u32()?;
    if let Some(format) = &read.date_format {
        let iso = Series::new(c::MONTH_ISO.into(), iso_by_code).take(codes)?;
        let dated = rows_read - iso.bool()?.sum().unwrap_or(0) as usize;
        if dated > 0 {
            found.notes.push(format!("{}: {dated} months read as dates in the format {format}", table.file));
        }
    }
    // The first row of a stray month, looked for only when there is one.
    let first_row = |month: i32| {
        let month_codes: Vec<u32> =
            (0..by_code.len() as u32).filter(|code| by_code[*code as usize] == Some(month)).collect();
        codes.iter().position(|code| code.is_some_and(|code| month_codes.contains(&code)))
    };
    warn_stray_months(
        &Origin::Csv(path),
        &table.file,
        by_code.iter().flatten().copied(),
        first_row,
        &mut found.warnings,
    );
    let rows = DataFrame::new_infer_height(vec![
        keys.with_name(c::KEY.into()).into_column(),
        Series::new(c::MONTH.into(), by_code).take(codes)?.into_column(),
        frame.column(&arr_col)?.clone().with_name(c::ARR.into()),
    ])?;
    // The frame as read goes before summing, so the ARR table is held once, not twice.
    drop((frame, month_codes));
    crate::timing::done("arr.csv: checks");
    Ok(Some(ArrData::summed(&table.file, sum_account_months(rows.lazy())?, rows_read, named)?))
}

/// Each account's currency from a clean currency column (SPEC §10), by whole-column kernels:
/// every row's code scattered to its account, then read back and compared, so an account in two
/// currencies shows as a row that disagrees. `None` when the careful path must say what is wrong:
/// a code that is not ISO 4217 as written, or an account in two currencies.
fn account_currencies(column: &Column, keys: &Series, accounts: usize) -> anyhow::Result<Option<Named>> {
    let DataType::Categorical(_, mapping) = column.dtype().clone() else {
        return Ok(None);
    };
    let texts: Vec<Option<&str>> =
        (0..mapping.num_cats_upper_bound() as u32).map(|code| mapping.cat_to_str(code)).collect();
    let codes = column.to_physical_repr().take_materialized_series();
    let codes = codes.u32()?.rechunk();
    let used = codes.unique()?;
    if used.iter().flatten().any(|code| !texts.get(code as usize).copied().flatten().is_some_and(currency::is_code)) {
        return Ok(None);
    }
    let keys = keys.u32()?.rechunk();
    let mut by_key = UInt32Chunked::full(c::CURRENCY.into(), u32::MAX, accounts);
    by_key = by_key.scatter(keys.cont_slice()?, codes.iter())?.u32()?.clone();
    let read_back = by_key.take(keys.as_ref())?;
    if read_back.not_equal(codes.as_ref()).any() {
        return Ok(None);
    }
    let mut distinct: Vec<String> =
        used.iter().flatten().filter_map(|code| texts[code as usize].map(str::to_string)).collect();
    distinct.sort();
    Ok(Some(match distinct.len() {
        0 => Named::Nothing,
        1 => Named::One(distinct.remove(0)),
        _ => {
            let index: Vec<u32> = texts
                .iter()
                .map(|text| text.and_then(|t| distinct.iter().position(|d| d == t)).unwrap_or(0) as u32)
                .collect();
            let (keys, currencies): (Vec<u32>, Vec<u32>) = by_key
                .iter()
                .enumerate()
                .filter_map(|(key, code)| Some((key as u32, index[code.filter(|c| *c != u32::MAX)? as usize])))
                .unzip();
            Named::PerAccount { codes: distinct, keys, currencies }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::arr::Known;
    use crate::load::careful::read_careful;
    use crate::load::table::read_table;
    use crate::period::Month;

    /// Reads `dir`'s arr.csv by both paths, which must agree; `None` when the fast path
    /// refuses the file.
    fn both_paths(dir: &Path) -> Option<(ArrData, ArrData)> {
        let read = ReadOptions::default();
        let mut found = Found::default();
        let accounts = super::super::accounts::read(&dir.join("accounts.csv"), &read, &mut found).unwrap();
        let known = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let arr = dir.join("arr.csv");
        let table = read_table(&arr, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let clean = read_clean(&arr, &table, &known, &read, &mut found).unwrap()?;
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
        let spec = crate::generate::Spec {
            accounts: 500,
            months: 12,
            advisors: 5,
            seed: 9,
            end: Month::from_ym(2026, 9),
            currencies: vec!["EUR".into(), "GBP".into()],
            hand_overs: 0.0,
        };
        crate::generate::generate(&spec, dir.path()).unwrap();
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
        let accounts = super::super::accounts::read(&dir.path().join("accounts.csv"), &read, &mut found).unwrap();
        let known = accounts.select([c::ACCOUNT_ID, c::KEY]).unwrap();
        let table = read_table(&two, &c::ARR_FILE, false, &read, &mut found).unwrap();
        let refused = read_clean(&two, &table, &known, &read, &mut found).unwrap();
        // The generator writes an account's rows together, so the first account has more rows.
        let id = first.split(',').next().unwrap();
        assert!(arr.lines().nth(2).unwrap().starts_with(id));
        assert!(refused.is_none(), "{first} / {other}");
    }
}
