//! Every file of `../shared/corpus` (756 real files from other projects'
//! test suites, hostile ones included) through `deskpilot extract`, one
//! process per file under a memory cap and a time limit: each must give
//! its content or a one-line error naming the file, never a crash, a hang
//! or an abort; and per format at least as many files must open as
//! Python's mature readers managed (`BASELINE.tsv`).

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use corpus_files::corpus_dir as corpus;
use deskpilot_testkit::corpus as corpus_files;

fn tsv(path: PathBuf) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(k, v)| ((*k).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[derive(Default, Debug)]
struct Tally {
    ours: usize,
    baseline: usize,
    files: usize,
}

#[test]
fn every_corpus_file_gives_content_or_a_clear_error_and_beats_the_baseline() {
    let root = corpus();
    let manifest = tsv(root.join("MANIFEST.tsv"));
    let baseline: BTreeMap<String, bool> = tsv(root.join("BASELINE.tsv"))
        .into_iter()
        .map(|r| (r["path"].clone(), r["ok"] == "yes"))
        .collect();
    let paths: Vec<String> = manifest.iter().map(|r| r["path"].clone()).collect();
    assert!(
        paths.len() >= 700,
        "only {} files in the manifest",
        paths.len()
    );

    let tally: Mutex<BTreeMap<String, Tally>> = Mutex::default();
    let problems: Mutex<Vec<String>> = Mutex::default();
    let next = Mutex::new(paths.iter());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(rel) = next.lock().unwrap().next().cloned() else {
                    break;
                };
                let format = rel.split('/').next().unwrap().to_owned();
                let file = root.join(&rel);
                let started = Instant::now();
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_deskpilot"));
                cmd.args(["extract", "--format", "json"]).arg(&file);
                cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
                // 4 GiB of address space: a reader that tries to exhaust
                // memory fails here instead of taking the machine.
                unsafe {
                    cmd.pre_exec(|| {
                        let lim = libc::rlimit {
                            rlim_cur: 4 << 30,
                            rlim_max: 4 << 30,
                        };
                        libc::setrlimit(libc::RLIMIT_AS, &lim);
                        Ok(())
                    });
                }
                let out = cmd.output().unwrap();
                let took = started.elapsed();
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                let bad = |why: String| problems.lock().unwrap().push(format!("{rel}: {why}"));
                match out.status.code() {
                    Some(0) => match serde_json::from_slice::<serde_json::Value>(&out.stdout) {
                        Ok(v) => {
                            let blocks = v["blocks"].as_array().map_or(0, Vec::len);
                            let warnings = v["warnings"].as_array().map_or(0, Vec::len);
                            if blocks == 0 && warnings == 0 {
                                bad("opened with neither blocks nor a warning".into());
                            }
                        }
                        Err(e) => bad(format!("invalid JSON: {e}")),
                    },
                    Some(2) => {
                        let line = stderr.trim_end();
                        if line.lines().count() != 1
                            || !line.starts_with("deskpilot: ")
                            || !line.contains(&rel)
                        {
                            bad(format!("error is not one line naming the file: {line}"));
                        }
                    }
                    other => bad(format!(
                        "exit {other:?} (signal or crash): {}",
                        stderr.chars().take(300).collect::<String>()
                    )),
                }
                if took > Duration::from_secs(30) {
                    bad(format!("took {took:?}"));
                }
                let mut t = tally.lock().unwrap();
                let e = t.entry(format).or_default();
                e.files += 1;
                if out.status.code() == Some(0) {
                    e.ours += 1;
                }
                if baseline.get(&rel).copied().unwrap_or(false) {
                    e.baseline += 1;
                }
            });
        }
    });

    let tally = tally.into_inner().unwrap();
    eprintln!("format  files  opened  python baseline");
    for (f, t) in &tally {
        eprintln!("{f:<7} {:>5}  {:>6}  {:>8}", t.files, t.ours, t.baseline);
    }
    let problems = problems.into_inner().unwrap();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    for (f, t) in &tally {
        assert!(
            t.ours >= t.baseline,
            "{f}: opened {} files, Python's readers {}",
            t.ours,
            t.baseline
        );
    }
}
