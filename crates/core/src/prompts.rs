//! Prompt templates: compiled in from the repository's `prompts/` folder
//! (include_str!), each overridable by a file of the same name in
//! `<data folder>/prompts/`. Placeholders are `{name}`; substitution is one
//! pass, so text put into a prompt (a document that happens to contain
//! `{question}`) is never expanded again.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The rules every request carries (see prompts/constitution.md).
pub const CONSTITUTION: &str = include_str!("../../../prompts/constitution.md");

const BUILTIN: &[(&str, &str)] = &[
    ("constitution.md", CONSTITUTION),
    (
        "summarize-passages.md",
        include_str!("../../../prompts/summarize-passages.md"),
    ),
    (
        "summarize-notes.md",
        include_str!("../../../prompts/summarize-notes.md"),
    ),
    (
        "ask-files.md",
        include_str!("../../../prompts/ask-files.md"),
    ),
    ("rewrite.md", include_str!("../../../prompts/rewrite.md")),
    (
        "support-rewrite.md",
        include_str!("../../../prompts/support-rewrite.md"),
    ),
];

/// The system prompt of a conversation: the constitution, then the user's
/// own system prompt if any. Every chat request carries it.
pub fn system_prompt(user: Option<&str>) -> String {
    match user.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => format!("{}\n{u}", CONSTITUTION.trim_end()),
        None => CONSTITUTION.trim_end().to_owned(),
    }
}

/// A template that cannot be used, naming it.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no prompt template named {0}")]
    Unknown(String),
    #[error("prompt template {name}: it lacks the placeholder {{{field}}}")]
    MissingField { name: String, field: String },
}

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct Prompts {
    overrides: Option<PathBuf>,
}

impl Prompts {
    /// Built-in templates only.
    pub fn builtin() -> Prompts {
        Prompts::default()
    }

    /// Built-in templates, each replaced by `<dir>/<name>` when that exists.
    pub fn with_overrides(dir: &Path) -> Prompts {
        Prompts {
            overrides: Some(dir.to_path_buf()),
        }
    }

    pub fn get(&self, name: &str) -> Result<Cow<'static, str>, PromptError> {
        if let Some(dir) = &self.overrides {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(Cow::Owned(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(PromptError::Io { path, source }),
            }
        }
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| Cow::Borrowed(*t))
            .ok_or_else(|| PromptError::Unknown(name.to_owned()))
    }

    /// The template with its placeholders filled; every variable must have
    /// its placeholder (an override that dropped `{passages}` would silently
    /// summarize nothing).
    pub fn render(&self, name: &str, vars: &[(&str, &str)]) -> Result<String, PromptError> {
        let template = self.get(name)?;
        for (k, _) in vars {
            if !template.contains(&format!("{{{k}}}")) {
                return Err(PromptError::MissingField {
                    name: name.to_owned(),
                    field: (*k).to_owned(),
                });
            }
        }
        Ok(fill(&template, vars))
    }
}

/// One pass over `template`, replacing `{key}` by its value.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hit = after.find('}').and_then(|close| {
            let key = &after[..close];
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (close, *v))
        });
        match hit {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_prompt_is_there() {
        for (name, _) in BUILTIN {
            assert!(Prompts::builtin().get(name).is_ok(), "{name}");
        }
        assert!(Prompts::builtin().get("rewrite.md").is_ok());
    }

    #[test]
    fn filling_is_one_pass() {
        let t = "Q: {question}\nP: {passages} {other}";
        let out = fill(t, &[("question", "{passages}?"), ("passages", "text")]);
        assert_eq!(out, "Q: {passages}?\nP: text {other}");
    }

    #[test]
    fn an_override_missing_a_placeholder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ask-files.md"), "no slots here").unwrap();
        let p = Prompts::with_overrides(dir.path());
        let err = p
            .render("ask-files.md", &[("question", "q"), ("passages", "p")])
            .unwrap_err();
        assert!(err.to_string().contains("ask-files.md"), "{err}");
        assert!(Prompts::builtin()
            .render("ask-files.md", &[("question", "q"), ("passages", "p")])
            .is_ok());
    }
}
