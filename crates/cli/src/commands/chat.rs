//! `deskpilot chat`: an interactive, multi-turn conversation in the terminal,
//! kept as a session (each message saved before the model sees it).

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::{ChatMessage, ChatRequest, Engine, LoadedModel, StopReason};
use deskpilot_core::prompts::system_prompt;
use deskpilot_core::store::{
    MessageStatus, RecordingSink, ReplyRecorder, ReplyStats, Role, SessionId, FLUSH_INTERVAL,
};

use crate::cli::ChatArgs;
use crate::db::{self, Db};
use crate::interrupt::CtrlC;
use crate::output::StdoutSink;
use crate::setup;

const HELP: &str = "\
Commands:
  /model PATH    switch to another GGUF model (the conversation is kept)
  /system TEXT   set the system prompt
  /reset         start a new session (the old one stays stored)
  /info          show the model in use
  /exit          leave (or Ctrl-D)
Ctrl-C stops a reply; at the prompt it leaves.";

pub fn run(args: ChatArgs, db_flag: Option<&Path>) -> Result<u8> {
    let settings = setup::load_settings()?;
    let sampling = setup::sampling(&args.sampling, &settings)?;
    let db = db::open(db_flag)?;
    let own = match args.session {
        Some(id) => db
            .run(db.store.session_backend(id))
            .context("reading the session's backend")?,
        None => None,
    };
    let config = setup::engine_config(&args.model, &settings, own)?;
    let mut system = args.system;
    let mut history: Vec<ChatMessage> = Vec::new();
    // A new session is created with the first message, titled after it.
    let mut session: Option<SessionId> = None;
    if let Some(id) = args.session {
        let info = db
            .run(db.store.session(id))
            .context("continuing the session")?;
        if system.is_some() {
            db.run(db.store.set_session_model(id, None, system.as_deref()))?;
        } else {
            system = info.system_prompt;
        }
        history = db
            .run(db.store.conversation(id))
            .context("reading the session")?
            .into_iter()
            .filter(|m| m.role != deskpilot_core::llm::Role::System)
            .collect();
        eprintln!(
            "Continuing session {id}, \"{}\" ({} messages).",
            info.title, info.messages
        );
        session = Some(id);
    }

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install(&engine)?;
    if let Some(m) = engine.model() {
        eprintln!("{}", banner(&m));
    }
    eprintln!("Type a message, /help for commands. Everything stays on this machine.");
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
                    session = None;
                    eprintln!("(new session; the previous one stays stored)");
                }
                "system" => {
                    system = Some(rest.trim().to_owned()).filter(|s| !s.is_empty());
                    if let Some(id) = session {
                        db.run(db.store.set_session_model(
                            id,
                            None,
                            Some(system.as_deref().unwrap_or("")),
                        ))?;
                    }
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

        let id = match session {
            Some(id) => id,
            None => {
                let id = db
                    .run(db.store.create_session(input, system.as_deref()))
                    .context("starting a session")?;
                eprintln!("(session {id})");
                session = Some(id);
                id
            }
        };
        db.run(db.store.add_message(id, Role::User, input))
            .context("saving your message")?;
        history.push(ChatMessage::user(input));
        let mut messages = Vec::new();
        messages.push(ChatMessage::system(system_prompt(system.as_deref())));
        messages.extend(history.iter().cloned());
        match reply(&db, &engine, &ctrlc, id, messages, &sampling)? {
            Some(text) => history.push(ChatMessage::assistant(text)),
            // Keep going: the user can shorten the message or switch model.
            None => {
                history.pop();
            }
        }
    }
    Ok(0)
}

/// Generates and stores one reply; `None` when generation failed (said on
/// stderr, and stored as failed).
fn reply(
    db: &Db,
    engine: &Engine,
    ctrlc: &CtrlC,
    session: SessionId,
    messages: Vec<ChatMessage>,
    sampling: &deskpilot_core::llm::SamplingParams,
) -> Result<Option<String>> {
    let model_name = engine.model().map(|m| m.info.name);
    let recorder = db
        .run(ReplyRecorder::start(
            &db.store,
            session,
            model_name.as_deref(),
            FLUSH_INTERVAL,
        ))
        .context("saving the reply")?;
    let sink = RecordingSink {
        inner: Box::new(StdoutSink {
            ends_with_newline: Arc::new(AtomicBool::new(false)),
        }),
        text: recorder.text(),
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
            let status = MessageStatus::of(done.stop);
            let stats = ReplyStats::of(&done);
            db.run(recorder.finish(&done.text, status, &stats))
                .context("saving the reply")?;
            Ok(Some(done.text))
        }
        Err(e) => {
            eprintln!("deskpilot: generating: {e}");
            db.run(recorder.fail(model_name, &e.to_string()))
                .context("saving the failed reply")?;
            Ok(None)
        }
    }
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
