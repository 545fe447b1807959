//! Spreadsheets through calamine: every sheet of .xlsx/.xlsm, .xlsb, .xls
//! and .ods, with cell values (cached formula results), dates as dates in
//! the workbook's 1900 or 1904 system, merged ranges, and locations such as
//! `Sheet1!A1:F40`. Large sheets are read cell by cell where the format
//! allows, so a sheet that claims to span a million columns cannot make us
//! allocate for it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Xls, Xlsb, Xlsx};

use super::error::{damaged, DocProblem};
use super::grid::{GridBuilder, SheetGrid};
use super::limits::{exceeded, Deadline, Limits};
use super::model::{Block, BlockKind, Format};

/// Rows per sheet-range block: small enough to cite, large enough to keep
/// a table's shape.
const ROWS_PER_BLOCK: u32 = 50;
/// A band of rows continues across at most this many empty rows.
const MAX_GAP: u32 = 5;
/// Wider ranges are written cell by cell (`B7: value`), not as a grid.
const MAX_GRID_WIDTH: u32 = 256;

/// Non-empty cells of one sheet by (row, column), zero-based.
pub type Cells = BTreeMap<(u32, u32), String>;

pub struct Workbook {
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
}

/// Where a reader puts one sheet's cells as it reads them: a map for the
/// Document's blocks, or a compact grid for analysis.
pub trait CellBag: Default {
    fn put(&mut self, at: (u32, u32), text: String);
    fn count(&self) -> usize;
}

impl CellBag for Cells {
    fn put(&mut self, at: (u32, u32), text: String) {
        self.insert(at, text);
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl CellBag for GridBuilder {
    fn put(&mut self, at: (u32, u32), text: String) {
        GridBuilder::put(self, at.0, at.1, &text);
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// What becomes of each sheet once read.
pub trait SheetSink {
    type Bag: CellBag;
    fn sheet(
        &mut self,
        name: &str,
        cells: Self::Bag,
        merged: &[String],
        formulas: &BTreeSet<(u32, u32)>,
    );
}

/// Sheets as the Document's sheet range blocks.
#[derive(Default)]
pub struct BlockSink {
    pub blocks: Vec<Block>,
}

impl SheetSink for BlockSink {
    type Bag = Cells;
    fn sheet(
        &mut self,
        name: &str,
        cells: Cells,
        merged: &[String],
        formulas: &BTreeSet<(u32, u32)>,
    ) {
        let before = self.blocks.len();
        self.blocks.extend(sheet_blocks(name, &cells, merged));
        mark_formulas(&mut self.blocks[before..], formulas);
    }
}

/// Sheets as compact grids, for analysis.
#[derive(Default)]
pub struct GridSink {
    pub grids: Vec<SheetGrid>,
}

impl SheetSink for GridSink {
    type Bag = GridBuilder;
    fn sheet(
        &mut self,
        name: &str,
        cells: GridBuilder,
        merged: &[String],
        formulas: &BTreeSet<(u32, u32)>,
    ) {
        let merged = merged
            .iter()
            .filter_map(|m| {
                let (start, end) = parse_range_a1(m)?;
                Some((start.0, start.1, end.0, end.1))
            })
            .collect();
        let mut grid = cells.finish(name, merged, BTreeSet::new());
        // Formula cells that hold a value, as the blocks list them.
        grid.formulas = formulas
            .iter()
            .copied()
            .filter(|&(r, c)| grid.get(r, c).is_some())
            .collect();
        self.grids.push(grid);
    }
}

/// Reads every sheet into the Document's blocks.
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Workbook, DocProblem> {
    let mut sink = BlockSink::default();
    let warnings = read_into(bytes, format, limits, deadline, &mut sink)?;
    Ok(Workbook {
        blocks: sink.blocks,
        warnings,
    })
}

/// Reads every sheet into `sink`; returns the warnings (sheets skipped).
pub fn read_into<S: SheetSink>(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: Deadline,
    sink: &mut S,
) -> Result<Vec<String>, DocProblem> {
    let cursor = Cursor::new(bytes);
    let mut warnings = Vec::new();
    match format {
        Format::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(cursor).map_err(|e| problem(&e.to_string()))?;
            for name in wb.sheet_names() {
                deadline.check()?;
                let merged = merged_a1(wb.merge_cells_by_sheet_name(&name).unwrap_or_default());
                // Cells whose value is a formula's cached result, so an
                // analysis can say so.
                let mut formulas = BTreeSet::new();
                let cells = wb
                    .worksheet_cells_reader(&name)
                    .map_err(unreadable)
                    .and_then(|mut r| {
                        collect_cells(
                            || {
                                let cell = r.next_cell_with_formula().map_err(unreadable)?;
                                Ok(cell.map(|c| {
                                    if c.formula.is_some() {
                                        formulas.insert(c.pos);
                                    }
                                    (c.pos, text_ref(&c.value))
                                }))
                            },
                            limits,
                        )
                    });
                add_sheet(
                    sink,
                    &mut warnings,
                    &name,
                    cells,
                    &merged,
                    &formulas,
                    limits,
                )?;
            }
        }
        Format::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(cursor).map_err(|e| problem(&e.to_string()))?;
            for name in wb.sheet_names() {
                deadline.check()?;
                let cells = wb
                    .worksheet_cells_reader(&name)
                    .map_err(unreadable)
                    .and_then(|mut r| {
                        collect_cells(
                            || {
                                let cell = r.next_cell().map_err(unreadable)?;
                                Ok(cell.map(|c| (c.get_position(), text_ref(c.get_value()))))
                            },
                            limits,
                        )
                    });
                let formulas = formula_cells(&mut wb, &name);
                add_sheet(sink, &mut warnings, &name, cells, &[], &formulas, limits)?;
            }
        }
        Format::Xls => {
            let mut wb: Xls<_> = Xls::new(cursor).map_err(|e| problem(&e.to_string()))?;
            for name in wb.sheet_names() {
                deadline.check()?;
                let merged = merged_a1(wb.merge_cells_by_sheet_name(&name).unwrap_or_default());
                let cells = wb
                    .worksheet_range(&name)
                    .map(|r| range_cells(&r))
                    .map_err(unreadable);
                let formulas = formula_cells(&mut wb, &name);
                add_sheet(
                    sink,
                    &mut warnings,
                    &name,
                    cells,
                    &merged,
                    &formulas,
                    limits,
                )?;
            }
        }
        Format::Ods => {
            let mut wb: Ods<_> = Ods::new(cursor).map_err(|e| problem(&e.to_string()))?;
            for name in wb.sheet_names() {
                deadline.check()?;
                let cells = wb
                    .worksheet_range(&name)
                    .map(|r| range_cells(&r))
                    .map_err(unreadable);
                let formulas = formula_cells(&mut wb, &name);
                add_sheet(sink, &mut warnings, &name, cells, &[], &formulas, limits)?;
            }
        }
        other => {
            return Err(damaged(format!(
                "{} is not a spreadsheet format",
                other.name()
            )))
        }
    }
    Ok(warnings)
}

/// calamine reports encryption in words; everything else is damage.
fn problem(message: &str) -> DocProblem {
    let lower = message.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        DocProblem::PasswordProtected
    } else {
        damaged(message)
    }
}

/// Why a sheet's cells were not read.
#[derive(Debug)]
enum CellsError {
    /// More cells than the limit allows (the limit).
    Over(u64),
    /// The reader's own message: the sheet is skipped with a warning.
    Unreadable(String),
}

fn unreadable(e: impl std::fmt::Display) -> CellsError {
    CellsError::Unreadable(e.to_string())
}

fn add_sheet<S: SheetSink>(
    sink: &mut S,
    warnings: &mut Vec<String>,
    name: &str,
    cells: Result<S::Bag, CellsError>,
    merged: &[String],
    formulas: &BTreeSet<(u32, u32)>,
    limits: &Limits,
) -> Result<(), DocProblem> {
    match cells {
        Ok(cells) => {
            if cells.count() as u64 > limits.max_cells_per_sheet {
                return Err(exceeded(
                    "max_cells_per_sheet",
                    format!(
                        "sheet '{name}' has {} cells (limit {})",
                        cells.count(),
                        limits.max_cells_per_sheet
                    ),
                ));
            }
            sink.sheet(name, cells, merged, formulas);
        }
        Err(CellsError::Over(limit)) => {
            return Err(exceeded(
                "max_cells_per_sheet",
                format!("sheet '{name}' has over {limit} cells"),
            ));
        }
        Err(CellsError::Unreadable(e)) => {
            if matches!(problem(&e), DocProblem::PasswordProtected) {
                return Err(DocProblem::PasswordProtected);
            }
            warnings.push(format!("sheet '{name}' skipped: {e}"));
        }
    }
    Ok(())
}

/// The cells of a sheet that hold a formula (their values are its cached
/// results). A sheet whose formulas calamine cannot decode (some legacy
/// functions) is left unmarked rather than refused: the values are there.
fn formula_cells<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    wb: &mut R,
    sheet: &str,
) -> BTreeSet<(u32, u32)> {
    match wb.worksheet_formula(sheet) {
        Ok(range) => {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            range
                .used_cells()
                .filter(|(_, _, f)| !f.is_empty())
                .map(|(r, c, _)| (r0 + r as u32, c0 + c as u32))
                .collect()
        }
        Err(_) => BTreeSet::new(),
    }
}

/// Lists, in each sheet range block, the cells a formula computed.
fn mark_formulas(blocks: &mut [Block], formulas: &BTreeSet<(u32, u32)>) {
    if formulas.is_empty() {
        return;
    }
    for block in blocks {
        let range = block.loc.rsplit('!').next().unwrap_or("");
        let Some((first, last)) = parse_range_a1(range) else {
            continue;
        };
        block.formulas = formulas
            .range(first..=(last.0, u32::MAX))
            .filter(|(_, c)| (first.1..=last.1).contains(c))
            .map(|(r, c)| cell_a1(*r, *c))
            .collect();
    }
}

/// Drains a streaming cell reader (xlsx, xlsb) into sparse cells, stopping
/// at the cell limit instead of allocating for the sheet's claimed size.
fn collect_cells<B: CellBag>(
    mut next: impl FnMut() -> Result<Option<((u32, u32), String)>, CellsError>,
    limits: &Limits,
) -> Result<B, CellsError> {
    let mut cells = B::default();
    while let Some((at, text)) = next()? {
        if !text.is_empty() {
            cells.put(at, text);
            if cells.count() as u64 > limits.max_cells_per_sheet {
                return Err(CellsError::Over(limits.max_cells_per_sheet));
            }
        }
    }
    Ok(cells)
}

fn range_cells<B: CellBag>(range: &calamine::Range<Data>) -> B {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = B::default();
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let t = text(v);
            if !t.is_empty() {
                cells.put((r0 + r as u32, c0 + c as u32), t);
            }
        }
    }
    cells
}

/// Splits a sheet's cells into bands of rows, each one block.
pub fn sheet_blocks(sheet: &str, cells: &Cells, merged: &[String]) -> Vec<Block> {
    let mut rows: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
    for ((r, c), v) in cells {
        rows.entry(*r).or_default().push((*c, v));
    }
    let mut bands: Vec<Vec<u32>> = Vec::new();
    for &r in rows.keys() {
        match bands.last_mut() {
            Some(band)
                if r - band[0] < ROWS_PER_BLOCK && r - band[band.len() - 1] <= MAX_GAP + 1 =>
            {
                band.push(r)
            }
            _ => bands.push(vec![r]),
        }
    }
    let mut blocks = Vec::new();
    for band in bands {
        let (first, last) = (band[0], band[band.len() - 1]);
        let cols = band.iter().flat_map(|r| rows[r].iter().map(|(c, _)| *c));
        let (min_c, max_c) = cols.fold((u32::MAX, 0), |(lo, hi), c| (lo.min(c), hi.max(c)));
        let loc = format!(
            "{}!{}",
            quote_sheet(sheet),
            range_a1((first, min_c), (last, max_c))
        );
        let mut block = if max_c - min_c < MAX_GRID_WIDTH {
            let grid: Vec<Vec<String>> = (first..=last)
                .map(|r| {
                    let mut row = vec![String::new(); (max_c - min_c + 1) as usize];
                    for (c, v) in rows.get(&r).into_iter().flatten() {
                        row[(c - min_c) as usize] = (*v).to_owned();
                    }
                    row
                })
                .collect();
            Block::grid(BlockKind::SheetRange, grid, loc)
        } else {
            let text = band
                .iter()
                .flat_map(|r| {
                    rows[r]
                        .iter()
                        .map(move |(c, v)| format!("{}: {v}", cell_a1(*r, *c)))
                })
                .collect::<Vec<_>>()
                .join("\n");
            Block::new(BlockKind::SheetRange, text, loc)
        };
        block.merged = merged
            .iter()
            .filter(|m| {
                parse_a1(m.split(':').next().unwrap_or("")).is_some_and(|(r, c)| {
                    (first..=last).contains(&r) && (min_c..=max_c).contains(&c)
                })
            })
            .cloned()
            .collect();
        blocks.push(block);
    }
    blocks
}

/// A sheet name as Excel writes it in a reference: quoted when it holds
/// anything but letters, digits and `_`.
pub fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Column letters: 0 -> A, 25 -> Z, 26 -> AA.
pub fn col_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub fn cell_a1(row: u32, col: u32) -> String {
    format!("{}{}", col_letters(col), row + 1)
}

fn range_a1(start: (u32, u32), end: (u32, u32)) -> String {
    if start == end {
        cell_a1(start.0, start.1)
    } else {
        format!("{}:{}", cell_a1(start.0, start.1), cell_a1(end.0, end.1))
    }
}

/// A merged region list in A1 notation.
fn merged_a1(dims: Vec<calamine::Dimensions>) -> Vec<String> {
    dims.iter().map(|d| range_a1(d.start, d.end)).collect()
}

/// `B2:D9` (or a single `B2`) -> zero-based first and last cells.
pub fn parse_range_a1(range: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut ends = range.split(':').filter_map(parse_a1);
    let start = ends.next()?;
    Some((start, ends.next().unwrap_or(start)))
}

/// `B7` (or `b7`) -> zero-based (row, column).
pub fn parse_a1(a1: &str) -> Option<(u32, u32)> {
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &a1[letters.len()..];
    let mut col: u32 = 0;
    for b in letters.to_ascii_uppercase().bytes() {
        col = col.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// A cell number as Excel shows it by default: integers without `.0`.
pub fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn datetime(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        if let Some(dur) = d.as_duration() {
            let s = dur.num_seconds();
            return format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
        }
    } else if let Some(dt) = d.as_datetime() {
        let t = dt.time();
        return if t == chrono::NaiveTime::MIN {
            dt.format("%Y-%m-%d").to_string()
        } else {
            dt.format("%Y-%m-%d %H:%M:%S").to_string()
        };
    }
    number(d.as_f64())
}

fn text(v: &Data) -> String {
    match v {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) => s.trim().to_owned(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => datetime(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn text_ref(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => datetime(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses_round_trip() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(16383), "XFD");
        assert_eq!(cell_a1(6, 1), "B7");
        assert_eq!(parse_a1("XFD1048576"), Some((1048575, 16383)));
    }

    #[test]
    fn rows_far_apart_become_separate_ranges() {
        let mut cells = Cells::new();
        cells.insert((0, 0), "a".into());
        cells.insert((1, 2), "b".into());
        cells.insert((100, 0), "c".into());
        let blocks = sheet_blocks("My Sheet", &cells, &["A1:B1".into()]);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].loc, "'My Sheet'!A1:C2");
        assert_eq!(blocks[0].rows, vec![vec!["a", "", ""], vec!["", "", "b"]]);
        assert_eq!(blocks[0].merged, vec!["A1:B1"]);
        assert_eq!(blocks[1].loc, "'My Sheet'!A101");
    }
}
