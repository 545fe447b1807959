//! Running tasks by the id the page gave them, so that Stop (or Esc)
//! reaches the right one. Each task owns a cancel flag that the core's
//! sinks check at every step, including while a long prompt is decoded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Default)]
pub struct Tasks {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

/// A task's registration; dropping it forgets the task.
pub struct TaskGuard<'a> {
    tasks: &'a Tasks,
    id: String,
    pub cancel: Arc<AtomicBool>,
}

impl Tasks {
    pub fn start(&self, id: &str) -> TaskGuard<'_> {
        let cancel = Arc::new(AtomicBool::new(false));
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned(), Arc::clone(&cancel));
        TaskGuard {
            tasks: self,
            id: id.to_owned(),
            cancel,
        }
    }

    /// Asks the task to stop; false when no such task is running.
    pub fn cancel(&self, id: &str) -> bool {
        match self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            Some(flag) => {
                flag.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }
}

impl Drop for TaskGuard<'_> {
    fn drop(&mut self) {
        self.tasks
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}
