//! deskpilot-core: everything Deskpilot does except drawing the window. The
//! CLI and the Tauri shell are thin layers over this crate.

#[cfg(all(feature = "llm", feature = "store"))]
pub mod ask;
#[cfg(feature = "llm")]
pub(crate) mod cite;
#[cfg(feature = "llm")]
pub mod config;
#[cfg(feature = "llm")]
pub mod detect;
/// The document readers (crate `deskpilot-readers`), under the name the
/// rest of the core uses.
pub use deskpilot_readers as docs;
#[cfg(all(feature = "llm", feature = "store"))]
pub mod draft;
pub mod edit;
pub mod error_code;
pub use deskpilot_readers::lang;
#[cfg(feature = "llm")]
pub mod llm;
#[cfg(feature = "store")]
pub mod markdown_docx;
pub mod models;
pub mod prompts;
pub mod role;
#[cfg(feature = "server")]
pub mod server;
pub mod sheets;
#[cfg(feature = "store")]
pub mod store;
#[cfg(feature = "llm")]
pub mod summarize;
pub mod support;

pub use error_code::ErrorCode;

#[cfg(all(test, feature = "llm", feature = "store"))]
mod import_loops;
#[cfg(all(feature = "llm", feature = "store"))]
pub mod workflow;
