//! Where a model file lives on Hugging Face (or a mirror named by
//! `HF_ENDPOINT`) and what the hub says about it before a byte is fetched:
//! its size, the sha256 Hugging Face records for LFS files, and the address
//! its bytes come from after the hub's redirect to its CDN. Done the way
//! `huggingface_hub` does it: a HEAD on the `resolve` address without
//! following redirects, reading `X-Linked-Size` and `X-Linked-Etag`, the
//! token sent to the hub's own host only, proxies from the environment.

use std::path::PathBuf;
use std::time::Duration;

use super::catalog::CatalogEntry;
use super::download::DownloadError;

/// Hugging Face's address, unless `HF_ENDPOINT` names a mirror.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// Most redirects followed before giving up (a loop, or a broken mirror).
const MAX_REDIRECTS: usize = 10;

/// One file of one repository at one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubFile {
    /// `https://huggingface.co`, or the mirror's address (no trailing `/`).
    pub endpoint: String,
    /// `owner/name`.
    pub repo: String,
    /// Branch, tag or commit (`main` unless the address names one).
    pub revision: String,
    /// The file's path inside the repository.
    pub file: String,
}

impl HubFile {
    /// The `resolve` address: the hub answers it with the file or with a
    /// redirect to where the file's bytes are.
    pub fn url(&self) -> String {
        format!(
            "{}/{}/resolve/{}/{}",
            self.endpoint, self.repo, self.revision, self.file
        )
    }

    /// The repository's page, where a gated model's terms are accepted.
    pub fn page(&self) -> String {
        format!("{}/{}", self.endpoint, self.repo)
    }

    /// The name the file gets in the models folder: its own name, without
    /// the repository's folders.
    pub fn file_name(&self) -> &str {
        self.file.rsplit('/').next().unwrap_or(&self.file)
    }

    /// Reads what the user typed: a catalog id, a hub address (`resolve`
    /// or `blob`, on Hugging Face or on any mirror), or `owner/name/FILE.gguf`.
    pub fn parse(
        arg: &str,
        catalog: &[CatalogEntry],
        endpoint: &str,
    ) -> Result<HubFile, DownloadError> {
        let arg = arg.trim();
        let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
        if let Some(entry) = catalog.iter().find(|m| m.id.eq_ignore_ascii_case(arg)) {
            return Ok(HubFile {
                endpoint,
                repo: entry.repo.clone(),
                revision: "main".into(),
                file: entry.file.clone(),
            });
        }
        let unknown = || DownloadError::UnknownSource(arg.to_owned());
        if let Some((scheme, rest)) = arg.split_once("://") {
            if scheme != "http" && scheme != "https" {
                return Err(unknown());
            }
            // Drop a query or fragment (`?download=true`).
            let rest = rest.split(['?', '#']).next().unwrap_or(rest);
            let (host, path) = rest.split_once('/').ok_or_else(unknown)?;
            let parts: Vec<&str> = path.split('/').collect();
            // owner/name/(resolve|blob)/revision/file...
            if parts.len() < 5 || !matches!(parts[2], "resolve" | "blob") {
                return Err(unknown());
            }
            let file = parts[4..].join("/");
            if parts[0].is_empty() || parts[1].is_empty() || parts[3].is_empty() || !is_gguf(&file)
            {
                return Err(unknown());
            }
            return Ok(HubFile {
                endpoint: format!("{scheme}://{host}"),
                repo: format!("{}/{}", parts[0], parts[1]),
                revision: parts[3].to_owned(),
                file,
            });
        }
        let parts: Vec<&str> = arg.split('/').collect();
        if parts.len() >= 3 && parts.iter().all(|p| !p.is_empty()) && is_gguf(arg) {
            return Ok(HubFile {
                endpoint,
                repo: format!("{}/{}", parts[0], parts[1]),
                revision: "main".into(),
                file: parts[2..].join("/"),
            });
        }
        Err(unknown())
    }
}

fn is_gguf(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".gguf") && !file.split('/').any(|p| p == "..")
}

/// What the hub says about a file before it is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// Where the bytes come from (the CDN address after the hub's redirect).
    pub content_url: String,
    /// The file's size, when the hub says it.
    pub size: Option<u64>,
    /// The sha256 Hugging Face records for an LFS file (lowercase hex).
    pub sha256: Option<String>,
    /// The commit the revision pointed at.
    pub commit: Option<String>,
}

/// The hub's endpoint from the environment (`HF_ENDPOINT`), else Hugging Face.
pub fn endpoint_from_env() -> String {
    std::env::var("HF_ENDPOINT")
        .ok()
        .map(|e| e.trim().trim_end_matches('/').to_owned())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
}

/// An access token for gated or private repositories, found where
/// `huggingface_hub` keeps it: `HF_TOKEN`, then the token file
/// (`HF_TOKEN_PATH`, `$HF_HOME/token`, `~/.cache/huggingface/token`).
pub fn token_from_env() -> Option<String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(t) = var("HF_TOKEN").or_else(|| var("HUGGING_FACE_HUB_TOKEN")) {
        return Some(t.trim().to_owned());
    }
    let file = var("HF_TOKEN_PATH").map(PathBuf::from).or_else(|| {
        var("HF_HOME")
            .map(PathBuf::from)
            .or_else(|| dirs::home_dir().map(|h| h.join(".cache/huggingface")))
            .map(|d| d.join("token"))
    })?;
    let text = std::fs::read_to_string(file).ok()?;
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The HTTP client for the hub and its CDN: proxies from the environment
/// (`HTTPS_PROXY`, `ALL_PROXY`...), redirects followed by hand (so the
/// hub's headers are read and the token never leaves the hub's host).
pub fn agent(stall: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .try_proxy_from_env(true)
        .redirects(0)
        .timeout_connect(Duration::from_secs(20))
        .timeout_read(stall)
        .timeout_write(stall)
        .user_agent(concat!(
            "deskpilot/",
            env!("CARGO_PKG_VERSION"),
            "; hf_hub-compatible"
        ))
        .build()
}

/// `scheme://host[:port]` of an address.
pub(crate) fn origin(url: &str) -> &str {
    match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            let end = after.find('/').map_or(url.len(), |j| i + 3 + j);
            &url[..end]
        }
        None => url,
    }
}

/// A `Location` header made absolute against the address it answered.
fn absolute(base: &str, location: &str) -> String {
    if location.contains("://") {
        location.to_owned()
    } else if location.starts_with('/') {
        format!("{}{location}", origin(base))
    } else {
        let dir = base.rsplit_once('/').map_or(base, |(d, _)| d);
        format!("{dir}/{location}")
    }
}

/// One request, following redirects by hand; `Authorization` goes only to
/// the hub's own host. `first` sees every response's headers on the way,
/// so the hub's (before its redirect to the CDN) can be read.
pub(crate) fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    hub: &HubFile,
    token: Option<&str>,
    range_from: Option<u64>,
    mut first: impl FnMut(&ureq::Response),
) -> Result<(String, ureq::Response), DownloadError> {
    let hub_origin = origin(&hub.endpoint).to_owned();
    let mut url = url.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        let mut req = agent
            .request(method, &url)
            .set("Accept-Encoding", "identity");
        if let (Some(t), true) = (token, origin(&url) == hub_origin) {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        if let Some(from) = range_from.filter(|f| *f > 0) {
            req = req.set("Range", &format!("bytes={from}-"));
        }
        let response = match req.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => {
                return Err(status_error(code, &r, &url, hub, token))
            }
            Err(ureq::Error::Transport(t)) => {
                return Err(DownloadError::Network {
                    url,
                    cause: t.to_string(),
                })
            }
        };
        first(&response);
        if (300..400).contains(&response.status()) {
            let Some(location) = response.header("location") else {
                return Err(DownloadError::Http {
                    url,
                    status: response.status(),
                    detail: "a redirect without a Location".into(),
                });
            };
            url = absolute(&url, location);
            continue;
        }
        return Ok((url, response));
    }
    Err(DownloadError::Http {
        url,
        status: 310,
        detail: format!("more than {MAX_REDIRECTS} redirects"),
    })
}

/// The hub's answer to a failed request, in words: not found, gated,
/// signing in needed, or the status and the hub's message.
fn status_error(
    code: u16,
    response: &ureq::Response,
    url: &str,
    hub: &HubFile,
    token: Option<&str>,
) -> DownloadError {
    let error_code = response.header("x-error-code").unwrap_or("").to_owned();
    let message = response.header("x-error-message").unwrap_or("").to_owned();
    let from_hub = origin(url) == origin(&hub.endpoint);
    match (code, error_code.as_str()) {
        (_, "GatedRepo") => DownloadError::Gated {
            repo: hub.repo.clone(),
            page: hub.page(),
            had_token: token.is_some(),
        },
        (404, "EntryNotFound") | (404, "RevisionNotFound") => DownloadError::NotFound {
            url: url.to_owned(),
            what: format!(
                "the repository {} has no file {} at {}",
                hub.repo, hub.file, hub.revision
            ),
        },
        // The hub answers 401 for a repository that does not exist or is
        // private, so as not to say which.
        (401 | 404, "RepoNotFound") | (404, _) if from_hub => DownloadError::NotFound {
            url: url.to_owned(),
            what: if token.is_some() {
                format!("no repository {} that this token can see", hub.repo)
            } else {
                format!(
                    "no public repository {} (a private one needs HF_TOKEN)",
                    hub.repo
                )
            },
        },
        (401 | 403, _) if from_hub => DownloadError::Unauthorized {
            url: url.to_owned(),
            status: code,
            had_token: token.is_some(),
        },
        _ => DownloadError::Http {
            url: url.to_owned(),
            status: code,
            detail: if message.is_empty() {
                response.status_text().to_owned()
            } else {
                message
            },
        },
    }
}

/// Asks the hub about a file: its size, sha256, commit, and where its
/// bytes are.
pub fn describe(
    agent: &ureq::Agent,
    hub: &HubFile,
    token: Option<&str>,
) -> Result<Remote, DownloadError> {
    let mut size = None;
    let mut sha256 = None;
    let mut commit = None;
    let (content_url, last) = send(agent, "HEAD", &hub.url(), hub, token, None, |r| {
        // The hub's own headers, before its redirect: the LFS file's size
        // and sha256 (a plain git file's ETag is a git hash, not sha256).
        if let Some(s) = r
            .header("x-linked-size")
            .and_then(|s| s.trim().parse().ok())
        {
            size.get_or_insert(s);
        }
        let etag = r.header("x-linked-etag").or_else(|| r.header("etag"));
        if let Some(h) = etag.map(unquote).filter(|h| is_sha256(h)) {
            sha256.get_or_insert(h);
        }
        if let Some(c) = r.header("x-repo-commit") {
            commit.get_or_insert(c.to_owned());
        }
    })?;
    if size.is_none() {
        size = last
            .header("content-length")
            .and_then(|s| s.trim().parse().ok());
    }
    Ok(Remote {
        content_url,
        size,
        sha256,
        commit,
    })
}

fn unquote(etag: &str) -> String {
    etag.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .to_ascii_lowercase()
}

fn is_sha256(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arg: &str) -> Result<HubFile, DownloadError> {
        let catalog = crate::models::catalog().unwrap();
        HubFile::parse(arg, &catalog, "https://huggingface.co/")
    }

    #[test]
    fn a_catalog_id_an_address_and_a_short_form_name_the_same_kind_of_file() {
        let id = parse("qwen2.5-0.5b").unwrap();
        assert_eq!(id.repo, "bartowski/Qwen2.5-0.5B-Instruct-GGUF");
        assert_eq!(
            id.url(),
            "https://huggingface.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf"
        );
        let blob =
            parse("https://huggingface.co/owner/repo/blob/v1.0/sub/x-Q4_K_M.gguf?download=true")
                .unwrap();
        assert_eq!(
            (
                blob.repo.as_str(),
                blob.revision.as_str(),
                blob.file.as_str(),
                blob.file_name()
            ),
            ("owner/repo", "v1.0", "sub/x-Q4_K_M.gguf", "x-Q4_K_M.gguf")
        );
        let mirror = parse("http://127.0.0.1:8080/o/r/resolve/main/m.gguf").unwrap();
        assert_eq!(mirror.endpoint, "http://127.0.0.1:8080");
        assert_eq!(parse("o/r/m.GGUF").unwrap().file, "m.GGUF");
        for bad in [
            "nonsense",
            "o/r/readme.md",
            "https://huggingface.co/o/r",
            "ftp://x/o/r/resolve/main/m.gguf",
            "o/r/../m.gguf",
        ] {
            assert!(
                matches!(parse(bad), Err(DownloadError::UnknownSource(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_relative_redirect_is_made_absolute_against_the_address_it_answered() {
        assert_eq!(absolute("https://h.co/a/b/c", "/x/y"), "https://h.co/x/y");
        assert_eq!(absolute("http://h:1/a/b", "c"), "http://h:1/a/c");
        assert_eq!(absolute("https://h.co/a", "https://cdn/z"), "https://cdn/z");
        assert_eq!(origin("http://127.0.0.1:9/a/b"), "http://127.0.0.1:9");
        assert_eq!(unquote("W/\"ABCD\""), "abcd");
    }
}
