//! A report as a few kinds of blocks, so Markdown and HTML say the same
//! thing. Text here is plain (plan text already cleaned by
//! `text::plain`); each renderer escapes it for its format.

use std::fmt::Write as _;

use crate::text::{html, markdown};

/// A run of text, plain or strong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading: level 1 is the report's title.
    Heading(u8, String),
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// An SVG chart (already escaped inside), its caption, and a table
    /// that says the same for readers who cannot see it.
    Chart {
        svg: String,
        caption: String,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Whether the table is part of the reading (shown and printed in
        /// HTML) rather than only the chart's text equivalent (folded).
        open: bool,
    },
    /// The line that ends the body, before the note on how it was made.
    Rule,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Whether it prints on one page (the executive register): its HTML
    /// prints smaller and tighter, without the charts and their folded
    /// tables (the milestone chart's table is the milestone table, shown;
    /// the screen keeps them all).
    pub one_page: bool,
}

impl Document {
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }

    pub fn paragraph(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Paragraph(inlines));
    }

    pub fn text(&mut self, text: impl Into<String>) {
        self.paragraph(vec![Inline::Text(text.into())]);
    }

    pub fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table { head: head.iter().map(|h| (*h).to_owned()).collect(), rows });
    }

    /// Every chart's SVG, in order.
    pub fn charts(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Chart { svg, .. } => Some(svg.as_str()),
            _ => None,
        })
    }

    pub fn title(&self) -> &str {
        self.blocks
            .iter()
            .find_map(|b| match b {
                Block::Heading(1, text) => Some(text.as_str()),
                _ => None,
            })
            .unwrap_or("Status report")
    }

    /// Markdown that renders on GitHub; each chart as an image reference to
    /// `charts[i]` (the file written beside it), with its table below.
    pub fn to_markdown(&self, chart_files: &[String]) -> String {
        let inline = |inlines: &[Inline]| -> String {
            inlines
                .iter()
                .map(|i| match i {
                    Inline::Text(t) => markdown(t),
                    Inline::Strong(t) => format!("**{}**", markdown(t)),
                })
                .collect()
        };
        let table = |out: &mut String, head: &[String], rows: &[Vec<String>]| {
            let cells = |cells: &[String]| cells.iter().map(|c| markdown(c)).collect::<Vec<_>>().join(" | ");
            let _ = writeln!(out, "| {} |", cells(head));
            let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
            for row in rows {
                let _ = writeln!(out, "| {} |", cells(row));
            }
            out.push('\n');
        };
        let mut out = String::new();
        let mut chart = 0;
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(out, "{} {}\n", "#".repeat(*level as usize), markdown(text));
                }
                Block::Paragraph(inlines) => {
                    let _ = writeln!(out, "{}\n", inline(inlines));
                }
                Block::Bullets(items) => {
                    for item in items {
                        let _ = writeln!(out, "- {}", inline(item));
                    }
                    out.push('\n');
                }
                Block::Table { head, rows } => table(&mut out, head, rows),
                Block::Chart { caption, head, rows, .. } => {
                    if let Some(file) = chart_files.get(chart) {
                        let _ = writeln!(out, "![{}]({file})\n", markdown(caption));
                    }
                    // GitHub shows no alt text under an image, and on
                    // standard output there is none: the caption names
                    // what the table is.
                    let _ = writeln!(out, "*{}*\n", markdown(caption));
                    chart += 1;
                    table(&mut out, head, rows);
                }
                Block::Rule => out.push_str("---\n\n"),
            }
        }
        out
    }

    /// One self-contained HTML page: inline CSS and SVG, no script, no
    /// reference outside itself; printable on A4 and Letter.
    pub fn to_html(&self) -> String {
        self.to_html_on(None)
    }

    /// [`Document::to_html`], printing on `paper` when given (else on
    /// whatever the browser is set to).
    pub fn to_html_on(&self, paper: Option<Paper>) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}{}{}</style>\n</head>\n<body>\n<main{}>\n",
            html(self.title()),
            match paper {
                Some(Paper::A4) => "@page { size: A4; }\n",
                Some(Paper::Letter) => "@page { size: letter; }\n",
                None => "",
            },
            if self.one_page { "@page { margin: 10mm 12mm; }\n" } else { "" },
            if self.one_page { " class=\"one-page\"" } else { "" }
        );
        out.push_str(&self.body_html());
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }

    /// The blocks as HTML to place inside a page of one's own (the
    /// dashboard's), headings from `h1`, sections closed.
    pub fn body_html(&self) -> String {
        let inline = |inlines: &[Inline]| -> String {
            inlines
                .iter()
                .map(|i| match i {
                    Inline::Text(t) => html(t),
                    Inline::Strong(t) => format!("<strong>{}</strong>", html(t)),
                })
                .collect()
        };
        let table = |out: &mut String, head: &[String], rows: &[Vec<String>]| {
            out.push_str("<table>\n<thead><tr>");
            for h in head {
                let _ = write!(out, "<th scope=\"col\">{}</th>", html(h));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for c in row {
                    // A short cell of one word (a date, a share, an id)
                    // is never broken across lines, at its hyphens either.
                    if c.chars().count() <= 16 && !c.contains(char::is_whitespace) {
                        let _ = write!(out, "<td class=\"word\">{}</td>", html(c));
                    } else {
                        let _ = write!(out, "<td>{}</td>", html(c));
                    }
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        };
        let mut out = String::new();
        let mut open_section = false;
        for block in &self.blocks {
            match block {
                Block::Heading(1, text) => {
                    let _ = writeln!(out, "<h1>{}</h1>", html(text));
                }
                Block::Heading(level, text) => {
                    if open_section {
                        out.push_str("</section>\n");
                    }
                    open_section = true;
                    let _ = writeln!(out, "<section>\n<h{level}>{}</h{level}>", html(text));
                }
                Block::Paragraph(inlines) => {
                    let _ = writeln!(out, "<p>{}</p>", inline(inlines));
                }
                Block::Bullets(items) => {
                    out.push_str("<ul>\n");
                    for item in items {
                        let _ = writeln!(out, "<li>{}</li>", inline(item));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Table { head, rows } => table(&mut out, head, rows),
                Block::Chart { svg, caption, head, rows, open } => {
                    if *open {
                        table(&mut out, head, rows);
                    }
                    let _ = writeln!(out, "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>", html(caption));
                    if !*open {
                        let _ = writeln!(out, "<details>\n<summary>The chart as a table</summary>");
                        table(&mut out, head, rows);
                        out.push_str("</details>\n");
                    }
                }
                Block::Rule => {
                    if open_section {
                        out.push_str("</section>\n");
                        open_section = false;
                    }
                    out.push_str("<hr>\n");
                }
            }
        }
        if open_section {
            out.push_str("</section>\n");
        }
        out
    }
}

/// The report's style sheet, for pages that show a report's blocks.
pub fn style() -> &'static str {
    STYLE
}

/// A paper size to print on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

/// The page's only style: readable on a screen, and on paper one section
/// per page where it fits, no chart or table row cut in two.
const STYLE: &str = r#"body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.6rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f2f2f2; }
figure { margin: 0.6rem 0; }
figure svg { max-width: 100%; height: auto; }
td.word { white-space: nowrap; }
figcaption { font-size: 0.85rem; color: #444; }
details { margin-bottom: 1rem; }
hr { border: 0; border-top: 1px solid #ccc; margin: 1.5rem 0 0.8rem; }
@page { margin: 15mm; }
@media print {
  html { font-size: 9pt; }
  body { font-size: 9pt; }
  th, td { padding: 0.15rem 0.3rem; }
  main { max-width: none; padding: 0; }
  h2 { margin-top: 1rem; }
  figure, tr, h2 { break-inside: avoid; }
  figure svg { max-height: 7.5cm; width: auto; }
  h2 { break-after: avoid; }
  details > summary { display: none; }
}
@media print {
  main.one-page { font-size: 6.8pt; line-height: 1.18; }
  .one-page h1 { font-size: 10pt; margin: 0 0 2pt; }
  .one-page h2 { font-size: 8pt; margin: 4pt 0 1pt; padding: 0; }
  .one-page p { margin: 1.5pt 0; }
  .one-page table { margin: 1pt 0 2pt; font-size: 6.8pt; }
  .one-page th, .one-page td { padding: 0.3pt 2pt; }
  .one-page figure, .one-page details { display: none; }
  .one-page hr { margin: 3pt 0; }
}
"#;
