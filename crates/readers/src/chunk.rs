//! Splits a Document into chunks of at most N model tokens, on block
//! boundaries where possible, with overlap between neighbours, each chunk
//! carrying the locations of what it holds. Tokens are counted with the
//! caller's tokenizer, the one used at prompt time. A block too long for
//! one chunk is cut at sentence ends (Western and CJK punctuation), then at
//! line ends, then between characters, so nothing is ever dropped.

use serde::Serialize;

use super::model::Document;

/// A piece of a document small enough for one prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chunk {
    pub index: usize,
    pub text: String,
    /// Locations of the blocks (or block parts) it holds, in order, without
    /// repeats.
    pub locs: Vec<String>,
    pub tokens: usize,
}

/// One block, or one part of a long block.
#[derive(Clone)]
struct Piece {
    text: String,
    loc: String,
    tokens: usize,
}

const SEPARATOR: &str = "\n\n";

/// Chunks of at most `max_tokens` (counted by `count`), neighbours sharing
/// up to `overlap_tokens` of text.
pub fn chunk(
    doc: &Document,
    max_tokens: usize,
    overlap_tokens: usize,
    count: &mut dyn FnMut(&str) -> usize,
) -> Vec<Chunk> {
    let max_tokens = max_tokens.max(8);
    let overlap_tokens = overlap_tokens.min(max_tokens / 2);
    let mut pieces = Vec::new();
    for b in &doc.blocks {
        if b.text.trim().is_empty() {
            continue;
        }
        let tokens = count(&b.text);
        if tokens <= max_tokens {
            pieces.push(Piece {
                text: b.text.clone(),
                loc: b.loc.clone(),
                tokens,
            });
        } else {
            for part in split_to_fit(&b.text, max_tokens, count) {
                let tokens = count(&part);
                pieces.push(Piece {
                    text: part,
                    loc: b.loc.clone(),
                    tokens,
                });
            }
        }
    }

    let mut chunks = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut candidate = current.clone();
        candidate.push(pieces[i].clone());
        let text = join(&candidate);
        let fits = count(&text) <= max_tokens;
        if fits {
            current = candidate;
            i += 1;
            continue;
        }
        if current.is_empty() {
            // Cannot happen: every piece fits on its own. Guard anyway.
            current.push(pieces[i].clone());
            i += 1;
        }
        let finished = std::mem::take(&mut current);
        // Carry the tail of the finished chunk over, within the overlap.
        let mut carried = Vec::new();
        let mut budget = overlap_tokens;
        for p in finished.iter().rev() {
            if p.tokens > budget {
                break;
            }
            budget -= p.tokens;
            carried.insert(0, p.clone());
        }
        // The carried part and the next piece must fit together.
        while !carried.is_empty() && i < pieces.len() {
            let mut probe = carried.clone();
            probe.push(pieces[i].clone());
            if count(&join(&probe)) <= max_tokens {
                break;
            }
            carried.remove(0);
        }
        push_chunk(&mut chunks, finished, count);
        // Only carry when it is less than the whole finished chunk (else
        // the loop would not advance).
        current = carried;
    }
    if !current.is_empty() {
        push_chunk(&mut chunks, current, count);
    }
    chunks
}

fn join(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}

fn push_chunk(chunks: &mut Vec<Chunk>, pieces: Vec<Piece>, count: &mut dyn FnMut(&str) -> usize) {
    let text = join(&pieces);
    let mut locs: Vec<String> = Vec::new();
    for p in &pieces {
        if locs.last() != Some(&p.loc) {
            locs.push(p.loc.clone());
        }
    }
    let tokens = count(&text);
    chunks.push(Chunk {
        index: chunks.len(),
        text,
        locs,
        tokens,
    });
}

/// Cuts text into parts of at most `max` tokens: whole sentences where
/// they fit, else lines, else characters.
fn split_to_fit(text: &str, max: usize, count: &mut dyn FnMut(&str) -> usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for unit in sentences(text) {
        let candidate = format!("{current}{unit}");
        if count(candidate.trim()) <= max {
            current = candidate;
            continue;
        }
        if !current.trim().is_empty() {
            parts.push(current.trim().to_owned());
        }
        if count(unit.trim()) <= max {
            current = unit.to_owned();
        } else {
            // One sentence too long: cut between characters.
            let mut rest: &str = unit;
            while !rest.trim().is_empty() {
                let cut = longest_prefix_fitting(rest, max, count);
                parts.push(rest[..cut].trim().to_owned());
                rest = &rest[cut..];
            }
            current = String::new();
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// Sentences with their trailing punctuation and space.
fn sentences(text: &str) -> Vec<&str> {
    crate::lang::sentence_spans(text)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

/// The longest prefix (in bytes, on a char boundary, at least one char)
/// that fits in `max` tokens: binary search over character positions.
fn longest_prefix_fitting(text: &str, max: usize, count: &mut dyn FnMut(&str) -> usize) -> usize {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([text.len()])
        .collect();
    let (mut lo, mut hi) = (0usize, bounds.len() - 1);
    // Invariant: bounds[lo] fits, or lo == 0 (a single char always goes).
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if count(&text[..bounds[mid]]) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    bounds[lo]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind, Format};

    fn doc(texts: &[&str]) -> Document {
        Document {
            file: "t.txt".into(),
            format: Format::Text,
            title: None,
            blocks: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Block::new(BlockKind::Paragraph, *t, format!("¶{}", i + 1)))
                .collect(),
            warnings: vec![],
            grids: vec![],
        }
    }

    /// One token per 4 bytes, rounded up: a stand-in tokenizer.
    fn bytes4(s: &str) -> usize {
        s.len().div_ceil(4)
    }

    #[test]
    fn chunks_stay_under_the_limit_and_cover_every_block_in_order() {
        let texts: Vec<String> = (0..40)
            .map(|i| format!("Paragraph number {i} talks about the budget."))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let d = doc(&refs);
        let chunks = chunk(&d, 60, 15, &mut bytes4);
        assert!(chunks.len() > 3);
        for c in &chunks {
            assert!(c.tokens <= 60, "{} tokens", c.tokens);
        }
        // Every paragraph appears, in order.
        let mut seen = 0;
        for c in &chunks {
            for loc in &c.locs {
                let n: usize = loc.trim_start_matches('¶').parse().unwrap();
                assert!(n >= seen.max(1) - 1, "out of order");
                seen = seen.max(n);
            }
        }
        assert_eq!(seen, 40);
        // Neighbours overlap.
        assert_eq!(chunks[1].locs[0], *chunks[0].locs.last().unwrap());
    }

    #[test]
    fn a_long_cjk_block_is_cut_at_full_stops() {
        let long = "这是一个很长的中文句子，用来测试分块。".repeat(30);
        let d = doc(&[&long]);
        let chunks = chunk(&d, 50, 0, &mut bytes4);
        assert!(chunks.len() > 1);
        for c in &chunks {
            assert!(c.tokens <= 50);
            assert!(c.text.ends_with('。'), "{:?}", c.text);
            assert_eq!(c.locs, vec!["¶1"]);
        }
        let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, long);
    }

    #[test]
    fn a_sentence_longer_than_a_chunk_is_cut_between_characters() {
        let long = "x".repeat(1000);
        let d = doc(&[&long]);
        let chunks = chunk(&d, 30, 0, &mut bytes4);
        assert!(chunks.iter().all(|c| c.tokens <= 30));
        assert_eq!(chunks.iter().map(|c| c.text.len()).sum::<usize>(), 1000);
    }
}
