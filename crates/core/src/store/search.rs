//! Full-text search over messages, document chunks and drafts, in English,
//! Chinese, Japanese and any other script.
//!
//! SQLite's unicode61 tokenizer splits on spaces and punctuation, which
//! leaves a whole line of Chinese as one token. So every CJK character is
//! indexed as its own token (the text is spaced out before indexing) and a
//! CJK word in a query becomes a phrase of its characters: "销售额" finds
//! 销售额 wherever those three characters stand together, whatever the word
//! boundaries around it. Latin words work as usual, diacritics folded.
//! Results come newest first, as in a mail client: BM25 ranking needs every
//! match counted, half a second for a common word in a million messages,
//! while walking the index from its newest row stops after the page asked
//! for. Snippets are cut in Rust from the stored text.

use serde::Serialize;
use sqlx::{Sqlite, Transaction};

use super::{Store, StoreError};
use crate::lang::is_cjk;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    Message,
    Chunk,
    Draft,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Message => "message",
            SearchKind::Chunk => "document",
            SearchKind::Draft => "draft",
        }
    }

    fn tag(self) -> i64 {
        match self {
            SearchKind::Message => 0,
            SearchKind::Chunk => 1,
            SearchKind::Draft => 2,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The message, chunk or draft id.
    pub id: i64,
    pub session_id: Option<i64>,
    /// The session's title, the document's file, or the draft's title.
    pub title: String,
    /// Where: `message 12`, the chunk's locations (`p. 3, p. 4`), `version 2`.
    pub location: String,
    /// A piece of the text around the first match.
    pub snippet: String,
    /// Byte ranges of matched words inside `snippet`.
    pub marks: Vec<(usize, usize)>,
}

/// The text as it is indexed: each CJK character set apart by spaces.
pub fn cjk_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The query's words, each split where FTS would split it; CJK words
/// become runs of characters matched as phrases.
fn query_terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| c.is_whitespace() || c == '"')
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An FTS5 MATCH expression for `query`: every term must appear (`all`) or
/// any of them may. Every term is quoted, so nothing the user types is FTS
/// syntax. `None` when the query has no searchable word.
pub(crate) fn fts_expression(query: &str, all: bool) -> Option<String> {
    let terms = query_terms(query);
    if terms.is_empty() {
        return None;
    }
    let last = terms.len() - 1;
    let parts: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let phrase = format!("\"{}\"", cjk_spaced(t).trim().replace('"', "\"\""));
            // Type-ahead: the last word may be unfinished. Short prefixes
            // would match half the index, so only from three characters.
            if all && i == last && t.chars().count() >= 3 && !t.chars().any(is_cjk) {
                format!("{phrase}*")
            } else {
                phrase
            }
        })
        .collect();
    Some(parts.join(if all { " AND " } else { " OR " }))
}

/// (Re)indexes one thing; empty text just removes it. The new index row
/// gets the newest rowid, so it comes first in results.
/// A question's content words as an FTS5 OR expression for retrieval: stop
/// words dropped, every CJK run cut into overlapping pairs of characters
/// (Chinese questions have no spaces, and most words are two characters),
/// every term quoted. `None` when nothing is left to look for.
pub fn retrieval_terms(question: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !terms.contains(&t) {
            terms.push(t);
        }
    };
    for word in query_terms(question) {
        let lower = word.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if is_cjk(chars[i]) {
                let start = i;
                while i < chars.len() && is_cjk(chars[i]) {
                    i += 1;
                }
                let run = &chars[start..i];
                if run.len() == 1 {
                    push(run[0].to_string());
                }
                for pair in run.windows(2) {
                    push(pair.iter().collect());
                }
            } else {
                let start = i;
                while i < chars.len() && !is_cjk(chars[i]) {
                    i += 1;
                }
                let piece: String = chars[start..i].iter().collect();
                let piece = piece
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_owned();
                if !piece.is_empty() && !crate::lang::is_stopword(&piece) {
                    push(piece);
                }
            }
        }
    }
    terms
}

/// A chunk found for a question, with its document's path and BM25 score
/// (lower is better).
#[derive(Debug, Clone, Serialize)]
pub struct RetrievedChunk {
    pub chunk: super::StoredChunk,
    pub document_id: i64,
    pub path: String,
    pub score: f64,
}

pub(crate) async fn index(
    tx: &mut Transaction<'_, Sqlite>,
    kind: SearchKind,
    id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    unindex(tx, kind, id).await?;
    if !text.trim().is_empty() {
        let (rowid,): (i64,) =
            sqlx::query_as("INSERT INTO search_refs (kind, ref_id) VALUES (?, ?) RETURNING rowid")
                .bind(kind.tag())
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        sqlx::query("INSERT INTO search_index (rowid, body) VALUES (?, ?)")
            .bind(rowid)
            .bind(cjk_spaced(text))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Takes one thing out of the index.
pub(crate) async fn unindex(
    tx: &mut Transaction<'_, Sqlite>,
    kind: SearchKind,
    id: i64,
) -> Result<(), sqlx::Error> {
    let old: Option<(i64,)> =
        sqlx::query_as("DELETE FROM search_refs WHERE kind = ? AND ref_id = ? RETURNING rowid")
            .bind(kind.tag())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((rowid,)) = old {
        sqlx::query("DELETE FROM search_index WHERE rowid = ?")
            .bind(rowid)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn index_message(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    index(tx, SearchKind::Message, id, text).await
}

/// Cuts about `width` characters of `text` around the first place a term
/// occurs, and marks every term occurrence inside the cut.
pub(crate) fn snippet(text: &str, terms: &[String], width: usize) -> (String, Vec<(usize, usize)>) {
    let lower = text.to_lowercase();
    // Lowercasing can change lengths (rarely); then fall back to the start.
    let same = lower.len() == text.len();
    let terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    let first = if same {
        terms.iter().filter_map(|t| lower.find(t.as_str())).min()
    } else {
        None
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at_char = first
        .map(|b| chars.partition_point(|(i, _)| *i < b))
        .unwrap_or(0);
    let start_char = at_char.saturating_sub(width / 3);
    let end_char = (start_char + width).min(chars.len());
    let start = chars.get(start_char).map(|c| c.0).unwrap_or(text.len());
    let end = chars.get(end_char).map(|c| c.0).unwrap_or(text.len());
    let mut cut = String::new();
    if start > 0 {
        cut.push('…');
    }
    let offset = cut.len();
    cut.push_str(&text[start..end].replace(['\n', '\r'], " "));
    let mut marks = Vec::new();
    if same {
        let window = &lower[start..end];
        for t in &terms {
            let mut from = 0;
            while let Some(p) = window[from..].find(t.as_str()) {
                let s = from + p;
                marks.push((offset + s, offset + s + t.len()));
                from = s + t.len().max(1);
            }
        }
        marks.sort_unstable();
        marks.dedup();
    }
    if end < text.len() {
        cut.push('…');
    }
    (cut, marks)
}

impl Store {
    /// Searches messages, document chunks and drafts; newest first.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(expr) = fts_expression(query, true) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT r.kind, r.ref_id FROM ( \
               SELECT rowid FROM search_index WHERE search_index MATCH ? \
               ORDER BY rowid DESC LIMIT ? \
             ) h JOIN search_refs r ON r.rowid = h.rowid ORDER BY r.rowid DESC",
        )
        .bind(&expr)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        let terms = query_terms(query);
        let mut hits = Vec::with_capacity(rows.len());
        for (kind, id) in rows {
            if let Some(hit) = self.describe_hit(kind, id, &terms).await? {
                hits.push(hit);
            }
        }
        Ok(hits)
    }

    /// The chunks of `documents` (cut by `chunker`) that best match
    /// `question`, by BM25 over the question's content words, best first.
    pub async fn retrieve_chunks(
        &self,
        question: &str,
        documents: &[i64],
        chunker: &str,
        limit: usize,
    ) -> Result<Vec<RetrievedChunk>, StoreError> {
        let terms = retrieval_terms(question);
        if terms.is_empty() || documents.is_empty() {
            return Ok(Vec::new());
        }
        let expr = terms
            .iter()
            .map(|t| format!("\"{}\"", cjk_spaced(t).trim().replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ");
        let ids = documents
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<(i64, i64, i64, String, String, i64, f64)> = sqlx::query_as(&format!(
            "SELECT c.id, c.document_id, c.idx, c.text, c.locs, c.tokens, bm25(search_index) \
             FROM search_index JOIN search_refs r ON r.rowid = search_index.rowid \
             JOIN chunks c ON c.id = r.ref_id \
             WHERE search_index MATCH ? AND r.kind = 1 AND c.chunker = ? \
               AND c.document_id IN ({ids}) \
             ORDER BY bm25(search_index) LIMIT ?"
        ))
        .bind(&expr)
        .bind(chunker)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, document_id, index, text, locs, tokens, score) in rows {
            let path: Option<(String,)> = sqlx::query_as(
                "SELECT path FROM session_documents WHERE document_id = ? \
                 ORDER BY opened_at DESC LIMIT 1",
            )
            .bind(document_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.sql(e))?;
            out.push(RetrievedChunk {
                chunk: self.chunk_from_row(id, index, text, &locs, tokens)?,
                document_id,
                path: path.map(|p| p.0).unwrap_or_default(),
                score,
            });
        }
        Ok(out)
    }

    async fn describe_hit(
        &self,
        kind: i64,
        id: i64,
        terms: &[String],
    ) -> Result<Option<SearchHit>, StoreError> {
        let hit = match kind {
            0 => {
                let row: Option<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT m.session_id, s.title, m.role, m.text FROM messages m \
                     JOIN sessions s ON s.id = m.session_id WHERE m.id = ?",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
                row.map(|(session, title, role, text)| {
                    let (snippet, marks) = snippet(&text, terms, 160);
                    SearchHit {
                        kind: SearchKind::Message,
                        id,
                        session_id: Some(session),
                        title,
                        location: format!("{role} message {id}"),
                        snippet,
                        marks,
                    }
                })
            }
            1 => {
                let row: Option<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT c.text, c.locs, \
                       (SELECT path FROM session_documents WHERE document_id = c.document_id \
                        ORDER BY opened_at DESC LIMIT 1), \
                       (SELECT session_id FROM session_documents WHERE document_id = c.document_id \
                        ORDER BY opened_at DESC LIMIT 1) \
                     FROM chunks c WHERE c.id = ?",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
                row.map(|(text, locs, path, session)| {
                    let locs: Vec<String> = serde_json::from_str(&locs).unwrap_or_default();
                    let (snippet, marks) = snippet(&text, terms, 160);
                    SearchHit {
                        kind: SearchKind::Chunk,
                        id,
                        session_id: session,
                        title: path.unwrap_or_default(),
                        location: crate::docs::loc_span(&locs),
                        snippet,
                        marks,
                    }
                })
            }
            2 => {
                let row: Option<(Option<i64>, String, i64, String)> = sqlx::query_as(
                    "SELECT d.session_id, d.title, v.version, v.text FROM drafts d \
                     JOIN draft_versions v ON v.draft_id = d.id WHERE d.id = ? \
                     ORDER BY v.version DESC LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
                row.map(|(session, title, version, text)| {
                    let (snippet, marks) = snippet(&text, terms, 160);
                    SearchHit {
                        kind: SearchKind::Draft,
                        id,
                        session_id: session,
                        title,
                        location: format!("version {version}"),
                        snippet,
                        marks,
                    }
                })
            }
            _ => None,
        };
        Ok(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_are_spaced_and_latin_left_alone() {
        assert_eq!(cjk_spaced("销售额 rose"), " 销  售  额  rose");
        assert_eq!(cjk_spaced("café"), "café");
    }

    #[test]
    fn queries_are_quoted_so_user_text_is_never_fts_syntax() {
        assert_eq!(
            fts_expression("revenue OR \"x", true).as_deref(),
            Some("\"revenue\" AND \"OR\" AND \"x\"")
        );
        assert_eq!(
            fts_expression("合同 budget", true).as_deref(),
            Some("\"合  同\" AND \"budget\"*")
        );
        assert_eq!(fts_expression("  -- ", true), None);
    }

    #[test]
    fn retrieval_keeps_content_words_and_pairs_chinese_characters() {
        assert_eq!(
            retrieval_terms("What does the contract say about the payment deadline?"),
            vec!["contract", "payment", "deadline"]
        );
        assert_eq!(
            retrieval_terms("合同的付款期限"),
            vec!["合同", "同的", "的付", "付款", "款期", "期限"]
        );
        assert!(retrieval_terms("what is it?").is_empty());
    }

    #[test]
    fn snippets_mark_the_matched_words() {
        let text = "The quarterly budget was approved. The budget grows.";
        let (s, marks) = snippet(text, &["budget".into()], 30);
        assert!(s.contains("budget"), "{s}");
        assert!(!marks.is_empty());
        for (a, b) in marks {
            assert_eq!(&s[a..b].to_lowercase(), "budget");
        }
    }
}
