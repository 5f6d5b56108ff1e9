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
use linchpin_model::{Dependency, Estimate, ItemId, ItemStatus, LinkKind, Program, Team, TeamId, WorkItem};

use crate::checks::{check_cycles, check_estimate, unknown_reference};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::{FileId, SourceFile, Span};

const ITEM_COLUMNS: &[&str] = &["id", "title", "team", "optimistic", "likely", "pessimistic", "depends"];
const TEAM_COLUMNS: &[&str] = &["id", "capacity"];

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
    let col = |name: &str| cols.get(name).copied();

    let mut teams: Vec<Team> = Vec::new();
    let mut team_index: HashMap<String, TeamId> = HashMap::new();
    for (id, capacity, _) in team_capacities {
        team_index.entry(id.clone()).or_insert_with(|| {
            teams.push(new_team(id, capacity));
            TeamId::new(teams.len() - 1)
        });
    }
    let mut items: Vec<WorkItem> = Vec::new();
    let mut item_index: HashMap<String, ItemId> = HashMap::new();
    let mut record_starts: Vec<usize> = Vec::new();
    // Dependencies by row, resolved once every id is known.
    let mut pending: Vec<(usize, usize)> = Vec::new(); // (item, byte range start in `dep_text`)
    let mut dep_text: Vec<u8> = Vec::new();

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
            diagnostics.push(
                Diagnostic::error(
                    "ragged-row",
                    Span {
                        file,
                        start: start_byte,
                        end: start_byte + source.text[start_byte..].find('\n').unwrap_or(0),
                    },
                    format!("row {line} has {} fields but the header has {header_len}", record.len()),
                )
                .with_label("wrong number of fields")
                .with_help("quote any field that contains a comma, e.g. \"Migrate, then verify\"")
                .with_field(format!("rows[{line}]")),
            );
            continue;
        }
        let field = |c: Option<usize>| String::from_utf8_lossy(text(&record, c)).trim().to_owned();
        let id = field(col("id"));
        if id.is_empty() {
            diagnostics.push(
                Diagnostic::error("missing-field", span_of(cols["id"]), "a row has no id")
                    .with_label("empty id")
                    .with_help("give every item a unique id, e.g. `PAY-12`")
                    .with_field("items.id"),
            );
            continue;
        }
        if let Some(&first) = item_index.get(&id) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", span_of(cols["id"]), format!("duplicate item id `{id}`"))
                    .with_label("defined again here")
                    .with_related(
                        field_span(file, source, record_starts[first.index()], cols["id"]),
                        "first defined here",
                    )
                    .with_help("give each item its own id")
                    .with_field(format!("items[{id}].id")),
            );
            continue;
        }
        let team_key = field(col("team"));
        if team_key.is_empty() {
            diagnostics.push(
                Diagnostic::error("missing-field", span_of(cols["team"]), format!("item `{id}` has no team"))
                    .with_label("empty team")
                    .with_help("name the team that does the work")
                    .with_field(format!("items[{id}].team")),
            );
            continue;
        }
        let team = *team_index.entry(team_key.clone()).or_insert_with(|| {
            teams.push(new_team(team_key, 1));
            TeamId::new(teams.len() - 1)
        });
        let mut number = |name: &str| -> Result<Option<f64>, ()> {
            let Some(c) = col(name) else { return Ok(None) };
            let value = field(Some(c));
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
        let points = (number("optimistic"), number("likely"), number("pessimistic"));
        let estimate = match points {
            (Ok(optimistic), Ok(Some(likely)), Ok(pessimistic)) => {
                let estimate = Estimate {
                    optimistic: optimistic.unwrap_or(likely),
                    likely,
                    pessimistic: pessimistic.unwrap_or(likely),
                };
                let first = col("optimistic").filter(|_| optimistic.is_some()).unwrap_or(cols["likely"]);
                let last = col("pessimistic").filter(|_| pessimistic.is_some()).unwrap_or(cols["likely"]);
                let span = Span { end: span_of(last.max(first)).end, ..span_of(first.min(last)) };
                match check_estimate(&estimate, span, "estimate") {
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
        let item = items.len();
        if let Some(c) = col("depends") {
            let deps = text(&record, Some(c));
            if !deps.is_empty() {
                pending.push((item, dep_text.len()));
                dep_text.extend_from_slice(deps);
                dep_text.push(b'\n');
            }
        }
        item_index.insert(id.clone(), ItemId::new(item));
        record_starts.push(start_byte);
        let title = field(col("title"));
        items.push(WorkItem {
            title: if title.is_empty() { id.clone() } else { title },
            key: id,
            team,
            owner: None,
            estimate,
            people: 1,
            status: ItemStatus::NotStarted,
            actual_start: None,
            actual_finish: None,
            remaining: None,
            not_before: None,
            depends: Vec::new(),
            systems: Vec::new(),
            interfaces: Vec::new(),
            external_key: None,
            tags: Vec::new(),
        });
    }

    let mut edges = Vec::new();
    let depends_column = col("depends").unwrap_or(0);
    for (item, offset) in pending {
        let end = dep_text[offset..].iter().position(|&b| b == b'\n').map_or(dep_text.len(), |p| offset + p);
        let list = String::from_utf8_lossy(&dep_text[offset..end]).into_owned();
        for key in list.split(';').map(str::trim).filter(|k| !k.is_empty()) {
            match item_index.get(key) {
                Some(&on) => {
                    edges.push((on.index(), item, LinkKind::FinishToStart, 0.0));
                    items[item].depends.push(Dependency { on, kind: LinkKind::FinishToStart, lag: 0.0 });
                }
                None => {
                    let span = field_span(file, source, record_starts[item], depends_column);
                    diagnostics.push(
                        unknown_reference("item", "the CSV", key, span, item_index.keys().map(String::as_str))
                            .with_field(format!("items[{}].depends", items[item].key)),
                    );
                }
            }
        }
    }
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    diagnostics.extend(check_cycles(&keys, edges, |_, succ| {
        Some(field_span(file, source, record_starts[succ], depends_column))
    }));

    Some(Program { name: name.to_owned(), start, teams, items, ..Program::default() })
}

fn new_team(key: String, capacity: u32) -> Team {
    Team { name: key.clone(), key, lead: None, capacity, capacity_changes: Vec::new(), holidays: Default::default() }
}
