//! The dashboard's stories in the browser, as the people of the product
//! would live them: the VP reads the milestone table (the API's numbers),
//! a lead updates an item in one form and sees the forecast move, a viewer
//! finds no forms, a forged post changes nothing, and a TPM tries a slip
//! and sees what `linchpin schedule --slip` says.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::harness::{self, ADMIN, Dashboard, Driver, EDITOR, VIEWER};

fn failed(what: &str) -> impl Fn(fantoccini::error::CmdError) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// Opens `path` and waits until it no longer says it is computing.
async fn open(client: &Client, base: &str, path: &str) -> Result<(), String> {
    let started = Instant::now();
    loop {
        client.goto(&format!("{base}{path}")).await.map_err(failed(path))?;
        let source = client.source().await.map_err(failed("the page's source"))?;
        if !source.contains("data-computing") {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(180) {
            return Err(format!("{path} still says it is computing"));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The text of the cell `field` in the row of `row` (a `data-milestone`).
async fn cell(client: &Client, table: &str, row: &str, field: &str) -> Result<String, String> {
    let css = format!("table#{table} tr[data-milestone='{row}'] td[data-field='{field}']");
    let element = client.find(Locator::Css(&css)).await.map_err(failed(&css))?;
    element.text().await.map_err(failed(&css))
}

fn api(base: &str, path: &str, cookie: &str) -> Value {
    let fetched = harness::fetch(base, path, cookie);
    assert_eq!(fetched.status, 200, "{path}: {}", fetched.text);
    serde_json::from_str(&fetched.text).expect("JSON")
}

/// Runs `story` in a browser, closes it, and fails with what it found.
fn in_browser<F>(name: &str, story: impl FnOnce(Client, String) -> F)
where
    F: Future<Output = Result<(), String>>,
{
    if !harness::enabled(name) {
        return;
    }
    let dashboard = Dashboard::start(&name.replace(' ', "_"));
    let driver = Driver::start();
    let base = dashboard.base().to_owned();
    let outcome = dashboard.server.runtime.block_on(async {
        let client = harness::browser(&driver).await;
        let outcome = story(client.clone(), base).await;
        if outcome.is_err() {
            let _ = harness::screenshot_not_blank(&client, &format!("failed-{}", name.replace(' ', "-"))).await;
        }
        let _ = client.close().await;
        outcome
    });
    if let Err(e) = outcome {
        panic!("{name}: {e}");
    }
}

#[test]
fn the_milestone_table_is_the_apis_forecast_and_an_update_moves_it() {
    in_browser("milestones and an update", |client, base| async move {
        harness::sign_in(&client, &base, EDITOR.name, EDITOR.password).await?;
        let cookie = harness::session_cookie(&client).await?;
        open(&client, &base, "/p/platform").await?;
        let forecast = api(&base, "/api/v1/programs/platform/forecast", &cookie);
        let mut before = Vec::new();
        for m in forecast["milestones"].as_array().expect("milestones") {
            let key = m["id"].as_str().expect("an id");
            let p50 = cell(&client, "milestones", key, "p50").await?;
            let p80 = cell(&client, "milestones", key, "p80").await?;
            if p50 != m["p50"].as_str().unwrap_or_default() || p80 != m["p80"].as_str().unwrap_or_default() {
                return Err(format!(
                    "{key}: the page says P50 {p50}, P80 {p80}; the API {} and {}",
                    m["p50"], m["p80"]
                ));
            }
            before.push((key.to_owned(), p50));
        }
        // A lead reports PAY-5 needs 60 more working days, in one form.
        open(&client, &base, "/p/platform/items/PAY-5").await?;
        let remaining = client.find(Locator::Id("remaining")).await.map_err(failed("the remaining field"))?;
        remaining.clear().await.map_err(failed("clear remaining"))?;
        remaining.send_keys("60").await.map_err(failed("type remaining"))?;
        let note = client.find(Locator::Id("note")).await.map_err(failed("the note field"))?;
        note.send_keys("Kafka cluster rebuild").await.map_err(failed("type the note"))?;
        client
            .find(Locator::Css("form[action='/p/platform/items/PAY-5'] button[type='submit']"))
            .await
            .map_err(failed("the save button"))?
            .click()
            .await
            .map_err(failed("save"))?;
        let started = Instant::now();
        while !harness::current_path(&client).await?.contains("saved=1") {
            if started.elapsed() > Duration::from_secs(30) {
                let text = client.find(Locator::Css("body")).await.map_err(failed("the page"))?.text().await;
                return Err(format!("the item form was not saved: {}", text.unwrap_or_default()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let item = api(&base, "/api/v1/programs/platform/items/PAY-5", &cookie);
        if item["body"]["remaining"] != json!(60.0) {
            return Err(format!("the item did not change: {item}"));
        }
        open(&client, &base, "/p/platform").await?;
        let version = client.find(Locator::Css("footer.site strong")).await.map_err(failed("the footer"))?;
        if version.text().await.map_err(failed("the version"))? != "2" {
            return Err("the program page does not say it shows version 2".into());
        }
        let mut moved = Vec::new();
        for (key, p50) in &before {
            let after = cell(&client, "milestones", key, "p50").await?;
            if &after > p50 {
                moved.push(key.clone());
            }
        }
        if moved.is_empty() { Err("no milestone's P50 moved after 60 more days of PAY-5".into()) } else { Ok(()) }
    });
}

#[test]
fn a_viewer_sees_no_forms_and_forged_posts_change_nothing() {
    in_browser("viewer and forged posts", |client, base| async move {
        harness::sign_in(&client, &base, VIEWER.name, VIEWER.password).await?;
        for path in [
            "/p/platform/items/PAY-5",
            "/p/platform/risks",
            "/p/platform/decisions",
            "/p/platform/what-if?slips=PAY-5%3D3",
        ] {
            open(&client, &base, path).await?;
            let forms = client.find_all(Locator::Css("main form[method='post']")).await.map_err(failed("forms"))?;
            if !forms.is_empty() {
                return Err(format!("a viewer sees {} forms on {path}", forms.len()));
            }
        }
        // Another session's CSRF token: the administrator's, signed in elsewhere.
        let other = common_session_csrf(&base);
        client.delete_all_cookies().await.map_err(failed("sign out"))?;
        harness::sign_in(&client, &base, EDITOR.name, EDITOR.password).await?;
        let cookie = harness::session_cookie(&client).await?;
        let before = api(&base, "/api/v1/programs/platform/items/PAY-5", &cookie);
        for forged in ["", other.as_str()] {
            open(&client, &base, "/p/platform/items/PAY-5").await?;
            client
                .execute(
                    "const f = document.querySelector(\"form[action='/p/platform/items/PAY-5']\");\
                     f.querySelector('#remaining').value = '99';\
                     f.querySelector(\"input[name='csrf']\").value = arguments[0];\
                     f.submit();",
                    vec![json!(forged)],
                )
                .await
                .map_err(failed("post the forged form"))?;
            client
                .wait()
                .for_element(Locator::XPath("//h1[text()='Not allowed']"))
                .await
                .map_err(failed("the answer to a forged post says it is not allowed"))?;
        }
        let after = api(&base, "/api/v1/programs/platform/items/PAY-5", &cookie);
        if after["version"] != before["version"] {
            return Err(format!("a forged post changed the item: {after}"));
        }
        Ok(())
    });
}

/// The CSRF token of a fresh session of the administrator, over the API.
fn common_session_csrf(base: &str) -> String {
    let answer = crate::common::call(
        &crate::common::agent(),
        "POST",
        &format!("{base}/api/v1/session"),
        &[],
        Some(&json!({"name": ADMIN.name, "password": ADMIN.password})),
    );
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.json["csrf_token"].as_str().expect("a token").to_owned()
}

#[test]
fn a_what_if_gives_what_the_cli_gives() {
    in_browser("what-if", |client, base| async move {
        harness::sign_in(&client, &base, ADMIN.name, ADMIN.password).await?;
        open(&client, &base, "/p/platform/what-if").await?;
        let slips = client.find(Locator::Id("slips")).await.map_err(failed("the slips field"))?;
        slips.send_keys("LED-5=15").await.map_err(failed("type the slip"))?;
        client
            .find(Locator::Css("form[method='get'] button[type='submit']"))
            .await
            .map_err(failed("the show button"))?
            .click()
            .await
            .map_err(failed("show"))?;
        let started = Instant::now();
        while client.find(Locator::Css("table#what-if")).await.is_err() {
            if started.elapsed() > Duration::from_secs(120) {
                return Err("the what-if's table never showed".into());
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // What `linchpin schedule --slip LED-5=15` computes: the same code on the same plan.
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
        let plan = linchpin_plan::load_path(&root, &linchpin_plan::LoadOptions::default()).expect("the example");
        let program = plan.into_program().expect("the example resolves");
        let settings = linchpin_server::web::analysed::settings(&program).expect("settings");
        let changes = linchpin_analysis::what_if::WhatIfs { slips: vec!["LED-5=15".into()], ..Default::default() }
            .changes(&program)
            .expect("the change");
        let cli = linchpin_analysis::run::what_if(&program, &settings, &changes, &linchpin_engine::progress::Quiet)
            .expect("the what-if");
        for (b, a) in cli.before.milestones.iter().zip(&cli.after.milestones) {
            let key = &program.milestone(b.milestone).key;
            let (page_before, page_after) =
                (cell(&client, "what-if", key, "before").await?, cell(&client, "what-if", key, "after").await?);
            if page_before != b.date.to_string() || page_after != a.date.to_string() {
                return Err(format!(
                    "{key}: the page says {page_before} → {page_after}; the CLI {} → {}",
                    b.date, a.date
                ));
            }
        }
        harness::screenshot_not_blank(&client, "what-if-led-5").await
    });
}
