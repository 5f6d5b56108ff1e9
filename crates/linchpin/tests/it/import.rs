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

#[test]
fn an_import_the_plan_loader_would_refuse_keeps_the_last_import() {
    let scratch = Scratch::new("import-too-many-values");
    let dir = scratch.0.display().to_string();
    let page = fixture("jira/search-1.json");
    let output = linchpin(&["import", "jira-json", &page, "-o", &dir, "--start", "2027-01-04"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let last = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    // 401 issues of 10,000 labels each: 4 million tags, more values than one
    // YAML file may hold, in 28 MB of YAML (under the bytes a plan may hold).
    let labels = (0..10_000).map(|i| format!("\"l{i}\"")).collect::<Vec<_>>().join(",");
    let issues = (1..=401)
        .map(|i| format!("{{\"key\": \"BIG-{i}\", \"fields\": {{\"summary\": \"T\", \"components\": [{{\"name\": \"API\"}}], \"labels\": [{labels}]}}}}"))
        .collect::<Vec<_>>()
        .join(",");
    let big = scratch.write("big.json", format!("{{\"issues\": [{issues}]}}"));
    let output = linchpin(&["import", "jira-json", &big, "-o", &dir]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let said = stderr(&output);
    assert!(said.contains("the import would not load as a plan: the YAML holds more than 4000000 values"), "{said}");
    assert!(said.contains("the last import is kept"), "{said}");
    let kept = std::fs::read_to_string(scratch.path("imported/jira.yaml")).expect("generated");
    assert_eq!(kept, last, "the last import is untouched");
    let output = linchpin(&["check", &dir]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// The items, groups and milestones of an imported plan folder's generated
/// file, as the plan reads them (through `schedule --format json`) and as
/// written (the YAML lines, for the links).
fn generated(dir: &Path, format: &str) -> String {
    std::fs::read_to_string(dir.join("imported").join(format!("{format}.yaml"))).expect("generated")
}

#[test]
fn a_plan_exported_to_ms_project_and_imported_again_schedules_the_same() {
    let scratch = Scratch::new("import-mspdi-round-trip");
    let xml = scratch.path("plan.xml").display().to_string();
    let plan = fixture("interop.yaml");
    assert_eq!(linchpin(&["export", "mspdi", &plan, "-o", &xml]).status.code(), Some(0));
    let dir = scratch.path("again");
    let output = linchpin(&["import", "mspdi", &xml, "-o", &dir.display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let before = json(&["schedule", &plan, "--format", "json"]);
    let after = json(&["schedule", &dir.display().to_string(), "--format", "json"]);
    // Every item keeps its id, team, status and dates; every milestone its date.
    for field in ["id", "team", "status", "start", "finish", "critical"] {
        let values = |s: &serde_json::Value| -> Vec<serde_json::Value> {
            let mut items: Vec<_> = s["items"].as_array().expect("items").clone();
            items.sort_by_key(|i| i["id"].as_str().map(str::to_owned));
            items.iter().map(|i| i[field].clone()).collect()
        };
        assert_eq!(values(&before), values(&after), "{field}");
    }
    assert_eq!(before["milestones"], after["milestones"]);
    let yaml = generated(&dir, "mspdi");
    // The links with their types and lags, the constraints and the baseline.
    for expected in [
        "depends: [{ item: A, type: start_to_start, lag: 2 }]",
        "depends: [{ item: B, type: finish_to_finish, lag: 1 }]",
        "depends: [{ item: D, lag: 10, lag_unit: calendar_days }]",
        "depends: [{ item: C, lag: -1 }, E]",
        "not_before: 2027-01-20",
        "start_on: 2027-02-22",
        "deadline: 2027-03-05",
        "{ item: B, start: 2027-01-07, finish: 2027-01-13 }",
        "{ id: E1-a, title: Checkout API, parent: E1 }",
        "{ id: M1, title: API ready, target: 2027-02-05, requires: [B, D] }",
        "{ id: web, name: Web, capacity: 2, holidays: [2027-01-29] }",
        "{ id: api, name: API, capacity: 1",
    ] {
        assert!(yaml.contains(expected), "{expected} in {yaml}");
    }
    let program = std::fs::read_to_string(dir.join("program.yaml")).expect("program.yaml");
    assert!(program.contains("holidays: [2027-01-18, { date: 2027-02-15, until: 2027-02-16 }]"), "{program}");
}

#[test]
fn ms_project_xml_written_by_mpxj_imports_as_mpxj_reads_it() {
    let scratch = Scratch::new("import-mspdi-mpxj");
    let dir = scratch.0.display().to_string();
    let output = linchpin(&["import", "mspdi", &fixture("mspdi/mpxj-built.xml"), "-o", &dir]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("1 what has no Linchpin equivalent, left out: T10: a start-to-finish link"), "{said}");
    assert!(said.contains("1 tasks without a work resource, given to the team `unassigned`: T10"), "{said}");
    let read: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::repo_root().join(fixture("mspdi/mpxj-built.json"))).expect("json"),
    )
    .expect("MPXJ's reading");
    let yaml = generated(&scratch.0, "mspdi");
    let line = |id: &str| -> String {
        yaml.lines()
            .find(|l| l.contains(&format!("{{ id: {id},")))
            .unwrap_or_else(|| panic!("{id} in {yaml}"))
            .to_owned()
    };
    let tasks = read["tasks"].as_array().expect("tasks");
    let (mut items, mut groups, mut milestones) = (0, 0, 0);
    for task in tasks {
        let id = format!("T{}", task["uid"]);
        let line = line(&id);
        if task["summary"] == true {
            groups += 1;
            if let Some(parent) = task["parent"].as_i64() {
                assert!(line.contains(&format!("parent: T{parent}")), "{line}");
            }
            continue;
        }
        if task["milestone"] == true {
            milestones += 1;
            let deadline = task["deadline"].as_str().expect("the milestone's deadline");
            assert!(line.contains(&format!("target: {deadline}")), "{line}");
            continue;
        }
        items += 1;
        // Durations, in days as MPXJ reads them.
        let duration = &task["duration"];
        assert_eq!(duration[1], "DAYS");
        let days = duration[0].as_f64().expect("days");
        assert!(line.contains(&format!("estimate: {days}")), "{days} in {line}");
        // Links: type and lag in their units.
        for link in task["links"].as_array().expect("links") {
            let on = format!("T{}", link["on"]);
            let lag = link["lag"].as_f64().expect("lag");
            let expected = match (link["type"].as_str(), link["unit"].as_str()) {
                (Some("FINISH_START"), Some("DAYS")) if lag == 0.0 => on.clone(),
                (Some("START_START"), Some("DAYS")) => format!("{{ item: {on}, type: start_to_start, lag: {lag} }}"),
                (Some("FINISH_FINISH"), Some("DAYS")) => {
                    format!("{{ item: {on}, type: finish_to_finish, lag: {lag} }}")
                }
                (Some("FINISH_START"), Some("ELAPSED_DAYS")) => {
                    format!("{{ item: {on}, lag: {lag}, lag_unit: calendar_days }}")
                }
                (Some("FINISH_START"), Some("HOURS")) => format!("{{ item: {on}, lag: {} }}", lag / 8.0),
                (Some("START_FINISH"), _) => {
                    assert!(!line.contains("depends"), "{line}");
                    continue;
                }
                other => panic!("a link the fixture does not have: {other:?}"),
            };
            assert!(line.contains(&expected), "{expected} in {line}");
        }
        // Dates: actuals, constraints, deadlines.
        for (field, ours) in
            [("actual_start", "actual_start"), ("actual_finish", "actual_finish"), ("deadline", "deadline")]
        {
            if let Some(date) = task[field].as_str() {
                assert!(line.contains(&format!("{ours}: {date}")), "{field} in {line}");
            }
        }
        match task["constraint"].as_str() {
            Some("START_NO_EARLIER_THAN") => {
                assert!(line.contains(&format!("not_before: {}", task["constraint_date"].as_str().expect("date"))))
            }
            Some("MUST_START_ON") => {
                assert!(line.contains(&format!("start_on: {}", task["constraint_date"].as_str().expect("date"))))
            }
            _ => {}
        }
        if let Some(baseline) = task["baseline"].as_array() {
            let entry = format!(
                "{{ item: {id}, start: {}, finish: {} }}",
                baseline[0].as_str().expect("start"),
                baseline[1].as_str().expect("finish")
            );
            assert!(yaml.contains(&entry), "{entry}");
        }
        // The team is the resource assigned.
        if let Some(resource) = task["resources"][0].as_str() {
            let team = resource.to_lowercase().replace(' ', "-");
            assert!(line.contains(&format!("team: {team}")), "{line}");
        }
    }
    assert!(said.contains(&format!("{items} items, {groups} summary tasks as groups")), "{said}");
    assert!(said.contains(&format!("{milestones} milestones")), "{said}");
    // Resources' units are people; the calendar's exceptions holidays.
    assert!(yaml.contains("{ id: operations, name: Operations, capacity: 3 }"), "{yaml}");
    let program = std::fs::read_to_string(scratch.path("program.yaml")).expect("program.yaml");
    assert!(program.contains("holidays: [2027-01-18, { date: 2027-02-15, until: 2027-02-16 }]"), "{program}");
    assert!(program.contains("name: Warehouse move"), "{program}");
    // Our schedule keeps MS Project's constrained dates.
    let schedule = json(&["schedule", &dir, "--format", "json"]);
    let start = |id: &str| {
        schedule["items"].as_array().expect("items").iter().find(|i| i["id"] == id).expect(id)["start"].clone()
    };
    assert_eq!(start("T7"), "2027-01-20");
    assert_eq!(start("T8"), "2027-02-01");
}

#[test]
fn ms_project_xml_with_a_doctype_is_refused() {
    let scratch = Scratch::new("import-mspdi-doctype");
    let evil = scratch.write(
        "evil.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<Project><Name>&lol2;</Name></Project>\n",
    );
    let dir = scratch.path("plan").display().to_string();
    let output = linchpin(&["import", "mspdi", &evil, "-o", &dir]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("has a DOCTYPE"), "{}", stderr(&output));
    assert!(!scratch.path("plan").exists(), "nothing is written");
    let two = linchpin(&["import", "mspdi", &evil, &evil, "-o", &dir]);
    assert_eq!(two.status.code(), Some(2));
    assert!(stderr(&two).contains("reads one file"));
}

#[test]
fn a_backstage_catalog_adds_the_architecture_and_findings_name_the_shared_dependencies() {
    let scratch = Scratch::new("import-backstage");
    let plan = scratch.path("plan");
    crate::copy_dir(&crate::repo_root().join("examples/platform-migration"), &plan);
    // The plan without its hand-kept architecture: the catalog brings it.
    std::fs::remove_file(plan.join("systems.yaml")).expect("remove systems.yaml");
    let items_before = std::fs::read_to_string(plan.join("items/ledger.yaml")).expect("items");
    let dir = plan.display().to_string();
    let files: Vec<String> = ["org.yaml", "components.yaml", "resources-and-apis.yaml"]
        .iter()
        .map(|f| fixture(&format!("backstage/{f}")))
        .collect();
    let mut args = vec!["import", "backstage"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", &dir]);
    let output = linchpin(&args);
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    let said = stdout(&output);
    // The plan's own teams are left to it; the catalog's 22 systems and 12 APIs come in.
    assert!(said.contains("imported 46 entities"), "{said}");
    assert!(said.contains("1 teams, 22 systems"), "{said}");
    assert!(said.contains("12 interfaces"), "{said}");
    assert!(said.contains("domain payments") && said.contains("system payments-platform"), "{said}");
    assert_eq!(std::fs::read_to_string(plan.join("items/ledger.yaml")).expect("items"), items_before);
    assert!(!plan.join("program.yaml.partial").exists());
    let yaml = generated(&plan, "backstage");
    assert!(yaml.contains("{ id: ledger-db, name: Ledger Postgres cluster, kind: database, owner: ledger }"), "{yaml}");
    assert!(yaml.contains("{ id: adyen, name: Adyen, kind: external }"), "{yaml}");
    assert!(
        yaml.contains("provider: { system: ledger-svc, team: ledger }, consumers: [billing, checkout, mobile, payments-core], status: draft"),
        "{yaml}"
    );
    // Only the department is new among the teams: the plan defines the rest.
    assert!(yaml.contains("{ id: engineering"), "{yaml}");
    let findings = stdout(&linchpin(&["findings", &dir]));
    for shared in ["shared_dependency:oracle-paydb", "shared_dependency:paycore", "shared_dependency:token-vault"] {
        assert!(findings.contains(shared), "{shared} in {findings}");
    }
}

#[test]
fn github_issues_with_dependencies_sub_issues_and_milestones() {
    let scratch = Scratch::new("import-github");
    let dir = scratch.path("plan").display().to_string();
    let output = linchpin(&[
        "import",
        "github",
        &fixture("github/issues.json"),
        "-o",
        &dir,
        "--start",
        "2027-01-04",
        "--mapping",
        &scratch.write("mapping.yaml", "team: [project]\n"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("imported 4 issues"), "the pull request is not an issue: {said}");
    assert!(
        said.contains("3 items, 1 issues with sub-issues as groups, 1 teams, 2 dependencies, 2 milestones"),
        "{said}"
    );
    assert!(said.contains("1 links to issues outside the export, left out: web#99 → web#12"), "{said}");
    let yaml = generated(&scratch.path("plan"), "github");
    for expected in [
        r#"{ id: "web#11", title: "Cart service, v2 \"draft\"", team: web, owner: ben, status: done, group: "web#10""#,
        r#"{ id: "web#12", title: Payment form, team: web, owner: chen, status: in_progress, group: "web#10", depends: ["web#11"]"#,
        r#"{ id: "web#14", title: Launch checklist, team: web, status: blocked, depends: ["web#12"]"#,
        r#"{ id: release-v2-0, title: v2.0, target: 2027-03-01, requires: ["web#11", "web#12"] }"#,
    ] {
        assert!(yaml.contains(expected), "{expected} in {yaml}");
    }
    assert_eq!(linchpin(&["check", &dir]).status.code(), Some(0));
}
