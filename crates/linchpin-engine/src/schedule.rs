//! A plan's schedule: every item's dates and slack, each milestone's date
//! against its target, the critical path, and each team's load by week.
//! Without capacity it is the critical path method; with capacity the
//! resource-constrained search of [`crate::rcpsp`] places the work so no team
//! is ever asked for more people than it has.

use chrono::NaiveDate;
use linchpin_model::{GroupId, ItemId, LinkKind, MilestoneId, Program, TeamId, dates};

use crate::cpm::{self, CRITICAL_EPSILON};
use crate::network::{Network, Progress};
use crate::progress::{Quiet, Sink, Stopped};
use crate::rcpsp::search::{SearchOptions, solve};
use crate::rcpsp::sgs::{Decoder, backward, reverse_order_by_key};
use crate::rcpsp::{ActivitySpec, Capacity, Fixed, Link, Problem};
use crate::time::{WorkingDays, advance, week_start};

mod slack;

pub use slack::MAX_MILESTONE_PAIRS;

/// Ticks per working day when scheduling with capacity and some duration or
/// lag has a fraction: a tenth of a day, the resolution estimates are
/// written in. Whole-day plans schedule in whole days, ten times faster.
pub const FINE_TICKS_PER_DAY: u32 = 10;

/// The coarsest tick that represents every time in the network exactly.
fn ticks_per_day(network: &Network) -> u32 {
    let whole = |x: f64| (x - x.round()).abs() < 1e-9;
    let times = network.duration.iter().chain(&network.release).copied().chain([network.now]);
    let links = (0..network.len() as u32).flat_map(|v| network.graph.predecessors(v).iter().map(|l| l.lag));
    let history = network.progress.iter().flat_map(|p| match *p {
        Progress::Open => [0.0, 0.0],
        Progress::Started { start } | Progress::Pinned { start } => [start, 0.0],
        Progress::Done { start, finish } => [start, finish],
    });
    if times.chain(links).chain(history).all(whole) { 1 } else { FINE_TICKS_PER_DAY }
}

/// How to schedule.
#[derive(Clone, Copy, Debug)]
pub struct ScheduleOptions {
    /// Respect team capacity (otherwise: the critical path method).
    pub capacity: bool,
    /// Schedules to generate in the capacity-aware search.
    pub effort: usize,
    pub seed: u64,
    /// With capacity, measure every item's slack by slipping it, however
    /// many rebuilds it takes (otherwise a budget that falls with the size
    /// of the plan, the most critical first).
    pub exact_slack: bool,
}

impl ScheduleOptions {
    /// A search budget that keeps a capacity-aware schedule well under a
    /// second: 1,000 schedules for a program of up to 100 items, 100,000 /
    /// items for larger ones (never under 20). On generated networks of
    /// 100 to 5,000 items more schedules shortened none (BENCHMARKS.md).
    pub fn automatic_effort(items: usize) -> usize {
        (100_000 / items.max(1)).clamp(20, 1000)
    }
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions { capacity: true, effort: 1000, seed: 1, exact_slack: false }
    }
}

/// One item's place in the schedule. Times are working days from the
/// program start.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemSchedule {
    pub item: ItemId,
    pub start: f64,
    pub finish: f64,
    /// Working days it can slip without moving the program's end.
    pub total_slack: f64,
    /// With capacity, whether `total_slack` is only an estimate: a plan too
    /// large to slip every item in the budget measures the most critical
    /// first, and the rest keep the lesser of two estimates.
    pub slack_estimated: bool,
    /// For each milestone it feeds (that requires it, or work waiting on it
    /// through links), in milestone order: the working days it can slip
    /// without moving that milestone's date. Unfinished items only; with
    /// capacity, only the items whose slack was measured.
    pub milestone_slack: Vec<(MilestoneId, f64)>,
    /// Working days it can slip without moving any successor.
    pub free_slack: f64,
    pub critical: bool,
    /// Working days it waits for people after its predecessors allow it to start.
    pub capacity_wait: f64,
    /// The team whose capacity held it, when it waited.
    pub held_by: Option<TeamId>,
}

impl ItemSchedule {
    /// The least of its slack to the end and to each milestone it feeds:
    /// how far it can slip before any date moves.
    pub fn least_slack(&self) -> f64 {
        self.milestone_slack.iter().map(|m| m.1).fold(self.total_slack, f64::min)
    }
}

/// A milestone's forecast date against its target.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneSchedule {
    pub milestone: MilestoneId,
    /// When its last required item finishes.
    pub finish: f64,
    pub date: NaiveDate,
    pub target: Option<NaiveDate>,
    /// Working days between the date and the target; negative when late.
    pub slack_to_target: Option<f64>,
}

/// A piece of work: an item, or a group of items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Work {
    Item(ItemId),
    Group(GroupId),
}

/// A group's dates, slack and progress, rolled up from its items.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSchedule {
    pub group: GroupId,
    /// When its first item starts and its last finishes (0 for a group with
    /// no work).
    pub start: f64,
    pub finish: f64,
    /// The least slack of its unfinished items: how far its work can slip
    /// before the end moves. `None` when all of it is done (or it has none).
    pub total_slack: Option<f64>,
    /// Whether any of its unfinished items is critical.
    pub critical: bool,
    /// The share of its estimated work done, 0 to 1 (by count of items done
    /// when none is estimated).
    pub progress: f64,
}

/// A piece of work with a deadline, against it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadlineSchedule {
    pub work: Work,
    pub deadline: NaiveDate,
    /// When the work finishes.
    pub finish: f64,
    /// Working days between its finish and the end of the deadline's day;
    /// negative when the deadline is missed.
    pub slack: f64,
}

/// A constraint the schedule keeps though the plan's logic says otherwise.
#[derive(Clone, Debug, PartialEq)]
pub enum Conflict {
    /// An item must start on a date its predecessor's finish comes after:
    /// it keeps the date, so the link is broken.
    StartsBeforePredecessor { item: ItemId, start_on: NaiveDate, predecessor: ItemId, allows: NaiveDate },
    /// An item not started by the status date must start on a date before it:
    /// it is scheduled from the status date instead.
    StartOnPassed { item: ItemId, start_on: NaiveDate },
}

/// A team's demand and capacity in one week, in person-days.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamWeek {
    pub team: TeamId,
    /// The Monday of the week.
    pub week: NaiveDate,
    pub demand: f64,
    pub capacity: f64,
}

impl TeamWeek {
    /// Demand as a share of capacity (infinite when a week has no capacity).
    pub fn load(&self) -> f64 {
        if self.capacity > 0.0 {
            self.demand / self.capacity
        } else if self.demand > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// With capacity: no arrangement of the work can end before this, whatever
/// the search. Set by the critical path, or by a team whose work cannot
/// start before some day and takes its people this long after.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LowerBound {
    /// Working days from the start.
    pub days: f64,
    /// The team whose work sets it (`None`: the critical path does).
    pub team: Option<TeamId>,
}

/// A scheduled program.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Indexed by item.
    pub items: Vec<ItemSchedule>,
    pub milestones: Vec<MilestoneSchedule>,
    pub critical_path: Vec<ItemId>,
    /// When the last work finishes, in working days from the start.
    pub end: f64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub capacity_aware: bool,
    /// Schedules generated by the capacity-aware search.
    pub schedules_generated: usize,
    /// With capacity, the end no schedule can beat.
    pub lower_bound: Option<LowerBound>,
    /// Per team and week, ordered by team then week.
    pub utilisation: Vec<TeamWeek>,
    /// Each group, in plan order.
    pub groups: Vec<GroupSchedule>,
    /// Every item with a deadline, in item order, then every group with one.
    pub deadlines: Vec<DeadlineSchedule>,
    /// Start dates kept against the plan's logic, in item order.
    pub conflicts: Vec<Conflict>,
    /// With capacity, the activity list the schedule decodes from: every
    /// item in order of its start (empty without capacity). [`replay`]
    /// schedules a changed program from it.
    pub order: Vec<ItemId>,
    pub days: WorkingDays,
}

impl Schedule {
    pub fn item(&self, id: ItemId) -> &ItemSchedule {
        &self.items[id.index()]
    }

    pub fn start_date(&self, id: ItemId) -> NaiveDate {
        self.days.start_date(self.item(id).start)
    }

    pub fn finish_date(&self, id: ItemId) -> NaiveDate {
        let item = self.item(id);
        self.work_finish_date(item.start, item.finish)
    }

    /// The last day of work running from `start` to `finish`: the start's
    /// day for work that takes no time.
    pub fn work_finish_date(&self, start: f64, finish: f64) -> NaiveDate {
        if finish <= start { self.days.start_date(start) } else { self.days.finish_date(finish) }
    }
}

/// Why a program cannot be scheduled.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("item `{item}` needs more people than team `{team}` ever has")]
    ExceedsCapacity { item: String, team: String },
    /// The network did not translate into a scheduling problem (a bug, not bad input).
    #[error("cannot build the scheduling problem")]
    Problem(#[source] crate::rcpsp::ProblemError),
    #[error(
        "the program would run for at least {} working days (about {} years): {cause}; \
         check the estimates, capacities and units",
        whole(*.days),
        whole(.days / 260.0)
    )]
    ImplausibleHorizon { days: f64, cause: HorizonCause },
    #[error(
        "the program would end after 9999-12-31, the last date a plan can hold ({} working days from its start): {cause}",
        whole(*.room)
    )]
    PastLatestDate { room: f64, cause: HorizonCause },
    #[error("the capacity-aware search was stopped")]
    Stopped(#[from] Stopped),
}

/// Working days past which a schedule is a typo rather than a plan: about
/// 385 years of five-day weeks. Every estimate is checked against forty
/// years, but thousands of them in a row, or on one person, still add up
/// to millennia, and the capacity profile and weekly load grow with the
/// horizon (a plan running to the year 71022 wrote 478 MB of JSON).
pub const MAX_HORIZON_DAYS: f64 = 100_000.0;

/// What makes a program implausibly long.
#[derive(Clone, Debug, PartialEq)]
pub enum HorizonCause {
    /// Its dependencies alone chain up to this item.
    Chain { last: String },
    /// A team has more work than its largest staffing could do in time.
    Workload { team: String, person_days: f64, people: u32 },
}

impl std::fmt::Display for HorizonCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HorizonCause::Chain { last } => write!(f, "the chain of dependencies up to `{last}` is that long"),
            HorizonCause::Workload { team, person_days, people } => {
                let people = if *people == 1 { "1 person".to_string() } else { format!("{people} people") };
                write!(f, "team `{team}` has {} person-days of work and at most {people}", whole(*person_days))
            }
        }
    }
}

/// A count for people: digits grouped in threes (`18,000,000`).
fn whole(x: f64) -> String {
    linchpin_model::diagnostic::grouped(x.max(0.0).round() as u64)
}

/// Refuses a program whose end is beyond [`MAX_HORIZON_DAYS`] before any
/// time-indexed work: by its longest chain of dependencies, and with
/// capacity (no `path`: the schedule is not the critical path's), by the
/// work each team has for the most people it ever has. The capacity-aware
/// check needs only the forward pass, not the whole critical path.
fn check_horizon(program: &Program, network: &Network, path: Option<&cpm::CriticalPath>) -> Result<(), ScheduleError> {
    let room = room_to_latest_date(program);
    let refuse = |days: f64, cause: HorizonCause| {
        if days > MAX_HORIZON_DAYS {
            ScheduleError::ImplausibleHorizon { days, cause }
        } else {
            ScheduleError::PastLatestDate { room, cause }
        }
    };
    let (end, last) = match path {
        Some(path) => (path.end, path.critical_path.last().copied()),
        None => {
            let (mut start, mut finish) = (vec![0.0; network.len()], vec![0.0; network.len()]);
            let end = cpm::forward_pass(network, &network.duration, &mut start, &mut finish);
            let last = (0..network.len()).max_by(|&a, &b| finish[a].total_cmp(&finish[b]));
            (end, last.map(|node| network.item(node as u32)))
        }
    };
    if end > MAX_HORIZON_DAYS.min(room) {
        let last = last.map_or_else(String::new, |id| program.item(id).key.clone());
        return Err(refuse(end, HorizonCause::Chain { last }));
    }
    if path.is_some() {
        return Ok(());
    }
    let mut work = vec![0.0; program.teams().len()];
    for node in 0..network.len() {
        if !matches!(network.progress[node], Progress::Done { .. }) {
            work[network.team[node].index()] += network.duration[node] * network.people[node] as f64;
        }
    }
    for (team, &person_days) in program.teams().iter().zip(&work) {
        let people = team.most_people();
        let days = person_days / people.max(1) as f64;
        if people > 0 && days > MAX_HORIZON_DAYS.min(room) {
            let cause = HorizonCause::Workload { team: team.key.clone(), person_days, people };
            return Err(refuse(days, cause));
        }
    }
    Ok(())
}

/// Working days from the program's start to [`dates::LATEST`]: no schedule
/// may end later, or its dates could not be written as plan dates.
pub fn room_to_latest_date(program: &Program) -> f64 {
    program.calendar().working_days_between(program.start(), dates::LATEST) as f64
}

/// Schedules a program.
pub fn schedule(program: &Program, options: ScheduleOptions) -> Result<Schedule, ScheduleError> {
    schedule_with_progress(program, options, &Quiet)
}

/// Schedules a program, reporting the capacity-aware search's progress
/// (schedules generated) to `progress`, which may stop it.
pub fn schedule_with_progress(
    program: &Program,
    options: ScheduleOptions,
    progress: &dyn Sink,
) -> Result<Schedule, ScheduleError> {
    schedule_from(program, options, progress, None)
}

/// The capacity-aware schedule of `program` decoded from `order` (an
/// earlier schedule's [`Schedule::order`]) without a search: each item at
/// its earliest start in that order that its links and its team's people
/// allow. Slack is measured this way, so a slip of an item's slack replayed
/// here keeps the end, and one day more moves it. Items missing from
/// `order` come after the rest. `effort` sets the budget for measuring
/// slack as a search of that effort would; 0 measures none (the dates are
/// what is wanted), leaving every slack an estimate.
pub fn replay(program: &Program, order: &[ItemId], effort: usize) -> Result<Schedule, ScheduleError> {
    schedule_from(
        program,
        ScheduleOptions { capacity: true, effort, seed: 1, ..Default::default() },
        &Quiet,
        Some(order),
    )
}

fn schedule_from(
    program: &Program,
    options: ScheduleOptions,
    progress: &dyn Sink,
    order: Option<&[ItemId]>,
) -> Result<Schedule, ScheduleError> {
    let mut days = WorkingDays::for_program(program);
    let network = Network::new(program, &mut days);
    let path = (!options.capacity).then(|| cpm::critical_path(&network));
    check_horizon(program, &network, path.as_ref())?;
    let (items, critical_path, schedules_generated, order, lower_bound) = match path {
        Some(path) => {
            let feeds = slack::Feeds::new(program, &network);
            let mut items = cpm_items(&path);
            for (item, slack) in items.iter_mut().zip(slack::critical_path_milestone_slack(&network, &path, &feeds)) {
                item.milestone_slack = slack;
            }
            (items, path.critical_path, 0, Vec::new(), None)
        }
        None => capacity_items(program, &network, &days, options, progress, order)?,
    };
    let end = items.iter().map(|i| i.finish).fold(0.0, f64::max);
    days.ensure(end.ceil() as usize + 1);

    let milestones = program
        .milestones()
        .iter()
        .enumerate()
        .map(|(i, milestone)| {
            let finish = milestone.requires.iter().map(|r| items[r.index()].finish).fold(0.0, f64::max);
            let date = days.finish_date(finish.max(1.0));
            let slack_to_target = milestone.target.map(|t| days.time_at_end_of(t) - finish);
            MilestoneSchedule {
                milestone: MilestoneId::new(i),
                finish,
                date,
                target: milestone.target,
                slack_to_target,
            }
        })
        .collect();
    let utilisation = utilisation(program, &network, &items, &days, end);
    let groups = group_schedules(program, &network, &items);
    let item_deadlines = program
        .items()
        .iter()
        .enumerate()
        .filter_map(|(i, item)| Some((Work::Item(ItemId::new(i)), item.deadline?, items[i].finish)));
    let group_deadlines = program
        .groups()
        .iter()
        .zip(&groups)
        .filter_map(|(group, scheduled)| Some((Work::Group(scheduled.group), group.deadline?, scheduled.finish)));
    let deadlines = item_deadlines
        .chain(group_deadlines)
        .map(|(work, deadline, finish)| DeadlineSchedule {
            work,
            deadline,
            finish,
            slack: days.time_at_end_of(deadline) - finish,
        })
        .collect();
    let conflicts = conflicts(program, &network, &items, &days);
    Ok(Schedule {
        start_date: days.date(0),
        end_date: days.finish_date(end.max(1.0)),
        items,
        milestones,
        critical_path,
        end,
        capacity_aware: options.capacity,
        schedules_generated,
        lower_bound,
        utilisation,
        groups,
        deadlines,
        conflicts,
        order,
        days,
    })
}

/// Each group's dates, slack and progress from its items'.
fn group_schedules(program: &Program, network: &Network, items: &[ItemSchedule]) -> Vec<GroupSchedule> {
    let mut done_work = vec![0.0; items.len()];
    let mut all_work = vec![0.0; items.len()];
    for node in 0..network.len() {
        let item = network.item(node as u32);
        let total = program.item(item).likely_days();
        all_work[item.index()] = total;
        done_work[item.index()] = match network.progress[node] {
            Progress::Done { .. } => total,
            Progress::Started { .. } => (total - network.duration[node]).max(0.0),
            Progress::Open | Progress::Pinned { .. } => 0.0,
        };
    }
    let finished = |i: ItemId| matches!(network.progress[network.graph.node(i) as usize], Progress::Done { .. });
    program
        .groups()
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let members = &group.members;
            let start = members.iter().map(|i| items[i.index()].start).reduce(f64::min).unwrap_or(0.0);
            let finish = members.iter().map(|i| items[i.index()].finish).fold(0.0, f64::max);
            let open = || members.iter().copied().filter(|i| !finished(*i));
            let total_slack = open().map(|i| items[i.index()].total_slack).reduce(f64::min);
            let work: f64 = members.iter().map(|i| all_work[i.index()]).sum();
            let progress = if work > 0.0 {
                members.iter().map(|i| done_work[i.index()]).sum::<f64>() / work
            } else if members.is_empty() {
                0.0
            } else {
                members.iter().filter(|i| finished(**i)).count() as f64 / members.len() as f64
            };
            GroupSchedule {
                group: GroupId::new(g),
                start,
                finish,
                total_slack,
                critical: open().any(|i| items[i.index()].critical),
                progress,
            }
        })
        .collect()
}

/// Items pinned to a `start_on` date their predecessors finish after, or
/// that passed before they started.
fn conflicts(program: &Program, network: &Network, items: &[ItemSchedule], days: &WorkingDays) -> Vec<Conflict> {
    let mut out = Vec::new();
    for node in 0..network.len() {
        let Progress::Pinned { start } = network.progress[node] else { continue };
        let item = network.item(node as u32);
        let Some(start_on) = program.item(item).start_on else { continue };
        if days.time_at_start_of(start_on) < start {
            out.push(Conflict::StartOnPassed { item, start_on });
            continue;
        }
        let late = network.graph.predecessors(node as u32).iter().find_map(|link| {
            let p = network.item(link.node);
            let (p_start, p_finish) = (items[p.index()].start, items[p.index()].finish);
            let bound = match link.kind {
                LinkKind::FinishToStart => network.start_after(link, p_finish),
                LinkKind::StartToStart => p_start + link.lag,
                // The finish the predecessor allows, less the item's own work.
                LinkKind::FinishToFinish => p_finish + link.lag - (items[item.index()].finish - start),
            };
            (bound > start + CRITICAL_EPSILON).then_some((p, bound))
        });
        if let Some((predecessor, allows)) = late {
            out.push(Conflict::StartsBeforePredecessor {
                item,
                start_on,
                predecessor,
                allows: days.start_date(allows),
            });
        }
    }
    out.sort_by_key(|c| match c {
        Conflict::StartsBeforePredecessor { item, .. } | Conflict::StartOnPassed { item, .. } => *item,
    });
    out
}

fn cpm_items(path: &cpm::CriticalPath) -> Vec<ItemSchedule> {
    (0..path.early_start.len())
        .map(|i| ItemSchedule {
            item: ItemId::new(i),
            start: path.early_start[i],
            finish: path.early_finish[i],
            total_slack: path.total_slack[i],
            slack_estimated: false,
            milestone_slack: Vec::new(),
            free_slack: path.free_slack[i],
            critical: path.critical[i],
            capacity_wait: 0.0,
            held_by: None,
        })
        .collect()
}

fn ticks(days: f64, per_day: u32) -> u32 {
    (days * per_day as f64 - 1e-6).ceil().max(0.0) as u32
}

fn lag_ticks(days: f64, per_day: u32) -> i32 {
    (days * per_day as f64).round() as i32
}

/// The network as an RCPSP instance: teams are resources, activities are
/// nodes (so node order is a valid activity list).
pub fn to_problem(program: &Program, network: &Network, days: &WorkingDays) -> Result<Problem, ScheduleError> {
    let n = network.len();
    let per_day = ticks_per_day(network);
    let ticks = |d: f64| ticks(d, per_day);
    let activities: Vec<ActivitySpec> = (0..n)
        .map(|node| {
            let preds = network
                .graph
                .predecessors(node as u32)
                .iter()
                .map(|l| Link { other: l.node, kind: l.kind, lag: lag_ticks(l.lag, per_day), elapsed: l.elapsed })
                .collect();
            let team = network.team[node].index() as u32;
            let fixed = match network.progress[node] {
                Progress::Open => None,
                Progress::Done { start, finish } => {
                    let finish = ticks(finish);
                    Some(Fixed { start: ticks(start).min(finish), finish, occupies_from: finish })
                }
                Progress::Started { start } => {
                    let (_, finish) = advance(network.holidays(node), network.now, network.duration[node]);
                    let finish = ticks(finish);
                    Some(Fixed {
                        start: ticks(start).min(finish),
                        finish,
                        occupies_from: ticks(network.now).min(finish),
                    })
                }
                Progress::Pinned { start } => {
                    let (start, finish) = advance(network.holidays(node), start, network.duration[node]);
                    let (start, finish) = (ticks(start), ticks(finish));
                    Some(Fixed { start: start.min(finish), finish, occupies_from: start.min(finish) })
                }
            };
            ActivitySpec {
                duration: ticks(network.duration[node]),
                demands: vec![(team, network.people[node])],
                preds,
                release: ticks(network.release[node]),
                fixed,
                calendar: if network.team_holidays[team as usize].is_empty() { 0 } else { team + 1 },
            }
        })
        .collect();
    let capacity = program
        .teams()
        .iter()
        .map(|team| Capacity {
            base: team.capacity,
            changes: team.capacity_changes.iter().map(|c| (ticks(days.time_at_start_of(c.from)), c.people)).collect(),
        })
        .collect();
    let holidays = std::iter::once(Vec::new()).chain(network.team_holidays.iter().cloned()).collect();
    let mut problem = Problem::new(activities, capacity, holidays, per_day).map_err(|error| match error {
        crate::rcpsp::ProblemError::ExceedsCapacity { activity, resource, .. } => ScheduleError::ExceedsCapacity {
            item: program.item(network.item(activity as u32)).key.clone(),
            team: program.teams().get(resource as usize).map_or_else(String::new, |t| t.key.clone()),
        },
        other => ScheduleError::Problem(other),
    })?;
    problem.elapsed = network.elapsed.clone();
    Ok(problem)
}

fn capacity_items(
    program: &Program,
    network: &Network,
    days: &WorkingDays,
    options: ScheduleOptions,
    progress: &dyn Sink,
    given: Option<&[ItemId]>,
) -> Result<CapacityItems, ScheduleError> {
    let problem = to_problem(program, network, days)?;
    let n = problem.len();
    let per_day = problem.ticks_per_day as f64;
    let solved = match given {
        None => Some(solve(&problem, SearchOptions { schedules: options.effort, seed: options.seed }, progress)?),
        Some(_) => None,
    };
    let bound = solved.as_ref().map_or_else(|| crate::rcpsp::bound::lower_bound(&problem), |s| s.lower_bound);
    // One decoder from here on (after the search's own is freed): each holds
    // a profile of the whole horizon.
    let mut decoder = Decoder::new(&problem);
    let (start, finish, makespan, schedules, list) = match solved {
        Some(solution) => {
            // The schedule shown is one an activity list decodes to, so a
            // slip can be replayed on it: the best's list in start order or
            // its own list, whichever decodes no longer (in start order,
            // every item as early as that order lets it go).
            let mut shown = None;
            for list in [crate::rcpsp::sgs::order_by_key(&problem, |j| (solution.start[j], j)), solution.order.clone()]
            {
                let makespan = decoder.decode(&problem, &list);
                if makespan <= solution.makespan {
                    shown = Some((decoder.start.clone(), decoder.finish.clone(), makespan, list));
                    break;
                }
            }
            match shown {
                Some((start, finish, makespan, list)) => (start, finish, makespan, solution.schedules, Some(list)),
                None => (solution.start, solution.finish, solution.makespan, solution.schedules, None),
            }
        }
        None => {
            let order = given.unwrap_or_default();
            let mut position = vec![usize::MAX; n];
            for (at, item) in order.iter().enumerate() {
                if item.index() < n {
                    let node = network.graph.node(*item) as usize;
                    position[node] = position[node].min(at);
                }
            }
            let list = crate::rcpsp::sgs::order_by_key(&problem, |j| (position[j], j));
            let makespan = decoder.decode(&problem, &list);
            (decoder.start.clone(), decoder.finish.clone(), makespan, 1, Some(list))
        }
    };
    let activity_order: Vec<ItemId> = match &list {
        Some(list) => list.iter().map(|&j| network.item(j)).collect(),
        None => crate::rcpsp::sgs::order_by_key(&problem, |j| (start[j], j)).iter().map(|&j| network.item(j)).collect(),
    };
    let (start, finish) = (&start, &finish);

    // A first estimate of slack under capacity: how far each activity moves
    // when the whole schedule is pushed as late as it can go without moving
    // the end. Work already under way keeps its place there, so for it the
    // estimate is the room its successors leave.
    let mut late_start = vec![0u32; n];
    let mut late_finish = vec![0u32; n];
    let order = reverse_order_by_key(&problem, |j| (finish[j], start[j]));
    let right = backward(&problem, &mut decoder.profile, &order, makespan, &mut late_start, &mut late_finish);
    if !right {
        late_start.clone_from(start);
        late_finish.clone_from(finish);
    }
    let unfinished: Vec<bool> = (0..n).map(|j| !matches!(network.progress[j], Progress::Done { .. })).collect();
    let estimate: Vec<u32> = (0..n)
        .map(|j| match problem.fixed[j] {
            None => late_start[j].saturating_sub(start[j]),
            // Done work cannot slip.
            Some(_) if !unfinished[j] => 0,
            Some(_) => successor_room(&problem, j, finish[j], makespan, &late_start, &late_finish),
        })
        .collect();
    // The lesser of two estimates: the room the schedule pushed right
    // leaves, and the room the links and the next work on the same people
    // leave. The first overstates where the push right reorders a team's
    // work, the second where another person could take over; the lesser
    // is rarely above the slip that moves the end.
    let chain = slack::chain_estimate(&problem, start, finish, makespan, &unfinished);
    let cautious: Vec<u32> = estimate.iter().zip(&chain).map(|(&a, &b)| a.min(b)).collect();
    // A replay with no effort wants the dates alone.
    let budget = match (options.exact_slack, options.effort) {
        (true, _) => usize::MAX,
        (false, 0) => 0,
        (false, effort) => slack::budget(effort, n),
    };
    let feeds = slack::Feeds::new(program, network);
    let measured = match &list {
        Some(list) => {
            let baseline = slack::Baseline {
                problem: &problem,
                order: list,
                start,
                finish,
                makespan,
                estimate: &cautious,
                guess: &estimate,
                unfinished: &unfinished,
                feeds: &feeds,
            };
            slack::measure(&baseline, decoder, budget)
        }
        // No list decodes to the schedule: nothing to slip it on.
        None => vec![None; n],
    };

    let mut items = vec![None; n];
    for j in 0..n {
        let item = network.item(j as u32);
        // Where logic alone would put it, holidays included.
        let earliest = problem.place_from(j, problem.earliest_start(j, start, finish)).0;
        let wait = start[j].saturating_sub(earliest);
        let open = problem.fixed[j].is_none();
        let slack = measured[j].as_ref().map_or(cautious[j], |m| m.end) as f64 / per_day;
        let milestone_slack = measured[j].as_ref().map_or(Vec::new(), |m| {
            m.milestones
                .iter()
                .map(|&(milestone, ticks)| (MilestoneId::new(milestone as usize), ticks as f64 / per_day))
                .collect()
        });
        let mut free = (makespan - finish[j]) as f64;
        for link in problem.successors(j) {
            let s = link.other as usize;
            let gap = match link.kind {
                LinkKind::FinishToStart => problem.room(link, finish[j], start[s]) as f64,
                LinkKind::StartToStart => start[s] as f64 - link.lag as f64 - start[j] as f64,
                LinkKind::FinishToFinish => finish[s] as f64 - link.lag as f64 - finish[j] as f64,
            };
            free = free.min(gap);
        }
        items[item.index()] = Some(ItemSchedule {
            item,
            start: start[j] as f64 / per_day,
            finish: finish[j] as f64 / per_day,
            total_slack: slack,
            slack_estimated: unfinished[j] && measured[j].is_none(),
            milestone_slack,
            free_slack: free.max(0.0) / per_day,
            critical: slack <= CRITICAL_EPSILON && unfinished[j],
            capacity_wait: if open { wait as f64 / per_day } else { 0.0 },
            held_by: (open && wait > 0).then_some(network.team[j]),
        });
    }
    let items: Vec<ItemSchedule> = items.into_iter().flatten().collect();
    let path = capacity_critical_chain(&problem, network, start, finish, makespan);
    let lower_bound =
        Some(LowerBound { days: bound.ticks as f64 / per_day, team: bound.resource.map(|r| TeamId::new(r as usize)) });
    Ok((items, path, schedules, activity_order, lower_bound))
}

/// Items, critical chain, schedules generated and activity order.
type CapacityItems = (Vec<ItemSchedule>, Vec<ItemId>, usize, Vec<ItemId>, Option<LowerBound>);

/// The ticks an activity can slip after finishing at `finish` before a
/// successor placed at `late_start`/`late_finish` or the end moves.
fn successor_room(
    problem: &Problem,
    j: usize,
    finish: u32,
    makespan: u32,
    late_start: &[u32],
    late_finish: &[u32],
) -> u32 {
    let mut room = makespan.saturating_sub(finish) as i64;
    for link in problem.successors(j) {
        let s = link.other as usize;
        let Some(gap) = problem.finish_room(link, finish, (late_start[s], late_finish[s])) else { continue };
        room = room.min(gap);
    }
    room.max(0) as u32
}

/// Walks back from the activity that ends last along what held each start:
/// a tight precedence link, or else a same-team activity ending right then.
fn capacity_critical_chain(
    problem: &Problem,
    network: &Network,
    start: &[u32],
    finish: &[u32],
    makespan: u32,
) -> Vec<ItemId> {
    let n = problem.len();
    let Some(mut j) = (0..n).rev().find(|&j| finish[j] == makespan && problem.fixed[j].is_none()) else {
        return Vec::new();
    };
    let mut chain = vec![network.item(j as u32)];
    let mut guard = 0;
    while problem.fixed[j].is_none() && guard < n {
        guard += 1;
        let by_link = problem.predecessors(j).iter().find_map(|l| {
            let p = l.other as usize;
            let bound = match l.kind {
                LinkKind::FinishToStart => problem.start_after(l, finish[p]),
                LinkKind::StartToStart => start[p] as i64 + l.lag as i64,
                LinkKind::FinishToFinish => {
                    problem.place_until(j, (finish[p] as i64 + l.lag as i64).max(0) as u32).0 as i64
                }
            };
            (problem.place_from(j, bound.max(0) as u32).0 == start[j]).then_some(p)
        });
        let by_team = || {
            (0..n)
                .find(|&p| p != j && network.team[p] == network.team[j] && finish[p] == start[j] && start[p] < start[j])
        };
        match by_link.or_else(by_team) {
            Some(p) => {
                j = p;
                chain.push(network.item(j as u32));
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// Person-days asked of each team per week against what it has.
fn utilisation(
    program: &Program,
    network: &Network,
    items: &[ItemSchedule],
    days: &WorkingDays,
    end: f64,
) -> Vec<TeamWeek> {
    let horizon = end.ceil().max(0.0) as usize;
    let teams = program.teams().len();
    let mut demand = vec![0.0f64; teams * horizon.max(1)];
    let mut whole = vec![0.0f64; teams * (horizon + 1)];
    for node in 0..network.len() {
        if matches!(network.progress[node], Progress::Done { .. }) {
            continue;
        }
        let item = &items[network.item(node as u32).index()];
        let team = network.team[node].index();
        let from = match network.progress[node] {
            Progress::Started { .. } => item.start.max(network.now),
            _ => item.start,
        };
        if item.finish <= from {
            continue;
        }
        // Partial first and last days directly; whole days in between
        // through a difference array, so long items cost O(1).
        let people = network.people[node] as f64;
        let first = from.floor() as usize;
        let last = ((item.finish - 1e-9).floor() as usize).min(horizon.saturating_sub(1));
        let row = &mut demand[team * horizon..(team + 1) * horizon];
        if first >= horizon {
            continue;
        }
        if first == last {
            row[first] += (item.finish - from) * people;
            continue;
        }
        row[first] += (first as f64 + 1.0 - from) * people;
        let tail = (item.finish - last as f64).min(1.0);
        row[last] += tail * people;
        whole[team * (horizon + 1) + first + 1] += people;
        whole[team * (horizon + 1) + last] -= people;
    }
    for t in 0..teams {
        let mut running = 0.0;
        for day in 0..horizon {
            running += whole[t * (horizon + 1) + day];
            demand[t * horizon + day] += running;
        }
    }
    let mut out = Vec::new();
    for (t, team) in program.teams().iter().enumerate() {
        let holidays = &network.team_holidays[t];
        let mut current: Option<TeamWeek> = None;
        for day in (network.now.floor() as usize)..horizon {
            let date = days.date(day);
            let week = week_start(date);
            let capacity =
                if holidays.binary_search(&(day as u32)).is_ok() { 0.0 } else { team.capacity_on(date) as f64 };
            let entry = current.get_or_insert(TeamWeek { team: TeamId::new(t), week, demand: 0.0, capacity: 0.0 });
            if entry.week != week {
                out.push(entry.clone());
                *entry = TeamWeek { team: TeamId::new(t), week, demand: 0.0, capacity: 0.0 };
            }
            entry.demand += demand[t * horizon + day];
            entry.capacity += capacity;
        }
        out.extend(current);
    }
    out
}
