//! Measures Deskpilot's engine the way llama-bench measures llama.cpp:
//! prompt processing of N tokens and generation of M tokens, through the
//! engine's public API (templates, sub-batching, sampling and all), plus
//! load time and peak RSS. Prints one JSON object; `scripts/bench.sh` runs it
//! beside llama-bench and prints the ratios.
//!
//! Usage: bench_engine --model PATH [--threads N] [--chunk N] [--pp 512] [--tg 128]

use std::path::PathBuf;
use std::time::Instant;

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, Engine, EngineConfig, NullSink, SamplingParams,
};

struct Args {
    model: PathBuf,
    threads: Option<usize>,
    chunk: Option<usize>,
    pp: usize,
    tg: u32,
}

fn parse() -> Result<Args, Box<dyn std::error::Error>> {
    let mut args = Args {
        model: PathBuf::new(),
        threads: None,
        chunk: None,
        pp: 512,
        tg: 128,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => args.model = value()?.into(),
            "--threads" => {
                args.threads = Some(value()?.parse().map_err(|e| format!("--threads: {e}"))?)
            }
            "--chunk" => args.chunk = Some(value()?.parse().map_err(|e| format!("--chunk: {e}"))?),
            "--pp" => args.pp = value()?.parse().map_err(|e| format!("--pp: {e}"))?,
            "--tg" => args.tg = value()?.parse().map_err(|e| format!("--tg: {e}"))?,
            "--bench" => {}
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if args.model.as_os_str().is_empty() {
        return Err("--model PATH is required".into());
    }
    Ok(args)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench_engine: {e}");
            std::process::exit(2);
        }
    };
    let mut cfg = EngineConfig::new(&args.model);
    if let Some(t) = args.threads {
        cfg.threads = t;
    }
    // Room for the prompt and the reply, like llama-bench's context of pp + tg.
    cfg.n_ctx = (args.pp as u32 + args.tg + 64).max(1024);
    if let Some(c) = args.chunk {
        cfg.prompt_chunk = c;
    }
    // Same thread count as the reference run, whatever else is running.
    cfg.adapt_threads = false;
    let started = Instant::now();
    let engine = match Engine::start(cfg) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("bench_engine: {e}");
            std::process::exit(2);
        }
    };
    let start_ms = started.elapsed().as_secs_f64() * 1e3;
    let loaded = engine.model().map(|m| m.load_ms).unwrap_or(start_ms);

    // A prompt of about `pp` tokens once templated: grow the text until the
    // tokenizer says so.
    let unit = "The committee reviewed the quarterly figures and agreed on next steps. ";
    let unit_tokens = engine.count_tokens(unit).unwrap_or(12).max(1);
    let text = unit.repeat(args.pp / unit_tokens + 1);
    let prompt = |text: &str| ChatRequest {
        messages: vec![ChatMessage::user(text)],
        sampling: SamplingParams {
            max_tokens: 1,
            ..SamplingParams::greedy()
        },
    };
    // Warm-up, as llama-bench does.
    let _ = engine.chat(prompt("Hello"), NullSink);
    let mut words: Vec<&str> = text.split(' ').collect();
    let run_pp = |words: &[&str]| {
        // A changing first word defeats KV-cache reuse between runs.
        let body = format!("Run {}: {}", started.elapsed().as_nanos(), words.join(" "));
        engine.chat(prompt(&body), NullSink).unwrap_or_else(|e| {
            eprintln!("bench_engine: {e}");
            std::process::exit(2);
        })
    };
    // Size the prompt to about `pp` tokens.
    loop {
        let done = run_pp(&words);
        if done.prompt_tokens <= args.pp + 8 || words.len() < 10 {
            break;
        }
        let excess = done.prompt_tokens - args.pp;
        let cut = (excess * words.len() / done.prompt_tokens).max(1);
        words.truncate(words.len() - cut);
    }
    // The sizing runs warmed every buffer up; measure the best of three, as
    // llama-bench reports a warmed-up run.
    let pp = (0..3)
        .map(|_| run_pp(&words))
        .min_by(|a, b| a.prompt_ms.total_cmp(&b.prompt_ms))
        .expect("three runs");
    let pp_tokens = pp.prompt_tokens - pp.reused_tokens;

    // Generation from a short prompt, so the KV depth matches llama-bench's.
    let tg = engine
        .chat(
            ChatRequest {
                messages: vec![ChatMessage::user(
                    "Write a long, detailed story about a lighthouse keeper and the sea.",
                )],
                sampling: SamplingParams {
                    max_tokens: args.tg,
                    repeat_penalty: 1.0,
                    ..SamplingParams::greedy()
                },
            },
            NullSink,
        )
        .unwrap_or_else(|e| {
            eprintln!("bench_engine: {e}");
            std::process::exit(2);
        });
    // The first generated token comes from the prompt's logits; the rest are
    // one decode each, as in llama-bench's tg.
    let report = serde_json::json!({
        "model": pp.model,
        "threads": pp.threads,
        "cpu": deskpilot_core::llm::cpu_features(),
        "pp_tokens": pp_tokens,
        "pp_tps": pp_tokens as f64 / (pp.prompt_ms / 1e3),
        "tg_tokens": tg.generated_tokens,
        "tg_tps": tg.generated_tokens as f64 / (tg.generate_ms / 1e3),
        "load_ms": loaded,
        "start_ms": start_ms,
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("{report}");
}
