//! What the browser tests share: a server on the example program with an
//! administrator, an editor and a viewer; chromedriver on a free port and
//! headless Chromium through it; signing in through the sign-in form; and
//! the checks run on every page (axe-core, the Nu Html Checker, a
//! screenshot that is not blank). Checks return what they found rather
//! than panic, so a test can close the browser before it fails.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use linchpin_server::{RawConfig, auth, example};
use linchpin_store::{NewUser, Role, Store};
use serde_json::{Value, json};

use crate::common::{self, Backend, Scratch, Server};

/// Whether the browser tests run here; when they do not, says so.
pub fn enabled(test: &str) -> bool {
    let on = std::env::var_os("LINCHPIN_BROWSER_TESTS").is_some();
    if !on {
        eprintln!("skipped: {test} needs headless Chromium (set LINCHPIN_BROWSER_TESTS=1, as .ci/run does)");
    }
    on
}

/// A user the dashboard tests sign in as.
#[derive(Clone, Copy, Debug)]
pub struct Account {
    pub name: &'static str,
    pub password: &'static str,
    /// Their role in the example program (a server administrator needs none).
    pub role: Option<Role>,
    pub server_admin: bool,
}

pub const ADMIN: Account = Account { name: "admin", password: "admin's password", role: None, server_admin: true };
pub const EDITOR: Account =
    Account { name: "editor", password: "editor's password", role: Some(Role::Editor), server_admin: false };
pub const VIEWER: Account =
    Account { name: "viewer", password: "viewer's password", role: Some(Role::Viewer), server_admin: false };

/// A server on a fresh SQLite file holding the example program as
/// `platform`, and [`ADMIN`], [`EDITOR`] and [`VIEWER`].
pub struct Dashboard {
    pub server: Server,
    _scratch: Scratch,
}

impl Dashboard {
    pub fn start(name: &str) -> Dashboard {
        let scratch = Scratch::new(&format!("browser-{name}"));
        let database = common::database(Backend::Sqlite, name, &scratch).expect("a SQLite file");
        let server = Server::start(&database, RawConfig::default());
        server.runtime.block_on(async {
            let store = &server.app.store;
            example::load_program(store).await.expect("the example loads");
            for account in [ADMIN, EDITOR, VIEWER] {
                let password_hash = auth::hash_password(account.password).expect("a hash");
                let user = NewUser {
                    name: account.name.to_owned(),
                    display_name: account.name.to_owned(),
                    password_hash,
                    server_admin: account.server_admin,
                };
                let user = store.create_user("test", user).await.expect("the user is made");
                if let Some(role) = account.role {
                    store.set_role("test", example::PROGRAM, user.id, Some(role)).await.expect("the role is given");
                }
            }
        });
        Dashboard { server, _scratch: scratch }
    }

    pub fn base(&self) -> &str {
        &self.server.base
    }
}

/// `chromedriver` on a free loopback port, in a process group of its own
/// so that the Chromium it starts goes with it even when a test panics.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    pub fn start() -> Driver {
        use std::os::unix::process::CommandExt as _;
        let path = std::env::var("LINCHPIN_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        assert!(
            Path::new(&path).is_file(),
            "no chromedriver at {path}: install Debian's `chromium-driver` (as .ci/run does) or set LINCHPIN_CHROMEDRIVER"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let child = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {path}: {e}"));
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let agent = common::agent();
        let start = Instant::now();
        loop {
            // `call` expects an answer: ask only once the port takes connections.
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                let status = common::call(&agent, "GET", &format!("{}/status", driver.url), &[], None);
                if status.status == 200 && status.json["value"]["ready"] == true {
                    return driver;
                }
            }
            assert!(start.elapsed() < Duration::from_secs(30), "chromedriver did not answer on {}", driver.url);
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is chromedriver's own: this ends it and the browsers it started, nothing else.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
    }
}

/// The Chromium to drive: `LINCHPIN_CHROMIUM`, else Debian's.
fn chromium() -> String {
    std::env::var("LINCHPIN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// A headless Chromium session, a laptop's window in size.
pub async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".to_owned(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": chromium(),
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-gpu",
                "--window-size=1280,1000",
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("Chromium does not start through chromedriver: {e}"))
}

fn failed(what: &str) -> impl Fn(fantoccini::error::CmdError) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// The path of the page the browser shows, with its query.
pub async fn current_path(client: &Client) -> Result<String, String> {
    let url = client.current_url().await.map_err(failed("the current address"))?;
    Ok(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    })
}

/// Signs in through the sign-in form, as a person does: types the name
/// and password, presses the form's button, and waits to be sent on.
pub async fn sign_in(client: &Client, base: &str, name: &str, password: &str) -> Result<(), String> {
    client.goto(&format!("{base}/sign-in")).await.map_err(failed("open /sign-in"))?;
    let form =
        client.find(Locator::XPath("//form[.//input[@name='password']]")).await.map_err(failed("the sign-in form"))?;
    let field = form.find(Locator::Css("input[name='name']")).await.map_err(failed("the `name` field"))?;
    field.send_keys(name).await.map_err(failed("type the name"))?;
    let field = form.find(Locator::Css("input[name='password']")).await.map_err(failed("the `password` field"))?;
    field.send_keys(password).await.map_err(failed("type the password"))?;
    let button = form
        .find(Locator::Css("button:not([type='button']):not([type='reset']), input[type='submit']"))
        .await
        .map_err(failed("the sign-in button"))?;
    button.click().await.map_err(failed("press the sign-in button"))?;
    let start = Instant::now();
    loop {
        let path = current_path(client).await?;
        if !path.starts_with("/sign-in") {
            break;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let text = client.find(Locator::Css("body")).await.map_err(failed("the page"))?.text().await;
            return Err(format!("still on {path} after signing in as `{name}`: {}", text.unwrap_or_default()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    session_cookie(client).await.map(drop)
}

/// The value of the browser's session cookie, to fetch pages over HTTP as the same user.
pub async fn session_cookie(client: &Client) -> Result<String, String> {
    let cookie = client.get_named_cookie(auth::SESSION_COOKIE).await.map_err(failed("the session cookie"))?;
    Ok(cookie.value().to_owned())
}

/// One page fetched over HTTP, redirects not followed.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub text: String,
}

/// `path` over plain HTTP with the session cookie: the HTML exactly as the
/// server sent it, which is what the checker must see (the browser's DOM
/// is already repaired).
pub fn fetch(base: &str, path: &str, cookie: &str) -> Fetched {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let header = format!("{}={cookie}", auth::SESSION_COOKIE);
    let answer = common::call(&agent, "GET", &format!("{base}{path}"), &[("cookie", &header)], None);
    Fetched {
        status: answer.status,
        content_type: answer.header("content-type").unwrap_or_default().to_owned(),
        location: answer.header("location").map(str::to_owned),
        text: answer.text,
    }
}

/// One rule axe-core found broken on a page.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub help_url: String,
    /// Each offending element, as a CSS selector path.
    pub targets: Vec<String>,
}

impl Violation {
    /// Impact "serious" or "critical": what fails a test.
    pub fn fails(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {} <{}>", self.id, self.impact, self.help, self.help_url)?;
        for target in &self.targets {
            write!(f, "\n      at {target}")?;
        }
        Ok(())
    }
}

/// axe-core's script, from `LINCHPIN_AXE_JS` (.ci/run installs npm's
/// `axe-core` and points it at `axe.min.js`).
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("LINCHPIN_AXE_JS")
            .expect("LINCHPIN_AXE_JS names axe-core's axe.min.js (.ci/run installs it into target/axe)");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read axe-core at {path}: {e}"))
    })
}

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] }).then(
  (r) => done({ violations: r.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map(String).join(" >>> ")),
  })) }),
  (e) => done({ error: String(e) }),
);
"#;

/// Every axe-core violation on the page the browser shows.
pub async fn axe(client: &Client) -> Result<Vec<Violation>, String> {
    client.execute(axe_source(), vec![]).await.map_err(failed("inject axe-core"))?;
    let result = client.execute_async(AXE_RUN, vec![]).await.map_err(failed("run axe-core"))?;
    if let Some(error) = result["error"].as_str() {
        return Err(format!("axe-core failed: {error}"));
    }
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let violations = result["violations"].as_array().ok_or_else(|| format!("axe-core answered {result}"))?;
    Ok(violations
        .iter()
        .map(|v| Violation {
            id: text(&v["id"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            help_url: text(&v["helpUrl"]),
            targets: v["targets"].as_array().map(|t| t.iter().map(text).collect()).unwrap_or_default(),
        })
        .collect())
}

/// An error the Nu Html Checker found.
#[derive(Debug, Clone)]
pub struct VnuError {
    /// The page's name as given to [`vnu`].
    pub page: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub extract: String,
}

impl std::fmt::Display for VnuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let extract = self.extract.replace('\n', " ");
        write!(f, "{} line {} column {}: {}\n      near: {extract}", self.page, self.line, self.column, self.message)
    }
}

/// Checks pages' HTML with the Nu Html Checker (`LINCHPIN_VNU_JAR`, on the
/// machine's Java), all in one run, for they are many and Java is slow to
/// start: every error, named by the page it is in.
pub fn vnu(pages: &[(String, String)]) -> Vec<VnuError> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    if pages.is_empty() {
        return Vec::new();
    }
    let jar = std::env::var("LINCHPIN_VNU_JAR")
        .expect("LINCHPIN_VNU_JAR names vnu.jar (.ci/run installs npm's vnu-jar into target/vnu)");
    let dir = Scratch::new(&format!("vnu-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let files: Vec<PathBuf> = pages
        .iter()
        .enumerate()
        .map(|(i, (_, html))| {
            let file = dir.0.join(format!("{i:04}.html"));
            std::fs::write(&file, html).expect("a page written");
            file
        })
        .collect();
    let output = Command::new("java")
        .args(["-jar", &jar, "--errors-only", "--format", "json", "--stdout"])
        .args(&files)
        .output()
        .expect("java runs the Nu Html Checker");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "the Nu Html Checker printed no JSON report:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let page_of = |url: &str| {
        let index: Option<usize> =
            url.rsplit('/').next().and_then(|f| f.strip_suffix(".html")).and_then(|n| n.parse().ok());
        index.and_then(|i| pages.get(i)).map_or_else(|| url.to_owned(), |(name, _)| name.clone())
    };
    report["messages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("error" | "non-document-error")))
        .map(|m| VnuError {
            page: page_of(m["url"].as_str().unwrap_or_default()),
            line: m["lastLine"].as_u64().unwrap_or(0),
            column: m["firstColumn"].as_u64().or_else(|| m["lastColumn"].as_u64()).unwrap_or(0),
            message: m["message"].as_str().unwrap_or_default().to_owned(),
            extract: m["extract"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// Where screenshots are kept for a person to look at: `target/screenshots`.
pub fn screenshots() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

/// A file name for a page: `p/platform/items/PAY-5` → `p_platform_items_PAY-5`.
pub fn file_name(path: &str) -> String {
    let name: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
        .collect();
    if name.is_empty() { "index".to_owned() } else { name }
}

/// The most a screenshot's commonest colour may cover: a page with a
/// heading and a line of text in a 1280 x 1000 window has more than this
/// much else; a white or error-coloured window does not.
pub const MOST_OF_ONE_COLOUR: f64 = 0.995;

/// Takes a screenshot, saves it as `target/screenshots/{name}.png`, and
/// fails when it is blank: one colour covering nearly all of it.
pub async fn screenshot_not_blank(client: &Client, name: &str) -> Result<(), String> {
    let png = client.screenshot().await.map_err(failed("take a screenshot"))?;
    let file = screenshots().join(format!("{name}.png"));
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    }
    std::fs::write(&file, &png).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let share = commonest_colour_share(&png)?;
    if share > MOST_OF_ONE_COLOUR {
        return Err(format!(
            "the screenshot is blank: one colour covers {:.2}% of it ({})",
            share * 100.0,
            file.display()
        ));
    }
    Ok(())
}

/// The share of a PNG's pixels that have its commonest colour.
pub fn commonest_colour_share(png: &[u8]) -> Result<f64, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| format!("the screenshot is not a PNG: {e}"))?;
    let size = reader.output_buffer_size().ok_or("the screenshot is too large to decode")?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(|e| format!("the screenshot does not decode: {e}"))?;
    let samples = frame.color_type.samples();
    let mut counts: HashMap<&[u8], u64> = HashMap::new();
    for row in pixels[..frame.buffer_size()].chunks_exact(frame.line_size) {
        for pixel in row[..frame.width as usize * samples].chunks_exact(samples) {
            *counts.entry(pixel).or_default() += 1;
        }
    }
    let total = u64::from(frame.width) * u64::from(frame.height);
    let most = counts.values().copied().max().unwrap_or(0);
    if total == 0 {
        return Err("the screenshot has no pixels".to_owned());
    }
    Ok(most as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                data.extend(pixel(x, y));
            }
        }
        writer.write_image_data(&data).expect("pixels");
        writer.finish().expect("finished");
        out
    }

    #[test]
    fn a_blank_screenshot_is_one_colour_and_a_page_is_not() {
        let white = png_of(100, 100, |_, _| [255, 255, 255]);
        assert_eq!(commonest_colour_share(&white), Ok(1.0));
        // A heading's worth of dark pixels: 2% of the window.
        let page = png_of(100, 100, |x, y| if y < 2 && x < 100 { [20, 20, 20] } else { [255, 255, 255] });
        let share = commonest_colour_share(&page).expect("decodes");
        assert!((share - 0.98).abs() < 1e-9 && share < MOST_OF_ONE_COLOUR, "{share}");
        assert!(commonest_colour_share(b"not a png").is_err());
    }

    #[test]
    fn page_paths_become_file_names() {
        assert_eq!(file_name("/"), "index");
        assert_eq!(file_name("/p/platform/items/PAY-5"), "p_platform_items_PAY-5");
        assert_eq!(file_name("/p/platform/risks?sort=score&dir=desc"), "p_platform_risks_sort_score_dir_desc");
    }
}
