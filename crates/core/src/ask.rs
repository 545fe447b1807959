//! Questions about opened files: the file's passages are indexed in the
//! store, the ones that match the question (SQLite FTS5 BM25, CJK-aware)
//! go into the prompt with their numbers, and the answer's citations are
//! turned into locations and checked in code. When no passage is about the
//! question, or the model says so, or its answer shares nothing with the
//! passages, the answer is that the documents do not say.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::docs::{self, Document};
use crate::llm::{
    Cancellable, ChatMessage, ChatRequest, Engine, LlmError, NullSink, SamplingParams,
};
use crate::prompts::{PromptError, Prompts, CONSTITUTION};
use crate::store::{retrieval_terms, DocumentId, RetrievedChunk, Store, StoreError};
use crate::summarize::cite::{support, take_citations, words, MIN_SUPPORT};
use crate::summarize::Source;

/// What the user is told when the files do not answer the question.
pub const NOT_IN_DOCUMENTS: &str = "Not in the documents: none of the opened files answers this.";

/// The marker the prompt asks the model to reply with.
const MODEL_NOT_FOUND: &str = "not in the documents";

#[derive(Debug, Clone)]
pub struct AskOptions {
    /// Most passages put into the prompt.
    pub passages: usize,
    /// Tokens per passage.
    pub passage_tokens: usize,
    pub max_tokens: u32,
}

impl Default for AskOptions {
    fn default() -> Self {
        AskOptions {
            passages: 6,
            passage_tokens: 200,
            max_tokens: 256,
        }
    }
}

/// A passage given to the model.
#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    pub file: String,
    pub loc: String,
    pub text: String,
    /// BM25 score (lower is better).
    pub score: f64,
}

/// The answer and what it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The answer, citations written as locations: `... [p. 3]`.
    pub text: String,
    /// False when the documents do not answer the question.
    pub found: bool,
    /// Where the answer comes from, checked.
    pub sources: Vec<Source>,
    /// The passages the model was given, best first.
    pub passages: Vec<Passage>,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub elapsed_ms: f64,
    /// True when cancelled before the answer was complete.
    pub cancelled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
}

/// The chunker key passages are stored under: tokenizer and size.
pub fn chunker_key(engine: &Engine, passage_tokens: usize) -> String {
    let model = engine.model().map(|m| m.info.name).unwrap_or_default();
    format!("{model}:{passage_tokens}")
}

/// Cuts and indexes the documents' passages, unless the store has them
/// already (for this tokenizer and size).
pub async fn index_documents(
    engine: &Engine,
    store: &Store,
    documents: &[(DocumentId, Document)],
    passage_tokens: usize,
) -> Result<(), AskError> {
    let key = chunker_key(engine, passage_tokens);
    for (id, doc) in documents {
        if !store.chunks(*id, &key).await?.is_empty() {
            continue;
        }
        let chunks = docs::chunk(doc, passage_tokens, 0, &mut |t: &str| {
            engine.count_tokens_or_estimate(t)
        });
        store.save_chunks(*id, &key, &chunks).await?;
    }
    Ok(())
}

/// Share of the question's content words a passage contains.
fn coverage(terms: &[String], text: &str) -> f64 {
    if terms.is_empty() {
        return 0.0;
    }
    let lower = text.to_lowercase();
    terms.iter().filter(|t| lower.contains(t.as_str())).count() as f64 / terms.len() as f64
}

/// Answers `question` from `documents` (already opened in the store).
pub async fn ask_files(
    engine: &Engine,
    store: &Store,
    documents: &[(DocumentId, Document)],
    question: &str,
    options: &AskOptions,
    prompts: &Prompts,
    cancel: Arc<AtomicBool>,
) -> Result<Answer, AskError> {
    let started = Instant::now();
    index_documents(engine, store, documents, options.passage_tokens).await?;
    let key = chunker_key(engine, options.passage_tokens);
    let ids: Vec<DocumentId> = documents.iter().map(|(id, _)| *id).collect();
    let found = store
        .retrieve_chunks(question, &ids, &key, options.passages * 3)
        .await?;
    // A passage that holds under half of what the question is about is not
    // evidence: "payment" alone does not answer "the mercury boiling point".
    let terms = retrieval_terms(question);
    let needed = if terms.len() <= 2 { 1.0 } else { 0.5 };
    let relevant: Vec<&RetrievedChunk> = found
        .iter()
        .filter(|c| coverage(&terms, &c.chunk.text) >= needed - 1e-9)
        .collect();
    let several = documents.len() > 1;
    let label_of = |c: &RetrievedChunk| {
        let file = documents
            .iter()
            .find(|(id, _)| *id == c.document_id)
            .map(|(_, d)| d.file_name())
            .unwrap_or_else(|| c.path.clone());
        (file, docs::loc_span(&c.chunk.locs))
    };
    let not_found = |passages: Vec<Passage>, prompt_tokens, generated_tokens| Answer {
        text: NOT_IN_DOCUMENTS.to_owned(),
        found: false,
        sources: Vec::new(),
        passages,
        prompt_tokens,
        generated_tokens,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        cancelled: false,
    };
    if relevant.is_empty() {
        return Ok(not_found(Vec::new(), 0, 0));
    }

    // As many of the best passages as the context holds.
    let n_ctx = engine.context_size();
    let empty = prompts.render("ask-files.md", &[("passages", ""), ("question", question)])?;
    let count = |t: &str| engine.count_tokens_or_estimate(t);
    let mut room = n_ctx
        .saturating_sub(count(CONSTITUTION) + count(&empty) + 64 + options.max_tokens as usize);
    let mut passages: Vec<Passage> = Vec::new();
    for c in relevant.iter().take(options.passages) {
        let (file, loc) = label_of(c);
        let cost = c.chunk.tokens + count(&loc) + 8;
        if cost > room && !passages.is_empty() {
            break;
        }
        room = room.saturating_sub(cost);
        passages.push(Passage {
            file,
            loc,
            text: c.chunk.text.clone(),
            score: c.score,
        });
    }
    let listing = passages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if several {
                format!("[{}] ({}, {}) {}", i + 1, p.file, p.loc, p.text)
            } else {
                format!("[{}] ({}) {}", i + 1, p.loc, p.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let prompt = prompts.render(
        "ask-files.md",
        &[("passages", &listing), ("question", question)],
    )?;
    let request = ChatRequest {
        messages: vec![ChatMessage::system(CONSTITUTION), ChatMessage::user(prompt)],
        sampling: SamplingParams {
            max_tokens: options.max_tokens,
            repeat_penalty: 1.1,
            ..SamplingParams::greedy()
        },
    };
    let done = engine.chat(
        request,
        Cancellable {
            inner: NullSink,
            cancel: Arc::clone(&cancel),
        },
    )?;
    let cancelled = cancel.load(Ordering::Relaxed);
    let raw = done.text.trim();
    if raw.to_lowercase().contains(MODEL_NOT_FOUND) || raw.is_empty() {
        return Ok(not_found(
            passages,
            done.prompt_tokens,
            done.generated_tokens,
        ));
    }

    // Citations to passages that exist and share words with the answer;
    // else the passage the answer shares the most words with; else none.
    let (plain, cited) = take_citations(raw);
    let answer_words = words(&plain);
    let passage_words: Vec<_> = passages.iter().map(|p| words(&p.text)).collect();
    let mut valid: Vec<usize> = cited
        .iter()
        .filter(|&&n| n >= 1 && n <= passages.len())
        .map(|n| n - 1)
        .filter(|&i| support(&answer_words, &passage_words[i]) > 0.0)
        .collect();
    valid.dedup();
    if valid.is_empty() {
        if let Some((i, s)) = passage_words
            .iter()
            .enumerate()
            .map(|(i, w)| (i, support(&answer_words, w)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
        {
            if s >= MIN_SUPPORT {
                valid.push(i);
            }
        }
    }
    if valid.is_empty() {
        return Ok(not_found(
            passages,
            done.prompt_tokens,
            done.generated_tokens,
        ));
    }
    let mut sources: Vec<Source> = Vec::new();
    for &i in &valid {
        let s = Source {
            file: passages[i].file.clone(),
            loc: passages[i].loc.clone(),
        };
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let cite = sources
        .iter()
        .map(|s| {
            if several {
                format!("{}, {}", s.file, s.loc)
            } else {
                s.loc.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(Answer {
        text: format!("{plain} [{cite}]"),
        found: true,
        sources,
        passages,
        prompt_tokens: done.prompt_tokens,
        generated_tokens: done.generated_tokens,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        cancelled,
    })
}

/// Passages of `documents` for a draft about `query`: the best matches, or,
/// when nothing matches, the files' first passages in order.
pub async fn passages_for(
    engine: &Engine,
    store: &Store,
    documents: &[(DocumentId, Document)],
    query: &str,
    limit: usize,
    passage_tokens: usize,
) -> Result<Vec<Passage>, AskError> {
    index_documents(engine, store, documents, passage_tokens).await?;
    let key = chunker_key(engine, passage_tokens);
    let ids: Vec<DocumentId> = documents.iter().map(|(id, _)| *id).collect();
    let label = |id: DocumentId| {
        documents
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, d)| d.file_name())
            .unwrap_or_default()
    };
    let found = store.retrieve_chunks(query, &ids, &key, limit).await?;
    if !found.is_empty() {
        return Ok(found
            .into_iter()
            .map(|c| Passage {
                file: label(c.document_id),
                loc: docs::loc_span(&c.chunk.locs),
                text: c.chunk.text,
                score: c.score,
            })
            .collect());
    }
    let mut out = Vec::new();
    for id in ids {
        for c in store.chunks(id, &key).await? {
            if out.len() >= limit {
                break;
            }
            out.push(Passage {
                file: label(id),
                loc: docs::loc_span(&c.locs),
                text: c.text,
                score: 0.0,
            });
        }
    }
    Ok(out)
}
