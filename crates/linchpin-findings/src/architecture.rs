//! Coordination risk in the architecture: systems and interfaces several
//! teams lean on, and systems or teams the whole program hangs on.

use std::collections::BTreeSet;

use linchpin_graph::Adjacency;
use linchpin_model::{FindingKind, FindingSubject, ItemId, SystemId, TeamId};

use crate::context::{Context, EPSILON, count, days, dedup, list, percent, working_days};
use crate::{Entity, Finding, Severity};

/// What a shared dependency is: a system or an interface.
#[derive(Clone, Copy)]
enum Shared {
    System(SystemId),
    Interface(linchpin_model::InterfaceId),
}

/// Open items relying on each system (directly, or through an interface the
/// system provides) and on each interface.
fn reliance(cx: &Context) -> (Vec<Vec<ItemId>>, Vec<Vec<ItemId>>) {
    let program = cx.program;
    let mut systems = vec![Vec::new(); program.systems().len()];
    let mut interfaces = vec![Vec::new(); program.interfaces().len()];
    for (i, item) in program.items().iter().enumerate() {
        let id = ItemId::new(i);
        if !cx.open(id) {
            continue;
        }
        for s in &item.systems {
            systems[s.index()].push(id);
        }
        for f in &item.interfaces {
            interfaces[f.index()].push(id);
            if let Some(s) = program.interface(*f).provider_system {
                systems[s.index()].push(id);
            }
        }
    }
    for list in &mut systems {
        list.sort_unstable();
        list.dedup();
    }
    (systems, interfaces)
}

pub fn shared_dependencies(cx: &Context, out: &mut Vec<Finding>) {
    let (systems, interfaces) = reliance(cx);
    let mut system_teams: Vec<Option<BTreeSet<TeamId>>> = vec![None; systems.len()];
    for (s, items) in systems.iter().enumerate() {
        if let Some((finding, teams)) = shared(cx, Shared::System(SystemId::new(s)), items) {
            system_teams[s] = Some(teams);
            out.push(finding);
        }
    }
    for (f, items) in interfaces.iter().enumerate() {
        let id = linchpin_model::InterfaceId::new(f);
        if let Some((finding, teams)) = shared(cx, Shared::Interface(id), items) {
            // Said already by its system's finding, which counts this work too.
            let covered = cx.program.interface(id).provider_system.and_then(|s| system_teams[s.index()].as_ref());
            if covered.is_some_and(|covered| teams.is_subset(covered)) {
                continue;
            }
            out.push(finding);
        }
    }
}

fn shared(cx: &Context, what: Shared, items: &[ItemId]) -> Option<(Finding, BTreeSet<TeamId>)> {
    let program = cx.program;
    let t = &cx.thresholds;
    let teams: BTreeSet<TeamId> = items.iter().map(|i| program.item(*i).team).collect();
    if teams.len() < t.shared_min_teams as usize {
        return None;
    }
    let near = |i: &ItemId| cx.slack(*i) <= t.near_critical_days + EPSILON;
    let critical: Vec<ItemId> = items.iter().copied().filter(|i| cx.critical(*i)).collect();
    let mut near_items: Vec<ItemId> = items.iter().copied().filter(near).collect();
    near_items.sort_by(|a, b| cx.slack(*a).total_cmp(&cx.slack(*b)).then(a.cmp(b)));
    let near_work: f64 = near_items.iter().map(|i| cx.remaining(*i)).sum();
    let near_teams: BTreeSet<TeamId> = near_items.iter().map(|i| program.item(*i).team).collect();
    // Critical work counts fully, near-critical work less the more slack it has.
    let weight: f64 = items
        .iter()
        .map(|i| {
            let slack = cx.slack(*i);
            if slack <= EPSILON {
                1.0
            } else if t.near_critical_days > 0.0 {
                (1.0 - slack / t.near_critical_days).max(0.0)
            } else {
                0.0
            }
        })
        .sum();
    let severity = if !critical.is_empty() && near_teams.len() >= 2 {
        Severity::High
    } else if !near_items.is_empty() {
        Severity::Medium
    } else {
        Severity::Low
    };

    let (key, name, owner, entity, noun, subject) = match what {
        Shared::System(s) => {
            let system = program.system(s);
            (
                system.key.as_str(),
                system.name.as_str(),
                system.owner,
                Entity::System(s),
                article(system.kind),
                FindingSubject::System(s),
            )
        }
        Shared::Interface(f) => {
            let interface = program.interface(f);
            (
                interface.key.as_str(),
                interface.name.as_str(),
                Some(interface.provider_team),
                Entity::Interface(f),
                "an interface",
                FindingSubject::Interface(f),
            )
        }
    };
    let team_keys: Vec<&str> = teams.iter().map(|t| cx.team_key(*t)).collect();
    let owned = match owner {
        Some(team) => format!("{noun} owned by {}", cx.team_key(team)),
        None => format!("{noun} with no owner in the program"),
    };
    let near_text = if near_items.is_empty() {
        format!("none of it is within {} of the critical path yet", working_days(t.near_critical_days))
    } else {
        format!(
            "{} on the critical path and {} more within {} of it ({} of near-critical work from {})",
            critical.len(),
            near_items.len() - critical.len(),
            working_days(t.near_critical_days),
            working_days(near_work),
            list(&near_teams.iter().map(|t| cx.team_key(*t)).collect::<Vec<_>>(), 4),
        )
    };
    let explanation = format!(
        "{} from {} teams ({}) rely on {key} ({name}, {owned}): {near_text}. A breaking change, an outage or a slip in {key} lands on all of them at once.",
        count(items.len(), "open item"),
        teams.len(),
        list(&team_keys, 5),
    );
    let first_near = near_items.iter().map(|i| cx.planned(*i).start.max(cx.now)).fold(f64::INFINITY, f64::min);
    let coordinator = match owner {
        Some(team) => format!(
            "Make the {} lead the single coordinator for {key} across the {} teams",
            cx.team_key(team),
            teams.len()
        ),
        None => format!(
            "Name an owner for {key} inside the program and make them the coordinator for the {} teams",
            teams.len()
        ),
    };
    let action = if near_items.is_empty() {
        format!("{coordinator}; agree the order of changes before the work comes near the critical path.")
    } else {
        format!(
            "{coordinator}: agree the order of changes and a freeze window from {}, and review {} together.",
            cx.start_date(first_near),
            list(&near_items.iter().map(|i| cx.item_key(*i)).collect::<Vec<_>>(), 4),
        )
    };
    let mut people = Vec::new();
    if let Some(team) = owner {
        people.push(cx.lead(team, "owner"));
    }
    people.extend(teams.iter().filter(|t| Some(**t) != owner).map(|t| cx.lead(*t, "relies on it")));
    let mut involved = vec![entity];
    involved.extend(teams.iter().map(|t| Entity::Team(*t)));
    involved.extend(near_items.iter().map(|i| Entity::Item(*i)));
    let finding = Finding {
        kind: FindingKind::SharedDependency,
        subject,
        severity,
        headline: format!("{} teams rely on {key}; {} of their items are near-critical", teams.len(), near_items.len()),
        explanation,
        action,
        involved,
        people: dedup(people),
        figures: vec![
            ("teams", teams.len() as f64),
            ("items", items.len() as f64),
            ("critical_items", critical.len() as f64),
            ("near_critical_items", near_items.len() as f64),
            ("near_critical_work_days", near_work),
            ("weight", weight),
        ],
    };
    Some((finding, teams))
}

pub fn single_points_of_failure(cx: &Context, out: &mut Vec<Finding>) {
    failing_systems(cx, out);
    failing_team(cx, out);
}

/// The system graph: an edge from each system to each one it depends on.
fn system_graph(cx: &Context) -> Adjacency {
    let systems = cx.program.systems();
    let edges = systems
        .iter()
        .enumerate()
        .flat_map(|(s, system)| system.depends_on.iter().map(move |d| (s as u32, d.index() as u32)));
    Adjacency::from_edges(systems.len(), edges)
}

/// For each system, the systems it depends on, directly or not, itself included.
fn closures(graph: &Adjacency) -> Vec<Vec<bool>> {
    (0..graph.len() as u32).map(|s| linchpin_graph::reachable(graph, [s])).collect()
}

/// The system graph with its links taken both ways.
fn neighbours(cx: &Context) -> Adjacency {
    let systems = cx.program.systems();
    let edges = systems
        .iter()
        .enumerate()
        .flat_map(|(s, system)| system.depends_on.iter().map(move |d| (s as u32, d.index() as u32)));
    Adjacency::undirected(systems.len(), edges)
}

/// Milestones with work still to do, and for each the systems its work
/// (and everything upstream of it) needs, with their dependencies.
fn milestone_systems(cx: &Context, closure: &[Vec<bool>]) -> Vec<(linchpin_model::MilestoneId, Vec<bool>)> {
    let program = cx.program;
    let mut out = Vec::new();
    for (m, milestone) in program.milestones().iter().enumerate() {
        if milestone.requires.iter().all(|i| !cx.open(*i)) {
            continue;
        }
        // The systems its work touches directly, then everything they need.
        let mut touched = vec![false; program.systems().len()];
        let upstream = linchpin_graph::reachable(&cx.waits_on, milestone.requires.iter().map(|i| i.index() as u32));
        for item in program.items().iter().zip(&upstream).filter(|(_, reached)| **reached).map(|(item, _)| item) {
            let direct = item
                .systems
                .iter()
                .copied()
                .chain(item.interfaces.iter().filter_map(|f| program.interface(*f).provider_system));
            for s in direct {
                touched[s.index()] = true;
            }
        }
        let mut needs = vec![false; program.systems().len()];
        for s in (0..touched.len()).filter(|&s| touched[s]) {
            for (d, reached) in closure[s].iter().enumerate() {
                needs[d] |= reached;
            }
        }
        out.push((linchpin_model::MilestoneId::new(m), needs));
    }
    out
}

fn failing_systems(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    let t = &cx.thresholds;
    let closure = closures(&system_graph(cx));
    let adjacent = neighbours(cx);
    let cut = linchpin_graph::cut_vertices(&adjacent);
    let live = milestone_systems(cx, &closure);
    if live.is_empty() {
        return;
    }
    for (s, system) in program.systems().iter().enumerate() {
        let dependents: Vec<&str> = (0..closure.len())
            .filter(|&o| o != s && closure[o][s])
            .map(|o| program.systems()[o].key.as_str())
            .collect();
        let hanging: Vec<linchpin_model::MilestoneId> =
            live.iter().filter(|(_, needs)| needs[s]).map(|(m, _)| *m).collect();
        let share = hanging.len() as f64 / live.len() as f64;
        let direct: Vec<&str> = program
            .systems()
            .iter()
            .filter(|o| o.depends_on.iter().any(|d| d.index() == s))
            .map(|o| o.key.as_str())
            .collect();
        let fan_in = direct.len() >= t.spof_min_dependents as usize;
        // A cut vertex matters when it holds apart parts of the architecture,
        // not when all it cuts off is a leaf behind it.
        let parts = if cut[s] { linchpin_graph::parts_without(&adjacent, s as u32) } else { Vec::new() };
        let separates = parts.iter().filter(|size| **size >= 2).count() >= 2;
        if hanging.is_empty() || share + EPSILON < t.spof_milestone_share || !(separates || fan_in) {
            continue;
        }
        let id = SystemId::new(s);
        let milestone_keys: Vec<&str> = hanging.iter().map(|m| program.milestone(*m).key.as_str()).collect();
        let mut why = Vec::new();
        if !direct.is_empty() {
            why.push(format!(
                "{} call it directly ({}) and {} in all",
                count(direct.len(), "system"),
                list(&direct, 5),
                dependents.len()
            ));
        }
        if separates {
            why.push(format!("without it the system graph falls apart into {} parts", parts.len()));
        }
        let next = hanging
            .iter()
            .filter_map(|m| {
                let target = program.milestone(*m).target?;
                Some((target, program.milestone(*m).key.as_str()))
            })
            .min();
        let explanation = format!(
            "{} of the {} milestones with work left ({}) need {} ({}, {}); {}. If it fails, or a change to it slips, all of them wait.",
            hanging.len(),
            live.len(),
            list(&milestone_keys, 5),
            system.key,
            system.name,
            match system.owner {
                Some(owner) => format!("{} owned by {}", article(system.kind), cx.team_key(owner)),
                None => format!("{} with no owner in the program", article(system.kind)),
            },
            list(&why, 3),
        );
        let away =
            next.map_or(String::new(), |(date, key)| format!(" and keep risky changes to it away from {key} ({date})"));
        let action = match system.owner {
            Some(owner) => format!(
                "Check with {} that {} has a tested failover, a named on-call and a rollback plan{away}; record it as a risk with an owner.",
                cx.team_key(owner),
                system.key
            ),
            None => format!(
                "{} is outside the program: agree an escalation contact and service levels with its provider, plan a fallback{away}, and record it as a risk.",
                system.key
            ),
        };
        let mut people = Vec::new();
        if let Some(owner) = system.owner {
            people.push(cx.lead(owner, "owner"));
        }
        // The teams whose own systems sit on top of it.
        let mut dependent_teams: BTreeSet<TeamId> = BTreeSet::new();
        for (o, other) in program.systems().iter().enumerate() {
            if o != s
                && closure[o][s]
                && let Some(team) = other.owner
            {
                dependent_teams.insert(team);
            }
        }
        people.extend(
            dependent_teams.iter().filter(|t| Some(**t) != system.owner).take(4).map(|t| cx.lead(*t, "depends on it")),
        );
        let mut involved = vec![Entity::System(id)];
        involved.extend(hanging.iter().map(|m| Entity::Milestone(*m)));
        out.push(Finding {
            kind: FindingKind::SinglePointOfFailure,
            subject: FindingSubject::System(id),
            severity: if share >= 0.75 - EPSILON { Severity::High } else { Severity::Medium },
            headline: format!("{} of {} milestones hang on {}", hanging.len(), live.len(), system.key),
            explanation,
            action,
            involved,
            people: dedup(people),
            figures: vec![
                ("milestones", hanging.len() as f64),
                ("milestone_share", share),
                ("direct_dependents", direct.len() as f64),
                ("dependent_systems", dependents.len() as f64),
                ("graph_parts_without_it", parts.len() as f64),
            ],
        });
    }
}

fn failing_team(cx: &Context, out: &mut Vec<Finding>) {
    let program = cx.program;
    if program.teams().len() < 2 {
        return;
    }
    let critical: Vec<ItemId> =
        (0..program.items().len()).map(ItemId::new).filter(|i| cx.open(*i) && cx.critical(*i)).collect();
    let total: f64 = critical.iter().map(|i| cx.remaining(*i)).sum();
    if critical.len() < 2 || total <= EPSILON {
        return;
    }
    let mut work = vec![0.0; program.teams().len()];
    for i in &critical {
        work[program.item(*i).team.index()] += cx.remaining(*i);
    }
    let (top, top_work) = work.iter().copied().enumerate().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((0, 0.0));
    let share = top_work / total;
    if share + EPSILON < cx.thresholds.spof_team_share {
        return;
    }
    let team = TeamId::new(top);
    let theirs: Vec<ItemId> = critical.iter().copied().filter(|i| program.item(*i).team == team).collect();
    let last = theirs.iter().map(|i| cx.planned(*i).finish).fold(0.0, f64::max);
    let biggest = theirs.iter().copied().max_by(|a, b| cx.remaining(*a).total_cmp(&cx.remaining(*b)));
    let key = cx.team_key(team);
    let explanation = format!(
        "{key} does {} of the {} of critical-path work left ({}): {} of the {} critical items ({}). It has {}; an absence, an outage or an urgent interrupt there moves the end date ({}) day for day.",
        working_days(top_work),
        days(total),
        percent(share),
        theirs.len(),
        critical.len(),
        list(&theirs.iter().map(|i| cx.item_key(*i)).collect::<Vec<_>>(), 5),
        count(program.team(team).capacity_on(cx.as_of) as usize, "person").replace("persons", "people"),
        cx.roadmap.end_date,
    );
    let pair = biggest.map_or(String::new(), |i| {
        format!("; pair someone from another team on {} so the knowledge is not in one place", cx.item_key(i))
    });
    let action = format!(
        "Protect {key}'s focus until {}: no new asks that do not go through the TPM{pair}; move its work that has slack to other teams where it can be.",
        cx.finish_date(last),
    );
    out.push(Finding {
        kind: FindingKind::SinglePointOfFailure,
        subject: FindingSubject::Team(team),
        severity: if share >= 0.75 - EPSILON { Severity::High } else { Severity::Medium },
        headline: format!("{key} owns {} of the critical path", percent(share)),
        explanation,
        action,
        involved: std::iter::once(Entity::Team(team)).chain(theirs.iter().map(|i| Entity::Item(*i))).collect(),
        people: vec![cx.lead(team, "owns the critical path")],
        figures: vec![
            ("critical_work_days", top_work),
            ("critical_work_share", share),
            ("critical_items", theirs.len() as f64),
        ],
    });
}

/// "a service", "an external system".
fn article(kind: linchpin_model::SystemKind) -> &'static str {
    match kind {
        linchpin_model::SystemKind::Service => "a service",
        linchpin_model::SystemKind::Database => "a database",
        linchpin_model::SystemKind::Queue => "a queue",
        linchpin_model::SystemKind::Library => "a library",
        linchpin_model::SystemKind::External => "an external system",
    }
}
