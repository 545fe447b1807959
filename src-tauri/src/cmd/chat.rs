//! Chat: a message is saved before the model sees it; the reply streams to
//! the page through a Channel and into the store (flushed as it grows), so
//! a crash of the app or the model loses at most the last fraction of a
//! second of it. Stop ends it at the next token and keeps the text.

use deskpilot_core::llm::{Cancellable, Completion};
use deskpilot_core::llm::{ChatMessage, ChatRequest, Flow, PromptReport, TokenSink};
use deskpilot_core::store::{
    MessageId, MessageStatus, RecordingSink, ReplyRecorder, ReplyStats, Role, SessionId,
    FLUSH_INTERVAL,
};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

/// What the page receives while a reply streams.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ChatEvent {
    /// The reply's row exists; `session` may be new.
    Started {
        session: SessionId,
        reply: MessageId,
    },
    /// Prompt processing: `done` of `total` tokens; `n_ctx` for the
    /// context meter; `trimmed` earlier messages left out to fit.
    Prompt {
        done: usize,
        total: usize,
        n_ctx: usize,
        trimmed: usize,
    },
    Token {
        text: String,
    },
}

/// Forwards the engine's callbacks to the page. A page that went away
/// does not stop the reply: it is still stored.
pub struct ChannelSink {
    pub channel: Channel<ChatEvent>,
    pub n_ctx: usize,
    pub trimmed: usize,
}

impl TokenSink for ChannelSink {
    fn on_start(&mut self, report: &PromptReport) -> Flow {
        self.trimmed = report.trimmed.messages;
        let _ = self.channel.send(ChatEvent::Prompt {
            done: report.reused_tokens,
            total: report.prompt_tokens,
            n_ctx: self.n_ctx,
            trimmed: self.trimmed,
        });
        Flow::Continue
    }

    fn on_prompt_progress(&mut self, done: usize, total: usize) -> Flow {
        let _ = self.channel.send(ChatEvent::Prompt {
            done,
            total,
            n_ctx: self.n_ctx,
            trimmed: self.trimmed,
        });
        Flow::Continue
    }

    fn on_text(&mut self, text: &str) -> Flow {
        let _ = self.channel.send(ChatEvent::Token { text: text.into() });
        Flow::Continue
    }
}

/// A finished (or stopped) reply.
#[derive(Debug, Serialize)]
pub struct ChatDone {
    pub session: SessionId,
    pub reply: MessageId,
    pub text: String,
    pub status: MessageStatus,
    pub completion: Completion,
    pub n_ctx: usize,
}

#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    session: Option<SessionId>,
    text: String,
    task: String,
    on_event: Channel<ChatEvent>,
) -> CmdResult<ChatDone> {
    let store = &state.store;
    let session = match session {
        Some(id) => id,
        None => store.create_session(&text, None).await?,
    };
    // Committed before anything else: a crash from here on keeps it.
    store.add_message(session, Role::User, &text).await?;
    let messages = store.conversation(session).await?;
    reply(&state, session, messages, &task, on_event).await
}

/// Sets the reply `replaced` aside (kept, but out of the conversation) and
/// writes a new one.
#[tauri::command]
pub async fn regenerate(
    state: State<'_, AppState>,
    session: SessionId,
    replaced: MessageId,
    task: String,
    on_event: Channel<ChatEvent>,
) -> CmdResult<ChatDone> {
    state.store.supersede_reply(replaced).await?;
    let messages = state.store.conversation(session).await?;
    reply(&state, session, messages, &task, on_event).await
}

#[tauri::command]
pub fn cancel_task(state: State<'_, AppState>, task: String) -> bool {
    state.tasks.cancel(&task)
}

async fn reply(
    state: &AppState,
    session: SessionId,
    messages: Vec<ChatMessage>,
    task: &str,
    on_event: Channel<ChatEvent>,
) -> CmdResult<ChatDone> {
    let guard = state.tasks.start(task);
    let engine = state.model.engine().await?;
    let sampling = state.settings()?.sampling.unwrap_or_default();
    let model = engine.model().map(|m| m.info.name);
    let recorder =
        ReplyRecorder::start(&state.store, session, model.as_deref(), FLUSH_INTERVAL).await?;
    let reply_id = recorder.id();
    let _ = on_event.send(ChatEvent::Started {
        session,
        reply: reply_id,
    });
    let n_ctx = engine.context_size();
    let sink = Cancellable {
        inner: RecordingSink {
            inner: Box::new(ChannelSink {
                channel: on_event,
                n_ctx,
                trimmed: 0,
            }),
            text: recorder.text(),
        },
        cancel: guard.cancel.clone(),
    };
    let request = ChatRequest { messages, sampling };
    let result = blocking(move || engine.chat(request, sink)).await?;
    match result {
        Ok(done) => {
            let status = MessageStatus::of(done.stop);
            let text = done.text.clone();
            recorder
                .finish(&text, status, &ReplyStats::of(&done))
                .await?;
            Ok(ChatDone {
                session,
                reply: reply_id,
                text,
                status,
                completion: done,
                n_ctx,
            })
        }
        Err(e) => {
            recorder.fail(model, &e.to_string()).await?;
            Err(e.into())
        }
    }
}
