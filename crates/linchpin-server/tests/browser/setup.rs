//! The first administrator's page on a new database, in the browser: it
//! passes axe-core, the Nu Html Checker and the screenshot check, and the
//! page its form leads to passes axe-core and the screenshot check (its
//! HTML is the answer to a one-time post, which cannot be fetched again
//! for the checker, and the browser's copy of it is already repaired).

use fantoccini::Locator;
use linchpin_server::RawConfig;

use super::harness::{self, Driver};
use crate::common::{self, Backend, Scratch, Server};

#[test]
fn the_setup_page_and_its_answer_pass_every_check() {
    if !harness::enabled("the setup page in Chromium") {
        return;
    }
    let scratch = Scratch::new("browser-setup");
    let database = common::database(Backend::Sqlite, "browser_setup", &scratch).expect("a SQLite file");
    let server = Server::start(&database, RawConfig::default());
    let code = server.code.clone().expect("a new database has a setup code");
    let driver = Driver::start();
    let base = server.base.clone();
    let (problems, pages) = server.runtime.block_on(async {
        let client = harness::browser(&driver).await;
        let mut problems = Vec::new();
        let mut pages = Vec::new();
        let path = format!("/setup?code={code}");
        let fetched = harness::fetch(&base, &path, "");
        assert_eq!(fetched.status, 200, "{}", fetched.text);
        pages.push(("/setup".to_owned(), fetched.text));
        let steps = async {
            client.goto(&format!("{base}{path}")).await.map_err(|e| e.to_string())?;
            check(&client, "setup/form", &mut problems).await;
            client
                .find(Locator::Id("name"))
                .await
                .map_err(|e| e.to_string())?
                .send_keys("first")
                .await
                .map_err(|e| e.to_string())?;
            let password = client.find(Locator::Id("password")).await.map_err(|e| e.to_string())?;
            password.send_keys(common::PASSWORD).await.map_err(|e| e.to_string())?;
            client
                .find(Locator::Css("button[type='submit']"))
                .await
                .map_err(|e| e.to_string())?
                .click()
                .await
                .map_err(|e| e.to_string())?;
            client.wait().for_element(Locator::XPath("//h1[text()='Done']")).await.map_err(|e| e.to_string())?;
            check(&client, "setup/done", &mut problems).await;
            Ok::<_, String>(())
        };
        let done = steps.await;
        let _ = client.close().await;
        if let Err(e) = done {
            problems.push(format!("the setup form: {e}"));
        }
        (problems, pages)
    });
    let invalid: Vec<String> = harness::vnu(&pages).iter().map(ToString::to_string).collect();
    assert!(problems.is_empty() && invalid.is_empty(), "{}", [problems, invalid].concat().join("\n"));
}

/// axe-core and the screenshot on the page the browser shows.
async fn check(client: &fantoccini::Client, name: &str, problems: &mut Vec<String>) {
    match harness::axe(client).await {
        Ok(violations) => {
            problems.extend(violations.iter().filter(|v| v.fails()).map(|v| format!("{name}: axe: {v}")));
        }
        Err(e) => problems.push(format!("{name}: {e}")),
    }
    if let Err(e) = harness::screenshot_not_blank(client, name).await {
        problems.push(format!("{name}: {e}"));
    }
}
