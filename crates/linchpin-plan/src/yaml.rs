//! YAML text to a tree of nodes with spans, within budgets.
//!
//! The tree is built from `saphyr-parser`'s event stream with an explicit
//! stack, so hostile input cannot exhaust the call stack; nesting depth and
//! the size after alias expansion are capped, so an alias bomb is refused
//! with an error instead of eating memory.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use linchpin_model::{Code, Diagnostic, SourceId, Span};

use crate::source::SourceFile;

/// How deep mappings and lists may nest. Plans need about six levels.
pub const MAX_DEPTH: usize = 64;
/// How many nodes a file may hold once aliases are expanded.
pub const MAX_NODES: usize = 4_000_000;
/// How many nodes aliases may copy in all. Plans alias a shared estimate or
/// a list of tags; a bomb of aliases to aliases is refused when its copies
/// pass this, before they take memory.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A YAML value with the span of its text.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Nodes in this subtree, itself included; bounds alias expansion.
    pub weight: u32,
}

/// Boxed slices rather than vectors: the tree is the largest thing loading
/// holds (tens of bytes per byte of YAML), and a vector's spare capacity
/// would add up to half again.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// `~`, `null` or nothing at all.
    Null,
    /// A scalar; `quoted` scalars are always strings, never numbers or dates.
    Scalar {
        text: Box<str>,
        quoted: bool,
    },
    List(Box<[Node]>),
    Map(Box<[(Node, Node)]>),
}

impl Node {
    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a single value",
            NodeKind::List(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

enum Frame {
    List { start: Span, items: Vec<Node>, weight: u32, anchor: usize },
    Map { start: Span, entries: Vec<(Node, Node)>, key: Option<Node>, weight: u32, anchor: usize },
}

/// Parses one YAML document. An empty file is a document holding nothing.
pub fn parse(file: SourceId, source: &SourceFile) -> Result<Node, Box<Diagnostic>> {
    let mut roots = parse_stream(file, source, false)?;
    Ok(if roots.is_empty() {
        Node { kind: NodeKind::Null, span: Span::new(file, 0, 0), weight: 1 }
    } else {
        roots.swap_remove(0)
    })
}

/// Parses every document of a multi-document YAML file (`---` between
/// them, as a Backstage catalog is written), under the same caps as one
/// plan file, counted over all of them.
pub fn parse_documents(file: SourceId, source: &SourceFile) -> Result<Vec<Node>, Box<Diagnostic>> {
    parse_stream(file, source, true)
}

fn parse_stream(file: SourceId, source: &SourceFile, many: bool) -> Result<Vec<Node>, Box<Diagnostic>> {
    let to_span = |span: saphyr_parser::Span| {
        Span::new(file, source.offset_of_char(span.start.index()), source.offset_of_char(span.end.index()))
    };
    let mut parser = Parser::new_from_str(&source.text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    // Both stay under u32 as they are checked against their limits at each step.
    let mut total_weight = 0u32;
    let mut alias_weight = 0u32;
    let mut roots: Vec<Node> = Vec::new();
    let mut documents = 0;

    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|error| -> Box<Diagnostic> {
            let marker = error.marker();
            let offset = source.offset_of_char(marker.index());
            let span = Span::new(file, offset, (offset + 1).min(source.text.len()).max(offset));
            if error.info().contains("recursion limit") {
                return Box::new(too_deep(span));
            }
            Box::new(
                Diagnostic::error(Code::YamlSyntax, span, format!("invalid YAML: {}", error.info()))
                    .with_label("the YAML parser stopped here")
                    .with_help("check the indentation and the quoting around this point"),
            )
        })?;
        let span = to_span(raw_span);
        let finished = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 && !many {
                    return Err(Box::new(
                        Diagnostic::error(Code::MultipleDocuments, span, "a plan file holds one YAML document")
                            .with_label("a second document starts here")
                            .with_help("put each part of the plan in its own file in a folder; `linchpin` merges them"),
                    ));
                }
                None
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let kind = if !quoted && matches!(&*text, "" | "~" | "null" | "Null" | "NULL") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar { text: text.into(), quoted }
                };
                Some((Node { kind, span, weight: 1 }, anchor))
            }
            Event::Alias(anchor) => {
                let Some(target) = anchors.get(&anchor) else {
                    return Err(Box::new(Diagnostic::error(Code::YamlSyntax, span, "alias to an unknown anchor")));
                };
                alias_weight += target.weight;
                if alias_weight as usize > MAX_ALIAS_NODES {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::TooLarge,
                            span,
                            format!("aliases copy more than {MAX_ALIAS_NODES} values"),
                        )
                        .with_label("copies pass the limit here")
                        .with_help("anchors and aliases (`&a`, `*a`) that repeat each other multiply the size; write the values out or split the plan"),
                    ));
                }
                total_weight += target.weight;
                if total_weight as usize > MAX_NODES {
                    return Err(Box::new(too_big(span)));
                }
                Some((Node { span, ..target.clone() }, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Box::new(too_deep(span)));
                }
                total_weight += 1;
                if total_weight as usize > MAX_NODES {
                    return Err(Box::new(too_big(span)));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::List { start: span, items: Vec::new(), weight: 1, anchor }
                } else {
                    Frame::Map { start: span, entries: Vec::new(), key: None, weight: 1, anchor }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::List { start, items, weight, anchor }) => {
                    Some((Node { kind: NodeKind::List(items.into()), span: join(start, span), weight }, anchor))
                }
                Some(Frame::Map { start, entries, weight, anchor, .. }) => {
                    Some((Node { kind: NodeKind::Map(entries.into()), span: join(start, span), weight }, anchor))
                }
                None => None,
            },
        };
        let Some((node, anchor)) = finished else {
            continue;
        };
        if matches!(node.kind, NodeKind::Null | NodeKind::Scalar { .. }) {
            total_weight += 1;
            if total_weight as usize > MAX_NODES {
                return Err(Box::new(too_big(node.span)));
            }
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Frame::List { items, weight, .. }) => {
                *weight += node.weight;
                items.push(node);
            }
            Some(Frame::Map { entries, key, weight, .. }) => {
                *weight += node.weight;
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                }
            }
            None => roots.push(node),
        }
    }
    Ok(roots)
}

fn join(start: Span, end: Span) -> Span {
    Span { source: start.source, start: start.start, end: end.end.max(start.start) }
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error(Code::TooDeep, span, format!("the YAML nests deeper than {MAX_DEPTH} levels"))
        .with_label("too deep from here on")
        .with_help("a plan needs only a few levels of nesting; check for runaway brackets")
}

fn too_big(span: Span) -> Diagnostic {
    Diagnostic::error(Code::TooLarge, span, format!("the YAML holds more than {MAX_NODES} values"))
        .with_label("the count passes the limit here")
        .with_help("split the plan into smaller programs, or write long lists more compactly")
}

/// The node as a JSON value, typing plain scalars by YAML's core schema
/// (numbers, booleans); dates stay strings, as in JSON.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Scalar { text, quoted: true } => Value::String(text.to_string()),
        NodeKind::Scalar { text, quoted: false } => {
            if let Ok(i) = text.parse::<i64>() {
                Value::from(i)
            } else if let Some(f) = text.parse::<f64>().ok().filter(|f| f.is_finite()) {
                Value::from(f)
            } else if &**text == "true" || &**text == "false" {
                Value::Bool(&**text == "true")
            } else {
                Value::String(text.to_string())
            }
        }
        NodeKind::List(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeKind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.kind {
                        NodeKind::Scalar { text, .. } => text.to_string(),
                        _ => String::new(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    fn parse_text(text: &str) -> Result<Node, Box<Diagnostic>> {
        parse(SourceId(0), &SourceFile::new("t.yaml", text.to_owned(), SourceKind::Yaml))
    }

    #[test]
    fn builds_maps_lists_and_scalars_with_spans() {
        let node = parse_text("a: [1, 'x']\nb: ~\n").expect("valid");
        let NodeKind::Map(entries) = &node.kind else { panic!("map expected") };
        assert_eq!(entries.len(), 2);
        let NodeKind::List(items) = &entries[0].1.kind else { panic!("list expected") };
        assert!(matches!(&items[1].kind, NodeKind::Scalar { text, quoted: true } if &**text == "x"));
        assert_eq!((items[1].span.start, items[1].span.end), (7, 10));
        assert!(matches!(entries[1].1.kind, NodeKind::Null));
    }

    #[test]
    fn refuses_an_alias_bomb() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = (b'a' + level - 1) as char;
            let this = (b'a' + level) as char;
            text.push_str(&format!("{this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let error = parse_text(&text).expect_err("bomb");
        assert_eq!(error.code, Code::TooLarge);
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let error = parse_text(&text).expect_err("too deep");
        assert_eq!(error.code, Code::TooDeep);
    }

    #[test]
    fn reports_syntax_errors_with_a_position() {
        let error = parse_text("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert_eq!(error.code, Code::YamlSyntax);
    }
}
