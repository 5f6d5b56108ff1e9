//! The analysis for people: plain text for a terminal, and a `Document`
//! (Markdown or one self-contained HTML page, escaped by
//! `linchpin-report`). Quotes show runs of white space as one space; the
//! JSON has them exactly.

use std::fmt::Write as _;

use linchpin_report::document::{Document, Inline};

use crate::analysis::{Analysis, Confidence, Quote};
use crate::listing::{Comparison, Importance, Status, Verdict};
use crate::model::Model;

/// The most characters of a quote shown; the JSON has it whole.
pub const QUOTE_CHARS: usize = 300;

/// A quote as shown: white space runs as one space, control characters
/// dropped, at most [`QUOTE_CHARS`] characters.
pub fn shown(quote: &Quote) -> String {
    let mut out = String::new();
    for (i, word) in quote.text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    if out.chars().count() > QUOTE_CHARS {
        out = out.chars().take(QUOTE_CHARS - 1).collect();
        out.push('…');
    }
    out
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::None => "none",
        Confidence::Low => "low",
        Confidence::Medium => "medium",
        Confidence::High => "high",
    }
}

fn importance(i: Importance) -> &'static str {
    match i {
        Importance::Required => "required",
        Importance::Responsibility => "responsibility",
        Importance::Preferred => "preferred",
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Partly => "partly met",
        Status::Missing => "missing",
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Strong => "strong fit",
        Verdict::Partial => "partial fit",
        Verdict::Weak => "weak fit",
    }
}

fn role_name<'m>(model: &'m Model, id: &str) -> &'m str {
    model.roles.iter().find(|r| r.id == id).map_or("", |r| r.name.as_str())
}

/// The headline: the target role's fit, the best role and the background.
fn headline(model: &Model, analysis: &Analysis) -> String {
    let target = &analysis.roles[0];
    let mut s = format!("{} fit: {}", target.name, percent(target.fit));
    if analysis.best_role != target.id {
        let best = analysis.roles.iter().find(|r| r.id == analysis.best_role);
        if let Some(best) = best {
            let _ = write!(s, "; the closest role is {} ({})", best.name.to_lowercase(), percent(best.fit));
        }
    }
    let _ = write!(s, ". Background: {}.", analysis.background.name.to_lowercase());
    let _ = model;
    s
}

/// Plain text for a terminal. The caller escapes what it prints (the
/// quotes come from the user's file).
pub fn text(model: &Model, analysis: &Analysis, comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", headline(model, analysis));
    let b = &analysis.background;
    let _ = writeln!(out, "Background: {}", b.name);
    for q in &b.evidence {
        let _ = writeln!(out, "  \"{}\"", shown(q));
    }
    let _ = writeln!(out, "  Usually has: {}", b.has);
    let _ = writeln!(out, "  Usually lacks: {}", b.lacks);
    for a in &b.advice {
        let _ = writeln!(out, "  - {a}");
    }
    let _ = writeln!(out, "\nSkills (level 0-4, confidence):");
    let width = analysis.skills.iter().map(|s| s.name.chars().count()).max().unwrap_or(0);
    for s in &analysis.skills {
        let _ = writeln!(
            out,
            "  {:width$}  {} {:17}  {}",
            s.name,
            s.level,
            s.level_name,
            confidence(s.confidence)
        );
        for e in &s.evidence {
            let _ = writeln!(out, "      \"{}\"", shown(&e.quote));
        }
        if s.evidence_count > s.evidence.len() {
            let _ = writeln!(out, "      (and {} more)", s.evidence_count - s.evidence.len());
        }
    }
    if !analysis.set_aside.is_empty() {
        let _ = writeln!(out, "\nNot counted:");
        for a in &analysis.set_aside {
            let why = match a.why {
                crate::evidence::Discount::Negated => "negated",
                crate::evidence::Discount::Wish => "a wish",
            };
            let _ = writeln!(out, "  \"{}\" ({why}, {})", shown(&a.quote), a.skill);
        }
    }
    let _ = writeln!(out, "\nGaps for {}, what listings weigh most first:", analysis.roles[0].name.to_lowercase());
    if analysis.gaps.is_empty() {
        let _ = writeln!(out, "  none: every need of the role is shown at its level");
    }
    for g in &analysis.gaps {
        let _ = writeln!(out, "  {} (level {} of {} needed)", g.name, g.have, g.need);
        for w in &g.ways {
            let _ = writeln!(out, "    - {w}");
        }
    }
    let _ = writeln!(out, "\nRoles:");
    for r in &analysis.roles {
        let best = if r.id == analysis.best_role { "  <- closest" } else { "" };
        let _ = writeln!(out, "  {:30} {:>5}  {} of {} needs met{best}", r.name, percent(r.fit), r.met, r.needs);
    }
    if let Some(y) = &analysis.years {
        let _ = writeln!(out, "\nYears of experience: {} ({}-{})", y.years, y.first, y.last);
    }
    for c in comparisons {
        let _ = writeln!(out, "\nListing: {}", c.listing.title);
        let _ = writeln!(out, "  {}", c.summary);
        for p in &c.points {
            let _ = writeln!(
                out,
                "  [{}] {} ({}, asks {}, shows {})",
                status(p.status),
                p.name,
                importance(p.importance),
                p.asked,
                p.shown
            );
            if let Some(q) = &p.asks {
                let _ = writeln!(out, "      asks: \"{}\"", shown(q));
            }
            if let Some(q) = &p.evidence {
                let _ = writeln!(out, "      shown: \"{}\"", shown(q));
            }
        }
    }
    out
}

/// The same as a document, for Markdown and HTML.
pub fn document(model: &Model, analysis: &Analysis, comparisons: &[Comparison]) -> Document {
    let mut d = Document::default();
    d.heading(1, "Skills analysis");
    d.paragraph(vec![Inline::Strong(headline(model, analysis))]);

    let b = &analysis.background;
    d.heading(2, format!("Background: {}", b.name));
    if !b.evidence.is_empty() {
        d.blocks.push(linchpin_report::document::Block::Bullets(
            b.evidence.iter().map(|q| vec![Inline::Text(format!("“{}”", shown(q)))]).collect(),
        ));
    }
    d.paragraph(vec![Inline::Strong("Usually has: ".into()), Inline::Text(b.has.clone())]);
    d.paragraph(vec![Inline::Strong("Usually lacks: ".into()), Inline::Text(b.lacks.clone())]);
    d.blocks.push(linchpin_report::document::Block::Bullets(
        b.advice.iter().map(|a| vec![Inline::Text(a.clone())]).collect(),
    ));

    d.heading(2, "Skills");
    let rows = analysis
        .skills
        .iter()
        .map(|s| {
            let quotes: Vec<String> = s.evidence.iter().map(|e| format!("“{}”", shown(&e.quote))).collect();
            vec![
                s.name.clone(),
                format!("{} {}", s.level, s.level_name),
                confidence(s.confidence).to_owned(),
                if quotes.is_empty() { "none".to_owned() } else { quotes.join(" ") },
            ]
        })
        .collect();
    d.table(&["Skill", "Level", "Confidence", "Evidence"], rows);
    if !analysis.set_aside.is_empty() {
        d.heading(2, "Not counted");
        d.table(
            &["Sentence", "Why", "Skill"],
            analysis
                .set_aside
                .iter()
                .map(|a| {
                    let why = match a.why {
                        crate::evidence::Discount::Negated => "negated",
                        crate::evidence::Discount::Wish => "a wish",
                    };
                    vec![format!("“{}”", shown(&a.quote)), why.to_owned(), a.skill.clone()]
                })
                .collect(),
        );
    }

    d.heading(2, format!("Gaps for {}", analysis.roles[0].name.to_lowercase()));
    if analysis.gaps.is_empty() {
        d.text("None: every need of the role is shown at its level.");
    }
    for g in &analysis.gaps {
        d.paragraph(vec![
            Inline::Strong(g.name.clone()),
            Inline::Text(format!(": level {} of {} needed.", g.have, g.need)),
        ]);
        d.blocks.push(linchpin_report::document::Block::Bullets(
            g.ways.iter().map(|w| vec![Inline::Text(w.clone())]).collect(),
        ));
    }

    d.heading(2, "Roles");
    d.table(
        &["Role", "Fit", "Needs met", "Furthest short"],
        analysis
            .roles
            .iter()
            .map(|r| {
                let name = if r.id == analysis.best_role { format!("{} (closest)", r.name) } else { r.name.clone() };
                vec![name, percent(r.fit), format!("{} of {}", r.met, r.needs), r.short.join(", ")]
            })
            .collect(),
    );
    if let Some(y) = &analysis.years {
        d.text(format!("Years of experience: {} ({}–{}).", y.years, y.first, y.last));
    }

    for c in comparisons {
        d.heading(2, format!("Listing: {}", c.listing.title));
        d.paragraph(vec![
            Inline::Strong(format!("{} ({}). ", percent(c.fit), verdict(c.verdict))),
            Inline::Text(c.summary.clone()),
        ]);
        let _ = role_name(model, &c.listing.reads_like);
        d.table(
            &["Point", "Asked as", "Status", "The listing says", "The resume shows"],
            c.points
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        format!("{} (level {})", importance(p.importance), p.asked),
                        format!("{} (level {})", status(p.status), p.shown),
                        p.asks.as_ref().map(|q| format!("“{}”", shown(q))).unwrap_or_default(),
                        p.evidence.as_ref().map(|q| format!("“{}”", shown(q))).unwrap_or_else(|| "nothing".to_owned()),
                    ]
                })
                .collect(),
        );
    }
    d
}
