//! Scale signals: how many teams, people, months, how much budget, how
//! many services or systems, how many users or requests a sentence speaks
//! of, and the level they put its evidence at.

use serde::Serialize;

use crate::model::{Scale, Thresholds};
use crate::terms::Token;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Teams,
    People,
    Months,
    Budget,
    Systems,
    Users,
    /// A word that says the work spanned the organisation.
    Organisation,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Teams,
        Dimension::People,
        Dimension::Months,
        Dimension::Budget,
        Dimension::Systems,
        Dimension::Users,
        Dimension::Organisation,
    ];

    /// Its name in a model file.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Teams => "teams",
            Dimension::People => "people",
            Dimension::Months => "months",
            Dimension::Budget => "budget",
            Dimension::Systems => "systems",
            Dimension::Users => "users",
            Dimension::Organisation => "organisation",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Signal {
    pub dimension: Dimension,
    pub amount: f64,
    /// The words that say it, as written.
    pub said: String,
    /// The index of its first word among the sentence's tokens.
    #[serde(skip)]
    pub at: usize,
    /// Counted organisations that are customers ("30 enterprise
    /// customers"): they measure the reach of what was built, not
    /// coordination, so they raise only the skills users raise.
    #[serde(skip)]
    pub customers: bool,
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("single", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("thousands", 2000.0),
    ("millions", 2e6),
    // Vague, but more than one: counted as three.
    ("multiple", 3.0),
    ("several", 3.0),
    ("many", 3.0),
    ("numerous", 3.0),
];

const MULTIPLIERS: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("k", 1e3),
    ("million", 1e6),
    ("m", 1e6),
    ("mm", 1e6),
    ("billion", 1e9),
    ("bn", 1e9),
    ("b", 1e9),
];

/// The unit words of each dimension.
fn unit(word: &str) -> Option<Dimension> {
    let d = match word {
        "team" | "teams" | "squad" | "squads" | "org" | "orgs" | "organization" | "organizations" | "organisation"
        | "organisations" | "department" | "departments" | "groups" | "tribes" | "functions" | "bus"
        | "workstreams" => Dimension::Teams,
        "engineer" | "engineers" | "people" | "person" | "developers" | "staff" | "reports" | "members"
        | "employees" | "contributors" | "headcount" | "fte" | "ftes" | "scientists" | "designers" | "managers" => {
            Dimension::People
        }
        "month" | "months" | "year" | "years" | "week" | "weeks" | "quarter" | "quarters" => Dimension::Months,
        "service" | "services" | "microservices" | "system" | "systems" | "applications" | "apps" | "apis"
        | "repositories" | "repos" | "databases" | "datacenters" | "regions" | "clusters" | "integrations"
        | "vendors" | "partners" => Dimension::Systems,
        "user" | "users" | "customers" | "requests" | "rps" | "qps" | "tps" | "transactions" | "merchants"
        | "subscribers" | "devices" | "accounts" | "mau" | "dau" | "visitors" | "orders" | "payments" => {
            Dimension::Users
        }
        "budget" | "dollars" | "usd" | "eur" | "euros" | "gbp" | "pounds" => Dimension::Budget,
        _ => return None,
    };
    Some(d)
}

/// A number as written: digits with `,` or `.`, a `+`, a `k`/`m`/`b`
/// suffix, or a number word.
fn number(word: &str) -> Option<f64> {
    if let Some(&(_, n)) = NUMBER_WORDS.iter().find(|(w, _)| *w == word) {
        return Some(n);
    }
    let word = word.trim_end_matches('+');
    let digits_end = word.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(word.len());
    if digits_end == 0 {
        return None;
    }
    let value: f64 = word[..digits_end].replace(',', "").parse().ok()?;
    let suffix = &word[digits_end..];
    if suffix.is_empty() {
        return Some(value);
    }
    MULTIPLIERS.iter().find(|(s, _)| *s == suffix).map(|(_, m)| value * m)
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥')
}

/// Scale signals in one sentence (its tokens, with offsets into `text`).
pub fn signals(text: &str, tokens: &[Token], scale: &Scale) -> Vec<Signal> {
    let mut out: Vec<Signal> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(mut amount) = number(&tokens[i].word) else {
            i += 1;
            continue;
        };
        // Years (1990-2039) are dates, not amounts, unless a unit follows at once.
        let looks_like_year = tokens[i].word.len() == 4 && (1990.0..2040.0).contains(&amount);
        let mut last = i;
        if let Some(next) = tokens.get(i + 1)
            && let Some(&(_, m)) = MULTIPLIERS.iter().find(|(s, _)| *s == next.word)
        {
            amount *= m;
            last = i + 1;
        }
        let currency = text[..tokens[i].start].chars().next_back().is_some_and(is_currency)
            || tokens.get(last + 1).is_some_and(|t| matches!(t.word.as_str(), "usd" | "eur" | "gbp" | "dollars"));
        let dimension = if currency {
            Some((Dimension::Budget, last, false))
        } else {
            // A unit within the next four words, before another number.
            (last + 1..tokens.len().min(last + 5))
                .take_while(|&j| number(&tokens[j].word).is_none())
                .find_map(|j| {
                    // "30 enterprise customers" are thirty organisations, not thirty users.
                    let business = j > 0 && matches!(tokens[j - 1].word.as_str(), "enterprise" | "corporate" | "b2b");
                    unit(&tokens[j].word).map(|d| {
                        if business && d == Dimension::Users { (Dimension::Teams, j, true) } else { (d, j, false) }
                    })
                })
                .filter(|&(_, j, _)| !looks_like_year || j == last + 1)
        };
        if let Some((dimension, end, customers)) = dimension {
            let months = match tokens[end].word.as_str() {
                "year" | "years" => amount * 12.0,
                "week" | "weeks" => amount / 4.3,
                "quarter" | "quarters" => amount * 3.0,
                _ => amount,
            };
            let amount = if dimension == Dimension::Months { months } else { amount };
            // "10 years of experience", "with 11 years building payments",
            // "8+ years" are a career, not the length of a program.
            let experience = dimension == Dimension::Months
                && (tokens[end + 1..].iter().take(3).any(|t| matches!(t.word.as_str(), "experience" | "expertise"))
                    || (i > 0 && tokens[i - 1].word == "with")
                    || tokens[i].word.ends_with('+'));
            if experience {
                i = end + 1;
                continue;
            }
            let said_start = if currency { tokens[i].start - 1 } else { tokens[i].start };
            let said_start = (0..=said_start).rev().find(|&s| text.is_char_boundary(s)).unwrap_or(0);
            out.push(Signal {
                dimension,
                amount,
                said: text[said_start..tokens[end].end].to_owned(),
                at: i,
                customers,
            });
            i = end + 1;
            continue;
        }
        // "a team of 8": people.
        if i >= 2
            && tokens[i - 1].word == "of"
            && matches!(tokens[i - 2].word.as_str(), "team" | "teams" | "organization" | "organisation" | "org")
        {
            out.push(Signal {
                dimension: Dimension::People,
                amount,
                said: text[tokens[i - 2].start..tokens[i].end].to_owned(),
                at: i - 2,
                customers: false,
            });
        }
        i = last + 1;
    }
    // Teams named, not counted: "with the fraud, ledger and checkout teams".
    for (j, t) in tokens.iter().enumerate() {
        let counted = (j.saturating_sub(4)..j).any(|k| number(&tokens[k].word).is_some());
        if t.word != "teams" || j < 3 || counted {
            continue;
        }
        let mut items = 1;
        let mut k = j - 1;
        while k > 0 {
            if matches!(tokens[k - 1].word.as_str(), "and" | "or") && k >= 2 {
                items += 1;
                k -= 2;
            } else if text[tokens[k - 1].end..tokens[k].start].contains(',') {
                items += 1;
                k -= 1;
            } else {
                break;
            }
        }
        if items >= 2 {
            out.push(Signal {
                dimension: Dimension::Teams,
                amount: f64::from(items),
                said: text[tokens[k].start..t.end].to_owned(),
                at: k,
                customers: false,
            });
        }
    }
    for term in &scale.organisation_words {
        if let Some(at) = term.find(tokens) {
            let end = tokens[at + term.len() - 1].end;
            out.push(Signal {
                dimension: Dimension::Organisation,
                amount: 1.0,
                said: text[tokens[at].start..end].to_owned(),
                at,
                customers: false,
            });
        }
    }
    out
}

fn reaches(t: &Thresholds, signal: &Signal) -> bool {
    let threshold = match signal.dimension {
        Dimension::Teams => t.teams,
        Dimension::People => t.people,
        Dimension::Months => t.months,
        Dimension::Budget => t.budget,
        Dimension::Systems => t.systems,
        Dimension::Users => t.users,
        Dimension::Organisation => return false,
    };
    threshold.is_some_and(|n| signal.amount >= n)
}

/// The level the signals put evidence at: 4 for organisation-wide scale,
/// 3 for multi-team scale, else `None` (the evidence's own level stands).
/// Whether a signal says the work spanned several teams or the
/// organisation.
pub fn across_teams(signal: &Signal, scale: &Scale) -> bool {
    signal.dimension == Dimension::Organisation
        || (signal.dimension == Dimension::Teams
            && !signal.customers
            && scale.multi_team.teams.is_some_and(|n| signal.amount >= n))
}

pub fn level(signals: &[Signal], scale: &Scale) -> Option<u8> {
    // "For one team for 3 years": a long time in one team is still one team.
    let one_team = signals.iter().any(|s| s.dimension == Dimension::Teams && s.amount < 2.0);
    let signals: Vec<&Signal> = signals.iter().filter(|s| !(one_team && s.dimension == Dimension::Months)).collect();
    if signals.iter().any(|s| s.dimension == Dimension::Organisation || reaches(&scale.organisation_wide, s)) {
        Some(4)
    } else if signals.iter().any(|s| reaches(&scale.multi_team, s)) {
        Some(3)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::terms::tokens;

    fn said(text: &str) -> Vec<(Dimension, f64)> {
        let model = Model::default_model();
        signals(text, &tokens(text), &model.scale).into_iter().map(|s| (s.dimension, s.amount)).collect()
    }

    #[test]
    fn numbers_units_and_words_are_read() {
        use Dimension::*;
        assert_eq!(said("Led 12 cross-functional engineering teams"), [(Teams, 12.0)]);
        assert_eq!(said("a $2.5M budget and 40+ microservices"), [(Budget, 2.5e6), (Systems, 40.0)]);
        assert_eq!(said("over 18 months, then 2 years"), [(Months, 18.0), (Months, 24.0)]);
        assert!(said("8+ years of experience").is_empty(), "a career is not a program's length");
        assert_eq!(said("serving 3 million users"), [(Users, 3e6)]);
        assert_eq!(said("managed a team of 8"), [(People, 8.0)]);
        assert_eq!(said("three teams and several services"), [(Teams, 3.0), (Systems, 3.0)]);
        assert_eq!(said("a company-wide migration"), [(Organisation, 1.0)]);
        assert_eq!(said("Acme, 2015 – 2019, 4 people"), [(People, 4.0)]);
        assert_eq!(said("€400,000 programme"), [(Budget, 400000.0)]);
        assert_eq!(said("used by 30 enterprise customers"), [(Teams, 30.0)]);
        assert!(said("no numbers here").is_empty());
        assert_eq!(said("with the fraud, ledger and checkout teams"), [(Teams, 3.0)], "named teams count");
        assert_eq!(said("for the ledger, fraud, checkout, and payments teams"), [(Teams, 4.0)]);
        assert_eq!(said("for the platform teams"), [], "one name is no count");
        assert!(said("Staff engineer with 11 years building payments").is_empty(), "a career");
        assert!(said("8+ years leading programs").is_empty(), "a career");
    }

    #[test]
    fn scale_sets_the_level() {
        let model = Model::default_model();
        let level = |text: &str| super::level(&signals(text, &tokens(text), &model.scale), &model.scale);
        assert_eq!(level("a two-team integration"), Some(3));
        assert_eq!(level("a company-wide platform migration"), Some(4));
        assert_eq!(level("across 8 teams"), Some(4));
        assert_eq!(level("for 3 years"), Some(3), "duration alone stops at multi-team");
        assert_eq!(level("for 30 years"), Some(3));
        assert_eq!(level("with 1 team"), None);
        assert_eq!(level("Owned the roadmap for one team for 3 years."), None, "one team stays one team");
        assert_eq!(level("Ran the dependency review for the ledger, fraud, checkout and payments teams."), Some(3));
    }
}
