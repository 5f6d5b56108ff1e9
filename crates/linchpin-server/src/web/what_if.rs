//! What-if: change an estimate, a team's people from a date, or slip an
//! item, and see each milestone's scheduled date and its P50 and P80
//! before and after, side by side, without saving. The changes are typed
//! as `linchpin schedule` takes them (`PAY-5=10`, `PAY-5=3,5,9`,
//! `identity=6@2027-01-04`), read by the same code, and the schedule after
//! is the CLI's what-if schedule (decoded from the same activity order),
//! so the page and `linchpin schedule --slip` agree. Editors can save the
//! scenario's changes into the plan, checked against the version the
//! scenario was computed on.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use linchpin_analysis::run::{plan_forecast, what_if};
use linchpin_analysis::what_if::WhatIfs;
use linchpin_engine::forecast::Forecast;
use linchpin_engine::schedule::Schedule;
use linchpin_model::{Change, ItemId, MilestoneId, Program, TeamId};
use linchpin_plan::stored::Kind;
use linchpin_store::{EntityChange, Role};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::analysed::{Analysed, Ready, analysed, engine_error, settings};
use super::item::entity;
use super::layout::Page;
use super::program::{computing, nav, open};
use super::{Visitor, WebError, encode, see_other};
use crate::api::entities::write;
use crate::error::ApiError;
use crate::state::App;

type Shared = Arc<App>;

/// At most this many changes in one scenario, and this many characters in all.
pub const MOST_CHANGES: usize = 50;
pub const MOST_TEXT: usize = 4000;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `ITEM=DAYS` or `ITEM=O,L,P`, one a line.
    #[serde(default)]
    pub estimates: String,
    /// `TEAM=N` or `TEAM=N@DATE`, one a line.
    #[serde(default)]
    pub people: String,
    /// `ITEM=DAYS`, one a line.
    #[serde(default)]
    pub slips: String,
}

impl Scenario {
    fn what_ifs(&self) -> Result<WhatIfs, ApiError> {
        if self.estimates.len() + self.people.len() + self.slips.len() > MOST_TEXT {
            return Err(ApiError::BadRequest(format!("a scenario is at most {MOST_TEXT} characters")));
        }
        let lines = |text: &str| -> Vec<String> {
            text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
        };
        let what_ifs =
            WhatIfs { estimates: lines(&self.estimates), people: lines(&self.people), slips: lines(&self.slips) };
        if what_ifs.estimates.len() + what_ifs.people.len() + what_ifs.slips.len() > MOST_CHANGES {
            return Err(ApiError::BadRequest(format!("a scenario holds at most {MOST_CHANGES} changes")));
        }
        Ok(what_ifs)
    }

    fn is_empty(&self) -> bool {
        self.estimates.trim().is_empty() && self.people.trim().is_empty() && self.slips.trim().is_empty()
    }

    /// The scenario as one canonical string, to key its computation by.
    fn key(&self) -> String {
        format!("{}\u{1}{}\u{1}{}", self.estimates.trim(), self.people.trim(), self.slips.trim())
    }
}

/// A scenario computed: the schedules before and after, and the forecast after.
pub struct Outcome {
    pub before: Schedule,
    pub after: Schedule,
    pub forecast_after: Forecast,
}

pub async fn what_if_page(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    Query(scenario): Query<Scenario>,
) -> Result<Response, WebError> {
    let (_, role, loaded) = open(&app, &visitor, &key).await?;
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, "what-if", "What-if")),
    };
    let program = a.loaded.program.clone();
    let outcome = if scenario.is_empty() {
        None
    } else {
        let what_ifs = scenario.what_ifs()?;
        let changes = what_ifs.changes(&program).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let slot = format!("{}@{}\u{1}{}", loaded.row.id, loaded.row.version, scenario.key());
        let engine_app = app.clone();
        let computed = app
            .pages
            .what_ifs
            .clone()
            .get(slot, super::analysed::PATIENCE, async move {
                let limit = engine_app.engine.limit();
                engine_app
                    .engine
                    .run(move |sink| {
                        let settings = settings(&program)?;
                        let run = what_if(&program, &settings, &changes, sink).map_err(|e| engine_error(e, limit))?;
                        let forecast_after =
                            plan_forecast(&run.changed, &settings, sink).map_err(|e| engine_error(e, limit))?;
                        Ok::<_, ApiError>(Outcome { before: run.before, after: run.after, forecast_after })
                    })
                    .await?
            })
            .await?;
        match computed {
            Ready::Done(outcome) => Some(outcome),
            Ready::Computing => {
                return Ok(Page {
                    title: "What-if".into(),
                    visitor: Some(&visitor),
                    program: Some(nav(&loaded, "what-if")),
                    body: html! { h1 { "What-if" } p.notice role="status" { "Computing the scenario; this page reloads by itself." } },
                    refresh: Some(2),
                }
                .into_response());
            }
        }
    };
    let editor = role >= Role::Editor;
    let base = format!("/p/{}/what-if", encode(&key));
    let body = html! {
        h1 { "What-if" }
        p { "Try a change and see each milestone move, without saving. Write each change on its own line, as "
            code { "linchpin schedule" } " takes them." }
        form method="get" action=(base) {
            (scenario_fields(&scenario))
            p { button.primary type="submit" { "Show the effect" } }
        }
        @if let Some(outcome) = &outcome {
            (comparison(&a, outcome))
            @if editor {
                form method="post" action=(base) {
                    input type="hidden" name="csrf" value=(visitor.csrf);
                    input type="hidden" name="version" value=(loaded.row.version);
                    input type="hidden" name="estimates" value=(scenario.estimates);
                    input type="hidden" name="people" value=(scenario.people);
                    input type="hidden" name="slips" value=(scenario.slips);
                    p {
                        button type="submit" { "Save these changes to the plan" }
                        " "
                        span.hint { "Saved only if the program is still at version " (loaded.row.version) "." }
                    }
                }
            }
        }
    };
    Ok(Page {
        title: "What-if".into(),
        visitor: Some(&visitor),
        program: Some(nav(&loaded, "what-if")),
        body,
        refresh: None,
    }
    .into_response())
}

fn scenario_fields(scenario: &Scenario) -> Markup {
    html! {
        div.form-row {
            div {
                label for="estimates" { "Estimates" }
                p.hint id="estimates-hint" { code { "ITEM=DAYS" } " or " code { "ITEM=O,L,P" } }
                textarea id="estimates" name="estimates" rows="3" cols="24" maxlength="4000" aria-describedby="estimates-hint" { (scenario.estimates) }
            }
            div {
                label for="people" { "Team people" }
                p.hint id="people-hint" { code { "TEAM=N" } " or " code { "TEAM=N@YYYY-MM-DD" } }
                textarea id="people" name="people" rows="3" cols="24" maxlength="4000" aria-describedby="people-hint" { (scenario.people) }
            }
            div {
                label for="slips" { "Slips" }
                p.hint id="slips-hint" { code { "ITEM=DAYS" } " (working days later)" }
                textarea id="slips" name="slips" rows="3" cols="24" maxlength="4000" aria-describedby="slips-hint" { (scenario.slips) }
            }
        }
    }
}

fn comparison(a: &Analysed, outcome: &Outcome) -> Markup {
    let program = &a.loaded.program;
    let moved = |before: f64, after: f64| -> String {
        let d = after - before;
        if d.abs() < 0.005 { "no change".to_owned() } else { format!("{d:+.1} working days") }
    };
    html! {
        section aria-labelledby="effect" {
            h2 id="effect" { "The effect" }
            div.table-scroll { table id="what-if" {
                caption { "Each milestone before and after the changes: the scheduled date (as " code { "linchpin schedule" } " gives it), and the forecast's P50 and P80" }
                thead {
                    tr {
                        th scope="col" rowspan="2" { "Milestone" }
                        th scope="colgroup" colspan="3" { "Scheduled" }
                        th scope="colgroup" colspan="2" { "P50" }
                        th scope="colgroup" colspan="2" { "P80" }
                    }
                    tr {
                        th scope="col" { "Before" } th scope="col" { "After" } th scope="col" { "Moves" }
                        th scope="col" { "Before" } th scope="col" { "After" }
                        th scope="col" { "Before" } th scope="col" { "After" }
                    }
                }
                tbody {
                    @for (i, (b, af)) in outcome.before.milestones.iter().zip(&outcome.after.milestones).enumerate() {
                        @let m = MilestoneId::new(i);
                        @let fb = &a.forecast.milestones()[i];
                        @let fa = &outcome.forecast_after.milestones()[i];
                        tr data-milestone=(program.milestone(m).key) {
                            th scope="row" { (program.milestone(m).key) ": " (program.milestone(m).title) }
                            td.word data-field="before" { (b.date) }
                            td.word data-field="after" { (af.date) }
                            td { (moved(b.finish, af.finish)) }
                            td.word { (fb.p50_date) } td.word data-field="p50-after" { (fa.p50_date) }
                            td.word { (fb.p80_date) } td.word data-field="p80-after" { (fa.p80_date) }
                        }
                    }
                    tr data-milestone="end" {
                        th scope="row" { "The end of the program" }
                        td.word data-field="before" { (outcome.before.end_date) }
                        td.word data-field="after" { (outcome.after.end_date) }
                        td { (moved(outcome.before.end, outcome.after.end)) }
                        td.word { (a.forecast.end().p50_date) } td.word { (outcome.forecast_after.end().p50_date) }
                        td.word { (a.forecast.end().p80_date) } td.word { (outcome.forecast_after.end().p80_date) }
                    }
                }
            } }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveForm {
    pub csrf: String,
    pub version: i64,
    #[serde(default)]
    pub estimates: String,
    #[serde(default)]
    pub people: String,
    #[serde(default)]
    pub slips: String,
}

/// Saves a scenario's changes into the plan: each changed item's estimate
/// (and remaining work) and each changed team's people, as the what-if
/// made them, refused when the program moved past the version the
/// scenario was computed on.
pub async fn save(
    State(app): State<Shared>,
    visitor: Visitor,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<SaveForm>,
) -> Result<Response, WebError> {
    visitor.check_csrf(&form.csrf)?;
    let scenario = Scenario { estimates: form.estimates, people: form.people, slips: form.slips };
    let what_ifs = scenario.what_ifs()?;
    write(&app, &visitor.caller, &key, |loaded| {
        if loaded.row.version != form.version {
            return Err(ApiError::Conflict {
                message: format!(
                    "the program changed since the scenario was computed (it is at version {}, the scenario at {}); run the what-if again",
                    loaded.row.version, form.version
                ),
                current: Some(loaded.row.version),
                changes: Vec::new(),
            });
        }
        let program = &loaded.program;
        let changes = what_ifs.changes(program).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if changes.is_empty() {
            return Err(ApiError::BadRequest("the scenario has no changes to save".into()));
        }
        let changed = program.changed(&changes).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        entity_changes(loaded, program, &changed, &changes)
    })
    .await?;
    Ok(see_other(&format!("/p/{}?saved=1", encode(&key))))
}

/// The plan documents the changes touch, as the changed program holds them.
fn entity_changes(
    loaded: &crate::state::Loaded,
    program: &Program,
    changed: &Program,
    changes: &[Change],
) -> Result<Vec<EntityChange>, ApiError> {
    let mut items = BTreeSet::new();
    let mut teams = BTreeSet::new();
    for change in changes {
        match change {
            Change::Estimate { item, .. } | Change::Slip { item, .. } => {
                items.insert(item.index());
            }
            Change::Capacity { team, .. } => {
                teams.insert(team.index());
            }
            Change::Resolve { .. } | Change::NotBefore { .. } => {}
        }
    }
    let mut out = Vec::new();
    for i in items {
        let item = changed.item(ItemId::new(i));
        let e = entity(loaded, Kind::Item, &program.item(ItemId::new(i)).key)?;
        let mut body = e.body.clone();
        if let Some(est) = item.estimate {
            body["estimate"] = if est.optimistic == est.likely && est.likely == est.pessimistic {
                json!(est.likely)
            } else {
                json!([est.optimistic, est.likely, est.pessimistic])
            };
        }
        if let Some(r) = item.remaining {
            body["remaining"] = json!(r);
        }
        out.push(EntityChange::Update { id: e.id.clone(), version: e.version, key: e.key.clone(), body });
    }
    for t in teams {
        let team = changed.team(TeamId::new(t));
        let e = entity(loaded, Kind::Team, &program.team(TeamId::new(t)).key)?;
        let mut body = e.body.clone();
        body["capacity"] = json!(team.capacity);
        if let Value::Object(map) = &mut body {
            if team.capacity_changes.is_empty() {
                map.remove("capacity_changes");
            } else {
                map.insert(
                    "capacity_changes".into(),
                    Value::Array(
                        team.capacity_changes
                            .iter()
                            .map(|c| json!({ "from": c.from.to_string(), "people": c.people }))
                            .collect(),
                    ),
                );
            }
        }
        out.push(EntityChange::Update { id: e.id.clone(), version: e.version, key: e.key.clone(), body });
    }
    Ok(out)
}
