//! The local model in a process of its own. llama.cpp stops the whole
//! process on a failed check (`GGML_ASSERT` calls `abort()`), a bad model or
//! a GPU fault can crash it, and running out of memory while loading gets
//! it killed: run inside the app, any of these would take the window (or
//! `serve`, or a long summary) down. Here they cost the model process only:
//! the request in flight fails with the cause in words, what was streamed
//! stays with the caller, and the next request starts a fresh process.
//!
//! The process is this same program started with [`MODEL_PROCESS_ARG`]
//! (front ends call [`run_if_model_process`] first thing in `main`); it
//! runs the in-process engine and speaks JSON lines (wire.rs).

mod child;
mod exit;
mod parent;
mod wire;

use std::path::PathBuf;
use std::time::Duration;

pub use child::child_main;
pub(crate) use parent::spawn;

use super::error::LlmError;

/// The hidden first argument that makes this program the model process.
pub const MODEL_PROCESS_ARG: &str = "__model-process";

/// The log filter the model process runs with (set by the app).
pub(crate) const LOG_ENV: &str = "DESKPILOT_MODEL_LOG";

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
