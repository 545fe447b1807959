//! One module per subcommand; each turns parsed flags into core calls and
//! prints the result.

pub mod analyze;
pub mod ask;
pub mod chat;
pub mod detect;
pub mod draft;
pub mod edit;
pub mod extract;
pub mod models;
pub mod pull;
pub mod remote;
pub mod serve;
pub mod sessions;
pub mod summarize;
