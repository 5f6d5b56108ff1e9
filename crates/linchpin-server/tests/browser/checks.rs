//! The checks fail where they should: axe-core on an image without a text
//! equivalent and a field without a label, the Nu Html Checker on broken
//! markup, the screenshot check on an empty page. Without this a check
//! that silently found nothing would pass every page.

use super::harness::{self, Driver};

#[test]
fn the_checks_catch_what_they_are_for() {
    if !harness::enabled("the browser checks' own test") {
        return;
    }
    let driver = Driver::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (violations, blank) = runtime.block_on(async {
        let client = harness::browser(&driver).await;
        let page = "data:text/html,<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>Bad</h1>\
                    <img src='data:,'><input type='text'></main></body></html>";
        let violations = match client.goto(page).await {
            Ok(()) => harness::axe(&client).await,
            Err(e) => Err(e.to_string()),
        };
        let blank = match client.goto("about:blank").await {
            Ok(()) => harness::screenshot_not_blank(&client, "checks/blank").await,
            Err(e) => Err(format!("cannot open about:blank: {e}")),
        };
        let _ = client.close().await;
        (violations, blank)
    });
    let violations = violations.expect("axe-core runs");
    let failing: Vec<&str> = violations.iter().filter(|v| v.fails()).map(|v| v.id.as_str()).collect();
    assert!(failing.contains(&"image-alt") && failing.contains(&"label"), "{failing:?}");
    let blank = blank.expect_err("an empty page is blank");
    assert!(blank.contains("the screenshot is blank: one colour covers 100.00%"), "{blank}");

    let errors = harness::vnu(&[
        ("good".to_owned(), "<!DOCTYPE html><html lang=en><title>t</title><p>fine</p>".to_owned()),
        ("bad".to_owned(), "<!DOCTYPE html><html lang=en><title>t</title><p><div>x</p></span>".to_owned()),
    ]);
    assert!(!errors.is_empty() && errors.iter().all(|e| e.page == "bad"), "{errors:?}");
}
