//! Markdown (as the model writes it, and as session exports are built) to
//! a Word document:
//! `#` headings become Heading 1-3, `-`/`*` and `1.` lines become real
//! bulleted and numbered lists, `**bold**` and `*italic*` stay. Written
//! beside the target and renamed, so a failed export never leaves half a
//! file in place of an older one.

use std::path::Path;

use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
    NumberingId, Paragraph, Run, SpecialIndentType, Start, Style, StyleType,
};

/// Why an export failed, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{path}: writing the draft: {detail}", path = path.display())]
pub struct ExportError {
    pub path: std::path::PathBuf,
    pub detail: String,
}

const BULLETS: usize = 1;
const NUMBERS: usize = 2;

/// Runs for one line of Markdown inline text: `**bold**`, `*italic*` or
/// `_italic_`; anything unbalanced stays as typed.
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = ["**", "*", "_"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, *m)))
            .min_by_key(|(i, m)| (*i, std::cmp::Reverse(m.len())));
        let Some((i, mark)) = next else {
            out.push(Run::new().add_text(rest));
            break;
        };
        let after = &rest[i + mark.len()..];
        match after.find(mark).filter(|&j| j > 0) {
            Some(j) => {
                if i > 0 {
                    out.push(Run::new().add_text(&rest[..i]));
                }
                let inner = &after[..j];
                let run = Run::new().add_text(inner);
                out.push(if mark == "**" {
                    run.bold()
                } else {
                    run.italic()
                });
                rest = &after[j + mark.len()..];
            }
            None => {
                out.push(Run::new().add_text(&rest[..i + mark.len()]));
                rest = after;
            }
        }
    }
    out
}

/// A paragraph of inline Markdown. Styled "Normal" explicitly: docx-rs
/// does not mark a default paragraph style, and readers such as
/// python-docx then find no style at all.
fn paragraph(text: &str) -> Paragraph {
    runs(text)
        .into_iter()
        .fold(Paragraph::new().style("Normal"), |p, r| p.add_run(r))
}

/// The draft as a Word document.
pub fn markdown_to_docx(markdown: &str) -> Docx {
    let level = |format: &str, text: &str| {
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
        .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None)
    };
    let mut doc = Docx::new()
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(36)
                .bold(),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(30)
                .bold(),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("Heading 3")
                .size(26)
                .bold(),
        )
        .add_abstract_numbering(AbstractNumbering::new(BULLETS).add_level(level("bullet", "•")))
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .add_abstract_numbering(AbstractNumbering::new(NUMBERS).add_level(level("decimal", "%1.")))
        .add_numbering(Numbering::new(NUMBERS, NUMBERS));
    for line in markdown.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        let p = if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            paragraph(t[hashes..].trim()).style(&format!("Heading{}", hashes.min(3)))
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            paragraph(item.trim()).numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
        } else if let Some(item) = numbered(t) {
            paragraph(item).numbering(NumberingId::new(NUMBERS), IndentLevel::new(0))
        } else {
            paragraph(t)
        };
        doc = doc.add_paragraph(p);
    }
    doc
}

/// `3. text` -> `text`.
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0 && digits < 4)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
        .map(str::trim)
}

/// Writes `markdown` to `out` as .docx, or as Markdown when `out` ends in
/// `.md`.
pub fn write_draft(markdown: &str, out: &Path) -> Result<(), ExportError> {
    let err = |detail: String| ExportError {
        path: out.to_path_buf(),
        detail,
    };
    let bytes = if out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
    {
        let mut s = markdown.trim_end().to_owned();
        s.push('\n');
        s.into_bytes()
    } else {
        let mut buf = std::io::Cursor::new(Vec::new());
        markdown_to_docx(markdown)
            .build()
            .pack(&mut buf)
            .map_err(|e| err(e.to_string()))?;
        buf.into_inner()
    };
    let tmp = out.with_extension("draft-tmp");
    std::fs::write(&tmp, &bytes).map_err(|e| err(e.to_string()))?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_headings_lists_and_emphasis_in_word() {
        let md = "# Launch\n\nWe are **proud** to present *Kettle 2*.\n\n- Fast\n- Quiet\n\n1. Order\n2. Enjoy\n";
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("d.docx");
        write_draft(md, &out).unwrap();
        let doc = crate::docs::open(&out).unwrap();
        use crate::docs::BlockKind;
        let kinds: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(kinds[0], (BlockKind::Heading, "Launch"));
        assert_eq!(kinds[1].1, "We are proud to present Kettle 2.");
        assert!(kinds.contains(&(BlockKind::ListItem, "Fast")), "{kinds:?}");
        assert!(kinds.contains(&(BlockKind::ListItem, "Enjoy")), "{kinds:?}");
        let bytes = std::fs::read(&out).unwrap();
        let reread = docx_rs::read_docx(&bytes).expect("docx-rs reads it back");
        assert!(!reread.document.children.is_empty());
        let xml = String::from_utf8_lossy(&bytes).into_owned();
        assert!(!xml.is_empty());
    }

    #[test]
    fn unbalanced_marks_stay_as_typed() {
        assert_eq!(runs("a * b").len(), 2);
        assert_eq!(runs("plain").len(), 1);
    }
}
