//! Chat: a message is saved before the model sees it; the reply streams to
//! the page through a Channel and into the store (flushed as it grows), so
//! a crash of the app or the model loses at most the last fraction of a
//! second of it. Stop ends it at the next token and keeps the text.

use deskpilot_core::llm::{Flow, PromptReport, TokenSink};
use deskpilot_core::store::{MessageId, SessionId};
use deskpilot_core::workflow::{self, Replied};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

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

/// A finished (or stopped) reply, with the context size for the meter.
#[derive(Debug, Serialize)]
pub struct ChatDone {
    #[serde(flatten)]
    pub replied: Replied,
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
    // Committed before anything else: a crash from here on keeps it.
    let said = workflow::say(&state.store, session, &text, None).await?;
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let n_ctx = engine.context_size();
    let sampling = state.settings()?.sampling.unwrap_or_default();
    let started = on_event.clone();
    let replied = workflow::reply(
        &state.store,
        engine,
        said.session,
        sampling,
        channel_sink(on_event, n_ctx),
        guard.cancel.clone(),
        move |reply| started_event(&started, said.session, reply),
    )
    .await?;
    Ok(ChatDone { replied, n_ctx })
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
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let n_ctx = engine.context_size();
    let sampling = state.settings()?.sampling.unwrap_or_default();
    let started = on_event.clone();
    let replied = workflow::regenerate(
        &state.store,
        engine,
        session,
        replaced,
        sampling,
        channel_sink(on_event, n_ctx),
        guard.cancel.clone(),
        move |reply| started_event(&started, session, reply),
    )
    .await?;
    Ok(ChatDone { replied, n_ctx })
}

#[tauri::command]
pub fn cancel_task(state: State<'_, AppState>, task: String) -> bool {
    state.tasks.cancel(&task)
}

fn channel_sink(channel: Channel<ChatEvent>, n_ctx: usize) -> Box<dyn TokenSink> {
    Box::new(ChannelSink {
        channel,
        n_ctx,
        trimmed: 0,
    })
}

fn started_event(channel: &Channel<ChatEvent>, session: SessionId, reply: MessageId) {
    let _ = channel.send(ChatEvent::Started { session, reply });
}
