//! Feeds arbitrary bytes to `linchpin fit`'s reading and analysis: as a
//! resume (text or DOCX; PDF goes through `pdf-extract`, whose panics the
//! extractor catches and whose time the command bounds, so it is left out
//! here to keep each run short), as a listing, compared, and rendered. No
//! input may panic, hang, or quote text that is not in it.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use linchpin_fit::{Model, Options, analyse, compare, listing};

/// The model, parsed once: the library has no global state, the fuzzer may.
static MODEL: OnceLock<Model> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"%PDF") || data.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return;
    }
    let Ok(document) = linchpin_fit::extract::extract(data) else { return };
    let model = MODEL.get_or_init(Model::default_model);
    let analysis = analyse(model, &document.text, Options { this_year: Some(2026) });
    for skill in &analysis.skills {
        for e in &skill.evidence {
            assert_eq!(document.text.get(e.quote.start..e.quote.end), Some(e.quote.text.as_str()));
        }
    }
    let read = listing(model, &document.text);
    let comparison = compare(model, &analysis, read);
    assert!((0.0..=1.0).contains(&comparison.fit));
    let _ = linchpin_fit::render::text(model, &analysis, std::slice::from_ref(&comparison));
    let _ = linchpin_fit::render::document(model, &analysis, &[comparison]).to_html();
});
