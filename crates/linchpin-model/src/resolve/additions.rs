//! `additions`: what one file adds to items another defines. The items
//! are merged with their additions before they resolve, so every check
//! (references, estimates, cycles) sees the item as the plan means it, and
//! every value keeps the origin of the file it was written in.

use rustc_hash::FxHashMap;

use crate::doc::{AdditionDoc, ItemDoc, PlanDoc};
use crate::{Code, Diagnostic};

/// Every addition, by the item it adds to, in file order.
pub(crate) struct Additions<'a> {
    by_item: FxHashMap<&'a str, Vec<&'a AdditionDoc>>,
}

impl<'a> Additions<'a> {
    pub fn new(docs: &'a [PlanDoc]) -> Self {
        let mut by_item: FxHashMap<&str, Vec<&AdditionDoc>> = FxHashMap::default();
        for addition in docs.iter().flat_map(|d| &d.additions) {
            by_item.entry(addition.item.value.as_str()).or_default().push(addition);
        }
        Additions { by_item }
    }

    pub fn is_empty(&self) -> bool {
        self.by_item.is_empty()
    }

    /// The item with everything added to it, or `None` when nothing is.
    /// A value set by two additions is reported; the first is kept.
    pub fn merged(&mut self, item: &ItemDoc, diagnostics: &mut Vec<Diagnostic>) -> Option<ItemDoc> {
        let additions = self.by_item.remove(item.id.value.as_str())?;
        let mut merged = item.clone();
        let mut set = Set { key: &item.id.value, diagnostics, seen: Vec::new() };
        for a in additions {
            set.value(&mut merged.owner, &a.owner, "owner", |v| v.origin);
            set.value(&mut merged.estimate, &a.estimate, "estimate", |v| v.origin);
            set.value(&mut merged.people, &a.people, "people", |v| v.origin);
            set.value(&mut merged.not_before, &a.not_before, "not_before", |v| v.origin);
            set.value(&mut merged.start_on, &a.start_on, "start_on", |v| v.origin);
            set.value(&mut merged.deadline, &a.deadline, "deadline", |v| v.origin);
            merged.depends.extend(a.depends.iter().cloned());
            merged.systems.extend(a.systems.iter().cloned());
            merged.interfaces.extend(a.interfaces.iter().cloned());
            merged.tags.extend(a.tags.iter().cloned());
        }
        Some(merged)
    }

    /// Additions to items no file defines.
    pub fn unused(self) -> impl Iterator<Item = &'a AdditionDoc> {
        self.by_item.into_values().flatten()
    }
}

/// Which values additions have set for one item, so a second is caught.
struct Set<'d, 'k> {
    key: &'k str,
    diagnostics: &'d mut Vec<Diagnostic>,
    seen: Vec<(&'static str, crate::Origin)>,
}

impl Set<'_, '_> {
    fn value<T: Clone>(
        &mut self,
        into: &mut Option<T>,
        from: &Option<T>,
        field: &'static str,
        origin: impl Fn(&T) -> crate::Origin,
    ) {
        let Some(value) = from else { return };
        if let Some(&(_, first)) = self.seen.iter().find(|(f, _)| *f == field) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateField,
                    origin(value),
                    format!("`{field}` of item `{}` is added twice", self.key),
                )
                .with_label("added again here")
                .with_related(first, "first added here")
                .with_help("keep one addition of it")
                .with_field(format!("additions[{}].{field}", self.key)),
            );
            return;
        }
        self.seen.push((field, origin(value)));
        *into = Some(value.clone());
    }
}
