//! The deterministic reading of a question: common phrasings ("total
//! revenue by region", "average units in March 2024", "which product has
//! the highest revenue", "top 3 regions by units", "revenue per month",
//! "correlation between units and revenue", "missing values") become plans
//! without the model. Used when the model cannot produce a valid plan,
//! and to check what was understood.

use super::plan::{Filter, Func, Op, Order, Period, Plan};
use super::table::{Column, Kind, Table};

/// What the parser recognised, for "here is what I understood" when it
/// cannot build a plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understood {
    pub columns: Vec<String>,
    pub filters: Vec<Filter>,
    pub func: Option<Func>,
}

impl Understood {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.func {
            parts.push(format!("you want the {}", f.words()));
        }
        if !self.columns.is_empty() {
            parts.push(format!("of column(s) {}", self.columns.join(", ")));
        }
        for f in &self.filters {
            parts.push(format!("where {} {} {}", f.column, f.op.words(), f.value));
        }
        if parts.is_empty() {
            "no column of the table and nothing to compute".into()
        } else {
            parts.join(", ")
        }
    }
}

fn has(q: &str, words: &[&str]) -> bool {
    words.iter().any(|w| contains_word(q, w))
}

/// `needle` in `hay` with no letter or digit right before or after it.
fn contains_word(hay: &str, needle: &str) -> bool {
    find_word(hay, needle).is_some()
}

fn find_word(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        // CJK text has no spaces: any match counts.
        let cjk = needle.chars().any(crate::lang::is_cjk);
        if cjk || (boundary(before) && boundary(after)) {
            return Some(start);
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The ways people say a column's name: as written, and without the unit
/// in brackets or the `Group / Sub` joint of a two-level header
/// ("Net generation (GWh)" is "net generation", "Bill / Length (mm)" is
/// "bill length"), each also as a plural or singular.
pub fn spoken_forms(name: &str) -> Vec<String> {
    let full = name.to_lowercase();
    let mut bases = vec![full.clone()];
    let mut plain = String::new();
    let mut depth = 0usize;
    for ch in full.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => plain.push(' '),
            _ if depth == 0 => plain.push(ch),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if !plain.is_empty() && plain != full {
        bases.push(plain);
    }
    let mut forms = Vec::new();
    for base in bases {
        forms.push(base.clone());
        if let Some(s) = base.strip_suffix('s') {
            forms.push(s.to_owned());
        } else {
            forms.push(format!("{base}s"));
        }
        if let Some(stem) = base.strip_suffix('y') {
            forms.push(format!("{stem}ies"));
        }
    }
    forms
}

/// Columns named in the question, with where; longer names first so that
/// "unit price" is not also read as "units".
fn mentioned(q: &str, table: &Table) -> Vec<(usize, String)> {
    let mut cols: Vec<&Column> = table.columns.iter().collect();
    cols.sort_by_key(|c| std::cmp::Reverse(c.name.len()));
    let mut masked = q.to_owned();
    let mut out = Vec::new();
    for c in cols {
        for form in spoken_forms(&c.name) {
            if let Some(at) = find_word(&masked, &form) {
                out.push((at, c.name.clone()));
                let blank: String = " ".repeat(form.len());
                masked.replace_range(at..at + form.len(), &blank);
                break;
            }
        }
    }
    out.sort();
    out
}

/// Category values named in the question become filters; a year becomes
/// a filter on the (first) date column.
fn value_filters(q: &str, table: &Table, skip_years: bool) -> Vec<Filter> {
    let mut out = Vec::new();
    for c in &table.columns {
        if !matches!(c.kind, Kind::Category | Kind::Text | Kind::Identifier) {
            continue;
        }
        let mut seen = std::collections::HashSet::new();
        for v in c.values.iter().flatten() {
            let text = super::profile::key(v);
            let lower = text.to_lowercase();
            if lower.len() >= 2 && seen.insert(lower.clone()) && contains_word(q, &lower) {
                out.push(Filter {
                    column: c.name.clone(),
                    op: Op::Eq,
                    value: text,
                });
            }
        }
    }
    if !skip_years {
        if let Some(date) = table.columns.iter().find(|c| c.kind.is_temporal()) {
            const MONTHS: [&str; 12] = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            let words: Vec<&str> = q
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            for (i, w) in words.iter().enumerate() {
                if w.len() == 4
                    && (w.starts_with("19") || w.starts_with("20"))
                    && w.parse::<u32>().is_ok()
                {
                    // "March 2024" narrows the year to the month.
                    let month = i.checked_sub(1).and_then(|p| {
                        let m = words[p];
                        MONTHS.iter().position(|x| {
                            m.len() >= 3 && x.starts_with(&m[..3]) && m.starts_with(x)
                        })
                    });
                    out.push(Filter {
                        column: date.name.clone(),
                        op: Op::Eq,
                        value: match month {
                            Some(m) => format!("{w}-{:02}", m + 1),
                            None => (*w).to_owned(),
                        },
                    });
                }
            }
        }
    }
    out
}

/// The first number written in digits or as a small word ("top three").
fn small_number(q: &str) -> Option<usize> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    for w in q.split(|c: char| !c.is_alphanumeric()) {
        if let Ok(n) = w.parse::<usize>() {
            if (1..=100).contains(&n) {
                return Some(n);
            }
        }
        if let Some(i) = WORDS.iter().position(|x| *x == w) {
            return Some(i + 1);
        }
    }
    None
}

/// Words asking for the largest values, and for the smallest.
const LARGEST: &[&str] = &[
    "highest", "largest", "maximum", "max", "most", "biggest", "top", "best", "greatest",
    "heaviest", "longest", "tallest", "hottest", "warmest", "wettest", "windiest",
];
const SMALLEST: &[&str] = &[
    "lowest", "smallest", "minimum", "min", "least", "fewest", "bottom", "worst", "lightest",
    "shortest", "cheapest", "coldest", "coolest", "driest",
];

/// Reads a question into a plan, or says what it understood.
pub fn parse(question: &str, table: &Table) -> Result<Plan, Understood> {
    let q = question.to_lowercase();
    let cols = mentioned(&q, table);
    let col = |name: &str| table.column(name);
    let numeric: Vec<String> = cols
        .iter()
        .filter(|(_, n)| col(n).is_some_and(|c| c.kind.is_numeric()))
        .map(|(_, n)| n.clone())
        .collect();
    let by_period = if has(
        &q,
        &[
            "per month",
            "by month",
            "each month",
            "monthly",
            "month on month",
            "month over month",
            "mom",
        ],
    ) {
        Some(Period::Month)
    } else if has(
        &q,
        &["per quarter", "by quarter", "each quarter", "quarterly"],
    ) {
        Some(Period::Quarter)
    } else if has(
        &q,
        &[
            "per year",
            "by year",
            "each year",
            "yearly",
            "annual",
            "year on year",
            "year over year",
            "yoy",
        ],
    ) {
        Some(Period::Year)
    } else {
        None
    };
    let filters = value_filters(&q, table, by_period.is_some());
    let filter_cols: Vec<&str> = filters.iter().map(|f| f.column.as_str()).collect();

    let sorting = has(
        &q,
        &["sorted", "sort", "ranked", "rank", "ordered", "order"],
    );
    // The grouping column: named right after "by", "per", "each", "which";
    // `asked` when "which"/"top" asked for the best groups rather than a
    // figure per group.
    let group = cols.iter().find_map(|(at, name)| {
        let before = q[..*at].trim_end();
        let after = q[*at..].split_once(' ').map_or("", |(_, rest)| rest);
        // "by region", "which region", "top 3 regions", "regions by units".
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let asked = ["which", "what", "top", "bottom"]
            .iter()
            .any(|w| before.ends_with(w))
            || (small_number(last_word).is_some() && !last_word.is_empty());
        let grouping = asked
            || ["by", "per", "each", "every", "across"]
                .iter()
                .any(|w| before.ends_with(w))
            || ["by ", "sorted by ", "ranked by ", "ordered by "]
                .iter()
                .any(|w| after.starts_with(w));
        let c = col(name)?;
        (grouping && !c.kind.is_numeric() && !filter_cols.contains(&name.as_str()))
            .then(|| (name.clone(), asked || sorting))
    });
    let largest = has(&q, LARGEST);
    let smallest = has(&q, SMALLEST);
    // "Highest price by region": the superlative is said of the column
    // itself, so it is the aggregate (max per region), not a ranking.
    let superlative_of = |name: &str| {
        cols.iter().any(|(at, n)| {
            n == name && {
                let word = q[..*at].split_whitespace().next_back().unwrap_or("");
                LARGEST.contains(&word) || SMALLEST.contains(&word)
            }
        })
    };
    let func = if has(&q, &["average", "mean", "avg"]) {
        Some(Func::Mean)
    } else if has(&q, &["median"]) {
        Some(Func::Median)
    } else if has(&q, &["distinct", "different", "unique"]) {
        Some(Func::CountDistinct)
    } else if has(&q, &["how many", "number of", "count"]) && numeric.is_empty() {
        Some(Func::Count)
    } else if has(&q, &["total", "sum"])
        || (has(&q, &["altogether", "overall"]) && !largest && !smallest)
    {
        Some(Func::Sum)
    } else {
        None
    };
    let understood = Understood {
        columns: cols.iter().map(|(_, n)| n.clone()).collect(),
        filters: filters.clone(),
        func,
    };

    if has(&q, &["missing", "blank", "empty"]) {
        return Ok(Plan::Missing {
            column: cols.first().map(|(_, n)| n.clone()),
        });
    }
    if has(
        &q,
        &[
            "correlation",
            "correlate",
            "correlated",
            "relationship",
            "related",
        ],
    ) {
        return match numeric.as_slice() {
            [x, y, ..] => Ok(Plan::Correlation {
                x: x.clone(),
                y: y.clone(),
                filters,
            }),
            _ => Err(understood),
        };
    }
    if let Some(period) = by_period {
        let date = table.columns.iter().find(|c| c.kind.is_temporal());
        return match (date, numeric.first()) {
            (Some(d), Some(c)) => Ok(Plan::Change {
                func: func.unwrap_or(Func::Sum),
                column: c.clone(),
                date: d.name.clone(),
                period,
                filters,
            }),
            (Some(d), None) if func == Some(Func::Count) || has(&q, &["how many"]) => {
                Ok(Plan::Change {
                    func: Func::Count,
                    column: d.name.clone(),
                    date: d.name.clone(),
                    period,
                    filters,
                })
            }
            _ => Err(understood),
        };
    }
    let target = numeric.first().cloned();
    let share = has(&q, &["share", "percent", "percentage", "proportion", "%"]);
    if let Some((g, asked)) = group {
        if !asked && func.is_none() && (largest || smallest) {
            if let Some(t) = target.as_deref().filter(|t| superlative_of(t)) {
                return Ok(Plan::Aggregate {
                    func: if largest { Func::Max } else { Func::Min },
                    column: Some(t.to_owned()),
                    filters,
                    group_by: Some(g),
                    sort: None,
                    limit: None,
                    share,
                });
            }
        }
        let func = func.unwrap_or(if target.is_some() {
            Func::Sum
        } else {
            Func::Count
        });
        if func.numeric() && target.is_none() {
            return Err(understood);
        }
        let limit = match small_number(&q) {
            Some(n) if largest || smallest => Some(n),
            _ if sorting => None,
            _ if largest || smallest => Some(if has(&q, &["which", "what"]) { 1 } else { 5 }),
            _ => None,
        };
        let sort = if largest {
            Some(Order::Desc)
        } else if smallest {
            Some(Order::Asc)
        } else {
            None
        };
        return Ok(Plan::Aggregate {
            func,
            column: if func == Func::Count { None } else { target },
            filters,
            group_by: Some(g),
            sort,
            limit,
            share,
        });
    }
    if (largest || smallest) && func.is_none() {
        // "Which order has the highest revenue": the row itself.
        if let Some(c) = target.or_else(|| {
            cols.iter()
                .find(|(_, n)| col(n).is_some_and(|c| c.kind.is_temporal()))
                .map(|(_, n)| n.clone())
        }) {
            // "When ...": the row is named by its date.
            let when = has(
                &q,
                &["when", "what day", "which day", "what date", "which date"],
            );
            if when || has(&q, &["which", "who", "row"]) {
                let label = when
                    .then(|| table.columns.iter().find(|c| c.kind.is_temporal()))
                    .flatten()
                    .map(|c| c.name.clone());
                return Ok(Plan::Extreme {
                    column: c,
                    largest,
                    filters,
                    label,
                });
            }
            return Ok(Plan::single(
                if largest { Func::Max } else { Func::Min },
                Some(c),
                filters,
            ));
        }
        return Err(understood);
    }
    // "What was the revenue in March?": a figure over some rows is their
    // total.
    let func = func.or_else(|| {
        (target.is_some() && (!filters.is_empty() || has(&q, &["how much"]))).then_some(Func::Sum)
    });
    match (func, target) {
        (Some(Func::Count), _) => Ok(Plan::single(Func::Count, None, filters)),
        (Some(Func::CountDistinct), _) => {
            let c = cols
                .iter()
                .map(|(_, n)| n.clone())
                .find(|n| !filter_cols.contains(&n.as_str()))
                .ok_or(understood)?;
            Ok(Plan::single(Func::CountDistinct, Some(c), filters))
        }
        (Some(f), Some(c)) => Ok(Plan::single(f, Some(c), filters)),
        _ => Err(understood),
    }
}
