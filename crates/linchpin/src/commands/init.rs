//! `linchpin init [PATH]`: a commented starter plan to edit.

use std::io::Write;
use std::path::PathBuf;

use crate::{Error, Outcome};

/// The starter plan; `linchpin check` passes on it (tested).
pub const STARTER_PLAN: &str = include_str!("starter.yaml");

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write the plan.
    #[arg(default_value = "plan.yaml")]
    pub path: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&args.path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists { path: args.path.clone() }
        } else {
            Error::Write { path: args.path.clone(), source: error }
        }
    })?;
    file.write_all(STARTER_PLAN.as_bytes()).map_err(|source| Error::Write { path: args.path.clone(), source })?;
    let path = crate::text::escape(&args.path.to_string_lossy()).into_owned();
    sayln!("wrote `{path}`; next: `linchpin check {path}`");
    Ok(Outcome::Success)
}
