//! `deskpilot edit`: the model's proofreading or rewrite of a Word
//! document, delivered as a copy with every change a tracked revision.
//! The original file is never written; the selected paragraphs and their
//! edited text are kept as a draft in a session too.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::edit::{self, DocxEdit, EditOp, Selection};
use deskpilot_core::workflow::{self, edits::AUTHOR, EditInput};

use crate::cli::EditArgs;
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::line;
use crate::setup;

pub fn run(args: EditArgs, db_flag: Option<&Path>) -> Result<u8> {
    let op = EditOp::parse(&args.op, args.to.as_deref())?;
    let settings = setup::load_settings()?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let doc = DocxEdit::open(&args.file, &limits)?;
    let selection = match (&args.r#where, &args.r#match) {
        (Some(w), _) => Selection::Where(w.clone()),
        (None, Some(m)) => Selection::Match(m.clone()),
        (None, None) => Selection::All,
    };
    let indices = doc.select(&selection)?;
    let config = setup::engine_config(&args.model, &settings, None)?;
    let db = db::open(db_flag)?;
    setup::confirm_files(&db, &config, &[args.file.as_path()], args.model.send_files)?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let session = db
        .run(
            db.store
                .create_session(&format!("Edit: {name} ({})", op.name()), None),
        )
        .context("starting a session")?;

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let prompts = setup::prompts()?;
    let quiet = args.json;
    let progress = Box::new(move |p: edit::Progress<'_>| {
        if !quiet && p.done < p.total {
            eprintln!(
                "deskpilot: editing {} ({} of {})",
                p.loc.unwrap_or("a paragraph"),
                p.done + 1,
                p.total
            );
        }
    });
    let input = EditInput {
        session,
        doc,
        file_name: name,
        op,
        indices,
        out: args.out.clone(),
        comments: args.comments,
    };
    let result = db.run(workflow::edit_document(
        &db.store,
        Arc::clone(&engine),
        input,
        prompts,
        progress,
        cancel,
    ));
    ctrlc.idle();
    let done = result.context("editing")?;
    let (report, written, draft_id) = (done.report, done.paragraphs_changed, done.draft);
    let Some(out) = done.out else {
        eprintln!(
            "deskpilot: stopped; nothing was written ({} unchanged)",
            args.file.display()
        );
        return Ok(130);
    };
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        v["out"] = serde_json::json!(out.display().to_string());
        v["paragraphs_changed"] = serde_json::json!(written);
        v["session"] = serde_json::json!(session);
        line(&serde_json::to_string(&v)?);
    } else {
        for c in &report.changed {
            line(&format!("{}:", c.loc.as_deref().unwrap_or("paragraph")));
            line(&format!("  - {}", c.before.trim()));
            line(&format!("  + {}", c.after.trim()));
        }
        for s in &report.skipped {
            line(&format!(
                "{}: left as it is: {}",
                s.loc.as_deref().unwrap_or("paragraph"),
                s.why
            ));
        }
        eprintln!(
            "deskpilot: wrote {} with {written} paragraph(s) changed as {} by {AUTHOR} \
             ({} unchanged, {} left); {} in Word or LibreOffice",
            out.display(),
            if args.comments {
                "comments"
            } else {
                "tracked changes"
            },
            report.unchanged,
            report.skipped.len(),
            if args.comments {
                "read them"
            } else {
                "accept or reject them"
            }
        );
    }
    eprintln!("deskpilot: kept as draft {draft_id} in session {session}");
    Ok(0)
}
