//! Charts as SVG: plain shapes and text, no script, a colour-blind-safe
//! palette (Okabe and Ito's), and beside each a table saying the same.

use std::fmt::Write as _;

use chrono::NaiveDate;
use linchpin_model::{Health, MilestoneId, TeamId};

use crate::Facts;
use crate::document::{Block, Document};
use crate::health::Assessment;
use crate::register::health_word;
use crate::text::{html, percent, plain};

const GREEN: &str = "#009E73";
const AMBER: &str = "#E69F00";
const RED: &str = "#D55E00";
const BLUE: &str = "#0072B2";
const SKY: &str = "#56B4E9";
const GREY: &str = "#6b6b6b";

fn health_colour(health: Health) -> &'static str {
    match health {
        Health::Green => GREEN,
        Health::Amber => AMBER,
        Health::Red => RED,
    }
}

/// An SVG document being drawn.
struct Svg {
    width: f64,
    height: f64,
    title: String,
    body: String,
}

impl Svg {
    fn new(width: f64, height: f64, title: &str) -> Self {
        Svg { width, height, title: title.to_owned(), body: String::new() }
    }

    fn text(&mut self, x: f64, y: f64, anchor: &str, size: f64, text: &str) {
        let _ = writeln!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"{size}\">{}</text>",
            html(text)
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>",
            w.max(0.5)
        );
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, dash: bool) {
        let dash = if dash { " stroke-dasharray=\"4 3\"" } else { "" };
        let _ = writeln!(
            self.body,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>"
        );
    }

    /// An arrowhead marker `id`, drawn the same size whatever the line's
    /// width.
    fn arrowhead(&mut self, id: &str, size: f64) {
        let _ = writeln!(
            self.body,
            "<defs><marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"{size}\" markerHeight=\"{size}\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333333\"/></marker></defs>"
        );
    }

    /// A labelled box of a graph, centred on `(cx, cy)`.
    fn node(&mut self, (cx, cy): (f64, f64), (w, h): (f64, f64), stroke: &str, label: &str, size: f64) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w}\" height=\"{h}\" rx=\"3\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            cx - w / 2.0,
            cy - h / 2.0
        );
        self.text(cx, cy + size * 0.38, "middle", size, label);
    }

    fn finish(self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"system-ui, sans-serif\">\n<title>{}</title>\n{}</svg>",
            html(&self.title),
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

/// Days from `from` to `date`, for placing dates on an axis.
fn offset(from: NaiveDate, date: NaiveDate) -> f64 {
    (date - from).num_days() as f64
}

/// Each milestone's forecast range (P50 to P80, whisker to P95) against its
/// target, coloured by its health.
pub fn milestone_curves(facts: &Facts, assessment: &Assessment, doc: &mut Document) {
    let program = facts.program;
    let milestones = facts.forecast.milestones();
    if milestones.is_empty() {
        return;
    }
    let dates = milestones
        .iter()
        .flat_map(|t| [t.p10_date, t.p95_date])
        .chain(program.milestones().iter().filter_map(|m| m.target));
    let (first, last) = (dates.clone().min().expect("one"), dates.max().expect("one"));
    let span = offset(first, last).max(1.0);
    // Room for each milestone's id and the start of its title.
    let (left, right, row) = (270.0, 30.0, 26.0);
    let width = 760.0;
    let height = 50.0 + row * milestones.len() as f64;
    let x = |d: NaiveDate| left + (width - left - right) * offset(first, d) / span;
    let mut svg = Svg::new(width, height, "Milestone forecasts: P50 to P80 (bar), to P95 (line), target (mark)");
    svg.text(x(first), 16.0, "start", 11.0, &first.to_string());
    svg.text(x(last), 16.0, "end", 11.0, &last.to_string());
    for (i, t) in milestones.iter().enumerate() {
        let m = MilestoneId::new(i);
        let y = 30.0 + row * i as f64;
        let colour = health_colour(assessment.milestone(m).health);
        let milestone = program.milestone(m);
        let label = format!("{} {}", plain(&milestone.key), crate::text::cut(&milestone.title, 30));
        svg.text(left - 8.0, y + 13.0, "end", 12.0, &label);
        svg.line((x(t.p80_date), y + 9.0), (x(t.p95_date), y + 9.0), colour, false);
        svg.rect(x(t.p50_date), y + 3.0, x(t.p80_date) - x(t.p50_date), 12.0, colour);
        if let Some(target) = program.milestone(m).target {
            svg.line((x(target), y), (x(target), y + 18.0), "#000000", false);
        }
    }
    let rows = milestones
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let m = MilestoneId::new(i);
            vec![
                format!("{} ({})", plain(&program.milestone(m).key), plain(&program.milestone(m).title)),
                program.milestone(m).target.map_or("-".to_owned(), |d| d.to_string()),
                t.p50_date.to_string(),
                t.p80_date.to_string(),
                t.p95_date.to_string(),
                t.probability_on_target.map_or("-".to_owned(), percent),
                health_word(assessment.milestone(m).health).to_owned(),
                {
                    // The dates first, then what holds it, in one phrase.
                    let (dates, acts): (Vec<_>, Vec<_>) = assessment
                        .milestone(m)
                        .reasons
                        .iter()
                        .filter(|r| !r.short.is_empty())
                        .partition(|r| r.about_dates());
                    let mut why: Vec<String> = dates.iter().map(|r| r.short.clone()).collect();
                    // Decisions in one phrase; a blocker's words have a comma
                    // of their own, so each stands alone.
                    let (decisions, others): (Vec<_>, Vec<_>) =
                        acts.into_iter().partition(|r| r.short.starts_with("decision "));
                    if !decisions.is_empty() {
                        why.push(crate::green::acts(&decisions.iter().map(|r| r.short.clone()).collect::<Vec<_>>()));
                    }
                    why.extend(others.iter().map(|r| r.short.clone()));
                    if why.is_empty() { "-".to_owned() } else { why.join("; ") }
                },
            ]
        })
        .collect();
    // The register's milestone table is this chart's table, shown.
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: "Each milestone's forecast: the bar runs from P50 to P80, the line on to P95, the black mark is the target; colour is health.".into(),
        head: ["Milestone", "Target", "P50 (even odds)", "P80 (4 in 5 by then)", "P95", "Chance of target", "Health", "Why"]
            .map(String::from)
            .to_vec(),
        rows,
        open: true,
    });
}

/// The chance each milestone has finished by each day (its S-curve), with
/// its target marked.
pub fn s_curve(facts: &Facts, m: MilestoneId, doc: &mut Document) {
    let program = facts.program;
    let t = &facts.forecast.milestones()[m.index()];
    let Some((&(first, _), &(last, _))) = t.s_curve.first().zip(t.s_curve.last()) else { return };
    let target = program.milestone(m).target;
    let first = target.map_or(first, |d| d.min(first));
    let last = target.map_or(last, |d| d.max(last));
    let span = offset(first, last).max(1.0);
    let (width, height, left, right, top, bottom) = (520.0, 220.0, 40.0, 20.0, 20.0, 40.0);
    let x = |d: NaiveDate| left + (width - left - right) * offset(first, d) / span;
    let y = |share: f64| top + (height - top - bottom) * (1.0 - share);
    let name = plain(&program.milestone(m).key);
    let mut svg = Svg::new(width, height, &format!("{name}: chance of finishing by each date"));
    svg.line((left, y(0.0)), (width - right, y(0.0)), GREY, false);
    svg.line((left, y(0.0)), (left, y(1.0)), GREY, false);
    for share in [0.5, 0.8] {
        svg.line((left, y(share)), (width - right, y(share)), SKY, true);
        svg.text(left - 4.0, y(share) + 4.0, "end", 10.0, &percent(share));
    }
    let points: Vec<String> = t.s_curve.iter().map(|&(d, share)| format!("{:.1},{:.1}", x(d), y(share))).collect();
    let _ = writeln!(
        svg.body,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{BLUE}\" stroke-width=\"2\"/>",
        points.join(" ")
    );
    if let Some(target) = target {
        svg.line((x(target), y(0.0)), (x(target), y(1.0)), "#000000", false);
        // Kept inside the chart when the target is at either edge.
        let label = format!("target {target}");
        let half = 0.3 * 11.0 * label.chars().count() as f64 + 2.0;
        svg.text(x(target).clamp(half, width - half), height - 8.0, "middle", 11.0, &label);
    }
    svg.text(left, height - 24.0, "start", 10.0, &first.to_string());
    svg.text(width - right, height - 24.0, "end", 10.0, &last.to_string());
    let rows = [(0.5, t.p50_date), (0.8, t.p80_date), (0.95, t.p95_date)]
        .into_iter()
        .map(|(share, date)| vec![percent(share), date.to_string()])
        .chain(t.probability_on_target.zip(target).map(|(p, d)| vec![percent(p), format!("{d} (the target)")]))
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: format!("{name}: the share of simulated runs finished by each date; the black line is the target."),
        head: vec!["Chance".into(), "By".into()],
        rows,
        open: false,
    });
}

/// Live risks placed by likelihood and impact, their ids in their cells.
pub fn risk_heat_map(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let live: Vec<_> = program.risks().iter().filter(|r| r.status.is_live()).collect();
    if live.is_empty() {
        return;
    }
    let (cell, left, top) = (92.0, 70.0, 28.0);
    let mut svg = Svg::new(left + 5.0 * cell + 10.0, top + 5.0 * cell + 50.0, "Risk heat map: likelihood by impact");
    for likelihood in 1..=5u8 {
        for impact in 1..=5u8 {
            let score = likelihood * impact;
            let fill = if score >= 15 {
                "#f3b7a0"
            } else if score >= 8 {
                "#f5d9a3"
            } else {
                "#cfe8dc"
            };
            let (cx, cy) = (left + (impact - 1) as f64 * cell, top + (5 - likelihood) as f64 * cell);
            svg.rect(cx, cy, cell - 2.0, cell - 2.0, fill);
            let here: Vec<String> = live
                .iter()
                .filter(|r| r.likelihood == likelihood && r.impact == impact)
                .map(|r| plain(&r.key))
                .collect();
            // Up to four ids a cell, the rest counted.
            for (k, id) in here.iter().take(4).enumerate() {
                svg.text(cx + cell / 2.0, cy + 22.0 + 18.0 * k as f64, "middle", 12.0, id);
            }
            if here.len() > 4 {
                svg.text(cx + cell / 2.0, cy + cell - 8.0, "middle", 10.0, &format!("+{} more", here.len() - 4));
            }
        }
        svg.text(left - 8.0, top + (5 - likelihood) as f64 * cell + cell / 2.0, "end", 12.0, &likelihood.to_string());
    }
    for impact in 1..=5u8 {
        svg.text(
            left + (impact - 1) as f64 * cell + cell / 2.0,
            top + 5.0 * cell + 16.0,
            "middle",
            12.0,
            &impact.to_string(),
        );
    }
    svg.text(left + 2.5 * cell, top + 5.0 * cell + 38.0, "middle", 12.0, "impact");
    // Above the likelihood scale, clear of its numbers.
    svg.text(left - 8.0, top - 6.0, "end", 12.0, "likelihood");
    let rows = live
        .iter()
        .map(|r| {
            let name = format!("{} ({})", plain(&r.key), plain(&r.title));
            vec![name, r.likelihood.to_string(), r.impact.to_string(), r.exposure().to_string()]
        })
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: "Live risks by likelihood (up) and impact (across), 1 to 5 each.".into(),
        head: ["Risk", "Likelihood", "Impact", "Exposure"].map(String::from).to_vec(),
        rows,
        open: false,
    });
}

/// A team's demand against its capacity, week by week.
pub fn team_load(facts: &Facts, team: TeamId, doc: &mut Document) {
    let weeks: Vec<_> = facts.roadmap.utilisation.iter().filter(|w| w.team == team && w.demand > 0.0).collect();
    if weeks.is_empty() {
        return;
    }
    let most = weeks.iter().map(|w| w.demand.max(w.capacity)).fold(1.0, f64::max);
    let (left, bottom, top, bar) = (50.0, 40.0, 20.0, 14.0);
    let width = left + bar * 1.5 * weeks.len() as f64 + 20.0;
    let height = 220.0;
    let y = |v: f64| top + (height - top - bottom) * (1.0 - v / most);
    let name = plain(&facts.program.team(team).key);
    let mut svg = Svg::new(width.max(320.0), height, &format!("{name}: demand against capacity by week (person-days)"));
    for (i, w) in weeks.iter().enumerate() {
        let x = left + bar * 1.5 * i as f64;
        let colour = if w.demand > w.capacity + 1e-9 { RED } else { BLUE };
        svg.rect(x, y(w.demand), bar, y(0.0) - y(w.demand), colour);
        svg.line((x - 2.0, y(w.capacity)), (x + bar + 2.0, y(w.capacity)), "#000000", false);
    }
    svg.text(left - 6.0, y(most) + 4.0, "end", 10.0, &format!("{most:.0}"));
    svg.text(left - 6.0, y(0.0) + 4.0, "end", 10.0, "0");
    svg.text(left, height - 12.0, "start", 10.0, &weeks[0].week.to_string());
    let rows = weeks
        .iter()
        .map(|w| {
            let load = if w.load().is_finite() { format!("{:.0} %", 100.0 * w.load()) } else { "no capacity".into() };
            vec![w.week.to_string(), format!("{:.1}", w.demand), format!("{:.1}", w.capacity), load]
        })
        .collect();
    doc.heading(2, "Load against capacity by week");
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: format!("{name}'s work each week (bars; red above capacity) against its people (black marks)."),
        head: ["Week of", "Demand (person-days)", "Capacity", "Load"].map(String::from).to_vec(),
        rows,
        open: false,
    });
}

/// At most this many items are drawn a bar each; a larger program is
/// rolled up to a bar per team and group, and says so.
pub const MOST_GANTT_ROWS: usize = 60;

/// The roadmap: teams as swimlanes, a bar per item (the critical path in
/// vermillion, done work grey), or a bar per team and group on a large
/// program; milestones below with their P50 (filled), P80 (tick) and target
/// (outline).
pub fn gantt(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    if program.items().is_empty() {
        return;
    }
    let critical: std::collections::HashSet<usize> = roadmap.critical_path.iter().map(|i| i.index()).collect();
    // Rows: (lane, label, start, finish, colour), lanes in team order.
    struct Row {
        team: usize,
        label: String,
        start: NaiveDate,
        finish: NaiveDate,
        colour: &'static str,
    }
    let rolled = program.items().len() > MOST_GANTT_ROWS;
    let mut rows: Vec<Row> = Vec::new();
    if rolled {
        // Per team and group: first start, last finish, items, on the path.
        type Span = (NaiveDate, NaiveDate, usize, bool);
        let mut spans: std::collections::BTreeMap<(usize, Option<usize>), Span> = Default::default();
        for (i, item) in program.items().iter().enumerate() {
            let id = linchpin_model::ItemId::new(i);
            let (s, f) = (roadmap.start_date(id), roadmap.finish_date(id));
            let entry = spans.entry((item.team.index(), item.group.map(|g| g.index()))).or_insert((s, f, 0, false));
            entry.0 = entry.0.min(s);
            entry.1 = entry.1.max(f);
            entry.2 += 1;
            entry.3 |= critical.contains(&i);
        }
        for ((team, group), (start, finish, count, on_path)) in spans {
            let group = group.map_or("other work".to_owned(), |g| plain(&program.groups()[g].key));
            let label = format!("{group} ({count})");
            rows.push(Row { team, label, start, finish, colour: if on_path { RED } else { BLUE } });
        }
    } else {
        let mut order: Vec<usize> = (0..program.items().len()).collect();
        order.sort_by(|&a, &b| {
            let (ia, ib) = (linchpin_model::ItemId::new(a), linchpin_model::ItemId::new(b));
            (program.items()[a].team.index(), roadmap.item(ia).start)
                .partial_cmp(&(program.items()[b].team.index(), roadmap.item(ib).start))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        });
        for i in order {
            let id = linchpin_model::ItemId::new(i);
            let item = &program.items()[i];
            let colour = if item.status == linchpin_model::ItemStatus::Done {
                GREY
            } else if critical.contains(&i) {
                RED
            } else {
                BLUE
            };
            rows.push(Row {
                team: item.team.index(),
                label: plain(&item.key),
                start: roadmap.start_date(id),
                finish: roadmap.finish_date(id),
                colour,
            });
        }
    }
    let milestones = facts.forecast.milestones();
    let dates = rows
        .iter()
        .flat_map(|r| [r.start, r.finish])
        .chain(milestones.iter().flat_map(|t| [t.p50_date, t.p80_date]))
        .chain(program.milestones().iter().filter_map(|m| m.target));
    let (first, last) = (dates.clone().min().expect("rows"), dates.max().expect("rows"));
    let span = offset(first, last).max(1.0) + 1.0;
    let (width, left, right, top, row) = (900.0, 170.0, 20.0, 30.0, 14.0);
    let lanes = program.teams().len();
    let height = top + row * (rows.len() + lanes) as f64 + 20.0 + row * 1.4 * milestones.len() as f64 + 10.0;
    let x = |d: NaiveDate| left + (width - left - right) * offset(first, d) / span;
    let title = if rolled {
        format!("Roadmap rolled up: {} items as {} bars, by team and group", program.items().len(), rows.len())
    } else {
        "Roadmap by team: the critical path in vermillion, done work grey".to_owned()
    };
    let mut svg = Svg::new(width, height, &title);
    // Month ticks along the top.
    let mut month =
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&first), chrono::Datelike::month(&first), 1).expect("month");
    let mut labelled = f64::NEG_INFINITY;
    while month <= last {
        if month >= first {
            let at = x(month);
            svg.line((at, top - 6.0), (at, height - 10.0), "#e2e2e2", false);
            if at - labelled > 48.0 {
                svg.text(at + 2.0, top - 10.0, "start", 10.0, &month.format("%Y-%m").to_string());
                labelled = at;
            }
        }
        let (y, m) = (chrono::Datelike::year(&month), chrono::Datelike::month(&month));
        month = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }
            .expect("month");
    }
    let mut y = top;
    let mut lane = usize::MAX;
    for r in &rows {
        if r.team != lane {
            lane = r.team;
            svg.text(4.0, y + 11.0, "start", 11.0, &plain(&program.teams()[lane].key));
            y += row;
        }
        svg.text(left - 6.0, y + 10.5, "end", 10.0, &r.label);
        let end = x(r.finish.succ_opt().unwrap_or(r.finish));
        svg.rect(x(r.start), y + 2.0, end - x(r.start), row - 4.0, r.colour);
        y += row;
    }
    y += 10.0;
    for (i, t) in milestones.iter().enumerate() {
        let m = MilestoneId::new(i);
        let cy = y + row * 0.7;
        svg.text(left - 6.0, cy + 4.0, "end", 10.0, &plain(&program.milestone(m).key));
        let diamond = |at: f64, fill: &str| {
            format!(
                "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{fill}\" stroke=\"#000000\"/>\n",
                at,
                cy - 5.0,
                at + 5.0,
                cy,
                at,
                cy + 5.0,
                at - 5.0,
                cy
            )
        };
        svg.line((x(t.p50_date), cy), (x(t.p80_date), cy), GREY, false);
        svg.line((x(t.p80_date), cy - 5.0), (x(t.p80_date), cy + 5.0), "#000000", false);
        if let Some(target) = program.milestone(m).target {
            svg.body.push_str(&diamond(x(target), "#ffffff"));
        }
        svg.body.push_str(&diamond(x(t.p50_date), BLUE));
        y += row * 1.4;
    }
    let table = rows
        .iter()
        .map(|r| {
            vec![
                plain(&program.teams()[r.team].key),
                r.label.clone(),
                r.start.to_string(),
                r.finish.to_string(),
                if r.colour == RED { "yes".to_owned() } else { String::new() },
            ]
        })
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: format!("{title}. Milestones below: P50 (filled diamond) to P80 (tick), target (open diamond)."),
        head: ["Team", if rolled { "Group (items)" } else { "Item" }, "Start", "Finish", "Critical path"]
            .map(String::from)
            .to_vec(),
        rows: table,
        open: false,
    });
}

/// Teams and the open hand-offs between them: an arrow from the team that
/// delivers to the team that waits, as thick as the number of links, in
/// vermillion where any of them is fragile (the upstream item has at most
/// `fragile_slack_days` of slack). Teams sit in layers, each after the
/// teams it waits on (cycles broken where a depth-first walk finds them),
/// ordered within a layer by the mean place of their neighbours, the usual
/// way to keep a layered drawing's crossings few.
pub fn team_map(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let teams = program.teams().len();
    let fragile = program.thresholds().fragile_slack_days;
    // (from, to) → (links, fragile links).
    let mut edges: std::collections::BTreeMap<(usize, usize), (usize, usize)> = Default::default();
    for item in program.items() {
        if item.status == linchpin_model::ItemStatus::Done {
            continue;
        }
        for d in &item.depends {
            let up = program.item(d.on);
            if up.team == item.team || up.status == linchpin_model::ItemStatus::Done {
                continue;
            }
            let entry = edges.entry((up.team.index(), item.team.index())).or_default();
            entry.0 += 1;
            // Fragile as the findings judge it: by the least slack, to the
            // end or to a milestone the upstream item feeds.
            entry.1 += usize::from(roadmap.item(d.on).least_slack() <= fragile + 1e-9);
        }
    }
    if edges.is_empty() {
        return;
    }
    // Layers: longest path over the edges a depth-first walk keeps forward.
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); teams];
    for &(a, b) in edges.keys() {
        out[a].push(b);
    }
    let mut state = vec![0u8; teams];
    let mut forward: Vec<(usize, usize)> = Vec::new();
    fn walk(v: usize, out: &[Vec<usize>], state: &mut [u8], forward: &mut Vec<(usize, usize)>) {
        state[v] = 1;
        for &w in &out[v] {
            match state[w] {
                0 => {
                    forward.push((v, w));
                    walk(w, out, state, forward);
                }
                2 => forward.push((v, w)),
                _ => {} // back edge: a cycle, not used for layering
            }
        }
        state[v] = 2;
    }
    for v in 0..teams {
        if state[v] == 0 {
            walk(v, &out, &mut state, &mut forward);
        }
    }
    let mut layer = vec![0usize; teams];
    for _ in 0..teams {
        let mut moved = false;
        for &(a, b) in &forward {
            if layer[b] < layer[a] + 1 {
                layer[b] = layer[a] + 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let depth = layer.iter().max().copied().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for t in 0..teams {
        layers[layer[t]].push(t);
    }
    // Order within layers by the barycentre of neighbours, a few sweeps.
    let mut place = vec![0.0f64; teams];
    for ts in &layers {
        for (k, &t) in ts.iter().enumerate() {
            place[t] = k as f64;
        }
    }
    for _ in 0..4 {
        for ts in layers.iter_mut() {
            let centre = |t: usize| {
                let near: Vec<f64> = edges
                    .keys()
                    .filter(|&&(a, b)| a == t || b == t)
                    .map(|&(a, b)| place[if a == t { b } else { a }])
                    .collect();
                if near.is_empty() { place[t] } else { near.iter().sum::<f64>() / near.len() as f64 }
            };
            ts.sort_by(|&a, &b| centre(a).total_cmp(&centre(b)).then(a.cmp(&b)));
            for (k, &t) in ts.iter().enumerate() {
                place[t] = k as f64;
            }
        }
    }
    let widest = layers.iter().map(Vec::len).max().unwrap_or(1);
    let (col, rowh, box_w, box_h) = (190.0, 60.0, 150.0, 26.0);
    let width = 20.0 + col * depth as f64;
    let height = 30.0 + rowh * widest as f64;
    let centre_of = |t: usize| (20.0 + col * layer[t] as f64 + box_w / 2.0, 20.0 + rowh * place[t] + box_h / 2.0);
    let mut svg = Svg::new(width, height, "Hand-offs between teams: who delivers to whom, fragile ones in vermillion");
    svg.arrowhead("arrow", 9.0);
    for (&(a, b), &(links, weak)) in &edges {
        let ((x1, y1), (x2, y2)) = (centre_of(a), centre_of(b));
        let (x1, x2) = if layer[b] > layer[a] { (x1 + box_w / 2.0, x2 - box_w / 2.0) } else { (x1, x2) };
        let colour = if weak > 0 { RED } else { GREY };
        let thickness = 1.0 + (links as f64).sqrt();
        let _ = writeln!(
            svg.body,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{colour}\" stroke-width=\"{thickness:.1}\" marker-end=\"url(#arrow)\" opacity=\"0.8\"/>"
        );
    }
    for t in 0..teams {
        if !edges.keys().any(|&(a, b)| a == t || b == t) {
            continue;
        }
        let name: String = plain(&program.teams()[t].key).chars().take(20).collect();
        svg.node(centre_of(t), (box_w, box_h), BLUE, &name, 12.0);
    }
    let rows = edges
        .iter()
        .map(|(&(a, b), &(links, weak))| {
            vec![plain(&program.teams()[a].key), plain(&program.teams()[b].key), links.to_string(), weak.to_string()]
        })
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: "Open hand-offs between teams: an arrow from the team that delivers to the team that waits, thicker for more links, vermillion where one is fragile.".into(),
        head: ["From", "To", "Links", "Fragile"].map(String::from).to_vec(),
        rows,
        open: false,
    });
}

/// One version of the plan and its milestones' forecast, for the trend.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// How the version is named: a short commit and its date, or `now`.
    pub label: String,
    /// Per milestone key: its P50 and P80.
    pub milestones: Vec<(String, NaiveDate, NaiveDate)>,
}

const LINES: [&str; 8] = [BLUE, "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"];

/// Milestone trend analysis: each milestone's P80 (solid) across the plan's
/// versions, oldest first, so a date that keeps slipping shows as a line
/// climbing. At most eight milestones, the first in the plan.
pub fn milestone_trend(facts: &Facts, versions: &[Version], doc: &mut Document) {
    let program = facts.program;
    if versions.len() < 2 {
        return;
    }
    let keys: Vec<String> = program.milestones().iter().take(LINES.len()).map(|m| m.key.clone()).collect();
    let at = |v: &Version, key: &str| v.milestones.iter().find(|(k, _, _)| k == key).map(|&(_, p50, p80)| (p50, p80));
    let dates = versions.iter().flat_map(|v| keys.iter().filter_map(move |k| at(v, k))).flat_map(|(a, b)| [a, b]);
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else { return };
    let span = offset(first, last).max(1.0);
    // The legend on the right names each line by key and the start of its title.
    let (width, height, left, right, top, bottom) = (760.0, 300.0, 80.0, 230.0, 20.0, 50.0);
    let x = |i: usize| left + (width - left - right) * i as f64 / (versions.len() - 1) as f64;
    let y = |d: NaiveDate| top + (height - top - bottom) * (1.0 - offset(first, d) / span);
    let mut svg = Svg::new(width, height, "Milestone trend: each milestone's P80 in each version of the plan");
    svg.text(left - 6.0, y(last) + 4.0, "end", 10.0, &last.to_string());
    svg.text(left - 6.0, y(first) + 4.0, "end", 10.0, &first.to_string());
    for (i, v) in versions.iter().enumerate() {
        svg.line((x(i), top), (x(i), height - bottom), "#e2e2e2", false);
        let label: String = v.label.chars().take(18).collect();
        svg.text(x(i), height - bottom + 16.0 + 12.0 * (i % 2) as f64, "middle", 10.0, &label);
    }
    for (k, key) in keys.iter().enumerate() {
        let colour = LINES[k % LINES.len()];
        let points: Vec<String> = versions
            .iter()
            .enumerate()
            .filter_map(|(i, v)| at(v, key).map(|(_, p80)| format!("{:.1},{:.1}", x(i), y(p80))))
            .collect();
        if points.is_empty() {
            continue;
        }
        let _ = writeln!(
            svg.body,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            points.join(" ")
        );
        svg.rect(width - right + 12.0, top + 16.0 * k as f64, 10.0, 10.0, colour);
        let title = program.milestones().iter().find(|m| &m.key == key).map_or("", |m| m.title.as_str());
        let label = format!("{} {}", plain(key), crate::text::cut(title, 24));
        svg.text(width - right + 28.0, top + 16.0 * k as f64 + 9.0, "start", 11.0, &label);
    }
    let mut head = vec!["Version".to_owned()];
    head.extend(keys.iter().map(|k| format!("{} P80", plain(k))));
    let rows = versions
        .iter()
        .map(|v| {
            let mut row = vec![plain(&v.label)];
            row.extend(keys.iter().map(|k| at(v, k).map_or("-".to_owned(), |(_, p80)| p80.to_string())));
            row
        })
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: "Milestone trend: each milestone's P80 in each version of the plan, oldest first; a line that climbs is a date that keeps slipping.".into(),
        head,
        rows,
        open: false,
    });
}

/// At most this many items around the critical path are drawn.
pub const MOST_MAP_ITEMS: usize = 40;

/// The work around the critical path: its items in a row (vermillion),
/// with the unfinished items that feed them or wait on them above and
/// below, each a column after everything it waits on among those drawn.
pub fn critical_path_map(facts: &Facts, doc: &mut Document) {
    let program = facts.program;
    let roadmap = facts.roadmap;
    let path: Vec<usize> = roadmap.critical_path.iter().map(|i| i.index()).collect();
    if path.len() < 2 {
        return;
    }
    let open = |i: usize| program.items()[i].status != linchpin_model::ItemStatus::Done;
    let mut chosen: Vec<usize> = path.clone();
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); program.items().len()];
    for (i, item) in program.items().iter().enumerate() {
        for d in &item.depends {
            successors[d.on.index()].push(i);
        }
    }
    'more: for &p in &path {
        let near = program.items()[p].depends.iter().map(|d| d.on.index()).chain(successors[p].iter().copied());
        for n in near {
            if chosen.len() >= MOST_MAP_ITEMS {
                break 'more;
            }
            if open(n) && !chosen.contains(&n) {
                chosen.push(n);
            }
        }
    }
    let on_path: std::collections::HashSet<usize> = path.iter().copied().collect();
    let inside: std::collections::HashSet<usize> = chosen.iter().copied().collect();
    // Columns: the longest chain before each item of drawn links and of
    // the critical path's own steps (two of which may follow each other
    // for want of people rather than by a link), relaxed to a fixed point:
    // both follow the schedule's time order, so there is no cycle.
    let mut before: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for &i in &chosen {
        let links = program.items()[i].depends.iter().map(|d| d.on.index()).filter(|p| inside.contains(p));
        before.entry(i).or_default().extend(links);
    }
    for pair in path.windows(2) {
        before.entry(pair[1]).or_default().push(pair[0]);
    }
    let mut column: std::collections::HashMap<usize, usize> = chosen.iter().map(|&i| (i, 0)).collect();
    for _ in 0..=chosen.len() {
        let mut moved = false;
        for &i in &chosen {
            let c = before.get(&i).into_iter().flatten().map(|p| column[p] + 1).max().unwrap_or(0);
            if c > column[&i] {
                column.insert(i, c);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // Work that only feeds the drawing sits just before what it feeds, not
    // at the far left.
    for &n in chosen.iter().filter(|n| !on_path.contains(n)) {
        let fed_by_drawn = program.items()[n].depends.iter().any(|d| inside.contains(&d.on.index()));
        let next = successors[n].iter().filter_map(|s| column.get(s)).min().copied();
        if let (false, Some(next)) = (fed_by_drawn, next) {
            column.insert(n, next.saturating_sub(1));
        }
    }
    // Rows: the path on row 0; in each column the others above and below
    // it in the order of the mean row of their drawn neighbours, swept left
    // to right and back a few times (the barycentre heuristic, which keeps
    // a layered drawing's crossings few).
    let mut row: std::collections::HashMap<usize, f64> = path.iter().map(|&p| (p, 0.0)).collect();
    let mut neighbours: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for &i in &chosen {
        for d in &program.items()[i].depends {
            let p = d.on.index();
            if inside.contains(&p) {
                neighbours.entry(i).or_default().push(p);
                neighbours.entry(p).or_default().push(i);
            }
        }
    }
    let columns = column.values().max().copied().unwrap_or(0) + 1;
    let mut by_column: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for &n in chosen.iter().filter(|n| !on_path.contains(n)) {
        by_column[column[&n]].push(n);
    }
    let sweeps: Vec<usize> = (0..columns).chain((0..columns).rev()).collect();
    for _ in 0..3 {
        for &c in &sweeps {
            let items = &mut by_column[c];
            if items.is_empty() {
                continue;
            }
            let centre = |n: usize| {
                let near: Vec<f64> =
                    neighbours.get(&n).into_iter().flatten().filter_map(|m| row.get(m).copied()).collect();
                if near.is_empty() {
                    row.get(&n).copied().unwrap_or(0.0)
                } else {
                    near.iter().sum::<f64>() / near.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = items.iter().map(|&n| (centre(n), n)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            // The first `above` go above the path, nearest it last: the
            // split that puts each nearest its neighbours, the more even
            // split on a tie.
            let m = keyed.len();
            let place =
                |above: usize, k: usize| if k < above { k as f64 - above as f64 } else { (k - above + 1) as f64 };
            let cost = |above: usize| -> (f64, usize) {
                let off: f64 = keyed.iter().enumerate().map(|(k, &(want, _))| (place(above, k) - want).abs()).sum();
                (off, (2 * above).abs_diff(m))
            };
            let above =
                (0..=m).min_by(|&a, &b| cost(a).0.total_cmp(&cost(b).0).then(cost(a).1.cmp(&cost(b).1))).unwrap_or(0);
            *items = keyed.iter().map(|&(_, n)| n).collect();
            for (k, &(_, n)) in keyed.iter().enumerate() {
                row.insert(n, place(above, k));
            }
        }
    }
    let row: std::collections::HashMap<usize, i32> = row.into_iter().map(|(i, r)| (i, r as i32)).collect();
    let (top_row, bottom_row) = (row.values().min().copied().unwrap_or(0), row.values().max().copied().unwrap_or(0));
    let (col_w, row_h, box_w, box_h) = (96.0, 40.0, 80.0, 22.0);
    let width = 20.0 + col_w * columns as f64;
    let height = 20.0 + row_h * (bottom_row - top_row + 1) as f64;
    let centre = |i: usize| {
        (20.0 + col_w * column[&i] as f64 + box_w / 2.0, 10.0 + row_h * (row[&i] - top_row) as f64 + box_h / 2.0)
    };
    let mut svg = Svg::new(width, height, "The work around the critical path");
    svg.arrowhead("tip", 8.0);
    let mut links = Vec::new();
    for &i in &chosen {
        for d in &program.items()[i].depends {
            let p = d.on.index();
            if !inside.contains(&p) {
                continue;
            }
            let ((x1, y1), (x2, y2)) = (centre(p), centre(i));
            let critical = on_path.contains(&p) && on_path.contains(&i);
            let colour = if critical { RED } else { GREY };
            let _ = writeln!(
                svg.body,
                "<line x1=\"{:.1}\" y1=\"{y1:.1}\" x2=\"{:.1}\" y2=\"{y2:.1}\" stroke=\"{colour}\" stroke-width=\"{}\" marker-end=\"url(#tip)\"/>",
                x1 + box_w / 2.0,
                x2 - box_w / 2.0,
                if critical { 2.5 } else { 1.2 }
            );
            links.push((p, i, critical));
        }
    }
    for &i in &chosen {
        let stroke = if on_path.contains(&i) { RED } else { BLUE };
        let key: String = plain(&program.items()[i].key).chars().take(11).collect();
        svg.node(centre(i), (box_w, box_h), stroke, &key, 11.0);
    }
    let rows = links
        .iter()
        .map(|&(p, i, critical)| {
            let name = |j: usize| format!("{} ({})", plain(&program.items()[j].key), plain(&program.items()[j].title));
            vec![name(p), name(i), if critical { "yes".to_owned() } else { String::new() }]
        })
        .collect();
    doc.blocks.push(Block::Chart {
        svg: svg.finish(),
        caption: "The critical path (vermillion) and the unfinished work that feeds it or waits on it, each item a column after what it waits on.".into(),
        head: ["From", "To", "On the critical path"].map(String::from).to_vec(),
        rows,
        open: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The charts `draw` adds for the plan in `text`.
    fn charts(text: &str, draw: fn(&Facts, &mut Document)) -> Vec<String> {
        let analysed = crate::testing::Analysed::new(text);
        let facts = analysed.facts();
        let mut doc = Document::default();
        draw(&facts, &mut doc);
        doc.charts().map(str::to_owned).collect()
    }

    /// The pairs of the drawing's lines that cross (not where they meet).
    fn crossings(svg: &str) -> usize {
        let number = |tag: &str, name: &str| -> f64 {
            let key = format!(" {name}=\"");
            tag.split_once(&key)
                .and_then(|(_, rest)| rest.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let lines: Vec<[f64; 4]> = svg
            .split("<line ")
            .skip(1)
            .map(|tag| {
                let tag = format!(" {}", tag.split('>').next().unwrap_or(""));
                [number(&tag, "x1"), number(&tag, "y1"), number(&tag, "x2"), number(&tag, "y2")]
            })
            .collect();
        let side = |a: [f64; 4], x: f64, y: f64| ((a[2] - a[0]) * (y - a[1]) - (a[3] - a[1]) * (x - a[0])).signum();
        let mut count = 0;
        for (i, &a) in lines.iter().enumerate() {
            for &b in &lines[i + 1..] {
                let apart = |a: [f64; 4], b: [f64; 4]| side(a, b[0], b[1]) * side(a, b[2], b[3]) >= 0.0;
                if !apart(a, b) && !apart(b, a) {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn critical_items_that_follow_for_want_of_people_get_columns_of_their_own() {
        // One person does A, then B: the critical path, with no link
        // between them. C waits on A on another team.
        let text = "program: { name: T, start: 2027-01-04 }\nteams: [{ id: core, capacity: 1 }, { id: other, capacity: 1 }]\nitems:\n\
                    \x20 - { id: A, title: a, team: core, estimate: 5 }\n\
                    \x20 - { id: B, title: b, team: core, estimate: 5 }\n\
                    \x20 - { id: C, title: c, team: other, estimate: 2, depends: [A] }\n";
        let svg = charts(text, critical_path_map);
        assert_eq!(svg.len(), 1);
        let boxes: Vec<&str> = svg[0].split("<rect ").skip(1).map(|r| r.split(" width").next().unwrap_or("")).collect();
        let mut unique = boxes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), boxes.len(), "two boxes in one place: {}", svg[0]);
    }

    #[test]
    fn the_work_around_the_critical_path_is_drawn_without_needless_crossings() {
        // P1 → P2 → P3 is the critical path; A → Z and B → W run beside
        // P2. P1 feeds B before A but P3 waits on Z before W, so rows given
        // in the order the work is met cross A → Z with B → W.
        let text = "program: { name: T, start: 2027-01-04 }\nteams: [{ id: t, capacity: 9 }]\nitems:\n\
                    \x20 - { id: P1, title: p1, team: t, estimate: 5 }\n\
                    \x20 - { id: P2, title: p2, team: t, estimate: 20, depends: [P1] }\n\
                    \x20 - { id: B, title: b, team: t, estimate: 2, depends: [P1] }\n\
                    \x20 - { id: A, title: a, team: t, estimate: 2, depends: [P1] }\n\
                    \x20 - { id: W, title: w, team: t, estimate: 2, depends: [B] }\n\
                    \x20 - { id: Z, title: z, team: t, estimate: 2, depends: [A] }\n\
                    \x20 - { id: P3, title: p3, team: t, estimate: 5, depends: [P2, Z, W] }\n";
        let svg = charts(text, critical_path_map);
        assert_eq!(svg.len(), 1);
        assert_eq!(crossings(&svg[0]), 0, "{}", svg[0]);
    }
}
