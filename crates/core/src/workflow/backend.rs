//! Where a request runs: a remote server or this computer's model, and
//! with which settings. Both front ends parse their own flags and launch
//! options into a [`Choice`]; the order of precedence and the engine's
//! configuration are decided here once.

use std::path::PathBuf;

use crate::config::{self, BackendChoice, Settings};
use crate::llm::{EngineConfig, ModelProcess};

use super::WorkflowError;

/// What the front end was told.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Said for this command or launch (`--local`, `--remote URL`, a model
    /// file the user just picked); wins over everything else.
    pub explicit: Option<BackendChoice>,
    /// The session's own choice, when the request belongs to one that has
    /// one.
    pub session: Option<BackendChoice>,
    /// A model file named by a flag (else the environment, the settings,
    /// the default model).
    pub model: Option<PathBuf>,
    /// Flags over the settings: context size, threads, GPU layers.
    pub n_ctx: Option<u32>,
    pub threads: Option<usize>,
    pub gpu_layers: Option<u32>,
    /// The program run as the model process; this program when absent.
    pub model_process: Option<PathBuf>,
}

/// The engine's configuration: an explicit choice, then the session's,
/// then the settings' remote server, else this computer's model (chosen by
/// flag, environment, settings or default) in a process of its own, so a
/// llama.cpp abort costs the model and not the app. A server's API key
/// comes from `$DESKPILOT_REMOTE_KEY` or the OS keyring.
pub fn engine_config(choice: &Choice, settings: &Settings) -> Result<EngineConfig, WorkflowError> {
    let chosen = BackendChoice::resolve(choice.explicit.clone(), choice.session.clone(), settings);
    if let BackendChoice::Remote(mut remote) = chosen {
        if let Some(n) = choice.n_ctx {
            remote.n_ctx = Some(n);
        }
        return Ok(remote.engine_config()?);
    }
    let (path, origin) = config::resolve_model(choice.model.as_deref(), settings)?;
    tracing::info!("model {} (chosen by {origin})", path.display());
    let mut cfg = EngineConfig::new(path);
    let flags_first = Settings {
        n_ctx: choice.n_ctx.or(settings.n_ctx),
        threads: choice.threads.or(settings.threads),
        n_gpu_layers: choice.gpu_layers.or(settings.n_gpu_layers),
        ..Settings::default()
    };
    flags_first.configure_local(&mut cfg);
    cfg.process = Some(match &choice.model_process {
        Some(program) => ModelProcess::new(program),
        None => ModelProcess::this_program()?,
    });
    Ok(cfg)
}
