//! `deskpilot draft`, `rewrite` and `templates`: first drafts from
//! templates (optionally drawing on files), rewrites of any text, both kept
//! as drafts in a session and exportable to .docx or Markdown.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::config;
use deskpilot_core::docs;
use deskpilot_core::draft::{self, template, RewriteOp};
use deskpilot_core::llm::{NullSink, TokenSink};
use deskpilot_core::workflow::{self, drafts::RewriteInput};

use crate::cli::{DraftArgs, RewriteArgs};
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::{line, StdoutSink};
use crate::setup;

fn templates_dir() -> Result<std::path::PathBuf> {
    Ok(config::data_dir()
        .context("finding the data folder")?
        .join("templates"))
}

pub fn templates(json: bool) -> Result<u8> {
    let all = template::load_all(Some(&templates_dir()?)).context("reading templates")?;
    if json {
        line(&serde_json::to_string(&all)?);
        return Ok(0);
    }
    for t in all {
        line(&format!("{:<18} {} — {}", t.id, t.name, t.description));
        for f in &t.fields {
            let how = if f.required {
                "required".to_owned()
            } else {
                format!("default: {}", f.default.as_deref().unwrap_or(""))
            };
            line(&format!(
                "{:<18}   --field {}=...  {} ({how})",
                "", f.key, f.label
            ));
        }
    }
    line(&format!(
        "\nYour own templates: Markdown files in {}",
        templates_dir()?.display()
    ));
    Ok(0)
}

/// `--out` must name a file in a folder that exists.
fn check_out(out: Option<&Path>) -> Result<()> {
    if let Some(out) = out {
        let dir = out.parent().filter(|d| !d.as_os_str().is_empty());
        if dir.is_some_and(|d| !d.is_dir()) {
            anyhow::bail!("{}: the folder does not exist", out.display());
        }
    }
    Ok(())
}

fn stream_sink(to_stdout: bool) -> Box<dyn TokenSink> {
    if to_stdout {
        Box::new(StdoutSink {
            ends_with_newline: Arc::new(AtomicBool::new(false)),
        })
    } else {
        Box::new(NullSink)
    }
}

pub fn run(args: DraftArgs, db_flag: Option<&Path>) -> Result<u8> {
    let tpl =
        template::find(&args.template, Some(&templates_dir()?)).context("choosing the template")?;
    let mut values = Vec::new();
    for f in &args.fields {
        let (k, v) = f
            .split_once('=')
            .with_context(|| format!("--field {f:?}: expected KEY=VALUE"))?;
        values.push((k.trim().to_owned(), v.to_owned()));
    }
    // Check the fields and the output folder before loading anything.
    tpl.fill(&values).context("filling the template")?;
    check_out(args.out.as_deref())?;

    let settings = setup::load_settings()?;
    let config = setup::engine_config(&args.model, &settings, None)?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let db = db::open(db_flag)?;
    let files: Vec<&Path> = args.files.iter().map(|f| f.as_path()).collect();
    setup::confirm_files(&db, &config, &files, args.model.send_files)?;
    let title = format!("{} draft", tpl.name);
    let session = db
        .run(db.store.create_session(&title, None))
        .context("starting a session")?;
    let documents = db
        .run(workflow::open_files(&db.store, session, &files, &limits))
        .context("reading the files")?;
    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    // Streamed when nothing needs rewriting afterwards (no citations to
    // resolve, no file to write).
    let stream = args.out.is_none() && args.files.is_empty();
    let result = db.run(workflow::draft(
        &db.store,
        Arc::clone(&engine),
        session,
        tpl,
        values,
        documents,
        args.max_tokens,
        stream_sink(stream),
        cancel,
    ));
    ctrlc.idle();
    let done = result.context("drafting")?;
    let (draft_id, result) = (done.draft, done.result);
    if let Some(out) = &args.out {
        draft::write_draft(&result.text, out).map_err(|e| {
            anyhow::anyhow!("{e} (the draft is kept as draft {draft_id} in session {session})")
        })?;
        eprintln!("Wrote {}.", out.display());
    } else if stream {
        line("");
    } else {
        line(&result.text);
    }
    if !result.sources.is_empty() {
        eprintln!(
            "Sources: {}",
            result
                .sources
                .iter()
                .map(|s| format!("{}, {}", s.file, s.loc))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    for u in &result.unsupported.sentences {
        eprintln!(
            "deskpilot: note: not cited, its passages do not contain {}: {}",
            deskpilot_core::support::describe(&u.missing),
            u.text
        );
    }
    eprintln!("deskpilot: kept as draft {draft_id} in session {session}");
    Ok(if result.cancelled { 130 } else { 0 })
}

pub fn rewrite(args: RewriteArgs, db_flag: Option<&Path>) -> Result<u8> {
    let op = RewriteOp::parse(&args.op, args.to.as_deref())?;
    check_out(args.out.as_deref())?;
    let settings = setup::load_settings()?;
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from stdin")?;
        s
    } else {
        let limits = settings.document_limits.clone().unwrap_or_default();
        let doc = docs::open_with(&args.file, &limits)
            .with_context(|| format!("reading {}", args.file.display()))?;
        doc.plain_text()
    };
    if text.trim().is_empty() {
        anyhow::bail!("nothing to rewrite: the text is empty");
    }
    let config = setup::engine_config(&args.model, &settings, None)?;
    let db = db::open(db_flag)?;
    if args.file.as_os_str() != "-" {
        setup::confirm_files(&db, &config, &[args.file.as_path()], args.model.send_files)?;
    }
    let session = db
        .run(
            db.store
                .create_session(&format!("Rewrite: {}", op.name()), None),
        )
        .context("starting a session")?;
    let engine = Arc::new(setup::start_engine(config)?);
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let prompts = setup::prompts()?;
    let input = RewriteInput {
        session,
        draft: None,
        op,
        text,
        whole: None,
    };
    // Not streamed: small models wrap their rewrite in chatter that is
    // cleaned off at the end.
    let result = db.run(workflow::rewrite(
        &db.store,
        Arc::clone(&engine),
        input,
        prompts,
        stream_sink(false),
        cancel,
    ));
    ctrlc.idle();
    let done = result.context("rewriting")?;
    let (draft_id, version, result) = (done.draft, done.version, done.result);
    match &args.out {
        Some(out) => {
            draft::write_draft(&result.text, out).map_err(|e| {
                anyhow::anyhow!(
                    "{e} (the rewrite is kept as draft {draft_id} version {version} in session {session})"
                )
            })?;
            eprintln!("Wrote {}.", out.display());
        }
        None => line(&result.text),
    }
    eprintln!("deskpilot: kept as draft {draft_id} version {version} in session {session}");
    Ok(if result.cancelled { 130 } else { 0 })
}
