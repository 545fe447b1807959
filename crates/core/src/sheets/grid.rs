//! A sheet's cells as a grid, for every spreadsheet format and CSV alike:
//! file -> Document -> grid -> tables. A file opened for analysis
//! ([`crate::docs::open_sheets`]) arrives with its grids already built by
//! the reader; a Document read for display or summaries (sheet range
//! blocks, each with its rows and where they start) is turned into grids
//! here.

use std::collections::BTreeSet;

use crate::docs::{Block, BlockKind, Document, GridBuilder};

pub use crate::docs::SheetGrid as Grid;

/// The sheets of a spreadsheet or CSV document, in order (the document
/// stays as it is).
pub fn grids(doc: &Document) -> Vec<Grid> {
    let mut out = doc.grids.clone();
    let mut sheet = Sheet::default();
    for block in doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::SheetRange)
    {
        sheet.add(&mut out, block);
    }
    sheet.finish(&mut out);
    out
}

/// The same, taking the document apart: each block is freed once read, so
/// a large sheet is not held twice.
pub fn into_grids(mut doc: Document) -> Vec<Grid> {
    let mut out = std::mem::take(&mut doc.grids);
    let mut sheet = Sheet::default();
    for block in doc
        .blocks
        .into_iter()
        .filter(|b| b.kind == BlockKind::SheetRange)
    {
        sheet.add(&mut out, &block);
    }
    sheet.finish(&mut out);
    out
}

/// The sheet being rebuilt from its blocks (a sheet's blocks come one
/// after another).
#[derive(Default)]
struct Sheet {
    name: Option<String>,
    cells: GridBuilder,
    merged: Vec<(u32, u32, u32, u32)>,
    formulas: BTreeSet<(u32, u32)>,
}

impl Sheet {
    fn finish(&mut self, out: &mut Vec<Grid>) {
        if let Some(name) = self.name.take() {
            let done = std::mem::take(self);
            out.push(done.cells.finish(&name, done.merged, done.formulas));
        }
    }

    /// Adds one sheet range block's cells to the grid of its sheet.
    fn add(&mut self, out: &mut Vec<Grid>, block: &Block) {
        let Some((sheet, range)) = split_loc(&block.loc) else {
            return;
        };
        let Some((r0, c0)) = parse_a1(range.split(':').next().unwrap_or("")) else {
            return;
        };
        if self.name.as_deref() != Some(sheet.as_str()) {
            self.finish(out);
            self.name = Some(sheet);
        }
        for (i, row) in block.rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                self.cells.put(r0 + i as u32, c0 + j as u32, v);
            }
        }
        if block.rows.is_empty() {
            // A very wide band is written cell by cell: `B7: value`.
            for line in block.text.lines() {
                if let Some((a1, value)) = line.split_once(": ") {
                    if let Some((r, c)) = parse_a1(a1) {
                        self.cells.put(r, c, value);
                    }
                }
            }
        }
        for m in &block.merged {
            if let Some((start, end)) = crate::docs::parse_range_a1(m) {
                self.merged.push((start.0, start.1, end.0, end.1));
            }
        }
        for f in &block.formulas {
            if let Some(at) = parse_a1(f) {
                self.formulas.insert(at);
            }
        }
    }
}

/// `Sheet1!A1:F40` or `'My sheet'!A1` -> (sheet, range).
fn split_loc(loc: &str) -> Option<(String, &str)> {
    let (sheet, range) = loc.rsplit_once('!')?;
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => sheet.to_owned(),
    };
    Some((sheet, range))
}

/// `B7` -> zero-based (6, 1).
pub fn parse_a1(a1: &str) -> Option<(u32, u32)> {
    crate::docs::parse_a1(a1)
}

/// Zero-based (row, column) -> `B7`.
pub fn a1(row: u32, col: u32) -> String {
    crate::docs::cell_a1(row, col)
}

/// `Sheet1!B2:B40` for a column span, quoting the sheet name as Excel does.
pub fn range_a1(sheet: &str, first: (u32, u32), last: (u32, u32)) -> String {
    let sheet = crate::docs::quote_sheet(sheet);
    if first == last {
        format!("{sheet}!{}", a1(first.0, first.1))
    } else {
        format!("{sheet}!{}:{}", a1(first.0, first.1), a1(last.0, last.1))
    }
}
