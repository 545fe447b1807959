//! The one Document model every reader produces: ordered blocks, each with a
//! location a person can find again (`p. 3`, `§2.1 Results ¶4`,
//! `Sheet1!A1:F40`, `slide 5 notes`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The file formats Deskpilot reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Pdf,
    Pptx,
    Markdown,
    Html,
    Text,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Pdf => "pdf",
            Format::Pptx => "pptx",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Table,
    SheetRange,
    /// A slide's title and body.
    Slide,
    /// The text of a PDF page.
    Page,
    /// Footnotes, endnotes, speaker notes.
    Note,
    Comment,
}

/// One unit of a document's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The text, tidied; tables and sheet ranges as rows of ` | `-joined cells.
    pub text: String,
    /// Where to find it again.
    pub loc: String,
    /// Heading level (1 = top) or list nesting (0 = top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Cells of a table or sheet range, row by row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Vec<String>>,
    /// Merged cell ranges inside a sheet range (A1 notation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
    /// Cells inside a sheet range whose value is a formula's cached result
    /// (A1 notation; .xlsx only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formulas: Vec<String>,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>, loc: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            loc: loc.into(),
            level: None,
            rows: Vec::new(),
            merged: Vec::new(),
            formulas: Vec::new(),
        }
    }

    pub fn with_level(mut self, level: u8) -> Self {
        self.level = Some(level);
        self
    }

    /// A table or sheet range from its rows; the text is the rows joined.
    pub fn grid(kind: BlockKind, rows: Vec<Vec<String>>, loc: impl Into<String>) -> Self {
        let text = rows
            .iter()
            .map(|r| r.join(" | "))
            .collect::<Vec<_>>()
            .join("\n");
        Block {
            rows,
            ..Block::new(kind, text, loc)
        }
    }
}

/// A read document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub file: PathBuf,
    pub format: Format,
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// Parts that were skipped or could not be read, each saying which and why.
    pub warnings: Vec<String>,
    /// A spreadsheet's sheets as compact cell grids, when it was opened
    /// for analysis ([`super::open_sheets`]); its blocks then hold only
    /// what a fallback reader produced. Never stored.
    #[serde(skip)]
    pub grids: Vec<super::grid::SheetGrid>,
}

/// A place in a file that a summary point, an answer or a reply cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    /// Where, as people write it (`§1 ¶1-3`, `pp. 3-4`).
    pub loc: String,
    /// The first block's own location, exactly as the reader wrote it, for
    /// a window to scroll to (empty in citations stored before it existed).
    #[serde(default)]
    pub at: String,
}

impl Source {
    /// A source covering `locs` (block locations, in document order).
    pub fn span(file: impl Into<String>, locs: &[String]) -> Source {
        Source {
            file: file.into(),
            loc: super::loc_span(locs),
            at: locs.first().cloned().unwrap_or_default(),
        }
    }
}

impl Document {
    /// The file's name without its folder, as citations show it.
    pub fn file_name(&self) -> String {
        self.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.display().to_string())
    }

    /// The text of every block, one after another with a blank line
    /// between: what a rewrite or the detector reads.
    pub fn plain_text(&self) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// Collapses runs of spaces and tabs, trims each line, drops blank-line
/// runs; keeps every other character (CJK and right-to-left text intact).
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let mut l = String::with_capacity(line.len());
        let mut space = false;
        for c in line.chars() {
            // Control characters other than tab carry no text.
            if c == '\u{0}' || (c.is_control() && c != '\t') {
                continue;
            }
            if c == ' ' || c == '\t' || c == '\u{a0}' {
                space = true;
            } else {
                if space && !l.is_empty() {
                    l.push(' ');
                }
                space = false;
                l.push(c);
            }
        }
        if l.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        out.push_str(&l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_spaces_and_keeps_cjk_and_rtl() {
        assert_eq!(tidy("  a \t b  \n\n\n c "), "a b\n\nc");
        assert_eq!(tidy("中文 测试\u{0}"), "中文 测试");
        assert_eq!(tidy("שלום עולם"), "שלום עולם");
    }
}
