//! Entity bodies as text: JSON for the loader (JSON is YAML's flow style),
//! and block-style YAML for a plan folder people read.
//!
//! Strings go through [`crate::write::quoted`] or [`crate::write::scalar`]
//! in both, so control and bidirectional characters are escapes, never
//! raw, and every string reads back as exactly itself.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::shape::{Shape, ShapeId, Shapes};
use crate::write::{quoted, scalar};
use crate::yaml::MAX_DEPTH;

/// The widest line a list or mapping is written on in flow style.
const FLOW_WIDTH: usize = 100;

/// `value` as JSON text, strings escaped as [`quoted`] does. `depth` is how
/// many lists and mappings enclose it; past the parser's limit a list or
/// mapping is written empty, which is still too deep for the parser to
/// accept, so the writer's recursion stays bounded whatever it is given.
pub(super) fn json(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Array(_) | Value::Object(_) if depth > MAX_DEPTH => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json(item, depth + 1, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(key));
                out.push_str(": ");
                json(item, depth + 1, out);
            }
            out.push('}');
        }
        Value::String(s) => out.push_str(&quoted(s)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {
            let _ = write!(out, "{value}");
        }
    }
}

/// A string as a plan file writes it: a date plain (`2026-09-07`, which the
/// parser reads back as that text wherever it stands), else [`scalar`].
fn text(s: &str) -> String {
    let b = s.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if date { s.to_owned() } else { scalar(s) }
}

/// A scalar's text, or `None` for a list or mapping.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("~".to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(text(s)),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Block-style YAML of one section's bodies, ordered by the plan format's
/// declarations.
pub(super) struct Block<'s> {
    pub shapes: &'s Shapes,
    pub out: String,
}

impl Block<'_> {
    /// `key:` and its value, the key at `indent` spaces (written there when
    /// `pad`, else on the current line); `depth` as in [`json`].
    pub fn field(&mut self, indent: usize, pad: bool, key: &str, value: &Value, shape: ShapeId, depth: usize) {
        if pad {
            self.pad(indent);
        }
        self.out.push_str(&scalar(key));
        self.out.push(':');
        let small = || flow(value, self.shapes.get(shape)).filter(|f| indent + key.len() + 2 + f.len() <= FLOW_WIDTH);
        match value {
            Value::Array(_) | Value::Object(_) if depth > MAX_DEPTH => self.out.push_str(" []\n"),
            Value::Object(fields) if !fields.is_empty() => {
                self.out.push('\n');
                self.fields(indent + 2, false, fields, shape, depth + 1);
            }
            Value::Array(items) => match small() {
                Some(flow) => {
                    let _ = writeln!(self.out, " {flow}");
                }
                None => {
                    self.out.push('\n');
                    let element = self.shapes.get(shape).items();
                    for item in items {
                        self.entry(indent + 2, item, element, depth + 1);
                    }
                }
            },
            scalar => {
                let _ = writeln!(self.out, " {}", scalar_text(scalar).unwrap_or_else(|| "{}".to_owned()));
            }
        }
    }

    /// One list element, `- ` at `indent` spaces.
    pub fn entry(&mut self, indent: usize, value: &Value, shape: ShapeId, depth: usize) {
        self.pad(indent);
        self.out.push('-');
        let small = flow(value, self.shapes.get(shape)).filter(|f| indent + 2 + f.len() <= FLOW_WIDTH);
        match value {
            Value::Array(_) | Value::Object(_) if depth > MAX_DEPTH => self.out.push_str(" []\n"),
            Value::Object(fields) if !fields.is_empty() && small.is_none() => {
                self.out.push(' ');
                self.fields(indent + 2, true, fields, shape, depth + 1);
            }
            Value::Array(items) if !items.is_empty() && small.is_none() => {
                self.out.push('\n');
                let element = self.shapes.get(shape).items();
                for item in items {
                    self.entry(indent + 2, item, element, depth + 1);
                }
            }
            scalar_or_short => {
                let text = small.or_else(|| scalar_text(scalar_or_short)).unwrap_or_default();
                let _ = writeln!(self.out, " {text}");
            }
        }
    }

    /// A mapping's fields at `indent`, declared ones first in their order;
    /// the first on the current line when `inline` (after a list's `- `).
    fn fields(&mut self, indent: usize, inline: bool, fields: &Map<String, Value>, shape: ShapeId, depth: usize) {
        let place = self.shapes.get(shape);
        let mut ordered: Vec<(&String, &Value)> = fields.iter().collect();
        ordered.sort_by_key(|(key, _)| place.rank(key));
        for (i, (key, value)) in ordered.into_iter().enumerate() {
            self.field(indent, !(inline && i == 0), key, value, place.field(key), depth);
        }
    }

    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }
}

/// A list or mapping of scalars in flow style (`[a, b]`, `{ a: 1 }`, fields
/// in their declared order), or a scalar's text; `None` for anything
/// nested deeper.
fn flow(value: &Value, place: &Shape) -> Option<String> {
    match value {
        Value::Array(items) => {
            let items: Option<Vec<String>> = items.iter().map(scalar_text).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Value::Object(fields) if fields.is_empty() => Some("{}".to_owned()),
        Value::Object(fields) => {
            let mut ordered: Vec<(&String, &Value)> = fields.iter().collect();
            ordered.sort_by_key(|(key, _)| place.rank(key));
            let fields: Option<Vec<String>> =
                ordered.iter().map(|(k, v)| Some(format!("{}: {}", scalar(k), scalar_text(v)?))).collect();
            Some(format!("{{ {} }}", fields?.join(", ")))
        }
        scalar => scalar_text(scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_plain_and_other_text_as_the_importers_write_it() {
        assert_eq!(text("2026-09-07"), "2026-09-07");
        assert_eq!(text("2026-09-07x"), quoted("2026-09-07x"));
        assert_eq!(text("007"), quoted("007"));
        assert_eq!(text("PAY-12"), "PAY-12");
    }

    #[test]
    fn json_escapes_what_is_hidden_and_stops_past_the_depth_limit() {
        let mut out = String::new();
        json(&json!({ "a": ["x\u{202e}", 1, 2.5, null, true] }), 0, &mut out);
        assert_eq!(out, r#"{"a": ["x\u202E", 1, 2.5, null, true]}"#);
        let mut deep = json!(1);
        for _ in 0..200 {
            deep = Value::Array(vec![deep]);
        }
        let mut out = String::new();
        json(&deep, 0, &mut out);
        assert_eq!(out.matches('[').count(), MAX_DEPTH + 2);
    }
}
