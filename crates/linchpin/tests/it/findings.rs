use linchpin_model::FindingKind;

use crate::{Scratch, copy_dir, fixture, json, linchpin, repo_root, stderr, stdout};

/// One schedule-quality check of a `findings --format json` report.
fn quality<'r>(report: &'r serde_json::Value, check: &str) -> &'r serde_json::Value {
    report["schedule_quality"].as_array().expect("checks").iter().find(|q| q["check"] == check).expect("every check")
}

#[test]
fn findings_read_as_a_list_then_the_detail_then_schedule_quality() {
    let output = linchpin(&["findings", &fixture("findings.yaml"), "--iterations", "2000"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn the_example_program_shows_every_kind_of_finding() {
    let report = json(&["findings", "examples/platform-migration", "--iterations", "2000", "--format", "json"]);
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .chain(report["accepted"].as_array().expect("accepted"))
        .map(|f| f["kind"].as_str().expect("kind"))
        .collect();
    for kind in FindingKind::ALL {
        assert!(kinds.contains(&kind.as_str()), "no {} finding in the example", kind.as_str());
    }
    // Every finding explains itself and names who to call.
    for finding in report["findings"].as_array().expect("findings") {
        for key in ["id", "severity", "headline", "explanation", "action"] {
            assert!(finding[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {finding}");
        }
        assert!(!finding["involved"].as_array().expect("involved").is_empty(), "{finding}");
        assert!(finding["figures"].is_object());
    }
    let contract = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == "built_before_contract:ledger-v2-api")
        .expect("the draft ledger API is built against");
    let people: Vec<&str> =
        contract["people"].as_array().expect("people").iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(people.contains(&"Marta Kowalski"), "the provider's lead: {people:?}");
    assert!(people.contains(&"Tom Becker"), "a consumer's lead: {people:?}");
    // The plan's accepted findings sit in their own list, with who and why.
    let accepted = report["accepted"].as_array().expect("accepted");
    assert_eq!(accepted[0]["acceptance"]["owner"], "Sam Okafor");
    assert_eq!(report["summary"]["accepted"], accepted.len());
    assert_eq!(report["schedule_quality"].as_array().expect("checks").len(), 12);
    let decisions = report["decisions"].as_array().expect("open decisions");
    // The soonest first: D3 blocks LED-6, which has 22 days before the end
    // but none before M1, so it is needed first.
    assert_eq!(decisions[0]["id"], "D3", "the soonest first");
    assert_eq!(decisions[0]["needed_by"], "2026-11-24");
    assert!(decisions.iter().all(|d| d["needed_by"].is_string() || d["waiting"].as_array().is_some_and(Vec::is_empty)));
    let bei = quality(&report, "baseline_execution_index");
    assert!(bei["value"].as_f64().is_some(), "the example has a baseline: {bei}");
}

#[test]
fn findings_as_risks_paste_into_the_plan_cleanly() {
    let output = linchpin(&["findings", "examples/platform-migration", "--iterations", "1000", "--as-risks"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let risks = stdout(&output);
    assert!(risks.contains("risks:\n  # from finding "), "{risks}");
    // Saved as one more file of the plan folder, the plan still checks clean.
    let scratch = Scratch::new("as-risks");
    let example = repo_root().join("examples/platform-migration");
    copy_dir(&example, &scratch.0);
    scratch.write("finding-risks.yaml", &risks);
    let check = linchpin(&["check", &scratch.0.display().to_string()]);
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));
    let before = linchpin(&["check", "examples/platform-migration", "--format", "json"]);
    let after = linchpin(&["check", &scratch.0.display().to_string(), "--format", "json"]);
    let count = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["counts"]["risks"].as_u64().expect("risks")
    };
    assert!(count(&after) > count(&before));
}

#[test]
fn fail_on_turns_findings_into_an_exit_code_for_ci() {
    let high = linchpin(&["findings", &fixture("findings.yaml"), "--no-forecast", "--fail-on", "high"]);
    assert_eq!(high.status.code(), Some(1));
    let scratch = Scratch::new("fail-on");
    let path = scratch.write(
        "plan.yaml",
        "program: { name: Small, start: 2027-01-04 }\nteams:\n  - { id: a, lead: Ana }\nitems:\n  - { id: A1, title: x, team: a, owner: Ana, estimate: 5 }\nmilestones:\n  - { id: M1, title: m, requires: [A1], target: 2027-02-26 }\n",
    );
    let quiet = linchpin(&["findings", &path, "--no-forecast", "--fail-on", "high"]);
    assert_eq!(quiet.status.code(), Some(0), "{}", stdout(&quiet));
}

#[test]
fn a_baseline_saved_beside_the_plan_is_measured_against() {
    let scratch = Scratch::new("baseline");
    let plan = std::fs::read_to_string(repo_root().join(fixture("findings.yaml"))).expect("fixture");
    scratch.write("plan.yaml", &plan);
    let output = linchpin(&["baseline", &scratch.path("plan.yaml").display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let baseline = stdout(&output);
    assert!(baseline.contains("baseline:\n  date: 2027-01-15\n  items:\n"), "{baseline}");
    scratch.write("baseline.yaml", &baseline);
    let report = json(&["findings", &scratch.0.display().to_string(), "--no-forecast", "--format", "json"]);
    let missed = quality(&report, "missed_tasks");
    // Taken today, the baseline has nothing missed yet: CHK-1 started on
    // time and nothing was due to finish.
    assert_eq!(missed["value"], 0.0, "{missed}");
    let bei = quality(&report, "baseline_execution_index");
    assert_eq!(bei["note"], "no baselined item was due by the status date");
}

#[test]
fn a_typo_in_an_accepted_finding_is_a_plan_error_with_a_suggestion() {
    let scratch = Scratch::new("accept-typo");
    let plan = std::fs::read_to_string(repo_root().join(fixture("findings.yaml"))).expect("fixture");
    let path = scratch.write(
        "plan.yaml",
        format!("{plan}findings:\n  accepted:\n    - {{ finding: \"blocker:CHK-11\", reason: waiting on the network, owner: Tom }}\n"),
    );
    let output = linchpin(&["findings", &path]);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(errors.contains("unknown item `CHK-11`"), "{errors}");
    assert!(errors.contains("did you mean `CHK-1`?"), "{errors}");
}

#[test]
fn a_team_and_a_system_called_alike_are_two_findings_and_check_says_how_to_accept_one() {
    let scratch = Scratch::new("two-ledgers");
    let plan = "program: { name: Two ledgers, start: 2027-01-04 }\nteams:\n  - { id: ledger, lead: Marta }\n  - { id: web, lead: Wes }\nsystems:\n  - { id: ledger, owner: ledger }\n  - { id: s1, owner: web, depends_on: [ledger] }\n  - { id: s2, owner: web, depends_on: [ledger] }\n  - { id: s3, owner: web, depends_on: [ledger] }\nitems:\n  - { id: X1, title: x, team: ledger, owner: Marta, estimate: 3, systems: [s1] }\n  - { id: X2, title: x, team: ledger, owner: Marta, estimate: 3, systems: [s2] }\nmilestones:\n  - { id: M1, title: m, requires: [X1] }\n  - { id: M2, title: m, requires: [X2] }\n";
    let accepting = |id: &str| {
        format!("{plan}findings:\n  accepted:\n    - {{ finding: \"{id}\", reason: known, owner: Marta }}\n")
    };
    let path = scratch.write("plan.yaml", plan);
    let report = json(&["findings", &path, "--no-forecast", "--format", "json"]);
    let ids: Vec<&str> =
        report["findings"].as_array().expect("findings").iter().filter_map(|f| f["id"].as_str()).collect();
    assert!(ids.contains(&"single_point_of_failure:system:ledger"), "{ids:?}");
    assert!(ids.contains(&"single_point_of_failure:team:ledger"), "{ids:?}");

    let short = scratch.write("plan.yaml", accepting("single_point_of_failure:ledger"));
    let check = linchpin(&["check", &short]);
    assert_eq!(check.status.code(), Some(1));
    let text = format!("{}{}", stderr(&check), stdout(&check));
    assert!(
        text.contains(
            "error[bad-finding-id]: `single_point_of_failure:ledger` could be the system or the team `ledger`"
        ),
        "{text}"
    );
    assert!(
        text.contains("write `single_point_of_failure:system:ledger` or `single_point_of_failure:team:ledger`"),
        "{text}"
    );

    let qualified = scratch.write("plan.yaml", accepting("single_point_of_failure:team:ledger"));
    let report = json(&["findings", &qualified, "--no-forecast", "--format", "json"]);
    let accepted = report["accepted"].as_array().expect("accepted");
    assert_eq!(accepted.len(), 1, "{accepted:?}");
    assert_eq!(accepted[0]["id"], "single_point_of_failure:team:ledger");
    assert_eq!(accepted[0]["subject"], "ledger");
    assert_eq!(accepted[0]["acceptance"]["finding"], "single_point_of_failure:team:ledger");
    let open = report["findings"].as_array().expect("findings");
    assert!(open.iter().any(|f| f["id"] == "single_point_of_failure:system:ledger"));
}
