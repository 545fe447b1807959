//! Model downloads against a local server that behaves like Hugging Face
//! (deskpilot-testkit's fake_hub), serving the two real test models: redirects,
//! checksums, Range resumes after drops and pauses, gated and missing
//! repositories, a full disk, a second download of the same file.

use deskpilot_testkit::fake_hub;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use deskpilot_core::models::download::{self, DownloadError, Options, Progress, Stage};
use deskpilot_core::models::hub::HubFile;
use fake_hub::{FakeHub, Faults};

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("DESKPILOT_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| deskpilot_core::config::models_dir().unwrap());
    assert!(
        dir.join(deskpilot_core::config::DEFAULT_MODEL_FILE)
            .is_file(),
        "{} has no default model: run scripts/setup.sh --test",
        dir.display()
    );
    dir
}

fn test_model(name: &str) -> Arc<Vec<u8>> {
    let path = models_dir().join(name);
    Arc::new(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn smol() -> Arc<Vec<u8>> {
    test_model(deskpilot_core::config::DEFAULT_MODEL_FILE)
}

const SMOL_REPO: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
const SMOL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

fn options() -> Options {
    Options {
        token: None,
        attempts: 4,
        retry_wait: Duration::from_millis(10),
        stall: Duration::from_secs(10),
        keep_free: 0,
    }
}

fn file(hub: &FakeHub, repo: &str, name: &str) -> HubFile {
    HubFile::parse(&format!("{repo}/{name}"), &[], &hub.endpoint()).unwrap()
}

fn pull(
    f: &HubFile,
    dir: &Path,
    options: &Options,
) -> (Result<download::Pulled, DownloadError>, Vec<Progress>) {
    let mut seen = Vec::new();
    let r = download::pull(f, dir, options, &mut |p| {
        seen.push(p.clone());
        true
    });
    (r, seen)
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect()
}

#[test]
fn both_test_models_come_through_the_hubs_redirect_verified_and_named_as_on_the_hub() {
    let hub = FakeHub::start();
    let smol = smol();
    let gemma = test_model("gemma-3-270m-q4_k_m.gguf");
    hub.add(SMOL_REPO, SMOL_FILE, Arc::clone(&smol));
    let gemma_sha = hub.add(
        "unsloth/gemma-3-270m-it-GGUF",
        "sub/gemma-3-270m-it-Q4_K_M.gguf",
        Arc::clone(&gemma),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options();
    // A token goes to the hub, never to the CDN it redirects to.
    opts.token = Some("hf_secret".into());
    for (repo, name, bytes) in [
        (SMOL_REPO, SMOL_FILE, &smol),
        (
            "unsloth/gemma-3-270m-it-GGUF",
            "sub/gemma-3-270m-it-Q4_K_M.gguf",
            &gemma,
        ),
    ] {
        let f = file(&hub, repo, name);
        let (r, progress) = pull(&f, dir.path(), &opts);
        let pulled = r.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(pulled.verified && !pulled.already_here);
        assert_eq!(pulled.path, dir.path().join(f.file_name()));
        assert_eq!(std::fs::read(&pulled.path).unwrap(), **bytes, "{name}");
        let last = progress
            .iter()
            .rfind(|p| p.stage == Stage::Downloading)
            .unwrap();
        assert_eq!(
            (last.done, last.total),
            (bytes.len() as u64, Some(bytes.len() as u64))
        );
        assert!(progress.iter().any(|p| p.stage == Stage::Verifying));
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    // Where each came from is recorded for `models list`.
    let sources = download::sources(dir.path());
    let g = &sources["gemma-3-270m-it-Q4_K_M.gguf"];
    assert_eq!(g.repo, "unsloth/gemma-3-270m-it-GGUF");
    assert_eq!(g.sha256.as_deref(), Some(gemma_sha.as_str()));
    assert_eq!(
        g.commit.as_deref(),
        Some("0123456789abcdef0123456789abcdef01234567")
    );
    let seen = hub.seen();
    assert!(seen.iter().any(|s| s.path.starts_with("/cdn/")));
    for s in &seen {
        if s.path.starts_with("/cdn/") {
            assert!(s.host.starts_with("localhost:"), "{s:?}");
            assert_eq!(s.authorization, None, "the token leaked to the CDN: {s:?}");
        } else {
            assert_eq!(
                s.authorization.as_deref(),
                Some("Bearer hf_secret"),
                "{s:?}"
            );
        }
    }
    // Asked again: already here, nothing fetched.
    let before = hub.seen().iter().filter(|s| s.method == "GET").count();
    let (again, _) = pull(&file(&hub, SMOL_REPO, SMOL_FILE), dir.path(), &opts);
    assert!(again.unwrap().already_here);
    assert_eq!(
        hub.seen().iter().filter(|s| s.method == "GET").count(),
        before
    );
}

#[test]
fn a_download_interrupted_three_times_resumes_with_range_each_time_and_verifies() {
    let hub = FakeHub::start();
    let smol = smol();
    hub.add(SMOL_REPO, SMOL_FILE, Arc::clone(&smol));
    hub.faults(Faults {
        drops_left: 3,
        drop_after: 7 * 1024 * 1024,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (r, progress) = pull(&file(&hub, SMOL_REPO, SMOL_FILE), dir.path(), &options());
    let pulled = r.expect("finishes after three drops");
    assert!(pulled.verified);
    assert_eq!(std::fs::read(&pulled.path).unwrap(), *smol);
    let ranges: Vec<String> = hub
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/cdn/") && s.method == "GET")
        .filter_map(|s| s.range.clone())
        .collect();
    assert_eq!(
        ranges,
        vec![
            "bytes=7340032-".to_owned(),
            "bytes=14680064-".to_owned(),
            "bytes=22020096-".to_owned()
        ],
        "each resume asks for the rest from where the last one was cut"
    );
    assert_eq!(
        progress
            .iter()
            .filter(|p| p.stage == Stage::Retrying)
            .map(|p| p.attempt)
            .max(),
        Some(1),
        "a drop after progress is the first try again, not a count toward giving up"
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_paused_download_keeps_its_part_and_a_later_run_resumes_it_even_if_the_server_ignores_range() {
    let hub = FakeHub::start();
    let smol = smol();
    hub.add(SMOL_REPO, SMOL_FILE, Arc::clone(&smol));
    // Slow enough (about 10 MiB/s) that progress, and so a pause, comes
    // mid-way: it is reported five times a second.
    hub.faults(Faults {
        slow: true,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let f = file(&hub, SMOL_REPO, SMOL_FILE);
    let r = download::pull(&f, dir.path(), &options(), &mut |p| {
        p.done < 3 * 1024 * 1024
    });
    let Err(DownloadError::Paused { part, done, total }) = r else {
        panic!("not paused: {r:?}");
    };
    assert!(done >= 3 * 1024 * 1024 && total == Some(smol.len() as u64));
    assert_eq!(
        std::fs::metadata(&part).unwrap().len(),
        done,
        "every byte counted is on disk"
    );
    assert!(
        !dir.path().join(SMOL_FILE).exists(),
        "no half file under the model's name"
    );
    // A later run (after a restart: nothing in memory) resumes.
    hub.faults(Faults::default());
    let (r, progress) = pull(&f, dir.path(), &options());
    let pulled = r.unwrap();
    assert_eq!(pulled.resumed_from, done);
    assert!(progress.iter().any(|p| p.stage == Stage::Resuming));
    assert_eq!(std::fs::read(&pulled.path).unwrap(), *smol);
    // Paused again, then resumed from a server that ignores Range: it
    // starts over rather than splicing.
    let dir2 = tempfile::tempdir().unwrap();
    hub.faults(Faults {
        slow: true,
        ..Faults::default()
    });
    let r = download::pull(&f, dir2.path(), &options(), &mut |p| {
        p.done < 2 * 1024 * 1024
    });
    assert_eq!(r.unwrap_err().code(), "paused");
    hub.faults(Faults {
        ignore_range: true,
        ..Faults::default()
    });
    let (r, _) = pull(&f, dir2.path(), &options());
    let pulled = r.unwrap();
    assert_eq!(pulled.resumed_from, 0);
    assert_eq!(std::fs::read(&pulled.path).unwrap(), *smol);
    // Cancel: what a pause left is removed.
    let dir3 = tempfile::tempdir().unwrap();
    hub.faults(Faults {
        slow: true,
        ..Faults::default()
    });
    let r = download::pull(&f, dir3.path(), &options(), &mut |p| p.done < 1024 * 1024);
    assert_eq!(r.unwrap_err().code(), "paused");
    assert!(!leftovers(dir3.path()).is_empty());
    assert!(download::discard_partial(dir3.path(), SMOL_FILE).unwrap());
    assert!(leftovers(dir3.path()).is_empty());
}

#[test]
fn wrong_bytes_fail_the_checksum_and_leave_no_file_behind() {
    let hub = FakeHub::start();
    hub.add(SMOL_REPO, SMOL_FILE, smol());
    hub.faults(Faults {
        corrupt: true,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = pull(&file(&hub, SMOL_REPO, SMOL_FILE), dir.path(), &options());
    let e = r.unwrap_err();
    assert_eq!(e.code(), "checksum", "{e}");
    assert!(e.to_string().contains("do not match the sha256"), "{e}");
    assert!(!dir.path().join(SMOL_FILE).exists());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_missing_file_a_missing_repository_and_a_gated_one_each_say_what_to_do() {
    let hub = FakeHub::start();
    let smol = smol();
    hub.add(SMOL_REPO, SMOL_FILE, Arc::clone(&smol));
    hub.add("google/gated-GGUF", "m.gguf", Arc::clone(&smol));
    hub.gate("google/gated-GGUF", "hf_good");
    let dir = tempfile::tempdir().unwrap();
    let err = |repo: &str, name: &str, token: Option<&str>| {
        let mut o = options();
        o.token = token.map(str::to_owned);
        pull(&file(&hub, repo, name), dir.path(), &o).0.unwrap_err()
    };
    let e = err(SMOL_REPO, "nope.gguf", None);
    assert_eq!(e.code(), "not_found");
    assert!(
        e.to_string().contains("has no file nope.gguf at main"),
        "{e}"
    );
    let e = err("nobody/none-GGUF", "m.gguf", None);
    assert_eq!(e.code(), "not_found");
    assert!(
        e.to_string()
            .contains("no public repository nobody/none-GGUF (a private one needs HF_TOKEN)"),
        "{e}"
    );
    let e = err("google/gated-GGUF", "m.gguf", None);
    assert_eq!(e.code(), "gated");
    assert!(
        e.to_string().contains("accept its terms at") && e.to_string().contains("set HF_TOKEN"),
        "{e}"
    );
    let e = err("google/gated-GGUF", "m.gguf", Some("hf_bad"));
    assert!(e.to_string().contains("was refused"), "{e}");
    // With the right token it downloads.
    let mut o = options();
    o.token = Some("hf_good".into());
    let (r, _) = pull(&file(&hub, "google/gated-GGUF", "m.gguf"), dir.path(), &o);
    assert!(r.unwrap().verified);
    // Nothing listens: a connection error, not a hang.
    let gone = HubFile::parse("a/b/c.gguf", &[], "http://127.0.0.1:9").unwrap();
    let e = pull(&gone, dir.path(), &options()).0.unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
}

#[test]
fn a_disk_too_small_is_refused_first_and_one_that_fills_keeps_the_part() {
    let hub = FakeHub::start();
    hub.add(SMOL_REPO, SMOL_FILE, smol());
    let dir = tempfile::tempdir().unwrap();
    let f = file(&hub, SMOL_REPO, SMOL_FILE);
    let mut o = options();
    o.keep_free = u64::MAX / 4;
    let e = pull(&f, dir.path(), &o).0.unwrap_err();
    assert_eq!(e.code(), "disk_full");
    assert!(e.to_string().starts_with("not enough disk space in"), "{e}");
    assert!(leftovers(dir.path()).is_empty(), "refused before a byte");
    assert!(!hub.seen().iter().any(|s| s.method == "GET"));
    // A disk that fills while writing: the part file is /dev/full.
    std::os::unix::fs::symlink("/dev/full", download::part_path(dir.path(), SMOL_FILE)).unwrap();
    let e = pull(&f, dir.path(), &options()).0.unwrap_err();
    assert_eq!(e.code(), "disk_full", "{e}");
    assert!(e.to_string().contains("the disk is full"), "{e}");
}

#[test]
fn a_second_download_of_the_same_file_waits_its_turn_and_a_dead_connection_gives_up_keeping_the_part(
) {
    let hub = FakeHub::start();
    hub.add(SMOL_REPO, SMOL_FILE, smol());
    let dir = tempfile::tempdir().unwrap();
    let f = file(&hub, SMOL_REPO, SMOL_FILE);
    // Another process holds the part.
    let part = download::part_path(dir.path(), SMOL_FILE);
    let held = std::fs::File::create(&part).unwrap();
    use std::os::unix::io::AsRawFd;
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
    let e = pull(&f, dir.path(), &options()).0.unwrap_err();
    assert_eq!(e.code(), "busy", "{e}");
    drop(held);
    // Every connection drops after a little: after the allowed tries in a
    // row without progress it stops, keeping what it has.
    hub.faults(Faults {
        drops_left: 1000,
        drop_after: 0,
        ..Faults::default()
    });
    let e = pull(&f, dir.path(), &options()).0.unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
    assert!(
        e.to_string()
            .contains("run the same command again to resume"),
        "{e}"
    );
}
