//! Fits a conversation into the model's context: the system prompt and the
//! newest message always stay, the oldest turns go first, and the caller
//! learns exactly what was left out.

use serde::{Deserialize, Serialize};

use super::error::LlmError;

pub use crate::role::Role;

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        ChatMessage {
            role,
            content: content.into(),
        }
    }
    pub fn system(content: impl Into<String>) -> Self {
        Self::new(Role::System, content)
    }
    pub fn user(content: impl Into<String>) -> Self {
        Self::new(Role::User, content)
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::new(Role::Assistant, content)
    }
}

/// What the budget left out of the prompt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trimmed {
    /// Oldest history messages dropped.
    pub messages: usize,
    /// Prompt tokens saved by dropping them.
    pub tokens: usize,
}

/// The conversation as it will be sent, with its size in tokens.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub messages: Vec<ChatMessage>,
    pub trimmed: Trimmed,
}

/// Drops the oldest non-system messages until `count` (the templated,
/// tokenized prompt size) is at most `limit`. A kept history always starts
/// with a user turn. `reserved` is only used to explain a failure.
pub(crate) fn fit<F>(
    messages: &[ChatMessage],
    limit: usize,
    n_ctx: u32,
    reserved: usize,
    mut count: F,
) -> Result<Fitted, LlmError>
where
    F: FnMut(&[ChatMessage]) -> Result<usize, LlmError>,
{
    let full = count(messages)?;
    if full <= limit {
        return Ok(Fitted {
            messages: messages.to_vec(),
            trimmed: Trimmed::default(),
        });
    }
    let n_system = messages
        .iter()
        .take_while(|m| m.role == Role::System)
        .count();
    let (system, rest) = messages.split_at(n_system);
    let last = rest.len().saturating_sub(1);
    let mut drop = 1;
    loop {
        // Never start the kept history with an assistant turn.
        while drop < last && rest[drop].role != Role::User {
            drop += 1;
        }
        let drop_now = drop.min(last);
        let candidate: Vec<ChatMessage> = system.iter().chain(&rest[drop_now..]).cloned().collect();
        let tokens = count(&candidate)?;
        if tokens <= limit {
            return Ok(Fitted {
                messages: candidate,
                trimmed: Trimmed {
                    messages: drop_now,
                    tokens: full.saturating_sub(tokens),
                },
            });
        }
        if drop_now >= last {
            return Err(LlmError::PromptTooLong {
                needed: tokens,
                n_ctx,
                reserved,
            });
        }
        drop += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per character plus two per message: a stand-in tokenizer.
    fn count(ms: &[ChatMessage]) -> Result<usize, LlmError> {
        Ok(ms.iter().map(|m| m.content.len() + 2).sum())
    }

    fn convo() -> Vec<ChatMessage> {
        vec![
            ChatMessage::system("sys"),
            ChatMessage::user("aaaaaaaaaa"),
            ChatMessage::assistant("bbbbbbbbbb"),
            ChatMessage::user("cccccccccc"),
            ChatMessage::assistant("dddddddddd"),
            ChatMessage::user("now"),
        ]
    }

    #[test]
    fn a_conversation_that_fits_is_untouched() {
        let f = fit(&convo(), 1000, 1000, 0, count).unwrap();
        assert_eq!(f.messages.len(), 6);
        assert_eq!(f.trimmed, Trimmed::default());
    }

    #[test]
    fn oldest_turns_go_first_and_system_and_newest_stay() {
        // Full: 5 + 12*4 + 5 = 58. Limit 40 forces dropping the first pair.
        let f = fit(&convo(), 40, 64, 8, count).unwrap();
        assert_eq!(f.messages[0], ChatMessage::system("sys"));
        assert_eq!(f.messages.last().unwrap(), &ChatMessage::user("now"));
        assert_eq!(f.messages[1], ChatMessage::user("cccccccccc"));
        assert_eq!(f.trimmed.messages, 2);
        assert_eq!(f.trimmed.tokens, 24);
        assert!(count(&f.messages).unwrap() <= 40);
    }

    #[test]
    fn everything_but_system_and_newest_can_go() {
        let f = fit(&convo(), 10, 16, 6, count).unwrap();
        assert_eq!(f.messages.len(), 2);
        assert_eq!(f.trimmed.messages, 4);
    }

    #[test]
    fn too_long_a_newest_message_is_an_error_not_a_cut() {
        let e = fit(&convo(), 5, 8, 3, count).unwrap_err();
        assert!(
            matches!(e, LlmError::PromptTooLong { needed: 10, .. }),
            "{e}"
        );
    }
}
