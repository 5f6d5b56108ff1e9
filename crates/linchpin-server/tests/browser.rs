//! The dashboard in headless Chromium, driven through WebDriver
//! (`chromedriver`): every page signed in as each role, checked with
//! axe-core for accessibility, the Nu Html Checker for valid HTML and a
//! screenshot that is not blank. These tests need Chromium, chromedriver,
//! Java, axe-core and vnu-jar, which `.ci/run` installs; they run only with
//! `LINCHPIN_BROWSER_TESTS=1` (CI sets it) and otherwise say they were
//! skipped.

mod common;

mod browser {
    pub mod harness;

    mod checks;
    mod crawl;
    mod setup;
    mod stories;
}
