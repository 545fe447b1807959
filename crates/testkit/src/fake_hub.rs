//! A local HTTP server on 127.0.0.1 that behaves like Hugging Face for
//! downloads: `resolve` addresses answer with the LFS headers
//! (`X-Linked-Size`, `X-Linked-Etag`, `X-Repo-Commit`) and a redirect to a
//! CDN on another origin (`localhost`), gated and missing repositories
//! answer as the hub does (`X-Error-Code`), and the CDN honours Range,
//! and can drop connections, send wrong bytes or ignore Range on demand.
//! No test reaches the internet.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// What the server does wrong, set by a test.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Connections still to drop mid-body.
    pub drops_left: u32,
    /// Bytes a dropped response sends before it is cut.
    pub drop_after: u64,
    /// Flip one byte in every body.
    pub corrupt: bool,
    /// Answer a Range request with the whole file (200).
    pub ignore_range: bool,
    /// Send bodies at about 10 MiB/s (time to press Ctrl-C).
    pub slow: bool,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub host: String,
    pub authorization: Option<String>,
    pub range: Option<String>,
}

#[derive(Default)]
struct State {
    /// `owner/name/file` -> bytes and their sha256.
    files: HashMap<String, (Arc<Vec<u8>>, String)>,
    /// sha256 -> bytes, the CDN's view.
    blobs: HashMap<String, Arc<Vec<u8>>>,
    gated: HashSet<String>,
    token: Option<String>,
    faults: Faults,
    seen: Vec<Seen>,
}

pub struct FakeHub {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl FakeHub {
    pub fn start() -> FakeHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, port, &state));
            }
        });
        FakeHub { port, state }
    }

    /// The hub's address (what `HF_ENDPOINT` would be).
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves `bytes` as `repo`'s `file`.
    pub fn add(&self, repo: &str, file: &str, bytes: Arc<Vec<u8>>) -> String {
        let sha = format!("{:x}", Sha256::digest(bytes.as_slice()));
        let mut s = self.state.lock().unwrap();
        s.blobs.insert(sha.clone(), Arc::clone(&bytes));
        s.files
            .insert(format!("{repo}/{file}"), (bytes, sha.clone()));
        sha
    }

    /// `repo` wants `token` (and answers 401 GatedRepo without it).
    pub fn gate(&self, repo: &str, token: &str) {
        let mut s = self.state.lock().unwrap();
        s.gated.insert(repo.to_owned());
        s.token = Some(token.to_owned());
    }

    pub fn faults(&self, faults: Faults) {
        self.state.lock().unwrap().faults = faults;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

fn serve(mut stream: TcpStream, port: u16, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let path = target.split('?').next().unwrap_or("").to_owned();
    let seen = Seen {
        method: method.clone(),
        path: path.clone(),
        host: headers.get("host").cloned().unwrap_or_default(),
        authorization: headers.get("authorization").cloned(),
        range: headers.get("range").cloned(),
    };
    let mut s = state.lock().unwrap();
    s.seen.push(seen.clone());
    let head = method == "HEAD";
    if let Some(sha) = path.strip_prefix("/cdn/") {
        let Some(bytes) = s.blobs.get(sha).cloned() else {
            return reply(&mut stream, 404, &[], b"", head);
        };
        let faults = s.faults.clone();
        let start = seen
            .range
            .as_deref()
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.split('-').next())
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|_| !faults.ignore_range)
            .unwrap_or(0);
        let drop_now = !head && faults.drops_left > 0;
        if drop_now {
            s.faults.drops_left -= 1;
        }
        drop(s);
        if start > bytes.len() || (start == bytes.len() && start > 0) {
            let total = format!("bytes */{}", bytes.len());
            return reply(&mut stream, 416, &[("Content-Range", &total)], b"", head);
        }
        let mut body = bytes[start..].to_vec();
        if faults.corrupt && !body.is_empty() {
            let mid = body.len() / 2;
            body[mid] ^= 0xff;
        }
        let range = format!("bytes {start}-{}/{}", bytes.len() - 1, bytes.len());
        let status = if start > 0 { 206 } else { 200 };
        let mut extra = vec![("Accept-Ranges", "bytes")];
        if start > 0 {
            extra.push(("Content-Range", range.as_str()));
        }
        if drop_now {
            // Announce the whole rest, send part of it, cut the connection.
            let cut = (faults.drop_after as usize).min(body.len());
            write_head(&mut stream, status, &extra, body.len());
            let _ = stream.write_all(&body[..cut]);
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        if faults.slow && !head {
            write_head(&mut stream, status, &extra, body.len());
            for chunk in body.chunks(64 * 1024) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(6));
            }
            return;
        }
        return reply(&mut stream, status, &extra, &body, head);
    }
    // /owner/name/resolve/rev/file
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if segs.len() < 5 || segs[2] != "resolve" {
        return reply(&mut stream, 404, &[], b"Not Found", head);
    }
    let repo = format!("{}/{}", segs[0], segs[1]);
    let file = segs[4..].join("/");
    let has_repo = s.files.keys().any(|k| k.starts_with(&format!("{repo}/")));
    if !has_repo {
        return reply(
            &mut stream,
            401,
            &[
                ("X-Error-Code", "RepoNotFound"),
                ("X-Error-Message", "Repository not found"),
            ],
            b"",
            head,
        );
    }
    if s.gated.contains(&repo) {
        let good = s.token.as_ref().map(|t| format!("Bearer {t}"));
        if seen.authorization.is_none() || seen.authorization != good {
            return reply(
                &mut stream,
                401,
                &[
                    ("X-Error-Code", "GatedRepo"),
                    ("X-Error-Message", "Access to this model is restricted"),
                ],
                b"",
                head,
            );
        }
    }
    let Some((bytes, sha)) = s.files.get(&format!("{repo}/{file}")).cloned() else {
        return reply(
            &mut stream,
            404,
            &[
                ("X-Error-Code", "EntryNotFound"),
                ("X-Error-Message", "Entry not found"),
            ],
            b"",
            head,
        );
    };
    drop(s);
    // The CDN is another origin (localhost, not 127.0.0.1): the token must
    // not follow the redirect there.
    let location = format!("http://localhost:{port}/cdn/{sha}?X-Amz-Signature=abc");
    let etag = format!("\"{sha}\"");
    let size = bytes.len().to_string();
    reply(
        &mut stream,
        302,
        &[
            ("Location", &location),
            ("X-Linked-Etag", &etag),
            ("X-Linked-Size", &size),
            ("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567"),
            ("ETag", "\"git-hash-not-sha\""),
        ],
        b"",
        head,
    );
}

fn write_head(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], len: usize) {
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        401 => "Unauthorized",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        _ => "Status",
    };
    let mut head =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {len}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
}

fn reply(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8], head: bool) {
    write_head(stream, status, headers, body.len());
    if !head {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
}
