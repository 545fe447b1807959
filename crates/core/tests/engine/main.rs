//! Engine tests against the real models (SmolLM2 and Gemma 3 270M, fetched by
//! `scripts/setup.sh --test`). A missing model fails the test with a message
//! saying how to fetch it: model tests are never skipped silently.

use deskpilot_testkit::{
    corpus as corpus_files, detect_eval as detect_eval_file, models as support,
    sheet_questions as sheet_question_set,
};

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
mod templates;
mod workflows;
