//! How likely a text is machine-written, judged by the local model: token
//! scores (teacher forcing) become features, a calibration fitted on
//! labelled texts turns them into a probability, and the probability maps
//! to five verdict levels. Never proof; every verdict says so.

pub mod calibration;
pub mod features;
pub mod level;
mod render;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use calibration::Calibration;
pub use features::{measure, Features, SentenceScores};
pub use level::{Level, MIN_TOKENS};

use crate::docs::{self, DocError};
use crate::llm::{Engine, LlmError, ModelInfo, ScoreOptions, TextScores, TokenSink};

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
    /// How much the sentence weighs on the verdict: the text's log-odds of
    /// being machine-written minus the log-odds with the sentence left out
    /// (log-odds, not probability, so that a confident verdict still tells
    /// its sentences apart). Positive when the sentence pushed toward
    /// machine-written. None when the text is too short to judge or the
    /// sentence holds no token.
    pub weight: Option<f64>,
    /// One of the (at most [`DROVE`]) sentences that pushed the verdict
    /// furthest in its own direction: toward machine-written when the
    /// probability is at least 0.5, toward human otherwise.
    pub drove: bool,
    /// For a sentence that drove the verdict, how hard: `strong` (a weight
    /// of 1 or more), `moderate` (0.3 or more) or `slight`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<&'static str>,
}

/// How many sentences a verdict names as the ones that weighed most.
pub const DROVE: usize = 3;

/// A sentence counts as having driven the verdict only when leaving it out
/// moves the log-odds by at least this much.
const DROVE_AT_LEAST: f64 = 0.05;

/// How hard a sentence pushed, from its weight.
fn strength(weight: f64) -> &'static str {
    match weight.abs() {
        w if w >= 1.0 => "strong",
        w if w >= 0.3 => "moderate",
        _ => "slight",
    }
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
        let weights: Vec<Option<f64>> = match ai_probability {
            Some(_) => {
                let whole = calibration.logit(&features);
                features::without_each(scores, &sentences)
                    .into_iter()
                    .map(|f| f.map(|f| whole - calibration.logit(&f)))
                    .collect()
            }
            None => vec![None; sentences.len()],
        };
        let drove = drivers(ai_probability, &weights);
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
                .zip(weights)
                .enumerate()
                .map(|(i, (s, weight))| SentenceVerdict {
                    text: text[s.start..s.end].to_owned(),
                    start: s.start,
                    end: s.end,
                    ai_probability: s.features.map(|f| calibration.probability(&f)),
                    weight,
                    drove: drove.contains(&i),
                    strength: weight.filter(|_| drove.contains(&i)).map(strength),
                })
                .collect(),
            note,
            model: scores.model.clone(),
            calibrated: !calibration.is_generic(),
        }
    }
}

/// The sentences that pushed the verdict furthest its own way: at most
/// [`DROVE`], each moving the probability by at least [`DROVE_AT_LEAST`].
fn drivers(probability: Option<f64>, weights: &[Option<f64>]) -> Vec<usize> {
    let Some(p) = probability else {
        return Vec::new();
    };
    // Toward machine when the verdict leans that way, toward human otherwise.
    let toward = if p >= 0.5 { 1.0 } else { -1.0 };
    let mut pushed: Vec<(usize, f64)> = weights
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.map(|w| (i, w * toward)))
        .filter(|&(_, w)| w >= DROVE_AT_LEAST)
        .collect();
    pushed.sort_by(|a, b| b.1.total_cmp(&a.1));
    pushed.into_iter().take(DROVE).map(|(i, _)| i).collect()
}

/// Where calibrations fitted by the user live: `<data>/detect`.
pub fn calibration_dir() -> Option<PathBuf> {
    crate::config::data_dir().ok().map(|d| d.join("detect"))
}

/// Whether a calibration was fitted for this model (shipped, or the user's
/// in [`calibration_dir`]); without one its probabilities are approximate.
pub fn has_own_calibration(info: &ModelInfo) -> bool {
    Calibration::for_model(&info.name, &info.quantization, calibration_dir().as_deref())
        .is_ok_and(|c| !c.is_generic())
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

#[cfg(test)]
mod tests {
    use super::features::scored_words as scored;
    use super::*;

    /// p = sigmoid(5 + 2 * mean log-likelihood): likelier text, likelier machine.
    fn calibration() -> Calibration {
        Calibration {
            model: "m".into(),
            quantization: "*".into(),
            features: vec!["mean_log_likelihood".into()],
            mean: vec![0.0],
            scale: vec![1.0],
            weights: vec![2.0],
            bias: 5.0,
            fitted_on: String::new(),
            holdout_auroc: None,
        }
    }

    #[test]
    fn the_sentence_that_pushed_the_verdict_is_named_and_the_others_are_not() {
        // Three sentences of twenty words, one token each; the first is far
        // likelier than the rest: the machine-like one.
        let sentence = |from: usize| {
            let words: Vec<String> = (from..from + 20).map(|i| format!("w{i}")).collect();
            format!("{}. ", words.join(" "))
        };
        let text = format!("{}{}{}", sentence(0), sentence(20), sentence(40));
        let text = text.trim_end();
        let mut lps = vec![-0.5; 20];
        lps.extend([-3.0; 40]);
        let scores = scored(text, &lps);
        let cal = calibration();
        let (features, sentences) = measure(text, &scores);
        let p = cal.probability(&features);
        assert!(p > 0.5, "leans machine: {p}");
        let whole = cal.logit(&features);
        let weights: Vec<Option<f64>> = features::without_each(&scores, &sentences)
            .into_iter()
            .map(|f| f.map(|f| whole - cal.logit(&f)))
            .collect();
        assert_eq!(weights.len(), 3);
        // Without it the mean log-likelihood falls from -13/6 to -3: 5/3 log-odds.
        assert!(
            weights[0].is_some_and(|w| (w - 5.0 / 3.0).abs() < 1e-9),
            "{weights:?}"
        );
        assert!(weights[1].is_some_and(|w| w < 0.0), "{weights:?}");
        assert_eq!(drivers(Some(p), &weights), vec![0]);
        let v = Verdict::new(text, &scores, &cal);
        let named: Vec<_> = v.sentences.iter().filter(|s| s.drove).collect();
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].text.trim(), sentence(0).trim());
        assert_eq!(named[0].strength, Some("strong"));
    }

    #[test]
    fn a_verdict_leaning_human_names_the_sentences_that_pushed_it_there() {
        // Leaving out sentence 1 raises the probability: it pushed toward human.
        let weights = [Some(0.02), Some(-2.0), Some(-0.5), None, Some(0.1)];
        assert_eq!(drivers(Some(0.3), &weights), vec![1, 2]);
        // Leaning machine, only pushes toward machine count, biggest first.
        assert_eq!(drivers(Some(0.7), &weights), vec![4]);
        assert_eq!(
            [-2.0, -0.5, 0.1].map(strength),
            ["strong", "moderate", "slight"]
        );
        // A verdict too short to judge names none.
        assert!(drivers(None, &weights).is_empty());
    }
}
