//! The handle every front end holds: it starts the worker thread that owns
//! llama.cpp, queues requests to it, cancels them by id and switches models.
//! Cheap to share (`Arc<Engine>`); requests from many threads are served one
//! at a time, in the order they arrived.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use super::budget::{ChatMessage, Trimmed};
use super::error::LlmError;
use super::gguf::ModelInfo;
use super::sampling::SamplingParams;
use super::score::{ScoreOptions, TextScores};
use super::sink::{NullSink, TokenSink};
use super::template::TemplateSource;
use super::worker::{self, Command};

/// Identifies one request for cancelling.
pub type RequestId = u64;

/// Where the engine's model runs.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// A GGUF file, run on this computer by llama.cpp.
    Local(PathBuf),
    /// An OpenAI-compatible server (opt-in): text leaves this computer.
    Remote(super::remote::RemoteConfig),
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
    pub process: Option<super::process::ModelProcess>,
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
    pub fn remote(config: super::remote::RemoteConfig) -> Self {
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
    pub fn remote_config(&self) -> Option<&super::remote::RemoteConfig> {
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

/// A queued request: its id, and its result once done.
pub struct Ticket<T = Completion> {
    pub id: RequestId,
    rx: Receiver<Result<T, LlmError>>,
}

impl<T> Ticket<T> {
    /// Blocks until the request is finished, stopped or failed.
    pub fn wait(self) -> Result<T, LlmError> {
        self.rx.recv().unwrap_or(Err(LlmError::EngineStopped))
    }
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
    fn new() -> Arc<Shared> {
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

/// The local model engine.
pub struct Engine {
    tx: Sender<Command>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl Engine {
    /// Starts the worker and loads the model; returns once it is ready, or
    /// with the reason it could not load.
    pub fn start(config: EngineConfig) -> Result<Engine, LlmError> {
        let model = match &config.source {
            ModelSource::Remote(remote) => return Engine::start_remote(remote.clone()),
            ModelSource::Local(path) => path.clone(),
        };
        let shared = Shared::new();
        let (tx, handle) = match config.process.clone() {
            Some(process) => super::process::spawn(config, model, process, Arc::clone(&shared))?,
            None => worker::spawn(config, model, Arc::clone(&shared))?,
        };
        Ok(Engine {
            tx,
            shared,
            next_id: AtomicU64::new(1),
            worker: Mutex::new(Some(handle)),
        })
    }

    /// An engine whose requests go to an OpenAI-compatible server instead
    /// of the local model (opt-in). Fails, naming the server and the cause,
    /// when it cannot be reached or is not OpenAI-compatible.
    pub fn start_remote(config: super::remote::RemoteConfig) -> Result<Engine, LlmError> {
        let shared = Shared::new();
        let (tx, handle) = super::remote::spawn(config, Arc::clone(&shared))?;
        Ok(Engine {
            tx,
            shared,
            next_id: AtomicU64::new(1),
            worker: Mutex::new(Some(handle)),
        })
    }

    /// Where text is sent: the remote server's URL, or None when it stays
    /// on this computer.
    pub fn remote_url(&self) -> Option<String> {
        self.model()
            .filter(|m| m.template == TemplateSource::Server)
            .map(|m| m.info.path.display().to_string())
    }

    /// The model in use.
    pub fn model(&self) -> Option<LoadedModel> {
        lock(&self.shared.loaded).clone()
    }

    /// The id of the process the model runs in, when it runs in one of its
    /// own and that process is up (None after it died, until the next
    /// request starts a fresh one).
    pub fn model_process_id(&self) -> Option<u32> {
        *lock(&self.shared.process_id)
    }

    /// A fresh request id with its cancel flag registered.
    fn register(&self) -> (RequestId, Arc<AtomicBool>) {
        let cancel = Arc::new(AtomicBool::new(false));
        (self.register_flag(Arc::clone(&cancel)), cancel)
    }

    /// A fresh request id under which `cancel` and `cancel_all` reach
    /// `flag`.
    fn register_flag(&self, flag: Arc<AtomicBool>) -> RequestId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.shared.cancels).insert(id, flag);
        id
    }

    /// Queues teacher-forced scoring of `text` (see [`TextScores`]);
    /// progress goes to the sink's `on_prompt_progress`, which may stop it.
    /// Cancelled by id like a chat request, keeping what was scored.
    pub fn submit_score(
        &self,
        text: String,
        options: ScoreOptions,
        sink: Box<dyn TokenSink>,
    ) -> Ticket<TextScores> {
        let (id, cancel) = self.register();
        let (reply, rx) = mpsc::channel();
        let cmd = Command::Score {
            id,
            text,
            options,
            sink,
            cancel,
            reply,
        };
        if let Err(mpsc::SendError(cmd)) = self.tx.send(cmd) {
            if let Command::Score { reply, .. } = cmd {
                let _ = reply.send(Err(LlmError::EngineStopped));
            }
            lock(&self.shared.cancels).remove(&id);
        }
        Ticket { id, rx }
    }

    /// Unit-length embeddings of `texts` (each cut to its first
    /// `max_tokens` tokens) from the local model, queued like any request;
    /// setting `cancel` (or [`Engine::cancel_all`]) stops it between texts.
    /// A remote server gives none.
    pub fn embed(
        &self,
        texts: Vec<String>,
        max_tokens: usize,
        cancel: Arc<AtomicBool>,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        // The caller's own flag, reachable by `cancel_all` (a model
        // switch, shutting down) like any other request's.
        let id = self.register_flag(Arc::clone(&cancel));
        let (reply, rx) = mpsc::channel();
        let cmd = Command::Embed {
            id,
            texts,
            max_tokens,
            cancel,
            reply,
        };
        if self.tx.send(cmd).is_err() {
            lock(&self.shared.cancels).remove(&id);
            return Err(LlmError::EngineStopped);
        }
        rx.recv().unwrap_or(Err(LlmError::EngineStopped))
    }

    /// Scores `text` and waits for the result.
    pub fn score(&self, text: &str, options: ScoreOptions) -> Result<TextScores, LlmError> {
        self.submit_score(text.to_owned(), options, Box::new(NullSink))
            .wait()
    }

    /// Queues a request; tokens go to `sink` as they are generated.
    pub fn submit(&self, request: ChatRequest, sink: Box<dyn TokenSink>) -> Ticket {
        let (id, cancel) = self.register();
        let (reply, rx) = mpsc::channel();
        let cmd = Command::Chat {
            id,
            request,
            sink,
            cancel,
            reply,
        };
        if let Err(mpsc::SendError(cmd)) = self.tx.send(cmd) {
            if let Command::Chat { reply, .. } = cmd {
                let _ = reply.send(Err(LlmError::EngineStopped));
            }
            lock(&self.shared.cancels).remove(&id);
        }
        Ticket { id, rx }
    }

    /// Queues a request and waits for its reply.
    pub fn chat(
        &self,
        request: ChatRequest,
        sink: impl TokenSink + 'static,
    ) -> Result<Completion, LlmError> {
        self.submit(request, Box::new(sink)).wait()
    }

    /// Cancels a running or queued request. It stops before its next decode
    /// step and returns what it produced so far. False if the id is unknown
    /// or already finished.
    pub fn cancel(&self, id: RequestId) -> bool {
        match lock(&self.shared.cancels).get(&id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                self.wake();
                true
            }
            None => false,
        }
    }

    /// Lets a request waiting on the model process see its cancel now.
    fn wake(&self) {
        if let Some(wake) = lock(&self.shared.wake).as_ref() {
            wake();
        }
    }

    /// Cancels everything running or queued.
    pub fn cancel_all(&self) {
        for flag in lock(&self.shared.cancels).values() {
            flag.store(true, Ordering::Relaxed);
        }
        self.wake();
    }

    /// Switches to another model once the requests queued before it are
    /// done. On failure the current model stays loaded.
    pub fn load_model(&self, path: &Path) -> Result<LoadedModel, LlmError> {
        let (reply, rx) = mpsc::channel();
        self.tx
            .send(Command::Load {
                path: path.to_path_buf(),
                reply,
            })
            .map_err(|_| LlmError::EngineStopped)?;
        rx.recv().unwrap_or(Err(LlmError::EngineStopped))
    }

    /// Tokens `text` takes, or a generous estimate (half its bytes) when
    /// the tokenizer cannot answer: sizing a prompt must not fail over it
    /// (an engine that is gone fails the request that follows).
    pub fn count_tokens_or_estimate(&self, text: &str) -> usize {
        self.count_tokens(text).unwrap_or(text.len() / 2 + 1)
    }

    /// The loaded model's context in tokens (2048 before one is loaded).
    pub fn context_size(&self) -> usize {
        self.model().map(|m| m.n_ctx as usize).unwrap_or(2048)
    }

    /// Tokens `text` takes with the loaded model's tokenizer (no template).
    pub fn count_tokens(&self, text: &str) -> Result<usize, LlmError> {
        let (reply, rx) = mpsc::channel();
        self.tx
            .send(Command::CountTokens {
                text: text.to_owned(),
                reply,
            })
            .map_err(|_| LlmError::EngineStopped)?;
        rx.recv().unwrap_or(Err(LlmError::EngineStopped))
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.cancel_all();
        let _ = self.tx.send(Command::Shutdown);
        if let Some(handle) = lock(&self.worker).take() {
            let _ = handle.join();
        }
    }
}
