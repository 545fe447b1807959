//! How likely a text is machine-written, judged by the local model: token
//! scores (teacher forcing) become features, a calibration fitted on
//! labelled texts turns them into a probability, and the probability maps
//! to five verdict levels. Never proof; every verdict says so.

pub mod calibration;
pub mod features;
pub mod level;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use calibration::Calibration;
pub use features::{measure, Features, SentenceScores};
pub use level::{Level, MIN_TOKENS};

use crate::docs::{self, DocError};
use crate::llm::{Engine, LlmError, ScoreOptions, TextScores, TokenSink};

/// Said with every verdict. OpenAI withdrew its own classifier after it
/// flagged 9% of human texts; no detector is evidence on its own.
pub const NOTE: &str = "This is a statistical hint, not proof. Detectors like this one \
    misjudge some human writing (especially formulaic, translated or non-native \
    text) and miss edited machine text; do not use it alone to accuse anyone.";

/// What can stop a verdict.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(transparent)]
    Model(#[from] LlmError),
    #[error(transparent)]
    Document(#[from] DocError),
    #[error("{source_name}: there is no text to judge")]
    Empty { source_name: String },
    #[error("calibration {file}: {detail}")]
    Calibration { file: String, detail: String },
    #[error("stopped before the text was scored")]
    Cancelled,
}

impl DetectError {
    /// A stable machine-readable code, for `{code, message}` across IPC.
    pub fn code(&self) -> &'static str {
        match self {
            DetectError::Model(e) => e.code(),
            DetectError::Document(_) => "document",
            DetectError::Empty { .. } => "empty_text",
            DetectError::Calibration { .. } => "calibration",
            DetectError::Cancelled => "cancelled",
        }
    }
}

/// One sentence and how likely it is machine-written, for highlighting.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceVerdict {
    pub text: String,
    /// Byte range in the judged text.
    pub start: usize,
    pub end: usize,
    /// None for a sentence too short to say anything about.
    pub ai_probability: Option<f64>,
}

/// The detector's answer for one text.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// None when the text is too short to judge.
    pub ai_probability: Option<f64>,
    pub level: Level,
    pub perplexity: f64,
    pub burstiness: f64,
    pub log_rank: f64,
    pub discrepancy: f64,
    /// Tokens the text became under the model.
    pub tokens: usize,
    pub sentences: Vec<SentenceVerdict>,
    pub note: String,
    /// The model that judged.
    pub model: String,
    /// Whether the calibration was fitted for this model; when false the
    /// probability is approximate (and the note says so).
    pub calibrated: bool,
}

impl Verdict {
    /// The verdict for a scored text under a calibration.
    pub fn new(text: &str, scores: &TextScores, calibration: &Calibration) -> Verdict {
        let (features, sentences) = measure(text, scores);
        let judged = features.tokens >= MIN_TOKENS;
        let ai_probability = judged.then(|| calibration.probability(&features));
        let level = ai_probability.map_or(Level::TooShort, Level::of);
        let mut note = NOTE.to_owned();
        if !judged {
            note = format!(
                "Too short to judge: {} tokens, at least {MIN_TOKENS} are needed. {note}",
                features.tokens
            );
        }
        if calibration.is_generic() {
            note.push_str(&format!(
                " {} has no calibration of its own, so the probability is approximate.",
                scores.model
            ));
        }
        Verdict {
            ai_probability,
            level,
            perplexity: features.perplexity,
            burstiness: features.burstiness,
            log_rank: features.log_rank,
            discrepancy: features.discrepancy,
            tokens: scores.tokens,
            sentences: sentences
                .into_iter()
                .map(|s| SentenceVerdict {
                    text: text[s.start..s.end].to_owned(),
                    start: s.start,
                    end: s.end,
                    ai_probability: s.features.map(|f| calibration.probability(&f)),
                })
                .collect(),
            note,
            model: scores.model.clone(),
            calibrated: !calibration.is_generic(),
        }
    }
}

/// Where calibrations fitted by the user live: `<data>/detect`.
pub fn calibration_dir() -> Option<PathBuf> {
    crate::config::data_dir().ok().map(|d| d.join("detect"))
}

/// The calibration for the engine's model (see [`Calibration::for_model`]).
pub fn calibration_for(engine: &Engine, dir: Option<&Path>) -> Result<Calibration, DetectError> {
    let model = engine
        .model()
        .ok_or(DetectError::Model(LlmError::EngineStopped))?;
    Calibration::for_model(&model.info.name, &model.info.quantization, dir)
}

/// Judges `text` with the engine's model. `source_name` names the text in
/// errors (a file name, or "the pasted text"); progress goes to `sink`'s
/// `on_prompt_progress`, which may stop the scoring.
pub fn detect_text(
    engine: &Engine,
    text: &str,
    source_name: &str,
    calibration: &Calibration,
    sink: Box<dyn TokenSink>,
) -> Result<Verdict, DetectError> {
    if text.trim().is_empty() {
        return Err(DetectError::Empty {
            source_name: source_name.to_owned(),
        });
    }
    let scores = engine
        .submit_score(text.to_owned(), ScoreOptions::default(), sink)
        .wait()?;
    if scores.cancelled {
        return Err(DetectError::Cancelled);
    }
    Ok(Verdict::new(text, &scores, calibration))
}

/// Opens any file the readers open and judges its text.
pub fn detect_file(
    engine: &Engine,
    path: &Path,
    limits: &docs::Limits,
    calibration: &Calibration,
    sink: Box<dyn TokenSink>,
) -> Result<(String, Verdict), DetectError> {
    let doc = docs::open_with(path, limits)?;
    let text = doc.plain_text();
    let verdict = detect_text(
        engine,
        &text,
        &path.display().to_string(),
        calibration,
        sink,
    )?;
    Ok((text, verdict))
}

/// Area under the ROC curve: the chance that a random machine text scores
/// above a random human one (ties count half). 0.5 is guessing.
pub fn auroc(human: &[f64], machine: &[f64]) -> f64 {
    if human.is_empty() || machine.is_empty() {
        return 0.5;
    }
    let mut all: Vec<(f64, bool)> = human
        .iter()
        .map(|&v| (v, false))
        .chain(machine.iter().map(|&v| (v, true)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann-Whitney U from mid-ranks.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j + 1 < all.len() && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mid * all[i..=j].iter().filter(|x| x.1).count() as f64;
        i = j + 1;
    }
    let (nm, nh) = (machine.len() as f64, human.len() as f64);
    (rank_sum - nm * (nm + 1.0) / 2.0) / (nm * nh)
}
