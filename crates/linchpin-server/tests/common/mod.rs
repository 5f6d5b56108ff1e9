//! A real server on a free loopback port, over SQLite (always) or a fresh
//! PostgreSQL database (when `LINCHPIN_TEST_POSTGRES` names a server; with
//! `LINCHPIN_REQUIRE_POSTGRES=1`, as in CI, a missing one fails), and a
//! plain HTTP client to drive it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use linchpin_server::{App, RawConfig};
use linchpin_store::Db;
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A scratch folder removed at the end.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("linchpin-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The database address for a test, or `None` when PostgreSQL is not there.
pub fn database(backend: Backend, name: &str, scratch: &Scratch) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(scratch.0.join("linchpin.db").to_string_lossy().into_owned()),
        Backend::Postgres => {
            let Ok(url) = std::env::var("LINCHPIN_TEST_POSTGRES") else {
                assert!(std::env::var("LINCHPIN_REQUIRE_POSTGRES").is_err(), "LINCHPIN_TEST_POSTGRES is not set");
                eprintln!("skipped: LINCHPIN_TEST_POSTGRES is not set");
                return None;
            };
            // PostgreSQL cuts names at 63 bytes: the start of the story's
            // name, a hash of all of it and the process id fit.
            let hash =
                name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            let short: String = name.chars().take(24).collect();
            let database = format!("linchpin_srv_{short}_{:08x}_{}", hash as u32, std::process::id());
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let admin = sqlx::PgPool::connect(&url).await.expect("the test server answers");
                sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                    .execute(&admin)
                    .await
                    .expect("drop");
                sqlx::query(&format!("CREATE DATABASE {database}")).execute(&admin).await.expect("create");
            });
            let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
            Some(format!("{base}/{database}"))
        }
    }
}

pub struct Server {
    pub base: String,
    /// The one-time setup code, when the database had no users.
    pub code: Option<String>,
    pub runtime: tokio::runtime::Runtime,
    pub app: Arc<App>,
}

impl Server {
    /// A server over `database` with the settings `config` adds.
    pub fn start(database: &str, config: RawConfig) -> Server {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().expect("runtime");
        let database = database.to_owned();
        let (base, code, app) = runtime.block_on(async move {
            let config = RawConfig { database: Some(database.clone()), ..config }.resolve().expect("settings");
            let store = Db::open(&database).await.expect("the database opens");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
            let base = format!("http://{}", listener.local_addr().expect("address"));
            let app = Arc::new(App::new(store, config));
            let code = linchpin_server::api::accounts::setup_code(&app).await.expect("setup code");
            let serving = app.clone();
            tokio::spawn(async move {
                let _ = linchpin_server::serve(serving, listener, std::future::pending()).await;
            });
            (base, code, app)
        });
        Server { base, code, runtime, app }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// An answer: status, headers we look at, and the body as JSON (or text).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub set_cookie: Option<String>,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// One request: `headers` as given, a JSON body when there is one.
pub fn call(agent: &ureq::Agent, method: &str, url: &str, headers: &[(&str, &str)], body: Option<&Value>) -> Answer {
    let request = ureq::http::Request::builder().method(method).uri(url);
    let request = headers.iter().fold(request, |r, (k, v)| r.header(*k, *v));
    let response = match body {
        Some(body) => agent
            .run(request.header("content-type", "application/json").body(body.to_string()).expect("request"))
            .expect("the server answers"),
        None => agent.run(request.body(()).expect("request")).expect("the server answers"),
    };
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> =
        response.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let find = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (etag, set_cookie) = (find("etag"), find("set-cookie"));
    let mut response = response;
    let text = response.body_mut().with_config().limit(512 * 1024 * 1024).read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, etag, set_cookie, headers, text, json }
}

/// Someone signed in: by API token, or by cookie with its CSRF token.
#[derive(Clone)]
pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
    pub auth: Auth,
}

#[derive(Clone)]
pub enum Auth {
    None,
    Token(String),
    Cookie { cookie: String, csrf: String },
}

impl Client {
    pub fn anonymous(server: &Server) -> Client {
        Client { agent: agent(), base: server.base.clone(), auth: Auth::None }
    }

    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.call_with(method, path, &[], body)
    }

    pub fn call_with(&self, method: &str, path: &str, extra: &[(&str, &str)], body: Option<&Value>) -> Answer {
        let mut headers: Vec<(&str, String)> = extra.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        match &self.auth {
            Auth::None => {}
            Auth::Token(t) => headers.push(("authorization", format!("Bearer {t}"))),
            Auth::Cookie { cookie, csrf } => {
                headers.push(("cookie", format!("linchpin_session={cookie}")));
                headers.push(("x-csrf-token", csrf.clone()));
            }
        }
        let borrowed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(&self.agent, method, &format!("{}{path}", self.base), &borrowed, body)
    }

    pub fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None)
    }

    /// A token of this (cookie) client's user.
    pub fn token(&self, programs: Option<Vec<&str>>, write: bool) -> Client {
        let answer = self.call(
            "POST",
            "/api/v1/me/tokens",
            Some(&json!({"name": "test", "programs": programs, "write": write})),
        );
        assert_eq!(answer.status, 201, "{}", answer.text);
        let token = answer.json["token"].as_str().expect("a token").to_owned();
        Client { agent: agent(), base: self.base.clone(), auth: Auth::Token(token) }
    }
}

/// The session cookie's value from a `Set-Cookie` header.
pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().and_then(|p| p.split_once('=')).map(|(_, v)| v.to_owned()).unwrap_or_default()
}

/// The first administrator, made with the server's setup code, signed in by cookie.
pub fn first_admin(server: &Server) -> Client {
    let code = server.code.clone().expect("a new database has a setup code");
    let answer = call(
        &agent(),
        "POST",
        &server.url("/api/v1/setup"),
        &[],
        Some(&json!({"code": code, "name": "admin", "password": PASSWORD})),
    );
    assert_eq!(answer.status, 201, "{}", answer.text);
    let cookie = cookie_value(answer.set_cookie.as_deref().expect("a cookie"));
    let csrf = answer.json["csrf_token"].as_str().expect("csrf").to_owned();
    Client { agent: agent(), base: server.base.clone(), auth: Auth::Cookie { cookie, csrf } }
}

/// Signs `name` in by password.
pub fn sign_in(server: &Server, name: &str) -> Client {
    let answer =
        call(&agent(), "POST", &server.url("/api/v1/session"), &[], Some(&json!({"name": name, "password": PASSWORD})));
    assert_eq!(answer.status, 201, "{}", answer.text);
    let cookie = cookie_value(answer.set_cookie.as_deref().expect("a cookie"));
    let csrf = answer.json["csrf_token"].as_str().expect("csrf").to_owned();
    Client { agent: agent(), base: server.base.clone(), auth: Auth::Cookie { cookie, csrf } }
}

/// A user made by `admin`, with `role` in `program` when given, signed in.
pub fn user(server: &Server, admin: &Client, name: &str, program_role: Option<(&str, &str)>) -> Client {
    let made = admin.call("POST", "/api/v1/users", Some(&json!({"name": name, "password": PASSWORD})));
    assert_eq!(made.status, 201, "{}", made.text);
    if let Some((program, role)) = program_role {
        let set =
            admin.call("PUT", &format!("/api/v1/programs/{program}/members/{name}"), Some(&json!({"role": role})));
        assert_eq!(set.status, 200, "{}", set.text);
    }
    sign_in(server, name)
}

/// The example plan's files, as a plan upload holds them.
pub fn example_files() -> Vec<Value> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort_by(|a: &Value, b: &Value| a["path"].as_str().cmp(&b["path"].as_str()));
    files
}

fn collect(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<Value>) {
    for entry in std::fs::read_dir(dir).expect("example folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let relative = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
            out.push(json!({"path": relative, "text": std::fs::read_to_string(&path).expect("readable")}));
        }
    }
}

/// Creates program `key` from the example plan.
pub fn create_example(client: &Client, key: &str) -> Answer {
    let answer = client.call("POST", "/api/v1/programs", Some(&json!({"key": key, "files": example_files()})));
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer
}

/// Runs `story` on SQLite, and on PostgreSQL when there is one.
#[macro_export]
macro_rules! on_both {
    ($story:ident) => {
        mod $story {
            #[test]
            fn sqlite() {
                let scratch = $crate::common::Scratch::new(concat!(stringify!($story), "-sqlite"));
                let db = $crate::common::database($crate::common::Backend::Sqlite, stringify!($story), &scratch)
                    .expect("sqlite");
                super::$story(&db, $crate::common::Backend::Sqlite);
            }

            #[test]
            fn postgres() {
                let scratch = $crate::common::Scratch::new(concat!(stringify!($story), "-pg"));
                if let Some(db) =
                    $crate::common::database($crate::common::Backend::Postgres, stringify!($story), &scratch)
                {
                    super::$story(&db, $crate::common::Backend::Postgres);
                }
            }
        }
    };
}
