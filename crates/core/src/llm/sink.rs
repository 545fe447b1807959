//! Where a reply goes while it is generated. The engine calls the sink for
//! each new piece of text and for prompt progress; the sink answers whether
//! to keep going, so a window, a CLI or a store can stop generation itself.

use super::budget::Trimmed;

/// A sink's answer: go on, or stop this reply now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// What the engine knows once the prompt is built, before decoding starts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PromptReport {
    pub prompt_tokens: usize,
    /// Tokens whose KV cache was reused from the previous request.
    pub reused_tokens: usize,
    /// History left out to fit the context.
    pub trimmed: Trimmed,
    /// The chat template used, e.g. `model` or `gemma (built-in)`.
    pub template: String,
}

/// Receives a reply as it is generated. All methods run on the engine's
/// worker thread: keep them quick.
pub trait TokenSink: Send {
    /// Called once before prompt processing starts.
    fn on_start(&mut self, _report: &PromptReport) -> Flow {
        Flow::Continue
    }

    /// Called after each prompt sub-batch: `done` of `total` tokens decoded.
    fn on_prompt_progress(&mut self, _done: usize, _total: usize) -> Flow {
        Flow::Continue
    }

    /// Called with each new piece of reply text (whole UTF-8 characters,
    /// stop strings already held back).
    fn on_text(&mut self, text: &str) -> Flow;
}

/// A closure over the text is a sink.
impl<F: FnMut(&str) -> Flow + Send> TokenSink for F {
    fn on_text(&mut self, text: &str) -> Flow {
        self(text)
    }
}

/// A boxed sink is a sink (the workflows take the front end's sink boxed).
impl TokenSink for Box<dyn TokenSink> {
    fn on_start(&mut self, report: &PromptReport) -> Flow {
        (**self).on_start(report)
    }

    fn on_prompt_progress(&mut self, done: usize, total: usize) -> Flow {
        (**self).on_prompt_progress(done, total)
    }

    fn on_text(&mut self, text: &str) -> Flow {
        (**self).on_text(text)
    }
}

/// A sink that stops at the next prompt sub-batch or token once `cancel`
/// is set: one flag ends every call of a job (a summary, a rewrite).
pub struct Cancellable<S> {
    pub inner: S,
    pub cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl<S> Cancellable<S> {
    fn cancelled(&self) -> bool {
        self.cancel.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl<S: TokenSink> TokenSink for Cancellable<S> {
    fn on_start(&mut self, report: &PromptReport) -> Flow {
        self.inner.on_start(report)
    }

    fn on_prompt_progress(&mut self, done: usize, total: usize) -> Flow {
        if self.cancelled() {
            return Flow::Stop;
        }
        self.inner.on_prompt_progress(done, total)
    }

    fn on_text(&mut self, text: &str) -> Flow {
        if self.cancelled() {
            return Flow::Stop;
        }
        self.inner.on_text(text)
    }
}

/// Discards text; for callers that only want the final [`super::Completion`].
pub struct NullSink;

impl TokenSink for NullSink {
    fn on_text(&mut self, _text: &str) -> Flow {
        Flow::Continue
    }
}
