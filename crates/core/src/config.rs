//! Where Deskpilot keeps its files, the user's settings, and which model to
//! run: `--model PATH` beats `DESKPILOT_MODEL`, which beats the settings
//! file, which beats the default model fetched by setup. The detector may
//! score with a model of its own, saved apart from the chat model.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::llm::{keys, EngineConfig, KeyError, RemoteConfig, SamplingParams};

/// File name of the default model inside the models folder.
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
/// Its sha256, checked by setup after download.
pub const DEFAULT_MODEL_SHA256: &str =
    "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/// A configuration problem, naming the file or variable at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no data folder: set XDG_DATA_HOME, HOME or DESKPILOT_DATA_DIR")]
    NoDataDir,
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not valid settings: {source}", path = path.display())]
    Settings {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{path}: model file not found (chosen by {origin}); run `bash scripts/setup.sh` from \
         Deskpilot's folder to fetch the default model, or pass --model PATH",
        path = path.display()
    )]
    ModelMissing { path: PathBuf, origin: ModelOrigin },
    #[error("{0:?} is not a server address: give http(s)://host[:port]/v1")]
    BadRemoteUrl(String),
}

/// Who chose the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelOrigin {
    Flag,
    Environment,
    Settings,
    /// The detector's own model, saved apart from the chat model.
    DetectorSettings,
    Default,
}

impl std::fmt::Display for ModelOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelOrigin::Flag => "--model",
            ModelOrigin::Environment => "DESKPILOT_MODEL",
            ModelOrigin::Settings => "the settings file",
            ModelOrigin::DetectorSettings => "the detector's model in the settings file",
            ModelOrigin::Default => "default",
        })
    }
}

/// `$DESKPILOT_DATA_DIR`, else `$XDG_DATA_HOME/deskpilot` (on Linux
/// `~/.local/share/deskpilot` when unset).
pub fn data_dir() -> Result<PathBuf, ConfigError> {
    if let Some(dir) = env_path("DESKPILOT_DATA_DIR") {
        return Ok(dir);
    }
    dirs::data_dir()
        .map(|d| d.join("deskpilot"))
        .ok_or(ConfigError::NoDataDir)
}

/// `$DESKPILOT_MODELS_DIR`, else `<data folder>/models`.
pub fn models_dir() -> Result<PathBuf, ConfigError> {
    if let Some(dir) = env_path("DESKPILOT_MODELS_DIR") {
        return Ok(dir);
    }
    Ok(data_dir()?.join("models"))
}

/// The session database: `$DESKPILOT_DB`, else `<data folder>/deskpilot.sqlite3`.
pub fn default_db_path() -> Result<PathBuf, ConfigError> {
    if let Some(path) = env_path("DESKPILOT_DB") {
        return Ok(path);
    }
    Ok(data_dir()?.join("deskpilot.sqlite3"))
}

/// Where the default model lives once setup has fetched it.
pub fn default_model_path() -> Result<PathBuf, ConfigError> {
    Ok(models_dir()?.join(DEFAULT_MODEL_FILE))
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The user's settings (`settings.json` in the data folder). Every field is
/// optional; absent means "the default".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub model: Option<PathBuf>,
    pub n_ctx: Option<u32>,
    pub threads: Option<usize>,
    pub n_gpu_layers: Option<u32>,
    pub sampling: Option<SamplingParams>,
    /// Limits for reading documents (file size, zip bombs, XML depth, time,
    /// cells); absent fields keep their defaults.
    pub document_limits: Option<crate::docs::Limits>,
    /// A remote OpenAI-compatible server every session uses unless it has
    /// its own choice (opt-in; absent: this computer's model). Its API key
    /// is in the OS keyring, never here.
    pub remote: Option<RemoteSettings>,
    /// Folders of GGUF files the user added (`deskpilot models import`),
    /// offered where they are, never copied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub model_folders: Vec<PathBuf>,
    /// The model the detector scores with, when it is not the chat model
    /// (a larger one judges better; absent: the chat model).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detect_model: Option<PathBuf>,
}

/// A remote server as saved: where, which model, how much context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteSettings {
    /// Base URL including `/v1`, e.g. `http://gpu-box:8000/v1`.
    pub url: String,
    /// The model to ask for (default: the first the server lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Context size to plan prompts for when the server does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_ctx: Option<u32>,
}

/// Where a session's requests go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendChoice {
    /// This computer's model.
    Local,
    /// A remote server.
    Remote(RemoteSettings),
}

impl BackendChoice {
    /// An explicit choice (a flag, the environment) first, then the
    /// session's own, then the settings' remote server, else this
    /// computer.
    pub fn resolve(
        explicit: Option<BackendChoice>,
        session: Option<BackendChoice>,
        settings: &Settings,
    ) -> BackendChoice {
        explicit
            .or(session)
            .or_else(|| settings.remote.clone().map(BackendChoice::Remote))
            .unwrap_or(BackendChoice::Local)
    }
}

impl RemoteSettings {
    /// An engine configuration for this server: its URL, model and context
    /// size as saved, the API key from `$DESKPILOT_REMOTE_KEY` or the OS
    /// keyring (never from a file).
    pub fn engine_config(&self) -> Result<EngineConfig, KeyError> {
        let mut rc = RemoteConfig::new(self.url.clone());
        rc.model = self.model.clone().filter(|m| !m.is_empty());
        rc.api_key = keys::remote_key(&rc.base_url)?.map(|(k, _)| k);
        if let Some(n) = self.n_ctx {
            rc.n_ctx = n;
        }
        Ok(EngineConfig::remote(rc))
    }

    /// Checks and tidies a URL a user typed: http(s) only, no trailing `/`.
    pub fn new(url: &str, model: Option<String>, n_ctx: Option<u32>) -> Result<Self, ConfigError> {
        let url = url.trim().trim_end_matches('/').to_owned();
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        let host = url.split_once("://").map_or("", |(_, rest)| rest);
        if !scheme_ok || host.is_empty() || url.chars().any(char::is_whitespace) {
            return Err(ConfigError::BadRemoteUrl(url));
        }
        Ok(RemoteSettings {
            url,
            model: model.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()),
            n_ctx,
        })
    }
}

impl Settings {
    /// Applies the model's context size, threads and GPU layers as the user
    /// set them to a local engine's configuration (a caller with flags
    /// passes settings with the flags already applied).
    pub fn configure_local(&self, cfg: &mut EngineConfig) {
        if let Some(n) = self.n_ctx {
            cfg.n_ctx = n;
        }
        if let Some(n) = self.threads {
            cfg.threads = n;
        }
        if let Some(n) = self.n_gpu_layers {
            cfg.n_gpu_layers = n;
        }
    }

    /// `<data folder>/settings.json`.
    pub fn default_path() -> Result<PathBuf, ConfigError> {
        Ok(data_dir()?.join("settings.json"))
    }

    /// Reads the settings; a missing file means defaults, a broken one is an
    /// error (never silently replaced).
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| ConfigError::Settings {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(source) => Err(ConfigError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Writes atomically: a crash mid-write leaves the old file intact.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let io = |source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|source| ConfigError::Settings {
            path: path.to_path_buf(),
            source,
        })?;
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// Picks the model file and says who chose it; the file must exist.
pub fn resolve_model(
    flag: Option<&Path>,
    settings: &Settings,
) -> Result<(PathBuf, ModelOrigin), ConfigError> {
    let (path, origin) = if let Some(p) = flag {
        (p.to_path_buf(), ModelOrigin::Flag)
    } else if let Some(p) = env_path("DESKPILOT_MODEL") {
        (p, ModelOrigin::Environment)
    } else if let Some(p) = &settings.model {
        (p.clone(), ModelOrigin::Settings)
    } else {
        (default_model_path()?, ModelOrigin::Default)
    };
    if path.exists() {
        Ok((path, origin))
    } else {
        Err(ConfigError::ModelMissing { path, origin })
    }
}

/// Picks the model the detector scores with: `--model`, else the detector's
/// own model saved in the settings, else the chat model as
/// [`resolve_model`] picks it. The file must exist.
pub fn resolve_detect_model(
    flag: Option<&Path>,
    settings: &Settings,
) -> Result<(PathBuf, ModelOrigin), ConfigError> {
    match (flag, &settings.detect_model) {
        (None, Some(path)) if path.exists() => Ok((path.clone(), ModelOrigin::DetectorSettings)),
        (None, Some(path)) => Err(ConfigError::ModelMissing {
            path: path.clone(),
            origin: ModelOrigin::DetectorSettings,
        }),
        _ => resolve_model(flag, settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_beats_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.gguf");
        let b = dir.path().join("b.gguf");
        std::fs::write(&a, b"x").unwrap();
        std::fs::write(&b, b"x").unwrap();
        let settings = Settings {
            model: Some(b.clone()),
            ..Default::default()
        };
        assert_eq!(
            resolve_model(Some(&a), &settings).unwrap(),
            (a, ModelOrigin::Flag)
        );
    }

    #[test]
    fn the_detector_scores_with_its_own_model_unless_a_flag_names_another() {
        let dir = tempfile::tempdir().unwrap();
        let chat = dir.path().join("chat.gguf");
        let judge = dir.path().join("judge.gguf");
        std::fs::write(&chat, b"x").unwrap();
        std::fs::write(&judge, b"x").unwrap();
        let mut settings = Settings {
            model: Some(chat.clone()),
            detect_model: Some(judge.clone()),
            ..Default::default()
        };
        assert_eq!(
            resolve_detect_model(None, &settings).unwrap(),
            (judge.clone(), ModelOrigin::DetectorSettings)
        );
        assert_eq!(
            resolve_detect_model(Some(&chat), &settings).unwrap(),
            (chat.clone(), ModelOrigin::Flag)
        );
        // A saved detector model that is gone is an error naming it, not a
        // quiet fall back to another model.
        std::fs::remove_file(&judge).unwrap();
        let e = resolve_detect_model(None, &settings)
            .unwrap_err()
            .to_string();
        assert!(e.contains("judge.gguf") && e.contains("detector"), "{e}");
        // Without a detector model of its own, the chat model's choice.
        settings.detect_model = None;
        assert_eq!(
            resolve_detect_model(Some(&chat), &settings).unwrap().0,
            chat
        );
    }

    #[test]
    fn a_missing_model_names_the_path_and_who_chose_it() {
        let settings = Settings {
            model: Some("/nonexistent/m.gguf".into()),
            ..Default::default()
        };
        // DESKPILOT_MODEL may be set by the test environment; pass a flag to
        // make the choice explicit.
        let e = resolve_model(Some(Path::new("/nonexistent/m.gguf")), &settings).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("/nonexistent/m.gguf") && msg.contains("--model"),
            "{msg}"
        );
        // The way to fetch the model that exists (there is no Makefile).
        assert!(
            msg.contains("scripts/setup.sh") && !msg.contains("make"),
            "{msg}"
        );
    }

    #[test]
    fn settings_round_trip_and_a_broken_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let s = Settings {
            n_ctx: Some(2048),
            ..Default::default()
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), s);
        std::fs::write(&path, b"{ not json").unwrap();
        let e = Settings::load(&path).unwrap_err();
        assert!(e.to_string().contains("settings.json"), "{e}");
    }
}
