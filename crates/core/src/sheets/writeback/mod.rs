//! An analysis written back to a workbook, for a colleague to audit with
//! the spreadsheet's own formulas: a copy of the user's workbook (their
//! sheets copied byte for byte, never the original) with one sheet added
//! that holds the question, the answer, its working, and the result as
//! live formulas over the original cells, plus a native chart of grouped
//! or period results. A .xls, .xlsb, .ods or .csv becomes an .xlsx of its
//! data (typed as the analysis read it) with the same analysis sheet.
//! Every formula cell carries the value Deskpilot computed as its cached
//! result, so readers that do not recalculate show the same figures.

mod formulas;
mod xlsx;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zip::ZipArchive;

use super::exec::Answer;
use super::table::Table;
use crate::docs::limits::Limits;
use crate::docs::package::{relationships, rels_name, same_file, write_copy, Package};
use crate::docs::xml::{attr, local, Ev, Xml};
use crate::docs::{DocError, Document, Format, SheetGrid};
use formulas::{Block, Cached, Cell, Refs, Style};

/// Zero-based row of the result block's header on the analysis sheet
/// (rows above it hold the question, the answer and its working).
pub(crate) const RESULT_ROW: u32 = 6;

/// Why an analysis could not be written back.
#[derive(Debug, thiserror::Error)]
pub enum WriteBackError {
    #[error(transparent)]
    Document(#[from] DocError),
    #[error("{file}: {detail}", file = file.display())]
    Unsuited { file: PathBuf, detail: String },
    #[error("{out}: {detail}", out = out.display())]
    Output { out: PathBuf, detail: String },
}

impl WriteBackError {
    /// A stable code for `{code, message}` across IPC and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            WriteBackError::Document(e) => e.code(),
            WriteBackError::Unsuited { .. } => "unsuited",
            WriteBackError::Output { .. } => "output",
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenBack {
    pub out: PathBuf,
    /// The analysis sheet's name in the copy.
    pub sheet: String,
    /// Result cells written as live formulas.
    pub formulas: usize,
    /// Results written as values, each saying why no formula could.
    pub as_values: Vec<String>,
    pub chart: bool,
    /// The data was copied into a new .xlsx (the input was not one).
    pub data_copied: bool,
    /// Every formula cell (A1 on the analysis sheet) with the value
    /// Deskpilot computed for it: what a spreadsheet must recalculate.
    pub cells: Vec<(String, serde_json::Value)>,
}

/// The extension a write-back of `file` must have: an .xlsm stays an
/// .xlsm (its macros come along), anything else becomes .xlsx.
pub fn extension_for(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "xlsm" {
        "xlsm"
    } else {
        "xlsx"
    }
}

/// `NAME (analysis).xlsx` beside the original, numbered when taken.
pub fn default_out(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workbook".into());
    let ext = extension_for(file);
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem} (analysis).{ext}")
        } else {
            format!("{stem} (analysis {n}).{ext}")
        };
        let p = file.with_file_name(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

/// Writes `answer` (computed from `table` of `doc`, read from `file`) to a
/// copy at `out`.
pub fn write_back(
    file: &Path,
    doc: &Document,
    table: &Table,
    answer: &Answer,
    question: &str,
    out: &Path,
    limits: &Limits,
) -> Result<WrittenBack, WriteBackError> {
    let fail = |detail: String| WriteBackError::Output {
        out: out.to_path_buf(),
        detail,
    };
    if same_file(file, out) {
        return Err(fail(
            "this is the workbook being analysed; the analysis is always written to a copy".into(),
        ));
    }
    if out.exists() {
        return Err(fail(
            "a file is already there; give a new name (nothing is written over a file)".into(),
        ));
    }
    let want = extension_for(file);
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != want {
        return Err(fail(format!("the copy must be an .{want} file")));
    }
    // An .xlsx takes the sheet into a copy of itself; anything else (or a
    // Strict OOXML workbook) is written anew.
    let bytes = match doc.format {
        Format::Xlsx => Some(
            std::fs::read(file).map_err(|e| DocError::new(file, crate::docs::DocProblem::Io(e)))?,
        ),
        _ => None,
    };
    let copied = match &bytes {
        Some(b) => into_copy(file, doc, b, table, answer, question, out, limits)?,
        None => None,
    };
    let (parts, mut written, mut original) = match copied {
        Some((parts, written)) => {
            let b = bytes.as_deref().unwrap_or_default();
            let zip = ZipArchive::new(Cursor::new(b)).map_err(|e| WriteBackError::Unsuited {
                file: file.to_path_buf(),
                detail: e.to_string(),
            })?;
            (parts, written, Some(zip))
        }
        None => {
            let (parts, written) = into_new(doc, table, answer, question, out)?;
            (parts, written, None)
        }
    };
    written.data_copied = original.is_none();
    write_copy(original.as_mut(), parts, out).map_err(|e| fail(e.to_string()))?;
    Ok(written)
}

fn workbook_part(pkg: &mut Package, limits: &Limits) -> String {
    relationships(pkg, "", limits, limits.deadline())
        .ok()
        .and_then(|rels| {
            rels.into_iter()
                .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
                .map(|(_, _, target)| target)
        })
        .unwrap_or_else(|| "xl/workbook.xml".into())
}

/// Package parts to write (name, bytes), and what they hold.
type Parts = (Vec<(String, Vec<u8>)>, WrittenBack);

/// The analysis sheet's parts, for a sheet named `name` whose formulas
/// refer to the table's sheet as `data_sheet`.
struct Analysis {
    sheet_xml: String,
    chart: Option<(String, String)>,
    written: WrittenBack,
}

/// The table's true/false columns whose cells say "yes" and "no".
fn yes_no_columns(grid: Option<&SheetGrid>, table: &Table) -> Vec<u32> {
    let Some(g) = grid else {
        return Vec::new();
    };
    table
        .columns
        .iter()
        .filter(|c| c.kind == super::table::Kind::Bool)
        .filter(|c| {
            table.rows.iter().any(|&r| {
                g.get(r, c.col).is_some_and(|t| {
                    let t = t.trim();
                    t.eq_ignore_ascii_case("yes") || t.eq_ignore_ascii_case("no")
                })
            })
        })
        .map(|c| c.col)
        .collect()
}

/// Rows between the table's first and last data rows, not among them,
/// that hold a cell in one of its columns.
fn foreign_rows(grid: Option<&SheetGrid>, table: &Table) -> usize {
    let (Some(g), Some(&a), Some(&b)) = (grid, table.rows.first(), table.rows.last()) else {
        return 0;
    };
    let data: std::collections::HashSet<u32> = table.rows.iter().copied().collect();
    (a..=b)
        .filter(|r| !data.contains(r))
        .filter(|&r| {
            g.row(r)
                .any(|(c, _)| table.columns.iter().any(|col| col.col == c))
        })
        .count()
}

/// Columns of numbers or dates with cells a workbook written anew keeps
/// as text (codes with leading zeros, dates before 1900).
fn kept_as_text(grid: Option<&SheetGrid>, table: &Table) -> Vec<(u32, usize)> {
    let Some(g) = grid else {
        return Vec::new();
    };
    table
        .columns
        .iter()
        .filter(|c| c.kind.is_numeric() || c.kind.is_temporal())
        .filter_map(|c| {
            let n = table
                .rows
                .iter()
                .enumerate()
                .filter(|&(i, &r)| {
                    (c.values.number(i).is_some() || c.values.date_time(i).is_some())
                        && g.get(r, c.col).is_some_and(xlsx::stays_text)
                })
                .count();
            (n > 0).then_some((c.col, n))
        })
        .collect()
}

/// Columns of numbers or dates whose cells in the .xlsx are text (typed
/// as text, or strings Excel never converted): (column, how many).
fn text_typed(bytes: &[u8], table: &Table) -> Vec<(u32, usize)> {
    use calamine::{DataRef, Reader, Xlsx};
    let Ok(mut wb) = Xlsx::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let Ok(mut cells) = wb.worksheet_cells_reader(&table.sheet) else {
        return Vec::new();
    };
    let index: std::collections::HashMap<u32, usize> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, &r)| (r, i))
        .collect();
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    while let Ok(Some(cell)) = cells.next_cell() {
        let (r, c) = cell.get_position();
        let Some(&i) = index.get(&r) else { continue };
        let Some(col) = table
            .columns
            .iter()
            .find(|x| x.col == c && (x.kind.is_numeric() || x.kind.is_temporal()))
        else {
            continue;
        };
        let read_as_value = col.values.number(i).is_some() || col.values.date_time(i).is_some();
        if read_as_value
            && matches!(
                cell.get_value(),
                DataRef::String(_) | DataRef::SharedString(_)
            )
        {
            *counts.entry(c).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

#[allow(clippy::too_many_arguments)]
fn analysis(
    unusable: Option<String>,
    grid: Option<&SheetGrid>,
    as_text: &[(u32, usize)],
    name: &str,
    data_sheet: &str,
    table: &Table,
    answer: &Answer,
    question: &str,
    styles: Option<&xlsx::Styles>,
    out: &Path,
) -> Analysis {
    let refs = Refs {
        table,
        sheet: data_sheet.to_owned(),
        yes_no: yes_no_columns(grid, table),
        as_text: as_text.to_vec(),
        foreign_rows: foreign_rows(grid, table),
        unusable,
    };
    let block = formulas::block(&refs, answer);
    let quoted = formulas::quoted(name);
    let info = vec![
        ("Question".to_owned(), question.to_owned()),
        ("Answer".to_owned(), answer.sentence.clone()),
        ("Computed".to_owned(), answer.working.clone()),
        ("Cells read".to_owned(), answer.cells.join(", ")),
        (
            "Written by".to_owned(),
            format!(
                "Deskpilot, {}: the figures below are formulas over those cells (values where a note says so)",
                chrono::Local::now().format("%Y-%m-%d %H:%M")
            ),
        ),
    ];
    let mut notes = answer.notes.clone();
    notes.extend(block.as_values.iter().cloned());
    let chart = chart_of(&block, &quoted, answer);
    let sheet_xml = xlsx::analysis_sheet(
        &info,
        &block,
        &notes,
        RESULT_ROW,
        styles,
        chart.as_ref().map(|_| "rId1"),
    );
    let mut cells = Vec::new();
    for (k, row) in block.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Cell::Formula { cached, .. } = cell {
                let v = match cached {
                    Cached::Number(n) => serde_json::json!(n),
                    Cached::Text(t) => serde_json::json!(t),
                };
                cells.push((crate::docs::cell_a1(RESULT_ROW + 1 + k as u32, c as u32), v));
            }
        }
    }
    Analysis {
        sheet_xml,
        written: WrittenBack {
            out: out.to_path_buf(),
            sheet: name.to_owned(),
            formulas: cells.len(),
            as_values: block.as_values.clone(),
            chart: chart.is_some(),
            data_copied: false,
            cells,
        },
        chart,
    }
}

/// (chart XML, drawing XML) for a block of two or more groups or periods.
fn chart_of(block: &Block, quoted: &str, answer: &Answer) -> Option<(String, String)> {
    let (col, line) = block.chart?;
    let points: Vec<(String, Option<f64>)> = block
        .rows
        .iter()
        .take_while(|r| matches!(r.first(), Some(Cell::Text(_, Style::Plain))))
        .map(|r| {
            let label = match &r[0] {
                Cell::Text(t, _) => t.clone(),
                _ => String::new(),
            };
            let v = match r.get(col) {
                Some(Cell::Formula {
                    cached: Cached::Number(n),
                    ..
                })
                | Some(Cell::Number(n, _)) => Some(*n),
                _ => None,
            };
            (label, v)
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    let first = RESULT_ROW + 2;
    let last = RESULT_ROW + 1 + points.len() as u32;
    let letter = crate::docs::col_letters(col as u32);
    let chart = xlsx::chart(
        &answer.working,
        &format!("{quoted}!${letter}${}", RESULT_ROW + 1),
        &format!("{quoted}!$A${first}:$A${last}"),
        &format!("{quoted}!${letter}${first}:${letter}${last}"),
        &points,
        line,
    );
    let left = block.header.len() as u32 + 1;
    let drawing = xlsx::drawing((left, RESULT_ROW), (left + 8, RESULT_ROW + 18));
    Some((chart, drawing))
}

/// The first free `{dir}/{stem}{n}.xml` among the package's names.
fn free_part(names: &[String], dir: &str, stem: &str) -> (String, u32) {
    let n = (1..)
        .find(|n| {
            let p = format!("{dir}/{stem}{n}.xml");
            !names.iter().any(|x| x.eq_ignore_ascii_case(&p))
        })
        .unwrap_or(1);
    (format!("{dir}/{stem}{n}.xml"), n)
}

/// The parts that add the analysis sheet to the user's .xlsx (or .xlsm):
/// only the workbook part, its relationships, the content types and the
/// styles change (each by insertion), every other entry is to be copied
/// raw. None for a Strict OOXML workbook (its sheets in another
/// namespace), which is written anew rather than mixed.
#[allow(clippy::too_many_arguments)]
fn into_copy(
    file: &Path,
    doc: &Document,
    bytes: &[u8],
    table: &Table,
    answer: &Answer,
    question: &str,
    out: &Path,
    limits: &Limits,
) -> Result<Option<Parts>, WriteBackError> {
    let damaged = |detail: String| WriteBackError::Unsuited {
        file: file.to_path_buf(),
        detail,
    };
    let doc_err = |e: crate::docs::DocProblem| damaged(e.to_string());
    let mut pkg = Package::open(bytes, limits).map_err(doc_err)?;
    let names = pkg.names();
    let wb_part = workbook_part(&mut pkg, limits);
    let wb_xml = pkg
        .read_text(&wb_part)
        .map_err(doc_err)?
        .ok_or_else(|| damaged(format!("the package has no workbook part ({wb_part})")))?;
    if wb_xml.contains("purl.oclc.org/ooxml/spreadsheetml") {
        return Ok(None);
    }
    let deadline = limits.deadline();
    // The sheets there are, and whether the structure is locked.
    let mut taken = Vec::new();
    let mut max_id = 0u64;
    let mut locked = false;
    let mut table_rel = None;
    let mut x = Xml::new(&wb_xml, limits, deadline);
    while let Some(ev) = x.next().map_err(doc_err)? {
        if let Ev::Start(e) | Ev::Empty(e) = ev {
            match local(&e).as_slice() {
                b"sheet" => {
                    if attr(&e, b"name").as_deref() == Some(table.sheet.as_str()) {
                        table_rel = attr(&e, b"id");
                    }
                    taken.extend(attr(&e, b"name"));
                    max_id = max_id.max(
                        attr(&e, b"sheetId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0),
                    );
                }
                b"workbookProtection" => {
                    locked |= attr(&e, b"lockStructure")
                        .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
                }
                _ => {}
            }
        }
    }
    if locked {
        return Err(damaged(
            "the workbook's structure is protected (Review > Protect Workbook), so no sheet can be added; remove the protection first".into(),
        ));
    }
    let rels = relationships(&mut pkg, &wb_part, limits, deadline).map_err(doc_err)?;
    // A pivot table's output is rebuilt by the spreadsheet from its
    // source: formulas over it would not stay what was computed.
    let table_part = rels
        .iter()
        .find(|(id, _, _)| Some(id) == table_rel.as_ref())
        .map(|(_, _, t)| t.clone());
    let pivot = match &table_part {
        Some(part) => relationships(&mut pkg, part, limits, deadline)
            .map_err(doc_err)?
            .iter()
            .any(|(_, ty, _)| ty.ends_with("/pivotTable")),
        None => false,
    };
    let rel_id = (rels.len() + 1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !rels.iter().any(|(r, _, _)| r == id))
        .unwrap_or_else(|| "rIdDeskpilot".into());
    let dir = wb_part.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let sub = |d: &str| {
        if dir.is_empty() {
            d.to_owned()
        } else {
            format!("{dir}/{d}")
        }
    };
    let (sheet_part, sheet_n) = free_part(&names, &sub("worksheets"), "sheet");
    let name = excel_name("Analysis", &taken);
    // The styles the analysis sheet uses, added to the workbook's own.
    let styles_part = rels
        .iter()
        .find(|(_, ty, _)| ty.ends_with("/styles"))
        .map(|(_, _, t)| t.clone());
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut styles = None;
    if let Some(sp) = &styles_part {
        if let Some(xml) = pkg.read_text(sp).map_err(doc_err)? {
            if let Some((patched, ids)) = xlsx::patch_styles(&xml) {
                parts.push((sp.clone(), patched.into_bytes()));
                styles = Some(ids);
            }
        }
    }
    let grids = super::grid::grids(doc);
    let grid = grids.iter().find(|g| g.sheet == table.sheet);
    let as_text = text_typed(bytes, table);
    let unusable = pivot.then(|| {
        "the table's sheet holds a pivot table, which the spreadsheet rebuilds from its source"
            .to_owned()
    });
    let a = analysis(
        unusable,
        grid,
        &as_text,
        &name,
        &table.sheet,
        table,
        answer,
        question,
        styles.as_ref(),
        out,
    );
    parts.push((sheet_part.clone(), a.sheet_xml.into_bytes()));
    let mut overrides = vec![(format!("/{sheet_part}"), xlsx::SHEET_TYPE)];
    if let Some((chart, drawing)) = a.chart {
        let (drawing_part, drawing_n) = free_part(&names, &sub("drawings"), "drawing");
        let (chart_part, chart_n) = free_part(&names, &sub("charts"), "chart");
        parts.push((
            rels_name(&sheet_part),
            xlsx::one_rel("drawing", &format!("../drawings/drawing{drawing_n}.xml")).into_bytes(),
        ));
        parts.push((drawing_part.clone(), drawing.into_bytes()));
        parts.push((
            rels_name(&drawing_part),
            xlsx::one_rel("chart", &format!("../charts/chart{chart_n}.xml")).into_bytes(),
        ));
        parts.push((chart_part.clone(), chart.into_bytes()));
        overrides.push((format!("/{drawing_part}"), xlsx::DRAWING_TYPE));
        overrides.push((format!("/{chart_part}"), xlsx::CHART_TYPE));
    }
    // The workbook: the new sheet listed last, and a full calculation
    // when Excel opens it (the cached values are Deskpilot's).
    let wb_new = add_sheet(&wb_xml, &name, max_id + 1, &rel_id)
        .ok_or_else(|| damaged("the workbook part has no list of sheets".into()))?;
    parts.push((wb_part.clone(), wb_new.into_bytes()));
    let rels_part = rels_name(&wb_part);
    let rels_xml = pkg
        .read_text(&rels_part)
        .map_err(doc_err)?
        .ok_or_else(|| damaged(format!("the package has no {rels_part}")))?;
    let target = format!("worksheets/sheet{sheet_n}.xml");
    let rel = |p: &str| {
        format!(
            "<{p}Relationship Id=\"{rel_id}\" Type=\"{}/worksheet\" Target=\"{target}\"/>",
            xlsx::REL_TYPE
        )
    };
    let rels_new = insert_before(&rels_xml, "Relationships", rel)
        .ok_or_else(|| damaged(format!("{rels_part} is not a relationships part")))?;
    parts.push((rels_part, rels_new.into_bytes()));
    let types = pkg
        .read_text("[Content_Types].xml")
        .map_err(doc_err)?
        .ok_or_else(|| damaged("the package has no [Content_Types].xml".into()))?;
    let added = |prefix: &str| -> String {
        overrides
            .iter()
            .map(|(p, t)| {
                format!(
                    "<{prefix}Override PartName=\"{}\" ContentType=\"{t}\"/>",
                    xlsx::esc(p)
                )
            })
            .collect()
    };
    let types_new = insert_before(&types, "Types", added)
        .ok_or_else(|| damaged("[Content_Types].xml has no list of types".into()))?;
    parts.push(("[Content_Types].xml".into(), types_new.into_bytes()));
    Ok(Some((parts, a.written)))
}

/// Where the close tag of element `name` is (its last one, any namespace
/// prefix): (offset of `</`, the prefix with its colon).
fn close_tag(xml: &str, name: &str) -> Option<(usize, String)> {
    let end = format!("{name}>");
    xml.rmatch_indices("</").find_map(|(i, _)| {
        let rest = &xml[i + 2..];
        let (prefix, tail) = match rest.split_once(':') {
            Some((p, t)) if p.chars().all(|c| c.is_alphanumeric()) && !p.is_empty() => {
                (format!("{p}:"), t)
            }
            _ => (String::new(), rest),
        };
        tail.starts_with(&end).then_some((i, prefix))
    })
}

/// `xml` with the elements `insert(prefix)` makes placed before the
/// close of its element `name`, in the namespace prefix that element has
/// (`ns0:` where a writer used one).
fn insert_before(xml: &str, name: &str, insert: impl Fn(&str) -> String) -> Option<String> {
    let (at, prefix) = close_tag(xml, name)?;
    Some(format!("{}{}{}", &xml[..at], insert(&prefix), &xml[at..]))
}

/// The workbook part with one more `<sheet>` and `fullCalcOnLoad` set.
fn add_sheet(wb: &str, name: &str, id: u64, rel_id: &str) -> Option<String> {
    let (at, prefix) = close_tag(wb, "sheets")?;
    // The relationships namespace declared on the element itself: where
    // the workbook declares it (on its root, or on each sheet as openpyxl
    // does) cannot be relied on.
    let decl = format!(" xmlns:r=\"{}\"", xlsx::REL_NS);
    let sheet = format!(
        "<{prefix}sheet name=\"{}\" sheetId=\"{id}\" r:id=\"{rel_id}\"{decl}/>",
        xlsx::esc(name)
    );
    let mut out = format!("{}{sheet}{}", &wb[..at], &wb[at..]);
    let calc = format!("<{prefix}calcPr");
    if let Some(i) = out.find(&calc) {
        let end = i + calc.len();
        let tag_end = out[end..].find('>').map_or(end, |k| end + k);
        if !out[end..tag_end].contains("fullCalcOnLoad") {
            out.insert_str(end, " fullCalcOnLoad=\"1\"");
        }
    } else {
        let after = [
            format!("</{prefix}definedNames>"),
            format!("</{prefix}externalReferences>"),
            format!("</{prefix}sheets>"),
        ]
        .iter()
        .find_map(|t| out.find(t.as_str()).map(|i| i + t.len()))?;
        out.insert_str(after, &format!("<{prefix}calcPr fullCalcOnLoad=\"1\"/>"));
    }
    Some(out)
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not
/// blank, none twice (a name taken gets " 2", " 3", ...).
fn excel_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let clean = clean.trim().trim_matches('\'').to_owned();
    let base: String = if clean.is_empty() {
        "Data".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut n = 1;
    loop {
        let cand = if n == 1 {
            base.clone()
        } else {
            let suffix = format!(" {n}");
            let keep = 31 - suffix.chars().count();
            format!("{}{suffix}", base.chars().take(keep).collect::<String>())
        };
        if !taken.iter().any(|t| t.eq_ignore_ascii_case(&cand)) {
            return cand;
        }
        n += 1;
    }
}

/// The parts of a new .xlsx: each sheet of the document as data, then the
/// analysis.
fn into_new(
    doc: &Document,
    table: &Table,
    answer: &Answer,
    question: &str,
    out: &Path,
) -> Result<Parts, WriteBackError> {
    let grids = super::grid::grids(doc);
    let (styles_xml, styles) = xlsx::new_styles();
    let mut names: Vec<String> = Vec::new();
    let mut data_name = None;
    for g in &grids {
        let n = excel_name(&g.sheet, &names);
        if g.sheet == table.sheet {
            data_name = Some(n.clone());
        }
        names.push(n);
    }
    let data_name = data_name.ok_or_else(|| WriteBackError::Unsuited {
        file: PathBuf::from(doc.file_name()),
        detail: format!("the table's sheet '{}' was not read", table.sheet),
    })?;
    let name = excel_name("Analysis", &names);
    let grid = grids.iter().find(|g| g.sheet == table.sheet);
    let as_text = kept_as_text(grid, table);
    let a = analysis(
        None,
        grid,
        &as_text,
        &name,
        &data_name,
        table,
        answer,
        question,
        Some(&styles),
        out,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut sheets = String::new();
    let mut wb_rels = String::new();
    let mut overrides = String::new();
    let all: Vec<&String> = names.iter().chain(std::iter::once(&name)).collect();
    for (i, n) in all.iter().enumerate() {
        let k = i + 1;
        sheets.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{k}\" r:id=\"rId{k}\"/>",
            xlsx::esc(n)
        ));
        wb_rels.push_str(&format!(
            "<Relationship Id=\"rId{k}\" Type=\"{}/worksheet\" Target=\"worksheets/sheet{k}.xml\"/>",
            xlsx::REL_TYPE
        ));
        overrides.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{k}.xml\" ContentType=\"{}\"/>",
            xlsx::SHEET_TYPE
        ));
        let xml = match grids.get(i) {
            Some(g) => xlsx::data_sheet(g, &styles),
            None => a.sheet_xml.clone(),
        };
        parts.push((format!("xl/worksheets/sheet{k}.xml"), xml.into_bytes()));
    }
    let analysis_n = all.len();
    let styles_rel = analysis_n + 1;
    wb_rels.push_str(&format!(
        "<Relationship Id=\"rId{styles_rel}\" Type=\"{}/styles\" Target=\"styles.xml\"/>",
        xlsx::REL_TYPE
    ));
    if let Some((chart, drawing)) = &a.chart {
        parts.push((
            format!("xl/worksheets/_rels/sheet{analysis_n}.xml.rels"),
            xlsx::one_rel("drawing", "../drawings/drawing1.xml").into_bytes(),
        ));
        parts.push((
            "xl/drawings/drawing1.xml".into(),
            drawing.clone().into_bytes(),
        ));
        parts.push((
            "xl/drawings/_rels/drawing1.xml.rels".into(),
            xlsx::one_rel("chart", "../charts/chart1.xml").into_bytes(),
        ));
        parts.push(("xl/charts/chart1.xml".into(), chart.clone().into_bytes()));
        overrides.push_str(&format!(
            "<Override PartName=\"/xl/drawings/drawing1.xml\" ContentType=\"{}\"/><Override PartName=\"/xl/charts/chart1.xml\" ContentType=\"{}\"/>",
            xlsx::DRAWING_TYPE,
            xlsx::CHART_TYPE
        ));
    }
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    parts.push((
        "[Content_Types].xml".into(),
        format!(
            "{head}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
             {overrides}</Types>"
        )
        .into_bytes(),
    ));
    parts.push((
        "_rels/.rels".into(),
        format!(
            "{head}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"{}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
            xlsx::REL_TYPE
        )
        .into_bytes(),
    ));
    parts.push((
        "xl/workbook.xml".into(),
        format!(
            "{head}<workbook xmlns=\"{}\" xmlns:r=\"{}\"><bookViews><workbookView activeTab=\"{}\"/></bookViews>\
             <sheets>{sheets}</sheets><calcPr fullCalcOnLoad=\"1\"/></workbook>",
            xlsx::MAIN_NS,
            xlsx::REL_NS,
            analysis_n - 1
        )
        .into_bytes(),
    ));
    parts.push((
        "xl/_rels/workbook.xml.rels".into(),
        format!(
            "{head}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{wb_rels}</Relationships>"
        )
        .into_bytes(),
    ));
    parts.push(("xl/styles.xml".into(), styles_xml.into_bytes()));
    Ok((parts, a.written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_is_added_to_the_list_with_full_calculation_on_load() {
        let wb = r#"<workbook xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>"#;
        let got = add_sheet(wb, "Analysis", 2, "rId9").unwrap();
        assert!(got.contains(r#"<sheet name="Analysis" sheetId="2" r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets>"#));
        assert!(got.contains(r#"<calcPr fullCalcOnLoad="1" calcId="191029"/>"#));
        let prefixed = r#"<x:workbook xmlns:x="m"><x:sheets><x:sheet name="A" sheetId="1"/></x:sheets><x:definedNames><x:definedName name="n">A!$A$1</x:definedName></x:definedNames></x:workbook>"#;
        let got = add_sheet(prefixed, "Analysis", 2, "rId2").unwrap();
        assert!(got.contains(r#"<x:sheet name="Analysis" sheetId="2" r:id="rId2" xmlns:r="#));
        assert!(got.contains(r#"</x:definedNames><x:calcPr fullCalcOnLoad="1"/>"#));
    }

    #[test]
    fn sheet_names_excel_refuses_are_cleaned_and_kept_apart() {
        let taken = vec!["Data".to_owned()];
        assert_eq!(excel_name("a/b:c", &taken), "abc");
        assert_eq!(excel_name("data", &taken), "data 2");
        assert_eq!(excel_name(&"x".repeat(40), &[]).chars().count(), 31);
        assert_eq!(excel_name("Analysis", &["analysis".into()]), "Analysis 2");
    }

    #[test]
    fn styles_get_a_bold_font_and_three_formats_after_their_own() {
        let xml = r#"<styleSheet><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><cellXfs count="2"><xf/><xf/></cellXfs></styleSheet>"#;
        let (got, ids) = xlsx::patch_styles(xml).unwrap();
        assert!(got.contains(r#"<fonts count="2"><font/><font><b/>"#));
        assert!(got.contains(r#"<cellXfs count="5">"#));
        assert_eq!((ids.bold, ids.whole, ids.decimal), (2, 3, 4));
        assert!(got.contains(r#"fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1""#));
    }
}
