//! Reading what an edit needs from the .docx package (the main part, its
//! protection, signatures, the revision ids in use) and writing the copy:
//! every other entry copied raw, byte for byte, in its place; the main
//! part with only the edited paragraphs replaced; written beside the
//! target and renamed into place, so a failure leaves no half file.

use std::io::Cursor;
use std::path::Path;

use zip::ZipArchive;

use crate::docs::docx::main_part;
use crate::docs::limits::Limits;
use crate::docs::package::{relationships, rels_name, same_file, Package};
use crate::docs::xml::{attr, escape, local, Ev, Xml};
use crate::docs::DocProblem;

use super::revisions::{revise, Revisions};
use super::{DocxEdit, EditError};

/// What the document's settings say about editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protection {
    None,
    /// Only tracked changes are allowed: what an edit writes.
    TrackedChanges,
    Enforced,
}

pub(crate) struct Parts {
    pub main: String,
    pub main_xml: Vec<u8>,
    pub signed: bool,
    pub protection: Protection,
    /// The largest `w:id` in the document's parts.
    pub max_id: u64,
    /// The comments part the main part's relationships name, if any.
    pub comments: Option<String>,
}

impl Parts {
    pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Parts, DocProblem> {
        let mut pkg = Package::open(bytes, limits)?;
        let main = main_part(&mut pkg)?;
        let Some(main_xml) = pkg.read(&main)? else {
            return Err(DocProblem::Damaged(format!("no {main} in the package")));
        };
        let names = pkg.names();
        let signed = names.iter().any(|n| n.starts_with("_xmlsignatures/"));
        let protection = match pkg.read_text("word/settings.xml")? {
            Some(s) => protection(&s, limits),
            None => Protection::None,
        };
        // Only the comments part is looked for: damaged relationships do
        // not stop an edit (a new comments part is made if asked for).
        let comments = relationships(&mut pkg, &main, limits, limits.deadline())
            .unwrap_or_default()
            .into_iter()
            .find(|(_, ty, _)| ty == COMMENTS_REL)
            .map(|(_, _, target)| target);
        let mut max_id = max_id(&main_xml);
        for n in names
            .iter()
            .filter(|n| n.starts_with("word/") && n.ends_with(".xml") && **n != main)
        {
            if let Some(b) = pkg.read(n)? {
                max_id = max_id.max(self::max_id(&b));
            }
        }
        Ok(Parts {
            main,
            main_xml,
            signed,
            protection,
            max_id,
            comments,
        })
    }
}

fn protection(settings: &str, limits: &Limits) -> Protection {
    let mut x = Xml::new(settings, limits, limits.deadline());
    while let Ok(Some(ev)) = x.next() {
        let (Ev::Start(e) | Ev::Empty(e)) = ev else {
            continue;
        };
        if local(&e) != b"documentProtection" {
            continue;
        }
        let on =
            attr(&e, b"enforcement").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on"));
        if !on {
            return Protection::None;
        }
        return match attr(&e, b"edit").as_deref() {
            Some("trackedChanges") => Protection::TrackedChanges,
            Some("none") => Protection::None,
            _ => Protection::Enforced,
        };
    }
    Protection::None
}

/// The largest number in an `...:id="N"` attribute.
fn max_id(xml: &[u8]) -> u64 {
    let mut best = 0;
    let needle = b":id=\"";
    let mut i = 0;
    while let Some(at) = memchr::memmem::find(&xml[i..], needle) {
        let start = i + at + needle.len();
        let digits = xml[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 && digits < 18 && xml.get(start + digits) == Some(&b'"') {
            if let Ok(n) = std::str::from_utf8(&xml[start..start + digits])
                .unwrap_or("0")
                .parse::<u64>()
            {
                best = best.max(n);
            }
        }
        i = start;
    }
    best
}

/// The main part with each change made as revisions (or, with a
/// comment label, as comments on the words); the number of paragraphs
/// changed; the comments made (id, text) and their date.
fn revised_xml(
    doc: &DocxEdit,
    changes: &[(usize, String)],
    author: &str,
    comment_label: Option<&str>,
) -> (String, usize, Revisions) {
    let mut rev = Revisions {
        author: author.to_owned(),
        date: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        next_id: doc.next_id,
        comment_label: comment_label.map(str::to_owned),
        comments: Vec::new(),
    };
    let mut sorted: Vec<&(usize, String)> = changes.iter().collect();
    sorted.sort_by_key(|(i, _)| *i);
    let mut out = String::with_capacity(doc.xml.len() + 4096);
    let mut at = 0usize;
    let mut changed = 0;
    for (index, text) in sorted {
        let Some(p) = doc.paragraphs.get(*index) else {
            continue;
        };
        if p.blocked.is_some() || p.prefix.is_empty() || p.range.start < at {
            continue;
        }
        if let Some(new) = revise(&doc.xml, p, text, &mut rev) {
            out.push_str(&doc.xml[at..p.range.start]);
            out.push_str(&new);
            at = p.range.end;
            changed += 1;
        }
    }
    out.push_str(&doc.xml[at..]);
    (out, changed, rev)
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const COMMENTS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";

/// Each comment as a `w:comment` element (its own namespace declaration,
/// so it fits a comments part whatever prefix that part uses).
fn comment_elements(rev: &Revisions) -> String {
    rev.comments
        .iter()
        .map(|(id, text)| {
            format!(
                r#"<w:comment xmlns:w="{MAIN_NS}" w:id="{id}" w:author="{}" w:date="{}" w:initials="DP"><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:comment>"#,
                escape(&rev.author),
                rev.date,
                escape(text)
            )
        })
        .collect()
}

/// A comments part with `elements` added at its end (also when its root
/// is empty and self-closing).
fn add_comments(xml: &str, elements: &str) -> Option<String> {
    let trimmed = xml.trim_end();
    if let Some(open) = trimmed.strip_suffix("/>") {
        // `<w:comments .../>`: the root is the last start tag.
        let root = trimmed.rfind('<')?;
        let name: String = trimmed[root + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
            .collect();
        if !name.ends_with("comments") {
            return None;
        }
        return Some(format!("{open}>{elements}</{name}>"));
    }
    let close = xml
        .rfind("</")
        .filter(|&i| xml[i..].contains("comments>"))?;
    Some(format!("{}{elements}{}", &xml[..close], &xml[close..]))
}

/// The parts to replace or add so the comments exist: the comments part
/// (the document's own, extended, or a new `word/comments.xml`), and for a
/// new one the main part's relationships and the content types.
fn comment_parts(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    doc: &DocxEdit,
    rev: &Revisions,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let main = doc.main.as_str();
    let read = |zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str| -> Option<String> {
        let mut e = zip.by_name(name).ok()?;
        let mut s = String::new();
        std::io::Read::read_to_string(&mut e, &mut s).ok()?;
        Some(s)
    };
    let rels_name = rels_name(main);
    let rels = read(zip, &rels_name).unwrap_or_else(|| {
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#.to_owned()
    });
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let elements = comment_elements(rev);
    if let Some(name) = doc.comments_part.clone() {
        let xml = read(zip, &name).ok_or_else(|| format!("{name} is named but missing"))?;
        let new = add_comments(&xml, &elements)
            .ok_or_else(|| format!("{name} does not end its comments"))?;
        return Ok(vec![(name, new.into_bytes())]);
    }
    let part = if dir.is_empty() {
        "comments.xml".to_owned()
    } else {
        format!("{dir}/comments.xml")
    };
    // A comments part no relationship names (some writers leave one) is
    // extended and named; otherwise a new one is made.
    let comments = match read(zip, &part) {
        Some(xml) => add_comments(&xml, &elements)
            .ok_or_else(|| format!("{part} does not end its comments"))?,
        None => format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{MAIN_NS}">{elements}</w:comments>"#
        ),
    };
    let close = rels
        .rfind("</Relationships>")
        .ok_or("the relationships do not close")?;
    let rels = format!(
        r#"{}<Relationship Id="rIdDeskpilotComments" Type="{COMMENTS_REL}" Target="comments.xml"/>{}"#,
        &rels[..close],
        &rels[close..]
    );
    let mut types = read(zip, "[Content_Types].xml").ok_or("no [Content_Types].xml")?;
    if !types.contains(&format!("PartName=\"/{part}\"")) {
        let close = types
            .rfind("</Types>")
            .ok_or("the content types do not close")?;
        types = format!(
            r#"{}<Override PartName="/{part}" ContentType="{COMMENTS_TYPE}"/>{}"#,
            &types[..close],
            &types[close..]
        );
    }
    Ok(vec![
        (part, comments.into_bytes()),
        (rels_name, rels.into_bytes()),
        ("[Content_Types].xml".to_owned(), types.into_bytes()),
    ])
}

pub(crate) fn write_copy(
    doc: &DocxEdit,
    changes: &[(usize, String)],
    out: &Path,
    author: &str,
    comment_label: Option<&str>,
) -> Result<usize, EditError> {
    let fail = |detail: String| EditError::Output {
        out: out.to_path_buf(),
        detail,
    };
    if same_file(doc.file(), out) {
        return Err(fail(
            "this is the document being edited; the edit is always a copy: give another --out"
                .into(),
        ));
    }
    let ext = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    if ext(out) != ext(doc.file()) {
        return Err(fail(format!(
            "the copy must keep the original's extension (.{})",
            ext(doc.file())
        )));
    }
    if comment_label.is_some() && !doc.xml.contains(MAIN_NS) {
        return Err(EditError::Unsuited {
            what: "comments".into(),
            why: "this document is Strict OOXML; use tracked changes".into(),
        });
    }
    let (xml, changed, rev) = revised_xml(doc, changes, author, comment_label);
    let mut zip = ZipArchive::new(Cursor::new(doc.bytes.as_slice()))
        .map_err(|e| fail(format!("reading the original again: {e}")))?;
    let mut parts: Vec<(String, Vec<u8>)> = vec![(doc.main.clone(), xml.into_bytes())];
    if !rev.comments.is_empty() {
        parts.extend(comment_parts(&mut zip, doc, &rev).map_err(fail)?);
    }
    crate::docs::package::write_copy(Some(&mut zip), parts, out)
        .map_err(|e| fail(e.to_string()))?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protection_and_ids_are_read_from_the_parts() {
        let limits = Limits::default();
        let s = r#"<w:settings xmlns:w="x"><w:documentProtection w:edit="readOnly" w:enforcement="1"/></w:settings>"#;
        assert_eq!(protection(s, &limits), Protection::Enforced);
        let s = r#"<w:settings xmlns:w="x"><w:documentProtection w:edit="trackedChanges" w:enforcement="true"/></w:settings>"#;
        assert_eq!(protection(s, &limits), Protection::TrackedChanges);
        let s = r#"<w:settings xmlns:w="x"><w:documentProtection w:edit="readOnly"/></w:settings>"#;
        assert_eq!(protection(s, &limits), Protection::None);
        assert_eq!(max_id(br#"<a w:id="7"/><b w:id="12"/><c w:id="x"/>"#), 12);
    }
}
