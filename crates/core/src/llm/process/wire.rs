//! The messages between the app and its model process: one JSON object per
//! line, requests on the child's stdin, events on its protocol pipe. Only
//! one request is in flight at a time (the engine serves them in order), so
//! no message carries a request id.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::super::error::LlmError;
use super::super::protocol::{ChatRequest, Completion, EngineConfig, LoadedModel};
use super::super::score::{ScoreOptions, TextScores};
use super::super::sink::PromptReport;

/// What the model process is asked to load, first thing: the part of the
/// engine's configuration that crosses the pipe (callbacks and the choice
/// of process stay with the app).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Start {
    pub model: PathBuf,
    pub n_ctx: u32,
    pub threads: usize,
    pub adapt_threads: bool,
    pub n_gpu_layers: u32,
    pub n_batch: u32,
    pub prompt_chunk: usize,
}

impl Start {
    /// The app's side: `config` with `model` to load.
    pub fn new(config: &EngineConfig, model: &Path) -> Start {
        Start {
            model: model.to_path_buf(),
            n_ctx: config.n_ctx,
            threads: config.threads,
            adapt_threads: config.adapt_threads,
            n_gpu_layers: config.n_gpu_layers,
            n_batch: config.n_batch,
            prompt_chunk: config.prompt_chunk,
        }
    }

    /// The model process's side: an in-process engine's configuration.
    pub fn into_config(self) -> EngineConfig {
        let mut cfg = EngineConfig::new(self.model);
        cfg.n_ctx = self.n_ctx;
        cfg.threads = self.threads;
        cfg.adapt_threads = self.adapt_threads;
        cfg.n_gpu_layers = self.n_gpu_layers;
        cfg.n_batch = self.n_batch;
        cfg.prompt_chunk = self.prompt_chunk;
        cfg
    }
}

/// A request to the model process.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Request {
    Chat(ChatRequest),
    Score {
        text: String,
        options: ScoreOptions,
    },
    Embed {
        texts: Vec<String>,
        max_tokens: usize,
    },
    CountTokens(String),
    /// Stop the request in flight at its next step (keeping its text).
    Cancel,
}

/// What the model process says.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Event {
    /// Sent every [`HEARTBEAT`] by a thread of its own: the process is
    /// alive even while one decode takes long.
    Alive,
    LoadProgress(f32),
    Loaded(Result<LoadedModel, LlmError>),
    PromptStart(PromptReport),
    PromptProgress {
        done: usize,
        total: usize,
    },
    Text(String),
    Done(Reply),
}

/// A finished request's result.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    Chat(Result<Completion, LlmError>),
    Score(Result<TextScores, LlmError>),
    Embed(Result<Vec<Vec<f32>>, LlmError>),
    CountTokens(Result<usize, LlmError>),
}

/// How often the model process says it is alive.
pub(crate) const HEARTBEAT: std::time::Duration = std::time::Duration::from_millis(500);

/// Writes one message as one line (one write, so lines from two threads
/// never interleave when the writer is shared behind a lock).
pub(crate) fn send<T: Serialize>(out: &mut impl Write, message: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}
