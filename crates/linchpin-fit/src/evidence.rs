//! Reading a document for evidence: which sentences speak of which skill,
//! how (a job title, a skills list, a statement, an action), at what scale,
//! and which mentions are set aside because they are negated ("no
//! experience with budgets") or wishes ("eager to learn Kubernetes").

use serde::Serialize;

use crate::model::Model;
use crate::scale::{self, Signal};
use crate::sentences::{Sentence, Shape, sentences_bounded};
use crate::terms::{Term, Token};

/// How a sentence shows a skill, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A job title line: the skill is named, not shown.
    Title,
    /// A skills list or a list of tools.
    Listed,
    /// A statement without an action verb ("Dependency tracking for 6 teams").
    Statement,
    /// Something the person did.
    Action,
}

/// Why a mention is not evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Discount {
    Negated,
    Wish,
}

/// One sentence, read.
#[derive(Clone, Debug)]
pub struct Read {
    pub sentence: Sentence,
    pub kind: Kind,
    pub signals: Vec<Signal>,
    /// The level its scale puts evidence at, if it says any.
    pub scale_level: Option<u8>,
    /// (skill index, the term that matched, a discount if any): one per skill.
    pub mentions: Vec<Mention>,
}

#[derive(Clone, Debug)]
pub struct Mention {
    pub skill: usize,
    pub term: String,
    pub discount: Option<Discount>,
    /// The level the sentence shows this skill at: its kind, raised only
    /// by the scale signals that measure this skill.
    pub level: u8,
    /// The index of its first word among the sentence's tokens.
    pub at: usize,
}

/// Verbs that say someone did something (past, present and the forms
/// resumes write).
const ACTIONS: &[&str] = &[
    "led",
    "lead",
    "leading",
    "ran",
    "run",
    "running",
    "drove",
    "drive",
    "driving",
    "managed",
    "manage",
    "managing",
    "coordinated",
    "coordinate",
    "coordinating",
    "owned",
    "own",
    "delivered",
    "deliver",
    "built",
    "build",
    "designed",
    "design",
    "launched",
    "launch",
    "migrated",
    "planned",
    "plan",
    "wrote",
    "write",
    "created",
    "create",
    "established",
    "introduced",
    "facilitated",
    "facilitate",
    "negotiated",
    "presented",
    "present",
    "reduced",
    "improved",
    "shipped",
    "implemented",
    "organized",
    "organised",
    "aligned",
    "align",
    "mentored",
    "mentor",
    "hired",
    "scaled",
    "defined",
    "define",
    "developed",
    "develop",
    "automated",
    "reviewed",
    "review",
    "tracked",
    "track",
    "mitigated",
    "resolved",
    "partnered",
    "partner",
    "consolidated",
    "rolled",
    "moved",
    "replaced",
    "unblocked",
    "escalated",
    "prioritized",
    "prioritised",
    "prioritize",
    "analyzed",
    "analysed",
    "analyze",
    "coached",
    "coach",
    "headed",
    "oversaw",
    "oversee",
    "directed",
    "steered",
    "championed",
    "spearheaded",
    "orchestrated",
    "streamlined",
    "restructured",
    "deployed",
    "integrated",
    "architected",
    "modernized",
    "modernised",
    "decommissioned",
    "retired",
    "cut",
    "saved",
    "grew",
    "raised",
    "sequenced",
    "documented",
    "authored",
    "instituted",
    "kept",
    "chaired",
    "hosted",
    "translated",
    "mapped",
    "estimated",
    "budgeted",
    "forecast",
    "forecasted",
    "measured",
    "tested",
    "refactored",
    "debugged",
    "maintained",
    "supported",
    "served",
    "handled",
    "worked",
    "contributed",
    "initiated",
    "transformed",
    "sold",
    "wrote",
    "recruited",
    "onboarded",
    "trained",
    "evaluated",
    "assessed",
    "audited",
    "secured",
    "won",
    "achieved",
    "increased",
    "decreased",
    "accelerated",
    "facilitating",
    "coordinates",
    "manages",
    "leads",
    "runs",
    "owns",
    "drives",
    "delivers",
    "builds",
    "designs",
    "plans",
    "partners",
    "oversees",
    "facilitates",
];

/// Words that negate what follows them in a clause.
const NEGATIONS: &[&str] =
    &["no", "not", "never", "without", "none", "lack", "lacks", "lacking", "lacked", "nor", "neither", "cannot"];
/// The halves of `don't`, `haven't`: tokens before a lone `t`.
const CONTRACTED: &[&str] = &[
    "don", "didn", "doesn", "haven", "hasn", "hadn", "isn", "wasn", "aren", "weren", "can", "couldn", "won", "wouldn",
    "never",
];
/// Words that make what follows a wish, not a fact.
const WISHES: &[&str] = &[
    "want",
    "wants",
    "hope",
    "hoping",
    "aspire",
    "aspiring",
    "eager",
    "keen",
    "seeking",
    "interested",
    "aim",
    "aiming",
    "wish",
    "goal",
    "dream",
    "learning",
];
/// Two-word wishes.
const WISH_PAIRS: &[(&str, &str)] = &[
    ("looking", "to"),
    ("looking", "for"),
    ("would", "like"),
    ("would", "love"),
    ("have", "liked"),
    ("have", "loved"),
    ("hope", "to"),
    ("plan", "to"),
    ("to", "learn"),
    ("to", "become"),
    ("to", "gain"),
    ("to", "transition"),
    ("move", "into"),
    ("grow", "into"),
];

/// Words that end a job title line.
const ROLE_NOUNS: &[&str] = &[
    "manager",
    "engineer",
    "architect",
    "master",
    "coach",
    "lead",
    "director",
    "owner",
    "developer",
    "coordinator",
    "consultant",
    "analyst",
    "head",
    "vp",
    "president",
    "officer",
    "intern",
    "scientist",
    "designer",
    "administrator",
    "specialist",
    "programmer",
    "sde",
    "swe",
    "rte",
    "cto",
    "ceo",
    "pm",
    "tpm",
];

/// Section names whose lines are lists of skills, not work.
const LIST_SECTIONS: &[&str] =
    &["skill", "tool", "technolog", "competenc", "certific", "expertise", "stack", "keyword"];

fn is_action(t: &Token) -> bool {
    ACTIONS.contains(&t.word.as_str())
}

/// The token index where the clause holding `at` starts: after the last
/// `,`, `;`, `:`, `(` or "but" before it.
fn clause_start(text: &str, tokens: &[Token], at: usize) -> usize {
    let mut start = 0;
    for i in 1..=at {
        let between = &text[tokens[i - 1].end..tokens[i].start];
        if between.contains([',', ';', ':', '(', ')', '.']) || tokens[i - 1].word == "but" {
            start = i;
        }
    }
    start
}

/// Which part of a sentence a token is in: parts end before a
/// purpose ("to prioritize", not "4 to 20" or "to AWS"), so a number in one part does
/// not measure the work of another.
fn part_of(tokens: &[Token], at: usize) -> usize {
    let is_number = |t: &Token| t.word.starts_with(|c: char| c.is_ascii_digit());
    (1..=at.min(tokens.len().saturating_sub(1)))
        .filter(|&i| {
            tokens[i].word == "to"
                && !is_number(&tokens[i - 1])
                && tokens.get(i + 1).is_some_and(|n| is_action(n) || n.word.ends_with("ize") || n.word.ends_with("ise"))
        })
        .count()
}

/// Whether the term at `at` (of `len` words) is negated: a negation up to
/// six words before it in its clause ("not only" and "didn't just" add,
/// they do not negate), or one just after it ("Jira was never my tool",
/// "Agile experience: none").
fn negated(text: &str, tokens: &[Token], at: usize, len: usize) -> bool {
    let word = |i: usize| tokens.get(i).map_or("", |t| t.word.as_str());
    let negation = |i: usize| {
        (NEGATIONS.contains(&word(i)) || (word(i) == "t" && i > 0 && CONTRACTED.contains(&word(i - 1))))
            && !matches!(word(i + 1), "only" | "just" | "merely" | "simply")
    };
    let from = clause_start(text, tokens, at).max(at.saturating_sub(6));
    if (from..at).any(negation) {
        return true;
    }
    let after = at + len.max(1);
    let rest = &tokens[after.min(tokens.len())..];
    let in_clause = rest
        .iter()
        .enumerate()
        .take_while(|(k, t)| {
            let gap = if *k == 0 { &text[tokens[after - 1].end..t.start] } else { &text[rest[k - 1].end..t.start] };
            !(gap.contains([',', ';', '(', ')', '.']) || (*k > 0 && rest[k - 1].word == "but"))
        })
        .take(4)
        .count();
    (after..after + in_clause).any(|i| {
        let copula = matches!(word(i.wrapping_sub(1)), "was" | "is" | "were" | "are" | "has" | "have" | "had");
        (copula && matches!(word(i), "not" | "never"))
            || (word(i) == "none" && i + 1 == tokens.len())
            || (word(i) == "t" && matches!(word(i.wrapping_sub(1)), "wasn" | "isn" | "weren" | "aren"))
    })
}

fn wished(tokens: &[Token], at: usize) -> bool {
    (0..at).any(|i| {
        let w = tokens[i].word.as_str();
        let next = tokens.get(i + 1).map_or("", |t| t.word.as_str());
        // Machine learning, a Learning & Development program and a keen
        // eye are things, not wishes.
        let not_a_wish = (w == "learning"
            && (i > 0 && matches!(tokens[i - 1].word.as_str(), "machine" | "deep")
                || matches!(next, "development" | "and" | "platform" | "management")))
            || (w == "keen" && matches!(next, "eye" | "sense" | "interest"));
        (WISHES.contains(&w) && !not_a_wish)
            || tokens.get(i + 1).is_some_and(|n| WISH_PAIRS.contains(&(w, n.word.as_str())))
    })
}

fn is_title(s: &Sentence, text: &str) -> bool {
    let line = s.text(text);
    s.tokens.len() <= 12
        && !line.ends_with('.')
        && !s.tokens.iter().any(|t| is_action(t) && !ROLE_NOUNS.contains(&t.word.as_str()))
        && s.tokens.iter().any(|t| ROLE_NOUNS.contains(&t.word.trim_end_matches('s')))
}

/// Whether a heading names a list of skills ("Technical Skills", "Tools &
/// Technologies"), not a job ("### Full Stack Developer").
fn is_list_heading(heading: &str) -> bool {
    let words: Vec<&str> = heading.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.len() <= 4
        && LIST_SECTIONS.iter().any(|l| heading.contains(l))
        && !words.iter().any(|w| ROLE_NOUNS.contains(&w.trim_end_matches('s')))
}

fn is_listed(s: &Sentence, text: &str) -> bool {
    if s.section.as_deref().is_some_and(is_list_heading) {
        return true;
    }
    let line = s.text(text);
    // A bare skill on a line of its own, or a cell of a `|` keyword line,
    // names the skill without showing it.
    if s.tokens.len() <= 3 && !line.ends_with(['.', '!', '?']) && !s.tokens.iter().any(is_action) {
        return true;
    }
    let separators = line.matches([',', ';', '·', '/', '•']).count();
    separators >= 2 && !line.ends_with('.') && !s.tokens.iter().any(is_action) && s.tokens.len() <= 3 * (separators + 1)
}

/// Terms bucketed by their first character, so a token is compared with
/// the few terms that can start at it.
pub struct Index<'m> {
    buckets: std::collections::HashMap<char, Vec<(usize, &'m Term)>>,
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut buckets: std::collections::HashMap<char, Vec<(usize, &Term)>> = std::collections::HashMap::new();
        for (i, skill) in model.skills.iter().enumerate() {
            for term in &skill.terms {
                buckets.entry(term.first_char()).or_default().push((i, term));
            }
        }
        Index { buckets }
    }

    /// Each place a skill's terms occur in the tokens, in order, the
    /// longest term at each place.
    fn matches(&self, tokens: &[Token]) -> Vec<(usize, &'m Term, usize)> {
        let mut found: Vec<(usize, &Term, usize)> = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            let Some(first) = token.word.chars().next() else { continue };
            for &(skill, term) in self.buckets.get(&first).into_iter().flatten() {
                if term.matches_at(tokens, at) {
                    match found.iter_mut().find(|(s, _, a)| *s == skill && *a == at) {
                        // A longer term says more about the skill ("risk register" over "risk").
                        Some(f) if f.1.len() < term.len() && f.2 == at => *f = (skill, term, at),
                        Some(_) => {}
                        None => found.push((skill, term, at)),
                    }
                }
            }
        }
        found
    }
}

/// Every sentence of `text`, read against the model.
pub fn read(model: &Model, text: &str) -> Vec<Read> {
    read_bounded(model, text).0
}

/// Every sentence of `text` up to the most read, and whether there were
/// more ([`crate::sentences::MAX_SENTENCES`]).
pub fn read_bounded(model: &Model, text: &str) -> (Vec<Read>, bool) {
    let index = Index::new(model);
    let (sentences, cut) = sentences_bounded(text);
    let reads = sentences
        .into_iter()
        .map(|sentence| {
            let kind = if sentence.shape == Shape::Heading || is_title(&sentence, text) {
                Kind::Title
            } else if is_listed(&sentence, text) {
                Kind::Listed
            } else if sentence.tokens.iter().any(is_action) {
                Kind::Action
            } else {
                Kind::Statement
            };
            let signals = scale::signals(text, &sentence.tokens, &model.scale);
            let scale_level = scale::level(&signals, &model.scale);
            let tokens = &sentence.tokens;
            let discount = |at: usize, len: usize| {
                if negated(text, tokens, at, len) {
                    Some(Discount::Negated)
                } else if wished(tokens, at) {
                    Some(Discount::Wish)
                } else {
                    None
                }
            };
            // One mention per skill: the first that is evidence ("I have no
            // PMP, but I managed the project plan"), else the first.
            let mut mentions: Vec<Mention> = Vec::new();
            for (skill, term, at) in index.matches(tokens) {
                let mention =
                    Mention { skill, term: term.text.clone(), discount: discount(at, term.len()), level: 0, at };
                match mentions.iter_mut().find(|m| m.skill == skill) {
                    Some(m) if m.discount.is_some() && mention.discount.is_none() => *m = mention,
                    Some(_) => {}
                    None => mentions.push(mention),
                }
            }
            // Work across several teams is cross-functional whatever it is called.
            if let Some(skill) = model.scale.across_teams_skill
                && kind >= Kind::Statement
                && let Some(signal) = signals.iter().find(|s| scale::across_teams(s, &model.scale))
                && !mentions.iter().any(|m| m.skill == skill)
            {
                mentions.push(Mention {
                    skill,
                    term: signal.said.clone(),
                    discount: discount(signal.at, 0),
                    level: 0,
                    at: signal.at,
                });
            }
            let mut read = Read { sentence, kind, signals, scale_level, mentions };
            for i in 0..read.mentions.len() {
                read.mentions[i].level = read.level_of(model, &read.mentions[i], &[]);
            }
            read
        })
        .collect();
    (reads, cut)
}

impl Read {
    /// The level this sentence shows a skill at: 1 for a title or a list,
    /// 2 for work, or what its scale says.
    pub fn level(&self) -> u8 {
        match self.kind {
            Kind::Title | Kind::Listed => 1,
            Kind::Statement | Kind::Action => self.scale_level.unwrap_or(2),
        }
    }

    /// The level this sentence shows `skill` at: 1 for a title or a list,
    /// else 2 raised by the signals the skill is measured by (less those
    /// of `ignored` dimensions).
    /// A signal in another part of the sentence ("with 60 teams" against
    /// "to prioritize the backlog") does not raise it.
    pub fn level_of(&self, model: &Model, mention: &Mention, ignored: &[scale::Dimension]) -> u8 {
        match self.kind {
            Kind::Title | Kind::Listed => 1,
            Kind::Statement | Kind::Action => {
                let raised_by = &model.skills[mention.skill].raised_by;
                let tokens = &self.sentence.tokens;
                let part = part_of(tokens, mention.at);
                let signals: Vec<Signal> = self
                    .signals
                    .iter()
                    .filter(|s| {
                        let measures = if s.customers { scale::Dimension::Users } else { s.dimension };
                        raised_by.contains(&measures) && !ignored.contains(&s.dimension)
                    })
                    .filter(|s| part_of(tokens, s.at) == part)
                    .cloned()
                    .collect();
                scale::level(&signals, &model.scale).unwrap_or(2)
            }
        }
    }

    /// Whether the sentence as a whole is negated or a wish, judged at its
    /// first word: for the background, whose signals are not skills.
    pub fn discounted_at(&self, text: &str, at: usize) -> bool {
        negated(text, &self.sentence.tokens, at, 0) || wished(&self.sentence.tokens, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Vec<(String, Kind, Option<Discount>)> {
        let model = Model::default_model();
        read(&model, text)
            .into_iter()
            .flat_map(|r| {
                let kind = r.kind;
                let model = &model;
                r.mentions.into_iter().map(move |m| (model.skills[m.skill].id.clone(), kind, m.discount))
            })
            .collect()
    }

    #[test]
    fn a_dependency_review_is_risk_management() {
        let found = mentions("Ran the weekly dependency review for the checkout launch.");
        assert!(found.contains(&("risk-management".into(), Kind::Action, None)), "{found:?}");
    }

    #[test]
    fn work_across_teams_is_cross_functional_whatever_it_is_called() {
        let found = mentions("Ran PI planning for 8 teams.");
        assert!(found.contains(&("cross-functional-leadership".into(), Kind::Action, None)), "{found:?}");
        let found = mentions("Ran sprint planning for 1 team.");
        assert!(!found.iter().any(|(id, _, _)| id == "cross-functional-leadership"), "{found:?}");
        let found = mentions("Never worked with 4 teams at once.");
        assert!(
            found.contains(&("cross-functional-leadership".into(), Kind::Action, Some(Discount::Negated))),
            "{found:?}"
        );
    }

    #[test]
    fn negations_and_wishes_are_not_evidence() {
        let found = mentions("No experience with budgets or risk registers.");
        assert!(found.iter().all(|(_, _, d)| *d == Some(Discount::Negated)), "{found:?}");
        let found = mentions("I haven't managed stakeholders directly.");
        assert!(found.contains(&("stakeholder-management".into(), Kind::Action, Some(Discount::Negated))), "{found:?}");
        let found = mentions("Eager to learn system design and Kubernetes.");
        assert!(found.iter().all(|(_, _, d)| *d == Some(Discount::Wish)), "{found:?}");
        // A negation in another clause does not reach the skill.
        let found = mentions("Not a people manager, but ran the risk register for 5 teams.");
        assert!(found.contains(&("risk-management".into(), Kind::Action, None)), "{found:?}");
    }

    #[test]
    fn a_job_heading_is_not_a_skills_section() {
        let found = mentions("### Full Stack Developer, Initech\n- Ran the weekly risk review for 3 teams.");
        assert!(found.contains(&("risk-management".into(), Kind::Action, None)), "{found:?}");
        let found = mentions("## Tools & Technologies\n- Jira dashboards for 3 teams");
        assert!(found.contains(&("jira-confluence".into(), Kind::Listed, None)), "{found:?}");
    }

    #[test]
    fn titles_and_lists_are_weak() {
        let model = Model::default_model();
        let text =
            "Agile Coach, Initech (2019 – 2021)\nSkills: Jira, Confluence, Scrum, SQL\nDependency tracking for 6 teams";
        let read = read(&model, text);
        assert_eq!(read.iter().map(|r| r.kind).collect::<Vec<_>>(), [Kind::Title, Kind::Listed, Kind::Statement]);
        assert_eq!(read.iter().map(Read::level).collect::<Vec<_>>(), [1, 1, 4]);
    }

    /// Each skill's level in a one-sentence text, evidence only.
    fn levels(text: &str) -> Vec<(String, u8)> {
        let model = Model::default_model();
        read(&model, text)
            .into_iter()
            .flat_map(|r| r.mentions.into_iter().filter(|m| m.discount.is_none()))
            .map(|m| (model.skills[m.skill].id.clone(), m.level))
            .collect()
    }

    fn level(found: &[(String, u8)], id: &str) -> Option<u8> {
        found.iter().find(|(s, _)| s == id).map(|(_, l)| *l)
    }

    #[test]
    fn a_signal_raises_only_the_skills_it_measures() {
        let found =
            levels("Ran customer interviews and user research with 60 developer teams to prioritize the SDK backlog.");
        for id in ["agile", "roadmap-planning", "api-architecture", "organisation"] {
            assert!(level(&found, id).is_none_or(|l| l == 2), "{id}: {found:?}");
        }
        let found = levels("Built the reconciliation service in Go that processes 3 million transactions a day.");
        assert_eq!(level(&found, "organisation"), None, "a service's `processes` is no process: {found:?}");
        let found = levels("Designed reference architectures for 30 enterprise customers migrating to AWS.");
        assert!(level(&found, "cross-functional-leadership").is_none(), "customers are not teams: {found:?}");
        assert!(level(&found, "stakeholder-management").is_none_or(|l| l <= 2), "{found:?}");
        assert_eq!(level(&found, "system-design"), Some(4), "customers measure what was built: {found:?}");
        let found = levels("Supported 1.5M users with the release plan.");
        assert_eq!(level(&found, "roadmap-planning"), Some(2), "{found:?}");
        let found = levels("Managed the $2M program budget.");
        assert!(level(&found, "cross-functional-leadership").is_none_or(|l| l <= 2), "{found:?}");
        let found = levels("Managed the project plan for the claims portal rebuild, delivered on budget ($1.2M).");
        assert_eq!(level(&found, "project-management"), Some(3), "one large project is not a program: {found:?}");
        // Teams still measure coordination, users still measure a system.
        let found = levels("Ran the risk register and PI planning for 9 teams.");
        assert_eq!(level(&found, "risk-management"), Some(4), "{found:?}");
        let found = levels("Designed the caching layer for 2 million users.");
        assert_eq!(level(&found, "system-design"), Some(4), "{found:?}");
    }

    #[test]
    fn keyword_lines_and_bare_skills_are_lists() {
        let model = Model::default_model();
        let text = "Stakeholder Management | Risk Management | Agile | Roadmapping\nExperience\nStakeholder management\nJira\nDependency tracking for 6 teams";
        let kinds: Vec<(String, Kind)> = read(&model, text)
            .into_iter()
            .filter(|r| !r.mentions.is_empty())
            .map(|r| (r.sentence.text(text).to_owned(), r.kind))
            .collect();
        let listed = |q: &str| kinds.iter().any(|(t, k)| t == q && *k == Kind::Listed);
        for q in ["Stakeholder Management", "Risk Management", "Agile", "Roadmapping", "Stakeholder management", "Jira"]
        {
            assert!(listed(q), "{q}: {kinds:?}");
        }
        assert!(
            kinds.iter().any(|(t, k)| t == "Dependency tracking for 6 teams" && *k == Kind::Statement),
            "{kinds:?}"
        );
    }

    #[test]
    fn negations_reach_only_their_clause_and_may_follow_the_term() {
        let evidence = |text: &str, id: &str| {
            let found = mentions(text);
            assert!(found.iter().any(|(s, _, d)| s == id && d.is_none()), "{text}: {found:?}");
        };
        let negated = |text: &str, id: &str| {
            let found = mentions(text);
            assert!(
                found.contains(&(
                    id.to_owned(),
                    found.iter().find(|f| f.0 == id).map_or(Kind::Title, |f| f.1),
                    Some(Discount::Negated)
                )),
                "{text}: {found:?}"
            );
        };
        evidence("I have no PMP, but I managed the project plan for a 6-month launch.", "project-management");
        evidence("I didn't just track risks; I mitigated them across 6 teams.", "risk-management");
        evidence("Not only ran the risk register for 7 teams, but also the dependency map.", "risk-management");
        negated("Stakeholder management was not part of my job.", "stakeholder-management");
        negated("Agile experience: none.", "agile");
        negated("Jira was never my tool.", "jira-confluence");
        negated("No experience with Agile.", "agile");
    }

    #[test]
    fn inflections_do_not_overreach_and_irregular_pasts_count() {
        let found = levels("Wrote programming tutorials for 50 engineers.");
        assert!(level(&found, "cross-functional-leadership").is_none(), "{found:?}");
        let found = levels("Programmed embedded controllers for 3 factories.");
        assert!(
            found.iter().all(|(id, _)| id != "cross-functional-leadership" && id != "project-management"),
            "{found:?}"
        );
        let found = levels("Aligned the text boxes on the marketing page.");
        assert!(level(&found, "cross-functional-leadership").is_none(), "{found:?}");
        let found = levels("Aligned engineering, design, sales and support on the go-to-market for the v2 API.");
        assert!(level(&found, "cross-functional-leadership").is_some(), "{found:?}");
        let found = levels("Troubleshot outages in 5 regions.");
        assert_eq!(level(&found, "problem-solving"), Some(3), "{found:?}");
    }

    #[test]
    fn wishes_are_wishes_and_names_are_not() {
        let evidence = |text: &str, id: &str| {
            let found = mentions(text);
            assert!(found.iter().any(|(s, _, d)| s == id && d.is_none()), "{text}: {found:?}");
        };
        evidence("Keen eye for risk: ran the risk register for 8 teams.", "risk-management");
        evidence("Ran the company-wide Learning & Development program for 300 people.", "cross-functional-leadership");
        let found = mentions("Would have loved to own the roadmap.");
        assert!(found.iter().all(|(_, _, d)| *d == Some(Discount::Wish)), "{found:?}");
        let found = mentions("Would have liked more exposure to executives.");
        assert!(found.iter().all(|(_, _, d)| *d == Some(Discount::Wish)), "{found:?}");
    }
}
