//! Fetching a model file into the models folder the way a user can trust:
//! bytes go to `NAME.gguf.part` (never a half file named as a model),
//! an interrupted or paused download resumes with a Range request, also
//! after a restart; dropped connections are retried; the bytes are checked
//! against the sha256 the hub records before the file is moved into place.
//! Disk space is checked first, and every failure has its own message.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::hub::{self, HubFile, Remote};

/// Why a download did not finish; each says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("'{0}' is neither a catalog id (see `deskpilot models catalog`), a Hugging Face file address (https://huggingface.co/OWNER/REPO/resolve/main/FILE.gguf) nor OWNER/REPO/FILE.gguf")]
    UnknownSource(String),
    #[error("{url}: not found: {what}")]
    NotFound { url: String, what: String },
    #[error("{repo} is gated: accept its terms at {page} while signed in, then {}", gated_advice(*.had_token))]
    Gated {
        repo: String,
        page: String,
        had_token: bool,
    },
    #[error("{url}: {} (HTTP {status})", token_advice(*.had_token))]
    Unauthorized {
        url: String,
        status: u16,
        had_token: bool,
    },
    #[error("{url}: HTTP {status}: {detail}")]
    Http {
        url: String,
        status: u16,
        detail: String,
    },
    #[error("{url}: the connection failed: {cause}")]
    Network { url: String, cause: String },
    #[error("{file}: the connection kept dropping ({attempts} tries without progress; last: {cause}); {} of {} are kept, run the same command again to resume", human_bytes(*.done), maybe_bytes(*.total))]
    Dropped {
        file: String,
        attempts: u32,
        cause: String,
        done: u64,
        total: Option<u64>,
    },
    #[error("{file}: the downloaded bytes do not match the sha256 the hub gives ({expected}; got {got}); the partial file was removed, run the command again")]
    Checksum {
        file: String,
        expected: String,
        got: String,
    },
    #[error("{file}: the server sent {got} bytes where it announced {expected}; the partial file was removed")]
    Size {
        file: String,
        expected: u64,
        got: u64,
    },
    #[error("not enough disk space in {}: {} more needed, {} free{}", .dir.display(), human_bytes(*.needed), human_bytes(*.free), keeping(*.keep_free))]
    DiskFull {
        dir: PathBuf,
        needed: u64,
        free: u64,
        keep_free: u64,
    },
    #[error("{}: the disk is full; {} are kept, free some space and run the same command again to resume", .part.display(), human_bytes(*.done))]
    DiskFilled { part: PathBuf, done: u64 },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: another download of this file is running", .part.display())]
    Busy { part: PathBuf },
    #[error("{} is already in the models folder and is not {repo}'s {file} ({}, the hub's is {}); remove it first (`deskpilot models rm`)", .path.display(), human_bytes(*.have), human_bytes(*.theirs))]
    Exists {
        path: PathBuf,
        repo: String,
        file: String,
        have: u64,
        theirs: u64,
    },
    #[error("paused at {} of {}; run the same command again to resume", human_bytes(*.done), maybe_bytes(*.total))]
    Paused {
        part: PathBuf,
        done: u64,
        total: Option<u64>,
    },
}

impl DownloadError {
    /// A stable code for the window and `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            DownloadError::UnknownSource(_) => "unknown_source",
            DownloadError::NotFound { .. } => "not_found",
            DownloadError::Gated { .. } => "gated",
            DownloadError::Unauthorized { .. } => "unauthorized",
            DownloadError::Http { .. } => "http",
            DownloadError::Network { .. } | DownloadError::Dropped { .. } => "network",
            DownloadError::Checksum { .. } => "checksum",
            DownloadError::Size { .. } => "size",
            DownloadError::DiskFull { .. } | DownloadError::DiskFilled { .. } => "disk_full",
            DownloadError::Io { .. } => "io",
            DownloadError::Busy { .. } => "busy",
            DownloadError::Exists { .. } => "exists",
            DownloadError::Paused { .. } => "paused",
        }
    }

    /// Whether trying again may help (a dropped connection, the hub's own
    /// trouble), as opposed to an answer that will not change.
    fn transient(&self) -> bool {
        match self {
            DownloadError::Network { .. } => true,
            DownloadError::Http { status, .. } => {
                *status == 408 || *status == 429 || *status >= 500
            }
            _ => false,
        }
    }
}

fn gated_advice(had_token: bool) -> &'static str {
    if had_token {
        "check that HF_TOKEN is a token of that account (this one was refused)"
    } else {
        "set HF_TOKEN to an access token of that account"
    }
}

fn token_advice(had_token: bool) -> &'static str {
    if had_token {
        "the hub refused the access token in HF_TOKEN"
    } else {
        "the hub wants signing in: set HF_TOKEN to an access token"
    }
}

fn maybe_bytes(n: Option<u64>) -> String {
    n.map_or("?".to_owned(), human_bytes)
}

fn keeping(keep_free: u64) -> String {
    if keep_free > 0 {
        format!(" (keeping {} free)", human_bytes(keep_free))
    } else {
        String::new()
    }
}

/// `1.2 GiB`, `340.5 MiB`, `12 KiB`.
pub fn human_bytes(n: u64) -> String {
    const K: f64 = 1024.0;
    let n = n as f64;
    if n >= K * K * K {
        format!("{:.2} GiB", n / (K * K * K))
    } else if n >= K * K {
        format!("{:.1} MiB", n / (K * K))
    } else if n >= K {
        format!("{:.0} KiB", n / K)
    } else {
        format!("{n} bytes")
    }
}

/// What a download is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading back the part fetched before, to resume its checksum.
    Resuming,
    Downloading,
    /// Waiting before another try after the connection dropped.
    Retrying,
    /// Checking the whole file's sha256.
    Verifying,
}

/// A progress report; the callback that receives it returns whether to
/// keep going (false pauses: the part is kept for a later resume).
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub file: String,
    pub stage: Stage,
    pub done: u64,
    pub total: Option<u64>,
    /// Bytes that were already here when this run started.
    pub resumed_from: u64,
    /// Over the last few seconds.
    pub bytes_per_sec: f64,
    pub seconds_left: Option<f64>,
    /// Tries since the last byte arrived (Retrying).
    pub attempt: u32,
}

/// How a download behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// For gated and private repositories (`HF_TOKEN`).
    pub token: Option<String>,
    /// Tries in a row without a byte arriving before giving up.
    pub attempts: u32,
    /// The first wait after a dropped connection; doubles up to 30 s.
    pub retry_wait: Duration,
    /// A connection silent this long counts as dropped.
    pub stall: Duration,
    /// Disk space to leave free after the download.
    pub keep_free: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: hub::token_from_env(),
            attempts: 6,
            retry_wait: Duration::from_secs(1),
            stall: Duration::from_secs(60),
            keep_free: 512 * 1024 * 1024,
        }
    }
}

/// A finished download.
#[derive(Debug, Clone, Serialize)]
pub struct Pulled {
    pub path: PathBuf,
    pub size: u64,
    /// The file's sha256 (computed here).
    pub sha256: String,
    /// Whether the hub gave a sha256 that the bytes were checked against.
    pub verified: bool,
    /// The file was in the models folder already; nothing was fetched.
    pub already_here: bool,
    /// Bytes fetched by an earlier, interrupted run and kept.
    pub resumed_from: u64,
}

/// What the models folder knows about a file it downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub repo: String,
    pub revision: String,
    pub file: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// The record kept beside a `.part` file, so a resume after the hub's
/// file changed starts over instead of splicing two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PartRecord {
    url: String,
    size: Option<u64>,
    sha256: Option<String>,
}

/// Where the folder's provenance records are kept.
pub const SOURCES_FILE: &str = "sources.json";

/// The `.part` file a download of `name` writes to.
pub fn part_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.part"))
}

fn record_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.part.json"))
}

/// Removes what a paused or failed download of `name` left (cancel).
pub fn discard_partial(dir: &Path, name: &str) -> Result<bool, DownloadError> {
    let mut removed = false;
    for p in [part_path(dir, name), record_path(dir, name)] {
        match std::fs::remove_file(&p) {
            Ok(()) => removed = true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(DownloadError::Io { path: p, source }),
        }
    }
    Ok(removed)
}

/// What [`remove`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The model file itself.
    pub file: bool,
    /// What a paused download of it left.
    pub partial: bool,
}

/// Removes the model `name` from the models folder `dir`: the file, what a
/// paused download of it left, and the record of where it came from.
pub fn remove(dir: &Path, name: &str) -> Result<Removed, DownloadError> {
    let path = dir.join(name);
    let file = match std::fs::remove_file(&path) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(source) => return Err(DownloadError::Io { path, source }),
    };
    let partial = discard_partial(dir, name)?;
    set_source(dir, name, None)?;
    Ok(Removed { file, partial })
}

/// The provenance of every downloaded file in `dir`, by file name.
pub fn sources(dir: &Path) -> std::collections::BTreeMap<String, Provenance> {
    std::fs::read(dir.join(SOURCES_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Records (or with `None` forgets) where `name` came from.
pub fn set_source(dir: &Path, name: &str, source: Option<Provenance>) -> Result<(), DownloadError> {
    let mut all = sources(dir);
    match source {
        Some(s) => {
            all.insert(name.to_owned(), s);
        }
        None => {
            if all.remove(name).is_none() {
                return Ok(());
            }
        }
    }
    let path = dir.join(SOURCES_FILE);
    let tmp = dir.join(format!("{SOURCES_FILE}.tmp"));
    let io = |source| DownloadError::Io {
        path: path.clone(),
        source,
    };
    let text = serde_json::to_vec_pretty(&all).map_err(|e| io(std::io::Error::other(e)))?;
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}

/// Free space for an unprivileged user on the file system holding `dir`.
pub fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `s` a writable statvfs.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return None;
    }
    Some(s.f_bavail as u64 * s.f_frsize as u64)
}

/// Speed over a sliding window of the last few seconds.
struct Speed {
    samples: std::collections::VecDeque<(Instant, u64)>,
}

impl Speed {
    const WINDOW: Duration = Duration::from_secs(5);

    fn new(done: u64) -> Self {
        Speed {
            samples: [(Instant::now(), done)].into(),
        }
    }

    fn add(&mut self, done: u64) -> f64 {
        let now = Instant::now();
        self.samples.push_back((now, done));
        while self.samples.len() > 2 && now - self.samples[0].0 > Self::WINDOW {
            self.samples.pop_front();
        }
        let (t0, d0) = self.samples[0];
        let secs = (now - t0).as_secs_f64();
        if secs > 0.0 {
            done.saturating_sub(d0) as f64 / secs
        } else {
            0.0
        }
    }
}

/// One download in flight: the part file, its hash so far, and reporting.
struct Transfer<'a> {
    hub: &'a HubFile,
    remote: Remote,
    part_path: PathBuf,
    part: File,
    hasher: Sha256,
    done: u64,
    resumed_from: u64,
    speed: Speed,
    last_report: Instant,
    report: &'a mut dyn FnMut(&Progress) -> bool,
}

impl Transfer<'_> {
    fn progress(&mut self, stage: Stage, attempt: u32, force: bool) -> bool {
        if !force && self.last_report.elapsed() < Duration::from_millis(200) {
            return true;
        }
        self.last_report = Instant::now();
        let bytes_per_sec = self.speed.add(self.done);
        let seconds_left = match (self.remote.size, bytes_per_sec > 0.0) {
            (Some(t), true) => Some(t.saturating_sub(self.done) as f64 / bytes_per_sec),
            _ => None,
        };
        (self.report)(&Progress {
            file: self.hub.file_name().to_owned(),
            stage,
            done: self.done,
            total: self.remote.size,
            resumed_from: self.resumed_from,
            bytes_per_sec,
            seconds_left,
            attempt,
        })
    }

    fn io(&self, source: std::io::Error) -> DownloadError {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            DownloadError::DiskFilled {
                part: self.part_path.clone(),
                done: self.done,
            }
        } else {
            DownloadError::Io {
                path: self.part_path.clone(),
                source,
            }
        }
    }

    fn paused(&mut self) -> DownloadError {
        let _ = self.part.sync_data();
        DownloadError::Paused {
            part: self.part_path.clone(),
            done: self.done,
            total: self.remote.size,
        }
    }

    /// Starts the part over (the server ignored the Range, or the file
    /// changed).
    fn restart(&mut self) -> Result<(), DownloadError> {
        self.part.set_len(0).map_err(|e| self.io(e))?;
        self.part.seek(SeekFrom::Start(0)).map_err(|e| self.io(e))?;
        self.hasher = Sha256::new();
        self.done = 0;
        self.resumed_from = 0;
        Ok(())
    }

    /// Hashes the bytes an earlier run left, so the checksum covers them.
    fn rehash_part(&mut self) -> Result<(), DownloadError> {
        self.part.seek(SeekFrom::Start(0)).map_err(|e| self.io(e))?;
        let mut buf = vec![0u8; 1 << 20];
        let mut left = self.done;
        let mut read = 0u64;
        while left > 0 {
            let want = buf.len().min(left as usize);
            let n = self.part.read(&mut buf[..want]).map_err(|e| self.io(e))?;
            if n == 0 {
                break;
            }
            self.hasher.update(&buf[..n]);
            left -= n as u64;
            read += n as u64;
        }
        // A part shorter than its length said (a crash mid-write): keep
        // what was read.
        self.done = read;
        self.part.set_len(read).map_err(|e| self.io(e))?;
        self.part
            .seek(SeekFrom::Start(read))
            .map_err(|e| self.io(e))?;
        Ok(())
    }

    /// One request from `done` to the end. Ok(true): the body ended
    /// cleanly; Ok(false): it ended early or the request failed in a way a
    /// retry may mend (the error is kept for the message).
    fn fetch_once(
        &mut self,
        agent: &ureq::Agent,
        token: Option<&str>,
        last: &mut String,
    ) -> Result<bool, DownloadError> {
        let url = self.hub.url();
        let response = match hub::send(agent, "GET", &url, self.hub, token, Some(self.done), |_| {})
        {
            Ok((_, r)) => r,
            Err(DownloadError::Http { status: 416, .. }) => {
                // Nothing past what we have: complete if the size agrees,
                // else the part is wrong and starts over.
                if self.remote.size == Some(self.done) {
                    return Ok(true);
                }
                self.restart()?;
                *last = "the server refused the resume point".into();
                return Ok(false);
            }
            Err(e) if e.transient() => {
                *last = e.to_string();
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        if self.done > 0 {
            let start = (response.status() == 206)
                .then(|| response.header("content-range"))
                .flatten()
                .and_then(|r| r.trim().strip_prefix("bytes "))
                .and_then(|r| r.split('-').next())
                .and_then(|s| s.trim().parse::<u64>().ok());
            if start != Some(self.done) {
                // The server sent the whole file (or another range): start over.
                self.restart()?;
                if response.status() != 200 {
                    *last = "the server answered another range than asked".into();
                    return Ok(false);
                }
            }
        }
        let mut body = response.into_reader();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => {
                    // The bar reaches the end of what came.
                    self.progress(Stage::Downloading, 0, true);
                    return Ok(true);
                }
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    *last = e.to_string();
                    return Ok(false);
                }
            };
            if let Some(total) = self.remote.size {
                if self.done + n as u64 > total {
                    return Err(self.too_long(total, self.done + n as u64));
                }
            }
            self.part.write_all(&buf[..n]).map_err(|e| self.io(e))?;
            self.hasher.update(&buf[..n]);
            self.done += n as u64;
            if !self.progress(Stage::Downloading, 0, false) {
                return Err(self.paused());
            }
        }
    }

    fn too_long(&self, expected: u64, got: u64) -> DownloadError {
        let _ = discard_partial(
            self.part_path.parent().unwrap_or(Path::new(".")),
            self.hub.file_name(),
        );
        DownloadError::Size {
            file: self.hub.file_name().to_owned(),
            expected,
            got,
        }
    }
}

/// Downloads `hub` into `dir`, resuming a part an earlier run left.
/// `report` gets progress about five times a second and returns whether to
/// keep going; returning false pauses (`DownloadError::Paused`, the part
/// kept).
pub fn pull(
    hub: &HubFile,
    dir: &Path,
    options: &Options,
    report: &mut dyn FnMut(&Progress) -> bool,
) -> Result<Pulled, DownloadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DownloadError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let agent = hub::agent(options.stall);
    let token = options.token.as_deref();
    let remote = hub::describe(&agent, hub, token)?;
    let name = hub.file_name().to_owned();
    let target = dir.join(&name);
    if let Ok(meta) = std::fs::metadata(&target) {
        return match remote.size {
            Some(theirs) if theirs != meta.len() => Err(DownloadError::Exists {
                path: target,
                repo: hub.repo.clone(),
                file: hub.file.clone(),
                have: meta.len(),
                theirs,
            }),
            _ => Ok(Pulled {
                sha256: sources(dir)
                    .get(&name)
                    .and_then(|p| p.sha256.clone())
                    .unwrap_or_default(),
                path: target,
                size: meta.len(),
                verified: false,
                already_here: true,
                resumed_from: 0,
            }),
        };
    }
    let part_path = part_path(dir, &name);
    let record = PartRecord {
        url: hub.url(),
        size: remote.size,
        sha256: remote.sha256.clone(),
    };
    let record_file = record_path(dir, &name);
    let earlier: Option<PartRecord> = std::fs::read(&record_file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    // What an earlier run left counts only if it was of this very file.
    let mut have = std::fs::metadata(&part_path).map_or(0, |m| m.len());
    let stale =
        have > 0 && (earlier.as_ref() != Some(&record) || remote.size.is_some_and(|s| have > s));
    if stale {
        have = 0;
    }
    // Disk space first, before a byte is fetched.
    if let (Some(total), Some(free)) = (remote.size, free_space(dir)) {
        let needed = total.saturating_sub(have);
        if free < needed.saturating_add(options.keep_free) {
            return Err(DownloadError::DiskFull {
                dir: dir.to_path_buf(),
                needed,
                free,
                keep_free: options.keep_free,
            });
        }
    }
    let part = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&part_path)
        .map_err(io(&part_path))?;
    // SAFETY: flock on a descriptor this function owns.
    if unsafe { libc::flock(part.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return Err(DownloadError::Busy { part: part_path });
    }
    if stale {
        // Another version of the file (or no record of which): start over.
        part.set_len(0).map_err(io(&part_path))?;
    }
    let text = serde_json::to_vec(&record).map_err(|e| DownloadError::Io {
        path: record_file.clone(),
        source: std::io::Error::other(e),
    })?;
    std::fs::write(&record_file, text).map_err(io(&record_file))?;
    let mut t = Transfer {
        hub,
        remote,
        part_path: part_path.clone(),
        part,
        hasher: Sha256::new(),
        done: have,
        resumed_from: have,
        speed: Speed::new(have),
        last_report: Instant::now() - Duration::from_secs(1),
        report,
    };
    if have > 0 {
        if !t.progress(Stage::Resuming, 0, true) {
            return Err(t.paused());
        }
        t.rehash_part()?;
        t.resumed_from = t.done;
        t.speed = Speed::new(t.done);
    }
    // Tries in a row without a byte arriving.
    let mut failures = 0u32;
    let mut last = String::new();
    loop {
        if t.remote.size.is_some_and(|s| t.done >= s) {
            break;
        }
        let before = t.done;
        let clean_end = t.fetch_once(&agent, token, &mut last)?;
        if clean_end && (t.remote.size.is_none() || t.remote.size == Some(t.done)) {
            break;
        }
        if clean_end {
            last = format!(
                "the connection closed at {} of {}",
                t.done,
                t.remote.size.unwrap_or(0)
            );
        }
        if t.done > before {
            failures = 0;
        }
        failures += 1;
        if failures >= options.attempts {
            let _ = t.part.sync_data();
            return Err(DownloadError::Dropped {
                file: name,
                attempts: failures,
                cause: last,
                done: t.done,
                total: t.remote.size,
            });
        }
        // Wait (doubling, at most 30 s), still answering pause.
        let wait = options
            .retry_wait
            .saturating_mul(1 << (failures - 1).min(5))
            .min(Duration::from_secs(30));
        let until = Instant::now() + wait;
        while Instant::now() < until {
            if !t.progress(Stage::Retrying, failures, true) {
                return Err(t.paused());
            }
            std::thread::sleep(Duration::from_millis(50).min(until - Instant::now()));
        }
    }
    t.progress(Stage::Verifying, 0, true);
    t.part.sync_all().map_err(|e| t.io(e))?;
    let got = hex(&t.hasher.clone().finalize());
    if let Some(expected) = t.remote.sha256.clone() {
        if expected != got {
            drop(t.part);
            discard_partial(dir, &name)?;
            return Err(DownloadError::Checksum {
                file: name,
                expected,
                got,
            });
        }
    }
    std::fs::rename(&part_path, &target).map_err(io(&target))?;
    let _ = std::fs::remove_file(&record_file);
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    set_source(
        dir,
        &name,
        Some(Provenance {
            repo: hub.repo.clone(),
            revision: hub.revision.clone(),
            file: hub.file.clone(),
            url: hub.url(),
            commit: t.remote.commit.clone(),
            sha256: Some(got.clone()),
            size: Some(t.done),
        }),
    )?;
    Ok(Pulled {
        path: target,
        size: t.done,
        verified: t.remote.sha256.is_some(),
        sha256: got,
        already_here: false,
        resumed_from: t.resumed_from,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
