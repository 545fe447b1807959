//! The opt-in remote backend: the same engine handle, with its worker
//! talking to an OpenAI-compatible server (a team's vLLM, llama.cpp's
//! llama-server, Ollama, TGI) instead of running llama.cpp. Requests are
//! queued and cancelled exactly as locally; replies stream over SSE;
//! connection failures are retried with backoff; a stalled server times
//! out; 401, 404, 429, 5xx and answers that are not OpenAI's format each
//! get their own error. Only text of requests the user makes goes there:
//! detection stays local, and the engine says where text is sent.

use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::backend::{self, Backend, Control};
use super::budget::{self, ChatMessage, Role};
use super::error::{LlmError, RemoteFailure};
use super::gguf::ModelInfo;
use super::protocol::{
    lock, ChatRequest, Command, Completion, LoadedModel, RemoteConfig, RequestId, Shared,
    StopReason,
};
use super::score::{ScoreOptions, TextScores};
use super::sink::{Flow, PromptReport, TokenSink};
use super::template::TemplateSource;

struct Client {
    config: RemoteConfig,
    agent: ureq::Agent,
}

impl Client {
    fn fail(&self, kind: RemoteFailure, detail: impl Into<String>) -> LlmError {
        LlmError::Remote {
            url: self.config.base_url.clone(),
            kind,
            detail: detail.into(),
        }
    }

    fn with_key(&self, req: ureq::Request) -> ureq::Request {
        match &self.config.api_key {
            Some(k) => req.set("Authorization", &format!("Bearer {k}")),
            None => req,
        }
    }

    /// Maps a failed call to its error, and whether trying again may help.
    fn classify(&self, e: Box<ureq::Error>) -> (LlmError, bool) {
        match *e {
            ureq::Error::Status(code, response) => {
                let body = response.into_string().unwrap_or_default();
                let message = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| {
                        v["error"]["message"]
                            .as_str()
                            .or(v["error"].as_str())
                            .or(v["message"].as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| body.chars().take(200).collect());
                let (kind, what) = match code {
                    401 | 403 => (RemoteFailure::Unauthorized, "refused the API key"),
                    404 => (RemoteFailure::NotFound, "has no such model or route"),
                    429 => (RemoteFailure::RateLimited, "is rate-limiting requests"),
                    500..=599 => (RemoteFailure::ServerError, "failed"),
                    _ => (RemoteFailure::Incompatible, "refused the request"),
                };
                (
                    self.fail(kind, format!("{what} (HTTP {code}): {message}")),
                    code == 503,
                )
            }
            ureq::Error::Transport(t) => {
                let text = t.to_string();
                if text.contains("timed out") || text.contains("Timeout") {
                    (
                        self.fail(
                            RemoteFailure::Timeout,
                            format!("no answer in time ({text})"),
                        ),
                        false,
                    )
                } else {
                    (
                        self.fail(
                            RemoteFailure::Unreachable,
                            format!("cannot connect ({text})"),
                        ),
                        true,
                    )
                }
            }
        }
    }

    /// Sends with retries on connection failures (backoff 0.25 s, 0.5 s, 1 s...).
    fn send(
        &self,
        make: impl Fn() -> Result<ureq::Response, Box<ureq::Error>>,
    ) -> Result<ureq::Response, LlmError> {
        let mut attempt = 0;
        loop {
            match make() {
                Ok(r) => return Ok(r),
                Err(e) => {
                    let (err, retry) = self.classify(e);
                    if !retry || attempt >= self.config.retries {
                        return Err(err);
                    }
                    std::thread::sleep(Duration::from_millis(250 << attempt));
                    attempt += 1;
                }
            }
        }
    }

    /// The model to use and the context the server reports for it.
    fn pick_model(&self) -> Result<(String, Option<u32>), LlmError> {
        let url = format!("{}/models", self.config.base_url);
        let response =
            self.send(|| self.with_key(self.agent.get(&url)).call().map_err(Box::new))?;
        let body = response
            .into_string()
            .map_err(|e| self.fail(RemoteFailure::Incompatible, e.to_string()))?;
        let v: Value = serde_json::from_str(&body).map_err(|_| {
            self.fail(
                RemoteFailure::Incompatible,
                "its /models answer is not JSON: not an OpenAI-compatible server?",
            )
        })?;
        let models = v["data"].as_array().ok_or_else(|| {
            self.fail(
                RemoteFailure::Incompatible,
                "its /models answer has no 'data' list: not an OpenAI-compatible server?",
            )
        })?;
        let ids: Vec<&str> = models.iter().filter_map(|m| m["id"].as_str()).collect();
        let chosen = match &self.config.model {
            Some(m) if ids.contains(&m.as_str()) => m.clone(),
            Some(m) => {
                return Err(self.fail(
                    RemoteFailure::NotFound,
                    format!("has no model '{m}' (it has: {})", ids.join(", ")),
                ))
            }
            None => ids
                .first()
                .map(|s| (*s).to_owned())
                .ok_or_else(|| self.fail(RemoteFailure::NotFound, "lists no models"))?,
        };
        let entry = models.iter().find(|m| m["id"] == chosen.as_str());
        // vLLM says max_model_len; llama-server says meta.n_ctx_train.
        let n_ctx = entry.and_then(|m| {
            m["max_model_len"]
                .as_u64()
                .or(m["meta"]["n_ctx_train"].as_u64())
                .and_then(|n| u32::try_from(n).ok())
        });
        Ok((chosen, n_ctx))
    }
}

/// A safe over-estimate of tokens: no tokenizer here, so about one token
/// per three bytes (English runs near four).
pub fn estimate_tokens(text: &str) -> usize {
    text.len() / 3 + 1
}

pub(crate) fn spawn(
    config: RemoteConfig,
    shared: Arc<Shared>,
) -> Result<(Sender<Command>, JoinHandle<()>), LlmError> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(config.connect_timeout)
        .timeout_read(config.stall_timeout)
        .timeout_write(config.stall_timeout)
        .build();
    let client = Client { config, agent };
    let (model, reported) = client.pick_model()?;
    let n_ctx = reported.unwrap_or(client.config.n_ctx);
    let info = ModelInfo::remote(&model, &client.config.base_url);
    *lock(&shared.loaded) = Some(LoadedModel {
        info,
        template: TemplateSource::Server,
        n_ctx,
        threads: 0,
        n_gpu_layers: 0,
        load_ms: 0.0,
    });
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("deskpilot-remote".into())
        .spawn(move || serve(&client, &model, n_ctx, &rx, &shared))
        .map_err(|e| LlmError::EngineFailed(format!("cannot start the remote thread: {e}")))?;
    Ok((tx, handle))
}

fn serve(client: &Client, model: &str, n_ctx: u32, rx: &Receiver<Command>, shared: &Shared) {
    let mut remote = RemoteBackend {
        client,
        model,
        n_ctx,
    };
    loop {
        match backend::serve(&mut remote, rx, shared) {
            Control::Shutdown => return,
            Control::Load(_, reply) => {
                let _ = reply.send(Err(client.fail(
                    RemoteFailure::LocalOnly,
                    "a remote server's model is chosen in its configuration, not switched here",
                )));
            }
        }
    }
}

/// A remote OpenAI-compatible server: the remote [`Backend`].
struct RemoteBackend<'a> {
    client: &'a Client,
    model: &'a str,
    n_ctx: u32,
}

impl Backend for RemoteBackend<'_> {
    fn chat(
        &mut self,
        _id: RequestId,
        request: &ChatRequest,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Completion, LlmError> {
        chat(self.client, self.model, self.n_ctx, request, sink, cancel)
    }

    fn embed(
        &mut self,
        _texts: &[String],
        _max_tokens: usize,
        _cancel: &AtomicBool,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        Err(self.client.fail(
            RemoteFailure::LocalOnly,
            "passage embeddings are computed by the local model only",
        ))
    }

    fn score(
        &mut self,
        _text: &str,
        _options: ScoreOptions,
        _sink: &mut dyn TokenSink,
        _cancel: &AtomicBool,
    ) -> Result<TextScores, LlmError> {
        Err(self.client.fail(
            RemoteFailure::LocalOnly,
            "detection needs every token's probability, which only the local model gives",
        ))
    }

    /// No tokenizer here: a safe over-estimate (see [`estimate_tokens`]).
    fn count_tokens(&mut self, text: &str) -> Result<usize, LlmError> {
        Ok(estimate_tokens(text))
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

fn chat(
    client: &Client,
    model: &str,
    n_ctx: u32,
    request: &ChatRequest,
    sink: &mut dyn super::TokenSink,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<Completion, LlmError> {
    let sampling = &request.sampling;
    sampling.validate()?;
    let seed = sampling.effective_seed();
    let ctx = n_ctx as usize;
    let reserve = (sampling.max_tokens as usize).clamp(1, ctx / 4);
    let count = |msgs: &[ChatMessage]| {
        Ok(msgs
            .iter()
            .map(|m| estimate_tokens(&m.content) + 4)
            .sum::<usize>())
    };
    let fitted = budget::fit(&request.messages, ctx - reserve, n_ctx, reserve, count)?;
    let prompt_tokens = count(&fitted.messages).unwrap_or(0);
    let mut done = Completion {
        id: 0,
        text: String::new(),
        model: model.to_owned(),
        prompt_tokens,
        reused_tokens: 0,
        generated_tokens: 0,
        prompt_ms: 0.0,
        generate_ms: 0.0,
        stop: StopReason::Cancelled,
        trimmed: fitted.trimmed,
        template: TemplateSource::Server,
        seed,
        threads: 0,
    };
    if cancel.load(Ordering::Relaxed) {
        return Ok(done);
    }
    let report = PromptReport {
        prompt_tokens,
        reused_tokens: 0,
        trimmed: fitted.trimmed,
        template: TemplateSource::Server.to_string(),
    };
    if sink.on_start(&report) == Flow::Stop {
        return Ok(done);
    }
    let mut body = json!({
        "model": model,
        "messages": fitted.messages.iter().map(|m| json!({"role": role_name(m.role), "content": m.content})).collect::<Vec<_>>(),
        "stream": true,
        "max_tokens": sampling.max_tokens,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "seed": seed,
    });
    if !sampling.stop.is_empty() {
        body["stop"] = json!(sampling.stop);
    }
    let url = format!("{}/chat/completions", client.config.base_url);
    let text = body.to_string();
    let started = Instant::now();
    let response = client.send(|| {
        client
            .with_key(client.agent.post(&url))
            .set("Content-Type", "application/json")
            .set("Accept", "text/event-stream")
            .send_string(&text)
            .map_err(Box::new)
    })?;
    let mut first_token = None;
    let reader = BufReader::new(response.into_reader());
    let mut stop = StopReason::Eos;
    let mut saw_done = false;
    for line in reader.lines() {
        if cancel.load(Ordering::Relaxed) {
            stop = StopReason::Cancelled;
            break;
        }
        let line = line.map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut
                || e.kind() == std::io::ErrorKind::WouldBlock
            {
                client.fail(
                    RemoteFailure::Timeout,
                    format!(
                        "sent nothing for {} s while replying",
                        client.config.stall_timeout.as_secs()
                    ),
                )
            } else {
                client.fail(RemoteFailure::Unreachable, format!("the stream broke: {e}"))
            }
        })?;
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        let data = data.trim();
        if data == "[DONE]" {
            saw_done = true;
            break;
        }
        let v: Value = serde_json::from_str(data).map_err(|_| {
            client.fail(
                RemoteFailure::Incompatible,
                format!(
                    "malformed stream event: {}",
                    data.chars().take(80).collect::<String>()
                ),
            )
        })?;
        if let Some(err) = v.get("error") {
            let msg = err["message"].as_str().unwrap_or("unknown error");
            return Err(client.fail(RemoteFailure::ServerError, msg.to_owned()));
        }
        let choice = &v["choices"][0];
        if choice.is_null() && v.get("usage").is_none() {
            return Err(client.fail(
                RemoteFailure::Incompatible,
                "a stream event without 'choices': not an OpenAI-compatible server?",
            ));
        }
        if let Some(piece) = choice["delta"]["content"].as_str() {
            if !piece.is_empty() {
                first_token.get_or_insert_with(Instant::now);
                done.generated_tokens += 1;
                done.text.push_str(piece);
                if sink.on_text(piece) == Flow::Stop {
                    stop = StopReason::Cancelled;
                    break;
                }
            }
        }
        match choice["finish_reason"].as_str() {
            Some("length") => stop = StopReason::MaxTokens,
            Some(_) => stop = StopReason::Eos,
            None => {}
        }
        if let Some(n) = v["usage"]["completion_tokens"].as_u64() {
            done.generated_tokens = n as usize;
        }
        if let Some(n) = v["usage"]["prompt_tokens"].as_u64() {
            done.prompt_tokens = n as usize;
        }
    }
    if !saw_done && stop == StopReason::Eos && done.text.is_empty() {
        return Err(client.fail(
            RemoteFailure::Incompatible,
            "the reply ended without any text or [DONE]: not an OpenAI-compatible stream?",
        ));
    }
    let first = first_token.unwrap_or_else(Instant::now);
    done.prompt_ms = (first - started).as_secs_f64() * 1000.0;
    done.generate_ms = first.elapsed().as_secs_f64() * 1000.0;
    done.stop = stop;
    Ok(done)
}
