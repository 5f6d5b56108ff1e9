//! Where a value sits in the plan format: whether a plain scalar there is
//! text or a number, and the order a mapping's fields are declared in.
//!
//! It is read from the JSON Schema the decoder's own declarations generate
//! (`sections.rs`), so it cannot drift from what loading accepts. YAML's
//! core schema would read `id: 007` as the number 7 and `title: 1.10` as
//! 1.1; the decoder reads both as the text written, and so must an entity.

use std::sync::LazyLock;

use serde_json::Value;

use crate::sections::declared_fields;

/// A place in the plan format, as an index into [`Shapes`].
pub(crate) type ShapeId = usize;

/// A place the schema does not describe (an unknown field).
pub(crate) const UNKNOWN: ShapeId = 0;

/// What may stand at one place in the plan format.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// A plain scalar here is text (an id, a name, a date, a keyword).
    pub text: bool,
    /// A plain scalar here is a number.
    pub number: Option<Numeric>,
    /// The shape of a list's elements, if a list may stand here.
    items: Option<ShapeId>,
    /// The shapes of a mapping's known fields.
    fields: Vec<(&'static str, ShapeId)>,
    /// The shape of any other field's value (a map of scores).
    other_fields: Option<ShapeId>,
    /// The mapping's fields in their declared order.
    order: Option<&'static [&'static str]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Numeric {
    Integer,
    Float,
}

impl Shape {
    pub fn items(&self) -> ShapeId {
        self.items.unwrap_or(UNKNOWN)
    }

    pub fn field(&self, name: &str) -> ShapeId {
        self.fields.iter().find(|(n, _)| *n == name).map(|&(_, id)| id).or(self.other_fields).unwrap_or(UNKNOWN)
    }

    /// Where a field goes among the mapping's fields: declared ones in
    /// their order, then any other.
    pub fn rank(&self, name: &str) -> usize {
        self.order.and_then(|order| order.iter().position(|f| *f == name)).unwrap_or(usize::MAX)
    }
}

/// Every place of the plan format, compiled once from the JSON Schema.
pub(crate) struct Shapes {
    nodes: Vec<Shape>,
    /// The top-level mapping: sections by name.
    root: ShapeId,
}

/// How many `$ref`s and alternatives deep a schema is followed; the
/// plan's schema is a few levels deep and refers to nothing recursively.
const MAX_SCHEMA_DEPTH: usize = 32;

static SCHEMA: LazyLock<Value> = LazyLock::new(crate::json_schema);
static SHAPES: LazyLock<Shapes> = LazyLock::new(|| Shapes::compile(&SCHEMA));

pub(crate) fn shapes() -> &'static Shapes {
    &SHAPES
}

impl Shapes {
    pub fn get(&self, id: ShapeId) -> &Shape {
        // Ids only come from this table.
        self.nodes.get(id).unwrap_or(&self.nodes[UNKNOWN])
    }

    /// The shape of one entry of a section: an element of a list section,
    /// or a singleton section's mapping.
    pub fn entry(&self, section: &str, singleton: bool) -> ShapeId {
        let place = self.get(self.root).field(section);
        if singleton { place } else { self.get(place).items() }
    }

    fn compile(schema: &'static Value) -> Shapes {
        let mut shapes = Shapes { nodes: vec![Shape::default()], root: UNKNOWN };
        shapes.root = shapes.add(schema, schema, None, 0);
        shapes
    }

    fn add(
        &mut self,
        root: &'static Value,
        schema: &'static Value,
        def: Option<&'static str>,
        depth: usize,
    ) -> ShapeId {
        let mut alternatives = Vec::new();
        flatten(root, schema, def, depth, &mut alternatives);
        let id = self.nodes.len();
        self.nodes.push(Shape::default());
        let mut shape = Shape::default();
        for (alternative, def) in alternatives {
            let types: Vec<&str> = match alternative.get("type") {
                Some(Value::String(t)) => vec![t.as_str()],
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                _ if alternative.get("enum").is_some() => vec!["string"],
                _ => Vec::new(),
            };
            for kind in types {
                match kind {
                    "string" => shape.text = true,
                    "number" => shape.number = Some(Numeric::Float),
                    "integer" => {
                        shape.number.get_or_insert(Numeric::Integer);
                    }
                    "array" if depth < MAX_SCHEMA_DEPTH => {
                        if let Some(items) = alternative.get("items") {
                            shape.items = Some(self.add(root, items, None, depth + 1));
                        }
                    }
                    "object" if depth < MAX_SCHEMA_DEPTH => {
                        if let Some(Value::Object(properties)) = alternative.get("properties") {
                            for (name, property) in properties {
                                let field = self.add(root, property, None, depth + 1);
                                shape.fields.push((name.as_str(), field));
                            }
                        }
                        if let Some(other) = alternative.get("additionalProperties").filter(|v| v.is_object()) {
                            shape.other_fields = Some(self.add(root, other, None, depth + 1));
                        }
                        shape.order = def.and_then(declared_fields);
                    }
                    _ => {}
                }
            }
        }
        self.nodes[id] = shape;
        id
    }
}

/// The concrete schemas (those with a `type` or an `enum`) a schema stands
/// for, through `$ref`, `oneOf` and `anyOf`, each with the name of the
/// definition it was reached through.
fn flatten(
    root: &'static Value,
    schema: &'static Value,
    def: Option<&'static str>,
    depth: usize,
    out: &mut Vec<(&'static Value, Option<&'static str>)>,
) {
    if depth >= MAX_SCHEMA_DEPTH {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/$defs/");
        if let Some((name, target)) = name.and_then(|n| root.get("$defs")?.as_object()?.get_key_value(n)) {
            flatten(root, target, Some(name.as_str()), depth + 1, out);
        }
        return;
    }
    let mut branched = false;
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(key) {
            branched = true;
            for branch in branches {
                flatten(root, branch, def, depth + 1, out);
            }
        }
    }
    if !branched {
        out.push((schema, def));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_numbers_are_told_apart_by_the_schema() {
        let shapes = shapes();
        let item = shapes.get(shapes.entry("items", false));
        assert!(shapes.get(item.field("id")).text);
        assert!(shapes.get(item.field("deadline")).text, "dates are text");
        assert!(shapes.get(item.field("status")).text, "keywords are text");
        assert_eq!(shapes.get(item.field("people")).number, Some(Numeric::Integer));
        assert_eq!(shapes.get(item.field("remaining")).number, Some(Numeric::Float));
        let estimate = shapes.get(item.field("estimate"));
        assert_eq!(estimate.number, Some(Numeric::Float));
        assert_eq!(shapes.get(estimate.items()).number, Some(Numeric::Float));
        assert_eq!(shapes.get(estimate.field("likely")).number, Some(Numeric::Float));
        let depends = shapes.get(item.field("depends"));
        let dependency = shapes.get(depends.items());
        assert!(dependency.text, "an id");
        assert_eq!(shapes.get(dependency.field("lag")).number, Some(Numeric::Float));
        assert!(dependency.rank("item") < dependency.rank("lag"));
        let program = shapes.get(shapes.entry("program", true));
        assert!(program.rank("name") < program.rank("start"));
        let decision = shapes.get(shapes.entry("decisions", false));
        let option = shapes.get(shapes.get(decision.field("options")).items());
        let score = shapes.get(shapes.get(option.field("scores")).field("any criterion"));
        assert_eq!(score.number, Some(Numeric::Float));
        assert_eq!(item.field("no such field"), UNKNOWN);
    }

    #[test]
    fn every_mapping_of_the_schema_has_its_declared_order() {
        let Some(Value::Object(defs)) = SCHEMA.get("$defs") else { panic!("the schema has $defs") };
        let mut mappings: Vec<(&str, &Value)> = vec![("PlanDoc", &SCHEMA)];
        for (name, def) in defs {
            let alternatives = def.get("oneOf").and_then(Value::as_array).map_or(vec![def], |a| a.iter().collect());
            for alternative in alternatives {
                if alternative.get("properties").is_some() {
                    mappings.push((name, alternative));
                }
            }
        }
        assert!(mappings.len() > 20);
        for (name, mapping) in mappings {
            let Some(Value::Object(properties)) = mapping.get("properties") else { continue };
            let mut declared: Vec<&str> =
                declared_fields(name).unwrap_or_else(|| panic!("no order for {name}")).to_vec();
            let mut properties: Vec<&str> = properties.keys().map(String::as_str).collect();
            declared.sort_unstable();
            properties.sort_unstable();
            assert_eq!(declared, properties, "{name}");
        }
    }
}
