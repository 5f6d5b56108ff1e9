//! Documents back to plan YAML, for front ends that make a plan (the
//! importers): the program, teams, groups, items and milestones, one
//! entry per line in flow style, so a re-import that changes one issue
//! changes one line of the file. Every string is double-quoted with
//! JSON's escapes (a subset of YAML's), and the control, C1 and
//! bidirectional characters JSON leaves raw are `\uXXXX` too, so the file
//! reads back as exactly the text it was given and shows nothing hidden.

use std::fmt::Write as _;

use linchpin_model::doc::{
    DependencyDoc, EstimateDoc, GroupDoc, HolidayDoc, InterfaceDoc, ItemDoc, MilestoneDoc, PlanDoc, ProgramDoc,
    SystemDoc, TeamDoc,
};
use linchpin_model::{ItemStatus, LagUnit, LinkKind};

/// A YAML double-quoted string that reads back as exactly `s`.
pub fn quoted(s: &str) -> String {
    let json = serde_json::Value::String(s.to_owned()).to_string();
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !json.contains(hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A string as it is written: plain when YAML reads a plain scalar of it
/// back as the same string (`PAY-12`, `payments`, `Sprint 4`: a letter,
/// then letters, digits, `_ . -` and spaces between letters or digits,
/// ending in a letter or digit, and none of YAML's words for null and
/// booleans), which keeps a generated file small; else [`quoted`].
pub fn scalar(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    // A space only between letters or digits: ` -` and `- ` mean more to YAML.
    let spaced_well = chars.iter().enumerate().all(|(i, &c)| {
        c != ' '
            || (i > 0
                && chars[i - 1].is_ascii_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric()))
    });
    let plain = chars.first().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.last().is_some_and(|c| c.is_ascii_alphanumeric())
        && spaced_well
        && chars.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_owned() } else { quoted(s) }
}

/// A number as YAML reads it back: `3`, `2.5`.
fn number(x: f64) -> String {
    format!("{x}")
}

fn list(values: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", values.into_iter().collect::<Vec<_>>().join(", "))
}

fn estimate(e: &EstimateDoc) -> String {
    if e.optimistic == e.likely && e.likely == e.pessimistic {
        number(e.likely)
    } else {
        list([e.optimistic, e.likely, e.pessimistic].map(number))
    }
}

fn dependency(d: &DependencyDoc) -> String {
    if d.kind.is_none() && d.lag.is_none() && d.lag_unit.is_none() {
        return scalar(&d.item.value);
    }
    let mut fields = vec![format!("item: {}", scalar(&d.item.value))];
    if let Some(kind) = &d.kind
        && kind.value != LinkKind::FinishToStart
    {
        fields.push(format!("type: {}", kind.value.as_str()));
    }
    if let Some(lag) = &d.lag {
        fields.push(format!("lag: {}", number(lag.value)));
    }
    if let Some(unit) = &d.lag_unit
        && unit.value != LagUnit::WorkingDays
    {
        fields.push(format!("lag_unit: {}", unit.value.as_str()));
    }
    format!("{{ {} }}", fields.join(", "))
}

/// `key: value` pairs in flow style.
struct Entry(Vec<String>);

impl Entry {
    fn new() -> Self {
        Entry(Vec::new())
    }
    fn text(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.0.push(format!("{key}: {}", scalar(value)));
        }
        self
    }
    fn raw(&mut self, key: &str, value: Option<String>) -> &mut Self {
        if let Some(value) = value {
            self.0.push(format!("{key}: {value}"));
        }
        self
    }
    fn line(&self) -> String {
        format!("  - {}\n", self.flow())
    }
    fn flow(&self) -> String {
        format!("{{ {} }}", self.0.join(", "))
    }
}

fn program(out: &mut String, p: &ProgramDoc) {
    let _ = writeln!(out, "program:\n  name: {}\n  start: {}", scalar(&p.name.value), p.start.value);
    if let Some(goal) = &p.goal {
        let _ = writeln!(out, "  goal: {}", quoted(goal));
    }
    if let Some(status) = &p.status_date {
        let _ = writeln!(out, "  status_date: {}", status.value);
    }
    if let Some(calendar) = &p.calendar {
        let _ = writeln!(out, "  calendar:");
        if let Some(days) = &calendar.working_days {
            let names = days.iter().map(|d| d.value.to_string().to_lowercase());
            let _ = writeln!(out, "    working_days: {}", list(names));
        }
        if !calendar.holidays.is_empty() {
            let _ = writeln!(out, "    holidays: {}", list(calendar.holidays.iter().map(holiday)));
        }
    }
}

fn holiday(h: &HolidayDoc) -> String {
    match (&h.until, &h.name) {
        (None, None) => h.date.value.to_string(),
        _ => Entry::new()
            .raw("date", Some(h.date.value.to_string()))
            .raw("until", h.until.as_ref().map(|u| u.value.to_string()))
            .text("name", h.name.as_deref())
            .flow(),
    }
}

fn team(t: &TeamDoc) -> String {
    Entry::new()
        .text("id", Some(&t.id.value))
        .text("name", t.name.as_deref())
        .text("lead", t.lead.as_ref().map(|l| l.value.as_str()))
        .raw("capacity", t.capacity.as_ref().map(|c| c.value.to_string()))
        .raw("holidays", (!t.holidays.is_empty()).then(|| list(t.holidays.iter().map(holiday))))
        .line()
}

fn group(g: &GroupDoc) -> String {
    Entry::new()
        .text("id", Some(&g.id.value))
        .text("title", Some(&g.title.value))
        .raw("kind", g.kind.as_ref().map(|k| k.value.as_str().to_owned()))
        .text("parent", g.parent.as_ref().map(|p| p.value.as_str()))
        .text("owner", g.owner.as_ref().map(|o| o.value.as_str()))
        .raw("deadline", g.deadline.as_ref().map(|d| d.value.to_string()))
        .raw("depends", (!g.depends.is_empty()).then(|| list(g.depends.iter().map(dependency))))
        .line()
}

fn item(i: &ItemDoc) -> String {
    let date = |d: &Option<linchpin_model::Located<chrono::NaiveDate>>| d.as_ref().map(|d| d.value.to_string());
    Entry::new()
        .text("id", Some(&i.id.value))
        .text("title", Some(&i.title.value))
        .text("team", Some(&i.team.value))
        .text("owner", i.owner.as_ref().map(|o| o.value.as_str()))
        .raw("estimate", i.estimate.as_ref().map(|e| estimate(&e.value)))
        .raw("people", i.people.as_ref().map(|p| p.value.to_string()))
        .raw(
            "status",
            i.status.as_ref().filter(|s| s.value != ItemStatus::NotStarted).map(|s| s.value.as_str().to_owned()),
        )
        .raw("actual_start", date(&i.actual_start))
        .raw("actual_finish", date(&i.actual_finish))
        .raw("remaining", i.remaining.as_ref().map(|r| number(r.value)))
        .raw("not_before", date(&i.not_before))
        .raw("start_on", date(&i.start_on))
        .raw("deadline", date(&i.deadline))
        .text("group", i.group.as_ref().map(|g| g.value.as_str()))
        .raw("depends", (!i.depends.is_empty()).then(|| list(i.depends.iter().map(dependency))))
        .raw("systems", (!i.systems.is_empty()).then(|| list(i.systems.iter().map(|s| scalar(&s.value)))))
        .raw("interfaces", (!i.interfaces.is_empty()).then(|| list(i.interfaces.iter().map(|s| scalar(&s.value)))))
        .text("key", i.key.as_deref().filter(|k| *k != i.id.value))
        .raw("tags", (!i.tags.is_empty()).then(|| list(i.tags.iter().map(|t| scalar(t)))))
        .line()
}

fn system(sys: &SystemDoc) -> String {
    Entry::new()
        .text("id", Some(&sys.id.value))
        .text("name", sys.name.as_deref())
        .raw("kind", sys.kind.as_ref().map(|k| k.value.as_str().to_owned()))
        .text("owner", sys.owner.as_ref().map(|o| o.value.as_str()))
        .raw("depends_on", (!sys.depends_on.is_empty()).then(|| list(sys.depends_on.iter().map(|d| scalar(&d.value)))))
        .line()
}

fn interface(i: &InterfaceDoc) -> String {
    let provider = &i.provider.value;
    let provider = Entry::new()
        .text("system", provider.system.as_ref().map(|s| s.value.as_str()))
        .text("team", provider.team.as_ref().map(|t| t.value.as_str()))
        .flow();
    Entry::new()
        .text("id", Some(&i.id.value))
        .text("name", i.name.as_deref())
        .raw("provider", Some(provider))
        .raw("consumers", Some(list(i.consumers.iter().map(|c| scalar(&c.value)))))
        .raw("status", i.status.as_ref().map(|s| s.value.as_str().to_owned()))
        .raw("agreed", i.agreed.as_ref().map(|d| d.value.to_string()))
        .raw("expected", i.expected.as_ref().map(|d| d.value.to_string()))
        .text("defined_by", i.defined_by.as_ref().map(|d| d.value.as_str()))
        .line()
}

fn milestone(m: &MilestoneDoc) -> String {
    Entry::new()
        .text("id", Some(&m.id.value))
        .text("title", Some(&m.title.value))
        .raw("target", m.target.as_ref().map(|t| t.value.to_string()))
        .raw("requires", Some(list(m.requires.iter().map(|r| scalar(&r.value)))))
        .line()
}

/// The program (with its calendar), teams, groups, milestones, systems,
/// interfaces, items and baseline of `doc` as plan YAML, after `header` (comment lines, written
/// as they are). The other sections are not written: no importer makes them.
pub fn plan_yaml(doc: &PlanDoc, header: &str) -> String {
    let mut out = String::with_capacity(128 * (doc.items.len() + doc.teams.len() + 4));
    out.push_str(header);
    if let Some(p) = &doc.program {
        program(&mut out, p);
    }
    let mut section = |name: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "{name}:");
            lines.iter().for_each(|l| out.push_str(l));
        }
    };
    section("teams", doc.teams.iter().map(team).collect());
    section("groups", doc.groups.iter().map(group).collect());
    section("milestones", doc.milestones.iter().map(milestone).collect());
    section("systems", doc.systems.iter().map(system).collect());
    section("interfaces", doc.interfaces.iter().map(interface).collect());
    section("items", doc.items.iter().map(item).collect());
    if let Some(baseline) = &doc.baseline {
        let _ = writeln!(out, "baseline:\n  date: {}\n  items:", baseline.date.value);
        for b in &baseline.items {
            let _ = writeln!(
                out,
                "    - {{ item: {}, start: {}, finish: {} }}",
                scalar(&b.item.value),
                b.start.value,
                b.finish.value
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use linchpin_model::{Located, Origin};

    #[test]
    fn strings_read_back_exactly_and_show_nothing_hidden() {
        assert_eq!(quoted("a \"b\"\n"), r#""a \"b\"\n""#);
        assert_eq!(quoted("x\u{202e}y\u{85}"), r#""x\u202Ey\u0085""#);
        for plain in ["PAY-12", "payments", "Sprint 4", "v1.2"] {
            assert_eq!(scalar(plain), plain);
        }
        for not in [
            "true",
            "No",
            "12",
            "a: b",
            "#x",
            "x ",
            "",
            "-1",
            "2027-01-04",
            "[a]",
            "PayCore -",
            "a - b",
            "a -b",
            "v1.",
            "a  b",
        ] {
            assert_eq!(scalar(not), quoted(not), "{not}");
        }
    }

    #[test]
    fn documents_read_back_as_the_same_documents() {
        let at = |s: &str| Located { value: s.to_owned(), origin: Origin::Unknown };
        let mut a = ItemDoc::new("A-1", "Cart: \"v2\" \u{1b}[2J", "web", Origin::Unknown);
        a.estimate = Some(Located { value: EstimateDoc::exact(2.5), origin: Origin::Unknown });
        a.status = Some(Located { value: ItemStatus::InProgress, origin: Origin::Unknown });
        a.tags = vec!["sprint:1".into(), "#x".into()];
        let mut b = ItemDoc::new("A-2", "Order", "web", Origin::Unknown);
        b.depends = vec![DependencyDoc::on(at("A-1"))];
        let doc = PlanDoc { items: vec![a, b], ..PlanDoc::default() };
        let header = "program: { name: P, start: 2027-01-04 }\nteams: [{ id: web }]\n";
        let yaml = plan_yaml(&doc, header);
        let plan = crate::load_yaml_bytes(vec![("p.yaml".into(), yaml.clone().into_bytes())]);
        assert!(!plan.has_errors(), "{yaml}\n{:?}", plan.diagnostics);
        let program = plan.into_program().expect("a program");
        assert_eq!(program.items()[0].title, "Cart: \"v2\" \u{1b}[2J");
        assert_eq!(program.items()[0].likely_days(), 2.5);
        assert_eq!(program.items()[0].tags, ["sprint:1", "#x"]);
        assert_eq!(program.items()[1].depends.len(), 1);
        assert!(!yaml.contains('\u{1b}'));
    }
}
