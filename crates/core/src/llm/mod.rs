//! The local model engine: one worker thread owns llama.cpp, the loaded
//! GGUF model and its context; requests arrive over a channel, tokens go to a
//! [`TokenSink`] that can say stop.

mod arch;
mod budget;
mod cpu_load;
mod engine;
mod error;
pub mod gguf;
mod raw;
mod remote;
mod sampling;
mod score;
mod sink;
mod stream;
mod template;
mod worker;

pub use budget::{ChatMessage, Role, Trimmed};
pub use engine::{
    default_threads, ChatRequest, Completion, Engine, EngineConfig, LoadProgress, LoadedModel,
    RequestId, StopReason, Ticket,
};
pub use error::{LlmError, RemoteFailure};
pub use gguf::{inspect, ModelInfo};
pub use remote::{estimate_tokens, RemoteConfig};
pub use sampling::SamplingParams;
pub use score::{position_stats, windows, ScoreOptions, TextScores, TokenScore};
pub use sink::{Cancellable, Flow, NullSink, PromptReport, TokenSink};
pub use template::TemplateSource;

/// llama.cpp's built-in chat template for an architecture, used when a GGUF
/// carries none (`None`: ChatML).
pub fn builtin_template_for(architecture: &str) -> Option<&'static str> {
    arch::builtin_template(architecture)
}
