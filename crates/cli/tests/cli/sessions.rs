//! Sessions through the CLI: `ask --session`, `sessions ...`, and replies
//! cut by `kill -9`.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use deskpilot_core::store::{MessageStatus, Role, Store};

use super::{assert_one_line_error, bin, run_command_with_input, text};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn run_db(db: &Path, args: &[&str]) -> std::process::Output {
    bin().arg("--db").arg(db).args(args).output().unwrap()
}

#[test]
fn ask_keeps_the_conversation_in_a_session_that_sessions_lists_searches_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite3");
    let out = run_db(
        &db,
        &[
            "ask",
            "--max-tokens",
            "24",
            "-t",
            "0",
            "--threads",
            "1",
            "Summarize the contract terms: 合同条款 and payment within 30 days",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("session 1"),
        "ask says which session it used: {err}"
    );
    let first_reply = text(&out.stdout);

    let out = run_db(
        &db,
        &[
            "ask",
            "--session",
            "1",
            "--json",
            "--max-tokens",
            "16",
            "-t",
            "0",
            "--threads",
            "1",
            "And the deadline?",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["session"], 1);
    assert!(
        v["prompt_tokens"].as_u64().unwrap() > 20,
        "the stored history was part of the prompt: {v}"
    );

    let out = run_db(&db, &["sessions", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["messages"], 4);
    assert!(list[0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Summarize the contract terms"));

    let out = run_db(&db, &["sessions", "show", "1", "--json"]);
    let show: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let msgs = show["messages"].as_array().unwrap();
    assert_eq!(msgs[0]["role"], "user");
    assert_eq!(msgs[1]["role"], "assistant");
    assert_eq!(msgs[1]["status"], "complete");
    assert_eq!(msgs[1]["text"].as_str().unwrap().trim(), first_reply.trim());
    assert_eq!(msgs[3]["text"], v["text"]);
    assert!(msgs[1]["generated_tokens"].as_u64().unwrap() > 0);

    for word in ["contract", "合同", "deadline"] {
        let out = run_db(&db, &["sessions", "search", word, "--json"]);
        let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!hits.as_array().unwrap().is_empty(), "{word} not found");
        assert_eq!(hits[0]["session_id"], 1);
    }

    assert!(run_db(&db, &["sessions", "rename", "1", "Contract review"])
        .status
        .success());
    let out = run_db(&db, &["sessions", "list"]);
    assert!(text(&out.stdout).contains("Contract review"));

    let md = dir.path().join("s.md");
    let docx = dir.path().join("s.docx");
    assert!(run_db(
        &db,
        &[
            "sessions",
            "export",
            "1",
            "--format",
            "md",
            "--out",
            md.to_str().unwrap()
        ]
    )
    .status
    .success());
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .contains("And the deadline?"));
    assert!(run_db(
        &db,
        &[
            "sessions",
            "export",
            "1",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap()
        ]
    )
    .status
    .success());
    let doc = deskpilot_core::docs::open(&docx).unwrap();
    assert!(doc
        .blocks
        .iter()
        .any(|b| b.text.contains("And the deadline?")));
    let py = super::drafts::python_docx_paragraphs(&docx);
    assert!(
        py.iter().any(|l| l.ends_with("\tAnd the deadline?")),
        "{py:?}"
    );

    assert_one_line_error(&run_db(&db, &["sessions", "show", "7"]), "no session 7");
    assert_one_line_error(
        &run_db(&db, &["ask", "--session", "7", "hi"]),
        "no session 7",
    );
    assert!(run_db(&db, &["sessions", "delete", "1"]).status.success());
    let out = run_db(&db, &["sessions", "list", "--json"]);
    assert_eq!(text(&out.stdout).trim(), "[]");
}

#[test]
fn a_file_that_is_not_a_database_is_a_one_line_error_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("thesis.docx");
    std::fs::write(&db, "chapter one").unwrap();
    assert_one_line_error(&run_db(&db, &["sessions", "list"]), "thesis.docx");
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "chapter one");
}

/// The reply text each killed run had printed, and what the database holds.
#[test]
fn killing_ask_mid_reply_twenty_times_loses_no_prompt_and_marks_every_cut_reply_interrupted() {
    const RUNS: usize = 20;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.sqlite3");
    let mut printed = Vec::new();
    for i in 0..RUNS {
        let prompt = format!("Question {i}: tell a very long story about a lighthouse keeper.");
        let mut child = bin()
            .arg("--db")
            .arg(&db)
            .args([
                "ask",
                "--session",
                "new",
                "--max-tokens",
                "2000",
                "-t",
                "0",
                "--threads",
                "1",
                &prompt,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        let started = Instant::now();
        while seen.is_empty() && started.elapsed() < Duration::from_secs(120) {
            let n = stdout.read(&mut buf).unwrap();
            assert!(n > 0, "run {i}: stdout closed before any reply text");
            seen.extend_from_slice(&buf[..n]);
        }
        // Past one flush interval, so some of the reply is on disk.
        std::thread::sleep(Duration::from_millis(600));
        child.kill().unwrap(); // SIGKILL: no handler, no cleanup
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).unwrap();
        seen.extend_from_slice(&rest);
        let status = child.wait().unwrap();
        assert!(!status.success(), "run {i} ended by itself before the kill");
        printed.push(String::from_utf8_lossy(&seen).into_owned());
    }

    let rt = rt();
    rt.block_on(async {
        let store = Store::open(&db).await.unwrap();
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(check, "ok");
        let mut sessions = store.list_sessions(100, 0).await.unwrap();
        assert_eq!(sessions.len(), RUNS, "one session per run");
        sessions.sort_by_key(|s| s.id);
        for (i, session) in sessions.iter().enumerate() {
            let messages = store.messages(session.id).await.unwrap();
            assert_eq!(messages.len(), 2, "one prompt and one reply per run");
            let (user, reply) = (&messages[0], &messages[1]);
            assert_eq!(user.role, Role::User);
            assert_eq!(user.status, MessageStatus::Complete);
            assert!(
                user.text.starts_with(&format!("Question {i}:")),
                "{}",
                user.text
            );
            assert_eq!(reply.role, Role::Assistant);
            assert_eq!(reply.status, MessageStatus::Interrupted, "run {i}");
            // What was saved is what was shown, up to the last flush.
            let shown = printed[i].as_str();
            let saved = reply.text.as_str();
            assert!(!saved.is_empty(), "run {i}: nothing of the reply was saved");
            assert!(
                shown.starts_with(saved) || saved.starts_with(shown),
                "run {i}: saved {saved:?} is not the shown {shown:?}"
            );
            assert!(
                shown.len().saturating_sub(saved.len()) < 1000,
                "run {i}: more than a flush interval lost: saved {} of {} bytes",
                saved.len(),
                shown.len()
            );
        }
        let hits = store.search("lighthouse keeper", 50).await.unwrap();
        assert!(hits.len() >= RUNS, "prompts are searchable");
    });
}

#[test]
fn chat_stores_each_turn_and_continues_a_session_later() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    let chat = |args: &[&str], input: &str| {
        let mut cmd = bin();
        cmd.arg("--db")
            .arg(&db)
            .args(["chat", "-t", "0", "--max-tokens", "12", "--threads", "1"])
            .args(args);
        let out = run_command_with_input(cmd, input);
        assert!(out.status.success(), "{}", text(&out.stderr));
        out
    };
    let out = chat(&[], "My name is Ada.\nWhat is 2+2?\n/exit\n");
    assert!(
        text(&out.stderr).contains("(session 1)"),
        "{}",
        text(&out.stderr)
    );
    let out = chat(&["--session", "1"], "What is my name?\n");
    assert!(
        text(&out.stderr).contains("Continuing session 1"),
        "{}",
        text(&out.stderr)
    );

    let rt = rt();
    rt.block_on(async {
        let store = Store::open(&db).await.unwrap();
        let m = store.messages(1).await.unwrap();
        let users: Vec<&str> = m
            .iter()
            .filter(|m| m.role == Role::User)
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(
            users,
            vec!["My name is Ada.", "What is 2+2?", "What is my name?"]
        );
        assert_eq!(m.len(), 6);
        assert!(m.iter().all(|m| m.status == MessageStatus::Complete));
        // The third reply was generated with the first two turns as context.
        assert!(m[5].prompt_tokens.unwrap() > m[1].prompt_tokens.unwrap() + 10);
    });
}
