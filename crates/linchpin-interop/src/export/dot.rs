//! Graphviz DOT of the dependency map: a cluster per team, milestones as
//! diamonds fed by the work they require, links labelled with their type
//! and lag when they are not a plain finish-to-start, and the critical
//! path's items and links in red. Node ids are generated (`i3`, `m1`);
//! plan text appears only inside quoted strings, escaped.

use std::collections::HashSet;
use std::io::{self, Write};

use linchpin_engine::schedule::Schedule;
use linchpin_model::{ItemId, ItemStatus, Program};

use super::mermaid::link_label;
use super::plain;

/// A DOT quoted string of `value`: quotes and backslashes escaped (so
/// Graphviz's own `\N`, `\G` escapes are never formed from plan text).
pub fn quoted(value: &str) -> String {
    let value = plain(value);
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Two lines of a label, each quoted text, joined by DOT's line break.
fn lines(first: &str, second: &str) -> String {
    let (a, b) = (quoted(first), quoted(second));
    format!("{}\\n{}", &a[..a.len() - 1], &b[1..])
}

const CRITICAL: &str = "#c00000";

pub fn write(program: &Program, schedule: &Schedule, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "digraph {} {{", quoted(program.name()))?;
    writeln!(out, "    graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label={}];", quoted(program.name()))?;
    writeln!(out, "    node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];")?;
    writeln!(out, "    edge [fontname=\"Helvetica\", fontsize=9];")?;
    let mut by_team: Vec<Vec<ItemId>> = vec![Vec::new(); program.teams().len()];
    for (i, item) in program.items().iter().enumerate() {
        by_team[item.team.index()].push(ItemId::new(i));
    }
    for (t, (team, items)) in program.teams().iter().zip(&by_team).enumerate() {
        if items.is_empty() {
            continue;
        }
        writeln!(out, "    subgraph cluster_t{t} {{")?;
        writeln!(out, "        label={}; style=rounded; color=\"#888888\";", quoted(&team.name))?;
        for id in items {
            let item = program.item(*id);
            let s = schedule.item(*id);
            let mut attributes = format!("label={}", lines(&item.key, &item.title));
            if item.status == ItemStatus::Done {
                attributes.push_str(", style=\"rounded,filled\", fillcolor=\"#e8e8e8\"");
            } else if s.critical {
                attributes.push_str(&format!(", color=\"{CRITICAL}\", penwidth=2.5"));
            }
            writeln!(out, "        i{} [{attributes}];", id.index())?;
        }
        writeln!(out, "    }}")?;
    }
    for (m, (milestone, scheduled)) in program.milestones().iter().zip(&schedule.milestones).enumerate() {
        let label = lines(&milestone.key, &format!("{} ({})", milestone.title, scheduled.date));
        writeln!(out, "    m{m} [shape=diamond, style=solid, label={label}];")?;
    }
    let on_path: HashSet<(ItemId, ItemId)> = schedule.critical_path.windows(2).map(|w| (w[0], w[1])).collect();
    for (i, item) in program.items().iter().enumerate() {
        for d in &item.depends {
            let mut attributes = Vec::new();
            if let Some(label) = link_label(d.kind, d.lag, d.lag_unit) {
                attributes.push(format!("label={}", quoted(&label)));
            }
            if on_path.contains(&(d.on, ItemId::new(i))) {
                attributes.push(format!("color=\"{CRITICAL}\", penwidth=2.5"));
            }
            if attributes.is_empty() {
                writeln!(out, "    i{} -> i{i};", d.on.index())?;
            } else {
                writeln!(out, "    i{} -> i{i} [{}];", d.on.index(), attributes.join(", "))?;
            }
        }
    }
    for (m, milestone) in program.milestones().iter().enumerate() {
        for item in &milestone.requires {
            writeln!(out, "    i{} -> m{m} [style=dashed];", item.index())?;
        }
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testing::{PLAN, scheduled};

    #[test]
    fn plan_text_stays_inside_its_quotes() {
        assert_eq!(quoted(r#"a "b" \N c"#), r#""a \"b\" \\N c""#);
        assert_eq!(quoted("x\ny\u{202e}"), "\"x y \"");
        assert_eq!(lines("A", "B \"c\""), r#""A\nB \"c\"""#);
    }

    #[test]
    fn clusters_per_team_and_the_critical_path_in_red() {
        let (program, schedule) = scheduled(PLAN);
        let mut out = Vec::new();
        write(&program, &schedule, &mut out).expect("written");
        let dot = String::from_utf8(out).expect("utf-8");
        assert!(dot.starts_with("digraph \"Pay [2J \\\"ments\\\" <&>\" {\n"), "{dot}");
        assert!(dot.contains("    subgraph cluster_t0 {\n        label=\"Core; team\";"), "{dot}");
        assert!(dot.contains("        i0 [label=\"A\\nDesign  evil\", color=\"#c00000\", penwidth=2.5];"), "{dot}");
        assert!(dot.contains("    i0 -> i1 [color=\"#c00000\", penwidth=2.5];"), "{dot}");
        assert!(dot.contains("    i0 -> i2 [label=\"SS +1d\"];"), "{dot}");
        assert!(dot.contains("    i3 -> m0 [style=dashed];"), "{dot}");
        assert!(!dot.contains(['\u{1b}', '\u{202e}']));
    }
}
