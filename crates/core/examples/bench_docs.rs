//! Times document extraction for `scripts/bench-docs.sh`: reads file paths
//! from stdin, opens each `--reps` times, prints one JSON line per file with
//! whether it opened and the best time in seconds.
//!
//! Usage: bench_docs [--reps N] < paths.txt

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

fn main() {
    let mut reps = 3usize;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--reps") {
        reps = args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(3)
            .max(1);
    }
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let path = Path::new(line.trim());
        let mut best = f64::MAX;
        let mut ok = false;
        for _ in 0..reps {
            let t = Instant::now();
            let r = deskpilot_core::docs::open(path);
            let took = t.elapsed().as_secs_f64();
            ok = r.is_ok();
            // Touch the result so the work is not optimised away.
            if let Ok(d) = &r {
                std::hint::black_box(d.blocks.len());
            }
            best = best.min(took);
        }
        println!(
            "{}",
            serde_json::json!({"path": line.trim(), "ok": ok, "seconds": best})
        );
    }
}
