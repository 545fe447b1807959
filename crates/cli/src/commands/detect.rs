//! `deskpilot detect`: how likely a text (pasted on stdin or read from any
//! file the readers open) is machine-written, judged by the local model.
//! The text and the verdict are kept as a session.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::{Flow, TokenSink};
use deskpilot_core::workflow::{self, detect::DetectInput};

use crate::cli::DetectArgs;
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::line;
use crate::setup;

/// Scoring progress on stderr, on one rewritten line in a terminal.
struct Progress {
    tty: bool,
}

impl TokenSink for Progress {
    fn on_prompt_progress(&mut self, done: usize, total: usize) -> Flow {
        if self.tty && total > 0 {
            eprint!("\r\x1b[2Kscoring: {done} of {total} tokens");
        }
        Flow::Continue
    }

    fn on_text(&mut self, _text: &str) -> Flow {
        Flow::Continue
    }
}

pub fn run(args: DetectArgs, db_flag: Option<&Path>) -> Result<u8> {
    let settings = setup::load_settings()?;
    // Detection reads every token's probability: always the local model,
    // and the text never leaves this computer, --remote or not.
    let config = setup::detect_engine_config(&args.model, &settings)?;
    if args.model.remote.is_some() {
        eprintln!("deskpilot: note: detection runs on the local model; nothing is sent to the remote server");
    }
    let limits = settings.document_limits.clone().unwrap_or_default();
    let db = db::open(db_flag)?;
    let from_stdin = args.file.as_os_str() == "-";
    let name = if from_stdin {
        "the text on stdin".to_owned()
    } else {
        args.file.display().to_string()
    };
    // The text is kept before the model loads: nothing pasted is lost.
    let (session, input) = if from_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from stdin")?;
        let input = DetectInput::Pasted(s);
        let session = db
            .run(workflow::detect::keep_text(&db.store, None, &input))
            .context("keeping the text")?;
        (session, input)
    } else {
        let request = DetectInput::Document {
            name: name.clone(),
            text: String::new(),
        };
        let session = db
            .run(workflow::detect::keep_text(&db.store, None, &request))
            .context("keeping the request")?;
        let (_, doc) = db
            .run(db.store.open_document(session, &args.file, &limits))
            .with_context(|| format!("reading {name}"))?;
        let text = doc.plain_text();
        (
            session,
            DetectInput::Document {
                name: name.clone(),
                text,
            },
        )
    };

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let tty = std::io::stderr().is_terminal();
    let result = db.run(workflow::detect::detect(
        &db.store,
        Arc::clone(&engine),
        session,
        input,
        Box::new(Progress { tty }),
        cancel,
    ));
    ctrlc.idle();
    if tty {
        eprint!("\r\x1b[2K");
    }
    let Some(verdict) = result.with_context(|| format!("judging {name}"))?.verdict else {
        eprintln!("deskpilot: stopped; the text is kept in session {session}");
        return Ok(130);
    };
    let shown = verdict.render();
    if args.json {
        line(&serde_json::to_string(&verdict).context("encoding JSON")?);
    } else {
        line(&shown);
    }
    eprintln!("deskpilot: kept in session {session}");
    Ok(0)
}
