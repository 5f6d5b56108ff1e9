//! The competency model: the skills TPM listings name, what evidence looks
//! like at each level, the scale that separates the levels, the backgrounds
//! people come from and the neighbouring roles, as data. The default is
//! `model.yaml`, embedded; a user's replacement is validated here with
//! errors that name the line and the field.

use linchpin_model::{Origin, SourceId};
use linchpin_plan::yaml::{Node, NodeKind};
use linchpin_plan::{SourceFile, SourceKind};
use serde::Serialize;

use crate::terms::Term;

/// The default model, as `linchpin fit --print-model` writes it.
pub const DEFAULT_MODEL: &str = include_str!("model.yaml");

/// The largest model file read.
pub const MAX_MODEL_BYTES: usize = 1 << 20;
/// The most skills, backgrounds or roles a model may hold.
pub const MAX_ENTRIES: usize = 100;
/// The most terms one skill, background or scale list may hold.
pub const MAX_TERMS: usize = 300;
/// The most words in one term.
pub const MAX_TERM_WORDS: usize = 8;
/// The longest text field, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The highest level a skill is scored at.
pub const TOP_LEVEL: u8 = 4;

#[derive(Clone, Debug, Serialize)]
pub struct Model {
    /// What levels 1 to 4 mean, in order.
    pub levels: Vec<LevelInfo>,
    pub scale: Scale,
    pub skills: Vec<Skill>,
    pub backgrounds: Vec<Background>,
    /// What is said of a background none of `backgrounds` fits.
    pub other_background: OtherBackground,
    /// The first role is the one a resume is measured against.
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelInfo {
    pub level: u8,
    pub name: String,
    pub means: String,
}

/// The numbers at which a scale signal reaches a level; `None` where that
/// kind of signal never does (duration never reaches organisation-wide).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Thresholds {
    pub teams: Option<f64>,
    pub people: Option<f64>,
    pub months: Option<f64>,
    pub budget: Option<f64>,
    pub systems: Option<f64>,
    pub users: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Scale {
    pub multi_team: Thresholds,
    pub organisation_wide: Thresholds,
    pub organisation_words: Vec<Term>,
    /// The skill (index into `skills`) that work across several teams or
    /// the organisation is evidence of, whatever words it uses.
    pub across_teams_skill: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillKind {
    Technical,
    Soft,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skill {
    pub id: String,
    pub name: String,
    pub kind: SkillKind,
    /// 1 to 5: how much TPM listings weigh it.
    pub weight: u8,
    pub terms: Vec<Term>,
    /// What evidence looks like at levels 1 to 4.
    pub levels: [String; 4],
    /// Concrete ways to close a gap in it.
    pub close: Vec<String>,
    /// The scale signals that raise its evidence: a sentence's numbers
    /// belong to the skills they measure (users raise system design, not
    /// stakeholder management).
    pub raised_by: Vec<crate::scale::Dimension>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Background {
    pub id: String,
    pub name: String,
    pub titles: Vec<Term>,
    pub signals: Vec<Term>,
    pub has: String,
    pub lacks: String,
    pub advice: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OtherBackground {
    pub name: String,
    pub has: String,
    pub lacks: String,
    pub advice: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// (index into `skills`, level needed), in the file's order.
    pub needs: Vec<(usize, u8)>,
}

/// Why a model file was refused: where, which field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}{}: {message}", if field.is_empty() { String::new() } else { format!(", `{field}`") })]
pub struct ModelError {
    pub line: usize,
    pub column: usize,
    /// The path of the field at fault, e.g. `skills[3].weight`.
    pub field: String,
    pub message: String,
}

impl Model {
    /// The model shipped inside the binary.
    pub fn default_model() -> Model {
        // The embedded file is checked by a unit test.
        Model::parse(DEFAULT_MODEL).expect("the embedded model is valid")
    }

    /// Reads and validates a model from YAML text.
    pub fn parse(text: &str) -> Result<Model, ModelError> {
        if text.len() > MAX_MODEL_BYTES {
            return Err(ModelError {
                line: 1,
                column: 1,
                field: String::new(),
                message: format!("the model is larger than {} KiB", MAX_MODEL_BYTES >> 10),
            });
        }
        let source = SourceFile::new("model.yaml", text.to_owned(), SourceKind::Yaml);
        let root = linchpin_plan::yaml::parse(SourceId(0), &source).map_err(|diagnostic| {
            let (line, column) = match diagnostic.origin {
                Origin::Span(span) => source.line_column(span.start as usize),
                _ => (1, 1),
            };
            ModelError { line, column, field: String::new(), message: diagnostic.message.clone() }
        })?;
        Reader { source: &source }.model(&root)
    }

    /// The index of the skill with this id.
    pub fn skill(&self, id: &str) -> Option<usize> {
        self.skills.iter().position(|s| s.id == id)
    }

    /// The role a resume is measured against: the first.
    pub fn target(&self) -> &Role {
        &self.roles[0]
    }
}

/// Decodes the YAML tree, naming the line and field of the first problem.
struct Reader<'s> {
    source: &'s SourceFile,
}

type Fields<'n> = Vec<(&'n str, &'n Node)>;

impl Reader<'_> {
    fn error(&self, node: &Node, field: &str, message: impl Into<String>) -> ModelError {
        let (line, column) = self.source.line_column(node.span.start as usize);
        ModelError { line, column, field: field.to_owned(), message: message.into() }
    }

    /// A mapping's fields, refusing unknown and missing ones.
    fn fields<'n>(
        &self,
        node: &'n Node,
        path: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Fields<'n>, ModelError> {
        let NodeKind::Map(entries) = &node.kind else {
            return Err(self.error(node, path, format!("expected a mapping, found {}", node.describe())));
        };
        let mut fields = Vec::new();
        for (key, value) in entries.iter() {
            let NodeKind::Scalar { text, .. } = &key.kind else {
                return Err(self.error(key, path, "a key must be a single word"));
            };
            if !required.contains(&text.as_ref()) && !optional.contains(&text.as_ref()) {
                let known: Vec<String> = required.iter().chain(optional).map(|k| format!("`{k}`")).collect();
                return Err(self.error(
                    key,
                    &join(path, text),
                    format!("unknown field `{text}`; the fields here are {}", known.join(", ")),
                ));
            }
            if fields.iter().any(|(k, _)| *k == text.as_ref()) {
                return Err(self.error(key, &join(path, text), format!("`{text}` is given twice")));
            }
            fields.push((text.as_ref(), value));
        }
        for name in required {
            if !fields.iter().any(|(k, _)| k == name) {
                return Err(self.error(node, path, format!("`{name}` is missing")));
            }
        }
        Ok(fields)
    }

    fn text(&self, node: &Node, path: &str) -> Result<String, ModelError> {
        match &node.kind {
            NodeKind::Scalar { text, .. } if text.trim().is_empty() => Err(self.error(node, path, "must not be empty")),
            NodeKind::Scalar { text, .. } if text.chars().count() > MAX_TEXT_CHARS => {
                Err(self.error(node, path, format!("is longer than {MAX_TEXT_CHARS} characters")))
            }
            NodeKind::Scalar { text, .. } => Ok(text.to_string()),
            _ => Err(self.error(node, path, format!("expected text, found {}", node.describe()))),
        }
    }

    fn id(&self, node: &Node, path: &str) -> Result<String, ModelError> {
        let id = self.text(node, path)?;
        if id.len() > 64 || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(self.error(
                node,
                path,
                format!("`{id}` is not an id: lowercase letters, digits and `-`, at most 64"),
            ));
        }
        Ok(id)
    }

    fn number(&self, node: &Node, path: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, ModelError> {
        let value = match &node.kind {
            NodeKind::Scalar { text, quoted: false } => text.replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match value {
            Some(v) if range.contains(&v) => Ok(v),
            _ => Err(self.error(
                node,
                path,
                format!("expected a number from {} to {}, found {}", range.start(), range.end(), self.shown(node)),
            )),
        }
    }

    fn level(&self, node: &Node, path: &str, least: u8) -> Result<u8, ModelError> {
        let value = self.number(node, path, f64::from(least)..=f64::from(TOP_LEVEL))?;
        if value.fract() != 0.0 {
            return Err(self.error(node, path, format!("expected a whole level from {least} to {TOP_LEVEL}")));
        }
        Ok(value as u8)
    }

    fn shown(&self, node: &Node) -> String {
        match &node.kind {
            NodeKind::Scalar { text, .. } => format!("`{}`", text.chars().take(40).collect::<String>()),
            _ => node.describe().to_owned(),
        }
    }

    fn list<'n>(&self, node: &'n Node, path: &str, most: usize) -> Result<&'n [Node], ModelError> {
        match &node.kind {
            NodeKind::List(items) if items.is_empty() => Err(self.error(node, path, "must list at least one")),
            NodeKind::List(items) if items.len() > most => {
                Err(self.error(node, path, format!("lists {}, more than the {most} allowed", items.len())))
            }
            NodeKind::List(items) => Ok(items),
            _ => Err(self.error(node, path, format!("expected a list, found {}", node.describe()))),
        }
    }

    fn texts(&self, node: &Node, path: &str) -> Result<Vec<String>, ModelError> {
        let items = self.list(node, path, MAX_TERMS)?;
        items.iter().enumerate().map(|(i, item)| self.text(item, &format!("{path}[{i}]"))).collect()
    }

    fn terms(&self, node: &Node, path: &str) -> Result<Vec<Term>, ModelError> {
        let items = self.list(node, path, MAX_TERMS)?;
        let mut terms = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let text = self.text(item, &at)?;
            let term = Term::new(&text)
                .ok_or_else(|| self.error(item, &at, format!("`{text}` has no letters or digits to match")))?;
            if term.len() > MAX_TERM_WORDS {
                return Err(self.error(item, &at, format!("a term has at most {MAX_TERM_WORDS} words")));
            }
            if term.is_bare_wildcard() {
                return Err(self.error(item, &at, "a `*` needs at least two letters before it"));
            }
            terms.push(term);
        }
        Ok(terms)
    }

    fn model(&self, root: &Node) -> Result<Model, ModelError> {
        let fields = self.fields(
            root,
            "",
            &["version", "levels", "scale", "skills", "backgrounds", "other-background", "roles"],
            &[],
        )?;
        let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let field = |name: &str| get(name).ok_or_else(|| self.error(root, name, format!("`{name}` is missing")));
        let version = field("version")?;
        if self.number(version, "version", 1.0..=1.0).is_err() {
            return Err(self.error(version, "version", "this Linchpin reads model `version: 1`"));
        }
        let levels = self.levels(field("levels")?)?;
        let mut scale = self.scale(field("scale")?)?;
        let skills = self.skills(field("skills")?)?;
        if let NodeKind::Map(entries) = &field("scale")?.kind
            && let Some((_, node)) = entries.iter().find(
                |(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text.as_ref() == "across-teams-skill"),
            )
        {
            let path = "scale.across-teams-skill";
            let id = self.id(node, path)?;
            let index = skills.iter().position(|s| s.id == id).ok_or_else(|| {
                let hint = linchpin_model::diagnostic::did_you_mean(&id, skills.iter().map(|s| s.id.as_str()))
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                self.error(node, path, format!("no skill `{id}` in `skills`{hint}"))
            })?;
            scale.across_teams_skill = Some(index);
        }
        let backgrounds = self.backgrounds(field("backgrounds")?)?;
        let other_background = self.other_background(field("other-background")?)?;
        let roles = self.roles(field("roles")?, &skills)?;
        Ok(Model { levels, scale, skills, backgrounds, other_background, roles })
    }

    fn other_background(&self, node: &Node) -> Result<OtherBackground, ModelError> {
        let path = "other-background";
        let f = self.fields(node, path, &["name", "has", "lacks", "advice"], &[])?;
        let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(node);
        Ok(OtherBackground {
            name: self.text(at("name"), &join(path, "name"))?,
            has: self.text(at("has"), &join(path, "has"))?,
            lacks: self.text(at("lacks"), &join(path, "lacks"))?,
            advice: self.texts(at("advice"), &join(path, "advice"))?,
        })
    }

    fn levels(&self, node: &Node) -> Result<Vec<LevelInfo>, ModelError> {
        let items = self.list(node, "levels", TOP_LEVEL as usize)?;
        let mut levels = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("levels[{i}]");
            let f = self.fields(item, &path, &["level", "name", "means"], &[])?;
            let level = self.level(f[0].1, &join(&path, "level"), 1)?;
            let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(item);
            if usize::from(level) != i + 1 {
                return Err(self.error(at("level"), &join(&path, "level"), format!("expected level {}", i + 1)));
            }
            levels.push(LevelInfo {
                level,
                name: self.text(at("name"), &join(&path, "name"))?,
                means: self.text(at("means"), &join(&path, "means"))?,
            });
        }
        if levels.len() != TOP_LEVEL as usize {
            return Err(self.error(node, "levels", format!("expected the {TOP_LEVEL} levels 1 to {TOP_LEVEL}")));
        }
        Ok(levels)
    }

    fn dimensions(&self, node: &Node, path: &str) -> Result<Vec<crate::scale::Dimension>, ModelError> {
        use crate::scale::Dimension;
        let items = self.list(node, path, Dimension::ALL.len())?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let name = self.text(item, &at)?;
            let d = Dimension::ALL.iter().copied().find(|d| d.name() == name).ok_or_else(|| {
                let names: Vec<String> = Dimension::ALL.iter().map(|d| format!("`{}`", d.name())).collect();
                self.error(item, &at, format!("`{name}` is not a scale signal: {}", names.join(", ")))
            })?;
            if !out.contains(&d) {
                out.push(d);
            }
        }
        Ok(out)
    }

    fn thresholds(&self, node: &Node, path: &str) -> Result<Thresholds, ModelError> {
        let f = self.fields(node, path, &[], &["teams", "people", "months", "budget", "systems", "users"])?;
        let mut t = Thresholds::default();
        for (name, value) in f {
            let n = Some(self.number(value, &join(path, name), 1.0..=1e15)?);
            match name {
                "teams" => t.teams = n,
                "people" => t.people = n,
                "months" => t.months = n,
                "budget" => t.budget = n,
                "systems" => t.systems = n,
                _ => t.users = n,
            }
        }
        Ok(t)
    }

    fn scale(&self, node: &Node) -> Result<Scale, ModelError> {
        let f = self.fields(
            node,
            "scale",
            &["multi-team", "organisation-wide", "organisation-words"],
            &["across-teams-skill"],
        )?;
        let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(node);
        Ok(Scale {
            multi_team: self.thresholds(at("multi-team"), "scale.multi-team")?,
            organisation_wide: self.thresholds(at("organisation-wide"), "scale.organisation-wide")?,
            organisation_words: self.terms(at("organisation-words"), "scale.organisation-words")?,
            // Resolved once the skills are read.
            across_teams_skill: None,
        })
    }

    fn skills(&self, node: &Node) -> Result<Vec<Skill>, ModelError> {
        let items = self.list(node, "skills", MAX_ENTRIES)?;
        let mut skills: Vec<Skill> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("skills[{i}]");
            let f = self.fields(
                item,
                &path,
                &["id", "name", "kind", "weight", "terms", "levels", "close"],
                &["raised-by"],
            )?;
            let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(item);
            let id = self.id(at("id"), &join(&path, "id"))?;
            if skills.iter().any(|s| s.id == id) {
                return Err(self.error(at("id"), &join(&path, "id"), format!("a skill `{id}` is already defined")));
            }
            let path = format!("skills[{id}]");
            let kind = match self.text(at("kind"), &join(&path, "kind"))?.as_str() {
                "technical" => SkillKind::Technical,
                "soft" => SkillKind::Soft,
                other => {
                    return Err(self.error(
                        at("kind"),
                        &join(&path, "kind"),
                        format!("`{other}` is not a kind: `technical` or `soft`"),
                    ));
                }
            };
            let weight = self.number(at("weight"), &join(&path, "weight"), 1.0..=5.0)?;
            if weight.fract() != 0.0 {
                return Err(self.error(at("weight"), &join(&path, "weight"), "expected a whole number from 1 to 5"));
            }
            let levels_path = join(&path, "levels");
            let lf = self.fields(at("levels"), &levels_path, &["1", "2", "3", "4"], &[])?;
            let level_text = |n: &str| -> Result<String, ModelError> {
                let node = lf.iter().find(|(k, _)| *k == n).map(|(_, v)| *v).unwrap_or(item);
                self.text(node, &format!("{levels_path}.{n}"))
            };
            skills.push(Skill {
                name: self.text(at("name"), &join(&path, "name"))?,
                kind,
                weight: weight as u8,
                terms: self.terms(at("terms"), &join(&path, "terms"))?,
                levels: [level_text("1")?, level_text("2")?, level_text("3")?, level_text("4")?],
                close: self.texts(at("close"), &join(&path, "close"))?,
                raised_by: match f.iter().find(|(k, _)| *k == "raised-by") {
                    Some((_, node)) => self.dimensions(node, &join(&path, "raised-by"))?,
                    None => crate::scale::Dimension::ALL.to_vec(),
                },
                id,
            });
        }
        Ok(skills)
    }

    fn backgrounds(&self, node: &Node) -> Result<Vec<Background>, ModelError> {
        let items = self.list(node, "backgrounds", MAX_ENTRIES)?;
        let mut backgrounds: Vec<Background> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("backgrounds[{i}]");
            let f = self.fields(item, &path, &["id", "name", "titles", "signals", "has", "lacks", "advice"], &[])?;
            let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(item);
            let id = self.id(at("id"), &join(&path, "id"))?;
            if id == "other" || backgrounds.iter().any(|b| b.id == id) {
                return Err(self.error(
                    at("id"),
                    &join(&path, "id"),
                    format!("a background `{id}` is already defined"),
                ));
            }
            let path = format!("backgrounds[{id}]");
            backgrounds.push(Background {
                name: self.text(at("name"), &join(&path, "name"))?,
                titles: self.terms(at("titles"), &join(&path, "titles"))?,
                signals: self.terms(at("signals"), &join(&path, "signals"))?,
                has: self.text(at("has"), &join(&path, "has"))?,
                lacks: self.text(at("lacks"), &join(&path, "lacks"))?,
                advice: self.texts(at("advice"), &join(&path, "advice"))?,
                id,
            });
        }
        Ok(backgrounds)
    }

    fn roles(&self, node: &Node, skills: &[Skill]) -> Result<Vec<Role>, ModelError> {
        let items = self.list(node, "roles", MAX_ENTRIES)?;
        let mut roles: Vec<Role> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("roles[{i}]");
            let f = self.fields(item, &path, &["id", "name", "summary", "needs"], &[])?;
            let at = |name: &str| f.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(item);
            let id = self.id(at("id"), &join(&path, "id"))?;
            if roles.iter().any(|r| r.id == id) {
                return Err(self.error(at("id"), &join(&path, "id"), format!("a role `{id}` is already defined")));
            }
            let path = format!("roles[{id}]");
            let needs_path = join(&path, "needs");
            let NodeKind::Map(entries) = &at("needs").kind else {
                return Err(self.error(at("needs"), &needs_path, "expected a mapping of skill ids to levels"));
            };
            if entries.is_empty() {
                return Err(self.error(at("needs"), &needs_path, "must name at least one skill"));
            }
            let mut needs: Vec<(usize, u8)> = Vec::new();
            for (key, value) in entries.iter() {
                let skill_id = self.text(key, &needs_path)?;
                let at_skill = format!("{needs_path}.{skill_id}");
                let Some(skill) = skills.iter().position(|s| s.id == skill_id) else {
                    let known: Vec<&str> = skills.iter().map(|s| s.id.as_str()).collect();
                    let hint = linchpin_model::diagnostic::did_you_mean(&skill_id, known.iter().copied())
                        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    return Err(self.error(key, &at_skill, format!("no skill `{skill_id}` in `skills`{hint}")));
                };
                if needs.iter().any(|(s, _)| *s == skill) {
                    return Err(self.error(key, &at_skill, "is given twice"));
                }
                needs.push((skill, self.level(value, &at_skill, 1)?));
            }
            roles.push(Role {
                name: self.text(at("name"), &join(&path, "name"))?,
                summary: self.text(at("summary"), &join(&path, "summary"))?,
                needs,
                id,
            });
        }
        Ok(roles)
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_is_valid_and_holds_what_listings_name() {
        let model = Model::parse(DEFAULT_MODEL).expect("valid");
        for id in [
            "system-design",
            "project-management",
            "agile",
            "jira-confluence",
            "roadmap-planning",
            "cross-functional-leadership",
            "risk-management",
            "data-analysis",
            "api-architecture",
            "stakeholder-management",
            "leadership",
            "communication",
            "problem-solving",
            "organisation",
            "adaptability",
        ] {
            assert!(model.skill(id).is_some(), "{id}");
        }
        let roles: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            roles,
            [
                "technical-program-manager",
                "program-manager",
                "project-manager",
                "product-manager",
                "technical-product-manager"
            ]
        );
        assert_eq!(model.target().id, "technical-program-manager");
        assert_eq!(model.backgrounds.len(), 6);
    }

    fn error(text: &str) -> ModelError {
        Model::parse(text).expect_err("refused")
    }

    #[test]
    fn a_bad_model_is_refused_with_its_line_and_field() {
        let bad_weight = DEFAULT_MODEL.replacen("weight: 5", "weight: 9", 1);
        let e = error(&bad_weight);
        assert_eq!(e.field, "skills[system-design].weight");
        assert_eq!(bad_weight.lines().nth(e.line - 1).map(str::trim), Some("weight: 9"), "{e}");
        assert!(e.message.contains("from 1 to 5"), "{e}");

        let unknown_skill = DEFAULT_MODEL.replacen("      system-design: 3\n", "      sytem-design: 3\n", 1);
        let e = error(&unknown_skill);
        assert_eq!(e.field, "roles[technical-program-manager].needs.sytem-design");
        assert!(e.message.contains("did you mean `system-design`?"), "{e}");

        let typo = DEFAULT_MODEL.replacen("    weight: 5\n", "    wieght: 5\n", 1);
        let e = error(&typo);
        assert!(e.message.contains("unknown field `wieght`"), "{e}");

        let v2 = DEFAULT_MODEL.replacen("version: 1", "version: 2", 1);
        let e = error(&v2);
        assert_eq!((v2.lines().nth(e.line - 1), e.field.as_str()), (Some("version: 2"), "version"));
        let e = error("version: 1\n");
        assert!(e.message.contains("`levels` is missing"), "{e}");
        let e = error("version: 1\nlevels: [\n");
        assert!(e.field.is_empty() && e.line >= 1, "{e}");
        let e = error("- a list\n");
        assert!(e.message.contains("expected a mapping"), "{e}");
        let e = error(&"x".repeat(MAX_MODEL_BYTES + 1));
        assert!(e.message.contains("larger than"), "{e}");
        let star = DEFAULT_MODEL.replacen("      - system design\n", "      - \"*\"\n", 1);
        assert!(error(&star).field.starts_with("skills[system-design].terms[0]"));
    }
}
