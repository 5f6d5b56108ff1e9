//! YAML nodes to the model's documents, collecting every problem instead
//! of stopping at the first.
//!
//! Each value type says what it expects (`Decode::EXPECTED`); a mapping
//! lists the fields it knows, so an unknown field gets a "did you mean".
//! A value that cannot be decoded is reported and left out, and decoding
//! goes on with its siblings.

use chrono::NaiveDate;
use linchpin_model::dates::{self, DateError};
use linchpin_model::diagnostic::did_you_mean;
use linchpin_model::{Code, Diagnostic, Located, Span};

use crate::yaml::{Node, NodeKind};

/// Where decoding is, and what it has found wrong so far.
pub(crate) struct Cx<'d> {
    pub diagnostics: &'d mut Vec<Diagnostic>,
    path: Vec<String>,
}

impl<'d> Cx<'d> {
    pub fn new(diagnostics: &'d mut Vec<Diagnostic>) -> Self {
        Cx { diagnostics, path: Vec::new() }
    }

    /// The key path being decoded, e.g. `items[PAY-3].depends[0]`.
    pub fn field_path(&self) -> String {
        let mut out = String::new();
        for part in &self.path {
            if !out.is_empty() && !part.starts_with('[') {
                out.push('.');
            }
            out.push_str(part);
        }
        out
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        let diagnostic = if diagnostic.field.is_empty() {
            let field = self.field_path();
            diagnostic.with_field(field)
        } else {
            diagnostic
        };
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn within<T>(&mut self, part: String, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(part);
        let out = f(self);
        self.path.pop();
        out
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        let hint = match &node.kind {
            NodeKind::Scalar { quoted: true, text } if text.parse::<f64>().is_ok() => {
                Some("remove the quotes to make it a number".to_owned())
            }
            NodeKind::Scalar { .. } if expected.starts_with("a list") => {
                Some("write a list, e.g. `[A, B]`, even for one entry".to_owned())
            }
            _ => None,
        };
        let path = self.field_path();
        self.report(
            Diagnostic::error(
                Code::WrongType,
                node.span,
                format!("`{path}` must be {expected}, found {}", found(node)),
            )
            .with_label(format!("expected {expected}"))
            .with_help_opt(hint),
        );
    }

    /// Opens a mapping with the given known fields; reports unknown and
    /// repeated ones.
    pub fn fields<'n>(&mut self, node: &'n Node, what: &str, known: &'static [&'static str]) -> Option<Fields<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.wrong_type(node, &format!("a mapping ({what})"));
            return None;
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries {
            let NodeKind::Scalar { text, .. } = &key.kind else {
                self.wrong_type(key, "a field name");
                continue;
            };
            if !known.contains(&&**text) {
                let suggestion = did_you_mean(text, known.iter().copied());
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the fields of {what} are: {}", known.join(", ")),
                };
                self.report(
                    Diagnostic::error(Code::UnknownField, key.span, format!("unknown field `{text}` in {what}"))
                        .with_label("not a field of ".to_owned() + what)
                        .with_help(help),
                );
            } else if seen.contains(&&**text) {
                self.report(
                    Diagnostic::error(Code::DuplicateField, key.span, format!("field `{text}` is given twice"))
                        .with_label("second time")
                        .with_help("keep one of them; YAML would silently use only the last"),
                );
            } else {
                seen.push(text);
            }
        }
        Some(Fields { node, entries })
    }
}

fn found(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar { text, .. } => {
            let shown: String = text.chars().take(40).collect();
            let ellipsis = if text.chars().count() > 40 { "…" } else { "" };
            format!("`{shown}{ellipsis}`")
        }
        _ => node.describe().to_owned(),
    }
}

/// The fields of one mapping.
pub(crate) struct Fields<'n> {
    node: &'n Node,
    entries: &'n [(Node, Node)],
}

impl<'n> Fields<'n> {
    fn find(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if &**text == name))
            .map(|(_, v)| v)
    }

    /// Where to point when something is missing: the mapping's first line.
    fn anchor(&self) -> Span {
        self.entries.first().map_or(self.node.span, |(k, _)| k.span)
    }

    /// An optional field; absent or null is `None`.
    pub fn get<T: Decode>(&self, cx: &mut Cx, name: &str) -> Option<T> {
        let value = self.find(name)?;
        if matches!(value.kind, NodeKind::Null) {
            return None;
        }
        cx.within(name.to_owned(), |cx| T::decode(value, cx))
    }

    /// A field that must be present; reports it when missing.
    pub fn require<T: Decode>(&self, cx: &mut Cx, name: &str, what: &str) -> Option<T> {
        match self.find(name) {
            Some(value) if !matches!(value.kind, NodeKind::Null) => {
                cx.within(name.to_owned(), |cx| T::decode(value, cx))
            }
            _ => {
                cx.report(
                    Diagnostic::error(Code::MissingField, self.anchor(), format!("{what} has no `{name}`"))
                        .with_label(format!("`{name}` is required here"))
                        .with_help(format!("add `{name}: {}`", T::EXAMPLE)),
                );
                None
            }
        }
    }

    /// A list field; absent or null is empty.
    pub fn list<T: Decode>(&self, cx: &mut Cx, name: &str) -> Vec<T> {
        self.get::<Vec<T>>(cx, name).unwrap_or_default()
    }
}

/// A value that can be read from a YAML node.
pub(crate) trait Decode: Sized {
    /// What a valid value looks like, for "must be ..." messages.
    const EXPECTED: &'static str;
    /// A value to show in "add `field: ...`" suggestions.
    const EXAMPLE: &'static str = "...";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self>;
}

fn scalar(node: &Node) -> Option<(&str, bool)> {
    match &node.kind {
        NodeKind::Scalar { text, quoted } => Some((text, *quoted)),
        _ => None,
    }
}

impl Decode for String {
    const EXPECTED: &'static str = "text";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match scalar(node) {
            Some((text, _)) => Some(text.to_owned()),
            None => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
        }
    }
}

impl Decode for f64 {
    const EXPECTED: &'static str = "a number";
    const EXAMPLE: &'static str = "5";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match scalar(node) {
            Some((text, false)) => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    cx.wrong_type(node, Self::EXPECTED);
                    None
                }
            },
            _ => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
        }
    }
}

impl Decode for i64 {
    const EXPECTED: &'static str = "a whole number";
    const EXAMPLE: &'static str = "3";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match scalar(node) {
            Some((text, false)) => match text.parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    cx.wrong_type(node, Self::EXPECTED);
                    None
                }
            },
            _ => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
        }
    }
}

impl Decode for NaiveDate {
    const EXPECTED: &'static str = "a date like 2026-03-02";
    const EXAMPLE: &'static str = "2026-03-02";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let parsed = scalar(node).map(|(text, _)| dates::parse(text));
        match parsed {
            Some(Ok(date)) => Some(date),
            Some(Err(DateError::OutOfRange(text))) => {
                cx.report(
                    Diagnostic::error(
                        Code::DateOutOfRange,
                        node.span,
                        format!("`{text}` is outside the years 1900 to 9999"),
                    )
                    .with_label("not a year a plan can mean")
                    .with_help("check the year for a typo"),
                );
                None
            }
            Some(Err(DateError::Malformed(_))) | None => {
                cx.wrong_type(node, Self::EXPECTED);
                None
            }
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    const EXPECTED: &'static str = "a list";
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let NodeKind::List(items) = &node.kind else {
            cx.wrong_type(node, &format!("a list of {}", T::EXPECTED));
            return None;
        };
        // Sized up front: a plan's item list is the largest thing decoded,
        // and growing it by doubling would leave up to half of it spare.
        let mut decoded = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            decoded.extend(cx.within(element_label(i, item), |cx| T::decode(item, cx)));
        }
        Some(decoded)
    }
}

/// `[PAY-3]` for an entity with an id, `[3]` otherwise.
pub(crate) fn element_label(index: usize, node: &Node) -> String {
    if let NodeKind::Map(entries) = &node.kind {
        for (key, value) in entries {
            if let (Some(("id", _)), Some((id, _))) = (scalar(key), scalar(value)) {
                return format!("[{id}]");
            }
        }
    }
    format!("[{index}]")
}

impl<T: Decode> Decode for Located<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    const EXAMPLE: &'static str = T::EXAMPLE;
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        T::decode(node, cx).map(|value| Located::new(value, node.span))
    }
}

/// A word from a fixed vocabulary (a status, a kind).
pub(crate) trait Keyword: Copy + 'static {
    const ALL: &'static [Self];
    /// The word for it in a plan file.
    fn word(self) -> &'static str;
    /// Other accepted spellings, for user convenience.
    fn aliases() -> &'static [(&'static str, Self)] {
        &[]
    }
}

/// A keyword from text: its word or an alias, in any case, with spaces or
/// hyphens for underscores; otherwise the closest word, if one is close.
pub(crate) fn keyword<K: Keyword>(text: &str) -> Result<K, Option<&'static str>> {
    let normalised = text.trim().to_lowercase().replace([' ', '-'], "_");
    if let Some(k) = K::ALL.iter().find(|k| k.word() == normalised) {
        return Ok(*k);
    }
    if let Some((_, k)) = K::aliases().iter().find(|(alias, _)| *alias == normalised) {
        return Ok(*k);
    }
    Err(did_you_mean(text, K::ALL.iter().map(|k| k.word())))
}

/// The help for a word that is not a keyword of `K`.
pub(crate) fn keyword_help<K: Keyword>(closest: Option<&str>) -> String {
    match closest {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("use one of: {}", K::ALL.iter().map(|k| k.word()).collect::<Vec<_>>().join(", ")),
    }
}

/// Reads a keyword node (see [`keyword`]).
pub(crate) fn decode_keyword<K: Keyword>(node: &Node, cx: &mut Cx) -> Option<K> {
    let words: Vec<&str> = K::ALL.iter().map(|k| k.word()).collect();
    let Some((text, _)) = scalar(node) else {
        cx.wrong_type(node, &format!("one of {}", words.join(", ")));
        return None;
    };
    match keyword::<K>(text) {
        Ok(k) => Some(k),
        Err(closest) => {
            let path = cx.field_path();
            cx.report(
                Diagnostic::error(Code::UnknownValue, node.span, format!("`{text}` is not a valid `{path}`"))
                    .with_label(format!("expected one of {}", words.join(", ")))
                    .with_help(keyword_help::<K>(closest)),
            );
            None
        }
    }
}
