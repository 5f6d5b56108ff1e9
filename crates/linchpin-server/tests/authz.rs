//! The authorization matrix: every route of the router, called by every
//! kind of caller, against one table of the statuses expected. The routes
//! come from the OpenAPI document, so a route added without a row fails
//! here, and so does a row for a route the document lost.

mod common;

use std::collections::BTreeSet;

use common::*;
use linchpin_server::RawConfig;
use serde_json::{Value, json};

/// Who calls, in the order of a row's statuses.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    /// The admin of another program, and nothing in `alpha`.
    Outsider,
    Viewer,
    Editor,
    ProgramAdmin,
    ServerAdmin,
    /// A server administrator's token that may only read.
    ReadOnlyToken,
    /// A server administrator's writing token scoped to program `beta`.
    OtherProgramToken,
}

const WHO: [Who; 8] = [
    Who::Anonymous,
    Who::Outsider,
    Who::Viewer,
    Who::Editor,
    Who::ProgramAdmin,
    Who::ServerAdmin,
    Who::ReadOnlyToken,
    Who::OtherProgramToken,
];

/// What a call needs made just before it, so that each call of a row
/// stands alone however the calls before it went.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Prep {
    None,
    /// Risk `RZ-{n}` exists at version 1.
    FreshRisk,
    /// User `bob` is a viewer of `alpha`.
    BobIsMember,
    /// `{token}` is the id of a new token of the caller's user.
    OwnToken,
    /// The caller signs in again first, so signing out ends only that session.
    FreshSession,
}

#[derive(Clone, Copy, Debug)]
enum Body {
    None,
    /// JSON, after the placeholders are filled in.
    Json(&'static str),
    /// A form, as the setup page posts it.
    Form(&'static str),
}

struct Row {
    method: &'static str,
    /// The route as the OpenAPI document names it (or the router, for the
    /// few routes the document leaves out).
    route: &'static str,
    /// The address called. Placeholders: `{n}` a number used once,
    /// `{token}` (see [`Prep::OwnToken`]).
    path: &'static str,
    body: Body,
    prep: Prep,
    /// The status each of [`WHO`] gets.
    expect: [u16; 8],
}

const READ: [u16; 8] = [401, 404, 200, 200, 200, 200, 200, 404];
const EDIT: [u16; 8] = [401, 404, 403, 200, 200, 200, 403, 404];
const ALL: fn(u16) -> [u16; 8] = |s| [s; 8];

/// Routes the router serves that the API's document leaves out on purpose:
/// the document itself and the setup page (HTML for a browser).
const UNDOCUMENTED: [(&str, &str); 3] = [("GET", "/api/openapi.json"), ("GET", "/setup"), ("POST", "/setup")];

fn table() -> Vec<Row> {
    let row = |method, route, path, body, prep, expect| Row { method, route, path, body, prep, expect };
    use Body::{Form, Json, None as NoBody};
    use Prep::None as Bare;
    vec![
        row("GET", "/api/v1/programs", "/api/v1/programs", NoBody, Bare, [401, 200, 200, 200, 200, 200, 200, 200]),
        // Anyone signed in may start a program (and becomes its admin); a
        // token scoped to programs may not, nor one that only reads.
        row(
            "POST",
            "/api/v1/programs",
            "/api/v1/programs",
            Json(r#"{"key": "new-{n}", "files": {files}}"#),
            Bare,
            [401, 201, 201, 201, 201, 201, 403, 403],
        ),
        row("GET", "/api/v1/programs/{program}", "/api/v1/programs/alpha", NoBody, Bare, READ),
        row("GET", "/api/v1/programs/{program}/plan", "/api/v1/programs/alpha/plan", NoBody, Bare, READ),
        row(
            "PUT",
            "/api/v1/programs/{program}/plan",
            "/api/v1/programs/alpha/plan",
            Json(r#"{"force": true, "files": {files}}"#),
            Bare,
            EDIT,
        ),
        row("GET", "/api/v1/programs/{program}/members", "/api/v1/programs/alpha/members", NoBody, Bare, READ),
        row(
            "PUT",
            "/api/v1/programs/{program}/members/{user}",
            "/api/v1/programs/alpha/members/bob",
            Json(r#"{"role": "viewer"}"#),
            Bare,
            [401, 404, 403, 403, 200, 200, 403, 404],
        ),
        row(
            "DELETE",
            "/api/v1/programs/{program}/members/{user}",
            "/api/v1/programs/alpha/members/bob",
            NoBody,
            Prep::BobIsMember,
            [401, 404, 403, 403, 204, 204, 403, 404],
        ),
        row("GET", "/api/v1/programs/{program}/history", "/api/v1/programs/alpha/history", NoBody, Bare, READ),
        row("GET", "/api/v1/programs/{program}/schedule", "/api/v1/programs/alpha/schedule", NoBody, Bare, READ),
        row(
            "GET",
            "/api/v1/programs/{program}/forecast",
            "/api/v1/programs/alpha/forecast?iterations=200",
            NoBody,
            Bare,
            READ,
        ),
        row("GET", "/api/v1/programs/{program}/findings", "/api/v1/programs/alpha/findings", NoBody, Bare, READ),
        row("GET", "/api/v1/programs/{program}/report", "/api/v1/programs/alpha/report", NoBody, Bare, READ),
        row("GET", "/api/v1/programs/{program}/{collection}", "/api/v1/programs/alpha/items", NoBody, Bare, READ),
        row(
            "POST",
            "/api/v1/programs/{program}/{collection}",
            "/api/v1/programs/alpha/risks",
            Json(r#"{"id": "RN-{n}", "title": "Vendor slips", "likelihood": 2, "impact": 3, "status": "owned"}"#),
            Bare,
            [401, 404, 403, 201, 201, 201, 403, 404],
        ),
        row(
            "GET",
            "/api/v1/programs/{program}/{collection}/{key}",
            "/api/v1/programs/alpha/items/PAY-5",
            NoBody,
            Bare,
            READ,
        ),
        row(
            "PATCH",
            "/api/v1/programs/{program}/{collection}/{key}",
            "/api/v1/programs/alpha/items/PAY-5",
            Json(r#"{"version": {version}, "patch": {"remaining": 3}}"#),
            Bare,
            EDIT,
        ),
        row(
            "GET",
            "/api/v1/programs/{program}/sections/{section}",
            "/api/v1/programs/alpha/sections/program",
            NoBody,
            Bare,
            READ,
        ),
        row(
            "PATCH",
            "/api/v1/programs/{program}/sections/{section}",
            "/api/v1/programs/alpha/sections/program",
            Json(r#"{"version": {version}, "patch": {"goal": "Ship it"}}"#),
            Bare,
            EDIT,
        ),
        row(
            "PUT",
            "/api/v1/programs/{program}/{collection}/{key}",
            "/api/v1/programs/alpha/risks/R1",
            Json(r#"{"version": {version}, "body": {r1}}"#),
            Bare,
            EDIT,
        ),
        row(
            "DELETE",
            "/api/v1/programs/{program}/{collection}/{key}",
            "/api/v1/programs/alpha/risks/RZ-{n}?version=1",
            NoBody,
            Prep::FreshRisk,
            [401, 404, 403, 204, 204, 204, 403, 404],
        ),
        row(
            "GET",
            "/api/v1/programs/{program}/{collection}/{key}/history",
            "/api/v1/programs/alpha/items/PAY-5/history",
            NoBody,
            Bare,
            READ,
        ),
        // Setup is over: the code is spent, whoever asks.
        row(
            "POST",
            "/api/v1/setup",
            "/api/v1/setup",
            Json(r#"{"code": "0123456789abcdef", "name": "intruder", "password": "correct horse battery"}"#),
            Bare,
            ALL(404),
        ),
        row(
            "POST",
            "/api/v1/session",
            "/api/v1/session",
            Json(r#"{"name": "bob", "password": "correct horse battery"}"#),
            Bare,
            ALL(201),
        ),
        // A token has no session to end.
        row(
            "DELETE",
            "/api/v1/session",
            "/api/v1/session",
            NoBody,
            Prep::FreshSession,
            [401, 204, 204, 204, 204, 204, 400, 400],
        ),
        row("GET", "/api/v1/me", "/api/v1/me", NoBody, Bare, [401, 200, 200, 200, 200, 200, 200, 200]),
        row("GET", "/api/v1/me/tokens", "/api/v1/me/tokens", NoBody, Bare, [401, 200, 200, 200, 200, 200, 200, 200]),
        // Tokens are made when signed in, never by another token.
        row(
            "POST",
            "/api/v1/me/tokens",
            "/api/v1/me/tokens",
            Json(r#"{"name": "ci {n}"}"#),
            Bare,
            [401, 201, 201, 201, 201, 201, 403, 403],
        ),
        row(
            "DELETE",
            "/api/v1/me/tokens/{id}",
            "/api/v1/me/tokens/{token}",
            NoBody,
            Prep::OwnToken,
            [401, 204, 204, 204, 204, 204, 403, 403],
        ),
        row("GET", "/api/v1/users", "/api/v1/users", NoBody, Bare, [401, 403, 403, 403, 403, 200, 200, 403]),
        row(
            "POST",
            "/api/v1/users",
            "/api/v1/users",
            Json(r#"{"name": "new-{n}", "password": "correct horse battery"}"#),
            Bare,
            [401, 403, 403, 403, 403, 201, 403, 403],
        ),
        // One's own history, or anyone's for a server administrator;
        // someone else's looks like no one's.
        row(
            "GET",
            "/api/v1/users/{user}/history",
            "/api/v1/users/edna/history",
            NoBody,
            Bare,
            [401, 404, 404, 200, 404, 200, 200, 200],
        ),
        row("GET", "/healthz", "/healthz", NoBody, Bare, ALL(200)),
        row("GET", "/readyz", "/readyz", NoBody, Bare, ALL(200)),
        row("GET", "/api/openapi.json", "/api/openapi.json", NoBody, Bare, ALL(200)),
        row("GET", "/setup", "/setup", NoBody, Bare, ALL(200)),
        row(
            "POST",
            "/setup",
            "/setup",
            Form("code=0123456789abcdef&name=intruder&password=correct+horse+battery"),
            Bare,
            ALL(404),
        ),
    ]
}

/// One caller: how it authenticates, and the user behind it.
struct Subject {
    who: Who,
    client: Client,
    /// The user's name, for signing in again.
    name: Option<&'static str>,
    /// A cookie session of the same user, for making its tokens.
    session: Option<Client>,
}

struct World {
    server: Server,
    admin: Client,
    subjects: Vec<Subject>,
    files: String,
    counter: std::cell::Cell<usize>,
}

impl World {
    fn new(database: &str) -> World {
        let server = Server::start(database, RawConfig::default());
        let admin = first_admin(&server);
        create_example(&admin, "alpha");
        create_example(&admin, "beta");
        let olga = user(&server, &admin, "olga", Some(("beta", "admin")));
        let vera = user(&server, &admin, "vera", Some(("alpha", "viewer")));
        let edna = user(&server, &admin, "edna", Some(("alpha", "editor")));
        let paul = user(&server, &admin, "paul", Some(("alpha", "admin")));
        user(&server, &admin, "bob", Some(("alpha", "viewer")));
        let read_only = admin.token(None, false);
        let other_program = admin.token(Some(vec!["beta"]), true);
        let signed_in =
            |who, client: Client, name| Subject { who, session: Some(client.clone()), client, name: Some(name) };
        let subjects = vec![
            Subject { who: Who::Anonymous, client: Client::anonymous(&server), name: None, session: None },
            signed_in(Who::Outsider, olga, "olga"),
            signed_in(Who::Viewer, vera, "vera"),
            signed_in(Who::Editor, edna, "edna"),
            signed_in(Who::ProgramAdmin, paul, "paul"),
            signed_in(Who::ServerAdmin, admin.clone(), "admin"),
            Subject { who: Who::ReadOnlyToken, client: read_only, name: None, session: Some(admin.clone()) },
            Subject { who: Who::OtherProgramToken, client: other_program, name: None, session: Some(admin.clone()) },
        ];
        let files = Value::Array(example_files()).to_string();
        World { server, admin, subjects, files, counter: std::cell::Cell::new(0) }
    }

    fn next(&self) -> usize {
        self.counter.set(self.counter.get() + 1);
        self.counter.get()
    }

    /// Makes what `row` needs, fills in its placeholders, and calls it as
    /// `subject` (with `program` in place of `alpha`).
    fn call(&self, row: &Row, subject: &Subject, program: &str) -> Answer {
        let n = self.next();
        let mut path = row.path.replace("{n}", &n.to_string()).replace("/alpha", &format!("/{program}"));
        let mut client = subject.client.clone();
        match row.prep {
            Prep::None => {}
            Prep::FreshRisk => {
                let made = self.admin.call(
                    "POST",
                    "/api/v1/programs/alpha/risks",
                    Some(&json!({"id": format!("RZ-{n}"), "title": "Doomed", "likelihood": 1, "impact": 1, "status": "owned"})),
                );
                assert_eq!(made.status, 201, "{}", made.text);
            }
            Prep::BobIsMember => {
                let set =
                    self.admin.call("PUT", "/api/v1/programs/alpha/members/bob", Some(&json!({"role": "viewer"})));
                assert_eq!(set.status, 200, "{}", set.text);
            }
            Prep::OwnToken => {
                let owner = subject.session.as_ref().unwrap_or(&self.admin);
                let made = owner.call("POST", "/api/v1/me/tokens", Some(&json!({"name": "to revoke"})));
                assert_eq!(made.status, 201, "{}", made.text);
                path = path.replace("{token}", made.json["id"].as_str().expect("an id"));
            }
            Prep::FreshSession => {
                if let Some(name) = subject.name {
                    client = sign_in(&self.server, name);
                }
            }
        }
        let body = match row.body {
            Body::None => None,
            Body::Json(template) => {
                let mut text = template.replace("{n}", &n.to_string()).replace("{files}", &self.files);
                if text.contains("{version}") {
                    let entity = self.admin.get(row.path);
                    assert_eq!(entity.status, 200, "{}", entity.text);
                    text = text.replace("{version}", &entity.json["version"].to_string());
                }
                if text.contains("{r1}") {
                    let r1 = self.admin.get("/api/v1/programs/alpha/risks/R1");
                    text = text.replace("{r1}", &r1.json["body"].to_string());
                }
                Some(("application/json", text))
            }
            Body::Form(form) => Some(("application/x-www-form-urlencoded", form.to_owned())),
        };
        send(&client, row.method, &path, Credentials::AsClient, body)
    }
}

/// Which of a client's credentials a call sends.
enum Credentials<'a> {
    AsClient,
    /// The cookie alone, with the CSRF header as given (or none).
    CookieWithCsrf(Option<&'a str>),
}

/// One request as `client`, with a raw body of the content type given.
fn send(client: &Client, method: &str, path: &str, credentials: Credentials, body: Option<(&str, String)>) -> Answer {
    let mut headers: Vec<(&str, String)> = Vec::new();
    match (&client.auth, credentials) {
        (Auth::None, _) => {}
        (Auth::Token(t), _) => headers.push(("authorization", format!("Bearer {t}"))),
        (Auth::Cookie { cookie, csrf }, Credentials::AsClient) => {
            headers.push(("cookie", format!("linchpin_session={cookie}")));
            headers.push(("x-csrf-token", csrf.clone()));
        }
        (Auth::Cookie { cookie, .. }, Credentials::CookieWithCsrf(csrf)) => {
            headers.push(("cookie", format!("linchpin_session={cookie}")));
            if let Some(csrf) = csrf {
                headers.push(("x-csrf-token", csrf.to_owned()));
            }
        }
    }
    let request = ureq::http::Request::builder().method(method).uri(format!("{}{path}", client.base));
    let request = headers.iter().fold(request, |r, (k, v)| r.header(*k, v.as_str()));
    let response = match body {
        Some((content_type, text)) => {
            client.agent.run(request.header("content-type", content_type).body(text).expect("request"))
        }
        None => client.agent.run(request.body(()).expect("request")),
    };
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> =
        response.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let find = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (etag, set_cookie) = (find("etag"), find("set-cookie"));
    let text = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, etag, set_cookie, headers, text, json }
}

/// Every answer, errors too, carries the security headers and a request id.
fn assert_guarded(answer: &Answer, what: &str) {
    let csp = answer.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP is `{csp}`");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert!(answer.header("referrer-policy").is_some(), "{what}: no Referrer-Policy");
    assert!(answer.header("x-request-id").is_some_and(|id| !id.is_empty()), "{what}: no x-request-id");
    if answer.status >= 400 && answer.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        assert!(answer.json["error"]["code"].is_string(), "{what}: not the error shape: {}", answer.text);
    }
}

/// The (method, path) pairs the OpenAPI document describes.
fn documented_routes(document: &Value) -> BTreeSet<(String, String)> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
    let paths = document["paths"].as_object().expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| (m.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A 404 in the API's shape, with the request id left out: what two
/// answers must share to be told apart by nothing.
fn not_found_face(answer: &Answer) -> (u16, Value, Value) {
    (answer.status, answer.json["error"]["code"].clone(), answer.json["error"]["message"].clone())
}

on_both!(every_route_answers_every_caller_as_the_table_says);
fn every_route_answers_every_caller_as_the_table_says(database: &str, _: Backend) {
    let world = World::new(database);
    let table = table();

    // The table and the document name the same routes.
    let document = world.admin.get("/api/openapi.json");
    assert_eq!(document.status, 200);
    let documented = documented_routes(&document.json);
    let undocumented: BTreeSet<(String, String)> =
        UNDOCUMENTED.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    let rows: Vec<(String, String)> = table.iter().map(|r| (r.method.to_owned(), r.route.to_owned())).collect();
    let in_table: BTreeSet<(String, String)> = rows.iter().cloned().collect();
    assert_eq!(rows.len(), in_table.len(), "a route has two rows");
    let missing: Vec<_> = documented.difference(&in_table).collect();
    assert!(missing.is_empty(), "routes without a row in the table: {missing:?}");
    let unknown: Vec<_> = in_table.difference(&documented).filter(|r| !undocumented.contains(r)).collect();
    assert!(unknown.is_empty(), "rows for routes the document lacks: {unknown:?}");
    let both: Vec<_> = undocumented.intersection(&documented).collect();
    assert!(both.is_empty(), "routes listed as undocumented that the document has: {both:?}");

    let order: Vec<Who> = world.subjects.iter().map(|s| s.who).collect();
    assert_eq!(order, WHO, "the subjects are in the table's order");
    let mut wrong = Vec::new();
    for row in &table {
        for (subject, expected) in world.subjects.iter().zip(row.expect) {
            let answer = world.call(row, subject, "alpha");
            let what = format!("{} {} as {:?}", row.method, row.path, subject.who);
            assert_guarded(&answer, &what);
            if answer.status != expected {
                wrong.push(format!("{what}: {} (expected {expected}): {}", answer.status, answer.text));
            }
        }
    }
    assert!(wrong.is_empty(), "{} calls answered otherwise than the table says:\n{}", wrong.len(), wrong.join("\n"));
}

on_both!(what_one_may_not_see_looks_like_what_does_not_exist);
/// A program one may not see, and its entities, answer exactly as ones
/// that do not exist do: same status, same code, same message.
fn what_one_may_not_see_looks_like_what_does_not_exist(database: &str, _: Backend) {
    let world = World::new(database);
    let subject = |who| world.subjects.iter().find(|s| s.who == who).expect("a subject");
    let mut compared = 0;
    for row in table().iter().filter(|r| r.route.contains("{program}")) {
        for who in [Who::Outsider, Who::OtherProgramToken] {
            let hidden = world.call(row, subject(who), "alpha");
            let absent = world.call(row, subject(who), "no-such-program");
            let absent_to_admin = world.call(row, subject(Who::ServerAdmin), "no-such-program");
            let what = format!("{} {} as {who:?}", row.method, row.path);
            assert_eq!(hidden.status, 404, "{what}: {}", hidden.text);
            assert_eq!(not_found_face(&hidden), not_found_face(&absent), "{what}");
            assert_eq!(not_found_face(&hidden), not_found_face(&absent_to_admin), "{what}");
            compared += 1;
        }
    }
    assert!(compared >= 30, "only {compared} comparisons");

    // Inside a program one may see, an entity that does not exist answers
    // as one in a program one may not see.
    let viewer = &subject(Who::Viewer).client;
    let outsider = &subject(Who::Outsider).client;
    for path in ["/api/v1/programs/alpha/items/PAY-5", "/api/v1/programs/alpha/items/PAY-5/history"] {
        let hidden = outsider.get(path);
        let absent = viewer.get(&path.replace("PAY-5", "NO-SUCH-9"));
        assert_eq!(not_found_face(&hidden), not_found_face(&absent), "{path}");
        assert_eq!(hidden.status, 404);
    }

    // The outsider's list does not name the program; the scoped token's names only its own.
    let listed = |client: &Client| -> Vec<String> {
        let answer = client.get("/api/v1/programs");
        answer.json["programs"]
            .as_array()
            .expect("programs")
            .iter()
            .filter_map(|p| p["key"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(!listed(outsider).contains(&"alpha".to_owned()));
    assert_eq!(listed(&subject(Who::OtherProgramToken).client), ["beta"]);
}

on_both!(cookie_writes_need_their_own_csrf_token);
/// A write signed in by cookie needs the session's own CSRF token: without
/// one, or with another session's, it is refused with 403 and changes nothing.
fn cookie_writes_need_their_own_csrf_token(database: &str, _: Backend) {
    let world = World::new(database);
    let admin = &world.admin;
    let Auth::Cookie { csrf: other_csrf, .. } = &world.subjects[1].client.auth else { panic!("a cookie subject") };
    // What a write that got through would change.
    let snapshot = || {
        let count = |path: &str, field: Option<&str>| {
            let answer = admin.get(path);
            let list = field.map_or(&answer.json, |f| &answer.json[f]);
            list.as_array().map_or(0, Vec::len)
        };
        (
            admin.get("/api/v1/programs/alpha").json["version"].clone(),
            count("/api/v1/programs?limit=1000", Some("programs")),
            count("/api/v1/users?limit=1000", None),
            count("/api/v1/me/tokens", None),
            count("/api/v1/programs/alpha/members", None),
            count("/api/v1/users/admin/history?limit=1000", Some("entries")),
        )
    };
    let token = admin.call("POST", "/api/v1/me/tokens", Some(&json!({"name": "kept"})));
    let token_id = token.json["id"].as_str().expect("an id").to_owned();
    let mut checked = 0;
    for row in table().iter().filter(|r| r.method != "GET" && r.expect[0] == 401 && r.expect[5] < 300) {
        let before = snapshot();
        for csrf in [None, Some(other_csrf.as_str())] {
            let n = world.next();
            let fill = |t: &str| {
                t.replace("RZ-{n}", "R1")
                    .replace("{n}", &n.to_string())
                    .replace("{files}", &world.files)
                    .replace("{version}", &before.0.to_string())
                    .replace("{r1}", "{}")
                    .replace("{token}", &token_id)
            };
            let body = match row.body {
                Body::Json(template) => Some(("application/json", fill(template))),
                Body::Form(form) => Some(("application/x-www-form-urlencoded", form.to_owned())),
                Body::None => None,
            };
            let answer = send(admin, row.method, &fill(row.path), Credentials::CookieWithCsrf(csrf), body);
            let what = format!("{} {} with CSRF {csrf:?}", row.method, row.path);
            assert_guarded(&answer, &what);
            assert_eq!(answer.status, 403, "{what}: {}", answer.text);
            assert!(answer.text.contains("x-csrf-token"), "{what}: {}", answer.text);
            checked += 1;
        }
        assert_eq!(snapshot(), before, "{} {} changed something", row.method, row.path);
    }
    assert!(checked >= 24, "only {checked} refusals checked");
    // The session is still good, and reads by cookie need no CSRF token.
    let read = send(admin, "GET", "/api/v1/programs/alpha", Credentials::CookieWithCsrf(None), None);
    assert_eq!(read.status, 200, "{}", read.text);
}
