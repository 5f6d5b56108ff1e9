//! `linchpin import FORMAT FILE... -o PLAN_DIR`: a tracker's export into a
//! plan folder, as a sync. The importer owns one generated file per
//! format (`PLAN_DIR/imported/jira.yaml`), rewritten on every import; the
//! TPM owns every other file, which the importer never writes (but
//! `program.yaml` the first time). What her files define (a team with its
//! capacity, an item she took over, a release milestone with a target) is
//! left out of the generated file; what they add to imported items
//! (`additions:`: dependencies, systems, three-point estimates) stays as
//! the import updates statuses and titles. The plan is then loaded and
//! checked like any other.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use linchpin_interop::import::{self, Imported, Mapping};
use linchpin_model::doc::{ItemDoc, PlanDoc, ProgramDoc};
use linchpin_model::{Code, Located, Origin};

use crate::input::parse_date;
use crate::{Error, Outcome, text};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The export's format.
    #[arg(value_enum)]
    pub format: Format,
    /// The export files: several Jira or GitHub pages, or catalog files, are one export; MS Project takes one.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The plan folder to write (created if missing).
    #[arg(short = 'o', long = "output", value_name = "PLAN_DIR")]
    pub output: PathBuf,
    /// A YAML file of mapping choices: where teams come from, statuses,
    /// estimates (see docs/interop.md).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// For a new plan: the program's name (default: the first project's).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// For a new plan: its first working day (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Jira's CSV export (all fields or my defaults).
    JiraCsv,
    /// Pages of Jira's REST search (`/rest/api/3/search`), one per file.
    JiraJson,
    /// GitHub issues: `gh issue list --json ...`, REST pages or GraphQL results.
    Github,
    /// MS Project XML (MSPDI), one file.
    Mspdi,
    /// A Backstage catalog: `catalog-info.yaml` files of any number of entities.
    Backstage,
}

impl Format {
    /// The generated file's name under `imported/`.
    fn file_name(self) -> &'static str {
        match self {
            Format::JiraCsv | Format::JiraJson => "jira.yaml",
            Format::Github => "github.yaml",
            Format::Mspdi => "mspdi.yaml",
            Format::Backstage => "backstage.yaml",
        }
    }
}

/// The largest GitHub JSON file read: it is parsed whole, and `gh issue
/// list --limit 10000` writes a few megabytes.
const MAX_GITHUB_BYTES: u64 = 64 << 20;
/// The largest mapping file read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;
/// The folder, inside the plan folder, that only the importer writes.
const GENERATED: &str = "imported";

pub fn run(args: Args) -> Result<Outcome, Error> {
    let mapping = match &args.mapping {
        Some(path) => read_mapping(path)?,
        None => Mapping::default(),
    };
    let (Imported { mut doc, summary }, project) = match args.format {
        Format::Mspdi => {
            let [path] = args.files.as_slice() else { return Err(Error::OneFile) };
            let file = open_regular(path, import::MAX_FILE_BYTES)?;
            let input = std::io::BufReader::with_capacity(1 << 16, file.take(import::MAX_FILE_BYTES));
            let imported = import::mspdi::read(input)
                .map_err(|e| Error::Import { path: path.to_owned(), source: import::ImportError::Mspdi(e) })?;
            (imported, None)
        }
        Format::Backstage => {
            let mut entities = Vec::new();
            for path in &args.files {
                let bytes = read_bounded(path, linchpin_plan::MAX_YAML_BYTES)?;
                let failed =
                    |why: String| Error::Import { path: path.to_owned(), source: import::ImportError::Yaml(why) };
                let text = String::from_utf8(bytes).map_err(|_| failed("it is not UTF-8".into()))?;
                let name = path.to_string_lossy();
                let documents =
                    linchpin_plan::yaml_documents_to_json(&name, &text).map_err(|d| failed(d.message.clone()))?;
                entities.extend(documents);
            }
            (import::backstage::read(&entities), None)
        }
        Format::JiraCsv | Format::JiraJson | Format::Github => {
            let mut issues = Vec::new();
            for path in &args.files {
                issues.extend(read_issues(args.format, path, &mapping)?);
            }
            let project = issues.iter().find_map(|i| i.project.clone());
            (import::plan(issues, &mapping), project)
        }
    };
    // The program an import read (MS Project's) seeds a new plan's
    // `program.yaml`; it is never in the generated file.
    let imported_program = doc.program.take();

    let dir = &args.output;
    let generated = dir.join(GENERATED).join(args.format.file_name());
    let own = own_documents(dir, &generated)?;
    let left_to_you = leave_out_what_is_owned(&mut doc, &own);
    let previous = std::fs::read_to_string(&generated).ok().and_then(|t| linchpin_plan::decode_yaml(&t));

    let header = format!(
        "# Generated by `linchpin import {}`: every import rewrites this file.\n\
         # Do not edit it; add to these items from a file of your own (`additions:`),\n\
         # or define a team, group, milestone or item there to take it over.\n",
        match args.format {
            Format::JiraCsv => "jira-csv",
            Format::JiraJson => "jira-json",
            Format::Github => "github",
            Format::Mspdi => "mspdi",
            Format::Backstage => "backstage",
        }
    );
    let yaml = linchpin_plan::write::plan_yaml(&doc, &header);
    let own_bytes: u64 = own.iter().map(|(_, _, bytes)| *bytes).sum();
    if own_bytes + yaml.len() as u64 > linchpin_plan::MAX_YAML_BYTES {
        return Err(Error::ImportTooLarge { bytes: yaml.len() as u64 });
    }
    let program_yaml = (!own.iter().any(|(_, d, _)| d.program.is_some())).then(|| {
        let mut program = imported_program.unwrap_or_else(|| ProgramDoc {
            name: Located { value: project.unwrap_or_else(|| "Imported plan".to_owned()), origin: Origin::Unknown },
            goal: None,
            start: Located { value: chrono::Local::now().date_naive(), origin: Origin::Unknown },
            status_date: None,
            calendar: None,
        });
        if let Some(name) = &args.name {
            program.name.value = name.clone();
        }
        if let Some(start) = args.start {
            program.start.value = start;
        }
        let program = PlanDoc { program: Some(program), ..PlanDoc::default() };
        let header = "# The program: yours to edit. `linchpin import` wrote it once and never writes it again.\n";
        linchpin_plan::write::plan_yaml(&program, header)
    });
    let program_path = dir.join("program.yaml");
    // The folder is checked as it will be before anything is written, so an
    // import whose file the plan loader would refuse whole (more values than
    // a file may hold) keeps the last import.
    let mut written = vec![(generated.clone(), yaml.as_str())];
    written.extend(program_yaml.as_deref().map(|text| (program_path.clone(), text)));
    let plan = load_as_written(dir, &written)?;
    if let Some(refused) = plan.diagnostics.iter().find(|d| {
        d.code == Code::TooLarge
            && plan.sources.span(d.origin).is_some_and(|span| plan.sources.get(span.source).path() == generated)
    }) {
        return Err(Error::ImportRefused { why: refused.message.clone() });
    }
    std::fs::create_dir_all(generated.parent().unwrap_or(dir))
        .map_err(|source| Error::Write { path: generated.clone(), source })?;
    if let Some(text) = &program_yaml {
        write_file(&program_path, text)?;
    }
    write_file(&generated, &yaml)?;

    print_summary(args.format, &summary, &left_to_you, previous.as_ref(), &doc, &generated);
    let (errors, warnings) = crate::diagnostics::summary(&plan.diagnostics);
    if errors > 0 {
        crate::diagnostics::print(&plan.sources, &plan.diagnostics);
        eprintln!(
            "error: the import was written, but `{}` has {}; fix them in your own files (or in the tracker) and import again",
            text::escape(&dir.to_string_lossy()),
            crate::diagnostics::plural(errors, "error")
        );
        return Ok(Outcome::ProblemsFound);
    }
    sayln!(
        "`{}`: 0 errors, {}; run `linchpin check {}` for details",
        text::escape(&dir.to_string_lossy()),
        crate::diagnostics::plural(warnings, "warning"),
        text::escape(&dir.to_string_lossy())
    );
    Ok(Outcome::Success)
}

/// Loads the plan folder as it will be once `written` (path and text) is
/// in it, without writing anything: the files it holds, each of `written`
/// in place of the file at its path, in the order a load of the folder
/// reads them.
fn load_as_written(dir: &Path, written: &[(PathBuf, &str)]) -> Result<linchpin_plan::Plan, Error> {
    let written = written.iter().map(|(path, text)| (path.clone(), text.as_bytes().to_vec())).collect();
    Ok(linchpin_plan::load_yaml_bytes(linchpin_plan::folder_as_written(dir, written)?))
}

fn read_mapping(path: &Path) -> Result<Mapping, Error> {
    let bytes = read_bounded(path, MAX_MAPPING_BYTES)?;
    let wrong = |why: String| Error::Mapping { path: path.to_owned(), why: text::escape(&why).into_owned() };
    let text = String::from_utf8(bytes).map_err(|_| wrong("it is not UTF-8".into()))?;
    let json = linchpin_plan::yaml_to_json(&text).map_err(|d| wrong(d.message.clone()))?;
    Mapping::from_json(json).map_err(|e| wrong(e.to_string()))
}

/// A regular file's bytes, refused past `most`.
fn read_bounded(path: &Path, most: u64) -> Result<Vec<u8>, Error> {
    let file = open_regular(path, most)?;
    let mut bytes = Vec::new();
    file.take(most + 1).read_to_end(&mut bytes).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    if bytes.len() as u64 > most {
        return Err(too_large(path, most));
    }
    Ok(bytes)
}

fn too_large(path: &Path, most: u64) -> Error {
    Error::Load(linchpin_plan::LoadError::TooLarge { path: path.to_owned(), size: most + 1, limit: most })
}

fn open_regular(path: &Path, most: u64) -> Result<std::fs::File, Error> {
    let read = |source| Error::Read { path: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(read)?;
    let metadata = file.metadata().map_err(read)?;
    if !metadata.is_file() {
        return Err(Error::Load(linchpin_plan::LoadError::NotAFile {
            path: path.to_owned(),
            kind: "not a regular file",
        }));
    }
    if metadata.len() > most {
        return Err(too_large(path, most));
    }
    Ok(file)
}

/// The issues of one export file, streamed from disk.
fn read_issues(format: Format, path: &Path, mapping: &Mapping) -> Result<Vec<import::Issue>, Error> {
    // GitHub's JSON is read whole (its lists are small pages); the others stream.
    let most = if format == Format::Github { MAX_GITHUB_BYTES } else { import::MAX_FILE_BYTES };
    let file = open_regular(path, most)?;
    let input = std::io::BufReader::with_capacity(1 << 16, file.take(most));
    let read = match format {
        Format::JiraCsv => import::jira_csv::read(input, mapping),
        Format::JiraJson => import::jira_json::read(input, mapping),
        Format::Github => import::github::read(input),
        Format::Mspdi | Format::Backstage => unreachable!("`run` reads these formats itself"),
    };
    read.map_err(|source| Error::Import { path: path.to_owned(), source })
}

/// The documents of the TPM's own files: every `.yaml` of the plan folder
/// but the generated ones, within the plan's size limit.
fn own_documents(dir: &Path, generated: &Path) -> Result<Vec<(PathBuf, PlanDoc, u64)>, Error> {
    let mut files = Vec::new();
    collect(dir, &dir.join(GENERATED), 0, &mut files);
    files.retain(|f| f != generated);
    files.sort();
    let mut left = linchpin_plan::MAX_YAML_BYTES;
    let mut docs = Vec::new();
    for path in files {
        let bytes = read_bounded(&path, left)?;
        left -= bytes.len() as u64;
        let size = bytes.len() as u64;
        if let Some(doc) = std::str::from_utf8(&bytes).ok().and_then(linchpin_plan::decode_yaml) {
            docs.push((path, doc, size));
        }
    }
    Ok(docs)
}

fn collect(dir: &Path, skip: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() && depth < 8 && path != skip {
            collect(&path, skip, depth + 1, files);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
}

/// Takes out of the import what the TPM's files define; says which items.
fn leave_out_what_is_owned(doc: &mut PlanDoc, own: &[(PathBuf, PlanDoc, u64)]) -> Vec<String> {
    let ids = |f: fn(&PlanDoc) -> Vec<&str>| -> HashSet<String> {
        own.iter().flat_map(|(_, d, _)| f(d)).map(str::to_owned).collect()
    };
    let teams = ids(|d| d.teams.iter().map(|t| t.id.value.as_str()).collect());
    let groups = ids(|d| d.groups.iter().map(|g| g.id.value.as_str()).collect());
    let milestones = ids(|d| d.milestones.iter().map(|m| m.id.value.as_str()).collect());
    let systems = ids(|d| d.systems.iter().map(|s| s.id.value.as_str()).collect());
    let interfaces = ids(|d| d.interfaces.iter().map(|i| i.id.value.as_str()).collect());
    doc.systems.retain(|s| !systems.contains(&s.id.value));
    doc.interfaces.retain(|i| !interfaces.contains(&i.id.value));
    let items = ids(|d| d.items.iter().map(|i| i.id.value.as_str()).collect());
    doc.teams.retain(|t| !teams.contains(&t.id.value));
    doc.groups.retain(|g| !groups.contains(&g.id.value));
    doc.milestones.retain(|m| !milestones.contains(&m.id.value));
    let mut taken_over = Vec::new();
    doc.items.retain(|i| {
        let owned = items.contains(&i.id.value);
        if owned {
            taken_over.push(i.id.value.clone());
        }
        !owned
    });
    taken_over
}

/// What was mapped and dropped, and what changed since the last import.
fn print_summary(
    format: Format,
    summary: &import::Summary,
    taken_over: &[String],
    previous: Option<&PlanDoc>,
    doc: &PlanDoc,
    generated: &Path,
) {
    let (records, groups, milestones) = match format {
        Format::JiraCsv | Format::JiraJson => ("issues", "epics as groups", "fix versions as milestones"),
        Format::Github => ("issues", "issues with sub-issues as groups", "milestones"),
        Format::Mspdi => ("tasks", "summary tasks as groups", "milestones"),
        Format::Backstage => {
            sayln!(
                "imported {} entities into `{}`: {} teams, {} systems ({} dependencies between them), {} interfaces",
                summary.issues,
                text::escape(&generated.to_string_lossy()),
                doc.teams.len(),
                doc.systems.len(),
                summary.dependencies,
                doc.interfaces.len()
            );
            ("", "", "")
        }
    };
    if format != Format::Backstage {
        sayln!(
            "imported {} {records} into `{}`: {} items, {} {groups}, {} teams, {} dependencies, {} {milestones}",
            summary.issues,
            text::escape(&generated.to_string_lossy()),
            summary.items,
            summary.groups,
            summary.teams,
            summary.dependencies,
            summary.milestones
        );
    }
    let examples = |list: &[String], count: usize| {
        let shown: Vec<String> = list.iter().map(|e| text::clip(e, 60).into_owned()).collect();
        let more = if count > shown.len() { format!(", … {} more", count - shown.len()) } else { String::new() };
        format!("{}{more}", shown.join(", "))
    };
    for (reason, dropped) in &summary.dropped {
        sayln!("  {} {}: {}", dropped.count, reason.describe(), examples(&dropped.examples, dropped.count));
    }
    if !taken_over.is_empty() {
        let first: Vec<String> = taken_over.iter().take(import::Summary::EXAMPLES).cloned().collect();
        sayln!(
            "  {} items your own files define, left to them: {}",
            taken_over.len(),
            examples(&first, taken_over.len())
        );
    }
    if format == Format::Backstage {
        return;
    }
    let Some(previous) = previous else {
        sayln!("first import: nothing to compare with");
        return;
    };
    let before: HashMap<&str, &ItemDoc> = previous.items.iter().map(|i| (i.id.value.as_str(), i)).collect();
    let now: BTreeSet<&str> = doc.items.iter().map(|i| i.id.value.as_str()).collect();
    let mut added = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    for item in &doc.items {
        let Some(old) = before.get(item.id.value.as_str()) else {
            added.push(item.id.value.clone());
            continue;
        };
        let mut what = Vec::new();
        let status = |i: &ItemDoc| i.status.as_ref().map_or("not_started", |s| s.value.as_str());
        if status(old) != status(item) {
            what.push(format!("{} → {}", status(old), status(item)));
        }
        if old.title.value != item.title.value {
            what.push("title".to_owned());
        }
        if old.estimate.as_ref().map(|e| e.value) != item.estimate.as_ref().map(|e| e.value) {
            what.push("estimate".to_owned());
        }
        if old.owner.as_ref().map(|o| &o.value) != item.owner.as_ref().map(|o| &o.value) {
            what.push("assignee".to_owned());
        }
        if old.depends.len() != item.depends.len() {
            what.push("links".to_owned());
        }
        if !what.is_empty() {
            changed.push(format!("{} ({})", item.id.value, what.join(", ")));
        }
    }
    let removed: Vec<String> =
        previous.items.iter().map(|i| i.id.value.clone()).filter(|k| !now.contains(k.as_str())).collect();
    if added.is_empty() && changed.is_empty() && removed.is_empty() {
        sayln!("since the last import: no item changed");
        return;
    }
    sayln!("since the last import: {} new, {} changed, {} gone", added.len(), changed.len(), removed.len());
    let limit = import::Summary::EXAMPLES;
    for (label, list) in [("new", &added), ("changed", &changed), ("gone", &removed)] {
        if !list.is_empty() {
            let first: Vec<String> = list.iter().take(limit).cloned().collect();
            sayln!("  {label}: {}", examples(&first, list.len()));
        }
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then
/// renamed over it, so an interrupted import leaves the last one intact.
fn write_file(path: &Path, contents: &str) -> Result<(), Error> {
    let failed = |source| Error::Write { path: path.to_owned(), source };
    let temporary = path.with_extension("yaml.partial");
    std::fs::write(&temporary, contents).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}
