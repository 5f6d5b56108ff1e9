//! The page around every page: a skip link, the site and program
//! navigation, who is signed in, the content, and a footer that says as
//! of which program version and status date the page was computed, so
//! stale data is never shown as current. Errors are pages too.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Visitor;
use crate::error::ApiError;

/// The program a page belongs to, for its navigation and footer.
pub struct ProgramNav<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub version: i64,
    pub status_date: Option<chrono::NaiveDate>,
    /// Which of the program's pages this is, to mark it in the navigation.
    pub current: &'a str,
}

/// A whole page.
pub struct Page<'a> {
    pub title: String,
    pub visitor: Option<&'a Visitor>,
    pub program: Option<ProgramNav<'a>>,
    pub body: Markup,
    /// Whether the page says its numbers are still being computed: it then
    /// asks again every few seconds (a script) and shows the numbers once
    /// they are there, and offers a link to reload meanwhile.
    pub computing: bool,
}

impl Page<'_> {
    pub fn render(self) -> Markup {
        let title = match &self.program {
            Some(p) => format!("{} · {} · Linchpin", self.title, p.name),
            None => format!("{} · Linchpin", self.title),
        };
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    @if self.computing {
                        script src="/assets/computing.js" defer {}
                    }
                    title { (title) }
                    link rel="stylesheet" href="/assets/style.css";
                }
                body {
                    a.skip href="#main" { "Skip to content" }
                    header.site {
                        nav aria-label="Site" {
                            a.brand href="/" { "Linchpin" }
                            @if let Some(p) = &self.program {
                                span.sep aria-hidden="true" { "/" }
                                a href={ "/p/" (super::encode(p.key)) } { (p.name) }
                            }
                            span.spacer {}
                            @if let Some(v) = self.visitor {
                                a href="/account" { "Account (" (v.name()) ")" }
                                @if v.caller.user.server_admin {
                                    a href="/admin" { "Administration" }
                                }
                                form.inline method="post" action="/sign-out" {
                                    input type="hidden" name="csrf" value=(v.csrf);
                                    button type="submit" { "Sign out" }
                                }
                            }
                        }
                        @if let Some(p) = &self.program {
                            (program_nav(p))
                        }
                    }
                    main id="main" tabindex="-1" data-computing[self.computing] {
                        (self.body)
                        @if self.computing {
                            p { a href="" { "Reload now" } }
                        }
                    }
                    @if let Some(p) = &self.program {
                        footer.site {
                            p {
                                "As of program version " strong { (p.version) }
                                @match p.status_date {
                                    Some(d) => { ", status date " strong { (d) } }
                                    None => { ", no status date set" }
                                }
                                ". Pages are computed from this version; a change made since shows on reload."
                            }
                        }
                    }
                }
            }
        }
    }

    pub fn into_response(self) -> Response {
        html_response(StatusCode::OK, self.render())
    }
}

fn program_nav(p: &ProgramNav) -> Markup {
    let base = format!("/p/{}", super::encode(p.key));
    let links = [
        ("overview", "Overview", base.clone()),
        ("engineering", "Engineering", format!("{base}?register=engineering")),
        ("risks", "Risks", format!("{base}/risks")),
        ("decisions", "Decisions", format!("{base}/decisions")),
        ("what-if", "What-if", format!("{base}/what-if")),
        ("report", "Printable report", format!("{base}/report")),
    ];
    html! {
        nav.program aria-label="Program" {
            ul {
                @for (id, label, href) in links {
                    li {
                        @if id == p.current {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

pub fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Pages hold a program's numbers and the CSRF token: never kept by a
    // shared cache, and not served from the browser's cache after sign-out.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An error, shown as a page.
#[derive(Debug)]
pub struct WebError(pub ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        WebError(e)
    }
}

impl From<linchpin_store::StoreError> for WebError {
    fn from(e: linchpin_store::StoreError) -> Self {
        WebError(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let (title, detail): (&str, Markup) = match &self.0 {
            ApiError::NotFound => ("Not found", html! { p { "There is nothing here, or nothing you may see." } }),
            ApiError::Invalid(problems) => (
                "The change was not made",
                html! {
                    p { "It would leave the plan with errors, so nothing was saved:" }
                    ul {
                        @for p in problems {
                            li {
                                code { (p.field) } ": " (p.message)
                                @if let Some(help) = &p.help { " " em { (help) } }
                            }
                        }
                    }
                    p { "Go back, correct the form and send it again." }
                },
            ),
            ApiError::Conflict { message, .. } => (
                "Someone changed it first",
                html! { p { (message) } p { "Nothing was saved. Reload the page to see the change, then redo yours." } },
            ),
            ApiError::Internal(_) => {
                let id = crate::error::request_id();
                tracing::error!(request_id = id, error = %self.0, "a page failed");
                (
                    "Something went wrong",
                    html! { p { "The server failed to answer. Quote request id " code { (id) } " when reporting it." } },
                )
            }
            other => (
                match status {
                    StatusCode::FORBIDDEN => "Not allowed",
                    StatusCode::BAD_REQUEST => "That cannot be done",
                    StatusCode::SERVICE_UNAVAILABLE => "Busy",
                    StatusCode::TOO_MANY_REQUESTS => "Too many tries",
                    _ => "That did not work",
                },
                html! { p { (other.to_string()) } },
            ),
        };
        let page = Page {
            title: title.to_owned(),
            visitor: None,
            program: None,
            body: html! { h1 { (title) } (detail) p { a href="/" { "Back to the portfolio" } } },
            computing: false,
        };
        html_response(status, page.render())
    }
}

/// Markup already escaped (a report's blocks, a chart's SVG).
pub fn trusted<T: AsRef<str>>(html: T) -> PreEscaped<T> {
    PreEscaped(html)
}

/// The script of a page that is still computing: asks for the page again
/// every two seconds and shows it once it no longer says so. The page
/// never reloads by a timer while someone reads it; it changes only when
/// there is news (and works without script: it has a reload link).
pub async fn computing_script() -> Response {
    const SCRIPT: &str = r#"(function () {
  "use strict";
  var url = window.location.href;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        if (text.indexOf("data-computing") === -1) { window.location.reload(); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
})();
"#;
    let mut response = SCRIPT.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// The one style sheet: the report's own (so a register reads the same
/// on a page as in `linchpin report`), then the dashboard's.
pub async fn style_sheet() -> Response {
    let css = format!("{}\n{DASHBOARD}", linchpin_report::document::style());
    let mut response = css.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// Colours meet WCAG AA contrast (4.5:1 for text); focus is always
/// visible; layouts fold to one column on a phone.
const DASHBOARD: &str = r#"
main { max-width: 72rem; }
a { color: #0b57d0; }
a:visited { color: #6a1b9a; }
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.site { background: #f6f7f9; border-bottom: 1px solid #d0d4da; }
header.site nav[aria-label="Site"] { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; max-width: 72rem; margin: 0 auto; padding: .6rem 1.5rem; }
header.site .brand { font-weight: 700; color: #1b1b1b; text-decoration: none; }
header.site .spacer { flex: 1; }
nav.program { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem .4rem; }
nav.program ul { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: 0; padding: 0; }
nav.program a[aria-current="page"] { font-weight: 700; color: #1b1b1b; }
form.inline { display: inline; margin: 0; }
button, input, select, textarea { font: inherit; }
button { padding: .35rem .8rem; border: 1px solid #5f6368; border-radius: 4px; background: #fff; color: #1b1b1b; cursor: pointer; }
button.primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
input, select, textarea { padding: .3rem .4rem; border: 1px solid #5f6368; border-radius: 3px; max-width: 100%; box-sizing: border-box; }
label { display: block; font-weight: 600; margin: .6rem 0 .2rem; }
label.inline { display: inline; margin: 0 .3rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.teams { columns: 2 16rem; }
fieldset { border: 1px solid #d0d4da; margin: 1rem 0; padding: .4rem 1rem 1rem; }
legend { font-weight: 700; padding: 0 .3rem; }
.form-row { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; align-items: flex-end; }
.form-row > div { min-width: 10rem; }
.hint { color: #4a4f57; font-size: .9rem; margin: .2rem 0; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-weight: 700; font-size: .85rem; }
.health-green { background: #1a7f37; color: #fff; }
.health-amber { background: #f5c542; color: #1b1b1b; }
.health-red { background: #b42318; color: #fff; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
.card { border: 1px solid #d0d4da; border-radius: 6px; padding: .8rem 1rem; }
.card h2 { border: 0; margin: 0 0 .4rem; }
.notice { border-left: 4px solid #0b57d0; background: #eef3fd; padding: .6rem 1rem; }
.warning { border-left: 4px solid #b42318; background: #fdf0ee; padding: .6rem 1rem; }
.done { border-left: 4px solid #1a7f37; background: #edf7f0; padding: .6rem 1rem; }
.secret { font-family: ui-monospace, monospace; word-break: break-all; background: #f6f7f9; padding: .4rem; }
.table-scroll { overflow-x: auto; }
.split { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
footer.site { max-width: 72rem; margin: 2rem auto 0; padding: 1rem 1.5rem; border-top: 1px solid #d0d4da; color: #4a4f57; font-size: .9rem; }
@media (max-width: 40rem) { .split { grid-template-columns: 1fr; } main { padding: 1rem; } }
@media print { header.site, footer.site, form { display: none; } }
"#;
