//! What-if changes to a program, applied to a copy: a new estimate, a
//! team's capacity from a date, an item slipping. The TPM tries them before
//! she commits a plan change.

use chrono::NaiveDate;
use linchpin_model::{CapacityChange, Estimate, ItemId, ItemStatus, Program, TeamId};

/// One hypothetical change.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The item takes this long instead (remaining work, if it is in progress).
    Estimate { item: ItemId, estimate: Estimate },
    /// The team has this many people, from a date or from the start.
    Capacity { team: TeamId, people: u32, from: Option<NaiveDate> },
    /// The item takes this many working days longer.
    Slip { item: ItemId, days: f64 },
}

/// The program with the changes applied, in order.
pub fn apply(program: &Program, changes: &[Change]) -> Program {
    let mut program = program.clone();
    for change in changes {
        match *change {
            Change::Estimate { item, estimate } => {
                let item = &mut program.items[item.index()];
                if matches!(item.status, ItemStatus::InProgress | ItemStatus::Blocked) && item.actual_start.is_some() {
                    item.remaining = Some(estimate.likely);
                }
                item.estimate = Some(estimate);
            }
            Change::Capacity { team, people, from } => {
                let team = &mut program.teams[team.index()];
                match from {
                    None => {
                        team.capacity = people;
                        team.capacity_changes.clear();
                    }
                    Some(from) => {
                        team.capacity_changes.retain(|c| c.from < from);
                        team.capacity_changes.push(CapacityChange { from, people });
                    }
                }
            }
            Change::Slip { item, days } => {
                let item = &mut program.items[item.index()];
                let started =
                    matches!(item.status, ItemStatus::InProgress | ItemStatus::Blocked) && item.actual_start.is_some();
                if started && let Some(remaining) = item.remaining.as_mut() {
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
    program
}
