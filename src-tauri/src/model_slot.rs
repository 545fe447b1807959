//! The engine as the window holds it: loaded in the background so the
//! window is usable at once; commands that need the model wait for it (a
//! message sent while it loads runs when it is ready). Every change of
//! state is broadcast to the page as the `model-status` event.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use deskpilot_core::llm::{Engine, EngineConfig, LoadProgress, LoadedModel};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::watch;

use crate::error::{CmdResult, CommandError};

/// What the page shows about the model.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ModelStatus {
    Loading {
        path: String,
    },
    Ready {
        model: Box<LoadedModel>,
        /// `None`: text stays on this computer; otherwise the server it is
        /// sent to.
        remote: Option<String>,
    },
    Failed {
        path: String,
        code: &'static str,
        message: String,
    },
}

#[derive(Clone)]
struct Slot {
    status: ModelStatus,
    engine: Option<Arc<Engine>>,
}

/// The one engine of the window, behind a watch channel.
pub struct ModelSlot {
    tx: watch::Sender<Slot>,
}

impl ModelSlot {
    pub fn new() -> ModelSlot {
        let (tx, _) = watch::channel(Slot {
            status: ModelStatus::Loading {
                path: String::new(),
            },
            engine: None,
        });
        ModelSlot { tx }
    }

    pub fn status(&self) -> ModelStatus {
        self.tx.borrow().status.clone()
    }

    /// The engine once it is ready (waiting while it loads); an error
    /// saying why when loading failed.
    pub async fn engine(&self) -> CmdResult<Arc<Engine>> {
        let mut rx = self.tx.subscribe();
        let slot = rx
            .wait_for(|s| !matches!(s.status, ModelStatus::Loading { .. }))
            .await
            .map_err(|_| CommandError::new("model_unavailable", "the model slot closed"))?;
        match (&slot.engine, &slot.status) {
            (Some(engine), ModelStatus::Ready { .. }) => Ok(Arc::clone(engine)),
            (_, ModelStatus::Failed { code, message, .. }) => Err(CommandError::new(
                code,
                format!("the model is not loaded: {message}"),
            )),
            _ => Err(CommandError::new(
                "model_unavailable",
                "the model is not loaded",
            )),
        }
    }

    /// The engine only if it is ready now.
    pub fn engine_now(&self) -> Option<Arc<Engine>> {
        self.tx.borrow().engine.clone()
    }

    fn set<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        status: ModelStatus,
        engine: Option<Arc<Engine>>,
    ) {
        let _ = app.emit("model-status", &status);
        self.tx.send_replace(Slot { status, engine });
    }

    /// Starts the engine on a thread of its own; returns at once. Load
    /// progress goes to the page as `model-load-progress` (0 to 100).
    pub fn start<R: Runtime>(self: &Arc<Self>, app: AppHandle<R>, mut config: EngineConfig) {
        let path = config.shown();
        let handle = app.clone();
        let last = AtomicU32::new(u32::MAX);
        config.load_progress = Some(LoadProgress(Arc::new(move |done: f32| {
            let percent = (done.clamp(0.0, 1.0) * 100.0) as u32;
            if last.swap(percent, Ordering::Relaxed) != percent {
                let _ = handle.emit("model-load-progress", percent);
            }
        })));
        self.set(&app, ModelStatus::Loading { path: path.clone() }, None);
        let slot = Arc::clone(self);
        std::thread::Builder::new()
            .name("deskpilot-model-load".into())
            .spawn(move || match Engine::start(config) {
                Ok(engine) => slot.ready(&app, Arc::new(engine)),
                Err(e) => slot.set(
                    &app,
                    ModelStatus::Failed {
                        path,
                        code: e.code(),
                        message: e.to_string(),
                    },
                    None,
                ),
            })
            .expect("spawning the model loader");
    }

    /// Records that no engine could be configured (no model file, bad
    /// settings): the window still opens and says why.
    pub fn fail<R: Runtime>(&self, app: &AppHandle<R>, e: CommandError) {
        self.set(
            app,
            ModelStatus::Failed {
                path: String::new(),
                code: e.code,
                message: e.message,
            },
            None,
        );
    }

    fn ready<R: Runtime>(&self, app: &AppHandle<R>, engine: Arc<Engine>) {
        match engine.model() {
            Some(model) => {
                let status = ModelStatus::Ready {
                    model: Box::new(model),
                    remote: engine.remote_url(),
                };
                self.set(app, status, Some(engine));
            }
            None => self.set(
                app,
                ModelStatus::Failed {
                    path: String::new(),
                    code: "model_unavailable",
                    message: "the engine started without a model".into(),
                },
                None,
            ),
        }
    }

    /// Switches to another GGUF file: on the running engine when there is
    /// one (the worker keeps its queue), else by starting one. Returns when
    /// the new model is loaded or has failed; the old one stays in use on
    /// failure.
    pub async fn switch<R: Runtime>(
        self: &Arc<Self>,
        app: AppHandle<R>,
        config: EngineConfig,
    ) -> CmdResult<ModelStatus> {
        let Some(path) = config.model_path().map(PathBuf::from) else {
            // Not a file: a move to a server.
            return self.replace(app, config).await;
        };
        let Some(engine) = self.engine_now() else {
            self.start(app, config);
            self.engine().await?;
            return Ok(self.status());
        };
        let previous = self.status();
        self.set(
            &app,
            ModelStatus::Loading {
                path: path.display().to_string(),
            },
            None,
        );
        let loaded = {
            let engine = Arc::clone(&engine);
            tauri::async_runtime::spawn_blocking(move || engine.load_model(&path))
                .await
                .map_err(crate::error::join_failed)?
        };
        match loaded {
            Ok(_) => {
                self.ready(&app, engine);
                Ok(self.status())
            }
            Err(e) => {
                // The previous model is still the one loaded.
                self.set(&app, previous, Some(engine));
                Err(e.into())
            }
        }
    }
}

impl ModelSlot {
    /// Moves to another backend (this computer's model or a remote
    /// server): a new engine is started and takes over once it answers;
    /// requests already queued finish on the old one. On failure the old
    /// engine stays in use.
    pub async fn replace<R: Runtime>(
        self: &Arc<Self>,
        app: AppHandle<R>,
        config: EngineConfig,
    ) -> CmdResult<ModelStatus> {
        let previous = self.status();
        let old = self.engine_now();
        self.set(
            &app,
            ModelStatus::Loading {
                path: config.shown(),
            },
            None,
        );
        let started = tauri::async_runtime::spawn_blocking(move || Engine::start(config))
            .await
            .map_err(crate::error::join_failed)?;
        match started {
            Ok(engine) => {
                self.ready(&app, Arc::new(engine));
                Ok(self.status())
            }
            Err(e) => {
                self.set(&app, previous, old);
                Err(e.into())
            }
        }
    }
}

impl Default for ModelSlot {
    fn default() -> Self {
        ModelSlot::new()
    }
}
