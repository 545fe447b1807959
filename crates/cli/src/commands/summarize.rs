//! `deskpilot summarize`: files of any length to points with sources. The
//! request and the summary are kept as a session; the files' readings are
//! cached in the store.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::llm::Flow;
use deskpilot_core::summarize::{Progress, Stage, SummaryOptions, SummarySink};
use deskpilot_core::workflow;

use crate::cli::SummarizeArgs;
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::line;
use crate::setup;

/// Progress on stderr, on one rewritten line when it is a terminal.
struct StderrProgress {
    tty: bool,
}

impl SummarySink for StderrProgress {
    fn on_progress(&mut self, p: &Progress) -> Flow {
        let what = match p.stage {
            Stage::Read => "reading".to_owned(),
            Stage::Map => format!("part {} of {}", p.step, p.steps),
            Stage::Reduce => format!("combining, step {} of {}", p.step, p.steps),
        };
        let eta = p
            .eta_ms
            .map(|ms| format!(", about {:.0} s left", ms / 1000.0))
            .unwrap_or_default();
        let msg = format!("summarizing: {what}, {:.0} s{eta}", p.elapsed_ms / 1000.0);
        if self.tty {
            eprint!("\r\x1b[2K{msg}");
        } else {
            eprintln!("{msg}");
        }
        Flow::Continue
    }
}

pub fn run(args: SummarizeArgs, db_flag: Option<&Path>) -> Result<u8> {
    let settings = setup::load_settings()?;
    let config = setup::engine_config(&args.model, &settings, None)?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let db = db::open(db_flag)?;
    let files: Vec<&Path> = args.files.iter().map(|f| f.as_path()).collect();
    setup::confirm_files(&db, &config, &files, args.model.send_files)?;
    let names: Vec<String> = args
        .files
        .iter()
        .map(|f| {
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let title = format!("Summarize {} ({})", names.join(", "), args.style.label());
    let session = db
        .run(db.store.create_session(&title, None))
        .context("starting a session")?;
    let documents = db
        .run(workflow::open_files(&db.store, session, &files, &limits))
        .context("reading the files")?;

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let options = SummaryOptions {
        style: args.style,
        points: args.length,
        language: args.lang.clone(),
        ..SummaryOptions::default()
    };
    let prompts = setup::prompts()?;
    let tty = std::io::stderr().is_terminal();
    let result = db.run(workflow::summarize(
        &db.store,
        Arc::clone(&engine),
        session,
        documents,
        options,
        prompts,
        Box::new(StderrProgress { tty }),
        cancel,
    ));
    ctrlc.idle();
    if tty {
        eprint!("\r\x1b[2K");
    }
    let done = result.context("summarizing")?;
    let (summary, text) = (done.summary, done.text);

    if args.json {
        let mut v = serde_json::to_value(&summary).context("encoding JSON")?;
        v["session"] = session.into();
        line(&serde_json::to_string(&v)?);
    } else {
        if summary.points.is_empty() {
            eprintln!("deskpilot: the model produced no point that the documents support");
        }
        line(&text);
        if !summary.complete {
            eprintln!(
                "deskpilot: stopped: these are the notes from the {} parts read so far",
                summary.chunks
            );
        }
        if summary.stats.dropped_points > 0 || summary.stats.invalid_citations > 0 {
            eprintln!(
                "deskpilot: note: {} point(s) left out as not found in the documents, {} citation(s) to nothing removed",
                summary.stats.dropped_points, summary.stats.invalid_citations
            );
        }
        let checked = &summary.stats.unsupported;
        if !checked.sentences.is_empty() {
            eprintln!(
                "deskpilot: note: {} point(s) claimed a number, date, name or change their passages do not contain: {} cut to the part they support, {} rewritten from the passage, {} left out",
                checked.sentences.len(),
                checked.trimmed,
                checked.rewritten,
                checked.dropped
            );
        }
    }
    eprintln!("deskpilot: kept in session {session}");
    Ok(if summary.complete { 0 } else { 130 })
}
