//! Text embeddings from the loaded model: the mean of its last hidden
//! states over a text's tokens (llama.cpp's mean pooling), scaled to unit
//! length so a dot product is the cosine. Questions about files use them,
//! beside BM25, to rank passages by meaning as well as by words.
//!
//! Embeddings run on a context of their own (made on first use, kept
//! while the model is), so the chat context's cached prefix survives.

use std::sync::atomic::{AtomicBool, Ordering};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;

use super::error::LlmError;

/// Tokens of a text that are embedded at most: its opening, where a
/// passage says what it is about. With the default model, passages
/// embedded by their first 64 tokens were ranked better than by 128 or 256
/// (`examples/eval_retrieval.rs`: MRR 0.563, 0.528, 0.533 against BM25's
/// 0.527), and cost a quarter of 256.
pub const DEFAULT_EMBED_TOKENS: usize = 64;

/// Embeds each text (its first `max_tokens` tokens) with `ctx`, which must
/// have embeddings on and mean pooling. Stops between texts once `cancel`
/// is set, returning an error (a partial list would be misread).
pub(crate) fn run(
    ctx: &mut LlamaContext<'_>,
    model: &LlamaModel,
    texts: &[String],
    max_tokens: usize,
    cancel: &AtomicBool,
) -> Result<Vec<Vec<f32>>, LlmError> {
    let limit = max_tokens.clamp(1, ctx.n_batch() as usize);
    let mut batch = LlamaBatch::new(limit, 1);
    let mut out = Vec::with_capacity(texts.len());
    for text in texts {
        if cancel.load(Ordering::Relaxed) {
            return Err(LlmError::Cancelled);
        }
        let mut tokens = model.vocab().tokenize(text.as_bytes(), true, false);
        tokens.truncate(limit);
        if tokens.is_empty() {
            out.push(Vec::new());
            continue;
        }
        ctx.clear_kv_cache();
        batch.clear();
        for (pos, t) in tokens.iter().enumerate() {
            // Pooled embeddings read every position's state.
            batch
                .add(*t, pos as i32, &[0], true)
                .map_err(|e| LlmError::Decode(e.to_string()))?;
        }
        super::turn::decode(ctx, &mut batch).map_err(|e| LlmError::Decode(e.to_string()))?;
        let v = ctx
            .embeddings_seq_ith(0)
            .map_err(|e| LlmError::Decode(format!("embeddings: {e}")))?;
        out.push(unit(v));
    }
    Ok(out)
}

/// `v` scaled to length 1 (a zero vector stays zero).
fn unit(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter().map(|x| x / norm).collect()
    } else {
        v.to_vec()
    }
}

/// Cosine of two unit vectors (0 when their sizes differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_vectors_have_cosine_one_with_themselves() {
        let a = unit(&[3.0, 4.0]);
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&a, &[1.0]), 0.0);
        assert_eq!(unit(&[0.0, 0.0]), vec![0.0, 0.0]);
    }
}
