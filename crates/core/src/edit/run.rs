//! The model's part of an edit: each selected paragraph rewritten by the
//! rewrite that exists (shorten, formal, translate, ...) or proofread, one
//! paragraph a call so a long document goes a paragraph at a time with
//! progress and cancel. A reply that is no edit of the paragraph (empty,
//! or a "proofread" that rewrote half the words) is left out and said so.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::draft::{self, RewriteOp, SharedSink};
use crate::llm::{Engine, NullSink};
use crate::prompts::Prompts;
use crate::support::{describe, Evidence};

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
fn as_paragraph(original: &str, reply: &str, several: bool) -> String {
    // A label line the model puts first ("Task:", "Corrected text:") is
    // no text of the paragraph.
    let mut lines: Vec<&str> = reply.lines().collect();
    while let Some(first) = lines.first() {
        let l = first.trim();
        let label = l.ends_with(':') && l.split_whitespace().count() <= 4;
        if l.is_empty() || (label && !original.trim_start().starts_with(l)) {
            lines.remove(0);
        } else {
            break;
        }
    }
    let body = lines.join("\n");
    // One paragraph in, one out: what follows a blank line is the model
    // talking about its work ("I'm ready to assist..."), except when the
    // edit makes the paragraph longer and may run over several.
    let body = if several {
        body
    } else {
        body.split("\n\n")
            .find(|p| !p.trim().is_empty())
            .unwrap_or("")
            .to_owned()
    };
    let mut t = body.split_whitespace().collect::<Vec<_>>().join(" ");
    // Small models echo the prompt's task after the text.
    for echo in ["Task: rewrite", "Task:", "Rewritten text:"] {
        if !original.contains(echo) {
            if let Some(at) = t.find(echo) {
                t.truncate(at);
                t = t.trim_end().to_owned();
            }
        }
    }
    let quoted = |s: &str| {
        (s.starts_with('"') && s.ends_with('"')) || (s.starts_with('“') && s.ends_with('”'))
    };
    if t.chars().count() >= 2 && quoted(&t) && !quoted(original.trim()) {
        let mut cs = t.chars();
        cs.next();
        cs.next_back();
        t = cs.as_str().trim().to_owned();
    }
    // Sentences about the rewrite itself are no part of it.
    const META: [&str; 4] = [
        "rewritten text",
        "original text",
        "the text above",
        "rewritten version",
    ];
    let lower_original = original.to_lowercase();
    let all: Vec<&str> = sentences(&t).collect();
    let kept: Vec<&str> = all
        .iter()
        .copied()
        .filter(|s| {
            let l = s.to_lowercase();
            !META
                .iter()
                .any(|m| l.contains(m) && !lower_original.contains(m))
        })
        .collect();
    if kept.len() < all.len() {
        t = kept.join(" ");
    }
    // A reply cut off by its token budget ends mid-sentence: the last
    // whole sentence ends it.
    let ends = |s: &str| {
        s.trim_end()
            .ends_with(['.', '!', '?', '。', '！', '？', ':', ';'])
    };
    if ends(original) && !ends(&t) {
        if let Some(at) = t.rfind(['.', '!', '?', '。', '！', '？']) {
            let cut = at + t[at..].chars().next().map_or(1, char::len_utf8);
            t.truncate(cut);
        }
    }
    // Its edges (leading and trailing spaces) are kept as they were.
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

/// The sentences of a paragraph (as the rest of the project cuts them:
/// [`crate::lang::sentence_spans`]), trimmed.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    crate::lang::sentence_spans(text)
        .into_iter()
        .map(move |r| text[r].trim())
        .filter(|s| !s.is_empty())
}

/// Words (not spaces) in a text.
fn word_count(text: &str) -> usize {
    tokens(text)
        .into_iter()
        .filter(|r| !text[r.clone()].trim().is_empty())
        .count()
}

/// The words a change deletes or adds (the larger), as a share of the
/// original's words.
fn changed_share(old: &str, new: &str) -> f64 {
    let (mut deleted, mut added) = (0, 0);
    for s in diff(old, new) {
        match s {
            Step::Delete(r) => deleted += word_count(&old[r]),
            Step::Insert(t) => added += word_count(&t),
            Step::Keep(_) => {}
        }
    }
    deleted.max(added) as f64 / word_count(old).max(1) as f64
}

/// Asks the model for each paragraph of `indices` (not streamed: small
/// models wrap a rewrite in chatter that is cleaned off at the end); returns the changes to
/// write (paragraph index, new text) and the report. Nothing is written:
/// after a cancel the caller writes nothing.
pub fn run(
    engine: &Engine,
    prompts: &Prompts,
    doc: &DocxEdit,
    op: &EditOp,
    indices: &[usize],
    cancel: Arc<AtomicBool>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(Vec<(usize, String)>, EditReport), EditError> {
    let mut report = EditReport::default();
    let mut changes = Vec::new();
    let rewrite = op.rewrite();
    let sink = SharedSink::new(Box::new(NullSink));
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
        let several = matches!(rewrite, RewriteOp::Expand);
        let after = as_paragraph(&target.text, &result.text, several);
        if after.trim().is_empty() {
            report.skipped.push(skip("the model gave no text".into()));
            continue;
        }
        if after == target.text {
            report.unchanged += 1;
            continue;
        }
        // A rewrite says what the paragraph says: a name, number, date or
        // negation it does not have is an invention (a translation's words
        // are another language's, so it is not checked this way).
        if !matches!(rewrite, RewriteOp::Translate(_)) {
            let evidence = Evidence::new(&[target.text.as_str()]);
            let missing: Vec<_> = sentences(&after)
                .flat_map(|s| evidence.missing(s))
                .collect();
            if !missing.is_empty() {
                report.skipped.push(skip(format!(
                    "the model's version adds what the paragraph does not say: {}",
                    describe(&missing)
                )));
                continue;
            }
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
            as_paragraph("  Old text. ", "\"New\ntext.\"", false),
            "  New text. "
        );
        assert_eq!(
            as_paragraph("\"Quoted\"", "\"Quoted!\"", false),
            "\"Quoted!\""
        );
        assert_eq!(
            as_paragraph(
                "Basics",
                "Basics Task: rewrite the text above. Reply.",
                false
            ),
            "Basics"
        );
        assert_eq!(
            as_paragraph(
                "It is late. We wait.",
                "It is late. The rewritten text keeps the meaning. We will also",
                false
            ),
            "It is late."
        );
    }

    #[test]
    fn a_rewrite_adding_a_date_or_a_negation_is_caught() {
        let evidence = Evidence::new(&["The Lisbon conference is in September."]);
        let new = "The Lisbon conference was postponed to October. It is not in Lisbon.";
        let missing: Vec<_> = sentences(new).flat_map(|s| evidence.missing(s)).collect();
        assert!(!missing.is_empty());
        assert!(sentences("The Lisbon conference takes place in September.")
            .all(|s| evidence.missing(s).is_empty()));
    }

    #[test]
    fn a_label_line_first_and_talk_after_a_blank_line_are_left_out() {
        let reply = "Task:\nPlease send your comments before the meeting.\n\nI'm ready to assist. Please provide me with your feedback.";
        assert_eq!(
            as_paragraph(
                "Please send you're comments before the meeting.",
                reply,
                false
            ),
            "Please send your comments before the meeting."
        );
        // An expansion may run over several paragraphs: joined.
        assert_eq!(as_paragraph("A b.", "A b c.\n\nD e.", true), "A b c. D e.");
    }

    #[test]
    fn the_share_of_words_a_correction_changes() {
        assert!(changed_share("teh report are late", "the report is late") > 0.49);
        assert!(changed_share("The report are late today.", "The report is late today.") < 0.3);
        assert!(changed_share("Basics", "Basics and a long tail of words") > 1.0);
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
