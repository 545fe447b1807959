//! The opt-in remote backend against a real OpenAI-compatible server on
//! loopback (Deskpilot's own `server`, over the default model): chat,
//! streaming, cancel mid-stream, a summary through it; and its error paths
//! against small fake servers: down, wrong key, wrong model, a stall, a
//! malformed stream, a server that is not OpenAI-compatible, 429 and 5xx.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, Engine, Flow, LlmError, NullSink, RemoteConfig, RemoteFailure,
    SamplingParams, ScoreOptions, StopReason, TokenSink,
};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::server::{self, ServeOptions, Serving};
use deskpilot_core::summarize::{summarize, NoProgress, SummaryOptions};

use crate::support::{engine, smollm2};

/// Deskpilot's own API server over the default model, on a free port.
fn local_server(token: Option<&str>) -> (Arc<Serving>, String) {
    let options = ServeOptions {
        port: 0,
        token: token.map(str::to_owned),
    };
    let serving = Arc::new(server::bind(&options).unwrap());
    let url = format!("http://{}/v1", serving.addr);
    let engine = Arc::new(engine(smollm2()));
    let s = Arc::clone(&serving);
    std::thread::spawn(move || server::run(&s, engine, &options));
    (serving, url)
}

/// Quick to give up on a dead server; patient with a busy one (a summary's
/// long prompt is processed before the first token comes).
fn remote(url: &str) -> RemoteConfig {
    let mut c = RemoteConfig::new(url);
    c.retries = 1;
    c.stall_timeout = Duration::from_secs(60);
    c
}

fn ask(text: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::user(text)],
        sampling: SamplingParams {
            max_tokens,
            ..SamplingParams::greedy()
        },
    }
}

fn kind(e: LlmError) -> RemoteFailure {
    match e {
        LlmError::Remote { kind, .. } => kind,
        other => panic!("not a remote error: {other}"),
    }
}

#[test]
fn chat_streams_cancels_and_summarizes_through_a_remote_server() {
    let (serving, url) = local_server(Some("key"));
    let mut cfg = remote(&url);
    cfg.api_key = Some("key".into());
    let e = Engine::start_remote(cfg).unwrap();
    assert_eq!(e.remote_url().as_deref(), Some(url.as_str()));
    let model = e.model().unwrap();
    assert!(model.info.name.contains("135M"), "{}", model.info.name);
    works_remotely(&e);
    serving.stop();
}

/// What a remote engine must do against any OpenAI-compatible server:
/// stream a reply in pieces, stop mid-stream on a cancel, refuse to score
/// (detection stays local), and carry a whole summary.
fn works_remotely(e: &Engine) {
    let pieces = Arc::new(AtomicUsize::new(0));
    let p = Arc::clone(&pieces);
    let done = e
        .chat(ask("Name three colours.", 24), move |_: &str| {
            p.fetch_add(1, Ordering::SeqCst);
            Flow::Continue
        })
        .unwrap();
    assert!(!done.text.trim().is_empty(), "{done:?}");
    assert!(pieces.load(Ordering::SeqCst) > 3, "streamed in pieces");
    assert!(matches!(done.stop, StopReason::Eos | StopReason::MaxTokens));

    struct Signal(mpsc::Sender<()>, usize);
    impl TokenSink for Signal {
        fn on_text(&mut self, _t: &str) -> Flow {
            self.1 += 1;
            if self.1 == 3 {
                let _ = self.0.send(());
            }
            Flow::Continue
        }
    }
    let (tx, fired) = mpsc::channel();
    let ticket = e.submit(
        ask("Write a very long story about a lighthouse keeper.", 1500),
        Box::new(Signal(tx, 0)),
    );
    fired.recv().unwrap();
    let started = Instant::now();
    assert!(e.cancel(ticket.id));
    let stopped = ticket.wait().unwrap();
    assert_eq!(stopped.stop, StopReason::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stopped.generated_tokens < 200);

    let err = e
        .score("Some text to judge.", ScoreOptions::default())
        .unwrap_err();
    assert_eq!(kind(err), RemoteFailure::LocalOnly);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.md");
    std::fs::write(
        &file,
        "# Budget\n\nThe library will open a second branch in March. The council approved \
         a budget of 2 million euros for the building and the first year of staff.\n",
    )
    .unwrap();
    let doc = deskpilot_core::docs::open(&file).unwrap();
    let summary = summarize(
        e,
        &[doc],
        &SummaryOptions::default(),
        &Prompts::builtin(),
        &mut NoProgress,
        Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    assert!(summary.complete);
}

/// A fake server: answers each connection with `respond(request line)`,
/// written as raw bytes (or nothing, to stall).
fn fake(respond: impl Fn(&str) -> Option<String> + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            // Drain headers and body.
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            match respond(&first) {
                Some(r) => {
                    let _ = stream.write_all(r.as_bytes());
                }
                None => {
                    // Stall: hold the connection open, say nothing more.
                    std::thread::sleep(Duration::from_secs(10));
                }
            }
            let _ = stream.flush();
            drop(stream);
        }
    });
    format!("http://{addr}/v1")
}

fn http(status: &str, content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

const MODELS: &str = r#"{"object":"list","data":[{"id":"team-model","object":"model"}]}"#;

fn with_chat(chat: impl Fn() -> Option<String> + Send + 'static) -> String {
    fake(move |line| {
        if line.contains("/models") {
            Some(http("200 OK", "application/json", MODELS))
        } else {
            chat()
        }
    })
}

#[test]
fn remote_failures_each_get_a_clear_error() {
    // Down: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Engine::start_remote(remote(&format!("http://127.0.0.1:{port}/v1")))
        .err()
        .unwrap();
    assert!(err.to_string().contains("cannot connect"), "{err}");
    assert_eq!(kind(err), RemoteFailure::Unreachable);

    // Wrong key.
    let (serving, url) = local_server(Some("right"));
    let mut cfg = remote(&url);
    cfg.api_key = Some("wrong".into());
    let err = Engine::start_remote(cfg).err().unwrap();
    assert!(err.to_string().contains("401"), "{err}");
    assert_eq!(kind(err), RemoteFailure::Unauthorized);
    serving.stop();

    // Wrong model name.
    let url = with_chat(|| None);
    let mut cfg = remote(&url);
    cfg.model = Some("gpt-9".into());
    let err = Engine::start_remote(cfg).err().unwrap();
    assert!(
        err.to_string()
            .contains("no model 'gpt-9' (it has: team-model)"),
        "{err}"
    );
    assert_eq!(kind(err), RemoteFailure::NotFound);

    // Not OpenAI-compatible.
    let url = fake(|_| Some(http("200 OK", "text/html", "<html>router login</html>")));
    let err = Engine::start_remote(remote(&url)).err().unwrap();
    assert_eq!(kind(err), RemoteFailure::Incompatible);

    // A stall while replying: the stall timeout, not a hang.
    let url = with_chat(|| None);
    let mut cfg = remote(&url);
    cfg.stall_timeout = Duration::from_secs(2);
    let e = Engine::start_remote(cfg).unwrap();
    let started = Instant::now();
    let err = e.chat(ask("hi", 8), NullSink).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(kind(err), RemoteFailure::Timeout);

    // A malformed stream.
    let url = with_chat(|| {
        Some(http(
            "200 OK",
            "text/event-stream",
            "data: {\"choices\": [\n\n",
        ))
    });
    let e = Engine::start_remote(remote(&url)).unwrap();
    let err = e.chat(ask("hi", 8), NullSink).unwrap_err();
    assert!(err.to_string().contains("malformed stream"), "{err}");
    assert_eq!(kind(err), RemoteFailure::Incompatible);

    // Rate limited, and a server error.
    let url = with_chat(|| {
        Some(http(
            "429 Too Many Requests",
            "application/json",
            r#"{"error":{"message":"slow down"}}"#,
        ))
    });
    let e = Engine::start_remote(remote(&url)).unwrap();
    let err = e.chat(ask("hi", 8), NullSink).unwrap_err();
    assert!(err.to_string().contains("slow down"), "{err}");
    assert_eq!(kind(err), RemoteFailure::RateLimited);
    let url = with_chat(|| Some(http("500 Internal Server Error", "text/plain", "boom")));
    let e = Engine::start_remote(remote(&url)).unwrap();
    assert_eq!(
        kind(e.chat(ask("hi", 8), NullSink).unwrap_err()),
        RemoteFailure::ServerError
    );
}

/// llama.cpp's llama-server, built by `scripts/setup.sh --test`.
fn llama_server() -> std::path::PathBuf {
    let path = std::env::var_os("DESKPILOT_LLAMA_SERVER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            deskpilot_core::config::data_dir()
                .expect("a data folder")
                .join("tools/llama-server")
        });
    assert!(
        path.is_file(),
        "{} is missing: run `scripts/setup.sh --test` (or set DESKPILOT_LLAMA_SERVER)",
        path.display()
    );
    path
}

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_real_llama_server_serves_chat_streaming_cancel_and_a_summary() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Killed(
        std::process::Command::new(llama_server())
            .arg("-m")
            .arg(smollm2())
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "-t",
                "1",
                "-c",
                "2048",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("llama-server starts"),
    );
    let url = format!("http://127.0.0.1:{port}/v1");
    // It answers 503 while the model loads: try for up to a minute.
    let started = Instant::now();
    let e = loop {
        match Engine::start_remote(remote(&url)) {
            Ok(e) => break e,
            Err(err) if started.elapsed() < Duration::from_secs(60) => {
                let _ = err;
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(err) => panic!("llama-server never answered: {err}"),
        }
    };
    let name = e.model().unwrap().info.name.to_lowercase();
    assert!(name.contains("smollm2"), "{name}");
    works_remotely(&e);
}
