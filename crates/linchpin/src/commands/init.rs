//! `linchpin init [PATH]`: a commented starter plan to edit.

use std::io::Write;
use std::path::PathBuf;

use crate::{Fatal, Outcome};

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

pub fn run(args: Args) -> Result<Outcome, Fatal> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&args.path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            Fatal(format!("`{}` already exists; pass `--force` to overwrite it", args.path.display()))
        } else {
            Fatal(format!("cannot write `{}`: {error}", args.path.display()))
        }
    })?;
    file.write_all(STARTER_PLAN.as_bytes())
        .map_err(|error| Fatal(format!("cannot write `{}`: {error}", args.path.display())))?;
    sayln!("wrote `{}`; next: `linchpin check {}`", args.path.display(), args.path.display());
    Ok(Outcome::Success)
}
