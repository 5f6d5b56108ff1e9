use linchpin_findings::{Figure, Severity};
use linchpin_model::FindingKind;

use crate::{figure, findings, of, the};

const FOUR_TEAMS: &str = "teams:\n  - { id: a, lead: Ana }\n  - { id: b, lead: Ben }\n  - { id: c }\n  - { id: d }\n";

fn shared_plan(users: &[&str], extra: &str) -> String {
    let mut text = format!("{FOUR_TEAMS}systems:\n  - {{ id: db, owner: a }}\nitems:\n");
    for team in users {
        text.push_str(&format!("  - {{ id: {team}1, title: x, team: {team}, estimate: 5, systems: [db] }}\n"));
    }
    text.push_str(extra);
    text
}

#[test]
fn a_system_three_teams_rely_on_is_a_shared_dependency() {
    let report = findings(&shared_plan(&["a", "b", "c"], ""));
    let f = the(&report, "shared_dependency:db");
    assert_eq!(figure(f, Figure::Teams), 3.0);
    // All three items are on the critical path, from three teams.
    assert_eq!(f.severity, Severity::High);
    assert_eq!(figure(f, Figure::CriticalItems), 3.0);
    // The owner's lead first, then the teams relying on it.
    assert_eq!(f.people[0].name.as_deref(), Some("Ana"));
    assert!(f.people.iter().any(|p| p.name.as_deref() == Some("Ben")));
    let roles: Vec<String> = f
        .people
        .iter()
        .filter(|p| p.name.is_none())
        .map(|p| linchpin_findings::render::role(&report.program, &p.role))
        .collect();
    assert!(roles.iter().any(|role| role.contains("lead of c")), "{roles:?}");
}

#[test]
fn two_teams_are_below_the_default_threshold() {
    let report = findings(&shared_plan(&["a", "b"], ""));
    assert!(of(&report, FindingKind::SharedDependency).is_empty());
}

#[test]
fn the_plan_can_lower_the_team_threshold() {
    let report = findings(&shared_plan(&["a", "b"], "findings:\n  thresholds: { shared_min_teams: 2 }\n"));
    the(&report, "shared_dependency:db");
}

#[test]
fn shared_work_far_from_the_critical_path_is_low_severity() {
    let long = "  - { id: LONG, title: x, team: d, estimate: 40 }\n";
    let report = findings(&shared_plan(&["a", "b", "c"], long));
    let f = the(&report, "shared_dependency:db");
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(figure(f, Figure::NearCriticalItems), 0.0);
}

/// `db` is called by `callers` services; milestone M1 needs s1's work, M2
/// s2's, and `others` more milestones need unrelated work.
fn hub_plan(callers: usize, others: usize) -> String {
    let mut text = "teams:\n  - { id: a, lead: Ana }\n  - { id: b }\nsystems:\n  - { id: db, owner: a }\n  - { id: other, owner: b }\n".to_owned();
    for s in 1..=callers {
        text.push_str(&format!("  - {{ id: s{s}, owner: b, depends_on: [db] }}\n"));
    }
    text.push_str("items:\n");
    text.push_str("  - { id: X1, title: x, team: b, estimate: 3, systems: [s1] }\n");
    text.push_str("  - { id: X2, title: x, team: b, estimate: 3, systems: [s2] }\n");
    for o in 0..others {
        text.push_str(&format!("  - {{ id: O{o}, title: x, team: a, estimate: 2, systems: [other] }}\n"));
    }
    text.push_str("milestones:\n  - { id: M1, title: m, requires: [X1] }\n  - { id: M2, title: m, requires: [X2] }\n");
    for o in 0..others {
        text.push_str(&format!("  - {{ id: MO{o}, title: m, requires: [O{o}] }}\n"));
    }
    text
}

#[test]
fn a_system_three_services_call_that_every_milestone_needs_is_a_single_point_of_failure() {
    let report = findings(&hub_plan(3, 0));
    let f = the(&report, "single_point_of_failure:db");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(figure(f, Figure::Milestones), 2.0);
    assert_eq!(figure(f, Figure::DirectDependents), 3.0);
    assert_eq!(f.people[0].name.as_deref(), Some("Ana"));
}

#[test]
fn two_callers_that_only_hang_off_it_are_not_enough() {
    // db still joins s1 and s2, but all it cuts off are single leaves.
    let report = findings(&hub_plan(2, 0));
    assert!(!report.ids().contains(&"single_point_of_failure:db".to_owned()));
}

#[test]
fn half_the_milestones_is_the_threshold() {
    let at = findings(&hub_plan(3, 2));
    assert_eq!(figure(the(&at, "single_point_of_failure:db"), Figure::MilestoneShare), 0.5);
    assert_eq!(the(&at, "single_point_of_failure:db").severity, Severity::Medium);
    let below = findings(&hub_plan(3, 3));
    assert!(!below.ids().contains(&"single_point_of_failure:db".to_owned()));
}

#[test]
fn a_system_holding_two_parts_of_the_architecture_together_is_a_single_point_of_failure() {
    let text = "teams:\n  - { id: a }\nsystems:\n  - { id: hub, owner: a }\n  - { id: s1, owner: a, depends_on: [hub] }\n  - { id: s1b, owner: a, depends_on: [s1] }\n  - { id: s2, owner: a, depends_on: [hub] }\n  - { id: s2b, owner: a, depends_on: [s2] }\nitems:\n  - { id: X1, title: x, team: a, estimate: 3, systems: [s1b] }\nmilestones:\n  - { id: M1, title: m, requires: [X1] }\n";
    let report = findings(text);
    let f = the(&report, "single_point_of_failure:hub");
    assert_eq!(figure(f, Figure::GraphPartsWithoutIt), 2.0);
    // s1 is a cut vertex too, but all it cuts off is the leaf s1b.
    assert!(!report.ids().contains(&"single_point_of_failure:s1".to_owned()));
}

fn chain(a: u32, b: u32, c: u32) -> String {
    format!(
        "teams:\n  - {{ id: a, lead: Ana }}\n  - {{ id: b }}\n  - {{ id: c }}\nitems:\n  - {{ id: A1, title: x, team: a, estimate: {a} }}\n  - {{ id: B1, title: x, team: b, estimate: {b}, depends: [A1] }}\n  - {{ id: C1, title: x, team: c, estimate: {c}, depends: [B1] }}\n"
    )
}

#[test]
fn a_team_owning_half_the_critical_path_is_a_single_point_of_failure() {
    let report = findings(&chain(5, 3, 2));
    let f = the(&report, "single_point_of_failure:a");
    assert_eq!(figure(f, Figure::CriticalWorkShare), 0.5);
    assert_eq!(f.people[0].name.as_deref(), Some("Ana"));
    let below = findings(&chain(4, 3, 3));
    assert!(of(&below, FindingKind::SinglePointOfFailure).is_empty());
}
