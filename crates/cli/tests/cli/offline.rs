//! With no remote server configured, Deskpilot's main scenarios open no
//! network connection: every `connect`, `sendto` and `sendmsg` of the whole
//! process tree, traced with strace, goes to a Unix socket or to loopback.

use std::path::Path;
use std::process::Command;

use super::{bin, text};

/// `deskpilot args` (with the tests' environment) under strace, tracing
/// the calls that reach an address into `trace`.
fn traced(args: &[&str], trace: &Path) -> Command {
    let plain = bin();
    let mut c = Command::new("strace");
    c.args([
        "-f",
        "-qq",
        "-e",
        "signal=none",
        "-e",
        "trace=connect,sendto,sendmsg",
        "-o",
    ])
    .arg(trace)
    .arg(plain.get_program())
    .args(args);
    for (k, v) in plain.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c
}

/// Runs `deskpilot args` under strace; returns the traced calls that name
/// an internet address.
fn addresses_reached(args: &[&str], trace: &Path) -> Vec<String> {
    let out = traced(args, trace)
        .output()
        .expect("strace runs (setup.sh --test installs it)");
    assert!(
        out.status.success(),
        "deskpilot {args:?} failed: {}",
        text(&out.stderr)
    );
    std::fs::read_to_string(trace)
        .unwrap()
        .lines()
        .filter(|l| l.contains("AF_INET"))
        .map(str::to_owned)
        .collect()
}

fn is_loopback(call: &str) -> bool {
    call.contains("inet_addr(\"127.") || call.contains("\"::1\"") || call.contains("\"::ffff:127.")
}

#[test]
fn with_no_remote_server_the_main_scenarios_reach_only_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    std::fs::write(
        &notes,
        "# Budget\n\nThe council approved 4.2 million pounds for road repairs. \
         Work starts in April and ends before winter.\n",
    )
    .unwrap();
    let notes = notes.to_str().unwrap();
    let sheet = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/samples/sales.xlsx"
    );
    let db = dir.path().join("s.sqlite3");
    let db = db.to_str().unwrap();
    let scenarios: Vec<Vec<&str>> = vec![
        vec![
            "--db",
            db,
            "ask",
            "--max-tokens",
            "8",
            "--temperature",
            "0",
            "Say hello",
        ],
        vec!["--db", db, "summarize", "--length", "2", notes],
        vec![
            "--db",
            db,
            "ask",
            "--max-tokens",
            "16",
            "--file",
            notes,
            "When does work start?",
        ],
        vec![
            "--db",
            db,
            "analyze",
            "--ask",
            "total revenue by region",
            sheet,
        ],
        vec!["detect", notes],
        vec!["--db", db, "sessions", "search", "council"],
    ];
    for (i, args) in scenarios.iter().enumerate() {
        let trace = dir.path().join(format!("trace-{i}"));
        let reached = addresses_reached(args, &trace);
        let outside: Vec<&String> = reached.iter().filter(|c| !is_loopback(c)).collect();
        assert!(
            outside.is_empty(),
            "deskpilot {args:?} reached the network: {outside:#?}"
        );
    }
}

#[test]
fn the_trace_would_see_a_connection_to_the_network() {
    // The check above is only as good as the trace: a connect to an
    // outside address (refused or not) shows up as such.
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    let _ = traced(
        &["ask", "--remote", "http://192.0.2.1:9/v1", "hello"],
        &trace,
    )
    .output()
    .unwrap();
    let calls = std::fs::read_to_string(&trace).unwrap();
    assert!(
        calls
            .lines()
            .any(|l| l.contains("AF_INET") && !is_loopback(l)),
        "{calls}"
    );
}
