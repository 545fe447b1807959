//! The small typed algebra a question becomes: filters, an aggregate over
//! a column (optionally per group, sorted, top-k, as shares), the row with
//! the largest or smallest value, change between periods, correlation, and
//! missing counts. A plan names only the table's real columns; `check`
//! refuses anything else before it runs.

use serde::{Deserialize, Serialize};

use super::table::{Kind, Table};

/// Aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    Sum,
    Mean,
    Median,
    Min,
    Max,
    Count,
    CountDistinct,
}

impl Func {
    pub fn words(self) -> &'static str {
        match self {
            Func::Sum => "total",
            Func::Mean => "average",
            Func::Median => "median",
            Func::Min => "smallest",
            Func::Max => "largest",
            Func::Count => "number of rows",
            Func::CountDistinct => "number of distinct values",
        }
    }

    /// Whether it needs a numeric column.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Func::Sum | Func::Mean | Func::Median | Func::Min | Func::Max
        )
    }
}

/// Comparison in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Contains,
    /// One of several values, written one per line in `value`.
    In,
}

impl Op {
    pub fn words(self) -> &'static str {
        match self {
            Op::Eq => "is",
            Op::Ne => "is not",
            Op::Gt => "is over",
            Op::Ge => "is at least",
            Op::Lt => "is under",
            Op::Le => "is at most",
            Op::Contains => "contains",
            Op::In => "is one of",
        }
    }
}

/// Keep the rows where `column op value`. Dates compare as `YYYY-MM-DD`
/// text, a month (`2024-03`), a quarter (`2024-Q1`), a year (`2024`) or a
/// month of any year (`*-07`); numbers as numbers, text
/// case-insensitively; an empty value with `eq` keeps the blank cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub column: String,
    pub op: Op,
    pub value: String,
    /// Conditions on other columns joined to this one by "or" ("wind
    /// above 15 or temperature below 60"): a row is kept when it meets
    /// this filter or any of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Filter>,
}

impl Filter {
    /// `column op value`, with no alternatives.
    pub fn new(column: impl Into<String>, op: Op, value: impl Into<String>) -> Filter {
        Filter {
            column: column.into(),
            op,
            value: value.into(),
            any_of: Vec::new(),
        }
    }

    /// The filter in words: "Wind is over 15 or Temperature is under 60".
    pub fn words(&self) -> String {
        let v = self.value.replace('\n', " or ");
        let own = if v.is_empty() {
            format!("{} is blank", self.column)
        } else {
            format!("{} {} {v}", self.column, self.op.words())
        };
        std::iter::once(own)
            .chain(self.any_of.iter().map(Filter::words))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// This filter and its alternatives, each alone.
    pub fn each(&self) -> impl Iterator<Item = &Filter> {
        std::iter::once(self).chain(self.any_of.iter())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Year,
    Quarter,
    Month,
}

impl Period {
    pub fn words(self) -> &'static str {
        match self {
            Period::Year => "year",
            Period::Quarter => "quarter",
            Period::Month => "month",
        }
    }
}

/// What a question asks, in terms code can run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Plan {
    /// `func(column)` over the filtered rows, or per value of `group_by`;
    /// groups sorted and cut to `limit`; `share` gives each group's percent
    /// of the whole.
    Aggregate {
        func: Func,
        #[serde(default)]
        column: Option<String>,
        #[serde(default)]
        filters: Vec<Filter>,
        #[serde(default)]
        group_by: Option<String>,
        #[serde(default)]
        sort: Option<Order>,
        #[serde(default)]
        limit: Option<usize>,
        #[serde(default)]
        share: bool,
        /// Group a date column by this period (month, quarter, year).
        #[serde(default)]
        period: Option<Period>,
        /// Answer the top group with its figure ("which month, and how
        /// much").
        #[serde(default)]
        with_value: bool,
    },
    /// The row with the largest (or smallest) value of `column`, named by
    /// its `label` column (by default the first name-like column the
    /// filters leave open, else the first date column).
    Extreme {
        column: String,
        largest: bool,
        #[serde(default)]
        filters: Vec<Filter>,
        #[serde(default)]
        label: Option<String>,
        /// Answer with the label and the value ("which, and what is it").
        #[serde(default)]
        with_value: bool,
        /// Another column, whose cell on that row is the answer ("the
        /// horsepower of the most expensive car").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<String>,
    },
    /// The percent change of `func(column)` from the rows matching `from`
    /// to those matching `to`; with both empty, from the first row (in
    /// date order) with a value to the last.
    PercentChange {
        func: Func,
        column: String,
        #[serde(default)]
        filters: Vec<Filter>,
        #[serde(default)]
        from: Vec<Filter>,
        #[serde(default)]
        to: Vec<Filter>,
    },
    /// `func(column)` per period of the date column, with the change from
    /// each period to the next (year on year, month on month).
    Change {
        func: Func,
        column: String,
        date: String,
        period: Period,
        #[serde(default)]
        filters: Vec<Filter>,
    },
    /// Pearson correlation of two numeric columns.
    Correlation {
        x: String,
        y: String,
        #[serde(default)]
        filters: Vec<Filter>,
    },
    /// The cell of `column` in the rows the filters keep, which name one
    /// thing ("When did Reagan take office?"): each different value once.
    Lookup {
        column: String,
        #[serde(default)]
        filters: Vec<Filter>,
    },
    /// Missing cells per column (or in the named ones; `total` adds
    /// them up).
    Missing {
        #[serde(default)]
        column: Option<String>,
        #[serde(default)]
        also: Vec<String>,
        #[serde(default)]
        filters: Vec<Filter>,
        #[serde(default)]
        total: bool,
    },
}

/// Why a plan cannot run on a table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("there is no column '{0}'")]
    NoColumn(String),
    #[error("column '{column}' holds {kind}, not numbers")]
    NotNumeric { column: String, kind: &'static str },
    #[error("column '{0}' holds no dates")]
    NotDates(String),
    #[error("'{func}' needs a column")]
    NeedsColumn { func: &'static str },
}

impl Plan {
    /// One aggregate over the filtered rows: no groups, no sorting.
    pub fn single(func: Func, column: Option<String>, filters: Vec<Filter>) -> Plan {
        Plan::Aggregate {
            func,
            column,
            filters,
            group_by: None,
            sort: None,
            limit: None,
            share: false,
            period: None,
            with_value: false,
        }
    }

    /// The filters that choose the rows it runs over.
    pub fn filters(&self) -> &[Filter] {
        match self {
            Plan::Aggregate { filters, .. }
            | Plan::Extreme { filters, .. }
            | Plan::Change { filters, .. }
            | Plan::Correlation { filters, .. }
            | Plan::Lookup { filters, .. }
            | Plan::PercentChange { filters, .. }
            | Plan::Missing { filters, .. } => filters,
        }
    }

    /// Its filters, and the other columns it uses (target, groups, label,
    /// dates, the missing counts' columns).
    pub fn parts(&self) -> (Vec<&Filter>, Vec<&str>) {
        let mut used: Vec<&str> = Vec::new();
        let filters: Vec<&Filter> = match self {
            Plan::Aggregate {
                column,
                filters,
                group_by,
                ..
            } => {
                used.extend(column.as_deref());
                used.extend(group_by.as_deref());
                filters.iter().collect()
            }
            Plan::Extreme {
                column,
                filters,
                label,
                report,
                ..
            } => {
                used.push(column);
                used.extend(label.as_deref());
                used.extend(report.as_deref());
                filters.iter().collect()
            }
            Plan::PercentChange {
                column,
                filters,
                from,
                to,
                ..
            } => {
                used.push(column);
                filters.iter().chain(from).chain(to).collect()
            }
            Plan::Change {
                column,
                date,
                filters,
                ..
            } => {
                used.push(column);
                used.push(date);
                filters.iter().collect()
            }
            Plan::Correlation { x, y, filters } => {
                used.push(x);
                used.push(y);
                filters.iter().collect()
            }
            Plan::Lookup { column, filters } => {
                used.push(column);
                filters.iter().collect()
            }
            Plan::Missing {
                column,
                also,
                filters,
                ..
            } => {
                used.extend(column.as_deref());
                used.extend(also.iter().map(String::as_str));
                filters.iter().collect()
            }
        };
        // Each alternative of an "or" is a filter of its own here.
        let filters = filters.into_iter().flat_map(Filter::each).collect();
        (filters, used)
    }

    /// Whether the plan uses `n` other than in a filter (top `n`).
    pub fn uses_number(&self, n: f64) -> bool {
        matches!(self, Plan::Aggregate { limit: Some(k), .. } if *k as f64 == n)
    }

    /// Checks every column the plan names against the table.
    pub fn check(&self, table: &Table) -> Result<(), PlanError> {
        let col = |name: &str| {
            table
                .column(name)
                .ok_or_else(|| PlanError::NoColumn(name.to_owned()))
        };
        let numeric = |name: &str| {
            let c = col(name)?;
            if c.kind.is_numeric() {
                Ok(())
            } else {
                Err(PlanError::NotNumeric {
                    column: c.name.clone(),
                    kind: super::profile::kind_words(c.kind),
                })
            }
        };
        let filters = |fs: &[Filter]| {
            fs.iter()
                .flat_map(Filter::each)
                .try_for_each(|f| col(&f.column).map(|_| ()))
        };
        match self {
            Plan::Aggregate {
                func,
                column,
                filters: fs,
                group_by,
                ..
            } => {
                filters(fs)?;
                if let Some(g) = group_by {
                    col(g)?;
                }
                match column {
                    Some(c) if func.numeric() => numeric(c),
                    Some(c) => col(c).map(|_| ()),
                    None if func.numeric() || *func == Func::CountDistinct => {
                        Err(PlanError::NeedsColumn { func: func.words() })
                    }
                    None => Ok(()),
                }
            }
            Plan::Extreme {
                column,
                filters: fs,
                label,
                report,
                ..
            } => {
                filters(fs)?;
                if let Some(l) = label {
                    col(l)?;
                }
                if let Some(r) = report {
                    col(r)?;
                }
                let c = col(column)?;
                if c.kind.is_numeric() || c.kind.is_temporal() {
                    Ok(())
                } else {
                    numeric(column)
                }
            }
            Plan::Change {
                func,
                column,
                date,
                filters: fs,
                ..
            } => {
                filters(fs)?;
                if func.numeric() {
                    numeric(column)?;
                } else {
                    col(column)?;
                }
                if col(date)?.kind.is_temporal() {
                    Ok(())
                } else {
                    Err(PlanError::NotDates(date.clone()))
                }
            }
            Plan::Correlation { x, y, filters: fs } => {
                filters(fs)?;
                numeric(x)?;
                numeric(y)
            }
            Plan::Lookup {
                column,
                filters: fs,
            } => {
                filters(fs)?;
                col(column).map(|_| ())
            }
            Plan::PercentChange {
                func,
                column,
                filters: fs,
                from,
                to,
            } => {
                filters(fs)?;
                filters(from)?;
                filters(to)?;
                if func.numeric() {
                    numeric(column)
                } else {
                    col(column).map(|_| ())
                }
            }
            Plan::Missing {
                column,
                also,
                filters: fs,
                ..
            } => {
                filters(fs)?;
                for c in column.iter().chain(also) {
                    col(c)?;
                }
                Ok(())
            }
        }
    }

    /// The plan in words, for the answer to show its working.
    pub fn words(&self) -> String {
        let filters = |fs: &[Filter]| {
            if fs.is_empty() {
                String::new()
            } else {
                // "Type is Van and (Horsepower is over 250 or Price is
                // over 40)": an "or" among "and"s is bracketed.
                let parts: Vec<String> = fs
                    .iter()
                    .map(|f| match f.any_of.is_empty() || fs.len() == 1 {
                        true => f.words(),
                        false => format!("({})", f.words()),
                    })
                    .collect();
                format!(" where {}", parts.join(" and "))
            }
        };
        match self {
            Plan::Aggregate {
                func,
                column,
                filters: fs,
                group_by,
                sort,
                limit,
                share,
                period,
                with_value,
            } => {
                let what = match (func, column) {
                    (Func::Count, _) => "the number of rows".to_owned(),
                    (f, Some(c)) => format!("the {} of {c}", f.words()),
                    (f, None) => format!("the {}", f.words()),
                };
                let mut s = format!("{what}{}", filters(fs));
                if group_by.is_none() && *share {
                    s.push_str(", as a percent of the same over all rows");
                }
                if let Some(g) = group_by {
                    match period {
                        Some(p) => s.push_str(&format!(", for each {} of {g}", p.words())),
                        None => s.push_str(&format!(", for each {g}")),
                    }
                    if *share {
                        s.push_str(", as a share of the whole");
                    }
                    match (sort, limit) {
                        (Some(Order::Desc), Some(n)) => s.push_str(&format!(", the top {n}")),
                        (Some(Order::Asc), Some(n)) => s.push_str(&format!(", the bottom {n}")),
                        (Some(Order::Desc), None) => s.push_str(", largest first"),
                        (Some(Order::Asc), None) => s.push_str(", smallest first"),
                        (None, Some(n)) => s.push_str(&format!(", the first {n}")),
                        (None, None) => {}
                    }
                    if *with_value {
                        s.push_str(", with its figure");
                    }
                }
                capitalise(&s)
            }
            Plan::Extreme {
                column,
                largest,
                filters: fs,
                label,
                with_value,
                report,
            } => capitalise(&format!(
                "{}the row with the {} {column}{}{}{}",
                report
                    .as_ref()
                    .map(|r| format!("{r} on "))
                    .unwrap_or_default(),
                if *largest { "largest" } else { "smallest" },
                filters(fs),
                label
                    .as_ref()
                    .map(|l| format!(", named by its {l}"))
                    .unwrap_or_default(),
                if *with_value { ", with its value" } else { "" }
            )),
            Plan::PercentChange {
                func,
                column,
                filters: fs,
                from,
                to,
            } => {
                let side = |f: &[Filter]| {
                    f.iter()
                        .map(Filter::words)
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                let span = if from.is_empty() && to.is_empty() {
                    "from the first row to the last".to_owned()
                } else {
                    format!("from {} to {}", side(from), side(to))
                };
                capitalise(&format!(
                    "the percent change of the {} of {column}{} {span}",
                    func.words(),
                    filters(fs)
                ))
            }
            Plan::Change {
                func,
                column,
                date,
                period,
                filters: fs,
            } => capitalise(&format!(
                "the {} of {column} per {} of {date}{}, and the change from each {} to the next",
                func.words(),
                period.words(),
                filters(fs),
                period.words()
            )),
            Plan::Correlation { x, y, filters: fs } => capitalise(&format!(
                "the correlation (Pearson) between {x} and {y}{}",
                filters(fs)
            )),
            Plan::Lookup {
                column,
                filters: fs,
            } => capitalise(&format!("the {column}{}", filters(fs))),
            Plan::Missing {
                column,
                also,
                filters: fs,
                total,
            } => {
                let names: Vec<&str> = column.iter().chain(also).map(String::as_str).collect();
                let what = if names.is_empty() {
                    "each column".to_owned()
                } else {
                    names.join(", ")
                };
                format!(
                    "Missing cells in {what}{}{}",
                    filters(fs),
                    if *total { ", added up" } else { "" }
                )
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Kinds a column may be grouped by without making a group per row.
pub fn groupable(kind: Kind) -> bool {
    matches!(kind, Kind::Category | Kind::Text | Kind::Bool | Kind::Date)
}
