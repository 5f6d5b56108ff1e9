//! The people a plan names. Without a `people` section owners, leads and
//! contacts are free text; with one, each such field names a person by id
//! or by name, is held as the person's name, and one that matches nobody
//! is a warning with the closest name, since a misspelt owner is a finding
//! sent to nobody.

use rustc_hash::FxHashMap;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::doc::PersonDoc;
use crate::origin::{Located, Origin};
use crate::*;

/// Who the plan's people are, by id and by name (any case).
#[derive(Default)]
pub(crate) struct Directory {
    by_id: FxHashMap<String, usize>,
    by_name: FxHashMap<String, usize>,
    names: Vec<String>,
    /// Ids and names, for suggestions.
    spellings: Vec<String>,
}

impl Directory {
    fn find(&self, text: &str) -> Option<&str> {
        let index = self.by_id.get(text).or_else(|| self.by_name.get(&text.to_lowercase()))?;
        Some(&self.names[*index])
    }
}

impl Resolver {
    /// Adds a person (resolved when the resolver finishes).
    pub fn person(&mut self, doc: &PersonDoc) {
        if self.person_ids.register(&doc.id, self.people.len(), |i| i, &mut self.diagnostics) {
            self.people.push(doc.clone());
        }
    }

    /// The people, their teams resolved, and the directory names are looked
    /// up in.
    pub(crate) fn resolve_people(&mut self) -> Vec<Person> {
        let docs = std::mem::take(&mut self.people);
        let mut directory = Directory::default();
        let people = docs
            .iter()
            .enumerate()
            .map(|(i, doc)| {
                let field = format!("people[{}].team", doc.id.value);
                directory.by_id.insert(doc.id.value.clone(), i);
                directory.by_name.entry(doc.name.value.to_lowercase()).or_insert(i);
                directory.names.push(doc.name.value.clone());
                directory.spellings.extend([doc.id.value.clone(), doc.name.value.clone()]);
                Person {
                    key: doc.id.value.clone(),
                    name: doc.name.value.clone(),
                    team: doc.team.as_ref().and_then(|t| self.team_ids.resolve(t, &mut self.diagnostics, &field)),
                    role: doc.role.clone(),
                    contact: doc.contact.clone(),
                }
            })
            .collect();
        self.directory = directory;
        people
    }

    /// The name a person field holds: the person's name when it names one,
    /// the text as written otherwise (warned about when the plan lists people).
    pub(crate) fn who(&mut self, written: &Located<String>, field: &str) -> String {
        if self.directory.names.is_empty() {
            return written.value.clone();
        }
        if let Some(name) = self.directory.find(&written.value) {
            return name.to_owned();
        }
        self.diagnostics.push(unknown_person(&self.directory, &written.value, written.origin, field));
        written.value.clone()
    }

    pub(crate) fn who_opt(&mut self, written: &Option<Located<String>>, field: &str) -> Option<String> {
        written.as_ref().map(|w| self.who(w, field))
    }

    /// The owners of items and leads of teams, kept as written when they
    /// arrived, as the people's names now that the people are known.
    pub(crate) fn name_people(&mut self) {
        if self.directory.names.is_empty() {
            return;
        }
        for (item, origin) in std::mem::take(&mut self.pending.owners) {
            let Some(owner) = self.items[item as usize].owner.clone() else { continue };
            let field = format!("items[{}].owner", self.items[item as usize].key);
            self.items[item as usize].owner = Some(self.who(&Located { value: owner, origin }, &field));
        }
        for (team, origin) in std::mem::take(&mut self.pending.leads) {
            let Some(lead) = self.teams[team as usize].lead.clone() else { continue };
            let field = format!("teams[{}].lead", self.teams[team as usize].key);
            self.teams[team as usize].lead = Some(self.who(&Located { value: lead, origin }, &field));
        }
    }
}

fn unknown_person(directory: &Directory, name: &str, origin: Origin, field: &str) -> Diagnostic {
    let help = match did_you_mean(name, directory.spellings.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{}`?", directory.find(close).unwrap_or(close)),
        None => "add them under `people:`, or write the id or name of someone listed there".to_owned(),
    };
    Diagnostic::warning(Code::UnknownPerson, origin, format!("`{name}` is not in `people`"))
        .with_label("nobody listed has this id or name")
        .with_help(help)
        .with_field(field)
}
