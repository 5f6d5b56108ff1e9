//! Words and terms: text to lowercase tokens with their byte ranges, and
//! the model's terms matched against them with plain English inflections,
//! so `dependency` finds "dependencies" and `plan` finds "planned".

use serde::{Serialize, Serializer};

/// A word of the text: where it is, and how it matches (lowercase).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub word: String,
}

/// Splits text into words: runs of letters and digits (any script), a
/// trailing `+` or `#` kept (`C++`, `C#`, `40+`), and the `,` or `.` inside
/// a number (`2,000`, `1.5`) kept in it.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(i, next)) = chars.peek() {
            let inside_number = matches!(next, ',' | '.')
                && last.is_ascii_digit()
                && text[i + 1..].chars().next().is_some_and(|d| d.is_ascii_digit());
            if next.is_alphanumeric() || inside_number {
                end = i + next.len_utf8();
                last = next;
                chars.next();
            } else {
                break;
            }
        }
        while let Some(&(i, next)) = chars.peek() {
            if matches!(next, '+' | '#') {
                end = i + 1;
                chars.next();
            } else {
                break;
            }
        }
        out.push(Token { start, end, word: text[start..end].to_lowercase() });
    }
    out
}

/// One word of a term.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    stem: String,
    /// Written with a trailing `*`: matches every word it begins.
    prefix: bool,
}

/// A term of the model: words that must follow one another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    words: Vec<Word>,
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl Term {
    /// The term written `text`; `None` when it has no word to match.
    pub fn new(text: &str) -> Option<Term> {
        let mut words: Vec<Word> = Vec::new();
        for token in tokens(text) {
            let prefix = text[token.end..].starts_with('*');
            words.push(Word { stem: token.word, prefix });
        }
        (!words.is_empty()).then(|| Term { text: text.to_owned(), words })
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A `*` after fewer than two letters would match nearly every word.
    pub fn is_bare_wildcard(&self) -> bool {
        self.words.iter().any(|w| w.prefix && w.stem.chars().count() < 2) || self.text.trim() == "*"
    }

    /// The first character of the first word: terms are bucketed by it.
    pub fn first_char(&self) -> char {
        self.words[0].stem.chars().next().unwrap_or(' ')
    }

    /// Whether the term starts at `tokens[at]`, its words inflected.
    pub fn matches_at(&self, tokens: &[Token], at: usize) -> bool {
        self.matches_with(tokens, at, inflected)
    }

    /// Whether the term starts at `tokens[at]`, each word as written or
    /// plural only: job titles, where "engineering" is not "engineer".
    pub fn matches_exactly_at(&self, tokens: &[Token], at: usize) -> bool {
        self.matches_with(tokens, at, |word, token| {
            token == word.stem
                || token.strip_suffix('s') == Some(word.stem.as_str())
                || (word.prefix && token.starts_with(&word.stem))
        })
    }

    fn matches_with(&self, tokens: &[Token], at: usize, matches: impl Fn(&Word, &str) -> bool) -> bool {
        at + self.words.len() <= tokens.len()
            && self.words.iter().zip(&tokens[at..]).all(|(word, token)| matches(word, &token.word))
    }

    /// Where the term first occurs in `tokens`, inflected.
    pub fn find(&self, tokens: &[Token]) -> Option<usize> {
        (0..tokens.len()).find(|&i| self.matches_at(tokens, i))
    }

    /// Where the term first occurs in `tokens`, as a title.
    pub fn find_exactly(&self, tokens: &[Token]) -> Option<usize> {
        (0..tokens.len()).find(|&i| self.matches_exactly_at(tokens, i))
    }
}

/// Words that look like an inflection of a term but mean something else:
/// a program (of work) or programme is not programming (code).
const FALSE_INFLECTIONS: &[&str] = &["programming", "programmed"];

/// Whether `token` is `word` or a plain inflection of it: -s, -es, -ed,
/// -d, -ing, -ies/-ied for a final y, a doubled final consonant
/// (planned), a dropped final e (managing).
fn inflected(word: &Word, token: &str) -> bool {
    let stem = word.stem.as_str();
    if word.prefix {
        return token.starts_with(stem);
    }
    if token == stem {
        return true;
    }
    if FALSE_INFLECTIONS.contains(&token) {
        return false;
    }
    let Some(rest) = token.strip_prefix(stem) else {
        return inflected_changed(stem, token);
    };
    if matches!(rest, "s" | "es" | "ed" | "ing" | "'s") || (stem.ends_with('e') && rest == "d") {
        return true;
    }
    // A doubled final consonant: plan → planned, planning.
    let mut rest_chars = rest.chars();
    let last = stem.chars().last();
    rest_chars.next() == last
        && last.is_some_and(|c| c.is_ascii_alphabetic() && !"aeiouy".contains(c))
        && matches!(rest_chars.as_str(), "ed" | "ing")
        || inflected_changed(stem, token)
}

/// The inflections that change the stem's end: a final y (dependency →
/// dependencies, qualified), a final e dropped before -ing.
fn inflected_changed(stem: &str, token: &str) -> bool {
    if let Some(base) = stem.strip_suffix('y')
        && let Some(rest) = token.strip_prefix(base)
    {
        return matches!(rest, "ies" | "ied");
    }
    if let Some(base) = stem.strip_suffix('e')
        && let Some(rest) = token.strip_prefix(base)
    {
        return rest == "ing";
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn tokens_keep_numbers_and_any_script() {
        assert_eq!(
            words("Led 12 teams, $2,500,000 budget; C++ & C#."),
            ["led", "12", "teams", "2,500,000", "budget", "c++", "c#"]
        );
        assert_eq!(
            words("Zürich: Müller's Ärger 1.5M users 40+"),
            ["zürich", "müller", "s", "ärger", "1.5m", "users", "40+"]
        );
        assert_eq!(words("支払い cross-functional"), ["支払い", "cross", "functional"]);
        let text = "São Paulo";
        for t in tokens(text) {
            assert!(text.get(t.start..t.end).is_some());
        }
    }

    #[test]
    fn terms_match_inflections_and_prefixes() {
        let found = |term: &str, text: &str| Term::new(term).expect("term").find(&tokens(text)).is_some();
        assert!(found("dependency", "tracked dependencies weekly"));
        assert!(found("plan", "planned the launch"));
        assert!(found("plan", "planning"));
        assert!(found("manage", "managing"));
        assert!(found("risk register", "kept the Risk Registers"));
        assert!(found("mitigat*", "mitigation plans"));
        assert!(found("cross-functional", "a cross functional team"));
        assert!(found("a/b test", "ran A/B tests"));
        assert!(!found("risk", "brisk walks"));
        assert!(!found("plan", "planet"));
        assert!(!found("program", "wrote programming tutorials"), "a program is not programming");
        assert!(!found("program", "Programmed embedded controllers"));
        assert!(found("program", "ran three programs"));
        assert!(found("ship", "shipped"));
        assert!(!found("risk register", "risk and register"));
        let title = Term::new("software engineer").expect("term");
        assert!(title.find_exactly(&tokens("Senior Software Engineers")).is_some());
        assert!(title.find_exactly(&tokens("Software Engineering Manager")).is_none());
    }
}
