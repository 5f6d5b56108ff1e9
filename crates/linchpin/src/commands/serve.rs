//! `linchpin serve`: the shared server, on an embedded SQLite file by
//! default or PostgreSQL with `--database postgres://…`. Settings come
//! from the command line, then `LINCHPIN_…` variables, then the settings
//! file (`--config`), then the defaults. `--example` serves the example
//! program on a database of its own, with an administrator to sign in as.

use std::path::PathBuf;
use std::sync::Arc;

use linchpin_server::config::SecureCookies;
use linchpin_server::example;
use linchpin_server::{App, RawConfig};
use linchpin_store::Db;

use crate::{Error, Outcome};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The address and port to listen on.
    #[arg(long, env = "LINCHPIN_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// A SQLite file (default `linchpin.db`, created when missing) or a `postgres://` address.
    #[arg(long, env = "LINCHPIN_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// A TOML settings file; the command line and environment win over it.
    #[arg(long, env = "LINCHPIN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The largest plan upload, in MiB (1 to 256; default 20).
    #[arg(long, env = "LINCHPIN_PLAN_LIMIT_MB")]
    pub plan_limit_mb: Option<usize>,
    /// The longest one computation may run, in seconds (1 to 3600; default 60).
    #[arg(long, env = "LINCHPIN_COMPUTE_SECONDS")]
    pub compute_seconds: Option<u64>,
    /// Computations run at once (1 to 64; default one per core).
    #[arg(long, env = "LINCHPIN_WORKERS")]
    pub workers: Option<usize>,
    /// Minutes a session may sit unused (default 480).
    #[arg(long, env = "LINCHPIN_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<u64>,
    /// Hours a session lasts at most (default 168).
    #[arg(long, env = "LINCHPIN_SESSION_ABSOLUTE_HOURS")]
    pub session_absolute_hours: Option<u64>,
    /// Mark session cookies `Secure`: auto (over TLS, as a trusted proxy says), always or never.
    #[arg(long, env = "LINCHPIN_SECURE_COOKIES")]
    pub secure_cookies: Option<SecureCookies>,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (only behind a proxy that sets them).
    #[arg(long, env = "LINCHPIN_TRUST_PROXY")]
    pub trust_proxy: Option<bool>,
    /// The address users reach the server at, for the links it prints.
    #[arg(long, env = "LINCHPIN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Log lines as `text` (default) or `json`.
    #[arg(long, env = "LINCHPIN_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Serve the example program, with an administrator `admin` whose password is printed once;
    /// on `linchpin-example.db` unless `--database` names another.
    #[arg(long)]
    pub example: bool,
}

/// The database `--example` uses unless told otherwise: never a real `linchpin.db`.
pub const EXAMPLE_DATABASE: &str = "linchpin-example.db";

impl Args {
    fn raw(&self) -> RawConfig {
        RawConfig {
            listen: self.listen.clone(),
            database: self.database.clone(),
            plan_limit_mb: self.plan_limit_mb,
            compute_seconds: self.compute_seconds,
            workers: self.workers,
            session_idle_minutes: self.session_idle_minutes,
            session_absolute_hours: self.session_absolute_hours,
            secure_cookies: self.secure_cookies,
            trust_proxy: self.trust_proxy,
            public_url: self.public_url.clone(),
            log_format: self.log_format.clone(),
        }
    }
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let file = match &args.config {
        Some(path) => RawConfig::from_file(path).map_err(|e| Error::Server(e.to_string()))?,
        None => RawConfig::default(),
    };
    let mut raw = args.raw();
    if args.example && raw.database.is_none() {
        raw.database = Some(EXAMPLE_DATABASE.to_owned());
    }
    let config = raw.or(file).resolve().map_err(|e| Error::Server(e.to_string()))?;
    linchpin_server::init_logs(config.json_logs);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Server(format!("cannot start the server's threads: {e}")))?;
    runtime.block_on(async move {
        let store = Db::open(&config.database).await.map_err(|e| Error::Server(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| Error::Server(format!("cannot listen on {}: {e}", config.listen)))?;
        let address = listener.local_addr().map_err(|e| Error::Server(e.to_string()))?;
        let app = Arc::new(App::new(store, config));
        // Seeded before the setup code is asked for: the example has its administrator.
        let example = if args.example { Some(seed_example(&app).await?) } else { None };
        eprintln!(
            "Linchpin is serving on http://{address} ({} database {})",
            app.store.backend(),
            linchpin_server::config::redacted(&app.config.database)
        );
        if let Some(code) = linchpin_server::api::accounts::setup_code(&app).await.map_err(|e| Error::Server(e.to_string()))? {
            eprintln!(
                "No one can sign in yet. Create the first administrator within a day at\n  {}/setup?code={code}\nor run `linchpin admin create-user NAME --server-admin --database …`.",
                app.config.public_url
            );
        }
        if let Some((program, admin)) = example {
            // The public address when one is set, else the one listened on (the port `:0` picked).
            let base = if app.config.public_url == format!("http://{}", app.config.listen) {
                format!("http://{address}")
            } else {
                app.config.public_url.clone()
            };
            say_example(&base, &linchpin_server::config::redacted(&app.config.database), program, &admin);
        }
        linchpin_server::serve(app, listener, linchpin_server::shutdown_signal())
            .await
            .map_err(|e| Error::Server(format!("the server stopped: {e}")))
    })?;
    Ok(Outcome::Success)
}

async fn seed_example(app: &App) -> Result<(example::Program, example::Admin), Error> {
    let program = example::load_program(&app.store).await.map_err(|e| Error::Server(e.to_string()))?;
    let admin = example::ensure_admin(&app.store).await.map_err(|e| Error::Server(e.to_string()))?;
    Ok((program, admin))
}

/// How to sign in to the example, on standard output (the password only
/// the time it is made: it is stored only as a hash).
fn say_example(base: &str, database: &str, program: example::Program, admin: &example::Admin) {
    let file = !database.starts_with("postgres://") && !database.starts_with("postgresql://");
    match program {
        example::Program::Loaded { .. } => {
            sayln!("Loaded the example program as `{}` into {database}.", example::PROGRAM);
        }
        example::Program::AlreadyThere { version } => {
            sayln!("The program `{}` is already in {database} (version {version}): kept as it is.", example::PROGRAM);
        }
    }
    sayln!("Open {base}/sign-in and sign in as:");
    sayln!("  user:     {}", example::ADMIN);
    match admin {
        example::Admin::Created { password } => {
            sayln!("  password: {password}");
            sayln!("The password is shown only this once; this database keeps only its hash.");
        }
        example::Admin::Existed { server_admin } => {
            sayln!(
                "  password: the one printed when `{}` was made in this database (it is not kept, so it cannot be shown again).",
                example::ADMIN
            );
            if !server_admin {
                sayln!("Note: `{}` is not a server administrator in this database.", example::ADMIN);
            }
            if file {
                sayln!(
                    "To start afresh with a new password, stop the server, delete {database} and run `linchpin serve --example` again."
                );
            }
            sayln!(
                "Or add another administrator: `linchpin admin create-user NAME --server-admin --database {database}`."
            );
        }
    }
    sayln!("Then open {base}/p/{} for the program's page. Ctrl-C stops the server.", example::PROGRAM);
}
