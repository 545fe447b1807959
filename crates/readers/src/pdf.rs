//! PDF text with page numbers, through pdf-extract (on lopdf). A file whose
//! pages hold no text gets "no text layer (scanned?)"; one that needs a
//! password gets "password-protected". A page that fails is reported as a
//! warning; the other pages are still read.

use pdf_extract::PlainTextOutput;

use super::error::{damaged, DocProblem};
use super::limits::Deadline;
use super::model::{tidy, Block, BlockKind};

pub struct Pdf {
    pub blocks: Vec<Block>,
    pub title: Option<String>,
    pub warnings: Vec<String>,
}

pub fn read(bytes: &[u8], deadline: Deadline) -> Result<Pdf, DocProblem> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        let m = e.to_string();
        if m.to_lowercase().contains("decrypt") || m.to_lowercase().contains("password") {
            DocProblem::PasswordProtected
        } else {
            damaged(format!("not a readable PDF: {m}"))
        }
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        // Many PDFs are "encrypted" with an empty user password; the rest
        // need one.
        return Err(DocProblem::PasswordProtected);
    }
    let mut out = Pdf {
        blocks: Vec::new(),
        title: None,
        warnings: Vec::new(),
    };
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    for n in pages {
        deadline.check()?;
        let mut text = String::new();
        let result = {
            let mut sink = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut sink, n)
        };
        if let Err(e) = result {
            out.warnings
                .push(format!("p. {n}: text could not be extracted ({e})"));
        }
        for (i, para) in text
            .split("\n\n")
            .map(tidy)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let loc = if i == 0 {
                format!("p. {n}")
            } else {
                format!("p. {n} ¶{}", i + 1)
            };
            out.blocks.push(Block::new(BlockKind::Page, para, loc));
        }
    }
    if out.blocks.is_empty() {
        return Err(DocProblem::NoTextLayer);
    }
    Ok(out)
}
