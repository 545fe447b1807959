//! Grammar-constrained generation with both real models: the reply follows
//! the grammar (a sheet plan naming only the table's columns) even where
//! the model on its own would write something else.

use deskpilot_core::docs::Limits;
use deskpilot_core::llm::{ChatMessage, ChatRequest, NullSink, SamplingParams};
use deskpilot_core::sheets::{self, model_plan};

use crate::support::{engine, gemma, smollm2};

#[test]
fn a_grammar_holds_the_reply_to_the_tables_columns_with_both_models() {
    let sample = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/samples/sales.xlsx");
    let wb = sheets::open(&sample, None, &Limits::default()).unwrap();
    let table = &wb.tables[0];
    for model in [smollm2(), gemma()] {
        let e = engine(model);
        for question in ["total revenue by region", "write me a poem about the sea"] {
            let done = e
                .chat(model_plan::request(table, question), NullSink)
                .unwrap();
            let flat: model_plan::Flat = serde_json::from_str(&done.text)
                .unwrap_or_else(|err| panic!("{}: {err}: {}", done.model, done.text));
            for col in [&flat.col, &flat.by, &flat.where_col, &flat.col2]
                .into_iter()
                .flatten()
            {
                assert!(table.column(col).is_some(), "{col} is not a column");
            }
        }
        // A grammar llama.cpp cannot parse is an error, not a crash.
        let bad = ChatRequest {
            messages: vec![ChatMessage::user("hi")],
            sampling: SamplingParams {
                max_tokens: 8,
                grammar: Some("root ::= (".into()),
                ..SamplingParams::greedy()
            },
        };
        let err = e.chat(bad, NullSink).unwrap_err();
        assert!(err.to_string().contains("grammar"), "{err}");
    }
}
