//! The five verdict levels, with the thresholds of OpenAI's 2023 AI Text
//! Classifier, plus "too short to judge".

use serde::{Deserialize, Serialize};

/// Texts with fewer scored tokens than this get no verdict.
pub const MIN_TOKENS: usize = 50;

/// What the detector says about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    VeryUnlikely,
    Unlikely,
    Unclear,
    Possibly,
    Likely,
    TooShort,
}

impl Level {
    /// The level for a probability: below 0.10 very unlikely, below 0.45
    /// unlikely, below 0.90 unclear, up to 0.98 possibly, above likely.
    pub fn of(probability: f64) -> Level {
        match probability {
            p if p < 0.10 => Level::VeryUnlikely,
            p if p < 0.45 => Level::Unlikely,
            p if p < 0.90 => Level::Unclear,
            p if p <= 0.98 => Level::Possibly,
            _ => Level::Likely,
        }
    }

    /// The five judging levels, least to most likely machine-written.
    pub const ALL: [Level; 5] = [
        Level::VeryUnlikely,
        Level::Unlikely,
        Level::Unclear,
        Level::Possibly,
        Level::Likely,
    ];

    /// The identifier used in JSON (`very_unlikely`, ..., `too_short`).
    pub fn id(self) -> &'static str {
        match self {
            Level::VeryUnlikely => "very_unlikely",
            Level::Unlikely => "unlikely",
            Level::Unclear => "unclear",
            Level::Possibly => "possibly",
            Level::Likely => "likely",
            Level::TooShort => "too_short",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Level::VeryUnlikely => "very unlikely AI-generated",
            Level::Unlikely => "unlikely AI-generated",
            Level::Unclear => "unclear if it is AI-generated",
            Level::Possibly => "possibly AI-generated",
            Level::Likely => "likely AI-generated",
            Level::TooShort => "too short to judge",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_openais() {
        assert_eq!(Level::of(0.0), Level::VeryUnlikely);
        assert_eq!(Level::of(0.0999), Level::VeryUnlikely);
        assert_eq!(Level::of(0.10), Level::Unlikely);
        assert_eq!(Level::of(0.4499), Level::Unlikely);
        assert_eq!(Level::of(0.45), Level::Unclear);
        assert_eq!(Level::of(0.8999), Level::Unclear);
        assert_eq!(Level::of(0.90), Level::Possibly);
        assert_eq!(Level::of(0.98), Level::Possibly);
        assert_eq!(Level::of(0.9801), Level::Likely);
        assert_eq!(Level::of(1.0), Level::Likely);
        assert_eq!(
            serde_json::to_string(&Level::TooShort).unwrap(),
            "\"too_short\""
        );
    }
}
