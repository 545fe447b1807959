//! Cancelling by id: during generation, during a long prompt, and while
//! still queued. Each must take effect within one decode step.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, EngineConfig, Flow, NullSink, SamplingParams, StopReason, TokenSink,
};

use crate::support::{ask, engine, smollm2};

/// Counts text pieces and prompt progress calls; tells the test when a
/// threshold is reached.
struct Watch {
    pieces: Arc<AtomicUsize>,
    progress: Arc<AtomicUsize>,
    signal_after_pieces: usize,
    signal_after_progress: usize,
    signal: mpsc::Sender<()>,
}

impl TokenSink for Watch {
    fn on_prompt_progress(&mut self, _done: usize, _total: usize) -> Flow {
        if self.progress.fetch_add(1, Ordering::SeqCst) + 1 == self.signal_after_progress {
            let _ = self.signal.send(());
        }
        Flow::Continue
    }
    fn on_text(&mut self, _text: &str) -> Flow {
        if self.pieces.fetch_add(1, Ordering::SeqCst) + 1 == self.signal_after_pieces {
            let _ = self.signal.send(());
        }
        Flow::Continue
    }
}

fn watch(after_pieces: usize, after_progress: usize) -> (Watch, mpsc::Receiver<()>) {
    let (tx, rx) = mpsc::channel();
    (
        Watch {
            pieces: Arc::default(),
            progress: Arc::default(),
            signal_after_pieces: after_pieces,
            signal_after_progress: after_progress,
            signal: tx,
        },
        rx,
    )
}

#[test]
fn a_cancel_during_generation_stops_within_one_decode_step() {
    let e = engine(smollm2());
    let (sink, fired) = watch(5, usize::MAX);
    let pieces = Arc::clone(&sink.pieces);
    let ticket = e.submit(
        ask("Write a very long story about a lighthouse keeper.", 400),
        Box::new(sink),
    );
    let id = ticket.id;
    fired.recv().unwrap();
    assert!(e.cancel(id));
    let seen_at_cancel = pieces.load(Ordering::SeqCst);
    let done = ticket.wait().unwrap();
    assert_eq!(done.stop, StopReason::Cancelled);
    assert!(
        pieces.load(Ordering::SeqCst) <= seen_at_cancel + 1,
        "{} pieces after cancel",
        pieces.load(Ordering::SeqCst) - seen_at_cancel
    );
    assert!(!done.text.is_empty(), "what was generated is kept");
    assert!(done.generated_tokens < 400);
    assert!(
        !e.cancel(id),
        "a finished request cannot be cancelled again"
    );
}

#[test]
fn a_cancel_during_a_long_prompt_stops_within_one_sub_batch() {
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 4096;
    cfg.prompt_chunk = 64;
    let e = deskpilot_core::llm::Engine::start(cfg).unwrap();
    let long = "The quarterly report covers sales, costs and hiring. ".repeat(200);
    let (sink, fired) = watch(usize::MAX, 1);
    let progress = Arc::clone(&sink.progress);
    let ticket = e.submit(
        ChatRequest {
            messages: vec![ChatMessage::user(format!("Summarize: {long}"))],
            sampling: SamplingParams::greedy(),
        },
        Box::new(sink),
    );
    fired.recv().unwrap();
    e.cancel(ticket.id);
    let seen_at_cancel = progress.load(Ordering::SeqCst);
    let done = ticket.wait().unwrap();
    assert_eq!(done.stop, StopReason::Cancelled);
    assert_eq!(done.generated_tokens, 0);
    assert!(
        done.prompt_tokens > 1500,
        "prompt was {} tokens",
        done.prompt_tokens
    );
    assert!(
        progress.load(Ordering::SeqCst) <= seen_at_cancel + 1,
        "{} sub-batches decoded after cancel",
        progress.load(Ordering::SeqCst) - seen_at_cancel
    );
}

/// Signals when the prompt is built, before the first decode.
struct StartSignal {
    started: mpsc::Sender<()>,
    progress: Arc<AtomicUsize>,
}

impl TokenSink for StartSignal {
    fn on_start(&mut self, _report: &deskpilot_core::llm::PromptReport) -> Flow {
        let _ = self.started.send(());
        Flow::Continue
    }
    fn on_prompt_progress(&mut self, _done: usize, _total: usize) -> Flow {
        self.progress.fetch_add(1, Ordering::SeqCst);
        Flow::Continue
    }
    fn on_text(&mut self, _text: &str) -> Flow {
        Flow::Continue
    }
}

#[test]
fn a_cancel_stops_a_long_prompt_in_the_middle_of_its_decode() {
    // One decode for the whole prompt: only llama.cpp's abort callback can
    // stop it before it ends.
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 4096;
    cfg.n_batch = 2048;
    cfg.prompt_chunk = 2048;
    let e = deskpilot_core::llm::Engine::start(cfg).unwrap();
    let long = "The quarterly report covers sales, costs and hiring. ".repeat(150);
    let (tx, started) = mpsc::channel();
    let progress = Arc::new(AtomicUsize::new(0));
    let ticket = e.submit(
        ChatRequest {
            messages: vec![ChatMessage::user(format!("Summarize: {long}"))],
            sampling: SamplingParams::greedy(),
        },
        Box::new(StartSignal {
            started: tx,
            progress: Arc::clone(&progress),
        }),
    );
    started.recv().unwrap();
    e.cancel(ticket.id);
    let done = ticket.wait().unwrap();
    assert_eq!(done.stop, StopReason::Cancelled);
    assert!(
        done.prompt_tokens > 1200,
        "prompt was {} tokens",
        done.prompt_tokens
    );
    assert_eq!(
        progress.load(Ordering::SeqCst),
        0,
        "the prompt's single decode ran to the end"
    );
    // The engine is sound afterwards, and the aborted prompt left no trace.
    let next = e
        .chat(ask("What is the capital of France?", 16), NullSink)
        .unwrap();
    assert!(next.text.contains("Paris"), "{:?}", next.text);
}

#[test]
fn a_queued_request_can_be_cancelled_before_it_starts() {
    let e = engine(smollm2());
    let (sink, fired) = watch(1, usize::MAX);
    let first = e.submit(ask("Write a poem about autumn.", 64), Box::new(sink));
    let second = e.submit(ask("Write a poem about spring.", 64), Box::new(NullSink));
    fired.recv().unwrap();
    assert!(e.cancel(second.id));
    let a = first.wait().unwrap();
    let b = second.wait().unwrap();
    assert_ne!(a.stop, StopReason::Cancelled);
    assert_eq!(b.stop, StopReason::Cancelled);
    assert_eq!((b.generated_tokens, b.prompt_tokens), (0, 0));
}

#[test]
fn a_sink_that_says_stop_ends_the_reply() {
    let e = engine(smollm2());
    let mut n = 0;
    let done = e
        .chat(ask("Tell me about the moon.", 100), move |_: &str| {
            n += 1;
            if n == 3 {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
        .unwrap();
    assert_eq!(done.stop, StopReason::Cancelled);
    assert!(done.generated_tokens <= 3);
}
