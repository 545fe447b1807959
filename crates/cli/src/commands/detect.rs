//! `deskpilot detect`: how likely a text (pasted on stdin or read from any
//! file the readers open) is machine-written, judged by the local model.
//! The text and the verdict are kept as a session.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::detect::{self, DetectError, Level, Verdict};
use deskpilot_core::llm::{Cancellable, Flow, TokenSink};
use deskpilot_core::store::{MessageStatus, ReplyStats, Role};

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

/// The verdict as people read it.
pub fn render(v: &Verdict) -> String {
    let mut out = String::new();
    match v.ai_probability {
        Some(p) => out.push_str(&format!(
            "{} (AI probability {:.0}%)\n",
            v.level.label(),
            p * 100.0
        )),
        None => out.push_str(&format!("{}\n", Level::TooShort.label())),
    }
    out.push_str(&format!(
        "perplexity {:.1}, burstiness {:.2}, mean log-rank {:.2}, discrepancy {:.2}; {} tokens under {}\n",
        v.perplexity, v.burstiness, v.log_rank, v.discrepancy, v.tokens, v.model
    ));
    // The sentences the verdict rests on most, and how hard each pushed.
    let drove: Vec<_> = v.sentences.iter().filter(|s| s.drove).collect();
    if !drove.is_empty() {
        let toward = if v.ai_probability.is_some_and(|p| p >= 0.5) {
            "machine-written"
        } else {
            "human"
        };
        out.push_str(&format!("sentences that weighed most toward {toward}:\n"));
        for s in drove {
            out.push_str(&format!(
                "  {:9} {}\n",
                s.strength.unwrap_or_default(),
                shorten(s.text.trim(), 100)
            ));
        }
    }
    out.push_str(&v.note);
    out
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max - 1).collect();
    format!("{cut}…")
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
    let title = if from_stdin {
        "Detect: pasted text".to_owned()
    } else {
        let file = args.file.file_name().unwrap_or_default().to_string_lossy();
        format!("Detect: {file}")
    };
    // The text is kept before the model loads: nothing pasted is lost.
    let session = db
        .run(db.store.create_session(&title, None))
        .context("starting a session")?;
    let text = if from_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from stdin")?;
        db.run(db.store.add_message(session, Role::User, &s))
            .context("saving the text")?;
        s
    } else {
        let request = format!("Is {name} machine-written?");
        db.run(db.store.add_message(session, Role::User, &request))
            .context("saving the request")?;
        let (_, doc) = db
            .run(db.store.open_document(session, &args.file, &limits))
            .with_context(|| format!("reading {name}"))?;
        doc.plain_text()
    };
    if text.trim().is_empty() {
        return Err(DetectError::Empty { source_name: name }).context("judging");
    }

    let engine = Arc::new(setup::start_engine(config)?);
    let calibration = detect::calibration_for(&engine, detect::calibration_dir().as_deref())
        .context("choosing the calibration")?;
    let ctrlc = CtrlC::install()?;
    let cancel = Arc::new(AtomicBool::new(false));
    ctrlc.cancels(&cancel);
    let tty = std::io::stderr().is_terminal();
    let sink = Cancellable {
        inner: Progress { tty },
        cancel,
    };
    let result = detect::detect_text(&engine, &text, &name, &calibration, Box::new(sink));
    ctrlc.idle();
    if tty {
        eprint!("\r\x1b[2K");
    }
    let verdict = match result {
        Err(DetectError::Cancelled) => {
            eprintln!("deskpilot: stopped; the text is kept in session {session}");
            return Ok(130);
        }
        other => other.with_context(|| format!("judging {name}"))?,
    };
    let shown = render(&verdict);
    let stats = ReplyStats {
        model: Some(verdict.model.clone()),
        prompt_tokens: Some(verdict.tokens),
        ..ReplyStats::default()
    };
    db.run(
        db.store
            .add_reply(session, &shown, MessageStatus::Complete, &stats),
    )
    .context("saving the verdict")?;
    if args.json {
        line(&serde_json::to_string(&verdict).context("encoding JSON")?);
    } else {
        line(&shown);
    }
    eprintln!("deskpilot: kept in session {session}");
    Ok(0)
}
