//! Hostile input: plan uploads built to exhaust the server (an alias bomb,
//! deep nesting, a body far over the limit, a body that trickles in) are
//! each refused with a 4xx quickly, without the memory they ask for, while
//! other clients are still answered; and every answer, errors too, is in
//! the API's shape with the security headers. Every story runs on SQLite
//! and on PostgreSQL (see `common`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::*;
use linchpin_server::RawConfig;
use serde_json::{Value, json};

/// The tests measure time and the process's memory, so they run one at a
/// time, each backend's setup (a database made, a pool) included.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// `on_both!`, holding [`ONE_AT_A_TIME`] from before the database is made.
macro_rules! hostile_on_both {
    ($story:ident) => {
        mod $story {
            #[test]
            fn sqlite() {
                let _one = super::ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
                let scratch = super::Scratch::new(concat!(stringify!($story), "-sqlite"));
                let db = super::database(super::Backend::Sqlite, stringify!($story), &scratch).expect("sqlite");
                super::$story(&db, super::Backend::Sqlite);
            }

            #[test]
            fn postgres() {
                let _one = super::ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
                let scratch = super::Scratch::new(concat!(stringify!($story), "-pg"));
                if let Some(db) = super::database(super::Backend::Postgres, stringify!($story), &scratch) {
                    super::$story(&db, super::Backend::Postgres);
                }
            }
        }
    };
}

/// How long a refusal may take: the brief is a second; this leaves room for
/// a loaded machine.
const PROMPT: Duration = Duration::from_secs(2);

struct Fixture {
    server: Server,
    admin: Client,
    token: Client,
}

fn fixture(database: &str) -> Fixture {
    let server = Server::start(database, RawConfig::default());
    let admin = first_admin(&server);
    create_example(&admin, "alpha");
    let token = admin.token(None, true);
    // Resolve the program once, so the reads measured meanwhile are the usual ones.
    assert_eq!(token.get("/api/v1/programs/alpha/items?limit=5").status, 200);
    Fixture { server, admin, token }
}

/// What the other clients saw while something hostile went on.
#[derive(Debug)]
struct Meanwhile {
    answered: usize,
    slowest: Duration,
    failures: Vec<String>,
}

/// Runs `hostile` while another client reads `/healthz` and, by token, a
/// program's items, over and over; then checks those were answered promptly.
fn meanwhile<T>(fixture: &Fixture, hostile: impl FnOnce() -> T) -> T {
    let stop = AtomicBool::new(false);
    let (result, seen) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let reader = Client { agent: agent(), ..fixture.token.clone() };
            let mut seen = Meanwhile { answered: 0, slowest: Duration::ZERO, failures: Vec::new() };
            // At least one round, however quick the hostile part is.
            loop {
                for path in ["/healthz", "/api/v1/programs/alpha/items?limit=5"] {
                    let started = Instant::now();
                    let answer = reader.get(path);
                    seen.slowest = seen.slowest.max(started.elapsed());
                    if answer.status == 200 {
                        seen.answered += 1;
                    } else {
                        seen.failures.push(format!("{path}: {} {}", answer.status, answer.text));
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    return seen;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let result = hostile();
        stop.store(true, Ordering::Relaxed);
        (result, watcher.join().expect("the watcher ends"))
    });
    assert!(seen.failures.is_empty(), "other clients were refused meanwhile: {:?}", seen.failures);
    assert!(seen.answered >= 2, "{seen:?}");
    assert!(seen.slowest < PROMPT, "another client waited {:?} meanwhile", seen.slowest);
    result
}

/// Every answer, errors too, carries the security headers and a request id.
fn assert_guarded(answer: &Answer, what: &str) {
    let csp = answer.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP is `{csp}`");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert!(answer.header("referrer-policy").is_some(), "{what}: no Referrer-Policy");
    assert!(answer.header("x-request-id").is_some_and(|id| !id.is_empty()), "{what}: no x-request-id");
}

/// An error in the API's shape: a code, a message and the request id.
fn assert_error_shape(answer: &Answer, status: u16, what: &str) {
    assert_eq!(answer.status, status, "{what}: {}", answer.text);
    assert!(answer.header("content-type").is_some_and(|t| t.starts_with("application/json")), "{what}");
    let error = &answer.json["error"];
    assert!(error["code"].is_string() && error["message"].is_string(), "{what}: {}", answer.text);
    assert_eq!(error["request_id"].as_str(), answer.header("x-request-id"), "{what}");
    assert_guarded(answer, what);
}

/// Uploads `files` as a new program, timed.
fn upload(fixture: &Fixture, body: &Value) -> (Answer, Duration) {
    let started = Instant::now();
    let answer = fixture.token.call("POST", "/api/v1/programs", Some(body));
    (answer, started.elapsed())
}

/// The resident memory of this process (which hosts the server), in bytes.
fn resident() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    let kib: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number");
    kib * 1024
}

hostile_on_both!(an_alias_bomb_is_refused_promptly);
fn an_alias_bomb_is_refused_promptly(database: &str, _: Backend) {
    let fixture = fixture(database);
    // Nine levels of nine: 9^9 (387 million) strings once expanded.
    let mut bomb = String::from(
        "program:\n  name: Bomb\n  start: 2026-01-05\nlol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for level in 1..=9 {
        let previous = format!("*l{}", level - 1);
        bomb.push_str(&format!("lol{level}: &l{level} [{}]\n", vec![previous; 9].join(", ")));
    }
    let before = resident();
    let (answer, took) = meanwhile(&fixture, || {
        upload(&fixture, &json!({"key": "bomb", "files": [{"path": "program.yaml", "text": bomb}]}))
    });
    assert!((400..500).contains(&answer.status), "{}: {}", answer.status, answer.text);
    assert_error_shape(&answer, answer.status, "alias bomb");
    assert!(took < PROMPT, "the bomb took {took:?} to refuse");
    let grown = resident().saturating_sub(before);
    assert!(grown < 64 << 20, "memory grew by {} MiB", grown >> 20);
}

hostile_on_both!(ten_thousand_deep_nesting_is_refused_promptly);
fn ten_thousand_deep_nesting_is_refused_promptly(database: &str, _: Backend) {
    let fixture = fixture(database);
    let depth = 10_000;
    // Deep in a plan file's YAML, as flow and as block collections.
    let flow =
        format!("program:\n  name: Deep\n  start: 2026-01-05\nextra: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let block: String = std::iter::once("program:\n  name: Deep\n  start: 2026-01-05\nextra:\n".to_owned())
        .chain((1..=depth).map(|d| format!("{}- \n", " ".repeat(d.min(2000)))))
        .collect();
    let mapping: String = std::iter::once("program:\n  name: Deep\n  start: 2026-01-05\nextra: ".to_owned())
        .chain(std::iter::repeat_n("{a: ".to_owned(), depth))
        .chain(std::iter::once("1".to_owned()))
        .chain(std::iter::repeat_n("}".to_owned(), depth))
        .collect();
    for (what, text) in [("flow sequences", flow), ("block sequences", block), ("flow mappings", mapping)] {
        let (answer, took) = meanwhile(&fixture, || {
            upload(&fixture, &json!({"key": "deep", "files": [{"path": "program.yaml", "text": text}]}))
        });
        assert!((400..500).contains(&answer.status), "{what}: {}: {}", answer.status, answer.text);
        assert_error_shape(&answer, answer.status, what);
        assert!(took < PROMPT, "{what}: took {took:?} to refuse");
    }
    // Deep in the JSON of the request itself, where any value is taken.
    for (path, body) in [
        ("/api/v1/programs/alpha/risks", format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        ("/api/v1/programs/alpha/risks", format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))),
    ] {
        let started = Instant::now();
        let answer = meanwhile(&fixture, || raw_json(&fixture.token, "POST", path, body.clone()));
        assert!(started.elapsed() < PROMPT);
        assert_error_shape(&answer, 400, "deep JSON");
    }
    // The server is still whole.
    assert_eq!(fixture.admin.get("/healthz").status, 200);
}

/// A JSON body sent as is (not re-encoded), by `client`.
fn raw_json(client: &Client, method: &str, path: &str, body: String) -> Answer {
    raw_body(client, method, path, "application/json", body)
}

fn raw_body(client: &Client, method: &str, path: &str, content_type: &str, body: String) -> Answer {
    let Auth::Token(token) = &client.auth else { panic!("a token client") };
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", client.base))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(body)
        .expect("request");
    let mut response = client.agent.run(request).expect("the server answers");
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> =
        response.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, etag: None, set_cookie: None, headers, text, json }
}

/// A raw HTTP/1.1 connection to the server.
fn connect(server: &Server) -> TcpStream {
    let address = server.base.trim_start_matches("http://");
    let stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_millis(20))).expect("timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Reads what has arrived of an answer without waiting; the status once
/// its first line is in.
fn poll_status(stream: &mut TcpStream, received: &mut Vec<u8>) -> Option<u16> {
    let mut buffer = [0u8; 4096];
    match stream.read(&mut buffer) {
        Ok(n) if n > 0 => received.extend_from_slice(&buffer[..n]),
        _ => {}
    }
    let text = String::from_utf8_lossy(received);
    let line = text.split("\r\n").next().filter(|_| text.contains("\r\n"))?;
    line.split_whitespace().nth(1).and_then(|s| s.parse().ok())
}

/// The rest of an answer (headers and body), read until the server stops sending.
fn read_rest(stream: &mut TcpStream, received: &mut Vec<u8>) -> String {
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut buffer = [0u8; 4096];
    while Instant::now() < deadline {
        let text = String::from_utf8_lossy(received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok());
            if length.is_some_and(|n| body.len() >= n) {
                return text;
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(_) => {}
        }
    }
    String::from_utf8_lossy(received).into_owned()
}

fn head_of(method: &str, path: &str, token: &Client, extra: &str) -> String {
    let Auth::Token(token) = &token.auth else { panic!("a token client") };
    format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\n{extra}\r\n"
    )
}

/// Sends `head` and then pieces of a body from `piece` until the server
/// answers (or `most` bytes went); the status, the whole answer, the time
/// it took and the most memory grew meanwhile.
fn send_until_answered(
    server: &Server,
    head: &str,
    mut piece: impl FnMut(usize) -> Option<Vec<u8>>,
    pause: Duration,
) -> (u16, String, Duration, u64) {
    let before = resident();
    let mut most_grown = 0;
    let mut stream = connect(server);
    stream.write_all(head.as_bytes()).expect("head sent");
    let started = Instant::now();
    let mut received = Vec::new();
    let mut sent = 0;
    let status = loop {
        if let Some(status) = poll_status(&mut stream, &mut received) {
            break status;
        }
        most_grown = most_grown.max(resident().saturating_sub(before));
        assert!(started.elapsed() < Duration::from_secs(10), "no answer after 10 s ({sent} bytes sent)");
        match piece(sent) {
            Some(bytes) => {
                // The server may close its end once it has answered.
                if stream.write_all(&bytes).is_err() {
                    std::thread::sleep(Duration::from_millis(20));
                } else {
                    sent += bytes.len();
                }
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
        std::thread::sleep(pause);
    };
    let took = started.elapsed();
    most_grown = most_grown.max(resident().saturating_sub(before));
    let text = read_rest(&mut stream, &mut received);
    (status, text, took, most_grown)
}

/// The headers of a raw answer, lowercased by name.
fn raw_header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn assert_raw_guarded(answer: &str, what: &str) {
    assert!(
        raw_header(answer, "content-security-policy").is_some_and(|c| c.contains("frame-ancestors")),
        "{what}: {answer}"
    );
    assert_eq!(raw_header(answer, "x-content-type-options"), Some("nosniff"), "{what}");
    assert!(raw_header(answer, "referrer-policy").is_some(), "{what}");
    assert!(raw_header(answer, "x-request-id").is_some(), "{what}");
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    assert!(json["error"]["code"].is_string(), "{what}: not the error shape: {answer}");
}

const FIFTY_MB: usize = 50 * 1024 * 1024;

hostile_on_both!(a_fifty_megabyte_body_is_refused_before_it_is_read);
/// A 50 MB plan upload is refused with 413 before it is read: memory does
/// not grow by anything like its size, whether it declares its length or
/// streams in chunks.
fn a_fifty_megabyte_body_is_refused_before_it_is_read(database: &str, _: Backend) {
    let fixture = fixture(database);
    let chunk = vec![b' '; 256 * 1024];

    // Declared up front: refused on the header alone.
    let head = head_of("POST", "/api/v1/programs", &fixture.token, &format!("content-length: {FIFTY_MB}\r\n"));
    let (status, answer, took, grown) = meanwhile(&fixture, || {
        send_until_answered(&fixture.server, &head, |sent| (sent < FIFTY_MB).then(|| chunk.clone()), Duration::ZERO)
    });
    assert_eq!(status, 413, "{answer}");
    assert_raw_guarded(&answer, "50 MB declared");
    assert!(took < PROMPT, "took {took:?}");
    assert!(grown < 8 << 20, "memory grew by {} MiB", grown >> 20);

    // Streamed without a length: cut off at the plan limit (20 MB), so it
    // never holds the 50.
    let head = head_of("POST", "/api/v1/programs", &fixture.token, "transfer-encoding: chunked\r\n");
    let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
    let (status, answer, took, grown) = meanwhile(&fixture, || {
        send_until_answered(&fixture.server, &head, |sent| (sent < FIFTY_MB).then(|| framed.clone()), Duration::ZERO)
    });
    assert_eq!(status, 413, "{answer}");
    assert_raw_guarded(&answer, "50 MB streamed");
    assert!(took < PROMPT * 2, "took {took:?}");
    assert!(grown < 40 << 20, "memory grew by {} MiB", grown >> 20);

    // A JSON write is held to 2 MB, streamed or not.
    let head = head_of("PATCH", "/api/v1/programs/alpha/items/PAY-5", &fixture.token, "transfer-encoding: chunked\r\n");
    let (status, answer, _, grown) = meanwhile(&fixture, || {
        send_until_answered(&fixture.server, &head, |sent| (sent < FIFTY_MB).then(|| framed.clone()), Duration::ZERO)
    });
    assert_eq!(status, 413, "{answer}");
    assert_raw_guarded(&answer, "JSON streamed");
    assert!(grown < 16 << 20, "memory grew by {} MiB", grown >> 20);
    assert_eq!(fixture.admin.get("/healthz").status, 200);
}

hostile_on_both!(a_body_sent_slowly_is_cut_off);
/// A body that trickles in (10 bytes every 100 ms of a large declared
/// length) is cut off with a 4xx within the brief's second, while others
/// are answered.
fn a_body_sent_slowly_is_cut_off(database: &str, _: Backend) {
    let fixture = fixture(database);
    for path in ["/api/v1/programs", "/api/v1/programs/alpha/items/PAY-5"] {
        let method = if path.ends_with("programs") { "POST" } else { "PATCH" };
        let head = head_of(method, path, &fixture.token, "content-length: 1000000\r\n");
        let (status, answer, took, _) = meanwhile(&fixture, || {
            send_until_answered(&fixture.server, &head, |_| Some(b"          ".to_vec()), Duration::from_millis(100))
        });
        assert!((400..500).contains(&status), "{path}: {answer}");
        assert_raw_guarded(&answer, path);
        assert!(took < PROMPT, "{path}: cut off after {took:?}");
    }
    // A connection that sends its head and then nothing at all.
    let head = head_of("POST", "/api/v1/programs", &fixture.token, "content-length: 1000\r\n");
    let (status, answer, took, _) =
        meanwhile(&fixture, || send_until_answered(&fixture.server, &head, |_| None, Duration::from_millis(50)));
    assert!((400..500).contains(&status), "{answer}");
    assert!(took < PROMPT + Duration::from_secs(1), "silent body cut off after {took:?}");
}

hostile_on_both!(bad_requests_are_answered_in_the_error_shape);
/// Malformed input gets the right status in the error shape; every answer
/// carries the security headers and a request id.
fn bad_requests_are_answered_in_the_error_shape(database: &str, _: Backend) {
    let fixture = fixture(database);
    let token = &fixture.token;
    let malformed = raw_json(token, "POST", "/api/v1/programs", "{\"key\": \"x\", \"files\": [".to_owned());
    assert_error_shape(&malformed, 400, "malformed JSON");
    let malformed = raw_json(token, "PATCH", "/api/v1/programs/alpha/items/PAY-5", "{not json".to_owned());
    assert_error_shape(&malformed, 400, "malformed JSON patch");
    let wrong_type =
        raw_body(token, "POST", "/api/v1/programs", "text/plain", "{\"key\": \"x\", \"files\": []}".into());
    assert_error_shape(&wrong_type, 415, "wrong content type");
    let wrong_type = raw_body(token, "PATCH", "/api/v1/programs/alpha/items/PAY-5", "application/xml", "<a/>".into());
    assert_error_shape(&wrong_type, 415, "wrong content type on a patch");
    let wrong_shape = token.call("POST", "/api/v1/programs", Some(&json!({"key": "x", "files": "not a list"})));
    assert_error_shape(&wrong_shape, 422, "a body of the wrong shape");
    let unknown = token.get("/api/v1/no/such/route");
    assert_error_shape(&unknown, 404, "unknown API route");
    let unknown = Client::anonymous(&fixture.server).get("/nothing-here");
    assert_error_shape(&unknown, 404, "unknown route");
    let wrong_method = token.call("PATCH", "/api/v1/programs", Some(&json!({})));
    assert_error_shape(&wrong_method, 405, "wrong method");
    let bad_query = token.get("/api/v1/programs?limit=many");
    assert_error_shape(&bad_query, 400, "bad query");
    let bad_collection = token.get("/api/v1/programs/alpha/nonsense");
    assert!((400..500).contains(&bad_collection.status), "{}", bad_collection.text);
    assert_error_shape(&bad_collection, bad_collection.status, "unknown collection");
    let unauthenticated = Client::anonymous(&fixture.server).get("/api/v1/programs");
    assert_error_shape(&unauthenticated, 401, "not signed in");
    let bad_token = Client { auth: Auth::Token("lp_nonsense".into()), ..token.clone() }.get("/api/v1/me");
    assert_error_shape(&bad_token, 401, "a token that is no token");
    // Successes carry the headers too.
    for path in ["/healthz", "/readyz", "/api/openapi.json", "/setup", "/api/v1/programs/alpha/report"] {
        let answer = token.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
        assert_guarded(&answer, path);
    }
}
