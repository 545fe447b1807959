//! The `deskpilot` binary end to end, with the real default model: streaming,
//! `--json`, Ctrl-C, one-line errors with status 2, `models`, `chat`.

mod analyze;
mod detect;
mod drafts;
mod model_process;
mod offline;
mod pull;
mod serve;
mod sessions;
mod summarize;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use deskpilot_core::config;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deskpilot"));
    // Tests choose models explicitly; the user's settings must not interfere.
    let data = tempfile::tempdir().unwrap().keep();
    c.env("DESKPILOT_DATA_DIR", &data)
        .env("DESKPILOT_MODELS_DIR", models_dir())
        .env_remove("DESKPILOT_MODEL")
        .env_remove("DESKPILOT_REMOTE_URL")
        .env_remove("DESKPILOT_REMOTE_MODEL")
        .env_remove("DESKPILOT_REMOTE_KEY")
        .env_remove("DESKPILOT_LOG");
    c
}

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("DESKPILOT_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| config::models_dir().unwrap());
    let default = dir.join(config::DEFAULT_MODEL_FILE);
    assert!(
        default.is_file(),
        "{} is missing: run `scripts/setup.sh --test`",
        default.display()
    );
    dir
}

fn gemma() -> PathBuf {
    let p = models_dir().join("gemma-3-270m-q4_k_m.gguf");
    assert!(
        p.is_file(),
        "{} is missing: run `scripts/setup.sh --test`",
        p.display()
    );
    p
}

/// The model process (`__model-process`) a `deskpilot` process started.
fn model_process_of(parent: u32) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // "pid (comm) state ppid ...": the command may hold spaces.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains("__model-process") {
            return Some(pid);
        }
    }
    None
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Runs with `input` on stdin.
fn run_with_input(args: &[&str], input: &str) -> Output {
    let mut cmd = bin();
    cmd.args(args);
    run_command_with_input(cmd, input)
}

/// Runs `cmd` with `input` on stdin.
fn run_command_with_input(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An error is one line on stderr, `deskpilot: <what failed>: <cause>`,
/// with status 2 and no panic text.
fn assert_one_line_error(out: &Output, needle: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "stderr: {err}");
    assert!(err.starts_with("deskpilot: "), "{err}");
    assert!(err.contains(needle), "{err} lacks {needle}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn ask_streams_the_reply_to_stdout() {
    let out = run(&[
        "ask",
        "--threads",
        "1",
        "--temperature",
        "0",
        "--max-tokens",
        "24",
        "What is the capital of France?",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Paris"), "{}", text(&out.stdout));
    // stderr holds the session note and nothing else (no llama.cpp log).
    assert_eq!(
        text(&out.stderr).trim_end(),
        "deskpilot: kept in session 1 (continue with --session 1)",
        "llama.cpp logs leaked"
    );
}

#[test]
fn verbose_shows_the_llama_cpp_log() {
    let out = run(&["-v", "ask", "--max-tokens", "2", "hi"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("llama_model_loader"), "{err}");
    assert!(err.contains("model loaded"), "{err}");
    assert!(!err.contains('\u{1b}'), "colour codes in a pipe");
}

#[test]
fn ask_json_prints_one_object_with_the_documented_fields() {
    let out = run(&[
        "ask",
        "--json",
        "--temperature",
        "0",
        "--max-tokens",
        "5",
        "Write a long story.",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "text",
        "model",
        "prompt_tokens",
        "generated_tokens",
        "prompt_ms",
        "generate_ms",
        "stop",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["stop"], "max_tokens");
    assert_eq!(v["generated_tokens"], 5);
    assert!(v["prompt_tokens"].as_u64().unwrap() > 5);
}

#[test]
fn ask_reads_the_prompt_from_stdin_with_a_dash() {
    let out = run_with_input(
        &[
            "ask",
            "--threads",
            "1",
            "--temperature",
            "0",
            "--max-tokens",
            "16",
            "-",
        ],
        "What is the capital of France?",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Paris"));
}

/// Blocks until the database at `db` holds a reply with some text.
fn wait_for_reply_text(db: &std::path::Path) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(100));
        if !db.exists() {
            continue;
        }
        let has_text = rt.block_on(async {
            let url = format!("sqlite://{}?mode=ro", db.display());
            let Ok(pool) = sqlx::SqlitePool::connect(&url).await else {
                return false;
            };
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM messages WHERE role = 'assistant' AND length(text) > 0 LIMIT 1",
            )
            .fetch_optional(&pool)
            .await
            .ok()
            .flatten();
            pool.close().await;
            row.is_some()
        });
        if has_text {
            return;
        }
    }
    panic!("no reply text reached {} in 120 s", db.display());
}

#[test]
fn ctrl_c_stops_generation_cleanly_and_keeps_what_was_written() {
    for json in [false, true] {
        let mut args = vec!["ask", "--max-tokens", "2000", "--seed", "1"];
        if json {
            args.push("--json");
        }
        // A request the default model answers at length (a story prompt
        // can end after one sentence): Ctrl-C must land mid-generation.
        args.push("Write a detailed essay of at least 1000 words about the history of bread.");
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite3");
        let mut child = bin()
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        if json {
            // Nothing streams with --json: wait until the stored reply has
            // text (it is flushed while generated), however slow the machine.
            wait_for_reply_text(&db);
        } else {
            let started = Instant::now();
            let mut buf = [0u8; 256];
            while seen.len() < 40 && started.elapsed() < Duration::from_secs(60) {
                let n = stdout.read(&mut buf).unwrap();
                assert!(n > 0, "stdout closed early");
                seen.extend_from_slice(&buf[..n]);
            }
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).unwrap();
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(status.code(), Some(130), "stderr: {err}");
        assert!(!err.contains("panicked"), "{err}");
        if json {
            let v: serde_json::Value = serde_json::from_slice(&rest).unwrap();
            assert_eq!(v["stop"], "cancelled");
            assert!(v["generated_tokens"].as_u64().unwrap() < 2000);
            assert!(!v["text"].as_str().unwrap().is_empty());
        } else {
            seen.extend_from_slice(&rest);
            assert!(seen.len() >= 40, "the streamed text was lost");
        }
    }
}

#[test]
fn a_missing_model_is_a_one_line_error_with_status_2() {
    let out = run(&["ask", "--model", "/nonexistent/model.gguf", "hi"]);
    assert_one_line_error(&out, "/nonexistent/model.gguf");
}

#[test]
fn a_truncated_model_is_a_one_line_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(models_dir().join(config::DEFAULT_MODEL_FILE)).unwrap();
    let cut = dir.path().join("cut.gguf");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let out = run(&["ask", "--model", cut.to_str().unwrap(), "hi"]);
    assert_one_line_error(&out, "truncated");
    let out = run(&["models", "info", cut.to_str().unwrap()]);
    assert_one_line_error(&out, "truncated");
}

#[test]
fn bad_sampling_flags_are_refused_with_the_reason() {
    let out = run(&["ask", "--top-p", "2", "hi"]);
    assert_one_line_error(&out, "top-p 2");
}

#[test]
fn models_info_reads_metadata_without_loading() {
    let out = run(&["models", "info", "--json", gemma().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["architecture"], "gemma3");
    assert_eq!(v["quantization"], "Q4_K_M");
    assert_eq!(v["context_length"], 32768);
    assert!(v["chat_template"].is_null());
    assert_eq!(v["builtin_template"], "gemma");
    let out = run(&[
        "models",
        "info",
        models_dir()
            .join(config::DEFAULT_MODEL_FILE)
            .to_str()
            .unwrap(),
    ]);
    let t = text(&out.stdout);
    assert!(
        t.contains("quantization:   Q4_1") && t.contains("135M"),
        "{t}"
    );
}

#[test]
fn models_list_marks_the_model_in_use() {
    let out = run(&["models", "list", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let selected: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["selected"] == true)
        .collect();
    assert_eq!(selected.len(), 1);
    assert!(selected[0]["path"]
        .as_str()
        .unwrap()
        .ends_with(config::DEFAULT_MODEL_FILE));
}

#[test]
fn chat_answers_several_turns_and_switches_model() {
    let script = format!(
        "What is the capital of France?\nAnd of Italy?\n/model {}\nHello\n/exit\n",
        gemma().display()
    );
    // One thread: greedy output then cannot vary with the machine's load.
    let out = run_with_input(
        &[
            "chat",
            "--threads",
            "1",
            "--temperature",
            "0",
            "--max-tokens",
            "24",
        ],
        &script,
    );
    let (so, se) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{se}");
    assert!(so.contains("Paris"), "{so}");
    assert!(so.contains("Rome"), "the second turn lost the first: {so}");
    assert!(se.contains("gemma3"), "no switch banner: {se}");
    assert!(se.matches("you> ").count() >= 5, "{se}");
}

#[test]
fn help_and_version_tell_the_truth() {
    let out = run(&["--help"]);
    let t = text(&out.stdout);
    assert!(out.status.success());
    for word in ["ask", "chat", "models", "Examples:", "DESKPILOT_MODEL"] {
        assert!(t.contains(word), "--help lacks {word}");
    }
    let v = text(&run(&["--version"]).stdout);
    assert!(
        v.starts_with(&format!("deskpilot {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    let out = run(&["ask", "--help"]);
    for flag in [
        "--system",
        "--model",
        "--max-tokens",
        "--temperature",
        "--seed",
        "--json",
    ] {
        assert!(text(&out.stdout).contains(flag), "ask --help lacks {flag}");
    }
}

use corpus_files::corpus;
use deskpilot_testkit::{corpus as corpus_files, detect_eval as detect_eval_file};

#[test]
fn extract_prints_text_markdown_and_json() {
    let file = corpus("docx/mammoth__tables.docx");
    let f = file.to_str().unwrap();
    let out = run(&["extract", f]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Above\n\nTop left | Top right\nBottom left | Bottom right\n\nBelow\n"
    );
    let md = text(&run(&["extract", "--format", "markdown", f]).stdout);
    assert!(
        md.contains("| Top left | Top right |\n| --- | --- |\n| Bottom left | Bottom right |"),
        "{md}"
    );
    let out = run(&["extract", "--format", "json", f]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "docx");
    assert_eq!(v["file"], f);
    assert!(v["warnings"].as_array().unwrap().is_empty());
    let blocks = v["blocks"].as_array().unwrap();
    assert_eq!(blocks[1]["kind"], "table");
    assert_eq!(blocks[1]["loc"], "¶2");
    assert_eq!(blocks[1]["rows"][1][0], "Bottom left");
}

#[test]
fn extract_failures_name_the_file_and_the_cause() {
    let file = corpus("xlsx/msoffcrypto__example_password.xlsx");
    let out = run(&["extract", file.to_str().unwrap()]);
    assert_one_line_error(&out, &format!("{}: password-protected", file.display()));
    let out = run(&["extract", "/nonexistent/report.docx"]);
    assert_one_line_error(&out, "/nonexistent/report.docx: No such file");
}

#[test]
fn document_limits_come_from_the_settings_file() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("settings.json"),
        r#"{"document_limits": {"max_file_bytes": 100}}"#,
    )
    .unwrap();
    let file = corpus("docx/mammoth__tables.docx");
    let out = bin()
        .env("DESKPILOT_DATA_DIR", data.path())
        .args(["extract", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_one_line_error(&out, "limit 'max_file_bytes' exceeded");
}

#[test]
fn with_no_models_the_cli_says_how_to_fetch_one_with_a_command_that_exists() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .env("DESKPILOT_MODELS_DIR", dir.path())
        .env_remove("DESKPILOT_MODEL")
        .args(["models", "list"])
        .output()
        .unwrap();
    let t = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(t.contains("scripts/setup.sh"), "{t}");
    assert!(!t.contains("make setup"), "{t}");
    let out = run(&["ask", "--model", "/nonexistent/model.gguf", "hi"]);
    let t = text(&out.stderr);
    assert!(
        t.contains("scripts/setup.sh") && !t.contains("make setup"),
        "{t}"
    );
}

#[test]
fn models_catalog_marks_what_fits_and_names_the_best_fit() {
    let out = run(&["models", "catalog", "--fits", "--ram", "8", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = v["models"].as_array().unwrap();
    assert!(models.len() >= 8);
    let best = v["best_fit"].as_str().expect("a best fit for 8 GiB");
    let entry = models.iter().find(|m| m["id"] == best).unwrap();
    assert_eq!(entry["fit"]["fit"], "fits");
    assert!(
        models.iter().any(|m| m["fit"]["fit"] == "too_large"),
        "a 14B Q4 does not fit 8 GiB"
    );
    let shown = text(&run(&["models", "catalog", "--fits", "--ram", "8"]).stdout);
    assert!(
        shown.contains(&format!("Best fit for this computer: {best}")),
        "{shown}"
    );
    assert!(
        shown.contains("too large") && shown.contains("fits"),
        "{shown}"
    );
    // Without --fits nothing is judged.
    let plain = text(&run(&["models", "catalog"]).stdout);
    assert!(!plain.contains("Best fit"), "{plain}");
}

#[test]
fn models_catalog_plans_for_a_gpu_with_vram() {
    let out = run(&[
        "models", "catalog", "--fits", "--ram", "4", "--vram", "24", "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["gpu"]["name"], "the given GPU");
    let models = v["models"].as_array().unwrap();
    assert!(models.iter().any(|m| m["fit"]["on_gpu"] == "the given GPU"));
    let shown = text(&run(&["models", "catalog", "--fits", "--ram", "4", "--vram", "24"]).stdout);
    assert!(
        shown.contains("GPU: the given GPU, 24.0 GiB free (as given)"),
        "{shown}"
    );
    assert!(shown.contains("fits (GPU)"), "{shown}");
}

#[test]
fn a_model_whose_gguf_name_is_a_training_tag_is_shown_by_its_file_name() {
    let default = models_dir().join(config::DEFAULT_MODEL_FILE);
    let out = run(&["models", "info", default.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("name:           SmolLM2 135M Instruct"),
        "{shown}"
    );
    assert!(
        shown.contains("general.name:   Smollm2 135M 8k Lc100K Mix1 Ep2"),
        "{shown}"
    );
}

#[test]
fn a_model_ollama_has_is_listed_with_its_name_and_used_in_place() {
    use std::os::unix::fs::symlink;
    let home = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let model = models_dir().join(config::DEFAULT_MODEL_FILE);
    let blobs = home.path().join(".ollama/models/blobs");
    std::fs::create_dir_all(&blobs).unwrap();
    symlink(&model, blobs.join("sha256-abcd")).unwrap();
    let manifest = home
        .path()
        .join(".ollama/models/manifests/registry.ollama.ai/library/smol-test");
    std::fs::create_dir_all(&manifest).unwrap();
    std::fs::write(
        manifest.join("latest"),
        r#"{"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:abcd"}]}"#,
    )
    .unwrap();
    let cmd = |args: &[&str]| {
        bin()
            .env("HOME", home.path())
            .env("DESKPILOT_DATA_DIR", data.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = cmd(&["models", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ollama = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "Ollama")
        .expect("Ollama's model is listed");
    assert_eq!(ollama["found_as"], "smol-test:latest");
    assert_eq!(ollama["selected"], false);
    let out = cmd(&["models", "use", "smol-test:latest"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&cmd(&["models", "list", "--json"]).stdout).unwrap();
    let chosen = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["selected"] == true)
        .unwrap();
    assert!(
        chosen["path"]
            .as_str()
            .unwrap()
            .ends_with("blobs/sha256-abcd"),
        "{chosen}"
    );
    // Used where it is: a reply comes from it.
    let out = cmd(&["ask", "--max-tokens", "4", "hi"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cmd(&["models", "use", "no-such-model"]);
    assert_one_line_error(&out, "no model called \"no-such-model\"");
}
