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
        }
    }
}

/// Keep the rows where `column op value`. Dates compare as `YYYY-MM-DD`
/// text or a year (`2024`), numbers as numbers, text case-insensitively.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub column: String,
    pub op: Op,
    pub value: String,
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
    /// Missing cells per column (or in one).
    Missing {
        #[serde(default)]
        column: Option<String>,
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
        }
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
        let filters = |fs: &[Filter]| fs.iter().try_for_each(|f| col(&f.column).map(|_| ()));
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
                ..
            } => {
                filters(fs)?;
                if let Some(l) = label {
                    col(l)?;
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
            Plan::Missing { column } => column.as_deref().map_or(Ok(()), |c| col(c).map(|_| ())),
        }
    }

    /// The plan in words, for the answer to show its working.
    pub fn words(&self) -> String {
        let filters = |fs: &[Filter]| {
            if fs.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> = fs
                    .iter()
                    .map(|f| format!("{} {} {}", f.column, f.op.words(), f.value))
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
            } => {
                let what = match (func, column) {
                    (Func::Count, _) => "the number of rows".to_owned(),
                    (f, Some(c)) => format!("the {} of {c}", f.words()),
                    (f, None) => format!("the {}", f.words()),
                };
                let mut s = format!("{what}{}", filters(fs));
                if let Some(g) = group_by {
                    s.push_str(&format!(", for each {g}"));
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
                }
                capitalise(&s)
            }
            Plan::Extreme {
                column,
                largest,
                filters: fs,
                label,
            } => capitalise(&format!(
                "the row with the {} {column}{}{}",
                if *largest { "largest" } else { "smallest" },
                filters(fs),
                label
                    .as_ref()
                    .map(|l| format!(", named by its {l}"))
                    .unwrap_or_default()
            )),
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
            Plan::Missing { column: Some(c) } => format!("Missing cells in {c}"),
            Plan::Missing { column: None } => "Missing cells in each column".to_owned(),
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
