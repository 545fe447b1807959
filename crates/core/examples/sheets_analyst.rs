//! The analyst question set's report (`tests/sheets-eval/analyst.py`):
//! 758 questions over 42 public tables, English and Chinese. For each
//! split, how many are exactly right, how many are declined (the reply
//! says what was understood and asks), and how many are wrong answers
//! given as answers. The dev split's misses are listed; the frozen test
//! split is only counted, never listed, so it cannot be tuned on.
//!
//! Usage: sheets_analyst (--model PATH | --no-model)
//! SHEETS_ONLY=3,17 prints those dev questions' readings; SHEETS_ASK=
//! "file.xlsx|question" reads one question of your own over a workbook of
//! the set.

use deskpilot_testkit::sheet_questions;

use std::collections::BTreeMap;
use std::path::PathBuf;

use deskpilot_core::llm::{Engine, EngineConfig};
use deskpilot_core::sheets;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("sheets_analyst: {msg}");
    std::process::exit(2);
}

/// A reply as the report lists it: the value and the reading, or what
/// was understood and what was not.
fn said(r: &sheets::Reply) -> String {
    if r.reading.answered {
        format!("{} <- {}", r.value(), r.reading.understood)
    } else {
        format!(
            "declined: understood {}; not understood: {}",
            r.reading.understood,
            r.reading.unmatched.join(", ")
        )
    }
}

/// Right, declined and wrong counts.
#[derive(Default, Clone, Copy)]
struct Count {
    right: usize,
    declined: usize,
    wrong: usize,
}

impl Count {
    fn total(&self) -> usize {
        self.right + self.declined + self.wrong
    }

    fn row(&self, name: &str) -> String {
        let pct = |n: usize| 100.0 * n as f64 / self.total().max(1) as f64;
        format!(
            "| {name} | {} | {} ({:.1}%) | {} ({:.1}%) | {} ({:.1}%) |",
            self.total(),
            self.right,
            pct(self.right),
            self.declined,
            pct(self.declined),
            self.wrong,
            pct(self.wrong)
        )
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let model = match (args.next().as_deref(), args.next()) {
        (Some("--model"), Some(p)) => Some(PathBuf::from(p)),
        (Some("--no-model"), None) => None,
        _ => fail("usage: sheets_analyst (--model PATH | --no-model)"),
    };
    // SHEETS_SET=first runs the first set (tests/sheets-eval/make.py).
    let dir = match std::env::var("SHEETS_SET").as_deref() {
        Ok("first") => sheet_questions::dir(),
        _ => sheet_questions::analyst_dir(),
    };
    let questions = sheet_questions::load_from(&dir);
    let books = sheet_questions::workbooks_in(&dir, &questions);
    let engine = model
        .as_ref()
        .map(|m| Engine::start(EngineConfig::new(m)).unwrap_or_else(|e| fail(e)));
    let mut counts: BTreeMap<(String, String), Count> = BTreeMap::new();
    let mut misses = Vec::new();
    // Questions the model was asked to plan (every word placed, but no
    // reading of the reader's used them all).
    let mut asked_model = 0usize;
    // SHEETS_ONLY=3,17 prints those questions' readings (dev split only).
    let only: Vec<u32> = std::env::var("SHEETS_ONLY")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // SHEETS_ASK="file.xlsx|question" reads one question of your own over
    // one of the set's workbooks (probing the reader with new wordings).
    if let Ok(ask) = std::env::var("SHEETS_ASK") {
        let (file, question) = ask
            .split_once('|')
            .unwrap_or_else(|| fail("SHEETS_ASK=file|question"));
        let wb = books
            .get(file)
            .unwrap_or_else(|| fail(format!("no workbook {file}")));
        match sheets::reply_by_phrase(wb, question) {
            Ok(r) => println!("{}", said(&r)),
            Err(e) => println!("error: {e}"),
        }
        return;
    }
    for q in &questions {
        let picked = only.contains(&q.id) && q.split == "dev";
        if !only.is_empty() && !picked {
            continue;
        }
        let wb = &books[&q.file];
        let reply = match &engine {
            Some(engine) => sheets::reply(engine, wb, &q.question, &Default::default()),
            None => sheets::reply_by_phrase(wb, &q.question),
        };
        if matches!(&reply, Ok(r) if r.model_plan.is_some()) {
            asked_model += 1;
            if q.split != "test" {
                eprintln!("the model planned #{} {}", q.id, q.question);
            }
        }
        let (answered, value, said) = match reply {
            Ok(r) => (r.reading.answered, r.value(), said(&r)),
            Err(e) => (false, serde_json::Value::Null, format!("error: {e}")),
        };
        let right = answered && q.expect.matches(&value);
        if !only.is_empty() {
            println!("#{} {}\n  {said}\n  {:?}\n", q.id, q.question, q.expect);
            continue;
        }
        for key in [
            (q.split.clone(), "all".to_owned()),
            (q.split.clone(), q.lang.clone()),
        ] {
            let key = if key.0.is_empty() {
                ("dev".to_owned(), key.1)
            } else {
                key
            };
            let c = counts.entry(key).or_default();
            match (right, answered) {
                (true, _) => c.right += 1,
                (false, true) => c.wrong += 1,
                (false, false) => c.declined += 1,
            }
        }
        if !right && q.split != "test" {
            let mark = if answered { "WRONG" } else { "declined" };
            misses.push(format!(
                "#{} [{}] {mark}: {}\n    got {said}\n    want {:?}",
                q.id, q.op, q.question, q.expect
            ));
        }
    }
    println!(
        "model: {}",
        model.map_or("none (--no-model)".into(), |m| m.display().to_string())
    );
    println!(
        "{} questions over {} workbooks; answers compared with pandas' to the stated rounding; the model asked to plan {asked_model}\n",
        questions.len(),
        books.len()
    );
    println!("| split | questions | right | declined (asks) | wrong, given as answers |");
    println!("|---|---|---|---|---|");
    for split in ["dev", "test"] {
        for lang in ["all", "en", "zh"] {
            if let Some(c) = counts.get(&(split.to_owned(), lang.to_owned())) {
                let name = match lang {
                    "all" => format!("**{split}**"),
                    l => format!("{split}, {l}"),
                };
                println!("{}", c.row(&name));
            }
        }
    }
    for m in &misses {
        println!("\n{m}");
    }
}
