//! Document readers on real files from `../shared/corpus` (named contents)
//! and on hostile files built here (bombs, deep nesting, lies).

mod contents;
mod edits;
mod hostile;
mod regressions;

use deskpilot_testkit::{corpus as corpus_files, guard, office};

pub use corpus_files::corpus;
