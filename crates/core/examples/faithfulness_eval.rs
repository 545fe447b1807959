//! The faithfulness evaluation: real documents summarized twice with the
//! same model, once with the support check off (what the model wrote) and
//! once on (what Deskpilot shows). Writes one JSON line per point: the
//! document, its kind, the run, the point, the text of the passages it
//! cites, and the details the check finds missing; and one line per point
//! the check rewrote or dropped. `tests/faithfulness/judge.py` reads it
//! with a second, stricter matcher written apart from the check and prints
//! the report (`scripts/eval-faithfulness.sh` runs both).
//!
//! Documents: news (BBC, from ../shared/detect-eval's human texts),
//! encyclopedia paragraphs (Wikipedia, same file), and every .docx of
//! ../shared/corpus with at least 120 words of text (Chinese ones
//! included), each a file of its own; and the minutes, contracts and
//! Chinese encyclopedia paragraphs of tests/faithfulness/docs (its
//! SOURCES.md says where each came from), a kind per folder.
//!
//! Each document is also asked one question (what it says about the word
//! it repeats most), answered with the check off and on; those lines carry
//! `"task": "ask"`.
//!
//! Usage: faithfulness_eval --model PATH --out FILE [--news 25] [--wiki 25]
//! [--max-words 20000] (documents with more words are left out)
//! [--kinds news,minutes,...] (only these kinds) [--tasks summary,ask]

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use deskpilot_core::ask::{ask_files, AskOptions};
use deskpilot_core::docs::{self, Document, Limits, Source};
use deskpilot_core::llm::{Engine, EngineConfig};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::store::Store;
use deskpilot_core::summarize::{summarize, NoProgress, SummaryOptions};
use deskpilot_core::support::Evidence;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// A real text as a Markdown file of a few paragraphs (three sentences
/// each), so that citations have places to name.
fn as_markdown(title: &str, text: &str) -> String {
    let spans = deskpilot_core::lang::sentence_spans(text);
    let sentences: Vec<&str> = spans.into_iter().map(|r| text[r].trim()).collect();
    let mut md = format!("# {title}\n\n");
    for group in sentences.chunks(3) {
        md.push_str(&group.join(" "));
        md.push_str("\n\n");
    }
    md
}

fn documents(
    dir: &std::path::Path,
    news: usize,
    wiki: usize,
    max_words: usize,
) -> Vec<(String, Document)> {
    let mut out = Vec::new();
    let samples = std::fs::read_to_string(shared().join("detect-eval/samples.jsonl"))
        .expect("../shared/detect-eval/samples.jsonl");
    let mut counts = std::collections::HashMap::new();
    for line in samples.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let domain = v["domain"].as_str().unwrap_or("");
        let (kind, wanted) = match domain {
            "xsum" => ("news", news),
            "squad" => ("encyclopedia", wiki),
            _ => continue,
        };
        if v["label"] != "human" {
            continue;
        }
        let n = counts.entry(kind).or_insert(0usize);
        if *n >= wanted {
            continue;
        }
        *n += 1;
        let text = v["text"].as_str().unwrap_or("");
        let path = dir.join(format!("{kind}-{n:02}.md"));
        std::fs::write(&path, as_markdown(&format!("{kind} {n}"), text)).unwrap();
        if let Ok(d) = docs::open(&path) {
            out.push((kind.to_owned(), d));
        }
    }
    // Minutes, contracts, Chinese encyclopedia: a kind per folder.
    let ours = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/faithfulness/docs");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&ours)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    folders.retain(|f| f.is_dir());
    folders.sort();
    for folder in folders {
        let kind = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            match docs::open(&f) {
                Ok(d) if words_in(&d) < max_words => out.push((kind.clone(), d)),
                Ok(_) => {}
                Err(e) => eprintln!("{}: {e}", f.display()),
            }
        }
    }
    let corpus = shared().join("corpus/docx");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for f in files {
        let Ok(d) = docs::open(&f) else { continue };
        if (120..max_words).contains(&words_in(&d)) {
            let kind = if cjk_in(&d) > 100 {
                "docx-chinese"
            } else {
                "docx"
            };
            out.push((kind.to_owned(), d));
        }
    }
    out
}

/// A document's Chinese characters.
fn cjk_in(d: &Document) -> usize {
    d.blocks
        .iter()
        .flat_map(|b| b.text.chars())
        .filter(|c| deskpilot_core::lang::is_cjk(*c))
        .count()
}

/// A document's length in words, two Chinese characters counting as one.
fn words_in(d: &Document) -> usize {
    let spaced: usize = d
        .blocks
        .iter()
        .map(|b| b.text.split_whitespace().count())
        .sum();
    spaced + cjk_in(d) / 2
}

/// A question a reader would ask of the document: what it says about the
/// word it repeats most (in Chinese, the two characters it repeats most).
fn question_for(doc: &Document) -> Option<String> {
    let text: String = doc
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let cjk = text
        .chars()
        .filter(|c| deskpilot_core::lang::is_cjk(*c))
        .count();
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut bump = |w: String| match counts.iter_mut().find(|(k, _)| *k == w) {
        Some((_, n)) => *n += 1,
        None => counts.push((w, 1)),
    };
    if cjk > 100 {
        let chars: Vec<char> = text.chars().collect();
        for pair in chars.windows(2) {
            let stop = "的了是在和与及也就都而对这那有为中上下个们一不之其或等于以将年月日";
            if pair
                .iter()
                .all(|c| deskpilot_core::lang::is_cjk(*c) && !stop.contains(*c))
            {
                bump(pair.iter().collect());
            }
        }
    } else {
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            let lower = w.to_lowercase();
            if lower.chars().count() >= 5
                && lower.chars().all(char::is_alphabetic)
                && !deskpilot_core::lang::is_stopword(&lower)
            {
                bump(lower);
            }
        }
    }
    // The most repeated; the first seen on a tie.
    let (word, n) =
        counts
            .into_iter()
            .fold(None::<(String, usize)>, |best, (w, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((w, n)),
            })?;
    (n >= 2).then(|| {
        if cjk > 100 {
            format!("文件中关于{word}说了什么？")
        } else {
            format!("What does the document say about {word}?")
        }
    })
}

fn main() {
    let model = PathBuf::from(arg("--model").expect("--model PATH"));
    let out_path = PathBuf::from(arg("--out").expect("--out FILE"));
    let news = arg("--news").and_then(|v| v.parse().ok()).unwrap_or(25);
    let wiki = arg("--wiki").and_then(|v| v.parse().ok()).unwrap_or(25);
    let max_words = arg("--max-words")
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut cfg = EngineConfig::new(model.clone());
    cfg.n_ctx = 4096;
    let engine = Engine::start(cfg).expect("the model loads");
    let model_name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut docs = documents(dir.path(), news, wiki, max_words);
    if let Some(kinds) = arg("--kinds") {
        let wanted: Vec<&str> = kinds.split(',').collect();
        docs.retain(|(kind, _)| wanted.contains(&kind.as_str()));
    }
    let tasks = arg("--tasks").unwrap_or_else(|| "summary,ask".to_owned());
    let (do_summary, do_ask) = (tasks.contains("summary"), tasks.contains("ask"));
    eprintln!("{} documents", docs.len());
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("--out"));
    let options = SummaryOptions::default();
    // Questions asked of each file go through the store, as in the app.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let store = rt
        .block_on(Store::open(&dir.path().join("eval.sqlite3")))
        .expect("a store");
    for (i, (kind, doc)) in docs.iter().enumerate() {
        // The passages as the summarizer cut them, to give the judge the
        // text each point cites.
        let chunks = docs::chunk(doc, options.passage_tokens, 0, &mut |t: &str| {
            engine.count_tokens_or_estimate(t)
        });
        // A long paragraph is cut into several passages that all start at
        // it: a citation of it names them all.
        let cited = |sources: &[Source]| -> String {
            sources
                .iter()
                .flat_map(|s| chunks.iter().filter(|c| c.locs.first() == Some(&s.at)))
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        for check in [false, true].into_iter().filter(|_| do_summary) {
            let s = match summarize(
                &engine,
                std::slice::from_ref(doc),
                &SummaryOptions {
                    check_support: check,
                    ..SummaryOptions::default()
                },
                &Prompts::builtin(),
                &mut NoProgress,
                Arc::new(AtomicBool::new(false)),
            ) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{}: {e}", doc.file_name());
                    continue;
                }
            };
            let run = if check { "after" } else { "before" };
            for p in &s.points {
                let text = cited(&p.sources);
                let missing = Evidence::new(&[&text]).missing(&p.text);
                let line = serde_json::json!({
                    "doc": doc.file_name(), "kind": kind, "model": model_name, "run": run,
                    "point": p.text, "cited": text, "check_missing": missing,
                    "locs": p.sources.iter().map(|s| &s.loc).collect::<Vec<_>>(),
                });
                writeln!(out, "{line}").expect("write");
            }
            for u in &s.stats.unsupported.sentences {
                let line = serde_json::json!({
                    "doc": doc.file_name(), "kind": kind, "model": model_name,
                    "run": "checked", "point": u.text, "outcome": u.outcome,
                    "check_missing": u.missing,
                });
                writeln!(out, "{line}").expect("write");
            }
        }
        // A question about the file, answered with the check off and on.
        if let Some(question) = question_for(doc).filter(|_| do_ask) {
            for check in [false, true] {
                let answer = rt.block_on(async {
                    let session = store
                        .create_session(&doc.file_name(), None)
                        .await
                        .map_err(|e| e.to_string())?;
                    let opened = store
                        .open_document(session, &doc.file, &Limits::default())
                        .await
                        .map_err(|e| e.to_string())?;
                    ask_files(
                        &engine,
                        &store,
                        &[opened],
                        &question,
                        &AskOptions {
                            check_support: check,
                            ..AskOptions::default()
                        },
                        &Prompts::builtin(),
                        Arc::new(AtomicBool::new(false)),
                    )
                    .await
                    .map_err(|e| e.to_string())
                });
                let answer = match answer {
                    Ok(a) => a,
                    Err(e) => {
                        eprintln!("{}: {e}", doc.file_name());
                        continue;
                    }
                };
                let run = if check { "after" } else { "before" };
                if answer.found {
                    let cited = answer
                        .passages
                        .iter()
                        .filter(|p| answer.sources.contains(&p.source()))
                        .map(|p| p.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n\n");
                    // The answer less the citation Deskpilot appends.
                    let plain = answer
                        .text
                        .rsplit_once(" [")
                        .map_or(answer.text.as_str(), |(p, _)| p);
                    for span in deskpilot_core::lang::sentence_spans(plain) {
                        let sentence = plain[span].trim();
                        if sentence.is_empty() {
                            continue;
                        }
                        let missing = Evidence::new(&[&cited]).missing(sentence);
                        let line = serde_json::json!({
                            "doc": doc.file_name(), "kind": kind, "task": "ask", "model": model_name,
                            "run": run, "question": question, "point": sentence, "cited": cited,
                            "check_missing": missing,
                        });
                        writeln!(out, "{line}").expect("write");
                    }
                }
                for u in &answer.unsupported.sentences {
                    let line = serde_json::json!({
                        "doc": doc.file_name(), "kind": kind, "task": "ask", "model": model_name,
                        "run": "checked", "point": u.text, "outcome": u.outcome,
                        "check_missing": u.missing,
                    });
                    writeln!(out, "{line}").expect("write");
                }
            }
        }
        // Each document's lines are on disk before the next one starts.
        out.flush().expect("write");
        eprintln!("{}/{} {}", i + 1, docs.len(), doc.file_name());
    }
    out.flush().expect("write");
}
