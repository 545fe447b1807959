//! Document readers on real files from `../shared/corpus` (named contents)
//! and on hostile files built here (bombs, deep nesting, lies).

mod contents;
mod edits;
mod hostile;
mod regressions;

#[path = "../common/guard.rs"]
mod guard;

#[path = "../common/corpus.rs"]
mod corpus_files;

#[path = "../common/office.rs"]
mod office;

pub use corpus_files::corpus;
