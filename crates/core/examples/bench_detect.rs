//! Measures the detector's scoring: teacher-forced log-probabilities, ranks
//! and the Fast-DetectGPT statistics for every token of a text of about N
//! tokens, through the engine's public API. Prints one JSON object;
//! `scripts/bench-detect.sh` runs it beside llama-bench's prompt processing
//! of the same number of tokens and prints the ratio of times.
//!
//! Usage: bench_detect --model PATH [--threads N] [--tokens 1000]

use std::path::PathBuf;

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, Engine, EngineConfig, NullSink, SamplingParams, ScoreOptions,
};

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("bench_detect: {msg}");
    std::process::exit(2);
}

fn main() {
    let (mut model, mut threads, mut tokens) = (PathBuf::new(), None, 1000usize);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .unwrap_or_else(|| fail(format!("{flag} needs a value")));
        match flag.as_str() {
            "--model" => model = value.into(),
            "--threads" => threads = Some(value.parse().unwrap_or_else(|e| fail(e))),
            "--tokens" => tokens = value.parse().unwrap_or_else(|e| fail(e)),
            other => fail(format!("unknown argument {other}")),
        }
    }
    if model.as_os_str().is_empty() {
        fail("--model PATH is required");
    }
    let mut cfg = EngineConfig::new(&model);
    if let Some(t) = threads {
        cfg.threads = t;
    }
    cfg.n_ctx = (tokens as u32 + 64).max(1024);
    cfg.adapt_threads = false;
    let engine = Engine::start(cfg).unwrap_or_else(|e| fail(e));

    // Prose of about `tokens` tokens, varied so it is not one repeated line.
    let sentences = [
        "The committee reviewed the quarterly figures before the meeting ended.",
        "Sales in the northern region rose by a fifth, while costs stayed flat.",
        "Several members asked whether the new warehouse would open on time.",
        "The finance team promised a revised forecast by the end of the month.",
        "Customers praised the faster delivery but complained about packaging.",
    ];
    let mut text = String::new();
    let mut i = 0usize;
    while engine.count_tokens(&text).unwrap_or(0) < tokens {
        text.push_str(sentences[i % sentences.len()]);
        text.push_str(&format!(" (Item {i}.) "));
        i += 1;
    }
    // Trim to the token count by words.
    let mut words: Vec<&str> = text.split(' ').collect();
    while words.len() > 1 && engine.count_tokens(&words.join(" ")).unwrap_or(0) > tokens {
        words.pop();
    }
    let text = words.join(" ");
    let options = ScoreOptions {
        window: tokens + 1,
        overlap: 0,
    };
    // Warm-up, as llama-bench does, then the best of three.
    let _ = engine.score(&text, options);
    let best = (0..3)
        .map(|_| engine.score(&text, options).unwrap_or_else(|e| fail(e)))
        .min_by(|a, b| a.ms.total_cmp(&b.ms))
        .unwrap_or_else(|| fail("no run"));
    // The engine's own prompt processing of the same text (logits for the
    // last token only): what scoring costs beyond decoding.
    // The verdict from the scores: features, calibration and every
    // sentence left out in turn (no model), as a share of the scoring.
    let calibration =
        deskpilot_core::detect::calibration_for(&engine, None).unwrap_or_else(|e| fail(e));
    let verdict_ms = (0..3)
        .map(|_| {
            let started = std::time::Instant::now();
            let v = deskpilot_core::detect::Verdict::new(&text, &best, &calibration);
            std::hint::black_box(v);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min);
    let pp = (0..3)
        .map(|k| {
            let request = ChatRequest {
                messages: vec![ChatMessage::user(format!("{k} {text}"))],
                sampling: SamplingParams {
                    max_tokens: 1,
                    ..SamplingParams::greedy()
                },
            };
            engine.chat(request, NullSink).unwrap_or_else(|e| fail(e))
        })
        .min_by(|a, b| a.prompt_ms.total_cmp(&b.prompt_ms))
        .unwrap_or_else(|| fail("no run"));
    println!(
        "{}",
        serde_json::json!({
            "tokens": best.tokens,
            "scored": best.scored.len(),
            "ms": best.ms,
            "stats_ms": best.stats_ms,
            "verdict_ms": verdict_ms,
            "tps": best.tokens as f64 / (best.ms / 1000.0),
            "engine_pp_tps": pp.prompt_tokens as f64 / (pp.prompt_ms / 1000.0),
        })
    );
}
