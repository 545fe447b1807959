//! The numbers a verdict rests on, computed from a text's token scores:
//! perplexity, burstiness (spread of sentence perplexity, as GPTZero
//! describes it), mean log-rank, and Fast-DetectGPT's analytic sampling
//! discrepancy (Bao et al., ICLR 2024), which compares the text's
//! log-likelihood with what the model itself would expect to write.

use serde::{Deserialize, Serialize};

use crate::llm::{TextScores, TokenScore};

/// Sentences with fewer scored tokens than this are left out of burstiness
/// and get no probability of their own: too little to say anything.
pub const MIN_SENTENCE_TOKENS: usize = 4;

/// What the detector measures on a text (or one sentence of it).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Features {
    /// Scored tokens.
    pub tokens: usize,
    /// Mean log-likelihood per token (nats; closer to 0 = more predictable).
    pub mean_log_likelihood: f64,
    /// exp(-mean log-likelihood).
    pub perplexity: f64,
    /// Standard deviation of the sentences' log-perplexity (nats): human
    /// writing tends to vary more from sentence to sentence.
    pub burstiness: f64,
    /// Mean natural log of each token's rank (0 = always the first choice).
    pub log_rank: f64,
    /// Mean entropy of the model's predictive distribution (nats).
    pub entropy: f64,
    /// (log-likelihood - its expectation) / its standard deviation, summed
    /// over tokens: large when the text is more probable than the model's
    /// own samples would typically be.
    pub discrepancy: f64,
    /// Share of tokens that were the model's first choice (GLTR's top-1
    /// bucket, Gehrmann et al., 2019).
    pub top1: f64,
    /// Share of tokens among the model's ten first choices.
    pub top10: f64,
    /// Share of tokens among the model's hundred first choices.
    pub top100: f64,
    /// Standard deviation of the tokens' log-probabilities.
    pub log_prob_spread: f64,
    /// Standard deviation of the per-token entropy.
    pub entropy_spread: f64,
}

impl Features {
    /// The features of these tokens; `burstiness` comes from the caller
    /// (it needs sentences).
    pub fn of(tokens: &[TokenScore], burstiness: f64) -> Features {
        let n = tokens.len();
        if n == 0 {
            return Features::default();
        }
        let nf = n as f64;
        let ll: f64 = tokens.iter().map(|t| f64::from(t.log_prob)).sum();
        let expected: f64 = tokens.iter().map(|t| f64::from(t.expected_log_prob)).sum();
        let variance: f64 = tokens.iter().map(|t| f64::from(t.variance)).sum();
        let log_rank: f64 = tokens.iter().map(|t| f64::from(t.rank.max(1)).ln()).sum();
        let mean_ll = ll / nf;
        let spread = (tokens
            .iter()
            .map(|t| (f64::from(t.log_prob) - mean_ll).powi(2))
            .sum::<f64>()
            / nf)
            .sqrt();
        Features {
            tokens: n,
            mean_log_likelihood: mean_ll,
            perplexity: (-mean_ll).exp(),
            burstiness,
            log_rank: log_rank / nf,
            entropy: -expected / nf,
            discrepancy: (ll - expected) / variance.max(1e-9).sqrt(),
            top1: tokens.iter().filter(|t| t.rank == 1).count() as f64 / nf,
            top10: tokens.iter().filter(|t| t.rank <= 10).count() as f64 / nf,
            top100: tokens.iter().filter(|t| t.rank <= 100).count() as f64 / nf,
            log_prob_spread: spread,
            entropy_spread: {
                let mean = -expected / nf;
                (tokens
                    .iter()
                    .map(|t| (-f64::from(t.expected_log_prob) - mean).powi(2))
                    .sum::<f64>()
                    / nf)
                    .sqrt()
            },
        }
    }

    /// A named feature, for calibration files.
    pub fn get(&self, name: &str) -> Option<f64> {
        // A product of two features ("entropy*discrepancy"): lets a linear
        // calibration bend where one feature changes what another means.
        if let Some((a, b)) = name.split_once('*') {
            return Some(self.get(a)? * self.get(b)?);
        }
        Some(match name {
            "mean_log_likelihood" => self.mean_log_likelihood,
            "perplexity" => self.perplexity,
            "burstiness" => self.burstiness,
            "log_rank" => self.log_rank,
            "entropy" => self.entropy,
            "discrepancy" => self.discrepancy,
            "tokens" => self.tokens as f64,
            "top1" => self.top1,
            "top10" => self.top10,
            "log_prob_spread" => self.log_prob_spread,
            "top100" => self.top100,
            "entropy_spread" => self.entropy_spread,
            // Binoculars (Hans et al., 2024) with one model as observer and
            // performer: perplexity relative to the model's own entropy.
            "binoculars" => -self.mean_log_likelihood / self.entropy.max(1e-9),
            _ => return None,
        })
    }
}

/// One sentence of the text: its byte range and the tokens that start in it.
#[derive(Debug, Clone)]
pub struct SentenceScores {
    pub start: usize,
    pub end: usize,
    pub features: Option<Features>,
}

/// The text's features and each sentence's.
pub fn measure(text: &str, scores: &TextScores) -> (Features, Vec<SentenceScores>) {
    measure_with(text, scores, WARM_UP)
}

/// Tokens at the very start of a text are guessed with almost no context,
/// so they are surprising whoever wrote them; the text's features leave
/// them out (sentences keep them).
pub const WARM_UP: usize = 0;

/// [`measure`], leaving the first `warm_up` tokens out of the text's features.
pub fn measure_with(
    text: &str,
    scores: &TextScores,
    warm_up: usize,
) -> (Features, Vec<SentenceScores>) {
    let spans = crate::lang::sentence_spans(text);
    let mut sentences = Vec::with_capacity(spans.len());
    let mut at = 0;
    for span in spans {
        let from = at;
        while at < scores.scored.len() && scores.scored[at].start < span.end {
            at += 1;
        }
        let tokens = &scores.scored[from..at];
        let features = (tokens.len() >= MIN_SENTENCE_TOKENS).then(|| Features::of(tokens, 0.0));
        if text[span.clone()].trim().is_empty() {
            continue;
        }
        sentences.push(SentenceScores {
            start: span.start,
            end: span.end,
            features,
        });
    }
    let per_sentence: Vec<f64> = sentences
        .iter()
        .filter_map(|s| s.features.map(|f| -f.mean_log_likelihood))
        .collect();
    let burstiness = std_dev(&per_sentence);
    let skip = warm_up.min(scores.scored.len().saturating_sub(MIN_SENTENCE_TOKENS));
    let mut text_features = Features::of(&scores.scored[skip..], burstiness);
    text_features.burstiness = burstiness;
    for s in &mut sentences {
        if let Some(f) = &mut s.features {
            // A sentence has no spread of its own: it is judged with the text's.
            f.burstiness = burstiness;
        }
    }
    (text_features, sentences)
}

/// The text's features with each sentence left out in turn (its tokens
/// and its share of burstiness), so a verdict can say which sentences
/// weighed on it: None for a sentence with no scored tokens of its own, or
/// when leaving it out would leave too few tokens to measure.
pub fn without_each(scores: &TextScores, sentences: &[SentenceScores]) -> Vec<Option<Features>> {
    let per_sentence: Vec<Option<f64>> = sentences
        .iter()
        .map(|s| s.features.map(|f| -f.mean_log_likelihood))
        .collect();
    sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let inside = |t: &TokenScore| t.start >= s.start && t.start < s.end;
            let kept: Vec<TokenScore> = scores
                .scored
                .iter()
                .filter(|t| !inside(t))
                .copied()
                .collect();
            let left_out = scores.scored.len() - kept.len();
            if left_out == 0 || kept.len() < MIN_SENTENCE_TOKENS {
                return None;
            }
            let others: Vec<f64> = per_sentence
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .filter_map(|(_, v)| *v)
                .collect();
            Some(Features::of(&kept, std_dev(&others)))
        })
        .collect()
}

/// Population standard deviation; 0 for fewer than two values.
fn std_dev(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

/// Scores for a text whose words (split at spaces) carry these
/// log-probabilities, one token per word, rank 1: for unit tests.
#[cfg(test)]
pub(crate) fn scored_words(text: &str, log_probs: &[f32]) -> TextScores {
    let mut scored = Vec::new();
    let mut at = 0;
    for (w, &log_prob) in text.split_inclusive(' ').zip(log_probs) {
        scored.push(TokenScore {
            start: at,
            end: at + w.len(),
            log_prob,
            rank: 1,
            expected_log_prob: -2.0,
            variance: 1.0,
        });
        at += w.len();
    }
    TextScores {
        model: "m".into(),
        tokens: scored.len() + 1,
        scored,
        ms: 0.0,
        stats_ms: 0.0,
        cancelled: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(start: usize, end: usize, log_prob: f32, rank: u32) -> TokenScore {
        TokenScore {
            start,
            end,
            log_prob,
            rank,
            expected_log_prob: -2.0,
            variance: 1.0,
        }
    }

    #[test]
    fn discrepancy_is_the_standardised_likelihood_gap() {
        let tokens = vec![
            token(0, 1, -1.0, 1),
            token(1, 2, -1.0, 1),
            token(2, 3, -1.0, 3),
        ];
        let f = Features::of(&tokens, 0.0);
        // (-3 - -6) / sqrt(3)
        assert!((f.discrepancy - 3.0 / 3f64.sqrt()).abs() < 1e-9);
        assert!((f.perplexity - 1f64.exp()).abs() < 1e-9);
        assert!((f.log_rank - 3f64.ln() / 3.0).abs() < 1e-9);
        assert!((f.entropy - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_product_of_two_features_is_named_with_a_star() {
        let f = Features {
            entropy: 2.0,
            discrepancy: -1.5,
            ..Features::default()
        };
        assert_eq!(f.get("entropy*discrepancy"), Some(-3.0));
        assert_eq!(f.get("entropy*entropy"), Some(4.0));
        assert_eq!(f.get("entropy*nonsense"), None);
    }

    #[test]
    fn sentences_take_the_tokens_that_start_in_them() {
        let text = "One two three four. Five six seven eight nine.";
        let lps: Vec<f32> = (0..9).map(|i| if i < 4 { -1.0 } else { -3.0 }).collect();
        let scores = scored_words(text, &lps);
        let (f, sentences) = measure(text, &scores);
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].features.map(|f| f.tokens), Some(4));
        assert_eq!(sentences[1].features.map(|f| f.tokens), Some(5));
        // Sentence log-perplexities 1 and 3: spread 1.
        assert!((f.burstiness - 1.0).abs() < 1e-9);
        assert_eq!(f.tokens, 9);
    }
}
