//! Generation beside programs that keep every core busy: the engine must
//! drop to the free cores instead of spinning against them. A test binary
//! of its own, so that no other test's engine shares the CPU meanwhile.

use deskpilot_testkit::models as support;

use deskpilot_core::llm::{NullSink, StopReason};

use crate::support::{ask, engine, smollm2};

#[test]
fn generation_finishes_with_one_thread_while_every_core_is_busy() {
    let e = engine(smollm2());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut busy: Vec<_> = (0..cores)
        .map(|_| {
            std::process::Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let done = e.chat(ask("Write a story about a robot.", 64), NullSink);
    for p in &mut busy {
        let _ = p.kill();
        let _ = p.wait();
    }
    let done = done.unwrap();
    assert_eq!(done.stop, StopReason::MaxTokens);
    assert_eq!(
        done.threads, 1,
        "used {} threads beside {cores} busy processes",
        done.threads
    );
}
