//! One program's values taken over by another with the same items: the
//! estimates, progress, capacities, targets, risks and status date that
//! change from one week's plan to the next, part by part, so the effect of
//! each part on the dates can be measured (what changed and why).

use crate::{CapacityChanges, ChangeError, ItemId, ItemStatus, NaiveDate, Program};

/// A part of a program, named by the key of what it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// An item's estimate and remaining work.
    Work(String),
    /// An item's status and actual dates.
    Progress(String),
    /// A team's people, from the start and from each date.
    Capacity(String),
    /// A milestone's target.
    Target(String),
    /// A risk's status, likelihood, impact and schedule impact.
    Risk(String),
    /// The date progress is known as of.
    StatusDate,
}

impl Program {
    /// The item's status, actual dates and remaining work set as given:
    /// the progress a plan had planned for it by some date, say.
    pub fn set_progress(
        &mut self,
        item: ItemId,
        status: ItemStatus,
        actual_start: Option<NaiveDate>,
        actual_finish: Option<NaiveDate>,
        remaining: Option<f64>,
    ) {
        if let Some(item) = self.items.get_mut(item.index()) {
            item.status = status;
            item.actual_start = actual_start;
            item.actual_finish = actual_finish;
            item.remaining = remaining;
        }
    }

    /// This program with `parts` as `other` has them, matched by key.
    /// Parts that either program lacks are left as they are; a team left
    /// with fewer people than one of its items needs is refused.
    pub fn with_parts_of(&self, other: &Program, parts: &[Part]) -> Result<Program, ChangeError> {
        let mut program = self.clone();
        let (mine, theirs) = (self.keys(), other.keys());
        for part in parts {
            match part {
                Part::Work(key) | Part::Progress(key) => {
                    let (Some(&mine), Some(&theirs)) = (mine.items.get(key), theirs.items.get(key)) else {
                        continue;
                    };
                    let source = &other.items[theirs.index()];
                    let item = &mut program.items[mine.index()];
                    if matches!(part, Part::Work(_)) {
                        item.estimate = source.estimate;
                        item.remaining = source.remaining;
                    } else {
                        item.status = source.status;
                        item.actual_start = source.actual_start;
                        item.actual_finish = source.actual_finish;
                    }
                }
                Part::Capacity(key) => {
                    let (Some(&mine), Some(&theirs)) = (mine.teams.get(key), theirs.teams.get(key)) else {
                        continue;
                    };
                    let source = &other.teams[theirs.index()];
                    let team = &mut program.teams[mine.index()];
                    team.capacity = source.capacity;
                    team.capacity_changes = CapacityChanges::new(source.capacity_changes.iter().copied().collect());
                    let most = team.most_people();
                    if let Some(item) = program.items.iter().find(|i| i.team == mine && i.people > most) {
                        return Err(ChangeError::ExceedsCapacity {
                            item: item.key.clone(),
                            team: key.clone(),
                            needs: item.people,
                            most,
                        });
                    }
                }
                Part::Target(key) => {
                    let mine = self.milestones.iter().position(|m| &m.key == key);
                    let theirs = other.milestones.iter().find(|m| &m.key == key);
                    if let (Some(mine), Some(theirs)) = (mine, theirs) {
                        program.milestones[mine].target = theirs.target;
                    }
                }
                Part::Risk(key) => {
                    let mine = self.risks.iter().position(|r| &r.key == key);
                    let theirs = other.risks.iter().find(|r| &r.key == key);
                    if let (Some(mine), Some(theirs)) = (mine, theirs) {
                        let risk = &mut program.risks[mine];
                        risk.status = theirs.status;
                        risk.likelihood = theirs.likelihood;
                        risk.impact = theirs.impact;
                        risk.schedule_impact = theirs.schedule_impact;
                    }
                }
                Part::StatusDate => program.status_date = other.status_date,
            }
        }
        Ok(program)
    }
}
