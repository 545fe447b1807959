//! Measures summarizing: a document of about 50,000 tokens (human-written
//! news and encyclopedia text from ../shared/detect-eval) through the whole
//! map-reduce, and a one-pass file for the time to the first summary text.
//! Prints one JSON object; `scripts/bench-summarize.sh` runs llama-bench for
//! the same number of prompt and generated tokens and prints the ratio.
//!
//! Usage: bench_summarize --model PATH [--threads N] [--tokens 50000] [--ctx 4096]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use deskpilot_core::docs;
use deskpilot_core::llm::{Engine, EngineConfig, Flow};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::summarize::{summarize, NoProgress, SummaryOptions, SummarySink};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Notes when the first text arrives.
struct FirstText {
    started: Instant,
    first_ms: Option<f64>,
}
impl SummarySink for FirstText {
    fn on_text(&mut self, _text: &str) -> Flow {
        self.first_ms
            .get_or_insert(self.started.elapsed().as_secs_f64() * 1000.0);
        Flow::Continue
    }
}

fn main() {
    let model = PathBuf::from(arg("--model").expect("--model PATH"));
    let target: usize = arg("--tokens")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let mut cfg = EngineConfig::new(model);
    if let Some(t) = arg("--threads").and_then(|v| v.parse().ok()) {
        cfg.threads = t;
    }
    cfg.n_ctx = arg("--ctx").and_then(|v| v.parse().ok()).unwrap_or(4096);
    let engine = Engine::start(cfg).expect("model loads");

    let data = std::env::var_os("DESKPILOT_DETECT_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/detect-eval/samples.jsonl")
        });
    let texts: Vec<String> = std::fs::read_to_string(&data)
        .expect("the detect-eval samples")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["label"] == "human")
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut md = String::new();
    let mut tokens = 0;
    for (i, t) in texts.iter().cycle().enumerate() {
        if tokens >= target {
            break;
        }
        let section = format!("# Section {}\n\n{t}\n\n", i + 1);
        tokens += engine.count_tokens(&section).unwrap();
        md.push_str(&section);
    }
    let long = dir.path().join("long.md");
    std::fs::write(&long, &md).unwrap();
    let short = dir.path().join("short.md");
    std::fs::write(&short, texts[..3].join("\n\n")).unwrap();

    let prompts = Prompts::builtin();
    let options = SummaryOptions::default();
    let doc = docs::open(&short).unwrap();
    let started = Instant::now();
    let mut first = FirstText {
        started,
        first_ms: None,
    };
    let one = summarize(
        &engine,
        &[doc],
        &options,
        &prompts,
        &mut first,
        Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    let one_total = started.elapsed().as_secs_f64() * 1000.0;

    let doc = docs::open(&long).unwrap();
    let started = Instant::now();
    let s = summarize(
        &engine,
        &[doc],
        &options,
        &prompts,
        &mut NoProgress,
        Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let out = serde_json::json!({
        "document_tokens": tokens,
        "model_calls": s.stats.model_calls,
        "chunks": s.chunks,
        "passes": s.passes,
        "prompt_tokens": s.stats.prompt_tokens,
        "generated_tokens": s.stats.generated_tokens,
        "total_ms": total_ms,
        "engine_prompt_ms": s.stats.prompt_ms,
        "engine_generate_ms": s.stats.generate_ms,
        "points": s.points.len(),
        "one_pass": {
            "prompt_tokens": one.stats.prompt_tokens,
            "first_text_ms": first.first_ms,
            "total_ms": one_total,
        },
    });
    println!("{out}");
}
