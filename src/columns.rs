//! Column names: those of the input files (SPEC §3) and those of the frames the stages pass on.

// Input columns, matched case-insensitively after trimming.
pub const ACCOUNT_ID: &str = "account_id";
pub const ACCOUNT_NAME: &str = "account_name";
pub const ADVISOR: &str = "advisor";
pub const SEGMENT: &str = "segment";
pub const EMPLOYEES: &str = "employees";
pub const ELA: &str = "ela";
pub const HEALTH: &str = "health_score";
pub const RENEWAL_DATE: &str = "renewal_date";
pub const MONTH: &str = "month";
pub const ARR: &str = "arr";
pub const LEVEL: &str = "level";
pub const MANAGER: &str = "manager";

// Frames built by the stages.
/// The segment as accounts.csv gives it (normalised), null when left for the rules.
pub const SEGMENT_CRM: &str = "segment_crm";
pub const REFERENCE_ARR: &str = "reference_arr";
pub const BAND: &str = "band";
/// 0-based data record of arr.csv, for line numbers in messages.
pub const ROW: &str = "row";
pub const MONTH_RAW: &str = "month_raw";
/// Whether a month was written `YYYY-MM` or `YYYY-MM-DD` (not in `--date-format`).
pub const MONTH_ISO: &str = "month_iso";
pub const ARR_RAW: &str = "arr_raw";
pub const KNOWN_ACCOUNT: &str = "known_account";
/// An account's row in accounts.csv (0-based): the integer key the ARR table is joined and
/// grouped on, much cheaper than the id text.
pub const KEY: &str = "key";
/// The currency an amount named, and whether it carried more than a plain number.
pub const CURRENCY: &str = "currency";
pub const DECORATED: &str = "decorated";
/// ARR at the start and the end of a window.
pub const START: &str = "start";
pub const END: &str = "end";
pub const POINT: &str = "point";
/// What a metrics plan groups by: an advisor, a manager, or the whole team.
pub const GROUP: &str = "group";
pub const MOVEMENT: &str = "movement";

/// The column of the per-account table holding `ARR(a, month)`.
pub fn arr_at(month: crate::period::Month) -> String {
    format!("arr_{}", month.0)
}
