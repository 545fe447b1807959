//! Sampling settings for one reply and the llama.cpp sampler chain built from
//! them. Temperature 0 means greedy decoding, which is repeatable.

use llama_cpp_2::sampling::LlamaSampler;
use serde::{Deserialize, Serialize};

use super::error::LlmError;

/// How tokens are chosen. The defaults suit small instruction models: mildly
/// creative, with a light repeat penalty so they do not loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SamplingParams {
    /// 0 = greedy (always the most likely token).
    pub temperature: f32,
    pub top_p: f32,
    /// 0 = off.
    pub top_k: i32,
    pub min_p: f32,
    /// 1.0 = off.
    pub repeat_penalty: f32,
    /// How many recent tokens the repeat penalty looks at.
    pub repeat_last_n: i32,
    /// `None` = a fresh seed per reply.
    pub seed: Option<u32>,
    /// Upper bound on generated tokens (the context may stop it earlier).
    pub max_tokens: u32,
    /// Generation ends when the text contains one of these; the stop string
    /// itself is not part of the reply.
    pub stop: Vec<String>,
    /// A GBNF grammar (root rule `root`) the reply must follow. Checked
    /// lazily, as llama.cpp's own tools do: the token the other settings
    /// pick is kept when the grammar allows it, and only otherwise is the
    /// grammar applied to the whole vocabulary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grammar: Option<String>,
}

impl Default for SamplingParams {
    fn default() -> Self {
        SamplingParams {
            temperature: 0.7,
            top_p: 0.9,
            top_k: 40,
            min_p: 0.05,
            repeat_penalty: 1.1,
            repeat_last_n: 64,
            seed: None,
            max_tokens: 512,
            stop: Vec::new(),
            grammar: None,
        }
    }
}

impl SamplingParams {
    /// Greedy decoding with the other defaults.
    pub fn greedy() -> Self {
        SamplingParams {
            temperature: 0.0,
            ..Self::default()
        }
    }

    /// Rejects values llama.cpp would silently misbehave on.
    pub fn validate(&self) -> Result<(), LlmError> {
        let bad = |what: String| Err(LlmError::Sampling(what));
        if !self.temperature.is_finite() || self.temperature < 0.0 {
            return bad(format!(
                "temperature {} (must be 0 or more)",
                self.temperature
            ));
        }
        if !(self.top_p > 0.0 && self.top_p <= 1.0) {
            return bad(format!("top-p {} (must be in (0, 1])", self.top_p));
        }
        if self.top_k < 0 {
            return bad(format!("top-k {} (must be 0 or more)", self.top_k));
        }
        if !(0.0..1.0).contains(&self.min_p) {
            return bad(format!("min-p {} (must be in [0, 1))", self.min_p));
        }
        if !self.repeat_penalty.is_finite() || self.repeat_penalty <= 0.0 {
            return bad(format!(
                "repeat penalty {} (must be above 0)",
                self.repeat_penalty
            ));
        }
        if self.max_tokens == 0 {
            return bad("max tokens 0 (must be at least 1)".into());
        }
        if self.stop.iter().any(String::is_empty) {
            return bad("an empty stop string".into());
        }
        Ok(())
    }

    /// The seed this reply will use: the given one, or one from the clock.
    pub fn effective_seed(&self) -> u32 {
        self.seed.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos() ^ d.as_secs() as u32)
                .unwrap_or(0x5eed)
        })
    }

    /// The llama.cpp sampler chain for these settings.
    pub(crate) fn build(&self, n_vocab: i32, seed: u32) -> LlamaSampler {
        let mut chain = Vec::new();
        if self.repeat_penalty != 1.0 {
            chain.push(LlamaSampler::penalties(
                n_vocab,
                self.repeat_last_n,
                self.repeat_penalty,
                0.0,
                0.0,
            ));
        }
        if self.temperature <= 0.0 {
            chain.push(LlamaSampler::greedy());
        } else {
            if self.top_k > 0 {
                chain.push(LlamaSampler::top_k(self.top_k));
            }
            chain.push(LlamaSampler::top_p(self.top_p, 1));
            if self.min_p > 0.0 {
                chain.push(LlamaSampler::min_p(self.min_p, 1));
            }
            chain.push(LlamaSampler::temp(self.temperature));
            chain.push(LlamaSampler::dist(seed));
        }
        LlamaSampler::chain_simple(chain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        SamplingParams::default().validate().unwrap();
        let e = SamplingParams {
            top_p: 1.5,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("top-p 1.5"), "{e}");
        let e = SamplingParams {
            temperature: f32::NAN,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("temperature"), "{e}");
    }
}
