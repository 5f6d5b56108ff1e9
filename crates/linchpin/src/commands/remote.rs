//! `linchpin push` and `linchpin pull`: a plan folder to and from the
//! shared server. The API token comes from `LINCHPIN_TOKEN` or the
//! credentials file, never from a flag that lands in shell history. A
//! pulled or pushed folder remembers the server, program and version in
//! `.linchpin-server.json`, so the next push is refused when someone
//! changed the program on the server since (unless `--force`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{Error, Outcome};

/// Where a folder remembers what it was pulled from or pushed to.
pub const STATE_FILE: &str = ".linchpin-server.json";
/// The most a server's answer may be: a plan folder of the largest plan.
const ANSWER_LIMIT: u64 = 300 * 1024 * 1024;

#[derive(clap::Args, Debug)]
pub struct PushArgs {
    /// The plan: a YAML file or a folder of them.
    pub plan: PathBuf,
    /// The server, e.g. `https://linchpin.example.com` (default: where the folder was pulled from).
    #[arg(long, env = "LINCHPIN_SERVER")]
    pub server: Option<String>,
    /// The program's key on the server (default: the one it was pulled as, or the folder's name).
    #[arg(long)]
    pub program: Option<String>,
    /// Replace the program even when it changed on the server since it was pulled.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct PullArgs {
    /// The program's key on the server.
    pub program: String,
    /// The server, e.g. `https://linchpin.example.com`.
    #[arg(long, env = "LINCHPIN_SERVER")]
    pub server: String,
    /// The folder to write the plan into (created when missing).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Write into a folder that holds files not pulled from this program.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    server: String,
    program: String,
    version: i64,
    /// The files the last pull wrote, so the next one can remove those gone.
    #[serde(default)]
    files: Vec<String>,
}

fn read_state(folder: &Path) -> Option<State> {
    let text = std::fs::read_to_string(folder.join(STATE_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_state(folder: &Path, state: &State) -> Result<(), Error> {
    let path = folder.join(STATE_FILE);
    let text = serde_json::to_string_pretty(state).map_err(|e| Error::Server(e.to_string()))?;
    std::fs::write(&path, text + "\n").map_err(|source| Error::Write { path, source })
}

/// The API token for `server`: `LINCHPIN_TOKEN`, or the credentials file
/// (`LINCHPIN_CREDENTIALS`, else `~/.config/linchpin/credentials.toml`)
/// with a `[servers."URL"]` table holding `token`.
fn token(server: &str) -> Result<String, Error> {
    if let Ok(token) = std::env::var("LINCHPIN_TOKEN")
        && !token.trim().is_empty()
    {
        return Ok(token.trim().to_owned());
    }
    let path = match std::env::var_os("LINCHPIN_CREDENTIALS") {
        Some(path) => PathBuf::from(path),
        None => {
            let base = std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
                .unwrap_or_default();
            base.join("linchpin").join("credentials.toml")
        }
    };
    let missing = || Error::NoToken { server: server.to_owned(), file: path.clone() };
    let text = std::fs::read_to_string(&path).map_err(|_| missing())?;
    let file: toml::Table =
        toml::from_str(&text).map_err(|e| Error::Server(format!("`{}`: {}", path.display(), e.message())))?;
    file.get("servers")
        .and_then(|s| s.get(server.trim_end_matches('/')))
        .and_then(|s| s.get("token"))
        .and_then(|t| t.as_str())
        .map(str::to_owned)
        .ok_or_else(missing)
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
}

/// An answer: its status and JSON body.
struct Answer {
    status: u16,
    body: Value,
}

impl Client {
    fn new(server: &str) -> Result<Self, Error> {
        let base = server.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::Server(format!("`{base}` is not a server address; it starts with http:// or https://")));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(600)))
            .build()
            .into();
        Ok(Client { agent, token: token(&base)?, base })
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Answer, Error> {
        let url = format!("{}{path}", self.base);
        let auth = format!("Bearer {}", self.token);
        let unreachable = |e: ureq::Error| Error::Server(format!("cannot reach {}: {e}", self.base));
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            ("POST", Some(b)) => self.agent.post(&url).header("Authorization", &auth).send_json(b),
            ("PUT", Some(b)) => self.agent.put(&url).header("Authorization", &auth).send_json(b),
            _ => return Err(Error::Server(format!("no {method} request without a body"))),
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let mut response = response;
        let text = response.body_mut().with_config().limit(ANSWER_LIMIT).read_to_string().map_err(unreachable)?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Answer { status, body })
    }
}

/// The server's refusal, said plainly. The plan's problems and what
/// changed on the server, when it sent them, go to standard error first,
/// a line each: the error line that follows is escaped as one line, which
/// would show their line breaks as `\n`.
fn refused(answer: &Answer) -> Error {
    let error = &answer.body["error"];
    let text = |value: &Value| crate::text::escape(value.as_str().unwrap_or("")).into_owned();
    for p in error["problems"].as_array().into_iter().flatten() {
        let help = p["help"].as_str().map_or(String::new(), |_| format!("; {}", text(&p["help"])));
        let severity = p["severity"].as_str().map_or_else(|| "error".to_owned(), |_| text(&p["severity"]));
        eprintln!("  {severity}: {} ({}){help}", text(&p["message"]), text(&p["field"]));
    }
    let changes = error["changes"].as_array().map_or(&[][..], Vec::as_slice);
    if !changes.is_empty() {
        eprintln!("changed on the server since:");
        for c in changes {
            eprintln!(
                "  v{} {} {} {} `{}` by {}",
                c["program_version"],
                text(&c["at"]),
                text(&c["action"]),
                text(&c["kind"]),
                text(&c["key"]),
                text(&c["actor"]),
            );
        }
    }
    let message = error["message"].as_str().unwrap_or("the server refused the request");
    Error::Refused { status: answer.status, message: message.to_owned() }
}

/// A program key made from a folder name: `Platform Migration` → `platform-migration`.
fn key_from(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('-') && !key.is_empty() {
            key.push('-');
        }
    }
    key.trim_end_matches('-').chars().take(64).collect()
}

pub fn push(args: PushArgs) -> Result<Outcome, Error> {
    // Checked exactly as `linchpin check` checks it.
    let plan = linchpin_plan::load_path(&args.plan, &linchpin_plan::LoadOptions::default())?;
    crate::diagnostics::print(&plan.sources, &plan.diagnostics);
    if plan.has_errors() {
        eprintln!("not pushed: the plan has errors");
        return Ok(Outcome::ProblemsFound);
    }
    let folder =
        if args.plan.is_dir() { args.plan.clone() } else { args.plan.parent().map(Path::to_owned).unwrap_or_default() };
    let state = read_state(&folder);
    let server = args
        .server
        .or_else(|| state.as_ref().map(|s| s.server.clone()))
        .ok_or_else(|| Error::Server("which server? pass `--server URL` or set LINCHPIN_SERVER".into()))?;
    let name = args.plan.canonicalize().ok().and_then(|p| p.file_stem().map(|n| n.to_string_lossy().into_owned()));
    let program = args
        .program
        .or_else(|| state.as_ref().map(|s| s.program.clone()))
        .unwrap_or_else(|| key_from(name.as_deref().unwrap_or("plan")));
    let files: Vec<Value> = linchpin_plan::yaml_files(&args.plan)?
        .into_iter()
        .map(|(path, bytes)| {
            let relative = path.strip_prefix(&folder).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            json!({"path": relative, "text": String::from_utf8_lossy(&bytes)})
        })
        .collect();
    let client = Client::new(&server)?;
    let existing = client.call("GET", &format!("/api/v1/programs/{program}"), None)?;
    let answer = match existing.status {
        404 => client.call("POST", "/api/v1/programs", Some(&json!({"key": program, "files": files})))?,
        200 => {
            let base = state
                .as_ref()
                .filter(|s| s.program == program && s.server.trim_end_matches('/') == server.trim_end_matches('/'))
                .map(|s| s.version);
            client.call(
                "PUT",
                &format!("/api/v1/programs/{program}/plan"),
                Some(&json!({"base_version": base, "force": args.force, "files": files})),
            )?
        }
        _ => return Err(refused(&existing)),
    };
    if !(200..300).contains(&answer.status) {
        if answer.status == 412 {
            return Err(Error::Refused {
                status: 412,
                message: format!(
                    "program `{program}` exists on the server and this folder was never pulled from it: pull it first, or push with --force to replace it"
                ),
            });
        }
        return Err(refused(&answer));
    }
    let version = answer.body["program"]["version"].as_i64().unwrap_or_default();
    let files = state.map(|s| s.files).unwrap_or_default();
    write_state(&folder, &State { server: server.clone(), program: program.clone(), version, files })?;
    sayln!(
        "pushed `{}` to {}: version {version} ({} added, {} changed, {} removed)",
        crate::text::escape(&program),
        crate::text::escape(&server),
        answer.body["created"],
        answer.body["updated"],
        answer.body["deleted"],
    );
    Ok(Outcome::Success)
}

pub fn pull(args: PullArgs) -> Result<Outcome, Error> {
    let client = Client::new(&args.server)?;
    let answer = client.call("GET", &format!("/api/v1/programs/{}/plan", args.program), None)?;
    if answer.status != 200 {
        return Err(refused(&answer));
    }
    let folder = &args.output;
    let state = read_state(folder);
    let ours = state.as_ref().is_some_and(|s| s.program == args.program);
    if folder.exists() && !ours && !args.force && std::fs::read_dir(folder).is_ok_and(|mut d| d.next().is_some()) {
        return Err(Error::Server(format!(
            "`{}` holds files not pulled from `{}`; pull into an empty folder, or pass --force",
            folder.display(),
            args.program
        )));
    }
    std::fs::create_dir_all(folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
    let mut written = Vec::new();
    for file in answer.body["files"].as_array().into_iter().flatten() {
        let (Some(path), Some(text)) = (file["path"].as_str(), file["text"].as_str()) else { continue };
        // Only plain names inside the folder: a server cannot write elsewhere.
        let relative = Path::new(path);
        let plain = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)))
            && relative.extension().is_some_and(|e| e == "yaml");
        if !plain {
            return Err(Error::Server(format!(
                "the server sent a file named `{}`, which pull will not write",
                crate::text::escape(path)
            )));
        }
        let target = folder.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_owned(), source })?;
        }
        std::fs::write(&target, text).map_err(|source| Error::Write { path: target.clone(), source })?;
        written.push(path.to_owned());
    }
    // Files an earlier pull wrote that the program no longer has.
    for old in state.map(|s| s.files).unwrap_or_default() {
        if !written.contains(&old) && Path::new(&old).components().all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            let _ = std::fs::remove_file(folder.join(&old));
        }
    }
    let version = answer.body["program"]["version"].as_i64().unwrap_or_default();
    let count = written.len();
    write_state(
        folder,
        &State { server: args.server.clone(), program: args.program.clone(), version, files: written },
    )?;
    sayln!(
        "pulled `{}` version {version} into `{}` ({count} files)",
        crate::text::escape(&args.program),
        crate::text::escape(&folder.to_string_lossy())
    );
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_folder_names() {
        assert_eq!(key_from("Platform Migration"), "platform-migration");
        assert_eq!(key_from("platform-migration"), "platform-migration");
        assert_eq!(key_from("--x__y--"), "x-y");
    }
}
