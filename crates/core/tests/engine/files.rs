//! Model files: bad ones are named with their fault and never abort the
//! process; switching model at run time keeps the engine usable.

use std::path::Path;

use deskpilot_core::llm::{inspect, Engine, EngineConfig, LlmError, NullSink};

use crate::support::{ask, engine, gemma, smollm2};

fn start(path: &Path) -> LlmError {
    match Engine::start(EngineConfig::new(path)) {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e,
    }
}

fn assert_names_file(err: &LlmError, path: &Path) {
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "error does not name the file: {err}"
    );
}

#[test]
fn a_truncated_gguf_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(smollm2()).unwrap();
    let cut = dir.path().join("cut.gguf");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = start(&cut);
    assert!(matches!(err, LlmError::Truncated { .. }), "{err}");
    assert_names_file(&err, &cut);
    // Cut inside the header too.
    std::fs::write(&cut, &bytes[..1000]).unwrap();
    let err = start(&cut);
    assert!(matches!(err, LlmError::Truncated { .. }), "{err}");
}

#[test]
fn a_corrupt_header_or_a_non_gguf_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(smollm2()).unwrap();
    bytes[24..40].fill(0xff);
    let bad = dir.path().join("corrupt.gguf");
    std::fs::write(&bad, &bytes).unwrap();
    let err = start(&bad);
    assert!(
        matches!(err, LlmError::Malformed { .. } | LlmError::Truncated { .. }),
        "{err}"
    );
    assert_names_file(&err, &bad);

    let text = dir.path().join("notes.gguf");
    std::fs::write(&text, "meeting notes, not a model").unwrap();
    let err = start(&text);
    assert!(matches!(err, LlmError::NotGguf { .. }), "{err}");
    assert_names_file(&err, &text);

    let empty = dir.path().join("empty.gguf");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(start(&empty), LlmError::Truncated { .. }));
}

#[test]
fn an_unsupported_architecture_gives_a_clear_error() {
    // Rename the architecture in a real file: same length, same layout.
    let mut bytes = std::fs::read(smollm2()).unwrap();
    let key = b"general.architecture";
    let at = bytes
        .windows(key.len())
        .position(|w| w == key)
        .expect("the key is in the file");
    let value = at + key.len() + 4 + 8; // type u32, string length u64
    assert_eq!(&bytes[value..value + 5], b"llama");
    bytes[value..value + 5].copy_from_slice(b"zzzzz");
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("odd.gguf");
    std::fs::write(&odd, &bytes).unwrap();
    assert!(!inspect(&odd).unwrap().architecture_supported);
    let err = start(&odd);
    assert!(
        matches!(err, LlmError::UnsupportedArchitecture { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("'zzzzz'"), "{err}");
}

#[test]
fn metadata_is_read_without_loading_weights() {
    let info = inspect(&smollm2()).unwrap();
    assert_eq!(info.architecture, "llama");
    assert_eq!(info.quantization, "Q4_1");
    assert_eq!(info.context_length, Some(8192));
    assert!((130_000_000..140_000_000).contains(&info.parameters));
    assert!(info
        .chat_template
        .as_deref()
        .unwrap_or("")
        .contains("im_start"));
    let g = inspect(&gemma()).unwrap();
    assert_eq!(g.architecture, "gemma3");
    assert_eq!(g.quantization, "Q4_K_M");
    assert!(g.chat_template.is_none());
}

#[test]
fn switching_model_at_run_time_works_and_a_bad_switch_keeps_the_old_model() {
    let e = engine(smollm2());
    let m = e.load_model(&gemma()).unwrap();
    assert_eq!(m.info.architecture, "gemma3");
    assert_eq!(e.model().unwrap().info.architecture, "gemma3");
    let done = e.chat(ask("Hello", 8), NullSink).unwrap();
    assert_eq!(done.model, "Gemma 3 270m");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.gguf");
    std::fs::write(&bad, b"GGUF").unwrap();
    let err = e.load_model(&bad).unwrap_err();
    assert!(matches!(err, LlmError::Truncated { .. }), "{err}");
    assert_eq!(e.model().unwrap().info.architecture, "gemma3");
    assert!(e.chat(ask("Hello", 4), NullSink).unwrap().generated_tokens > 0);

    let back = e.load_model(&smollm2()).unwrap();
    assert_eq!(back.info.architecture, "llama");
    assert!(e.chat(ask("Hello", 4), NullSink).unwrap().generated_tokens > 0);
}

#[test]
fn threads_default_to_the_physical_cores() {
    let e = engine(smollm2());
    assert_eq!(e.model().unwrap().threads, physical_cores_from_proc());
}

/// Distinct (physical id, core id) pairs in /proc/cpuinfo: counted here
/// independently of the engine's own detection.
fn physical_cores_from_proc() -> usize {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    let mut cores = std::collections::BTreeSet::new();
    let mut physical = String::new();
    for line in info.lines() {
        if let Some((k, v)) = line.split_once(':') {
            match k.trim() {
                "physical id" => physical = v.trim().to_owned(),
                "core id" => {
                    cores.insert((physical.clone(), v.trim().to_owned()));
                }
                _ => {}
            }
        }
    }
    cores.len().max(1)
}
