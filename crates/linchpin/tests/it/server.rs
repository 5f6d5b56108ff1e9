//! `linchpin serve`, `admin create-user`, `push`, `pull` and `backup`
//! through the real binary: a server process on a free loopback port over
//! a scratch SQLite file, driven by the commands a TPM and an operator run
//! and by plain HTTP for what a lead does in the browser.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Scratch, copy_dir, repo_root, stderr, stdout};

const PASSWORD: &str = "correct horse battery";

/// Variables a developer's shell may hold that would change what a test sees.
const AMBIENT: &[&str] = &[
    "LINCHPIN_TOKEN",
    "LINCHPIN_SERVER",
    "LINCHPIN_DATABASE",
    "LINCHPIN_LISTEN",
    "LINCHPIN_CONFIG",
    "LINCHPIN_PASSWORD",
    "LINCHPIN_SEED",
    "LINCHPIN_ITERATIONS",
    "LINCHPIN_EFFORT",
];

/// The binary with a clean environment; credentials only from `scratch`.
fn command(scratch: &Scratch, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linchpin"));
    command.args(args).current_dir(repo_root()).env("NO_COLOR", "1");
    for name in AMBIENT {
        command.env_remove(name);
    }
    command.env("LINCHPIN_CREDENTIALS", scratch.path("no-credentials.toml"));
    command
}

fn run(scratch: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = command(scratch, args);
    command.envs(env.iter().copied());
    command.output().expect("the binary runs")
}

/// Runs and expects success, with the output in the message when not.
fn ok(scratch: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = run(scratch, args, env);
    assert_eq!(output.status.code(), Some(0), "{args:?}\nstdout: {}\nstderr: {}", stdout(&output), stderr(&output));
    output
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("json on stdout")
}

/// A `linchpin serve` process; killed when dropped if still running.
struct Served {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
    out: Arc<Mutex<String>>,
}

impl Served {
    /// Starts the server on `database` and waits for the address it prints.
    fn start(scratch: &Scratch, database: &Path) -> Served {
        let database = database.to_string_lossy().into_owned();
        Served::spawn(command(
            scratch,
            &["serve", "--listen", "127.0.0.1:0", "--database", &database, "--workers", "2"],
        ))
    }

    /// Runs `command` (a `serve`) and waits for the address it prints,
    /// keeping what it writes to standard output and error.
    fn spawn(mut command: Command) -> Served {
        let mut child = command
            .env("LINCHPIN_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let log = Arc::new(Mutex::new(String::new()));
        let out = Arc::new(Mutex::new(String::new()));
        let (address_tx, address_rx) = mpsc::channel();
        let reader = BufReader::new(child.stderr.take().expect("stderr"));
        let kept = log.clone();
        // Keeps reading so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Linchpin is serving on ") {
                    let address = rest.split_whitespace().next().unwrap_or_default().to_owned();
                    let _ = address_tx.send(address);
                }
                let mut log = kept.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let reader = BufReader::new(child.stdout.take().expect("stdout"));
        let kept = out.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                let mut out = kept.lock().expect("stdout");
                out.push_str(&line);
                out.push('\n');
            }
        });
        let base = match address_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(base) => base,
            Err(_) => {
                let _ = child.kill();
                panic!("the server printed no address:\n{}", log.lock().expect("log"));
            }
        };
        assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"), "{base}");
        Served { child, base, log, out }
    }

    /// Standard output once it has a line starting with `last`.
    fn stdout_through(&self, last: &str) -> String {
        let start = Instant::now();
        loop {
            let out = self.out.lock().expect("stdout").clone();
            if out.lines().any(|l| l.starts_with(last)) {
                return out;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no line `{last}…` on standard output:\n{out}\nstandard error:\n{}",
                self.log.lock().expect("log")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGTERM, as a service manager stops it.
    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to end, at most `limit`.
    fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(start.elapsed() < limit, "the server did not stop:\n{}", self.log.lock().expect("log"));
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// One HTTP request with a bearer token: status and JSON body.
fn call(agent: &ureq::Agent, method: &str, url: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json");
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut response = agent.run(request.body(body).expect("request")).expect("the server answers");
    let status = response.status().as_u16();
    let text = response.body_mut().with_config().limit(64 << 20).read_to_string().expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `linchpin admin create-user` makes a server administrator; signed in
/// over HTTP, they make an API token (read and write, every program).
fn admin_token(scratch: &Scratch, served: &Served, database: &Path, name: &str) -> String {
    let database = database.to_string_lossy();
    let made = ok(
        scratch,
        &["admin", "create-user", name, "--server-admin", "--database", &database],
        &[("LINCHPIN_PASSWORD", PASSWORD)],
    );
    assert!(stdout(&made).contains(&format!("created user `{name}` (server administrator)")), "{}", stdout(&made));
    let agent = agent();
    let request = ureq::http::Request::builder()
        .method("POST")
        .uri(served.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(json!({"name": name, "password": PASSWORD}).to_string())
        .expect("request");
    let mut response = agent.run(request).expect("the server answers");
    assert_eq!(response.status().as_u16(), 201);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let session: Value = serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("json");
    let csrf = session["csrf_token"].as_str().expect("a CSRF token");
    let request = ureq::http::Request::builder()
        .method("POST")
        .uri(served.url("/api/v1/me/tokens"))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .body(json!({"name": "cli", "write": true}).to_string())
        .expect("request");
    let mut response = agent.run(request).expect("the server answers");
    assert_eq!(response.status().as_u16(), 201);
    let token: Value = serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("json");
    token["token"].as_str().expect("the token's secret").to_owned()
}

/// The example plan copied to `to`: pushing writes the folder's server
/// state beside it, which must not land in the repository.
fn example_copy(to: &Path) -> String {
    copy_dir(&repo_root().join("examples/platform-migration"), to);
    to.to_string_lossy().into_owned()
}

/// The pulled item file that defines `id`, and its text.
fn file_defining(folder: &Path, id: &str) -> (std::path::PathBuf, String) {
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).expect("readable");
                if text.contains(&format!("id: {id}\n")) {
                    return (path, text);
                }
            }
        }
    }
    panic!("no file in `{}` defines `{id}`", folder.display());
}

/// Edits the item `id` in its file: the first `from` after its id becomes `to`.
fn edit_item(folder: &Path, id: &str, from: &str, to: &str) {
    let (file, text) = file_defining(folder, id);
    let at = text.find(&format!("id: {id}\n")).expect("the id is in its file");
    let (head, tail) = text.split_at(at);
    assert!(tail.contains(from), "`{from}` is not in item `{id}`");
    std::fs::write(&file, format!("{head}{}", tail.replacen(from, to, 1))).expect("edit");
}

/// A TPM pushes the example, pulls it back, and gets the same numbers as
/// from the original and from the server; a second push after an edit
/// goes through; a push based on an old version after a lead's change is
/// refused with what changed, and `--force` overrides it; a plan with
/// errors is refused as `check` refuses it, and nothing is sent; without a
/// token, the error names `LINCHPIN_TOKEN`.
#[test]
fn push_pull_and_their_refusals() {
    let scratch = Scratch::new("server-push-pull");
    let database = scratch.path("linchpin.db");
    let served = Served::start(&scratch, &database);
    let token = admin_token(&scratch, &served, &database, "tpm");
    let auth = [("LINCHPIN_TOKEN", token.as_str())];
    let original = example_copy(&scratch.path("original"));

    let pushed = ok(&scratch, &["push", &original, "--server", &served.base, "--program", "platform"], &auth);
    assert!(stdout(&pushed).starts_with("pushed `platform`"), "{}", stdout(&pushed));
    let agent = agent();
    let (status, program) = call(&agent, "GET", &served.url("/api/v1/programs/platform"), &token, None);
    assert_eq!((status, program["version"].as_i64()), (200, Some(1)), "{program}");

    let pulled = scratch.path("pulled");
    let pulled_arg = pulled.to_string_lossy().into_owned();
    ok(&scratch, &["pull", "platform", "--server", &served.base, "-o", &pulled_arg], &auth);
    ok(&scratch, &["check", &pulled_arg], &[]);
    let schedule = |plan: &str| json_of(&ok(&scratch, &["schedule", plan, "--format", "json"], &[]));
    let forecast = |plan: &str| {
        json_of(&ok(&scratch, &["forecast", plan, "--format", "json", "--iterations", "500", "--seed", "7"], &[]))
    };
    let pulled_schedule = schedule(&pulled_arg);
    assert_eq!(pulled_schedule, schedule(&original));
    let (status, served_schedule) =
        call(&agent, "GET", &served.url("/api/v1/programs/platform/schedule"), &token, None);
    assert_eq!(status, 200, "{served_schedule}");
    assert_eq!(pulled_schedule, served_schedule);
    let pulled_forecast = forecast(&pulled_arg);
    assert_eq!(pulled_forecast, forecast(&original));
    let (status, served_forecast) =
        call(&agent, "GET", &served.url("/api/v1/programs/platform/forecast?iterations=500&seed=7"), &token, None);
    assert_eq!(status, 200, "{served_forecast}");
    assert_eq!(pulled_forecast, served_forecast);

    // An edit pushed from the pulled folder: it remembers server, program and version.
    edit_item(&pulled, "PAY-5", "title: ", "title: Renamed ");
    let second = ok(&scratch, &["push", &pulled_arg], &auth);
    assert!(stdout(&second).contains("version 2"), "{}", stdout(&second));

    // A lead changes PAY-5 on the server; the TPM's folder is now stale.
    let (_, pay5) = call(&agent, "GET", &served.url("/api/v1/programs/platform/items/PAY-5"), &token, None);
    let patch = json!({"version": pay5["version"], "patch": {"remaining": 1}});
    let (status, answer) =
        call(&agent, "PATCH", &served.url("/api/v1/programs/platform/items/PAY-5"), &token, Some(&patch));
    assert_eq!(status, 200, "{answer}");
    edit_item(&pulled, "PAY-5", "title: Renamed ", "title: Renamed again ");
    let stale = run(&scratch, &["push", &pulled_arg], &auth);
    assert_ne!(stale.status.code(), Some(0), "{}", stdout(&stale));
    let message = stderr(&stale);
    // Each change on a line of its own, not escaped into the error line.
    let lines: Vec<&str> = message.lines().collect();
    assert!(lines.contains(&"changed on the server since:"), "{message}");
    assert!(lines.iter().any(|l| l.starts_with("  v3 ") && l.ends_with(" update item `PAY-5` by tpm")), "{message}");
    assert!(
        lines.last().is_some_and(|l| l.starts_with("error: the server refused (409): ") && !l.contains("\\n")),
        "{message}"
    );
    let (_, now) = call(&agent, "GET", &served.url("/api/v1/programs/platform/items/PAY-5"), &token, None);
    assert_eq!(now["body"]["remaining"], 1, "the refused push changed nothing");
    let forced = ok(&scratch, &["push", &pulled_arg, "--force"], &auth);
    assert!(stdout(&forced).starts_with("pushed `platform`"), "{}", stdout(&forced));
    let (_, now) = call(&agent, "GET", &served.url("/api/v1/programs/platform/items/PAY-5"), &token, None);
    assert!(now["body"]["title"].as_str().unwrap_or_default().starts_with("Renamed again "), "{now}");

    // A plan with errors: the same diagnostics as `check`, and nothing sent.
    let broken = example_copy(&scratch.path("broken"));
    edit_item(Path::new(&broken), "PAY-5", "team: ", "team: paymnets-");
    let checked = run(&scratch, &["check", &broken], &[]);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    let refused = run(&scratch, &["push", &broken, "--server", &served.base, "--program", "broken"], &auth);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let diagnostics = stderr(&checked);
    assert!(diagnostics.contains("error"), "{diagnostics}");
    assert_eq!(stderr(&refused), format!("{diagnostics}not pushed: the plan has errors\n"));
    let (status, _) = call(&agent, "GET", &served.url("/api/v1/programs/broken"), &token, None);
    assert_eq!(status, 404, "a refused plan is not sent");
    assert!(!Path::new(&broken).join(".linchpin-server.json").exists());

    // No token: a clear error naming LINCHPIN_TOKEN, for push and pull alike.
    let fresh = example_copy(&scratch.path("fresh"));
    for args in [
        vec!["push", fresh.as_str(), "--server", served.base.as_str()],
        vec!["pull", "platform", "--server", served.base.as_str(), "-o", fresh.as_str()],
    ] {
        let output = run(&scratch, &args, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains("set LINCHPIN_TOKEN"), "{}", stderr(&output));
    }
}

/// A server on the example program, with an administrator's token.
fn serving_the_example(scratch: &Scratch, database: &Path) -> (Served, String) {
    let served = Served::start(scratch, database);
    let token = admin_token(scratch, &served, database, "ops");
    let original = example_copy(&scratch.path("original"));
    ok(scratch, &["push", &original, "--server", &served.base, "--program", "platform"], &[("LINCHPIN_TOKEN", &token)]);
    (served, token)
}

/// `linchpin backup` while a lead keeps writing: the copy passes
/// `PRAGMA integrity_check`, a second server opens it, and it holds every
/// write acknowledged before the backup began and none that was not
/// acknowledged by the time it ended, with the program's version in step.
#[test]
fn a_backup_taken_during_writes_restores() {
    let scratch = Scratch::new("server-backup");
    let database = scratch.path("linchpin.db");
    let (served, token) = serving_the_example(&scratch, &database);

    // Each write sets PAY-5's remaining estimate to the next number from
    // FIRST, so the value says how many writes a copy holds.
    const FIRST: i64 = 100;
    let acknowledged = Arc::new(Mutex::new(None::<i64>));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acknowledged, stop, token) = (acknowledged.clone(), stop.clone(), token.clone());
        let url = served.url("/api/v1/programs/platform/items/PAY-5");
        std::thread::spawn(move || {
            let agent = agent();
            let (_, item) = call(&agent, "GET", &url, &token, None);
            let mut version = item["version"].as_i64().expect("a version");
            let mut next = FIRST;
            // Bounded: the test stops it long before, unless the server hangs.
            while !stop.load(Ordering::Relaxed) && next < FIRST + 2_000 {
                let patch = json!({"version": version, "patch": {"remaining": next}});
                let (status, answer) = call(&agent, "PATCH", &url, &token, Some(&patch));
                assert_eq!(status, 200, "{answer}");
                version = answer["version"].as_i64().expect("a version");
                *acknowledged.lock().expect("lock") = Some(next);
                next += 1;
            }
        })
    };
    let written = || *acknowledged.lock().expect("lock");
    let wait_for = |count: i64| {
        let start = Instant::now();
        while written().is_none_or(|n| n < FIRST + count) {
            assert!(start.elapsed() < Duration::from_secs(60), "the writes are too slow");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    wait_for(5);
    let before = written().expect("writes before the backup");
    let copy = scratch.path("backup.db");
    let copy_arg = copy.to_string_lossy().into_owned();
    let backed_up = ok(&scratch, &["backup", "--database", &database.to_string_lossy(), "--to", &copy_arg], &[]);
    assert!(stdout(&backed_up).starts_with("backed up to"), "{}", stdout(&backed_up));
    let after = written().expect("writes after the backup");
    wait_for(after - FIRST + 3);
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("the writer ends");

    // A second backup onto the same file is refused: a copy is never overwritten.
    let again = run(&scratch, &["backup", "--database", &database.to_string_lossy(), "--to", &copy_arg], &[]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let integrity = runtime.block_on(async {
        let store = linchpin_store::SqliteStore::open(&copy).await.expect("the copy opens");
        store.integrity().await.expect("integrity check runs")
    });
    assert_eq!(integrity, "ok");

    let restored = Served::start(&scratch, &copy);
    let agent = agent();
    let (status, item) = call(&agent, "GET", &restored.url("/api/v1/programs/platform/items/PAY-5"), &token, None);
    assert_eq!(status, 200, "{item}");
    let remaining = item["body"]["remaining"].as_i64().expect("a remaining estimate");
    assert!((before..=after).contains(&remaining), "{before} ≤ {remaining} ≤ {after}");
    // Created at version 1, then one version per write.
    let (_, program) = call(&agent, "GET", &restored.url("/api/v1/programs/platform"), &token, None);
    assert_eq!(program["version"].as_i64(), Some(remaining - FIRST + 2), "{program}");
    let (status, schedule) = call(&agent, "GET", &restored.url("/api/v1/programs/platform/schedule"), &token, None);
    assert_eq!(status, 200, "{schedule}");
    drop(served);
}

/// SIGTERM while forecasts are being computed: each request in flight is
/// answered in full, and the process exits 0.
#[test]
fn sigterm_lets_requests_in_flight_finish() {
    let scratch = Scratch::new("server-sigterm");
    let database = scratch.path("linchpin.db");
    let (mut served, token) = serving_the_example(&scratch, &database);

    const REQUESTS: usize = 4;
    let started = Arc::new(std::sync::Barrier::new(REQUESTS + 1));
    let requests: Vec<_> = (0..REQUESTS)
        .map(|seed| {
            let (started, token) = (started.clone(), token.clone());
            // Distinct seeds: none is answered from the cache.
            let url = served.url(&format!("/api/v1/programs/platform/forecast?iterations={ITERATIONS}&seed={seed}"));
            std::thread::spawn(move || {
                let agent = agent();
                started.wait();
                let answer = call(&agent, "GET", &url, &token, None);
                (answer, Instant::now())
            })
        })
        .collect();
    started.wait();
    // Long enough for the requests to reach the server, far shorter than they take.
    std::thread::sleep(Duration::from_millis(300));
    served.terminate();
    let signalled = Instant::now();
    let mut finished_after_signal = 0;
    for request in requests {
        let ((status, forecast), finished) = request.join().expect("the request ends");
        assert_eq!(status, 200, "{forecast}");
        assert_eq!(forecast["iterations"].as_u64(), Some(ITERATIONS as u64), "{forecast}");
        finished_after_signal += usize::from(finished > signalled);
    }
    assert!(finished_after_signal > 0, "every request finished before the signal: raise ITERATIONS");
    let status = served.wait(Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "{}", served.log.lock().expect("log"));
}

/// Enough forecast iterations that a debug build takes a while on each.
const ITERATIONS: usize = 10_000;

/// Signs in by password over the API: the session cookie (`name=value`).
fn session_cookie(served: &Served, name: &str, password: &str) -> Result<String, u16> {
    let request = ureq::http::Request::builder()
        .method("POST")
        .uri(served.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(json!({"name": name, "password": password}).to_string())
        .expect("request");
    let response = agent().run(request).expect("the server answers");
    if response.status().as_u16() != 201 {
        return Err(response.status().as_u16());
    }
    Ok(response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned())
}

fn get_with_cookie(served: &Served, path: &str, cookie: &str) -> (u16, Value) {
    let request =
        ureq::http::Request::builder().uri(served.url(path)).header("cookie", cookie).body(()).expect("request");
    let mut response = agent().run(request).expect("the server answers");
    let status = response.status().as_u16();
    let text = response.body_mut().with_config().limit(64 << 20).read_to_string().expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `linchpin serve --example`, from a folder that is not the repository:
/// the built-in example is stored as `platform` in `linchpin-example.db`
/// there (never `linchpin.db`), with the same schedule `linchpin schedule`
/// gives the example folder; it prints the sign-in address and a password
/// for `admin` that signs in. Started again on the same file, it keeps the
/// program and the user, says so, and prints no password.
#[test]
fn serve_example_loads_the_example_and_prints_how_to_sign_in() {
    let scratch = Scratch::new("server-example");
    let start = || {
        let mut command = command(&scratch, &["serve", "--example", "--listen", "127.0.0.1:0", "--workers", "2"]);
        command.current_dir(&scratch.0);
        Served::spawn(command)
    };
    let mut served = start();
    let out = served.stdout_through("Then open ");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Loaded the example program as `platform` into linchpin-example.db.", "{out}");
    assert_eq!(lines[1], format!("Open {}/sign-in and sign in as:", served.base), "{out}");
    assert_eq!(lines[2], "  user:     admin", "{out}");
    let password = lines[3].strip_prefix("  password: ").expect("a password line").to_owned();
    assert_eq!(password.len(), 23, "{out}");
    assert!(out.contains("shown only this once"), "{out}");
    assert!(scratch.path("linchpin-example.db").is_file());
    assert!(!scratch.path("linchpin.db").exists(), "--example never uses ./linchpin.db");

    let cookie = session_cookie(&served, "admin", &password).expect("the printed password signs in");
    let (status, program) = get_with_cookie(&served, "/api/v1/programs/platform", &cookie);
    assert_eq!((status, program["version"].as_i64()), (200, Some(1)), "{program}");
    let (status, me) = get_with_cookie(&served, "/api/v1/me", &cookie);
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["server_admin"], true, "{me}");
    let (status, schedule) = get_with_cookie(&served, "/api/v1/programs/platform/schedule", &cookie);
    assert_eq!(status, 200, "{schedule}");
    let cli = json_of(&ok(&scratch, &["schedule", "examples/platform-migration", "--format", "json"], &[]));
    assert_eq!(schedule, cli, "the built-in example is the example folder");
    assert_eq!(session_cookie(&served, "admin", "not the password"), Err(401));
    // The two addresses it prints are pages: the sign-in form, and the program's page once signed in.
    let page = |path: &str, cookie: &str| {
        let request =
            ureq::http::Request::builder().uri(served.url(path)).header("cookie", cookie).body(()).expect("request");
        let mut response = agent().run(request).expect("the server answers");
        let html = response.body_mut().read_to_string().unwrap_or_default();
        (response.status().as_u16(), html)
    };
    let (status, html) = page("/sign-in", "");
    assert!(status == 200 && html.contains("name=\"password\""), "{status} {html}");
    let (status, html) = page("/p/platform", &cookie);
    assert!(status == 200 && html.contains("Payments Platform Migration"), "{status} {html}");
    // The dashboard's what-if says what `linchpin schedule --slip` says.
    let started = std::time::Instant::now();
    let what_if = loop {
        let (status, html) = page("/p/platform/what-if?slips=LED-5%3D15", &cookie);
        assert_eq!(status, 200, "{html}");
        if !html.contains("data-computing") {
            break html;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "the what-if is still computing");
        std::thread::sleep(Duration::from_millis(300));
    };
    let cell = |milestone: &str, field: &str| -> String {
        let row = &what_if[what_if.find(&format!("data-milestone=\"{milestone}\"")).expect("a row")..];
        let marker = format!("data-field=\"{field}\">");
        let at = row.find(&marker).expect("a cell") + marker.len();
        row[at..at + row[at..].find('<').expect("the cell ends")].to_owned()
    };
    let cli = json_of(&ok(
        &scratch,
        &["schedule", "examples/platform-migration", "--slip", "LED-5=15", "--format", "json"],
        &[],
    ));
    let rows = cli["what_if"].as_array().expect("the CLI's what-if");
    assert!(rows.iter().any(|r| r["before"] != r["after"]), "the slip moves something: {rows:?}");
    for r in rows {
        let key = r["milestone"].as_str().expect("a milestone");
        assert_eq!(cell(key, "before"), r["before"].as_str().expect("before"), "{key} before");
        assert_eq!(cell(key, "after"), r["after"].as_str().expect("after"), "{key} after");
    }
    served.terminate();
    assert!(served.wait(Duration::from_secs(30)).success());

    let again = start();
    let out = again.stdout_through("Then open ");
    assert!(
        out.starts_with("The program `platform` is already in linchpin-example.db (version 1): kept as it is.\n"),
        "{out}"
    );
    assert!(out.contains("  password: the one printed when `admin` was made in this database"), "{out}");
    assert!(out.contains("delete linchpin-example.db"), "{out}");
    assert!(!out.contains(&password), "the password is shown only once");
    session_cookie(&again, "admin", &password).expect("the first password still signs in");
}
