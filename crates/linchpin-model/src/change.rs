//! What-if changes to a program, applied to a copy: a new estimate, a
//! team's capacity from a date, an item slipping. The TPM tries them before
//! she commits a plan change. Each is checked against the same limits a
//! plan's own values are, so a changed program keeps every invariant.

use chrono::NaiveDate;

use crate::resolve::{MAX_DATE_DISTANCE_DAYS, MAX_DAYS, MAX_PEOPLE};
use crate::{CapacityChange, Estimate, ItemId, ItemStatus, Program, RiskId, RiskStatus, TeamId};

/// One hypothetical change.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The item takes this long instead (remaining work, if it is in progress).
    Estimate { item: ItemId, estimate: Estimate },
    /// The team has this many people, from a date or from the start.
    Capacity { team: TeamId, people: u32, from: Option<NaiveDate> },
    /// The item takes this many working days longer.
    Slip { item: ItemId, days: f64 },
    /// The risk is resolved: it no longer fires.
    Resolve { risk: RiskId },
    /// The item cannot start before this date (a decision it waits on
    /// comes later, say).
    NotBefore { item: ItemId, date: NaiveDate },
}

/// Why a change cannot be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChangeError {
    #[error("no item has index {0} in this program")]
    UnknownItem(usize),
    #[error("no team has index {0} in this program")]
    UnknownTeam(usize),
    #[error("no risk has index {0} in this program")]
    UnknownRisk(usize),
    #[error("an estimate must be finite working days, 0 ≤ optimistic ≤ likely ≤ pessimistic ≤ {MAX_DAYS}")]
    Estimate,
    #[error("a slip must be from 0 to {MAX_DAYS} working days")]
    Slip,
    #[error("a team must have from 1 to {MAX_PEOPLE} people")]
    People,
    #[error("{0} is more than a hundred years from the program start")]
    Date(NaiveDate),
    #[error("item `{item}` needs {needs} people but team `{team}` would never have more than {most}")]
    ExceedsCapacity { item: String, team: String, needs: u32, most: u32 },
}

impl Program {
    /// The program with the changes applied, in order.
    pub fn changed(&self, changes: &[Change]) -> Result<Program, ChangeError> {
        let mut program = self.clone();
        for change in changes {
            match *change {
                Change::Estimate { item, estimate } => {
                    let Estimate { optimistic, likely, pessimistic } = estimate;
                    let valid = [optimistic, likely, pessimistic].iter().all(|d| d.is_finite())
                        && 0.0 <= optimistic
                        && optimistic <= likely
                        && likely <= pessimistic
                        && pessimistic <= MAX_DAYS;
                    if !valid {
                        return Err(ChangeError::Estimate);
                    }
                    let item = program.items.get_mut(item.index()).ok_or(ChangeError::UnknownItem(item.index()))?;
                    if started(item.status, item.actual_start) {
                        item.remaining = Some(estimate.likely);
                    }
                    item.estimate = Some(estimate);
                }
                Change::Capacity { team, people, from } => {
                    if !(1..=MAX_PEOPLE).contains(&people) {
                        return Err(ChangeError::People);
                    }
                    if let Some(from) = from
                        && (from - program.start).num_days().abs() > MAX_DATE_DISTANCE_DAYS
                    {
                        return Err(ChangeError::Date(from));
                    }
                    let changed = program.teams.get_mut(team.index()).ok_or(ChangeError::UnknownTeam(team.index()))?;
                    match from {
                        None => {
                            changed.capacity = people;
                            changed.capacity_changes.clear();
                        }
                        Some(from) => changed.capacity_changes.replace_from(CapacityChange { from, people }),
                    }
                    let most = changed.most_people();
                    if let Some(item) = program.items.iter().find(|i| i.team == team && i.people > most) {
                        return Err(ChangeError::ExceedsCapacity {
                            item: item.key.clone(),
                            team: program.teams[team.index()].key.clone(),
                            needs: item.people,
                            most,
                        });
                    }
                }
                Change::NotBefore { item, date } => {
                    if (date - program.start).num_days().abs() > MAX_DATE_DISTANCE_DAYS {
                        return Err(ChangeError::Date(date));
                    }
                    let item = program.items.get_mut(item.index()).ok_or(ChangeError::UnknownItem(item.index()))?;
                    item.not_before = Some(item.not_before.map_or(date, |d| d.max(date)));
                }
                Change::Resolve { risk } => {
                    let risk = program.risks.get_mut(risk.index()).ok_or(ChangeError::UnknownRisk(risk.index()))?;
                    risk.status = RiskStatus::Resolved;
                }
                Change::Slip { item, days } => {
                    if !(days.is_finite() && (0.0..=MAX_DAYS).contains(&days)) {
                        return Err(ChangeError::Slip);
                    }
                    let item = program.items.get_mut(item.index()).ok_or(ChangeError::UnknownItem(item.index()))?;
                    if started(item.status, item.actual_start)
                        && let Some(remaining) = item.remaining.as_mut()
                    {
                        *remaining += days;
                    } else {
                        let e = item.estimate.unwrap_or(Estimate::exact(0.0));
                        item.estimate = Some(Estimate {
                            optimistic: e.optimistic + days,
                            likely: e.likely + days,
                            pessimistic: e.pessimistic + days,
                        });
                    }
                }
            }
        }
        Ok(program)
    }
}

impl Program {
    /// The same program with every team working the program calendar
    /// alone: no team holidays. A test of the network's logic uses it, so
    /// a slip cannot land on different days off and blur the arithmetic.
    pub fn without_team_holidays(&self) -> Program {
        let mut program = self.clone();
        for team in &mut program.teams {
            team.holidays.clear();
        }
        program
    }
}

fn started(status: ItemStatus, actual_start: Option<NaiveDate>) -> bool {
    matches!(status, ItemStatus::InProgress | ItemStatus::Blocked) && actual_start.is_some()
}
