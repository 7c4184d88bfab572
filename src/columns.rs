//! Column names: those of the input files (SPEC §3) and those of the frames the stages pass on.

// Input columns, matched case-insensitively after trimming.
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
/// ARR at the start and the end of a window.
pub(crate) const START: &str = "start";
pub(crate) const END: &str = "end";
pub(crate) const POINT: &str = "point";
/// What a metrics plan groups by: an advisor, a manager, or the whole team.
pub(crate) const GROUP: &str = "group";
