//! The app's side of the model process: starts it, feeds it the engine's
//! requests, passes its events to the request's sink, and when it dies or
//! freezes ends the request with the cause in words. It is the engine's
//! [`Backend`] like the in-process model, so queueing, cancel, streaming,
//! scoring and embeddings work as they do there.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command as Process, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::super::backend::{serve as serve_requests, Backend, Control};
use super::super::error::LlmError;
use super::super::gguf;
use super::super::protocol::{
    lock, ChatRequest, Command, Completion, EngineConfig, LoadedModel, RequestId, Shared,
};
use super::super::score::{ScoreOptions, TextScores};
use super::super::sink::{Flow, NullSink, TokenSink};
use super::exit::{self, Phase};
use super::wire::{self, Event, Reply, Request, Start};
use super::ModelProcess;

/// Longest wait for the next event before the watchdog and the cancel
/// flag are looked at again. A cancel by id wakes the wait at once (see
/// [`Incoming::Wake`]): polling faster than this costs generation speed on
/// small machines (a 1 ms poll cost 20% on two cores).
const POLL: Duration = Duration::from_millis(100);
/// Sleep between checks while an ended process is reaped.
const REAP_STEP: Duration = Duration::from_millis(5);
/// Log lines kept for the error when the process dies (those logged
/// during the request that failed: the log is cleared as each is sent).
const LOG_LINES: usize = 6;
/// How long an ended process gets to be reaped before it is killed.
const REAP: Duration = Duration::from_secs(3);

/// Starts the first model process, then the engine's thread that serves
/// requests through it.
pub(crate) fn spawn(
    config: EngineConfig,
    model: PathBuf,
    spec: ModelProcess,
    shared: Arc<Shared>,
) -> Result<(Sender<Command>, JoinHandle<()>), LlmError> {
    let running = Running::start(&config, &spec, &model)?;
    publish(&shared, Some(&running));
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("deskpilot-model-process".into())
        .spawn(move || {
            let mut backend = ProcessBackend {
                config,
                model,
                spec,
                running: Some(running),
                shared: Arc::clone(&shared),
            };
            loop {
                match serve_requests(&mut backend, &rx, &shared) {
                    Control::Shutdown => break,
                    Control::Load(path, reply) => {
                        let _ = reply.send(backend.switch(path));
                    }
                }
            }
            backend.running = None;
            publish(&shared, None);
        })
        .map_err(|e| LlmError::EngineFailed(format!("cannot start the model thread: {e}")))?;
    Ok((tx, handle))
}

/// Tells the engine's handle which model is loaded, which process runs it
/// and how to wake the request waiting on it (for a cancel).
fn publish(shared: &Shared, running: Option<&Running>) {
    if let Some(running) = running {
        *lock(&shared.loaded) = Some(running.loaded.clone());
    }
    *lock(&shared.process_id) = running.map(|r| r.child.id());
    *lock(&shared.wake) = running.map(|r| {
        let wake = r.wake.clone();
        Box::new(move || {
            let _ = wake.send(Incoming::Wake);
        }) as Box<dyn Fn() + Send>
    });
}

struct ProcessBackend {
    config: EngineConfig,
    /// The model file in use (a switch changes it).
    model: PathBuf,
    spec: ModelProcess,
    /// None after the process died: the next request starts a fresh one.
    running: Option<Running>,
    shared: Arc<Shared>,
}

impl ProcessBackend {
    /// Loads `path` in a new process; only once it has loaded is the old
    /// one ended (giving its memory back), so a failed switch keeps the
    /// current model.
    fn switch(&mut self, path: PathBuf) -> Result<LoadedModel, LlmError> {
        let next = Running::start(&self.config, &self.spec, &path)?;
        self.model = path;
        let loaded = next.loaded.clone();
        self.running = Some(next);
        publish(&self.shared, self.running.as_ref());
        Ok(loaded)
    }

    /// Sends one request and follows its events to the reply; the process
    /// that dies or freezes meanwhile is gone and the request fails. A
    /// process found dead before it started on the request (killed between
    /// requests) is replaced and the request sent again, once.
    fn call(
        &mut self,
        request: Request,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Reply, LlmError> {
        match self.attempt(&request, &mut *sink, cancel) {
            Err((err, false)) => {
                tracing::warn!("{err}; sending the request to a fresh model process");
                self.attempt(&request, sink, cancel).map_err(|(err, _)| err)
            }
            other => other.map_err(|(err, _)| err),
        }
    }

    /// One try of [`Self::call`]; a failure says whether the process had
    /// started on the request.
    fn attempt(
        &mut self,
        request: &Request,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Reply, (LlmError, bool)> {
        let mut running = self.alive_or_fresh().map_err(|e| (e, true))?;
        let mut started = false;
        // The error for this request shows only what was logged during it
        // (a cancel before it logs llama.cpp errors of its own).
        lock(&running.log).clear();
        if wire::send(&mut running.stdin, request).is_err() {
            publish(&self.shared, None);
            return Err((running.died(Phase::Answering), started));
        }
        let mut stop_sent = false;
        loop {
            if !stop_sent && cancel.load(Ordering::Relaxed) {
                stop_sent = running.cancel();
            }
            let event = match running.next_event(self.spec.watchdog) {
                Ok(Some(Event::Alive)) | Ok(None) => continue,
                Ok(Some(event)) => event,
                Err(end) => {
                    publish(&self.shared, None);
                    return Err((
                        running.end(end, Phase::Answering, self.spec.watchdog),
                        started,
                    ));
                }
            };
            started = true;
            let flow = match event {
                Event::Done(reply) => {
                    self.running = Some(running);
                    return Ok(reply);
                }
                Event::PromptStart(report) => sink.on_start(&report),
                Event::PromptProgress { done, total } => sink.on_prompt_progress(done, total),
                Event::Text(text) => sink.on_text(&text),
                _ => Flow::Continue,
            };
            if flow == Flow::Stop && !stop_sent {
                stop_sent = running.cancel();
            }
        }
    }

    /// The running process, or a fresh one when it died since the last
    /// request.
    fn alive_or_fresh(&mut self) -> Result<Running, LlmError> {
        let mut previous = self.running.take();
        if let Some(running) = previous.as_mut() {
            if running.is_alive() {
                return previous.ok_or(LlmError::EngineStopped);
            }
        }
        if let Some(dead) = previous {
            let err = dead.died(Phase::Idle);
            tracing::warn!("{err}; starting a fresh model process");
        }
        publish(&self.shared, None);
        let fresh = Running::start(&self.config, &self.spec, &self.model)?;
        publish(&self.shared, Some(&fresh));
        Ok(fresh)
    }
}

/// A reply of the wrong kind: the two sides disagree about the protocol.
fn mismatch(what: &str) -> LlmError {
    LlmError::EngineFailed(format!(
        "the model process answered something else than {what}"
    ))
}

impl Backend for ProcessBackend {
    fn chat(
        &mut self,
        _id: RequestId,
        request: &ChatRequest,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<Completion, LlmError> {
        match self.call(Request::Chat(request.clone()), sink, cancel)? {
            Reply::Chat(result) => result,
            _ => Err(mismatch("a reply")),
        }
    }

    fn score(
        &mut self,
        text: &str,
        options: ScoreOptions,
        sink: &mut dyn TokenSink,
        cancel: &AtomicBool,
    ) -> Result<TextScores, LlmError> {
        let request = Request::Score {
            text: text.to_owned(),
            options,
        };
        match self.call(request, sink, cancel)? {
            Reply::Score(result) => result,
            _ => Err(mismatch("scores")),
        }
    }

    fn count_tokens(&mut self, text: &str) -> Result<usize, LlmError> {
        let never = AtomicBool::new(false);
        match self.call(Request::CountTokens(text.to_owned()), &mut NullSink, &never)? {
            Reply::CountTokens(result) => result,
            _ => Err(mismatch("a token count")),
        }
    }

    fn embed(
        &mut self,
        texts: &[String],
        max_tokens: usize,
        cancel: &AtomicBool,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        let request = Request::Embed {
            texts: texts.to_vec(),
            max_tokens,
        };
        match self.call(request, &mut NullSink, cancel)? {
            Reply::Embed(result) => result,
            _ => Err(mismatch("embeddings")),
        }
    }
}

/// What the waiting request receives.
enum Incoming {
    /// Boxed: a reply is large, and most messages are small.
    Event(Box<Event>),
    /// The process's pipe closed: it exited or was killed.
    Closed,
    /// A cancel was asked for: look at the cancel flag now.
    Wake,
}

/// Why events stopped coming.
enum End {
    /// The pipe closed: the process exited or was killed.
    Exited,
    /// Nothing, not even a heartbeat, for the watchdog's time.
    Silent,
}

/// A started model process with its model loaded.
struct Running {
    child: Child,
    stdin: ChildStdin,
    events: Receiver<Incoming>,
    /// For the engine's cancel, to wake a waiting request.
    wake: Sender<Incoming>,
    log: Arc<Mutex<VecDeque<String>>>,
    log_reader: Option<JoinHandle<()>>,
    loaded: LoadedModel,
    last_heard: Instant,
}

impl Running {
    /// Starts a process, has it load `path` and waits until it has. The
    /// file is checked here first, so a bad file is named without starting
    /// anything.
    fn start(config: &EngineConfig, spec: &ModelProcess, path: &Path) -> Result<Running, LlmError> {
        let info = gguf::inspect(path)?;
        info.ensure_supported()?;
        let mut command = Process::new(&spec.program);
        command
            .args(&spec.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        prepare_child(&mut command, spec.memory_limit);
        // The process logs as much as the app shows (warnings at least),
        // so -v still shows llama.cpp's log.
        let level = tracing::level_filters::LevelFilter::current()
            .max(tracing::level_filters::LevelFilter::WARN);
        command.env(super::LOG_ENV, level.to_string());
        let mut child = command.spawn().map_err(|e| LlmError::ModelProcess {
            cause: format!("it could not be started ({}: {e})", spec.program.display()),
            log: Vec::new(),
        })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(LlmError::EngineFailed(
                "the model process has no pipes".into(),
            ));
        };
        let (tx, events) = mpsc::channel();
        let wake = tx.clone();
        std::thread::spawn(move || read_events(stdout, tx));
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let log_reader = {
            let log = Arc::clone(&log);
            std::thread::spawn(move || keep_log(stderr, &log))
        };
        let mut running = Running {
            child,
            stdin,
            events,
            wake,
            log,
            log_reader: Some(log_reader),
            loaded: placeholder_loaded(&info),
            last_heard: Instant::now(),
        };
        if wire::send(&mut running.stdin, &Start::new(config, path)).is_err() {
            return Err(running.died(Phase::Loading));
        }
        loop {
            match running.next_event(spec.watchdog) {
                Ok(Some(Event::LoadProgress(done))) => {
                    if let Some(progress) = &config.load_progress {
                        (progress.0)(done);
                    }
                }
                Ok(Some(Event::Loaded(Ok(mut loaded)))) => {
                    // The app's own reading of the file keeps its metadata.
                    loaded.info = info;
                    running.loaded = loaded;
                    return Ok(running);
                }
                Ok(Some(Event::Loaded(Err(e)))) => {
                    let log = running.log_lines();
                    return Err(match e {
                        LlmError::LoadFailed { .. } | LlmError::Context { .. }
                            if exit::ran_out_of_memory(&log) =>
                        {
                            LlmError::ModelProcess {
                                cause: exit::cause(None, Phase::Loading, &log),
                                log,
                            }
                        }
                        other => other,
                    });
                }
                Ok(_) => {}
                Err(end) => return Err(running.end(end, Phase::Loading, spec.watchdog)),
            }
        }
    }

    /// The next event, None when none came within a poll; an error once
    /// the process is gone or has been silent too long.
    fn next_event(&mut self, watchdog: Duration) -> Result<Option<Event>, End> {
        match self.events.recv_timeout(POLL) {
            Ok(Incoming::Event(event)) => {
                self.last_heard = Instant::now();
                Ok(Some(*event))
            }
            Ok(Incoming::Closed) => Err(End::Exited),
            Ok(Incoming::Wake) => Ok(None),
            Err(RecvTimeoutError::Timeout) if self.last_heard.elapsed() > watchdog => {
                Err(End::Silent)
            }
            Err(RecvTimeoutError::Timeout) => Ok(None),
            // Never while `wake` is held; kept for completeness.
            Err(RecvTimeoutError::Disconnected) => Err(End::Exited),
        }
    }

    /// Asks the process to stop the request in flight; false if it cannot
    /// be told (it is then dying, which the event loop will see).
    fn cancel(&mut self) -> bool {
        wire::send(&mut self.stdin, &Request::Cancel).is_ok()
    }

    /// Whether the process is still there (it may have died between
    /// requests); events that piled up meanwhile (heartbeats) are dropped.
    fn is_alive(&mut self) -> bool {
        loop {
            match self.events.try_recv() {
                Ok(Incoming::Closed) => return false,
                Ok(_) => self.last_heard = Instant::now(),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => return false,
            }
        }
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The error for a process that stopped sending events.
    fn end(self, end: End, phase: Phase, watchdog: Duration) -> LlmError {
        match end {
            End::Exited => self.died(phase),
            End::Silent => {
                let log = self.log_lines();
                drop(self);
                LlmError::ModelProcess {
                    cause: format!(
                        "it stopped answering{} for {} s and was ended",
                        match phase {
                            Phase::Loading => " while loading the model",
                            _ => "",
                        },
                        watchdog.as_secs_f64().round()
                    ),
                    log,
                }
            }
        }
    }

    /// The error for a process that ended: its exit status and last log.
    fn died(mut self, phase: Phase) -> LlmError {
        let status = reap(&mut self.child);
        // The log reader ends with the process's stderr.
        if let Some(reader) = self.log_reader.take() {
            let _ = reader.join();
        }
        let log = self.log_lines();
        LlmError::ModelProcess {
            cause: exit::cause(status, phase, &log),
            log,
        }
    }

    fn log_lines(&self) -> Vec<String> {
        lock(&self.log).iter().cloned().collect()
    }
}

impl Drop for Running {
    /// Ends the process now: it holds nothing the app needs, and its
    /// memory goes back to the system.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an ended process's status, killing it if it lingers (its
/// pipe closed but it did not exit).
fn reap(child: &mut Child) -> Option<ExitStatus> {
    let deadline = Instant::now() + REAP;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(REAP_STEP),
            Ok(None) => {
                let _ = child.kill();
                return child.wait().ok();
            }
            Err(_) => return None,
        }
    }
}

/// Until the first `Loaded` arrives, the file's own description.
fn placeholder_loaded(info: &gguf::ModelInfo) -> LoadedModel {
    LoadedModel {
        info: info.clone(),
        template: super::super::template::TemplateSource::ChatMl,
        n_ctx: 0,
        threads: 0,
        n_gpu_layers: 0,
        load_ms: 0.0,
    }
}

/// Parses the process's events until its pipe closes.
fn read_events(stdout: impl std::io::Read, tx: Sender<Incoming>) {
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        match serde_json::from_str::<Event>(&line) {
            Ok(event) => {
                if tx.send(Incoming::Event(Box::new(event))).is_err() {
                    return;
                }
            }
            Err(e) => tracing::warn!("model process: unreadable event ({e}): {line}"),
        }
    }
    let _ = tx.send(Incoming::Closed);
}

/// Keeps the last lines of the process's log, and logs each at info level
/// (the CLI shows them with -v).
fn keep_log(stderr: impl std::io::Read, log: &Mutex<VecDeque<String>>) {
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            continue;
        }
        tracing::info!("{line}");
        let mut kept = lock(log);
        if kept.len() == LOG_LINES {
            kept.pop_front();
        }
        kept.push_back(line);
    }
}

/// Readies the child between fork and exec: descriptors it inherited by
/// accident are closed at exec, and its address space is capped when asked.
///
/// Other libraries in the app open pipes without close-on-exec (libdbus,
/// autolaunching a session bus while the window starts, reads one until
/// EOF); a model process started meanwhile would hold its write end for
/// its whole life and hang that read. The capped address space makes a
/// model too large for the limit fail to load instead of growing into
/// swap.
fn prepare_child(command: &mut Process, limit: Option<u64>) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let limit = limit.map(|bytes| libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        });
        // SAFETY: only async-signal-safe calls (close_range, fcntl,
        // setrlimit), as pre_exec requires.
        unsafe {
            command.pre_exec(move || {
                close_inherited_at_exec();
                if let Some(limit) = &limit {
                    if libc::setrlimit(libc::RLIMIT_AS, limit) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (command, limit);
}

/// Marks every descriptor above stderr close-on-exec (marking, not
/// closing, keeps the pipe std uses to report a failed exec working).
///
/// # Safety
/// Runs between fork and exec: async-signal-safe calls only.
#[cfg(unix)]
unsafe fn close_inherited_at_exec() {
    #[cfg(target_os = "linux")]
    {
        const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
        if libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, CLOSE_RANGE_CLOEXEC) == 0 {
            return;
        }
    }
    // Older kernels and other Unixes: one descriptor at a time.
    let max = match libc::sysconf(libc::_SC_OPEN_MAX) {
        n if n > 0 => n.min(65_536) as libc::c_int,
        _ => 4096,
    };
    for fd in 3..max {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags >= 0 && flags & libc::FD_CLOEXEC == 0 {
            libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_of_the_wrong_kind_is_an_engine_failure_not_a_panic() {
        let e = mismatch("a completion");
        assert_eq!(e.code(), "engine_failed");
        assert!(!e.to_string().contains("panic"), "{e}");
        assert!(e.to_string().contains("a completion"), "{e}");
    }
}
