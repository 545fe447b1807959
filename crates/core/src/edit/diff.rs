//! Word-level differences between a paragraph's text and its edited
//! text, as Word shows revisions: whole words deleted and inserted, the
//! words in between kept. Chinese and Japanese characters count as words
//! of their own.

use std::ops::Range;

use crate::lang::is_cjk;

/// One step from the old text to the new, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Old text kept (byte range of the old text).
    Keep(Range<usize>),
    /// Old text deleted (byte range of the old text).
    Delete(Range<usize>),
    /// New text inserted at this point.
    Insert(String),
}

/// Past this many token pairs the table would be too large: the whole
/// paragraph is then one deletion and one insertion.
const MAX_CELLS: usize = 4_000_000;

/// Byte ranges of the text's tokens: a word (letters, digits and the
/// apostrophes and hyphens inside it), a run of spaces, or one other
/// character.
pub(crate) fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        if c.is_alphanumeric() && !is_cjk(c) {
            while let Some(&(j, d)) = chars.peek() {
                let inner = (d == '\'' || d == '’' || d == '-')
                    && text[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric() && !is_cjk(n));
                if (d.is_alphanumeric() && !is_cjk(d)) || inner {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
        } else if c.is_whitespace() {
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
        }
        out.push(i..end);
    }
    out
}

/// The steps from `old` to `new`: a longest common run of tokens kept,
/// the rest deleted and inserted; a change never splits a word.
pub(crate) fn diff(old: &str, new: &str) -> Vec<Step> {
    let a = tokens(old);
    let b = tokens(new);
    let ta: Vec<&str> = a.iter().map(|r| &old[r.clone()]).collect();
    let tb: Vec<&str> = b.iter().map(|r| &new[r.clone()]).collect();
    // Common ends first: most edits touch a few words in the middle.
    let mut pre = 0;
    while pre < ta.len() && pre < tb.len() && ta[pre] == tb[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < ta.len() - pre
        && suf < tb.len() - pre
        && ta[ta.len() - 1 - suf] == tb[tb.len() - 1 - suf]
    {
        suf += 1;
    }
    let (ma, mb) = (&ta[pre..ta.len() - suf], &tb[pre..tb.len() - suf]);
    // kept[i] = the token of old matched to a token of new.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if !ma.is_empty() && !mb.is_empty() && (ma.len() + 1) * (mb.len() + 1) <= MAX_CELLS {
        let w = mb.len() + 1;
        let mut len = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                len[i * w + j] = if ma[i] == mb[j] {
                    len[(i + 1) * w + j + 1] + 1
                } else {
                    len[(i + 1) * w + j].max(len[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() && j < mb.len() {
            if ma[i] == mb[j] {
                pairs.push((pre + i, pre + j));
                i += 1;
                j += 1;
            } else if len[(i + 1) * w + j] >= len[i * w + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    // A space or a lone punctuation mark kept between two changes is
    // noise to a reader: it joins the change around it.
    let lone = |k: usize| -> bool {
        let t = ta[pairs[k].0];
        t.trim().is_empty() || t.chars().count() == 1 && !t.chars().all(char::is_alphanumeric)
    };
    let mut keep_pair = vec![true; pairs.len()];
    for k in 0..pairs.len() {
        let gap_before = if k == 0 {
            pairs[k].0 > pre || pairs[k].1 > pre
        } else {
            pairs[k].0 > pairs[k - 1].0 + 1 || pairs[k].1 > pairs[k - 1].1 + 1
        };
        let gap_after = if k + 1 == pairs.len() {
            pairs[k].0 + 1 < ta.len() - suf || pairs[k].1 + 1 < tb.len() - suf
        } else {
            pairs[k + 1].0 > pairs[k].0 + 1 || pairs[k + 1].1 > pairs[k].1 + 1
        };
        if gap_before && gap_after && lone(k) {
            keep_pair[k] = false;
        }
    }
    let pairs: Vec<(usize, usize)> = pairs
        .into_iter()
        .zip(keep_pair)
        .filter_map(|(p, k)| k.then_some(p))
        .collect();

    let mut steps: Vec<Step> = Vec::new();
    let span = |r: Range<usize>, toks: &[Range<usize>]| -> Range<usize> {
        if r.is_empty() {
            let at = toks.get(r.start).map(|t| t.start).unwrap_or(old.len());
            at..at
        } else {
            toks[r.start].start..toks[r.end - 1].end
        }
    };
    let push = |steps: &mut Vec<Step>, s: Step| {
        let merged = match (steps.last_mut(), &s) {
            (Some(Step::Keep(a)), Step::Keep(b)) | (Some(Step::Delete(a)), Step::Delete(b))
                if a.end == b.start =>
            {
                a.end = b.end;
                true
            }
            (Some(Step::Insert(a)), Step::Insert(b)) => {
                a.push_str(b);
                true
            }
            _ => false,
        };
        if !merged {
            steps.push(s);
        }
    };
    if pre > 0 {
        push(&mut steps, Step::Keep(span(0..pre, &a)));
    }
    let (mut i, mut j) = (pre, pre);
    let ends = pairs
        .iter()
        .copied()
        .chain(std::iter::once((ta.len() - suf, tb.len() - suf)));
    for (pi, pj) in ends {
        if pi > i {
            push(&mut steps, Step::Delete(span(i..pi, &a)));
        }
        if pj > j {
            let r = span(j..pj, &b);
            push(&mut steps, Step::Insert(new[r].to_owned()));
        }
        if pi < ta.len() - suf {
            push(&mut steps, Step::Keep(span(pi..pi + 1, &a)));
        }
        i = pi + 1;
        j = pj + 1;
    }
    if suf > 0 {
        push(&mut steps, Step::Keep(span(ta.len() - suf..ta.len(), &a)));
    }
    steps
}

/// The old text with every step applied: the new text (a check).
#[cfg(test)]
pub(crate) fn apply(old: &str, steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Keep(r) => out.push_str(&old[r.clone()]),
            Step::Delete(_) => {}
            Step::Insert(t) => out.push_str(t),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(old: &str, steps: &[Step]) -> String {
        steps
            .iter()
            .map(|s| match s {
                Step::Keep(r) => old[r.clone()].to_owned(),
                Step::Delete(r) => format!("[-{}-]", &old[r.clone()]),
                Step::Insert(t) => format!("{{+{t}+}}"),
            })
            .collect()
    }

    #[test]
    fn changed_words_are_whole_words_and_the_rest_is_kept() {
        let old = "The report are late because of teh holidays.";
        let new = "The report is late because of the holidays.";
        let steps = diff(old, new);
        assert_eq!(apply(old, &steps), new);
        assert_eq!(
            shown(old, &steps),
            "The report [-are-]{+is+} late because of [-teh-]{+the+} holidays."
        );
    }

    #[test]
    fn a_lone_space_between_changes_joins_them() {
        let old = "We will meet on Monday at noon.";
        let new = "The meeting is on Tuesday morning.";
        let steps = diff(old, new);
        assert_eq!(apply(old, &steps), new);
        assert!(
            !shown(old, &steps).contains("+} {+"),
            "{}",
            shown(old, &steps)
        );
    }

    #[test]
    fn chinese_characters_are_words_of_their_own() {
        let old = "会议定于九月举行。";
        let new = "会议改到十月举行。";
        let steps = diff(old, new);
        assert_eq!(apply(old, &steps), new);
        assert_eq!(shown(old, &steps), "会议[-定于九-]{+改到十+}月举行。");
    }

    #[test]
    fn identical_and_empty_texts() {
        assert_eq!(diff("a b", "a b"), vec![Step::Keep(0..3)]);
        assert_eq!(apply("abc def", &diff("abc def", "")), "");
        assert_eq!(apply("", &diff("", "new words")), "new words");
        let s = "don't re-use it";
        assert_eq!(tokens(s).len(), 5);
    }
}
