//! `deskpilot detect` end to end with the default model: stdin and a Word
//! file, the documented JSON, the text kept as a session, and one-line
//! errors for a missing file and an empty text.

use std::path::Path;
use std::process::Command;

use super::{assert_one_line_error, bin, run_command_with_input, text};

fn with_db(db: &Path) -> Command {
    let mut c = bin();
    c.arg("--db").arg(db);
    c
}

/// A human-written news text from the shared evaluation set.
fn human_text() -> String {
    let first = super::detect_eval_file::samples_text()
        .lines()
        .next()
        .map(str::to_owned)
        .expect("a sample");
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["label"], "human");
    v["text"].as_str().unwrap().to_owned()
}

const LEVELS: [&str; 6] = [
    "very_unlikely",
    "unlikely",
    "unclear",
    "possibly",
    "likely",
    "too_short",
];

#[test]
fn detect_reads_stdin_prints_the_documented_json_and_keeps_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let mut cmd = with_db(&db);
    cmd.args(["detect", "--json", "--threads", "1"]);
    let input = human_text();
    let out = run_command_with_input(cmd, &input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
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
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }
    assert!(LEVELS.contains(&v["level"].as_str().unwrap()), "{v}");
    assert_ne!(v["level"], "too_short");
    let p = v["ai_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(v["tokens"].as_u64().unwrap() > 50);
    assert!(v["perplexity"].as_f64().unwrap() > 1.0);
    let sentences = v["sentences"].as_array().unwrap();
    assert!(sentences.len() > 3);
    assert!(sentences[0]["text"].is_string() && sentences[0].get("ai_probability").is_some());
    // The sentences that drove the verdict: at most three, each one that
    // moved the log-odds its way when left out, with how hard.
    assert!(sentences.iter().all(|s| s.get("weight").is_some()));
    let drove: Vec<&serde_json::Value> = sentences.iter().filter(|s| s["drove"] == true).collect();
    assert!(!drove.is_empty() && drove.len() <= 3, "{drove:?}");
    let toward = if p >= 0.5 { 1.0 } else { -1.0 };
    for s in drove {
        assert!(s["weight"].as_f64().unwrap() * toward >= 0.05, "{s}");
        assert!(["strong", "moderate", "slight"].contains(&s["strength"].as_str().unwrap()));
    }
    assert!(v["note"].as_str().unwrap().contains("not proof"));
    assert!(text(&out.stderr).contains("kept in session 1"));

    let shown = with_db(&db)
        .args(["sessions", "show", "1", "--json"])
        .output()
        .unwrap();
    let session = text(&shown.stdout);
    assert!(
        session.contains("Maj Richard Scott"),
        "the pasted text is kept"
    );
    assert!(
        session.contains("not proof"),
        "and the verdict with its note"
    );
}

#[test]
fn detect_judges_a_word_file_and_says_it_is_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("essay.docx");
    deskpilot_core::markdown_docx::write_draft(&human_text(), &file).unwrap();
    let out = with_db(&dir.path().join("d.sqlite3"))
        .args(["detect", "--threads", "1"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let first = shown.lines().next().unwrap_or_default();
    assert!(
        ["very unlikely", "unlikely", "unclear", "possibly", "likely"]
            .iter()
            .any(|l| first.starts_with(l))
            && first.contains("AI probability"),
        "{shown}"
    );
    assert!(
        shown.contains("perplexity") && shown.contains("not proof"),
        "{shown}"
    );
    assert!(
        shown.contains("sentences that weighed most toward"),
        "{shown}"
    );
}

#[test]
fn detect_errors_name_the_file_or_say_there_is_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.sqlite3");
    let out = with_db(&db)
        .args(["detect", "no-such-essay.docx"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "no-such-essay.docx");
    let mut cmd = with_db(&db);
    cmd.args(["detect", "-"]);
    let out = run_command_with_input(cmd, "  \n\n ");
    assert_one_line_error(&out, "no text to judge");
}

#[test]
fn the_detector_scores_with_the_model_chosen_for_it_while_the_chat_keeps_its_own() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("d.sqlite3");
    let in_data = |args: &[&str]| {
        let mut c = with_db(&db);
        c.env("DESKPILOT_DATA_DIR", data.path()).args(args);
        c
    };
    let gemma = super::gemma();
    let out = in_data(&["models", "use", "--detector", gemma.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("The detector scores with"),
        "{}",
        text(&out.stdout)
    );
    // The list marks it as the detector's, and the chat model is still the default.
    let out = in_data(&["models", "list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    let detector: Vec<_> = rows.iter().filter(|e| e["detector"] == true).collect();
    assert_eq!(detector.len(), 1, "{v}");
    assert_eq!(
        detector[0]["path"].as_str().unwrap(),
        gemma.to_str().unwrap()
    );
    let selected: Vec<_> = rows.iter().filter(|e| e["selected"] == true).collect();
    assert!(selected[0]["path"]
        .as_str()
        .unwrap()
        .ends_with(deskpilot_core::config::DEFAULT_MODEL_FILE));
    let judged = |args: &[&str]| -> serde_json::Value {
        let mut cmd = in_data(&["detect", "--json", "--threads", "1"]);
        cmd.args(args);
        let out = run_command_with_input(cmd, &human_text());
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_str(text(&out.stdout).trim()).unwrap()
    };
    let by_gemma = |v: &serde_json::Value| {
        v["model"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("gemma")
    };
    let v = judged(&[]);
    assert!(by_gemma(&v), "{v}");
    // --model still wins for one run.
    let default = super::models_dir().join(deskpilot_core::config::DEFAULT_MODEL_FILE);
    let v = judged(&["--model", default.to_str().unwrap()]);
    assert!(!by_gemma(&v), "{v}");
    // `chat` gives the detector back to the chat model.
    let out = in_data(&["models", "use", "--detector", "chat"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = judged(&[]);
    assert!(!by_gemma(&v), "{v}");
}
