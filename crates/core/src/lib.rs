//! deskpilot-core: everything Deskpilot does except drawing the window. The
//! CLI and the Tauri shell are thin layers over this crate.

pub mod config;
pub mod docs;
pub mod llm;
