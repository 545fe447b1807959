//! Teacher-forced scoring of a given text under the loaded model: for every
//! token, how probable the model found it, its rank among all tokens, and
//! the mean and variance of the log-probability under the model's own
//! predictive distribution at that position (what Fast-DetectGPT's analytic
//! criterion needs). The AI-text detector builds on these numbers.
//!
//! Scoring runs on the engine's worker like a chat request (queued, and
//! cancellable by id between and inside decodes); long texts are scored in
//! overlapping windows so that every token keeps some context.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use serde::{Deserialize, Serialize};

use super::error::LlmError;
use super::sink::{Flow, TokenSink};

/// How a text is cut into windows for scoring.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ScoreOptions {
    /// Tokens per window (capped at the context size).
    pub window: usize,
    /// Tokens of the previous window repeated as context at the start of
    /// the next one (not scored again).
    pub overlap: usize,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            window: 1024,
            overlap: 256,
        }
    }
}

/// One scored token: the text it covers and what the model thought of it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct TokenScore {
    /// Byte range of the token in the scored text.
    pub start: usize,
    pub end: usize,
    /// Natural log of the probability the model gave this token.
    pub log_prob: f32,
    /// 1 for the model's first choice.
    pub rank: u32,
    /// Expected log-probability under the model's distribution at this
    /// position (minus its entropy).
    pub expected_log_prob: f32,
    /// Variance of the log-probability under that distribution.
    pub variance: f32,
}

/// Every token of a text after the first, scored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextScores {
    /// The model's readable name (as model menus show it).
    pub model: String,
    /// Tokens the text became (the first one has no context to be scored in).
    pub tokens: usize,
    pub scored: Vec<TokenScore>,
    pub ms: f64,
    /// Of `ms`, the time spent on the statistics over the vocabulary (the
    /// rest is llama.cpp's decoding).
    #[serde(default)]
    pub stats_ms: f64,
    /// Stopped by a cancel: `scored` holds what was done.
    pub cancelled: bool,
}

/// Lanes the sums over the vocabulary are split into: eight f32 lanes
/// the compiler turns into SIMD registers.
const LANES: usize = 8;

/// e^x for x <= 0 (a logit minus the largest), in f32 without branches so
/// the loop over the vocabulary vectorizes: e^x = 2^n e^r with n the
/// nearest integer to x log2 e (built in the exponent bits) and r = x - n
/// ln 2 (ln 2 split in two parts so r stays exact) in [-0.35, 0.35], where
/// the Taylor polynomial to degree 6 is within f32's own precision. Below
/// -87 it returns e^-87, whose share of a sum that holds a 1 is far under
/// f32's resolution.
#[inline(always)]
fn exp_nonpositive(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.max(-87.0);
    // Round to nearest with SSE2 arithmetic only (1.5 * 2^23).
    let n = (x * std::f32::consts::LOG2_E + 12_582_912.0) - 12_582_912.0;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// The four numbers for the token `target` from one position's logits:
/// log-probability, rank, and the mean and variance of the log-probability
/// under the softmax of `logits`. Two passes over the vocabulary in f32
/// lanes (the first finds the largest logit, the second sums e^z, z e^z and
/// z^2 e^z and counts the logits above the target's), the lanes then added
/// in f64.
pub fn position_stats(logits: &[f32], target: usize) -> (f32, u32, f32, f32) {
    let chosen = logits.get(target).copied().unwrap_or(f32::NEG_INFINITY);
    let (chunks, rest) = logits.split_at(logits.len() - logits.len() % LANES);
    let mut lane_max = [f32::NEG_INFINITY; LANES];
    for chunk in chunks.chunks_exact(LANES) {
        for i in 0..LANES {
            lane_max[i] = if chunk[i] > lane_max[i] {
                chunk[i]
            } else {
                lane_max[i]
            };
        }
    }
    let max = lane_max
        .iter()
        .chain(rest)
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    let (mut s0, mut s1, mut s2) = ([0f32; LANES], [0f32; LANES], [0f32; LANES]);
    let mut above = [0u32; LANES];
    for chunk in chunks.chunks_exact(LANES) {
        for i in 0..LANES {
            let z = chunk[i] - max;
            let e = exp_nonpositive(z);
            s0[i] += e;
            s1[i] += e * z;
            s2[i] += e * z * z;
            above[i] += u32::from(chunk[i] > chosen);
        }
    }
    let (mut t0, mut t1, mut t2) = (0f64, 0f64, 0f64);
    for i in 0..LANES {
        t0 += f64::from(s0[i]);
        t1 += f64::from(s1[i]);
        t2 += f64::from(s2[i]);
    }
    let mut above: u32 = above.iter().sum();
    for &l in rest {
        let z = f64::from(l - max);
        let e = z.exp();
        t0 += e;
        t1 += e * z;
        t2 += e * z * z;
        above += u32::from(l > chosen);
    }
    let log_z = t0.ln();
    let mean_z = t1 / t0;
    let log_prob = f64::from(chosen - max) - log_z;
    let expected = mean_z - log_z;
    let variance = (t2 / t0 - mean_z * mean_z).max(0.0);
    (log_prob as f32, above + 1, expected as f32, variance as f32)
}

/// The windows a text of `n` tokens is scored in: `(start, end, first
/// scored target)`; targets run from `first` to `end - 1` and together cover
/// 1..n exactly once.
pub fn windows(n: usize, options: ScoreOptions) -> Vec<(usize, usize, usize)> {
    let window = options.window.max(2);
    let overlap = options.overlap.min(window / 2);
    let mut out = Vec::new();
    if n < 2 {
        return out;
    }
    let (mut start, mut first) = (0, 1);
    loop {
        let end = (start + window).min(n);
        out.push((start, end, first));
        if end == n {
            return out;
        }
        first = end;
        start = end - overlap.max(1);
    }
}

/// Scores `text` on the worker's context. The KV cache is cleared first
/// and left holding the last window: the caller forgets its chat cache.
#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    ctx: &mut LlamaContext<'_>,
    model: &LlamaModel,
    model_name: &str,
    n_batch: usize,
    text: &str,
    options: ScoreOptions,
    cancel: &AtomicBool,
    sink: &mut dyn TokenSink,
) -> Result<TextScores, LlmError> {
    let started = Instant::now();
    let vocab = model.vocab();
    // The text is content: "<|im_start|>" in it stays text.
    let tokens = vocab.tokenize(text.as_bytes(), true, false);
    let mut done = TextScores {
        model: model_name.to_owned(),
        tokens: tokens.len(),
        scored: Vec::with_capacity(tokens.len()),
        ms: 0.0,
        stats_ms: 0.0,
        cancelled: false,
    };
    let spans = token_spans(model, &tokens, text.len());
    // A model that starts every text with BOS gets it at the start of
    // every window, so later windows see what the model was trained on.
    let bos = tokens
        .first()
        .copied()
        .filter(|&t| t == vocab.bos() && spans[0].0 == spans[0].1);
    let n_vocab = usize::try_from(model.n_vocab()).unwrap_or(0).max(1);
    // Logits for every output cost n_vocab floats each: keep a batch's
    // under about 256 MB (gemma's 262k vocabulary: 256 tokens).
    let batch_cap = n_batch.min((64 << 20) / n_vocab).max(16);
    let n_ctx = ctx.n_ctx() as usize;
    let options = ScoreOptions {
        window: options.window.min(n_ctx.saturating_sub(1)).max(2),
        ..options
    };
    let total = tokens.len().saturating_sub(1);
    let mut batch = LlamaBatch::new(batch_cap, 1);
    for (start, end, first) in windows(tokens.len(), options) {
        ctx.clear_kv_cache();
        // Window tokens with the position each goes to.
        let mut seq: Vec<(LlamaToken, Option<usize>)> = Vec::with_capacity(end - start + 1);
        if start > 0 {
            if let Some(b) = bos {
                seq.push((b, None));
            }
        }
        seq.extend((start..end).map(|i| (tokens[i], Some(i))));
        let mut at = 0;
        while at < seq.len() {
            if cancel.load(Ordering::Relaxed) {
                done.cancelled = true;
                break;
            }
            let stop = (at + batch_cap).min(seq.len());
            batch.clear();
            let mut outputs = Vec::new();
            for (k, &(tok, index)) in seq[at..stop].iter().enumerate() {
                // Logits here predict the next token: wanted when that one
                // is a target of this window.
                let target = index.map(|i| i + 1).filter(|t| (first..end).contains(t));
                batch
                    .add(tok, (at + k) as i32, &[0], target.is_some())
                    .map_err(|e| LlmError::Decode(e.to_string()))?;
                if let Some(target) = target {
                    outputs.push((k, target));
                }
            }
            if let Err(e) = super::turn::decode(ctx, &mut batch) {
                if cancel.load(Ordering::Relaxed) {
                    done.cancelled = true;
                    break;
                }
                return Err(LlmError::Decode(e.to_string()));
            }
            let stats_started = Instant::now();
            for (k, target) in outputs {
                let logits = ctx.get_logits_ith(k as i32);
                let want = usize::try_from(tokens[target].0).unwrap_or(usize::MAX);
                let (log_prob, rank, expected_log_prob, variance) = position_stats(logits, want);
                let (s, e) = spans[target];
                done.scored.push(TokenScore {
                    start: s,
                    end: e,
                    log_prob,
                    rank,
                    expected_log_prob,
                    variance,
                });
            }
            done.stats_ms += stats_started.elapsed().as_secs_f64() * 1000.0;
            at = stop;
            if sink.on_prompt_progress(done.scored.len(), total) == Flow::Stop {
                done.cancelled = true;
                break;
            }
        }
        if done.cancelled {
            break;
        }
    }
    ctx.clear_kv_cache();
    done.ms = (started.elapsed().as_secs_f64() * 1e5).round() / 100.0;
    Ok(done)
}

/// Byte range of each token in the text: the pieces laid end to end. A
/// tokenizer that adds a leading space (SentencePiece) makes the pieces
/// longer than the text; the surplus is taken off the front.
fn token_spans(model: &LlamaModel, tokens: &[LlamaToken], text_len: usize) -> Vec<(usize, usize)> {
    let vocab = model.vocab();
    let lens: Vec<usize> = tokens
        .iter()
        .map(|&t| vocab.token_to_piece(t, false, None).len())
        .collect();
    let surplus = lens.iter().sum::<usize>().saturating_sub(text_len);
    let mut at = 0usize;
    lens.iter()
        .map(|len| {
            let s = at.saturating_sub(surplus).min(text_len);
            at += len;
            let e = at.saturating_sub(surplus).min(text_len);
            (s, e)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_a_uniform_distribution_are_exact() {
        let logits = vec![0.5f32; 8];
        let (lp, rank, mean, var) = position_stats(&logits, 3);
        let expect = -(8f32).ln();
        assert!((lp - expect).abs() < 1e-5);
        assert_eq!(rank, 1);
        assert!((mean - expect).abs() < 1e-5);
        assert!(var.abs() < 1e-6);
    }

    #[test]
    fn the_fast_exponential_matches_the_exact_one() {
        let mut worst = 0f64;
        let mut x = 0f32;
        while x > -87.0 {
            let got = f64::from(exp_nonpositive(x));
            let want = f64::from(x).exp();
            worst = worst.max((got - want).abs() / want);
            x -= 0.0137;
        }
        assert!(worst < 5e-7, "relative error {worst}");
    }

    #[test]
    fn stats_over_a_vocabulary_match_sums_in_f64() {
        // A vocabulary's worth of logits, spread like a model's.
        let n = 49_153;
        let mut seed = 7u64;
        let logits: Vec<f32> = (0..n)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                ((seed >> 33) as f32 / (1u64 << 31) as f32) * 30.0 - 20.0
            })
            .collect();
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let (mut s0, mut s1, mut s2) = (0f64, 0f64, 0f64);
        for &l in &logits {
            let z = f64::from(l - max);
            s0 += z.exp();
            s1 += z.exp() * z;
            s2 += z.exp() * z * z;
        }
        let target = 1234;
        let lp = f64::from(logits[target] - max) - s0.ln();
        let mean = s1 / s0 - s0.ln();
        let var = s2 / s0 - (s1 / s0).powi(2);
        let rank = 1 + logits.iter().filter(|&&l| l > logits[target]).count() as u32;
        let (got_lp, got_rank, got_mean, got_var) = position_stats(&logits, target);
        assert_eq!(got_rank, rank);
        assert!((f64::from(got_lp) - lp).abs() < 1e-4, "{got_lp} vs {lp}");
        assert!(
            (f64::from(got_mean) - mean).abs() < 1e-4,
            "{got_mean} vs {mean}"
        );
        assert!(
            (f64::from(got_var) - var).abs() < 1e-3 * var.max(1.0),
            "{got_var} vs {var}"
        );
    }

    #[test]
    fn stats_match_a_direct_softmax() {
        let logits = [2.0f32, -1.0, 0.5, 3.0, -4.0];
        let z: f64 = logits.iter().map(|&l| f64::from(l).exp()).sum();
        let p: Vec<f64> = logits.iter().map(|&l| f64::from(l).exp() / z).collect();
        let lp: Vec<f64> = p.iter().map(|q| q.ln()).collect();
        let mean: f64 = p.iter().zip(&lp).map(|(q, l)| q * l).sum();
        let var: f64 = p.iter().zip(&lp).map(|(q, l)| q * (l - mean).powi(2)).sum();
        let (got_lp, rank, got_mean, got_var) = position_stats(&logits, 2);
        assert!((f64::from(got_lp) - lp[2]).abs() < 1e-5);
        assert_eq!(rank, 3, "3.0 and 2.0 are above 0.5");
        assert!((f64::from(got_mean) - mean).abs() < 1e-5);
        assert!((f64::from(got_var) - var).abs() < 1e-5);
    }

    #[test]
    fn windows_score_every_target_once() {
        for n in [0, 1, 2, 3, 10, 100, 1000, 1025, 3000] {
            for (window, overlap) in [(4, 1), (16, 8), (64, 16), (1024, 256)] {
                let ws = windows(n, ScoreOptions { window, overlap });
                let mut targets = Vec::new();
                for &(start, end, first) in &ws {
                    assert!(end - start <= window);
                    assert!(start < first || first == 1);
                    targets.extend(first..end);
                }
                let expect: Vec<usize> = (1..n.max(1)).collect();
                assert_eq!(targets, expect, "n={n} window={window}");
            }
        }
    }
}
