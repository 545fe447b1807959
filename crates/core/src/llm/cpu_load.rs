//! Picks how many threads the next request should use from what the rest of
//! the machine is doing. ggml's CPU threads meet at a spinning barrier many
//! times per token; when another program holds a core, a thread waits for a
//! descheduled partner and generation collapses (measured here on 2 cores
//! beside two busy processes: 3.8 tokens/s with 2 threads, 68 with 1). So
//! threads never exceed the cores that others leave free.

use std::time::{Duration, Instant};

/// Samples of system-wide and own CPU time, from /proc on Linux.
pub(crate) struct CpuLoad {
    last: Option<Sample>,
    last_choice: Option<(Instant, usize)>,
}

#[derive(Clone, Copy)]
struct Sample {
    at: Instant,
    /// Busy jiffies of all CPUs together.
    busy: u64,
    /// Busy + idle jiffies of all CPUs together.
    total: u64,
    /// This process's user + system jiffies.
    own: u64,
}

/// Shorter windows than this say little; reuse the last choice.
const MIN_WINDOW: Duration = Duration::from_millis(200);
/// How long to watch when there is no recent sample.
const PROBE: Duration = Duration::from_millis(100);

impl CpuLoad {
    pub(crate) fn new() -> Self {
        CpuLoad {
            last: read(),
            last_choice: None,
        }
    }

    /// Threads for the next request: `max` minus the cores other processes
    /// keep busy, at least 1.
    pub(crate) fn threads(&mut self, max: usize) -> usize {
        if let Some((at, n)) = self.last_choice {
            if at.elapsed() < MIN_WINDOW {
                return n.min(max).max(1);
            }
        }
        let recent = self.last.filter(|s| s.at.elapsed() >= MIN_WINDOW);
        let start = match recent {
            Some(s) => Some(s),
            None => {
                let s = read();
                std::thread::sleep(PROBE);
                s
            }
        };
        let end = read();
        let choice = match (start, end) {
            (Some(a), Some(b)) => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
                let total = b.total.saturating_sub(a.total).max(1) as f64;
                let others = b
                    .busy
                    .saturating_sub(a.busy)
                    .saturating_sub(b.own.saturating_sub(a.own));
                let busy_cores = others as f64 / total * cores;
                let free = (cores - busy_cores).round().max(1.0) as usize;
                tracing::debug!(busy_cores, free, "CPU load before request");
                free.min(max).max(1)
            }
            _ => max.max(1),
        };
        self.last = end;
        self.last_choice = Some((Instant::now(), choice));
        choice
    }

    /// Marks the end of a request: the next window starts here, so our own
    /// work is not mistaken for someone else's.
    pub(crate) fn request_done(&mut self) {
        self.last = read();
        self.last_choice = None;
    }
}

#[cfg(target_os = "linux")]
fn read() -> Option<Sample> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    if cpu.len() < 8 {
        return None;
    }
    let idle = cpu[3] + cpu[4];
    let busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
    let own_stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, the 12th and 13th after it.
    let after = own_stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let own = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Sample {
        at: Instant::now(),
        busy,
        total: busy + idle,
        own,
    })
}

#[cfg(not(target_os = "linux"))]
fn read() -> Option<Sample> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_machine_gets_all_threads_and_never_more_than_asked() {
        let mut l = CpuLoad::new();
        let n = l.threads(64);
        assert!(n >= 1);
        assert!(l.threads(1) == 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_busy_core_elsewhere_lowers_the_thread_count() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores < 2 {
            return;
        }
        // Busy processes, not threads of ours: only others' load counts.
        let mut kids: Vec<_> = (0..cores)
            .map(|_| {
                std::process::Command::new("sh")
                    .args(["-c", "while :; do :; done"])
                    .spawn()
                    .unwrap()
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        let mut l = CpuLoad::new();
        std::thread::sleep(Duration::from_millis(400));
        let n = l.threads(cores);
        for k in &mut kids {
            let _ = k.kill();
            let _ = k.wait();
        }
        assert!(n < cores, "chose {n} threads with every core busy");
    }
}
