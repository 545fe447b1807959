//! One run of a large-workbook analysis for `scripts/bench-sheets.sh`:
//! open the file, find its tables, profile them and answer a grouped
//! question with code (the phrase reader; no model), timing each stage,
//! then print one JSON line with the times, the process's resident memory
//! before reading and at its peak (the script compares the difference with
//! the decoded cell data), and what the cells take once read. One process
//! per run, so the peak is this run's.
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

/// A memory figure of this process from /proc/self/status, in bytes
/// (Linux): `VmHWM` is the peak resident set, `VmRSS` the current one.
fn status_bytes(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
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
    let start_rss = status_bytes("VmRSS:");
    let start = Instant::now();
    // As `sheets::open` reads: straight into compact grids, no text blocks.
    let doc = docs::open_sheets(&path, &Limits::default()).unwrap_or_else(|e| fail(e));
    let read_s = start.elapsed().as_secs_f64();
    let grid_bytes: usize = doc.grids.iter().map(|g| g.heap_bytes()).sum();
    let mut stage_peaks = vec![status_bytes("VmHWM:")];
    // Writing 5 to clear_refs resets the peak, so each stage's own peak
    // can be told (Linux); the overall peak is the largest of them.
    let reset_peak = || {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    };
    reset_peak();
    let t = Instant::now();
    let wb = sheets::into_workbook(doc, None).unwrap_or_else(|e| fail(e));
    let tables_s = t.elapsed().as_secs_f64();
    stage_peaks.push(status_bytes("VmHWM:"));
    reset_peak();
    let t = Instant::now();
    let profile = sheets::profile(&wb);
    let profile_s = t.elapsed().as_secs_f64();
    stage_peaks.push(status_bytes("VmHWM:"));
    reset_peak();
    let t = Instant::now();
    let (_, answer) = sheets::answer_by_phrase(&wb, &question).unwrap_or_else(|e| fail(e));
    let answer_s = t.elapsed().as_secs_f64();
    stage_peaks.push(status_bytes("VmHWM:"));
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
            "start_rss": start_rss,
            "stage_peak_rss": stage_peaks,
            "peak_rss": stage_peaks.iter().max(),
            "grid_bytes": grid_bytes,
            "column_bytes": wb.tables.iter().flat_map(|t| &t.columns).map(|c| c.values.heap_bytes()).sum::<usize>(),
            "value": answer.value(),
        })
    );
}
