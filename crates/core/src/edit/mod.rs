//! Editing the user's own Word file: each change the model proposes goes
//! back into a copy of the .docx as a Word revision (tracked insertion or
//! deletion, author "Deskpilot", the date), so Word or LibreOffice shows it
//! for accept or reject. Everything not changed stays byte for byte: the
//! other parts of the package are copied raw, and inside `document.xml`
//! only the paragraphs edited are rewritten, word by word, each word in
//! its run's formatting.
//!
//! Flow: [`DocxEdit::open`] reads the file and finds its paragraphs and
//! their locations (`§2 Results ¶3`, as summaries cite them);
//! [`DocxEdit::select`] picks those to edit; [`run`] asks the model for
//! each (one paragraph a call, with progress and cancel; nothing is
//! written until the end); [`DocxEdit::write`] writes the copy.

mod diff;
mod paragraphs;
mod revisions;
mod select;
mod write;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::docs::{self, DocError, Limits};

pub use select::Selection;

use paragraphs::Paragraph;

/// Why an edit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Doc(#[from] DocError),
    #[error("{file}: only Word documents (.docx, .docm) can be edited as tracked changes", file = file.display())]
    NotWord { file: PathBuf },
    #[error("{file}: the document is protected against editing (Word's Restrict Editing); remove the protection in Word first", file = file.display())]
    Protected { file: PathBuf },
    #[error("{file}: the document carries a digital signature, which any edit would break", file = file.display())]
    Signed { file: PathBuf },
    #[error("{file}: {detail}", file = file.display())]
    Damaged { file: PathBuf, detail: String },
    #[error("{file}: {detail}", file = file.display())]
    NothingSelected { file: PathBuf, detail: String },
    #[error("{out}: {detail}", out = out.display())]
    Output { out: PathBuf, detail: String },
    #[cfg(all(feature = "llm", feature = "store"))]
    #[error(transparent)]
    Model(#[from] crate::draft::DraftError),
    #[error("{what} cannot be made as tracked changes: {why}")]
    Unsuited { what: String, why: String },
}

impl EditError {
    /// A stable code for `{code, message}` across IPC and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            EditError::Doc(e) => e.code(),
            EditError::NotWord { .. } => "not_word",
            EditError::Protected { .. } => "protected",
            EditError::Signed { .. } => "signed",
            EditError::Damaged { .. } => "damaged",
            EditError::NothingSelected { .. } => "nothing_selected",
            EditError::Output { .. } => "output",
            #[cfg(all(feature = "llm", feature = "store"))]
            EditError::Model(e) => crate::ErrorCode::code(e),
            EditError::Unsuited { .. } => "unsuited",
        }
    }
}

/// One paragraph of the document as an edit sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Its number among the body's paragraphs (table cells included).
    pub index: usize,
    /// Where the document reader places it (`§2 Results ¶3`), when known.
    pub loc: Option<String>,
    pub heading: bool,
    /// The body table it is in (0 = the first), if any.
    pub table: Option<usize>,
    pub text: String,
    /// Why it cannot be edited, if it cannot.
    pub blocked: Option<String>,
}

/// A Word document opened for editing.
pub struct DocxEdit {
    file: PathBuf,
    bytes: Vec<u8>,
    xml: String,
    main: String,
    paragraphs: Vec<Paragraph>,
    targets: Vec<Target>,
    next_id: u64,
    /// The comments part the body's relationships name, if any.
    comments_part: Option<String>,
    /// Protection that asks for tracked changes: allowed, since that is
    /// what an edit writes.
    pub tracked_only: bool,
}

impl DocxEdit {
    /// Reads `file` (under `limits`) and finds its paragraphs; refuses
    /// files that are not Word documents, are protected or signed.
    pub fn open(file: &Path, limits: &Limits) -> Result<DocxEdit, EditError> {
        let doc = docs::open_with(file, limits)?;
        if doc.format != docs::Format::Docx {
            return Err(EditError::NotWord {
                file: file.to_path_buf(),
            });
        }
        let bytes = std::fs::read(file).map_err(|e| DocError::new(file, e.into()))?;
        let parts = write::Parts::read(&bytes, limits).map_err(|p| DocError::new(file, p))?;
        if parts.signed {
            return Err(EditError::Signed {
                file: file.to_path_buf(),
            });
        }
        if parts.protection == write::Protection::Enforced {
            return Err(EditError::Protected {
                file: file.to_path_buf(),
            });
        }
        let xml = String::from_utf8(parts.main_xml).map_err(|_| EditError::Damaged {
            file: file.to_path_buf(),
            detail: format!(
                "{} is not UTF-8; save it again in Word to edit it",
                parts.main
            ),
        })?;
        let paragraphs = paragraphs::scan(&xml, limits, limits.deadline())
            .map_err(|p| DocError::new(file, p))?;
        let targets = select::locate(&paragraphs, &doc.blocks);
        Ok(DocxEdit {
            file: file.to_path_buf(),
            bytes,
            xml,
            main: parts.main,
            paragraphs,
            targets,
            next_id: parts.max_id + 1,
            comments_part: parts.comments,
            tracked_only: parts.protection == write::Protection::TrackedChanges,
        })
    }

    /// The package entry the body is in (`word/document.xml`).
    pub fn main_part(&self) -> &str {
        &self.main
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Every paragraph, with its location and whether it can be edited.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The paragraphs `selection` names that have text (blocked ones
    /// included, for the report to say why they were left); an error
    /// names what matched nothing.
    pub fn select(&self, selection: &Selection) -> Result<Vec<usize>, EditError> {
        select::select(&self.targets, selection).map_err(|detail| EditError::NothingSelected {
            file: self.file.clone(),
            detail,
        })
    }

    /// The selected paragraphs' text before and after `changes`, each
    /// joined by blank lines: what a session keeps as the edit's draft.
    pub fn texts(&self, indices: &[usize], changes: &[(usize, String)]) -> (String, String) {
        let mut before = Vec::new();
        let mut after = Vec::new();
        for &i in indices {
            let Some(t) = self.targets.get(i) else {
                continue;
            };
            before.push(t.text.as_str());
            after.push(
                changes
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(t.text.as_str(), |(_, new)| new.as_str()),
            );
        }
        (before.join("\n\n"), after.join("\n\n"))
    }

    /// Where a copy goes when no name is given: beside the original, named
    /// after it and the operation (`report (proofread).docx`), never an
    /// existing file (`report (proofread 2).docx` then).
    pub fn copy_path(&self, op_name: &str) -> PathBuf {
        let stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        let ext = self
            .file
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_else(|| "docx".into());
        let tag: String = op_name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == ' ' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        (1..)
            .map(|n| {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!(" {n}")
                };
                self.file
                    .with_file_name(format!("{stem} ({tag}{suffix}).{ext}"))
            })
            .find(|p| !p.exists())
            .unwrap_or_else(|| self.file.with_extension(format!("edited.{ext}")))
    }

    /// Writes a copy of the file to `out` with `changes` (paragraph index,
    /// its new text) as tracked changes by `author`; returns how many
    /// revisions were written. Refuses to write over the original.
    pub fn write(
        &self,
        changes: &[(usize, String)],
        out: &Path,
        author: &str,
    ) -> Result<usize, EditError> {
        write::write_copy(self, changes, out, author, None)
    }

    /// Like [`DocxEdit::write`], but the text stays as it was and each
    /// change becomes a Word comment on the words it concerns (`label:
    /// replace with "..."`, `label: delete`, `label: insert "..."`).
    pub fn write_as_comments(
        &self,
        changes: &[(usize, String)],
        out: &Path,
        author: &str,
        label: &str,
    ) -> Result<usize, EditError> {
        write::write_copy(self, changes, out, author, Some(label))
    }
}

/// A paragraph changed, as the report gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    pub index: usize,
    pub loc: Option<String>,
    pub before: String,
    pub after: String,
}

/// A paragraph selected but left as it was, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub index: usize,
    pub loc: Option<String>,
    pub why: String,
}

/// What an edit did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct EditReport {
    pub changed: Vec<Changed>,
    pub skipped: Vec<Skipped>,
    /// Paragraphs the model left as they were.
    pub unchanged: usize,
    pub cancelled: bool,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
}

#[cfg(all(feature = "llm", feature = "store"))]
mod run;
#[cfg(all(feature = "llm", feature = "store"))]
pub use run::{run, EditOp, Progress};
