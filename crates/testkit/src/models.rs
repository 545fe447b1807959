//! Where the test models are (SmolLM2 and Gemma 3 270M, fetched by
//! `scripts/setup.sh --test`; a missing one fails the test saying how to
//! fetch it), and small engine builders.

use std::path::PathBuf;

use deskpilot_core::config;
use deskpilot_core::llm::{ChatMessage, ChatRequest, Engine, EngineConfig, SamplingParams};

fn model_file(env: &str, file: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| config::models_dir().expect("a data folder").join(file));
    assert!(
        path.is_file(),
        "test model {} is missing: run `scripts/setup.sh --test` (or set {env})",
        path.display()
    );
    path
}

/// The default model, SmolLM2-135M-Instruct Q4_1 (carries a chat template).
pub fn smollm2() -> PathBuf {
    model_file("DESKPILOT_TEST_MODEL", config::DEFAULT_MODEL_FILE)
}

/// Gemma 3 270M Q4_K_M (no chat template in the GGUF).
pub fn gemma() -> PathBuf {
    model_file("DESKPILOT_TEST_GEMMA", "gemma-3-270m-q4_k_m.gguf")
}

/// An engine with a small context, so tests stay quick on two cores.
pub fn engine(model: PathBuf) -> Engine {
    let mut cfg = EngineConfig::new(model);
    cfg.n_ctx = 1024;
    Engine::start(cfg).expect("the test model loads")
}

pub fn ask(text: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::user(text)],
        sampling: SamplingParams {
            max_tokens,
            ..SamplingParams::greedy()
        },
    }
}
