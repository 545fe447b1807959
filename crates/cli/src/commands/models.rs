//! `deskpilot models list|info|catalog`: what model files are here and
//! what they are, read from their GGUF headers without loading weights;
//! the recommended models and which fit this computer.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use deskpilot_core::config::{self, ModelOrigin};
use deskpilot_core::llm::{self, ModelInfo};
use deskpilot_core::models::{self, Assessment, CatalogEntry};
use serde::Serialize;

use crate::output::line;
use crate::setup;

pub fn info(path: &Path, json: bool) -> Result<u8> {
    let info = llm::inspect(path).context("reading model metadata")?;
    if json {
        line(&serde_json::to_string_pretty(&InfoJson::new(&info)).context("encoding JSON")?);
        return Ok(0);
    }
    let template = match &info.chat_template {
        Some(t) => format!("embedded ({} characters)", t.chars().count()),
        None => match llm::builtin_template_for(&info.architecture) {
            Some(name) => format!("none; llama.cpp's built-in '{name}' will be used"),
            None => "none; ChatML will be used".into(),
        },
    };
    let opt = |v: Option<u64>| v.map_or("unknown".to_owned(), |v| v.to_string());
    line(&format!("file:           {}", info.path.display()));
    line(&format!("name:           {}", info.display_name));
    if info.display_name != info.name {
        line(&format!("general.name:   {}", info.name));
    }
    line(&format!(
        "architecture:   {}{}",
        info.architecture,
        if info.architecture_supported {
            ""
        } else {
            " (NOT supported by this build)"
        }
    ));
    line(&format!(
        "parameters:     {} ({})",
        info.parameters_human(),
        info.parameters
    ));
    line(&format!("quantization:   {}", info.quantization));
    line(&format!("context length: {}", opt(info.context_length)));
    line(&format!("embedding size: {}", opt(info.embedding_length)));
    line(&format!("layers:         {}", opt(info.block_count)));
    line(&format!("vocabulary:     {}", opt(info.vocab_size)));
    line(&format!("chat template:  {template}"));
    line(&format!(
        "file size:      {:.1} MiB",
        info.file_size as f64 / 1048576.0
    ));
    line(&format!("GGUF version:   {}", info.gguf_version));
    Ok(0)
}

/// `models info --json`: the metadata plus which template would be used.
#[derive(Serialize)]
struct InfoJson<'a> {
    #[serde(flatten)]
    info: &'a ModelInfo,
    builtin_template: Option<&'static str>,
}

impl<'a> InfoJson<'a> {
    fn new(info: &'a ModelInfo) -> Self {
        InfoJson {
            info,
            builtin_template: llm::builtin_template_for(&info.architecture),
        }
    }
}

#[derive(Serialize)]
struct ListEntry {
    path: PathBuf,
    selected: bool,
    /// Where it is: the models folder, or the app that has it.
    source: String,
    /// That app's name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    found_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    info: Option<ModelInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn list(json: bool) -> Result<u8> {
    let dir = config::models_dir().context("finding the models folder")?;
    let settings = setup::load_settings()?;
    let selected = config::resolve_model(None, &settings).ok();
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("gguf"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    if let Some((p, _)) = &selected {
        if !paths.contains(p) {
            paths.push(p.clone());
        }
    }
    paths.sort();
    let mut sources: Vec<(PathBuf, String, Option<String>)> = paths
        .into_iter()
        .map(|p| (p, "models folder".to_owned(), None))
        .collect();
    // Models other apps have, offered where they are.
    for f in found_elsewhere() {
        if !sources.iter().any(|(p, ..)| *p == f.path) {
            sources.push((f.path, f.source.label().to_owned(), Some(f.name)));
        }
    }
    let entries: Vec<ListEntry> = sources
        .into_iter()
        .map(|(path, source, found_as)| {
            let (info, error) = match llm::inspect(&path) {
                Ok(i) => (Some(i), None),
                Err(e) => (None, Some(e.to_string())),
            };
            ListEntry {
                selected: selected.as_ref().is_some_and(|(p, _)| *p == path),
                source,
                found_as,
                path,
                info,
                error,
            }
        })
        .collect();
    if json {
        line(&serde_json::to_string_pretty(&entries).context("encoding JSON")?);
        return Ok(0);
    }
    if entries.is_empty() {
        line(&format!(
            "No models in {}. Run `bash scripts/setup.sh` from Deskpilot's folder to fetch the default model.",
            dir.display()
        ));
        return Ok(0);
    }
    line(&format!(
        "  {:<32} {:<10} {:>7} {:<8} {:>7} {:>9}  {:<18} PATH",
        "NAME", "ARCH", "PARAMS", "QUANT", "CTX", "SIZE", "SOURCE"
    ));
    for e in &entries {
        let mark = if e.selected { "*" } else { " " };
        match &e.info {
            Some(i) => line(&format!(
                "{mark} {:<32} {:<10} {:>7} {:<8} {:>7} {:>6.0} MiB  {:<18} {}",
                truncate(&i.display_name, 32),
                truncate(&i.architecture, 10),
                i.parameters_human(),
                i.quantization,
                i.context_length.map_or("?".into(), |c| c.to_string()),
                i.file_size as f64 / 1048576.0,
                e.source,
                match &e.found_as {
                    Some(name) => format!("{name} ({})", e.path.display()),
                    None => e.path.display().to_string(),
                }
            )),
            None => line(&format!(
                "{mark} {}  (unreadable: {})",
                e.path.display(),
                e.error.as_deref().unwrap_or("")
            )),
        }
    }
    if let Some((_, origin)) = &selected {
        let why = match origin {
            ModelOrigin::Default => "the default".to_owned(),
            other => format!("chosen by {other}"),
        };
        line(&format!("* = the model in use ({why})"));
    }
    Ok(0)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// `models catalog`: the recommended models, and with `--fits` how each
/// fits this computer's free memory (or `--ram GIB`).
pub fn catalog(fits: bool, ram_gib: Option<f64>, json: bool) -> Result<u8> {
    let entries = models::catalog().context("reading the model catalog")?;
    let available = match ram_gib {
        Some(gib) => Some((gib * 1024.0 * 1024.0 * 1024.0) as u64),
        None if fits => models::available_memory(),
        None => None,
    };
    let assessed: Vec<Option<Assessment>> = entries
        .iter()
        .map(|e| available.filter(|_| fits).map(|a| models::assess(e, a)))
        .collect();
    let best = available
        .filter(|_| fits)
        .and_then(|a| models::best_fit(&entries, a, None));
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            entry: &'a CatalogEntry,
            estimated_bytes: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            fit: Option<&'a Assessment>,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            available_bytes: Option<u64>,
            best_fit: Option<&'a str>,
            models: Vec<Row<'a>>,
        }
        let out = Out {
            available_bytes: available.filter(|_| fits),
            best_fit: best.map(|b| b.id.as_str()),
            models: entries
                .iter()
                .zip(&assessed)
                .map(|(entry, fit)| Row {
                    entry,
                    estimated_bytes: entry.estimated_bytes(),
                    fit: fit.as_ref(),
                })
                .collect(),
        };
        line(&serde_json::to_string_pretty(&out).context("encoding JSON")?);
        return Ok(0);
    }
    if fits {
        match available {
            Some(a) => line(&format!(
                "Memory free for a model: {:.1} GiB{}",
                gib(a),
                if ram_gib.is_some() {
                    " (as given)"
                } else {
                    " (now)"
                }
            )),
            None => line("Memory free for a model: unknown here; give it with --ram GIB"),
        }
    }
    line(&format!(
        "{:<15} {:<26} {:>6} {:<7} {:>8} {:>8}{}  GOOD AT",
        "ID",
        "NAME",
        "PARAMS",
        "QUANT",
        "CONTEXT",
        "SIZE",
        if fits { "  FIT              " } else { "" }
    ));
    for (e, a) in entries.iter().zip(&assessed) {
        let fit = match a {
            Some(a) => format!(
                "  {:<9} {:>7}",
                a.fit.label(),
                a.context
                    .map_or("-".to_owned(), |c| format!("{}K", c / 1024))
            ),
            None if fits => format!("  {:<17}", "unknown"),
            None => String::new(),
        };
        line(&format!(
            "{:<15} {:<26} {:>5}B {:<7} {:>7}K {:>5.1} GB{}  {}",
            e.id,
            e.name,
            e.parameters_b,
            e.quantization,
            e.context / 1024,
            e.estimated_bytes() as f64 / 1e9,
            fit,
            e.good_at.join(", ")
        ));
    }
    if let Some(best) = best {
        line(&format!(
            "Best fit for this computer: {} ({}), https://huggingface.co/{}",
            best.id, best.name, best.repo
        ));
    }
    line("Sizes are estimates from parameters and quantization; FIT's context is the most it can run with comfortably.");
    Ok(0)
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0 * 1024.0)
}

/// `models use NAME|PATH`: the model for every later run (saved in the
/// settings): a file, a file in the models folder, or a model found in
/// another app by the name `models list` shows.
pub fn use_model(which: &str) -> Result<u8> {
    let path = resolve_choice(which)?;
    // Refuse what cannot be loaded before saving it.
    let info = llm::inspect(&path).with_context(|| format!("checking {}", path.display()))?;
    info.ensure_supported()
        .with_context(|| format!("checking {}", path.display()))?;
    let settings_path = config::Settings::default_path().context("finding the settings file")?;
    let mut settings = setup::load_settings()?;
    settings.model = Some(path.clone());
    settings
        .save(&settings_path)
        .with_context(|| format!("saving {}", settings_path.display()))?;
    line(&format!(
        "Using {} ({}) from now on; saved in {}",
        info.display_name,
        path.display(),
        settings_path.display()
    ));
    Ok(0)
}

/// A path, a file name in the models folder, or a found model's name.
fn resolve_choice(which: &str) -> Result<PathBuf> {
    let given = PathBuf::from(which);
    if given.is_file() {
        return Ok(std::fs::canonicalize(&given).unwrap_or(given));
    }
    let dir = config::models_dir().context("finding the models folder")?;
    for name in [which.to_owned(), format!("{which}.gguf")] {
        let p = dir.join(&name);
        if p.is_file() {
            return Ok(p);
        }
    }
    let found = found_elsewhere();
    if let Some(f) = found.iter().find(|f| f.name == which) {
        return Ok(f.path.clone());
    }
    anyhow::bail!(
        "no model called {which:?}: give a GGUF file, a file in {}, or a name from `deskpilot models list`",
        dir.display()
    )
}

fn found_elsewhere() -> Vec<models::found::FoundModel> {
    models::found::Places::here()
        .map(|p| models::found::find_models(&p))
        .unwrap_or_default()
}
