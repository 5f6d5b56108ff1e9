//! A team's page, the lead's: what it owes other teams and when, what it
//! waits on, its load against capacity (the team register of `linchpin
//! report`), and its items with their dates and slack, each a link.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use linchpin_model::ItemId;
use maud::html;

use super::analysed::{Ready, analysed};
use super::layout::{Page, trusted};
use super::program::{computing, item_link, nav, open};
use super::{Visitor, WebError};
use crate::error::ApiError;
use crate::state::App;

pub async fn team_page(
    State(app): State<Arc<App>>,
    visitor: Visitor,
    Path((key, team_key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (_, _, loaded) = open(&app, &visitor, &key).await?;
    let team = loaded.program.keys().teams.get(team_key.as_str()).copied().ok_or(ApiError::NotFound)?;
    let title = loaded.program.team(team).name.clone();
    let a = match analysed(&app, loaded.clone(), super::analysed::PATIENCE).await? {
        Ready::Done(a) => a,
        Ready::Computing => return Ok(computing(&visitor, &loaded, "team", &title)),
    };
    let program = &a.loaded.program;
    let register = a.team_register(team);
    let roadmap = &a.findings.roadmap;
    let items: Vec<ItemId> =
        (0..program.items().len()).map(ItemId::new).filter(|&i| program.item(i).team == team).collect();
    let body = html! {
        h1 { (title) }
        (trusted(register.as_str()))
        section aria-labelledby="team-items" {
            h2 id="team-items" { "Every item of the team, with its dates in the roadmap" }
            div.table-scroll {
                table {
                    thead { tr {
                        th scope="col" { "Item" } th scope="col" { "Title" } th scope="col" { "Status" }
                        th scope="col" { "Start" } th scope="col" { "Finish" } th scope="col" { "Slack (working days)" }
                    } }
                    tbody {
                        @for i in &items {
                            @let item = program.item(*i);
                            @let s = roadmap.item(*i);
                            tr {
                                th scope="row" { (item_link(&key, &item.key)) }
                                td { (item.title) }
                                td { (item.status.as_str().replace('_', " ")) }
                                td.word { (roadmap.start_date(*i)) }
                                td.word { (roadmap.finish_date(*i)) }
                                td.word { @if item.status == linchpin_model::ItemStatus::Done { "done" } @else { (format!("{:.1}", s.least_slack())) @if s.critical { " (critical)" } } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Page { title, visitor: Some(&visitor), program: Some(nav(&loaded, "team")), body, computing: false }
        .into_response())
}
