//! The JSON Schema of the plan format, built from the same declarations the
//! decoder is (`sections.rs`), so what editors are told and what `check`
//! accepts cannot drift apart.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use linchpin_model::Located;
use serde_json::{Value, json};

/// The schemas of named types, referred to as `#/$defs/NAME`.
#[derive(Default)]
pub(crate) struct Defs(BTreeMap<&'static str, Value>);

impl Defs {
    /// A reference to the named schema, built the first time it is asked for.
    pub fn named(&mut self, name: &'static str, build: impl FnOnce(&mut Defs) -> Value) -> Value {
        if !self.0.contains_key(name) {
            // A placeholder first, so a type that contains itself terminates.
            self.0.insert(name, Value::Null);
            let schema = build(self);
            self.0.insert(name, schema);
        }
        json!({ "$ref": format!("#/$defs/{name}") })
    }
}

/// A type's JSON Schema.
pub(crate) trait Schema {
    fn schema(defs: &mut Defs) -> Value;
}

impl Schema for String {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "string" })
    }
}

impl Schema for f64 {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "number" })
    }
}

impl Schema for i64 {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "integer" })
    }
}

impl Schema for NaiveDate {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "string", "format": "date" })
    }
}

impl<T: Schema> Schema for Located<T> {
    fn schema(defs: &mut Defs) -> Value {
        T::schema(defs)
    }
}

impl<T: Schema> Schema for Vec<T> {
    fn schema(defs: &mut Defs) -> Value {
        json!({ "type": "array", "items": T::schema(defs) })
    }
}

/// The schema, also allowing `null` (an optional field left empty).
pub(crate) fn nullable(schema: Value) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) if schema.get("enum").is_none() => {
            let mut schema = schema.clone();
            schema["type"] = json!([kind, "null"]);
            schema
        }
        _ => json!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

/// A section's schema: an object with exactly these properties.
pub(crate) fn object(description: &str, properties: Vec<(&'static str, Value, bool)>) -> Value {
    let required: Vec<&str> = properties.iter().filter(|p| p.2).map(|p| p.0).collect();
    let mut schema = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties.into_iter().map(|(name, schema, _)| (name.to_owned(), schema)).collect::<serde_json::Map<_, _>>(),
    });
    if !description.is_empty() {
        schema["description"] = json!(description);
    }
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// The schema with a description.
pub(crate) fn described(mut schema: Value, description: &str) -> Value {
    // Siblings of `$ref` are allowed from draft 2019-09 on.
    if !description.is_empty() {
        schema["description"] = json!(description);
    }
    schema
}

/// Doc-comment lines as one sentence.
pub(crate) fn doc_text(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The whole schema, with the root type's schema inline.
pub(crate) fn document<T: Schema>(title: &str, id: &str) -> Value {
    let mut defs = Defs::default();
    let root = T::schema(&mut defs);
    let name = root["$ref"].as_str().and_then(|r| r.strip_prefix("#/$defs/")).map(str::to_owned);
    let mut schema = match name {
        Some(name) => {
            let key = defs.0.keys().copied().find(|k| *k == name);
            key.and_then(|k| defs.0.remove(k)).unwrap_or(root)
        }
        None => root,
    };
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["$id"] = json!(id);
    schema["title"] = json!(title);
    schema["$defs"] = Value::Object(defs.0.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    schema
}
