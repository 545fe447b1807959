//! Ctrl-C: while a job runs it sets the job's cancel flag (the engine
//! stops at the next token, and what was written stays); otherwise it ends
//! the program with status 130.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

#[derive(Default)]
struct State {
    interrupted: AtomicBool,
    /// The running job's cancel flag; none at rest.
    flag: Mutex<Option<Arc<AtomicBool>>>,
}

/// The installed Ctrl-C handler's shared state.
#[derive(Clone)]
pub struct CtrlC(Arc<State>);

impl CtrlC {
    pub fn install() -> Result<CtrlC> {
        let state = Arc::new(State::default());
        let handler = Arc::clone(&state);
        ctrlc::set_handler(move || {
            handler.interrupted.store(true, Ordering::SeqCst);
            if let Some(flag) = handler.flag.lock().ok().and_then(|f| f.clone()) {
                flag.store(true, Ordering::SeqCst);
                return;
            }
            eprintln!();
            std::process::exit(130);
        })
        .context("installing the Ctrl-C handler")?;
        Ok(CtrlC(state))
    }

    /// Back at rest: Ctrl-C now exits.
    pub fn idle(&self) {
        if let Ok(mut f) = self.0.flag.lock() {
            *f = None;
        }
    }

    /// A new job's cancel flag, which Ctrl-C sets until [`CtrlC::idle`].
    pub fn job(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.cancels(&flag);
        flag
    }

    /// While a job runs: Ctrl-C sets its cancel flag.
    pub fn cancels(&self, flag: &Arc<AtomicBool>) {
        self.0.interrupted.store(false, Ordering::SeqCst);
        if let Ok(mut f) = self.0.flag.lock() {
            *f = Some(Arc::clone(flag));
        }
    }

    /// Whether Ctrl-C was pressed since the last [`CtrlC::cancels`].
    pub fn interrupted(&self) -> bool {
        self.0.interrupted.load(Ordering::SeqCst)
    }
}
