//! The model process itself (the app's side is `process/`): the same binary
//! started with [`MODEL_PROCESS_ARG`]. It loads the model into an in-process
//! engine and answers the app's requests from stdin, one at a time, writing
//! events to the pipe that was its stdout. Its own stdout then points at
//! stderr, so nothing llama.cpp prints can corrupt the protocol; stderr is
//! its log, whose last lines the app keeps for when this process dies.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::engine::Engine;
use super::error::LlmError;
use super::process::wire::{self, Event, Reply, Request, Start};
use super::process::LOG_ENV;
use super::protocol::{lock, EngineConfig, LoadProgress, MODEL_PROCESS_ARG};
use super::sink::{Cancellable, Flow, PromptReport, TokenSink};

type Out = Arc<Mutex<Box<dyn Write + Send>>>;

/// Runs the model process until the app closes its stdin; the exit status
/// for `std::process::exit`.
fn child_main() -> i32 {
    init_log();
    // Ctrl-C in a terminal reaches the whole process group: stopping a
    // reply is the app's decision (it sends Cancel), not the signal's.
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored has no handler to be unsafe in.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
    let out: Out = match protocol_out() {
        Ok(out) => Arc::new(Mutex::new(out)),
        Err(e) => {
            eprintln!("model process: cannot set up its output pipe: {e}");
            return 3;
        }
    };
    start_heartbeat(Arc::clone(&out));
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let start: Start = match lines.next() {
        Some(Ok(line)) => match serde_json::from_str(&line) {
            Ok(start) => start,
            Err(e) => {
                eprintln!("model process: unreadable start message: {e}");
                return 3;
            }
        },
        // The app went away before saying what to load.
        _ => return 0,
    };
    let engine = match Engine::start(engine_config(start, &out)) {
        Ok(engine) => Arc::new(engine),
        Err(e) => {
            emit(&out, &Event::Loaded(Err(e)));
            return 0;
        }
    };
    emit(
        &out,
        &Event::Loaded(engine.model().ok_or(LlmError::EngineStopped)),
    );

    // Requests are read on this thread so that a Cancel reaches the one in
    // flight while the serving thread is busy with it.
    let (tx, rx) = mpsc::channel::<(Request, Arc<AtomicBool>)>();
    let serving = {
        let engine = Arc::clone(&engine);
        let out = Arc::clone(&out);
        std::thread::spawn(move || {
            for (request, cancel) in rx {
                let reply = answer(&engine, request, &out, cancel);
                emit(&out, &Event::Done(reply));
            }
        })
    };
    let mut current = Arc::new(AtomicBool::new(false));
    for line in lines {
        let Ok(line) = line else { break };
        match serde_json::from_str::<Request>(&line) {
            Ok(Request::Cancel) => {
                current.store(true, Ordering::Relaxed);
                engine.cancel_all();
            }
            Ok(request) => {
                current = Arc::new(AtomicBool::new(false));
                if tx.send((request, Arc::clone(&current))).is_err() {
                    break;
                }
            }
            Err(e) => eprintln!("model process: unreadable request: {e}"),
        }
    }
    // stdin closed: the app is done with this process (or gone).
    engine.cancel_all();
    drop(tx);
    let _ = serving.join();
    0
}

/// The in-process engine's configuration from the start message; load
/// progress goes back to the app as events.
fn engine_config(start: Start, out: &Out) -> EngineConfig {
    let mut cfg = start.into_config();
    let out = Arc::clone(out);
    cfg.load_progress = Some(LoadProgress(Arc::new(move |done| {
        emit(&out, &Event::LoadProgress(done));
    })));
    cfg
}

/// Serves one request on the in-process engine; text held back for the
/// next event goes out before the reply.
fn answer(engine: &Engine, request: Request, out: &Out, cancel: Arc<AtomicBool>) -> Reply {
    let pending = Arc::new(Mutex::new(Pending {
        text: String::new(),
        sent: Instant::now(),
    }));
    let sink = || {
        Box::new(Cancellable {
            inner: EventSink {
                out: Arc::clone(out),
                pending: Arc::clone(&pending),
            },
            cancel: Arc::clone(&cancel),
        })
    };
    let reply = serve(engine, request, sink, &cancel);
    // The engine is done with the sink: nothing else writes to `pending`.
    let mut held = lock(&pending);
    if !held.text.is_empty() {
        emit(out, &Event::Text(std::mem::take(&mut held.text)));
    }
    reply
}

fn serve(
    engine: &Engine,
    request: Request,
    sink: impl Fn() -> Box<Cancellable<EventSink>>,
    cancel: &Arc<AtomicBool>,
) -> Reply {
    match request {
        Request::Chat(request) => Reply::Chat(engine.submit(request, sink()).wait()),
        Request::Score { text, options } => {
            Reply::Score(engine.submit_score(text, options, sink()).wait())
        }
        Request::Embed { texts, max_tokens } => {
            Reply::Embed(engine.embed(texts, max_tokens, Arc::clone(cancel)))
        }
        Request::CountTokens(text) => Reply::CountTokens(engine.count_tokens(&text)),
        // Handled where requests are read; never queued.
        Request::Cancel => Reply::CountTokens(Err(LlmError::Cancelled)),
    }
}

/// Reply text is sent at most every [`TEXT_EVERY`]: each event wakes two
/// of the app's threads, which on a small machine take turns with
/// llama.cpp's (one event per token cost 4% of generation speed on two
/// cores); 50 updates a second still reads as streaming.
const TEXT_EVERY: Duration = Duration::from_millis(20);

/// Text not yet sent, and when text last went out.
struct Pending {
    text: String,
    sent: Instant,
}

/// Streams a reply's progress and text to the app as they come.
struct EventSink {
    out: Out,
    pending: Arc<Mutex<Pending>>,
}

impl EventSink {
    fn send(&self, event: &Event) -> Flow {
        if emit(&self.out, event) {
            Flow::Continue
        } else {
            // Nobody is listening any more.
            Flow::Stop
        }
    }
}

impl TokenSink for EventSink {
    fn on_start(&mut self, report: &PromptReport) -> Flow {
        self.send(&Event::PromptStart(report.clone()))
    }

    fn on_prompt_progress(&mut self, done: usize, total: usize) -> Flow {
        self.send(&Event::PromptProgress { done, total })
    }

    fn on_text(&mut self, text: &str) -> Flow {
        let mut pending = lock(&self.pending);
        pending.text.push_str(text);
        if pending.sent.elapsed() < TEXT_EVERY {
            return Flow::Continue;
        }
        pending.sent = Instant::now();
        let text = std::mem::take(&mut pending.text);
        drop(pending);
        self.send(&Event::Text(text))
    }
}

/// Sends one event; false once the app has gone.
fn emit(out: &Out, event: &Event) -> bool {
    wire::send(&mut *lock(out), event).is_ok()
}

/// Says "alive" on a clock of its own, so the app can tell a long decode
/// from a frozen process.
fn start_heartbeat(out: Out) {
    std::thread::spawn(move || loop {
        std::thread::sleep(wire::HEARTBEAT);
        if !emit(&out, &Event::Alive) {
            // The app is gone; nothing left to serve.
            std::process::exit(0);
        }
    });
}

/// The protocol's pipe: the stdout this process was started with. Its fd 1
/// is then pointed at stderr so that stray prints land in the log.
fn protocol_out() -> std::io::Result<Box<dyn Write + Send>> {
    #[cfg(unix)]
    {
        use std::os::fd::FromRawFd;
        // SAFETY: plain fd calls on this process's own standard streams;
        // the duplicate is owned by the File from here on.
        let fd = unsafe { libc::dup(1) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if unsafe { libc::dup2(2, 1) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Box::new(unsafe { std::fs::File::from_raw_fd(fd) }))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::new(std::io::stdout()))
    }
}

/// llama.cpp's log (through tracing) to stderr, where the app keeps the
/// last lines and shows them at its own log level, which it passes in
/// [`LOG_ENV`] (warnings and errors at least).
fn init_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_env(LOG_ENV)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .try_init();
}

/// When this program was started as the model process, serves as one and
/// exits; otherwise returns at once. Call first thing in `main`.
pub fn run_if_model_process() {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == MODEL_PROCESS_ARG)
    {
        std::process::exit(child_main());
    }
}
