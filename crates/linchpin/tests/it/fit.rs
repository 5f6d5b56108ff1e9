//! `linchpin fit`: the analysis as a user sees it (snapshotted), its JSON
//! with every quote checked against the file, a user's model, and hostile
//! files under a memory limit.

use crate::hostile_input::bounded;
use crate::{Scratch, linchpin, stderr, stdout};

const FIXTURES: &str = "crates/linchpin-fit/tests/fixtures";

fn at(path: &str) -> String {
    format!("{FIXTURES}/{path}")
}

fn fit(args: &[&str]) -> String {
    let mut all = vec!["fit"];
    all.extend_from_slice(args);
    let output = linchpin(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn one_resume_and_one_listing_are_pinned_as_text_and_markdown() {
    let resume = at("resumes/senior-engineer.md");
    let job = at("listings/tpm-large-company.md");
    insta::assert_snapshot!("fit_text", fit(&[&resume, "--job", &job]));
    insta::assert_snapshot!("fit_markdown", fit(&[&resume, "--job", &job, "--format", "md"]));
}

#[test]
fn every_quote_in_the_json_is_in_the_file() {
    let resumes = [
        "senior-engineer",
        "engineering-manager",
        "project-manager",
        "solutions-architect",
        "product-manager",
        "scrum-master",
        "no-tpm",
    ];
    let jobs =
        [at("listings/tpm-large-company.md"), at("listings/tpm-startup.md"), at("listings/project-manager-role.md")];
    let job_texts: Vec<String> =
        jobs.iter().map(|j| std::fs::read_to_string(crate::repo_root().join(j)).expect("listing")).collect();
    let mut quotes = 0;
    for name in resumes {
        let path = at(&format!("resumes/{name}.md"));
        let text = std::fs::read_to_string(crate::repo_root().join(&path)).expect("resume");
        let mut args = vec!["fit", path.as_str(), "--format", "json"];
        for j in &jobs {
            args.extend(["--job", j.as_str()]);
        }
        let json = crate::json(&args);
        let mut check = |quote: &serde_json::Value, source: &str| {
            let q = quote["text"].as_str().expect("text");
            let (s, e) =
                (quote["start"].as_u64().expect("start") as usize, quote["end"].as_u64().expect("end") as usize);
            assert_eq!(source.get(s..e), Some(q), "{name}: {quote}");
            quotes += 1;
        };
        for skill in json["analysis"]["skills"].as_array().expect("skills") {
            for e in skill["evidence"].as_array().expect("evidence") {
                check(&e["quote"], &text);
            }
        }
        for q in json["analysis"]["background"]["evidence"].as_array().expect("background") {
            check(q, &text);
        }
        for a in json["analysis"]["set_aside"].as_array().expect("set aside") {
            check(&a["quote"], &text);
        }
        for (listing, job_text) in json["listings"].as_array().expect("listings").iter().zip(&job_texts) {
            for p in listing["points"].as_array().expect("points") {
                for q in p["asks"].as_array().expect("asks") {
                    check(q, job_text);
                }
                if !p["evidence"].is_null() {
                    check(&p["evidence"], &text);
                }
            }
        }
    }
    assert!(quotes > 200, "{quotes} quotes checked");
}

#[test]
fn the_default_model_prints_reads_back_and_a_broken_one_names_its_line_and_field() {
    let scratch = Scratch::new("fit-model");
    let model = fit(&["--print-model"]);
    assert!(model.contains("skills:") && model.contains("technical-program-manager"));
    let path = scratch.write("model.yaml", &model);
    let resume = at("resumes/scrum-master.md");
    assert_eq!(fit(&[&resume, "--model", &path]), fit(&[&resume]));

    let broken = scratch.write("broken.yaml", model.replacen("    weight: 3\n", "    weight: high\n", 1));
    let output = linchpin(&["fit", &resume, "--model", &broken]);
    assert_eq!(output.status.code(), Some(2));
    let line = model.lines().position(|l| l == "    weight: 3").expect("a weight of 3") + 1;
    let message = stderr(&output);
    assert!(
        message.contains(&format!("is not a valid competency model: line {line}, column 13, `skills[agile].weight`: expected a number from 1 to 5, found `high`")),
        "{message}"
    );
    let json = linchpin(&["fit", &resume, "--model", &broken, "--format", "json"]);
    let error: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json error");
    assert_eq!(error["error"]["code"], "bad-model");
}

#[test]
fn malformed_files_are_clear_errors_within_bounded_memory() {
    for (file, says) in [
        ("files/truncated.pdf", "the PDF cannot be read (truncated or damaged?)"),
        ("files/encrypted.pdf", "the PDF is encrypted"),
        ("files/panics.pdf", "the PDF cannot be read (truncated or damaged?): index out of bounds"),
        ("files/bomb.docx", "a zip bomb?"),
        ("files/bomb.pdf", "a compression bomb, or an image too large"),
        ("files/bomb-object-stream.pdf", "a compression bomb, or an image too large"),
        ("files/bomb-lying.docx", "the DOCX cannot be read"),
        ("files/xxe.docx", "declares a DOCTYPE"),
    ] {
        let run = bounded(&["fit", &at(file)], 512, 60);
        assert_eq!(run.code, 2, "{file}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{file}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
        // A bad listing is refused as clearly as a bad resume.
        let run = bounded(&["fit", &at("resumes/no-tpm.md"), "--job", &at(file)], 512, 60);
        assert_eq!(run.code, 2, "{file} as a listing: {}", run.stderr);
    }
    let scratch = Scratch::new("fit-hostile");
    let binary = scratch.write("image.png", [0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]);
    let run = bounded(&["fit", &binary], 512, 60);
    assert!(run.code == 2 && run.stderr.contains("neither text (UTF-8), PDF nor DOCX"), "{}", run.stderr);
    let big = scratch.write("big.txt", vec![b'a'; (10 << 20) + 1]);
    let run = bounded(&["fit", &big, "--format", "json"], 512, 60);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("\"too-large\""), "{}", run.stdout);
    // The largest files read: one word of ten megabytes, and three million
    // one-word sentences (cut to the text and sentences kept), as a resume
    // and a listing at once.
    let word = scratch.write("word.txt", vec![b'x'; (10 << 20) - 1]);
    let sentences = scratch.write("sentences.txt", "A. ".repeat((10 << 20) / 3));
    for file in [&word, &sentences] {
        let run = bounded(&["fit", file, "--job", file, "--format", "json"], 512, 60);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        assert_eq!(json["resume"]["cut"], true);
    }
    // Under the text bound but over the sentence cap: 7,000 short lines.
    let lines = scratch.write("lines.md", "- Ran the weekly risk review.\n".repeat(7000));
    let run = bounded(&["fit", &lines, "--format", "json"], 512, 60);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(
        (&json["resume"]["cut"], &json["analysis"]["cut"]),
        (&true.into(), &true.into()),
        "5,000 sentences read"
    );
    let run = bounded(&["fit", &lines], 512, 60);
    assert!(run.stdout.contains("only its beginning was analysed"), "the text says it: {}", run.stdout);
    let whole = bounded(&["fit", &at("resumes/no-tpm.md")], 512, 60);
    assert!(!whole.stdout.contains("only its beginning"), "{}", whole.stdout);
    let run = bounded(&["fit", scratch.0.to_str().expect("path")], 512, 60);
    assert!(run.code == 2 && run.stderr.contains("is not a file"), "{}", run.stderr);
    let mut many = vec!["fit".to_owned(), at("resumes/no-tpm.md")];
    for _ in 0..21 {
        many.extend(["--job".to_owned(), at("listings/tpm-startup.md")]);
    }
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let output = linchpin(&many);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("at most 20 listings"), "{}", stderr(&output));
}

#[test]
fn pdf_and_docx_resumes_are_read() {
    let pdf = fit(&[&at("files/resume-table.pdf")]);
    assert!(pdf.contains("Background: senior software engineer"), "{pdf}");
    // A table's row reads as one line, its scale with it.
    assert!(pdf.contains("\"Ledger split 4 teams Ran the weekly dependency review.\""), "a table row quoted: {pdf}");
    let docx = fit(&[&at("files/resume-table.docx"), "--format", "md"]);
    assert!(docx.contains("## Background: Project manager"), "{docx}");
    // A listing can be a PDF or DOCX too.
    let json = crate::json(&[
        "fit",
        &at("resumes/project-manager.md"),
        "--job",
        &at("files/resume-table.docx"),
        "--format",
        "json",
    ]);
    assert_eq!(json["listings"][0]["format"], "docx");
    assert!(!json["listings"][0]["points"].as_array().expect("points").is_empty());
}

#[test]
fn hostile_text_is_shown_never_obeyed() {
    let scratch = Scratch::new("fit-escape");
    let resume = scratch.write(
        "resume.md",
        "Software Engineer \u{1b}]0;pwned\u{7}\n- Led the design review <script>alert(1)</script> of 3 teams \u{1b}[2J with **bold** | pipes \u{202e}evil.\n",
    );
    for format in ["text", "md"] {
        let out = fit(&[&resume, "--format", format]);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'), "{format}: {out}");
    }
    let md = fit(&[&resume, "--format", "md"]);
    assert!(md.contains("\\<script\\>") && md.contains("\\*\\*bold\\*\\*"), "{md}");
    let html = fit(&[&resume, "--format", "html"]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained: {html}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let json = crate::json(&["fit", &resume, "--format", "json"]);
    let quote = json["analysis"]["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .find(|s| s["id"] == "system-design")
        .and_then(|s| s["evidence"][0]["quote"]["text"].as_str().map(str::to_owned))
        .expect("a quote");
    assert!(quote.contains('\u{1b}'), "JSON keeps the exact text: {quote:?}");
}

#[test]
fn html_passes_the_nu_html_checker() {
    let Some(jar) =
        std::env::var_os("LINCHPIN_VNU_JAR").filter(|_| std::env::var_os("LINCHPIN_BROWSER_TESTS").is_some())
    else {
        eprintln!("skipped: the Nu Html Checker (set LINCHPIN_BROWSER_TESTS=1 and LINCHPIN_VNU_JAR, as .ci/run does)");
        return;
    };
    let scratch = Scratch::new("fit-vnu");
    let html = fit(&[&at("resumes/senior-engineer.md"), "--job", &at("listings/tpm-startup.md"), "--format", "html"]);
    let page = scratch.write("fit.html", html);
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", &page])
        .output()
        .expect("java runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
