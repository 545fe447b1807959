//! Spreadsheet analysis: numbers computed from the cells, never guessed by
//! the model. A file becomes a Document (the readers), each sheet a grid,
//! each grid its tables (header, types, totals and notes found), and each
//! table a profile. Questions become plans over a table, which code runs.

pub mod cells;
pub mod chart;
pub mod exec;
pub mod grid;
pub mod model_plan;
pub mod phrase;
pub mod plan;
pub mod profile;
pub use phrase::reading;
pub mod table;
pub mod value;
pub mod writeback;

use std::path::Path;

use serde::Serialize;

pub use exec::{Answer, Outcome};
pub use grid::Grid;
pub use plan::{Filter, Func, Op, Order, Period, Plan, PlanError};
pub use profile::{ColumnProfile, TableProfile};
pub use table::{Column, Kind, Table};
pub use value::Value;

use crate::docs::{self, DocError, Document, Format, Limits};

/// What can go wrong before an analysis starts.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(transparent)]
    Document(#[from] DocError),
    #[error(
        "{file}: not a spreadsheet ({format}); open .xlsx, .xlsm, .xlsb, .xls, .ods, .csv or .tsv"
    )]
    NotASheet { file: String, format: &'static str },
    #[error("{file}: no sheet named '{sheet}' (sheets: {available})")]
    NoSuchSheet {
        file: String,
        sheet: String,
        available: String,
    },
    #[error("{file}: no table with data was found{}", sheet.as_ref().map(|s| format!(" on sheet '{s}'")).unwrap_or_default())]
    NoTable { file: String, sheet: Option<String> },
    #[error("{understood}")]
    NotUnderstood { understood: String, columns: String },
    #[error("the plan cannot run: {0}")]
    Plan(#[from] PlanError),
    #[error("stopped before the question was read")]
    Cancelled,
    #[cfg(feature = "llm")]
    #[error(transparent)]
    Model(#[from] crate::llm::LlmError),
}

impl SheetError {
    /// A stable machine-readable code, for `{code, message}` across IPC.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::Document(_) => "document",
            SheetError::NotASheet { .. } => "not_a_spreadsheet",
            SheetError::NoSuchSheet { .. } => "no_such_sheet",
            SheetError::NoTable { .. } => "no_table",
            SheetError::NotUnderstood { .. } => "not_understood",
            SheetError::Plan(_) => "invalid_plan",
            SheetError::Cancelled => "cancelled",
            #[cfg(feature = "llm")]
            SheetError::Model(e) => e.code(),
        }
    }
}

/// A spreadsheet read for analysis: its tables, sheet by sheet.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub file: String,
    pub sheets: Vec<String>,
    pub tables: Vec<Table>,
    /// Parts the reader skipped, each saying why.
    pub warnings: Vec<String>,
}

/// The tables of an already-read document (optionally one sheet's).
pub fn workbook(doc: &Document, sheet: Option<&str>) -> Result<Workbook, SheetError> {
    check_format(doc)?;
    tables_of(
        doc.file_name(),
        grid::grids(doc),
        sheet,
        doc.warnings.clone(),
    )
}

/// The same, taking the document apart as it goes (for a file read only
/// to be analysed: a large sheet is then not held twice).
pub fn into_workbook(doc: Document, sheet: Option<&str>) -> Result<Workbook, SheetError> {
    check_format(&doc)?;
    let (file, warnings) = (doc.file_name(), doc.warnings.clone());
    tables_of(file, grid::into_grids(doc), sheet, warnings)
}

fn check_format(doc: &Document) -> Result<(), SheetError> {
    if matches!(
        doc.format,
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods | Format::Csv
    ) {
        Ok(())
    } else {
        Err(SheetError::NotASheet {
            file: doc.file_name(),
            format: doc.format.name(),
        })
    }
}

/// Finds the tables of a document's grids (optionally one sheet's).
fn tables_of(
    file: String,
    grids: Vec<Grid>,
    sheet: Option<&str>,
    warnings: Vec<String>,
) -> Result<Workbook, SheetError> {
    let sheets: Vec<String> = grids.iter().map(|g| g.sheet.clone()).collect();
    if let Some(wanted) = sheet {
        if !sheets.iter().any(|s| s == wanted) {
            return Err(SheetError::NoSuchSheet {
                file,
                sheet: wanted.to_owned(),
                available: sheets.join(", "),
            });
        }
    }
    let tables: Vec<Table> = grids
        .iter()
        .filter(|g| sheet.is_none_or(|s| g.sheet == s))
        .flat_map(table::tables)
        .collect();
    drop(grids);
    if tables.is_empty() {
        return Err(SheetError::NoTable {
            file,
            sheet: sheet.map(str::to_owned),
        });
    }
    Ok(Workbook {
        file,
        sheets,
        tables,
        warnings,
    })
}

/// Reads a spreadsheet file and finds its tables.
pub fn open(path: &Path, sheet: Option<&str>, limits: &Limits) -> Result<Workbook, SheetError> {
    into_workbook(docs::open_sheets(path, limits)?, sheet)
}

/// Every table's profile.
#[derive(Debug, Clone, Serialize)]
pub struct WorkbookProfile {
    pub file: String,
    pub sheets: Vec<String>,
    pub tables: Vec<TableProfile>,
    pub warnings: Vec<String>,
}

pub fn profile(wb: &Workbook) -> WorkbookProfile {
    WorkbookProfile {
        file: wb.file.clone(),
        sheets: wb.sheets.clone(),
        tables: wb.tables.iter().map(profile::profile).collect(),
        warnings: wb.warnings.clone(),
    }
}

/// The table a question is about: the one that leaves fewest of its words
/// unexplained (two tables side by side on a sheet: "the dry weight of the
/// control plants" is the plants'), then the one naming most of its
/// columns and values; the first table on a tie.
pub fn pick_table(wb: &Workbook, question: &str) -> usize {
    if wb.tables.len() < 2 {
        return 0;
    }
    let q = question.to_lowercase();
    let key = |t: &Table| {
        let exact = t
            .columns
            .iter()
            .filter(|c| q.contains(&c.name.to_lowercase()))
            .count();
        let found = reading::account(question, t, &wb.file);
        (
            found.unmatched.len(),
            std::cmp::Reverse(exact),
            std::cmp::Reverse(found.columns.len() + found.values.len()),
        )
    };
    (0..wb.tables.len())
        .min_by_key(|&i| key(&wb.tables[i]))
        .unwrap_or(0)
}

/// Answers a question with the deterministic reader alone; a question
/// not read whole is [`SheetError::NotUnderstood`], saying what was read,
/// the words not understood and the readings to choose from.
pub fn answer_by_phrase(wb: &Workbook, question: &str) -> Result<(usize, Answer), SheetError> {
    let reply = reply_by_phrase(wb, question)?;
    match reply.answer.clone().filter(|_| reply.reading.answered) {
        Some(a) => Ok((reply.table, a)),
        None => Err(SheetError::NotUnderstood {
            understood: reply.declined_message(wb),
            columns: wb.tables[reply.table]
                .columns
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Who turned the question into the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlannedBy {
    /// The model, under the table's grammar.
    Model,
    /// The deterministic reader of common phrasings.
    Phrase,
}

/// How a question was read: the plan in words, the words of the question
/// nothing in the plan accounts for, and whether it was answered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reading {
    pub understood: String,
    pub unmatched: Vec<String>,
    pub answered: bool,
    /// Likely readings to choose from when not answered: each a question
    /// the reader answers, with what it computes.
    pub alternatives: Vec<Alternative>,
}

/// One likely reading of a question that was not answered.
#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub question: String,
    pub understood: String,
}

/// The reply to a spreadsheet question: the reading, and the answer when
/// the reading accounts for the whole question (`answer` is `None`, and
/// [`Reply::value`] null, whenever `reading.answered` is false).
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub table: usize,
    pub reading: Reading,
    pub answer: Option<Answer>,
    pub planned_by: Option<PlannedBy>,
    pub model_plan: Option<String>,
    pub plan_ms: f64,
}

impl Reply {
    /// A reply answered by running `plan` on table `table`.
    fn answered(
        wb: &Workbook,
        table: usize,
        plan: &Plan,
        by: PlannedBy,
        model_plan: Option<String>,
        plan_ms: f64,
    ) -> Result<Reply, SheetError> {
        let answer = exec::run(&wb.tables[table], plan)?;
        Ok(Reply {
            table,
            reading: Reading {
                understood: answer.working.clone(),
                unmatched: Vec::new(),
                answered: true,
                alternatives: Vec::new(),
            },
            answer: Some(answer),
            planned_by: Some(by),
            model_plan,
            plan_ms,
        })
    }

    /// What a reply that was not answered says: what was read, the words
    /// not understood, readings to choose from, and the columns a
    /// rephrased question could name.
    pub fn declined_message(&self, wb: &Workbook) -> String {
        let r = &self.reading;
        let mut out = format!("not answered: read as \"{}\"", r.understood);
        if !r.unmatched.is_empty() {
            let words: Vec<String> = r.unmatched.iter().map(|w| format!("'{w}'")).collect();
            out.push_str(&format!("; not understood: {}", words.join(", ")));
        }
        if !r.alternatives.is_empty() {
            let alts: Vec<String> = r
                .alternatives
                .iter()
                .map(|a| format!("\"{}\"", a.question))
                .collect();
            out.push_str(&format!("; did you mean {}", alts.join(" or ")));
        }
        let columns: Vec<&str> = wb.tables[self.table]
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        out.push_str(&format!(
            ". Please rephrase, naming a column (columns: {})",
            columns.join(", ")
        ));
        out
    }

    /// The computed value, null when not answered.
    pub fn value(&self) -> serde_json::Value {
        self.answer
            .as_ref()
            .filter(|_| self.reading.answered)
            .map_or(serde_json::Value::Null, Answer::value)
    }
}

/// The question as the reader reads it against `table`: losses said as
/// negative profits, "half" as 50%, small numbers in words as digits where
/// they are numbers, and a name said once for two columns given to both.
fn as_read(question: &str, table: &Table) -> String {
    let q = reading::losses_as_profits(question, table);
    let q = reading::number_words(&q, table);
    reading::distribute(&reading::halves(&q, table), table)
}

/// Reads a question on the table it is about: the reader's plan and the
/// accounting of its words. `unmatched` holds the words nothing explains
/// and the parts of the question the plan leaves out; the last, the
/// question as read (see [`as_read`]).
fn read(
    wb: &Workbook,
    question: &str,
) -> (
    usize,
    Result<Plan, phrase::Understood>,
    reading::Found,
    Vec<String>,
    String,
) {
    let index = pick_table(wb, question);
    let table = &wb.tables[index];
    let read_as = as_read(question, table);
    let question = &read_as;
    let plan = phrase::parse(question, table).and_then(|p| match p.check(table) {
        Ok(()) => Ok(p),
        Err(_) => Err(phrase::Understood::default()),
    });
    let found = reading::account(question, table, &wb.file);
    let mut unmatched = found.unmatched.clone();
    if let Ok(p) = &plan {
        for w in reading::ignored(p, &found)
            .into_iter()
            .chain(reading::unplanned(question, p, table))
        {
            if !unmatched.contains(&w) {
                unmatched.push(w);
            }
        }
    }
    (index, plan, found, unmatched, read_as)
}

impl Reply {
    /// A reply not answered: what was read of `question` on table
    /// `table`, the words not understood, and readings to choose from
    /// (the question with each word not understood replaced or left out,
    /// when the rest reads whole).
    fn declined(
        wb: &Workbook,
        table: usize,
        question: &str,
        plan: Result<&Plan, &phrase::Understood>,
        unmatched: Vec<String>,
        model_plan: Option<String>,
        plan_ms: f64,
    ) -> Reply {
        let understood = match plan {
            Ok(p) => p.words(),
            Err(u) => u.describe(),
        };
        // Readings to choose from: each word not understood replaced by the
        // columns most like it ("revnue" is Revenue), then left out; kept
        // when the whole question then reads, at most four.
        let mut alternatives: Vec<Alternative> = Vec::new();
        let mut tried = std::collections::HashSet::new();
        for w in &unmatched {
            let mut names: Vec<(usize, String)> = wb.tables[table]
                .columns
                .iter()
                .map(|c| {
                    let name = phrase::plain_name(&c.name);
                    (likeness(w, &name), name)
                })
                .filter(|(score, _)| *score > 0)
                .collect();
            names.sort_by_key(|n| std::cmp::Reverse(n.0));
            if names.is_empty() {
                // Nothing alike: each column of numbers is a likely reading
                // ("total takings": units? revenue?).
                names = wb.tables[table]
                    .columns
                    .iter()
                    .filter(|c| c.kind.is_numeric())
                    .map(|c| (0, phrase::plain_name(&c.name)))
                    .collect();
            }
            let mut options: Vec<String> = names
                .into_iter()
                .take(4)
                .map(|(_, name)| replace_words(question, w, &name))
                .collect();
            options.push(replace_words(question, w, ""));
            for option in options {
                if option.trim().is_empty() || option == question || !tried.insert(option.clone()) {
                    continue;
                }
                let (_, p, _, left, _) = read(wb, &option);
                if let (Ok(p), true) = (p, left.is_empty()) {
                    alternatives.push(Alternative {
                        question: option,
                        understood: p.words(),
                    });
                }
                if alternatives.len() >= 4 {
                    break;
                }
            }
        }
        Reply {
            table,
            reading: Reading {
                understood,
                unmatched,
                answered: false,
                alternatives,
            },
            answer: None,
            planned_by: None,
            model_plan,
            plan_ms,
        }
    }
}

/// The question with the words `w` (case-insensitive) replaced by `by`.
fn replace_words(question: &str, w: &str, by: &str) -> String {
    let lower = question.to_lowercase();
    match lower.find(&w.to_lowercase()) {
        Some(at) if question.is_char_boundary(at) && question.is_char_boundary(at + w.len()) => {
            let mut out = question.to_owned();
            out.replace_range(at..at + w.len(), by);
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        _ => question.to_owned(),
    }
}

/// How alike a word and a column's name are: letter pairs in common,
/// weighted by a shared start (0 when nothing is shared).
fn likeness(word: &str, name: &str) -> usize {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.to_lowercase().chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (a, b) = (pairs(word), pairs(name));
    let common = a.iter().filter(|p| b.contains(p)).count();
    let start = word
        .to_lowercase()
        .chars()
        .zip(name.chars())
        .take_while(|(x, y)| x == y)
        .count();
    if common * 2 < a.len().max(1) {
        return 0;
    }
    common + 2 * start
}

/// Replies with the deterministic reader alone (`--no-model`): answered
/// only when every word of the question is accounted for and the plan
/// leaves nothing out.
pub fn reply_by_phrase(wb: &Workbook, question: &str) -> Result<Reply, SheetError> {
    let started = std::time::Instant::now();
    let (table, plan, _, unmatched, _) = read(wb, question);
    let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
    match plan {
        Ok(p) if unmatched.is_empty() => {
            Reply::answered(wb, table, &p, PlannedBy::Phrase, None, plan_ms)
        }
        other => Ok(Reply::declined(
            wb,
            table,
            question,
            other.as_ref(),
            unmatched,
            None,
            plan_ms,
        )),
    }
}

/// Replies to a question: the reader's plan when it accounts for every
/// word; when every word is placed but the reader finds no plan using
/// them all, the model writes one under the table's grammar, taken only
/// when it leaves out nothing the question says. A word nothing in the
/// table explains is declined without asking the model. Anything else is
/// declined with what was understood. Code computes every number either
/// way. Setting `cancel` (Stop, Esc) stops the model where it is
/// ([`SheetError::Cancelled`]).
#[cfg(feature = "llm")]
pub fn reply(
    engine: &crate::llm::Engine,
    wb: &Workbook,
    question: &str,
    cancel: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<Reply, SheetError> {
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(SheetError::Cancelled);
    }
    let started = std::time::Instant::now();
    let (index, plan, found, unmatched, read_as) = read(wb, question);
    let table = &wb.tables[index];
    if let (Ok(p), true) = (&plan, unmatched.is_empty()) {
        let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
        return Reply::answered(wb, index, p, PlannedBy::Phrase, None, plan_ms);
    }
    // A word nothing in the table explains cannot be explained by any
    // plan the model writes either (the same check would refuse it), so
    // the question is declined at once instead of after a model call.
    if !found.unmatched.is_empty() {
        let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
        return Ok(Reply::declined(
            wb,
            index,
            question,
            plan.as_ref(),
            unmatched,
            None,
            plan_ms,
        ));
    }
    let done = engine.chat(
        model_plan::request(table, question),
        crate::llm::Cancellable {
            inner: crate::llm::NullSink,
            cancel: std::sync::Arc::clone(cancel),
        },
    )?;
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(SheetError::Cancelled);
    }
    let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
    let by_model = serde_json::from_str::<model_plan::Flat>(&done.text)
        .ok()
        .and_then(|flat| flat.to_plan(table))
        .filter(|p| p.check(table).is_ok())
        .filter(|p| reading::ignored(p, &found).is_empty())
        .filter(|p| reading::unasked(p, &found, table).is_empty())
        .filter(|p| reading::unplanned(&read_as, p, table).is_empty())
        .filter(|p| reading::said_function_planned(question, p));
    match by_model {
        Some(p) => Reply::answered(wb, index, &p, PlannedBy::Model, Some(done.text), plan_ms),
        None => Ok(Reply::declined(
            wb,
            index,
            question,
            plan.as_ref(),
            unmatched,
            Some(done.text),
            plan_ms,
        )),
    }
}
