//! A sheet's non-empty cells held compactly, for analysis and for the
//! window's grid: each distinct text is stored once in a pool (a column of
//! regions or dates repeats a few values thousands of times), and each cell
//! is a column number and a pool id in row-major arrays. A 200,000-row
//! sheet costs a few bytes per cell here instead of a heap string and a
//! tree node each, which is what kept a large workbook's analysis far
//! above the size of its data.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

/// Distinct cell texts, one after another; an id names one.
#[derive(Debug, Clone, Default)]
pub struct TextPool {
    bytes: String,
    /// End of each text in `bytes`; text `i` starts where `i - 1` ends.
    ends: Vec<u64>,
}

impl TextPool {
    /// The text with this id ("" for an id the pool does not hold).
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.bytes.get(start as usize..end as usize).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held (text and offsets), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 8
    }

    fn push(&mut self, text: &str) -> u32 {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len() as u64);
        (self.ends.len() - 1) as u32
    }

    fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Column numbers: two bytes each while they fit (Excel stops at 16,384
/// columns), four once a wider CSV needs them.
#[derive(Debug, Clone)]
enum Cols {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Default for Cols {
    fn default() -> Self {
        Cols::Narrow(Vec::new())
    }
}

impl Cols {
    fn get(&self, k: usize) -> u32 {
        match self {
            Cols::Narrow(v) => u32::from(v[k]),
            Cols::Wide(v) => v[k],
        }
    }

    fn last(&self) -> Option<u32> {
        match self {
            Cols::Narrow(v) => v.last().map(|&c| u32::from(c)),
            Cols::Wide(v) => v.last().copied(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Cols::Narrow(v) => v.len(),
            Cols::Wide(v) => v.len(),
        }
    }

    fn push(&mut self, c: u32) {
        match self {
            Cols::Narrow(v) => match u16::try_from(c) {
                Ok(c16) => v.push(c16),
                Err(_) => {
                    let mut wide: Vec<u32> = v.iter().map(|&x| u32::from(x)).collect();
                    wide.push(c);
                    *self = Cols::Wide(wide);
                }
            },
            Cols::Wide(v) => v.push(c),
        }
    }

    /// Position of `col` among `a..b` (sorted), like `binary_search`.
    fn find(&self, a: usize, b: usize, col: u32) -> Option<usize> {
        match self {
            Cols::Narrow(v) => {
                let c = u16::try_from(col).ok()?;
                v[a..b].binary_search(&c).ok()
            }
            Cols::Wide(v) => v[a..b].binary_search(&col).ok(),
        }
    }

    fn max(&self) -> Option<u32> {
        match self {
            Cols::Narrow(v) => v.iter().max().map(|&c| u32::from(c)),
            Cols::Wide(v) => v.iter().max().copied(),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Cols::Narrow(v) => v.capacity() * 2,
            Cols::Wide(v) => v.capacity() * 4,
        }
    }

    fn shrink(&mut self) {
        match self {
            Cols::Narrow(v) => v.shrink_to_fit(),
            Cols::Wide(v) => v.shrink_to_fit(),
        }
    }
}

/// One sheet's non-empty cells, zero-based (row, column) -> text, with its
/// merged ranges and the cells whose value a formula computed.
#[derive(Debug, Clone, Default)]
pub struct SheetGrid {
    pub sheet: String,
    /// Rows holding at least one cell, ascending.
    rows: Vec<u32>,
    /// Where each row's cells start in `cols`/`ids` (one more than `rows`).
    starts: Vec<u32>,
    cols: Cols,
    ids: Vec<u32>,
    text: Arc<TextPool>,
    /// Merged ranges as (first row, first column, last row, last column).
    pub merged: Vec<(u32, u32, u32, u32)>,
    pub formulas: BTreeSet<(u32, u32)>,
}

impl SheetGrid {
    /// The cell's text, when the cell is not empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        let r = self.rows.binary_search(&row).ok()?;
        let (a, b) = self.span(r);
        let k = self.cols.find(a, b, col)?;
        Some(self.text.get(self.ids[a + k]))
    }

    /// The pool id of a cell's text (texts with equal ids are equal).
    pub fn id(&self, row: u32, col: u32) -> Option<u32> {
        let r = self.rows.binary_search(&row).ok()?;
        let (a, b) = self.span(r);
        let k = self.cols.find(a, b, col)?;
        Some(self.ids[a + k])
    }

    /// The pool the ids point into, shared with whatever keeps them.
    pub fn pool(&self) -> &Arc<TextPool> {
        &self.text
    }

    /// Rows that hold at least one cell, in order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &str)> + '_ {
        let (a, b) = match self.rows.binary_search(&row) {
            Ok(r) => self.span(r),
            Err(_) => (0, 0),
        };
        (a..b).map(move |k| (self.cols.get(k), self.text.get(self.ids[k])))
    }

    /// Every cell of the rows in `rows` (zero-based, end excluded), in
    /// row-major order, as (row, column, text).
    pub fn cells_in(
        &self,
        rows: std::ops::Range<u32>,
    ) -> impl Iterator<Item = (u32, u32, &str)> + '_ {
        let first = self.rows.partition_point(|&r| r < rows.start);
        let last = self.rows.partition_point(|&r| r < rows.end);
        (first..last).flat_map(move |r| {
            let (a, b) = self.span(r);
            (a..b).map(move |k| (self.rows[r], self.cols.get(k), self.text.get(self.ids[k])))
        })
    }

    /// One past the last row and the last column holding a cell.
    pub fn extent(&self) -> (u32, u32) {
        let rows = self.rows.last().map_or(0, |r| r + 1);
        let cols = self.cols.max().map_or(0, |c| c + 1);
        (rows, cols)
    }

    /// Number of non-empty cells.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Bytes the grid holds on the heap (cells and pool).
    pub fn heap_bytes(&self) -> usize {
        (self.rows.capacity() + self.starts.capacity() + self.ids.capacity()) * 4
            + self.cols.heap_bytes()
            + self.text.heap_bytes()
    }

    fn span(&self, r: usize) -> (usize, usize) {
        (self.starts[r] as usize, self.starts[r + 1] as usize)
    }
}

/// Builds a [`SheetGrid`] from cells given one by one. Readers give them
/// row by row; a file that does not (some writers order cells their own
/// way) is sorted at the end.
#[derive(Debug, Default)]
pub struct GridBuilder {
    grid: SheetGrid,
    pool: TextPool,
    /// Text hash (32 bits, to keep the table small) -> id, to store each
    /// distinct text once. A collision just stores the second text again:
    /// ids save memory, they are never compared for equality.
    seen: HashMap<u32, u32>,
    hasher: RandomState,
    /// Cells that came out of row-major order, with everything before
    /// them, kept until `finish` sorts them.
    unordered: Option<BTreeMap<(u32, u32), u32>>,
}

impl GridBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a non-empty cell (an empty text is skipped; a cell given twice
    /// keeps its last text).
    pub fn put(&mut self, row: u32, col: u32, text: &str) {
        if text.is_empty() {
            return;
        }
        let id = self.intern(text);
        if let Some(map) = &mut self.unordered {
            map.insert((row, col), id);
            return;
        }
        let g = &mut self.grid;
        match (g.rows.last().copied(), g.cols.last()) {
            (Some(r), _) if row > r => {
                g.rows.push(row);
                g.starts.push(g.cols.len() as u32);
            }
            (Some(r), Some(c)) if row == r && col > c => {}
            (Some(r), Some(c)) if row == r && col == c => {
                if let Some(last) = g.ids.last_mut() {
                    *last = id;
                }
                return;
            }
            (None, _) => {
                g.rows.push(row);
                g.starts.push(0);
            }
            _ => {
                let mut map = self.ordered_cells();
                map.insert((row, col), id);
                self.unordered = Some(map);
                return;
            }
        }
        g.cols.push(col);
        g.ids.push(id);
    }

    /// Number of cells so far.
    pub fn len(&self) -> usize {
        self.unordered
            .as_ref()
            .map_or(self.grid.ids.len(), BTreeMap::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The finished grid of `sheet`.
    pub fn finish(
        mut self,
        sheet: &str,
        merged: Vec<(u32, u32, u32, u32)>,
        formulas: BTreeSet<(u32, u32)>,
    ) -> SheetGrid {
        if let Some(map) = self.unordered.take() {
            self.grid = SheetGrid::default();
            for ((r, c), id) in map {
                let g = &mut self.grid;
                if g.rows.last() != Some(&r) {
                    g.rows.push(r);
                    g.starts.push(g.cols.len() as u32);
                }
                g.cols.push(c);
                g.ids.push(id);
            }
        }
        drop(self.seen);
        self.pool.shrink();
        let mut g = self.grid;
        g.starts.push(g.cols.len() as u32);
        for v in [&mut g.rows, &mut g.starts, &mut g.ids] {
            v.shrink_to_fit();
        }
        g.cols.shrink();
        g.sheet = sheet.to_owned();
        g.text = Arc::new(self.pool);
        g.merged = merged;
        g.formulas = formulas;
        g
    }

    fn intern(&mut self, text: &str) -> u32 {
        let h = self.hasher.hash_one(text) as u32;
        match self.seen.get(&h) {
            Some(&id) if self.pool.get(id) == text => id,
            Some(_) => self.pool.push(text),
            None => {
                let id = self.pool.push(text);
                self.seen.insert(h, id);
                id
            }
        }
    }

    /// The cells so far, by position (when order breaks).
    fn ordered_cells(&mut self) -> BTreeMap<(u32, u32), u32> {
        let g = std::mem::take(&mut self.grid);
        let mut map = BTreeMap::new();
        for (r, &row) in g.rows.iter().enumerate() {
            let a = g.starts[r] as usize;
            let b = g.starts.get(r + 1).map_or(g.cols.len(), |&s| s as usize);
            for k in a..b {
                map.insert((row, g.cols.get(k)), g.ids[k]);
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_in_any_order_read_back_by_position_with_texts_stored_once() {
        let mut b = GridBuilder::new();
        b.put(0, 0, "Region");
        b.put(0, 2, "Sales");
        b.put(1, 0, "North");
        b.put(1, 2, "10");
        b.put(2, 0, "North");
        b.put(2, 1, "");
        b.put(2, 2, "12");
        let g = b.finish("S", vec![], BTreeSet::new());
        assert_eq!(g.get(2, 0), Some("North"));
        assert_eq!(g.get(2, 1), None);
        assert_eq!(g.id(1, 0), g.id(2, 0));
        assert_eq!(g.pool().len(), 5);
        assert_eq!(g.rows(), &[0, 1, 2]);
        assert_eq!(g.row(1).collect::<Vec<_>>(), [(0, "North"), (2, "10")]);
        assert_eq!(g.extent(), (3, 3));

        let mut b = GridBuilder::new();
        b.put(3, 1, "b");
        b.put(1, 4, "a");
        b.put(3, 0, "c");
        b.put(3, 1, "d");
        let g = b.finish("S", vec![], BTreeSet::new());
        assert_eq!(g.rows(), &[1, 3]);
        assert_eq!(g.row(3).collect::<Vec<_>>(), [(0, "c"), (1, "d")]);
        assert_eq!(
            g.cells_in(0..2).collect::<Vec<_>>(),
            [(1, 4, "a")],
            "rows 0 and 1 only"
        );
        assert_eq!(g.len(), 3);
    }
}
