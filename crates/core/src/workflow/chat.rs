//! A turn of conversation: the user's message committed first, then the
//! model's reply streamed to the caller's sink and into the store (flushed
//! as it grows), closed as complete, stopped or failed.

use serde::Serialize;

use crate::llm::{
    Cancellable, ChatMessage, ChatRequest, Completion, Engine, SamplingParams, TokenSink,
};
use crate::store::{
    MessageId, MessageStatus, RecordingSink, ReplyRecorder, ReplyStats, Role, SessionId, Store,
    StoreError, FLUSH_INTERVAL,
};

use super::{model_name, off_thread, Cancel, WorkflowError};

/// Where the user's message was kept.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Said {
    pub session: SessionId,
    pub message: MessageId,
}

/// Commits the user's message before anything else: to `session`, or to a
/// new session titled after it (with `system` as its system prompt).
pub async fn say(
    store: &Store,
    session: Option<SessionId>,
    text: &str,
    system: Option<&str>,
) -> Result<Said, StoreError> {
    let session = match session {
        Some(id) => id,
        None => store.create_session(text, system).await?,
    };
    let message = store.add_message(session, Role::User, text).await?;
    Ok(Said { session, message })
}

/// A session's conversation as the engine takes it: the constitution and
/// the session's system prompt, then every message with text, except failed
/// replies and replies another process is still writing. The engine's
/// context budget trims the oldest turns when it is too long.
pub async fn conversation(
    store: &Store,
    session: SessionId,
) -> Result<Vec<ChatMessage>, StoreError> {
    let info = store.session(session).await?;
    let mut out = vec![ChatMessage::system(crate::prompts::system_prompt(
        info.system_prompt.as_deref(),
    ))];
    for m in store.messages(session).await? {
        if m.text.is_empty() || matches!(m.status, MessageStatus::Failed | MessageStatus::Partial) {
            continue;
        }
        out.push(ChatMessage::new(m.role, m.text));
    }
    Ok(out)
}

/// A finished (or stopped) reply.
#[derive(Debug, Clone, Serialize)]
pub struct Replied {
    pub session: SessionId,
    pub reply: MessageId,
    pub text: String,
    pub status: MessageStatus,
    pub completion: Completion,
}

/// Writes the model's reply to the session's conversation as it stands.
/// `started` gets the reply's id once its row exists (the window shows it
/// at once). A failed generation is kept as a failed reply with the text
/// so far, and returned as the error.
pub async fn reply(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    sampling: SamplingParams,
    sink: Box<dyn TokenSink>,
    cancel: Cancel,
    started: impl FnOnce(MessageId),
) -> Result<Replied, WorkflowError> {
    let messages = conversation(store, session).await?;
    let model = model_name(&engine);
    let recorder = ReplyRecorder::start(store, session, model.as_deref(), FLUSH_INTERVAL).await?;
    let reply = recorder.id();
    started(reply);
    let sink = Cancellable {
        inner: RecordingSink {
            inner: sink,
            text: recorder.text(),
        },
        cancel,
    };
    let request = ChatRequest { messages, sampling };
    let result = off_thread(move || engine.chat(request, sink))
        .await
        .and_then(|r| r.map_err(WorkflowError::from));
    match result {
        Ok(done) => {
            let status = MessageStatus::of(done.stop);
            recorder
                .finish(&done.text, status, &ReplyStats::of(&done))
                .await?;
            Ok(Replied {
                session,
                reply,
                text: done.text.clone(),
                status,
                completion: done,
            })
        }
        Err(e) => {
            recorder.fail(model, &e.to_string()).await?;
            Err(e)
        }
    }
}

/// Sets the reply `replaced` aside (kept, but out of the conversation) and
/// writes a new one.
#[allow(clippy::too_many_arguments)]
pub async fn regenerate(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    replaced: MessageId,
    sampling: SamplingParams,
    sink: Box<dyn TokenSink>,
    cancel: Cancel,
    started: impl FnOnce(MessageId),
) -> Result<Replied, WorkflowError> {
    store.supersede_reply(replaced).await?;
    reply(store, engine, session, sampling, sink, cancel, started).await
}
