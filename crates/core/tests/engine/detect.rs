//! The AI-text detector on the real default model: teacher-forced scores
//! are right (a predictable text scores as predictable; windows do not
//! change the numbers), verdicts separate human from machine texts held out
//! of the calibration, short texts are refused, and scoring cancels.

use std::collections::HashMap;
use std::sync::mpsc;

use deskpilot_core::detect::{self, Calibration, Level, Verdict};
use deskpilot_core::llm::{Flow, NullSink, ScoreOptions, TokenSink};
use serde::Deserialize;

use crate::support::{engine, gemma, smollm2};

fn counting(to: usize) -> String {
    (1..=to)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words in no order a model would predict.
fn word_salad(words: usize) -> String {
    let pool = [
        "violet",
        "granite",
        "umbrella",
        "seventeen",
        "whisper",
        "ledger",
        "copper",
        "harbor",
        "quietly",
        "biscuit",
        "orbit",
        "tangle",
        "marble",
        "fiscal",
        "lantern",
        "pepper",
        "glacier",
        "velvet",
        "rumor",
        "axle",
        "dune",
        "saffron",
        "pivot",
    ];
    // A fixed pseudo-random order: no pattern for the model to copy.
    let mut state = 0x2545_f491_u32;
    (0..words)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            pool[state as usize % pool.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_predictable_text_scores_as_predictable_and_word_salad_does_not() {
    let e = engine(smollm2());
    let count = e.score(&counting(80), ScoreOptions::default()).unwrap();
    let salad = e.score(&word_salad(120), ScoreOptions::default()).unwrap();
    assert_eq!(
        count.scored.len(),
        count.tokens - 1,
        "every token after the first"
    );
    let first = |s: &deskpilot_core::llm::TextScores| {
        s.scored.iter().filter(|t| t.rank == 1).count() as f64 / s.scored.len() as f64
    };
    let mean = |s: &deskpilot_core::llm::TextScores| {
        s.scored.iter().map(|t| f64::from(t.log_prob)).sum::<f64>() / s.scored.len() as f64
    };
    assert!(
        first(&count) > 0.8,
        "counting: {:.2} first choices",
        first(&count)
    );
    assert!(
        first(&salad) < 0.3,
        "salad: {:.2} first choices",
        first(&salad)
    );
    assert!(mean(&count) > mean(&salad) + 3.0);
    for t in &count.scored {
        assert!(t.log_prob <= 0.0 && t.expected_log_prob <= 0.0 && t.variance >= 0.0);
    }
}

#[test]
fn token_spans_cover_the_text_in_order() {
    for model in [smollm2(), gemma()] {
        let e = engine(model);
        let text = "Zoë's café opened in 2019. 咖啡很好喝。 It's <|im_start|> busy!";
        let s = e.score(text, ScoreOptions::default()).unwrap();
        let mut at = s.scored[0].start;
        for t in &s.scored {
            assert_eq!(t.start, at, "tokens follow one another");
            assert!(t.end >= t.start && t.end <= text.len());
            at = t.end;
        }
        assert_eq!(at, text.len(), "{}: the last token ends the text", s.model);
    }
}

#[test]
fn scoring_in_small_windows_gives_the_same_numbers_where_the_context_is_the_same() {
    let e = engine(smollm2());
    let text = word_salad(30) + ". " + &counting(60);
    assert!(e.count_tokens(&text).unwrap() > 150, "several windows");
    let whole = e.score(&text, ScoreOptions::default()).unwrap();
    let small = ScoreOptions {
        window: 48,
        overlap: 16,
    };
    let windowed = e.score(&text, small).unwrap();
    assert_eq!(whole.scored.len(), windowed.scored.len());
    // The first window sees exactly what the whole text does.
    for (a, b) in whole.scored.iter().zip(&windowed.scored).take(47) {
        // llama.cpp's numbers shift a little with the batch size (another
        // summation order): near, not equal. A misplaced window would be
        // off by whole nats.
        assert_eq!((a.start, a.end), (b.start, b.end));
        assert!((a.log_prob - b.log_prob).abs() < 0.5, "{a:?} {b:?}");
    }
    // Later windows lose distant context but still predict the counting.
    let late_firsts = windowed.scored[60..].iter().filter(|t| t.rank == 1).count();
    assert!(late_firsts * 10 > (windowed.scored.len() - 60) * 7);
}

#[test]
fn a_cancelled_scoring_stops_early_and_keeps_what_it_scored() {
    let e = engine(smollm2());
    let (tx, fired) = mpsc::channel();
    struct Signal(mpsc::Sender<()>, bool);
    impl TokenSink for Signal {
        fn on_prompt_progress(&mut self, _d: usize, _t: usize) -> Flow {
            if !self.1 {
                self.1 = true;
                let _ = self.0.send(());
            }
            Flow::Continue
        }
        fn on_text(&mut self, _t: &str) -> Flow {
            Flow::Continue
        }
    }
    let text = counting(1500);
    let options = ScoreOptions {
        window: 256,
        overlap: 64,
    };
    let ticket = e.submit_score(text, options, Box::new(Signal(tx, false)));
    fired.recv().unwrap();
    assert!(e.cancel(ticket.id));
    let s = ticket.wait().unwrap();
    assert!(s.cancelled);
    assert!(!s.scored.is_empty());
    assert!(
        s.scored.len() < s.tokens / 2,
        "{} of {}",
        s.scored.len(),
        s.tokens
    );
    // The engine goes on serving.
    let after = e.score(&counting(20), ScoreOptions::default()).unwrap();
    assert!(!after.cancelled);
}

#[derive(Deserialize)]
struct Sample {
    id: String,
    text: String,
    label: String,
}

fn eval_samples() -> Vec<Sample> {
    crate::detect_eval_file::samples_text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a sample"))
        .collect()
}

#[test]
fn verdicts_separate_human_from_machine_texts_held_out_of_the_calibration() {
    let e = engine(smollm2());
    let cal = detect::calibration_for(&e, None).unwrap();
    assert!(
        !cal.is_generic(),
        "the default model has its own calibration"
    );
    // Odd-numbered pairs were held out of the fit; 8 per domain and generator.
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut picked = Vec::new();
    for s in eval_samples() {
        let parts: Vec<&str> = s.id.rsplitn(3, '-').collect();
        let pair: u32 = parts[1].parse().unwrap();
        let count = taken.entry(parts[2].to_owned()).or_default();
        if !pair.is_multiple_of(2) && *count < 16 {
            *count += 1;
            picked.push((s.id, s.text, s.label == "ai"));
        }
    }
    let (auc, likely_humans) = judge_all(&e, &cal, &picked);
    assert!(auc >= 0.8, "AUROC {auc:.3} on 96 held-out texts");
    assert!(
        likely_humans <= 1,
        "{likely_humans} human texts judged likely AI"
    );
}

/// Judges 96 labelled texts (id, text, machine-written?) with the default
/// model: the AUROC of their probabilities, and how many human texts were
/// judged "likely".
fn judge_all(
    e: &deskpilot_core::llm::Engine,
    cal: &Calibration,
    texts: &[(String, String, bool)],
) -> (f64, usize) {
    assert_eq!(texts.len(), 96);
    let (mut human, mut machine) = (Vec::new(), Vec::new());
    let mut likely_humans = 0;
    for (id, text, ai) in texts {
        let v = detect::detect_text(e, text, id, cal, Box::new(NullSink)).unwrap();
        let p = v.ai_probability.expect("the texts are long enough");
        if *ai {
            machine.push(p);
        } else {
            human.push(p);
            likely_humans += usize::from(v.level == Level::Likely);
        }
    }
    (detect::auroc(&human, &machine), likely_humans)
}

/// The modern set: chat-model rewrites and essays against human text
/// (tests/detect-modern, with its sources).
fn modern_samples() -> Vec<ModernSample> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/detect-modern/samples.jsonl"
    );
    std::fs::read_to_string(path)
        .expect("tests/detect-modern/samples.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a sample"))
        .collect()
}

#[derive(Deserialize)]
struct ModernSample {
    id: String,
    text: String,
    label: String,
    generator: String,
}

#[test]
fn verdicts_on_todays_chat_model_text_held_out_of_the_calibration_beat_chance_and_spare_people() {
    let e = engine(smollm2());
    let cal = detect::calibration_for(&e, None).unwrap();
    // Odd-numbered pairs were held out of the fit; the first eight of each
    // generator (GPT-3.5-turbo, GPT-4o, Gemini 1.5 Pro, Llama 3 70B,
    // text-davinci-003, FLAN-T5-XXL), both texts of each pair.
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut picked = Vec::new();
    for s in modern_samples() {
        let pair: u32 = s.id.rsplit('-').nth(1).unwrap().parse().unwrap();
        let count = taken.entry(s.generator.clone()).or_default();
        if !pair.is_multiple_of(2) && *count < 16 {
            *count += 1;
            picked.push((s.id, s.text, s.label == "ai"));
        }
    }
    let (auc, likely_humans) = judge_all(&e, &cal, &picked);
    assert!(
        auc >= MODERN_AUROC_AT_LEAST,
        "AUROC {auc:.3} on 96 held-out texts"
    );
    assert!(
        likely_humans <= 1,
        "{likely_humans} human texts judged likely AI"
    );
}

/// What the shipped calibration must keep on the modern slice above
/// (measured 0.760; the calibration fitted on the detect-eval set alone
/// gives about chance here, see the README).
const MODERN_AUROC_AT_LEAST: f64 = 0.70;

#[test]
fn a_text_under_fifty_tokens_is_too_short_to_judge_and_every_verdict_says_it_is_no_proof() {
    let e = engine(smollm2());
    let cal = detect::calibration_for(&e, None).unwrap();
    let short = "The meeting moved to Thursday at ten.";
    let v = detect::detect_text(&e, short, "short", &cal, Box::new(NullSink)).unwrap();
    assert_eq!(v.level, Level::TooShort);
    assert!(v.ai_probability.is_none());
    assert!(
        v.note.contains("not proof") && v.note.contains("Too short"),
        "{}",
        v.note
    );
    let json = serde_json::to_value(&v).unwrap();
    for key in [
        "ai_probability",
        "level",
        "perplexity",
        "burstiness",
        "log_rank",
        "discrepancy",
        "tokens",
        "sentences",
        "note",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["level"], "too_short");

    let long = eval_samples().swap_remove(1).text;
    let v: Verdict = detect::detect_text(&e, &long, "long", &cal, Box::new(NullSink)).unwrap();
    assert_ne!(v.level, Level::TooShort);
    assert!(v.note.contains("not proof"));
    assert!(v.calibrated);
    // Sentences cover the text; only blank lines between them are left out.
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let joined: String = v.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(squeeze(&joined), squeeze(&long), "sentences cover the text");
    for s in &v.sentences {
        assert_eq!(&long[s.start..s.end], s.text);
    }
    assert!(v.sentences.iter().any(|s| s.ai_probability.is_some()));
    // Which sentences weighed most: a few, each with the points it moved.
    let drove: Vec<_> = v.sentences.iter().filter(|s| s.drove).collect();
    assert!(drove.len() <= detect::DROVE);
    assert!(drove
        .iter()
        .all(|s| s.weight.is_some_and(|w| w.abs() >= 0.01)));
    assert!(v.sentences.iter().any(|s| s.weight.is_some()));
    let err = detect::detect_text(&e, "  \n", "blank.txt", &cal, Box::new(NullSink)).unwrap_err();
    assert!(err.to_string().contains("blank.txt"), "{err}");
}

#[test]
fn a_model_without_its_own_calibration_is_judged_with_the_generic_one_and_says_so() {
    let e = engine(gemma());
    let cal = detect::calibration_for(&e, None).unwrap();
    assert!(cal.is_generic());
    let long = eval_samples().swap_remove(0).text;
    let v = detect::detect_text(&e, &long, "long", &cal, Box::new(NullSink)).unwrap();
    assert!(!v.calibrated);
    assert!(v.note.contains("approximate"), "{}", v.note);
    assert!(v.ai_probability.is_some_and(|p| (0.0..=1.0).contains(&p)));
    let _ = Calibration::for_model("x", "y", None).unwrap();
}
