//! The one thread that owns llama.cpp: the backend (initialised once per
//! process), the loaded model and its context. It serves commands from the
//! engine's channel in order, decodes prompts in sub-batches so a cancel
//! lands within one step, and keeps the KV cache of the previous request so
//! that a shared prefix (system prompt, earlier turns) is not recomputed.

use std::num::NonZeroU32;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

use llama_cpp_2::context::params::{LlamaContextParams, LlamaPoolingType};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;

use super::backend::{serve as serve_requests, Backend, Control};
use super::budget::{self, ChatMessage, Trimmed};
use super::cpu_load::CpuLoad;
use super::error::LlmError;
use super::gguf::{self, ModelInfo};
use super::protocol::{
    lock, ChatRequest, Command, Completion, EngineConfig, LoadedModel, RequestId, Shared,
    StopReason,
};
use super::raw::{AbortState, RawContext, ThreadPool};
use super::score::{self, ScoreOptions, TextScores};
use super::sink::{Flow, PromptReport, TokenSink};
use super::stream::{StopMatcher, Utf8Stream};
use super::template::ChatTemplate;

/// Prompt tokens per decode when a cancel can only land between decodes
/// (no abort callback): about half a second on a slow laptop.
const FALLBACK_PROMPT_CHUNK: usize = 128;

/// llama.cpp allows one backend per process; every engine shares it.
fn backend() -> Result<&'static LlamaBackend, LlmError> {
    static BACKEND: OnceLock<Option<LlamaBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // Route llama.cpp's chatter (hundreds of KB per load) to tracing,
            // where the CLI shows it only with -v.
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
            LlamaBackend::init().ok()
        })
        .as_ref()
        .ok_or_else(|| LlmError::EngineFailed("llama.cpp backend failed to initialise".into()))
}

/// Starts the worker and waits until the first model is loaded.
pub(crate) fn spawn(
    config: EngineConfig,
    model: PathBuf,
    shared: Arc<Shared>,
) -> Result<(Sender<Command>, JoinHandle<()>), LlmError> {
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("deskpilot-llm".into())
        .spawn(move || run(config, model, rx, ready_tx, shared))
        .map_err(|e| LlmError::EngineFailed(format!("cannot start the model thread: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok((tx, handle)),
        Ok(Err(e)) => {
            let _ = handle.join();
            Err(e)
        }
        Err(_) => Err(match handle.join() {
            Err(panic) => LlmError::WorkerPanicked(panic_message(&*panic)),
            Ok(()) => LlmError::EngineFailed("it exited during start-up".into()),
        }),
    }
}

/// A model with everything derived from it at load time.
struct Loaded {
    model: LlamaModel,
    info: ModelInfo,
    template: ChatTemplate,
    n_ctx: u32,
    load_ms: f64,
}

impl Loaded {
    fn describe(&self, config: &EngineConfig) -> LoadedModel {
        LoadedModel {
            info: self.info.clone(),
            template: self.template.source.clone(),
            n_ctx: self.n_ctx,
            threads: config.threads,
            n_gpu_layers: config.n_gpu_layers,
            load_ms: self.load_ms,
        }
    }

    fn context_params(&self, config: &EngineConfig, threads: usize) -> LlamaContextParams {
        let threads = i32::try_from(threads.max(1)).unwrap_or(i32::MAX);
        LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(self.n_ctx))
            .with_n_batch(config.n_batch)
            .with_n_ubatch(config.n_batch)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
    }

    fn new_context<'m>(
        &'m self,
        backend: &LlamaBackend,
        config: &EngineConfig,
        threads: usize,
    ) -> Result<LlamaContext<'m>, LlmError> {
        self.model
            .new_context(backend, self.context_params(config, threads))
            .map_err(|e| LlmError::Context {
                n_ctx: self.n_ctx,
                detail: e.to_string(),
            })
    }

    fn tokenize(&self, text: &str) -> Vec<LlamaToken> {
        // parse_special: the template's own markers (<|im_start|>, ...) must
        // become their control tokens, not text.
        self.model.vocab().tokenize(text.as_bytes(), true, true)
    }
}

/// Checks the file first (so a bad file is named, not a null pointer), then
/// lets llama.cpp load it.
fn load(backend: &LlamaBackend, config: &EngineConfig, path: &Path) -> Result<Loaded, LlmError> {
    let info = gguf::inspect(path)?;
    info.ensure_supported()?;
    let mut params = LlamaModelParams::default().with_n_gpu_layers(config.n_gpu_layers);
    if let Some(progress) = config.load_progress.clone() {
        params = params.with_progress_callback(move |done| {
            (progress.0)(done);
            true
        });
    }
    let started = Instant::now();
    let model = LlamaModel::load_from_file(backend, path, &params).map_err(|e| {
        tracing::warn!("llama.cpp refused {}: {e}", path.display());
        LlmError::LoadFailed {
            path: path.to_path_buf(),
        }
    })?;
    let load_ms = ms(started);
    let template = ChatTemplate::select(&model, &info.architecture);
    let trained = model.n_ctx_train();
    let n_ctx = if trained > 0 {
        config.n_ctx.min(trained)
    } else {
        config.n_ctx
    }
    .max(64);
    tracing::info!(
        model = %info.name,
        template = %template.source,
        n_ctx,
        load_ms,
        "model loaded"
    );
    Ok(Loaded {
        model,
        info,
        template,
        n_ctx,
        load_ms,
    })
}

enum Next {
    Switch(Box<Loaded>, Sender<Result<LoadedModel, LlmError>>),
    Shutdown,
}

fn run(
    config: EngineConfig,
    model: PathBuf,
    rx: Receiver<Command>,
    ready: Sender<Result<(), LlmError>>,
    shared: Arc<Shared>,
) {
    let first = backend().and_then(|b| Ok((b, load(b, &config, &model)?)));
    let (backend, mut loaded) = match first {
        Ok((b, l)) => (b, Box::new(l)),
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let mut on_ready: Box<dyn FnOnce(Result<LoadedModel, LlmError>)> = Box::new(move |r| {
        let _ = ready.send(r.map(|_| ()));
    });
    loop {
        match serve(backend, &config, &loaded, &rx, &shared, on_ready) {
            Next::Shutdown => return,
            Next::Switch(next, reply) => {
                loaded = next;
                on_ready = Box::new(move |r| {
                    let _ = reply.send(r);
                });
            }
        }
    }
}

/// Serves commands with one model until a switch or shutdown.
fn serve(
    backend: &LlamaBackend,
    config: &EngineConfig,
    loaded: &Loaded,
    rx: &Receiver<Command>,
    shared: &Shared,
    on_ready: Box<dyn FnOnce(Result<LoadedModel, LlmError>)>,
) -> Next {
    // Declared before the context so that they outlive it: the context's
    // abort callback reads one, its decodes run on the other.
    let abort = Box::new(AbortState::default());
    let pool = ThreadPool::new(config.threads);
    let threads = config.threads.max(1);
    let ctx = match loaded.new_context(backend, config, threads) {
        Ok(ctx) => ctx,
        Err(e) => {
            on_ready(Err(e));
            return Next::Shutdown;
        }
    };
    let raw = RawContext::new(&loaded.model, &ctx, &abort);
    if let (Some(raw), Some(pool)) = (&raw, &pool) {
        raw.attach(pool);
    }
    let described = loaded.describe(config);
    *lock(&shared.loaded) = Some(described.clone());
    on_ready(Ok(described));

    let mut session = LocalSession {
        raw,
        ctx,
        backend,
        config,
        loaded,
        abort: &abort,
        pool: &pool,
        threads,
        cached: Vec::new(),
        cpu: CpuLoad::new(),
        embedder: None,
    };
    loop {
        match serve_requests(&mut session, rx, shared) {
            Control::Shutdown => return Next::Shutdown,
            Control::Load(path, reply) => {
                let next = load(backend, config, &path).and_then(|next| {
                    // Prove the new model gets a context before dropping the old.
                    next.new_context(backend, config, session.threads)?;
                    Ok(next)
                });
                match next {
                    Ok(next) => return Next::Switch(Box::new(next), reply),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
        }
    }
}

/// This computer's model and its context: the local [`Backend`].
struct LocalSession<'a, 'm> {
    // Dropped before the context it points into.
    raw: Option<RawContext>,
    ctx: LlamaContext<'m>,
    backend: &'a LlamaBackend,
    config: &'a EngineConfig,
    loaded: &'m Loaded,
    abort: &'a AbortState,
    pool: &'a Option<ThreadPool>,
    threads: usize,
    /// Tokens currently in the KV cache (sequence 0), in order.
    cached: Vec<LlamaToken>,
    cpu: CpuLoad,
    /// The embeddings context, made on first use.
    embedder: Option<LlamaContext<'m>>,
}

impl LocalSession<'_, '_> {
    /// Threads are fixed per context: when other programs take or free
    /// cores, move to the count that fits (on the running context when
    /// llama.cpp allows, else on a fresh one).
    fn fit_threads(&mut self) {
        let config = self.config;
        let want = if config.adapt_threads {
            self.cpu.threads(config.threads.max(1))
        } else {
            config.threads.max(1)
        };
        if want == self.threads {
            return;
        }
        tracing::info!(from = self.threads, to = want, "thread count changed");
        if let Some(raw) = &self.raw {
            raw.set_threads(want);
            self.threads = want;
            return;
        }
        match self.loaded.new_context(self.backend, config, want) {
            Ok(fresh) => {
                self.raw = None;
                self.ctx = fresh;
                self.raw = RawContext::new(&self.loaded.model, &self.ctx, self.abort);
                if let (Some(raw), Some(pool)) = (&self.raw, self.pool) {
                    raw.attach(pool);
                }
                self.threads = want;
                self.cached.clear();
            }
            Err(e) => tracing::warn!("keeping {} threads: {e}", self.threads),
        }
    }
}

impl Backend for LocalSession<'_, '_> {
    fn chat(
        &mut self,
        id: RequestId,
        request: &ChatRequest,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Completion, LlmError> {
        self.fit_threads();
        let threads = self.threads;
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut job = Job {
                ctx: &mut self.ctx,
                loaded: self.loaded,
                config: self.config,
                cached: &mut self.cached,
                cancel,
                abort: self.abort,
                abortable: self.raw.is_some(),
                sink,
            };
            job.run(id, request)
        }))
        .unwrap_or_else(|panic| Err(LlmError::WorkerPanicked(panic_message(&*panic))))
        .map(|mut done| {
            done.threads = threads;
            done
        });
        self.cpu.request_done();
        if result.is_err() {
            // The cache may be half-written: start the next request clean.
            self.ctx.clear_kv_cache();
            self.cached.clear();
        }
        result
    }

    fn score(
        &mut self,
        text: &str,
        options: ScoreOptions,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<TextScores, LlmError> {
        // Scoring fills the cache with the text: the chat prefix is gone.
        self.cached.clear();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let _watch = self.abort.watch(cancel);
            score::run(
                &mut self.ctx,
                &self.loaded.model,
                // The name people read (the verdict names its scorer).
                &self.loaded.info.display_name,
                self.config.n_batch as usize,
                text,
                options,
                cancel,
                sink,
            )
        }))
        .unwrap_or_else(|panic| Err(LlmError::WorkerPanicked(panic_message(&*panic))));
        if result.is_err() {
            self.ctx.clear_kv_cache();
        }
        result
    }

    fn count_tokens(&mut self, text: &str) -> Result<usize, LlmError> {
        Ok(self.loaded.tokenize(text).len())
    }

    fn embed(
        &mut self,
        texts: &[String],
        max_tokens: usize,
        cancel: &AtomicBool,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        if self.embedder.is_none() {
            let size = u32::try_from(max_tokens.clamp(64, 2048)).unwrap_or(512);
            let threads = i32::try_from(self.threads.max(1)).unwrap_or(1);
            let params = LlamaContextParams::default()
                .with_n_ctx(NonZeroU32::new(size))
                .with_n_batch(size)
                .with_n_ubatch(size)
                .with_n_threads(threads)
                .with_n_threads_batch(threads)
                .with_embeddings(true)
                .with_pooling_type(LlamaPoolingType::Mean);
            let ctx = self
                .loaded
                .model
                .new_context(self.backend, params)
                .map_err(|e| LlmError::Context {
                    n_ctx: size,
                    detail: format!("embeddings: {e}"),
                })?;
            self.embedder = Some(ctx);
        }
        let Some(ctx) = self.embedder.as_mut() else {
            return Err(LlmError::EngineStopped);
        };
        let model = &self.loaded.model;
        catch_unwind(AssertUnwindSafe(|| {
            super::embed::run(ctx, model, texts, max_tokens, cancel)
        }))
        .unwrap_or_else(|panic| Err(LlmError::WorkerPanicked(panic_message(&*panic))))
    }
}

/// One chat request being served.
struct Job<'a, 'm> {
    ctx: &'a mut LlamaContext<'m>,
    loaded: &'m Loaded,
    config: &'a EngineConfig,
    cached: &'a mut Vec<LlamaToken>,
    cancel: &'a AtomicBool,
    /// The context's abort callback reads the flag registered here.
    abort: &'a AbortState,
    /// Whether a cancel can stop a decode midway.
    abortable: bool,
    sink: &'a mut dyn TokenSink,
}

impl Job<'_, '_> {
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// After an aborted decode: forget whatever of it reached the cache.
    fn roll_back_to(&mut self, pos: usize) {
        self.cached.truncate(pos);
        if self
            .ctx
            .kv_cache_seq_rm(0, u32::try_from(pos).ok(), None)
            .is_err()
        {
            self.ctx.clear_kv_cache();
            self.cached.clear();
        }
    }

    fn run(&mut self, id: RequestId, request: &ChatRequest) -> Result<Completion, LlmError> {
        let abort = self.abort;
        let cancel = self.cancel;
        let _watch = abort.watch(cancel);
        let sampling = &request.sampling;
        sampling.validate()?;
        let seed = sampling.effective_seed();
        let mut done = Completion {
            id,
            text: String::new(),
            model: self.loaded.info.name.clone(),
            prompt_tokens: 0,
            reused_tokens: 0,
            generated_tokens: 0,
            prompt_ms: 0.0,
            generate_ms: 0.0,
            stop: StopReason::Cancelled,
            trimmed: Trimmed::default(),
            template: self.loaded.template.source.clone(),
            seed,
            threads: 0,
        };
        if request.messages.is_empty() {
            return Err(LlmError::Template {
                template: done.template.to_string(),
                detail: "no messages to answer".into(),
            });
        }
        if self.cancelled() {
            return Ok(done);
        }

        // Fit the conversation, keeping room for the reply.
        let n_ctx = self.ctx.n_ctx() as usize;
        let reserve = (sampling.max_tokens as usize).clamp(1, n_ctx / 4);
        let loaded = self.loaded;
        let count = |msgs: &[ChatMessage]| {
            Ok(loaded
                .tokenize(&loaded.template.apply(&loaded.model, msgs)?)
                .len())
        };
        let fitted = budget::fit(
            &request.messages,
            n_ctx - reserve,
            n_ctx as u32,
            reserve,
            count,
        )?;
        let prompt = loaded.template.apply(&loaded.model, &fitted.messages)?;
        let tokens = loaded.tokenize(&prompt);
        done.prompt_tokens = tokens.len();
        done.trimmed = fitted.trimmed;

        // Reuse the cached prefix; the last prompt token is always decoded
        // again because its logits start the reply.
        let mut common = self
            .cached
            .iter()
            .zip(&tokens)
            .take_while(|(a, b)| a == b)
            .count()
            .min(tokens.len().saturating_sub(1));
        if common < self.cached.len()
            && self
                .ctx
                .kv_cache_seq_rm(0, u32::try_from(common).ok(), None)
                .is_err()
        {
            // Sliding-window caches may refuse a partial removal.
            self.ctx.clear_kv_cache();
            common = 0;
        }
        self.cached.truncate(common);
        done.reused_tokens = common;

        let report = PromptReport {
            prompt_tokens: tokens.len(),
            reused_tokens: common,
            trimmed: fitted.trimmed,
            template: done.template.to_string(),
        };
        if self.sink.on_start(&report) == Flow::Stop {
            return Ok(done);
        }

        // Prompt processing, in sub-batches so that cancel is prompt.
        let started = Instant::now();
        let capacity = (self.config.n_batch as usize).max(1);
        let mut chunk = self.config.prompt_chunk;
        if !self.abortable {
            chunk = chunk.min(FALLBACK_PROMPT_CHUNK);
        }
        let chunk = chunk.clamp(1, capacity);
        let mut batch = LlamaBatch::new(capacity, 1);
        let mut pos = common;
        while pos < tokens.len() {
            if self.cancelled() {
                done.prompt_ms = ms(started);
                return Ok(done);
            }
            let end = (pos + chunk).min(tokens.len());
            batch.clear();
            for (i, tok) in tokens.iter().enumerate().take(end).skip(pos) {
                batch
                    .add(*tok, i as i32, &[0], i + 1 == tokens.len())
                    .map_err(|e| LlmError::Decode(e.to_string()))?;
            }
            if let Err(e) = super::turn::decode(self.ctx, &mut batch) {
                if self.cancelled() {
                    // Aborted midway by the cancel.
                    self.roll_back_to(pos);
                    done.prompt_ms = ms(started);
                    return Ok(done);
                }
                return Err(LlmError::Decode(e.to_string()));
            }
            self.cached.extend_from_slice(&tokens[pos..end]);
            pos = end;
            if self.sink.on_prompt_progress(pos, tokens.len()) == Flow::Stop {
                done.prompt_ms = ms(started);
                return Ok(done);
            }
        }
        done.prompt_ms = ms(started);

        // Generation.
        let started = Instant::now();
        let vocab = loaded.model.vocab();
        let mut sampler = sampling.build(loaded.model.n_vocab(), seed);
        let mut grammar = match &sampling.grammar {
            Some(gbnf) => Some(
                llama_cpp_2::sampling::LlamaSampler::grammar(&loaded.model, gbnf, "root")
                    .map_err(|e| LlmError::Sampling(format!("grammar: {e}")))?,
            ),
            None => None,
        };
        let room = n_ctx.saturating_sub(tokens.len());
        let max_new = (sampling.max_tokens as usize).min(room);
        let mut utf8 = Utf8Stream::default();
        let mut stops = StopMatcher::new(&sampling.stop);
        let mut logits_at = batch.n_tokens() - 1;
        let stop = loop {
            if self.cancelled() {
                break StopReason::Cancelled;
            }
            if done.generated_tokens >= max_new {
                break StopReason::MaxTokens;
            }
            let token = match grammar.as_mut() {
                None => sampler.sample(self.ctx, logits_at),
                Some(g) => constrained(self.ctx, &mut sampler, g, logits_at),
            };
            if vocab.is_eog(token) {
                break StopReason::Eos;
            }
            done.generated_tokens += 1;
            let piece = vocab.token_to_piece(token, false, None);
            let scan = stops.push(&utf8.push(&piece));
            let flow = self.emit(&mut done.text, &scan.emit);
            if scan.stopped {
                break StopReason::StopString;
            }
            if flow == Flow::Stop {
                break StopReason::Cancelled;
            }
            if done.generated_tokens >= max_new {
                break StopReason::MaxTokens;
            }
            batch.clear();
            batch
                .add(token, pos as i32, &[0], true)
                .map_err(|e| LlmError::Decode(e.to_string()))?;
            if let Err(e) = super::turn::decode(self.ctx, &mut batch) {
                if self.cancelled() {
                    self.roll_back_to(pos);
                    break StopReason::Cancelled;
                }
                return Err(LlmError::Decode(e.to_string()));
            }
            self.cached.push(token);
            pos += 1;
            logits_at = 0;
        };
        if stop != StopReason::StopString {
            let scan = stops.push(&utf8.finish());
            let mut tail = scan.emit;
            if !scan.stopped {
                tail.push_str(&stops.finish());
            }
            self.emit(&mut done.text, &tail);
        }
        done.stop = stop;
        done.generate_ms = ms(started);
        Ok(done)
    }

    fn emit(&mut self, text: &mut String, piece: &str) -> Flow {
        if piece.is_empty() {
            return Flow::Continue;
        }
        text.push_str(piece);
        self.sink.on_text(piece)
    }
}

/// Samples under a grammar the fast way: the token the chain picks is kept
/// if the grammar allows it; only on a rejection is the grammar run over all
/// candidates (tens of thousands for a small model) before sampling again.
fn constrained(
    ctx: &LlamaContext<'_>,
    chain: &mut llama_cpp_2::sampling::LlamaSampler,
    grammar: &mut llama_cpp_2::sampling::LlamaSampler,
    at: i32,
) -> LlamaToken {
    use llama_cpp_2::token::data::LlamaTokenData;
    use llama_cpp_2::token::data_array::LlamaTokenDataArray;
    let first = chain.sample(ctx, at);
    let mut single = LlamaTokenDataArray::from_iter([LlamaTokenData::new(first, 1.0, 0.0)], false);
    grammar.apply(&mut single);
    let token = if single.data[0].logit().is_finite() {
        first
    } else {
        let mut all = ctx.token_data_array_ith(at);
        grammar.apply(&mut all);
        chain.apply(&mut all);
        all.selected_token().unwrap_or(first)
    };
    grammar.accept(token);
    token
}

/// Milliseconds since `since`, to 0.01 ms (finer is noise).
fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
