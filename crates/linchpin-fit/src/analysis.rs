//! A resume against the model: each skill scored from its evidence, the
//! likely background and its transition advice, the fit to each role, the
//! gaps to close, and the years the resume's roles span.

use serde::Serialize;

use crate::evidence::{Discount, Kind, Read, read_bounded};
use crate::model::{Model, SkillKind};
use crate::scale::Signal;

/// The most quotes shown for one skill; the rest are counted.
pub const MOST_QUOTES: usize = 4;
/// The most quotes shown for a background.
pub const MOST_BACKGROUND_QUOTES: usize = 4;
/// The least score a background needs to be named (a title line counts 3,
/// a title in a sentence 2, a signal 1).
pub const LEAST_BACKGROUND_SCORE: u32 = 3;

/// A quoted sentence: exactly the text between `start` and `end` (byte
/// offsets) of the document read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quote {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Quote {
    pub fn of(read: &Read, text: &str) -> Quote {
        let s = &read.sentence;
        Quote { text: s.text(text).to_owned(), start: s.start, end: s.end }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub quote: Quote,
    pub kind: Kind,
    pub level: u8,
    /// The term of the model that matched.
    pub term: String,
    pub signals: Vec<Signal>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    None,
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkillScore {
    pub id: String,
    pub name: String,
    pub kind: SkillKind,
    /// 0 (no evidence) to 4.
    pub level: u8,
    pub level_name: String,
    /// What the level means for this skill, from the model.
    pub meaning: String,
    pub confidence: Confidence,
    /// The strongest evidence, at most [`MOST_QUOTES`].
    pub evidence: Vec<Evidence>,
    /// How many sentences are evidence in all.
    pub evidence_count: usize,
}

/// A mention that is not evidence, and why.
#[derive(Clone, Debug, Serialize)]
pub struct SetAside {
    pub skill: String,
    pub quote: Quote,
    pub why: Discount,
}

#[derive(Clone, Debug, Serialize)]
pub struct BackgroundFit {
    /// A background's id, or `other`.
    pub id: String,
    pub name: String,
    /// The sentences that show it.
    pub evidence: Vec<Quote>,
    /// The points each background scored, best first (zeros left out).
    pub scores: Vec<(String, u32)>,
    pub has: String,
    pub lacks: String,
    pub advice: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleFit {
    pub id: String,
    pub name: String,
    /// 0 to 1: the weighted share of the role's needs the evidence meets.
    pub fit: f64,
    /// The needs met in full.
    pub met: usize,
    pub needs: usize,
    /// The skills furthest short, heaviest first.
    pub short: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Gap {
    pub skill: String,
    pub name: String,
    pub weight: u8,
    pub have: u8,
    pub need: u8,
    /// Concrete ways to close it, from the model.
    pub ways: Vec<String>,
}

/// Years of work the resume's date ranges cover (overlaps counted once).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Years {
    pub years: u32,
    pub first: i32,
    pub last: i32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub skills: Vec<SkillScore>,
    pub background: BackgroundFit,
    /// Every role of the model, in the model's order; the first is the target.
    pub roles: Vec<RoleFit>,
    /// The id of the role the resume fits best; `None` when it fits none
    /// at all.
    pub best_role: Option<String>,
    /// The gaps against the target role, heaviest first.
    pub gaps: Vec<Gap>,
    pub set_aside: Vec<SetAside>,
    pub years: Option<Years>,
    /// Whether the resume was not read whole: it held more sentences than
    /// are read ([`crate::sentences::MAX_SENTENCES`]), or (set by whoever
    /// extracted it) its text was cut at the most kept. The rest is not
    /// analysed, and the output says so.
    pub cut: bool,
}

/// What the analysis needs beyond the text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// The year "present" means in a date range; without it, such a range
    /// ends at the latest year the resume names.
    pub this_year: Option<i32>,
}

/// Analyses a resume's text.
pub fn analyse(model: &Model, text: &str, options: Options) -> Analysis {
    let (reads, cut) = read_bounded(model, text);
    let (skills, set_aside) = score_skills(model, text, &reads);
    let background = background(model, text, &reads, options);
    let roles: Vec<RoleFit> = model.roles.iter().map(|role| role_fit(model, role, &skills)).collect();
    let best_role = roles
        .iter()
        .enumerate()
        .filter(|(_, r)| r.fit > 0.0)
        .max_by(|(i, a), (j, b)| a.fit.total_cmp(&b.fit).then(j.cmp(i)))
        .map(|(_, r)| r.id.clone());
    let gaps = gaps(model, &skills);
    let years = years(text, options);
    Analysis { skills, background, roles, best_role, gaps, set_aside, years, cut }
}

fn score_skills(model: &Model, text: &str, reads: &[Read]) -> (Vec<SkillScore>, Vec<SetAside>) {
    let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); model.skills.len()];
    let mut set_aside = Vec::new();
    for read in reads {
        for mention in &read.mentions {
            match mention.discount {
                Some(why) => set_aside.push(SetAside {
                    skill: model.skills[mention.skill].id.clone(),
                    quote: Quote::of(read, text),
                    why,
                }),
                None => evidence[mention.skill].push(Evidence {
                    quote: Quote::of(read, text),
                    kind: read.kind,
                    level: mention.level,
                    term: mention.term.clone(),
                    signals: read.signals.clone(),
                }),
            }
        }
    }
    let skills = model
        .skills
        .iter()
        .zip(evidence)
        .map(|(skill, mut found)| {
            let level = found.iter().map(|e| e.level).max().unwrap_or(0);
            let work = found.iter().filter(|e| e.kind >= Kind::Statement).count();
            let actions = found.iter().filter(|e| e.kind == Kind::Action).count();
            let confidence = match (found.len(), work, actions) {
                (0, _, _) => Confidence::None,
                (_, w, a) if a >= 1 && w >= 2 => Confidence::High,
                (_, w, a) if a >= 1 || w >= 2 => Confidence::Medium,
                _ => Confidence::Low,
            };
            let count = found.len();
            // Strongest first: level, then how it is shown, then order in the text.
            found.sort_by(|a, b| {
                b.level.cmp(&a.level).then(b.kind.cmp(&a.kind)).then(a.quote.start.cmp(&b.quote.start))
            });
            found.truncate(MOST_QUOTES);
            let (level_name, meaning) = match level {
                0 => ("none".to_owned(), "No evidence in the resume.".to_owned()),
                n => (model.levels[usize::from(n) - 1].name.clone(), skill.levels[usize::from(n) - 1].clone()),
            };
            SkillScore {
                id: skill.id.clone(),
                name: skill.name.clone(),
                kind: skill.kind,
                level,
                level_name,
                meaning,
                confidence,
                evidence: found,
                evidence_count: count,
            }
        })
        .collect();
    (skills, set_aside)
}

fn background(model: &Model, text: &str, reads: &[Read], options: Options) -> BackgroundFit {
    let mut scores: Vec<(u32, Vec<(u32, Quote)>)> = vec![(0, Vec::new()); model.backgrounds.len()];
    // For a tie: the latest year each background's job titles were held
    // to, and for how many years in all.
    let mut held: Vec<(i32, i32)> = vec![(0, 0); model.backgrounds.len()];
    let present = options.this_year.or_else(|| latest_year(text)).unwrap_or(0);
    for (r, read) in reads.iter().enumerate() {
        let tokens = &read.sentence.tokens;
        for (b, background) in model.backgrounds.iter().enumerate() {
            let title = background.titles.iter().find_map(|t| t.find_exactly(tokens));
            let signal = background.signals.iter().find_map(|t| t.find(tokens));
            let points = match (title, signal) {
                (Some(at), _) if !read.discounted_at(text, at) => {
                    if read.kind == Kind::Title {
                        3
                    } else {
                        2
                    }
                }
                (_, Some(at)) if !read.discounted_at(text, at) => 1,
                _ => 0,
            };
            if points == 3 {
                // The title line's dates, or the next line's ("Acme\n2018 – 2024").
                let line = read.sentence.text(text);
                let mut ranges = date_ranges(line, present);
                if ranges.is_empty()
                    && let Some(next) = reads.get(r + 1)
                {
                    ranges = date_ranges(next.sentence.text(text), present);
                }
                for (from, to) in ranges {
                    held[b].0 = held[b].0.max(to);
                    held[b].1 += to - from;
                }
            }
            if points > 0 {
                scores[b].0 += points;
                scores[b].1.push((points, Quote::of(read, text)));
            }
        }
    }
    let best = scores
        .iter()
        .enumerate()
        // A tie goes to the most recent title, then the longest held.
        .max_by(|(i, a), (j, b)| a.0.cmp(&b.0).then(held[*i].cmp(&held[*j])).then(j.cmp(i)))
        .filter(|(_, s)| s.0 >= LEAST_BACKGROUND_SCORE)
        .map(|(i, _)| i);
    let mut ranked: Vec<(String, u32)> =
        model.backgrounds.iter().zip(&scores).filter(|(_, s)| s.0 > 0).map(|(b, s)| (b.id.clone(), s.0)).collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    match best {
        Some(i) => {
            let b = &model.backgrounds[i];
            let mut quotes = scores[i].1.clone();
            quotes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
            BackgroundFit {
                id: b.id.clone(),
                name: b.name.clone(),
                evidence: quotes.into_iter().take(MOST_BACKGROUND_QUOTES).map(|(_, q)| q).collect(),
                scores: ranked,
                has: b.has.clone(),
                lacks: b.lacks.clone(),
                advice: b.advice.clone(),
            }
        }
        None => {
            let o = &model.other_background;
            BackgroundFit {
                id: "other".to_owned(),
                name: o.name.clone(),
                evidence: Vec::new(),
                scores: ranked,
                has: o.has.clone(),
                lacks: o.lacks.clone(),
                advice: o.advice.clone(),
            }
        }
    }
}

/// How far the skills meet a role: each need counts by the skill's weight,
/// met in proportion to the level shown (level 2 of a needed 4 is half).
pub fn role_fit(model: &Model, role: &crate::model::Role, skills: &[SkillScore]) -> RoleFit {
    let mut total = 0.0;
    let mut got = 0.0;
    let mut met = 0;
    let mut short: Vec<(u8, u8, &str)> = Vec::new();
    for &(skill, need) in &role.needs {
        let weight = f64::from(model.skills[skill].weight);
        let have = skills[skill].level;
        total += weight;
        got += weight * f64::from(have.min(need)) / f64::from(need);
        if have >= need {
            met += 1;
        } else {
            short.push((model.skills[skill].weight, need - have, &model.skills[skill].name));
        }
    }
    short.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    RoleFit {
        id: role.id.clone(),
        name: role.name.clone(),
        fit: if total > 0.0 { got / total } else { 0.0 },
        met,
        needs: role.needs.len(),
        short: short.into_iter().take(3).map(|(_, _, n)| n.to_owned()).collect(),
    }
}

fn gaps(model: &Model, skills: &[SkillScore]) -> Vec<Gap> {
    let mut gaps: Vec<Gap> = model
        .target()
        .needs
        .iter()
        .filter(|&&(skill, need)| skills[skill].level < need)
        .map(|&(skill, need)| {
            let s = &model.skills[skill];
            Gap {
                skill: s.id.clone(),
                name: s.name.clone(),
                weight: s.weight,
                have: skills[skill].level,
                need,
                ways: s.close.clone(),
            }
        })
        .collect();
    // What listings weigh most first, then the widest gap.
    gaps.sort_by(|a, b| b.weight.cmp(&a.weight).then((b.need - b.have).cmp(&(a.need - a.have))));
    gaps
}

/// Words that end a date range at the present.
const PRESENT: &[&str] = &["present", "current", "now", "today", "date", "heute", "aujourd"];

fn year(w: &str) -> Option<i32> {
    w.parse::<i32>().ok().filter(|y| w.len() == 4 && (1950..=2100).contains(y))
}

/// The latest year a text names.
fn latest_year(text: &str) -> Option<i32> {
    crate::terms::tokens(text).iter().filter_map(|t| year(&t.word)).max()
}

/// Headings of the sections that hold study, not work.
const EDUCATION: &[&str] = &["education", "academic", "studies", "degrees"];
/// Words of a degree's line.
const DEGREES: &[&str] = &[
    "university",
    "college",
    "bsc",
    "msc",
    "mba",
    "phd",
    "bachelor",
    "bachelors",
    "degree",
    "diploma",
    "meng",
    "beng",
];

/// The date ranges of a text ("2016 – 2020", "Mar 2019 – Present", where
/// "present" is `present`).
fn date_ranges(text: &str, present: i32) -> Vec<(i32, i32)> {
    let tokens = crate::terms::tokens(text);
    let mut ranges: Vec<(i32, i32)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Some(from) = year(&t.word) else { continue };
        // "Since 2019": to the present.
        if i > 0 && tokens[i - 1].word == "since" {
            if present >= from && present - from <= 60 {
                ranges.push((from, present));
            }
            continue;
        }
        // The end: a year or "present" within the next three words, with a
        // range mark between.
        for next in tokens.iter().skip(i + 1).take(3) {
            let between = &text[t.end..next.start];
            let marked = between.contains(['-', '–', '—']) || between.contains(" to ") || between.contains(" until ");
            let end = year(&next.word).or_else(|| PRESENT.contains(&next.word.as_str()).then_some(present));
            if let Some(to) = end {
                if marked && to >= from && to - from <= 60 {
                    ranges.push((from, to));
                }
                break;
            }
        }
    }
    ranges
}

/// The years the resume's date ranges ("2016 – 2020", "Mar 2019 – Present")
/// cover, overlaps counted once.
pub fn years(text: &str, options: Options) -> Option<Years> {
    let present = options.this_year.or_else(|| latest_year(text))?;
    // Study is not work experience: the dates of an Education section or of
    // a degree's line are left out.
    let mut ranges: Vec<(i32, i32)> = crate::sentences::sentences(text)
        .iter()
        .filter(|s| !s.section.as_deref().is_some_and(|h| EDUCATION.iter().any(|e| h.contains(e))))
        .filter(|s| !s.tokens.iter().any(|t| DEGREES.contains(&t.word.as_str())))
        .flat_map(|s| date_ranges(s.text(text), present))
        .collect();
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable();
    let mut covered = 0;
    let (mut start, mut end) = ranges[0];
    for &(from, to) in &ranges[1..] {
        // "2013 - 2018" then "2019 - Present" is one career, not two with a
        // year lost between.
        if from > end + 1 {
            covered += end - start;
            (start, end) = (from, to);
        } else {
            end = end.max(to);
        }
    }
    covered += end - start;
    let first = ranges[0].0;
    let last = ranges.iter().map(|r| r.1).max().unwrap_or(first);
    Some(Years { years: covered.max(0) as u32, first, last })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_count_once() {
        let text = "Acme 2010 – 2014\nInitech 2013-2016\nGlobex Jan 2018 to Present";
        let y = years(text, Options { this_year: Some(2024) }).expect("years");
        assert_eq!(y, Years { years: 12, first: 2010, last: 2024 });
        assert_eq!(years("Graduated 2009", Options::default()), None);
        let career =
            "Acme (2013 - 2018)\nGlobex (2019 - Present)\n\nEDUCATION\nBSc Computer Science, Leeds, 2009 - 2013";
        let y = years(career, Options { this_year: Some(2024) }).expect("years");
        assert_eq!(y, Years { years: 11, first: 2013, last: 2024 }, "consecutive jobs join; study is left out");
        let degree_line = "Initech 2016 - 2020\nMSc Data Science, 2014 - 2016";
        assert_eq!(years(degree_line, Options::default()).map(|y| y.years), Some(4));
        let since = years("Staff engineer at Acme (Since 2019)", Options { this_year: Some(2024) });
        assert_eq!(since.map(|y| y.years), Some(5));
    }
}
