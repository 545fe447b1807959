//! Questions about opened files: the file's passages are indexed in the
//! store, the ones that match the question (SQLite FTS5 BM25, CJK-aware)
//! go into the prompt with their numbers, and the answer's citations are
//! turned into locations and checked in code. When no passage is about the
//! question, or the model says so, or its answer shares nothing with the
//! passages, the answer is that the documents do not say.
//!
//! When the model runs on this computer, BM25's candidates are also ranked
//! by meaning (the cosine of their embeddings to the question's) and the
//! two rankings fused by reciprocal rank (Cormack, Clarke and Büttcher,
//! SIGIR 2009). A passage is embedded once, on the first question that
//! ranks it, and kept in the store.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::cite::{support, take_citations, words, MIN_SUPPORT};
use crate::docs::{self, Document};
use crate::llm::{
    Cancellable, ChatMessage, ChatRequest, Engine, LlmError, NullSink, SamplingParams,
};
use crate::prompts::{PromptError, Prompts, CONSTITUTION};
use crate::store::{retrieval_terms, DocumentId, RetrievedChunk, Store, StoreError};
use crate::summarize::Source;
use crate::support::{self, RewriteError, SupportReport};

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
    /// Rank by meaning too (embeddings fused with BM25) when the local
    /// model can embed.
    pub embeddings: bool,
    /// Tokens of a passage that are embedded (its opening).
    pub embed_tokens: usize,
    /// Check each sentence's details against the cited passages (rewrite
    /// once, else leave it out). Off only to measure what the model wrote.
    pub check_support: bool,
}

impl Default for AskOptions {
    fn default() -> Self {
        AskOptions {
            passages: 6,
            passage_tokens: 200,
            max_tokens: 256,
            embeddings: true,
            embed_tokens: crate::llm::embed::DEFAULT_EMBED_TOKENS,
            check_support: true,
        }
    }
}

/// How the passages were ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Retrieval {
    /// BM25 over the question's words.
    Keywords,
    /// BM25 and embedding similarity, fused by reciprocal rank.
    Hybrid,
}

/// The constant of reciprocal rank fusion: 60, as in the paper, damps the
/// weight of the very first ranks.
const RRF_K: f64 = 60.0;

/// Fuses rankings (each a list of item indexes, best first) by reciprocal
/// rank: an item scores the sum of 1 / (k + rank) over the rankings it is
/// in. Returns every ranked item, best first (ties keep first-ranking
/// order).
pub fn reciprocal_rank_fusion(rankings: &[Vec<usize>]) -> Vec<usize> {
    let mut score: Vec<(usize, f64, usize)> = Vec::new();
    for ranking in rankings {
        for (rank, &item) in ranking.iter().enumerate() {
            let add = 1.0 / (RRF_K + rank as f64 + 1.0);
            match score.iter_mut().find(|(i, _, _)| *i == item) {
                Some(entry) => entry.1 += add,
                None => {
                    let order = score.len();
                    score.push((item, add, order));
                }
            }
        }
    }
    score.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    score.into_iter().map(|(i, _, _)| i).collect()
}

/// The store's key for embeddings of the loaded model.
fn vector_key(engine: &Engine) -> Option<String> {
    let m = engine.model()?;
    let file = m.info.path.file_name()?.to_string_lossy().into_owned();
    Some(format!("{}:{}:{}", m.info.name, file, m.info.file_size))
}

/// Passages in their final order, and how they were ranked.
pub struct Ranked {
    pub chunks: Vec<RetrievedChunk>,
    pub retrieval: Retrieval,
    /// Passages embedded now (not found in the store).
    pub embedded: usize,
}

/// BM25's candidates reordered by fusing their BM25 rank with their rank
/// by cosine to the question; as they were when the model cannot embed
/// (a remote server) or `options.embeddings` is off.
pub async fn rank_by_meaning(
    engine: &Engine,
    store: &Store,
    question: &str,
    found: Vec<RetrievedChunk>,
    options: &AskOptions,
    cancel: &Arc<AtomicBool>,
) -> Result<Ranked, AskError> {
    let ranked = |chunks, retrieval, embedded| Ranked {
        chunks,
        retrieval,
        embedded,
    };
    let key = match vector_key(engine) {
        Some(k) if options.embeddings && engine.remote_url().is_none() => k,
        _ => return Ok(ranked(found, Retrieval::Keywords, 0)),
    };
    if found.len() < 2 {
        return Ok(ranked(found, Retrieval::Hybrid, 0));
    }
    let ids: Vec<i64> = found.iter().map(|c| c.chunk.id).collect();
    let mut vectors = store.chunk_vectors(&ids, &key).await?;
    let missing: Vec<&RetrievedChunk> = found
        .iter()
        .filter(|c| !vectors.contains_key(&c.chunk.id))
        .collect();
    let mut texts = vec![question.to_owned()];
    texts.extend(missing.iter().map(|c| c.chunk.text.clone()));
    let mut embedded = match engine.embed(texts, options.embed_tokens, Arc::clone(cancel)) {
        Ok(v) => v.into_iter(),
        // Cancelled: the answer that follows stops at once and says so.
        Err(LlmError::Cancelled) => return Ok(ranked(found, Retrieval::Keywords, 0)),
        // A model that cannot embed still answers: by words alone.
        Err(e) => {
            tracing::warn!(error = %e, "embeddings failed; passages ranked by words");
            return Ok(ranked(found, Retrieval::Keywords, 0));
        }
    };
    let asked = embedded.next().unwrap_or_default();
    let fresh: Vec<(i64, Vec<f32>)> = missing.iter().map(|c| c.chunk.id).zip(embedded).collect();
    store.save_chunk_vectors(&key, &fresh).await?;
    let embedded = fresh.len();
    vectors.extend(fresh);
    let similarity = |c: &RetrievedChunk| {
        vectors
            .get(&c.chunk.id)
            .map_or(-1.0, |v| crate::llm::embed::cosine(&asked, v))
    };
    let by_words: Vec<usize> = (0..found.len()).collect();
    let mut by_meaning = by_words.clone();
    by_meaning.sort_by(|&a, &b| similarity(&found[b]).total_cmp(&similarity(&found[a])));
    let order = reciprocal_rank_fusion(&[by_words, by_meaning]);
    let mut slots: Vec<Option<RetrievedChunk>> = found.into_iter().map(Some).collect();
    let fused = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok(ranked(fused, Retrieval::Hybrid, embedded))
}

/// A passage given to the model.
#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    pub file: String,
    /// Where, as people write it (`§1 ¶1-3`).
    pub loc: String,
    /// The first block's own location, for a window to scroll to.
    pub at: String,
    pub text: String,
    /// BM25 score (lower is better).
    pub score: f64,
}

impl Passage {
    /// The passage as a citation.
    pub fn source(&self) -> Source {
        Source {
            file: self.file.clone(),
            loc: self.loc.clone(),
            at: self.at.clone(),
        }
    }
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
    /// How the passages were ranked.
    pub retrieval: Retrieval,
    /// Passages embedded for this answer (the others' embeddings were
    /// stored by earlier questions).
    pub embedded: usize,
    /// Sentences whose numbers, dates, names, negations or changes of
    /// state the cited passages do not contain: rewritten once, or left
    /// out of the answer.
    pub unsupported: SupportReport,
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

impl From<RewriteError> for AskError {
    fn from(e: RewriteError) -> Self {
        match e {
            RewriteError::Llm(e) => AskError::Llm(e),
            RewriteError::Prompt(e) => AskError::Prompt(e),
        }
    }
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
    let Ranked {
        chunks: found,
        retrieval,
        embedded,
    } = rank_by_meaning(engine, store, question, found, options, &cancel).await?;
    // A passage that holds under half of what the question is about is not
    // evidence: "payment" alone does not answer "the mercury boiling point".
    let terms = retrieval_terms(question);
    let needed = if terms.len() <= 2 { 1.0 } else { 0.5 };
    let relevant: Vec<&RetrievedChunk> = found
        .iter()
        .filter(|c| coverage(&terms, &c.chunk.text) >= needed - 1e-9)
        .collect();
    let several = documents.len() > 1;
    let file_of = |c: &RetrievedChunk| {
        documents
            .iter()
            .find(|(id, _)| *id == c.document_id)
            .map(|(_, d)| d.file_name())
            .unwrap_or_else(|| c.path.clone())
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
        retrieval,
        embedded,
        unsupported: SupportReport::default(),
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
        let (file, locs) = (file_of(c), &c.chunk.locs);
        let loc = docs::loc_span(locs);
        let cost = c.chunk.tokens + count(&loc) + 8;
        if cost > room && !passages.is_empty() {
            break;
        }
        room = room.saturating_sub(cost);
        passages.push(Passage {
            file,
            loc,
            at: locs.first().cloned().unwrap_or_default(),
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
    if raw.to_lowercase().contains(MODEL_NOT_FOUND)
        || raw.is_empty()
        || crate::cite::is_planted_instruction(raw)
    {
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
    // Each sentence's details must be in the cited passages: rewritten
    // once from them, or left out; an answer with nothing left is none.
    let mut report = SupportReport::default();
    let mut prompt_tokens = done.prompt_tokens;
    let mut generated_tokens = done.generated_tokens;
    let plain = if cancelled || !options.check_support {
        plain
    } else {
        let cited: Vec<&str> = valid.iter().map(|&i| passages[i].text.as_str()).collect();
        let language = crate::lang::detect_language(&plain);
        let mut kept = String::new();
        for span in crate::lang::sentence_spans(&plain) {
            let sentence = plain[span].trim();
            if sentence.is_empty() {
                continue;
            }
            let with = support::Rewriter {
                engine,
                prompts,
                language,
                cancel: &cancel,
            };
            let (keep, rewrite) =
                support::keep_supported(&with, sentence, &cited, true, &mut report)?;
            if let Some(r) = rewrite {
                prompt_tokens += r.prompt_tokens;
                generated_tokens += r.generated_tokens;
            }
            if let Some(k) = keep {
                if !kept.is_empty() {
                    kept.push(' ');
                }
                kept.push_str(&k);
            }
        }
        kept
    };
    if plain.trim().is_empty() {
        let mut answer = not_found(passages, prompt_tokens, generated_tokens);
        answer.unsupported = report;
        return Ok(answer);
    }
    let mut sources: Vec<Source> = Vec::new();
    for &i in &valid {
        let s = passages[i].source();
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
        prompt_tokens,
        generated_tokens,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        cancelled,
        retrieval,
        embedded,
        unsupported: report,
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
    let found = store.retrieve_chunks(query, &ids, &key, limit * 3).await?;
    let idle = Arc::new(AtomicBool::new(false));
    let found = rank_by_meaning(engine, store, query, found, &AskOptions::default(), &idle)
        .await?
        .chunks;
    if !found.is_empty() {
        return Ok(found
            .into_iter()
            .take(limit)
            .map(|c| Passage {
                file: label(c.document_id),
                loc: docs::loc_span(&c.chunk.locs),
                at: c.chunk.locs.first().cloned().unwrap_or_default(),
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
                at: c.locs.first().cloned().unwrap_or_default(),
                text: c.text,
                score: 0.0,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocal_rank_fusion_rewards_agreement_and_keeps_every_item() {
        // Item 1 is second in both lists: it beats items first in one
        // list and last in the other.
        let fused = reciprocal_rank_fusion(&[vec![0, 1, 2, 3], vec![3, 1, 2, 0]]);
        assert_eq!(fused[0], 1);
        assert_eq!(fused.len(), 4);
        // One ranking is returned as it is.
        assert_eq!(reciprocal_rank_fusion(&[vec![3, 1, 2]]), vec![3, 1, 2]);
        // Equal scores keep the order they were first seen in.
        assert_eq!(
            reciprocal_rank_fusion(&[vec![0, 1], vec![1, 0]]),
            vec![0, 1]
        );
    }
}
