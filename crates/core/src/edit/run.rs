//! The model's part of an edit: each selected paragraph rewritten by the
//! rewrite that exists (shorten, formal, translate, ...) or proofread, one
//! paragraph a call so a long document goes a paragraph at a time with
//! progress and cancel. A reply that is no edit of the paragraph (empty,
//! or a "proofread" that rewrote half the words) is left out and said so.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::draft::{self, RewriteOp, SharedSink};
use crate::llm::Engine;
use crate::prompts::Prompts;

use super::diff::{diff, tokens, Step};
use super::{Changed, DocxEdit, EditError, EditReport, Skipped};

/// What an edit does to each paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOp {
    /// One of the rewrites (not `bullets`, which makes new paragraphs).
    Rewrite(RewriteOp),
    /// Spelling, grammar and punctuation only; a reply that changes more
    /// than a proofread would is not used.
    Proofread,
}

impl EditOp {
    /// `op` as the CLI takes it (`proofread` or a rewrite's name).
    pub fn parse(op: &str, to: Option<&str>) -> Result<EditOp, EditError> {
        if op == "proofread" {
            return Ok(EditOp::Proofread);
        }
        let rewrite = RewriteOp::parse(op, to).map_err(|why| EditError::Unsuited {
            what: op.to_owned(),
            why: format!("{why}; or proofread"),
        })?;
        if rewrite == RewriteOp::Bullets {
            return Err(EditError::Unsuited {
                what: "bullets".into(),
                why: "it turns a paragraph into several; use `deskpilot rewrite bullets`".into(),
            });
        }
        Ok(EditOp::Rewrite(rewrite))
    }

    pub fn name(&self) -> String {
        match self {
            EditOp::Rewrite(r) => r.name(),
            EditOp::Proofread => "proofread".into(),
        }
    }

    fn rewrite(&self) -> RewriteOp {
        match self {
            EditOp::Rewrite(r) => r.clone(),
            EditOp::Proofread => RewriteOp::Fix,
        }
    }

    /// Corrections only: a reply changing many words is no correction.
    fn corrects_only(&self) -> bool {
        matches!(self, EditOp::Proofread | EditOp::Rewrite(RewriteOp::Fix))
    }

    /// Whether it changes headings (a shorter or friendlier heading is
    /// rarely wanted; a corrected or translated one is).
    fn touches_headings(&self) -> bool {
        matches!(
            self,
            EditOp::Proofread | EditOp::Rewrite(RewriteOp::Fix | RewriteOp::Translate(_))
        )
    }
}

/// How far an edit has come.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Paragraphs done (changed, unchanged or skipped).
    pub done: usize,
    pub total: usize,
    /// The location of the paragraph being edited.
    pub loc: Option<&'a str>,
}

/// Share of the original's words a corrections-only reply may change.
const MAX_CORRECTED: f64 = 0.3;

/// The reply as one paragraph: its lines joined, the original's leading
/// and trailing spaces kept, quotes the model put around it removed.
fn as_paragraph(original: &str, reply: &str) -> String {
    let mut t = reply.split_whitespace().collect::<Vec<_>>().join(" ");
    let quoted = |s: &str| {
        (s.starts_with('"') && s.ends_with('"')) || (s.starts_with('“') && s.ends_with('”'))
    };
    if t.chars().count() >= 2 && quoted(&t) && !quoted(original.trim()) {
        let mut cs = t.chars();
        cs.next();
        cs.next_back();
        t = cs.as_str().trim().to_owned();
    }
    // Tabs inside the original are kept where the model kept them as
    // spaces no longer; its edges are kept as they were.
    let lead: String = original.chars().take_while(|c| c.is_whitespace()).collect();
    let trail: String = {
        let mut v: Vec<char> = original
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .collect();
        v.reverse();
        v.into_iter().collect()
    };
    if original.trim().is_empty() {
        return t;
    }
    format!("{lead}{t}{trail}")
}

/// Share of the original's words (not spaces) that a change deletes.
fn changed_share(old: &str, new: &str) -> f64 {
    let words = tokens(old)
        .into_iter()
        .filter(|r| !old[r.clone()].trim().is_empty())
        .count()
        .max(1);
    let deleted: usize = diff(old, new)
        .iter()
        .map(|s| match s {
            Step::Delete(r) => tokens(&old[r.clone()])
                .into_iter()
                .filter(|t| !old[r.start + t.start..r.start + t.end].trim().is_empty())
                .count(),
            _ => 0,
        })
        .sum();
    deleted as f64 / words as f64
}

/// Asks the model for each paragraph of `indices`; returns the changes to
/// write (paragraph index, new text) and the report. Nothing is written:
/// after a cancel the caller writes nothing.
pub fn run(
    engine: &Engine,
    prompts: &Prompts,
    doc: &DocxEdit,
    op: &EditOp,
    indices: &[usize],
    sink: SharedSink,
    cancel: Arc<AtomicBool>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(Vec<(usize, String)>, EditReport), EditError> {
    let mut report = EditReport::default();
    let mut changes = Vec::new();
    let rewrite = op.rewrite();
    let total = indices.len();
    for (done, &index) in indices.iter().enumerate() {
        let Some(target) = doc.targets().get(index) else {
            continue;
        };
        progress(Progress {
            done,
            total,
            loc: target.loc.as_deref(),
        });
        if cancel.load(Ordering::Relaxed) {
            report.cancelled = true;
            break;
        }
        let skip = |why: String| Skipped {
            index,
            loc: target.loc.clone(),
            why,
        };
        if let Some(why) = &target.blocked {
            report.skipped.push(skip(format!("it holds {why}")));
            continue;
        }
        if target.heading && !op.touches_headings() {
            report.skipped.push(skip(
                "a heading (only proofread, fix and translate change headings)".into(),
            ));
            continue;
        }
        if target.text.trim().is_empty() {
            continue;
        }
        let result = draft::rewrite(
            engine,
            prompts,
            &rewrite,
            target.text.trim(),
            sink.clone(),
            Arc::clone(&cancel),
        )?;
        report.prompt_tokens += result.prompt_tokens;
        report.generated_tokens += result.generated_tokens;
        if result.cancelled {
            report.cancelled = true;
            break;
        }
        let after = as_paragraph(&target.text, &result.text);
        if after.trim().is_empty() {
            report.skipped.push(skip("the model gave no text".into()));
            continue;
        }
        if after == target.text {
            report.unchanged += 1;
            continue;
        }
        if op.corrects_only() {
            let share = changed_share(&target.text, &after);
            if share > MAX_CORRECTED {
                report.skipped.push(skip(format!(
                    "the model rewrote {:.0}% of the words, more than corrections would",
                    share * 100.0
                )));
                continue;
            }
        }
        report.changed.push(Changed {
            index,
            loc: target.loc.clone(),
            before: target.text.clone(),
            after: after.clone(),
        });
        changes.push((index, after));
    }
    progress(Progress {
        done: total,
        total,
        loc: None,
    });
    Ok((changes, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_becomes_one_paragraph_with_the_original_edges() {
        assert_eq!(
            as_paragraph("  Old text. ", "\"New\ntext.\""),
            "  New text. "
        );
        assert_eq!(as_paragraph("\"Quoted\"", "\"Quoted!\""), "\"Quoted!\"");
    }

    #[test]
    fn the_share_of_words_a_correction_changes() {
        assert!(changed_share("teh report are late", "the report is late") > 0.49);
        assert!(changed_share("The report are late today.", "The report is late today.") < 0.3);
    }

    #[test]
    fn bullets_and_unknown_ops_are_refused_with_the_reason() {
        assert!(EditOp::parse("bullets", None)
            .unwrap_err()
            .to_string()
            .contains("several"));
        assert!(EditOp::parse("sing", None)
            .unwrap_err()
            .to_string()
            .contains("proofread"));
        assert_eq!(EditOp::parse("proofread", None).unwrap(), EditOp::Proofread);
    }
}
