//! GGUF models the user already has from other apps, offered where they
//! are (never copied): Ollama (its manifests name the model's blob), LM
//! Studio, Jan, GPT4All and the Hugging Face cache. Only files that start
//! with the GGUF magic are offered.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::llm::gguf;

/// Which app a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Ollama,
    LmStudio,
    Jan,
    Gpt4All,
    HuggingFace,
    /// A folder the user added (`deskpilot models import DIR`).
    Imported,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Ollama => "Ollama",
            Source::LmStudio => "LM Studio",
            Source::Jan => "Jan",
            Source::Gpt4All => "GPT4All",
            Source::HuggingFace => "Hugging Face cache",
            Source::Imported => "imported folder",
        }
    }
}

/// A model file found in another app's folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundModel {
    pub path: PathBuf,
    pub source: Source,
    /// The name that app gives it (`qwen2.5:7b`, `owner/repo/file.gguf`).
    pub name: String,
}

/// Where to look: the home folder and the environment (passed in, so
/// tests can build the layouts in a temp folder).
pub struct Places<'a> {
    pub home: PathBuf,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Ollama folders outside the home (its Linux service keeps models
    /// under /usr/share/ollama).
    pub system_ollama: Vec<PathBuf>,
    /// Folders the user added (`settings.model_folders`).
    pub imported: Vec<PathBuf>,
}

impl Places<'_> {
    /// This user's home and environment.
    pub fn here() -> Option<Places<'static>> {
        Some(Places {
            home: dirs::home_dir()?,
            env: &|k| std::env::var(k).ok().filter(|v| !v.is_empty()),
            system_ollama: vec![PathBuf::from("/usr/share/ollama/.ollama/models")],
            imported: Vec::new(),
        })
    }

    fn var(&self, key: &str) -> Option<PathBuf> {
        (self.env)(key).map(PathBuf::from)
    }
}

/// Deepest folder level searched under an app's models folder.
const MAX_DEPTH: usize = 6;
/// Most entries looked at under one folder (a huge tree must not stall).
const MAX_FILES: usize = 20_000;

/// Every GGUF model found in the other apps' folders, in a stable order.
pub fn find_models(places: &Places) -> Vec<FoundModel> {
    let home = &places.home;
    let mut found = Vec::new();
    // Ollama: manifests name the blobs.
    let ollama = places
        .var("OLLAMA_MODELS")
        .unwrap_or_else(|| home.join(".ollama/models"));
    for dir in std::iter::once(&ollama).chain(&places.system_ollama) {
        found.extend(ollama_models(dir));
    }
    // LM Studio, Jan, GPT4All: the files themselves.
    let folders = [
        (Source::LmStudio, home.join(".lmstudio/models")),
        (Source::LmStudio, home.join(".cache/lm-studio/models")),
        (Source::Jan, home.join("jan/models")),
        (Source::Jan, home.join(".config/Jan/data/models")),
        (Source::Gpt4All, home.join(".local/share/nomic.ai/GPT4All")),
        (Source::HuggingFace, hf_cache(places)),
    ]
    .into_iter()
    .chain(
        places
            .imported
            .iter()
            .map(|d| (Source::Imported, d.clone())),
    );
    for (source, dir) in folders {
        found.extend(files_in(source, &dir));
    }
    found.sort_by(|a, b| (a.source as u8, &a.name).cmp(&(b.source as u8, &b.name)));
    // One entry per file, the app's own first (an imported folder may be
    // an app's folder).
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.path.clone()));
    found
}

/// The GGUF models in one folder the user names (`models import DIR`).
pub fn in_folder(dir: &Path) -> Vec<FoundModel> {
    files_in(Source::Imported, dir)
}

/// The GGUF files under an app's (or the user's) folder, named as that
/// app names them.
fn files_in(source: Source, dir: &Path) -> Vec<FoundModel> {
    walk(dir, &is_gguf_file)
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let name = match source {
                Source::HuggingFace => hf_name(dir, &path),
                // The folder's own name first: two imported folders may
                // hold files of the same name.
                Source::Imported => Path::new(dir.file_name().unwrap_or_default())
                    .join(rel)
                    .display()
                    .to_string(),
                _ => rel.display().to_string(),
            };
            FoundModel { path, source, name }
        })
        .collect()
}

/// `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
fn hf_cache(places: &Places) -> PathBuf {
    places
        .var("HF_HUB_CACHE")
        .or_else(|| places.var("HF_HOME").map(|h| h.join("hub")))
        .unwrap_or_else(|| places.home.join(".cache/huggingface/hub"))
}

/// `models--owner--repo/snapshots/REV/file.gguf` -> `owner/repo/file.gguf`.
fn hf_name(cache: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(cache).unwrap_or(path);
    let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
    let repo = parts
        .next()
        .and_then(|r| r.strip_prefix("models--").map(|r| r.replacen("--", "/", 1)))
        .unwrap_or_default();
    // Past `snapshots/REV/`.
    let file = parts.skip(2).collect::<Vec<_>>().join("/");
    format!("{repo}/{file}")
}

/// Files under `dir` that `keep` accepts, in name order, looking at
/// [`MAX_FILES`] entries and [`MAX_DEPTH`] levels at most. Links to files
/// are followed, links to folders are not, so a loop of links cannot trap
/// the walk.
fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut budget = MAX_FILES;
    walk_into(dir, 0, keep, &mut budget, &mut out);
    out
}

fn walk_into(
    dir: &Path,
    depth: usize,
    keep: &dyn Fn(&Path) -> bool,
    budget: &mut usize,
    out: &mut Vec<PathBuf>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk_into(&path, depth + 1, keep, budget, out),
            Ok(_) if keep(&path) => out.push(path),
            _ => {}
        }
    }
}

/// A `.gguf` file that starts with the GGUF magic.
fn is_gguf_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("gguf"))
        && gguf::has_magic(path)
}

/// Ollama's models: each manifest
/// (`manifests/REGISTRY/NAMESPACE/MODEL/TAG`, JSON) names its model layer
/// by digest, stored as `blobs/sha256-HEX`.
fn ollama_models(dir: &Path) -> Vec<FoundModel> {
    let manifests = dir.join("manifests");
    let mut found = Vec::new();
    for manifest in walk(&manifests, &|_| true) {
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let Some(layers) = json["layers"].as_array() else {
            continue;
        };
        let Some(digest) = layers
            .iter()
            .find(|l| l["mediaType"] == "application/vnd.ollama.image.model")
            .and_then(|l| l["digest"].as_str())
        else {
            continue;
        };
        let blob = dir.join("blobs").join(digest.replace(':', "-"));
        if !gguf::has_magic(&blob) {
            continue;
        }
        // REGISTRY/NAMESPACE/MODEL/TAG -> MODEL:TAG (NAMESPACE/ unless "library").
        let rel: Vec<String> = manifest
            .strip_prefix(&manifests)
            .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let name = match rel.as_slice() {
            [_, ns, model, tag] if ns == "library" => format!("{model}:{tag}"),
            [_, ns, model, tag] => format!("{ns}/{model}:{tag}"),
            other => other.join("/"),
        };
        found.push(FoundModel {
            path: blob,
            source: Source::Ollama,
            name,
        });
    }
    found
}
