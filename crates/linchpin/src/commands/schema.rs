//! `linchpin schema`: the JSON Schema of the plan format.

use crate::{Error, Outcome};

pub fn run() -> Result<Outcome, Error> {
    crate::emit_json(&linchpin_plan::json_schema());
    Ok(Outcome::Success)
}
