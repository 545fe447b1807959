//! Models on this computer: the catalog and what fits (catalog.rs), and
//! downloads from a hub (download.rs). One test binary for both: neither
//! runs a model, and each binary links llama.cpp.

mod catalog;
mod download;
