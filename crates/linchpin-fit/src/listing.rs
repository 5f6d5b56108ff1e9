//! A job listing: what it requires and prefers, read against the same
//! model, and a resume's analysis compared with it point by point.

use serde::Serialize;

use crate::analysis::{Analysis, Quote};
use crate::evidence::read;
use crate::model::Model;
use crate::terms::tokens;

/// How much a listing asks for a skill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    /// Under "nice to have", "preferred", "bonus", or said "a plus".
    Preferred,
    /// Under "responsibilities" or "what you'll do": the work itself.
    Responsibility,
    /// Under "requirements", "qualifications", "what you need".
    Required,
}

impl Importance {
    /// How much a point counts toward the overall fit.
    pub fn weight(self) -> f64 {
        match self {
            Importance::Preferred => 1.0,
            Importance::Responsibility => 2.0,
            Importance::Required => 3.0,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Requirement {
    pub skill: String,
    pub name: String,
    pub importance: Importance,
    /// The level the listing's words ask for: its scale, else 2.
    pub level: u8,
    /// The listing's sentences that ask for it (at most three), the one
    /// that sets its importance first.
    pub quotes: Vec<Quote>,
    /// The sentence that asks for the highest level.
    pub level_quote: Quote,
    /// The level the first of `quotes` asks for.
    #[serde(skip)]
    first_level: u8,
}

#[derive(Clone, Debug, Serialize)]
pub struct YearsAsked {
    pub years: u32,
    pub importance: Importance,
    pub quote: Quote,
    /// The technical skills the same sentence names ("8+ years of program
    /// management"): years in another line of work do not meet it.
    pub skills: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    /// Its first line, as a title.
    pub title: String,
    pub requirements: Vec<Requirement>,
    pub years: Option<YearsAsked>,
    /// The role of the model the listing reads most like; `None` when it
    /// asks for none of the model's skills.
    pub reads_like: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Met,
    Partly,
    Missing,
}

#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// A skill id, or `years` for the years of experience.
    pub what: String,
    pub name: String,
    pub importance: Importance,
    pub asked: u8,
    pub shown: u8,
    pub status: Status,
    /// The listing's sentences that ask: the one that makes it this
    /// important, then, if another, the one that asks this level.
    pub asks: Vec<Quote>,
    /// The resume's strongest evidence, if any.
    pub evidence: Option<Quote>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub listing: Listing,
    /// The most important points first.
    pub points: Vec<Point>,
    /// 0 to 1, weighted by importance.
    pub fit: f64,
    pub verdict: Verdict,
    /// The fit explained: the points met by importance, what is missing.
    pub summary: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Strong,
    Partial,
    Weak,
}

const REQUIRED: &[&str] = &[
    "requirement",
    "qualification",
    "must",
    "what you need",
    "what you'll need",
    "what you will need",
    "you have",
    "you bring",
    "minimum",
    "basic",
    "who you are",
    "what we're looking for",
    "what we are looking for",
    "skills",
    "experience",
];
const PREFERRED: &[&str] =
    &["preferred", "nice to have", "nice-to-have", "bonus", "plus", "desired", "desirable", "ideally", "extra credit"];
const RESPONSIBILITIES: &[&str] = &[
    "responsibilit",
    "what you'll do",
    "what you will do",
    "the role",
    "you will",
    "day to day",
    "your impact",
    "duties",
];
/// Sections that describe the company or the offer, not the job.
const IGNORED: &[&str] = &[
    "about us",
    "about the company",
    "benefits",
    "perks",
    "we offer",
    "compensation",
    "equal opportunity",
    "salary",
    "who we are",
];

fn section_importance(heading: &str) -> Option<Option<Importance>> {
    let has = |list: &[&str]| list.iter().any(|w| heading.contains(w));
    if has(IGNORED) {
        Some(None)
    } else if has(PREFERRED) {
        Some(Some(Importance::Preferred))
    } else if has(RESPONSIBILITIES) {
        Some(Some(Importance::Responsibility))
    } else if has(REQUIRED) {
        Some(Some(Importance::Required))
    } else {
        None
    }
}

/// Words in a sentence that make it a preference.
fn says_preferred(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    ["preferred", "nice to have", "a plus", "is a bonus", "ideally", "bonus points", "desirable"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Reads a listing's text.
pub fn listing(model: &Model, text: &str) -> Listing {
    let reads = read(model, text);
    let title = reads.first().map(|r| r.sentence.text(text).chars().take(120).collect::<String>()).unwrap_or_default();
    // Before any heading a listing introduces the job: the work itself.
    let has_headings = reads.iter().any(|r| r.sentence.shape == crate::sentences::Shape::Heading);
    let mut current = if has_headings { Some(Importance::Responsibility) } else { Some(Importance::Required) };
    let mut found: Vec<Requirement> = Vec::new();
    let mut years: Option<YearsAsked> = None;
    for (i, r) in reads.iter().enumerate() {
        let sentence = r.sentence.text(text);
        if r.sentence.shape == crate::sentences::Shape::Heading {
            if let Some(importance) = section_importance(&sentence.to_lowercase()) {
                current = importance;
            }
            continue;
        }
        if i == 0 {
            continue; // the title
        }
        let Some(mut importance) = current else { continue };
        if says_preferred(sentence) {
            importance = Importance::Preferred;
        }
        if let Some(n) = years_asked(sentence)
            && years.as_ref().is_none_or(|y| importance > y.importance || (importance == y.importance && n > y.years))
        {
            // The field the years are in is a technical skill ("in program
            // management"); "at a startup" says nothing of the field.
            let skills = r
                .mentions
                .iter()
                .filter(|m| m.discount.is_none() && model.skills[m.skill].kind == crate::model::SkillKind::Technical)
                .map(|m| model.skills[m.skill].id.clone());
            years = Some(YearsAsked { years: n, importance, quote: Quote::of(r, text), skills: skills.collect() });
        }
        // "5+ years in program management" asks the years, not a
        // program that long.
        let ignored: &[crate::scale::Dimension] =
            if years_asked(sentence).is_some() { &[crate::scale::Dimension::Months] } else { &[] };
        for m in r.mentions.iter().filter(|m| m.discount.is_none()) {
            let level = r.level_of(model, m, ignored).max(2);
            let skill = &model.skills[m.skill];
            match found.iter_mut().find(|f| f.skill == skill.id) {
                // The most important mention says how much it counts and the
                // highest level any mention asks says what it takes.
                Some(f) => {
                    if importance > f.importance || (importance == f.importance && level > f.level) {
                        f.quotes.insert(0, Quote::of(r, text));
                        f.first_level = level;
                    } else {
                        f.quotes.push(Quote::of(r, text));
                    }
                    if level > f.level {
                        f.level_quote = Quote::of(r, text);
                    }
                    f.importance = f.importance.max(importance);
                    f.level = f.level.max(level);
                    f.quotes.truncate(3);
                }
                None => found.push(Requirement {
                    skill: skill.id.clone(),
                    name: skill.name.clone(),
                    importance,
                    level,
                    quotes: vec![Quote::of(r, text)],
                    level_quote: Quote::of(r, text),
                    first_level: level,
                }),
            }
        }
    }
    found.sort_by(|a, b| {
        b.importance.cmp(&a.importance).then(b.level.cmp(&a.level)).then_with(|| {
            let w = |id: &str| model.skill(id).map_or(0, |i| model.skills[i].weight);
            w(&b.skill).cmp(&w(&a.skill))
        })
    });
    let reads_like = reads_like(model, &found);
    Listing { title, requirements: found, years, reads_like }
}

/// "5+ years", "at least five years of experience", "7+ years in program
/// management", "5-7 years": the years asked (the least of a range).
fn years_asked(sentence: &str) -> Option<u32> {
    let t = tokens(sentence);
    let lower = sentence.to_lowercase();
    let number = |w: &str| -> Option<u32> {
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
        words.iter().position(|n| *n == w).map(|p| p as u32 + 1).or_else(|| w.trim_end_matches('+').parse().ok())
    };
    (1..t.len()).find_map(|j| {
        if !matches!(t[j].word.as_str(), "year" | "years" | "yrs") {
            return None;
        }
        let mut n = number(&t[j - 1].word)?;
        let mut first = j - 1;
        // "5-7 years", "5 to 7 years": the range starts at the first.
        if j >= 2
            && let Some(m) = number(&t[j - 2].word)
            && matches!(sentence[t[j - 2].end..t[j - 1].start].trim(), "-" | "–" | "to")
        {
            n = m;
            first = j - 2;
        }
        let before = |k: usize, w: &str| first >= k && t[first - k].word == w;
        let asks = t[j - 1].word.ends_with('+')
            || before(1, "least")
            || before(1, "minimum")
            || before(2, "minimum")
            || lower.contains("experience")
            || lower.contains("background")
            || t.get(j + 1).is_some_and(|w| {
                matches!(
                    w.word.as_str(),
                    "in" | "of" | "as" | "managing" | "leading" | "running" | "working" | "building" | "delivering"
                )
            });
        (asks && (1..=40).contains(&n)).then_some(n)
    })
}

/// The role whose needs look most like what the listing asks (cosine of
/// the two profiles, each skill weighted by importance and level).
fn reads_like(model: &Model, requirements: &[Requirement]) -> Option<String> {
    let mut asked = vec![0.0f64; model.skills.len()];
    for r in requirements {
        if let Some(i) = model.skill(&r.skill) {
            asked[i] = r.importance.weight() * f64::from(r.level);
        }
    }
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let asked_norm = norm(&asked);
    if asked_norm == 0.0 {
        return None;
    }
    let best = model
        .roles
        .iter()
        .map(|role| {
            let mut need = vec![0.0f64; model.skills.len()];
            for &(s, l) in &role.needs {
                need[s] = f64::from(l);
            }
            let dot: f64 = asked.iter().zip(&need).map(|(a, b)| a * b).sum();
            (role.id.clone(), dot / (asked_norm * norm(&need)))
        })
        .fold((String::new(), -1.0), |best, (id, cos)| if cos > best.1 { (id, cos) } else { best });
    Some(best.0)
}

/// The resume against one listing, point by point.
pub fn compare(model: &Model, analysis: &Analysis, listing: Listing) -> Comparison {
    let mut points: Vec<Point> = Vec::new();
    if let Some(asked) = &listing.years {
        let shown = analysis.years.as_ref().map_or(0, |y| y.years);
        let in_the_field = asked.skills.is_empty()
            || asked.skills.iter().any(|id| analysis.skills.iter().any(|s| s.id == *id && s.level >= 2));
        let status = if !in_the_field {
            Status::Missing
        } else if shown >= asked.years {
            Status::Met
        } else if shown * 4 >= asked.years * 3 {
            Status::Partly
        } else {
            Status::Missing
        };
        points.push(Point {
            what: "years".to_owned(),
            name: format!("{}+ years of experience", asked.years),
            importance: asked.importance,
            asked: asked.years.min(255) as u8,
            shown: shown.min(255) as u8,
            status,
            asks: vec![asked.quote.clone()],
            evidence: None,
        });
    }
    for r in &listing.requirements {
        let Some(score) = analysis.skills.iter().find(|s| s.id == r.skill) else { continue };
        // A skill only named (a title, a list) never meets what is asked.
        let status = if score.level >= r.level && score.level >= 2 {
            Status::Met
        } else if score.level >= 2 || (score.level >= 1 && r.level <= 2) {
            Status::Partly
        } else {
            Status::Missing
        };
        points.push(Point {
            what: r.skill.clone(),
            name: r.name.clone(),
            importance: r.importance,
            asked: r.level,
            shown: score.level,
            status,
            asks: {
                let mut asks: Vec<Quote> = r.quotes.first().cloned().into_iter().collect();
                if r.level > r.first_level {
                    asks.push(r.level_quote.clone());
                }
                asks
            },
            evidence: score.evidence.first().map(|e| e.quote.clone()),
        });
    }
    points.sort_by_key(|p| std::cmp::Reverse(p.importance));
    let (mut total, mut got) = (0.0, 0.0);
    for p in &points {
        let w = p.importance.weight();
        total += w;
        got += w * match p.status {
            Status::Met => 1.0,
            Status::Partly => 0.5,
            Status::Missing => 0.0,
        };
    }
    let fit = if total > 0.0 { got / total } else { 0.0 };
    let verdict = if fit >= 0.75 {
        Verdict::Strong
    } else if fit >= 0.5 {
        Verdict::Partial
    } else {
        Verdict::Weak
    };
    let summary = summary(model, &listing, &points);
    Comparison { listing, points, fit, verdict, summary }
}

/// What the fit is made of: how many points of each importance are met,
/// what is missing, and the role the listing reads like.
fn summary(model: &Model, listing: &Listing, points: &[Point]) -> String {
    if points.is_empty() {
        return "The listing names none of the model's skills, so there is nothing to compare.".to_owned();
    }
    let count = |importance: Importance, status: Status| {
        points.iter().filter(|p| p.importance == importance && p.status == status).count()
    };
    let of = |importance: Importance| points.iter().filter(|p| p.importance == importance).count();
    let mut parts = Vec::new();
    for (importance, word) in [
        (Importance::Required, "required"),
        (Importance::Responsibility, "responsibilities"),
        (Importance::Preferred, "preferred"),
    ] {
        let n = of(importance);
        if n > 0 {
            let met = count(importance, Status::Met);
            let partly = count(importance, Status::Partly);
            parts.push(format!(
                "{met} of {n} {word} met{}",
                if partly > 0 { format!(", {partly} partly") } else { String::new() }
            ));
        }
    }
    let missing: Vec<&str> = points
        .iter()
        .filter(|p| p.status == Status::Missing && p.importance >= Importance::Responsibility)
        .take(3)
        .map(|p| p.name.as_str())
        .collect();
    let role = model.roles.iter().find(|r| Some(&r.id) == listing.reads_like.as_ref()).map_or("", |r| r.name.as_str());
    let mut s = format!("{}.", parts.join("; "));
    if !missing.is_empty() {
        s.push_str(&format!(" Missing: {}.", missing.join(", ")));
    }
    if !role.is_empty() {
        s.push_str(&format!(" The listing reads like a {} role.", role.to_lowercase()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Options, analyse};

    #[test]
    fn years_are_asked_with_or_without_the_word_experience() {
        assert_eq!(years_asked("5+ years managing projects end to end."), Some(5));
        assert_eq!(years_asked("2+ years in a delivery or engineering role at a startup."), Some(2));
        assert_eq!(years_asked("7+ years in technical program management."), Some(7));
        assert_eq!(years_asked("At least five years of experience leading programs."), Some(5));
        assert_eq!(years_asked("5-7 years of program management."), Some(5), "a range asks its least");
        assert_eq!(years_asked("Ship the 3 year roadmap with us."), None);
        assert_eq!(years_asked("Founded in 2015, ten years ago."), None);
    }

    #[test]
    fn a_years_requirement_does_not_raise_the_skill_it_names() {
        let model = Model::default_model();
        let l = listing(&model, "TPM\n\nWhat we're looking for\n2+ years in a delivery role at a startup.\n");
        assert_eq!(l.years.as_ref().map(|y| y.years), Some(2));
        assert!(l.requirements.iter().all(|r| r.level == 2), "{:?}", l.requirements);
    }

    #[test]
    fn plain_headings_without_a_colon_set_importance() {
        let model = Model::default_model();
        let text = "Technical Program Manager\n\nWhat you'll do\nRun the weekly risk review.\n\nWhat we're looking for\nStrong stakeholder management.\n\nBonus points\nSQL and dashboards.\n";
        let l = listing(&model, text);
        let importance = |id: &str| l.requirements.iter().find(|r| r.skill == id).map(|r| r.importance);
        assert_eq!(importance("risk-management"), Some(Importance::Responsibility), "{:?}", l.requirements);
        assert_eq!(importance("stakeholder-management"), Some(Importance::Required));
        assert_eq!(importance("data-analysis"), Some(Importance::Preferred));
        for heading in ["Bonus", "Preferred", "Your responsibilities", "Nice to have", "What we’re looking for"] {
            let l = listing(&model, &format!("TPM\n\n{heading}\nRun the weekly risk review.\n"));
            assert_ne!(
                l.requirements.first().map(|r| r.importance),
                Some(Importance::Required),
                "{heading} is a heading, not everything required"
            );
        }
    }

    #[test]
    fn a_skill_only_listed_never_meets_a_requirement() {
        let model = Model::default_model();
        let resume = "Alex Kim\nStakeholder Management | Risk Management | Agile | Roadmapping\n";
        let a = analyse(&model, resume, Options::default());
        let c = compare(
            &model,
            &a,
            listing(&model, "PM\n\n## Requirements\n- Experience in stakeholder management and risk management."),
        );
        assert!(!c.points.is_empty());
        assert!(c.points.iter().all(|p| p.status == Status::Partly), "{:?}", c.points);
    }
}
