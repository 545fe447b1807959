//! One run of a large-workbook analysis for `scripts/bench-sheets.sh`:
//! open the file, find its tables, profile them and answer a grouped
//! question with code (the phrase reader; no model), timing each stage,
//! then print one JSON line with the times, the process's peak resident
//! memory and the decoded cell data (bytes of every cell's text as read)
//! for the memory ratio. One process per run, so the peak is this run's.
//!
//! Usage: bench_sheets FILE QUESTION

use std::path::PathBuf;
use std::time::Instant;

use deskpilot_core::docs::{self, Limits};
use deskpilot_core::sheets;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("bench_sheets: {msg}");
    std::process::exit(2);
}

/// Peak resident set of this process, in bytes (Linux: VmHWM).
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(question)) = (args.next(), args.next()) else {
        fail("usage: bench_sheets FILE QUESTION")
    };
    let path = PathBuf::from(file);
    let start = Instant::now();
    let doc = docs::open_with(&path, &Limits::default()).unwrap_or_else(|e| fail(e));
    let read_s = start.elapsed().as_secs_f64();
    let cell_bytes: usize = doc
        .blocks
        .iter()
        .flat_map(|b| b.rows.iter())
        .flat_map(|r| r.iter())
        .map(String::len)
        .sum();
    let t = Instant::now();
    let wb = sheets::into_workbook(doc, None).unwrap_or_else(|e| fail(e));
    let tables_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let profile = sheets::profile(&wb);
    let profile_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (_, answer) = sheets::answer_by_phrase(&wb, &question).unwrap_or_else(|e| fail(e));
    let answer_s = t.elapsed().as_secs_f64();
    let total_s = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "rows": profile.tables.iter().map(|t| t.rows).sum::<usize>(),
            "read_s": read_s,
            "tables_s": tables_s,
            "profile_s": profile_s,
            "answer_s": answer_s,
            "total_s": total_s,
            "peak_rss": peak_rss(),
            "cell_bytes": cell_bytes,
            "value": answer.value(),
        })
    );
}
