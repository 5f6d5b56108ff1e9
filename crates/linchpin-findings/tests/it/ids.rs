//! Finding ids: `kind:key` while the key names one thing the kind can be
//! about, `kind:entity:key` when it names two (a team and a system both
//! called `ledger`), and acceptances written either way.

use linchpin_model::{Code, FindingKind, FindingSubject};

use crate::{findings, of, the};

/// A team and a system both called `ledger`, and both single points of
/// failure: three services call the system and both milestones need it;
/// the team does all the critical-path work.
const TWO_LEDGERS: &str = "teams:\n  - { id: ledger, lead: Marta }\n  - { id: web, lead: Wes }\nsystems:\n  - { id: ledger, owner: ledger }\n  - { id: s1, owner: web, depends_on: [ledger] }\n  - { id: s2, owner: web, depends_on: [ledger] }\n  - { id: s3, owner: web, depends_on: [ledger] }\nitems:\n  - { id: X1, title: x, team: ledger, estimate: 3, systems: [s1] }\n  - { id: X2, title: x, team: ledger, estimate: 3, systems: [s2] }\nmilestones:\n  - { id: M1, title: m, requires: [X1] }\n  - { id: M2, title: m, requires: [X2] }\n";

fn accepting(plan: &str, id: &str) -> String {
    format!("{plan}findings:\n  accepted:\n    - {{ finding: \"{id}\", reason: known, owner: Ana }}\n")
}

/// The errors of a plan, as (code, message, help).
fn errors(body: &str) -> Vec<(Code, String, String)> {
    let plan = linchpin_plan::load_yaml_str("t.yaml", &format!("{}{body}", crate::HEADER));
    plan.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.message.clone(), d.help.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn a_team_and_a_system_with_one_key_get_two_ids() {
    let report = findings(TWO_LEDGERS);
    let system = the(&report, "single_point_of_failure:system:ledger");
    let team = the(&report, "single_point_of_failure:team:ledger");
    assert!(matches!(system.subject(), FindingSubject::System(_)));
    assert!(matches!(team.subject(), FindingSubject::Team(_)));
    assert_eq!(of(&report, FindingKind::SinglePointOfFailure).len(), 2, "{:?}", report.ids());
    // Only the kind that can be about either is qualified.
    assert!(report.ids().iter().all(|id| id.starts_with("single_point_of_failure:") || id.matches(':').count() == 1));
}

#[test]
fn an_ambiguous_short_id_is_refused_with_the_rewrite() {
    let found = errors(&accepting(TWO_LEDGERS, "single_point_of_failure:ledger"));
    assert_eq!(
        found,
        [(
            Code::BadFindingId,
            "`single_point_of_failure:ledger` could be the system or the team `ledger`".to_owned(),
            "write `single_point_of_failure:system:ledger` or `single_point_of_failure:team:ledger`".to_owned()
        )]
    );
}

#[test]
fn a_qualified_id_accepts_the_finding_it_names_and_only_that_one() {
    for (entity, other) in [("team", "system"), ("system", "team")] {
        let report = findings(&accepting(TWO_LEDGERS, &format!("single_point_of_failure:{entity}:ledger")));
        assert_eq!(report.accepted.len(), 1);
        let accepted = &report.accepted[0];
        assert_eq!(report.id(&accepted.finding), format!("single_point_of_failure:{entity}:ledger"));
        assert_eq!(accepted.acceptance.subject, accepted.finding.subject());
        assert_eq!(accepted.acceptance.id(&report.program), format!("single_point_of_failure:{entity}:ledger"));
        the(&report, &format!("single_point_of_failure:{other}:ledger"));
        assert!(report.unmatched.is_empty());
    }
}

#[test]
fn a_qualified_id_with_a_kind_the_finding_cannot_be_about_is_refused_with_the_rewrite() {
    let both = errors(&accepting(TWO_LEDGERS, "single_point_of_failure:interface:ledger"));
    assert_eq!(
        both,
        [(
            Code::BadFindingId,
            "`single_point_of_failure` findings are about a system or a team, not an interface".to_owned(),
            "write `single_point_of_failure:system:ledger` or `single_point_of_failure:team:ledger`".to_owned()
        )]
    );
    // Where the key names one thing the finding can be about, the rewrite is its short id.
    let system = errors(&accepting(TWO_LEDGERS, "single_point_of_failure:interface:s1"));
    assert_eq!(system[0].2, "write `single_point_of_failure:s1`");
    let team = errors(&accepting(TWO_LEDGERS, "over_committed_team:system:web"));
    assert_eq!(team[0].1, "`over_committed_team` findings are about a team, not a system");
    assert_eq!(team[0].2, "write `over_committed_team:web`");
    // Where it names nothing of the right kind, the help says what the id names.
    let item = errors(&accepting(TWO_LEDGERS, "single_point_of_failure:item:X1"));
    assert_eq!(item.len(), 1, "{item:?}");
    assert_eq!(item[0].1, "`single_point_of_failure` findings are about a system or a team, not an item");
    assert_eq!(item[0].2, "`single_point_of_failure` findings name a system or team id");
    let blocker = errors(&accepting(TWO_LEDGERS, "blocker:team:web"));
    assert_eq!(blocker[0].1, "`blocker` findings are about an item, not a team");
    assert_eq!(blocker[0].2, "`blocker` findings name an item id");
}

#[test]
fn a_qualified_id_naming_nothing_suggests_a_key_of_that_kind() {
    let found = errors(&accepting(TWO_LEDGERS, "single_point_of_failure:team:ledgr"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (Code::UnknownReference, "unknown team `ledgr`"));
    assert_eq!(found[0].2, "did you mean `ledger`?");
}

#[test]
fn an_unambiguous_key_keeps_its_short_id_and_may_be_written_either_way() {
    // The system is `ledger` still, but no team is.
    let plan = TWO_LEDGERS
        .replace("{ id: ledger, lead", "{ id: books, lead")
        .replace("owner: ledger", "owner: books")
        .replace("team: ledger", "team: books");
    let report = findings(&plan);
    the(&report, "single_point_of_failure:ledger");
    the(&report, "single_point_of_failure:books");
    for written in ["single_point_of_failure:ledger", "single_point_of_failure:system:ledger"] {
        let report = findings(&accepting(&plan, written));
        assert_eq!(report.accepted.len(), 1, "{written}");
        assert_eq!(report.id(&report.accepted[0].finding), "single_point_of_failure:ledger");
        assert_eq!(report.accepted[0].acceptance.id(&report.program), "single_point_of_failure:ledger");
    }
    // Both ways at once are one finding accepted twice.
    let twice = format!(
        "{plan}findings:\n  accepted:\n    - {{ finding: \"single_point_of_failure:ledger\", reason: r, owner: o }}\n    - {{ finding: \"single_point_of_failure:system:ledger\", reason: r, owner: o }}\n"
    );
    let found = errors(&twice);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1.as_str()),
        (Code::DuplicateId, "finding `single_point_of_failure:ledger` is accepted twice")
    );
}

#[test]
fn a_key_with_a_colon_still_reads_as_the_short_form() {
    let plan =
        "teams:\n  - { id: a }\nitems:\n  - { id: \"team:x\", title: x, team: a, estimate: 3, status: blocked }\n";
    let report = findings(&accepting(plan, "blocker:team:x"));
    assert_eq!(report.accepted.len(), 1, "{:?}", report.ids());
    assert_eq!(report.id(&report.accepted[0].finding), "blocker:team:x");
}
