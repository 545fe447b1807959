//! Opened files: reading them into a session, summarizing them, answering
//! a question from them. The request and the result are kept in the
//! session; a summary or answer stopped half-way keeps what was made.

use std::path::Path;

use serde::Serialize;

use crate::ask::{self, Answer, AskOptions};
use crate::docs::{Document, Limits};
use crate::llm::Engine;
use crate::prompts::Prompts;
use crate::store::{DocumentId, MessageId, MessageStatus, ReplyStats, Role, SessionId, Store};
use crate::summarize::{self, Summary, SummaryOptions, SummarySink};

use super::{model_name, off_thread, Cancel, WorkflowError};

/// Reads `files` into `session` (readings are cached in the store by the
/// file's hash). The first unreadable file stops it, named with the cause.
pub async fn open_files(
    store: &Store,
    session: SessionId,
    files: &[&Path],
    limits: &Limits,
) -> Result<Vec<(DocumentId, Document)>, WorkflowError> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        out.push(store.open_document(session, file, limits).await?);
    }
    Ok(out)
}

fn names(documents: &[(DocumentId, Document)]) -> Vec<String> {
    documents.iter().map(|(_, d)| d.file_name()).collect()
}

/// Keeps a summary or an answer that ended in `e` as the session's failed
/// reply; `e` back, or the store's error when even that could not be kept.
async fn keep_failure(
    store: &Store,
    session: SessionId,
    model: Option<String>,
    e: WorkflowError,
) -> WorkflowError {
    let stats = ReplyStats::failed(model, &e.to_string());
    match store
        .add_reply(session, "", MessageStatus::Failed, &stats)
        .await
    {
        Ok(_) => e,
        Err(kept) => kept.into(),
    }
}

/// What a finished (or stopped) summary or answer is kept with.
struct Kept {
    stopped: bool,
    prompt_tokens: usize,
    generated_tokens: usize,
    elapsed_ms: f64,
    citations: Vec<crate::store::Citation>,
}

impl Kept {
    /// Keeps `text` as the session's reply, stopped or complete.
    async fn store(
        self,
        store: &Store,
        session: SessionId,
        text: &str,
        model: Option<String>,
    ) -> Result<MessageId, WorkflowError> {
        let status = if self.stopped {
            MessageStatus::Cancelled
        } else {
            MessageStatus::Complete
        };
        let stats = ReplyStats {
            model,
            prompt_tokens: Some(self.prompt_tokens),
            generated_tokens: Some(self.generated_tokens),
            generate_ms: Some(self.elapsed_ms),
            citations: self.citations,
            ..ReplyStats::default()
        };
        Ok(store.add_reply(session, text, status, &stats).await?)
    }
}

fn check_documents(documents: &[(DocumentId, Document)]) -> Result<(), WorkflowError> {
    if documents.is_empty() {
        return Err(WorkflowError::invalid(
            "no_documents",
            "open a file first (Ctrl+O or drop it on the window)",
        ));
    }
    Ok(())
}

/// A summary as kept in the session.
#[derive(Debug, Serialize)]
pub struct Summarized {
    pub session: SessionId,
    pub reply: MessageId,
    pub summary: Summary,
    /// The points as stored and shown: one per line with its sources.
    pub text: String,
}

/// Summarizes `documents` of `session`: the request ("Summarize a.docx
/// (key points)") is kept first, then the summary with its citations, or
/// the failure. Stop keeps the notes made so far.
#[allow(clippy::too_many_arguments)]
pub async fn summarize(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    documents: Vec<(DocumentId, Document)>,
    options: SummaryOptions,
    prompts: Prompts,
    mut sink: Box<dyn SummarySink + Send>,
    cancel: Cancel,
) -> Result<Summarized, WorkflowError> {
    check_documents(&documents)?;
    let names = names(&documents);
    super::check_remote(store, engine.remote_url().as_deref(), &names).await?;
    let request = format!("Summarize {} ({})", names.join(", "), options.style.label());
    store.add_message(session, Role::User, &request).await?;
    let model = model_name(&engine);
    let result = off_thread(move || {
        let documents: Vec<Document> = documents.into_iter().map(|(_, d)| d).collect();
        summarize::summarize(&engine, &documents, &options, &prompts, &mut *sink, cancel)
    })
    .await
    .and_then(|r| r.map_err(WorkflowError::from));
    let summary = match result {
        Ok(s) => s,
        Err(e) => return Err(keep_failure(store, session, model, e).await),
    };
    let text = summary.render();
    let kept = Kept {
        stopped: !summary.complete,
        prompt_tokens: summary.stats.prompt_tokens,
        generated_tokens: summary.stats.generated_tokens,
        elapsed_ms: summary.stats.elapsed_ms,
        citations: summary.citations(),
    };
    let reply = kept.store(store, session, &text, model).await?;
    Ok(Summarized {
        session,
        reply,
        summary,
        text,
    })
}

/// An answer as kept in the session.
#[derive(Debug, Serialize)]
pub struct Answered {
    pub session: SessionId,
    pub reply: MessageId,
    pub answer: Answer,
}

/// Answers `question` (already kept with [`super::say`]) from `documents`
/// of `session`, citing the passages it rests on; says so when they do not
/// hold the answer. The answer, or the failure, is kept as the reply.
#[allow(clippy::too_many_arguments)]
pub async fn ask_files(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    documents: Vec<(DocumentId, Document)>,
    question: &str,
    options: AskOptions,
    prompts: Prompts,
    cancel: Cancel,
) -> Result<Answered, WorkflowError> {
    check_documents(&documents)?;
    if question.trim().is_empty() {
        return Err(WorkflowError::invalid(
            "empty_question",
            "type a question first",
        ));
    }
    super::check_remote(store, engine.remote_url().as_deref(), &names(&documents)).await?;
    let model = model_name(&engine);
    let job_store = store.clone();
    let job_question = question.to_owned();
    let runtime = tokio::runtime::Handle::current();
    // Retrieval is async over the store and generation blocks: the whole
    // job runs on a blocking thread that drives the store through the
    // caller's runtime.
    let result = off_thread(move || {
        runtime.block_on(ask::ask_files(
            &engine,
            &job_store,
            &documents,
            &job_question,
            &options,
            &prompts,
            cancel,
        ))
    })
    .await
    .and_then(|r| r.map_err(WorkflowError::from));
    let answer = match result {
        Ok(a) => a,
        Err(e) => return Err(keep_failure(store, session, model, e).await),
    };
    let kept = Kept {
        stopped: answer.cancelled,
        prompt_tokens: answer.prompt_tokens,
        generated_tokens: answer.generated_tokens,
        elapsed_ms: answer.elapsed_ms,
        citations: answer.sources.clone(),
    };
    let reply = kept.store(store, session, &answer.text, model).await?;
    Ok(Answered {
        session,
        reply,
        answer,
    })
}
