//! What the engine's parts share: the requests a front end makes and the
//! answers it gets (`ChatRequest`, `Completion`, `LoadedModel`, ...), the
//! configuration a backend starts from, and the commands the handle sends
//! to whichever backend serves it (the llama.cpp worker, the model process,
//! a remote server). Engine, worker, process and remote all import this and
//! none of them imports another, so the handle is the only module that
//! knows every backend.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::budget::{ChatMessage, Trimmed};
use super::error::LlmError;
use super::gguf::ModelInfo;
use super::sampling::SamplingParams;
use super::score::{ScoreOptions, TextScores};
use super::sink::TokenSink;
use super::template::TemplateSource;

/// Identifies one request for cancelling.
pub type RequestId = u64;

/// Where the engine's model runs.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// A GGUF file, run on this computer by llama.cpp.
    Local(PathBuf),
    /// An OpenAI-compatible server (opt-in): text leaves this computer.
    Remote(RemoteConfig),
}

/// How the engine runs a model.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub source: ModelSource,
    /// Context size in tokens; capped at what the model was trained for.
    pub n_ctx: u32,
    /// Most CPU threads for generation and prompt processing; fewer are
    /// used while other programs keep cores busy.
    pub threads: usize,
    /// Lower the thread count while other programs keep cores busy. Off
    /// only for benchmarks that must compare equal thread counts.
    pub adapt_threads: bool,
    /// Layers offloaded to the GPU (builds with `cuda`, `vulkan`, `metal`).
    pub n_gpu_layers: u32,
    /// Largest batch llama.cpp decodes at once.
    pub n_batch: u32,
    /// Prompt tokens per decode, and so between progress reports. A cancel
    /// stops a decode midway through llama.cpp's abort callback; where that
    /// is unavailable, chunks are capped at 128 tokens so a cancel still lands
    /// soon. Larger chunks process prompts faster.
    pub prompt_chunk: usize,
    /// Told how far a model load has got (0.0 to 1.0), for a window's
    /// progress bar; called on the engine's thread.
    pub load_progress: Option<LoadProgress>,
    /// Run the model in a process of its own (front ends do), so that a
    /// llama.cpp abort or crash costs the model, not the app; None runs it
    /// on a thread of this process (tests, benchmarks, the model process).
    pub process: Option<ModelProcess>,
}

/// A model-load progress callback (see [`EngineConfig::load_progress`]).
#[derive(Clone)]
pub struct LoadProgress(pub Arc<dyn Fn(f32) + Send + Sync>);

impl std::fmt::Debug for LoadProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoadProgress")
    }
}

impl EngineConfig {
    /// A local model file, with the default settings.
    pub fn new(model: impl Into<PathBuf>) -> Self {
        EngineConfig {
            source: ModelSource::Local(model.into()),
            n_ctx: 4096,
            threads: default_threads(),
            adapt_threads: true,
            n_gpu_layers: 0,
            n_batch: 512,
            prompt_chunk: 512,
            load_progress: None,
            process: None,
        }
    }

    /// A remote server (the local-only settings are unused).
    pub fn remote(config: RemoteConfig) -> Self {
        EngineConfig {
            source: ModelSource::Remote(config),
            ..EngineConfig::new(PathBuf::new())
        }
    }

    /// The model file, when it runs here.
    pub fn model_path(&self) -> Option<&Path> {
        match &self.source {
            ModelSource::Local(p) => Some(p),
            ModelSource::Remote(_) => None,
        }
    }

    /// The server, when it runs elsewhere.
    pub fn remote_config(&self) -> Option<&RemoteConfig> {
        match &self.source {
            ModelSource::Local(_) => None,
            ModelSource::Remote(r) => Some(r),
        }
    }

    /// What runs the model, for messages: the file, or the server's URL.
    pub fn shown(&self) -> String {
        match &self.source {
            ModelSource::Local(p) => p.display().to_string(),
            ModelSource::Remote(r) => r.base_url.clone(),
        }
    }
}

/// One thread per physical core: hyper-threads slow llama.cpp down, and
/// llama-cpp-2's own default of 4 oversubscribes small machines.
pub fn default_threads() -> usize {
    num_cpus::get_physical().max(1)
}

/// One conversation turn to answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChatRequest {
    /// System prompt (optional), history, and the newest user message last.
    pub messages: Vec<ChatMessage>,
    pub sampling: SamplingParams,
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The model ended its turn.
    Eos,
    /// `max_tokens` reached, or the context is full.
    MaxTokens,
    /// Cancelled by id, by the sink, or before it started.
    Cancelled,
    /// A stop string appeared.
    StopString,
}

/// A finished (or stopped) reply and what it cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Completion {
    #[serde(skip)]
    pub id: RequestId,
    pub text: String,
    /// The model's name.
    pub model: String,
    pub prompt_tokens: usize,
    /// Prompt tokens whose KV cache was reused from the previous turn.
    pub reused_tokens: usize,
    pub generated_tokens: usize,
    pub prompt_ms: f64,
    pub generate_ms: f64,
    pub stop: StopReason,
    /// History left out to fit the context.
    pub trimmed: Trimmed,
    pub template: TemplateSource,
    pub seed: u32,
    /// CPU threads used: the configured count, lowered while other
    /// programs keep cores busy.
    pub threads: usize,
}

/// The model the engine is running.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadedModel {
    pub info: ModelInfo,
    pub template: TemplateSource,
    pub n_ctx: u32,
    pub threads: usize,
    pub n_gpu_layers: u32,
    pub load_ms: f64,
}

/// State shared between handle and worker.
pub(crate) struct Shared {
    pub cancels: Mutex<HashMap<RequestId, Arc<AtomicBool>>>,
    pub loaded: Mutex<Option<LoadedModel>>,
    /// The model process's id, while one runs.
    pub process_id: Mutex<Option<u32>>,
    /// Wakes a request waiting on the model process, so that a cancel is
    /// passed on at once.
    pub wake: Mutex<Option<Box<dyn Fn() + Send>>>,
}

impl Shared {
    pub(crate) fn new() -> Arc<Shared> {
        Arc::new(Shared {
            cancels: Mutex::new(HashMap::new()),
            loaded: Mutex::new(None),
            process_id: Mutex::new(None),
            wake: Mutex::new(None),
        })
    }
}

/// Locks, shrugging off poisoning: the data is plain bookkeeping that a
/// panicking holder cannot leave half-written.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where and how to reach a remote server.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// Base URL including `/v1`, e.g. `http://gpu-box:8000/v1`.
    pub base_url: String,
    /// The model to ask for; the server's first model when None.
    pub model: Option<String>,
    /// Sent as `Authorization: Bearer`; never stored or logged.
    pub api_key: Option<String>,
    pub connect_timeout: Duration,
    /// Longest silence while a reply streams.
    pub stall_timeout: Duration,
    /// Attempts after a failed connection.
    pub retries: u32,
    /// Context size to plan prompts for when the server does not say.
    pub n_ctx: u32,
}

impl RemoteConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        RemoteConfig {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            model: None,
            api_key: None,
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(60),
            retries: 3,
            n_ctx: 4096,
        }
    }
}

/// The hidden first argument that makes this program the model process.
pub const MODEL_PROCESS_ARG: &str = "__model-process";

/// How to start the model process, and how long it may stay silent.
#[derive(Debug, Clone)]
pub struct ModelProcess {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// A process that sends nothing (not even its heartbeat) for this long
    /// is frozen: it is ended and the request fails.
    pub watchdog: Duration,
    /// Address-space limit for the process in bytes (Unix), so that a model
    /// too large for it fails to load instead of pushing the machine into
    /// swap; None: no limit.
    pub memory_limit: Option<u64>,
}

impl ModelProcess {
    /// `program` started with [`MODEL_PROCESS_ARG`].
    pub fn new(program: impl Into<PathBuf>) -> ModelProcess {
        ModelProcess {
            program: program.into(),
            args: vec![MODEL_PROCESS_ARG.to_owned()],
            watchdog: Duration::from_secs(30),
            memory_limit: None,
        }
    }

    /// The running program itself as the model process.
    pub fn this_program() -> Result<ModelProcess, LlmError> {
        let program = std::env::current_exe().map_err(|e| LlmError::ModelProcess {
            cause: format!("cannot find this program to start it: {e}"),
            log: Vec::new(),
        })?;
        Ok(ModelProcess::new(program))
    }
}

/// A request to the backend serving the engine.
pub(crate) enum Command {
    Chat {
        id: RequestId,
        request: ChatRequest,
        sink: Box<dyn TokenSink>,
        cancel: Arc<AtomicBool>,
        reply: Sender<Result<Completion, LlmError>>,
    },
    Load {
        path: PathBuf,
        reply: Sender<Result<LoadedModel, LlmError>>,
    },
    Score {
        id: RequestId,
        text: String,
        options: ScoreOptions,
        sink: Box<dyn TokenSink>,
        cancel: Arc<AtomicBool>,
        reply: Sender<Result<TextScores, LlmError>>,
    },
    CountTokens {
        text: String,
        reply: Sender<Result<usize, LlmError>>,
    },
    Embed {
        id: RequestId,
        texts: Vec<String>,
        max_tokens: usize,
        cancel: Arc<AtomicBool>,
        reply: Sender<Result<Vec<Vec<f32>>, LlmError>>,
    },
    Shutdown,
}
