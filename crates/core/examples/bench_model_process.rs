//! What running the model in a process of its own costs: prompt
//! processing, generation and cancel latency measured from the caller's
//! side (wall clock, so the pipe is included), for the in-process engine
//! (the reference) and the model process, in alternating runs so drift in
//! the machine's speed cancels out. Prints each run and the ratios
//! (process / in-process; the target is within 2% for speed).
//!
//! Usage: bench_model_process --model PATH [--threads N] [--pp 512] [--tg 128] [--reps 3]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, Engine, EngineConfig, Flow, ModelProcess, NullSink, SamplingParams,
    StopReason,
};

struct Args {
    model: PathBuf,
    threads: usize,
    pp: usize,
    tg: u32,
    reps: usize,
}

fn parse() -> Result<Args, Box<dyn std::error::Error>> {
    let mut args = Args {
        model: PathBuf::new(),
        threads: deskpilot_core::llm::default_threads(),
        pp: 512,
        tg: 128,
        reps: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--model" => args.model = value()?.into(),
            "--threads" => args.threads = number(value()?)?,
            "--pp" => args.pp = number(value()?)?,
            "--tg" => args.tg = number(value()?)? as u32,
            "--reps" => args.reps = number(value()?)?.max(1),
            "--bench" => {}
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if args.model.as_os_str().is_empty() {
        return Err("--model PATH is required".into());
    }
    Ok(args)
}

fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("bench_model_process: {e}");
    std::process::exit(2);
}

fn request(text: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::user(text)],
        sampling: SamplingParams {
            max_tokens,
            repeat_penalty: 1.0,
            ..SamplingParams::greedy()
        },
    }
}

/// One run's figures, all from the caller's clock.
struct Run {
    pp_tps: f64,
    tg_tps: f64,
    cancel_ms: f64,
}

fn measure(engine: &Engine, args: &Args, prompt: &str) -> Run {
    // Prompt processing: a one-token reply to a fresh prompt (a changing
    // first word defeats KV-cache reuse).
    let body = format!("Run {}: {prompt}", rand_word());
    let started = Instant::now();
    let pp = engine
        .chat(request(&body, 1), NullSink)
        .unwrap_or_else(|e| fail(e));
    let pp_tps = (pp.prompt_tokens - pp.reused_tokens) as f64 / started.elapsed().as_secs_f64();
    // Generation from a short prompt.
    let started = Instant::now();
    let tg = engine
        .chat(
            request(
                "Write a long, detailed story about a lighthouse keeper and the sea.",
                args.tg,
            ),
            NullSink,
        )
        .unwrap_or_else(|e| fail(e));
    let tg_tps = tg.generated_tokens as f64 / started.elapsed().as_secs_f64();
    // Cancel by id from another thread, as the window's Stop does: from
    // the call to the reply being back.
    let pieces = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&pieces);
    let sink = move |_: &str| {
        seen.fetch_add(1, Ordering::Relaxed);
        Flow::Continue
    };
    let ticket = engine.submit(
        request("Write a long story about the sea.", 2000),
        Box::new(sink),
    );
    while pieces.load(Ordering::Relaxed) < 10 {
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    let asked = Instant::now();
    engine.cancel(ticket.id);
    let done = ticket.wait().unwrap_or_else(|e| fail(e));
    let cancel_ms = asked.elapsed().as_secs_f64() * 1e3;
    if done.stop != StopReason::Cancelled {
        eprintln!(
            "bench_model_process: the reply ended before the cancel ({:?})",
            done.stop
        );
    }
    Run {
        pp_tps,
        tg_tps,
        cancel_ms,
    }
}

/// A different number each call, so no two prompts are the same.
fn rand_word() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn start(args: &Args, process: bool) -> Engine {
    let mut cfg = EngineConfig::new(&args.model);
    cfg.threads = args.threads;
    cfg.adapt_threads = false;
    cfg.n_ctx = (args.pp as u32 + args.tg + 2100).max(4096);
    if process {
        cfg.process = Some(ModelProcess::this_program().unwrap_or_else(|e| fail(e)));
    }
    Engine::start(cfg).unwrap_or_else(|e| fail(e))
}

fn main() {
    // This example is also its own model process.
    deskpilot_core::llm::run_if_model_process();
    let args = parse().unwrap_or_else(|e| fail(e));
    let unit = "The committee reviewed the quarterly figures and agreed on next steps. ";
    let prompt = unit.repeat(args.pp / 13 + 1);
    let mut runs: [Vec<Run>; 2] = [Vec::new(), Vec::new()];
    for rep in 0..args.reps {
        for (i, process) in [false, true].into_iter().enumerate() {
            let engine = start(&args, process);
            // Warm-up, as llama-bench does.
            let _ = engine.chat(request("Hello", 1), NullSink);
            let run = measure(&engine, &args, &prompt);
            println!(
                "rep {rep} {:<10} pp {:8.1} t/s  tg {:7.1} t/s  cancel {:6.1} ms",
                if process { "process" } else { "in-process" },
                run.pp_tps,
                run.tg_tps,
                run.cancel_ms
            );
            runs[i].push(run);
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    // Each run of the process against the in-process run just before it:
    // paired ratios cancel the machine's drift better than ratios of medians.
    let ratio = |f: fn(&Run) -> f64| {
        median(
            runs[1]
                .iter()
                .zip(&runs[0])
                .map(|(p, r)| f(p) / f(r))
                .collect(),
        )
    };
    let of = |i: usize, f: fn(&Run) -> f64| median(runs[i].iter().map(f).collect());
    println!(
        "reference: the in-process engine, same model and {} threads; medians of {} paired runs",
        args.threads, args.reps
    );
    println!(
        "prompt speed     process / in-process = {:.3}  (medians {:.1} vs {:.1} t/s)",
        ratio(|r| r.pp_tps),
        of(1, |r| r.pp_tps),
        of(0, |r| r.pp_tps)
    );
    println!(
        "generation speed process / in-process = {:.3}  (medians {:.1} vs {:.1} t/s)",
        ratio(|r| r.tg_tps),
        of(1, |r| r.tg_tps),
        of(0, |r| r.tg_tps)
    );
    let (c1, c0) = (of(1, |r| r.cancel_ms), of(0, |r| r.cancel_ms));
    println!(
        "cancel latency   process - in-process = {:+.1} ms ({c1:.1} vs {c0:.1} ms)",
        c1 - c0
    );
}
