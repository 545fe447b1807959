//! A first look at a table without asking anything: per column the count,
//! missing cells, distinct values, min, max, sum, mean, median, standard
//! deviation, top values and date range; per table the issues a careful
//! reader would flag (mixed types, duplicate rows, outliers, a totals row
//! that does not add up). Every number is computed here from the cells.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDateTime;

use serde::Serialize;

use super::table::{Column, Kind, Table};
use super::value::Value;

/// Statistics of one column.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnProfile {
    pub name: String,
    pub kind: Kind,
    /// Where its data cells are, `Sheet1!C2:C40`.
    pub range: String,
    pub count: usize,
    pub missing: usize,
    pub distinct: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_dev: Option<f64>,
    /// Most frequent values with their counts (text and categories).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub top: Vec<(String, usize)>,
    /// First and last date (ISO), for date columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_range: Option<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub formula_cells: usize,
}

/// A table's profile: its columns and the issues found.
#[derive(Debug, Clone, Serialize)]
pub struct TableProfile {
    pub sheet: String,
    pub range: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub rows: usize,
    pub columns: Vec<ColumnProfile>,
    pub issues: Vec<String>,
    pub notes: Vec<String>,
}

/// Sorted numbers of a column (missing and mixed cells left out).
pub fn numbers(col: &Column) -> Vec<f64> {
    let mut v: Vec<f64> = (0..col.values.len())
        .filter_map(|i| col.values.number(i))
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Median of sorted values.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Sample standard deviation (n - 1), as Excel's STDEV.
pub fn std_dev(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    Some((values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

pub fn profile_column(table: &Table, col: &Column) -> ColumnProfile {
    let present = col.values.count();
    let want_top = matches!(col.kind, Kind::Category | Kind::Bool);
    let (distinct, top, dates) = distinct_values(col, want_top);
    let nums = numbers(col);
    let numeric = col.kind.is_numeric() && !nums.is_empty();
    let sum: f64 = nums.iter().sum();
    let date_range = match dates {
        Some((a, b)) if col.kind.is_temporal() => Some((show_date(&a), show_date(&b))),
        _ => None,
    };
    ColumnProfile {
        name: col.name.clone(),
        kind: col.kind,
        range: table.column_range(col),
        count: present,
        missing: col.values.len() - present,
        distinct,
        min: numeric.then(|| nums[0]),
        max: numeric.then(|| nums[nums.len() - 1]),
        sum: numeric.then_some(sum),
        mean: numeric.then(|| sum / nums.len() as f64),
        median: if numeric { median(&nums) } else { None },
        std_dev: if numeric { std_dev(&nums) } else { None },
        top,
        date_range,
        currency: col.currency.clone(),
        formula_cells: col.formula_cells,
    }
}

/// Distinct count, top values with their counts, first and last date.
type Distinct = (
    usize,
    Vec<(String, usize)>,
    Option<(NaiveDateTime, NaiveDateTime)>,
);

/// A column's distinct values, its five most frequent ones (when asked)
/// and, when every value is a date, the first and last. Values are
/// sorted in place of being counted in a map, and text is borrowed from
/// the sheet's pool, so a 200,000-row id column is not copied to profile
/// it. Values are the same when their `key` is.
fn distinct_values(col: &Column, want_top: bool) -> Distinct {
    let v = &col.values;
    let cells = || (0..v.len()).filter(|&i| v.is_some(i));
    /// Lengths of the runs of equal neighbours, with each run's first item.
    fn runs<T>(sorted: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (k, x) in sorted.iter().enumerate() {
            match out.last_mut() {
                Some((n, first)) if same(&sorted[*first], x) => *n += 1,
                _ => out.push((1, k)),
            }
        }
        out
    }
    let top_of = |runs: Vec<(usize, usize)>, key_at: &dyn Fn(usize) -> String| {
        let mut top: Vec<(String, usize)> = Vec::new();
        if want_top {
            let mut by_count = runs;
            // Most frequent first; equal counts in key order.
            by_count.sort_by_key(|r| std::cmp::Reverse(r.0));
            let cut = by_count.get(4).map_or(0, |r| r.0);
            top = by_count
                .into_iter()
                .take_while(|r| r.0 >= cut)
                .map(|(n, first)| (key_at(first), n))
                .collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top.truncate(5);
        }
        top
    };
    if cells().all(|i| v.number(i).is_some()) {
        let mut nums: Vec<f64> = cells().filter_map(|i| v.number(i)).collect();
        nums.sort_by(f64::total_cmp);
        let runs = runs(&nums, |a, b| a.to_bits() == b.to_bits());
        let distinct = runs.len();
        let top = top_of(runs, &|k| format!("{}", nums[k]));
        return (distinct, top, None);
    }
    if cells().all(|i| v.date_time(i).is_some()) {
        let mut dates: Vec<NaiveDateTime> = cells().filter_map(|i| v.date_time(i)).collect();
        dates.sort();
        let runs = runs(&dates, |a, b| a == b);
        let distinct = runs.len();
        let span = dates.first().copied().zip(dates.last().copied());
        let top = top_of(runs, &|k| Value::DateTime(dates[k]).key());
        return (distinct, top, span);
    }
    let cell_key = |i: usize| -> Cow<'_, str> { v.key(i).unwrap_or_default() };
    let mut idx: Vec<u32> = cells().map(|i| i as u32).collect();
    idx.sort_unstable_by(|&a, &b| cell_key(a as usize).cmp(&cell_key(b as usize)));
    let runs = runs(&idx, |&a, &b| cell_key(a as usize) == cell_key(b as usize));
    let distinct = runs.len();
    let top = top_of(runs, &|k| cell_key(idx[k] as usize).into_owned());
    (distinct, top, None)
}

fn show_date(d: &chrono::NaiveDateTime) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.date().to_string()
    } else {
        d.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// Profiles every column and lists the table's issues.
pub fn profile(table: &Table) -> TableProfile {
    let columns: Vec<ColumnProfile> = table
        .columns
        .iter()
        .map(|c| profile_column(table, c))
        .collect();
    let mut issues = Vec::new();
    for col in &table.columns {
        if !col.mixed.is_empty() {
            let shown: Vec<&str> = col.mixed.iter().take(5).map(String::as_str).collect();
            issues.push(format!(
                "column '{}' is {} but {} cell(s) hold something else ({}{}); they are left out of its figures",
                col.name,
                kind_words(col.kind),
                col.mixed.len(),
                shown.join(", "),
                if col.mixed.len() > 5 { ", ..." } else { "" }
            ));
        }
        if col.kind.is_numeric() {
            let outliers = outliers(table, col);
            if !outliers.is_empty() {
                let shown: Vec<&str> = outliers.iter().take(5).map(String::as_str).collect();
                issues.push(format!(
                    "column '{}' has {} outlier(s) far outside the rest: {}",
                    col.name,
                    outliers.len(),
                    shown.join(", ")
                ));
            }
        }
    }
    let duplicates = duplicate_rows(table);
    if !duplicates.is_empty() {
        issues.push(format!(
            "{} row(s) repeat an earlier row exactly (rows {})",
            duplicates.len(),
            duplicates
                .iter()
                .take(5)
                .map(|r| (r + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(t) = &table.totals {
        let row = t.row + 1;
        if t.mismatched.is_empty() {
            issues.push(format!(
                "row {row} ('{}') is a totals row: left out of the figures; its totals match the cells",
                t.label
            ));
        } else {
            issues.push(format!(
                "row {row} ('{}') is a totals row: left out of the figures; its total for {} does not match the sum of the cells",
                t.label,
                t.mismatched.join(", ")
            ));
        }
    }
    TableProfile {
        sheet: table.sheet.clone(),
        range: table.range.clone(),
        title: table.title.clone(),
        rows: table.rows.len(),
        columns,
        issues,
        notes: table.notes.clone(),
    }
}

pub fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Number => "numbers",
        Kind::Currency => "amounts",
        Kind::Percent => "percentages",
        Kind::Date => "dates",
        Kind::DateTime => "dates and times",
        Kind::Bool => "yes/no values",
        Kind::Category => "categories",
        Kind::Text => "text",
        Kind::Identifier => "identifiers",
    }
}

/// Cells beyond three interquartile ranges from the quartiles (a far-out
/// value in Tukey's sense), as A1 addresses.
fn outliers(table: &Table, col: &Column) -> Vec<String> {
    let nums = numbers(col);
    if nums.len() < 8 {
        return Vec::new();
    }
    let q = |p: f64| nums[((nums.len() - 1) as f64 * p).round() as usize];
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    if iqr <= 0.0 {
        return Vec::new();
    }
    let (lo, hi) = (q1 - 3.0 * iqr, q3 + 3.0 * iqr);
    (0..col.values.len())
        .filter_map(|i| {
            let x = col.values.number(i)?;
            (x < lo || x > hi).then(|| super::grid::a1(table.rows[i], col.col))
        })
        .collect()
}

/// Zero-based sheet rows that repeat an earlier data row in every column.
/// Rows are compared by a hash of their cells first, and cell by cell only
/// when two hashes agree, so a large table is not copied to check it.
fn duplicate_rows(table: &Table) -> Vec<u32> {
    use std::hash::{BuildHasher, Hash, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    fn cell_key(c: &Column, i: usize) -> Cow<'_, str> {
        c.values.key(i).unwrap_or_default()
    }
    let same = |a: usize, b: usize| {
        table
            .columns
            .iter()
            .all(|c| cell_key(c, a) == cell_key(c, b))
    };
    // Hash -> the first row with it; rows whose hash collides with a
    // different earlier row (rare) are kept aside and compared too.
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut collided: Vec<(u64, u32)> = Vec::new();
    let mut out = Vec::new();
    for (i, &row) in table.rows.iter().enumerate() {
        let mut h = state.build_hasher();
        for c in &table.columns {
            cell_key(c, i).hash(&mut h);
        }
        let h = h.finish();
        match seen.get(&h) {
            None => {
                seen.insert(h, i as u32);
            }
            Some(&j) => {
                let repeat = same(i, j as usize)
                    || collided
                        .iter()
                        .any(|&(ch, k)| ch == h && same(i, k as usize));
                if repeat {
                    out.push(row);
                } else {
                    collided.push((h, i as u32));
                }
            }
        }
    }
    out
}
