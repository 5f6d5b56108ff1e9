//! What-ifs as people type them (`PAY-5=10`, `PAY-5=3,5,9`,
//! `identity=6@2027-01-04`) read into the model's [`Change`]s, against the
//! same limits as a plan's own values.

use chrono::NaiveDate;
use linchpin_model::dates::{self, DateError};
use linchpin_model::diagnostic::did_you_mean;
use linchpin_model::resolve::{MAX_DAYS, MAX_PEOPLE};
use linchpin_model::{Change, Estimate, Program};

/// What-ifs as typed, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhatIfs {
    /// `ITEM=DAYS` or `ITEM=O,L,P`: the item takes this long.
    pub estimates: Vec<String>,
    /// `TEAM=N` or `TEAM=N@DATE`: the team has N people (from DATE on).
    pub people: Vec<String>,
    /// `ITEM=DAYS`: the item takes DAYS working days longer.
    pub slips: Vec<String>,
}

impl WhatIfs {
    pub fn is_empty(&self) -> bool {
        self.estimates.is_empty() && self.people.is_empty() && self.slips.is_empty()
    }

    /// The changes, estimates first, then people, then slips.
    pub fn changes(&self, program: &Program) -> Result<Vec<Change>, WhatIfError> {
        let mut changes = Vec::new();
        for text in &self.estimates {
            let (key, value) = split(text, "ITEM=DAYS or ITEM=O,L,P")?;
            let points: Vec<f64> = value.split(',').map(|v| days(v, text)).collect::<Result<_, _>>()?;
            let estimate = match points[..] {
                [days] => Estimate::exact(days),
                [optimistic, likely, pessimistic] if optimistic <= likely && likely <= pessimistic => {
                    Estimate { optimistic, likely, pessimistic }
                }
                _ => return Err(WhatIfError::EstimatePoints { text: text.clone() }),
            };
            changes.push(Change::Estimate { item: item(program, key)?, estimate });
        }
        for text in &self.people {
            let (key, value) = split(text, "TEAM=N or TEAM=N@DATE")?;
            let keys = program.keys();
            let team = keys.teams.get(key).copied().ok_or_else(|| WhatIfError::UnknownTeam {
                key: key.to_owned(),
                suggestion: did_you_mean(key, keys.teams.keys().map(String::as_str)).map(str::to_owned),
            })?;
            let (people, from) = match value.split_once('@') {
                Some((people, date)) => (people, Some(parse_date(date)?)),
                None => (value, None),
            };
            let people: u32 = people
                .trim()
                .parse()
                .ok()
                .filter(|p| (1..=MAX_PEOPLE).contains(p))
                .ok_or_else(|| WhatIfError::People { text: text.clone() })?;
            changes.push(Change::Capacity { team, people, from });
        }
        for text in &self.slips {
            let (key, value) = split(text, "ITEM=DAYS")?;
            changes.push(Change::Slip { item: item(program, key)?, days: days(value, text)? });
        }
        Ok(changes)
    }
}

/// Why a what-if cannot be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WhatIfError {
    #[error("`{text}` is not {expected}")]
    Shape { text: String, expected: &'static str },
    #[error("unknown item `{key}`{}", hint(.suggestion))]
    UnknownItem { key: String, suggestion: Option<String> },
    #[error("unknown team `{key}`{}", hint(.suggestion))]
    UnknownTeam { key: String, suggestion: Option<String> },
    #[error("`{value}` in `{text}` is not a number of working days")]
    NotDays { value: String, text: String },
    #[error(
        "`{value}` in `{text}` is more than {MAX_DAYS} working days (forty years); check for a typo or a unit mix-up"
    )]
    TooManyDays { value: String, text: String },
    #[error("`{text}`: give one number or optimistic ≤ likely ≤ pessimistic")]
    EstimatePoints { text: String },
    #[error("`{text}`: capacity must be a whole number of people, from 1 to {MAX_PEOPLE}")]
    People { text: String },
    #[error(transparent)]
    Date(#[from] DateError),
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion.as_ref().map_or(String::new(), |s| format!("; did you mean `{s}`?"))
}

fn item(program: &Program, key: &str) -> Result<linchpin_model::ItemId, WhatIfError> {
    let keys = program.keys();
    keys.items.get(key).copied().ok_or_else(|| WhatIfError::UnknownItem {
        key: key.to_owned(),
        suggestion: did_you_mean(key, keys.items.keys().map(String::as_str)).map(str::to_owned),
    })
}

fn split<'a>(text: &'a str, expected: &'static str) -> Result<(&'a str, &'a str), WhatIfError> {
    text.split_once('=').ok_or_else(|| WhatIfError::Shape { text: text.to_owned(), expected })
}

/// A what-if's working days, held to the limit a plan's estimates have.
fn days(value: &str, text: &str) -> Result<f64, WhatIfError> {
    let days = value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| WhatIfError::NotDays { value: value.to_owned(), text: text.to_owned() })?;
    if days > MAX_DAYS {
        return Err(WhatIfError::TooManyDays { value: value.to_owned(), text: text.to_owned() });
    }
    Ok(days)
}

/// A date as the command line writes it.
pub fn parse_date(text: &str) -> Result<NaiveDate, WhatIfError> {
    Ok(dates::parse(text)?)
}
