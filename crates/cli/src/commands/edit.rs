//! `deskpilot edit`: the model's proofreading or rewrite of a Word
//! document, delivered as a copy with every change a tracked revision.
//! The original file is never written; the selected paragraphs and their
//! edited text are kept as a draft in a session too.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::edit::{self, DocxEdit, EditOp, Selection};
use deskpilot_core::store::DraftOrigin;

use crate::cli::EditArgs;
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::line;
use crate::setup;

/// Who the revisions are by, as Word shows it.
const AUTHOR: &str = "Deskpilot";

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
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| doc.copy_path(&op.name()));
    let config = setup::engine_config(&args.model, &settings, None)?;
    let db = db::open(db_flag)?;
    setup::confirm_files(&db, &config, &[args.file.as_path()], args.model.send_files)?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = format!("Edit: {name} ({})", op.name());
    let session = db
        .run(db.store.create_session(&title, None))
        .context("starting a session")?;
    let (original, _) = doc.texts(&indices, &[]);
    let draft_id = db
        .run(db.store.create_draft(
            Some(session),
            None,
            &title,
            &original,
            &serde_json::json!({ "file": args.file.display().to_string() }),
            &DraftOrigin::Original,
        ))
        .context("saving the paragraphs to edit")?;

    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = Arc::new(AtomicBool::new(false));
    ctrlc.cancels(&cancel);
    let prompts = setup::prompts()?;
    let quiet = args.json;
    let mut progress = |p: edit::Progress<'_>| {
        if !quiet && p.done < p.total {
            eprintln!(
                "deskpilot: editing {} ({} of {})",
                p.loc.unwrap_or("a paragraph"),
                p.done + 1,
                p.total
            );
        }
    };
    let result = edit::run(
        &engine,
        &prompts,
        &doc,
        &op,
        &indices,
        cancel,
        &mut progress,
    );
    ctrlc.idle();
    let (changes, report) = result.context("editing")?;
    if report.cancelled {
        eprintln!(
            "deskpilot: stopped; nothing was written ({} unchanged)",
            args.file.display()
        );
        return Ok(130);
    }
    let (_, edited) = doc.texts(&indices, &changes);
    db.run(
        db.store
            .add_draft_version(draft_id, &edited, &DraftOrigin::rewrite(&op.name())),
    )
    .context("saving the edit")?;
    let written = if args.comments {
        doc.write_as_comments(&changes, &out, AUTHOR, &op.name())?
    } else {
        doc.write(&changes, &out, AUTHOR)?
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
