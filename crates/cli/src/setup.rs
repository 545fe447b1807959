//! Turns flags plus the settings file into the core's engine and sampling
//! configuration; flags win over settings, settings over defaults.

use anyhow::{Context, Result};
use deskpilot_core::config::{self, Settings};
use deskpilot_core::llm::{Engine, EngineConfig, SamplingParams};
use deskpilot_core::prompts::Prompts;

use crate::cli::{ModelArgs, SamplingArgs};

pub fn load_settings() -> Result<Settings> {
    let path = Settings::default_path().context("finding the settings file")?;
    Settings::load(&path).context("reading settings")
}

pub fn engine_config(args: &ModelArgs, settings: &Settings) -> Result<EngineConfig> {
    let (path, origin) =
        config::resolve_model(args.model.as_deref(), settings).context("choosing a model")?;
    tracing::info!("model {} (chosen by {origin})", path.display());
    let mut cfg = EngineConfig::new(path);
    if let Some(n) = args.ctx.or(settings.n_ctx) {
        cfg.n_ctx = n;
    }
    if let Some(n) = args.threads.or(settings.threads) {
        cfg.threads = n;
    }
    if let Some(n) = args.gpu_layers.or(settings.n_gpu_layers) {
        cfg.n_gpu_layers = n;
    }
    Ok(cfg)
}

pub fn start_engine(cfg: EngineConfig) -> Result<Engine> {
    let shown = cfg.model.display().to_string();
    Engine::start(cfg).with_context(|| format!("loading model {shown}"))
}

pub fn sampling(args: &SamplingArgs, settings: &Settings) -> Result<SamplingParams> {
    let mut s = settings.sampling.clone().unwrap_or_default();
    if let Some(v) = args.max_tokens {
        s.max_tokens = v;
    }
    if let Some(v) = args.temperature {
        s.temperature = v;
    }
    if let Some(v) = args.top_p {
        s.top_p = v;
    }
    if let Some(v) = args.top_k {
        s.top_k = v;
    }
    if let Some(v) = args.min_p {
        s.min_p = v;
    }
    if let Some(v) = args.repeat_penalty {
        s.repeat_penalty = v;
    }
    if args.seed.is_some() {
        s.seed = args.seed;
    }
    if !args.stop.is_empty() {
        s.stop = args.stop.clone();
    }
    s.validate().context("checking sampling flags")?;
    Ok(s)
}

/// Built-in prompt templates, each overridable by a file of the same name in
/// `<data folder>/prompts/`.
pub fn prompts() -> Result<Prompts> {
    let dir = config::data_dir().context("finding the data folder")?;
    Ok(Prompts::with_overrides(&dir.join("prompts")))
}
