//! The OpenAI chat-completions format: requests read into the engine's,
//! replies and stream chunks written the way the `openai` client expects.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::llm::{ChatMessage, ChatRequest, Completion, Role, SamplingParams, StopReason};

/// Message content: a string, or parts of which the text ones count.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Content {
    Text(String),
    Parts(Vec<Part>),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Part {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub role: String,
    #[serde(default)]
    pub content: Option<Content>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Stop {
    One(String),
    Many(Vec<String>),
}

/// A `/v1/chat/completions` request body (unknown fields are ignored, as
/// OpenAI-compatible servers do).
#[derive(Debug, Clone, Deserialize)]
pub struct ChatBody {
    #[serde(default)]
    pub model: Option<String>,
    pub messages: Vec<Message>,
    #[serde(default)]
    pub stream: bool,
    #[serde(default)]
    pub max_tokens: Option<u32>,
    #[serde(default)]
    pub max_completion_tokens: Option<u32>,
    #[serde(default)]
    pub temperature: Option<f32>,
    #[serde(default)]
    pub top_p: Option<f32>,
    #[serde(default)]
    pub seed: Option<u32>,
    #[serde(default)]
    pub stop: Option<Stop>,
    #[serde(default)]
    pub frequency_penalty: Option<f32>,
}

/// Why a request cannot be served (answered with HTTP 400).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

impl ChatBody {
    /// The engine's request, or why this one cannot be served.
    pub fn to_request(&self) -> Result<ChatRequest, BadRequest> {
        if self.messages.is_empty() {
            return Err(BadRequest("'messages' is empty".into()));
        }
        let mut messages = Vec::new();
        for (i, m) in self.messages.iter().enumerate() {
            let text = match &m.content {
                Some(Content::Text(t)) => t.clone(),
                Some(Content::Parts(parts)) => parts
                    .iter()
                    .filter(|p| p.kind == "text")
                    .filter_map(|p| p.text.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
                None => String::new(),
            };
            let role = match m.role.as_str() {
                "system" | "developer" => Role::System,
                "user" => Role::User,
                "assistant" => Role::Assistant,
                other => {
                    return Err(BadRequest(format!(
                        "messages[{i}]: role '{other}' is not supported"
                    )))
                }
            };
            messages.push(ChatMessage {
                role,
                content: text,
            });
        }
        let mut sampling = SamplingParams::default();
        if let Some(t) = self.temperature {
            sampling.temperature = t;
        }
        if let Some(p) = self.top_p {
            sampling.top_p = p;
        }
        if let Some(n) = self.max_completion_tokens.or(self.max_tokens) {
            sampling.max_tokens = n;
        }
        sampling.seed = self.seed;
        sampling.stop = match &self.stop {
            Some(Stop::One(s)) => vec![s.clone()],
            Some(Stop::Many(v)) => v.clone(),
            None => Vec::new(),
        };
        if let Some(f) = self.frequency_penalty {
            // OpenAI's 0 means off, like a repeat penalty of 1.
            sampling.repeat_penalty = 1.0 + f.max(0.0) / 2.0;
        }
        sampling.validate().map_err(|e| BadRequest(e.to_string()))?;
        Ok(ChatRequest { messages, sampling })
    }
}

pub fn model(name: &str) -> Value {
    json!({"id": name, "object": "model", "created": 0, "owned_by": "deskpilot"})
}

pub fn models(name: &str) -> Value {
    json!({"object": "list", "data": [model(name)]})
}

pub fn new_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("chatcmpl-{nanos:x}")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn finish_reason(stop: StopReason) -> &'static str {
    match stop {
        StopReason::MaxTokens => "length",
        StopReason::Eos | StopReason::StopString | StopReason::Cancelled => "stop",
    }
}

/// A whole reply.
pub fn completion(done: &Completion) -> Value {
    json!({
        "id": new_id(),
        "object": "chat.completion",
        "created": now(),
        "model": done.model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": done.text},
            "finish_reason": finish_reason(done.stop),
        }],
        "usage": {
            "prompt_tokens": done.prompt_tokens,
            "completion_tokens": done.generated_tokens,
            "total_tokens": done.prompt_tokens + done.generated_tokens,
        },
    })
}

/// One stream chunk: the role first, then text pieces, then the reason.
pub fn chunk(id: &str, model: &str, text: Option<&str>, finish: Option<&str>) -> Value {
    let delta = match (text, finish) {
        (Some(t), _) => json!({"content": t}),
        (None, None) => json!({"role": "assistant", "content": ""}),
        (None, Some(_)) => json!({}),
    };
    json!({
        "id": id,
        "object": "chat.completion.chunk",
        "created": now(),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    })
}

/// A server-sent event carrying `value`.
pub fn sse(value: &Value) -> Vec<u8> {
    format!("data: {value}\n\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_with_text_parts_stop_lists_and_limits_become_engine_requests() {
        let body: ChatBody = serde_json::from_str(
            r#"{"model":"x","messages":[{"role":"developer","content":"Be brief."},
            {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"u"}}]}],
            "max_completion_tokens":7,"temperature":0,"stop":["\n\n"],"seed":3,"stream":true,"n":1}"#,
        )
        .unwrap();
        assert!(body.stream);
        let r = body.to_request().unwrap();
        assert_eq!(r.messages.len(), 2);
        assert_eq!(r.messages[0].role, Role::System);
        assert_eq!(r.messages[1].content, "Hello");
        assert_eq!(r.sampling.max_tokens, 7);
        assert_eq!(r.sampling.stop, ["\n\n"]);
        assert_eq!(r.sampling.seed, Some(3));
        let bad: ChatBody =
            serde_json::from_str(r#"{"messages":[{"role":"tool","content":"x"}]}"#).unwrap();
        assert!(bad.to_request().unwrap_err().0.contains("role 'tool'"));
        let empty: ChatBody = serde_json::from_str(r#"{"messages":[]}"#).unwrap();
        assert!(empty.to_request().is_err());
    }

    #[test]
    fn stream_chunks_open_with_the_role_and_close_with_the_reason() {
        let first = chunk("id", "m", None, None);
        assert_eq!(first["choices"][0]["delta"]["role"], "assistant");
        let piece = chunk("id", "m", Some("Hi"), None);
        assert_eq!(piece["choices"][0]["delta"]["content"], "Hi");
        assert!(piece["choices"][0]["finish_reason"].is_null());
        let last = chunk("id", "m", None, Some("length"));
        assert_eq!(last["choices"][0]["finish_reason"], "length");
        assert!(String::from_utf8(sse(&last))
            .unwrap()
            .starts_with("data: {"));
    }
}
