//! Draft templates: one Markdown file each, a header between `---` lines
//! (name, description, one `field:` line per field) and the prompt body
//! with `{field}` placeholders. Built-in ones come from `prompts/templates/`
//! (compiled in); files in `<data folder>/templates/` add to them or
//! replace one of the same file name. A malformed file is an error naming
//! it and the line.
//!
//! ```text
//! ---
//! name: Email
//! description: A clear, polite email
//! field: recipient | Who it is to | required
//! field: tone | Tone | default: friendly
//! ---
//! Write an email to {recipient} ... Tone: {tone}.
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

const BUILTIN: &[(&str, &str)] = &[
    (
        "email",
        include_str!("../../../../prompts/templates/email.md"),
    ),
    (
        "news-brief",
        include_str!("../../../../prompts/templates/news-brief.md"),
    ),
    (
        "press-release",
        include_str!("../../../../prompts/templates/press-release.md"),
    ),
    (
        "marketing-copy",
        include_str!("../../../../prompts/templates/marketing-copy.md"),
    ),
    (
        "customer-reply",
        include_str!("../../../../prompts/templates/customer-reply.md"),
    ),
    (
        "meeting-minutes",
        include_str!("../../../../prompts/templates/meeting-minutes.md"),
    ),
    (
        "weekly-report",
        include_str!("../../../../prompts/templates/weekly-report.md"),
    ),
    (
        "lesson-plan",
        include_str!("../../../../prompts/templates/lesson-plan.md"),
    ),
    (
        "financial-summary",
        include_str!("../../../../prompts/templates/financial-summary.md"),
    ),
    (
        "medical-explainer",
        include_str!("../../../../prompts/templates/medical-explainer.md"),
    ),
];

/// One field a template asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub default: Option<String>,
}

/// A parsed template.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// The file name without `.md`: what `deskpilot draft ID` takes.
    pub id: String,
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    #[serde(skip)]
    pub body: String,
    /// The user's file, or `None` for a built-in template.
    pub file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {file}, line {line}: {reason}")]
    Malformed {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no template {0:?}; `deskpilot templates` lists them")]
    Unknown(String),
    #[error("template {template} needs the field {field} ({label}): pass --field {field}=...")]
    Missing {
        template: String,
        field: String,
        label: String,
    },
    #[error("template {template} has no field {field}; its fields: {known}")]
    UnknownField {
        template: String,
        field: String,
        known: String,
    },
}

/// Parses one template file. `file` names it in errors.
pub fn parse(id: &str, text: &str, file: Option<&Path>) -> Result<Template, TemplateError> {
    let shown = file
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| format!("{id} (built in)"));
    let bad = |line: usize, reason: &str| TemplateError::Malformed {
        file: shown.clone(),
        line,
        reason: reason.to_owned(),
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, l)) if l.trim() == "---" => {}
        _ => return Err(bad(1, "it must start with a `---` header line")),
    }
    let (mut name, mut description, mut fields) = (None, String::new(), Vec::<Field>::new());
    let mut body_start = None;
    for (i, line) in lines.by_ref() {
        let l = line.trim();
        if l == "---" {
            body_start = Some(i + 1);
            break;
        }
        if l.is_empty() {
            continue;
        }
        let Some((key, value)) = l.split_once(':') else {
            return Err(bad(i + 1, "header lines are `key: value`"));
        };
        let value = value.trim();
        match key.trim() {
            "name" => name = Some(value.to_owned()),
            "description" => description = value.to_owned(),
            "field" => {
                let parts: Vec<&str> = value.split('|').map(str::trim).collect();
                if parts.len() != 3 || parts[0].is_empty() {
                    return Err(bad(
                        i + 1,
                        "a field is `field: key | label | required` or `... | default: value`",
                    ));
                }
                let key = parts[0];
                if !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    return Err(bad(i + 1, "a field key is letters, digits, - and _"));
                }
                let (required, default) = if parts[2] == "required" {
                    (true, None)
                } else if let Some(d) = parts[2].strip_prefix("default:") {
                    (false, Some(d.trim().to_owned()))
                } else {
                    return Err(bad(
                        i + 1,
                        "the third part is `required` or `default: value`",
                    ));
                };
                if fields.iter().any(|f| f.key == key) {
                    return Err(bad(i + 1, &format!("field {key} is defined twice")));
                }
                fields.push(Field {
                    key: key.to_owned(),
                    label: parts[1].to_owned(),
                    required,
                    default,
                });
            }
            other => return Err(bad(i + 1, &format!("unknown header key {other:?}"))),
        }
    }
    let Some(start) = body_start else {
        return Err(bad(1, "the header has no closing `---` line"));
    };
    let body = text
        .lines()
        .skip(start)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    if body.is_empty() {
        return Err(bad(start + 1, "the prompt body is empty"));
    }
    let name = name.ok_or_else(|| bad(1, "the header has no `name:`"))?;
    for f in &fields {
        if !body.contains(&format!("{{{}}}", f.key)) {
            return Err(bad(
                start + 1,
                &format!("the body never uses the field {{{}}}", f.key),
            ));
        }
    }
    Ok(Template {
        id: id.to_owned(),
        name,
        description,
        fields,
        body,
        file: file.map(Path::to_path_buf),
    })
}

/// Built-in templates, then the user's from `dir` (replacing a built-in
/// of the same id); sorted by id.
pub fn load_all(dir: Option<&Path>) -> Result<Vec<Template>, TemplateError> {
    let mut all: BTreeMap<String, Template> = BTreeMap::new();
    for (id, text) in BUILTIN {
        all.insert((*id).to_owned(), parse(id, text, None)?);
    }
    if let Some(dir) = dir {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(all.into_values().collect())
            }
            Err(source) => {
                return Err(TemplateError::Io {
                    path: dir.to_path_buf(),
                    source,
                })
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| TemplateError::Io {
                path: path.clone(),
                source,
            })?;
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            all.insert(id.clone(), parse(&id, &text, Some(&path))?);
        }
    }
    Ok(all.into_values().collect())
}

/// The template `id` from `load_all(dir)`.
pub fn find(id: &str, dir: Option<&Path>) -> Result<Template, TemplateError> {
    load_all(dir)?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| TemplateError::Unknown(id.to_owned()))
}

impl Template {
    /// The prompt with `values` filled in (defaults for the rest). Missing
    /// required fields and unknown keys are errors.
    pub fn fill(&self, values: &[(String, String)]) -> Result<String, TemplateError> {
        for (k, _) in values {
            if !self.fields.iter().any(|f| &f.key == k) {
                return Err(TemplateError::UnknownField {
                    template: self.id.clone(),
                    field: k.clone(),
                    known: self
                        .fields
                        .iter()
                        .map(|f| f.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let mut vars: Vec<(&str, &str)> = Vec::new();
        for f in &self.fields {
            let given = values
                .iter()
                .rev()
                .find(|(k, _)| k == &f.key)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.trim().is_empty());
            match (given, &f.default) {
                (Some(v), _) => vars.push((&f.key, v)),
                (None, Some(d)) => vars.push((&f.key, d)),
                (None, None) => {
                    return Err(TemplateError::Missing {
                        template: self.id.clone(),
                        field: f.key.clone(),
                        label: f.label.clone(),
                    })
                }
            }
        }
        Ok(crate::prompts::fill(&self.body, &vars))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_parses_and_the_set_is_complete() {
        let all = load_all(None).unwrap();
        assert_eq!(all.len(), 10);
        let medical = all.iter().find(|t| t.id == "medical-explainer").unwrap();
        assert!(medical.body.contains("not medical advice"));
    }

    #[test]
    fn filling_uses_defaults_and_names_what_is_missing() {
        let t = find("email", None).unwrap();
        let out = t
            .fill(&[
                ("recipient".into(), "Ana".into()),
                ("purpose".into(), "thanks".into()),
            ])
            .unwrap();
        assert!(
            out.contains("to Ana") && out.contains("friendly and professional"),
            "{out}"
        );
        let err = t.fill(&[("recipient".into(), "Ana".into())]).unwrap_err();
        assert!(err.to_string().contains("--field purpose="), "{err}");
        let err = t.fill(&[("colour".into(), "red".into())]).unwrap_err();
        assert!(err.to_string().contains("recipient"), "{err}");
    }

    #[test]
    fn a_malformed_user_template_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("memo.md"),
            "---\nname: Memo\nfield: to | To\n---\nHi {to}\n",
        )
        .unwrap();
        let err = load_all(Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("memo.md") && err.contains("line 3"), "{err}");
        std::fs::write(
            dir.path().join("memo.md"),
            "---\nname: Memo\nfield: to | To | required\n---\nHi {to}\n",
        )
        .unwrap();
        let all = load_all(Some(dir.path())).unwrap();
        assert!(all.iter().any(|t| t.id == "memo" && t.file.is_some()));
        std::fs::write(dir.path().join("memo.md"), "no header").unwrap();
        assert!(load_all(Some(dir.path()))
            .unwrap_err()
            .to_string()
            .contains("memo.md"));
    }
}
