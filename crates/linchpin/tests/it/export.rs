//! `linchpin export`: each format from the same schedule `linchpin
//! schedule` computes with the same options, to standard output or a file.
//! The formats' own clients (MPXJ, icalendar, dot, Mermaid) check them in
//! scripts/interop_clients.py.

use crate::{Scratch, fixture, json, linchpin, stderr, stdout};

const FORMATS: [&str; 6] = ["mspdi", "mermaid-gantt", "mermaid-flowchart", "dot", "ics", "csv"];

#[test]
fn csv_is_the_schedule_with_the_same_options() {
    let plan = fixture("interop.yaml");
    for options in [&[][..], &["--no-capacity"][..], &["--seed", "7", "--effort", "20"][..]] {
        let export = linchpin(&[&["export", "csv", &plan][..], options].concat());
        let schedule = linchpin(&[&["schedule", &plan, "--format", "csv"][..], options].concat());
        assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
        assert_eq!(stdout(&export), stdout(&schedule), "{options:?}");
    }
}

#[test]
fn the_gantt_and_the_project_file_carry_the_scheduled_dates() {
    let plan = fixture("interop.yaml");
    let schedule = json(&["schedule", &plan, "--format", "json"]);
    let gantt = stdout(&linchpin(&["export", "mermaid-gantt", &plan]));
    let mspdi = stdout(&linchpin(&["export", "mspdi", &plan]));
    for (n, item) in schedule["items"].as_array().expect("items").iter().enumerate() {
        let start = item["start"].as_str().expect("start");
        let finish = item["finish"].as_str().expect("finish");
        let line = gantt
            .lines()
            .find(|l| l.contains(&format!(" i{n}, ")) || l.contains(&format!(":i{n}, ")))
            .expect("a gantt task per item");
        assert!(line.contains(&format!("i{n}, {start}, ")), "{line}");
        // The project file has the item's Linchpin id in Text1 and its dates.
        let task = mspdi
            .split("<Task>")
            .find(|t| t.contains(&format!("<Value>{}</Value>", item["id"].as_str().expect("id"))))
            .expect("a task per item");
        assert!(task.contains(&format!("<Start>{start}T")), "{task}");
        assert!(task.contains(&format!("<Finish>{finish}T")), "{task}");
    }
    // The options are the schedule's: without capacity, B has more slack.
    let slack = |args: &[&str]| {
        let xml = stdout(&linchpin(&[&["export", "mspdi", &plan][..], args].concat()));
        let task = xml.split("<Task>").find(|t| t.contains("<Value>B</Value>")).expect("B").to_owned();
        task.split("<TotalSlack>").nth(1).and_then(|s| s.split('<').next()).expect("slack").to_owned()
    };
    assert_eq!(slack(&[]), "31200");
    assert_eq!(slack(&["--no-capacity"]), "38400");
}

#[test]
fn the_calendar_has_each_milestones_target_and_p80() {
    let plan = fixture("interop.yaml");
    let forecast = json(&["forecast", &plan, "--format", "json", "--iterations", "500"]);
    let ics = stdout(&linchpin(&["export", "ics", &plan, "--iterations", "500"]));
    for m in forecast["milestones"].as_array().expect("milestones") {
        let key = m["id"].as_str().expect("id");
        for (kind, date) in [("target", &m["target"]), ("P80", &m["p80"])] {
            let date = date.as_str().expect("a date").replace('-', "");
            let event = ics
                .split("BEGIN:VEVENT")
                .find(|e| e.contains(&format!("SUMMARY:{key} {kind}:")))
                .unwrap_or_else(|| panic!("{key} {kind} in {ics}"));
            assert!(event.contains(&format!("DTSTART;VALUE=DATE:{date}\r\n")), "{event}");
        }
    }
    // The same plan gives the same bytes: calendars update, never duplicate.
    assert_eq!(ics, stdout(&linchpin(&["export", "ics", &plan, "--iterations", "500"])));
}

#[test]
fn output_goes_to_the_file_named_and_a_failure_to_write_is_exit_2() {
    let scratch = Scratch::new("export-output");
    let plan = fixture("interop.yaml");
    for format in FORMATS {
        let path = scratch.path(&format!("out.{format}"));
        let output = linchpin(&["export", format, &plan, "-o", &path.display().to_string(), "--iterations", "200"]);
        assert_eq!(output.status.code(), Some(0), "{format}: {}", stderr(&output));
        assert!(output.stdout.is_empty());
        let written = std::fs::read(&path).expect("written");
        let direct = linchpin(&["export", format, &plan, "--iterations", "200"]).stdout;
        assert_eq!(written, direct, "{format}: the file and standard output differ");
    }
    let missing = scratch.path("no/such/dir/out.xml").display().to_string();
    let output = linchpin(&["export", "mspdi", &plan, "-o", &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot write"), "{}", stderr(&output));
}

#[test]
fn a_plan_with_errors_exports_nothing_and_an_unknown_format_is_refused() {
    let output = linchpin(&["export", "dot", &fixture("broken.yaml")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let output = linchpin(&["export", "pdf", &fixture("interop.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("mermaid-gantt"), "{}", stderr(&output));
}

#[test]
fn the_example_exports_in_every_format() {
    for format in FORMATS {
        let output = linchpin(&["export", format, "examples/platform-migration", "--iterations", "500"]);
        assert_eq!(output.status.code(), Some(0), "{format}: {}", stderr(&output));
        assert!(output.stdout.len() > 1000, "{format}");
    }
}
