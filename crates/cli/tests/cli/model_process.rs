//! The model in its own process (this binary's hidden `__model-process`):
//! killed mid-reply by SIGKILL, SIGSEGV or SIGABRT, frozen, or out of
//! memory while loading, the request fails with the cause in words, what
//! was streamed stays with the caller, and the next request works.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, Engine, EngineConfig, Flow, LlmError, ModelProcess, SamplingParams,
};

use super::{bin, model_process_of, models_dir, text};

fn default_model() -> PathBuf {
    models_dir().join(deskpilot_core::config::DEFAULT_MODEL_FILE)
}

fn config(process: ModelProcess) -> EngineConfig {
    let mut cfg = EngineConfig::new(default_model());
    cfg.n_ctx = 2048;
    cfg.threads = 1;
    cfg.process = Some(process);
    cfg
}

fn process() -> ModelProcess {
    ModelProcess::new(env!("CARGO_BIN_EXE_deskpilot"))
}

fn long_request() -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::user(
            "Write a detailed essay of at least 1000 words about the history of bread.",
        )],
        sampling: SamplingParams {
            max_tokens: 1500,
            seed: Some(1),
            ..SamplingParams::default()
        },
    }
}

fn short_request() -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::user("Say hello.")],
        sampling: SamplingParams {
            max_tokens: 8,
            ..SamplingParams::default()
        },
    }
}

/// Sends `signal` to the model process once the reply has streamed a few
/// pieces; returns the error and the text streamed before it.
fn signal_mid_reply(engine: &Engine, signal: i32) -> (LlmError, String) {
    let pid = engine.model_process_id().expect("a model process runs");
    let streamed = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&streamed);
    let mut pieces = 0;
    let sink = move |piece: &str| {
        seen.lock().unwrap().push_str(piece);
        pieces += 1;
        if pieces == 5 {
            // SAFETY: a signal to a child process this test started.
            unsafe { libc::kill(pid as i32, signal) };
            if signal == libc::SIGSEGV {
                // Rust's runtime meets a first SIGSEGV (its stack-overflow
                // guard) by restoring the default action and returning; a
                // real fault recurs at once, which a second signal stands for.
                std::thread::sleep(Duration::from_millis(50));
                // SAFETY: as above.
                unsafe { libc::kill(pid as i32, signal) };
            }
        }
        Flow::Continue
    };
    let err = engine
        .chat(long_request(), sink)
        .expect_err("the reply cannot finish once its process is gone");
    let text = streamed.lock().unwrap().clone();
    (err, text)
}

#[test]
fn a_model_process_killed_mid_reply_fails_that_reply_in_words_and_the_next_one_works() {
    let engine = Engine::start(config(process())).expect("the model loads in its process");
    for (signal, said) in [
        (libc::SIGKILL, "was killed during the reply"),
        (
            libc::SIGSEGV,
            "crashed during the reply (segmentation fault)",
        ),
        (libc::SIGABRT, "aborted during the reply"),
    ] {
        let before = engine.model_process_id();
        let (err, streamed) = signal_mid_reply(&engine, signal);
        assert_eq!(err.code(), "model_process_stopped", "{err}");
        assert!(err.to_string().contains(said), "signal {signal}: {err}");
        assert!(
            !streamed.is_empty(),
            "the text streamed before the crash is the caller's"
        );
        // The next request starts a fresh process and is answered.
        let done = engine
            .chat(short_request(), |_: &str| Flow::Continue)
            .expect("answered");
        assert!(!done.text.is_empty());
        assert_ne!(engine.model_process_id(), before, "a fresh process");
    }
    // Everything else the engine does goes through the process too.
    assert!(engine.count_tokens("one two three").unwrap() >= 3);
}

#[test]
fn a_frozen_model_process_is_ended_by_the_watchdog_and_replaced() {
    let mut spec = process();
    spec.watchdog = Duration::from_secs(2);
    let engine = Engine::start(config(spec)).expect("the model loads in its process");
    let (err, _) = signal_mid_reply(&engine, libc::SIGSTOP);
    assert_eq!(err.code(), "model_process_stopped", "{err}");
    assert!(
        err.to_string().contains("stopped answering for 2 s"),
        "{err}"
    );
    let done = engine
        .chat(short_request(), |_: &str| Flow::Continue)
        .expect("answered");
    assert!(!done.text.is_empty());
}

#[test]
fn a_model_process_out_of_memory_while_loading_says_so_and_the_app_stays() {
    let mut spec = process();
    // Less address space than the model file itself needs.
    spec.memory_limit = Some(150_000_000);
    let err = Engine::start(config(spec))
        .err()
        .expect("the model cannot load");
    assert_eq!(err.code(), "model_process_stopped", "{err}");
    let said = err.to_string();
    assert!(
        said.contains("ran out of memory while loading the model; try a smaller context"),
        "{said}"
    );
    // The last log lines say what llama.cpp could not allocate.
    assert!(said.contains("its last log lines"), "{said}");
    // This process is unharmed: the same model loads without the limit.
    let engine = Engine::start(config(process())).expect("loads without the limit");
    assert!(engine
        .chat(short_request(), |_: &str| Flow::Continue)
        .is_ok());
}

#[test]
fn switching_models_ends_the_old_model_process() {
    let engine = Engine::start(config(process())).expect("the model loads in its process");
    let old = engine.model_process_id().expect("a model process runs");
    engine.load_model(&super::gemma()).expect("gemma loads");
    let new = engine.model_process_id().expect("a model process runs");
    assert_ne!(old, new);
    assert!(
        !std::path::Path::new(&format!("/proc/{old}")).exists(),
        "the old model's process (and its memory) is gone"
    );
    assert!(engine
        .chat(short_request(), |_: &str| Flow::Continue)
        .is_ok());
}

#[test]
fn the_cli_reports_a_killed_model_process_in_one_line_and_keeps_the_reply_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["ask", "--max-tokens", "1500", "--seed", "1"])
        .arg("Write a detailed essay of at least 1000 words about the history of bread.")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let mut got = 0;
    while got < 20 {
        let n = std::io::Read::read(&mut stdout, &mut first[got..]).unwrap();
        assert!(n > 0, "the reply ended before it could be interrupted");
        got += n;
    }
    let pid = model_process_of(child.id()).expect("a model process runs");
    // SAFETY: a signal to a process this test's child started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stdout, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("the model process stopped: it was killed during the reply"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // What was streamed is in the session, marked failed.
    let shown = bin()
        .arg("--db")
        .arg(&db)
        .args(["sessions", "show", "1"])
        .output()
        .unwrap();
    let shown = text(&shown.stdout);
    let streamed = String::from_utf8_lossy(&first[..got]);
    assert!(shown.contains("[failed]"), "{shown}");
    assert!(shown.contains(streamed.trim()), "{shown}");
}

#[test]
fn a_pipe_the_app_leaks_to_children_is_not_held_open_by_the_model_process() {
    // libdbus, autolaunching a session bus while the window starts, opens
    // a pipe without close-on-exec and reads it to EOF; a model process
    // started meanwhile held its write end and hung the window.
    let mut fds = [0; 2];
    // SAFETY: a plain pipe(2) into a local array.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let engine = Engine::start(config(process())).expect("the model loads in its process");
    // SAFETY: closing this test's own write end.
    unsafe { libc::close(fds[1]) };
    let mut poll = libc::pollfd {
        fd: fds[0],
        events: libc::POLLIN,
        revents: 0,
    };
    // Other tests' processes started meanwhile may hold it for a while
    // (they are not the model process); the model process would hold it
    // for as long as `engine` lives.
    // SAFETY: poll(2) on one descriptor this test owns.
    let ready = unsafe { libc::poll(&mut poll, 1, 120_000) };
    assert_eq!(
        ready, 1,
        "the pipe never reached EOF: something still holds it"
    );
    let mut byte = [0u8; 1];
    // SAFETY: read(2) into a local buffer.
    assert_eq!(
        unsafe { libc::read(fds[0], byte.as_mut_ptr().cast(), 1) },
        0
    );
    assert!(
        engine.model_process_id().is_some(),
        "the model process is still running"
    );
    // SAFETY: closing this test's read end.
    unsafe { libc::close(fds[0]) };
}
