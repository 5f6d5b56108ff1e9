//! [`load_entities`](super::load_entities) for a caller that loads one
//! program again and again with a few entities changed each time (the
//! server checking each write): each entity's text, parse and decoded
//! document are kept, so a load decodes only the entities that changed and
//! then runs the resolver over every document as before.
//!
//! The result is the plan `load_entities` gives, with the same diagnostics
//! (messages, field paths, help, their order) and [`entry_of`](super::entry_of)
//! naming the same entries; only the sources differ: each entry is a file
//! of its own (`stored/items/3.json`), which holds the entry exactly as the
//! one generated document would, inside its section, so the parser's depth
//! limit and the spans within an entry are the document's, and the files,
//! in order, are the document's entries in order. Whatever this layout
//! could answer differently (an entry the parser refuses, more nodes than
//! one document may hold, no entities at all) is loaded the plain way.

use std::path::PathBuf;
use std::sync::Arc;

use linchpin_model::doc::{
    AdditionDoc, BaselineDoc, BlockerDoc, DecisionDoc, FindingsDoc, GroupDoc, InterfaceDoc, ItemDoc, MilestoneDoc,
    PersonDoc, PlanDoc, ProgramDoc, RiskDoc, StakeholderDoc, SystemDoc, TeamDoc, UpdateDoc,
};
use linchpin_model::{Diagnostic, Origin, SourceId, Span};
use serde_json::Value;

use super::{Kind, text};
use crate::decode::{Cx, Decode, element_label};
use crate::source::{SourceFile, SourceKind, Sources};
use crate::yaml::{self, MAX_NODES, Node, NodeKind};
use crate::{Plan, write};

/// Where an entry's own file is, as [`entry_of`](super::entry_of) reads it back.
pub(super) const ENTRY_DIR: &str = "stored/";

/// One entity's document, decoded.
#[derive(Clone)]
enum Part {
    Program(ProgramDoc),
    Team(TeamDoc),
    Item(ItemDoc),
    Group(GroupDoc),
    Milestone(MilestoneDoc),
    System(SystemDoc),
    Interface(InterfaceDoc),
    Risk(RiskDoc),
    Decision(DecisionDoc),
    Blocker(BlockerDoc),
    Update(UpdateDoc),
    Stakeholder(StakeholderDoc),
    Person(PersonDoc),
    Findings(FindingsDoc),
    Baseline(BaselineDoc),
    Addition(AdditionDoc),
}

/// Decodes an entry as the plan document's decoder does at its place:
/// inside its section, labelled by its id or its position.
fn decode(kind: Kind, position: usize, node: &Node, cx: &mut Cx) -> Option<Part> {
    fn entry<T: Decode>(section: &str, position: usize, node: &Node, cx: &mut Cx) -> Option<T> {
        cx.within(section.to_owned(), |cx| cx.within(element_label(position, node), |cx| T::decode(node, cx)))
    }
    fn single<T: Decode>(section: &str, node: &Node, cx: &mut Cx) -> Option<T> {
        // An absent or null singleton is none, as `Fields::get` reads it.
        if matches!(node.kind, NodeKind::Null) {
            return None;
        }
        cx.within(section.to_owned(), |cx| T::decode(node, cx))
    }
    let s = kind.section();
    Some(match kind {
        Kind::Program => Part::Program(single(s, node, cx)?),
        Kind::Findings => Part::Findings(single(s, node, cx)?),
        Kind::Baseline => Part::Baseline(single(s, node, cx)?),
        Kind::Team => Part::Team(entry(s, position, node, cx)?),
        Kind::Item => Part::Item(entry(s, position, node, cx)?),
        Kind::Group => Part::Group(entry(s, position, node, cx)?),
        Kind::Milestone => Part::Milestone(entry(s, position, node, cx)?),
        Kind::System => Part::System(entry(s, position, node, cx)?),
        Kind::Interface => Part::Interface(entry(s, position, node, cx)?),
        Kind::Risk => Part::Risk(entry(s, position, node, cx)?),
        Kind::Decision => Part::Decision(entry(s, position, node, cx)?),
        Kind::Blocker => Part::Blocker(entry(s, position, node, cx)?),
        Kind::Update => Part::Update(entry(s, position, node, cx)?),
        Kind::Stakeholder => Part::Stakeholder(entry(s, position, node, cx)?),
        Kind::Person => Part::Person(entry(s, position, node, cx)?),
        Kind::Addition => Part::Addition(entry(s, position, node, cx)?),
    })
}

/// Puts a decoded entry into its document.
fn add(doc: &mut PlanDoc, part: &Part) {
    match part.clone() {
        Part::Program(d) => doc.program = Some(d),
        Part::Findings(d) => doc.findings = Some(d),
        Part::Baseline(d) => doc.baseline = Some(d),
        Part::Team(d) => doc.teams.push(d),
        Part::Item(d) => doc.items.push(d),
        Part::Group(d) => doc.groups.push(d),
        Part::Milestone(d) => doc.milestones.push(d),
        Part::System(d) => doc.systems.push(d),
        Part::Interface(d) => doc.interfaces.push(d),
        Part::Risk(d) => doc.risks.push(d),
        Part::Decision(d) => doc.decisions.push(d),
        Part::Blocker(d) => doc.blockers.push(d),
        Part::Update(d) => doc.updates.push(d),
        Part::Stakeholder(d) => doc.stakeholders.push(d),
        Part::Person(d) => doc.people.push(d),
        Part::Addition(d) => doc.additions.push(d),
    }
}

/// One entry as loaded: valid for the same body at the same source.
struct Entry {
    body: Value,
    source: SourceId,
    file: Arc<SourceFile>,
    /// `None` when the decoder refused it (its diagnostics say why).
    part: Option<Part>,
    diagnostics: Vec<Diagnostic>,
    weight: u32,
}

/// Why an entry cannot be loaded on its own: the plain load answers.
struct Unparsed;

impl Entry {
    fn load(kind: Kind, position: usize, body: &Value, source: SourceId) -> Result<Entry, Unparsed> {
        // The entry inside its section, as the generated document holds it.
        let section = write::quoted(kind.section());
        let mut text = format!("{{\n{section}: ");
        if kind.is_singleton() {
            text::json(body, 1, &mut text);
        } else {
            text.push_str("[\n  ");
            text::json(body, 2, &mut text);
            text.push_str("\n]");
        }
        text.push_str("\n}\n");
        let path = format!("{ENTRY_DIR}{}/{position}.json", kind.section());
        let file = SourceFile::new(PathBuf::from(path), text, SourceKind::Yaml);
        let root = yaml::parse(source, &file).map_err(|_| Unparsed)?;
        let NodeKind::Map(sections) = &root.kind else { return Err(Unparsed) };
        let [(_, value)] = &sections[..] else { return Err(Unparsed) };
        let node = if kind.is_singleton() {
            value
        } else {
            match &value.kind {
                NodeKind::List(entries) if entries.len() == 1 => &entries[0],
                _ => return Err(Unparsed),
            }
        };
        let mut diagnostics = Vec::new();
        let part = decode(kind, position, node, &mut Cx::new(&mut diagnostics));
        Ok(Entry { body: body.clone(), source, file: Arc::new(file), part, diagnostics, weight: root.weight })
    }
}

/// The entries of one program as last loaded, by kind and position.
#[derive(Default)]
pub struct EntryCache {
    entries: Vec<Vec<Arc<Entry>>>,
}

impl EntryCache {
    pub fn new() -> Self {
        EntryCache::default()
    }

    /// [`load_entities`](super::load_entities) of the same entities, reusing
    /// the entries that are as they were at their place.
    pub fn load<'a>(&mut self, entities: impl IntoIterator<Item = (Kind, &'a Value)>) -> Plan {
        let by_kind = super::by_kind(entities);
        match self.load_entries(&by_kind) {
            Some(plan) => plan,
            None => {
                self.entries.clear();
                let by_kind = &by_kind;
                super::load_entities(
                    Kind::ALL.into_iter().flat_map(move |kind| by_kind[kind.index()].iter().map(move |b| (kind, *b))),
                )
            }
        }
    }

    fn load_entries(&mut self, by_kind: &[Vec<&Value>]) -> Option<Plan> {
        if by_kind.iter().all(Vec::is_empty) {
            return None;
        }
        // Sources in the generated document's order: every entry in kind
        // and position order, then the extra singletons in their own files.
        let mut order: Vec<(Kind, usize)> = Vec::new();
        for kind in Kind::ALL {
            let count = by_kind[kind.index()].len();
            order.extend((0..count.min(if kind.is_singleton() { 1 } else { count })).map(|n| (kind, n)));
        }
        for kind in Kind::ALL.into_iter().filter(|k| k.is_singleton()) {
            order.extend((1..by_kind[kind.index()].len()).map(|n| (kind, n)));
        }
        let mut fresh: Vec<Vec<Option<Arc<Entry>>>> = by_kind.iter().map(|b| vec![None; b.len()]).collect();
        let mut weight = 2u64;
        for (index, &(kind, n)) in order.iter().enumerate() {
            let source = SourceId(u32::try_from(index).ok()?);
            let body = by_kind[kind.index()][n];
            let kept = self.entries.get(kind.index()).and_then(|e| e.get(n));
            let entry = match kept {
                Some(e) if e.source == source && e.body == *body => e.clone(),
                _ => Arc::new(Entry::load(kind, n, body, source).ok()?),
            };
            weight += u64::from(entry.weight);
            fresh[kind.index()][n] = Some(entry);
        }
        // One document holds at most so many nodes; past that the plain
        // load's refusal is the answer.
        if weight > MAX_NODES as u64 {
            return None;
        }
        let fresh: Vec<Vec<Arc<Entry>>> = fresh.into_iter().map(|k| k.into_iter().flatten().collect()).collect();
        self.entries = fresh;
        Some(self.assemble(&order))
    }

    /// The plan from the entries, as `load_yaml_bytes` makes it from the
    /// generated document and the extra singletons' files.
    fn assemble(&self, order: &[(Kind, usize)]) -> Plan {
        let mut sources = Sources::default();
        let mut diagnostics = Vec::new();
        let mut main = PlanDoc::default();
        let mut extras = Vec::new();
        let mut program_unreadable = false;
        for &(kind, n) in order {
            let entry = &self.entries[kind.index()][n];
            sources.add_shared(entry.file.clone());
            diagnostics.extend(entry.diagnostics.iter().cloned());
            let extra = kind.is_singleton() && n > 0;
            // A document naming `program` whose program could not be decoded.
            program_unreadable |= kind == Kind::Program && entry.part.is_none();
            if extra {
                let mut doc = PlanDoc::default();
                if let Some(part) = &entry.part {
                    add(&mut doc, part);
                }
                extras.push(doc);
            } else if let Some(part) = &entry.part {
                add(&mut main, part);
            }
        }
        let mut docs = vec![main];
        docs.extend(extras);
        let fallback = Origin::Span(Span::new(SourceId(0), 0, 0));
        crate::resolve_documents(sources, diagnostics, docs, program_unreadable, fallback)
    }
}
