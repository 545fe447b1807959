//! A sheet's cells as a grid again, rebuilt from the Document the readers
//! made (each sheet range block carries its rows and where they start), so
//! every spreadsheet format, and CSV, reaches the analysis the same way:
//! file -> Document -> grid -> tables.

use std::collections::BTreeMap;

use crate::docs::{BlockKind, Document};

/// One sheet's non-empty cells, zero-based (row, column) -> text, with its
/// merged ranges and the cells whose value a formula computed.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub sheet: String,
    pub cells: BTreeMap<(u32, u32), String>,
    /// Merged ranges as (first row, first column, last row, last column).
    pub merged: Vec<(u32, u32, u32, u32)>,
    pub formulas: std::collections::BTreeSet<(u32, u32)>,
}

impl Grid {
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.cells.get(&(row, col)).map(String::as_str)
    }

    /// Rows that hold at least one cell, in order.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        rows
    }

    /// The cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &str)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, c), v)| (*c, v.as_str()))
    }
}

/// The sheets of a spreadsheet or CSV document, in order (the document
/// stays as it is: its cells are copied).
pub fn grids(doc: &Document) -> Vec<Grid> {
    let mut out: Vec<Grid> = Vec::new();
    for block in doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::SheetRange)
    {
        let rows = block.rows.iter().map(|r| r.iter().map(String::as_str));
        add_block(&mut out, block, rows);
    }
    out
}

/// The same, taking the document apart: each cell's text moves into the
/// grid and each block is freed once read, so a large sheet is not held
/// twice.
pub fn into_grids(doc: Document) -> Vec<Grid> {
    let mut out: Vec<Grid> = Vec::new();
    for mut block in doc
        .blocks
        .into_iter()
        .filter(|b| b.kind == BlockKind::SheetRange)
    {
        let rows = std::mem::take(&mut block.rows);
        add_block(&mut out, &block, rows.into_iter().map(Vec::into_iter));
    }
    out
}

/// Adds one sheet range block's cells (given row by row, borrowed or
/// owned) to the grid of its sheet.
fn add_block<S, R>(out: &mut Vec<Grid>, block: &crate::docs::Block, rows: impl Iterator<Item = R>)
where
    S: Into<String> + AsRef<str>,
    R: Iterator<Item = S>,
{
    let Some((sheet, range)) = split_loc(&block.loc) else {
        return;
    };
    let Some((r0, c0)) = parse_a1(range.split(':').next().unwrap_or("")) else {
        return;
    };
    if out.last().is_none_or(|g| g.sheet != sheet) {
        out.push(Grid {
            sheet: sheet.clone(),
            ..Grid::default()
        });
    }
    let Some(grid) = out.last_mut() else { return };
    let mut any_rows = false;
    for (i, row) in rows.enumerate() {
        any_rows = true;
        for (j, v) in row.enumerate() {
            if !v.as_ref().is_empty() {
                grid.cells.insert((r0 + i as u32, c0 + j as u32), v.into());
            }
        }
    }
    if !any_rows {
        // A very wide band is written cell by cell: `B7: value`.
        for line in block.text.lines() {
            if let Some((a1, value)) = line.split_once(": ") {
                if let Some(at) = parse_a1(a1) {
                    grid.cells.insert(at, value.to_owned());
                }
            }
        }
    }
    for m in &block.merged {
        let mut ends = m.split(':').filter_map(parse_a1);
        if let Some(start) = ends.next() {
            let end = ends.next().unwrap_or(start);
            grid.merged.push((start.0, start.1, end.0, end.1));
        }
    }
    for f in &block.formulas {
        if let Some(at) = parse_a1(f) {
            grid.formulas.insert(at);
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
