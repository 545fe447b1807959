//! `deskpilot ask`: one prompt, one streamed reply, kept in a session.
//!
//! Order matters for "nothing the user wrote is lost": the prompt is
//! committed to the database before the model is even loaded; the reply is
//! written while it streams and closed with its status.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::ask::AskOptions;
use deskpilot_core::config::BackendChoice;
use deskpilot_core::llm::{NullSink, StopReason, TokenSink};
use deskpilot_core::workflow;

use crate::cli::{AskArgs, SessionChoice};
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::StdoutSink;
use crate::setup;

/// Returns the process exit status.
pub fn run(args: AskArgs, db_flag: Option<&Path>) -> Result<u8> {
    let prompt = if args.prompt == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the prompt from stdin")?;
        s
    } else {
        args.prompt.clone()
    };
    if !args.files.is_empty() {
        return run_files(&args, &prompt, db_flag);
    }
    let settings = setup::load_settings()?;
    let sampling = setup::sampling(&args.sampling, &settings)?;
    let db = db::open(db_flag)?;
    let config = setup::engine_config(&args.model, &settings, session_choice(&db, args.session)?)?;
    let session = resolve_session(&db, &args)?;
    // Committed before the model is even loaded.
    let said = db
        .run(workflow::say(
            &db.store,
            session,
            &prompt,
            args.system.as_deref(),
        ))
        .context("saving the prompt")?;
    let session = said.session;

    let kept = || format!("your prompt is kept in session {session}");
    let engine =
        Arc::new(setup::start_engine(config).map_err(|e| anyhow::anyhow!("{e:#} ({})", kept()))?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let newline = Arc::new(AtomicBool::new(true));
    let sink: Box<dyn TokenSink> = if args.json {
        Box::new(NullSink)
    } else {
        Box::new(StdoutSink {
            ends_with_newline: Arc::clone(&newline),
        })
    };
    let result = db.run(workflow::reply(
        &db.store,
        Arc::clone(&engine),
        session,
        sampling,
        sink,
        cancel,
        |_| {},
    ));
    ctrlc.idle();
    let replied = result.map_err(|e| anyhow::anyhow!("generating: {e} ({})", kept()))?;
    let done = &replied.completion;

    eprintln!("deskpilot: kept in session {session} (continue with --session {session})");
    if args.json {
        let mut v = serde_json::to_value(done).context("encoding JSON")?;
        v["session"] = session.into();
        v["message"] = replied.reply.into();
        crate::output::line(&serde_json::to_string(&v).context("encoding JSON")?);
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

/// The session `--session` names, or a new one titled after the prompt.
/// The backend a continued session chose for itself, if any.
fn session_choice(db: &db::Db, session: SessionChoice) -> Result<Option<BackendChoice>> {
    match session {
        SessionChoice::New => Ok(None),
        SessionChoice::Id(id) => db
            .run(db.store.session_backend(id))
            .context("reading the session's backend"),
    }
}

/// The session `--session` continues (with `--system` set on it), or
/// `None` for a new one.
fn resolve_session(db: &db::Db, args: &AskArgs) -> Result<Option<i64>> {
    let store = &db.store;
    Ok(match args.session {
        SessionChoice::New => None,
        SessionChoice::Id(id) => {
            db.run(store.session(id))
                .context("continuing the session")?;
            if let Some(system) = &args.system {
                db.run(store.set_session_model(id, None, Some(system)))?;
            }
            Some(id)
        }
    })
}

/// `ask --file`: the answer from the files' passages, with its sources.
fn run_files(args: &AskArgs, question: &str, db_flag: Option<&Path>) -> Result<u8> {
    let settings = setup::load_settings()?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let db = db::open(db_flag)?;
    let config = setup::engine_config(&args.model, &settings, session_choice(&db, args.session)?)?;
    let files: Vec<&Path> = args.files.iter().map(|f| f.as_path()).collect();
    setup::confirm_files(&db, &config, &files, args.model.send_files)?;
    let session = resolve_session(&db, args)?;
    let said = db
        .run(workflow::say(
            &db.store,
            session,
            question,
            args.system.as_deref(),
        ))
        .context("saving the question")?;
    let session = said.session;
    let files: Vec<&Path> = args.files.iter().map(|f| f.as_path()).collect();
    let documents = db
        .run(workflow::open_files(&db.store, session, &files, &limits))
        .context("reading the files")?;
    let kept = || format!("your question is kept in session {session}");
    let engine =
        Arc::new(setup::start_engine(config).map_err(|e| anyhow::anyhow!("{e:#} ({})", kept()))?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let prompts = setup::prompts()?;
    let mut options = AskOptions {
        embeddings: !args.keywords_only,
        ..AskOptions::default()
    };
    if let Some(n) = args.sampling.max_tokens {
        options.max_tokens = n;
    }
    let result = db.run(workflow::ask_files(
        &db.store,
        Arc::clone(&engine),
        session,
        documents,
        question,
        options,
        prompts,
        cancel,
    ));
    ctrlc.idle();
    let answer = result
        .map_err(|e| anyhow::anyhow!("answering from the files: {e} ({})", kept()))?
        .answer;

    if args.json {
        let mut v = serde_json::to_value(&answer).context("encoding JSON")?;
        v["session"] = session.into();
        crate::output::line(&serde_json::to_string(&v)?);
    } else {
        crate::output::line(&answer.text);
        if !answer.sources.is_empty() {
            crate::output::line("\nSources:");
            for s in &answer.sources {
                crate::output::line(&format!("  {}, {}", s.file, s.loc));
            }
        }
    }
    eprintln!("deskpilot: kept in session {session}");
    Ok(if answer.cancelled { 130 } else { 0 })
}
