//! `deskpilot chat`: an interactive, multi-turn conversation in the terminal.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::{ChatMessage, ChatRequest, Engine, LoadedModel, StopReason};

use crate::cli::ChatArgs;
use crate::interrupt::CtrlC;
use crate::output::StdoutSink;
use crate::setup;

const HELP: &str = "\
Commands:
  /model PATH    switch to another GGUF model (the conversation is kept)
  /system TEXT   set the system prompt
  /reset         forget the conversation
  /info          show the model in use
  /exit          leave (or Ctrl-D)
Ctrl-C stops a reply; at the prompt it leaves.";

pub fn run(args: ChatArgs) -> Result<u8> {
    let settings = setup::load_settings()?;
    let sampling = setup::sampling(&args.sampling, &settings)?;
    let config = setup::engine_config(&args.model, &settings)?;
    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install(&engine)?;
    if let Some(m) = engine.model() {
        eprintln!("{}", banner(&m));
    }
    eprintln!("Type a message, /help for commands. Everything stays on this machine.");

    let mut system = args.system;
    let mut history: Vec<ChatMessage> = Vec::new();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        eprint!("\nyou> ");
        let _ = std::io::stderr().flush();
        let Some(line) = lines.next() else { break };
        let line = line.context("reading from the terminal")?;
        let input = line.trim();
        if input.is_empty() {
            continue;
        }
        if let Some(cmd) = input.strip_prefix('/') {
            let (name, rest) = cmd.split_once(' ').unwrap_or((cmd, ""));
            match name {
                "exit" | "quit" => break,
                "help" => eprintln!("{HELP}"),
                "reset" => {
                    history.clear();
                    eprintln!("(conversation cleared)");
                }
                "system" => {
                    system = Some(rest.trim().to_owned()).filter(|s| !s.is_empty());
                    eprintln!(
                        "(system prompt {})",
                        if system.is_some() { "set" } else { "cleared" }
                    );
                }
                "info" => {
                    if let Some(m) = engine.model() {
                        eprintln!("{}", banner(&m));
                    }
                }
                "model" => switch_model(&engine, rest.trim()),
                _ => eprintln!("unknown command /{name}; /help lists them"),
            }
            continue;
        }

        history.push(ChatMessage::user(input));
        let mut messages = Vec::new();
        if let Some(s) = &system {
            messages.push(ChatMessage::system(s.clone()));
        }
        messages.extend(history.iter().cloned());
        let sink = StdoutSink {
            ends_with_newline: Arc::new(AtomicBool::new(false)),
        };
        let ticket = engine.submit(
            ChatRequest {
                messages,
                sampling: sampling.clone(),
            },
            Box::new(sink),
        );
        ctrlc.running(ticket.id);
        let result = ticket.wait();
        ctrlc.idle();
        println!();
        match result {
            Ok(done) => {
                if done.stop == StopReason::Cancelled {
                    eprintln!("(stopped)");
                }
                if done.trimmed.messages > 0 {
                    eprintln!(
                        "(note: the {} earliest messages no longer fit the context and were left out)",
                        done.trimmed.messages
                    );
                }
                history.push(ChatMessage::assistant(done.text));
            }
            Err(e) => {
                // Keep going: the user can shorten the message or switch model.
                history.pop();
                eprintln!("deskpilot: generating: {e}");
            }
        }
    }
    Ok(0)
}

fn switch_model(engine: &Engine, path: &str) {
    if path.is_empty() {
        eprintln!("usage: /model PATH");
        return;
    }
    eprintln!("(loading {path} ...)");
    match engine.load_model(Path::new(path)) {
        Ok(m) => eprintln!("{}", banner(&m)),
        Err(e) => eprintln!("deskpilot: switching model: {e} (still using the previous model)"),
    }
}

fn banner(m: &LoadedModel) -> String {
    format!(
        "Model: {} ({}, {} parameters, {}), context {} tokens, {} threads, template: {}",
        m.info.name,
        m.info.architecture,
        m.info.parameters_human(),
        m.info.quantization,
        m.n_ctx,
        m.threads,
        m.template
    )
}
