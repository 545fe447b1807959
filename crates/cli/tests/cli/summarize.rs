//! `deskpilot summarize` end to end with the default model.

use super::{assert_one_line_error, bin, text};

const NOTES: &str = "# Budget\n\nThe council approved a budget of 4.2 million pounds for road repairs in the north district.\n\n# Schools\n\nThree primary schools will get new science laboratories before the autumn term begins.\n";

#[test]
fn summarize_json_has_points_with_sources_and_is_kept_in_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("council.md");
    std::fs::write(&file, NOTES).unwrap();
    let db = dir.path().join("s.sqlite3");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["summarize", "--json", "--length", "2", "--threads", "1"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["points", "chunks", "passes", "stats"] {
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }
    assert_eq!(v["passes"], 1);
    let points = v["points"].as_array().unwrap();
    assert!(!points.is_empty() && points.len() <= 2, "{v}");
    for p in points {
        assert!(p["text"].as_str().unwrap().len() > 10);
        let sources = p["sources"].as_array().unwrap();
        assert!(!sources.is_empty());
        assert_eq!(sources[0]["file"], "council.md");
        assert!(sources[0]["loc"].as_str().unwrap().starts_with('§'));
    }
    let show = bin()
        .arg("--db")
        .arg(&db)
        .args(["sessions", "show", "1", "--json"])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(s["documents"][0]["format"], "markdown");
    assert!(!s["messages"][1]["citations"].as_array().unwrap().is_empty());
}

#[test]
fn summarize_refuses_an_unknown_style_and_names_a_missing_file() {
    let out = bin()
        .args(["summarize", "--style", "poem", "x.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("key-points"),
        "{}",
        text(&out.stderr)
    );
    let out = bin()
        .args(["summarize", "/nonexistent/report.pdf"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "report.pdf");
}

#[test]
fn ask_with_files_answers_with_sources_or_says_the_files_do_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("council.md");
    std::fs::write(&file, NOTES).unwrap();
    let db = dir.path().join("a.sqlite3");
    let ask_with = |q: &str, extra: &[&str]| {
        let out = bin()
            .arg("--db")
            .arg(&db)
            .args(["ask", "--json", "--threads", "1", "--file"])
            .arg(&file)
            .args(extra)
            .arg(q)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let ask = |q: &str| ask_with(q, &[]);
    let v = ask("How much money did the council approve for road repairs?");
    assert_eq!(v["found"], true, "{v}");
    // Passages ranked by words and meaning; by words alone when asked.
    assert_eq!(v["retrieval"], "hybrid", "{v}");
    let words = ask_with(
        "How much money did the council approve for road repairs?",
        &["--keywords-only"],
    );
    assert_eq!(words["retrieval"], "keywords", "{words}");
    assert_eq!(words["embedded"], 0, "{words}");
    assert!(v["text"].as_str().unwrap().contains("4.2"), "{v}");
    assert_eq!(v["sources"][0]["file"], "council.md");
    assert!(
        v["sources"][0]["at"].as_str().unwrap().contains("Budget"),
        "{v}"
    );
    let v = ask("Who won the 1998 football world cup?");
    assert_eq!(v["found"], false, "{v}");
    assert!(v["text"]
        .as_str()
        .unwrap()
        .starts_with("Not in the documents"));
    assert_eq!(v["sources"].as_array().unwrap().len(), 0);
}

#[test]
fn several_files_summarize_together_each_point_naming_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("council.md");
    let b = dir.path().join("school.md");
    std::fs::write(&a, NOTES).unwrap();
    std::fs::write(
        &b,
        "# Term dates\n\nThe autumn term at Hill Primary starts on 4 September and ends on 20 December.\n\n# Uniform\n\nPupils wear a green jumper and grey trousers or skirts.\n",
    )
    .unwrap();
    let out = bin()
        .args(["summarize", "--json", "--length", "4", "--threads", "1"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = v["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{v}");
    for p in points {
        for s in p["sources"].as_array().unwrap() {
            let f = s["file"].as_str().unwrap();
            assert!(f == "council.md" || f == "school.md", "{f}");
        }
    }
}

#[test]
fn a_draft_can_draw_on_a_file_which_is_kept_with_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("council.md");
    std::fs::write(&file, NOTES).unwrap();
    let db = dir.path().join("d.sqlite3");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args([
            "draft",
            "news-brief",
            "-f",
            "topic=road repairs budget",
            "-f",
        ])
        .arg("facts=the council approved money for road repairs")
        .args(["--max-tokens", "120", "--threads", "1", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).trim().is_empty());
    let show = bin()
        .arg("--db")
        .arg(&db)
        .args(["sessions", "show", "1", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["documents"][0]["format"], "markdown");
    assert_eq!(v["drafts"][0]["template"], "news-brief");
    // Any citation the draft kept names a real location of the file.
    let draft = v["drafts"][0]["versions"][0]["text"].as_str().unwrap();
    if let Some(open) = draft.find("[§") {
        assert!(
            draft[open..].contains("Budget") || draft[open..].contains("Schools"),
            "{draft}"
        );
    }
}
