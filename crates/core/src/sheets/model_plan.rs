//! The model's part in a sheet question: reading the question into a plan,
//! under a grammar that allows only this table's column names and the
//! algebra's operations, so whatever it writes is a plan that can run. It
//! never computes or states a number; code runs the plan.

use serde::Deserialize;

use super::plan::{Filter, Func, Op, Order, Period, Plan};
use super::table::{Kind, Table};

/// The flat form the model fills in, key by key in a fixed order; short
/// keys keep generation to a few dozen tokens.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Flat {
    pub op: String,
    pub col: Option<String>,
    pub by: Option<String>,
    #[serde(rename = "where")]
    pub where_col: Option<String>,
    pub is: Option<String>,
    pub order: Option<String>,
    pub top: Option<usize>,
    pub per: Option<String>,
    pub col2: Option<String>,
}

const OPS: [&str; 12] = [
    "sum",
    "mean",
    "median",
    "min",
    "max",
    "count",
    "count_distinct",
    "share",
    "max_row",
    "min_row",
    "correlation",
    "missing",
];

/// A JSON string as a GBNF literal.
fn literal(json: &str) -> String {
    format!("\"{}\"", json.replace('\\', "\\\\").replace('"', "\\\""))
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The grammar: one JSON object with the keys in order, column names from
/// the table only.
pub fn grammar(table: &Table) -> String {
    let cols: Vec<String> = table
        .columns
        .iter()
        .map(|c| literal(&json_str(&c.name)))
        .collect();
    let ops: Vec<String> = OPS.iter().map(|o| literal(&json_str(o))).collect();
    format!(
        r#"root ::= "{{\"op\": " op ", \"col\": " col ", \"by\": " col ", \"where\": " col ", \"is\": " val ", \"order\": " order ", \"top\": " top ", \"per\": " per ", \"col2\": " col "}}"
op ::= {ops}
col ::= "null" | {cols}
val ::= "null" | "\"" [^"\\\n]{{1,40}} "\""
order ::= "null" | "\"desc\"" | "\"asc\""
top ::= "null" | [1-9] [0-9]?
per ::= "null" | "\"year\"" | "\"quarter\"" | "\"month\""
"#,
        ops = ops.join(" | "),
        cols = cols.join(" | "),
    )
}

/// The table as the model sees it: names, types, a few values of
/// categories.
fn describe(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| {
            let mut s = format!("- {} ({})", c.name, super::profile::kind_words(c.kind));
            if c.kind == Kind::Category {
                let mut vals: Vec<String> = Vec::new();
                for v in c.values.present() {
                    let k = v.key();
                    if !vals.contains(&k) {
                        vals.push(k);
                    }
                    if vals.len() == 6 {
                        break;
                    }
                }
                s.push_str(&format!(": {}", vals.join(", ")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// System prompt: the table, the operations, and two worked examples built
/// from this table's own columns.
pub fn system_prompt(table: &Table) -> String {
    let num = table.columns.iter().find(|c| c.kind.is_numeric());
    let cat = table.columns.iter().find(|c| c.kind == Kind::Category);
    let mut examples = String::new();
    if let (Some(n), Some(c)) = (num, cat) {
        let value = c
            .values
            .present()
            .next()
            .map(|v| v.key())
            .unwrap_or_default();
        let n_json = json_str(&n.name);
        let c_json = json_str(&c.name);
        examples = format!(
            "\nExamples:\nQ: total {n} by {c}\n{{\"op\": \"sum\", \"col\": {n_json}, \"by\": {c_json}, \"where\": null, \"is\": null, \"order\": null, \"top\": null, \"per\": null, \"col2\": null}}\nQ: average {n} for {value}\n{{\"op\": \"mean\", \"col\": {n_json}, \"by\": null, \"where\": {c_json}, \"is\": {v_json}, \"order\": null, \"top\": null, \"per\": null, \"col2\": null}}",
            n = n.name.to_lowercase(),
            c = c.name.to_lowercase(),
            v_json = json_str(&value),
        );
    }
    format!(
        "You turn a question about a table into a JSON plan. You never compute numbers.\n\
         Columns:\n{}\n\
         op: sum, mean, median, min, max, count, count_distinct, share (of each group), \
         max_row or min_row (the row with the largest or smallest col), correlation (col and col2), \
         missing. by: group by this column. where/is: keep rows where that column has that value. \
         order/top: sort groups and keep the top N. per: year, quarter or month (change over time).{examples}",
        describe(table)
    )
}

/// The request that asks the model for a plan: the table's prompt, the
/// question, greedy decoding under the table's grammar.
#[cfg(feature = "llm")]
pub fn request(table: &Table, question: &str) -> crate::llm::ChatRequest {
    use crate::llm::{ChatMessage, ChatRequest, SamplingParams};
    ChatRequest {
        messages: vec![
            ChatMessage::system(system_prompt(table)),
            ChatMessage::user(format!("Q: {question}")),
        ],
        sampling: SamplingParams {
            max_tokens: 160,
            // A plan repeats keys and names by design.
            repeat_penalty: 1.0,
            grammar: Some(grammar(table)),
            ..SamplingParams::greedy()
        },
    }
}

impl Flat {
    /// The plan it stands for, if it makes one.
    pub fn to_plan(&self, table: &Table) -> Option<Plan> {
        let filters: Vec<Filter> = match (&self.where_col, &self.is) {
            (Some(c), Some(v)) => vec![Filter::new(c.clone(), Op::Eq, v.clone())],
            _ => Vec::new(),
        };
        let func = match self.op.as_str() {
            "sum" | "share" => Func::Sum,
            "mean" => Func::Mean,
            "median" => Func::Median,
            "min" => Func::Min,
            "max" => Func::Max,
            "count" => Func::Count,
            "count_distinct" => Func::CountDistinct,
            "max_row" | "min_row" => {
                return Some(Plan::Extreme {
                    column: self.col.clone()?,
                    largest: self.op == "max_row",
                    filters,
                    label: None,
                    with_value: false,
                    report: None,
                })
            }
            "correlation" => {
                return Some(Plan::Correlation {
                    x: self.col.clone()?,
                    y: self.col2.clone()?,
                    filters,
                })
            }
            "missing" => {
                return Some(Plan::Missing {
                    column: self.col.clone(),
                    also: Vec::new(),
                    filters,
                    total: false,
                })
            }
            _ => return None,
        };
        if let Some(per) = &self.per {
            let period = match per.as_str() {
                "year" => Period::Year,
                "quarter" => Period::Quarter,
                _ => Period::Month,
            };
            let date = table.columns.iter().find(|c| c.kind.is_temporal())?;
            return Some(Plan::Change {
                func,
                column: self.col.clone().unwrap_or_else(|| date.name.clone()),
                date: date.name.clone(),
                period,
                filters,
            });
        }
        Some(Plan::Aggregate {
            func,
            column: if func == Func::Count {
                None
            } else {
                self.col.clone()
            },
            filters,
            group_by: self.by.clone(),
            sort: match self.order.as_deref() {
                Some("desc") => Some(Order::Desc),
                Some("asc") => Some(Order::Asc),
                _ => None,
            },
            limit: self.top,
            share: self.op == "share",
            period: None,
            with_value: false,
        })
    }
}
