//! The context budget (trimming old history, never the system prompt or the
//! newest message) and KV-cache reuse across turns.

use deskpilot_core::llm::{
    ChatMessage, ChatRequest, EngineConfig, LlmError, NullSink, SamplingParams,
};

use crate::support::{engine, smollm2};

fn long_history(turns: usize) -> Vec<ChatMessage> {
    let mut m = vec![ChatMessage::system("You are a helpful office assistant.")];
    for i in 0..turns {
        m.push(ChatMessage::user(format!(
            "Note {i}: the supplier meeting moved to room {i}, bring the signed contract and the budget sheet."
        )));
        m.push(ChatMessage::assistant(format!(
            "Understood, note {i} recorded: room {i}, signed contract and budget sheet."
        )));
    }
    m.push(ChatMessage::user("Which room is the last meeting in?"));
    m
}

#[test]
fn a_history_longer_than_the_context_is_trimmed_and_reported() {
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 512;
    let e = deskpilot_core::llm::Engine::start(cfg).unwrap();
    let messages = long_history(30);
    let whole = e
        .count_tokens(
            &messages
                .iter()
                .map(|m| m.content.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .unwrap();
    assert!(whole > 512, "history of {whole} tokens should not fit");
    let done = e
        .chat(
            ChatRequest {
                messages,
                sampling: SamplingParams {
                    max_tokens: 32,
                    ..SamplingParams::greedy()
                },
            },
            NullSink,
        )
        .unwrap();
    assert!(
        done.trimmed.messages > 0,
        "nothing was reported as left out"
    );
    assert!(
        done.trimmed.messages.is_multiple_of(2),
        "whole turns are dropped"
    );
    assert!(done.trimmed.tokens > 0);
    assert!(done.prompt_tokens + 32 <= 512);
    assert!(done.generated_tokens > 0);
}

#[test]
fn a_newest_message_that_cannot_fit_is_an_error_not_a_silent_cut() {
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 256;
    let e = deskpilot_core::llm::Engine::start(cfg).unwrap();
    let huge = "word ".repeat(1000);
    let err = e
        .chat(
            ChatRequest {
                messages: vec![ChatMessage::user(huge)],
                sampling: SamplingParams::greedy(),
            },
            NullSink,
        )
        .unwrap_err();
    assert!(matches!(err, LlmError::PromptTooLong { .. }), "{err}");
    assert!(err.to_string().contains("256"), "{err}");
    // The engine is still usable afterwards.
    let ok = e
        .chat(
            ChatRequest {
                messages: vec![ChatMessage::user("Hello!")],
                sampling: SamplingParams {
                    max_tokens: 8,
                    ..SamplingParams::greedy()
                },
            },
            NullSink,
        )
        .unwrap();
    assert!(ok.generated_tokens > 0);
}

#[test]
fn the_kv_cache_of_earlier_turns_is_reused() {
    let e = engine(smollm2());
    let sampling = SamplingParams {
        max_tokens: 24,
        ..SamplingParams::greedy()
    };
    let mut messages = vec![
        ChatMessage::system("You are a concise assistant."),
        ChatMessage::user("Suggest a name for a bakery."),
    ];
    let first = e
        .chat(
            ChatRequest {
                messages: messages.clone(),
                sampling: sampling.clone(),
            },
            NullSink,
        )
        .unwrap();
    assert_eq!(first.reused_tokens, 0);
    messages.push(ChatMessage::assistant(first.text.clone()));
    messages.push(ChatMessage::user("And a slogan for it?"));
    let second = e
        .chat(ChatRequest { messages, sampling }, NullSink)
        .unwrap();
    assert!(
        second.reused_tokens >= first.prompt_tokens,
        "reused {} of the {} tokens of turn one",
        second.reused_tokens,
        first.prompt_tokens
    );
}
