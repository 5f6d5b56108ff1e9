//! A program as the shared server stores it: entities, each a kind, a key
//! a user recognises and the JSON body of one plan entry, converted from
//! and back to plan files.
//!
//! [`entities`] splits YAML plan files into entities, one per entry of a
//! list section (a team, an item, a blocker…) and one per singleton
//! section (`program`, `findings`, `baseline`). [`load_entities`] puts
//! them back into one document and loads it through the loader and the
//! resolver plan files go through, so a stored program is checked by
//! exactly the rules, and answered with exactly the diagnostics (field
//! paths such as `items[PAY-3].depends[0]`), of a plan file.
//! [`plan_folder`] writes them as a plan folder, one file per section, that
//! people read and keep in git.
//!
//! A body keeps each value as the plan file wrote it: dates and ids are
//! strings, numbers are numbers where the plan format has numbers (read
//! from the JSON Schema, so `id: 007` stays the text `007`). Comments and
//! the split of sections across files are not kept.
//!
//! Bounds: the caller bounds what it passes in (the server its request
//! bodies, the CLI its files). [`entities`] refuses more than
//! [`MAX_YAML_BYTES`] of text, and every file and
//! the generated document are read by the YAML parser with its caps
//! (nesting depth, values, aliases); the writers stop at the parser's depth
//! limit, so whatever they are given, their recursion is bounded.

mod cached;
mod shape;
mod text;

pub use cached::{EntryCache, SharedBody, body_of};

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use linchpin_model::doc::PlanDoc;
use linchpin_model::{Code, Diagnostic, Origin, SourceId, Span};
use serde_json::{Map, Value};

use self::shape::{Numeric, Shape, ShapeId, Shapes, shapes};
use crate::decode::Cx;
use crate::sections::Section;
use crate::source::{SourceFile, SourceKind};
use crate::yaml::{self, Node, NodeKind};
use crate::{MAX_YAML_BYTES, Plan, load_yaml_bytes};

/// One stored entry of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub kind: Kind,
    /// What a user recognises it by, unique within the kind: the entry's
    /// `id`, or for sections without one a key made from its content (see
    /// [`key_of`]).
    pub key: String,
    /// The entry as JSON, as the plan file wrote it.
    pub body: Value,
}

/// What an entity is: one per section of the plan format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Program,
    Team,
    Item,
    Group,
    Milestone,
    System,
    Interface,
    Risk,
    Decision,
    Blocker,
    Update,
    Stakeholder,
    Person,
    Findings,
    Baseline,
    Addition,
}

impl Kind {
    /// Every kind, in the order of the plan format's sections.
    pub const ALL: [Kind; 16] = [
        Kind::Program,
        Kind::Team,
        Kind::Item,
        Kind::Group,
        Kind::Milestone,
        Kind::System,
        Kind::Interface,
        Kind::Risk,
        Kind::Decision,
        Kind::Blocker,
        Kind::Update,
        Kind::Stakeholder,
        Kind::Person,
        Kind::Findings,
        Kind::Baseline,
        Kind::Addition,
    ];

    /// The kind's name, singular and lowercase: `item`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Program => "program",
            Kind::Team => "team",
            Kind::Item => "item",
            Kind::Group => "group",
            Kind::Milestone => "milestone",
            Kind::System => "system",
            Kind::Interface => "interface",
            Kind::Risk => "risk",
            Kind::Decision => "decision",
            Kind::Blocker => "blocker",
            Kind::Update => "update",
            Kind::Stakeholder => "stakeholder",
            Kind::Person => "person",
            Kind::Findings => "findings",
            Kind::Baseline => "baseline",
            Kind::Addition => "addition",
        }
    }

    /// The plan section that holds it: `items`.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Program => "program",
            Kind::Team => "teams",
            Kind::Item => "items",
            Kind::Group => "groups",
            Kind::Milestone => "milestones",
            Kind::System => "systems",
            Kind::Interface => "interfaces",
            Kind::Risk => "risks",
            Kind::Decision => "decisions",
            Kind::Blocker => "blockers",
            Kind::Update => "updates",
            Kind::Stakeholder => "stakeholders",
            Kind::Person => "people",
            Kind::Findings => "findings",
            Kind::Baseline => "baseline",
            Kind::Addition => "additions",
        }
    }

    /// The kind a section holds.
    pub fn from_section(section: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == section)
    }

    /// Whether its section is one mapping (`program`, `findings`,
    /// `baseline`) rather than a list.
    pub fn is_singleton(self) -> bool {
        matches!(self, Kind::Program | Kind::Findings | Kind::Baseline)
    }

    /// Whether its entries are known by an `id` field.
    pub fn has_id(self) -> bool {
        matches!(
            self,
            Kind::Team
                | Kind::Item
                | Kind::Group
                | Kind::Milestone
                | Kind::System
                | Kind::Interface
                | Kind::Risk
                | Kind::Decision
                | Kind::Person
        )
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`Kind`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a kind of plan entity")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    /// The kind's singular name, as [`Kind::as_str`] writes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// The longest key [`key_of`] makes, in characters. Ids are at most 100
/// characters (the resolver's limit), so an id is never cut; a key made
/// from free text (a stakeholder's name) may be.
pub const MAX_KEY_CHARS: usize = 200;

/// The key an entry is known by, before it is made unique: its `id` for
/// sections with ids; the section name for singletons; otherwise made
/// from what a user would recognise it by: a blocker `IDN-3@2026-10-28`
/// (item and date raised), a status update `identity@2026-11-20` (its
/// team or item, and date) or `2026-11-20` (the whole program), a
/// stakeholder their name, an addition the item it adds to. A body
/// without those fields is keyed by its kind's name (`item`).
pub fn key_of(kind: Kind, body: &Value) -> String {
    let field = |name: &str| match body.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let dated = |subject: Option<String>, date: Option<String>| match (subject, date) {
        (Some(subject), Some(date)) => Some(format!("{subject}@{date}")),
        (subject, date) => subject.or(date),
    };
    let key = match kind {
        Kind::Program | Kind::Findings | Kind::Baseline => Some(kind.section().to_owned()),
        _ if kind.has_id() => field("id"),
        Kind::Blocker => dated(field("item"), field("raised")),
        Kind::Update => dated(field("team").or_else(|| field("item")), field("date")),
        Kind::Stakeholder => field("name"),
        Kind::Addition => field("item"),
        _ => None,
    };
    let key = key.unwrap_or_else(|| kind.as_str().to_owned());
    match key.char_indices().nth(MAX_KEY_CHARS) {
        Some((cut, _)) => key[..cut].to_owned(),
        None => key,
    }
}

/// `base`, or `base~2`, `base~3`, … : the first that `taken` says is free.
/// The server makes a created entity's key unique this way, as
/// [`entities`] does.
pub fn unique_key(base: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    let mut n = 2u64;
    loop {
        let key = format!("{base}~{n}");
        if !taken(&key) {
            return key;
        }
        n += 1;
    }
}

/// The entities of YAML plan files given as (path, text), in file order
/// and, within a file, in section and list order; give the files in the
/// order [`load_path`](crate::load_path) reads a folder (sorted by path)
/// and they load as the same program. Keys are made unique within their
/// kind with [`unique_key`].
///
/// A file's problems that the entities could not carry are errors, with
/// the file's index in `files` as the origin's source: invalid YAML or a
/// cap passed, a top-level key that is not a section (with "did you
/// mean"), a list section that is not a list, a field given twice in one
/// mapping, a key that is not text. Everything else (an unknown field in
/// an item, a dangling reference) is kept in the bodies, for
/// [`load_entities`] to report as the plan file would.
pub fn entities(files: &[(String, String)]) -> Result<Vec<Entity>, Box<Diagnostic>> {
    let shapes = shapes();
    let mut out: Vec<Entity> = Vec::new();
    let mut taken: HashSet<(Kind, String)> = HashSet::new();
    let mut total = 0u64;
    for (index, (path, text)) in files.iter().enumerate() {
        let file = SourceId(u32::try_from(index).unwrap_or(u32::MAX));
        total += text.len() as u64;
        if total > MAX_YAML_BYTES {
            return Err(Box::new(
                Diagnostic::error(Code::TooLarge, Span::new(file, 0, 0), "the plan is too large to store")
                    .with_label("the plan files add up to more than the limit here")
                    .with_help(format!("a plan holds at most {MAX_YAML_BYTES} bytes of YAML; split the program")),
            ));
        }
        let source = SourceFile::new(path.as_str(), text.clone(), SourceKind::Yaml);
        let node = yaml::parse(file, &source)?;
        let NodeKind::Map(sections) = &node.kind else {
            if matches!(node.kind, NodeKind::Null) {
                continue; // an empty file adds nothing
            }
            return Err(first_problem(&node));
        };
        // The top level as the decoder sees it: unknown sections (with the
        // closest), sections given twice and keys that are not text.
        let mut problems = Vec::new();
        Cx::new(&mut problems).fields(&node, "a plan file", PlanDoc::FIELDS);
        if let Some(problem) = problems.into_iter().next() {
            return Err(Box::new(problem));
        }
        for (name, value) in sections.iter() {
            let NodeKind::Scalar { text: name, .. } = &name.kind else { continue };
            let name: &str = name;
            let Some(kind) = Kind::from_section(name) else { continue };
            let shape = shapes.entry(kind.section(), kind.is_singleton());
            let entries: &[Node] = match &value.kind {
                NodeKind::Null => &[],
                NodeKind::List(entries) if !kind.is_singleton() => entries,
                _ if kind.is_singleton() => std::slice::from_ref(value),
                _ => {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::WrongType,
                            value.span,
                            format!("`{name}` must be a list, found {}", value.describe()),
                        )
                        .with_label("expected a list")
                        .with_help("write each entry on its own line, starting with `- `")
                        .with_field(name.to_string()),
                    ));
                }
            };
            for (position, entry) in entries.iter().enumerate() {
                let at = if kind.is_singleton() { Place::Root(name) } else { Place::Entry(name, position, entry) };
                let body = typed(shapes, entry, shape, &at)?;
                let key = unique_key(key_of(kind, &body), |key| taken.contains(&(kind, key.to_owned())));
                taken.insert((kind, key.clone()));
                out.push(Entity { kind, key, body });
            }
        }
    }
    Ok(out)
}

/// What loading reports first about a node (a top level that is not a
/// mapping).
fn first_problem(node: &Node) -> Box<Diagnostic> {
    let mut problems = Vec::new();
    Cx::new(&mut problems).fields(node, "a plan file", PlanDoc::FIELDS);
    Box::new(problems.into_iter().next().unwrap_or_else(|| {
        Diagnostic::error(Code::WrongType, node.span, "a plan file must be a mapping of sections")
            .with_label("expected `section: ...`")
    }))
}

/// Where a node is, for the field path of a problem found in it; built
/// into text only when there is one.
enum Place<'a> {
    Root(&'a str),
    Entry(&'a str, usize, &'a Node),
    Field(&'a Place<'a>, &'a str),
    Element(&'a Place<'a>, usize, &'a Node),
}

impl Place<'_> {
    /// `items[PAY-3].depends[0]`, as the decoder writes field paths.
    fn path(&self) -> String {
        match self {
            Place::Root(section) => (*section).to_owned(),
            Place::Entry(section, position, node) => format!("{section}[{}]", entry_label(*position, node)),
            Place::Field(parent, name) => format!("{}.{name}", parent.path()),
            Place::Element(parent, index, node) => format!("{}[{}]", parent.path(), entry_label(*index, node)),
        }
    }
}

/// The entry's `id`, or its position, as the decoder labels list elements.
fn entry_label(position: usize, node: &Node) -> String {
    if let NodeKind::Map(fields) = &node.kind {
        for (key, value) in fields.iter() {
            if let (NodeKind::Scalar { text: key, .. }, NodeKind::Scalar { text: id, .. }) = (&key.kind, &value.kind)
                && &**key == "id"
            {
                return id.to_string();
            }
        }
    }
    position.to_string()
}

/// A node as JSON, its plain scalars typed by the plan format at its place.
fn typed(shapes: &Shapes, node: &Node, shape: ShapeId, at: &Place) -> Result<Value, Box<Diagnostic>> {
    Ok(match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Scalar { text, quoted: true } => Value::String(text.to_string()),
        NodeKind::Scalar { text, quoted: false } => plain(text, shapes.get(shape)),
        NodeKind::List(elements) => {
            let element = shapes.get(shape).items();
            let mut values = Vec::with_capacity(elements.len());
            for (index, node) in elements.iter().enumerate() {
                values.push(typed(shapes, node, element, &Place::Element(at, index, node))?);
            }
            Value::Array(values)
        }
        NodeKind::Map(fields) => {
            let place = shapes.get(shape);
            let mut map = Map::new();
            for (key, value) in fields.iter() {
                let NodeKind::Scalar { text: name, .. } = &key.kind else {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::WrongType,
                            key.span,
                            format!("a field name must be text, found {}", key.describe()),
                        )
                        .with_label("expected a field name")
                        .with_field(at.path()),
                    ));
                };
                if map.contains_key(&**name) {
                    return Err(Box::new(
                        Diagnostic::error(Code::DuplicateField, key.span, format!("field `{name}` is given twice"))
                            .with_label("second time")
                            .with_help("keep one of them; a stored entry holds each field once")
                            .with_field(at.path()),
                    ));
                }
                let value = typed(shapes, value, place.field(name), &Place::Field(at, name))?;
                map.insert(name.to_string(), value);
            }
            Value::Object(map)
        }
    })
}

/// A plain scalar as the decoder will read it where it stands: text where
/// the plan format has text, a number where it has numbers (written so it
/// reads back as the same number), and elsewhere (an unknown field) a
/// number or boolean only when it is written the way JSON writes it.
fn plain(text: &str, shape: &Shape) -> Value {
    let float = || text.parse::<f64>().ok().filter(|f| f.is_finite());
    let as_text = || Value::String(text.to_owned());
    if shape.text {
        return as_text();
    }
    match shape.number {
        Some(Numeric::Float) => match (text.parse::<i64>(), float()) {
            // `5` rather than `5.0`, unless the integer would lose the sign of `-0`.
            (Ok(i), Some(f)) if (i as f64).to_bits() == f.to_bits() => Value::from(i),
            (_, Some(f)) => Value::from(f),
            _ => as_text(),
        },
        Some(Numeric::Integer) => match text.parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => float().map_or_else(as_text, Value::from),
        },
        None => {
            let number = text.parse::<i64>().map(Value::from).ok().or_else(|| float().map(Value::from));
            match number {
                // Not `number == text`: a `Value` equals a `str` only when it is that string.
                Some(number) if number.to_string().as_str() == text => number,
                _ if text == "true" || text == "false" => Value::Bool(text == "true"),
                _ => as_text(),
            }
        }
    }
}

/// The name of the generated source [`load_entities`] loads; its extra
/// singletons (a second `program`) are in `stored-2.json` and on.
pub const STORED_SOURCE: &str = "stored.json";

/// Loads entities as a plan: one document with the sections in the order
/// of [`Kind::ALL`] and each section's entries in the order given, loaded
/// by the loader and resolver plan files go through, so its checks and
/// diagnostics are the plan file's. The document is JSON (which YAML
/// reads), one entry per line. A field path names an entry by its id
/// where it has one (`items[PAY-3].team`); for the others, [`entry_of`]
/// tells which entry a diagnostic points into. A singleton given more
/// than once goes into
/// a document of its own, as a second file holding it would, and is
/// reported (or, for `findings`, merged) as the plan file's would be.
pub fn load_entities<'a>(entities: impl IntoIterator<Item = (Kind, &'a Value)>) -> Plan {
    let by_kind = by_kind(entities);
    let mut document = String::from("{");
    let mut extras = Vec::new();
    let mut first = true;
    for kind in Kind::ALL {
        let bodies = &by_kind[kind.index()];
        let Some((head, rest)) = bodies.split_first() else { continue };
        if !first {
            document.push(',');
        }
        first = false;
        document.push('\n');
        document.push_str(&crate::write::quoted(kind.section()));
        document.push_str(": ");
        if kind.is_singleton() {
            text::json(head, 1, &mut document);
            for extra in rest {
                let mut text = format!("{{{}: ", crate::write::quoted(kind.section()));
                text::json(extra, 1, &mut text);
                text.push_str("}\n");
                extras.push(text);
            }
        } else {
            document.push('[');
            for (i, body) in bodies.iter().enumerate() {
                document.push_str(if i == 0 { "\n  " } else { ",\n  " });
                text::json(body, 2, &mut document);
            }
            document.push_str("\n]");
        }
    }
    document.push_str("\n}\n");
    let mut files = vec![(PathBuf::from(STORED_SOURCE), document.into_bytes())];
    for (n, extra) in extras.into_iter().enumerate() {
        files.push((PathBuf::from(format!("stored-{}.json", n + 2)), extra.into_bytes()));
    }
    load_yaml_bytes(files)
}

/// Which of the entities given to [`load_entities`] an origin of its plan
/// points into, as its kind and its position among the entities of that
/// kind, in the order given: how the server tells which blocker
/// `blockers.raised` is about. `None` for an origin outside every entry
/// (a missing `program`) or a plan not loaded from entities. It reads the
/// generated document up to the origin's line, one entry per line.
pub fn entry_of(plan: &Plan, origin: Origin) -> Option<(Kind, usize)> {
    let span = plan.sources.span(origin)?;
    let files = plan.sources.files();
    let file = files.get(span.source.index())?;
    let path = file.path().to_str()?;
    // An entry in a file of its own ([`EntryCache`]): on the line that holds it.
    if let Some(rest) = path.strip_prefix(cached::ENTRY_DIR) {
        let (section, n) = rest.strip_suffix(".json")?.split_once('/')?;
        let kind = Kind::from_section(section)?;
        let line = file.line_starts().partition_point(|&start| start <= span.start as usize).checked_sub(1)?;
        let entry_line = if kind.is_singleton() { 1 } else { 2 };
        return (line == entry_line).then_some((kind, n.parse().ok()?));
    }
    // An extra singleton's file holds one, the one after those before it.
    if let Some(n) = path.strip_prefix("stored-").and_then(|rest| rest.strip_suffix(".json")) {
        n.parse::<usize>().ok()?;
        let kind_of = |text: &str| Kind::ALL.into_iter().find(|k| text.starts_with(&format!("{{\"{}\"", k.section())));
        let kind = kind_of(&file.text)?;
        let earlier = files[..span.source.index()].iter().skip(1).filter(|f| kind_of(&f.text) == Some(kind)).count();
        return Some((kind, earlier + 1));
    }
    if path != STORED_SOURCE {
        return None;
    }
    let line = file.line_starts().partition_point(|&start| start <= span.start as usize).checked_sub(1)?;
    let mut list: Option<(Kind, usize)> = None;
    for (n, text) in file.text.lines().enumerate().take(line + 1) {
        if let Some(entry) = text.strip_prefix("  ") {
            // An entry of the list section open above.
            let (kind, count) = list.as_mut()?;
            if n == line {
                return (!entry.is_empty()).then_some((*kind, *count));
            }
            *count += 1;
            continue;
        }
        let section = text.strip_prefix('"').and_then(|t| t.split_once('"')).map(|(name, _)| name);
        let Some(kind) = section.and_then(Kind::from_section) else { continue };
        if kind.is_singleton() {
            if n == line {
                return Some((kind, 0));
            }
        } else {
            list = Some((kind, 0));
        }
    }
    None
}

/// The entities as a plan folder of (relative file name, YAML): one file
/// per section (`program.yaml`, `teams.yaml`, `items.yaml`, …) in block
/// style, fields in the plan format's order, strings plain where they read
/// back the same and quoted with escapes otherwise, dates plain, short
/// lists of scalars and small entries in flow style. It loads with
/// [`load_path`](crate::load_path) as the program [`load_entities`] gives.
/// A singleton given more than once goes into files of its own
/// (`findings_2.yaml`), which sort after the first.
pub fn plan_folder<'a>(entities: impl IntoIterator<Item = (Kind, &'a Value)>) -> Vec<(String, String)> {
    let shapes = shapes();
    let by_kind = by_kind(entities);
    let mut files = Vec::new();
    for kind in Kind::ALL {
        let bodies = &by_kind[kind.index()];
        if bodies.is_empty() {
            continue;
        }
        let section = kind.section();
        let shape = shapes.entry(section, kind.is_singleton());
        if kind.is_singleton() {
            let width = bodies.len().to_string().len();
            for (n, body) in bodies.iter().enumerate() {
                let name = if n == 0 { format!("{section}.yaml") } else { format!("{section}_{:0width$}.yaml", n + 1) };
                let mut block = text::Block { shapes, out: String::new() };
                block.field(0, true, section, body, shape, 1);
                files.push((name, block.out));
            }
        } else {
            let mut block = text::Block { shapes, out: format!("{section}:\n") };
            for body in bodies {
                block.entry(2, body, shape, 2);
            }
            files.push((format!("{section}.yaml"), block.out));
        }
    }
    files
}

/// The bodies by kind, each kind's in the order given.
fn by_kind<'a>(entities: impl IntoIterator<Item = (Kind, &'a Value)>) -> Vec<Vec<&'a Value>> {
    let mut by_kind: Vec<Vec<&Value>> = vec![Vec::new(); Kind::ALL.len()];
    for (kind, body) in entities {
        by_kind[kind.index()].push(body);
    }
    by_kind
}

#[cfg(test)]
mod tests;
