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
    place(doc, None, part);
}

/// Puts a decoded entry in place of the one at its kind's position `n` of
/// a document that holds every entry.
fn put(doc: &mut PlanDoc, n: usize, part: &Part) {
    place(doc, Some(n), part);
}

/// Sets a once-only section, or a list entry: at position `at` when given
/// (left alone when the list is shorter), else appended.
fn place(doc: &mut PlanDoc, at: Option<usize>, part: &Part) {
    fn entry<T: Clone>(list: &mut Vec<T>, at: Option<usize>, value: &T) {
        match at {
            Some(n) => {
                if let Some(slot) = list.get_mut(n) {
                    *slot = value.clone();
                }
            }
            None => list.push(value.clone()),
        }
    }
    match part {
        Part::Program(d) => doc.program = Some(d.clone()),
        Part::Findings(d) => doc.findings = Some(d.clone()),
        Part::Baseline(d) => doc.baseline = Some(d.clone()),
        Part::Team(d) => entry(&mut doc.teams, at, d),
        Part::Item(d) => entry(&mut doc.items, at, d),
        Part::Group(d) => entry(&mut doc.groups, at, d),
        Part::Milestone(d) => entry(&mut doc.milestones, at, d),
        Part::System(d) => entry(&mut doc.systems, at, d),
        Part::Interface(d) => entry(&mut doc.interfaces, at, d),
        Part::Risk(d) => entry(&mut doc.risks, at, d),
        Part::Decision(d) => entry(&mut doc.decisions, at, d),
        Part::Blocker(d) => entry(&mut doc.blockers, at, d),
        Part::Update(d) => entry(&mut doc.updates, at, d),
        Part::Stakeholder(d) => entry(&mut doc.stakeholders, at, d),
        Part::Person(d) => entry(&mut doc.people, at, d),
        Part::Addition(d) => entry(&mut doc.additions, at, d),
    }
}

/// An entity's body as a caller shares it: while the cache holds it, the
/// same allocation is the same body, so an unchanged entity of a program
/// loaded again and again is known without comparing it.
pub type SharedBody = Arc<dyn AsRef<Value> + Send + Sync>;

/// The body behind a [`SharedBody`].
pub fn body_of(shared: &SharedBody) -> &Value {
    <dyn AsRef<Value> + Send + Sync as AsRef<Value>>::as_ref(&**shared)
}

/// A body the cache was lent, kept as its own.
struct Owned(Value);

impl AsRef<Value> for Owned {
    fn as_ref(&self) -> &Value {
        &self.0
    }
}

/// A body as given to a load.
enum Given<'a> {
    Lent(&'a Value),
    Shared(&'a SharedBody),
}

impl Given<'_> {
    fn value(&self) -> &Value {
        match self {
            Given::Lent(v) => v,
            Given::Shared(s) => body_of(s),
        }
    }

    /// Whether `kept` is this body: the same allocation, or equal.
    fn is(&self, kept: &SharedBody) -> bool {
        match self {
            Given::Shared(s) if std::ptr::addr_eq(Arc::as_ptr(s), Arc::as_ptr(kept)) => true,
            _ => self.value() == body_of(kept),
        }
    }

    fn to_shared(&self) -> SharedBody {
        match self {
            Given::Lent(v) => Arc::new(Owned((*v).clone())),
            Given::Shared(s) => Arc::clone(s),
        }
    }
}

/// One entry as loaded: valid for the same body at the same source.
struct Entry {
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
        Ok(Entry { source, file: Arc::new(file), part, diagnostics, weight: root.weight })
    }
}

/// An entry and the body it was loaded from.
#[derive(Clone)]
struct Kept {
    entry: Arc<Entry>,
    body: SharedBody,
}

/// The documents last resolved, kept to be patched by the next load: the
/// main document holds every entry (none refused by the decoder) at its
/// kind's position, so an entry that changed in place replaces its part
/// there.
struct Assembled {
    docs: Vec<PlanDoc>,
    counts: Vec<usize>,
}

/// The entries of one program as last loaded, by kind and position.
#[derive(Default)]
pub struct EntryCache {
    entries: Vec<Vec<Kept>>,
    assembled: Option<Assembled>,
}

impl EntryCache {
    pub fn new() -> Self {
        EntryCache::default()
    }

    /// [`load_entities`](super::load_entities) of the same entities, reusing
    /// the entries that are as they were at their place. The plan holds no
    /// documents: the cache keeps them.
    pub fn load<'a>(&mut self, entities: impl IntoIterator<Item = (Kind, &'a Value)>) -> Plan {
        let by_kind = super::by_kind(entities);
        let given: Vec<Vec<Given>> = by_kind.iter().map(|b| b.iter().map(|v| Given::Lent(v)).collect()).collect();
        match self.load_entries(&given) {
            Some(plan) => plan,
            None => self.load_plainly(&by_kind),
        }
    }

    /// [`EntryCache::load`] of bodies shared with the caller: a body that is
    /// the same allocation as the one last loaded at its place is not
    /// compared, so a load of a large program with a few entities changed
    /// costs little more than resolving it.
    pub fn load_shared<'a>(&mut self, entities: impl IntoIterator<Item = (Kind, &'a SharedBody)>) -> Plan {
        let mut given: Vec<Vec<Given>> = (0..Kind::ALL.len()).map(|_| Vec::new()).collect();
        for (kind, body) in entities {
            given[kind.index()].push(Given::Shared(body));
        }
        match self.load_entries(&given) {
            Some(plan) => plan,
            None => {
                let by_kind: Vec<Vec<&Value>> = given.iter().map(|g| g.iter().map(Given::value).collect()).collect();
                self.load_plainly(&by_kind)
            }
        }
    }

    fn load_plainly(&mut self, by_kind: &[Vec<&Value>]) -> Plan {
        self.entries.clear();
        self.assembled = None;
        super::load_entities(
            Kind::ALL.into_iter().flat_map(move |kind| by_kind[kind.index()].iter().map(move |b| (kind, *b))),
        )
    }

    fn load_entries(&mut self, by_kind: &[Vec<Given>]) -> Option<Plan> {
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
        let mut fresh: Vec<Vec<Option<Kept>>> = by_kind.iter().map(|b| vec![None; b.len()]).collect();
        let mut changed: Vec<(Kind, usize)> = Vec::new();
        let mut weight = 2u64;
        for (index, &(kind, n)) in order.iter().enumerate() {
            let source = SourceId(u32::try_from(index).ok()?);
            let given = &by_kind[kind.index()][n];
            let kept = self.entries.get(kind.index()).and_then(|e| e.get(n));
            let kept = match kept {
                // Equal but another allocation (the program read again):
                // hold the new one, so the next load finds it the same.
                Some(k) if k.entry.source == source && given.is(&k.body) => {
                    Kept { entry: k.entry.clone(), body: given.to_shared() }
                }
                _ => {
                    changed.push((kind, n));
                    let entry = Entry::load(kind, n, given.value(), source).ok()?;
                    Kept { entry: Arc::new(entry), body: given.to_shared() }
                }
            };
            weight += u64::from(kept.entry.weight);
            fresh[kind.index()][n] = Some(kept);
        }
        // One document holds at most so many nodes; past that the plain
        // load's refusal is the answer.
        if weight > MAX_NODES as u64 {
            return None;
        }
        self.entries = fresh.into_iter().map(|k| k.into_iter().flatten().collect()).collect();
        let counts: Vec<usize> = self.entries.iter().map(Vec::len).collect();
        let mut sources = Sources::default();
        let mut diagnostics = Vec::new();
        let mut program_unreadable = false;
        for &(kind, n) in &order {
            let entry = &self.entries[kind.index()][n].entry;
            sources.add_shared(entry.file.clone());
            diagnostics.extend(entry.diagnostics.iter().cloned());
            // A document naming `program` whose program could not be decoded.
            program_unreadable |= kind == Kind::Program && entry.part.is_none();
        }
        if !self.patch(&counts, &changed) {
            self.assembled = self.assemble(&order, counts);
        }
        let fallback = Origin::Span(Span::new(SourceId(0), 0, 0));
        match &self.assembled {
            Some(assembled) => {
                Some(crate::resolve_kept_documents(sources, diagnostics, &assembled.docs, program_unreadable, fallback))
            }
            None => {
                let docs = self.documents(&order);
                Some(crate::resolve_documents(sources, diagnostics, docs, program_unreadable, fallback))
            }
        }
    }

    /// Puts the entries that changed in place into the documents last
    /// resolved; false when they cannot be (nothing kept, a kind with more
    /// or fewer entries, an extra singleton, an entry the decoder refused).
    fn patch(&mut self, counts: &[usize], changed: &[(Kind, usize)]) -> bool {
        let Some(assembled) = self.assembled.as_mut() else { return false };
        if assembled.counts != counts {
            return false;
        }
        let fits = |&(kind, n): &(Kind, usize)| {
            (!kind.is_singleton() || n == 0) && self.entries[kind.index()][n].entry.part.is_some()
        };
        if !changed.iter().all(fits) {
            return false;
        }
        let main = &mut assembled.docs[0];
        for &(kind, n) in changed {
            if let Some(part) = &self.entries[kind.index()][n].entry.part {
                put(main, n, part);
            }
        }
        true
    }

    /// The documents, kept for patching when every entry decoded.
    fn assemble(&self, order: &[(Kind, usize)], counts: Vec<usize>) -> Option<Assembled> {
        let every_entry_decoded = self.entries.iter().flatten().all(|k| k.entry.part.is_some());
        every_entry_decoded.then(|| Assembled { docs: self.documents(order), counts })
    }

    /// The documents from the entries, as `load_yaml_bytes` makes them from
    /// the generated document and the extra singletons' files.
    fn documents(&self, order: &[(Kind, usize)]) -> Vec<PlanDoc> {
        let mut main = PlanDoc::default();
        let mut extras = Vec::new();
        for &(kind, n) in order {
            let Some(part) = &self.entries[kind.index()][n].entry.part else { continue };
            if kind.is_singleton() && n > 0 {
                let mut doc = PlanDoc::default();
                add(&mut doc, part);
                extras.push(doc);
            } else {
                add(&mut main, part);
            }
        }
        let mut docs = vec![main];
        docs.extend(extras);
        docs
    }
}
