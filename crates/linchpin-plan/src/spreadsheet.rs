//! The spreadsheet form of a plan: a CSV of work items, and optionally a
//! `NAME.teams.csv` of team capacities beside it.
//!
//! Columns: `id,title,team,optimistic,likely,pessimistic,depends`, with
//! `depends` a `;`-separated list of item ids (finish-to-start). Only `id`,
//! `team` and `likely` are required; a blank optimistic or pessimistic takes
//! the likely value. Teams are created from the names used, with capacity 1
//! unless the teams file says otherwise.
//!
//! Rows stream into the model's resolver one at a time through one reused
//! document, so a million-row sheet is never held as documents. Each value's
//! origin is its cell (`FieldRef { record: the row's byte offset, field:
//! the column }`), turned into a span only for the few values a problem
//! names.

use std::collections::HashMap;

use chrono::NaiveDate;
use linchpin_model::diagnostic::did_you_mean;
use linchpin_model::doc::{DependencyDoc, EstimateDoc, ItemDoc, ProgramDoc, TeamDoc};
use linchpin_model::resolve::check_estimate;
use linchpin_model::{Code, Diagnostic, FieldRef, Located, Origin, Program, Resolver, SourceId, Span};

use crate::source::SourceFile;

const ITEM_COLUMNS: &[&str] = &["id", "title", "team", "optimistic", "likely", "pessimistic", "depends"];
const TEAM_COLUMNS: &[&str] = &["id", "capacity"];

/// A field as trimmed text without copying it (invalid UTF-8 reads as empty;
/// the whole file was checked to be UTF-8 before).
fn str_field(record: &csv::ByteRecord, column: Option<usize>) -> &str {
    std::str::from_utf8(text(record, column)).map_or("", str::trim)
}

/// The byte range of field `column` in the record starting at byte
/// `record_start`, found by rescanning the raw text (only done when
/// reporting a problem).
pub(crate) fn cell(text: &str, record_start: usize, column: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
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
        return (pos, pos);
    }
    (field_start, pos.max(field_start))
}

fn field_span(file: SourceId, source: &SourceFile, record_start: usize, column: usize) -> Span {
    let (start, end) = cell(&source.text, record_start, column);
    Span::new(file, start, end)
}

/// The origin of a cell.
fn cell_origin(file: SourceId, record_start: usize, column: usize) -> Origin {
    Origin::Field(FieldRef {
        source: file,
        record: u32::try_from(record_start).unwrap_or(u32::MAX),
        field: u32::try_from(column).unwrap_or(u32::MAX),
    })
}

/// Reads the header, mapping our column names to positions; reports unknown
/// and missing columns.
fn columns(
    header: &csv::ByteRecord,
    known: &'static [&'static str],
    required: &[&str],
    file: SourceId,
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
                        Code::UnknownField,
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
                Code::MissingField,
                Span::new(file, 0, end),
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

/// Reads team capacities from a `NAME.teams.csv` as team documents.
pub(crate) fn read_teams(file: SourceId, source: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Vec<TeamDoc> {
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
                    Code::CsvSyntax,
                    Span::new(file, offset, offset),
                    format!("invalid CSV: {error}"),
                ));
                break;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let id = String::from_utf8_lossy(text(&record, cols.get("id").copied())).trim().to_owned();
        let capacity_text = String::from_utf8_lossy(text(&record, cols.get("capacity").copied())).trim().to_owned();
        let origin = cell_origin(file, start, cols["capacity"]);
        match capacity_text.parse::<i64>() {
            Ok(capacity) => teams.push(TeamDoc {
                id: Located::new(id, cell_origin(file, start, cols["id"])),
                name: None,
                lead: None,
                capacity: Some(Located { value: capacity, origin }),
                capacity_changes: Vec::new(),
                holidays: Vec::new(),
            }),
            Err(_) => diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    origin,
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
    file: SourceId,
    source: &SourceFile,
    name: &str,
    start: NaiveDate,
    teams: Vec<TeamDoc>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Program> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(source.text.as_bytes());
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        _ => {
            diagnostics.push(
                Diagnostic::error(Code::MissingField, Span::new(file, 0, 0), "the CSV is empty")
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
    let (id_column, team_column, likely_column) = (cols["id"], cols["team"], cols["likely"]);

    let program = ProgramDoc {
        name: Located::unlocated(name.to_owned()),
        goal: None,
        start: Located::unlocated(start),
        status_date: None,
        calendar: None,
    };
    let mut resolver = Resolver::new(&program);
    for team in &teams {
        resolver.team(team);
    }
    // One row per line, near enough; reserving avoids copying huge tables.
    resolver.reserve_items(source.line_starts().len(), source.text.len() / 8);
    // One document, refilled for every row: no allocation per row once the
    // buffers have grown.
    let mut doc = ItemDoc::new("", "", "", Origin::Unknown);
    // Dependency documents not needed by this row, kept for later ones.
    let mut spare: Vec<DependencyDoc> = Vec::new();

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let offset = error.position().map_or(source.text.len(), |p| p.byte() as usize);
                diagnostics.push(
                    Diagnostic::error(
                        Code::CsvSyntax,
                        Span::new(file, offset, offset),
                        format!("invalid CSV: {error}"),
                    )
                    .with_help("check for an unclosed quote"),
                );
                break;
            }
        }
        let start_byte = record.position().map_or(0, |p| p.byte() as usize);
        let at = |column: usize| cell_origin(file, start_byte, column);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if record.len() != header_len {
            let line = record.position().map_or(0, |p| p.line());
            let line_end = source.text[start_byte..].find('\n').map_or(source.text.len(), |e| start_byte + e);
            diagnostics.push(
                Diagnostic::error(
                    Code::RaggedRow,
                    Span::new(file, start_byte, line_end),
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
                Diagnostic::error(Code::MissingField, at(id_column), "a row has no id")
                    .with_label("empty id")
                    .with_help("give every item a unique id, e.g. `PAY-12`")
                    .with_field("items.id"),
            );
            continue;
        }
        let team_key = str_field(&record, team_col);
        if team_key.is_empty() {
            diagnostics.push(
                Diagnostic::error(Code::MissingField, at(team_column), format!("item `{id}` has no team"))
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
                            Code::WrongType,
                            at(c),
                            format!("`{name}` of item `{id}` must be a number of working days, found `{value}`"),
                        )
                        .with_label("expected a number")
                        .with_field(format!("items[{id}].{name}")),
                    );
                    Err(())
                }
            }
        };
        let points = (
            number("optimistic", optimistic_col),
            number("likely", likely_col),
            number("pessimistic", pessimistic_col),
        );
        // A bad estimate is reported but the row is kept, so its
        // dependencies are still checked.
        doc.estimate = match points {
            (Ok(optimistic), Ok(Some(likely)), Ok(pessimistic)) => {
                let estimate = EstimateDoc {
                    optimistic: optimistic.unwrap_or(likely),
                    likely,
                    pessimistic: pessimistic.unwrap_or(likely),
                };
                // The estimate spans the cells written; finding their span
                // rescans the row, worth it only for an estimate at fault.
                let origin = if check_estimate(&estimate, Origin::Unknown, "estimate").is_some() {
                    let first = optimistic_col.filter(|_| optimistic.is_some()).unwrap_or(likely_column);
                    let last = pessimistic_col.filter(|_| pessimistic.is_some()).unwrap_or(likely_column);
                    let span = field_span(file, source, start_byte, first.min(last));
                    Origin::Span(Span { end: field_span(file, source, start_byte, last.max(first)).end, ..span })
                } else {
                    at(likely_column)
                };
                Some(Located { value: estimate, origin })
            }
            (_, Ok(None), _) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::MissingField,
                        at(likely_column),
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
        if !resolver.has_team(team_key) {
            resolver.team(&TeamDoc {
                id: Located::new(team_key.to_owned(), at(team_column)),
                name: None,
                lead: None,
                capacity: None,
                capacity_changes: Vec::new(),
                holidays: Vec::new(),
            });
        }
        let title = str_field(&record, title_col);
        set(&mut doc.id, id, at(id_column));
        set(&mut doc.title, if title.is_empty() { id } else { title }, at(title_col.unwrap_or(id_column)));
        set(&mut doc.team, team_key, at(team_column));
        let depends_origin = at(depends_col.unwrap_or(0));
        let mut count = 0;
        for key in str_field(&record, depends_col).split(';').map(str::trim).filter(|k| !k.is_empty()) {
            if count == doc.depends.len() {
                let fresh = spare.pop().unwrap_or_else(|| DependencyDoc::on(Located::unlocated(String::new())));
                doc.depends.push(fresh);
            }
            set(&mut doc.depends[count].item, key, depends_origin);
            count += 1;
        }
        spare.extend(doc.depends.drain(count..));
        resolver.item(&doc);
    }
    let resolution = resolver.finish();
    diagnostics.extend(resolution.diagnostics);
    resolution.program
}

/// Refills a located text in place, keeping its buffer.
fn set(target: &mut Located<String>, value: &str, origin: Origin) {
    target.value.clear();
    target.value.push_str(value);
    target.origin = origin;
}
