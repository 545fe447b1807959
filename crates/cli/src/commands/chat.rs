//! `deskpilot chat`: an interactive, multi-turn conversation in the terminal,
//! kept as a session (each message saved before the model sees it).

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::{Engine, LoadedModel, SamplingParams, StopReason};
use deskpilot_core::store::SessionId;
use deskpilot_core::workflow::{self, WorkflowError};

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
        eprintln!(
            "Continuing session {id}, \"{}\" ({} messages).",
            info.title, info.messages
        );
        session = Some(id);
    }

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
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

        let said = db
            .run(workflow::say(&db.store, session, input, system.as_deref()))
            .context("saving your message")?;
        if session.is_none() {
            eprintln!("(session {})", said.session);
            session = Some(said.session);
        }
        // A failed reply is said on stderr and kept as failed; the chat
        // goes on (the user can shorten the message or switch model).
        reply(&db, &engine, &ctrlc, said.session, &sampling)?;
    }
    Ok(0)
}

/// Generates and stores one reply to the session as it stands.
fn reply(
    db: &Db,
    engine: &Arc<Engine>,
    ctrlc: &CtrlC,
    session: SessionId,
    sampling: &SamplingParams,
) -> Result<()> {
    let sink = Box::new(StdoutSink {
        ends_with_newline: Arc::new(AtomicBool::new(false)),
    });
    let cancel = ctrlc.job();
    let result = db.run(workflow::reply(
        &db.store,
        Arc::clone(engine),
        session,
        sampling.clone(),
        sink,
        cancel,
        |_| {},
    ));
    ctrlc.idle();
    println!();
    match result {
        Ok(replied) => {
            let done = &replied.completion;
            if done.stop == StopReason::Cancelled {
                eprintln!("(stopped)");
            }
            if done.trimmed.messages > 0 {
                eprintln!(
                    "(note: the {} earliest messages no longer fit the context and were left out)",
                    done.trimmed.messages
                );
            }
            Ok(())
        }
        Err(WorkflowError::Llm(e)) => {
            eprintln!("deskpilot: generating: {e}");
            Ok(())
        }
        Err(e) => Err(e).context("saving the reply"),
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
