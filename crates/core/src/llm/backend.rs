//! What answers an engine's requests, behind one trait: this computer's
//! llama.cpp model (worker.rs) or a remote OpenAI-compatible server
//! (remote.rs). The engine's worker thread owns one backend and feeds it
//! commands in the order they arrived; queueing, cancel by id and the
//! reply channels are the same whichever it is, so every feature (chat,
//! summaries, drafts, sheet questions) runs on either unchanged.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender};

use super::error::LlmError;
use super::protocol::{lock, ChatRequest, Command, Completion, LoadedModel, RequestId, Shared};
use super::score::{ScoreOptions, TextScores};
use super::sink::TokenSink;

/// A model that answers requests, one at a time, on the engine's thread.
pub(crate) trait Backend {
    /// Answers one chat request, streaming pieces to `sink`; stops at the
    /// next step once `cancel` is set, keeping what was written.
    fn chat(
        &mut self,
        id: RequestId,
        request: &ChatRequest,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Completion, LlmError>;

    /// Every token's log-probability under the model (the detector's
    /// input); only a model running here can give them.
    fn score(
        &mut self,
        text: &str,
        options: ScoreOptions,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<TextScores, LlmError>;

    /// How many tokens `text` takes, as this backend counts them.
    fn count_tokens(&mut self, text: &str) -> Result<usize, LlmError>;

    /// Unit-length embeddings of `texts` (each cut to `max_tokens`); only
    /// a model running here gives them.
    fn embed(
        &mut self,
        texts: &[String],
        max_tokens: usize,
        cancel: &AtomicBool,
    ) -> Result<Vec<Vec<f32>>, LlmError>;
}

/// A command the request loop does not serve itself.
pub(crate) enum Control {
    /// Switch to another model file.
    Load(PathBuf, Sender<Result<LoadedModel, LlmError>>),
    Shutdown,
}

/// Serves requests with `backend` in arrival order until a model switch or
/// shutdown, which go back to the caller (only a local backend can load
/// another file).
pub(crate) fn serve(backend: &mut dyn Backend, rx: &Receiver<Command>, shared: &Shared) -> Control {
    for cmd in rx.iter() {
        match cmd {
            Command::Chat {
                id,
                request,
                mut sink,
                cancel,
                reply,
            } => {
                let result = backend
                    .chat(id, &request, sink.as_mut(), &cancel)
                    .map(|mut done| {
                        done.id = id;
                        done
                    });
                lock(&shared.cancels).remove(&id);
                let _ = reply.send(result);
            }
            Command::Score {
                id,
                text,
                options,
                mut sink,
                cancel,
                reply,
            } => {
                let result = backend.score(&text, options, sink.as_mut(), &cancel);
                lock(&shared.cancels).remove(&id);
                let _ = reply.send(result);
            }
            Command::Embed {
                id,
                texts,
                max_tokens,
                cancel,
                reply,
            } => {
                let result = backend.embed(&texts, max_tokens, &cancel);
                lock(&shared.cancels).remove(&id);
                let _ = reply.send(result);
            }
            Command::CountTokens { text, reply } => {
                let _ = reply.send(backend.count_tokens(&text));
            }
            Command::Load { path, reply } => return Control::Load(path, reply),
            Command::Shutdown => return Control::Shutdown,
        }
    }
    Control::Shutdown
}
