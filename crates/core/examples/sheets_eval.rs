//! The spreadsheet question set's accuracy report: for each operation,
//! how many questions the phrase reader alone, the model's plans alone,
//! and Deskpilot (the model's plan checked against the reader) answer
//! exactly as pandas does. Prints a Markdown table for the README.
//!
//! Usage: sheets_eval --model PATH   (set from `scripts/sheets-eval.sh`)

#[path = "../tests/common/sheet_questions.rs"]
mod sheet_questions;

use std::path::PathBuf;

use deskpilot_core::llm::{Engine, EngineConfig};
use deskpilot_core::sheets::{self, exec, model_plan};

use sheet_questions::Tally;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("sheets_eval: {msg}");
    std::process::exit(2);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let model = match (args.next().as_deref(), args.next()) {
        (Some("--model"), Some(p)) => PathBuf::from(p),
        _ => fail("usage: sheets_eval --model PATH"),
    };
    let questions = sheet_questions::load();
    let books = sheet_questions::workbooks(&questions);
    let engine = Engine::start(EngineConfig::new(&model)).unwrap_or_else(|e| fail(e));
    let (mut reader, mut alone, mut both) = (Tally::default(), Tally::default(), Tally::default());
    let mut plan_ms = Vec::new();
    let mut wrong = Vec::new();
    let mut held = Tally::default();
    for q in &questions {
        let wb = &books[&q.file];
        let by_reader = sheets::answer_by_phrase(wb, &q.question)
            .map(|(_, a)| a.value())
            .unwrap_or_default();
        reader.add(&q.op, q.expect.matches(&by_reader));
        match sheets::answer(&engine, wb, &q.question, &Default::default()) {
            Ok(planned) => {
                plan_ms.push(planned.plan_ms);
                let right = q.expect.matches(&planned.answer.value());
                both.add(&q.op, right);
                if q.held_out {
                    held.add(&q.op, right);
                }
                if !right {
                    wrong.push(format!("#{} {}", q.id, q.question));
                }
                let table = &wb.tables[planned.table];
                let by_model = planned
                    .model_plan
                    .as_deref()
                    .and_then(|raw| serde_json::from_str::<model_plan::Flat>(raw).ok())
                    .and_then(|flat| flat.to_plan(table))
                    .and_then(|plan| exec::run(table, &plan).ok())
                    .map(|a| a.value())
                    .unwrap_or_default();
                alone.add(&q.op, q.expect.matches(&by_model));
            }
            Err(e) => {
                wrong.push(format!("#{} {} ({e})", q.id, q.question));
                if q.held_out {
                    held.add(&q.op, false);
                }
                both.add(&q.op, false);
                alone.add(&q.op, false);
            }
        }
    }
    println!("model: {}", model.display());
    println!(
        "questions: {} over {} workbooks; answers compared with pandas to the stated rounding",
        questions.len(),
        books.len()
    );
    println!();
    println!("| operation | questions | phrase reader alone | model's plans alone | Deskpilot |");
    println!("|---|---|---|---|---|");
    for op in both.ops() {
        let n = both.of(&op).1;
        println!(
            "| {op} | {n} | {} | {} | {} |",
            reader.of(&op).0,
            alone.of(&op).0,
            both.of(&op).0
        );
    }
    let pct = |t: &Tally| 100.0 * t.right() as f64 / t.total().max(1) as f64;
    println!(
        "| **all** | {} | {} ({:.0}%) | {} ({:.0}%) | {} ({:.0}%) |",
        both.total(),
        reader.right(),
        pct(&reader),
        alone.right(),
        pct(&alone),
        both.right(),
        pct(&both)
    );
    println!(
        "\nheld-out questions (never used to tune the reader): {} of {} right",
        held.right(),
        held.total()
    );
    for w in &wrong {
        println!("\nwrong: {w}");
    }
    plan_ms.sort_by(f64::total_cmp);
    if let Some(median) = plan_ms.get(plan_ms.len() / 2) {
        println!(
            "\nplanning time per question: median {:.0} ms, slowest {:.0} ms",
            median,
            plan_ms.last().copied().unwrap_or_default()
        );
    }
}
