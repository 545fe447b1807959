//! The files the page may open: only those the user picked in a dialog,
//! dropped on the window or named on the command line. A path the page
//! makes up (or a document asks for) is refused.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::{CmdResult, CommandError};

#[derive(Default)]
pub struct Grants {
    paths: Mutex<HashSet<PathBuf>>,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Grants {
    pub fn grant(&self, paths: &[PathBuf]) {
        let mut set = self.paths.lock().unwrap_or_else(PoisonError::into_inner);
        for p in paths {
            set.insert(canonical(p));
        }
    }

    /// The path, if the user gave it to the app.
    pub fn check(&self, path: &Path) -> CmdResult<PathBuf> {
        let c = canonical(path);
        if self
            .paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&c)
        {
            Ok(c)
        } else {
            Err(CommandError::new(
                "not_granted",
                format!(
                    "{}: open files with Open (Ctrl+O) or by dropping them on the window",
                    path.display()
                ),
            ))
        }
    }
}
