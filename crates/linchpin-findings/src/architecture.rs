//! Coordination risk in the architecture: systems and interfaces several
//! teams lean on, and systems or teams the whole program hangs on.

use std::collections::BTreeSet;

use linchpin_graph::Adjacency;
use linchpin_model::{ItemId, SystemId, TeamId};

use crate::action::{Action, Freeze};
use crate::context::{Context, EPSILON, dedup};
use crate::facts::{Facts, FailingSystem, FailingTeam, Figure, Part, Shared, SharedDependency};
use crate::{Entity, Finding, Severity};

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

    let (owner, entity) = match what {
        Shared::System(s) => (program.system(s).owner, Entity::System(s)),
        Shared::Interface(f) => (Some(program.interface(f).provider_team), Entity::Interface(f)),
    };
    let freeze = (!near_items.is_empty()).then(|| {
        let first = near_items.iter().map(|i| cx.planned(*i).start.max(cx.now)).fold(f64::INFINITY, f64::min);
        Freeze { from: cx.start_date(first), review: near_items.clone() }
    });
    let mut people = Vec::new();
    if let Some(team) = owner {
        people.push(cx.lead(team, Some(Part::Owner)));
    }
    people.extend(teams.iter().filter(|t| Some(**t) != owner).map(|t| cx.lead(*t, Some(Part::ReliesOnIt))));
    let mut involved = vec![entity];
    involved.extend(teams.iter().map(|t| Entity::Team(*t)));
    involved.extend(near_items.iter().map(|i| Entity::Item(*i)));
    let figures = vec![
        (Figure::Teams, teams.len() as f64),
        (Figure::Items, items.len() as f64),
        (Figure::CriticalItems, critical.len() as f64),
        (Figure::NearCriticalItems, near_items.len() as f64),
        (Figure::NearCriticalWorkDays, near_work),
        (Figure::Weight, weight),
    ];
    let finding = Finding {
        severity,
        action: Action::CoordinateChanges { shared: what, coordinator: owner, teams: teams.len(), freeze },
        facts: Facts::SharedDependency(SharedDependency {
            shared: what,
            teams: teams.iter().copied().collect(),
            items: items.len(),
            critical_items: critical.len(),
            near_critical: near_items,
            near_critical_work_days: near_work,
            near_critical_teams: near_teams.into_iter().collect(),
        }),
        involved,
        people: dedup(people),
        figures,
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
        let dependents = (0..closure.len()).filter(|&o| o != s && closure[o][s]).count();
        let hanging: Vec<linchpin_model::MilestoneId> =
            live.iter().filter(|(_, needs)| needs[s]).map(|(m, _)| *m).collect();
        let share = hanging.len() as f64 / live.len() as f64;
        let direct: Vec<SystemId> = (0..program.systems().len())
            .filter(|&o| program.systems()[o].depends_on.iter().any(|d| d.index() == s))
            .map(SystemId::new)
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
        let next_target = hanging
            .iter()
            .filter_map(|m| {
                let target = program.milestone(*m).target?;
                Some((target, program.milestone(*m).key.as_str(), *m))
            })
            .min()
            .map(|(target, _, m)| (target, m));
        let mut people = Vec::new();
        if let Some(owner) = system.owner {
            people.push(cx.lead(owner, Some(Part::Owner)));
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
            dependent_teams
                .iter()
                .filter(|t| Some(**t) != system.owner)
                .take(4)
                .map(|t| cx.lead(*t, Some(Part::DependsOnIt))),
        );
        let mut involved = vec![Entity::System(id)];
        involved.extend(hanging.iter().map(|m| Entity::Milestone(*m)));
        let figures = vec![
            (Figure::Milestones, hanging.len() as f64),
            (Figure::MilestoneShare, share),
            (Figure::DirectDependents, direct.len() as f64),
            (Figure::DependentSystems, dependents as f64),
            (Figure::GraphPartsWithoutIt, parts.len() as f64),
        ];
        out.push(Finding {
            severity: if share >= 0.75 - EPSILON { Severity::High } else { Severity::Medium },
            action: Action::HardenSystem {
                system: id,
                owner: system.owner,
                keep_clear_of: next_target.map(|(date, m)| (m, date)),
            },
            facts: Facts::FailingSystem(FailingSystem {
                system: id,
                milestones: hanging,
                live_milestones: live.len(),
                direct_dependents: direct,
                dependent_systems: dependents,
                separates_into: separates.then_some(parts.len()),
                next_target,
            }),
            involved,
            people: dedup(people),
            figures,
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
    out.push(Finding {
        severity: if share >= 0.75 - EPSILON { Severity::High } else { Severity::Medium },
        action: Action::ProtectFocus { team, until: cx.finish_date(last), pair_on: biggest },
        involved: std::iter::once(Entity::Team(team)).chain(theirs.iter().map(|i| Entity::Item(*i))).collect(),
        people: vec![cx.lead(team, Some(Part::OwnsTheCriticalPath))],
        figures: vec![
            (Figure::CriticalWorkDays, top_work),
            (Figure::CriticalWorkShare, share),
            (Figure::CriticalItems, theirs.len() as f64),
        ],
        facts: Facts::FailingTeam(FailingTeam {
            team,
            work_days: top_work,
            total_days: total,
            items: theirs,
            critical_items: critical.len(),
            people: program.team(team).capacity_on(cx.as_of),
            end: cx.roadmap.end_date,
        }),
    });
}
