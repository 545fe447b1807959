//! Turns flags plus the settings file into the core's engine and sampling
//! configuration; flags win over settings, settings over defaults.

use anyhow::{Context, Result};
use deskpilot_core::config::{self, BackendChoice, RemoteSettings, Settings};
use deskpilot_core::llm::{Engine, EngineConfig, SamplingParams};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::workflow::{self, WorkflowError};

use crate::cli::{ModelArgs, SamplingArgs};

pub fn load_settings() -> Result<Settings> {
    let path = Settings::default_path().context("finding the settings file")?;
    Settings::load(&path).context("reading settings")
}

/// Writes the settings file; returns where it is.
pub fn save_settings(settings: &Settings) -> Result<std::path::PathBuf> {
    let path = Settings::default_path().context("finding the settings file")?;
    settings
        .save(&path)
        .with_context(|| format!("saving {}", path.display()))?;
    Ok(path)
}

/// Where this command's requests go: `--local` or `--remote URL` (or
/// `$DESKPILOT_REMOTE_URL`) first, then the session's own choice, then the
/// settings' remote server, else this computer's model (decided in
/// `workflow::engine_config`, as for the window).
pub fn engine_config(
    args: &ModelArgs,
    settings: &Settings,
    session: Option<BackendChoice>,
) -> Result<EngineConfig> {
    let explicit = if args.local {
        Some(BackendChoice::Local)
    } else if let Some(url) = &args.remote {
        Some(BackendChoice::Remote(RemoteSettings::new(
            url,
            args.remote_model.clone(),
            None,
        )?))
    } else {
        None
    };
    let choice = choice(args, explicit, session);
    workflow::engine_config(&choice, settings).context("choosing a model")
}

fn choice(
    args: &ModelArgs,
    explicit: Option<BackendChoice>,
    session: Option<BackendChoice>,
) -> workflow::Choice {
    workflow::Choice {
        explicit,
        session,
        model: args.model.clone(),
        n_ctx: args.ctx,
        threads: args.threads,
        gpu_layers: args.gpu_layers,
        model_process: None,
    }
}

/// The detector's model, whatever `--remote` says (only a local model gives
/// every token's probability): `--model`, else the detector's own model
/// from the settings, else the chat model.
pub fn detect_engine_config(args: &ModelArgs, settings: &Settings) -> Result<EngineConfig> {
    let (path, _) = config::resolve_detect_model(args.model.as_deref(), settings)
        .context("choosing the detector's model")?;
    let mut choice = choice(args, Some(BackendChoice::Local), None);
    choice.model = Some(path);
    workflow::engine_config(&choice, settings).context("choosing the detector's model")
}

/// Files go to a remote server only once the user has confirmed that
/// server: asked on the terminal, or given with --send-files; remembered in
/// the session database. Without a terminal and without the flag, nothing
/// is sent and the error says how to allow it.
pub fn confirm_files(
    db: &crate::db::Db,
    cfg: &EngineConfig,
    files: &[&std::path::Path],
    send_files: bool,
) -> Result<()> {
    let remote = cfg.remote_config().map(|r| r.base_url.as_str());
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let (url, names) = match db.run(workflow::check_remote(&db.store, remote, &names)) {
        Ok(()) => return Ok(()),
        Err(WorkflowError::NeedsConfirmation { url, files }) => (url, files.join(", ")),
        Err(e) => return Err(e).context("reading the confirmed servers"),
    };
    let allowed = send_files || ask_on_terminal(&names, &url)?;
    if !allowed {
        anyhow::bail!(
            "{names} would be sent to the remote server {url}, which you have not confirmed: \
             run again with --send-files to allow it (asked once per server)"
        );
    }
    db.run(workflow::allow_remote(&db.store, &url))
        .context("remembering the confirmed server")?;
    eprintln!("deskpilot: files may be sent to {url} from now on (remembered)");
    Ok(())
}

fn ask_on_terminal(names: &str, url: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(false);
    }
    eprint!(
        "deskpilot: send the contents of {names} to the remote server {url}? \
         (asked once for this server) [y/N] "
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}

pub fn start_engine(cfg: EngineConfig) -> Result<Engine> {
    if let Some(remote) = cfg.remote_config() {
        let url = remote.base_url.clone();
        let engine = Engine::start(cfg).context("connecting to the remote server")?;
        // Always said: where the text of this request is going.
        let model = engine.model().map(|m| m.info.name).unwrap_or_default();
        eprintln!("deskpilot: text is sent to the remote server {url} (model {model})");
        return Ok(engine);
    }
    let shown = cfg.shown();
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
