//! Deskpilot's local API: `/v1/models` and `/v1/chat/completions` in the
//! OpenAI format (plain and streamed as server-sent events), served from
//! the local engine so scripts and editors can use the model Deskpilot
//! already has. Bound to 127.0.0.1 only; an optional bearer token; every
//! request joins the engine's one queue, like the window's own.

mod openai;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::llm::{Engine, Flow, TokenSink};

pub use openai::{ChatBody, Message};

/// Largest request body accepted (a chat with long pasted documents).
const MAX_BODY: u64 = 8 << 20;

/// How the server runs.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// Required as `Authorization: Bearer <token>` when set.
    pub token: Option<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {detail}")]
    Bind { port: u16, detail: String },
}

/// A running server: its address, and a way to stop it.
pub struct Serving {
    server: Arc<Server>,
    pub addr: SocketAddr,
}

impl Serving {
    /// Stops accepting requests; `run` returns.
    pub fn stop(&self) {
        self.server.unblock();
    }
}

/// Binds 127.0.0.1:`port` (never another interface).
pub fn bind(options: &ServeOptions) -> Result<Serving, ServeError> {
    let server = Server::http(("127.0.0.1", options.port)).map_err(|e| ServeError::Bind {
        port: options.port,
        detail: e.to_string(),
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind {
            port: options.port,
            detail: "not an IP socket".into(),
        })?;
    Ok(Serving {
        server: Arc::new(server),
        addr,
    })
}

/// Serves until [`Serving::stop`]: each request on its own thread, all of
/// them sharing the engine's queue.
pub fn run(serving: &Serving, engine: Arc<Engine>, options: &ServeOptions) {
    for request in serving.server.incoming_requests() {
        let engine = Arc::clone(&engine);
        let token = options.token.clone();
        let _ = std::thread::Builder::new()
            .name("deskpilot-api".into())
            .spawn(move || handle(request, &engine, token.as_deref()));
    }
}

fn json_header() -> Header {
    Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]).expect("a valid header")
}

fn respond_json(request: Request, status: u16, body: &serde_json::Value) {
    let response = Response::from_string(body.to_string())
        .with_status_code(StatusCode(status))
        .with_header(json_header());
    let _ = request.respond(response);
}

fn error(request: Request, status: u16, kind: &str, code: &str, message: &str) {
    respond_json(
        request,
        status,
        &serde_json::json!({"error": {"message": message, "type": kind, "code": code}}),
    );
}

fn authorised(request: &Request, token: Option<&str>) -> bool {
    let Some(token) = token else { return true };
    request.headers().iter().any(|h| {
        h.field.equiv("Authorization")
            && h.value
                .as_str()
                .strip_prefix("Bearer ")
                .is_some_and(|t| t.trim() == token)
    })
}

fn handle(mut request: Request, engine: &Engine, token: Option<&str>) {
    if !authorised(&request, token) {
        return error(
            request,
            401,
            "invalid_request_error",
            "invalid_api_key",
            "missing or wrong bearer token",
        );
    }
    let path = request
        .url()
        .split('?')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_owned();
    let model_name = engine.model().map(|m| m.info.name).unwrap_or_default();
    match (request.method(), path.as_str()) {
        (Method::Get, "/v1/models") => respond_json(request, 200, &openai::models(&model_name)),
        (Method::Get, p) if p.starts_with("/v1/models/") => {
            let id = &p["/v1/models/".len()..];
            if id == model_name {
                respond_json(request, 200, &openai::model(&model_name));
            } else {
                error(
                    request,
                    404,
                    "invalid_request_error",
                    "model_not_found",
                    &format!("no model '{id}'; this server runs '{model_name}'"),
                );
            }
        }
        (Method::Post, "/v1/chat/completions") => {
            let mut body = String::new();
            if request
                .as_reader()
                .take(MAX_BODY + 1)
                .read_to_string(&mut body)
                .is_err()
                || body.len() as u64 > MAX_BODY
            {
                return error(
                    request,
                    400,
                    "invalid_request_error",
                    "invalid_body",
                    "the body is not UTF-8 JSON or is over 8 MiB",
                );
            }
            let parsed: ChatBody = match serde_json::from_str(&body) {
                Ok(b) => b,
                Err(e) => {
                    return error(
                        request,
                        400,
                        "invalid_request_error",
                        "invalid_json",
                        &format!("not a chat request: {e}"),
                    )
                }
            };
            let chat = match parsed.to_request() {
                Ok(c) => c,
                Err(msg) => {
                    return error(
                        request,
                        400,
                        "invalid_request_error",
                        "invalid_request",
                        &msg.0,
                    )
                }
            };
            if parsed.stream {
                stream(request, engine, chat, &model_name);
            } else {
                match engine.chat(chat, crate::llm::NullSink) {
                    Ok(done) => respond_json(request, 200, &openai::completion(&done)),
                    Err(e) => error(request, 500, "server_error", e.code(), &e.to_string()),
                }
            }
        }
        _ => {
            let what = format!("no route {} {}", request.method(), request.url());
            error(request, 404, "invalid_request_error", "not_found", &what)
        }
    }
}

/// Sends each piece of text to the response as it is generated; says stop
/// when the client has gone (the channel is closed).
struct ChannelSink {
    tx: mpsc::Sender<Vec<u8>>,
    id: String,
    model: String,
    gone: Arc<AtomicBool>,
}

impl TokenSink for ChannelSink {
    fn on_text(&mut self, text: &str) -> Flow {
        let chunk = openai::chunk(&self.id, &self.model, Some(text), None);
        if self.tx.send(openai::sse(&chunk)).is_err() {
            self.gone.store(true, Ordering::Relaxed);
            return Flow::Stop;
        }
        Flow::Continue
    }
}

fn stream(request: Request, engine: &Engine, chat: crate::llm::ChatRequest, model: &str) {
    let (tx, rx) = mpsc::channel();
    let id = openai::new_id();
    let first = openai::chunk(&id, model, None, None);
    let _ = tx.send(openai::sse(&first));
    let sink = ChannelSink {
        tx: tx.clone(),
        id: id.clone(),
        model: model.to_owned(),
        gone: Arc::new(AtomicBool::new(false)),
    };
    let ticket = engine.submit(chat, Box::new(sink));
    let model = model.to_owned();
    // Waits for the reply on its own thread while this one writes the
    // response; the final chunk and [DONE] close the stream.
    let finisher = std::thread::spawn(move || match ticket.wait() {
        Ok(done) => {
            let last = openai::chunk(&id, &model, None, Some(openai::finish_reason(done.stop)));
            let _ = tx.send(openai::sse(&last));
            let _ = tx.send(b"data: [DONE]\n\n".to_vec());
        }
        Err(e) => {
            let err = serde_json::json!({"error": {"message": e.to_string(), "type": "server_error", "code": e.code()}});
            let _ = tx.send(openai::sse(&err));
        }
    });
    // Written straight to the socket as HTTP/1.1 chunks, flushed per event,
    // so each token reaches the client as it is made and the client knows
    // where the body ends.
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let mut ok = out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_ok();
    for event in rx.iter() {
        if !ok {
            break;
        }
        ok = write!(out, "{:X}\r\n", event.len())
            .and_then(|()| out.write_all(&event))
            .and_then(|()| out.write_all(b"\r\n"))
            .and_then(|()| out.flush())
            .is_ok();
    }
    if ok {
        let _ = out.write_all(b"0\r\n\r\n").and_then(|()| out.flush());
    }
    // Dropping the receiver makes the sink's next send fail: a client that
    // went away stops the generation.
    drop(rx);
    let _ = finisher.join();
}
