//! Exports a session (messages with their sources, opened documents,
//! drafts, analyses) as Markdown or as a Word document.

use std::path::Path;

use super::{Message, MessageStatus, Role, SessionId, Store, StoreError};

/// The formats a session exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Docx,
}

/// The exported content as a list of parts, rendered to either format.
enum Part {
    Heading(u8, String),
    Text(String),
    Note(String),
    Bullet(String),
}

fn when(ms: i64) -> String {
    super::format_utc(ms) + " UTC"
}

fn status_note(m: &Message) -> Option<String> {
    match m.status {
        MessageStatus::Complete => None,
        MessageStatus::Partial => Some("Reply still being written when exported.".into()),
        MessageStatus::Cancelled => Some("Reply stopped by the user.".into()),
        MessageStatus::Interrupted => {
            Some("Reply cut off: the app stopped while writing it.".into())
        }
        MessageStatus::Failed => Some(format!(
            "Reply failed: {}",
            m.error.as_deref().unwrap_or("unknown error")
        )),
    }
}

impl Store {
    async fn export_parts(&self, session: SessionId) -> Result<Vec<Part>, StoreError> {
        let info = self.session(session).await?;
        let mut parts = vec![Part::Heading(1, info.title.clone())];
        let mut meta = format!(
            "Exported from Deskpilot; session started {}",
            when(info.created_at)
        );
        if let Some(model) = &info.model {
            meta.push_str(&format!("; model {model}"));
        }
        meta.push('.');
        parts.push(Part::Note(meta));
        if let Some(system) = info.system_prompt.as_deref().filter(|s| !s.is_empty()) {
            parts.push(Part::Note(format!("System prompt: {system}")));
        }

        for m in self.messages(session).await? {
            let who = match m.role {
                Role::User => "You".to_owned(),
                Role::System => "System".to_owned(),
                Role::Assistant => match &m.model {
                    Some(model) => format!("Deskpilot ({model})"),
                    None => "Deskpilot".to_owned(),
                },
            };
            parts.push(Part::Heading(2, format!("{who}, {}", when(m.created_at))));
            for para in m.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
                parts.push(Part::Text(para.trim_end().to_owned()));
            }
            if let Some(note) = status_note(&m) {
                parts.push(Part::Note(note));
            }
            if !m.citations.is_empty() {
                parts.push(Part::Note("Sources:".into()));
                for c in &m.citations {
                    parts.push(Part::Bullet(format!("{}, {}", c.file, c.loc)));
                }
            }
        }

        let documents = self.session_documents(session).await?;
        if !documents.is_empty() {
            parts.push(Part::Heading(2, "Documents".into()));
            for d in documents {
                parts.push(Part::Bullet(format!(
                    "{} ({}, sha256 {})",
                    d.path,
                    d.format,
                    &d.sha256[..12.min(d.sha256.len())]
                )));
            }
        }
        for d in self.session_drafts(session).await? {
            let version = d.versions.last().map(|v| v.version).unwrap_or(0);
            parts.push(Part::Heading(2, format!("Draft: {}", d.title)));
            parts.push(Part::Note(format!(
                "Version {version}{}",
                d.template
                    .as_deref()
                    .map(|t| format!(", template {t}"))
                    .unwrap_or_default()
            )));
            for para in d.text().split("\n\n").filter(|p| !p.trim().is_empty()) {
                parts.push(Part::Text(para.trim_end().to_owned()));
            }
        }
        for a in self.session_analyses(session).await? {
            parts.push(Part::Heading(2, format!("Analysis: {}", a.question)));
            parts.push(Part::Note(format!("File: {}", a.file)));
            if let Some(answer) = &a.answer {
                parts.push(Part::Text(answer.clone()));
            }
            parts.push(Part::Note(format!("Plan: {}", a.plan)));
        }
        Ok(parts)
    }

    /// The session as Markdown.
    pub async fn export_markdown(&self, session: SessionId) -> Result<String, StoreError> {
        let mut out = String::new();
        for part in self.export_parts(session).await? {
            match part {
                Part::Heading(level, t) => {
                    out.push_str(&"#".repeat(level as usize));
                    out.push(' ');
                    out.push_str(&t);
                }
                Part::Text(t) => out.push_str(&t),
                Part::Note(t) => {
                    out.push('_');
                    out.push_str(t.trim());
                    out.push('_');
                }
                Part::Bullet(t) => {
                    out.push_str("- ");
                    out.push_str(&t);
                    out.push('\n');
                    continue;
                }
            }
            out.push_str("\n\n");
        }
        Ok(out.trim_end().to_owned() + "\n")
    }

    /// Writes the session to `out` in `format`. The file is written beside
    /// its final name and renamed, so a failed export never leaves half a
    /// file where an older export was.
    pub async fn export_session(
        &self,
        session: SessionId,
        format: ExportFormat,
        out: &Path,
    ) -> Result<(), StoreError> {
        let export_err = |detail: String| StoreError::Export {
            path: out.to_path_buf(),
            detail,
        };
        let bytes = match format {
            ExportFormat::Markdown => self.export_markdown(session).await?.into_bytes(),
            ExportFormat::Docx => {
                let markdown = self.export_markdown(session).await?;
                let mut buf = std::io::Cursor::new(Vec::new());
                crate::markdown_docx::markdown_to_docx(&markdown)
                    .build()
                    .pack(&mut buf)
                    .map_err(|e| export_err(e.to_string()))?;
                buf.into_inner()
            }
        };
        let tmp = out.with_extension("export-tmp");
        std::fs::write(&tmp, &bytes).map_err(|e| export_err(e.to_string()))?;
        std::fs::rename(&tmp, out).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            export_err(e.to_string())
        })
    }
}
