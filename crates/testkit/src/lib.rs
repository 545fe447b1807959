//! Helpers the test binaries, the examples and the fuzz targets share:
//! one crate instead of files included by path into each.

pub mod corpus;
pub mod guard;

#[cfg(feature = "core")]
pub mod detect_eval;
#[cfg(feature = "core")]
pub mod fake_hub;
#[cfg(feature = "core")]
pub mod models;
#[cfg(feature = "core")]
pub mod office;
#[cfg(feature = "core")]
pub mod sheet_questions;
