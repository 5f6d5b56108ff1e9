//! `linchpin import`: a tracker's export into a plan folder that `linchpin
//! check` accepts, with a summary of what was dropped and why, and
//! re-import as a sync that keeps what the TPM added.

use std::path::Path;

use crate::{Scratch, fixture, json, linchpin, stderr, stdout};

fn import(dir: &Path, export: &str, extra: &[&str]) -> std::process::Output {
    let dir = dir.display().to_string();
    let export = fixture(&format!("jira/{export}"));
    linchpin(&[&["import", "jira-csv", &export, "-o", &dir, "--start", "2027-01-04"][..], extra].concat())
}

#[test]
fn a_jira_export_becomes_a_plan_that_checks_with_what_was_dropped_said() {
    let scratch = Scratch::new("import-jira");
    let output = import(&scratch.0, "export.csv", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("imported 8 issues"), "{said}");
    assert!(
        said.contains("7 items, 1 epics as groups, 3 teams, 2 dependencies, 2 fix versions as milestones"),
        "{said}"
    );
    for dropped in [
        "2 links that are not `blocks` / `is blocked by`, not made dependencies: CHK-2 Relates CHK-6, CHK-4 Duplicate CHK-5",
        "1 links to issues outside the export, left out: OPS-9 → CHK-6",
        "1 estimates that could not be read as points or time, left out: CHK-6: forever",
        "1 statuses with no category and no mapping, taken as not started: CHK-6: Frobnicating",
        "1 parents that are not an epic of the export, kept as a `parent:` tag: CHK-7 in CHK-2",
    ] {
        assert!(said.contains(dropped), "{dropped} in {said}");
    }
    let dir = scratch.0.display().to_string();
    let check = linchpin(&["check", &dir]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let plan = json(&["schedule", &dir, "--format", "json"]);
    let item = |key: &str| plan["items"].as_array().expect("items").iter().find(|i| i["id"] == key).expect(key).clone();
    assert_eq!(item("CHK-2")["status"], "in_progress");
    assert_eq!(item("CHK-2")["team"], "api");
    assert_eq!(item("CHK-5")["status"], "done");
    // A title that is a formula is kept as text, and neutralised in CSV.
    assert_eq!(item("CHK-8")["title"], "=HYPERLINK(\"http://evil\")");
    let csv = stdout(&linchpin(&["export", "csv", &dir]));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    // Multi-line summaries and quotes survive.
    let yaml = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    assert!(yaml.contains(r#"title: "Order\nservice""#), "{yaml}");
    assert!(yaml.contains(r#"title: "Cart service, v2 \"draft\"""#), "{yaml}");
    assert!(yaml.contains("depends: [CHK-2]"), "{yaml}");
}

#[test]
fn a_mapping_file_chooses_teams_statuses_points_and_release_dates() {
    let scratch = Scratch::new("import-mapping");
    let output = import(&scratch.0, "export.csv", &["--mapping", &fixture("jira/mapping.yaml")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    assert!(yaml.contains("{ id: payments-api, name: API }"), "{yaml}");
    assert!(yaml.contains(r#"id: CHK-2, title: "Cart service, v2 \"draft\"", team: payments-api"#), "{yaml}");
    // 5 points at a day and a half each; `Frobnicating` mapped to blocked.
    assert!(yaml.contains("estimate: 7.5"), "{yaml}");
    assert!(yaml.contains("id: CHK-6, title: Load test, team: chk, status: blocked"), "{yaml}");
    assert!(yaml.contains(r#"title: "2.0", target: 2027-03-01"#), "{yaml}");
    let wrong = scratch.write("wrong.yaml", "team: squad\n");
    let output = import(&scratch.0, "export.csv", &["--mapping", &wrong]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`squad` is not component"), "{}", stderr(&output));
}

#[test]
fn re_import_updates_statuses_and_keeps_what_the_tpm_added() {
    let scratch = Scratch::new("import-sync");
    assert_eq!(import(&scratch.0, "export.csv", &[]).status.code(), Some(0));
    // The TPM's own files: a dependency and a three-point estimate on
    // imported items, with her comments, and the web team's real size.
    let mine = "# Ana: the load test needs the payment form; agreed with Chen 2027-01-08.\n\
                additions:\n  - { item: CHK-6, depends: [CHK-4], estimate: [2, 3, 6] }  # not in Jira yet\n";
    scratch.write("tpm.yaml", mine);
    scratch.write("teams.yaml", "teams:\n  - { id: web, name: Web, capacity: 3 }  # two contractors from February\n");
    let dir = scratch.0.display().to_string();
    // Until the next import, her team and the imported one are both there.
    assert!(stderr(&linchpin(&["check", &dir])).contains("duplicate team id `web`"));

    let output = import(&scratch.0, "export-later.csv", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("since the last import: 0 new, 3 changed, 0 gone"), "{said}");
    assert!(said.contains("CHK-2 (in_progress → done)"), "{said}");
    assert!(said.contains("CHK-3 (not_started → in_progress)"), "{said}");
    assert!(said.contains("CHK-4 (title)"), "{said}");
    // Her files are as she wrote them, comments and all.
    assert_eq!(std::fs::read_to_string(scratch.path("tpm.yaml")).expect("tpm.yaml"), mine);
    // The generated file leaves her team to her.
    let yaml = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    assert!(!yaml.contains("id: web,"), "{yaml}");
    let plan = json(&["schedule", &dir, "--format", "json"]);
    let item = |key: &str| plan["items"].as_array().expect("items").iter().find(|i| i["id"] == key).expect(key).clone();
    assert_eq!(item("CHK-2")["status"], "done");
    assert_eq!(item("CHK-3")["status"], "in_progress");
    assert_eq!(item("CHK-4")["title"], "Payment form (cards)");
    // Her dependency holds: the load test starts after the payment form.
    assert!(item("CHK-6")["start"].as_str() > item("CHK-4")["finish"].as_str(), "{plan}");
    assert_eq!(linchpin(&["check", &dir]).status.code(), Some(0));
    // An addition to an item the tracker no longer has is an error naming it.
    scratch.write("stale.yaml", "additions:\n  - { item: CHK-99, depends: [CHK-2] }\n");
    let output = import(&scratch.0, "export-later.csv", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("unknown item `CHK-99`"), "{}", stderr(&output));
}

#[test]
fn exports_that_are_not_jira_csv_are_refused_with_the_reason() {
    let scratch = Scratch::new("import-wrong");
    let not_jira = scratch.write("sheet.csv", "Title,Status\nA,Done\n");
    let dir = scratch.path("plan").display().to_string();
    let output = linchpin(&["import", "jira-csv", &not_jira, "-o", &dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no `Issue key` column"), "{}", stderr(&output));
    let output = linchpin(&["import", "jira-csv", &scratch.0.display().to_string(), "-o", &dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a regular file"), "{}", stderr(&output));
    let binary = scratch.write("binary.csv", b"\xff\xfe\x00\x01Issue key\x00\n\x00\x00");
    let output = linchpin(&["import", "jira-csv", &binary, "-o", &dir]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn pages_of_jira_rest_search_json_import_as_one_export() {
    let scratch = Scratch::new("import-jira-json");
    let dir = scratch.0.display().to_string();
    let pages = [fixture("jira/search-1.json"), fixture("jira/search-2.json")];
    let output = linchpin(&["import", "jira-json", &pages[0], &pages[1], "-o", &dir, "--start", "2027-01-04"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("imported 4 issues"), "{said}");
    assert!(
        said.contains("3 items, 1 epics as groups, 2 teams, 2 dependencies, 2 fix versions as milestones"),
        "{said}"
    );
    assert!(said.contains("1 links to issues outside the export, left out: OPS-12 → CHK-4"), "{said}");
    let plan = json(&["schedule", &dir, "--format", "json"]);
    let item = |key: &str| plan["items"].as_array().expect("items").iter().find(|i| i["id"] == key).expect(key).clone();
    assert_eq!(item("CHK-2")["team"], "api");
    assert_eq!(item("CHK-3")["title"], "Order\nservice");
    // The same export as CSV and as JSON gives the same items.
    let yaml = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    assert!(
        yaml.contains(
            "id: CHK-4, title: Payment form, team: web, owner: Chen Wu, estimate: 7, group: CHK-1, depends: [CHK-2]"
        ),
        "{yaml}"
    );
    let broken = scratch.write("broken.json", "{\"issues\": [{\"key\": \"A-1\", \"fields\": {\"summary\": 7}}]}");
    let output = linchpin(&["import", "jira-json", &broken, "-o", &dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
}
