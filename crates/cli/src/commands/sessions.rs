//! `deskpilot sessions`: list, show, search, rename, delete, export.

use std::path::Path;

use anyhow::{Context, Result};
use deskpilot_core::config::{BackendChoice, RemoteSettings};
use deskpilot_core::store::{format_utc as when, ExportFormat, Message, MessageStatus, Role};

use crate::cli::{ExportKind, SessionsCommand};
use crate::db;
use crate::output::line;

pub fn run(command: SessionsCommand, db_flag: Option<&Path>) -> Result<u8> {
    let db = db::open(db_flag)?;
    let store = &db.store;
    match command {
        SessionsCommand::List { limit, json } => {
            let list = db
                .run(store.list_sessions(limit, 0))
                .context("listing sessions")?;
            if json {
                line(&serde_json::to_string(&list)?);
            } else if list.is_empty() {
                eprintln!("No sessions yet: `deskpilot ask` or `deskpilot chat` start one.");
            } else {
                for s in list {
                    line(&format!(
                        "{:>6}  {}  {:>4} msgs  {}",
                        s.id,
                        when(s.updated_at),
                        s.messages,
                        s.title
                    ));
                }
            }
        }
        SessionsCommand::Show { id, json } => {
            let info = db.run(store.session(id)).context("showing the session")?;
            let messages = db.run(store.messages(id))?;
            let documents = db.run(store.session_documents(id))?;
            let drafts = db.run(store.session_drafts(id))?;
            let analyses = db.run(store.session_analyses(id))?;
            if json {
                let v = serde_json::json!({
                    "session": info,
                    "messages": messages,
                    "documents": documents,
                    "drafts": drafts,
                    "analyses": analyses,
                });
                line(&serde_json::to_string(&v)?);
            } else {
                line(&format!("# {} (session {})", info.title, info.id));
                for m in &messages {
                    line("");
                    line(&heading(m));
                    line(&m.text);
                    for c in &m.citations {
                        line(&format!("  [{}, {}]", c.file, c.loc));
                    }
                }
                for d in &documents {
                    line(&format!("\n[document] {} ({})", d.path, d.format));
                }
                for d in &drafts {
                    line(&format!(
                        "\n[draft {}] {} (version {})\n{}",
                        d.id,
                        d.title,
                        d.versions.len(),
                        d.text()
                    ));
                }
                for a in &analyses {
                    line(&format!(
                        "\n[analysis] {}: {}",
                        a.question,
                        a.answer.as_deref().unwrap_or("")
                    ));
                }
            }
        }
        SessionsCommand::Search { query, limit, json } => {
            let hits = db.run(store.search(&query, limit)).context("searching")?;
            if json {
                line(&serde_json::to_string(&hits)?);
            } else if hits.is_empty() {
                eprintln!("Nothing found for {query:?}.");
            } else {
                for h in hits {
                    let session = h
                        .session_id
                        .map(|s| format!("session {s}, "))
                        .unwrap_or_default();
                    line(&format!(
                        "{} {} ({session}{}): {}",
                        h.kind.as_str(),
                        h.title,
                        h.location,
                        h.snippet
                    ));
                }
            }
        }
        SessionsCommand::Backend {
            id,
            local,
            remote,
            remote_model,
            follow_settings,
        } => {
            db.run(store.session(id)).context("finding the session")?;
            let choice = if local {
                Some(Some(BackendChoice::Local))
            } else if let Some(url) = remote {
                Some(Some(BackendChoice::Remote(RemoteSettings::new(
                    &url,
                    remote_model,
                    None,
                )?)))
            } else if follow_settings {
                Some(None)
            } else {
                None
            };
            if let Some(choice) = choice {
                db.run(store.set_session_backend(id, choice.as_ref()))
                    .context("saving the session's backend")?;
            }
            let own = db.run(store.session_backend(id))?;
            line(&match own {
                None => {
                    let settings = crate::setup::load_settings()?;
                    match settings.remote {
                        Some(r) => format!("session {id}: follows the settings: {}", r.url),
                        None => format!("session {id}: follows the settings: this computer"),
                    }
                }
                Some(BackendChoice::Local) => format!("session {id}: this computer"),
                Some(BackendChoice::Remote(r)) => format!("session {id}: {}", r.url),
            });
        }
        SessionsCommand::Rename { id, name } => {
            db.run(store.rename_session(id, &name))
                .context("renaming the session")?;
        }
        SessionsCommand::Delete { id } => {
            db.run(store.delete_session(id))
                .context("deleting the session")?;
            eprintln!("Deleted session {id}.");
        }
        SessionsCommand::Export { id, format, out } => {
            let format = match format {
                ExportKind::Md => ExportFormat::Markdown,
                ExportKind::Docx => ExportFormat::Docx,
            };
            db.run(store.export_session(id, format, &out))
                .context("exporting the session")?;
            eprintln!("Wrote {}.", out.display());
        }
    }
    Ok(0)
}

fn heading(m: &Message) -> String {
    let who = match m.role {
        Role::User => "you".to_owned(),
        Role::System => "system".to_owned(),
        Role::Assistant => m.model.clone().unwrap_or_else(|| "assistant".into()),
    };
    let status = match m.status {
        MessageStatus::Complete => String::new(),
        other => format!(" [{}]", other.as_str()),
    };
    format!("## {who}, {}{status}", when(m.created_at))
}
