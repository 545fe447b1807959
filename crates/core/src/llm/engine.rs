//! The handle every front end holds: it starts the worker thread that owns
//! llama.cpp, queues requests to it, cancels them by id and switches models.
//! Cheap to share (`Arc<Engine>`); requests from many threads are served one
//! at a time, in the order they arrived.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::error::LlmError;
use super::protocol::{
    lock, ChatRequest, Command, Completion, EngineConfig, LoadedModel, ModelSource, RequestId,
    Shared,
};
use super::score::{ScoreOptions, TextScores};
use super::sink::{NullSink, TokenSink};
use super::worker;

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

/// The local model engine.
pub struct Engine {
    tx: Sender<Command>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
    worker: Mutex<Option<JoinHandle<()>>>,
    /// The server's URL when text leaves this computer.
    remote: Option<String>,
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
            remote: None,
        })
    }

    /// An engine whose requests go to an OpenAI-compatible server instead
    /// of the local model (opt-in). Fails, naming the server and the cause,
    /// when it cannot be reached or is not OpenAI-compatible.
    pub fn start_remote(config: super::protocol::RemoteConfig) -> Result<Engine, LlmError> {
        let shared = Shared::new();
        let url = config.base_url.clone();
        let (tx, handle) = super::remote::spawn(config, Arc::clone(&shared))?;
        Ok(Engine {
            tx,
            shared,
            next_id: AtomicU64::new(1),
            worker: Mutex::new(Some(handle)),
            remote: Some(url),
        })
    }

    /// Where text is sent: the remote server's URL, or None when it stays
    /// on this computer.
    pub fn remote_url(&self) -> Option<String> {
        self.remote.clone()
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
