//! Measures planning a spreadsheet question with the model under the
//! table's grammar (target: under 2 s per question with the default model),
//! against the same requests without the grammar as the reference, so the
//! grammar's own cost shows as a ratio. Uses `assets/samples/sales.xlsx`.
//!
//! Usage: bench_sheet_plan --model PATH [--threads N]

use std::path::PathBuf;
use std::time::Instant;

use deskpilot_core::docs::Limits;
use deskpilot_core::llm::{Engine, EngineConfig, NullSink};
use deskpilot_core::sheets::{self, model_plan};

const QUESTIONS: [&str; 8] = [
    "total revenue by region",
    "average units in the North",
    "which product has the highest revenue",
    "top 2 regions by units",
    "revenue per month",
    "how many orders are in the West?",
    "correlation between units and revenue",
    "median unit price",
];

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("bench_sheet_plan: {msg}");
    std::process::exit(2);
}

fn main() {
    let (mut model, mut threads) = (PathBuf::new(), None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .unwrap_or_else(|| fail(format!("{flag} needs a value")));
        match flag.as_str() {
            "--model" => model = value.into(),
            "--threads" => threads = Some(value.parse().unwrap_or_else(|e| fail(e))),
            other => fail(format!("unknown argument {other}")),
        }
    }
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/sales.xlsx");
    let wb = sheets::open(&sample, None, &Limits::default()).unwrap_or_else(|e| fail(e));
    let mut cfg = EngineConfig::new(&model);
    if let Some(t) = threads {
        cfg.threads = t;
    }
    cfg.adapt_threads = false;
    let engine = Engine::start(cfg).unwrap_or_else(|e| fail(e));
    let table = &wb.tables[0];
    let request = |q: &str, grammar: bool, max_tokens: u32| {
        let mut r = model_plan::request(table, q);
        r.sampling.max_tokens = max_tokens;
        if !grammar {
            r.sampling.grammar = None;
        }
        r
    };
    // Warm-up: the table's system prompt is processed once, as when a
    // sheet is opened and the first question asked.
    let first = Instant::now();
    let _ =
        sheets::reply(&engine, &wb, QUESTIONS[0], &Default::default()).unwrap_or_else(|e| fail(e));
    let first_ms = first.elapsed().as_secs_f64() * 1000.0;

    let mut rows = Vec::new();
    for q in QUESTIONS {
        let t = Instant::now();
        // The whole reply (the reader first; the model only for words the
        // reader cannot account for).
        let planned =
            sheets::reply(&engine, &wb, q, &Default::default()).unwrap_or_else(|e| fail(e));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        // Reference: the same prompt, as many tokens, no grammar.
        let constrained = engine
            .chat(request(q, true, 160), NullSink)
            .unwrap_or_else(|e| fail(e));
        let free = engine
            .chat(
                request(q, false, constrained.generated_tokens as u32),
                NullSink,
            )
            .unwrap_or_else(|e| fail(e));
        rows.push((
            q,
            ms,
            planned.planned_by,
            constrained.generate_ms,
            free.generate_ms,
            constrained.generated_tokens,
        ));
    }
    println!("model: {}   questions: {}", model.display(), rows.len());
    println!("first question (system prompt processed): {first_ms:.0} ms");
    println!(
        "{:42} {:>9} {:>8} {:>12} {:>12} {:>6}",
        "question", "answer ms", "planner", "grammar ms", "no-grammar", "ratio"
    );
    let mut ratios = Vec::new();
    let mut times = Vec::new();
    for (q, ms, by, g, f, n) in &rows {
        let ratio = g / f.max(1e-9);
        ratios.push(ratio);
        times.push(*ms);
        println!(
            "{:42} {:>9.0} {:>8} {:>9.0} ({n}) {:>12.0} {:>6.2}",
            q,
            ms,
            by.map_or("declined".into(), |b| format!("{b:?}").to_lowercase()),
            g,
            f,
            ratio
        );
    }
    times.sort_by(f64::total_cmp);
    ratios.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    let worst = times[times.len() - 1];
    println!(
        "answer time: median {:.0} ms, worst {:.0} ms -> worst / 2000 ms target = {:.2} ({})",
        median(&times),
        worst,
        worst / 2000.0,
        if worst < 2000.0 { "met" } else { "NOT met" }
    );
    println!(
        "grammar overhead (generation with / without the grammar): median {:.2}",
        median(&ratios)
    );
}
