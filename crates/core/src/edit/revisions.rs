//! A paragraph rewritten as Word revisions: the words kept stay in their
//! runs with their formatting (a run not touched is copied byte for byte),
//! deleted words become `w:del` runs with the same formatting, new words
//! `w:ins` runs formatted like the run they follow. Word and LibreOffice
//! show them for accept or reject, by author and date.

use super::diff::{diff, Step};
use super::paragraphs::{Item, Paragraph};
use crate::docs::xml::escape;

/// Who and when, and the next free revision id.
pub(crate) struct Revisions {
    pub author: String,
    /// ISO 8601, UTC (`2026-12-06T21:00:00Z`).
    pub date: String,
    pub next_id: u64,
    /// Comments instead of changes: the text stays, each change becomes a
    /// comment on the words it concerns, beginning with this label
    /// (`proofread`); the comments made are gathered in `comments`.
    pub comment_label: Option<String>,
    pub comments: Vec<(u64, String)>,
}

impl Revisions {
    fn open(&mut self, prefix: &str, kind: &str) -> String {
        let id = self.next_id;
        self.next_id += 1;
        format!(
            r#"<{prefix}:{kind} {prefix}:id="{id}" {prefix}:author="{}" {prefix}:date="{}">"#,
            escape(&self.author),
            self.date
        )
    }
}

/// A run of `text` (tabs as tab elements) with the properties `rpr`; its
/// text element is `t`, or `delText` inside a deletion.
fn run(prefix: &str, rpr: &str, text: &str, deleted: bool) -> String {
    let t = if deleted { "delText" } else { "t" };
    let mut out = format!("<{prefix}:r>{rpr}");
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str(&format!("<{prefix}:tab/>"));
        }
        if !piece.is_empty() {
            out.push_str(&format!(
                r#"<{prefix}:{t} xml:space="preserve">{}</{prefix}:{t}>"#,
                escape(piece)
            ));
        }
    }
    out.push_str(&format!("</{prefix}:r>"));
    out
}

/// The paragraph's new XML with `new_text` as revisions of its text, or
/// None when the text is the same.
pub(crate) fn revise(
    xml: &str,
    p: &Paragraph,
    new_text: &str,
    rev: &mut Revisions,
) -> Option<String> {
    if p.text == new_text {
        return None;
    }
    let steps = diff(&p.text, new_text);
    // In comment mode: each change's comment id, a replacement (a deletion
    // and the insertion after it) sharing one.
    let mut comment_of: Vec<Option<u64>> = vec![None; steps.len()];
    if let Some(label) = rev.comment_label.clone() {
        for k in 0..steps.len() {
            let text = match (&steps[k], k.checked_sub(1).map(|j| &steps[j])) {
                (Step::Insert(_), Some(Step::Delete(_))) => {
                    comment_of[k] = comment_of[k - 1];
                    continue;
                }
                (Step::Delete(_), _) => match steps.get(k + 1) {
                    Some(Step::Insert(new)) => {
                        format!("{label}: replace with \u{201c}{}\u{201d}", new.trim())
                    }
                    _ => format!("{label}: delete"),
                },
                (Step::Insert(new), _) => format!("{label}: insert \u{201c}{}\u{201d}", new.trim()),
                (Step::Keep(_), _) => continue,
            };
            let id = rev.next_id;
            rev.next_id += 1;
            rev.comments.push((id, text));
            comment_of[k] = Some(id);
        }
    }
    let reference = |id: u64| {
        format!(
            r#"<{prefix}:commentRangeEnd {prefix}:id="{id}"/><{prefix}:r><{prefix}:commentReference {prefix}:id="{id}"/></{prefix}:r>"#,
            prefix = p.prefix
        )
    };
    let range_start = |id: u64| {
        format!(
            r#"<{prefix}:commentRangeStart {prefix}:id="{id}"/>"#,
            prefix = p.prefix
        )
    };
    let prefix = p.prefix.as_str();
    let (head, tail) = p.frame();
    let mut out = String::with_capacity(p.range.len() + new_text.len() * 2);
    out.push_str(&xml[head]);

    // Where each step falls in the old text; an insertion sits at a point.
    let mut at = 0usize;
    let placed: Vec<(usize, usize, &Step)> = steps
        .iter()
        .map(|s| match s {
            Step::Keep(r) | Step::Delete(r) => {
                at = r.end;
                (r.start, r.end, s)
            }
            Step::Insert(_) => (at, at, s),
        })
        .collect();
    let mut inserted = vec![false; placed.len()];
    let runs = p
        .items
        .iter()
        .filter(|i| matches!(i, Item::Run { .. }))
        .count();
    let mut start = 0usize;
    let mut run_index = 0usize;
    for item in &p.items {
        let Item::Run { raw, rpr, text } = item else {
            if let Item::Mark(r) = item {
                out.push_str(&xml[r.clone()]);
            }
            continue;
        };
        let (s, e) = (start, start + text.len());
        start = e;
        run_index += 1;
        let last = run_index == runs;
        let rpr = rpr.as_ref().map(|r| &xml[r.clone()]).unwrap_or("");
        // The pieces of this run's text, in order.
        let mut pieces: Vec<String> = Vec::new();
        let mut untouched = true;
        for (k, (a, b, step)) in placed.iter().enumerate() {
            match step {
                Step::Keep(_) | Step::Delete(_) => {
                    let (x, y) = ((*a).max(s), (*b).min(e));
                    if x >= y {
                        continue;
                    }
                    let piece = &p.text[x..y];
                    if matches!(step, Step::Keep(_)) {
                        pieces.push(run(prefix, rpr, piece, false));
                    } else if let Some(id) = comment_of[k] {
                        // The words stay; the comment spans them.
                        untouched = false;
                        let mut c = String::new();
                        if x == *a {
                            c.push_str(&range_start(id));
                        }
                        c.push_str(&run(prefix, rpr, piece, false));
                        if y == *b {
                            c.push_str(&reference(id));
                        }
                        pieces.push(c);
                    } else {
                        untouched = false;
                        let mut d = rev.open(prefix, "del");
                        d.push_str(&run(prefix, rpr, piece, true));
                        d.push_str(&format!("</{prefix}:del>"));
                        pieces.push(d);
                    }
                }
                Step::Insert(t) => {
                    // An insertion belongs to the run whose text it follows;
                    // at the very start, to the first run; past the end, to
                    // the last.
                    let here = (*a > s && *a <= e) || (*a == 0 && s == 0) || (last && *a >= e);
                    if here && !inserted[k] && rev.comment_label.is_some() {
                        inserted[k] = true;
                        // A replacement's comment is on its deleted words;
                        // a lone insertion's marks the point.
                        let lone = k == 0 || !matches!(steps[k - 1], Step::Delete(_));
                        if let (true, Some(id)) = (lone, comment_of[k]) {
                            // A point, not a range: LibreOffice stops on
                            // an empty comment range.
                            untouched = false;
                            pieces.push(format!(
                                r#"<{prefix}:r><{prefix}:commentReference {prefix}:id="{id}"/></{prefix}:r>"#
                            ));
                        }
                    } else if here && !inserted[k] {
                        inserted[k] = true;
                        untouched = false;
                        let mut i = rev.open(prefix, "ins");
                        i.push_str(&run(prefix, rpr, t, false));
                        i.push_str(&format!("</{prefix}:ins>"));
                        pieces.push(i);
                    }
                }
            }
        }
        if untouched {
            out.push_str(&xml[raw.clone()]);
        } else {
            for piece in pieces {
                out.push_str(&piece);
            }
        }
    }
    out.push_str(&xml[tail]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::limits::Limits;
    use crate::edit::paragraphs::scan;

    pub(crate) fn doc(body: &str) -> String {
        format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
    }

    fn revs() -> Revisions {
        Revisions {
            author: "Deskpilot".into(),
            date: "2026-12-06T21:00:00Z".into(),
            next_id: 100,
            comment_label: None,
            comments: Vec::new(),
        }
    }

    #[test]
    fn in_comment_mode_the_text_stays_and_each_change_is_a_comment_on_its_words() {
        let xml = doc(
            r#"<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>The report are late teh end.</w:t></w:r></w:p>"#,
        );
        let limits = Limits::default();
        let ps = scan(&xml, &limits, limits.deadline()).unwrap();
        let mut r = revs();
        r.comment_label = Some("proofread".into());
        let new = revise(&xml, &ps[0], "The report is late, the end.", &mut r).unwrap();
        assert!(!new.contains("w:ins") && !new.contains("w:del"), "{new}");
        let texts: Vec<&str> = r.comments.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "proofread: replace with \u{201c}is\u{201d}",
                "proofread: replace with \u{201c}, the\u{201d}"
            ]
        );
        assert!(new.contains(r#"<w:commentRangeStart w:id="100"/><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">are</w:t></w:r><w:commentRangeEnd w:id="100"/><w:r><w:commentReference w:id="100"/></w:r>"#), "{new}");
        let again = doc(&new);
        let ps2 = scan(&again, &limits, limits.deadline()).unwrap();
        assert_eq!(
            ps2[0].text.replace(' ', ""),
            ps[0].text.replace(' ', ""),
            "the words are the same"
        );
    }

    #[test]
    fn a_changed_word_is_a_deletion_and_an_insertion_in_its_run_formatting() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>The report </w:t></w:r>"#,
            r#"<w:r><w:rPr><w:i/></w:rPr><w:t>are late.</w:t></w:r></w:p>"#
        ));
        let limits = Limits::default();
        let ps = scan(&xml, &limits, limits.deadline()).unwrap();
        let mut r = revs();
        let new = revise(&xml, &ps[0], "The report is late.", &mut r).unwrap();
        // The bold run is untouched, copied as it was.
        assert!(new.starts_with(
            r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>The report </w:t></w:r>"#
        ));
        assert!(new.contains(
            r#"<w:del w:id="100" w:author="Deskpilot" w:date="2026-12-06T21:00:00Z"><w:r><w:rPr><w:i/></w:rPr><w:delText xml:space="preserve">are</w:delText></w:r></w:del>"#
        ), "{new}");
        assert!(new.contains(
            r#"<w:ins w:id="101" w:author="Deskpilot" w:date="2026-12-06T21:00:00Z"><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">is</w:t></w:r></w:ins>"#
        ), "{new}");
        assert!(
            new.ends_with(
                r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve"> late.</w:t></w:r></w:p>"#
            ),
            "{new}"
        );
        assert_eq!(r.next_id, 102);
        assert!(revise(&xml, &ps[0], "The report are late.", &mut r).is_none());
    }

    #[test]
    fn text_added_at_either_end_and_special_characters_are_written_safely() {
        let xml = doc(r#"<w:p><w:r><w:t>middle</w:t></w:r><w:bookmarkEnd w:id="3"/></w:p>"#);
        let limits = Limits::default();
        let ps = scan(&xml, &limits, limits.deadline()).unwrap();
        let new = revise(&xml, &ps[0], "A & B middle <end>", &mut revs()).unwrap();
        assert!(new.contains(">A &amp; B </w:t>"), "{new}");
        assert!(new.contains("> &lt;end&gt;</w:t>"), "{new}");
        assert!(new.ends_with(r#"<w:bookmarkEnd w:id="3"/></w:p>"#), "{new}");
        let again = doc(&new);
        let ps2 = scan(&again, &limits, limits.deadline()).unwrap();
        assert!(ps2[0].blocked.is_some(), "revisions are there now");
    }
}
