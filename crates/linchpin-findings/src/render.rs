//! Findings in words: the one place their headlines, explanations, actions
//! and people's roles are written, from the facts and the program they came
//! from. The CLI's text, the JSON view and the risk entries all read it.

use linchpin_engine::forecast::DriverKind;
use linchpin_engine::schedule::Work;
use linchpin_model::{ItemId, Program, QualityCheck, SystemKind, TeamId};

use crate::action::{Action, Freeze};
use crate::context::EPSILON;
use crate::facts::{
    Agreement, Blocked, BuiltBeforeContract, DeadlineLate, DecisionNeeded, Facts, FailingSystem, FailingTeam,
    ForecastLate, FragileDependency, LastHeard, OverCommittedTeam, Part, PlannedLate, Promise, Role, Shared,
    SharedDependency, Stakes, StaleStatus, UnrecordedBlocker, Who,
};
use crate::{Finding, QualityNote, QualityResult};

/// A finding's sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    /// One line.
    pub headline: String,
    /// The plain-words explanation, with the numbers behind it.
    pub explanation: String,
    pub action: String,
}

/// The words of a finding of `program`.
pub fn words(program: &Program, finding: &Finding) -> Words {
    let names = Names(program);
    let (headline, explanation) = match &finding.facts {
        Facts::SharedDependency(f) => names.shared_dependency(f),
        Facts::FailingSystem(f) => names.failing_system(f),
        Facts::FailingTeam(f) => names.failing_team(f),
        Facts::BuiltBeforeContract(f) => names.built_before_contract(f),
        Facts::FragileDependency(f) => names.fragile_dependency(f),
        Facts::OverCommittedTeam(f) => names.over_committed_team(f),
        Facts::DecisionNeeded(f) => names.decision_needed(f),
        Facts::UnrecordedBlocker(f) => names.unrecorded_blocker(f),
        Facts::Blocked(f) => names.blocked(f),
        Facts::StaleStatus(f) => names.stale_status(f),
        Facts::ForecastLate(f) => names.forecast_late(f),
        Facts::PlannedLate(f) => names.planned_late(f),
        Facts::DeadlineLate(f) => names.deadline_late(f),
        Facts::ScheduleQuality(r) => names.schedule_quality(r),
    };
    Words { headline, explanation, action: action(program, &finding.action) }
}

/// An action in words.
pub fn action(program: &Program, action: &Action) -> String {
    let n = Names(program);
    match action {
        Action::CoordinateChanges { shared, coordinator, teams, freeze } => {
            let key = n.shared(*shared);
            let coordinator = match coordinator {
                Some(team) => {
                    format!("Make the {} lead the single coordinator for {key} across the {teams} teams", n.team(*team))
                }
                None => format!(
                    "Name an owner for {key} inside the program and make them the coordinator for the {teams} teams"
                ),
            };
            match freeze {
                None => {
                    format!("{coordinator}; agree the order of changes before the work comes near the critical path.")
                }
                Some(Freeze { from, review }) => format!(
                    "{coordinator}: agree the order of changes and a freeze window from {from}, and review {} together.",
                    list(&n.items(review), 4),
                ),
            }
        }
        Action::HardenSystem { system, owner, keep_clear_of } => {
            let key = &program.system(*system).key;
            let away = keep_clear_of.map_or(String::new(), |(milestone, date)| {
                format!(" and keep risky changes to it away from {} ({date})", program.milestone(milestone).key)
            });
            match owner {
                Some(owner) => format!(
                    "Check with {} that {key} has a tested failover, a named on-call and a rollback plan{away}; record it as a risk with an owner.",
                    n.team(*owner),
                ),
                None => format!(
                    "{key} is outside the program: agree an escalation contact and service levels with its provider, plan a fallback{away}, and record it as a risk."
                ),
            }
        }
        Action::ProtectFocus { team, until, pair_on } => {
            let pair = pair_on.map_or(String::new(), |item| {
                format!("; pair someone from another team on {} so the knowledge is not in one place", n.item(item))
            });
            format!(
                "Protect {}'s focus until {until}: no new asks that do not go through the TPM{pair}; move its work that has slack to other teams where it can be.",
                n.team(*team),
            )
        }
        Action::AgreeContractNow { interface, room, work_under_way } => {
            let under_way = if *work_under_way { "; the consuming work is already under way" } else { "" };
            format!(
                "Get {} in a room this week to agree {} and mark it `agreed`{under_way}.",
                list(&n.teams(room), 6),
                program.interface(*interface).key,
            )
        }
        Action::ReviewContract { interface, room, before, settled_by, hold_back_days } => {
            let settles = n.item(*settled_by);
            format!(
                "Hold a contract review with {} and agree {} before {before}; otherwise make the consuming work wait on {settles} (`depends: [{settles}]`), which holds it back up to {}.",
                list(&n.teams(room), 6),
                program.interface(*interface).key,
                working_days(*hold_back_days),
            )
        }
        Action::AgreeContractAndLink { interface, room, before } => format!(
            "Agree {} with {} before {before}, and set its `defined_by` to the item that settles it so the schedule orders the work.",
            program.interface(*interface).key,
            list(&n.teams(room), 6),
        ),
        Action::AgreeHandoff { upstream, date, upstream_team, downstream_teams, name_owner, get_estimate } => {
            let up = n.item(*upstream);
            let mut actions = vec![format!(
                "Agree the handoff date ({date}) between {} and {} and check it weekly",
                n.team(*upstream_team),
                list(&n.teams(downstream_teams), 4)
            )];
            if *name_owner {
                actions.push(format!("name an owner for {up}"));
            }
            if *get_estimate {
                actions.push(format!("get {up} estimated"));
            }
            format!("{}.", list(&actions, 3))
        }
        Action::AddPeople { team, people, week, move_later } => {
            let movable = if move_later.is_empty() {
                String::new()
            } else {
                format!(", move work with slack later ({})", list(&n.items(move_later), 3))
            };
            format!(
                "Add {people} {} to {} for the week of {week}{movable}, or hand some of its work to another team.",
                if *people == 1.0 { "person" } else { "people" },
                n.team(*team),
            )
        }
        Action::BookDecisionMeeting { decision: _, before, brings_options, decides } => {
            let by = before.map_or("now".to_owned(), |date| date.to_string());
            let decider = decides.as_deref().unwrap_or("the approver");
            let options =
                brings_options.as_ref().map_or(String::new(), |driver| format!("{driver} brings the options, "));
            format!(
                "Book the decision meeting before {by}: {options}{decider} makes the call, and the outcome goes into the plan (`status: decided`, `chosen`, `rationale`)."
            )
        }
        Action::RecordBlocker { item } => format!(
            "Record what blocks {} under `blockers:` (description, raised, owner), or set its status back if it is moving.",
            n.item(*item)
        ),
        Action::AskForClearDate { item, escalated_to } => format!(
            "Ask {escalated_to} for a date to clear it, and put {} on the agenda of the next leads' sync until it moves.",
            n.item(*item)
        ),
        Action::Escalate { item: _, to, age_days, limit_days } => format!(
            "Escalate it to {} now: it has been open {age_days} days, past the {limit_days}-day limit, with no escalation.",
            n.escalation(to.as_ref()),
        ),
        Action::AgreeClearDate { item: _, with, escalate_to, escalate_on } => format!(
            "Agree a date to clear it with {}; escalate to {} if it is still open on {escalate_on}.",
            with.as_deref().unwrap_or("the item owner"),
            n.escalation(escalate_to.as_ref()),
        ),
        Action::AskForUpdate { item, ask } => format!(
            "Ask {} for an update on {}: progress, the work remaining (`remaining`) and anything blocking it.",
            n.who(ask),
            n.item(*item)
        ),
        Action::ShortenForecast { milestone, first, days, p80 } => {
            let first = match first {
                Some(DriverKind::Item(item)) => format!("shorten or de-risk {} first", n.item(*item)),
                Some(DriverKind::Risk(risk)) => format!("mitigate risk {} first", program.risk(*risk).key),
                None => "Look for scope to cut on its critical path".to_owned(),
            };
            format!(
                "{}; if that cannot buy {}, reset expectations now: at 80 % confidence {} lands on {p80}.",
                capitalise(&first),
                working_days(*days),
                program.milestone(*milestone).key,
            )
        }
        Action::ShortenPlan { milestone: _, days } => format!(
            "Cut scope or add people on its critical path to win back {}, or move the target now.",
            working_days(*days)
        ),
        Action::MeetDeadline { work, days, p80 } => {
            let at_p80 =
                p80.map_or(String::new(), |date| format!(": at 80 % confidence {} finishes on {date}", n.work(*work)));
            format!(
                "Cut scope or add people on the critical work of {} to win back {}, or agree a later deadline now{at_p80}.",
                n.work(*work),
                working_days(*days),
            )
        }
        Action::FixSchedule(check) => advice(program, *check),
    }
}

/// Someone's role in a finding: "lead of ledger, provider".
pub fn role(program: &Program, role: &Role) -> String {
    let n = Names(program);
    let (whose, part) = match role {
        Role::Lead { team, part } => (format!("lead of {}", n.team(*team)), part),
        Role::Owner { item, part } => (format!("owner of {}", n.item(*item)), part),
        Role::Named(part) => return n.part(*part),
    };
    match part {
        Some(part) => format!("{whose}, {}", n.part(*part)),
        None => whose,
    }
}

/// What a schedule-quality check measures.
pub fn measure(check: QualityCheck) -> &'static str {
    match check {
        QualityCheck::MissingLogic => "open items that nothing waits on and no milestone needs",
        QualityCheck::Leads => "links with a lead (negative lag)",
        QualityCheck::Lags => "links with a lag",
        QualityCheck::RelationshipTypes => "links that are finish-to-start",
        QualityCheck::HardConstraints => "open items that must start on a date (`start_on`)",
        QualityCheck::HighSlack => "open items with slack above the limit",
        QualityCheck::LongDurations => "open items estimated above the limit",
        QualityCheck::InvalidDates => "items with actuals after the status date, or planned to start before it",
        QualityCheck::MissedTasks => "baselined items that started or finished later than the baseline",
        QualityCheck::CriticalPathTest => "working days the end moves when a critical item slips 20",
        QualityCheck::CriticalPathLengthIndex => "(critical path left + slack to the last target) / critical path left",
        QualityCheck::BaselineExecutionIndex => "items done / baselined items due by the status date",
    }
}

/// A schedule-quality note in words.
pub fn note(program: &Program, note: &QualityNote) -> String {
    match note {
        QualityNote::NothingToMeasure => "nothing to measure: no open work or links".to_owned(),
        QualityNote::NoBaseline => "no baseline; `linchpin baseline` records one".to_owned(),
        QualityNote::NothingDueToStart => "no baselined item was due to start by the status date".to_owned(),
        QualityNote::NothingDueToFinish => "no baselined item was due by the status date".to_owned(),
        QualityNote::CouldNotSchedule(error) => format!("could not schedule: {error}"),
        QualityNote::NoOpenCriticalWork => "no open work on the critical path".to_owned(),
        QualityNote::CouldNotSlip { item, error } => format!("could not slip {}: {error}", program.item(*item).key),
        QualityNote::CouldNotReschedule(error) => format!("could not reschedule: {error}"),
        QualityNote::Slipped { item, days } => {
            format!("slipped {} by {}", program.item(*item).key, working_days(*days))
        }
        QualityNote::EndAgainstTarget { end, target } => format!("the end, {end}, against the last target, {target}"),
        QualityNote::NoWorkLeft => "no work left".to_owned(),
        QualityNote::NoTarget => "no milestone with open work has a target".to_owned(),
    }
}

/// How a value of a check reads: `12 %`, `3`, `0.91`.
pub fn quality_value(result: &QualityResult, value: f64) -> String {
    if result.share {
        percent(value)
    } else if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.2}")
    }
}

fn advice(program: &Program, check: QualityCheck) -> String {
    match check {
        QualityCheck::MissingLogic => "Link each of these to the work it feeds or to a milestone that needs it; unlinked work never shows on a critical path.".to_owned(),
        QualityCheck::Leads => "Replace leads with a start-to-start link or split the predecessor; a lead hides overlap nobody planned.".to_owned(),
        QualityCheck::Lags => "Replace lags with items of their own (a review, a soak period) so the wait has an owner.".to_owned(),
        QualityCheck::RelationshipTypes => "Prefer finish-to-start links; keep start-to-start and finish-to-finish for work that truly overlaps.".to_owned(),
        QualityCheck::HardConstraints => "Drop `start_on` dates that are not real external commitments, and link the work to what it actually waits on (a `not_before` date or a deadline keeps the logic in charge).".to_owned(),
        QualityCheck::HighSlack => "Check what these items feed: large slack usually means a missing dependency or a milestone that does not need them.".to_owned(),
        QualityCheck::LongDurations => format!(
            "Split these into pieces of at most {} so progress can be seen.",
            working_days(program.thresholds().long_duration_days)
        ),
        QualityCheck::InvalidDates => "Fix the dates: actuals cannot be after the status date, and work not started cannot be planned before it.".to_owned(),
        QualityCheck::MissedTasks => "Replan these items with their teams and record why they slipped; re-baseline only when the change is agreed.".to_owned(),
        QualityCheck::CriticalPathTest => "The end did not move with a critical item: look for `not_before` dates or links that cut the chain, and fix them.".to_owned(),
        QualityCheck::CriticalPathLengthIndex => "The critical path left is longer than the time to the target: win back days on it, or move the target.".to_owned(),
        QualityCheck::BaselineExecutionIndex => "Work is finishing behind the baseline: find out which teams fall behind and why, before the next milestone.".to_owned(),
    }
}

/// The program, for the keys, names and settings the words quote.
#[derive(Clone, Copy)]
struct Names<'p>(&'p Program);

impl<'p> Names<'p> {
    fn team(self, team: TeamId) -> &'p str {
        &self.0.team(team).key
    }

    fn item(self, item: ItemId) -> &'p str {
        &self.0.item(item).key
    }

    fn teams(self, teams: &[TeamId]) -> Vec<&'p str> {
        teams.iter().map(|t| self.team(*t)).collect()
    }

    fn work(self, work: Work) -> &'p str {
        match work {
            Work::Item(item) => self.item(item),
            Work::Group(group) => &self.0.group(group).key,
        }
    }

    fn items(self, items: &[ItemId]) -> Vec<&'p str> {
        items.iter().map(|i| self.item(*i)).collect()
    }

    fn shared(self, shared: Shared) -> &'p str {
        match shared {
            Shared::System(s) => &self.0.system(s).key,
            Shared::Interface(f) => &self.0.interface(f).key,
        }
    }

    fn who(self, who: &Who) -> String {
        match who {
            Who::Person(name) => name.clone(),
            Who::LeadOf(team) => format!("the {} lead", self.team(*team)),
        }
    }

    /// Where a blocker goes next (`None`: the sponsor nobody named).
    fn escalation(self, to: Option<&Who>) -> String {
        to.map_or("the program sponsor".to_owned(), |who| self.who(who))
    }

    fn part(self, part: Part) -> String {
        let text = match part {
            Part::Owner => "owner",
            Part::ReliesOnIt => "relies on it",
            Part::DependsOnIt => "depends on it",
            Part::OwnsTheCriticalPath => "owns the critical path",
            Part::Provider => "provider",
            Part::Consumer => "consumer",
            Part::SettlesTheContract => "settles the contract",
            Part::Upstream => "upstream",
            Part::WaitsOnIt => "waits on it",
            Part::OverCommitted => "over-committed",
            Part::Approver => "approver",
            Part::Driver => "driver",
            Part::Contributor => "contributor",
            Part::WaitingOnIt => "waiting on it",
            Part::Blocked => "blocked",
            Part::OwnsTheBlocker => "owns the blocker",
            Part::EscalatedTo => "escalated to",
            Part::Escalation => "escalation",
            Part::EscalateTo => "escalate to",
            Part::NoUpdate => "no update",
            Part::TopDriver => "top driver",
            Part::RiskOwner(risk) => return format!("owner of risk {}", self.0.risk(risk).key),
            Part::FinishesLast => "finishes last",
            Part::OwnsTheItems => "owns the items",
            Part::OwnsTheGroup => "owns the group",
        };
        text.to_owned()
    }

    /// "a database owned by ledger", "an external system with no owner in the program".
    fn owned(self, noun: &str, owner: Option<TeamId>) -> String {
        match owner {
            Some(team) => format!("{noun} owned by {}", self.team(team)),
            None => format!("{noun} with no owner in the program"),
        }
    }

    fn shared_dependency(self, f: &SharedDependency) -> (String, String) {
        let program = self.0;
        let (key, name, noun, owner) = match f.shared {
            Shared::System(s) => {
                let system = program.system(s);
                (&system.key, &system.name, article(system.kind), system.owner)
            }
            Shared::Interface(i) => {
                let interface = program.interface(i);
                (&interface.key, &interface.name, "an interface", Some(interface.provider_team))
            }
        };
        let near_days = program.thresholds().near_critical_days;
        let near = if f.near_critical.is_empty() {
            format!("none of it is within {} of the critical path yet", working_days(near_days))
        } else {
            format!(
                "{} on the critical path and {} more within {} of it ({} of near-critical work from {})",
                f.critical_items,
                f.near_critical.len().saturating_sub(f.critical_items),
                working_days(near_days),
                working_days(f.near_critical_work_days),
                list(&self.teams(&f.near_critical_teams), 4),
            )
        };
        let headline = format!(
            "{} teams rely on {key}; {} of their items are near-critical",
            f.teams.len(),
            f.near_critical.len()
        );
        let explanation = format!(
            "{} from {} teams ({}) rely on {key} ({name}, {}): {near}. A breaking change, an outage or a slip in {key} lands on all of them at once.",
            count(f.items, "open item"),
            f.teams.len(),
            list(&self.teams(&f.teams), 5),
            self.owned(noun, owner),
        );
        (headline, explanation)
    }

    fn failing_system(self, f: &FailingSystem) -> (String, String) {
        let program = self.0;
        let system = program.system(f.system);
        let milestones: Vec<&str> = f.milestones.iter().map(|m| program.milestone(*m).key.as_str()).collect();
        let mut why = Vec::new();
        if !f.direct_dependents.is_empty() {
            let direct: Vec<&str> = f.direct_dependents.iter().map(|s| program.system(*s).key.as_str()).collect();
            why.push(format!(
                "{} call it directly ({}) and {} in all",
                count(direct.len(), "system"),
                list(&direct, 5),
                f.dependent_systems
            ));
        }
        if let Some(parts) = f.separates_into {
            why.push(format!("without it the system graph falls apart into {parts} parts"));
        }
        let headline = format!("{} of {} milestones hang on {}", f.milestones.len(), f.live_milestones, system.key);
        let explanation = format!(
            "{} of the {} milestones with work left ({}) need {} ({}, {}); {}. If it fails, or a change to it slips, all of them wait.",
            f.milestones.len(),
            f.live_milestones,
            list(&milestones, 5),
            system.key,
            system.name,
            self.owned(article(system.kind), system.owner),
            list(&why, 3),
        );
        (headline, explanation)
    }

    fn failing_team(self, f: &FailingTeam) -> (String, String) {
        let key = self.team(f.team);
        let headline = format!("{key} owns {} of the critical path", percent(f.share()));
        let explanation = format!(
            "{key} does {} of the {} of critical-path work left ({}): {} of the {} critical items ({}). It has {}; an absence, an outage or an urgent interrupt there moves the end date ({}) day for day.",
            working_days(f.work_days),
            days(f.total_days),
            percent(f.share()),
            f.items.len(),
            f.critical_items,
            list(&self.items(&f.items), 5),
            count(f.people as usize, "person").replace("persons", "people"),
            f.end,
        );
        (headline, explanation)
    }

    fn built_before_contract(self, f: &BuiltBeforeContract) -> (String, String) {
        let program = self.0;
        let interface = program.interface(f.interface);
        let status = interface.status.as_str();
        let agreement = match f.agreement {
            Agreement::Settles { item, finish } => {
                format!("it is agreed when {} finishes, planned for {finish}", self.item(item))
            }
            Agreement::SettledWithoutAgreement { item, finished } => format!(
                "{} which should settle it finished {}, yet the contract is still {status}: agree it or update its status",
                self.item(item),
                finished.map_or("already".to_owned(), |date| format!("on {date}")),
            ),
            Agreement::Expected(date) => format!("agreement is expected on {date}"),
            Agreement::Overdue(date) => format!("agreement was expected by {date} and has not happened"),
            Agreement::Undated => "the plan gives no date for its agreement".to_owned(),
        };
        let early: Vec<String> = f
            .early
            .iter()
            .map(|work| {
                let when = work.starts.map_or("in progress".to_owned(), |date| format!("starts {date}"));
                format!("{} ({}, {when})", self.item(work.item), self.team(program.item(work.item).team))
            })
            .collect();
        let teams = self.teams(&f.teams);
        let build = if f.teams.len() == 1 { "builds" } else { "build" };
        let named = if interface.name == interface.key { String::new() } else { format!(" ({})", interface.name) };
        let system = interface.provider_system.map_or(String::new(), |s| format!(" on {}", program.system(s).key));
        let headline = format!("{} {build} on {} before its contract is agreed", list(&teams, 3), interface.key);
        let explanation = format!(
            "{}{named} is still {status}; {agreement}. {} {build} against it before then: {}. That is {} of work exposed to rework if the contract changes. Provider: {}{system}.",
            interface.key,
            list(&teams, 5),
            list(&early, 6),
            working_days(f.days_at_stake),
            self.team(interface.provider_team),
        );
        (headline, explanation)
    }

    fn fragile_dependency(self, f: &FragileDependency) -> (String, String) {
        let program = self.0;
        let upstream = self.item(f.upstream);
        let upstream_team = self.team(program.item(f.upstream).team);
        let waiting: Vec<String> = f
            .teams
            .iter()
            .map(|t| {
                let theirs: Vec<&str> =
                    f.downstream.iter().filter(|d| program.item(**d).team == *t).map(|d| self.item(*d)).collect();
                format!("{} ({})", self.team(*t), list(&theirs, 4))
            })
            .collect();
        let mut why = Vec::new();
        let before = f.before.map(|m| program.milestone(m).key.clone());
        match (f.critical, f.tight, &before) {
            (true, _, None) => why.push(format!("{upstream} is on the critical path: any slip moves the end date")),
            (true, _, Some(m)) => why.push(format!("{upstream} has no slack before {m}: any slip moves {m}")),
            (false, true, None) => why.push(format!(
                "{upstream} has only {} of slack (the limit is {})",
                working_days(f.slack_days),
                working_days(program.thresholds().fragile_slack_days)
            )),
            (false, true, Some(m)) => why.push(format!(
                "{upstream} has only {} of slack before {m} (the limit is {})",
                working_days(f.slack_days),
                working_days(program.thresholds().fragile_slack_days)
            )),
            (false, false, _) => {}
        }
        if f.unowned {
            why.push(format!("nobody owns {upstream}"));
        }
        if f.unestimated {
            why.push(format!("{upstream} has no estimate, so its date is a guess"));
        }
        let has = if f.tight {
            let before = before.as_ref().map_or(String::new(), |m| format!(" before {m}"));
            format!("{} of slack{before}", working_days(f.slack_days))
        } else {
            let missing: Vec<&str> = [f.unowned.then_some("no owner"), f.unestimated.then_some("no estimate")]
                .into_iter()
                .flatten()
                .collect();
            list(&missing, 2)
        };
        let headline = format!(
            "{} {} on {upstream} ({upstream_team}), which has {has}",
            list(&self.teams(&f.teams), 3),
            if f.teams.len() == 1 { "waits" } else { "wait" },
        );
        let explanation = format!(
            "{} waits on {upstream} ({upstream_team}), planned to finish on {}. {}.",
            list(&waiting, 5),
            f.handoff,
            capitalise(&list(&why, 3)),
        );
        (headline, explanation)
    }

    fn over_committed_team(self, f: &OverCommittedTeam) -> (String, String) {
        let team = self.team(f.team);
        let windows: Vec<String> = f
            .windows
            .iter()
            .map(|w| {
                let load = if w.capacity > 0.0 { percent(w.demand / w.capacity) } else { "no capacity".to_owned() };
                if w.first == w.last {
                    format!("the week of {} ({load})", w.first)
                } else {
                    format!("the weeks of {} to {} ({load})", w.first, w.last)
                }
            })
            .collect();
        let single_week = f.windows.len() == 1 && f.windows[0].first == f.windows[0].last;
        let peak = if single_week {
            String::new()
        } else if f.peak_capacity > 0.0 {
            format!(" The peak is {} in the week of {}.", percent(f.peak_load), f.peak_week)
        } else {
            format!(" The week of {} asks for work with nobody available.", f.peak_week)
        };
        let consequence = if !f.capacity_aware {
            "This schedule ignores capacity, so these dates cannot all hold.".to_owned()
        } else if f.held.is_empty() {
            "The capacity-aware roadmap absorbs it within the slack of its work, holding nothing back.".to_owned()
        } else {
            format!(
                "The capacity-aware roadmap holds back {} of its items by up to {}{}.",
                f.held.len(),
                working_days(f.longest_wait_days),
                if f.held_critical > 0 {
                    format!(", {} of them on the critical path", f.held_critical)
                } else {
                    String::new()
                }
            )
        };
        let headline = format!(
            "{team} is at {} of capacity in the week of {}",
            if f.peak_capacity > 0.0 { percent(f.peak_load) } else { "∞".to_owned() },
            f.peak_week
        );
        let explanation = format!(
            "If every item started as soon as its dependencies allow, {team} would be asked for {} person-days against {} available in {}: {} over.{peak} {consequence}",
            days(f.asked),
            days(f.available),
            list(&windows, 4),
            days(f.asked - f.available),
        );
        (headline, explanation)
    }

    fn decision_needed(self, f: &DecisionNeeded) -> (String, String) {
        let decision = self.0.decision(f.decision);
        let key = &decision.key;
        let mut parts = vec![format!("{key} (\"{}\") is still open", decision.question)];
        let mut headline = format!("{key} is open");
        if let Some(needed) = f.needed {
            let first = self.item(needed.first_waiting);
            let date = needed.date;
            let when = if needed.overdue {
                format!("which has passed: {first} should already have started")
            } else {
                format!("{} from the status date", working_days(needed.working_days_left))
            };
            parts.push(format!(
                "{} cannot start until it is made, and {first} must start by {} to keep the end date and every milestone it feeds, so it is needed by {date}, {when}",
                list(&self.items(&f.waiting), 5),
                needed.latest_start,
            ));
            headline = if needed.overdue {
                format!("{key} was needed by {date} and is still open")
            } else {
                format!("{key} must be decided by {date}")
            };
        }
        match f.promise {
            Some(Promise::Missed(due)) => parts.push(format!("it was promised by {due}, which has passed")),
            Some(Promise::TooLate(due)) => parts.push(format!("its promised date, {due}, is later than that")),
            None => {}
        }
        if let Some((option, score)) = f.leading_option.and_then(|(o, s)| Some((decision.options.get(o)?, s))) {
            parts.push(format!("on the plan's criteria, `{}` scores highest ({score:.1})", option.key));
        }
        (headline, format!("{}.", list(&parts, 5)))
    }

    /// What staying blocked costs, of an item.
    fn stakes(self, item: ItemId, stakes: Stakes) -> String {
        let key = self.item(item);
        match stakes {
            Stakes::Critical => format!("{key} is on the critical path: every day it stays blocked moves the end date"),
            Stakes::StartBy { slack_days, date } => format!(
                "{key} has {} of slack: if it cannot start by {date}, the end date moves",
                working_days(slack_days)
            ),
            Stakes::SlackLeft { slack_days } => format!("{key} has {} of slack left", working_days(slack_days)),
        }
    }

    fn unrecorded_blocker(self, f: &UnrecordedBlocker) -> (String, String) {
        let key = self.item(f.item);
        let headline = format!("{key} is blocked and no blocker is recorded");
        let explanation = format!(
            "{key} ({}) is marked blocked, but no open blocker names it, so nobody owns clearing it and it has no escalation path. {}.",
            self.team(self.0.item(f.item).team),
            self.stakes(f.item, f.stakes),
        );
        (headline, explanation)
    }

    fn blocked(self, f: &Blocked) -> (String, String) {
        let key = self.item(f.item);
        let described: Vec<String> = f
            .blockers
            .iter()
            .map(|b| {
                let owner = b.owner.as_deref().map_or(String::new(), |o| format!(", owner {o}"));
                let escalated = b.escalated_to.as_deref().map_or(String::new(), |e| format!(", escalated to {e}"));
                format!("\"{}\" (raised {}{owner}{escalated})", b.description, b.raised)
            })
            .collect();
        let path: Vec<String> = f.escalation_path.iter().map(|who| self.who(who)).collect();
        let headline = format!(
            "{key} blocked for {} days{}",
            f.age_days,
            if f.escalated_to.is_some() { "" } else { ", not escalated" }
        );
        let explanation = format!(
            "{key} ({}) has been blocked for {} days by {}. {}. Escalation path: {}.",
            self.team(self.0.item(f.item).team),
            f.age_days,
            list(&described, 3),
            self.stakes(f.item, f.stakes),
            path.join(" → "),
        );
        (headline, explanation)
    }

    fn stale_status(self, f: &StaleStatus) -> (String, String) {
        let work = self.0.item(f.item);
        let key = &work.key;
        let silent = f.silent_days.map_or("ever".to_owned(), |d| format!("in {d} days"));
        let last = match &f.last {
            LastHeard::Update(u) => format!(
                "the last update was on {} ({}{})",
                u.date,
                u.health.as_str(),
                u.note.as_deref().map_or(String::new(), |n| format!(": \"{n}\""))
            ),
            LastHeard::StartedOn(start) => format!("there has been no update since it started on {start}"),
            LastHeard::Never => "it has no start date and no update".to_owned(),
        };
        let stakes = if f.critical {
            "It is on the critical path, so the forecast rests on a guess.".to_owned()
        } else {
            format!("It has {} of slack.", working_days(f.slack_days))
        };
        let headline = format!("No update on {key} {silent}");
        let explanation = format!(
            "{key} ({}) is {} but nobody has reported on it {silent}: {last}. {stakes}",
            self.team(work.team),
            work.status.as_str().replace('_', " "),
        );
        (headline, explanation)
    }

    fn forecast_late(self, f: &ForecastLate) -> (String, String) {
        let program = self.0;
        let milestone = program.milestone(f.milestone);
        let named: Vec<String> = f
            .drivers
            .iter()
            .map(|driver| match driver.kind {
                DriverKind::Item(item) => {
                    format!(
                        "{} ({}, r = {:.2})",
                        self.item(item),
                        self.team(program.item(item).team),
                        driver.correlation
                    )
                }
                DriverKind::Risk(risk) => {
                    let r = program.risk(risk);
                    format!("risk {} \"{}\" (r = {:.2})", r.key, r.title, driver.correlation)
                }
            })
            .collect();
        let drivers = if named.is_empty() {
            "no single item or risk stands out; the spread comes from many".to_owned()
        } else {
            format!("what moves it most: {}", list(&named, 3))
        };
        let probability = percent(f.probability_on_target);
        let headline = format!("{}: {probability} chance of {}; P80 is {}", milestone.key, f.target, f.p80);
        let explanation = format!(
            "{} ({}) targets {}. Over {} simulated runs it lands by {} half the time (P50), by {} in 80 % (P80, {} after the target) and by {} in 95 %: a {probability} chance of making the target. {}.",
            milestone.key,
            milestone.title,
            f.target,
            f.iterations,
            f.p50,
            f.p80,
            working_days(f.days_late_at_p80),
            f.p95,
            capitalise(&drivers),
        );
        (headline, explanation)
    }

    fn planned_late(self, f: &PlannedLate) -> (String, String) {
        let milestone = self.0.milestone(f.milestone);
        let last = f.last.map_or(String::new(), |i| format!(" The last of its work to finish is {}.", self.item(i)));
        let headline = format!("{} is planned for {}, after its target {}", milestone.key, f.planned, f.target);
        let explanation = format!(
            "{} ({}) targets {}, but the schedule itself finishes it on {}, {} late, before any uncertainty.{last}",
            milestone.key,
            milestone.title,
            f.target,
            f.planned,
            working_days(f.days_late),
        );
        (headline, explanation)
    }

    fn deadline_late(self, f: &DeadlineLate) -> (String, String) {
        let program = self.0;
        let (key, title, noun) = match f.work {
            Work::Item(item) => (self.item(item), &program.item(item).title, "its work"),
            Work::Group(group) => {
                let group = program.group(group);
                (group.key.as_str(), &group.title, "all its work")
            }
        };
        let last = match (f.work, f.last) {
            (Work::Group(_), Some(item)) => format!(" The last of its open work to finish is {}.", self.item(item)),
            _ => String::new(),
        };
        let planned = if f.planned_days_late > EPSILON {
            format!("the schedule itself finishes it on {}, {} late", f.planned, working_days(f.planned_days_late))
        } else {
            format!("the schedule finishes it on {}", f.planned)
        };
        match &f.forecast {
            Some(forecast) => {
                let probability = percent(forecast.probability_on_target);
                let headline =
                    format!("{key}: {probability} chance of its deadline {}; P80 is {}", f.deadline, forecast.p80);
                let explanation = format!(
                    "{key} ({title}) must finish {noun} by {}. Over {} simulated runs it finishes by {} half the time (P50) and by {} in 80 % (P80, {} after the deadline): a {probability} chance of making it.{last}",
                    f.deadline,
                    forecast.iterations,
                    forecast.p50,
                    forecast.p80,
                    working_days(forecast.days_late_at_p80),
                );
                (headline, explanation)
            }
            None => {
                let headline =
                    format!("{key} is planned to finish on {}, after its deadline {}", f.planned, f.deadline);
                let explanation = format!(
                    "{key} ({title}) must finish {noun} by {}, but {planned}, before any uncertainty.{last}",
                    f.deadline
                );
                (headline, explanation)
            }
        }
    }

    fn schedule_quality(self, r: &QualityResult) -> (String, String) {
        let value = r.value.map_or("-".to_owned(), |v| quality_value(r, v));
        let limit = format!("{} {}", if r.at_most { "at most" } else { "at least" }, quality_value(r, r.threshold));
        let items = if r.items.is_empty() { String::new() } else { format!(": {}", list(&self.items(&r.items), 8)) };
        let note = r.note.as_ref().map_or(String::new(), |n| format!(" ({})", note(self.0, n)));
        let headline = format!("{}: {value} (limit {limit})", r.check.as_str().replace('_', " "));
        let explanation =
            format!("{}: {value}{note}, where the limit is {limit}{items}.", capitalise(measure(r.check)));
        (headline, explanation)
    }
}

/// "a service", "an external system".
fn article(kind: SystemKind) -> &'static str {
    match kind {
        SystemKind::Service => "a service",
        SystemKind::Database => "a database",
        SystemKind::Queue => "a queue",
        SystemKind::Library => "a library",
        SystemKind::External => "an external system",
    }
}

/// Working days as people write them: `3`, `2.5`.
fn days(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{}", rounded.round() as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// "1 working day", "3 working days".
fn working_days(value: f64) -> String {
    let text = days(value);
    if text == "1" { "1 working day".to_owned() } else { format!("{text} working days") }
}

/// A share as a whole percentage.
fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// `a, b and c`, with at most `limit` names before "and N more".
fn list<S: AsRef<str>>(names: &[S], limit: usize) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_owned(),
        n if n <= limit => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        n => format!("{} and {} more", names[..limit].join(", "), n - limit),
    }
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 { format!("1 {thing}") } else { format!("{n} {thing}s") }
}

/// The text with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
