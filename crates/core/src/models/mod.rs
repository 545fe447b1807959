//! The model library: the catalog of recommended models (a data file,
//! `assets/models/catalog.json`), which of them fit this computer, and the
//! models other apps on it already have.

pub mod catalog;
pub mod fit;
#[cfg(feature = "llm")]
pub mod found;

pub use catalog::{catalog, CatalogEntry, CatalogError};
pub use fit::{assess, available_memory, best_fit, Assessment, Fit};
