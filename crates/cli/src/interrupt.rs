//! Ctrl-C: while a reply is being generated it cancels that reply (what was
//! written stays); otherwise it ends the program with status 130.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use anyhow::{Context, Result};
use deskpilot_core::llm::{Engine, RequestId};

#[derive(Default)]
struct State {
    engine: Mutex<Weak<Engine>>,
    /// The request being generated; 0 = none.
    running: AtomicU64,
    interrupted: AtomicBool,
    /// A job's cancel flag (a summary's), set instead of exiting.
    flag: Mutex<Option<Arc<AtomicBool>>>,
}

/// The installed Ctrl-C handler's shared state.
#[derive(Clone)]
pub struct CtrlC(Arc<State>);

impl CtrlC {
    pub fn install(engine: &Arc<Engine>) -> Result<CtrlC> {
        let state = Arc::new(State {
            engine: Mutex::new(Arc::downgrade(engine)),
            ..State::default()
        });
        let handler = Arc::clone(&state);
        ctrlc::set_handler(move || {
            handler.interrupted.store(true, Ordering::SeqCst);
            if let Some(flag) = handler.flag.lock().ok().and_then(|f| f.clone()) {
                flag.store(true, Ordering::SeqCst);
                return;
            }
            let id = handler.running.load(Ordering::SeqCst);
            let engine = handler.engine.lock().ok().and_then(|e| e.upgrade());
            match engine {
                Some(engine) if id != 0 => {
                    engine.cancel(id);
                }
                _ => {
                    eprintln!();
                    std::process::exit(130);
                }
            }
        })
        .context("installing the Ctrl-C handler")?;
        Ok(CtrlC(state))
    }

    /// Marks `id` as the reply that Ctrl-C should cancel.
    pub fn running(&self, id: RequestId) {
        self.0.interrupted.store(false, Ordering::SeqCst);
        self.0.running.store(id, Ordering::SeqCst);
    }

    /// Back at rest: Ctrl-C now exits.
    pub fn idle(&self) {
        self.0.running.store(0, Ordering::SeqCst);
        if let Ok(mut f) = self.0.flag.lock() {
            *f = None;
        }
    }

    /// While a multi-step job runs: Ctrl-C sets its cancel flag.
    pub fn cancels(&self, flag: &Arc<AtomicBool>) {
        self.0.interrupted.store(false, Ordering::SeqCst);
        if let Ok(mut f) = self.0.flag.lock() {
            *f = Some(Arc::clone(flag));
        }
    }

    /// Whether Ctrl-C was pressed since the last [`CtrlC::running`].
    pub fn interrupted(&self) -> bool {
        self.0.interrupted.load(Ordering::SeqCst)
    }
}
