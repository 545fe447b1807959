//! Writes a reply to the database while it streams: the text is flushed
//! every `interval` (a few hundred ms) from a background task, so a crash
//! loses at most one interval of model text, and the generation loop never
//! waits for the disk.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{Citation, MessageId, MessageStatus, SessionId, Store, StoreError};

/// How often a streaming reply reaches the disk by default.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(250);

/// What a finished reply cost, and what it rests on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReplyStats {
    pub model: Option<String>,
    pub prompt_tokens: Option<usize>,
    pub generated_tokens: Option<usize>,
    pub prompt_ms: Option<f64>,
    pub generate_ms: Option<f64>,
    /// Why it failed, for status `failed`.
    pub error: Option<String>,
    pub citations: Vec<Citation>,
}

impl ReplyStats {
    /// A reply that failed: the model asked, and why.
    pub fn failed(model: Option<String>, error: &str) -> ReplyStats {
        ReplyStats {
            model,
            error: Some(error.to_owned()),
            ..ReplyStats::default()
        }
    }
}

#[derive(Default)]
struct Buffer {
    text: String,
    dirty: bool,
}

/// The reply's text so far; cheap to clone, fed from any thread.
#[derive(Clone, Default)]
pub struct ReplyText(Arc<Mutex<Buffer>>);

impl ReplyText {
    pub fn push(&self, piece: &str) {
        let mut b = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        b.text.push_str(piece);
        b.dirty = true;
    }

    pub fn get(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .text
            .clone()
    }

    /// The text if it changed since the last call.
    fn take_dirty(&self) -> Option<String> {
        let mut b = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !b.dirty {
            return None;
        }
        b.dirty = false;
        Some(b.text.clone())
    }
}

/// One streaming reply's row and its flusher.
pub struct ReplyRecorder {
    store: Store,
    id: MessageId,
    text: ReplyText,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl ReplyRecorder {
    /// Opens the reply row (status partial, owned by this process) and
    /// starts flushing. Call from inside a Tokio runtime.
    pub async fn start(
        store: &Store,
        session: SessionId,
        model: Option<&str>,
        interval: Duration,
    ) -> Result<ReplyRecorder, StoreError> {
        let id = store.open_reply(session, model).await?;
        let text = ReplyText::default();
        let (stop, mut stopped) = oneshot::channel();
        let task = {
            let store = store.clone();
            let text = text.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(interval);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        _ = tick.tick() => {
                            if let Some(t) = text.take_dirty() {
                                if let Err(e) = store.flush_reply(id, &t).await {
                                    // Kept in memory; the next tick or the close retries.
                                    tracing::warn!("saving the reply: {e}");
                                    text.push("");
                                }
                            }
                        }
                    }
                }
            })
        };
        Ok(ReplyRecorder {
            store: store.clone(),
            id,
            text,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn id(&self) -> MessageId {
        self.id
    }

    /// The handle generation pushes text into.
    pub fn text(&self) -> ReplyText {
        self.text.clone()
    }

    /// Stops flushing and closes the reply with its final text and status.
    pub async fn finish(
        mut self,
        text: &str,
        status: MessageStatus,
        stats: &ReplyStats,
    ) -> Result<(), StoreError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.store.close_reply(self.id, text, status, stats).await
    }
}

impl ReplyRecorder {
    /// Closes the reply as failed with `error`, keeping the text so far.
    pub async fn fail(self, model: Option<String>, error: &str) -> Result<(), StoreError> {
        let stats = ReplyStats::failed(model, error);
        let text = self.text.get();
        self.finish(&text, MessageStatus::Failed, &stats).await
    }
}

impl Drop for ReplyRecorder {
    fn drop(&mut self) {
        // Dropped without finish (an error on the way): the row stays
        // partial and the next start-up marks it interrupted.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A token sink that also records the text for the store.
#[cfg(feature = "llm")]
pub struct RecordingSink {
    pub inner: Box<dyn crate::llm::TokenSink>,
    pub text: ReplyText,
}

#[cfg(feature = "llm")]
impl crate::llm::TokenSink for RecordingSink {
    fn on_start(&mut self, report: &crate::llm::PromptReport) -> crate::llm::Flow {
        self.inner.on_start(report)
    }

    fn on_prompt_progress(&mut self, done: usize, total: usize) -> crate::llm::Flow {
        self.inner.on_prompt_progress(done, total)
    }

    fn on_text(&mut self, text: &str) -> crate::llm::Flow {
        self.text.push(text);
        self.inner.on_text(text)
    }
}

#[cfg(feature = "llm")]
impl ReplyStats {
    /// The figures of a finished generation.
    pub fn of(done: &crate::llm::Completion) -> ReplyStats {
        ReplyStats {
            model: Some(done.model.clone()),
            prompt_tokens: Some(done.prompt_tokens),
            generated_tokens: Some(done.generated_tokens),
            prompt_ms: Some(done.prompt_ms),
            generate_ms: Some(done.generate_ms),
            ..ReplyStats::default()
        }
    }
}

#[cfg(feature = "llm")]
impl MessageStatus {
    /// How a generation that returned ended, as a stored status.
    pub fn of(stop: crate::llm::StopReason) -> MessageStatus {
        match stop {
            crate::llm::StopReason::Cancelled => MessageStatus::Cancelled,
            _ => MessageStatus::Complete,
        }
    }
}
