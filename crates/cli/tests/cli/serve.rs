//! `deskpilot serve` end to end with the default model: the OpenAI routes
//! over raw HTTP (token, models, chat, streaming, errors, a client that
//! hangs up mid-stream), and the `openai` Python package unchanged.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::{bin, text};

struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(token: Option<&str>) -> Served {
    let mut cmd = bin();
    cmd.args(["serve", "--port", "0", "--threads", "1"]);
    match token {
        Some(t) => cmd.env("DESKPILOT_API_TOKEN", t),
        None => cmd.env_remove("DESKPILOT_API_TOKEN"),
    };
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next().expect("a line on stderr").unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split("/v1").next())
        .unwrap_or_else(|| panic!("no address in {line}"))
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    Served { child, addr }
}

/// One HTTP/1.1 exchange: (status, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status: u16 = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, dechunk(&raw, body))
}

/// Undoes chunked transfer encoding when the server used it.
fn dechunk(raw: &str, body: String) -> String {
    if !raw
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body;
    }
    let mut out = String::new();
    let mut rest = body.as_str();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
    out
}

const CHAT: &str = r#"{"model":"any","messages":[{"role":"system","content":"Answer briefly."},{"role":"user","content":"Name a colour."}],"max_tokens":12,"temperature":0}"#;

#[test]
fn serve_answers_the_openai_routes_with_a_token_and_streams() {
    let s = serve(Some("s3cret"));
    let (status, body) = http(&s.addr, "GET", "/v1/models", None, None);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("invalid_api_key"));
    let (status, body) = http(&s.addr, "GET", "/v1/models", Some("s3cret"), None);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["object"], "list");
    let model = v["data"][0]["id"].as_str().unwrap().to_owned();
    assert!(!model.is_empty());

    let (status, body) = http(
        &s.addr,
        "POST",
        "/v1/chat/completions",
        Some("s3cret"),
        Some(CHAT),
    );
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let whole = v["choices"][0]["message"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!whole.trim().is_empty());
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    assert!(v["usage"]["completion_tokens"].as_u64().unwrap() > 0);
    assert_eq!(v["model"], model);

    let streamed = CHAT.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
    let (status, body) = http(
        &s.addr,
        "POST",
        "/v1/chat/completions",
        Some("s3cret"),
        Some(&streamed),
    );
    assert_eq!(status, 200);
    let events: Vec<&str> = body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .collect();
    assert_eq!(events.last(), Some(&"[DONE]"), "{body}");
    let mut text = String::new();
    let mut finish = None;
    for e in &events[..events.len() - 1] {
        let v: serde_json::Value = serde_json::from_str(e).unwrap();
        assert_eq!(v["object"], "chat.completion.chunk");
        if let Some(t) = v["choices"][0]["delta"]["content"].as_str() {
            text.push_str(t);
        }
        if let Some(f) = v["choices"][0]["finish_reason"].as_str() {
            finish = Some(f.to_owned());
        }
    }
    assert!(events.len() > 3, "streamed in pieces: {body}");
    assert_eq!(
        text, whole,
        "greedy: the stream says what the plain reply said"
    );
    assert!(matches!(finish.as_deref(), Some("stop" | "length")));

    let (status, body) = http(
        &s.addr,
        "POST",
        "/v1/chat/completions",
        Some("s3cret"),
        Some("{not json"),
    );
    assert_eq!(status, 400);
    assert!(body.contains("\"error\""));
    let (status, _) = http(&s.addr, "GET", "/v1/nothing", Some("s3cret"), None);
    assert_eq!(status, 404);
}

#[test]
fn a_client_that_hangs_up_mid_stream_stops_the_generation() {
    let s = serve(None);
    let long = r#"{"messages":[{"role":"user","content":"Write a very long story about a lighthouse."}],"max_tokens":3000,"temperature":0.8,"stream":true}"#;
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(
        c,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{long}",
        long.len()
    )
    .unwrap();
    let mut buf = [0u8; 2048];
    let mut seen = 0;
    while seen < 3 {
        let n = c.read(&mut buf).unwrap();
        assert!(n > 0);
        seen += String::from_utf8_lossy(&buf[..n]).matches("data: ").count();
    }
    drop(c);
    // 3,000 tokens would take about half a minute; the next request is
    // served as soon as the abandoned one notices and stops.
    let started = Instant::now();
    let (status, body) = http(&s.addr, "POST", "/v1/chat/completions", None, Some(CHAT));
    assert_eq!(status, 200, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_openai_python_package_talks_to_serve_unchanged() {
    let s = serve(Some("k"));
    let script = r#"
import sys, openai
client = openai.OpenAI(base_url=sys.argv[1], api_key="k", max_retries=0, timeout=60)
models = client.models.list()
name = models.data[0].id
r = client.chat.completions.create(model=name, messages=[{"role": "user", "content": "Name a colour."}], max_tokens=12, temperature=0)
whole = r.choices[0].message.content
assert whole.strip(), r
parts = []
for chunk in client.chat.completions.create(model=name, messages=[{"role": "user", "content": "Name a colour."}], max_tokens=12, temperature=0, stream=True):
    if chunk.choices and chunk.choices[0].delta.content:
        parts.append(chunk.choices[0].delta.content)
assert "".join(parts) == whole, (parts, whole)
print("ok", name, len(parts))
"#;
    let out = std::process::Command::new("python3")
        .env("PYTHONPATH", super::drafts::test_python_path("openai"))
        .args(["-c", script])
        .arg(format!("http://{}/v1", s.addr))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).starts_with("ok "));
}

#[test]
fn remote_requests_go_to_the_server_and_say_so_while_detection_stays_local() {
    let s = serve(Some("k2"));
    let url = format!("http://{}/v1", s.addr);
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("--db")
        .arg(dir.path().join("r.sqlite3"))
        .env("DESKPILOT_REMOTE_KEY", "k2")
        .args([
            "ask",
            "--max-tokens",
            "8",
            "--remote",
            &url,
            "Name a colour.",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).trim().is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("text is sent to the remote server {url}")),
        "{err}"
    );

    let out = bin()
        .arg("--db")
        .arg(dir.path().join("r.sqlite3"))
        .args(["ask", "--remote", &url, "hi"])
        .output()
        .unwrap();
    super::assert_one_line_error(&out, "refused the API key (HTTP 401)");

    let mut cmd = bin();
    cmd.arg("--db").arg(dir.path().join("r.sqlite3")).args([
        "detect",
        "--json",
        "--threads",
        "1",
        "--remote",
        &url,
    ]);
    let long = "The committee met on Tuesday to review the budget. ".repeat(12);
    let out = super::run_command_with_input(cmd, &long);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("detection runs on the local model"));
}

#[test]
fn a_file_goes_to_a_remote_server_only_once_that_server_is_confirmed() {
    let s = serve(None);
    let url = format!("http://{}/v1", s.addr);
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    std::fs::write(
        &notes,
        "# Roads\n\nWork on the north road starts in April.\n",
    )
    .unwrap();
    let db = dir.path().join("r.sqlite3");
    let ask = |extra: &[&str]| {
        bin()
            .arg("--db")
            .arg(&db)
            .args([
                "ask",
                "--max-tokens",
                "16",
                "--threads",
                "1",
                "--remote",
                &url,
            ])
            .args(extra)
            .arg("--file")
            .arg(&notes)
            .arg("When does the work start?")
            .output()
            .unwrap()
    };
    // No terminal to ask on and no --send-files: nothing is sent, and the
    // error says how to allow it.
    let out = ask(&[]);
    super::assert_one_line_error(&out, "--send-files");
    assert!(text(&out.stderr).contains("notes.md") && text(&out.stderr).contains(&url));
    let sessions = bin()
        .arg("--db")
        .arg(&db)
        .args(["sessions", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(text(&sessions.stdout).trim(), "[]", "nothing was started");

    let out = ask(&["--send-files"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("remembered"));
    // Remembered for this server: no flag needed again.
    let out = ask(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Every file under `dir`, read whole.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

#[test]
fn a_saved_server_and_its_keyring_key_are_used_per_session_and_the_key_touches_no_file() {
    let key = format!("key-{}-{}", std::process::id(), line!());
    let served = serve(Some(&key));
    let url = format!("http://{}/v1", served.addr);
    let data = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        let mut c = bin();
        c.env("DESKPILOT_DATA_DIR", data.path()).args(args);
        c
    };
    let ok = |out: &std::process::Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    let ask = ["ask", "--json", "--max-tokens", "4", "--temperature", "0"];

    // Saved globally, no key yet: the server refuses, and the error says so.
    ok(&cli(&["remote", "set", &url]).output().unwrap());
    let out = cli(&[&ask[..], &["Say hi"]].concat()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("401") || err.contains("key"), "{err}");

    // The key goes to a keyring (read from stdin), and is then sent.
    let out = super::run_command_with_input(cli(&["remote", "key", &url]), &format!("{key}\n"));
    ok(&out);
    assert!(
        text(&out.stderr).contains("keyring"),
        "{}",
        text(&out.stderr)
    );
    let shown = cli(&["remote", "show", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(v["remote"]["url"], url.as_str());
    assert!(v["key"].is_string(), "{v}");
    let out = cli(&[&ask[..], &["Say hi"]].concat()).output().unwrap();
    ok(&out);
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let session = reply["session"].as_i64().unwrap().to_string();
    // Not in the settings file, the database, its journal or anywhere else.
    for (path, bytes) in files_under(data.path()) {
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "the key was written to {}",
            path.display()
        );
    }

    // The server goes away. A session that chose this computer still
    // answers; the others try the saved server and name it.
    drop(served);
    ok(&cli(&["sessions", "backend", &session, "--local"])
        .output()
        .unwrap());
    ok(
        &cli(&[&ask[..], &["--session", &session, "Again"]].concat())
            .output()
            .unwrap(),
    );
    let out = cli(&[&ask[..], &["Hello"]].concat()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&url), "{}", text(&out.stderr));
    // Settings back to this computer; a session given the (gone) server
    // uses it, `--local` overrides it, and it can follow the settings again.
    ok(&cli(&["remote", "clear"]).output().unwrap());
    ok(&cli(&["sessions", "backend", &session, "--remote", &url])
        .output()
        .unwrap());
    let out = cli(&[&ask[..], &["--session", &session, "More"]].concat())
        .output()
        .unwrap();
    assert!(text(&out.stderr).contains(&url), "{}", text(&out.stderr));
    ok(
        &cli(&[&ask[..], &["--session", &session, "--local", "More"]].concat())
            .output()
            .unwrap(),
    );
    let out = cli(&["sessions", "backend", &session, "--follow-settings"])
        .output()
        .unwrap();
    ok(&out);
    assert!(
        text(&out.stdout).contains("this computer"),
        "{}",
        text(&out.stdout)
    );

    let out = cli(&["remote", "forget-key", &url]).output().unwrap();
    ok(&out);
    assert!(
        text(&out.stderr).contains("removed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn serve_keeps_answering_after_its_model_process_is_killed() {
    let s = serve(None);
    let server = s.child.id();
    let pid = super::model_process_of(server).expect("serve runs the model in its own process");
    // Killed between requests: the next request starts a fresh process.
    // SAFETY: a signal to a process the server under test started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let (status, body) = http(&s.addr, "POST", "/v1/chat/completions", None, Some(CHAT));
    assert_eq!(status, 200, "{body}");
    let fresh = super::model_process_of(server).expect("a fresh model process");
    assert_ne!(fresh, pid);

    // Killed mid-request: that request fails in words, the server stays.
    let long = r#"{"model":"local","max_tokens":1500,"seed":1,"messages":[{"role":"user","content":"Write a detailed essay of at least 1000 words about the history of bread."}]}"#;
    let addr = s.addr.clone();
    let asked =
        std::thread::spawn(move || http(&addr, "POST", "/v1/chat/completions", None, Some(long)));
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: as above.
    unsafe { libc::kill(fresh as i32, libc::SIGABRT) };
    let (status, body) = asked.join().unwrap();
    assert!(status >= 500, "{status} {body}");
    assert!(body.contains("the model process stopped"), "{body}");
    let (status, body) = http(&s.addr, "POST", "/v1/chat/completions", None, Some(CHAT));
    assert_eq!(status, 200, "{body}");
}
