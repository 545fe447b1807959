//! A computed answer as Excel formulas over the table's own cells: the
//! conditions of a plan become criteria of SUMIFS, AVERAGEIFS, COUNTIFS,
//! MINIFS and MAXIFS where those can say them, and boolean arrays
//! (SUMPRODUCT, or an array formula) where they cannot ("or" across
//! columns, a month of any year, a median). A result no formula can say
//! as the plan computed it is written as its value, with the reason: a
//! formula that disagrees with the computed answer is never written.

use chrono::{Datelike, NaiveDate};

use super::super::exec;
use super::super::exec::{date_span, Answer, Outcome};
use super::super::plan::{Filter, Func, Op, Plan};
use super::super::table::{Column, Kind, Table};
use super::super::value;

/// How a written cell looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Bold,
    /// `#,##0`
    Whole,
    /// `#,##0.00`
    Decimal,
}

/// What a formula's cell holds until a spreadsheet recalculates it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cached {
    Number(f64),
    Text(String),
}

/// One cell of the analysis sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String, Style),
    Number(f64, Style),
    Formula {
        /// As stored in the file (newer functions carry `_xlfn.`).
        formula: String,
        /// Entered as an array formula (one cell).
        array: bool,
        cached: Cached,
        style: Style,
    },
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into(), Style::Plain)
    }

    fn bold(s: impl Into<String>) -> Cell {
        Cell::Text(s.into(), Style::Bold)
    }

    /// A formula (not an array formula) computing `value`.
    fn live(formula: String, value: f64, style: Style) -> Cell {
        Cell::Formula {
            formula,
            array: false,
            cached: Cached::Number(value),
            style,
        }
    }

    /// The formula as a person types it (for the sheet's "Formula" column).
    pub(crate) fn shown_formula(&self) -> Option<String> {
        match self {
            Cell::Formula { formula, array, .. } => {
                let f = formula.replace("_xlfn.", "");
                Some(if *array {
                    format!("{{={f}}}")
                } else {
                    format!("={f}")
                })
            }
            _ => None,
        }
    }
}

/// The result block: a header row, the result rows, and what could not
/// be a formula.
#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Results written as values, each saying why.
    pub as_values: Vec<String>,
    /// Column of `rows` a chart plots (labels are column 0), and whether
    /// the figures run over time (a line) or across groups (bars).
    pub chart: Option<(usize, bool)>,
}

/// References into the table as it is written in the copy: `sheet` is the
/// name its sheet has there (a CSV's sheet may have been renamed to suit
/// Excel).
pub(crate) struct Refs<'a> {
    pub table: &'a Table,
    pub sheet: String,
    /// Columns (zero-based) whose true and false cells are the words
    /// "yes" and "no" rather than spreadsheet booleans.
    pub yes_no: Vec<u32>,
    /// Columns with cells that hold numbers or dates as text (the analysis
    /// reads them, spreadsheet functions skip them): (column, how many).
    pub as_text: Vec<(u32, usize)>,
    /// Rows between the table's first and last data rows that are not
    /// data yet hold cells (a range over the column would take them in).
    pub foreign_rows: usize,
    /// Why no formula over the table can hold (its cells are rebuilt).
    pub unusable: Option<String>,
}

/// Why a figure cannot be a formula over the cells: said in the sheet's
/// notes beside the value written instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Why(pub String);

impl From<&str> for Why {
    fn from(s: &str) -> Why {
        Why(s.to_owned())
    }
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Refs<'_> {
    /// Whether formulas over column `c`'s range compute what the plan
    /// computed from its cells.
    fn usable(&self, c: &Column) -> Result<(), Why> {
        if let Some(why) = &self.unusable {
            return Err(Why(why.clone()));
        }
        if let Some((_, n)) = self.as_text.iter().find(|(col, _)| *col == c.col) {
            return Err(Why(format!(
                "{n} cell(s) of {} hold numbers or dates as text, which spreadsheet functions skip",
                c.name
            )));
        }
        if self.foreign_rows > 0 {
            return Err(Why(format!(
                "{} row(s) inside the table's range are not part of it",
                self.foreign_rows
            )));
        }
        Ok(())
    }

    /// Whether the data rows are one block of the sheet (ROWS counts them).
    fn one_block(&self) -> bool {
        match (self.table.rows.first(), self.table.rows.last()) {
            (Some(a), Some(b)) => (b - a) as usize + 1 == self.table.rows.len(),
            _ => false,
        }
    }

    fn sheet(&self) -> String {
        quoted(&self.sheet)
    }

    /// The data row (index into the table's rows) at one-based sheet row
    /// `row`, as an answer names it.
    fn index_of(&self, row: u32) -> Option<usize> {
        self.table.rows.iter().position(|&r| r + 1 == row)
    }

    /// `'Data'!$C$2:$C$345`: a column's data cells.
    fn range(&self, c: &Column) -> String {
        let (a, b) = (
            self.table.rows.first().copied().unwrap_or(0),
            self.table.rows.last().copied().unwrap_or(0),
        );
        let col = crate::docs::col_letters(c.col);
        format!("{}!${col}${}:${col}${}", self.sheet(), a + 1, b + 1)
    }

    /// `'Data'!$C$17`: one data cell.
    fn cell(&self, i: usize, c: &Column) -> String {
        let col = crate::docs::col_letters(c.col);
        format!("{}!${col}${}", self.sheet(), self.table.rows[i] + 1)
    }
}

/// A sheet's name as a formula refers to it: always quoted, since names
/// such as "2024" or "A1" must be and quoting never hurts.
pub(crate) fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// A condition of a plan: a filter, or "this column is not blank" (the
/// rows that belong to some group).
#[derive(Clone, Copy)]
enum Cond<'a> {
    Filter(&'a Filter),
    NotBlank(&'a Column),
}

/// An Excel string literal.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Text matched by a criterion: `~`, `*` and `?` are wildcards there.
fn wild_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '~' | '*' | '?') {
            out.push('~');
        }
        out.push(ch);
    }
    out
}

fn date(d: NaiveDate) -> String {
    format!("DATE({},{},{})", d.year(), d.month(), d.day())
}

fn number(v: f64) -> String {
    // Rust prints what Excel reads back exactly (no exponent for the
    // magnitudes cells hold, shortest round-trip digits).
    let s = format!("{v}");
    if s.contains('e') {
        format!("{v:E}")
    } else {
        s
    }
}

/// What a filter's value is, read the way `exec::keeps` reads it for the
/// column's cells.
enum Want {
    Blank,
    Month(u32),
    Dates(NaiveDate, NaiveDate),
    Number(f64),
    Bool(bool),
    Text(String),
}

/// The value, or why no criterion can hold it: a period starting before 1
/// March 1900, which spreadsheets hold as text, not as a date.
fn want(refs: &Refs, c: &Column, value: &str) -> Result<Want, Why> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(Want::Blank);
    }
    if c.kind.is_temporal() {
        if let Some(m) = v.strip_prefix("*-").and_then(|m| m.parse().ok()) {
            return Ok(Want::Month(m));
        }
        if let Some((a, b)) = date_span(v) {
            if a.and_hms_opt(0, 0, 0)
                .and_then(super::xlsx::serial)
                .is_none()
            {
                return Err("dates before 1900, which spreadsheets hold as text".into());
            }
            return Ok(Want::Dates(a, b));
        }
    }
    Ok(match value::parse(v) {
        p if c.kind.is_numeric() || c.kind == Kind::Identifier => match p.number() {
            Some(n) => Want::Number(n),
            None => Want::Text(v.to_owned()),
        },
        // Booleans are TRUE and FALSE in a sheet, unless the column says
        // "yes" and "no".
        value::Value::Bool(b) if c.kind == Kind::Bool => {
            if refs.yes_no.contains(&c.col) {
                Want::Text(if b { "yes" } else { "no" }.into())
            } else {
                Want::Bool(b)
            }
        }
        _ => Want::Text(v.to_owned()),
    })
}

fn column<'t>(refs: &Refs<'t>, name: &str) -> Result<&'t Column, Why> {
    refs.table
        .column(name)
        .ok_or_else(|| Why(format!("there is no column '{name}'")))
}

/// The columns a condition reads.
fn cond_columns<'t>(refs: &Refs<'t>, cond: &Cond<'t>) -> Vec<&'t Column> {
    match cond {
        Cond::NotBlank(c) => vec![*c],
        Cond::Filter(f) => f
            .each()
            .filter_map(|g| refs.table.column(&g.column))
            .collect(),
    }
}

/// (range, criterion) pairs for the *IFS functions, or why they cannot say
/// the conditions. At most one criterion may be an array (`{"a","b"}`,
/// "one of"); the formula then adds up its results with SUM.
fn criteria(refs: &Refs, conds: &[Cond]) -> Result<(Vec<(String, String)>, bool), Why> {
    let mut out = Vec::new();
    let mut array = false;
    for cond in conds {
        let f = match cond {
            Cond::NotBlank(c) => {
                out.push((refs.range(c), lit("<>")));
                continue;
            }
            Cond::Filter(f) => f,
        };
        if !f.any_of.is_empty() {
            return Err("conditions joined by 'or'".into());
        }
        let c = column(refs, &f.column)?;
        let r = refs.range(c);
        if f.op == Op::In {
            if array {
                return Err("two lists of values".into());
            }
            array = true;
            let items: Result<Vec<String>, Why> = f
                .value
                .split('\n')
                .map(|one| match want(refs, c, one)? {
                    Want::Number(n) => Ok(number(n)),
                    Want::Text(t) => Ok(lit(&format!("={}", wild_escape(&t)))),
                    _ => Err("a list of dates or blanks".into()),
                })
                .collect();
            out.push((r, format!("{{{}}}", items?.join(","))));
            continue;
        }
        match (want(refs, c, &f.value)?, f.op) {
            (Want::Blank, Op::Eq) => out.push((r, lit(""))),
            // "is not blank" keeps every row, as the plan runs it.
            (Want::Blank, Op::Ne) => {}
            (Want::Blank, _) => return Err("a comparison with a blank".into()),
            (Want::Month(_), _) => return Err("a month of any year".into()),
            (Want::Dates(a, b), op) => {
                let next = b.succ_opt().ok_or("a date at the end of the calendar")?;
                match op {
                    Op::Eq | Op::Contains => {
                        out.push((r.clone(), format!("\">=\"&{}", date(a))));
                        out.push((r, format!("\"<\"&{}", date(next))));
                    }
                    Op::Gt => out.push((r, format!("\">=\"&{}", date(next)))),
                    Op::Ge => out.push((r, format!("\">=\"&{}", date(a)))),
                    Op::Lt => out.push((r, format!("\"<\"&{}", date(a)))),
                    Op::Le => out.push((r, format!("\"<\"&{}", date(next)))),
                    Op::Ne | Op::In => return Err("dates outside a period".into()),
                }
            }
            (Want::Number(n), op) => {
                let sign = match op {
                    Op::Eq | Op::Contains => "=",
                    Op::Ne => "<>",
                    Op::Gt => ">",
                    Op::Ge => ">=",
                    Op::Lt => "<",
                    Op::Le => "<=",
                    Op::In => unreachable!("handled above"),
                };
                out.push((r, lit(&format!("{sign}{}", number(n)))));
            }
            (Want::Bool(b), Op::Eq) => out.push((r, if b { "TRUE" } else { "FALSE" }.into())),
            (Want::Bool(b), Op::Ne) => out.push((r, if b { "FALSE" } else { "TRUE" }.into())),
            (Want::Bool(_), _) => return Err("an order of true and false".into()),
            (Want::Text(t), op) => {
                let t = match op {
                    Op::Eq => format!("={}", wild_escape(&t)),
                    Op::Ne => format!("<>{}", wild_escape(&t)),
                    Op::Contains => format!("*{}*", wild_escape(&t)),
                    // Text compared by its order: Excel compares the same
                    // way (without regard to case), blanks are left out.
                    Op::Gt => format!(">{t}"),
                    Op::Ge => format!(">={t}"),
                    Op::Lt => format!("<{t}"),
                    Op::Le => format!("<={t}"),
                    Op::In => unreachable!("handled above"),
                };
                out.push((r, lit(&t)));
            }
        }
    }
    Ok((out, array))
}

/// One condition as a boolean array over the table's rows (1 or 0 per
/// row), guarded as `exec::keeps` is: a blank cell is never above or
/// below a value, and is kept by "is not".
fn cond_array(refs: &Refs, cond: &Cond) -> Result<Option<String>, Why> {
    let f = match cond {
        Cond::NotBlank(c) => return Ok(Some(format!("({}<>\"\")", refs.range(c)))),
        Cond::Filter(f) => f,
    };
    if !f.any_of.is_empty() {
        let own = Filter {
            any_of: Vec::new(),
            ..(*f).clone()
        };
        let mut parts = Vec::new();
        for g in std::iter::once(&own).chain(&f.any_of) {
            match cond_array(refs, &Cond::Filter(g))? {
                Some(p) => parts.push(p),
                // One side keeps every row: so does the whole.
                None => return Ok(None),
            }
        }
        return Ok(Some(format!("(({})>0)", parts.join("+"))));
    }
    let c = column(refs, &f.column)?;
    let r = refs.range(c);
    if f.op == Op::In {
        let parts: Result<Vec<String>, Why> = f
            .value
            .split('\n')
            .map(|one| cond_array(refs, &Cond::Filter(&Filter::new(&f.column, Op::Eq, one))))
            .map(|p| p.and_then(|p| p.ok_or_else(|| Why::from("a list with a blank"))))
            .collect();
        return Ok(Some(format!("(({})>0)", parts?.join("+"))));
    }
    let num = |expr: String| format!("(ISNUMBER({r})*{expr})");
    Ok(Some(match (want(refs, c, &f.value)?, f.op) {
        (Want::Blank, Op::Eq) => format!("({r}=\"\")"),
        (Want::Blank, Op::Ne) => return Ok(None),
        (Want::Blank, _) => return Err("a comparison with a blank".into()),
        (Want::Month(m), op) => {
            // A blank's MONTH is January (day 0 of 1900): blanks give 0.
            let month = format!("IFERROR(MONTH({r})*({r}<>\"\"),0)");
            match op {
                Op::Ne => format!("({month}<>{m})"),
                // Months of any year from/to ("between June and August");
                // a blank (0) is in no month.
                Op::Ge => format!("({month}>={m})"),
                Op::Gt => format!("({month}>{m})"),
                Op::Le => format!("({month}<={m})*({month}>0)"),
                Op::Lt => format!("({month}<{m})*({month}>0)"),
                _ => format!("({month}={m})"),
            }
        }
        (Want::Dates(a, b), op) => {
            let next = b.succ_opt().ok_or("a date at the end of the calendar")?;
            match op {
                Op::Eq | Op::Contains => num(format!("({r}>={})*({r}<{})", date(a), date(next))),
                Op::Ne => format!("(1-ISNUMBER({r})*({r}>={})*({r}<{}))", date(a), date(next)),
                Op::Gt => num(format!("({r}>={})", date(next))),
                Op::Ge => num(format!("({r}>={})", date(a))),
                Op::Lt => num(format!("({r}<{})", date(a))),
                Op::Le => num(format!("({r}<{})", date(next))),
                Op::In => unreachable!("handled above"),
            }
        }
        (Want::Number(n), op) => {
            let n = number(n);
            match op {
                Op::Eq | Op::Contains => num(format!("({r}={n})")),
                Op::Ne => format!("(1-ISNUMBER({r})*({r}={n}))"),
                Op::Gt => num(format!("({r}>{n})")),
                Op::Ge => num(format!("({r}>={n})")),
                Op::Lt => num(format!("({r}<{n})")),
                Op::Le => num(format!("({r}<={n})")),
                Op::In => unreachable!("handled above"),
            }
        }
        (Want::Bool(b), Op::Eq) => format!("({r}={})", if b { "TRUE" } else { "FALSE" }),
        (Want::Bool(b), Op::Ne) => format!("({r}<>{})", if b { "TRUE" } else { "FALSE" }),
        (Want::Bool(_), _) => return Err("an order of true and false".into()),
        (Want::Text(t), op) => {
            let l = lit(&t);
            match op {
                Op::Eq => format!("({r}={l})"),
                Op::Ne => format!("({r}<>{l})"),
                Op::Contains => format!("ISNUMBER(SEARCH({},{r}))", lit(&wild_escape(&t))),
                Op::Gt => format!("({r}<>\"\")*({r}>{l})"),
                Op::Ge => format!("({r}<>\"\")*({r}>={l})"),
                Op::Lt => format!("({r}<>\"\")*({r}<{l})"),
                Op::Le => format!("({r}<>\"\")*({r}<={l})"),
                Op::In => unreachable!("handled above"),
            }
        }
    }))
}

/// The conditions multiplied into one 1/0 array, or None when they keep
/// every row.
fn mask(refs: &Refs, conds: &[Cond]) -> Result<Option<String>, Why> {
    let mut parts = Vec::new();
    for c in conds {
        parts.extend(cond_array(refs, c)?);
    }
    Ok(match parts.len() {
        0 => None,
        1 => Some(format!("--{}", parts[0])),
        _ => Some(parts.join("*")),
    })
}

/// A formula for `func(target)` over the rows the conditions keep: (the
/// formula as stored, whether it is an array formula).
fn aggregate(
    refs: &Refs,
    func: Func,
    target: Option<&Column>,
    conds: &[Cond],
) -> Result<(String, bool), Why> {
    for c in target
        .into_iter()
        .chain(conds.iter().flat_map(|c| cond_columns(refs, c)))
    {
        refs.usable(c)?;
    }
    let v = target.map(|c| refs.range(c));
    let first = refs
        .table
        .columns
        .first()
        .map(|c| refs.range(c))
        .ok_or("a table without columns")?;
    // The *IFS functions first: what people write and read.
    if !matches!(func, Func::Median | Func::CountDistinct) {
        if let Ok((crit, array)) = criteria(refs, conds) {
            let args = |head: Option<&str>| -> String {
                head.into_iter()
                    .map(str::to_owned)
                    .chain(crit.iter().map(|(r, c)| format!("{r},{c}")))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let wrap = |f: String| if array { format!("SUM({f})") } else { f };
            let f = match (func, &v, crit.is_empty()) {
                (Func::Count, None, true) if refs.one_block() => format!("ROWS({first})"),
                (Func::Count, None, true) => {
                    return Err("the table's rows are not one block of the sheet".into())
                }
                (Func::Count, None, false) => wrap(format!("COUNTIFS({})", args(None))),
                (Func::Sum, Some(v), true) => format!("SUM({v})"),
                (Func::Mean, Some(v), true) => format!("AVERAGE({v})"),
                (Func::Min, Some(v), true) => format!("MIN({v})"),
                (Func::Max, Some(v), true) => format!("MAX({v})"),
                (Func::Sum, Some(v), false) => wrap(format!("SUMIFS({})", args(Some(v)))),
                (Func::Mean, Some(v), false) if array => format!(
                    "SUM(SUMIFS({}))/SUM(COUNTIFS({}))",
                    args(Some(v)),
                    args(Some(&format!("{v},\"<>\"")))
                ),
                (Func::Mean, Some(v), false) => format!("AVERAGEIFS({})", args(Some(v))),
                (Func::Min | Func::Max, Some(_), false) if array => {
                    return Err("the smallest or largest over a list of values".into())
                }
                (Func::Min, Some(v), false) => format!("_xlfn.MINIFS({})", args(Some(v))),
                (Func::Max, Some(v), false) => format!("_xlfn.MAXIFS({})", args(Some(v))),
                (Func::Count, Some(v), _) => {
                    let c = target.map_or(Kind::Text, |c| c.kind);
                    // Numbers and dates: a numeric criterion counts only
                    // numbers, as the plan counts only values of the
                    // column's type.
                    let any = if c.is_numeric() || c.is_temporal() {
                        "\">-1E+300\""
                    } else {
                        "\"<>\""
                    };
                    wrap(format!("COUNTIFS({})", args(Some(&format!("{v},{any}")))))
                }
                _ => return Err(Why(format!("the {} needs a column", func.words()))),
            };
            return Ok((f, false));
        }
    }
    let m = mask(refs, conds)?;
    let numeric = |v: &str| match &m {
        Some(m) => format!("{m}*ISNUMBER({v})"),
        None => format!("ISNUMBER({v})"),
    };
    Ok(match (func, &v) {
        (Func::Count, None) => match &m {
            Some(m) => (format!("SUMPRODUCT({m})"), false),
            None if refs.one_block() => (format!("ROWS({first})"), false),
            None => return Err("the table's rows are not one block of the sheet".into()),
        },
        (Func::Sum, Some(v)) => match &m {
            Some(m) => (format!("SUMPRODUCT({m},{v})"), false),
            None => (format!("SUM({v})"), false),
        },
        (Func::Mean, Some(v)) => match &m {
            Some(m) => (
                format!("SUMPRODUCT({m},{v})/SUMPRODUCT({})", numeric(v)),
                false,
            ),
            None => (format!("AVERAGE({v})"), false),
        },
        (Func::Count, Some(v)) => {
            let numeric_col = target.is_some_and(|c| c.kind.is_numeric() || c.kind.is_temporal());
            let present = if numeric_col {
                numeric(v)
            } else {
                match &m {
                    Some(m) => format!("{m}*({v}<>\"\")"),
                    None => format!("--({v}<>\"\")"),
                }
            };
            (format!("SUMPRODUCT({present})"), false)
        }
        (Func::Min | Func::Max | Func::Median, Some(v)) => {
            let name = match func {
                Func::Min => "MIN",
                Func::Max => "MAX",
                _ => "MEDIAN",
            };
            match &m {
                Some(_) => (format!("{name}(IF({},{v}))", numeric(v)), true),
                None => (format!("{name}({v})"), false),
            }
        }
        (Func::CountDistinct, Some(v)) => match &m {
            None => (
                format!("SUMPRODUCT(({v}<>\"\")/COUNTIF({v},{v}&\"\"))"),
                false,
            ),
            Some(_) => return Err("distinct values counted under conditions".into()),
        },
        _ => return Err(Why(format!("the {} needs a column", func.words()))),
    })
}

/// "average of Body mass (g)", "number of rows".
fn figure_name(func: Func, target: Option<&Column>) -> String {
    match target {
        Some(c) => format!("{} of {}", func.words(), c.name),
        None => func.words().to_owned(),
    }
}

fn style_for(func: Func, target: Option<&Column>) -> Style {
    match func {
        Func::Count | Func::CountDistinct => Style::Whole,
        _ if target.is_some_and(|c| c.kind == Kind::Percent) => Style::Plain,
        _ => Style::Decimal,
    }
}

/// A figure as a formula cell, or as its value with the reason it is not
/// one (no figure at all is said as such).
fn figure(
    block: &mut Block,
    what: &str,
    made: Result<(String, bool), Why>,
    v: Option<f64>,
    style: Style,
) -> Cell {
    match (made, v) {
        (_, None) => Cell::text("no value"),
        (Ok((formula, array)), Some(v)) => Cell::Formula {
            formula,
            array,
            cached: Cached::Number(v),
            style,
        },
        (Err(why), Some(v)) => {
            block.as_values.push(format!(
                "{what}: written as its value, not a formula ({why})"
            ));
            Cell::Number(v, style)
        }
    }
}

/// A reference to one data cell, holding what the cell holds.
fn reference(refs: &Refs, i: usize, c: &Column) -> Cell {
    let cached = match c.values.number(i) {
        Some(n) => Cached::Number(n),
        None => Cached::Text(
            c.values
                .get(i)
                .as_ref()
                .map(|v| v.key())
                .unwrap_or_default(),
        ),
    };
    let style = if matches!(cached, Cached::Number(_)) {
        Style::Decimal
    } else {
        Style::Plain
    };
    let cached = match (&cached, c.values.date_time(i)) {
        // A date cell's reference shows its serial unless formatted: the
        // text is what the answer names.
        (Cached::Text(_), Some(dt)) => Cached::Text(dt.date().to_string()),
        _ => cached,
    };
    let formula = if c.kind.is_temporal() {
        format!("TEXT({},\"yyyy-mm-dd\")", refs.cell(i, c))
    } else {
        refs.cell(i, c)
    };
    Cell::Formula {
        formula,
        array: false,
        cached,
        style,
    }
}

/// `B9`: the value cell of the result block's row `k` (zero-based), as
/// the analysis sheet lays it out.
fn value_cell(k: usize) -> String {
    format!("B{}", super::RESULT_ROW + 2 + k as u32)
}

/// The header of a one-figure result.
fn result_header() -> Vec<String> {
    vec!["Result".into(), "Value".into(), "Formula".into()]
}

/// The result of `answer` as formulas over the table `refs` points into.
pub(crate) fn block(refs: &Refs, answer: &Answer) -> Block {
    let mut block = Block::default();
    let plan = &answer.plan;
    let base: Vec<Cond> = plan.filters().iter().map(Cond::Filter).collect();
    let col = |name: &str| refs.table.column(name);
    match (&answer.outcome, plan) {
        (
            Outcome::Value { value, .. },
            Plan::Aggregate {
                func,
                column,
                share,
                ..
            },
        ) => {
            let target = column.as_deref().and_then(col);
            let what = figure_name(*func, target);
            block.header = result_header();
            let made = if *share {
                aggregate(refs, *func, target, &base).and_then(|(part, pa)| {
                    let (whole, wa) = aggregate(refs, *func, target, &[])?;
                    if pa || wa {
                        return Err("a share of an array formula".into());
                    }
                    Ok((format!("{part}/{whole}*100"), false))
                })
            } else {
                aggregate(refs, *func, target, &base)
            };
            let style = if *share {
                Style::Decimal
            } else {
                style_for(*func, target)
            };
            let label = if *share {
                format!("{what}, percent of all rows")
            } else {
                what.clone()
            };
            let cell = figure(&mut block, &what, made, *value, style);
            block.rows.push(vec![Cell::text(label), cell]);
        }
        (
            Outcome::Groups { rows },
            Plan::Aggregate {
                func,
                column,
                group_by: Some(g),
                share,
                ..
            },
        ) => {
            let (Some(g), target) = (col(g), column.as_deref().and_then(col)) else {
                return block;
            };
            let what = figure_name(*func, target);
            block.header = vec![g.name.clone(), what.clone()];
            if *share {
                block.header.push("Percent of all".into());
            }
            block.header.push("Formula".into());
            let style = style_for(*func, target);
            // The share's whole: every row with a group, as the plan
            // adds up its groups (sums and counts only add up that way).
            let whole = if *share {
                let mut conds = base.clone();
                conds.push(Cond::NotBlank(g));
                // The whole the plan divided by, over every group (a top N
                // shows only some): from any group's figure and share.
                let all = rows
                    .iter()
                    .find_map(|r| match (r.value, r.share) {
                        (Some(v), Some(s)) if s != 0.0 => Some(v / s * 100.0),
                        _ => None,
                    })
                    .unwrap_or(0.0);
                Some(match func {
                    Func::Sum | Func::Count => figure(
                        &mut block,
                        "all groups",
                        aggregate(refs, *func, target, &conds),
                        Some(all),
                        style,
                    ),
                    _ => Cell::Number(all, style),
                })
            } else {
                None
            };
            for (k, r) in rows.iter().enumerate() {
                let one = Filter::new(g.name.clone(), Op::Eq, r.label.clone());
                let mut conds = base.clone();
                conds.push(Cond::Filter(&one));
                let made = aggregate(refs, *func, target, &conds);
                let cell = figure(
                    &mut block,
                    &format!("{} {}", g.name, r.label),
                    made,
                    r.value,
                    style,
                );
                let mut line = vec![Cell::text(r.label.clone()), cell];
                if let Some(whole) = &whole {
                    let (me, all) = (value_cell(k), value_cell(rows.len()));
                    line.push(match (r.share, whole, &line[1]) {
                        (Some(s), Cell::Formula { .. }, Cell::Formula { .. }) => {
                            Cell::live(format!("{me}/{all}*100"), s, Style::Decimal)
                        }
                        (Some(s), _, _) => Cell::Number(s, Style::Decimal),
                        (None, _, _) => Cell::text("no value"),
                    });
                }
                block.rows.push(line);
            }
            if let Some(whole) = whole {
                block
                    .rows
                    .push(vec![Cell::bold("All groups"), whole, Cell::Empty]);
                if !matches!(func, Func::Sum | Func::Count) {
                    block.as_values.push(format!(
                        "all groups: the sum of the groups' figures, written as its value (a {} does not add up over rows)",
                        func.words()
                    ));
                }
            }
            block.chart = Some((if *share { 2 } else { 1 }, false));
        }
        (
            Outcome::Row {
                row,
                label,
                value,
                tied,
                ..
            },
            Plan::Extreme {
                column,
                largest,
                report,
                ..
            },
        ) => {
            let Some(c) = col(column) else {
                return block;
            };
            let Some(i) = refs.index_of(*row) else {
                return block;
            };
            block.header = result_header();
            if let Some((name, _)) = label {
                if let Some(l) = col(name) {
                    block.rows.push(vec![
                        Cell::text(format!("{name} (row {row})")),
                        reference(refs, i, l),
                    ]);
                }
            }
            // The answer read off that row: its cell, referenced.
            if let Some(r) = report.as_deref().and_then(&col) {
                block.rows.push(vec![
                    Cell::text(format!("{} (row {row})", r.name)),
                    reference(refs, i, r),
                ]);
            }
            let func = if *largest { Func::Max } else { Func::Min };
            let what = format!(
                "{} {}",
                if *largest { "largest" } else { "smallest" },
                c.name
            );
            // With another column reported, the row's own figure is the
            // extreme compared against.
            let value = if report.is_some() {
                c.values.number(i)
            } else {
                *value
            };
            let cell = match value {
                Some(_) => figure(
                    &mut block,
                    &what,
                    aggregate(refs, func, Some(c), &base),
                    value,
                    Style::Decimal,
                ),
                None => reference(refs, i, c),
            };
            block.rows.push(vec![Cell::text(what), cell]);
            if !tied.is_empty() {
                block
                    .rows
                    .push(vec![Cell::text("tied with"), Cell::text(tied.join(", "))]);
            }
        }
        (Outcome::Row { row, .. }, Plan::Lookup { column, .. }) => {
            let (Some(c), Some(i)) = (col(column), refs.index_of(*row)) else {
                return block;
            };
            block.header = result_header();
            block.rows.push(vec![
                Cell::text(format!("{} (row {row})", c.name)),
                reference(refs, i, c),
            ]);
        }
        (Outcome::Groups { rows }, Plan::Lookup { column, .. }) => {
            let Some(c) = col(column) else {
                return block;
            };
            block.header = vec![c.name.clone(), "Rows".into(), "Formula".into()];
            for r in rows {
                let one = Filter::new(c.name.clone(), Op::Eq, r.label.clone());
                let mut conds = base.clone();
                conds.push(Cond::Filter(&one));
                let made = aggregate(refs, Func::Count, None, &conds);
                let cell = figure(&mut block, &r.label, made, r.value, Style::Whole);
                block.rows.push(vec![Cell::text(r.label.clone()), cell]);
            }
        }
        (
            Outcome::Series { rows },
            Plan::Change {
                func, column, date, ..
            },
        ) => {
            let (Some(c), Some(d)) = (col(column), col(date)) else {
                return block;
            };
            block.header = vec![
                "Period".into(),
                format!("{} of {}", func.words(), c.name),
                "Change".into(),
                "Change (%)".into(),
                "Formula".into(),
            ];
            let style = style_for(*func, Some(c));
            for (k, p) in rows.iter().enumerate() {
                let one = Filter::new(d.name.clone(), Op::Eq, p.period.clone());
                let mut conds = base.clone();
                conds.push(Cond::Filter(&one));
                let made = aggregate(refs, *func, Some(c), &conds);
                let cell = figure(&mut block, &p.period, made, p.value, style);
                let (me, before) = (value_cell(k), value_cell(k.saturating_sub(1)));
                let both = k > 0
                    && matches!(cell, Cell::Formula { .. })
                    && matches!(block.rows[k - 1][1], Cell::Formula { .. });
                let change = match p.change {
                    Some(ch) if both => Cell::live(format!("{me}-{before}"), ch, style),
                    Some(ch) => Cell::Number(ch, style),
                    None => Cell::Empty,
                };
                let pct = match p.change_percent {
                    Some(pc) if both => Cell::live(
                        format!("({me}-{before})/ABS({before})*100"),
                        pc,
                        Style::Decimal,
                    ),
                    Some(pc) => Cell::Number(pc, Style::Decimal),
                    None => Cell::Empty,
                };
                block
                    .rows
                    .push(vec![Cell::text(p.period.clone()), cell, change, pct]);
            }
            block.chart = Some((1, true));
        }
        (
            Outcome::Value { value, .. },
            Plan::PercentChange {
                func,
                column,
                from,
                to,
                ..
            },
        ) => {
            let Some(c) = col(column) else {
                return block;
            };
            block.header = result_header();
            let style = style_for(*func, Some(c));
            let (a, b) = if from.is_empty() && to.is_empty() {
                // The first and last rows with a value, as the plan found
                // them: references to those two cells.
                let kept = exec::kept_rows(refs.table, plan.filters());
                match exec::first_and_last(refs.table, c, &kept) {
                    Some((i, j)) => (
                        (
                            format!("first ({})", refs.table.cell(i, c)),
                            reference(refs, i, c),
                        ),
                        (
                            format!("last ({})", refs.table.cell(j, c)),
                            reference(refs, j, c),
                        ),
                    ),
                    None => return block,
                }
            } else {
                let side = |fs: &[Filter], block: &mut Block, name: &str| -> (String, Cell) {
                    let mut conds = base.clone();
                    conds.extend(fs.iter().map(Cond::Filter));
                    let words: Vec<String> = fs.iter().map(Filter::words).collect();
                    let v = exec::run(
                        refs.table,
                        &Plan::single(
                            *func,
                            Some(c.name.clone()),
                            plan.filters().iter().chain(fs).cloned().collect(),
                        ),
                    )
                    .ok()
                    .and_then(|a| match a.outcome {
                        Outcome::Value { value, .. } => value,
                        _ => None,
                    });
                    let label = format!("{name}: {} where {}", func.words(), words.join(" and "));
                    (
                        label.clone(),
                        figure(
                            block,
                            &label,
                            aggregate(refs, *func, Some(c), &conds),
                            v,
                            style,
                        ),
                    )
                };
                (side(from, &mut block, "from"), side(to, &mut block, "to"))
            };
            let live = matches!(a.1, Cell::Formula { .. }) && matches!(b.1, Cell::Formula { .. });
            let (ra, rb) = (value_cell(0), value_cell(1));
            block.rows.push(vec![Cell::text(a.0), a.1]);
            block.rows.push(vec![Cell::text(b.0), b.1]);
            let change = match value {
                None => Cell::text("no value"),
                Some(v) if live => {
                    Cell::live(format!("({rb}-{ra})/ABS({ra})*100"), *v, Style::Decimal)
                }
                Some(v) => Cell::Number(*v, Style::Decimal),
            };
            block.rows.push(vec![Cell::text("change (%)"), change]);
        }
        (Outcome::Correlation { r, pairs }, Plan::Correlation { x, y, .. }) => {
            let (Some(cx), Some(cy)) = (col(x), col(y)) else {
                return block;
            };
            block.header = result_header();
            let (rx, ry) = (refs.range(cx), refs.range(cy));
            let made = mask(refs, &base).map(|m| match m {
                None => (format!("CORREL({rx},{ry})"), false),
                Some(m) => (format!("CORREL(IF({m},{rx}),IF({m},{ry}))"), true),
            });
            let r_cell = figure(&mut block, "correlation", made, *r, Style::Decimal);
            let both = format!("ISNUMBER({rx})*ISNUMBER({ry})");
            let pairs_made = mask(refs, &base).map(|m| match m {
                None => (format!("SUMPRODUCT({both})"), false),
                Some(m) => (format!("SUMPRODUCT({m}*{both})"), false),
            });
            let pairs_cell = figure(
                &mut block,
                "pairs",
                pairs_made,
                Some(*pairs as f64),
                Style::Whole,
            );
            block.rows.push(vec![
                Cell::text(format!("correlation of {} and {}", cx.name, cy.name)),
                r_cell,
            ]);
            block
                .rows
                .push(vec![Cell::text("pairs of values"), pairs_cell]);
        }
        (Outcome::Missing { columns }, Plan::Missing { total, .. }) => {
            block.header = vec!["Column".into(), "Missing".into(), "Formula".into()];
            let markers = "{\"-\",\"—\",\"–\",\"n/a\",\"na\",\"null\",\"none\",\"(blank)\"}";
            for (name, missing, _) in columns {
                let Some(c) = col(name) else { continue };
                let r = refs.range(c);
                let made = mask(refs, &base).and_then(|m| match m {
                    None if c.mixed.is_empty() => Ok((
                        format!("COUNTBLANK({r})+SUM(COUNTIF({r},{markers}))"),
                        false,
                    )),
                    None => Err("the column holds cells of another type".into()),
                    Some(_) => Err("missing cells counted under conditions".into()),
                });
                let cell = figure(&mut block, name, made, Some(*missing as f64), Style::Whole);
                block.rows.push(vec![Cell::text(name.clone()), cell]);
            }
            if *total && !block.rows.is_empty() {
                let (first, last) = (value_cell(0), value_cell(block.rows.len() - 1));
                let all: usize = columns.iter().map(|c| c.1).sum();
                block.rows.push(vec![
                    Cell::bold("All"),
                    Cell::live(format!("SUM({first}:{last})"), all as f64, Style::Whole),
                ]);
            }
        }
        _ => {
            block.header = vec!["Result".into(), "Value".into()];
            block.rows.push(vec![Cell::text(answer.sentence.clone())]);
            block
                .as_values
                .push("this kind of answer is written as its sentence".into());
        }
    }
    // Each row's formula, as text, in the block's last column.
    let last = block.header.len().saturating_sub(1);
    if block.header.last().is_some_and(|h| h == "Formula") {
        for row in &mut block.rows {
            let shown: Vec<String> = row.iter().filter_map(Cell::shown_formula).collect();
            row.resize(last, Cell::Empty);
            if !shown.is_empty() {
                row.push(Cell::text(shown.join("   ")));
            }
        }
    }
    block
}
