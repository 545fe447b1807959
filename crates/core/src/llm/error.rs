//! Everything that can go wrong between a model file and a finished reply,
//! each message naming the file or setting at fault so the CLI and the
//! window can show it as is.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// An error from the model engine. It crosses from the model process to
/// the app as JSON (see process/wire.rs), so every variant serializes.
#[derive(Debug, thiserror::Error, Serialize, Deserialize)]
pub enum LlmError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        #[serde(with = "io_error")]
        source: std::io::Error,
    },
    #[error("{path}: not a GGUF model file ({detail})", path = path.display())]
    NotGguf { path: PathBuf, detail: String },
    #[error("{path}: truncated GGUF file: {detail}", path = path.display())]
    Truncated { path: PathBuf, detail: String },
    #[error("{path}: malformed GGUF file: {detail}", path = path.display())]
    Malformed { path: PathBuf, detail: String },
    #[error(
        "{path}: unsupported model architecture '{arch}' (this build of llama.cpp cannot run it)",
        path = path.display()
    )]
    UnsupportedArchitecture { path: PathBuf, arch: String },
    #[error("{path}: llama.cpp could not load the model (run with -v for its log)", path = path.display())]
    LoadFailed { path: PathBuf },
    #[error("could not create a llama.cpp context of {n_ctx} tokens: {detail}")]
    Context { n_ctx: u32, detail: String },
    #[error(
        "the system prompt and the newest message need {needed} tokens, \
         but the context holds {n_ctx} (with {reserved} kept free for the reply)"
    )]
    PromptTooLong {
        needed: usize,
        n_ctx: u32,
        reserved: usize,
    },
    #[error("chat template '{template}': {detail}")]
    Template { template: String, detail: String },
    #[error("invalid sampling setting: {0}")]
    Sampling(String),
    #[error("llama.cpp decode failed: {0}")]
    Decode(String),
    #[error("the model engine has stopped")]
    EngineStopped,
    #[error("cancelled")]
    Cancelled,
    /// The engine's thread panicked (a bug, caught so that the app lives).
    #[error("the model engine failed: {0}")]
    WorkerPanicked(String),
    /// The engine could not start or keep going for a reason that is no
    /// panic: no thread, no llama.cpp backend, no pipes to the model
    /// process, or a reply it did not expect.
    #[error("the model engine could not run: {0}")]
    EngineFailed(String),
    /// The model's own process ended (crash, abort, killed, out of memory)
    /// or stopped answering; the app and what was streamed are unharmed,
    /// and the next request starts a fresh process.
    #[error("the model process stopped: {cause}{log}", log = log_tail(log))]
    ModelProcess { cause: String, log: Vec<String> },
    #[error("remote model server {url}: {detail}")]
    Remote {
        url: String,
        kind: RemoteFailure,
        detail: String,
    },
}

/// What went wrong with a remote model server, for the error's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemoteFailure {
    Unreachable,
    Unauthorized,
    NotFound,
    RateLimited,
    ServerError,
    Timeout,
    /// It answered, but not in the OpenAI format.
    Incompatible,
    /// Something only the local engine can do (detection).
    LocalOnly,
}

impl LlmError {
    /// A stable machine-readable code, for `{code, message}` across IPC and
    /// for `--json` error output.
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::Io { .. } => "io",
            LlmError::NotGguf { .. } => "not_gguf",
            LlmError::Truncated { .. } => "truncated_model",
            LlmError::Malformed { .. } => "malformed_model",
            LlmError::UnsupportedArchitecture { .. } => "unsupported_architecture",
            LlmError::LoadFailed { .. } => "model_load_failed",
            LlmError::Context { .. } => "context_failed",
            LlmError::PromptTooLong { .. } => "prompt_too_long",
            LlmError::Template { .. } => "chat_template",
            LlmError::Sampling(_) => "invalid_sampling",
            LlmError::Decode(_) => "decode_failed",
            LlmError::EngineStopped => "engine_stopped",
            LlmError::Cancelled => "cancelled",
            LlmError::WorkerPanicked(_) => "engine_panicked",
            LlmError::EngineFailed(_) => "engine_failed",
            LlmError::ModelProcess { .. } => "model_process_stopped",
            LlmError::Remote { kind, .. } => match kind {
                RemoteFailure::Unreachable => "remote_unreachable",
                RemoteFailure::Unauthorized => "remote_unauthorized",
                RemoteFailure::NotFound => "remote_not_found",
                RemoteFailure::RateLimited => "remote_rate_limited",
                RemoteFailure::ServerError => "remote_server_error",
                RemoteFailure::Timeout => "remote_timeout",
                RemoteFailure::Incompatible => "remote_incompatible",
                RemoteFailure::LocalOnly => "local_only",
            },
        }
    }
}

/// The model process's last log lines, as the error shows them.
fn log_tail(log: &[String]) -> String {
    if log.is_empty() {
        String::new()
    } else {
        format!(" (its last log lines: {})", log.join(" | "))
    }
}

/// An I/O error as its kind's name and message: enough to show it again on
/// the other side of the pipe.
mod io_error {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wire {
        message: String,
        not_found: bool,
    }

    pub fn serialize<S: Serializer>(e: &std::io::Error, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            message: e.to_string(),
            not_found: e.kind() == std::io::ErrorKind::NotFound,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<std::io::Error, D::Error> {
        let w = Wire::deserialize(d)?;
        let kind = if w.not_found {
            std::io::ErrorKind::NotFound
        } else {
            std::io::ErrorKind::Other
        };
        Ok(std::io::Error::new(kind, w.message))
    }
}
