//! Runs a plan over a table's cells and writes the answer. Every number in
//! the answer comes from here, computed from the cells, and the answer
//! names the cells it used; the model never supplies a figure.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::plan::{Filter, Func, Op, Order, Period, Plan, PlanError};
use super::profile::median;
use super::table::{Column, Kind, Table};
use super::value;

/// One group's figure.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub label: String,
    pub value: Option<f64>,
    pub shown: String,
    /// Percent of all groups together, when asked for shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// One period's figure and its change from the period before.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    pub period: String,
    pub value: Option<f64>,
    pub shown: String,
    pub change: Option<f64>,
    pub change_percent: Option<f64>,
}

/// What a plan produced.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Value {
        value: Option<f64>,
        shown: String,
    },
    Groups {
        rows: Vec<GroupRow>,
    },
    Row {
        /// One-based sheet row, as Excel numbers it.
        row: u32,
        /// What names the row: its value in the plan's label column.
        label: Option<(String, String)>,
        /// The value found (a number, when the column holds numbers).
        value: Option<f64>,
        shown: String,
        cells: Vec<(String, String)>,
        /// Other rows with the same value, by their labels (or "row N"):
        /// a tie is named, never hidden behind the first row.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tied: Vec<String>,
    },
    Series {
        rows: Vec<PeriodRow>,
    },
    Correlation {
        r: Option<f64>,
        pairs: usize,
    },
    Missing {
        columns: Vec<(String, usize, usize)>,
    },
}

/// A computed answer: the plan, the result, the cells it read, and one
/// sentence saying it with the numbers put in by code.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub plan: Plan,
    /// The plan in words.
    pub working: String,
    pub outcome: Outcome,
    /// The ranges read, `Orders!G4:G51`.
    pub cells: Vec<String>,
    /// Data rows that passed the filters.
    pub rows_used: usize,
    /// Things the reader should know: totals row left out, cells of another
    /// type skipped, formulas' cached values used.
    pub notes: Vec<String>,
    pub sentence: String,
}

impl Answer {
    /// The computed result as JSON: a number for one figure, a string for
    /// one label (the row found), a list of labels for a ranking (sorted or
    /// cut to the top k), an object `{label: number}` for a grouped result
    /// or a series of periods, `{column: missing}` for missing counts.
    pub fn value(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        let num = |v: Option<f64>| v.map_or(Value::Null, |v| json!(v));
        match &self.outcome {
            Outcome::Value { value, .. } => num(*value),
            Outcome::Correlation { r, .. } => num(*r),
            Outcome::Row {
                label,
                shown,
                value,
                tied,
                ..
            } => {
                let name = Value::String(
                    label
                        .as_ref()
                        .map_or_else(|| shown.clone(), |(_, v)| v.clone()),
                );
                if !tied.is_empty() {
                    let mut all = vec![name];
                    all.extend(tied.iter().cloned().map(Value::String));
                    return Value::Array(all);
                }
                match &self.plan {
                    // Another column's cell: its number, or its text.
                    Plan::Extreme {
                        report: Some(_),
                        with_value,
                        ..
                    } => {
                        let cell = value.map_or_else(|| Value::String(shown.clone()), |v| json!(v));
                        if *with_value {
                            Value::Array(vec![name, cell])
                        } else {
                            cell
                        }
                    }
                    Plan::Extreme {
                        with_value: true, ..
                    } => Value::Array(vec![name, num(*value)]),
                    _ => name,
                }
            }
            Outcome::Groups { rows } => {
                // Rows named by a lookup ("which presidents were
                // Democrats") are a list of their names too.
                let ranking = matches!(
                    &self.plan,
                    Plan::Aggregate { sort, limit, .. } if sort.is_some() || limit.is_some()
                ) || matches!(&self.plan, Plan::Lookup { .. });
                let with_value = matches!(
                    &self.plan,
                    Plan::Aggregate {
                        with_value: true,
                        ..
                    }
                );
                if with_value && rows.len() == 1 {
                    Value::Array(vec![
                        Value::String(rows[0].label.clone()),
                        num(rows[0].share.or(rows[0].value)),
                    ])
                } else if ranking {
                    Value::Array(
                        rows.iter()
                            .map(|r| Value::String(r.label.clone()))
                            .collect(),
                    )
                } else {
                    // Asked for shares, the shares are the answer.
                    Value::Object(
                        rows.iter()
                            .map(|r| (r.label.clone(), num(r.share.or(r.value))))
                            .collect::<Map<_, _>>(),
                    )
                }
            }
            Outcome::Series { rows } => Value::Object(
                rows.iter()
                    .map(|r| (r.period.clone(), num(r.value)))
                    .collect::<Map<_, _>>(),
            ),
            Outcome::Missing { columns } => match &self.plan {
                // One column asked about, or all added up: a number.
                Plan::Missing {
                    column: Some(_),
                    also,
                    ..
                } if also.is_empty() => json!(columns.first().map_or(0, |c| c.1)),
                Plan::Missing { total: true, .. } => {
                    json!(columns.iter().map(|c| c.1).sum::<usize>())
                }
                _ => Value::Object(
                    columns
                        .iter()
                        .map(|(name, missing, _)| (name.clone(), json!(missing)))
                        .collect::<Map<_, _>>(),
                ),
            },
        }
    }

    /// The answer, then its working: the plan in words, the cells, the
    /// notes (`table` names the table, `Orders!A3:G51`).
    pub fn render(&self, table: &str) -> String {
        let mut out = self.sentence.clone();
        out.push_str(&format!("\n  computed: {}", self.working));
        out.push_str(&format!(
            "\n  table: {table}; cells: {}",
            self.cells.join(", ")
        ));
        for n in &self.notes {
            out.push_str(&format!("\n  note: {n}"));
        }
        out
    }
}

/// A number as people read it: thousands grouped, at most two decimals.
pub fn show_number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let frac = ((abs - abs.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{grouped}")
    } else if frac.is_multiple_of(10) {
        format!("{sign}{grouped}.{}", frac / 10)
    } else {
        format!("{sign}{grouped}.{frac:02}")
    }
}

/// A column's figure with its unit: `$1,200.5`, `12.5%`, `1,200`.
pub fn show_in(col: Option<&Column>, func: Func, v: f64) -> String {
    match (col, func) {
        (_, Func::Count | Func::CountDistinct) => show_number(v),
        (Some(c), _) if c.kind == Kind::Currency => {
            format!(
                "{}{}",
                c.currency.clone().unwrap_or_default(),
                show_number(v)
            )
        }
        (Some(c), _) if c.kind == Kind::Percent => format!("{}%", show_number(v * 100.0)),
        _ => show_number(v),
    }
}

/// Runs `plan` on `table`.
pub fn run(table: &Table, plan: &Plan) -> Result<Answer, PlanError> {
    plan.check(table)?;
    let col = |name: &str| {
        table
            .column(name)
            .ok_or_else(|| PlanError::NoColumn(name.into()))
    };
    let filters = plan.filters();
    let rows = kept_rows(table, filters);
    let mut used: Vec<&Column> = Vec::new();
    let mut blank_groups: Option<(String, usize)> = None;
    // How many groups a top or bottom N kept because they tie at its edge.
    let mut tied: Option<usize> = None;
    for f in filters.iter().flat_map(Filter::each) {
        used.push(col(&f.column)?);
    }
    let outcome = match plan {
        Plan::Aggregate {
            func,
            column,
            group_by,
            sort,
            limit,
            share,
            period,
            ..
        } => {
            let target = column.as_deref().map(col).transpose()?;
            used.extend(target);
            match group_by {
                None if *share => {
                    // The filtered rows' figure as a percent of all rows'.
                    let all: Vec<usize> = (0..table.rows.len()).collect();
                    let part = aggregate(*func, target, &rows);
                    let whole = aggregate(*func, target, &all);
                    let v = part
                        .zip(whole)
                        .filter(|(_, w)| *w != 0.0)
                        .map(|(p, w)| p / w * 100.0);
                    Outcome::Value {
                        value: v,
                        shown: v.map_or("no value".into(), |v| format!("{}%", show_number(v))),
                    }
                }
                None => {
                    let v = aggregate(*func, target, &rows);
                    Outcome::Value {
                        value: v,
                        shown: v.map_or("no value".into(), |v| show_in(target, *func, v)),
                    }
                }
                Some(g) => {
                    let g = col(g)?;
                    used.push(g);
                    let mut order: Vec<String> = Vec::new();
                    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
                    let mut sorted_rows = rows.clone();
                    if period.is_some() {
                        sorted_rows.sort_by_key(|&i| g.values.date_time(i));
                    }
                    let mut blank = 0usize;
                    for &i in &sorted_rows {
                        if g.values.get(i).is_none() {
                            // Rows with no group are counted in a note, not
                            // made a group of their own.
                            blank += 1;
                            continue;
                        }
                        let label = match (period, g.values.date_time(i)) {
                            (Some(p), Some(dt)) => period_key(dt.date(), *p),
                            _ => g
                                .values
                                .get(i)
                                .as_ref()
                                .map_or("(blank)".into(), value::Value::key),
                        };
                        if !groups.contains_key(&label) {
                            order.push(label.clone());
                        }
                        groups.entry(label).or_default().push(i);
                    }
                    let mut out: Vec<GroupRow> = order
                        .into_iter()
                        .map(|label| {
                            let v = aggregate(*func, target, &groups[&label]);
                            GroupRow {
                                shown: v.map_or("no value".into(), |v| show_in(target, *func, v)),
                                label,
                                value: v,
                                share: None,
                            }
                        })
                        .collect();
                    if *share {
                        let whole: f64 = out.iter().filter_map(|r| r.value).sum();
                        for r in &mut out {
                            r.share = r.value.filter(|_| whole != 0.0).map(|v| v / whole * 100.0);
                        }
                    }
                    match sort {
                        // Groups with no value go last either way: a group
                        // of blanks is never "the highest".
                        Some(Order::Desc) => out.sort_by(|a, b| cmp_opt_desc(a.value, b.value)),
                        Some(Order::Asc) => out.sort_by(|a, b| cmp_opt(a.value, b.value)),
                        None => {}
                    }
                    if let Some(n) = limit {
                        // Groups tied with the last one kept are kept too:
                        // "Compton 4" alone would hide three others with 4.
                        let mut keep = (*n).min(out.len());
                        if sort.is_some() && keep > 0 {
                            let edge = out[keep - 1].value;
                            while keep < out.len() && edge.is_some() && out[keep].value == edge {
                                keep += 1;
                            }
                            if keep > *n {
                                tied = Some(keep);
                            }
                        }
                        out.truncate(keep);
                    }
                    if blank > 0 {
                        blank_groups = Some((g.name.clone(), blank));
                    }
                    Outcome::Groups { rows: out }
                }
            }
        }
        Plan::Extreme {
            column,
            largest,
            filters,
            label,
            report,
            ..
        } => {
            let c = col(column)?;
            used.push(c);
            // "The horsepower of the most expensive car": the row is found
            // by `column`, the answer is read from `report`.
            let report_col = report.as_deref().map(&col).transpose()?;
            used.extend(report_col);
            // The column the answer's cell is read from.
            let shown_col = report_col.unwrap_or(c);
            let label_col = match label {
                Some(l) => Some(col(l)?),
                None => default_label(table, c, filters),
            };
            let score = |i: usize| -> Option<f64> {
                let v = c.values.get(i)?;
                v.number()
                    .or_else(|| v.date_time().map(|d| d.and_utc().timestamp() as f64))
            };
            let best = rows
                .iter()
                .copied()
                .filter(|&i| score(i).is_some())
                .reduce(|a, b| {
                    let (sa, sb) = (score(a), score(b));
                    if (*largest && sb > sa) || (!*largest && sb < sa) {
                        b
                    } else {
                        a
                    }
                });
            let label_of =
                |j: usize| label_col.and_then(|l| l.values.get(j).as_ref().map(value::Value::key));
            match best {
                Some(i) => Outcome::Row {
                    tied: {
                        let own = label_of(i);
                        rows.iter()
                            .copied()
                            .filter(|&j| j != i && score(j).is_some() && score(j) == score(i))
                            .map(|j| {
                                label_of(j).unwrap_or_else(|| format!("row {}", table.rows[j] + 1))
                            })
                            // Each label once, and not the row's own (two
                            // quarters of 1969 are one year).
                            .fold(Vec::new(), |mut acc: Vec<String>, l| {
                                if own.as_ref() != Some(&l) && !acc.contains(&l) {
                                    acc.push(l);
                                }
                                acc
                            })
                    },
                    row: table.rows[i] + 1,
                    label: label_col.and_then(|l| Some((l.name.clone(), label_of(i)?))),
                    value: shown_col.values.number(i),
                    shown: shown_col
                        .values
                        .get(i)
                        .as_ref()
                        .map(|v| match v.number() {
                            Some(n) => show_in(Some(shown_col), Func::Max, n),
                            None => v.key(),
                        })
                        .unwrap_or_default(),
                    cells: row_cells(table, i),
                },
                None => Outcome::Value {
                    value: None,
                    shown: "no value".into(),
                },
            }
        }
        Plan::Lookup { column, .. } => {
            let c = col(column)?;
            used.push(c);
            // Each different value once, in sheet order, with its rows.
            let mut seen: Vec<(String, Vec<usize>)> = Vec::new();
            for &i in &rows {
                let Some(v) = c.values.get(i).as_ref().map(value::Value::key) else {
                    continue;
                };
                match seen.iter_mut().find(|(s, _)| *s == v) {
                    Some((_, at)) => at.push(i),
                    None => seen.push((v, vec![i])),
                }
            }
            match seen.as_slice() {
                [] => Outcome::Value {
                    value: None,
                    shown: "no value".into(),
                },
                [(v, at)] => {
                    let i = at[0];
                    Outcome::Row {
                        tied: Vec::new(),
                        row: table.rows[i] + 1,
                        label: Some((c.name.clone(), v.clone())),
                        value: c.values.number(i),
                        shown: v.clone(),
                        cells: row_cells(table, i),
                    }
                }
                // Rows that differ: every value, with how many rows hold it.
                _ => Outcome::Groups {
                    rows: seen
                        .iter()
                        .map(|(v, at)| GroupRow {
                            label: v.clone(),
                            value: Some(at.len() as f64),
                            shown: format!(
                                "{} row{}",
                                at.len(),
                                if at.len() == 1 { "" } else { "s" }
                            ),
                            share: None,
                        })
                        .collect(),
                },
            }
        }
        Plan::Change {
            func,
            column,
            date,
            period,
            ..
        } => {
            let (c, d) = (col(column)?, col(date)?);
            used.push(c);
            used.push(d);
            let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for &i in &rows {
                if let Some(dt) = d.values.date_time(i) {
                    by.entry(period_key(dt.date(), *period))
                        .or_default()
                        .push(i);
                }
            }
            let mut out: Vec<PeriodRow> = Vec::new();
            let mut prev: Option<f64> = None;
            for (label, idx) in by {
                let v = aggregate(*func, Some(c), &idx);
                let change = v.zip(prev).map(|(a, b)| a - b);
                let change_percent = v
                    .zip(prev)
                    .filter(|(_, b)| *b != 0.0)
                    .map(|(a, b)| (a - b) / b.abs() * 100.0);
                out.push(PeriodRow {
                    period: label,
                    shown: v.map_or("no value".into(), |v| show_in(Some(c), *func, v)),
                    value: v,
                    change,
                    change_percent,
                });
                prev = v;
            }
            Outcome::Series { rows: out }
        }
        Plan::Correlation { x, y, .. } => {
            let (cx, cy) = (col(x)?, col(y)?);
            used.push(cx);
            used.push(cy);
            let pairs: Vec<(f64, f64)> = rows
                .iter()
                .filter_map(|&i| Some((cx.values.number(i)?, cy.values.number(i)?)))
                .collect();
            Outcome::Correlation {
                r: pearson(&pairs),
                pairs: pairs.len(),
            }
        }
        Plan::PercentChange {
            func,
            column,
            from,
            to,
            ..
        } => {
            let c = col(column)?;
            used.push(c);
            let (a, b) = if from.is_empty() && to.is_empty() {
                let ends = first_and_last(table, c, &rows);
                (
                    ends.and_then(|(i, _)| c.values.number(i)),
                    ends.and_then(|(_, j)| c.values.number(j)),
                )
            } else {
                let side = |fs: &[Filter]| -> Vec<usize> {
                    rows.iter()
                        .copied()
                        .filter(|&i| fs.iter().all(|f| keeps(table, f, i)))
                        .collect()
                };
                for f in from.iter().chain(to) {
                    used.push(col(&f.column)?);
                }
                (
                    aggregate(*func, Some(c), &side(from)),
                    aggregate(*func, Some(c), &side(to)),
                )
            };
            let v = a
                .zip(b)
                .filter(|(a, _)| *a != 0.0)
                .map(|(a, b)| (b - a) / a.abs() * 100.0);
            Outcome::Value {
                value: v,
                shown: match (a, b, v) {
                    (Some(a), Some(b), Some(v)) => format!(
                        "{}{}% (from {} to {})",
                        if v >= 0.0 { "+" } else { "" },
                        show_number(v),
                        show_in(Some(c), *func, a),
                        show_in(Some(c), *func, b)
                    ),
                    _ => "no value (a side has no figure)".into(),
                },
            }
        }
        Plan::Missing { column, also, .. } => {
            let named: Vec<&String> = column.iter().chain(also).collect();
            let cols: Vec<&Column> = if named.is_empty() {
                table.columns.iter().collect()
            } else {
                named.iter().map(|c| col(c)).collect::<Result<_, _>>()?
            };
            used.extend(cols.iter().copied());
            Outcome::Missing {
                columns: cols
                    .iter()
                    .map(|c| {
                        // Cells of another type are not missing; their rows
                        // are not kept, so unfiltered counts subtract them.
                        let missing = if filters.is_empty() {
                            c.values.len() - c.values.count() - c.mixed.len()
                        } else {
                            rows.iter().filter(|&&i| !c.values.is_some(i)).count()
                        };
                        (c.name.clone(), missing, rows.len())
                    })
                    .collect(),
            }
        }
    };
    let mut seen = HashSet::new();
    used.retain(|c| seen.insert(c.col));
    let cells: Vec<String> = used.iter().map(|c| table.column_range(c)).collect();
    let mut notes = Vec::new();
    if let Some((g, n)) = &blank_groups {
        notes.push(format!(
            "{n} row(s) with a blank {g} belong to no group and were left out"
        ));
    }
    if let Some(n) = tied {
        notes.push(format!(
            "{n} groups tie at the cut, so all of them are shown"
        ));
    }
    if let Some(t) = &table.totals {
        notes.push(format!(
            "row {} ('{}') is a totals row and was left out",
            t.row + 1,
            t.label
        ));
    }
    for c in &used {
        if !c.mixed.is_empty() {
            notes.push(format!(
                "{} cell(s) of {} that are not {} were skipped ({})",
                c.mixed.len(),
                c.name,
                super::profile::kind_words(c.kind),
                c.mixed
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if c.formula_cells > 0 {
            notes.push(format!(
                "{} cell(s) of {} are formulas: their cached values were used",
                c.formula_cells, c.name
            ));
        }
    }
    let working = plan.words();
    let sentence = sentence(&working, &outcome, rows.len());
    Ok(Answer {
        plan: plan.clone(),
        working,
        outcome,
        cells,
        rows_used: rows.len(),
        notes,
        sentence,
    })
}

/// The data rows (indexes into `table.rows`) that pass every filter.
pub(super) fn kept_rows(table: &Table, filters: &[Filter]) -> Vec<usize> {
    (0..table.rows.len())
        .filter(|&i| filters.iter().all(|f| keeps(table, f, i)))
        .collect()
}

/// The first and last of `rows` with a number in `c`, in date order when
/// the table has dates, else in sheet order: the two ends of a percent
/// change "from the first to the last".
pub(super) fn first_and_last(table: &Table, c: &Column, rows: &[usize]) -> Option<(usize, usize)> {
    let mut with: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| c.values.number(i).is_some())
        .collect();
    if let Some(d) = table.columns.iter().find(|c| c.kind.is_temporal()) {
        with.sort_by_key(|&i| d.values.date_time(i));
    }
    Some((*with.first()?, *with.last()?))
}

/// Largest first, no value last.
fn cmp_opt_desc(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        _ => cmp_opt(a, b),
    }
}

/// Smallest first, no value last.
fn cmp_opt(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn aggregate(func: Func, col: Option<&Column>, rows: &[usize]) -> Option<f64> {
    let Some(col) = col else {
        return match func {
            Func::Count => Some(rows.len() as f64),
            _ => None,
        };
    };
    match func {
        Func::Count => Some(rows.iter().filter(|&&i| col.values.is_some(i)).count() as f64),
        Func::CountDistinct => {
            let set: HashSet<_> = rows.iter().filter_map(|&i| col.values.key(i)).collect();
            Some(set.len() as f64)
        }
        _ => {
            let mut nums: Vec<f64> = rows.iter().filter_map(|&i| col.values.number(i)).collect();
            if nums.is_empty() {
                return None;
            }
            nums.sort_by(f64::total_cmp);
            Some(match func {
                Func::Sum => nums.iter().sum(),
                Func::Mean => nums.iter().sum::<f64>() / nums.len() as f64,
                Func::Median => median(&nums)?,
                Func::Min => nums[0],
                Func::Max => nums[nums.len() - 1],
                Func::Count | Func::CountDistinct => unreachable!("handled above"),
            })
        }
    }
}

fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

pub fn period_key(d: NaiveDate, period: Period) -> String {
    match period {
        Period::Year => d.year().to_string(),
        Period::Quarter => format!("{} Q{}", d.year(), (d.month() - 1) / 3 + 1),
        Period::Month => format!("{}-{:02}", d.year(), d.month()),
    }
}

/// The column that names a row found by its largest or smallest value:
/// the first identifier, then text, then category column that an
/// equality filter does not already fix (every row would say the same),
/// else the first date column.
fn default_label<'t>(table: &'t Table, target: &Column, filters: &[Filter]) -> Option<&'t Column> {
    let open = |c: &&Column| {
        c.name != target.name && !filters.iter().any(|f| f.op == Op::Eq && f.column == c.name)
    };
    [Kind::Identifier, Kind::Text, Kind::Category]
        .iter()
        .find_map(|k| table.columns.iter().filter(open).find(|c| c.kind == *k))
        .or_else(|| {
            table
                .columns
                .iter()
                .filter(open)
                .find(|c| c.kind.is_temporal())
        })
        // Rows filtered to a period are still told apart by their dates.
        .or_else(|| table.columns.iter().find(|c| c.kind.is_temporal()))
}

/// Whether data row `i` passes `f`.
pub(super) fn keeps(table: &Table, f: &Filter, i: usize) -> bool {
    if !f.any_of.is_empty() {
        let own = Filter {
            any_of: Vec::new(),
            ..f.clone()
        };
        return keeps(table, &own, i) || f.any_of.iter().any(|g| keeps(table, g, i));
    }
    let Some(col) = table.column(&f.column) else {
        return false;
    };
    if f.op == Op::In {
        return f.value.split('\n').any(|one| {
            keeps(
                table,
                &Filter::new(f.column.clone(), Op::Eq, one.to_owned()),
                i,
            )
        });
    }
    let Some(v) = col.values.get(i) else {
        // A blank cell: kept by "is blank" (eq with no value) and "is not".
        return f.op == Op::Ne || (f.op == Op::Eq && f.value.trim().is_empty());
    };
    if f.value.trim().is_empty() {
        return f.op == Op::Ne;
    }
    if let (Some(dt), Some(m)) = (v.date_time(), f.value.trim().strip_prefix("*-")) {
        // A month of any year; "between June and August" of any year.
        let m: u32 = m.parse().unwrap_or(0);
        return match f.op {
            Op::Ne => dt.month() != m,
            Op::Ge => dt.month() >= m,
            Op::Gt => dt.month() > m,
            Op::Le => dt.month() <= m,
            Op::Lt => dt.month() < m,
            _ => dt.month() == m,
        };
    }
    if let Some(dt) = v.date_time() {
        let d = dt.date();
        if let Some((start, end)) = date_span(&f.value) {
            return match f.op {
                Op::Eq | Op::Contains => d >= start && d <= end,
                Op::Ne => d < start || d > end,
                Op::Gt => d > end,
                Op::Ge => d >= start,
                Op::Lt => d < start,
                Op::Le => d <= end,
                Op::In => false,
            };
        }
    }
    if let (Some(x), Some(want)) = (v.number(), value::parse(&f.value).number()) {
        return match f.op {
            Op::Eq | Op::Contains => (x - want).abs() < 1e-9,
            Op::Ne => (x - want).abs() >= 1e-9,
            Op::Gt => x > want,
            Op::Ge => x >= want,
            Op::Lt => x < want,
            Op::Le => x <= want,
            Op::In => false,
        };
    }
    let have = v.key().to_lowercase();
    let want = f.value.trim().to_lowercase();
    match f.op {
        Op::Eq => have == want,
        Op::Ne => have != want,
        Op::Contains => have.contains(&want),
        Op::Gt => have > want,
        Op::Ge => have >= want,
        Op::Lt => have < want,
        Op::Le => have <= want,
        Op::In => false,
    }
}

/// `2024` -> the year, `2024-03` -> the month, a date -> that day.
pub(super) fn date_span(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let t = text.trim();
    if t.len() == 4 {
        let y: i32 = t.parse().ok()?;
        return Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        ));
    }
    if let Some((y, q)) = t.split_once("-Q").or_else(|| t.split_once(" Q")) {
        let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
        if !(1..=4).contains(&q) {
            return None;
        }
        let start = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1)?;
        let end = if q == 4 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(y, q * 3 + 1, 1)?
        };
        return Some((start, end.pred_opt()?));
    }
    if t.len() == 7 {
        let start = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok()?;
        let next = if start.month() == 12 {
            NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)?
        };
        return Some((start, next.pred_opt()?));
    }
    let d = value::parse(t).date_time()?.date();
    Some((d, d))
}

/// Every cell of data row `i`, by its column's name, as the answer shows it.
fn row_cells(table: &Table, i: usize) -> Vec<(String, String)> {
    table
        .columns
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.values
                    .get(i)
                    .as_ref()
                    .map(value::Value::key)
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn sentence(working: &str, outcome: &Outcome, rows: usize) -> String {
    let of_rows = format!("({rows} row{})", if rows == 1 { "" } else { "s" });
    match outcome {
        Outcome::Value { shown, .. } => format!("{working}: {shown} {of_rows}."),
        Outcome::Groups { rows: groups } => {
            let parts: Vec<String> = groups
                .iter()
                .map(|g| match g.share {
                    Some(s) => format!("{} {} ({}%)", g.label, g.shown, show_number(s)),
                    None => format!("{} {}", g.label, g.shown),
                })
                .collect();
            format!("{working}: {} {of_rows}.", parts.join("; "))
        }
        Outcome::Row {
            row,
            label,
            shown,
            cells,
            tied,
            ..
        } => {
            let cells: Vec<String> = cells
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let named = label
                .as_ref()
                .map(|(_, v)| format!("{v}, "))
                .unwrap_or_default();
            let ties = if tied.is_empty() {
                String::new()
            } else {
                format!(" Tied with {} at {shown}.", tied.join(", "))
            };
            // A cell looked up is its own label: said once.
            let with = match label {
                Some((_, v)) if v == shown => String::new(),
                _ => format!(", with {shown}"),
            };
            format!(
                "{working}: {named}row {row}{with} ({}).{ties}",
                cells.join(", ")
            )
        }
        Outcome::Series { rows: periods } => {
            let parts: Vec<String> = periods
                .iter()
                .map(|p| match (p.change, p.change_percent) {
                    (Some(c), Some(pc)) => format!(
                        "{} {} ({}{}, {}{}%)",
                        p.period,
                        p.shown,
                        if c >= 0.0 { "+" } else { "" },
                        show_number(c),
                        if pc >= 0.0 { "+" } else { "" },
                        show_number(pc)
                    ),
                    _ => format!("{} {}", p.period, p.shown),
                })
                .collect();
            format!("{working}: {} {of_rows}.", parts.join("; "))
        }
        Outcome::Correlation { r, pairs } => match r {
            Some(r) => format!(
                "{working}: r = {:.2} over {pairs} pairs of values ({}).",
                r,
                strength(*r)
            ),
            None => format!("{working}: too few pairs of numbers ({pairs}) to say."),
        },
        Outcome::Missing { columns } => {
            let parts: Vec<String> = columns
                .iter()
                .map(|(c, m, n)| format!("{c} {m} of {n}"))
                .collect();
            format!("{working}: {}.", parts.join("; "))
        }
    }
}

fn strength(r: f64) -> &'static str {
    let a = r.abs();
    match (a, r >= 0.0) {
        (a, _) if a < 0.1 => "no linear relation",
        (a, true) if a < 0.4 => "weak, positive",
        (a, false) if a < 0.4 => "weak, negative",
        (a, true) if a < 0.7 => "moderate, positive",
        (a, false) if a < 0.7 => "moderate, negative",
        (_, true) => "strong, positive",
        (_, false) => "strong, negative",
    }
}
