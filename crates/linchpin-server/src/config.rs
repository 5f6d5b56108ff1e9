//! The server's settings: from the command line, the environment
//! (`LINCHPIN_…`) and an optional TOML file, in that precedence (the CLI
//! fills [`RawConfig`]s in that order and merges them with
//! [`RawConfig::or`]); every value held to a documented bound. The
//! database address may carry a password, so `Debug` shows it redacted.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "linchpin.db";
/// JSON bodies other than plan uploads.
pub const JSON_LIMIT: usize = 2 * 1024 * 1024;
pub const DEFAULT_PLAN_LIMIT_MB: usize = 20;
/// Plan uploads are resolved in memory: past this no plan is reasonable.
pub const MAX_PLAN_LIMIT_MB: usize = 256;
pub const DEFAULT_COMPUTE_SECONDS: u64 = 60;
pub const MAX_COMPUTE_SECONDS: u64 = 3600;
pub const MAX_WORKERS: usize = 64;
pub const DEFAULT_IDLE_MINUTES: u64 = 8 * 60;
pub const DEFAULT_ABSOLUTE_HOURS: u64 = 7 * 24;

/// Whether session cookies are marked `Secure`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecureCookies {
    /// When the request came over TLS, as a trusted proxy's
    /// `X-Forwarded-Proto: https` says (the server itself speaks HTTP).
    #[default]
    Auto,
    Always,
    Never,
}

impl std::str::FromStr for SecureCookies {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(SecureCookies::Auto),
            "always" => Ok(SecureCookies::Always),
            "never" => Ok(SecureCookies::Never),
            other => Err(format!("`{other}` is not auto, always or never")),
        }
    }
}

/// Settings as given, each optional; also the shape of the TOML file.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    pub listen: Option<String>,
    pub database: Option<String>,
    pub plan_limit_mb: Option<usize>,
    pub compute_seconds: Option<u64>,
    pub workers: Option<usize>,
    pub session_idle_minutes: Option<u64>,
    pub session_absolute_hours: Option<u64>,
    pub secure_cookies: Option<SecureCookies>,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (behind a proxy).
    pub trust_proxy: Option<bool>,
    /// The address users reach the server at, for the links it prints.
    pub public_url: Option<String>,
    /// `text` or `json` log lines.
    pub log_format: Option<String>,
}

impl std::fmt::Debug for RawConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawConfig")
            .field("listen", &self.listen)
            .field("database", &self.database.as_deref().map(redacted))
            .field("plan_limit_mb", &self.plan_limit_mb)
            .field("compute_seconds", &self.compute_seconds)
            .field("workers", &self.workers)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the settings file {path} is not valid: {message}")]
    File { path: String, message: String },
    #[error("`{name}` must be from {least} to {most}, not {value}")]
    OutOfRange { name: &'static str, value: u64, least: u64, most: u64 },
    #[error("`listen` is not an address and port like 127.0.0.1:8080: `{0}`")]
    Listen(String),
    #[error("`log-format` must be text or json, not `{0}`")]
    LogFormat(String),
}

impl RawConfig {
    /// The TOML settings file at `path` (at most 1 MiB).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        if meta.len() > 1024 * 1024 {
            return Err(ConfigError::File { path: shown, message: "it is larger than 1 MiB".into() });
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        toml::from_str(&text).map_err(|e| ConfigError::File { path: shown, message: e.message().to_owned() })
    }

    /// Every setting of `self`, and where `self` has none, of `fallback`.
    pub fn or(self, fallback: RawConfig) -> RawConfig {
        RawConfig {
            listen: self.listen.or(fallback.listen),
            database: self.database.or(fallback.database),
            plan_limit_mb: self.plan_limit_mb.or(fallback.plan_limit_mb),
            compute_seconds: self.compute_seconds.or(fallback.compute_seconds),
            workers: self.workers.or(fallback.workers),
            session_idle_minutes: self.session_idle_minutes.or(fallback.session_idle_minutes),
            session_absolute_hours: self.session_absolute_hours.or(fallback.session_absolute_hours),
            secure_cookies: self.secure_cookies.or(fallback.secure_cookies),
            trust_proxy: self.trust_proxy.or(fallback.trust_proxy),
            public_url: self.public_url.or(fallback.public_url),
            log_format: self.log_format.or(fallback.log_format),
        }
    }

    pub fn resolve(self) -> Result<Config, ConfigError> {
        let listen_text = self.listen.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let listen: SocketAddr = listen_text.parse().map_err(|_| ConfigError::Listen(listen_text.clone()))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let plan_limit_mb = bounded(
            "plan-limit-mb",
            self.plan_limit_mb.unwrap_or(DEFAULT_PLAN_LIMIT_MB) as u64,
            1,
            MAX_PLAN_LIMIT_MB as u64,
        )?;
        let compute = bounded(
            "compute-seconds",
            self.compute_seconds.unwrap_or(DEFAULT_COMPUTE_SECONDS),
            1,
            MAX_COMPUTE_SECONDS,
        )?;
        let workers = bounded("workers", self.workers.unwrap_or(cores) as u64, 1, MAX_WORKERS as u64)?;
        let idle = bounded(
            "session-idle-minutes",
            self.session_idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES),
            1,
            30 * 24 * 60,
        )?;
        let absolute = bounded(
            "session-absolute-hours",
            self.session_absolute_hours.unwrap_or(DEFAULT_ABSOLUTE_HOURS),
            1,
            90 * 24,
        )?;
        let json_logs = match self.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => return Err(ConfigError::LogFormat(other.to_owned())),
        };
        let public_url = self.public_url.unwrap_or_else(|| format!("http://{listen}"));
        Ok(Config {
            listen,
            database: self.database.unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
            json_limit: JSON_LIMIT,
            plan_limit: plan_limit_mb as usize * 1024 * 1024,
            compute_limit: Duration::from_secs(compute),
            workers: workers as usize,
            session_idle: Duration::from_secs(idle * 60),
            session_absolute: Duration::from_secs(absolute * 3600),
            secure_cookies: self.secure_cookies.unwrap_or_default(),
            trust_proxy: self.trust_proxy.unwrap_or(false),
            public_url: public_url.trim_end_matches('/').to_owned(),
            json_logs,
        })
    }
}

fn bounded(name: &'static str, value: u64, least: u64, most: u64) -> Result<u64, ConfigError> {
    if (least..=most).contains(&value) { Ok(value) } else { Err(ConfigError::OutOfRange { name, value, least, most }) }
}

/// The settings, complete and checked.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// A SQLite path, or a `postgres://` address (which may hold a password).
    pub database: String,
    pub json_limit: usize,
    pub plan_limit: usize,
    /// The longest one computation (a forecast, findings) may run.
    pub compute_limit: Duration,
    /// Computations run at once; more wait their turn.
    pub workers: usize,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub secure_cookies: SecureCookies,
    pub trust_proxy: bool,
    pub public_url: String,
    pub json_logs: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database", &redacted(&self.database))
            .field("plan_limit", &self.plan_limit)
            .field("compute_limit", &self.compute_limit)
            .field("workers", &self.workers)
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// A database address with any password replaced by `***`.
pub fn redacted(database: &str) -> String {
    let Some((scheme, rest)) = database.split_once("://") else { return database.to_owned() };
    let (authority, tail) = rest.split_once('/').map_or((rest, None), |(a, t)| (a, Some(t)));
    let authority = match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{credentials}@{host}"),
        },
        None => authority.to_owned(),
    };
    // A password can also come as a query parameter.
    let tail = tail.map(|t| match t.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => t.to_owned(),
    });
    match tail {
        Some(tail) => format!("{scheme}://{authority}/{tail}"),
        None => format!("{scheme}://{authority}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(redacted("postgres://bob:hunter2@db:5432/linchpin"), "postgres://bob:***@db:5432/linchpin");
        assert_eq!(redacted("postgres://db/x?user=a&password=hunter2"), "postgres://db/x?user=a&password=***");
        assert_eq!(redacted("linchpin.db"), "linchpin.db");
        let raw = RawConfig { database: Some("postgres://bob:hunter2@db/x".into()), ..RawConfig::default() };
        assert!(!format!("{raw:?}").contains("hunter2"));
        assert!(!format!("{:?}", raw.resolve().expect("valid")).contains("hunter2"));
    }

    #[test]
    fn the_command_line_wins_and_bounds_hold() {
        let cli = RawConfig { workers: Some(3), ..RawConfig::default() };
        let env = RawConfig { workers: Some(5), compute_seconds: Some(9), ..RawConfig::default() };
        let config = cli.or(env).resolve().expect("valid");
        assert_eq!((config.workers, config.compute_limit), (3, Duration::from_secs(9)));
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        let err = RawConfig { plan_limit_mb: Some(100_000), ..RawConfig::default() }.resolve().err();
        assert!(err.is_some_and(|e| e.to_string().contains("plan-limit-mb")));
    }

    #[test]
    fn the_file_rejects_unknown_settings() {
        assert!(toml::from_str::<RawConfig>("listen = \"0.0.0.0:80\"\nworkers = 2").is_ok());
        let err = toml::from_str::<RawConfig>("wrokers = 2").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("wrokers"), "{err}");
    }
}
