//! The app's one state: the session store, the engine slot, running tasks,
//! the files the user granted, and the documents open in this run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use deskpilot_core::config::{self, Settings};
use deskpilot_core::docs::{Document, Limits};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::sheets::{self, Grid, Workbook};
use deskpilot_core::store::{DocumentId, SessionId, Store};

use crate::error::{CmdResult, CommandError};
use crate::grants::Grants;
use crate::model_slot::ModelSlot;
use crate::tasks::Tasks;

/// Where the app keeps things and what it was started with.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub data_dir: PathBuf,
    pub db: PathBuf,
    /// `--model` / `DESKPILOT_MODEL` / settings / the default.
    pub model: Option<PathBuf>,
    /// Files named on the command line: opened in a new session at start.
    pub files: Vec<PathBuf>,
    /// An OpenAI-compatible server to send requests to instead of the local
    /// model (`DESKPILOT_REMOTE_URL`; opt-in). The key comes from
    /// `DESKPILOT_REMOTE_KEY` only.
    pub remote: Option<String>,
    /// False in tests that never need the model.
    pub load_model: bool,
    /// The program started as the model process (None: this program, with
    /// its hidden `__model-process` argument); tests, whose own binary is a
    /// test harness, name the app's.
    pub model_process: Option<PathBuf>,
}

impl AppOptions {
    /// From the environment and the process arguments: files to open,
    /// `--model PATH`, `--remote URL` (else `$DESKPILOT_REMOTE_URL`).
    /// An option it does not know is an error, never a file to open.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<AppOptions, CommandError> {
        const USAGE: &str = "usage: deskpilot-app [--model PATH] [--remote URL] [FILE ...]";
        let mut files = Vec::new();
        let mut model = None;
        let mut remote = None;
        let mut args = args.into_iter();
        let value = |flag: &str, next: Option<String>| {
            next.filter(|v| !v.is_empty()).ok_or_else(|| {
                CommandError::new("bad_arguments", format!("{flag} needs a value; {USAGE}"))
            })
        };
        let mut only_files = false;
        while let Some(a) = args.next() {
            if only_files || !a.starts_with('-') {
                files.push(PathBuf::from(a));
            } else if a == "--" {
                only_files = true;
            } else if a == "--model" {
                model = Some(PathBuf::from(value("--model", args.next())?));
            } else if let Some(p) = a.strip_prefix("--model=") {
                model = Some(PathBuf::from(value("--model", Some(p.to_owned()))?));
            } else if a == "--remote" {
                remote = Some(value("--remote", args.next())?);
            } else if let Some(u) = a.strip_prefix("--remote=") {
                remote = Some(value("--remote", Some(u.to_owned()))?);
            } else {
                return Err(CommandError::new(
                    "bad_arguments",
                    format!("unknown option {a}; {USAGE}"),
                ));
            }
        }
        let remote = remote.or_else(|| {
            std::env::var("DESKPILOT_REMOTE_URL")
                .ok()
                .filter(|u| !u.is_empty())
        });
        Ok(AppOptions {
            data_dir: config::data_dir()?,
            db: config::default_db_path()?,
            model,
            files,
            remote,
            load_model: true,
            model_process: None,
        })
    }
}

/// A document open in this run: its reading and, for spreadsheets, its
/// tables.
pub struct OpenDoc {
    pub id: DocumentId,
    pub session: SessionId,
    pub doc: Document,
    pub workbook: Option<Arc<Workbook>>,
    grids: OnceLock<Vec<Grid>>,
}

impl OpenDoc {
    /// The sheets' cells, built once on first use (the grid pages through
    /// them).
    pub fn grids(&self) -> &[Grid] {
        self.grids.get_or_init(|| sheets::grid::grids(&self.doc))
    }
}

pub struct AppState {
    pub store: Store,
    pub model: Arc<ModelSlot>,
    pub tasks: Tasks,
    pub grants: Grants,
    pub options: AppOptions,
    /// Model downloads running now, by file name: what the page asked of
    /// each (0 keep going, 1 pause, 2 cancel).
    pub downloads: Mutex<HashMap<String, Arc<std::sync::atomic::AtomicU8>>>,
    /// The detector's own model (when the settings name one apart from the
    /// chat model), started on first use and kept until another is chosen.
    pub detector: tokio::sync::Mutex<Option<(PathBuf, Arc<deskpilot_core::llm::Engine>)>>,
    documents: Mutex<HashMap<(SessionId, DocumentId), Arc<OpenDoc>>>,
}

impl AppState {
    pub fn new(store: Store, options: AppOptions) -> AppState {
        let grants = Grants::default();
        grants.grant(&options.files);
        AppState {
            store,
            model: Arc::new(ModelSlot::new()),
            tasks: Tasks::default(),
            grants,
            options,
            downloads: Mutex::new(HashMap::new()),
            detector: tokio::sync::Mutex::new(None),
            documents: Mutex::new(HashMap::new()),
        }
    }

    pub fn settings_path(&self) -> PathBuf {
        self.options.data_dir.join("settings.json")
    }

    pub fn settings(&self) -> CmdResult<Settings> {
        Ok(Settings::load(&self.settings_path())?)
    }

    /// The document limits of the settings; a settings file that cannot
    /// be read is an error naming it, as everywhere else (never silently
    /// the defaults).
    pub fn limits(&self) -> CmdResult<Limits> {
        Ok(self.settings()?.document_limits.unwrap_or_default())
    }

    /// Built-in prompts, each overridable in `<data folder>/prompts/`.
    pub fn prompts(&self) -> Prompts {
        Prompts::with_overrides(&self.options.data_dir.join("prompts"))
    }

    /// The user's own draft templates.
    pub fn templates_dir(&self) -> PathBuf {
        self.options.data_dir.join("templates")
    }

    /// Keeps a document read in this run.
    pub fn remember(&self, session: SessionId, id: DocumentId, doc: Document) -> Arc<OpenDoc> {
        let workbook = sheets::workbook(&doc, None).ok().map(Arc::new);
        let open = Arc::new(OpenDoc {
            id,
            session,
            doc,
            workbook,
            grids: OnceLock::new(),
        });
        self.documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((session, id), Arc::clone(&open));
        open
    }

    /// A session's document: from this run, else from the store's reading
    /// (a session reopened after a restart).
    pub async fn document(&self, session: SessionId, id: DocumentId) -> CmdResult<Arc<OpenDoc>> {
        if let Some(d) = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(session, id))
        {
            return Ok(Arc::clone(d));
        }
        let doc = self.store.stored_document(session, id).await?;
        Ok(self.remember(session, id, doc))
    }
}
