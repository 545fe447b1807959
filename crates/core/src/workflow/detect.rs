//! How likely a text is machine-written: the text (or, for an opened file,
//! the request naming it) is kept in a session before the model loads,
//! then the verdict, scored by a local model, is kept as the reply. Stop
//! keeps the text and adds no verdict.

use serde::Serialize;

use crate::detect::{self, DetectError, Verdict};
use crate::llm::{Cancellable, Engine, TokenSink};
use crate::store::{MessageId, MessageStatus, ReplyStats, Role, SessionId, Store};

use super::{off_thread, Cancel, WorkflowError};

/// What to judge.
pub enum DetectInput {
    /// Text the user pasted (kept as it is).
    Pasted(String),
    /// An opened file's text (the file is kept as the session's document).
    Document { name: String, text: String },
}

impl DetectInput {
    fn name(&self) -> &str {
        match self {
            DetectInput::Pasted(_) => "the pasted text",
            DetectInput::Document { name, .. } => name,
        }
    }

    fn text(&self) -> &str {
        match self {
            DetectInput::Pasted(t) | DetectInput::Document { text: t, .. } => t,
        }
    }
}

/// Keeps what is to be judged, before any model is loaded: to `session`,
/// or to a new session titled after it. Pasted text with nothing in it is
/// refused before anything is kept.
pub async fn keep_text(
    store: &Store,
    session: Option<SessionId>,
    input: &DetectInput,
) -> Result<SessionId, WorkflowError> {
    if let DetectInput::Pasted(text) = input {
        if text.trim().is_empty() {
            return Err(DetectError::Empty {
                source_name: input.name().to_owned(),
            }
            .into());
        }
    }
    let session = match session {
        Some(s) => s,
        None => {
            let title = match input {
                DetectInput::Pasted(_) => "Detect: pasted text".to_owned(),
                DetectInput::Document { name, .. } => format!("Detect: {name}"),
            };
            store.create_session(&title, None).await?
        }
    };
    let kept = match input {
        DetectInput::Pasted(text) => text.clone(),
        DetectInput::Document { name, .. } => format!("Is {name} machine-written?"),
    };
    store.add_message(session, Role::User, &kept).await?;
    Ok(session)
}

/// A judgment as kept.
#[derive(Debug, Serialize)]
pub struct Detected {
    pub session: SessionId,
    /// The stored verdict and the verdict; none when stopped.
    pub reply: Option<MessageId>,
    pub verdict: Option<Verdict>,
}

/// Scores `input` (kept with [`keep_text`] in `session`) with `engine`,
/// which must run here: a detector needs every token's probability. The
/// verdict goes to the session as the reply, in words.
pub async fn detect(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    input: DetectInput,
    sink: Box<dyn TokenSink>,
    cancel: Cancel,
) -> Result<Detected, WorkflowError> {
    let result = off_thread(move || {
        let calibration = detect::calibration_for(&engine, detect::calibration_dir().as_deref())?;
        detect::detect_text(
            &engine,
            input.text(),
            input.name(),
            &calibration,
            Box::new(Cancellable {
                inner: sink,
                cancel,
            }),
        )
    })
    .await?;
    let verdict = match result {
        Err(DetectError::Cancelled) => {
            return Ok(Detected {
                session,
                reply: None,
                verdict: None,
            })
        }
        other => other?,
    };
    let stats = ReplyStats {
        model: Some(verdict.model.clone()),
        prompt_tokens: Some(verdict.tokens),
        ..ReplyStats::default()
    };
    let reply = store
        .add_reply(session, &verdict.render(), MessageStatus::Complete, &stats)
        .await?;
    Ok(Detected {
        session,
        reply: Some(reply),
        verdict: Some(verdict),
    })
}
