//! The model engine: one worker thread owns a backend (this computer's
//! llama.cpp model with its context, or an opt-in remote OpenAI-compatible
//! server, both behind one trait); requests arrive over a channel, tokens
//! go to a [`TokenSink`] that can say stop.

mod arch;
mod backend;
mod budget;
mod cpu_features;
mod cpu_load;
pub mod embed;
mod engine;
mod error;
pub mod gguf;
pub mod keys;
mod model_process;
mod names;
pub mod process;
mod protocol;
mod raw;
mod remote;
mod sampling;
mod score;
mod sink;
mod stream;
mod template;
mod turn;
mod worker;

pub use budget::{ChatMessage, Role, Trimmed};
pub use cpu_features::cpu_features;
pub use engine::{Engine, Ticket};
pub use error::{LlmError, RemoteFailure};
pub use gguf::{inspect, ModelInfo};
pub use keys::{KeyError, KeySource};
pub use model_process::run_if_model_process;
pub use protocol::{
    default_threads, ChatRequest, Completion, EngineConfig, LoadProgress, LoadedModel, ModelSource,
    RequestId, StopReason,
};
pub use protocol::{ModelProcess, RemoteConfig};
pub use remote::estimate_tokens;
pub use sampling::SamplingParams;
pub use score::{position_stats, windows, ScoreOptions, TextScores, TokenScore};
pub use sink::{Cancellable, Flow, NullSink, PromptReport, TokenSink};
pub use template::TemplateSource;

/// llama.cpp's built-in chat template for an architecture, used when a GGUF
/// carries none (`None`: ChatML).
pub fn builtin_template_for(architecture: &str) -> Option<&'static str> {
    arch::builtin_template(architecture)
}
