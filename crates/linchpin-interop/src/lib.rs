//! Linchpin and the tools a program's readers already use. `export` writes
//! a scheduled program as MS Project XML (MSPDI), Mermaid (`gantt`,
//! `flowchart`), Graphviz DOT and iCalendar, each streamed to any
//! `io::Write`, with every value taken from the plan escaped for its
//! format and stripped of control and bidirectional-override characters.
//!
//! `import` reads trackers' exports (Jira's CSV) into the model's
//! documents, with a summary of what was mapped and what was dropped.
//!
//! Pure: it reads no file, clock or environment; the same program and
//! schedule give the same bytes.

pub mod export;
pub mod import;
