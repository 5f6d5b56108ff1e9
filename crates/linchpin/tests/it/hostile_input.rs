//! One regression test per hostile input that once crashed, hung, exhausted
//! or fooled Linchpin (issue 14), each run through the real binary under a
//! memory limit and a time limit. A timeout, an allocation failure (the
//! child dies of a signal) or an exit code other than 0, 1 or 2 fails the
//! test. The limits are correctness bounds for a debug build, far above what
//! the input needs: they catch the quadratic, unbounded and blocking
//! behaviour these inputs used to cause, not a few percent of speed.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Scratch, repo_root};

/// What a bounded run left behind.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs the binary with `args` under `megabytes` of address space (through
/// `prlimit`, as an allocation that fails there would fail at that size on a
/// smaller machine) and kills it after `seconds`.
pub fn bounded(args: &[&str], megabytes: u64, seconds: u64) -> Run {
    let mut child = Command::new("prlimit")
        .arg(format!("--as={}", megabytes * 1024 * 1024))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_linchpin"))
        .args(args)
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs the binary");
    // Drain both pipes while waiting, so a chatty child cannot block on them.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let readers = (
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = out.read_to_end(&mut text);
            text
        }),
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = err.read_to_end(&mut text);
            text
        }),
    );
    let began = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if began.elapsed() > Duration::from_secs(seconds) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`linchpin {}` ran past {seconds} s", shown(args));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = began.elapsed();
    let stdout = String::from_utf8_lossy(&readers.0.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&readers.1.join().expect("stderr reader")).into_owned();
    let Some(code) = status.code() else {
        panic!("`linchpin {}` died of a signal (out of memory under {megabytes} MB?): {stderr}", shown(args));
    };
    assert!(matches!(code, 0..=2), "`linchpin {}` exited {code}: {stderr}", shown(args));
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run { code, stdout, stderr, took }
}

/// Arguments as a shell would show them, long ones cut.
fn shown(args: &[&str]) -> String {
    args.iter()
        .map(|a| if a.len() > 60 { format!("{}…", &a[..60]) } else { (*a).to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

const HEADER: &str = "program: { name: Hostile, start: 2027-01-04 }\nteams: [{ id: a, capacity: 2 }]\n";

#[test]
fn a_long_flow_list_on_one_line_is_read_in_linear_time() {
    let scratch = Scratch::new("flow-lists");
    // Quadratic reading took 7 to 10 s on 80,000 entries in a release build,
    // and did not finish 1,000,000; linear reading takes about a second here.
    let tags = vec!["t"; 300_000].join(", ");
    let tagged = scratch.write(
        "tags.yaml",
        format!("{HEADER}items:\n  - {{ id: A, title: T, team: a, estimate: 1, tags: [{tags}] }}\n"),
    );
    for args in [
        vec!["check", &tagged],
        vec!["schedule", &tagged],
        vec!["forecast", &tagged, "--iterations", "200"],
        vec!["findings", &tagged, "--iterations", "200"],
    ] {
        let run = bounded(&args, 600, 60);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    // As many dependencies are refused, at once and with the limit named.
    let deps = vec!["B"; 300_000].join(", ");
    let linked = scratch.write(
        "deps.yaml",
        format!("{HEADER}items:\n  - {{ id: B, title: T, team: a, estimate: 1 }}\n  - {{ id: A, title: T, team: a, estimate: 1, depends: [{deps}] }}\n"),
    );
    let run = bounded(&["check", &linked], 600, 60);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("item `A` lists 300,000 dependencies; an item may list at most 10,000"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_plan_of_many_bad_references_is_reported_in_linear_time() {
    let scratch = Scratch::new("many-unknown");
    // 2,000 items, each naming 50 dependencies that do not exist: a "did
    // you mean" for each compared it with every item (minutes), and each
    // diagnostic went to an unbuffered stderr a character at a time.
    let mut plan = format!("{HEADER}items:\n");
    for i in 0..2_000 {
        let deps: Vec<String> = (0..50).map(|j| format!("missing-{i}-{j}")).collect();
        plan.push_str(&format!(
            "  - {{ id: item-{i}, title: T, team: a, estimate: 1, depends: [{}] }}\n",
            deps.join(", ")
        ));
    }
    let path = scratch.write("plan.yaml", plan);
    let run = bounded(&["check", &path], 1_000, 60);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("100000 errors"), "{}", run.stdout);
    // The first problems are shown in full, with suggestions while they are
    // few; the rest are counted, and JSON lists every one.
    assert_eq!(run.stderr.matches("error[unknown-reference]").count(), 500);
    assert!(
        run.stderr.contains(
            "... and 99,500 more not shown (99500 errors, 0 warnings); `linchpin check --format json` lists every one"
        ),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(400)..]
    );
    let json = bounded(&["check", &path, "--format", "json"], 2_000, 60);
    let view: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(view["diagnostics"].as_array().map(Vec::len), Some(100_000));
}

#[test]
fn settings_out_of_their_bounds_are_refused_before_any_work() {
    let example = "examples/platform-migration";
    for (args, expected) in [
        (vec!["forecast", example, "--iterations", "10000000000"], "`iterations` must be from 1 to 1,000,000"),
        (vec!["forecast", example, "--iterations", "0"], "`iterations` must be from 1 to 1,000,000, not 0"),
        (vec!["forecast", example, "--threads", "10000"], "`threads` must be from 1 to 256"),
        (vec!["schedule", example, "--effort", "0"], "`effort` must be from 1 to 1,000,000"),
        (vec!["schedule", example, "--estimate", "PAY-5=99999999"], "is more than 10000 working days"),
        (
            vec!["schedule", example, "--people", "identity=3@0202-01-01"],
            "`0202-01-01` is outside the years 1900 to 9999",
        ),
    ] {
        let run = bounded(&args, 200, 20);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(run.took < Duration::from_secs(10), "{args:?} took {:?}", run.took);
    }
}

#[test]
fn a_plan_folder_over_the_size_limit_is_refused_before_it_is_read() {
    let scratch = Scratch::new("big-folder");
    std::fs::create_dir_all(scratch.path("plan")).expect("dir");
    scratch.write("plan/program.yaml", HEADER);
    // Two files under the per-file limit, over it together (the issue's
    // seven 15 MB files took 9.8 s and 1.6 GB to check).
    let filler = "# filler\n".repeat(2 * 1024 * 1024);
    scratch.write("plan/a.yaml", &filler);
    scratch.write("plan/b.yaml", &filler);
    let run = bounded(&["check", &scratch.path("plan").display().to_string()], 200, 20);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("add up to more than 32 MiB, the limit for a plan"), "{}", run.stderr);
}

#[test]
fn a_large_plan_is_read_within_its_memory_budget() {
    // About 2.8 MB of YAML: 20,000 items, each with two dependencies.
    let scratch = Scratch::new("large-plan");
    let mut text = String::from(HEADER);
    text.push_str("items:\n");
    for i in 0..20_000 {
        let depends = if i < 2 { String::new() } else { format!("\n    depends: [I{}, I{}]", i - 1, i - 2) };
        text.push_str(&format!(
            "  - id: I{i}\n    title: Work item number {i}\n    team: a\n    estimate: [2, 4, 9]{depends}\n"
        ));
    }
    let mb = text.len() as u64 / 1_000_000 + 1;
    let path = scratch.write("large.yaml", &text);
    // The budget: 40 times the plan's size, on top of the binary's own.
    let run = bounded(&["check", &path], 100 + 40 * mb, 60);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = bounded(&["schedule", &path, "--format", "json"], 200 + 40 * mb, 120);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_alias_bomb_is_refused_before_it_takes_memory() {
    let scratch = Scratch::new("alias-bomb");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1u8..12 {
        let (prev, this) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        bomb.push_str(&format!("{this}: &{this} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    let path = scratch.write("bomb.yaml", bomb);
    // The 554-byte file used to take 232 MB before it was refused.
    let run = bounded(&["check", &path], 64, 20);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("aliases copy more than 100000 values"), "{}", run.stderr);
}

#[test]
fn a_structural_error_is_not_followed_by_a_missing_program() {
    let scratch = Scratch::new("structural");
    let deep = format!("program: {{ name: P, start: 2027-01-04 }}\nteams: {}{}\n", "[".repeat(100), "]".repeat(100));
    for (name, text, code) in [
        ("date.yaml", "program: { name: P, start: 2027-02-30 }\nteams: [{ id: a }]\n".to_owned(), "wrong-type"),
        ("deep.yaml", deep, "too-deep"),
        ("two.yaml", "program: { name: P, start: 2027-01-04 }\n---\nteams: []\n".to_owned(), "multiple-documents"),
        ("year.yaml", "program: { name: P, start: 0000-01-04 }\n".to_owned(), "date-out-of-range"),
    ] {
        let path = scratch.write(name, text);
        let run = bounded(&["check", &path, "--format", "json"], 200, 20);
        assert_eq!(run.code, 1, "{name}");
        let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        let codes: Vec<&str> =
            report["diagnostics"].as_array().expect("diagnostics").iter().filter_map(|d| d["code"].as_str()).collect();
        assert_eq!(codes, [code], "{name}: only the real problem");
    }
}

#[test]
fn type_errors_and_semantic_errors_are_reported_together() {
    let scratch = Scratch::new("every-problem");
    let path = scratch.write(
        "mixed.yaml",
        "program: { name: P, start: 2027-01-04, status_date: 2027-01-10 }\nteams: [{ id: payments, capacity: two }]\nitems:\n  - { id: A, title: T, team: paymnets, estimate: 1, depends: [B] }\n  - { id: B, title: T, team: payments, estimate: x, depends: [A] }\n  - { id: C, title: T, team: payments, estimate: [5, 3, 1] }\n  - { id: D, title: T, team: payments, estimate: 1, actual_start: 2027-02-01, status: in_progress }\n",
    );
    let run = bounded(&["check", &path, "--format", "json"], 200, 20);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let mut codes: Vec<&str> =
        report["diagnostics"].as_array().expect("diagnostics").iter().filter_map(|d| d["code"].as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "actual-after-status-date",
            "dependency-cycle",
            "impossible-estimate",
            "unknown-reference",
            "wrong-type",
            "wrong-type"
        ],
        "type errors (capacity, estimate) and semantic ones (team, cycle, order, actuals) in one run"
    );
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let scratch = Scratch::new("not-files");
    let fifo = scratch.path("plan.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Nothing ever writes to the pipe: reading it would block forever.
    let run = bounded(&["check", &fifo.display().to_string()], 200, 20);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a named pipe, not a file"), "{}", run.stderr);
    let run = bounded(&["check", "/dev/zero"], 200, 20);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`/dev/zero` is a device, not a file"), "{}", run.stderr);
    // A link to a device named like a plan is the device.
    let link = scratch.path("zero.yaml");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let run = bounded(&["check", &link.display().to_string()], 200, 20);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a device, not a file"), "{}", run.stderr);
}

#[test]
fn every_date_written_reads_back() {
    let scratch = Scratch::new("last-dates");
    // Ten working days from Monday 9999-12-20 end on the 31st: the last
    // date a plan can hold. The baseline it writes must check clean.
    let plan = scratch.write(
        "late.yaml",
        "program: { name: Late, start: 9999-12-20 }\nteams: [{ id: a }]\nitems:\n  - { id: A, title: T, team: a, estimate: 10 }\n",
    );
    let run = bounded(&["baseline", &plan], 200, 20);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("9999-12-31"), "{}", run.stdout);
    std::fs::create_dir_all(scratch.path("folder")).expect("dir");
    std::fs::copy(&plan, scratch.path("folder/plan.yaml")).expect("copy");
    scratch.write("folder/baseline.yaml", &run.stdout);
    let check = bounded(&["check", &scratch.path("folder").display().to_string()], 200, 20);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // A day more is refused, not written as the year 10000.
    let over = scratch.write(
        "over.yaml",
        "program: { name: Late, start: 9999-12-20 }\nteams: [{ id: a }]\nitems:\n  - { id: A, title: T, team: a, estimate: 11 }\n",
    );
    for command in ["schedule", "baseline"] {
        let run = bounded(&[command, &over], 200, 20);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("would end after 9999-12-31"), "{}", run.stderr);
    }
}

#[test]
fn a_spreadsheet_saved_with_semicolons_and_tracker_columns_reads() {
    let scratch = Scratch::new("semicolons");
    let csv = "\u{feff}Issue key;Summary;Team;Likely;Depends;Assignee;Sprint\nPAY-1;Build;payments;3;;Ana;S1\nPAY-2;Ship;payments;2;PAY-1;Bo;S1\n";
    let path = scratch.write("export.csv", csv);
    let run = bounded(&["check", &path, "--start", "2027-01-04"], 200, 20);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 items (1 dependencies)"), "{}", run.stdout);
    assert!(run.stderr.contains("warning[unknown-field]: ignored column: `Sprint`"), "{}", run.stderr);
}

/// A change to a plan file, as a fuzzer or a bad editor would make it.
#[derive(Clone, Debug)]
enum Mutation {
    /// Overwrite the byte at this fraction of the file.
    Set(f64, u8),
    /// Insert these bytes there.
    Insert(f64, Vec<u8>),
    /// Remove this many bytes from there.
    Remove(f64, usize),
    /// Repeat the line there this many times.
    Repeat(f64, usize),
}

fn at(bytes: &[u8], fraction: f64) -> usize {
    ((bytes.len() as f64 * fraction) as usize).min(bytes.len())
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    match mutation {
        Mutation::Set(f, byte) => {
            let i = at(bytes, *f).min(bytes.len().saturating_sub(1));
            if let Some(b) = bytes.get_mut(i) {
                *b = *byte;
            }
        }
        Mutation::Insert(f, inserted) => {
            let i = at(bytes, *f);
            bytes.splice(i..i, inserted.iter().copied());
        }
        Mutation::Remove(f, n) => {
            let i = at(bytes, *f);
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Repeat(f, times) => {
            let i = at(bytes, *f);
            let start = bytes[..i].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let end = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p + 1);
            let line = bytes[start..end].to_vec();
            for _ in 0..*times {
                bytes.splice(end..end, line.iter().copied());
            }
        }
    }
}

fn mutation() -> impl proptest::strategy::Strategy<Value = Mutation> {
    use proptest::prelude::*;
    // Bytes that matter to YAML and CSV, and some that matter to terminals.
    let byte = prop_oneof![any::<u8>(), proptest::sample::select(b"{}[]:,-&*!|>'\"#%@`\n\t \x1b\r;0".to_vec()),];
    prop_oneof![
        (0.0..1.0f64, byte.clone()).prop_map(|(f, b)| Mutation::Set(f, b)),
        (0.0..1.0f64, proptest::collection::vec(byte, 1..16)).prop_map(|(f, b)| Mutation::Insert(f, b)),
        (0.0..1.0f64, 1..200usize).prop_map(|(f, n)| Mutation::Remove(f, n)),
        (0.0..1.0f64, 1..50usize).prop_map(|(f, n)| Mutation::Repeat(f, n)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 48, ..proptest::test_runner::Config::default() })]

    /// Mutations of the example's files, and random bytes, never panic the
    /// checker, never take more than a second per MB (plus the start-up of
    /// a debug build), and always end with exit code 0, 1 or 2.
    #[test]
    fn check_survives_mangled_plans(
        file in proptest::sample::select(vec!["items/ledger.yaml", "risks.yaml", "program.yaml", "systems.yaml", "status.yaml"]),
        mutations in proptest::collection::vec(mutation(), 1..6),
        noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
        as_csv in proptest::prelude::any::<bool>(),
    ) {
        let scratch = Scratch::new("mangled");
        let example = repo_root().join("examples/platform-migration");
        let mut bytes = std::fs::read(example.join(file)).expect("example file");
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        let folder = scratch.path("plan");
        crate::copy_dir(&example, &folder);
        std::fs::write(folder.join(file), &bytes).expect("write");
        let noise_path = scratch.write(if as_csv { "noise.csv" } else { "noise.yaml" }, &noise);
        for plan in [folder.display().to_string(), noise_path] {
            let size_mb = 1 + std::fs::metadata(&plan).map_or(0, |m| m.len()) / 1_000_000;
            let run = bounded(&["check", &plan, "--start", "2027-01-04"], 400, 10 + size_mb);
            proptest::prop_assert!(run.took.as_secs() <= 5 + size_mb, "{:?} for {plan}", run.took);
        }
    }
}
