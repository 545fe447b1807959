//! The rows the store hands out: messages, their roles and statuses, and
//! the citations a reply carries.

use serde::{Deserialize, Serialize};

pub use crate::role::Role;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// Whole: a user's message, or a reply that ended normally.
    Complete,
    /// A reply still being generated (or its writer crashed and no process
    /// has opened the database since).
    Partial,
    /// Stopped by the user; the text so far is kept.
    Cancelled,
    /// Generation failed; `error` says why.
    Failed,
    /// The process writing it died mid-reply; the text up to the last flush
    /// is kept.
    Interrupted,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Complete => "complete",
            MessageStatus::Partial => "partial",
            MessageStatus::Cancelled => "cancelled",
            MessageStatus::Failed => "failed",
            MessageStatus::Interrupted => "interrupted",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<MessageStatus> {
        Some(match s {
            "complete" => MessageStatus::Complete,
            "partial" => MessageStatus::Partial,
            "cancelled" => MessageStatus::Cancelled,
            "failed" => MessageStatus::Failed,
            "interrupted" => MessageStatus::Interrupted,
            _ => return None,
        })
    }
}

/// A passage a reply rests on.
pub use crate::docs::Source as Citation;

/// One stored message.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub session_id: i64,
    pub role: Role,
    pub text: String,
    pub status: MessageStatus,
    pub model: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub generated_tokens: Option<i64>,
    pub prompt_ms: Option<f64>,
    pub generate_ms: Option<f64>,
    pub error: Option<String>,
    pub citations: Vec<Citation>,
    pub created_at: i64,
    pub updated_at: i64,
}
