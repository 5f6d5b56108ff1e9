//! The spreadsheet form of a plan: a CSV of work items, and optionally a
//! `NAME.teams.csv` of team capacities beside it.
//!
//! Columns: `id,title,team,optimistic,likely,pessimistic,depends`, and
//! optionally `owner`, `key`, `status` and `tags`, under their own names or
//! the ones trackers export (`summary`, `assignee`, `issue key`, `labels`);
//! other columns are ignored with a warning. `depends` lists item ids
//! (finish-to-start). Only `id`, `team` and `likely` are required; a blank
//! optimistic or pessimistic takes the likely value. Teams are created from
//! the names used, with capacity 1 unless the teams file says otherwise.
//! Fields are separated by commas, semicolons or tabs, whichever the header
//! row reads best with, as spreadsheet programs write them by locale.
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
use linchpin_model::{Code, Diagnostic, FieldRef, ItemStatus, Located, Origin, Program, Resolver, SourceId, Span};

use crate::decode::{keyword, keyword_help};
use crate::source::SourceFile;

/// What a column of the items sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Column {
    Id,
    Title,
    Team,
    Optimistic,
    Likely,
    Pessimistic,
    Depends,
    Owner,
    Key,
    Status,
    Tags,
}

/// Header names (lower case, `_` and `-` read as spaces) and what they hold:
/// the plan's own names first, then those trackers export.
const ITEM_COLUMNS: &[(&str, Column)] = &[
    ("id", Column::Id),
    ("title", Column::Title),
    ("team", Column::Team),
    ("optimistic", Column::Optimistic),
    ("likely", Column::Likely),
    ("pessimistic", Column::Pessimistic),
    ("depends", Column::Depends),
    ("owner", Column::Owner),
    ("key", Column::Key),
    ("status", Column::Status),
    ("tags", Column::Tags),
    ("summary", Column::Title),
    ("depends on", Column::Depends),
    ("assignee", Column::Owner),
    ("issue key", Column::Key),
    ("labels", Column::Tags),
];
const ITEM_HEADER: &str = "id,title,team,optimistic,likely,pessimistic,depends";
const ITEMS: Layout<Column> = Layout {
    known: ITEM_COLUMNS,
    required: &[Column::Id, Column::Team, Column::Likely],
    // A tracker's export has its key and no id: the key is the id.
    stand_ins: &[(Column::Id, Column::Key)],
    written: ITEM_HEADER,
};

/// What a column of the teams sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum TeamColumn {
    Id,
    Capacity,
}

const TEAM_COLUMNS: &[(&str, TeamColumn)] = &[
    ("id", TeamColumn::Id),
    ("capacity", TeamColumn::Capacity),
    ("team", TeamColumn::Id),
    ("people", TeamColumn::Capacity),
];
const TEAMS: Layout<TeamColumn> = Layout {
    known: TEAM_COLUMNS,
    required: &[TeamColumn::Id, TeamColumn::Capacity],
    stand_ins: &[],
    written: "id,capacity",
};

/// What a sheet's header may say.
struct Layout<C: 'static> {
    /// Header names and the columns they give.
    known: &'static [(&'static str, C)],
    required: &'static [C],
    /// `(wanted, stand-in)`: a column read from another when it is missing.
    stand_ins: &'static [(C, C)],
    /// The header as the docs write it.
    written: &'static str,
}

/// Which sheet a file is, for reading its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    Items,
    Teams,
}

/// The field separator the header row reads best with: the one that splits
/// it into the most known column names (`,` when none does better).
pub fn delimiter(bytes: &[u8], sheet: Sheet) -> u8 {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header = &bytes[..bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len())];
    let known = |name: &[u8]| {
        let name = normalise(&String::from_utf8_lossy(name));
        match sheet {
            Sheet::Items => ITEM_COLUMNS.iter().any(|(n, _)| *n == name),
            Sheet::Teams => TEAM_COLUMNS.iter().any(|(n, _)| *n == name),
        }
    };
    let score = |delimiter: u8| header.split(|&b| b == delimiter).filter(|name| known(name)).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|&d| (score(d), d == b',')).unwrap_or(b',')
}

/// A header name as compared: trimmed, lower case, `_` and `-` as spaces,
/// quotes and runs of spaces dropped.
fn normalise(name: &str) -> String {
    let name = name.trim().trim_matches('"').to_lowercase().replace(['_', '-'], " ");
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field as trimmed text without copying it (invalid UTF-8 reads as empty;
/// the whole file was checked to be UTF-8 before).
fn str_field(record: &csv::ByteRecord, column: Option<usize>) -> &str {
    std::str::from_utf8(text(record, column)).map_or("", str::trim)
}

/// The byte range of field `column` in the record starting at byte
/// `record_start`, found by rescanning the raw text (only done when
/// reporting a problem).
pub(crate) fn cell(text: &str, record_start: usize, column: usize, delimiter: u8) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut pos = record_start.min(bytes.len());
    let mut current = 0;
    let mut field_start = pos;
    let mut quoted = false;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => quoted = !quoted,
            b if b == delimiter && !quoted => {
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
    let delimiter = match source.kind {
        crate::SourceKind::Csv { delimiter } => delimiter,
        crate::SourceKind::Yaml => b',',
    };
    let (start, end) = cell(&source.text, record_start, column, delimiter);
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

/// Reads the header: where each known column is. Columns it does not know
/// are ignored with one warning naming them; a column given twice (`title`
/// and `summary`) or a required one missing is an error.
fn columns<C: Copy + Eq + std::hash::Hash + std::fmt::Debug>(
    header: &csv::ByteRecord,
    layout: &Layout<C>,
    file: SourceId,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<HashMap<C, usize>> {
    let Layout { known, required, stand_ins, written } = *layout;
    let mut map: HashMap<C, usize> = HashMap::new();
    let mut ignored: Vec<(usize, String)> = Vec::new();
    let original = |i: usize| String::from_utf8_lossy(header.get(i).unwrap_or(b"")).trim().to_owned();
    for (i, name) in header.iter().enumerate() {
        let name = normalise(&String::from_utf8_lossy(name));
        match known.iter().find(|(n, _)| *n == name) {
            Some(&(_, column)) => {
                if let Some(&first) = map.get(&column) {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::DuplicateField,
                            field_span(file, source, 0, i),
                            format!("columns `{}` and `{}` say the same thing", original(first), original(i)),
                        )
                        .with_label("a second column for this")
                        .with_related(field_span(file, source, 0, first), "the first")
                        .with_help("keep one of them")
                        .with_field(format!("columns[{i}]")),
                    );
                } else {
                    map.insert(column, i);
                }
            }
            None if name.is_empty() => {}
            None => ignored.push((i, original(i))),
        }
    }
    if !ignored.is_empty() {
        let names: Vec<String> = ignored.iter().map(|(_, n)| format!("`{n}`")).collect();
        let typos: Vec<String> = ignored
            .iter()
            .filter_map(|(_, n)| {
                did_you_mean(&normalise(n), known.iter().map(|(k, _)| *k)).map(|k| format!("`{n}` may be `{k}`"))
            })
            .collect();
        let help = if typos.is_empty() {
            format!("the plan's columns are `{written}`, and `owner`, `key`, `status`, `tags`")
        } else {
            typos.join("; ")
        };
        let (first, _) = ignored[0];
        diagnostics.push(
            Diagnostic::warning(
                Code::UnknownField,
                field_span(file, source, 0, first),
                format!("ignored column{}: {}", if ignored.len() == 1 { "" } else { "s" }, names.join(", ")),
            )
            .with_label("not a plan column")
            .with_help(help)
            .with_field("columns"),
        );
    }
    for &(wanted, stand_in) in stand_ins {
        if !map.contains_key(&wanted)
            && let Some(&column) = map.get(&stand_in)
        {
            map.insert(wanted, column);
        }
    }
    let delimiter = match source.kind {
        crate::SourceKind::Csv { delimiter } => delimiter as char,
        crate::SourceKind::Yaml => ',',
    };
    let written = written.replace(',', &delimiter.to_string()).replace('\t', "⇥");
    let missing: Vec<&str> = required
        .iter()
        .filter(|r| !map.contains_key(r))
        .filter_map(|r| known.iter().find(|(_, c)| c == r).map(|(n, _)| *n))
        .collect();
    if !missing.is_empty() {
        let end = source.text.find('\n').unwrap_or(source.text.len());
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                Span::new(file, 0, end),
                format!("missing column(s): {}", missing.join(", ")),
            )
            .with_label("the header row")
            .with_help(format!("the header should read `{written}`"))
            .with_field("columns"),
        );
        return None;
    }
    Some(map)
}

/// The reader for a sheet with its dialect.
fn reader(source: &SourceFile) -> csv::Reader<&[u8]> {
    let delimiter = match source.kind {
        crate::SourceKind::Csv { delimiter } => delimiter,
        crate::SourceKind::Yaml => b',',
    };
    csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(delimiter).from_reader(source.text.as_bytes())
}

fn text(record: &csv::ByteRecord, column: Option<usize>) -> &[u8] {
    column.and_then(|c| record.get(c)).unwrap_or(b"")
}

/// Reads team capacities from a `NAME.teams.csv` as team documents.
pub(crate) fn read_teams(file: SourceId, source: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Vec<TeamDoc> {
    let mut reader = reader(source);
    let mut record = csv::ByteRecord::new();
    let mut teams = Vec::new();
    let Ok(true) = reader.read_byte_record(&mut record) else {
        return teams;
    };
    let Some(cols) = columns(&record, &TEAMS, file, source, diagnostics) else {
        return teams;
    };
    let (id_column, capacity_column) = (cols[&TeamColumn::Id], cols[&TeamColumn::Capacity]);
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
        let id = String::from_utf8_lossy(text(&record, Some(id_column))).trim().to_owned();
        let capacity_text = String::from_utf8_lossy(text(&record, Some(capacity_column))).trim().to_owned();
        let origin = cell_origin(file, start, capacity_column);
        match capacity_text.parse::<i64>() {
            Ok(capacity) => teams.push(TeamDoc {
                id: Located::new(id, cell_origin(file, start, id_column)),
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
    let mut reader = reader(source);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        _ => {
            diagnostics.push(
                Diagnostic::error(Code::MissingField, Span::new(file, 0, 0), "the CSV is empty")
                    .with_help(format!("the first row names the columns: `{ITEM_HEADER}`"))
                    .with_field("columns"),
            );
            return None;
        }
    }
    let header_len = record.len();
    let cols = columns(&record, &ITEMS, file, source, diagnostics)?;
    let (separator, example) = match source.kind {
        crate::SourceKind::Csv { delimiter: b';' } => ("a semicolon", ";"),
        crate::SourceKind::Csv { delimiter: b'\t' } => ("a tab", "⇥"),
        _ => ("a comma", ","),
    };
    // Column positions, looked up once rather than per row.
    let col = |c: Column| cols.get(&c).copied();
    let (id_col, title_col, team_col) = (col(Column::Id), col(Column::Title), col(Column::Team));
    let (optimistic_col, likely_col, pessimistic_col) =
        (col(Column::Optimistic), col(Column::Likely), col(Column::Pessimistic));
    let (depends_col, owner_col, key_col, status_col, tags_col) =
        (col(Column::Depends), col(Column::Owner), col(Column::Key), col(Column::Status), col(Column::Tags));
    let (id_column, team_column, likely_column) = (cols[&Column::Id], cols[&Column::Team], cols[&Column::Likely]);

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
                .with_help(format!("quote any field that contains {separator}, e.g. \"Migrate{example} then verify\""))
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
        // Ids are separated by `;` or `,` (whichever is not the field separator).
        for key in str_field(&record, depends_col).split([';', ',', '\n']).map(str::trim).filter(|k| !k.is_empty()) {
            if count == doc.depends.len() {
                let fresh = spare.pop().unwrap_or_else(|| DependencyDoc::on(Located::unlocated(String::new())));
                doc.depends.push(fresh);
            }
            set(&mut doc.depends[count].item, key, depends_origin);
            count += 1;
        }
        spare.extend(doc.depends.drain(count..));
        let owner = str_field(&record, owner_col);
        doc.owner = (!owner.is_empty()).then(|| Located::new(owner.to_owned(), at(owner_col.unwrap_or(0))));
        let key = str_field(&record, key_col);
        doc.key = (!key.is_empty()).then(|| key.to_owned());
        doc.tags.clear();
        doc.tags.extend(
            str_field(&record, tags_col)
                .split([';', ',', ' ', '\t', '\n'])
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
        let status = str_field(&record, status_col);
        doc.status = None;
        if let Some(c) = status_col.filter(|_| !status.is_empty()) {
            match keyword::<ItemStatus>(status) {
                Ok(value) => doc.status = Some(Located::new(value, at(c))),
                Err(closest) => diagnostics.push(
                    Diagnostic::error(Code::UnknownValue, at(c), format!("`{status}` is not a status of item `{id}`"))
                        .with_label("not a status")
                        .with_help(keyword_help::<ItemStatus>(closest))
                        .with_field(format!("items[{id}].status")),
                ),
            }
        }
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
