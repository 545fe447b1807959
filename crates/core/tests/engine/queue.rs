//! Requests from several threads are queued and served in order, never
//! dropped or interleaved.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use deskpilot_core::llm::Flow;

use crate::support::{ask, engine, smollm2};

#[test]
fn two_concurrent_requests_both_complete_in_order() {
    let e = Arc::new(engine(smollm2()));
    // (request label, time of each text piece)
    let log: Arc<Mutex<Vec<(char, Instant)>>> = Arc::default();
    let sink = |label: char| {
        let log = Arc::clone(&log);
        Box::new(move |_: &str| {
            log.lock().unwrap().push((label, Instant::now()));
            Flow::Continue
        })
    };
    let a = e.submit(ask("Describe a cat in two sentences.", 40), sink('a'));
    let b = e.submit(ask("Describe a dog in two sentences.", 40), sink('b'));
    assert!(a.id < b.id);
    // Wait from two other threads, the way two windows would.
    let ha = std::thread::spawn(move || a.wait());
    let hb = std::thread::spawn(move || b.wait());
    let (ra, rb) = (ha.join().unwrap().unwrap(), hb.join().unwrap().unwrap());
    assert!(!ra.text.is_empty() && !rb.text.is_empty());
    let labels: String = log.lock().unwrap().iter().map(|(l, _)| *l).collect();
    let first_b = labels.find('b').expect("b produced text");
    assert!(
        !labels[first_b..].contains('a'),
        "replies interleaved: {labels}"
    );
    assert!(labels.starts_with('a'));
}
