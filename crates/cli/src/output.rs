//! Writing a streamed reply to stdout: flushed per piece so it appears as it
//! is generated, and a closed pipe (`| head`) stops generation quietly
//! instead of panicking.

use std::io::Write;

use deskpilot_core::llm::{Flow, TokenSink};

/// Streams reply text to stdout.
pub struct StdoutSink {
    /// Whether anything was written, and if the last byte was a newline.
    pub ends_with_newline: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl TokenSink for StdoutSink {
    fn on_text(&mut self, text: &str) -> Flow {
        let mut out = std::io::stdout().lock();
        if out
            .write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return Flow::Stop;
        }
        self.ends_with_newline
            .store(text.ends_with('\n'), std::sync::atomic::Ordering::Relaxed);
        Flow::Continue
    }
}

/// Prints a line to stdout, ignoring a closed pipe.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}
