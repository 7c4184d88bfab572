//! Column names: those of the input files (SPEC §3) with the other names exports give them
//! (SPEC §3.5), a team's own names from `columns.toml`, and the columns of the frames the stages
//! pass on.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::calendar::Month;
use crate::error::{InvalidInput, Problem, Problems};

// Input columns: a header matches one when its normalised name (see [`normalise`]) is the
// column's name, one of its aliases, or what `columns.toml` maps to it.
pub(crate) const ACCOUNT_ID: &str = "account_id";
pub(crate) const ACCOUNT_NAME: &str = "account_name";
pub(crate) const ADVISOR: &str = "advisor";
pub(crate) const SEGMENT: &str = "segment";
pub(crate) const EMPLOYEES: &str = "employees";
pub(crate) const ELA: &str = "ela";
pub(crate) const HEALTH: &str = "health_score";
pub(crate) const RENEWAL_DATE: &str = "renewal_date";
pub(crate) const MONTH: &str = "month";
pub(crate) const ARR: &str = "arr";
pub(crate) const LEVEL: &str = "level";
pub(crate) const MANAGER: &str = "manager";

// Frames built by the stages.
/// The segment as accounts.csv gives it (normalised), null when left for the rules.
pub(crate) const SEGMENT_CRM: &str = "segment_crm";
pub(crate) const REFERENCE_ARR: &str = "reference_arr";
pub(crate) const BAND: &str = "band";
/// 0-based data record of arr.csv, for line numbers in messages.
pub(crate) const ROW: &str = "row";
pub(crate) const MONTH_RAW: &str = "month_raw";
/// Whether a month was written `YYYY-MM` or `YYYY-MM-DD` (not in `--date-format`).
pub(crate) const MONTH_ISO: &str = "month_iso";
pub(crate) const ARR_RAW: &str = "arr_raw";
pub(crate) const KNOWN_ACCOUNT: &str = "known_account";
/// An account's row in accounts.csv (0-based): the integer key the ARR table is joined and
/// grouped on, much cheaper than the id text.
pub(crate) const KEY: &str = "key";
/// The currency an amount named, and whether it carried more than a plain number.
pub(crate) const CURRENCY: &str = "currency";
pub(crate) const DECORATED: &str = "decorated";
/// The text of arr.csv's `currency` column, when it has one.
pub(crate) const CURRENCY_RAW: &str = "currency_raw";
/// ARR at the start and the end of a window.
pub(crate) const START: &str = "start";
pub(crate) const END: &str = "end";
pub(crate) const POINT: &str = "point";
/// Who owns a row of a metrics plan: the account's owner at the quarter end, or a tenure's.
pub(crate) const OWNER: &str = "owner";
/// One account's (or tenure's) exchange-rate impact over a window.
pub(crate) const FX_IMPACT: &str = "fx_impact";
/// Whether a row's window counts (a whole window, or a tenure), and whether it is part of the
/// book at the quarter end (accounts active, ARR, health).
pub(crate) const IN_WINDOW: &str = "in_window";
pub(crate) const IN_BOOK: &str = "in_book";
/// A tenure that began (or ended) inside the window by a hand-over (SPEC §9).
pub(crate) const HANDED_IN: &str = "handed_in";
pub(crate) const HANDED_OUT: &str = "handed_out";
/// What a metrics plan groups by: an advisor, a manager, or the whole team.
pub(crate) const GROUP: &str = "group";
/// A health score's text, as read (health.csv).
pub(crate) const HEALTH_RAW: &str = "health_raw";
/// Optional columns of advisors.csv.
pub(crate) const EMAIL: &str = "email";

/// The per-account table's column families (the classify stage's): one column per month.
/// `ARR(a, month)` in the account's own currency.
pub(crate) fn arr_at(month: Month) -> String {
    format!("arr_{}", month.0)
}

/// The rate in force at `month` into the reporting currency, for accounts in another one.
pub(crate) fn rate_at(month: Month) -> String {
    format!("rate_{}", month.0)
}

/// The account's owner at the quarter end `end`, with ownership history.
pub(crate) fn owner_at(end: Month) -> String {
    format!("owner_{}", end.0)
}

/// Whether the account's window ending at `end` is one tenure (no hand-over inside).
pub(crate) fn whole_at(end: Month) -> String {
    format!("whole_{}", end.0)
}

/// The account's health score at the quarter end `end`, with health history (SPEC §11).
pub(crate) fn health_at(end: Month) -> String {
    format!("health_{}", end.0)
}

/// The account's currency, as an index into
/// [`AccountCurrencies::codes`](crate::domain::fx::AccountCurrencies::codes).
pub(crate) const CURRENCY_INDEX: &str = "currency_index";

/// One column an input can have: its name, the other names exports give it (normalised), and
/// whether the input must have it.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) required: bool,
}

/// The columns of one input, under the name of its table in `columns.toml`.
pub(crate) struct Schema {
    pub(crate) table: &'static str,
    pub(crate) fields: &'static [Field],
}

const fn field(name: &'static str, aliases: &'static [&'static str], required: bool) -> Field {
    Field { name, aliases, required }
}

/// The account key, named alike in accounts.csv and arr.csv.
const ACCOUNT_ID_FIELD: Field =
    field(ACCOUNT_ID, &["accountid", "account_number", "record_id", "company_id", "customer_id"], true);

/// accounts.csv (SPEC §3.1 and §3.5).
pub(crate) const ACCOUNTS: Schema = Schema {
    table: "accounts",
    fields: &[
        ACCOUNT_ID_FIELD,
        field(ACCOUNT_NAME, &["company_name", "customer_name", "account"], false),
        field(
            ADVISOR,
            &["account_owner", "owner", "company_owner", "technical_advisor", "ta", "csm", "customer_success_manager"],
            true,
        ),
        field(SEGMENT, &["account_segment", "customer_segment"], false),
        field(EMPLOYEES, &["number_of_employees", "employee_count", "headcount"], false),
        field(ELA, &["enterprise_license_agreement"], false),
        field(HEALTH, &["health", "customer_health", "customer_health_score"], false),
        field(RENEWAL_DATE, &["renewal", "next_renewal_date", "contract_end_date"], false),
    ],
};

/// arr.csv (SPEC §3.2 and §3.5).
pub(crate) const ARR_FILE: Schema = Schema {
    table: "arr",
    fields: &[
        ACCOUNT_ID_FIELD,
        field(MONTH, &["period", "snapshot_month", "as_of", "date"], true),
        field(ARR, &["arr_converted", "annual_recurring_revenue", "arr_usd"], true),
        CURRENCY_FIELD,
    ],
};

/// The currency of each amount (SPEC §10), optional in both ARR layouts.
const CURRENCY_FIELD: Field = field(CURRENCY, &["currency_code", "currency_iso_code", "iso_currency_code"], false);

/// arr.csv in the wide layout (SPEC §3.5): an account column, then one column per month.
pub(crate) const ARR_WIDE: Schema = Schema { table: "arr", fields: &[ACCOUNT_ID_FIELD, CURRENCY_FIELD] };

/// advisors.csv (SPEC §3.3 and §3.5).
pub(crate) const ADVISORS: Schema = Schema {
    table: "advisors",
    fields: &[
        field(ADVISOR, &["name", "full_name", "technical_advisor"], true),
        field(LEVEL, &["career_level", "job_level"], true),
        field(MANAGER, &["reports_to", "manager_name"], false),
        field(EMAIL, &["e_mail", "email_address", "work_email"], false),
    ],
};

/// Columns of rates.csv (SPEC §10).
pub(crate) const FROM: &str = "from";
pub(crate) const TO: &str = "to";
pub(crate) const RATE: &str = "rate";

/// rates.csv (SPEC §10): exchange rates into the reporting currency.
pub(crate) const RATES: Schema = Schema {
    table: "rates",
    fields: &[
        field(MONTH, &["period", "date", "as_of", "rate_date", "effective_date"], true),
        field(FROM, &["from_currency", "source_currency", "base_currency", "currency"], true),
        field(TO, &["to_currency", "target_currency", "quote_currency", "reporting_currency"], true),
        field(RATE, &["exchange_rate", "fx_rate", "conversion_rate"], true),
    ],
};

/// health.csv (SPEC §11): each account's health score over time.
pub(crate) const HEALTH_FILE: Schema = Schema {
    table: "health",
    fields: &[
        ACCOUNT_ID_FIELD,
        field(MONTH, &["period", "date", "as_of", "snapshot_month", "snapshot_date"], true),
        field(HEALTH, &["health", "score", "customer_health", "customer_health_score"], true),
    ],
};

/// The first month of an ownership (ownership.csv).
pub(crate) const FROM_MONTH: &str = "from";

/// ownership.csv (SPEC §9): who owned each account from which month.
pub(crate) const OWNERSHIP: Schema = Schema {
    table: "ownership",
    fields: &[
        ACCOUNT_ID_FIELD,
        field(ADVISOR, &["owner", "new_owner", "new_value", "account_owner", "technical_advisor", "ta", "csm"], true),
        field(
            FROM_MONTH,
            &["from_month", "from_date", "since", "start", "effective_date", "changed_at", "edit_date", "date"],
            true,
        ),
    ],
};

/// Every input's schema, as `columns.toml` names their tables.
pub(crate) const SCHEMAS: [&Schema; 6] = [&ACCOUNTS, &ARR_FILE, &ADVISORS, &RATES, &HEALTH_FILE, &OWNERSHIP];

/// A header as SPEC §3.5 compares it: lower case, every run of characters other than letters
/// and digits one `_`, no `_` at either end (`ARR (converted)` → `arr_converted`).
pub(crate) fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// A team's own column names (`columns.toml`): per table, the header as exported of each
/// column.
#[derive(Clone, Debug, Default)]
pub struct ColumnNames {
    /// Where the names came from, for messages.
    pub(crate) source: String,
    pub(crate) tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl ColumnNames {
    /// Reads and checks `columns.toml`: known tables, known columns, text values.
    pub(crate) fn load(path: &Path) -> Result<ColumnNames, InvalidInput> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InvalidInput::one(Problem::new(&source, format!("cannot read column names: {e}"))))?;
        ColumnNames::parse(&text, &source)
    }

    pub(crate) fn parse(text: &str, source: &str) -> Result<ColumnNames, InvalidInput> {
        let value: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            InvalidInput::one(Problem::new(source, e.to_string().trim_end().replace('\n', "\n  ")))
        })?;
        let mut problems = Problems::default();
        let mut tables = BTreeMap::new();
        let table_names: Vec<&str> = SCHEMAS.iter().map(|s| s.table).collect();
        for (table, columns) in &value {
            let Some(schema) = SCHEMAS.iter().find(|s| s.table == table) else {
                problems.push(
                    Problem::new(source, format!("unknown table, expected one of {}", table_names.join(", ")))
                        .column(format!("[{table}]")),
                );
                continue;
            };
            let Some(columns) = columns.as_table() else {
                problems.push(
                    Problem::new(source, "expected a table of column = \"Header as exported\"").column(table.as_str()),
                );
                continue;
            };
            let mut names = BTreeMap::new();
            for (column, header) in columns {
                let key = format!("{table}.{column}");
                if !schema.fields.iter().any(|f| f.name == column) {
                    let known: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
                    problems.push(
                        Problem::new(source, format!("unknown column, expected one of {}", known.join(", ")))
                            .column(key),
                    );
                } else if let Some(header) = header.as_str().filter(|h| !normalise(h).is_empty()) {
                    names.insert(column.clone(), header.to_string());
                } else {
                    problems.push(
                        Problem::new(source, "expected the header as exported, in quotes")
                            .column(key)
                            .value(header.to_string()),
                    );
                }
            }
            tables.insert(table.clone(), names);
        }
        problems.finish()?;
        Ok(ColumnNames { source: source.to_string(), tables })
    }

    /// The header `columns.toml` gives `column` of `table`, if any.
    pub(crate) fn header(&self, table: &str, column: &str) -> Option<&str> {
        self.tables.get(table)?.get(column).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_as_the_spec_says() {
        assert_eq!(normalise("Account ID"), "account_id");
        assert_eq!(normalise("ARR (converted)"), "arr_converted");
        assert_eq!(normalise("Health-Score"), "health_score");
        assert_eq!(normalise("  __Account  Owner__ "), "account_owner");
        assert_eq!(normalise("account_id"), "account_id");
        assert_eq!(normalise("%"), "");
    }

    #[test]
    fn every_alias_is_normalised_and_belongs_to_one_column() {
        for schema in SCHEMAS {
            let mut seen = std::collections::HashSet::new();
            for f in schema.fields {
                for name in std::iter::once(&f.name).chain(f.aliases) {
                    assert_eq!(normalise(name), *name, "{name}");
                    assert!(seen.insert(*name), "{} has {name} twice", schema.table);
                }
            }
        }
    }

    #[test]
    fn columns_toml_maps_and_refuses_unknown_names() {
        let names = ColumnNames::parse("[accounts]\nadvisor = \"Primary TA\"\n", "columns.toml").unwrap();
        assert_eq!(names.header("accounts", "advisor"), Some("Primary TA"));
        assert_eq!(names.header("arr", "arr"), None);
        let error = ColumnNames::parse("[acounts]\nadvisor = \"x\"\n[arr]\namount = \"y\"\n", "c.toml").unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains(
                "c.toml: [acounts]: unknown table, expected one of accounts, arr, advisors, rates, health, ownership"
            ),
            "{text}"
        );
        assert!(text.contains("c.toml: arr.amount: unknown column, expected one of account_id, month, arr"), "{text}");
    }
}
