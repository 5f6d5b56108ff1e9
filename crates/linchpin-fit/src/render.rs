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

/// Characters that reorder or hide the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A quote as shown: white space runs as one space, control and
/// bidirectional-override characters dropped, at most [`QUOTE_CHARS`]
/// characters.
pub fn shown(quote: &Quote) -> String {
    let mut out = String::new();
    for (i, word) in quote.text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| !c.is_control() && !is_bidi_control(c)));
    }
    if out.chars().count() > QUOTE_CHARS {
        out = out.chars().take(QUOTE_CHARS - 1).collect();
        out.push('…');
    }
    out
}

/// The mentions set aside, one line per sentence: the quote, why, and the
/// skills it named.
fn set_aside(analysis: &Analysis) -> Vec<(String, &'static str, String)> {
    let mut out: Vec<(usize, String, &'static str, Vec<&str>)> = Vec::new();
    for a in &analysis.set_aside {
        let why = match a.why {
            crate::evidence::Discount::Negated => "negated",
            crate::evidence::Discount::Wish => "a wish",
        };
        match out.iter_mut().find(|(start, _, w, _)| *start == a.quote.start && *w == why) {
            Some(line) => line.3.push(&a.skill),
            None => out.push((a.quote.start, shown(&a.quote), why, vec![&a.skill])),
        }
    }
    out.into_iter().map(|(_, quote, why, skills)| (quote, why, skills.join(", "))).collect()
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

/// The headline: the target role's fit, the best role and the background.
fn headline(analysis: &Analysis) -> String {
    let target = &analysis.roles[0];
    let mut s = format!("{} fit: {}", target.name, percent(target.fit));
    if analysis.best_role.as_ref().is_some_and(|id| *id != target.id) {
        let best = analysis.roles.iter().find(|r| Some(&r.id) == analysis.best_role.as_ref());
        if let Some(best) = best {
            let _ = write!(s, "; the closest role is {} ({})", best.name.to_lowercase(), percent(best.fit));
        }
    }
    let _ = write!(s, ". Background: {}.", analysis.background.name.to_lowercase());
    s
}

/// What the output says when the resume was not read whole.
pub const CUT_NOTE: &str =
    "Note: the resume is longer than is read (512 KiB of text or 5,000 sentences); only its beginning was analysed.";

/// Plain text for a terminal. The caller escapes what it prints (the
/// quotes come from the user's file).
pub fn text(_model: &Model, analysis: &Analysis, comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", headline(analysis));
    if analysis.cut {
        let _ = writeln!(out, "{CUT_NOTE}\n");
    }
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
        let _ = writeln!(out, "  {:width$}  {} {:17}  {}", s.name, s.level, s.level_name, confidence(s.confidence));
        for e in &s.evidence {
            let _ = writeln!(out, "      \"{}\"", shown(&e.quote));
        }
        if s.evidence_count > s.evidence.len() {
            let _ = writeln!(out, "      (and {} more)", s.evidence_count - s.evidence.len());
        }
    }
    if !analysis.set_aside.is_empty() {
        let _ = writeln!(out, "\nNot counted:");
        for (quote, why, skills) in set_aside(analysis) {
            let _ = writeln!(out, "  \"{quote}\" ({why}: {skills})");
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
        let best = if Some(&r.id) == analysis.best_role.as_ref() { "  <- closest" } else { "" };
        let _ = writeln!(out, "  {:30} {:>5}  {} of {} needs met{best}", r.name, percent(r.fit), r.met, r.needs);
    }
    if let Some(y) = &analysis.years {
        let _ = writeln!(out, "\nYears of experience: {} ({}-{})", y.years, y.first, y.last);
    }
    for c in comparisons {
        let _ = writeln!(out, "\nListing: {}", c.listing.title);
        let _ = writeln!(out, "  {} ({}): {}", percent(c.fit), verdict(c.verdict), c.summary);
        for p in &c.points {
            let unit = if p.what == "years" { " years" } else { "" };
            let _ = writeln!(
                out,
                "  [{}] {} ({}, asks {}{unit}, shows {}{unit})",
                status(p.status),
                p.name,
                importance(p.importance),
                p.asked,
                p.shown
            );
            for q in &p.asks {
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
pub fn document(_model: &Model, analysis: &Analysis, comparisons: &[Comparison]) -> Document {
    let mut d = Document::default();
    d.heading(1, "Skills analysis");
    d.paragraph(vec![Inline::Strong(headline(analysis))]);
    if analysis.cut {
        d.paragraph(vec![Inline::Text(CUT_NOTE.into())]);
    }

    let b = &analysis.background;
    d.heading(2, format!("Background: {}", b.name));
    if !b.evidence.is_empty() {
        d.blocks.push(linchpin_report::document::Block::Bullets(
            b.evidence.iter().map(|q| vec![Inline::Text(format!("“{}”", shown(q)))]).collect(),
        ));
    }
    d.paragraph(vec![Inline::Strong("Usually has:".into()), Inline::Text(format!(" {}", b.has))]);
    d.paragraph(vec![Inline::Strong("Usually lacks:".into()), Inline::Text(format!(" {}", b.lacks))]);
    d.blocks.push(linchpin_report::document::Block::Bullets(
        b.advice.iter().map(|a| vec![Inline::Text(a.clone())]).collect(),
    ));

    d.heading(2, "Skills");
    let rows = analysis
        .skills
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                format!("{} {}", s.level, s.level_name),
                confidence(s.confidence).to_owned(),
                s.evidence_count.to_string(),
            ]
        })
        .collect();
    d.table(&["Skill", "Level (0–4)", "Confidence", "Sentences"], rows);
    d.heading(2, "Evidence");
    for s in analysis.skills.iter().filter(|s| !s.evidence.is_empty()) {
        d.paragraph(vec![Inline::Strong(s.name.clone()), Inline::Text(format!(": {}", s.meaning))]);
        let mut quotes: Vec<Vec<Inline>> =
            s.evidence.iter().map(|e| vec![Inline::Text(format!("“{}”", shown(&e.quote)))]).collect();
        if s.evidence_count > s.evidence.len() {
            quotes.push(vec![Inline::Text(format!("and {} more", s.evidence_count - s.evidence.len()))]);
        }
        d.blocks.push(linchpin_report::document::Block::Bullets(quotes));
    }
    if !analysis.set_aside.is_empty() {
        d.heading(2, "Not counted");
        d.table(
            &["Sentence", "Why", "Skills"],
            set_aside(analysis)
                .into_iter()
                .map(|(quote, why, skills)| vec![format!("“{quote}”"), why.to_owned(), skills])
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
                let name = if Some(&r.id) == analysis.best_role.as_ref() {
                    format!("{} (closest)", r.name)
                } else {
                    r.name.clone()
                };
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
            Inline::Strong(format!("{} ({}):", percent(c.fit), verdict(c.verdict))),
            Inline::Text(format!(" {}", c.summary)),
        ]);
        d.table(
            &["Point", "Asked as", "Status", "The listing says", "The resume shows"],
            c.points
                .iter()
                .map(|p| {
                    let (asked, shown_as) = if p.what == "years" {
                        (format!("{} years", p.asked), format!("{} years", p.shown))
                    } else {
                        (format!("level {}", p.asked), format!("level {}", p.shown))
                    };
                    vec![
                        p.name.clone(),
                        format!("{} ({asked})", importance(p.importance)),
                        format!("{} ({shown_as})", status(p.status)),
                        p.asks.iter().map(|q| format!("“{}”", shown(q))).collect::<Vec<_>>().join(" "),
                        p.evidence.as_ref().map(|q| format!("“{}”", shown(q))).unwrap_or_else(|| "nothing".to_owned()),
                    ]
                })
                .collect(),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_shown_on_one_line_without_controls_and_bounded() {
        let quote = |text: &str| Quote { text: text.to_owned(), start: 0, end: text.len() };
        assert_eq!(shown(&quote("Led 3\n  teams\u{1b}[2J \u{202e}now")), "Led 3 teams[2J now");
        let long = shown(&quote(&"word ".repeat(200)));
        assert_eq!(long.chars().count(), QUOTE_CHARS);
        assert!(long.ends_with('…'));
    }
}
