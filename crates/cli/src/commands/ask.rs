//! `deskpilot ask`: one prompt, one streamed reply.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::{ChatMessage, ChatRequest, NullSink, StopReason, TokenSink};

use crate::cli::AskArgs;
use crate::interrupt::CtrlC;
use crate::output::StdoutSink;
use crate::setup;

/// Returns the process exit status.
pub fn run(args: AskArgs) -> Result<u8> {
    let prompt = if args.prompt == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the prompt from stdin")?;
        s
    } else {
        args.prompt.clone()
    };
    let settings = setup::load_settings()?;
    let sampling = setup::sampling(&args.sampling, &settings)?;
    let config = setup::engine_config(&args.model, &settings)?;
    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install(&engine)?;

    let mut messages = Vec::new();
    if let Some(system) = args.system {
        messages.push(ChatMessage::system(system));
    }
    messages.push(ChatMessage::user(prompt));
    let request = ChatRequest { messages, sampling };

    let newline = Arc::new(AtomicBool::new(true));
    let sink: Box<dyn TokenSink> = if args.json {
        Box::new(NullSink)
    } else {
        Box::new(StdoutSink {
            ends_with_newline: Arc::clone(&newline),
        })
    };
    let ticket = engine.submit(request, sink);
    ctrlc.running(ticket.id);
    let done = ticket.wait().context("generating")?;
    ctrlc.idle();

    if args.json {
        crate::output::line(&serde_json::to_string(&done).context("encoding JSON")?);
    } else {
        if !done.text.is_empty() && !newline.load(Ordering::Relaxed) {
            crate::output::line("");
        }
        if done.trimmed.messages > 0 {
            eprintln!(
                "deskpilot: note: {} earlier messages ({} tokens) were left out to fit the context",
                done.trimmed.messages, done.trimmed.tokens
            );
        }
    }
    Ok(
        if done.stop == StopReason::Cancelled && ctrlc.interrupted() {
            130
        } else {
            0
        },
    )
}
