//! `linchpin`: the command line. A thin shell: it parses arguments, loads
//! plans through `linchpin-plan`, runs the analyses of `linchpin-analysis`
//! and renders what they return.
//!
//! Exit codes: 0 success (for `check`: no errors), 1 problems found in the
//! plan, 2 the plan or arguments could not be read, or the plan cannot be
//! analysed.

/// `print!` that ends the program quietly when the reader has gone away
/// (`linchpin findings plan | head`), instead of panicking, and writes any
/// control character that reached it visibly (see [`text`]).
macro_rules! say {
    ($($arg:tt)*) => { $crate::emit(format_args!($($arg)*)) };
}

/// `println!`, likewise.
macro_rules! sayln {
    () => { $crate::emit(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::emit(format_args!("{}\n", format_args!($($arg)*))) };
}

mod commands;
mod diagnostics;
mod error;
mod input;
mod text;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than glibc's allocator: a large import or plan builds
/// and frees millions of small values, and glibc's consolidation of freed
/// chunks was a third of a 100,000-issue import (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use crate::error::Error;

/// Linchpin: the program plan as code, and the engine that reads it the way a
/// technical program manager would.
#[derive(Parser, Debug)]
#[command(name = "linchpin", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a plan and report every problem with its file, line and column.
    Check(commands::check::Args),
    /// Schedule a plan: dates, slack, the critical path, capacity, what-ifs.
    Schedule(commands::schedule::Args),
    /// Forecast milestone dates with Monte Carlo: P50/P80/P95, chance of the target, drivers.
    Forecast(commands::forecast::Args),
    /// Print today's planned dates as a `baseline` section to save beside the plan.
    Baseline(commands::baseline::Args),
    /// Coordination risks and schedule health: what to act on, and who to pull in.
    Findings(commands::findings::Args),
    /// The program's status for executives, engineers or one team, from the same numbers.
    Report(commands::report::Args),
    /// How a resume maps to the TPM role and real listings: strengths, gaps, evidence.
    Fit(commands::fit::Args),
    /// Import Jira (CSV, REST JSON), GitHub issues, MS Project XML or a Backstage catalog into a plan folder, as a sync.
    Import(commands::import::Args),
    /// Write the schedule as MS Project XML, Mermaid, Graphviz DOT, iCalendar or CSV.
    Export(commands::export::Args),
    /// Print the JSON Schema of the plan format, for editors.
    Schema,
    /// Write a commented starter plan.
    Init(commands::init::Args),
    /// Benchmark the scheduler against published instance sets.
    Bench(commands::bench::Args),
    /// Run the shared server: the JSON API on SQLite (default) or PostgreSQL.
    Serve(commands::serve::Args),
    /// Send a plan to the shared server, creating or updating its program.
    Push(commands::remote::PushArgs),
    /// Write a program on the shared server out as a plan folder.
    Pull(commands::remote::PullArgs),
    /// Administer the server's database directly: users.
    Admin(commands::admin::AdminArgs),
    /// A consistent copy of the server's SQLite database, while it runs.
    Backup(commands::admin::BackupArgs),
}

impl Command {
    /// Whether the command prints JSON, so a fatal error is JSON too.
    fn json(&self) -> bool {
        use commands::check::Format;
        match self {
            Command::Check(args) => args.format == Format::Json,
            Command::Schedule(args) => args.format == commands::schedule::Format::Json,
            Command::Forecast(args) => args.format == Format::Json,
            Command::Findings(args) => args.format == Format::Json,
            Command::Bench(args) => args.json(),
            Command::Fit(args) => args.format == commands::fit::Format::Json,
            Command::Schema => true,
            Command::Baseline(_)
            | Command::Init(_)
            | Command::Report(_)
            | Command::Export(_)
            | Command::Import(_)
            | Command::Serve(_)
            | Command::Push(_)
            | Command::Pull(_)
            | Command::Admin(_)
            | Command::Backup(_) => false,
        }
    }
}

/// How a command ended, mapped to the documented exit codes.
pub enum Outcome {
    Success,
    ProblemsFound,
}

/// Writes text to standard output, escaping what no terminal should obey
/// (see [`text::Escaping`]); see [`written`].
pub fn emit(args: std::fmt::Arguments) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut out = text::Escaping { inner: std::io::stdout().lock(), error: None };
    let result = match out.write_fmt(args) {
        Ok(()) => out.inner.flush(),
        Err(_) => Err(out.error.take().unwrap_or_else(|| std::io::Error::other("formatting failed"))),
    };
    written(result);
}

/// Writes `value` to standard output as pretty JSON and a newline, streamed:
/// a million-item schedule is hundreds of megabytes that need never sit in
/// memory whole.
pub fn emit_json(value: &impl serde::Serialize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    written(
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(|error| match error.io_error_kind() {
                Some(kind) => std::io::Error::from(kind),
                None => std::io::Error::other(error),
            })
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush()),
    );
}

/// Ends the process if writing the output failed. A closed pipe is the
/// reader saying it has seen enough: exit successfully. Any other failure to
/// write exits with 2.
pub fn written(result: std::io::Result<()>) {
    if let Err(error) = result {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {error}");
        std::process::exit(2);
    }
}

/// A fatal error as `--format json` readers get it, on standard output.
#[derive(serde::Serialize)]
struct JsonError {
    error: JsonErrorBody,
}

#[derive(serde::Serialize)]
struct JsonErrorBody {
    code: &'static str,
    message: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.json();
    let result = match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Schedule(args) => commands::schedule::run(args),
        Command::Forecast(args) => commands::forecast::run(args),
        Command::Baseline(args) => commands::baseline::run(args),
        Command::Findings(args) => commands::findings::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Fit(args) => commands::fit::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Schema => commands::schema::run(),
        Command::Init(args) => commands::init::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Push(args) => commands::remote::push(args),
        Command::Pull(args) => commands::remote::pull(args),
        Command::Admin(args) => commands::admin::admin(args),
        Command::Backup(args) => commands::admin::backup(args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ProblemsFound) => ExitCode::from(1),
        Err(error) => {
            if json {
                emit_json(&JsonError { error: JsonErrorBody { code: error.code(), message: error.chain() } });
            } else {
                eprintln!("error: {}", text::escape(&error.chain()));
            }
            ExitCode::from(2)
        }
    }
}
