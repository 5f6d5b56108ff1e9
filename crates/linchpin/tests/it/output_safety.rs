//! Output that cannot be used against its reader: what a plan says is
//! shown, never obeyed (escape sequences, bidi overrides, a binary file),
//! tables stay aligned and bounded whatever the ids are, and CSV cells are
//! never formulas.

use std::process::Output;

use unicode_width::UnicodeWidthStr;

use crate::hostile_input::{Run, bounded};
use crate::{Scratch, linchpin, stderr, stdout};

/// What must never reach a terminal raw: C0 controls but the line feed,
/// DEL, C1 controls, the `Bidi_Control` characters and the line and
/// paragraph separators.
fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x09'
            | '\x0b'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Asserts that neither stream of a run holds anything a terminal would
/// obey (CSV keeps the tabs of its cells: a tab moves no cursor back).
fn assert_inert(what: &str, stdout: &str, stderr: &str) {
    let csv = what.ends_with("csv");
    for (stream, text) in [("stdout", stdout), ("stderr", stderr)] {
        let raw: Vec<char> = text.chars().filter(|&c| is_unsafe(c) && !(csv && c == '\t')).collect();
        assert!(raw.is_empty(), "{what}: {stream} holds raw {raw:?}:\n{text}");
    }
}

/// The binary run as the hostile-input tests run it: under a memory limit
/// and a timeout, never a panic, an exit code of 0, 1 or 2.
fn guarded(args: &[&str]) -> Run {
    bounded(args, 1024, 60)
}

/// A plan whose every kind of text carries escape sequences: a screen
/// clear, an OSC window title, an OSC 8 hyperlink, bells, a C1 CSI, bidi
/// overrides and isolates, and spreadsheet formulas.
const HOSTILE: &str = r#"
program:
  name: "Evil \e]0;pwned\a program \e[2J"
  start: 2027-01-11
  status_date: 2027-01-12
teams:
  - { id: "pay\e[31mments", capacity: 1, lead: "Lead \x9b31m" }
  - { id: "=HYPERLINK(\"http://evil\")", capacity: 1 }
groups:
  - { id: "G\u202e1", title: "\e]8;;http://evil\e\\link\e]8;;\e\\", kind: epic, deadline: 2027-01-13 }
items:
  - { id: "A\e[2J", title: "=cmd|' /C calc'!A0", team: "pay\e[31mments", estimate: [2, 3, 6], group: "G\u202e1" }
  - { id: "B\u202eevil", title: "+SUM(1)", team: "=HYPERLINK(\"http://evil\")", estimate: [1, 2, 4], depends: ["A\e[2J"] }
  - { id: "C\u2066x", title: "@title\ttab", team: "pay\e[31mments", estimate: 2, depends: ["B\u202eevil"], deadline: 2027-01-14 }
  - { id: "-D", title: "\rCR", team: "pay\e[31mments", estimate: 1 }
milestones:
  - { id: "M\e]2;title\a", title: "bell\a", requires: ["C\u2066x"], target: 2027-01-13 }
decisions:
  - { id: "D\x9b", question: "q \e[5m?", blocks: ["C\u2066x"], due: 2027-01-20 }
risks:
  - id: "R\e[1m"
    title: "risk \u202e"
    likelihood: 3
    impact: 3
    affects: ["C\u2066x"]
    schedule_impact: { probability: 0.5, delay: [1, 2, 3] }
"#;

#[test]
fn escape_sequences_in_a_plan_are_shown_not_obeyed_by_every_text_command() {
    let scratch = Scratch::new("hostile-text");
    let plan = scratch.write("plan.yaml", HOSTILE);
    let commands: [&[&str]; 9] = [
        &["check", &plan],
        &["schedule", &plan],
        &["schedule", &plan, "--no-capacity"],
        &["schedule", &plan, "--slip", "A\x1b[2J=2"],
        &["forecast", &plan, "--iterations", "200"],
        &["findings", &plan, "--iterations", "200"],
        &["findings", &plan, "--no-forecast", "--as-risks"],
        &["baseline", &plan],
        &["schedule", &plan, "--format", "csv"],
    ];
    for args in commands {
        let run = guarded(args);
        let what = args.join(" ");
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        assert_inert(&what, &run.stdout, &run.stderr);
    }
    // A file name is the user's, but a plan folder's may not be.
    let named = scratch.path("starter\x1b]0;x\x07.yaml").display().to_string();
    let init = linchpin(&["init", &named]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    assert_inert("init", &stdout(&init), &stderr(&init));
    assert!(stdout(&init).contains("starter\\u{1b}]0;x\\u{7}.yaml"), "{}", stdout(&init));
    // What was escaped is there to be read, as Rust would write it.
    let schedule = stdout(&linchpin(&["schedule", &plan]));
    for shown in
        ["Evil \\u{1b}]0;pwned\\u{7} program \\u{1b}[2J", "A\\u{1b}[2J", "B\\u{202e}evil", "pay\\u{1b}[31mments"]
    {
        assert!(schedule.contains(shown), "{shown} in:\n{schedule}");
    }
    assert!(schedule.contains("bell\\u{7}"), "{schedule}");
    let findings = stdout(&linchpin(&["findings", &plan, "--iterations", "200"]));
    assert!(findings.contains("D\\u{9b}"), "{findings}");
    assert!(findings.contains("q \\u{1b}[5m?"), "{findings}");
    let forecast = stdout(&linchpin(&["forecast", &plan, "--iterations", "200"]));
    assert!(forecast.contains("risk R\\u{1b}[1m"), "{forecast}");
    assert!(forecast.contains("M\\u{1b}]2;title\\u{7}"), "{forecast}");
}

#[test]
fn a_what_if_error_naming_an_escape_sequence_is_inert() {
    let scratch = Scratch::new("hostile-error");
    let plan = scratch.write("plan.yaml", HOSTILE);
    let output = linchpin(&["schedule", &plan, "--slip", "Z\x1b]0;x\x07=2"]);
    assert_eq!(output.status.code(), Some(2));
    assert_inert("unknown item", &stdout(&output), &stderr(&output));
    assert!(stderr(&output).contains("unknown item `Z\\u{1b}]0;x\\u{7}`"), "{}", stderr(&output));
}

#[test]
fn baseline_and_risk_entries_read_back_exactly_however_hostile_the_ids() {
    // Both are YAML to save beside the plan: every id must come back as it
    // was, C1 and bidi characters included, and still print inert.
    let scratch = Scratch::new("hostile-roundtrip");
    scratch.write("plan.yaml", HOSTILE);
    let folder = scratch.0.display().to_string();
    let baseline = linchpin(&["baseline", &folder]);
    assert_eq!(baseline.status.code(), Some(0), "{}", stderr(&baseline));
    let risks = linchpin(&["findings", &folder, "--no-forecast", "--as-risks"]);
    assert_eq!(risks.status.code(), Some(0), "{}", stderr(&risks));
    scratch.write("baseline.yaml", &baseline.stdout);
    scratch.write("risks-found.yaml", &risks.stdout);
    // Every item the baseline and the risks name is found again (an id that
    // came back changed would be an unknown reference).
    let check = linchpin(&["check", &folder, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "{report:#}");
    assert!(report["counts"]["risks"].as_u64().is_some_and(|r| r > 1), "{report:#}");
    let text = String::from_utf8(baseline.stdout).expect("UTF-8");
    assert!(text.contains(r#"item: "B\u202Eevil""#), "{text}");
    scratch.write("baseline.yaml", text.replace(r#""B\u202Eevil""#, r#""B\u202Devil""#));
    let changed = linchpin(&["check", &folder]);
    assert_eq!(changed.status.code(), Some(1), "a changed id is caught: {}", stderr(&changed));
}

#[test]
fn json_escapes_control_characters_and_keeps_the_exact_text() {
    let scratch = Scratch::new("hostile-json");
    let plan = scratch.write("plan.yaml", HOSTILE);
    let output = linchpin(&["schedule", &plan, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let raw = std::str::from_utf8(&output.stdout).expect("UTF-8");
    assert!(!raw.contains(|c: char| c.is_ascii_control() && c != '\n'), "no raw C0 control in JSON");
    assert!(raw.contains(r#""A\u001b[2J""#), "ESC as \\u001b");
    let view: serde_json::Value = serde_json::from_str(raw).expect("json");
    let ids: Vec<&str> = view["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(ids.contains(&"A\x1b[2J") && ids.contains(&"B\u{202e}evil") && ids.contains(&"C\u{2066}x"), "{ids:?}");
    assert_eq!(view["program"], "Evil \x1b]0;pwned\x07 program \x1b[2J");
}

/// The display column where `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|at| line[..at].width())
}

/// Asserts every line of the table starting at the line holding `heading`
/// (up to the first blank line) has `column`'s values at the display column
/// of the heading's `column`, found in each row as the first of `values`.
fn assert_aligned(text: &str, heading: &str, column: &str, values: &[&str]) {
    let mut lines = text.lines().skip_while(|l| !l.contains(heading));
    let head = lines.next().unwrap_or_else(|| panic!("no `{heading}` in:\n{text}"));
    let at = column_of(head, column).expect("the column");
    let mut rows = 0;
    for row in lines.take_while(|l| !l.trim().is_empty()) {
        let found = values.iter().filter_map(|v| row.find(v)).min().map(|i| row[..i].width());
        assert_eq!(found, Some(at), "`{column}` at column {at} in\n{head}\n{row}");
        rows += 1;
    }
    assert!(rows > 0, "rows under `{heading}`:\n{text}");
}

#[test]
fn tables_stay_aligned_for_wide_and_combining_characters() {
    let scratch = Scratch::new("wide");
    let plan = scratch.write(
        "plan.yaml",
        "program: { name: 支払いの移行, start: 2027-01-11 }\n\
         teams:\n  - { id: チーム, capacity: 1 }\n  - { id: \"e\u{301}quipe\", capacity: 1 }\n\
         groups:\n  - { id: 段階, title: 日本語のタイトル, kind: phase, deadline: 2027-02-01 }\n\
         items:\n\
         \x20 - { id: 支払い-1, title: 設計, team: チーム, estimate: [2, 3, 5], group: 段階 }\n\
         \x20 - { id: \"re\u{301}sume\u{301}-2\", title: \"Re\u{301}sume\u{301}\", team: \"e\u{301}quipe\", estimate: [1, 2, 3], depends: [支払い-1] }\n\
         \x20 - { id: ABC-3, title: plain, team: チーム, estimate: 4, depends: [\"re\u{301}sume\u{301}-2\"], group: 段階 }\n\
         milestones:\n  - { id: マイル, title: 日本語, requires: [ABC-3], target: 2027-01-20 }\n  - { id: M2, title: two, requires: [支払い-1], target: 2027-01-25 }\n",
    );
    let schedule = linchpin(&["schedule", &plan]);
    assert_eq!(schedule.status.code(), Some(0), "{}", stderr(&schedule));
    let text = stdout(&schedule);
    assert_aligned(&text, "WAITING ON CAPACITY", "START", &["2027-"]);
    assert_aligned(&text, "WAITING ON CAPACITY", "TEAM", &["チーム", "e\u{301}quipe"]);
    assert_aligned(&text, "MILESTONE  DATE", "DATE", &["2027-"]);
    assert_aligned(&text, "ITEMS", "START", &["2027-"]);
    let forecast = stdout(&linchpin(&["forecast", &plan, "--iterations", "200"]));
    assert_aligned(&forecast, "MILESTONE", "TARGET", &["20", "-  "]);
    assert_aligned(&forecast, "DEADLINE", "DEADLINE", &["20"]);
    let findings = stdout(&linchpin(&["findings", &plan, "--iterations", "200"]));
    assert_aligned(&findings, "GROUP ", "KIND", &["phase"]);
}

/// A plan whose ids are `id` characters long and whose name, titles and
/// question are 70,000.
fn long_texts(id: usize) -> String {
    let [item, team, group, milestone, decision] = ["I", "T", "G", "M", "D"].map(|c| c.repeat(id));
    let (name, title) = ("N".repeat(70_000), "x".repeat(70_000));
    format!(
        "program: {{ name: {name}, start: 2027-01-11 }}\n\
         teams: [{{ id: {team}, capacity: 1 }}]\n\
         groups: [{{ id: {group}, title: {title}, kind: epic, deadline: 2027-01-12 }}]\n\
         items:\n\
         \x20 - {{ id: {item}, title: {title}, team: {team}, estimate: [2, 3, 5], group: {group}, deadline: 2027-01-12 }}\n\
         \x20 - {{ id: B, title: b, team: {team}, estimate: 2, depends: [{item}] }}\n\
         milestones: [{{ id: {milestone}, title: {title}, requires: [B], target: 2027-01-12 }}]\n\
         decisions: [{{ id: {decision}, question: {title}, blocks: [B], due: 2027-01-12 }}]\n"
    )
}

#[test]
fn long_ids_and_titles_are_cut_for_display_and_tables_stay_aligned() {
    // Ids at the plan's limit (100 characters), titles of 70,000.
    let scratch = Scratch::new("long-ids");
    let plan = scratch.write("plan.yaml", long_texts(100));
    for args in [
        &["check", &plan][..],
        &["schedule", &plan],
        &["schedule", &plan, "--no-capacity"],
        &["schedule", &plan, "--slip", "B=1"],
        &["forecast", &plan, "--iterations", "200"],
        &["findings", &plan, "--iterations", "200"],
    ] {
        let output = linchpin(args);
        let what = args.join(" ");
        assert_eq!(output.status.code(), Some(0), "{what}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(text.len() < 32 * 1024, "{what}: {} bytes", text.len());
        let widest = text.lines().map(|l| l.width()).max().unwrap_or(0);
        assert!(widest <= 500, "{what}: a line {widest} columns wide");
        // Tables and lists cut ids at 40 columns; running text (a
        // finding's words) cuts any word at 100, so no title gets through.
        if args[0] != "findings" {
            assert!(!text.contains(&"I".repeat(41)), "{what}: an id wider than 40 columns:\n{text}");
        }
        for long in ["x", "N"] {
            assert!(!text.contains(&long.repeat(101)), "{what}: a text wider than 100 columns:\n{text}");
        }
    }
    let schedule = stdout(&linchpin(&["schedule", &plan]));
    assert!(schedule.contains(&format!("{}…", "I".repeat(39))), "{schedule}");
    assert_aligned(&schedule, "WAITING ON CAPACITY", "START", &["2027-"]);
    assert_aligned(&schedule, "WAITING ON CAPACITY", "TEAM", &["TTT"]);
    assert_aligned(&schedule, "DATE        TARGET", "DATE", &["2027-"]);
    assert_aligned(&schedule, "WAITING ON CAPACITY", "TO MILESTONE", &["  0.0 M"]);
    assert_aligned(&schedule, "ITEMS", "START", &["2027-"]);
    assert_aligned(&schedule, "DEADLINE", "FINISH", &["2027-"]);
    let forecast = stdout(&linchpin(&["forecast", &plan, "--iterations", "200"]));
    assert_aligned(&forecast, "MILESTONE", "TARGET", &["20", "-  "]);
    let findings = stdout(&linchpin(&["findings", &plan, "--iterations", "200"]));
    assert_aligned(&findings, "GROUP ", "KIND", &["epic"]);
    let list: Vec<&str> = findings.lines().filter(|l| l.starts_with("  high ") || l.starts_with("  medium ")).collect();
    // Where the headline starts: after the severity, the padded id and two spaces.
    let headline = |l: &str| {
        let id_end = l[10..].find("  ").map(|i| 10 + i)?;
        let start = id_end + l[id_end..].find(|c: char| c != ' ')?;
        Some(l[..start].width())
    };
    assert!(list.len() > 1 && list.iter().all(|l| headline(l) == headline(list[0])), "{findings}");
    // The files meant to be saved keep every id and title whole.
    let baseline = linchpin(&["baseline", &plan]);
    assert_eq!(baseline.status.code(), Some(0), "{}", stderr(&baseline));
    assert!(stdout(&baseline).contains(&"I".repeat(100)));
    let csv = linchpin(&["schedule", &plan, "--format", "csv"]);
    assert!(stdout(&csv).contains(&"x".repeat(70_000)));
}

#[test]
fn a_70000_character_id_is_refused_in_a_bounded_report_never_a_panic() {
    // It used to panic in the table writer ("Formatting argument out of
    // range", exit 101); now the plan refuses it, and the report quoting
    // it is a few lines.
    let scratch = Scratch::new("enormous-ids");
    let plan = scratch.write("plan.yaml", long_texts(70_000));
    for command in ["check", "schedule", "forecast", "findings", "baseline"] {
        let run = guarded(&[command, &plan]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        let text = run.stderr;
        assert!(text.contains("70,000 characters long"), "{command}: {text}");
        assert!(text.len() < 16 * 1024, "{command}: {} bytes", text.len());
        assert!(text.lines().all(|l| l.width() <= 260), "{command}: {text}");
    }
}

/// The `file:line:column` heading of the first diagnostic, the quoted line
/// and the line of carets under it.
fn first_excerpt(text: &str) -> (String, String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let locus = lines.iter().find_map(|l| l.split("┌─ ").nth(1)).expect("a heading").to_owned();
    let carets = lines.iter().position(|l| l.contains('^')).expect("carets");
    (locus, lines[carets - 1].to_owned(), lines[carets].to_owned())
}

#[test]
fn diagnostics_quote_control_characters_escaped_with_carets_and_columns_in_place() {
    let scratch = Scratch::new("hostile-diagnostic");
    // A raw escape sequence and wide characters before what is wrong, on
    // the same line.
    let plan = scratch.write(
        "plan.yaml",
        "program: { name: X, start: 2027-01-11 }\n\
         teams: [{ id: t, capacity: 1 }]\n\
         items:\n\
         \x20 - { id: A, title: \"支払\x1b[2J\", team: t, estimate: 1, depends: [\"B\\e]0;pwned\\a\"] }\n",
    );
    let output = linchpin(&["check", &plan]);
    assert_eq!(output.status.code(), Some(1));
    assert_inert("check", &stdout(&output), &stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("unknown item `B\\u{1b}]0;pwned\\u{7}`"), "{text}");
    let (locus, quoted, carets) = first_excerpt(&text);
    let json: serde_json::Value =
        serde_json::from_slice(&linchpin(&["check", &plan, "--format", "json"]).stdout).expect("json");
    let found = &json["diagnostics"][0];
    assert_eq!(locus, format!("{plan}:{}:{}", found["line"], found["column"]), "{text}");
    assert!(quoted.contains("支払\\u{1b}[2J"), "{quoted}");
    assert_eq!(column_of(&carets, "^"), column_of(&quoted, "\"B\\e"), "carets under the value:\n{quoted}\n{carets}");
}

#[test]
fn a_long_source_line_is_quoted_around_the_fault() {
    let scratch = Scratch::new("long-line");
    let others: Vec<String> = (0..300).map(|i| format!("{{ id: I{i}, title: t, team: t, estimate: 1 }}")).collect();
    let plan = scratch.write(
        "plan.yaml",
        format!(
            "program: {{ name: X, start: 2027-01-11 }}\nteams: [{{ id: t, capacity: 1 }}]\n\
             items: [{}, {{ id: Z, title: z, team: t, estimate: 1, depends: [I5, NOPE, I7] }}]\n",
            others.join(", ")
        ),
    );
    let output = linchpin(&["check", &plan]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.lines().all(|l| l.width() <= 260), "{text}");
    let (locus, quoted, carets) = first_excerpt(&text);
    let json: serde_json::Value =
        serde_json::from_slice(&linchpin(&["check", &plan, "--format", "json"]).stdout).expect("json");
    let found = &json["diagnostics"][0];
    assert!(found["column"].as_u64().is_some_and(|c| c > 10_000), "{found}");
    assert_eq!(locus, format!("{plan}:{}:{}", found["line"], found["column"]), "{text}");
    assert!(quoted.contains("…") && quoted.contains("NOPE"), "{quoted}");
    assert_eq!(column_of(&carets, "^^^^"), column_of(&quoted, "NOPE"), "carets under NOPE:\n{quoted}\n{carets}");
}

#[test]
fn a_binary_file_named_yaml_gets_a_clear_error_and_no_raw_bytes() {
    let scratch = Scratch::new("binary");
    let mut bytes = b"\x7fELF\x02\x01\x01\0".to_vec();
    for _ in 0..24 {
        bytes.extend(0..=255u8);
    }
    let binary = scratch.write("plan.yaml", &bytes);
    // Valid UTF-8, but full of controls.
    let controls: String =
        (0..6000u32).map(|i| char::from_u32([0x1b, 0x07, 0x9b, 0x202e, 0x41][i as usize % 5]).expect("char")).collect();
    let text = scratch.write("controls.yaml", controls);
    for (path, says) in [(&binary, "not UTF-8"), (&text, "error[")] {
        for command in ["check", "schedule", "findings"] {
            let run = guarded(&[command, path]);
            let what = format!("{command} {path}");
            assert_eq!(run.code, 1, "{what}: {}", run.stderr);
            assert_inert(&what, &run.stdout, &run.stderr);
            assert!(run.stderr.contains(says), "{what}: {}", run.stderr);
            assert!(run.stderr.len() < 4096, "{what}: {} bytes of diagnostics", run.stderr.len());
        }
    }
}

/// The rows of `schedule --format csv`, header first.
fn csv_rows(output: &Output) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&output.stdout[..])
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_text_and_numbers_stay_numbers() {
    let scratch = Scratch::new("csv-injection");
    let plan = scratch.write(
        "plan.yaml",
        r#"
program: { name: Sheet, start: 2027-01-11 }
teams:
  - { id: "=HYPERLINK(\"http://evil\",\"x\")", capacity: 1 }
  - { id: plain, capacity: 1 }
items:
  - { id: "=1+1", title: "=cmd|' /C calc'!A0", team: "=HYPERLINK(\"http://evil\",\"x\")", estimate: 3 }
  - { id: "+1", title: "+SUM(1)", team: "=HYPERLINK(\"http://evil\",\"x\")", estimate: 2 }
  - { id: "-3", title: "-2+3", team: plain, estimate: 2 }
  - { id: "@A", title: "@SUM(A1)", team: plain, estimate: 1 }
  - { id: TAB, title: "\t=1", team: plain, estimate: 1 }
  - { id: CR, title: "\r=1", team: plain, estimate: 1 }
  - { id: PAY-1, title: "A - B, then C = D", team: plain, estimate: 1, depends: ["-3"] }
  - { id: "E\e[2J", title: "esc", team: plain, estimate: 1 }
"#,
    );
    let output = linchpin(&["schedule", &plan, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!output.stdout.contains(&b'\x1b') && !output.stdout.contains(&b'\r'), "no raw ESC or CR");
    let rows = csv_rows(&output);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id, title, team, held_by) = (col("id"), col("title"), col("team"), col("held_by"));
    let by_id = |key: &str| rows.iter().find(|r| r[id] == key).unwrap_or_else(|| panic!("{key} in {rows:?}"));
    assert_eq!(by_id("'=1+1")[title], "'=cmd|' /C calc'!A0");
    assert_eq!(by_id("'=1+1")[team], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(by_id("'+1")[title], "'+SUM(1)");
    assert_eq!(by_id("'-3")[title], "'-2+3");
    assert_eq!(by_id("'@A")[title], "'@SUM(A1)");
    assert_eq!(by_id("TAB")[title], "'\t=1");
    assert_eq!(by_id("CR")[title], "'\\r=1");
    // Text that merely contains the characters is left as it is.
    assert_eq!(by_id("PAY-1")[title], "A - B, then C = D");
    assert_eq!(by_id("E\\u{1b}[2J")[title], "esc");
    // One of the items of the formula-named team waits for it.
    assert!(rows[1..].iter().any(|r| r[held_by] == "'=HYPERLINK(\"http://evil\",\"x\")"), "{rows:?}");
    for row in &rows[1..] {
        for number in ["total_slack", "free_slack", "capacity_wait"] {
            let cell = &row[col(number)];
            assert!(cell.parse::<f64>().is_ok(), "{number} `{cell}` is a number");
        }
        for date in ["start", "finish"] {
            assert!(row[col(date)].starts_with("2027-"), "{row:?}");
        }
    }
}

#[test]
fn every_export_keeps_escape_sequences_and_formulas_out() {
    let scratch = Scratch::new("hostile-export");
    let plan = scratch.write("plan.yaml", HOSTILE);
    for format in ["mspdi", "mermaid-gantt", "mermaid-flowchart", "dot", "ics", "csv"] {
        let run = guarded(&["export", format, &plan, "--iterations", "200"]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        // iCalendar's lines end in CRLF, as RFC 5545 says; no other CR is left.
        let text = if format == "ics" { run.stdout.replace("\r\n", "\n") } else { run.stdout.clone() };
        assert_inert(&format!("export {format}"), &text, &run.stderr);
        if format == "csv" {
            assert!(text.contains("'=cmd|' /C calc'!A0") && !text.contains(",=cmd"), "{text}");
        }
    }
}
