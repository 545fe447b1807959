//! Our own readers for the XML inside .ods and .xlsx packages, used when
//! calamine refuses a file that is damaged but still legible (a stray text
//! node, a missing relationship, a macro sheet): every worksheet part is read
//! straight from the package, cell by cell.

use super::error::DocProblem;
use super::limits::{exceeded, Deadline, Limits};
use super::model::Block;
use super::package::Package;
use super::workbook::{parse_a1, sheet_blocks, Cells};
use super::xml::{attr, local, Ev, Xml};

/// Repeated empty cells only move the column; repeated values are copied at
/// most this many times (the rest of a "fill to the end" is implied).
const MAX_COPIES: u32 = 1000;

pub fn ods(
    pkg: &mut Package<'_>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Block>, DocProblem> {
    let Some(xml) = pkg.read_text("content.xml")? else {
        return Err(DocProblem::Damaged("no content.xml in the package".into()));
    };
    let mut x = Xml::new(&xml, limits, deadline);
    let mut blocks = Vec::new();
    let mut sheet: Option<(String, Cells)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut cell: Option<(u32, String, Option<String>)> = None; // repeat, text, value
    let mut in_p = 0usize;
    while let Some(ev) = x.next()? {
        match ev {
            Ev::Start(e) | Ev::Empty(e) if local(&e) == b"table" => {
                if let Some((name, cells)) = sheet.take() {
                    blocks.extend(sheet_blocks(&name, &cells, &[]));
                }
                sheet = Some((
                    attr(&e, b"name").unwrap_or_else(|| format!("Sheet{}", blocks.len() + 1)),
                    Cells::new(),
                ));
                row = 0;
            }
            Ev::Start(e) if local(&e) == b"table-row" => {
                col = 0;
                row_repeat = attr(&e, b"number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .max(1);
            }
            Ev::Empty(e) if local(&e) == b"table-row" => {
                row = row.saturating_add(
                    attr(&e, b"number-rows-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                );
            }
            Ev::Start(e)
                if matches!(local(&e).as_slice(), b"table-cell" | b"covered-table-cell") =>
            {
                cell = Some(ods_cell(&e));
            }
            Ev::Empty(e)
                if matches!(local(&e).as_slice(), b"table-cell" | b"covered-table-cell") =>
            {
                cell = Some(ods_cell(&e));
                col = place(&mut sheet, &mut cell, row, col, row_repeat, limits)?;
            }
            Ev::Start(e) if local(&e) == b"p" => {
                in_p += 1;
                if let Some((_, t, _)) = cell.as_mut() {
                    if !t.is_empty() {
                        t.push('\n');
                    }
                }
            }
            Ev::Text(t) if in_p > 0 => {
                if let Some((_, text, _)) = cell.as_mut() {
                    text.push_str(&t);
                }
            }
            Ev::End(n) if n == b"p" => in_p = in_p.saturating_sub(1),
            Ev::End(n) if n == b"table-cell" || n == b"covered-table-cell" => {
                col = place(&mut sheet, &mut cell, row, col, row_repeat, limits)?;
            }
            Ev::End(n) if n == b"table-row" => {
                row = row.saturating_add(row_repeat);
                row_repeat = 1;
            }
            _ => {}
        }
    }
    if let Some((name, cells)) = sheet.take() {
        blocks.extend(sheet_blocks(&name, &cells, &[]));
    }
    Ok(blocks)
}

/// A cell's repeat count and typed value (shown when it has no text).
fn ods_cell(e: &quick_xml::events::BytesStart<'_>) -> (u32, String, Option<String>) {
    let repeat = attr(e, b"number-columns-repeated")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1u32)
        .max(1);
    let value = attr(e, b"date-value")
        .or_else(|| attr(e, b"time-value"))
        .or_else(|| attr(e, b"boolean-value").map(|b| b.to_uppercase()))
        .or_else(|| attr(e, b"value"));
    (repeat, String::new(), value)
}

/// Puts the finished cell (and its repeats) into the sheet; returns the
/// next column.
fn place(
    sheet: &mut Option<(String, Cells)>,
    cell: &mut Option<(u32, String, Option<String>)>,
    row: u32,
    col: u32,
    row_repeat: u32,
    limits: &Limits,
) -> Result<u32, DocProblem> {
    let Some((repeat, text, value)) = cell.take() else {
        return Ok(col);
    };
    let shown = if text.trim().is_empty() {
        value.unwrap_or_default()
    } else {
        text.trim().to_owned()
    };
    if !shown.is_empty() {
        if let Some((name, cells)) = sheet.as_mut() {
            for r in 0..row_repeat.min(MAX_COPIES) {
                for c in 0..repeat.min(MAX_COPIES) {
                    cells.insert(
                        (row.saturating_add(r), col.saturating_add(c)),
                        shown.clone(),
                    );
                }
            }
            if cells.len() as u64 > limits.max_cells_per_sheet {
                return Err(exceeded(
                    "max_cells_per_sheet",
                    format!(
                        "sheet '{name}' has over {} cells",
                        limits.max_cells_per_sheet
                    ),
                ));
            }
        }
    }
    Ok(col.saturating_add(repeat))
}

pub fn xlsx(
    pkg: &mut Package<'_>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Block>, DocProblem> {
    let mut shared: Vec<String> = Vec::new();
    if let Some(xml) = pkg.read_text("xl/sharedStrings.xml")? {
        let mut x = Xml::new(&xml, limits, deadline);
        let mut cur: Option<String> = None;
        let mut in_t = false;
        while let Some(ev) = x.next()? {
            match ev {
                Ev::Start(e) if local(&e) == b"si" => cur = Some(String::new()),
                Ev::Empty(e) if local(&e) == b"si" => shared.push(String::new()),
                Ev::Start(e) if local(&e) == b"t" => in_t = true,
                Ev::End(n) if n == b"t" => in_t = false,
                Ev::Text(t) if in_t => {
                    if let Some(c) = cur.as_mut() {
                        c.push_str(&t);
                    }
                }
                Ev::End(n) if n == b"si" => shared.push(cur.take().unwrap_or_default()),
                _ => {}
            }
        }
    }
    let mut parts: Vec<String> = pkg
        .names()
        .into_iter()
        .filter(|n| {
            (n.starts_with("xl/worksheets/") || n.starts_with("xl/macrosheets/"))
                && n.ends_with(".xml")
                && !n.contains("/_rels/")
        })
        .collect();
    parts.sort_by_key(|n| {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        digits.parse::<u64>().unwrap_or(0)
    });
    let mut blocks = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        deadline.check()?;
        let Some(xml) = pkg.read_text(part)? else {
            continue;
        };
        let mut x = Xml::new(&xml, limits, deadline);
        let mut cells = Cells::new();
        let mut cur: Option<((u32, u32), String, String)> = None; // at, type, text
        let mut in_v = false;
        let mut next_col = 0u32;
        let mut row = 0u32;
        while let Some(ev) = x.next()? {
            match ev {
                Ev::Start(e) if local(&e) == b"row" => {
                    row = attr(&e, b"r")
                        .and_then(|r| r.parse::<u32>().ok())
                        .map_or(row + 1, |r| r.saturating_sub(1));
                    next_col = 0;
                }
                Ev::Start(e) if local(&e) == b"c" => {
                    let at = attr(&e, b"r")
                        .and_then(|r| parse_a1(&r))
                        .unwrap_or((row, next_col));
                    next_col = at.1 + 1;
                    cur = Some((at, attr(&e, b"t").unwrap_or_default(), String::new()));
                }
                Ev::Start(e) if matches!(local(&e).as_slice(), b"v" | b"t") => in_v = true,
                Ev::End(n) if n == b"v" || n == b"t" => in_v = false,
                Ev::Text(t) if in_v => {
                    if let Some((_, _, text)) = cur.as_mut() {
                        text.push_str(&t);
                    }
                }
                Ev::End(n) if n == b"c" => {
                    if let Some((at, ty, text)) = cur.take() {
                        let shown = match ty.as_str() {
                            "s" => text
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| shared.get(i).cloned())
                                .unwrap_or_default(),
                            "b" => {
                                if text.trim() == "1" {
                                    "TRUE".into()
                                } else {
                                    "FALSE".into()
                                }
                            }
                            _ => text,
                        };
                        let shown = shown.trim().to_owned();
                        if !shown.is_empty() {
                            cells.insert(at, shown);
                            if cells.len() as u64 > limits.max_cells_per_sheet {
                                return Err(exceeded(
                                    "max_cells_per_sheet",
                                    format!("over {} cells", limits.max_cells_per_sheet),
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        blocks.extend(sheet_blocks(&format!("Sheet{}", i + 1), &cells, &[]));
    }
    Ok(blocks)
}
