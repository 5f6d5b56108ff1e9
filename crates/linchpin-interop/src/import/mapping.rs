//! The choices an import leaves to the TPM, from a mapping file (YAML,
//! read by the CLI into JSON and given here):
//!
//! ```yaml
//! team: [component, project]     # where the team comes from, first set wins:
//!                                # component, label, project, or field:NAME
//! teams: { "Payments Core": payments }   # a field's value to a team id
//! status: { "In QA": in_progress, "Won't Do": done }   # by status name, over its category
//! estimate: [points, original]   # which estimate, first set wins
//! days_per_point: 1.5            # story points to working days
//! hours_per_day: 8               # time estimates to working days
//! blocking_links: [Blocks]       # link types that are dependencies
//! versions: { "2.0": 2027-03-01 }   # fix versions' target dates
//! tags: [type, labels, components, sprints]   # which fields become tags
//! points_field: customfield_10016   # Jira JSON: the story points field's id
//! sprint_field: customfield_10020   # Jira JSON: the sprint field's id
//! ```

use std::collections::HashMap;

use chrono::NaiveDate;
use linchpin_model::ItemStatus;
use serde::Deserialize;

/// Where an issue's team comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamSource {
    /// The first component.
    Component,
    /// The first label.
    Label,
    /// The project (its key in Jira, the repository on GitHub).
    Project,
    /// A field by its name as the export heads it (`Custom field (Team)`).
    Field(String),
}

/// Which estimate an item takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EstimateSource {
    /// Story points, times `days_per_point`.
    Points,
    /// The original time estimate, in days of `hours_per_day`.
    Original,
}

/// How an import maps a tracker's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub team: Vec<TeamSource>,
    /// A source field's value to the team id it stands for.
    pub teams: HashMap<String, String>,
    /// A status name (lower case) to the Linchpin status it stands for.
    pub status: HashMap<String, ItemStatus>,
    pub estimate: Vec<EstimateSource>,
    pub days_per_point: f64,
    pub hours_per_day: f64,
    /// Link types (by name) that make the issue they point to wait.
    pub blocking_links: Vec<String>,
    /// Fix versions' target dates.
    pub versions: HashMap<String, NaiveDate>,
    /// Which fields become tags (`type:Story`, labels, `component:Web`, `sprint:Sprint 4`).
    pub tags: Vec<TagSource>,
    /// In Jira's JSON, the id of the story points field.
    pub points_field: String,
    /// In Jira's JSON, the id of the sprint field.
    pub sprint_field: String,
}

/// A field an item's tags are made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagSource {
    Type,
    Labels,
    Components,
    Sprints,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            team: vec![TeamSource::Component, TeamSource::Project],
            teams: HashMap::new(),
            status: HashMap::new(),
            estimate: vec![EstimateSource::Points, EstimateSource::Original],
            days_per_point: 1.0,
            hours_per_day: 8.0,
            blocking_links: vec!["Blocks".to_owned()],
            versions: HashMap::new(),
            tags: vec![TagSource::Type, TagSource::Labels, TagSource::Components, TagSource::Sprints],
            points_field: "customfield_10016".to_owned(),
            sprint_field: "customfield_10020".to_owned(),
        }
    }
}

/// Why a mapping file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("{0}")]
    Shape(String),
    #[error("`{field}`: {why}")]
    Value { field: &'static str, why: String },
}

/// The mapping file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    team: Option<OneOrMany>,
    teams: Option<HashMap<String, String>>,
    status: Option<HashMap<String, String>>,
    estimate: Option<OneOrMany>,
    days_per_point: Option<f64>,
    hours_per_day: Option<f64>,
    blocking_links: Option<Vec<String>>,
    versions: Option<HashMap<String, String>>,
    tags: Option<Vec<String>>,
    points_field: Option<String>,
    sprint_field: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

impl Mapping {
    /// A mapping from its file's contents as JSON; what it leaves out is
    /// the default.
    pub fn from_json(value: serde_json::Value) -> Result<Mapping, MappingError> {
        if value.is_null() {
            return Ok(Mapping::default());
        }
        let written: Written = serde_json::from_value(value).map_err(|e| MappingError::Shape(e.to_string()))?;
        let mut mapping = Mapping::default();
        if let Some(team) = written.team {
            mapping.team = team
                .into_vec()
                .into_iter()
                .map(|s| match s.as_str() {
                    "component" | "components" => Ok(TeamSource::Component),
                    "label" | "labels" => Ok(TeamSource::Label),
                    "project" | "repository" => Ok(TeamSource::Project),
                    other => match other.strip_prefix("field:") {
                        Some(name) if !name.trim().is_empty() => Ok(TeamSource::Field(name.trim().to_owned())),
                        _ => Err(MappingError::Value {
                            field: "team",
                            why: format!("`{other}` is not component, label, project or field:NAME"),
                        }),
                    },
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(teams) = written.teams {
            mapping.teams = teams;
        }
        if let Some(status) = written.status {
            for (name, word) in status {
                let status = ItemStatus::ALL.into_iter().find(|s| s.as_str() == word.trim()).ok_or_else(|| {
                    MappingError::Value {
                        field: "status",
                        why: format!("`{word}` is not not_started, in_progress, done or blocked"),
                    }
                })?;
                mapping.status.insert(name.to_lowercase(), status);
            }
        }
        if let Some(estimate) = written.estimate {
            mapping.estimate = estimate
                .into_vec()
                .into_iter()
                .map(|s| match s.as_str() {
                    "points" | "story_points" => Ok(EstimateSource::Points),
                    "original" | "original_estimate" | "time" => Ok(EstimateSource::Original),
                    other => Err(MappingError::Value {
                        field: "estimate",
                        why: format!("`{other}` is not points or original"),
                    }),
                })
                .collect::<Result<_, _>>()?;
        }
        let positive = |field: &'static str, x: f64, most: f64| {
            if x.is_finite() && x > 0.0 && x <= most {
                Ok(x)
            } else {
                Err(MappingError::Value { field, why: format!("{x} is not above 0 and at most {most}") })
            }
        };
        if let Some(ratio) = written.days_per_point {
            mapping.days_per_point = positive("days_per_point", ratio, 100.0)?;
        }
        if let Some(hours) = written.hours_per_day {
            mapping.hours_per_day = positive("hours_per_day", hours, 24.0)?;
        }
        if let Some(links) = written.blocking_links {
            mapping.blocking_links = links;
        }
        if let Some(versions) = written.versions {
            for (version, day) in versions {
                let parsed = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
                let day =
                    parsed.filter(|d| super::date(&d.to_string()).is_some()).ok_or_else(|| MappingError::Value {
                        field: "versions",
                        why: format!("`{day}` is not a date (YYYY-MM-DD, 1900 to 9999)"),
                    })?;
                mapping.versions.insert(version, day);
            }
        }
        if let Some(field) = written.points_field {
            mapping.points_field = field;
        }
        if let Some(field) = written.sprint_field {
            mapping.sprint_field = field;
        }
        if let Some(tags) = written.tags {
            mapping.tags = tags
                .iter()
                .map(|t| match t.as_str() {
                    "type" => Ok(TagSource::Type),
                    "labels" | "label" => Ok(TagSource::Labels),
                    "components" | "component" => Ok(TagSource::Components),
                    "sprints" | "sprint" => Ok(TagSource::Sprints),
                    other => Err(MappingError::Value {
                        field: "tags",
                        why: format!("`{other}` is not type, labels, components or sprints"),
                    }),
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(mapping)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_file_overrides_the_defaults_it_names() {
        let mapping = Mapping::from_json(serde_json::json!({
            "team": ["field:Custom field (Team)", "project"],
            "status": { "In QA": "in_progress" },
            "estimate": "original",
            "days_per_point": 0.5,
            "versions": { "2.0": "2027-03-01" },
        }))
        .expect("a mapping");
        assert_eq!(mapping.team, [TeamSource::Field("Custom field (Team)".into()), TeamSource::Project]);
        assert_eq!(mapping.status.get("in qa"), Some(&ItemStatus::InProgress));
        assert_eq!(mapping.estimate, [EstimateSource::Original]);
        assert_eq!(mapping.days_per_point, 0.5);
        assert_eq!(mapping.hours_per_day, 8.0);
        assert_eq!(mapping.versions.get("2.0"), NaiveDate::from_ymd_opt(2027, 3, 1).as_ref());
    }

    #[test]
    fn a_wrong_mapping_says_what_is_wrong() {
        let wrong = |v| Mapping::from_json(v).expect_err("refused").to_string();
        assert!(wrong(serde_json::json!({"team": "squad"})).contains("`squad` is not component"));
        assert!(wrong(serde_json::json!({"status": {"x": "finished"}})).contains("`finished`"));
        assert!(wrong(serde_json::json!({"days_per_point": -1})).contains("days_per_point"));
        assert!(wrong(serde_json::json!({"teem": "x"})).contains("unknown field `teem`"));
    }
}
