//! The session database for a command: which file (`--db`, then
//! `$DESKPILOT_DB`, then the data folder), and a small Tokio runtime to
//! drive sqlx from this synchronous program.

use std::future::Future;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use deskpilot_core::config;
use deskpilot_core::store::Store;

pub struct Db {
    rt: tokio::runtime::Runtime,
    pub store: Store,
}

pub fn path(flag: Option<&Path>) -> Result<PathBuf> {
    match flag {
        Some(p) => Ok(p.to_path_buf()),
        None => config::default_db_path().context("finding the session database"),
    }
}

pub fn open(flag: Option<&Path>) -> Result<Db> {
    let path = path(flag)?;
    // One worker: it flushes streaming replies while the main thread waits
    // for the model.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("deskpilot-db")
        .enable_all()
        .build()
        .context("starting the database runtime")?;
    let store = rt
        .block_on(Store::open(&path))
        .context("opening the session database")?;
    Ok(Db { rt, store })
}

impl Db {
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // Close connections cleanly so the WAL is checkpointed.
        let store = self.store.clone();
        self.rt.block_on(async move { store.close().await });
    }
}
