//! Why a file could not be read, always naming the file.

use std::path::PathBuf;

/// What went wrong, without the file (see [`DocError`]).
#[derive(Debug, thiserror::Error)]
pub enum DocProblem {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("password-protected")]
    PasswordProtected,
    #[error("no text layer (scanned?)")]
    NoTextLayer,
    #[error("empty file")]
    Empty,
    #[error("the content does not match the .{expected} name: {detail}")]
    Mislabelled {
        expected: &'static str,
        detail: String,
    },
    #[error("unsupported file type{}", ext.as_ref().map(|e| format!(" '.{e}'")).unwrap_or_default())]
    Unsupported { ext: Option<String> },
    #[error("truncated or damaged: {0}")]
    Damaged(String),
    #[error("limit '{name}' exceeded: {detail}")]
    Limit { name: &'static str, detail: String },
}

/// A document that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem}", file = file.display())]
pub struct DocError {
    pub file: PathBuf,
    #[source]
    pub problem: DocProblem,
}

impl DocError {
    pub fn new(file: impl Into<PathBuf>, problem: DocProblem) -> Self {
        DocError {
            file: file.into(),
            problem,
        }
    }

    /// A stable code for `{code, message}` across IPC and JSON.
    pub fn code(&self) -> &'static str {
        match self.problem {
            DocProblem::Io(_) => "io",
            DocProblem::PasswordProtected => "password_protected",
            DocProblem::NoTextLayer => "no_text_layer",
            DocProblem::Empty => "empty",
            DocProblem::Mislabelled { .. } => "mislabelled",
            DocProblem::Unsupported { .. } => "unsupported",
            DocProblem::Damaged(_) => "damaged",
            DocProblem::Limit { .. } => "limit",
        }
    }
}

pub fn damaged(detail: impl std::fmt::Display) -> DocProblem {
    DocProblem::Damaged(detail.to_string())
}
