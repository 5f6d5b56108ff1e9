//! `linchpin schema`: the JSON Schema of the plan format.

use crate::{Fatal, Outcome};

pub fn run() -> Result<Outcome, Fatal> {
    crate::emit_json(&linchpin_plan::json_schema());
    Ok(Outcome::Success)
}
