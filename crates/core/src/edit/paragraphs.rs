//! The paragraphs of a Word document's body as byte ranges of its
//! `document.xml`, with their runs: what an edit may rewrite and what it
//! must copy as it is. A paragraph holding anything whose text cannot be
//! changed word by word without breaking it (a field, a link, a picture, a
//! comment's anchor, a tracked change already there, a line break) is
//! marked blocked with the reason, and left alone.

use std::ops::Range;

use crate::docs::limits::{Deadline, Limits};
use crate::docs::xml::{local, Ev, Xml};
use crate::docs::DocProblem;

/// One piece of a paragraph after its properties.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A run of text: its bytes, its properties' bytes, its text (tabs as
    /// `\t`).
    Run {
        raw: Range<usize>,
        rpr: Option<Range<usize>>,
        text: String,
    },
    /// Something without text that stays where it is (a bookmark's start
    /// or end, a proofing mark).
    Mark(Range<usize>),
}

/// A paragraph of the body (or of a table in the body).
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    /// `<w:p ...>` to `</w:p>`.
    pub range: Range<usize>,
    /// The namespace prefix of its elements (`w`), empty for none.
    pub prefix: String,
    /// The body table it is in (0 = the first table), if any.
    pub table: Option<usize>,
    /// Its text as shown (tabs as `\t`).
    pub text: String,
    pub items: Vec<Item>,
    /// All the text inside it, links' and fields' too (for finding it
    /// among the document reader's blocks).
    pub all_text: String,
    /// Why it cannot be edited, if it cannot.
    pub blocked: Option<String>,
}

impl Paragraph {
    /// Bytes from the paragraph's start to its first item (start tag and
    /// properties), and from its last item to its end.
    pub fn frame(&self) -> (Range<usize>, Range<usize>) {
        let first = self.items.first().map(item_range);
        let last = self.items.last().map(item_range);
        match (first, last) {
            (Some(f), Some(l)) => (self.range.start..f.start, l.end..self.range.end),
            _ => (self.range.clone(), self.range.end..self.range.end),
        }
    }
}

pub(crate) fn item_range(item: &Item) -> Range<usize> {
    match item {
        Item::Run { raw, .. } | Item::Mark(raw) => raw.clone(),
    }
}

/// Zero-width elements that may sit between runs and stay in place.
const MARKS: &[&[u8]] = &[
    b"bookmarkStart",
    b"bookmarkEnd",
    b"proofErr",
    b"permStart",
    b"permEnd",
];

/// What a paragraph child other than a run or a mark is, in words.
fn blocking_child(name: &[u8]) -> String {
    match name {
        b"hyperlink" => "a link".into(),
        b"fldSimple" => "a field".into(),
        b"ins" | b"del" | b"moveFrom" | b"moveTo" => {
            "tracked changes already there (kept as they are)".into()
        }
        b"commentRangeStart" | b"commentRangeEnd" => "a comment's anchor".into(),
        b"sdt" => "a content control".into(),
        b"smartTag" | b"customXml" => "tagged text".into(),
        b"oMath" | b"oMathPara" => "an equation".into(),
        other => format!("a {} element", String::from_utf8_lossy(other)),
    }
}

/// What a run child other than text, a tab or properties is, in words.
fn blocking_run_child(name: &[u8]) -> String {
    match name {
        b"br" | b"cr" => "a line break".into(),
        b"drawing" | b"pict" | b"object" => "a picture or object".into(),
        b"fldChar" | b"instrText" | b"delInstrText" => "a field".into(),
        b"footnoteReference" | b"endnoteReference" => "a note reference".into(),
        b"commentReference" => "a comment".into(),
        b"sym" => "a symbol".into(),
        b"delText" => "deleted text".into(),
        other => format!("a {} in a run", String::from_utf8_lossy(other)),
    }
}

/// How deep inside the outermost open paragraph the next child sits (0:
/// a direct child), or None outside any paragraph.
fn depth_in_p(stack: &[Vec<u8>]) -> Option<usize> {
    let p = stack.iter().position(|n| n == b"p")?;
    Some(stack.len() - p - 1)
}

/// The body's paragraphs in order. Paragraphs inside other paragraphs
/// (text boxes) are not listed: their paragraph is blocked.
pub(crate) fn scan(
    xml: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Paragraph>, DocProblem> {
    // Positions are counted in the text after a byte-order mark.
    let (text, shift) = match xml.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (xml, 0),
    };
    let mut x = Xml::new(text, limits, deadline);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut out = Vec::new();
    let mut tables = 0usize;
    let mut current: Option<Paragraph> = None;
    // Inside the current paragraph: the run being read.
    let mut run: Option<(usize, Option<Range<usize>>, String)> = None;
    let mut in_text = false;
    let mut in_any_text = false;
    while let Some(ev) = x.next()? {
        let range = x.event_range();
        let range = range.start + shift..range.end + shift;
        match ev {
            Ev::Start(e) => {
                let name = local(&e);
                let depth_in_p = current.as_ref().and_then(|_| depth_in_p(&stack));
                if depth_in_p.is_some() && name == b"t" {
                    in_any_text = true;
                }
                match depth_in_p {
                    None => {
                        if name == b"tbl" && !stack.iter().any(|n| n == b"tbl") {
                            tables += 1;
                        }
                        if name == b"p" && stack.iter().any(|n| n == b"body") {
                            let prefix = e
                                .name()
                                .prefix()
                                .map(|p| p.as_ref().to_owned())
                                .unwrap_or_default();
                            let in_table = stack.iter().any(|n| n == b"tbl");
                            current = Some(Paragraph {
                                range: range.start..range.end,
                                prefix,
                                table: in_table.then(|| tables - 1),
                                text: String::new(),
                                items: Vec::new(),
                                all_text: String::new(),
                                // LibreOffice does not reject revisions
                                // inside a content control (seen).
                                blocked: stack
                                    .iter()
                                    .any(|n| n == b"sdt")
                                    .then(|| "the content control it is in".to_owned()),
                            });
                        }
                    }
                    Some(0) => {
                        let p = current.as_mut().expect("inside a paragraph");
                        if name == b"r" {
                            run = Some((range.start, None, String::new()));
                        } else if name != b"pPr" && p.blocked.is_none() {
                            p.blocked = Some(blocking_child(&name));
                        }
                    }
                    Some(1) if run.is_some() => {
                        if name == b"rPr" {
                            if let Some(r) = run.as_mut() {
                                r.1 = Some(range.start..range.start);
                            }
                        } else if name == b"t" {
                            in_text = true;
                        } else {
                            let p = current.as_mut().expect("inside a paragraph");
                            if p.blocked.is_none() {
                                p.blocked = Some(blocking_run_child(&name));
                            }
                        }
                    }
                    Some(_) => {}
                }
                stack.push(name);
            }
            Ev::Empty(e) => {
                let name = local(&e);
                let Some(p) = current.as_mut() else {
                    continue;
                };
                // A tab in a run (not a tab stop in the properties).
                if name == b"tab" && stack.last().is_some_and(|n| n == b"r") {
                    p.all_text.push('\t');
                }
                match depth_in_p(&stack).unwrap_or(usize::MAX) {
                    0 => {
                        if MARKS.contains(&name.as_slice()) {
                            p.items.push(Item::Mark(range));
                        } else if name == b"r" {
                            // An empty run: nothing to keep but its place.
                            p.items.push(Item::Mark(range));
                        } else if name != b"pPr" && p.blocked.is_none() {
                            p.blocked = Some(blocking_child(&name));
                        }
                    }
                    1 if run.is_some() => match name.as_slice() {
                        b"rPr" => {
                            if let Some(r) = run.as_mut() {
                                r.1 = Some(range);
                            }
                        }
                        b"tab" => {
                            if let Some(r) = run.as_mut() {
                                r.2.push('\t');
                            }
                        }
                        b"t" | b"lastRenderedPageBreak" => {}
                        other => {
                            if p.blocked.is_none() {
                                p.blocked = Some(blocking_run_child(other));
                            }
                        }
                    },
                    _ => {}
                }
            }
            Ev::Text(t) => {
                if in_any_text {
                    if let Some(p) = current.as_mut() {
                        p.all_text.push_str(&t);
                    }
                }
                if in_text {
                    if let Some(r) = run.as_mut() {
                        r.2.push_str(&t);
                    }
                }
            }
            Ev::End(name) => {
                stack.pop();
                if current.is_none() {
                    continue;
                }
                if name == b"t" {
                    in_any_text = false;
                }
                // None: the current paragraph's own end.
                match (depth_in_p(&stack), name.as_slice()) {
                    (None, _) => {
                        let mut p = current.take().expect("inside a paragraph");
                        p.range.end = range.end;
                        p.text = p
                            .items
                            .iter()
                            .filter_map(|i| match i {
                                Item::Run { text, .. } => Some(text.as_str()),
                                Item::Mark(_) => None,
                            })
                            .collect();
                        out.push(p);
                    }
                    (Some(0), b"r") => {
                        if let Some((start, rpr, text)) = run.take() {
                            let p = current.as_mut().expect("inside a paragraph");
                            p.items.push(Item::Run {
                                raw: start..range.end,
                                rpr,
                                text,
                            });
                        }
                    }
                    (Some(1), b"rPr") => {
                        if let Some(Some(r)) = run.as_mut().map(|r| r.1.as_mut()) {
                            r.end = range.end;
                        }
                    }
                    (Some(1), b"t") => in_text = false,
                    _ => {}
                }
            }
        }
    }
    // A paragraph whose mark is hidden with specVanish runs into the next
    // one (a run-in heading): Word and LibreOffice lay the two out as one
    // and an edit of the second disturbs references to the first.
    for i in 1..out.len() {
        let (head, _) = out[i - 1].frame();
        if xml[head].contains("specVanish") && out[i].blocked.is_none() {
            out[i].blocked = Some("a run-in heading before it".into());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    #[test]
    fn runs_marks_and_blocking_content_are_told_apart() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:bookmarkStart w:id="0" w:name="a"/>"#,
            r#"<w:r><w:rPr><w:b/></w:rPr><w:t>Bold</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> &amp; plain</w:t></w:r>"#,
            r#"<w:bookmarkEnd w:id="0"/></w:p>"#,
            r#"<w:p><w:r><w:t>See </w:t></w:r><w:hyperlink r:id="x"><w:r><w:t>here</w:t></w:r></w:hyperlink></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r><w:r><w:br/></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p/>"#,
        ));
        let limits = Limits::default();
        let ps = scan(&xml, &limits, limits.deadline()).unwrap();
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[0].text, "Bold\t & plain");
        assert_eq!(ps[0].prefix, "w");
        assert!(ps[0].blocked.is_none());
        assert_eq!(ps[0].items.len(), 4);
        let Item::Run { rpr: Some(rpr), .. } = &ps[0].items[1] else {
            panic!("a run with properties");
        };
        assert_eq!(&xml[rpr.clone()], "<w:rPr><w:b/></w:rPr>");
        assert!(xml[ps[0].range.clone()].starts_with("<w:p>"));
        assert!(xml[ps[0].range.clone()].ends_with("</w:p>"));
        let (head, tail) = ps[0].frame();
        assert!(xml[head].ends_with("</w:pPr>"));
        assert_eq!(&xml[tail], "</w:p>");
        assert_eq!(ps[1].blocked.as_deref(), Some("a link"));
        assert_eq!(ps[2].table, Some(0));
        assert_eq!(ps[2].blocked.as_deref(), Some("a line break"));
    }
}
