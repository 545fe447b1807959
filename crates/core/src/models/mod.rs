//! The model library: the catalog of recommended models (a data file,
//! `assets/models/catalog.json`), which of them fit this computer, the
//! models other apps on it already have, and downloads from Hugging Face.

pub mod catalog;
#[cfg(feature = "llm")]
pub mod download;
pub mod fit;
#[cfg(feature = "llm")]
pub mod found;
pub mod gpu;
#[cfg(feature = "llm")]
pub mod hub;
#[cfg(feature = "llm")]
pub mod library;

pub use catalog::{catalog, CatalogEntry, CatalogError};
pub use fit::{assess, assess_on, available_memory, best_fit, best_fit_on, Assessment, Fit};
