//! The dashboard's stories over plain HTTP, as a browser without script
//! would drive it: sign in through the form, read the pages, post the
//! forms with the CSRF token they carry, and be refused without it.

mod common;

use std::time::{Duration, Instant};

use common::*;
use linchpin_server::RawConfig;
use serde_json::Value;

/// A browser that does not follow redirects, so the tests see them.
struct Browser {
    agent: ureq::Agent,
    base: String,
    cookie: Option<String>,
}

struct Got {
    status: u16,
    location: Option<String>,
    set_cookie: Option<String>,
    text: String,
}

impl Browser {
    fn new(server: &Server) -> Browser {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Browser { agent, base: server.base.clone(), cookie: None }
    }

    fn request(&self, method: &str, path: &str, form: Option<&[(&str, &str)]>, origin: Option<&str>) -> Got {
        let mut request = ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", format!("linchpin_session={cookie}"));
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = match form {
            Some(fields) => {
                let body: String = fields
                    .iter()
                    .map(|(k, v)| format!("{}={}", linchpin_server::web::encode(k), linchpin_server::web::encode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                let request = request.header("content-type", "application/x-www-form-urlencoded");
                self.agent.run(request.body(body).expect("request")).expect("the server answers")
            }
            None => self.agent.run(request.body(()).expect("request")).expect("the server answers"),
        };
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (status, location, set_cookie) = (response.status().as_u16(), header("location"), header("set-cookie"));
        let mut response = response;
        let text = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string().unwrap_or_default();
        Got { status, location, set_cookie, text }
    }

    fn get(&self, path: &str) -> Got {
        self.request("GET", path, None, None)
    }

    /// A page once its numbers are computed (pages say so and reload meanwhile).
    fn page(&self, path: &str) -> String {
        let started = Instant::now();
        loop {
            let got = self.get(path);
            assert_eq!(got.status, 200, "{path}: {}", got.text);
            if !got.text.contains("data-computing") {
                return got.text;
            }
            assert!(started.elapsed() < Duration::from_secs(300), "{path} is still computing");
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Got {
        self.request("POST", path, Some(form), Some(&self.base))
    }

    fn sign_in(server: &Server, name: &str) -> Browser {
        let mut browser = Browser::new(server);
        let got = browser.post("/sign-in", &[("name", name), ("password", PASSWORD), ("next", "/p/platform")]);
        assert_eq!(got.status, 303, "{}", got.text);
        assert_eq!(got.location.as_deref(), Some("/p/platform"));
        browser.cookie = Some(cookie_value(got.set_cookie.as_deref().expect("a session cookie")));
        browser
    }
}

/// The value of the first `<input name=NAME … value=…>` after `from` in `html`.
fn input_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("an input `{name}`"));
    let rest = &html[at..];
    let value = rest.find("value=\"").expect("a value") + 7;
    let end = rest[value..].find('"').expect("the value ends");
    rest[value..value + end].to_owned()
}

/// A milestone row's cell, by its `data-field`.
fn cell(html: &str, milestone: &str, field: &str) -> String {
    let row = html.find(&format!("data-milestone=\"{milestone}\"")).unwrap_or_else(|| panic!("a row for {milestone}"));
    let rest = &html[row..];
    let at = rest.find(&format!("data-field=\"{field}\">")).expect("the cell") + field.len() + 14;
    let end = rest[at..].find('<').expect("the cell ends");
    rest[at..at + end].to_owned()
}

fn setup(database: &str) -> (Server, Client) {
    let server = Server::start(database, RawConfig::default());
    let admin = first_admin(&server);
    create_example(&admin, "platform");
    (server, admin)
}

/// Pages need a session: without one they send the visitor to sign in
/// and back; a wrong password says so and signs nobody in.
fn signing_in_comes_back_to_the_page(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    user(&server, &admin, "vera", Some(("platform", "viewer")));
    let anonymous = Browser::new(&server);
    let got = anonymous.get("/p/platform/risks?sort=id");
    assert_eq!(got.status, 303);
    assert_eq!(got.location.as_deref(), Some("/sign-in?next=%2Fp%2Fplatform%2Frisks%3Fsort%3Did"));
    let form = anonymous.get("/sign-in?next=%2Fp%2Fplatform");
    assert!(form.text.contains("name=\"password\"") && form.text.contains("value=\"/p/platform\""), "{}", form.text);
    let wrong = anonymous.post("/sign-in", &[("name", "vera"), ("password", "not it at all"), ("next", "/")]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.set_cookie.is_none() && wrong.text.contains("do not match"), "{}", wrong.text);
    // A next that leaves the site goes home instead.
    let away = anonymous.post("/sign-in", &[("name", "vera"), ("password", PASSWORD), ("next", "//evil.example/")]);
    assert_eq!(away.location.as_deref(), Some("/"));
    let vera = Browser::sign_in(&server, "vera");
    assert!(vera.page("/").contains("href=\"/p/platform\""));
    // Signing out ends the session on the server.
    let page = vera.page("/account");
    let csrf = input_value(&page, "csrf");
    assert_eq!(vera.post("/sign-out", &[("csrf", &csrf)]).status, 303);
    assert_eq!(vera.get("/account").status, 303, "the old cookie no longer signs in");
}

/// The program page's milestone table says what the API's forecast says,
/// and every page of the program answers.
fn the_pages_tell_the_engines_numbers(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    let browser = Browser::sign_in(&server, "admin");
    let program = browser.page("/p/platform");
    let forecast = admin.get("/api/v1/programs/platform/forecast");
    assert_eq!(forecast.status, 200, "{}", forecast.text);
    let milestones = forecast.json["milestones"].as_array().expect("milestones");
    assert!(!milestones.is_empty());
    for m in milestones {
        let key = m["id"].as_str().expect("a key");
        assert_eq!(cell(&program, key, "p50"), m["p50"].as_str().expect("p50"), "{key} P50");
        assert_eq!(cell(&program, key, "p80"), m["p80"].as_str().expect("p80"), "{key} P80");
        if let Some(chance) = m["probability_on_target"].as_f64() {
            assert_eq!(cell(&program, key, "chance"), format!("{:.0} %", 100.0 * chance), "{key} chance");
        }
    }
    assert!(program.contains("As of program version <strong>1</strong>"), "the page says which version it shows");
    let portfolio = browser.page("/");
    assert!(portfolio.contains("Payments platform migration") || portfolio.contains("platform"), "{portfolio}");
    for path in [
        "/p/platform?register=engineering",
        "/p/platform/teams/ledger",
        "/p/platform/items/PAY-5",
        "/p/platform/risks?status=all&sort=impact",
        "/p/platform/decisions?status=all",
        "/p/platform/what-if",
        "/account",
        "/admin",
    ] {
        let page = browser.page(path);
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("</html>"), "{path}");
    }
    let report = browser.page("/p/platform/report");
    assert!(report.contains("executive status"), "the printable report is the executive register");
    assert_eq!(browser.get("/p/nothing-here").status, 404);
    assert_eq!(browser.get("/p/platform/items/NOPE-1").status, 404);
}

/// An editor updates an item in one form post; the version check, the
/// resolver and the audit trail apply as to the API; forged posts and
/// viewers are refused and change nothing.
fn forms_write_through_the_same_checks(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    user(&server, &admin, "marta", Some(("platform", "editor")));
    user(&server, &admin, "vera", Some(("platform", "viewer")));
    let marta = Browser::sign_in(&server, "marta");
    let page = marta.page("/p/platform/items/PAY-5");
    let csrf = input_value(&page, "csrf");
    let version = input_value(&page, "version");
    let update = |csrf: &str, version: &str, remaining: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("version", version.to_owned()),
            ("status", "in_progress".to_owned()),
            ("remaining", remaining.to_owned()),
            ("actual_start", input_value(&page, "actual_start")),
            ("actual_finish", String::new()),
            ("health", "amber".to_owned()),
            ("note", "Waiting on the ledger's API review".to_owned()),
            ("update_date", "2026-11-20".to_owned()),
        ]
    };
    let borrowed = |fields: &[(&'static str, String)]| -> Vec<(&'static str, String)> { fields.to_vec() };
    let send = |browser: &Browser, fields: Vec<(&'static str, String)>, origin: Option<&str>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.request("POST", "/p/platform/items/PAY-5", Some(&pairs), origin)
    };
    let before = admin.get("/api/v1/programs/platform/items/PAY-5");

    // Forged: no token, another session's token, another site.
    let admin_browser = Browser::sign_in(&server, "admin");
    let admin_csrf = input_value(&admin_browser.page("/account"), "csrf");
    for (fields, origin) in [
        (update("", &version, "7"), Some(marta.base.as_str())),
        (update(&admin_csrf, &version, "7"), Some(marta.base.as_str())),
        (update(&csrf, &version, "7"), Some("http://evil.example")),
    ] {
        let got = send(&marta, borrowed(&fields), origin);
        assert_eq!(got.status, 403, "{}", got.text);
    }
    // A viewer sees no forms but signing out, and a post is refused.
    let vera = Browser::sign_in(&server, "vera");
    let viewed = vera.page("/p/platform/items/PAY-5");
    assert_eq!(viewed.matches("method=\"post\"").count(), 1, "only the sign-out form: {viewed}");
    for path in ["/p/platform/risks", "/p/platform/decisions"] {
        assert_eq!(vera.page(path).matches("method=\"post\"").count(), 1, "{path} has no forms for a viewer");
    }
    let vera_csrf = input_value(&viewed, "csrf");
    assert_eq!(send(&vera, update(&vera_csrf, &version, "7"), Some(&vera.base)).status, 403);
    let unchanged = admin.get("/api/v1/programs/platform/items/PAY-5");
    assert_eq!(unchanged.json["version"], before.json["version"], "nothing forged changed it");

    // The editor's form: one post, and the item, its status update and
    // the audit trail follow.
    let saved = send(&marta, update(&csrf, &version, "7"), Some(&marta.base));
    assert_eq!(saved.status, 303, "{}", saved.text);
    let after = admin.get("/api/v1/programs/platform/items/PAY-5");
    assert_eq!(after.json["body"]["remaining"], 7.0);
    let updates = admin.get("/api/v1/programs/platform/updates?limit=1000");
    assert!(
        updates.json["entities"].as_array().expect("updates").iter().any(|u| u["body"]["item"] == "PAY-5"
            && u["body"]["note"] == "Waiting on the ledger's API review"
            && u["body"]["author"] == "marta"),
        "{}",
        updates.text
    );
    let page = marta.page("/p/platform/items/PAY-5?saved=1");
    assert!(page.contains("Saved.") && page.contains("marta") && page.contains("remaining"), "the history shows it");
    // The same form again is stale: refused, nothing changed.
    let stale = send(&marta, update(&csrf, &version, "9"), Some(&marta.base));
    assert_eq!(stale.status, 409, "{}", stale.text);
    // A value the plan would refuse is refused with the plan's words.
    let fresh = marta.page("/p/platform/items/PAY-5");
    let bad = send(&marta, update(&csrf, &input_value(&fresh, "version"), "-3"), Some(&marta.base));
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("remaining"), "{}", bad.text);
    assert_eq!(admin.get("/api/v1/programs/platform/items/PAY-5").json["body"]["remaining"], 7.0);
}

/// Risks are added and closed, decisions recorded, blockers raised and
/// cleared, each through its form.
fn registers_change_through_their_forms(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    let browser = Browser::sign_in(&server, "admin");
    let page = browser.page("/p/platform/risks");
    let csrf = input_value(&page, "csrf");
    let added = browser.post(
        "/p/platform/risks",
        &[
            ("csrf", &csrf),
            ("id", "R99"),
            ("title", "The card network changes its token format"),
            ("likelihood", "2"),
            ("impact", "5"),
            ("owner", "Grace Liu"),
            ("mitigation", "Track the network's bulletins"),
            ("affects", "IDN-3, M2"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.text);
    let risk = admin.get("/api/v1/programs/platform/risks/R99");
    assert_eq!(risk.json["body"]["affects"], serde_json::json!(["IDN-3", "M2"]), "{}", risk.text);
    let version = risk.json["version"].to_string();
    let closed =
        browser.post("/p/platform/risks/R99/close", &[("csrf", &csrf), ("version", &version), ("status", "mitigated")]);
    assert_eq!(closed.status, 303, "{}", closed.text);
    assert_eq!(admin.get("/api/v1/programs/platform/risks/R99").json["body"]["status"], "mitigated");
    assert!(!browser.page("/p/platform/risks").contains("data-risk=\"R99\""), "a closed risk is not live");
    assert!(browser.page("/p/platform/risks?status=mitigated").contains("data-risk=\"R99\""));

    let recorded = browser.post(
        "/p/platform/decisions",
        &[
            ("csrf", &csrf),
            ("id", "D99"),
            ("question", "Which region hosts the vault replica?"),
            ("options", "eu-west: Dublin\neu-central: Frankfurt"),
            ("chosen", "eu-central"),
            ("date", "2026-11-20"),
            ("rationale", "Closer to the card processor"),
        ],
    );
    assert_eq!(recorded.status, 303, "{}", recorded.text);
    let decision = admin.get("/api/v1/programs/platform/decisions/D99");
    assert_eq!(decision.json["body"]["chosen"], "eu-central", "{}", decision.text);
    assert_eq!(decision.json["body"]["status"], "decided");

    let raised = browser.post(
        "/p/platform/items/PAY-5/blockers",
        &[("csrf", &csrf), ("description", "Sandbox keys expired"), ("owner", "Dev Patel"), ("raised", "2026-11-19")],
    );
    assert_eq!(raised.status, 303, "{}", raised.text);
    let blocker = admin.get("/api/v1/programs/platform/blockers/PAY-5@2026-11-19");
    assert_eq!(blocker.json["body"]["description"], "Sandbox keys expired", "{}", blocker.text);
    let item_page = browser.page("/p/platform/items/PAY-5");
    assert!(item_page.contains("Sandbox keys expired") && item_page.contains("Clear the blocker"));
    let cleared = browser.post(
        "/p/platform/items/PAY-5/blockers/PAY-5%402026-11-19/clear",
        &[("csrf", &csrf), ("version", &blocker.json["version"].to_string()), ("date", "2026-11-20")],
    );
    assert_eq!(cleared.status, 303, "{}", cleared.text);
    assert_eq!(admin.get("/api/v1/programs/platform/blockers/PAY-5@2026-11-19").json["body"]["resolved"], "2026-11-20");
}

/// The what-if page gives the schedule `linchpin schedule --slip` gives
/// for the same change, saves nothing until asked, and saves with the
/// version check.
fn what_if_moves_what_the_cli_moves(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    let browser = Browser::sign_in(&server, "admin");
    // The CLI's own what-if, on the same plan through the same code.
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
    let plan = linchpin_plan::load_path(&root, &linchpin_plan::LoadOptions::default()).expect("the example loads");
    let program = plan.into_program().expect("the example resolves");
    let settings = linchpin_server::web::analysed::settings(&program).expect("settings");
    let what_ifs = linchpin_analysis::what_if::WhatIfs { slips: vec!["LED-5=15".into()], ..Default::default() };
    let changes = what_ifs.changes(&program).expect("changes");
    let expected = linchpin_analysis::run::what_if(&program, &settings, &changes, &linchpin_engine::progress::Quiet)
        .expect("what-if");
    let page = browser.page("/p/platform/what-if?slips=LED-5%3D15");
    let mut moved = 0;
    for (b, a) in expected.before.milestones.iter().zip(&expected.after.milestones) {
        let key = &program.milestone(b.milestone).key;
        assert_eq!(cell(&page, key, "before"), b.date.to_string(), "{key} before");
        assert_eq!(cell(&page, key, "after"), a.date.to_string(), "{key} after");
        moved += usize::from(a.date != b.date);
    }
    assert!(moved > 0, "a 15-day slip of LED-5 moves some milestone");
    assert_eq!(cell(&page, "end", "after"), expected.after.end_date.to_string());
    let version_before = admin.get("/api/v1/programs/platform").json["version"].clone();
    assert_eq!(admin.get("/api/v1/programs/platform").json["version"], version_before, "looking saves nothing");
    let csrf = input_value(&page, "csrf");
    let saved = browser.post(
        "/p/platform/what-if",
        &[
            ("csrf", &csrf),
            ("version", &version_before.to_string()),
            ("estimates", ""),
            ("people", ""),
            ("slips", "LED-5=15"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text);
    let item = admin.get("/api/v1/programs/platform/items/LED-5");
    let planned: Value = expected
        .changed
        .item(program.keys().items["LED-5"])
        .estimate
        .map_or(Value::Null, |e| serde_json::json!([e.optimistic, e.likely, e.pessimistic]));
    if item.json["body"].get("remaining").is_none() {
        assert_eq!(item.json["body"]["estimate"], planned, "{}", item.text);
    }
    // Saving the same scenario again is against an old version: refused.
    let again = browser.post(
        "/p/platform/what-if",
        &[("csrf", &csrf), ("version", &version_before.to_string()), ("slips", "LED-5=15")],
    );
    assert_eq!(again.status, 409, "{}", again.text);
}

/// The P80 dates of version `version`'s row in the program page's
/// milestone trend table, in the table's (the plan's) milestone order.
fn trend_row(page: &str, version: i64) -> Option<Vec<String>> {
    let trend = &page[page.find("<h3>Trend</h3>")?..];
    let row = &trend[trend.find(&format!("<tr><td>v{version} "))?..];
    let row = &row[..row.find("</tr>").expect("the row ends")];
    Some(row.split("<td class=\"word\">").skip(1).map(|cell| cell.split('<').next().unwrap_or("").to_owned()).collect())
}

/// Each version's forecast is kept for the milestone trend in the
/// database: the chart shows every version forecast so far, with the
/// numbers the page showed for it, and still does after a restart.
fn the_milestone_trend_outlives_a_restart(database: &str, _: Backend) {
    let (server, admin) = setup(database);
    let browser = Browser::sign_in(&server, "admin");
    let first = browser.page("/p/platform");
    assert!(first.contains("The milestone trend shows once two versions"), "one version is no trend yet");
    let forecast = admin.get("/api/v1/programs/platform/forecast");
    let keys: Vec<String> = forecast.json["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .take(8)
        .map(|m| m["id"].as_str().expect("a key").to_owned())
        .collect();
    let p80s = |page: &str| -> Vec<String> { keys.iter().map(|k| cell(page, k, "p80")).collect() };
    let before = p80s(&first);

    // PAY-5 takes far longer: version 2 forecasts later dates.
    let item = admin.get("/api/v1/programs/platform/items/PAY-5");
    let patch = serde_json::json!({"version": item.json["version"], "patch": {"remaining": 120}});
    let done = admin.call("PATCH", "/api/v1/programs/platform/items/PAY-5", Some(&patch));
    assert_eq!(done.status, 200, "{}", done.text);
    let second = browser.page("/p/platform");
    let after = p80s(&second);
    assert_ne!(before, after, "a 120-day remainder moves some milestone's P80");
    assert_eq!(trend_row(&second, 1).as_ref(), Some(&before), "version 1 as its page showed it");
    assert_eq!(trend_row(&second, 2).as_ref(), Some(&after), "version 2 as this page shows it");

    // A new server on the same database shows the same trend.
    drop(browser);
    drop(server);
    let server = Server::start(database, RawConfig::default());
    let browser = Browser::sign_in(&server, "admin");
    let again = browser.page("/p/platform");
    assert_eq!(trend_row(&again, 1), Some(before));
    assert_eq!(trend_row(&again, 2), Some(after));
}

on_both!(signing_in_comes_back_to_the_page);
on_both!(the_milestone_trend_outlives_a_restart);
on_both!(the_pages_tell_the_engines_numbers);
on_both!(forms_write_through_the_same_checks);
on_both!(registers_change_through_their_forms);
on_both!(what_if_moves_what_the_cli_moves);
