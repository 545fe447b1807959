//! Finding the tables on a sheet the way a person reads it: title rows
//! above the header, one or two header rows (a group header over
//! sub-headers, merged or not, joined as `Group / Sub`), blank rows and
//! columns between tables, a totals row (kept out of aggregates and
//! reported), and notes under the table.

use serde::Serialize;

use super::cells::Cells;
use super::grid::{range_a1, Grid};
use super::value::{self, Value};

/// The type a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Number,
    Currency,
    Percent,
    Date,
    DateTime,
    Bool,
    /// Text with few distinct values: regions, products, statuses.
    Category,
    Text,
    /// Codes and ids: distinct per row, not for arithmetic.
    Identifier,
}

impl Kind {
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::Number | Kind::Currency | Kind::Percent)
    }

    pub fn is_temporal(self) -> bool {
        matches!(self, Kind::Date | Kind::DateTime)
    }
}

/// One column of a table.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    /// Zero-based sheet column.
    pub col: u32,
    pub kind: Kind,
    /// One per data row; None where the cell is empty, or holds a value of
    /// another type than the column's (listed in `mixed`).
    #[serde(skip)]
    pub values: Cells,
    /// Currency symbol of a currency column.
    pub currency: Option<String>,
    /// Cells whose type differs from the column's (A1), kept out of sums.
    pub mixed: Vec<String>,
    /// Data cells computed by a formula (their cached values are used).
    pub formula_cells: usize,
}

/// The totals row found under a table.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Zero-based sheet row.
    pub row: u32,
    pub label: String,
    /// Columns whose total differs from the sum of their cells.
    pub mismatched: Vec<String>,
}

/// A table: header, data rows, and what surrounds it.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub sheet: String,
    pub title: Option<String>,
    pub columns: Vec<Column>,
    /// Zero-based sheet rows of the data, in order.
    pub rows: Vec<u32>,
    pub header_rows: Vec<u32>,
    pub totals: Option<Totals>,
    pub notes: Vec<String>,
    /// Where the whole table is, `Sheet1!A3:F40`.
    pub range: String,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            self.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
    }

    /// The A1 range of a column's data cells.
    pub fn column_range(&self, col: &Column) -> String {
        match (self.rows.first(), self.rows.last()) {
            (Some(&a), Some(&b)) => range_a1(&self.sheet, (a, col.col), (b, col.col)),
            _ => range_a1(&self.sheet, (0, col.col), (0, col.col)),
        }
    }

    /// The A1 address of one data cell.
    pub fn cell(&self, row_index: usize, col: &Column) -> String {
        range_a1(
            &self.sheet,
            (self.rows[row_index], col.col),
            (self.rows[row_index], col.col),
        )
    }
}

/// Words that open a totals row.
const TOTAL_WORDS: &[&str] = &[
    "total",
    "grand total",
    "totals",
    "sum",
    "subtotal",
    "合计",
    "总计",
    "小计",
    "合計",
    // A summary row of averages is kept out the same way.
    "average",
    "averages",
    "mean",
    "平均",
    "平均值",
];

/// Whether a summary row's label says it holds averages (its figures are
/// then not checked against the column sums).
fn is_average(label: &str) -> bool {
    let t = label.trim().to_lowercase();
    ["average", "mean", "平均"].iter().any(|w| t.starts_with(w))
}
const MISSING: &[&str] = &["", "-", "—", "–", "n/a", "na", "null", "none", "(blank)"];

/// The tables on one sheet, top to bottom, left to right.
pub fn tables(grid: &Grid) -> Vec<Table> {
    let mut out = Vec::new();
    for region in regions(grid) {
        if let Some(t) = read_table(grid, &region) {
            out.push(t);
        }
    }
    out
}

/// A block of rows (with blank rows inside it allowed) over a column span.
struct Region {
    rows: Vec<u32>,
    first_col: u32,
    last_col: u32,
}

/// Cuts a sheet into regions: runs of rows with at most one blank row
/// between them, then split where a whole column is blank.
fn regions(grid: &Grid) -> Vec<Region> {
    let mut bands: Vec<Vec<u32>> = Vec::new();
    for r in grid.rows().iter().copied() {
        match bands.last_mut() {
            Some(band) if r - band[band.len() - 1] <= 2 => band.push(r),
            _ => bands.push(vec![r]),
        }
    }
    let mut out = Vec::new();
    for band in bands {
        let cols: std::collections::BTreeSet<u32> = band
            .iter()
            .flat_map(|&r| grid.row(r).map(|(c, _)| c))
            .collect();
        // Side-by-side tables: a gap of a blank column splits the band.
        let mut spans: Vec<(u32, u32)> = Vec::new();
        for c in cols {
            match spans.last_mut() {
                Some(span) if c == span.1 + 1 => span.1 = c,
                _ => spans.push((c, c)),
            }
        }
        // A title cell can stick out left of its table; spans with a
        // single column are folded into their neighbour unless alone.
        for (first_col, last_col) in spans {
            let rows: Vec<u32> = band
                .iter()
                .copied()
                .filter(|&r| grid.row(r).any(|(c, _)| c >= first_col && c <= last_col))
                .collect();
            out.push(Region {
                rows,
                first_col,
                last_col,
            });
        }
    }
    out
}

fn is_missing(text: &str) -> bool {
    MISSING.contains(&text.trim().to_lowercase().as_str())
}

/// Cells of a row inside the region's columns.
fn cells<'g>(grid: &'g Grid, region: &Region, row: u32) -> Vec<(u32, &'g str)> {
    grid.row(row)
        .filter(|(c, _)| *c >= region.first_col && *c <= region.last_col)
        .collect()
}

/// A header-like row: at least two cells, all labels (text, or a year
/// such as 2024 over a column of figures), at least one of them text.
fn header_like(cells: &[(u32, &str)]) -> bool {
    let label = |v: &str| match value::parse(v) {
        Value::Text(_) => true,
        Value::Number(n) => n.fract() == 0.0 && (1900.0..=2100.0).contains(&n),
        _ => false,
    };
    cells.len() >= 2
        && cells.iter().all(|(_, v)| label(v))
        && cells
            .iter()
            .any(|(_, v)| matches!(value::parse(v), Value::Text(_)))
}

/// The first row of a region is a title cut into cells when it is a few
/// text cells from the first column, set apart by a blank row from a
/// header at least twice as wide (a group header over sub-headers sits
/// right on top of them).
fn is_split_title(grid: &Grid, region: &Region, row: &[(u32, &str)]) -> bool {
    let (Some(&here), Some(&next)) = (region.rows.first(), region.rows.get(1)) else {
        return false;
    };
    let below = cells(grid, region, next);
    (2..=3).contains(&row.len())
        && next > here + 1
        && row[0].0 == region.first_col
        && row.len() * 2 <= below.len()
        && row
            .iter()
            .all(|(_, v)| matches!(value::parse(v), Value::Text(_)))
        && header_like(&below)
}

fn read_table(grid: &Grid, region: &Region) -> Option<Table> {
    let width = (region.last_col - region.first_col + 1) as usize;
    let mut i = 0;
    // Title rows: one cell in a region wider than one column.
    let mut title = Vec::new();
    while i < region.rows.len() && width > 1 {
        let row = cells(grid, region, region.rows[i]);
        if row.len() == 1 && i + 1 < region.rows.len() {
            title.push(row[0].1.to_owned());
            i += 1;
        } else if i == 0 && is_split_title(grid, region, &row) {
            // A CSV's title line with a comma in it ("Christenings in
            // London, 1629-1710") arrives as two or three cells.
            title.push(
                row.iter()
                    .map(|(_, v)| v.trim())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            i += 1;
        } else {
            break;
        }
    }
    if i >= region.rows.len() {
        return None;
    }
    let first = cells(grid, region, region.rows[i]);
    let mut header_rows = Vec::new();
    let mut names: Vec<String> = vec![String::new(); width];
    if header_like(&first) || (width == 1 && matches!(value::parse(first[0].1), Value::Text(_))) {
        header_rows.push(region.rows[i]);
        let second = region
            .rows
            .get(i + 1)
            .map(|&r| cells(grid, region, r))
            .unwrap_or_default();
        let third_is_data = region
            .rows
            .get(i + 2)
            .map(|&r| cells(grid, region, r))
            .is_some_and(|c| !header_like(&c));
        // A group header over sub-headers: fewer cells (or merged ones)
        // above a fuller header row, above data.
        let grouped = header_like(&second)
            && third_is_data
            && (first.len() < second.len() || merged_in_row(grid, region.rows[i]));
        let top = spread_group(region, &first);
        if grouped {
            header_rows.push(region.rows[i + 1]);
            for (c, v) in &second {
                let k = (c - region.first_col) as usize;
                names[k] = match &top[k] {
                    Some(group) if group != v => format!("{group} / {v}"),
                    _ => (*v).to_owned(),
                };
            }
            for (k, group) in top.iter().enumerate() {
                if names[k].is_empty() {
                    names[k] = group.clone().unwrap_or_default();
                }
            }
        } else {
            for (c, v) in &first {
                names[(c - region.first_col) as usize] = (*v).to_owned();
            }
        }
        i += header_rows.len();
    }
    // Unnamed columns get their letter, like Excel's own default.
    for (k, name) in names.iter_mut().enumerate() {
        if name.is_empty() {
            *name = format!(
                "Column {}",
                crate::docs::col_letters(region.first_col + k as u32)
            );
        }
    }
    dedupe(&mut names);

    let mut data: Vec<u32> = region.rows[i..].to_vec();
    // Notes under the table: single text cells after the last full row.
    let mut notes = Vec::new();
    while let Some(&last) = data.last() {
        let row = cells(grid, region, last);
        let wide = data.len() > 1 && width > 1;
        if wide
            && row.len() == 1
            && matches!(value::parse(row[0].1), Value::Text(_))
            && !is_total(row[0].1)
        {
            notes.insert(0, row[0].1.to_owned());
            data.pop();
        } else {
            break;
        }
    }
    // A totals row: its first text cell says so, and it is the last row
    // or close to it (a company called "Total" in the middle of a list is
    // data).
    let mut totals = None;
    if let Some(pos) = data
        .iter()
        .rposition(|&r| {
            cells(grid, region, r)
                .iter()
                .find(|(_, v)| matches!(value::parse(v), Value::Text(_)))
                .is_some_and(|(_, v)| is_total(v))
        })
        .filter(|pos| data.len() - pos <= 3)
    {
        let row = data.remove(pos);
        let label = cells(grid, region, row)
            .iter()
            .find(|(_, v)| is_total(v))
            .map(|(_, v)| (*v).to_owned())
            .unwrap_or_default();
        totals = Some((row, label));
    }
    if data.is_empty() {
        return None;
    }

    let mut columns: Vec<Column> = names
        .into_iter()
        .enumerate()
        .map(|(k, name)| build_column(grid, name, region.first_col + k as u32, &data))
        .collect();
    // A column with nothing in any data row is a spacer, not a column.
    columns.retain(|c| c.values.count() > 0 || !c.mixed.is_empty());
    let totals = totals.map(|(row, label)| Totals {
        row,
        mismatched: columns
            .iter()
            .filter(|c| c.kind.is_numeric() && !is_average(&label))
            .filter_map(|c| {
                let stated = grid
                    .get(row, c.col)
                    .and_then(|v| value::parse(v).number())?;
                let sum: f64 = (0..c.values.len()).filter_map(|i| c.values.number(i)).sum();
                let tolerance = 1e-6 * sum.abs().max(1.0);
                ((stated - sum).abs() > tolerance).then(|| c.name.clone())
            })
            .collect(),
        label,
    });
    let last_row = totals
        .as_ref()
        .map(|t| t.row)
        .unwrap_or(0)
        .max(*data.last()?);
    let first_row = header_rows.first().copied().unwrap_or(data[0]);
    Some(Table {
        sheet: grid.sheet.clone(),
        title: (!title.is_empty()).then(|| title.join(" ")),
        range: range_a1(
            &grid.sheet,
            (first_row, region.first_col),
            (last_row, region.last_col),
        ),
        columns,
        rows: data,
        header_rows,
        totals,
        notes,
    })
}

fn is_total(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':').to_lowercase();
    TOTAL_WORDS
        .iter()
        .any(|w| t == *w || t.starts_with(&format!("{w} ")))
}

fn merged_in_row(grid: &Grid, row: u32) -> bool {
    grid.merged.iter().any(|m| m.0 == row && m.3 > m.1)
}

/// The group each column of a header row falls under: a cell's value
/// carried right over the blank (or merged) cells after it.
fn spread_group(region: &Region, cells: &[(u32, &str)]) -> Vec<Option<String>> {
    let width = (region.last_col - region.first_col + 1) as usize;
    let mut out: Vec<Option<String>> = vec![None; width];
    let mut current: Option<String> = None;
    for (k, slot) in out.iter_mut().enumerate() {
        let c = region.first_col + k as u32;
        if let Some((_, v)) = cells.iter().find(|(cc, _)| *cc == c) {
            current = Some((*v).to_owned());
        }
        slot.clone_from(&current);
    }
    out
}

fn dedupe(names: &mut [String]) {
    for k in 1..names.len() {
        let mut n = 2;
        let base = names[k].clone();
        while names[..k].contains(&names[k]) {
            names[k] = format!("{base} ({n})");
            n += 1;
        }
    }
}

fn build_column(grid: &Grid, name: String, col: u32, rows: &[u32]) -> Column {
    let mut values = Cells::with_pool(grid.pool().clone(), rows.len());
    for &r in rows {
        let id = grid.id(r, col);
        let v = id
            .map(|id| grid.pool().get(id))
            .filter(|v| !is_missing(v))
            .map(value::parse);
        values.push_with_id(v, id);
    }
    let present = || (0..values.len()).filter_map(|i| values.get(i));
    let count = |f: &dyn Fn(&Value) -> bool| present().filter(|v| f(v)).count();
    let numbers = (0..values.len())
        .filter(|&i| values.number(i).is_some())
        .count();
    let currencies = count(&|v| matches!(v, Value::Currency(..)));
    let percents = count(&|v| matches!(v, Value::Percent(_)));
    let dates = count(&|v| matches!(v, Value::Date(_)));
    let date_times = count(&|v| matches!(v, Value::DateTime(_)));
    let bools = count(&|v| matches!(v, Value::Bool(_)));
    let n = values.count().max(1);
    // The column's type is what most of its cells are (errors aside).
    let kind = if numbers * 2 > n {
        if currencies * 2 > numbers {
            Kind::Currency
        } else if percents * 2 > numbers {
            Kind::Percent
        } else {
            Kind::Number
        }
    } else if (dates + date_times) * 2 > n {
        if date_times > dates {
            Kind::DateTime
        } else {
            Kind::Date
        }
    } else if bools * 2 > n {
        Kind::Bool
    } else {
        Kind::Text
    };
    let fits = |i: usize| match kind {
        Kind::Number | Kind::Currency | Kind::Percent => values.number(i).is_some(),
        Kind::Date | Kind::DateTime => values.date_time(i).is_some(),
        Kind::Bool => matches!(values.get(i), Some(Value::Bool(_))),
        _ => true,
    };
    let misfits: Vec<usize> = (0..values.len())
        .filter(|&i| values.is_some(i) && !fits(i))
        .collect();
    let mut mixed = Vec::new();
    for i in misfits {
        mixed.push(super::grid::a1(rows[i], col));
        values.clear(i);
    }
    values.shrink();
    let kind = match kind {
        Kind::Text => text_kind(&name, &values),
        Kind::Number if looks_like_id(&name) && all_distinct_integers(&values) => Kind::Identifier,
        Kind::Number if counts_rows(&name, &values) => Kind::Identifier,
        k => k,
    };
    let currency = (kind == Kind::Currency).then(|| {
        (0..values.len())
            .find_map(|i| match values.get(i) {
                Some(Value::Currency(_, s)) => Some(s),
                _ => None,
            })
            .unwrap_or_default()
    });
    Column {
        name,
        col,
        kind,
        formula_cells: rows
            .iter()
            .filter(|&&r| grid.formulas.contains(&(r, col)))
            .count(),
        values,
        currency,
        mixed,
    }
}

fn looks_like_id(name: &str) -> bool {
    let n = name.to_lowercase();
    n == "id"
        || n.ends_with(" id")
        || n.ends_with("_id")
        || n.contains("code")
        || n.contains("number") && n.contains("order")
        || n == "no"
        || n == "no."
        || n.contains("编号")
}

/// A column that numbers the rows 1, 2, 3 ... (an R export's row names,
/// a "Sale" or "No." column) is a label, not a measure; a rank is kept as
/// a number, since "the company ranked 10th" filters on it.
fn counts_rows(name: &str, values: &Cells) -> bool {
    let n = name.to_lowercase();
    let ranked = ["rank", "place", "position", "排名", "名次"]
        .iter()
        .any(|w| n.contains(w));
    values.len() >= 10
        && !ranked
        && (0..values.len()).all(|i| values.number(i) == Some((i + 1) as f64))
}

fn all_distinct_integers(values: &Cells) -> bool {
    let mut seen = std::collections::HashSet::new();
    (0..values.len()).filter(|&i| values.is_some(i)).all(|i| {
        values
            .number(i)
            .is_some_and(|x| x.fract() == 0.0 && seen.insert(x as i64))
    })
}

/// Text columns: an identifier when every value is distinct and the name
/// or the values say so, a category when values repeat, text otherwise.
fn text_kind(name: &str, values: &Cells) -> Kind {
    // Counted in place: the cells are sorted by their text (borrowed from
    // the pool) and equal neighbours counted once, so an id column of
    // 200,000 rows is not copied to count it.
    let key = |i: u32| -> std::borrow::Cow<'_, str> {
        match values.text(i as usize) {
            Some(t) => t.into(),
            None => values
                .get(i as usize)
                .map(|other| format!("{other:?}"))
                .unwrap_or_default()
                .into(),
        }
    };
    let mut cells: Vec<u32> = (0..values.len() as u32)
        .filter(|&i| values.is_some(i as usize))
        .collect();
    let count = cells.len();
    let codes = cells.iter().all(|&i| {
        let t = key(i);
        !t.contains(' ') && t.chars().any(|c| c.is_ascii_digit())
    });
    cells.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
    let distinct = cells.len() - cells.windows(2).filter(|w| key(w[0]) == key(w[1])).count();
    let all_distinct = distinct == count;
    if all_distinct && count > 1 && (looks_like_id(name) || codes) {
        Kind::Identifier
    } else if count <= 3 || (distinct <= 50.max(count / 2) && distinct < count) {
        Kind::Category
    } else {
        Kind::Text
    }
}
