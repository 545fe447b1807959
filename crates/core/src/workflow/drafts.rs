//! First drafts from templates (drawing on opened files, with citations)
//! and rewrites of any text, each kept as a draft with all its versions:
//! the text before a rewrite is kept as a version before the model runs.

use serde::Serialize;

use crate::docs::Document;
use crate::draft::{self, DraftResult, RewriteOp, RewriteResult, SharedSink, Template};
use crate::llm::{Engine, TokenSink};
use crate::prompts::Prompts;
use crate::store::{DocumentId, DraftId, DraftOrigin, Role, SessionId, Store};

use super::{off_thread, Cancel, WorkflowError};

/// A first draft as kept.
#[derive(Debug, Serialize)]
pub struct Drafted {
    pub session: SessionId,
    pub draft: DraftId,
    pub version: i64,
    pub result: DraftResult,
}

/// The request as the session keeps it: the template and the fields, in
/// the template's order whatever order the front end gave them in.
pub fn draft_request(template: &Template, values: &[(String, String)]) -> String {
    let place = |k: &str| {
        template
            .fields
            .iter()
            .position(|f| f.key == k)
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<&(String, String)> = values.iter().collect();
    ordered.sort_by_key(|(k, _)| place(k));
    std::iter::once(format!("Draft: {}", template.name))
        .chain(ordered.iter().map(|(k, v)| format!("{k}: {v}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes a first draft from `template` with `values` (empty values left
/// to the template's defaults), drawing on `documents` when there are any.
/// The fields are checked before the model is asked anything; the request
/// is kept in `session` first, the draft as its first version after.
#[allow(clippy::too_many_arguments)]
pub async fn draft(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    session: SessionId,
    template: Template,
    values: Vec<(String, String)>,
    documents: Vec<(DocumentId, Document)>,
    max_tokens: u32,
    sink: Box<dyn TokenSink>,
    cancel: Cancel,
) -> Result<Drafted, WorkflowError> {
    let values: Vec<(String, String)> = values
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    template.fill(&values).map_err(draft::DraftError::from)?;
    let names: Vec<String> = documents.iter().map(|(_, d)| d.file_name()).collect();
    super::check_remote(store, engine.remote_url().as_deref(), &names).await?;
    store
        .add_message(session, Role::User, &draft_request(&template, &values))
        .await?;
    let job_store = store.clone();
    let job_tpl = template.clone();
    let job_values = values.clone();
    let runtime = tokio::runtime::Handle::current();
    let result = off_thread(move || -> Result<DraftResult, WorkflowError> {
        let passages = runtime.block_on(draft::passages_for_fields(
            &engine,
            &job_store,
            &documents,
            &job_values,
        ))?;
        Ok(draft::generate(
            &engine,
            &job_tpl,
            &job_values,
            &passages,
            max_tokens,
            SharedSink::new(sink),
            cancel,
        )?)
    })
    .await??;
    let fields: serde_json::Value = values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let title = format!("{} draft", template.name);
    let draft = store
        .create_draft(
            Some(session),
            Some(&template.id),
            &title,
            &result.text,
            &fields,
            &DraftOrigin::Generated,
        )
        .await?;
    Ok(Drafted {
        session,
        draft,
        version: 1,
        result,
    })
}

/// A rewrite as kept.
#[derive(Debug, Serialize)]
pub struct Rewritten {
    pub session: SessionId,
    pub draft: DraftId,
    /// The version the text before the rewrite was kept as.
    pub kept: i64,
    /// The rewrite's own version.
    pub version: i64,
    pub result: RewriteResult,
}

/// What to rewrite: `text` (a selection, or all), in a draft whose whole
/// text is `whole` (`text` itself when absent).
pub struct RewriteInput {
    pub session: SessionId,
    /// The draft it belongs to; a new one (titled after the rewrite) when
    /// absent.
    pub draft: Option<DraftId>,
    pub op: RewriteOp,
    pub text: String,
    pub whole: Option<String>,
}

/// Rewrites a text. Its whole text is kept first: a new draft starts with
/// it as the `original` version; in an existing draft it is saved as the
/// user's edits (nothing added when unchanged). The rewrite becomes the
/// next version, named after the operation.
pub async fn rewrite(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    input: RewriteInput,
    prompts: Prompts,
    sink: Box<dyn TokenSink>,
    cancel: Cancel,
) -> Result<Rewritten, WorkflowError> {
    let RewriteInput {
        session,
        draft,
        op,
        text,
        whole,
    } = input;
    if text.trim().is_empty() {
        return Err(draft::DraftError::Empty.into());
    }
    let whole = whole.unwrap_or_else(|| text.clone());
    let (draft, kept) = match draft {
        Some(id) => (id, store.save_draft_text(id, &whole, true).await?),
        None => {
            let title = format!("Rewrite: {}", op.name());
            let id = store
                .create_draft(
                    Some(session),
                    None,
                    &title,
                    &whole,
                    &serde_json::json!({}),
                    &DraftOrigin::Original,
                )
                .await?;
            (id, 1)
        }
    };
    let job_op = op.clone();
    let result = off_thread(move || {
        draft::rewrite(
            &engine,
            &prompts,
            &job_op,
            &text,
            SharedSink::new(sink),
            cancel,
        )
    })
    .await??;
    let version = store
        .add_draft_version(draft, &result.text, &DraftOrigin::rewrite(&op.name()))
        .await?;
    Ok(Rewritten {
        session,
        draft,
        kept,
        version,
        result,
    })
}
