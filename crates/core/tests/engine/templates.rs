//! Chat templates: the model's own when it has one (SmolLM2), llama.cpp's
//! built-in one for the architecture when it has none (Gemma 3 270M).

use deskpilot_core::llm::{NullSink, StopReason, TemplateSource};

use crate::support::{ask, engine, gemma, smollm2};

#[test]
fn smollm2_uses_its_own_chat_template() {
    let e = engine(smollm2());
    assert_eq!(e.model().unwrap().template, TemplateSource::Model);
    let done = e
        .chat(ask("What is the capital of France?", 32), NullSink)
        .unwrap();
    assert_eq!(done.template, TemplateSource::Model);
    // A model prompted in its own format ends its turn by itself.
    assert_eq!(done.stop, StopReason::Eos, "{:?}", done.text);
    assert!(done.text.contains("Paris"), "{:?}", done.text);
    assert!(
        !done.text.contains("<|im_"),
        "control tokens leaked: {:?}",
        done.text
    );
}

#[test]
fn gemma_without_a_template_gets_the_builtin_gemma_one() {
    let e = engine(gemma());
    let m = e.model().unwrap();
    assert!(m.info.chat_template.is_none());
    assert_eq!(m.template, TemplateSource::Builtin("gemma".into()));
    let done = e.chat(ask("Say hello.", 16), NullSink).unwrap();
    assert_eq!(done.template, TemplateSource::Builtin("gemma".into()));
    assert!(done.generated_tokens > 0);
    assert!(!done.text.contains("<start_of_turn>"), "{:?}", done.text);
}
