//! The model library: the catalog of recommended models (a data file,
//! `assets/models/catalog.json`), and which of them fit this computer.

pub mod catalog;
pub mod fit;

pub use catalog::{catalog, CatalogEntry, CatalogError};
pub use fit::{assess, available_memory, best_fit, Assessment, Fit};
