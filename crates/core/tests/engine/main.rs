//! Engine tests against the real models (SmolLM2 and Gemma 3 270M, fetched by
//! `scripts/setup.sh --test`). A missing model fails the test with a message
//! saying how to fetch it: model tests are never skipped silently.

#[path = "../common/corpus.rs"]
mod corpus_files;
#[path = "../common/detect_eval.rs"]
mod detect_eval_file;
#[path = "../common/sheet_questions.rs"]
mod sheet_question_set;

mod ask;
mod cancel;
mod chunks;
mod context;
mod detect;
mod determinism;
mod files;
mod grammar;
mod queue;
mod remote;
mod sheet_questions;
mod summarize;
mod support;
mod templates;
mod workflows;
