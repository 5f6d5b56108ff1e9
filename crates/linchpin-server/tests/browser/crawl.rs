//! Every page of the dashboard, reached the way a person reaches it: signed
//! in through the form, from `/`, following each same-origin link. Each
//! page must answer 200 with HTML, stay where it was asked for, pass
//! axe-core (no "serious" or "critical" violation) and the Nu Html Checker
//! (no error), and show a screenshot that is not blank. Pages many of a
//! kind (items, teams, sorted registers) are checked a few of each. A page
//! that says it is still computing is checked as it is, and again once
//! its numbers are there.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use std::time::{Duration, Instant};

use fantoccini::Client;

use super::harness::{self, ADMIN, Account, Dashboard, Driver, VIEWER};

/// The most pages one crawl opens.
const MOST_PAGES: usize = 200;
/// The most pages of one kind (one path template, see [`template`]).
const PER_TEMPLATE: usize = 3;

/// Path segments after which the next one names an entity.
const NAMING: &[&str] = &["p", "items", "teams", "risks", "decisions", "milestones", "users", "tokens", "systems"];

/// A page's kind: its path with entity names as `*`, and its query's keys:
/// `/p/platform/items/PAY-5` → `/p/*/items/*`, `/p/x/risks?sort=score` →
/// `/p/*/risks?sort`.
fn template(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out = Vec::new();
    let mut naming = false;
    for segment in path.split('/') {
        out.push(if naming && !segment.is_empty() { "*" } else { segment });
        naming = NAMING.contains(&segment);
    }
    let mut template = out.join("/");
    if !query.is_empty() {
        let mut keys: Vec<&str> = query.split('&').map(|kv| kv.split('=').next().unwrap_or_default()).collect();
        keys.sort_unstable();
        keys.dedup();
        template.push('?');
        template.push_str(&keys.join("&"));
    }
    template
}

/// Whether a link is one the crawl follows: a page of this server, not
/// the API and not signing out.
fn followed(base: &str, href: &str) -> Option<String> {
    let rest = href.strip_prefix(base)?;
    if !rest.starts_with('/') {
        return None;
    }
    let path = rest.split('#').next().unwrap_or_default();
    let bare = path.split('?').next().unwrap_or_default();
    if bare.starts_with("/api/") || bare == "/api" || bare == "/sign-out" || bare == "/healthz" || bare == "/readyz" {
        return None;
    }
    Some(path.to_owned())
}

/// How long a page may say it is computing before the crawl gives up on it.
const COMPUTING_AT_MOST: Duration = Duration::from_secs(180);

/// A page that says its numbers are still being computed and reloads by
/// itself: checked as it is, and again once computed.
fn is_computing(html: &str) -> bool {
    html.contains("data-computing")
}

const LINKS: &str =
    "return [...document.querySelectorAll('a[href]')].filter((a) => !a.hasAttribute('download')).map((a) => a.href);";

struct Crawl {
    /// Each page opened, in order.
    visited: Vec<String>,
    /// Each address not opened in the browser, and why.
    passed_over: Vec<String>,
    problems: Vec<String>,
    /// Each page's HTML as the server sent it, for the checker.
    html: Vec<(String, String)>,
}

async fn crawl(client: &Client, base: &str, who: &Account) -> Crawl {
    let mut crawl = Crawl { visited: Vec::new(), passed_over: Vec::new(), problems: Vec::new(), html: Vec::new() };
    if let Err(e) = harness::sign_in(client, base, who.name, who.password).await {
        crawl.problems.push(format!("signing in as {}: {e}", who.name));
        return crawl;
    }
    let cookie = match harness::session_cookie(client).await {
        Ok(cookie) => cookie,
        Err(e) => {
            crawl.problems.push(e);
            return crawl;
        }
    };
    // Each page to open, and whether it is a second look at one that was computing.
    let mut queue = VecDeque::from([("/".to_owned(), false)]);
    let mut seen: HashSet<String> = HashSet::from(["/".to_owned()]);
    let mut per_template: HashMap<String, usize> = HashMap::new();
    // Pages not opened because enough of their kind were.
    let mut more_of: BTreeMap<String, usize> = BTreeMap::new();
    // Pages that said they were computing, to check again once they are not.
    let mut computing: Vec<String> = Vec::new();
    loop {
        if queue.is_empty() {
            queue.extend(computing.drain(..).map(|path| (path, true)));
        }
        let Some((path, again)) = queue.pop_front() else { break };
        if !again {
            if crawl.visited.len() >= MOST_PAGES {
                crawl.passed_over.push(format!("{path}: past {MOST_PAGES} pages"));
                continue;
            }
            let kind = template(&path);
            let count = per_template.entry(kind.clone()).or_default();
            if *count >= PER_TEMPLATE {
                *more_of.entry(kind).or_default() += 1;
                continue;
            }
            *count += 1;
        }
        let mut enqueue = |href: &str, queue: &mut VecDeque<(String, bool)>| {
            if let Some(next) = followed(base, href)
                && seen.insert(next.clone())
            {
                queue.push_back((next, false));
            }
        };

        let mut fetched = harness::fetch(base, &path, &cookie);
        if again {
            let start = Instant::now();
            while fetched.status == 200 && is_computing(&fetched.text) && start.elapsed() < COMPUTING_AT_MOST {
                tokio::time::sleep(Duration::from_millis(250)).await;
                fetched = harness::fetch(base, &path, &cookie);
            }
            if is_computing(&fetched.text) {
                crawl.problems.push(format!("{path}: still computing after {} s", COMPUTING_AT_MOST.as_secs()));
                continue;
            }
        }
        if (300..400).contains(&fetched.status) {
            let location = fetched.location.unwrap_or_default();
            if location.starts_with("/sign-in") || location.contains("/sign-in?") {
                crawl.problems.push(format!("{path}: sends {} back to sign in ({location})", who.name));
            } else {
                crawl.passed_over.push(format!("{path}: redirects to {location}"));
                let absolute = if location.starts_with('/') { format!("{base}{location}") } else { location };
                enqueue(&absolute, &mut queue);
            }
            continue;
        }
        if fetched.status != 200 {
            let start: String = fetched.text.chars().take(300).collect();
            crawl.problems.push(format!("{path}: HTTP {} for {}: {start}", fetched.status, who.name));
            continue;
        }
        if !fetched.content_type.starts_with("text/html") {
            crawl.passed_over.push(format!("{path}: {} (not a page)", fetched.content_type));
            continue;
        }
        let state = if is_computing(&fetched.text) {
            computing.push(path.clone());
            " (computing)"
        } else {
            ""
        };
        crawl.visited.push(format!("{path}{state}"));
        crawl.html.push((format!("{path}{state} (as {})", who.name), fetched.text));

        let suffix = if state.is_empty() { "" } else { "-computing" };
        let name = format!("{}/{}{suffix}", who.name, harness::file_name(&path));
        let mut problem = |what: String| crawl.problems.push(format!("{path}{state}: {what}"));
        if let Err(e) = client.goto(&format!("{base}{path}")).await {
            problem(format!("the browser cannot open it: {e}"));
            continue;
        }
        match harness::current_path(client).await {
            Ok(now) if now != path => problem(format!("the browser ended up at {now}")),
            Ok(_) => {}
            Err(e) => problem(e),
        }
        match harness::axe(client).await {
            Ok(violations) => {
                for violation in violations.iter().filter(|v| v.fails()) {
                    problem(format!("axe: {violation}"));
                }
            }
            Err(e) => problem(e),
        }
        if let Err(e) = harness::screenshot_not_blank(client, &name).await {
            problem(e);
        }
        match client.execute(LINKS, vec![]).await {
            Ok(links) => {
                for href in links.as_array().map(Vec::as_slice).unwrap_or_default() {
                    enqueue(href.as_str().unwrap_or_default(), &mut queue);
                }
            }
            Err(e) => problem(format!("its links: {e}")),
        }
    }
    for (kind, more) in more_of {
        crawl.passed_over.push(format!("{more} more like {kind} ({PER_TEMPLATE} of them were checked)"));
    }
    crawl
}

/// The pages a crawl as `who` must reach by links alone: the page contract's.
fn expected(who: &Account) -> Vec<&'static str> {
    let mut pages = vec![
        "/",
        "/p/platform",
        "/p/platform/teams/*",
        "/p/platform/items/*",
        "/p/platform/risks",
        "/p/platform/decisions",
        "/p/platform/what-if",
        "/p/platform/report",
        "/account",
    ];
    if who.server_admin {
        pages.push("/admin");
    }
    pages
}

fn crawl_as(who: Account) {
    if !harness::enabled(&format!("the crawl of every page as {}", who.name)) {
        return;
    }
    let dashboard = Dashboard::start(&format!("crawl_{}", who.name));
    let driver = Driver::start();
    let base = dashboard.base().to_owned();
    let crawl = dashboard.server.runtime.block_on(async {
        let client = harness::browser(&driver).await;
        let crawl = crawl(&client, &base, &who).await;
        let _ = client.close().await;
        crawl
    });
    let mut problems = crawl.problems;
    for error in harness::vnu(&crawl.html) {
        problems.push(format!("vnu: {error}"));
    }
    let reached: BTreeSet<String> = crawl
        .visited
        .iter()
        .map(|p| {
            let bare = p.split(['?', ' ']).next().unwrap_or_default();
            let template = template(bare).replacen("/p/*", "/p/platform", 1);
            if template.ends_with("/*") { template } else { bare.to_owned() }
        })
        .collect();
    for page in expected(&who) {
        if !reached.contains(page) {
            problems.push(format!("no link leads {} to {page}", who.name));
        }
    }
    eprintln!(
        "crawled {} pages as {} into {}:\n  {}\npassed over:\n  {}",
        crawl.visited.len(),
        who.name,
        harness::screenshots().join(who.name).display(),
        crawl.visited.join("\n  "),
        crawl.passed_over.join("\n  ")
    );
    assert!(problems.is_empty(), "{} problems crawling as {}:\n{}", problems.len(), who.name, problems.join("\n"));
}

#[test]
fn every_page_an_admin_reaches_passes_every_check() {
    crawl_as(ADMIN);
}

#[test]
fn every_page_a_viewer_reaches_passes_every_check() {
    crawl_as(VIEWER);
}

#[test]
fn pages_of_a_kind_share_a_template() {
    assert_eq!(template("/"), "/");
    assert_eq!(template("/p/platform"), "/p/*");
    assert_eq!(template("/p/platform/items/PAY-5"), "/p/*/items/*");
    assert_eq!(template("/p/platform/risks"), "/p/*/risks");
    assert_eq!(template("/p/platform/risks?sort=score&dir=up&sort=x"), "/p/*/risks?dir&sort");
    assert_eq!(template("/p/platform/teams/sre"), "/p/*/teams/*");
    let base = "http://127.0.0.1:9";
    assert_eq!(followed(base, "http://127.0.0.1:9/p/platform#top"), Some("/p/platform".to_owned()));
    assert_eq!(followed(base, "http://127.0.0.1:9/api/v1/programs"), None);
    assert_eq!(followed(base, "http://127.0.0.1:9/sign-out"), None);
    assert_eq!(followed(base, "http://127.0.0.1:90/p/x"), None);
    assert_eq!(followed(base, "https://example.com/"), None);
}
