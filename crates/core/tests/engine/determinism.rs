//! Greedy decoding, seeds, max tokens and stop strings.

use deskpilot_core::llm::{Engine, EngineConfig, NullSink, SamplingParams, StopReason};

use crate::support::{ask, engine, smollm2};

/// A fixed thread count: floating-point sums, and so greedy choices, may
/// differ between thread counts, and this test compares runs.
fn fixed_engine() -> Engine {
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 1024;
    cfg.adapt_threads = false;
    Engine::start(cfg).unwrap()
}

#[test]
fn greedy_answers_are_identical_across_two_runs_and_two_engines() {
    let req = ask("Give me three tips for writing a clear email.", 48);
    let first = fixed_engine().chat(req.clone(), NullSink).unwrap();
    let e = fixed_engine();
    let second = e.chat(req.clone(), NullSink).unwrap();
    // The third run reuses the cached prompt: it must not change the answer.
    let third = e.chat(req, NullSink).unwrap();
    assert!(!first.text.trim().is_empty());
    assert_eq!(first.text, second.text);
    assert_eq!(first.text, third.text);
    assert!(
        third.reused_tokens > 0,
        "the identical prompt was recomputed"
    );
}

#[test]
fn a_fixed_seed_repeats_a_sampled_answer() {
    let mut req = ask("Write one sentence about the sea.", 32);
    req.sampling = SamplingParams {
        temperature: 0.9,
        seed: Some(42),
        max_tokens: 32,
        ..SamplingParams::default()
    };
    let e = engine(smollm2());
    let a = e.chat(req.clone(), NullSink).unwrap();
    let b = e.chat(req, NullSink).unwrap();
    assert_eq!(a.seed, 42);
    assert_eq!(a.text, b.text);
}

#[test]
fn max_tokens_ends_the_reply_at_that_count() {
    let e = engine(smollm2());
    let done = e
        .chat(
            ask("Write a long essay about the history of paper.", 10),
            NullSink,
        )
        .unwrap();
    assert_eq!(done.stop, StopReason::MaxTokens);
    assert_eq!(done.generated_tokens, 10);
}

#[test]
fn a_stop_string_ends_the_reply_before_it() {
    let e = engine(smollm2());
    let req = ask("List the days of the week, one per line.", 60);
    let full = e.chat(req.clone(), NullSink).unwrap();
    // Stop on a piece from the middle of the greedy answer.
    let chars: Vec<char> = full.text.chars().collect();
    assert!(chars.len() > 20, "answer too short: {:?}", full.text);
    let stop: String = chars[12..16].iter().collect();
    let expected = &full.text[..full.text.find(&stop).unwrap()];
    let mut with_stop = req;
    with_stop.sampling.stop = vec![stop.clone()];
    let cut = e.chat(with_stop, NullSink).unwrap();
    assert_eq!(cut.stop, StopReason::StopString);
    assert_eq!(cut.text, expected, "stop string {stop:?}");
}
