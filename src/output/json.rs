//! scorecards.json: the result model serialised, numbers rounded to 6 decimals so binary float
//! noise (`1234.5600000000002`) never reaches a reader.

use serde_json::Value;

use crate::model::Report;

pub(crate) fn report(report: &Report) -> anyhow::Result<Vec<u8>> {
    value(report)
}

/// Any part of the model as pretty JSON, rounded the same way.
pub(crate) fn value(model: &impl serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut value = serde_json::to_value(model)?;
    round_floats(&mut value);
    let mut bytes = serde_json::to_vec_pretty(&value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn round_floats(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(rounded) =
                n.as_f64().map(|f| (f * 1e6).round() / 1e6 + 0.0).and_then(serde_json::Number::from_f64)
            {
                *n = rounded;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(round_floats),
        Value::Object(fields) => fields.values_mut().for_each(round_floats),
        _ => {}
    }
}
