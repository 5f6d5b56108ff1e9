//! `linchpin report PLAN --audience executive|engineering|team`: the
//! program's status for one reader, from the same schedule, forecast and
//! findings the other commands print.

use std::path::PathBuf;

use linchpin_analysis::RawSettings;
use linchpin_analysis::run::{Findings, plan_findings};
use linchpin_engine::progress::Quiet;
use linchpin_model::doc::PlanDoc;
use linchpin_report::since::Version;
use linchpin_report::{Audience, Facts};

use crate::input::{ForecastArgs, PlanArgs, ScheduleArgs};
use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Who the report is for: `executive` unless `--team` names a team.
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// The team, for `--audience team` (which it implies).
    #[arg(long, value_name = "ID")]
    pub team: Option<String>,
    /// Markdown that renders on GitHub (with `-o DIR/report.md`, its charts
    /// as `DIR/report-N.svg` beside it), or one self-contained HTML page.
    /// Without it, `-o`'s extension (`.md`, `.html`, `.pdf`) says, else md.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// What changed since an earlier plan: a git revision of the plan's
    /// repository (`HEAD~1`, a tag, a date's commit) or the path of an
    /// older copy; each milestone's move is shared among the changes.
    #[arg(long, value_name = "REV|PATH")]
    pub since: Option<String>,
    #[command(flatten)]
    pub scheduling: ScheduleArgs,
    #[command(flatten)]
    pub forecasting: ForecastArgs,
    /// The paper the HTML and PDF print on (default: the browser's, Letter
    /// for Chromium's PDF).
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// How durations are drawn from three-point estimates, as for
    /// `linchpin forecast`.
    #[arg(long, value_enum, default_value = "pert")]
    pub distribution: crate::commands::forecast::DistributionArg,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudienceArg {
    Executive,
    Engineering,
    Team,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Md,
    Html,
    /// Printed from the HTML by headless Chromium (Debian's `chromium`); needs `-o FILE`.
    Pdf,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some((program, docs)) = args.plan.program_and_docs()? else { return Ok(Outcome::ProblemsFound) };
    let format = match (args.format, args.output.as_deref().and_then(|p| p.extension())) {
        (Some(format), _) => format,
        (None, Some(ext)) if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") => FormatArg::Html,
        (None, Some(ext)) if ext.eq_ignore_ascii_case("pdf") => FormatArg::Pdf,
        _ => FormatArg::Md,
    };
    if let Some(dir) = args.output.as_deref().and_then(|p| p.parent()).filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(Error::NoOutputFolder { path: crate::text::escape(&dir.to_string_lossy()).into_owned() });
    }
    let chosen = args.audience.unwrap_or(if args.team.is_some() { AudienceArg::Team } else { AudienceArg::Executive });
    let audience = match (chosen, &args.team) {
        (AudienceArg::Executive | AudienceArg::Engineering, Some(_)) => return Err(Error::TeamWithoutTeamAudience),
        (AudienceArg::Executive, None) => Audience::Executive,
        (AudienceArg::Engineering, None) => Audience::Engineering,
        (AudienceArg::Team, None) => return Err(Error::TeamNeeded),
        (AudienceArg::Team, Some(key)) => {
            let keys = program.keys();
            let team = keys.teams.get(key.as_str()).copied().ok_or_else(|| Error::UnknownTeam {
                key: crate::text::id(key).into_owned(),
                suggestion: linchpin_model::diagnostic::did_you_mean(key, keys.teams.keys().map(String::as_str))
                    .map(str::to_owned),
            })?;
            Audience::Team(team)
        }
    };
    let distribution = match args.distribution {
        crate::commands::forecast::DistributionArg::Pert => linchpin_engine::forecast::Distribution::Pert,
        crate::commands::forecast::DistributionArg::Triangular => linchpin_engine::forecast::Distribution::Triangular,
    };
    let raw = RawSettings {
        forecast: Some(true),
        distribution: Some(distribution),
        ..args.scheduling.raw().or(args.forecasting.raw())
    };
    let settings = raw.resolve(program.items().len()).map_err(linchpin_analysis::AnalysisError::from)?;
    let findings = plan_findings(&program, &settings, &Quiet)?;
    let Findings { roadmap, forecast, report, .. } = &findings;
    let Some(forecast) = forecast else { unreachable!("the forecast was asked for") };
    let (since, trend) = match &args.since {
        Some(spec) => {
            let (old, old_docs) = earlier_plan(&args.plan, spec)?;
            let effort = settings.schedule.effort;
            let then = Version { program: &old, docs: &old_docs };
            let now = Version { program: &program, docs: &docs };
            let since = linchpin_report::since::since(spec, then, now, roadmap, effort, settings.forecast);
            let trend = trend(&args.plan, spec, &old, (&program, forecast), &settings.forecast);
            (Some(since), trend)
        }
        None => (None, Vec::new()),
    };
    let facts = Facts {
        program: &program,
        roadmap,
        forecast,
        options: settings.forecast,
        findings: report,
        since: since.as_ref(),
        trend: &trend,
    };
    let document = linchpin_report::register::report(&facts, audience);
    let paper = args.paper.map(|p| match p {
        PaperArg::A4 => linchpin_report::document::Paper::A4,
        PaperArg::Letter => linchpin_report::document::Paper::Letter,
    });
    let write = |path: &std::path::Path, text: &str| {
        std::fs::write(path, text).map_err(|source| Error::Write { path: path.to_owned(), source })
    };
    match (format, &args.output) {
        (FormatArg::Html, Some(path)) => write(path, &document.to_html_on(paper))?,
        (FormatArg::Html, None) => say!("{}", document.to_html_on(paper)),
        // Markdown refers to its charts as files beside it; on standard
        // output it has their tables alone.
        (FormatArg::Md, Some(path)) => {
            let stem = path.file_stem().map_or("report".into(), |s| s.to_string_lossy().into_owned());
            let mut names = Vec::new();
            for (i, svg) in document.charts().enumerate() {
                let name = format!("{stem}-{}.svg", i + 1);
                write(&path.with_file_name(&name), svg)?;
                names.push(name);
            }
            write(path, &document.to_markdown(&names))?;
        }
        (FormatArg::Md, None) => say!("{}", document.to_markdown(&[])),
        (FormatArg::Pdf, None) => return Err(Error::PdfNeedsOutput),
        (FormatArg::Pdf, Some(path)) => print_pdf(&document.to_html_on(paper), path)?,
    }
    Ok(Outcome::Success)
}

/// The plan as it was: an older copy at `spec` if that path exists, or
/// else the plan's own files at git revision `spec`, read through git.
fn earlier_plan(plan: &PlanArgs, spec: &str) -> Result<(linchpin_model::Program, Vec<PlanDoc>), Error> {
    let path = std::path::Path::new(spec);
    let loaded = if path.exists() {
        let options = linchpin_plan::LoadOptions { csv_start: plan.start };
        linchpin_plan::load_path(path, &options)?
    } else {
        linchpin_plan::load_yaml_bytes(files_at_revision(&plan.plan, spec)?)
    };
    if loaded.has_errors() {
        crate::diagnostics::print(&loaded.sources, &loaded.diagnostics);
        return Err(Error::EarlierPlan { spec: crate::text::escape(spec).into_owned() });
    }
    loaded.into_program_and_docs().ok_or_else(|| Error::EarlierPlan { spec: crate::text::escape(spec).into_owned() })
}

/// The most versions the milestone trend forecasts.
const MOST_VERSIONS: usize = 12;

/// The plan's versions from `spec` to now, oldest first, each with its
/// milestones' P50 and P80: the commits that changed the plan since the
/// revision `spec` (at most 12, evenly spread, the first and last kept), or
/// the older copy at path `spec`, then the plan as it is.
fn trend(
    plan: &PlanArgs,
    spec: &str,
    old: &linchpin_model::Program,
    (program, now): (&linchpin_model::Program, &linchpin_engine::forecast::Forecast),
    options: &linchpin_engine::forecast::ForecastOptions,
) -> Vec<linchpin_report::charts::Version> {
    let of = |program: &linchpin_model::Program, forecast: &linchpin_engine::forecast::Forecast, label: String| {
        let milestones = program
            .milestones()
            .iter()
            .zip(forecast.milestones())
            .map(|(m, t)| (m.key.clone(), t.p50_date, t.p80_date))
            .collect();
        linchpin_report::charts::Version { label, milestones }
    };
    let forecast = |program: &linchpin_model::Program| {
        linchpin_engine::forecast::forecast(program, *options, &linchpin_engine::progress::Quiet).ok()
    };
    let mut versions = Vec::new();
    if std::path::Path::new(spec).exists() {
        if let Some(f) = forecast(old) {
            versions.push(of(old, &f, "then".to_owned()));
        }
    } else if let Ok(commits) = commits_since(&plan.plan, spec) {
        for (hash, date) in commits {
            let Ok(files) = files_at_revision(&plan.plan, &hash) else { continue };
            let Some(program) = linchpin_plan::load_yaml_bytes(files).into_program() else { continue };
            if let Some(f) = forecast(&program) {
                versions.push(of(&program, &f, format!("{} {date}", &hash[..hash.len().min(7)])));
            }
        }
    }
    versions.push(of(program, now, "now".to_owned()));
    versions
}

/// `spec` and the commits after it that changed the plan, oldest first,
/// as (hash, commit date), at most [`MOST_VERSIONS`] less one.
fn commits_since(plan: &std::path::Path, spec: &str) -> Result<Vec<(String, String)>, Error> {
    let (dir, relative) = repository_path(plan, spec)?;
    let first = git_output(&dir, spec, &["log", "-1", "--format=%H %cs", spec])?;
    let range = format!("{spec}..HEAD");
    let later =
        git_output(&dir, spec, &["log", "--reverse", "--format=%H %cs", &range, "--", &format!(":/{relative}")])?;
    let mut all: Vec<(String, String)> = String::from_utf8_lossy(&first)
        .lines()
        .chain(String::from_utf8_lossy(&later).lines())
        .filter_map(|l| l.split_once(' ').map(|(h, d)| (h.to_owned(), d.to_owned())))
        .collect();
    let most = MOST_VERSIONS - 1;
    if all.len() > most {
        let n = all.len();
        let picks: Vec<usize> = (0..most).map(|i| i * (n - 1) / (most - 1)).collect();
        all = picks.into_iter().map(|i| all[i].clone()).collect();
    }
    Ok(all)
}

/// The folder git runs in for the plan at `plan`, and the plan's path
/// from the repository's root.
fn repository_path(plan: &std::path::Path, revision: &str) -> Result<(PathBuf, String), Error> {
    let not_git = |why: String| Error::Revision { revision: crate::text::escape(revision).into_owned(), why };
    if revision.starts_with('-') || revision.contains(char::is_whitespace) {
        return Err(not_git("not a revision".into()));
    }
    let absolute = std::path::absolute(plan).map_err(|e| not_git(e.to_string()))?;
    let dir =
        if absolute.is_dir() { absolute.clone() } else { absolute.parent().map(PathBuf::from).unwrap_or_default() };
    let root =
        String::from_utf8_lossy(&git_output(&dir, revision, &["rev-parse", "--show-toplevel"])?).trim().to_owned();
    let relative = absolute.strip_prefix(&root).map_err(|_| not_git("the plan is not inside its repository".into()))?;
    Ok((dir, relative.to_string_lossy().replace('\\', "/")))
}

/// What `git -C dir ARGS` prints, or why it could not.
fn git_output(dir: &std::path::Path, revision: &str, args: &[&str]) -> Result<Vec<u8>, Error> {
    let not_git = |why: String| Error::Revision { revision: crate::text::escape(revision).into_owned(), why };
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| not_git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr).lines().next().unwrap_or("git failed").to_owned();
        return Err(not_git(crate::text::escape(&why).into_owned()));
    }
    Ok(output.stdout)
}

/// The most bytes of YAML read from one revision (as from a folder on disk).
const MOST_REVISION_BYTES: u64 = 16 << 20;

/// The YAML files of the plan at `plan` (a file or a folder) as they were
/// at `revision`, read with `git show` from the repository the plan is in.
fn files_at_revision(plan: &std::path::Path, revision: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    let not_git = |why: String| Error::Revision { revision: crate::text::escape(revision).into_owned(), why };
    let (dir, relative) = repository_path(plan, revision)?;
    let git = |args: &[&str]| git_output(&dir, revision, args);
    let listing =
        git(&["ls-tree", "-r", "-z", "--name-only", "--full-name", revision, "--", &format!(":/{relative}")])?;
    let mut files = Vec::new();
    let mut total = 0u64;
    for name in listing.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let object = format!("{revision}:{name}");
        let size: u64 = String::from_utf8_lossy(&git(&["cat-file", "-s", &object])?).trim().parse().unwrap_or(u64::MAX);
        total = total.saturating_add(size);
        if total > MOST_REVISION_BYTES {
            return Err(not_git(format!("the plan's files at it are more than {} MiB", MOST_REVISION_BYTES >> 20)));
        }
        files.push((PathBuf::from(format!("{revision}:{name}")), git(&["cat-file", "blob", &object])?));
    }
    if files.is_empty() {
        return Err(not_git(format!("no plan files under `{relative}` at it")));
    }
    files.sort();
    Ok(files)
}

/// The browsers that can print a page to PDF, first found first.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Prints `html` to a PDF at `path` with headless Chromium: the page is
/// written to a private temporary folder and printed from there, with the
/// network off (the page refers to nothing outside itself).
fn print_pdf(html: &str, path: &std::path::Path) -> Result<(), Error> {
    let browser = std::env::var_os("LINCHPIN_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| BROWSERS.iter().find_map(|b| which(b)))
        .ok_or(Error::NoBrowser)?;
    let dir = std::env::temp_dir().join(format!("linchpin-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    let page = dir.join("report.html");
    std::fs::write(&page, html).map_err(|source| Error::Write { path: page.clone(), source })?;
    let absolute = std::path::absolute(path).map_err(|source| Error::Write { path: path.to_owned(), source })?;
    let status = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", absolute.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let _ = std::fs::remove_dir_all(&dir);
    match status {
        Ok(s) if s.success() && absolute.exists() => Ok(()),
        Ok(_) | Err(_) => Err(Error::Browser { browser }),
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|dir| dir.join(name)).find(|p| p.is_file())
}
