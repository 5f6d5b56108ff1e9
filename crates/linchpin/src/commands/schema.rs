//! `linchpin schema`: the JSON Schema of the plan format.

use crate::{Fatal, Outcome};

pub fn run() -> Result<Outcome, Fatal> {
    sayln!("{}", serde_json::to_string_pretty(&linchpin_plan::json_schema())?);
    Ok(Outcome::Success)
}
