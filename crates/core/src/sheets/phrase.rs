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
    let plain = plain_name(name);
    let mut bases = vec![full.clone()];
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

/// A name lowercased, without bracketed units and `/` joints.
fn plain_name(name: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for ch in name.to_lowercase().chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => plain.push(' '),
            _ if depth == 0 => plain.push(ch),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Columns named in the question, with where; longer names first so that
/// "unit price" is not also read as "units". Then, for columns still not
/// found, the last word of a name when no other column ends with it
/// ("price" for "Closing price"). Also returns the question with every
/// name found blanked out, so that words inside names ("Max temperature",
/// "Total cost") are not read as instructions.
fn mentioned(q: &str, table: &Table) -> (Vec<(usize, String)>, String) {
    let mut cols: Vec<&Column> = table.columns.iter().collect();
    cols.sort_by_key(|c| std::cmp::Reverse(c.name.len()));
    let mut masked = q.to_owned();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mark = |masked: &mut String, out: &mut Vec<(usize, String)>, form: &str, name: &str| {
        match find_word(masked, form) {
            Some(at) => {
                out.push((at, name.to_owned()));
                masked.replace_range(at..at + form.len(), &" ".repeat(form.len()));
                true
            }
            None => false,
        }
    };
    for c in &cols {
        for form in spoken_forms(&c.name) {
            if mark(&mut masked, &mut out, &form, &c.name) {
                break;
            }
        }
    }
    let head = |c: &Column| {
        let plain = plain_name(&c.name);
        let word = plain.rsplit(' ').next()?.to_owned();
        (word.chars().count() >= 4 && plain.contains(' ')).then_some(word)
    };
    // "How many months of prices": counting names things, not a column.
    let counting = has(q, &["how many", "number of", "count"]);
    for c in &cols {
        if counting || out.iter().any(|(_, n)| *n == c.name) {
            continue;
        }
        let Some(word) = head(c) else { continue };
        let unique = cols
            .iter()
            .filter(|o| plain_name(&o.name).ends_with(&word))
            .count()
            == 1;
        if unique {
            for form in [word.clone(), format!("{word}s")] {
                if mark(&mut masked, &mut out, &form, &c.name) {
                    break;
                }
            }
        }
    }
    out.sort();
    (out, masked)
}

/// The ways a category value is written inside a sentence: itself, its
/// plural, and the adjective ("rain" in "rainy days", "male" in "males",
/// "sun" in "sunny").
fn value_forms(lower: &str) -> Vec<String> {
    let mut forms = vec![lower.to_owned()];
    if lower.chars().count() >= 3 && lower.chars().all(char::is_alphabetic) {
        forms.push(format!("{lower}s"));
        forms.push(format!("{lower}es"));
        forms.push(format!("{lower}y"));
        if let Some(last) = lower.chars().last() {
            forms.push(format!("{lower}{last}y"));
        }
    }
    forms
}

/// "over 100 horsepower", "horsepower above 100", "at least 3 units":
/// comparisons of a numeric column with a number.
fn comparisons(q: &str, cols: &[(usize, String)], table: &Table) -> Vec<Filter> {
    const PHRASES: [(&str, Op); 12] = [
        ("more than", Op::Gt),
        ("greater than", Op::Gt),
        ("higher than", Op::Gt),
        ("over", Op::Gt),
        ("above", Op::Gt),
        ("at least", Op::Ge),
        ("less than", Op::Lt),
        ("fewer than", Op::Lt),
        ("lower than", Op::Lt),
        ("under", Op::Lt),
        ("below", Op::Lt),
        ("at most", Op::Le),
    ];
    let numeric = |n: &str| table.column(n).is_some_and(|c| c.kind.is_numeric());
    let mut out = Vec::new();
    for (phrase, op) in PHRASES {
        let Some(at) = find_word(q, phrase) else {
            continue;
        };
        let rest = &q[at + phrase.len()..];
        let number: String = rest
            .trim_start()
            .trim_start_matches(['$', '€', '£'])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .filter(|c| *c != ',')
            .collect();
        let number = number.trim_end_matches('.');
        if number.is_empty() || number.parse::<f64>().is_err() {
            continue;
        }
        // The column: the nearest numeric one named after the number,
        // else the one named just before the phrase.
        let after = cols
            .iter()
            .filter(|(p, n)| *p > at && numeric(n))
            .min_by_key(|(p, _)| *p);
        let before = cols
            .iter()
            .filter(|(p, n)| *p < at && numeric(n))
            .max_by_key(|(p, _)| *p);
        if let Some((_, name)) = after.or(before) {
            if !out.iter().any(|f: &Filter| f.column == *name) {
                out.push(Filter {
                    column: name.clone(),
                    op,
                    value: number.to_owned(),
                });
            }
        }
    }
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
        // Each distinct value once, in row order; `seen` holds only the
        // values the question names (so "North" and "north" count once).
        let mut seen = std::collections::HashSet::new();
        for i in c.values.distinct_cells() {
            let Some(text) = c.values.key(i) else {
                continue;
            };
            let lower = text.to_lowercase();
            if lower.len() >= 2
                && value_forms(&lower).iter().any(|f| contains_word(q, f))
                && seen.insert(lower)
            {
                out.push(Filter {
                    column: c.name.clone(),
                    op: Op::Eq,
                    value: text.into_owned(),
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
    let (cols, words) = mentioned(&q, table);
    let col = |name: &str| table.column(name);
    let compared = comparisons(&q, &cols, table);
    // Numeric columns to compute on: those named other than only inside
    // a comparison ("how many cars have over 100 horsepower" counts).
    let numeric: Vec<String> = cols
        .iter()
        .filter(|(_, n)| col(n).is_some_and(|c| c.kind.is_numeric()))
        .filter(|(_, n)| {
            !compared.iter().any(|f| f.column == *n)
                || cols.iter().filter(|(_, m)| m == n).count() > 1
        })
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
    let mut filters = value_filters(&q, table, by_period.is_some());
    filters.extend(compared);
    let filter_cols: Vec<&str> = filters.iter().map(|f| f.column.as_str()).collect();

    let sorting = has(
        &words,
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
    let largest = has(&words, LARGEST);
    let smallest = has(&words, SMALLEST);
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
    let func = if has(&words, &["average", "mean", "avg"]) {
        Some(Func::Mean)
    } else if has(&words, &["median"]) {
        Some(Func::Median)
    } else if has(&words, &["distinct", "different", "unique"]) {
        Some(Func::CountDistinct)
    } else if has(&words, &["how many", "number of", "count"]) && numeric.is_empty() {
        Some(Func::Count)
    } else if has(&words, &["total", "sum"])
        || (has(&words, &["altogether", "overall"]) && !largest && !smallest)
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

    if has(&words, &["missing", "blank", "empty"]) {
        return Ok(Plan::Missing {
            column: cols.first().map(|(_, n)| n.clone()),
        });
    }
    if has(
        &words,
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
            (Some(d), None) if func == Some(Func::Count) || has(&words, &["how many"]) => {
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
    let share = has(
        &words,
        &["share", "percent", "percentage", "proportion", "%"],
    );
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
            _ if largest || smallest => Some(if has(&words, &["which", "what"]) {
                1
            } else {
                5
            }),
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
            if when || has(&words, &["which", "who", "row"]) {
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
        (target.is_some() && (!filters.is_empty() || has(&words, &["how much"])))
            .then_some(Func::Sum)
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
