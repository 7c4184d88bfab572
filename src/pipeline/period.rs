//! The period stage (SPEC §4): which quarter a run evaluates, with its window and trend points,
//! from `--quarter`, the targets and the months arr.csv holds.

use std::path::Path;

use crate::domain::calendar::{Month, Period, Quarter, QuarterText, TREND_POINTS};
use crate::domain::targets::Targets;
use crate::error::{InvalidInput, Problem};

/// The period to evaluate: `--quarter`, or the latest quarter whose last month is at most the
/// last month of arr.csv (which must end inside the data), in the targets' fiscal year, with
/// their window and as many trend points as the trend and the promotion rule need.
pub(crate) fn resolve(
    requested: Option<QuarterText>,
    targets: &Targets,
    first: Month,
    last: Month,
    arr_file: &Path,
) -> Result<Period, InvalidInput> {
    let arr_file = arr_file.display().to_string();
    let range = format!("{first} to {last}");
    let fiscal_start = targets.fiscal_year_start_month;
    let requested = match requested.map(|q| q.resolve(fiscal_start)).transpose() {
        Ok(requested) => requested,
        Err(why) => return Err(InvalidInput::one(Problem::new("--quarter", why))),
    };
    let quarter = match requested {
        Some(q) if q.end_month() > last || q.end_month() < first => {
            return Err(InvalidInput::one(
                Problem::new("--quarter", format!("ends in {}, outside the months of {arr_file}", q.end_month()))
                    .value(format!("{q}; data covers {range}")),
            ));
        }
        Some(q) => q,
        None => {
            let q = Quarter::latest_ending_by(last, fiscal_start);
            if q.end_month() < first {
                return Err(InvalidInput::one(
                    Problem::new(&arr_file, "no quarter ends inside the data, so there is nothing to evaluate")
                        .column(crate::domain::columns::MONTH)
                        .value(range),
                ));
            }
            q
        }
    };
    // The trend and the promotion rule's quarter ends, each rated on the basis: the annual
    // average at a quarter end reads the three before it too (SPEC §4).
    let promotion = targets.promotion_quarters + targets.promotion_quarters_at_level;
    let points = (promotion as usize).max(TREND_POINTS) + targets.basis.quarters_back();
    Ok(Period::new(quarter, targets.window_months, first, last, points))
}
