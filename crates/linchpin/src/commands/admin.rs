//! Commands run on the server's machine against its database directly:
//! `linchpin admin create-user` (the first administrator, or anyone when
//! the dashboard is not at hand) and `linchpin backup`.

use std::io::BufRead as _;
use std::path::PathBuf;

use linchpin_store::{Db, NewUser, Store};

use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct AdminArgs {
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum AdminCommand {
    /// Add a user. The password is read from LINCHPIN_PASSWORD or the first line of standard input.
    CreateUser {
        /// The name they sign in with: letters, digits, `.`, `_`, `-`.
        name: String,
        /// The name shown (default: the sign-in name).
        #[arg(long)]
        display_name: Option<String>,
        /// May administer the server: users, and every program.
        #[arg(long)]
        server_admin: bool,
        /// The server's database: a SQLite file or a `postgres://` address.
        #[arg(long, env = "LINCHPIN_DATABASE", hide_env_values = true, default_value = "linchpin.db")]
        database: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// The server's database: a SQLite file (PostgreSQL is backed up with `pg_dump`).
    #[arg(long, env = "LINCHPIN_DATABASE", hide_env_values = true, default_value = "linchpin.db")]
    pub database: String,
    /// The file to write the copy to; it must not exist.
    #[arg(long)]
    pub to: PathBuf,
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Server(format!("cannot start: {e}")))
}

pub fn admin(args: AdminArgs) -> Result<Outcome, Error> {
    match args.command {
        AdminCommand::CreateUser { name, display_name, server_admin, database } => {
            let name = linchpin_server::auth::check_user_name(&name).map_err(|e| Error::Server(e.to_string()))?;
            let password = match std::env::var("LINCHPIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password for `{name}` (one line):");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .take_line(&mut line)
                        .map_err(|source| Error::Read { path: "standard input".into(), source })?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            linchpin_server::auth::check_password_rules(&password).map_err(|e| Error::Server(e.to_string()))?;
            let password_hash =
                linchpin_server::auth::hash_password(&password).map_err(|e| Error::Server(e.to_string()))?;
            let display_name = display_name.unwrap_or_else(|| name.clone());
            runtime()?.block_on(async {
                let store = Db::open(&database).await.map_err(|e| Error::Server(e.to_string()))?;
                let user = store
                    .create_user("admin", NewUser { name: name.clone(), display_name, password_hash, server_admin })
                    .await
                    .map_err(|e| Error::Server(e.to_string()))?;
                sayln!(
                    "created user `{}`{}",
                    crate::text::escape(&user.name),
                    if server_admin { " (server administrator)" } else { "" }
                );
                Ok::<_, Error>(())
            })?;
            Ok(Outcome::Success)
        }
    }
}

pub fn backup(args: BackupArgs) -> Result<Outcome, Error> {
    if args.to.exists() {
        return Err(Error::Exists { path: args.to });
    }
    runtime()?.block_on(async {
        let store = Db::open(&args.database).await.map_err(|e| Error::Server(e.to_string()))?;
        store.backup(&args.to).await.map_err(|e| Error::Server(e.to_string()))
    })?;
    sayln!("backed up to `{}`", crate::text::escape(&args.to.to_string_lossy()));
    Ok(Outcome::Success)
}

/// Reads one line of at most 4 KiB.
trait TakeLine {
    fn take_line(&mut self, line: &mut String) -> std::io::Result<()>;
}

impl<R: std::io::BufRead> TakeLine for R {
    fn take_line(&mut self, line: &mut String) -> std::io::Result<()> {
        use std::io::Read as _;
        self.by_ref().take(4096).read_line(line).map(drop)
    }
}
