//! The spreadsheet form of a plan: a CSV of work items, and optionally a
//! `NAME.teams.csv` of team capacities beside it.
//!
//! Columns: `id,title,team,optimistic,likely,pessimistic,depends`, with
//! `depends` a `;`-separated list of item ids (finish-to-start). Only `id`,
//! `team` and `likely` are required; a blank optimistic or pessimistic takes
//! the likely value. Teams are created from the names used, with capacity 1
//! unless the teams file says otherwise.

use std::collections::HashMap;

use chrono::NaiveDate;
use linchpin_model::{Dependency, Estimate, ItemId, LinkKind, Program, Team, TeamId, WorkItem};
use rayon::prelude::*;

use crate::checks::{check_cycles, check_estimate, unknown_reference};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::{FileId, SourceFile, Span};

const ITEM_COLUMNS: &[&str] = &["id", "title", "team", "optimistic", "likely", "pessimistic", "depends"];
const TEAM_COLUMNS: &[&str] = &["id", "capacity"];

/// Item ids in one buffer with a hash table of positions: a million-row
/// sheet resolves its three million dependencies without an allocation per
/// key, and short ids (most are) are compared inside the table slot itself,
/// without touching the key text.
#[derive(Default)]
struct KeyIndex {
    arena: String,
    ends: Vec<u32>,
    table: hashbrown::HashTable<Slot>,
}

/// Key `index` of an arena whose keys end at `ends` (a free function so
/// the table's rehash closures can borrow the arena while the table is mutable).
fn key_at<'a>(arena: &'a str, ends: &[u32], index: u32) -> &'a str {
    let i = index as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &arena[start..ends[i] as usize]
}

/// Keys up to this many bytes live in the slot.
const INLINE_KEY: usize = 11;

#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    /// The key's length, or `u8::MAX` for a key kept only in the arena.
    len: u8,
    inline: [u8; INLINE_KEY],
}

impl KeyIndex {
    fn hash(key: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        key.hash(&mut hasher);
        hasher.finish()
    }

    fn key(&self, index: u32) -> &str {
        key_at(&self.arena, &self.ends, index)
    }

    fn matches(&self, slot: &Slot, key: &str) -> bool {
        let bytes = key.as_bytes();
        if bytes.len() <= INLINE_KEY {
            slot.len as usize == bytes.len() && slot.inline[..bytes.len()] == *bytes
        } else {
            slot.len == u8::MAX && self.key(slot.index) == key
        }
    }

    fn get(&self, key: &str) -> Option<u32> {
        self.table.find(Self::hash(key), |slot| self.matches(slot, key)).map(|slot| slot.index)
    }

    /// Adds `key` as the next index, or returns the index it already has.
    fn insert(&mut self, key: &str) -> Result<u32, u32> {
        let hash = Self::hash(key);
        if let Some(slot) = self.table.find(hash, |slot| self.matches(slot, key)) {
            return Err(slot.index);
        }
        let index = self.ends.len() as u32;
        self.arena.push_str(key);
        self.ends.push(self.arena.len() as u32);
        let mut slot = Slot { index, len: u8::MAX, inline: [0; INLINE_KEY] };
        if key.len() <= INLINE_KEY {
            slot.len = key.len() as u8;
            slot.inline[..key.len()].copy_from_slice(key.as_bytes());
        }
        let (arena, ends) = (&self.arena, &self.ends);
        self.table.insert_unique(hash, slot, |slot| Self::hash(key_at(arena, ends, slot.index)));
        Ok(index)
    }

    fn reserve(&mut self, rows: usize) {
        self.ends.reserve(rows);
        let (arena, ends) = (&self.arena, &self.ends);
        self.table.reserve(rows, |slot| Self::hash(key_at(arena, ends, slot.index)));
    }

    fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        (0..self.ends.len() as u32).map(|i| self.key(i))
    }
}

/// A field as trimmed text without copying it (invalid UTF-8 reads as empty;
/// the whole file was checked to be UTF-8 before).
fn str_field(record: &csv::ByteRecord, column: Option<usize>) -> &str {
    std::str::from_utf8(text(record, column)).map_or("", str::trim)
}

/// The span of field `column` in the record starting at byte `record_start`,
/// found by rescanning the raw text (only done when reporting a problem).
fn field_span(file: FileId, source: &SourceFile, record_start: usize, column: usize) -> Span {
    let bytes = source.text.as_bytes();
    let mut pos = record_start.min(bytes.len());
    let mut current = 0;
    let mut field_start = pos;
    let mut quoted = false;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if current == column {
                    break;
                }
                current += 1;
                field_start = pos + 1;
            }
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
        pos += 1;
    }
    if current < column {
        // The row is short: point at its end.
        return Span { file, start: pos, end: pos };
    }
    Span { file, start: field_start, end: pos.max(field_start) }
}

/// Reads the header, mapping our column names to positions; reports unknown
/// and missing columns.
fn columns(
    header: &csv::ByteRecord,
    known: &'static [&'static str],
    required: &[&str],
    file: FileId,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<HashMap<&'static str, usize>> {
    let mut map = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name).trim().to_lowercase();
        match known.iter().find(|k| **k == name) {
            Some(k) => {
                map.insert(*k, i);
            }
            None => {
                let help = match did_you_mean(&name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the columns are: {}", known.join(",")),
                };
                diagnostics.push(
                    Diagnostic::error(
                        "unknown-field",
                        field_span(file, source, 0, i),
                        format!("unknown column `{name}`"),
                    )
                    .with_label("not a plan column")
                    .with_help(help)
                    .with_field(format!("columns[{i}]")),
                );
            }
        }
    }
    let missing: Vec<&str> = required.iter().copied().filter(|r| !map.contains_key(r)).collect();
    if !missing.is_empty() {
        let end = source.text.find('\n').unwrap_or(source.text.len());
        diagnostics.push(
            Diagnostic::error(
                "missing-field",
                Span { file, start: 0, end },
                format!("missing column(s): {}", missing.join(", ")),
            )
            .with_label("the header row")
            .with_help(format!("the header should read `{}`", known.join(",")))
            .with_field("columns"),
        );
        return None;
    }
    Some(map)
}

fn text(record: &csv::ByteRecord, column: Option<usize>) -> &[u8] {
    column.and_then(|c| record.get(c)).unwrap_or(b"")
}

/// Reads team capacities from a `NAME.teams.csv`.
pub(crate) fn read_teams(
    file: FileId,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, u32, Span)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(source.text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut teams = Vec::new();
    let Ok(true) = reader.read_byte_record(&mut record) else {
        return teams;
    };
    let Some(cols) = columns(&record, TEAM_COLUMNS, TEAM_COLUMNS, file, source, diagnostics) else {
        return teams;
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let offset = error.position().map_or(0, |p| p.byte() as usize);
                diagnostics.push(Diagnostic::error(
                    "csv-syntax",
                    Span { file, start: offset, end: offset },
                    format!("invalid CSV: {error}"),
                ));
                break;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let id = String::from_utf8_lossy(text(&record, cols.get("id").copied())).trim().to_owned();
        let capacity_text = String::from_utf8_lossy(text(&record, cols.get("capacity").copied())).trim().to_owned();
        let span = field_span(file, source, start, cols["capacity"]);
        match capacity_text.parse::<i64>() {
            Ok(c) if c > 0 && c <= 100_000 => teams.push((id, c as u32, span)),
            Ok(c) => diagnostics.push(
                Diagnostic::error("capacity-not-positive", span, format!("team `{id}` has capacity {c}"))
                    .with_label("must be 1 or more")
                    .with_help("capacity counts people available to the program")
                    .with_field(format!("teams[{id}].capacity")),
            ),
            Err(_) => diagnostics.push(
                Diagnostic::error(
                    "wrong-type",
                    span,
                    format!("capacity of team `{id}` must be a whole number, found `{capacity_text}`"),
                )
                .with_label("expected a whole number of people")
                .with_field(format!("teams[{id}].capacity")),
            ),
        }
    }
    teams
}

/// Builds a program from an items CSV (and its teams, if given).
pub(crate) fn read_items(
    file: FileId,
    source: &SourceFile,
    name: &str,
    start: NaiveDate,
    team_capacities: Vec<(String, u32, Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Program> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(source.text.as_bytes());
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        _ => {
            diagnostics.push(
                Diagnostic::error("missing-field", Span { file, start: 0, end: 0 }, "the CSV is empty")
                    .with_help(format!("the first row names the columns: `{}`", ITEM_COLUMNS.join(",")))
                    .with_field("columns"),
            );
            return None;
        }
    }
    let header_len = record.len();
    let cols = columns(&record, ITEM_COLUMNS, &["id", "team", "likely"], file, source, diagnostics)?;
    // Column positions, looked up once rather than per row.
    let positions: [Option<usize>; 7] = std::array::from_fn(|i| cols.get(ITEM_COLUMNS[i]).copied());
    let [id_col, title_col, team_col, optimistic_col, likely_col, pessimistic_col, depends_col] = positions;

    let mut teams: Vec<Team> = Vec::new();
    let mut team_index: HashMap<String, TeamId> = HashMap::new();
    for (id, capacity, _) in team_capacities {
        team_index.entry(id.clone()).or_insert_with(|| {
            teams.push(new_team(id, capacity));
            TeamId::new(teams.len() - 1)
        });
    }
    // One row per line, near enough; reserving avoids copying a huge vector.
    let rows = source.line_starts().len();
    let mut items: Vec<WorkItem> = Vec::with_capacity(rows);
    let mut item_index = KeyIndex::default();
    item_index.reserve(rows);
    let mut record_starts: Vec<usize> = Vec::new();
    // Dependencies by row, resolved once every id is known: (item, start of
    // its `depends` text in `dep_text`).
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut dep_text = String::new();

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let offset = error.position().map_or(source.text.len(), |p| p.byte() as usize);
                diagnostics.push(
                    Diagnostic::error(
                        "csv-syntax",
                        Span { file, start: offset, end: offset },
                        format!("invalid CSV: {error}"),
                    )
                    .with_help("check for an unclosed quote"),
                );
                break;
            }
        }
        let start_byte = record.position().map_or(0, |p| p.byte() as usize);
        let span_of = |column: usize| field_span(file, source, start_byte, column);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if record.len() != header_len {
            let line = record.position().map_or(0, |p| p.line());
            let line_end = source.text[start_byte..].find('\n').map_or(source.text.len(), |e| start_byte + e);
            diagnostics.push(
                Diagnostic::error(
                    "ragged-row",
                    Span { file, start: start_byte, end: line_end },
                    format!("row {line} has {} fields but the header has {header_len}", record.len()),
                )
                .with_label("wrong number of fields")
                .with_help("quote any field that contains a comma, e.g. \"Migrate, then verify\"")
                .with_field(format!("rows[{line}]")),
            );
            continue;
        }
        let id = str_field(&record, id_col);
        if id.is_empty() {
            diagnostics.push(
                Diagnostic::error("missing-field", span_of(cols["id"]), "a row has no id")
                    .with_label("empty id")
                    .with_help("give every item a unique id, e.g. `PAY-12`")
                    .with_field("items.id"),
            );
            continue;
        }
        let team_key = str_field(&record, team_col);
        if team_key.is_empty() {
            diagnostics.push(
                Diagnostic::error("missing-field", span_of(cols["team"]), format!("item `{id}` has no team"))
                    .with_label("empty team")
                    .with_help("name the team that does the work")
                    .with_field(format!("items[{id}].team")),
            );
            continue;
        }
        let mut number = |name: &str, column: Option<usize>| -> Result<Option<f64>, ()> {
            let Some(c) = column else { return Ok(None) };
            let value = str_field(&record, Some(c));
            if value.is_empty() {
                return Ok(None);
            }
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            "wrong-type",
                            span_of(c),
                            format!("`{name}` of item `{id}` must be a number of working days, found `{value}`"),
                        )
                        .with_label("expected a number")
                        .with_field(format!("items[{id}].{name}")),
                    );
                    Err(())
                }
            }
        };
        // A bad estimate is reported but the row is kept, so its
        // dependencies are still checked.
        let points = (
            number("optimistic", optimistic_col),
            number("likely", likely_col),
            number("pessimistic", pessimistic_col),
        );
        let estimate = match points {
            (Ok(optimistic), Ok(Some(likely)), Ok(pessimistic)) => {
                let estimate = Estimate {
                    optimistic: optimistic.unwrap_or(likely),
                    likely,
                    pessimistic: pessimistic.unwrap_or(likely),
                };
                // Checked against a placeholder first: finding the real span
                // rescans the row, worth it only to report a problem.
                let problem = check_estimate(&estimate, Span { file, start: 0, end: 0 }, "estimate").and_then(|_| {
                    let first = optimistic_col.filter(|_| optimistic.is_some()).unwrap_or(cols["likely"]);
                    let last = pessimistic_col.filter(|_| pessimistic.is_some()).unwrap_or(cols["likely"]);
                    let span = Span { end: span_of(last.max(first)).end, ..span_of(first.min(last)) };
                    check_estimate(&estimate, span, "estimate")
                });
                match problem {
                    Some(d) => {
                        diagnostics.push(d.with_field(format!("items[{id}].estimate")));
                        None
                    }
                    None => Some(estimate),
                }
            }
            (_, Ok(None), _) => {
                diagnostics.push(
                    Diagnostic::error(
                        "missing-field",
                        span_of(cols["likely"]),
                        format!("item `{id}` has no `likely` estimate"),
                    )
                    .with_label("empty")
                    .with_help("give the likely duration in working days")
                    .with_field(format!("items[{id}].likely")),
                );
                None
            }
            _ => None,
        };
        if let Err(first) = item_index.insert(id) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", span_of(cols["id"]), format!("duplicate item id `{id}`"))
                    .with_label("defined again here")
                    .with_related(
                        field_span(file, source, record_starts[first as usize], cols["id"]),
                        "first defined here",
                    )
                    .with_help("give each item its own id")
                    .with_field(format!("items[{id}].id")),
            );
            continue;
        }
        let team = match team_index.get(team_key) {
            Some(&team) => team,
            None => {
                teams.push(new_team(team_key.to_owned(), 1));
                let team = TeamId::new(teams.len() - 1);
                team_index.insert(team_key.to_owned(), team);
                team
            }
        };
        let item = items.len();
        let deps = str_field(&record, depends_col);
        if !deps.is_empty() {
            pending.push((item, dep_text.len()));
            dep_text.push_str(deps);
            dep_text.push('\n');
        }
        record_starts.push(start_byte);
        let title = str_field(&record, title_col);
        let title = if title.is_empty() { id } else { title };
        items.push(WorkItem { estimate, ..WorkItem::new(id, title, team) });
    }

    let depends_column = depends_col.unwrap_or(0);
    // Resolving millions of ids is the costly part of a big sheet; the
    // index is read-only by now, so rows resolve in parallel.
    let resolved: Vec<(usize, Vec<Dependency>, Vec<&str>)> = pending
        .par_iter()
        .map(|&(item, offset)| {
            let line = dep_text[offset..].split('\n').next().unwrap_or("");
            let mut depends = Vec::new();
            let mut unknown = Vec::new();
            for key in line.split(';').map(str::trim).filter(|k| !k.is_empty()) {
                match item_index.get(key) {
                    Some(on) => depends.push(Dependency {
                        on: ItemId::new(on as usize),
                        kind: LinkKind::FinishToStart,
                        lag: 0.0,
                    }),
                    None => unknown.push(key),
                }
            }
            (item, depends, unknown)
        })
        .collect();
    let mut edges = Vec::with_capacity(resolved.iter().map(|r| r.1.len()).sum());
    for (item, depends, unknown) in resolved {
        edges.extend(depends.iter().map(|d| (d.on.index() as u32, item as u32)));
        items[item].depends = depends;
        for key in unknown {
            let span = field_span(file, source, record_starts[item], depends_column);
            diagnostics.push(
                unknown_reference("item", "the CSV", key, span, item_index.keys())
                    .with_field(format!("items[{}].depends", items[item].key)),
            );
        }
    }
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    diagnostics.extend(check_cycles(&keys, &edges, |_, succ| {
        Some(field_span(file, source, record_starts[succ], depends_column))
    }));

    Some(Program { name: name.to_owned(), start, teams, items, ..Program::default() })
}

fn new_team(key: String, capacity: u32) -> Team {
    Team { name: key.clone(), key, lead: None, capacity, capacity_changes: Vec::new(), holidays: Default::default() }
}
