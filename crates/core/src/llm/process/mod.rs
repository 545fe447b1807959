//! The local model in a process of its own. llama.cpp stops the whole
//! process on a failed check (`GGML_ASSERT` calls `abort()`), a bad model or
//! a GPU fault can crash it, and running out of memory while loading gets
//! it killed: run inside the app, any of these would take the window (or
//! `serve`, or a long summary) down. Here they cost the model process only:
//! the request in flight fails with the cause in words, what was streamed
//! stays with the caller, and the next request starts a fresh process.
//!
//! The process is this same program started with [`MODEL_PROCESS_ARG`]
//! (front ends call `llm::run_if_model_process` first thing in `main`); it
//! runs the in-process engine (`llm/model_process.rs`) and speaks JSON
//! lines (wire.rs). This module is the app's side.

mod exit;
mod parent;
pub(crate) mod wire;

pub(crate) use parent::spawn;

pub use super::protocol::{ModelProcess, MODEL_PROCESS_ARG};

/// The log filter the model process runs with (set by the app).
pub(crate) const LOG_ENV: &str = "DESKPILOT_MODEL_LOG";
