//! A first look at a table without asking anything: per column the count,
//! missing cells, distinct values, min, max, sum, mean, median, standard
//! deviation, top values and date range; per table the issues a careful
//! reader would flag (mixed types, duplicate rows, outliers, a totals row
//! that does not add up). Every number is computed here from the cells.

use std::collections::HashMap;

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
    let mut v: Vec<f64> = col
        .values
        .iter()
        .flatten()
        .filter_map(Value::number)
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

/// A cell's value as text, for distinct counts and top values.
pub fn key(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Number(n) | Value::Percent(n) | Value::Currency(n, _) => format!("{n}"),
        Value::Date(d) => d.to_string(),
        // A date written as a date and time at midnight reads as the date.
        Value::DateTime(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
        Value::DateTime(d) => d.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Error(e) => e.clone(),
    }
}

pub fn profile_column(table: &Table, col: &Column) -> ColumnProfile {
    let present: Vec<&Value> = col.values.iter().flatten().collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in &present {
        *counts.entry(key(v)).or_default() += 1;
    }
    let nums = numbers(col);
    let numeric = col.kind.is_numeric() && !nums.is_empty();
    let sum: f64 = nums.iter().sum();
    let mut top: Vec<(String, usize)> = Vec::new();
    if matches!(col.kind, Kind::Category | Kind::Bool) {
        top = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(5);
    }
    let dates: Vec<_> = present.iter().filter_map(|v| v.date_time()).collect();
    let date_range = match (dates.iter().min(), dates.iter().max()) {
        (Some(a), Some(b)) if col.kind.is_temporal() => Some((show_date(a), show_date(b))),
        _ => None,
    };
    ColumnProfile {
        name: col.name.clone(),
        kind: col.kind,
        range: table.column_range(col),
        count: present.len(),
        missing: col.values.len() - present.len(),
        distinct: counts.len(),
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
    col.values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let x = v.as_ref()?.number()?;
            (x < lo || x > hi).then(|| super::grid::a1(table.rows[i], col.col))
        })
        .collect()
}

/// Zero-based sheet rows that repeat an earlier data row in every column.
fn duplicate_rows(table: &Table) -> Vec<u32> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, &row) in table.rows.iter().enumerate() {
        let k: Vec<String> = table
            .columns
            .iter()
            .map(|c| c.values[i].as_ref().map(key).unwrap_or_default())
            .collect();
        if !seen.insert(k) {
            out.push(row);
        }
    }
    out
}
