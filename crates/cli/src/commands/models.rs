//! `deskpilot models list|info|catalog|use|rm|import`: what model files
//! are here and what they are, read from their GGUF headers without
//! loading weights; the recommended models and which fit this computer;
//! choosing, removing, and adding a folder of models.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use deskpilot_core::config::{self, ModelOrigin};
use deskpilot_core::detect;
use deskpilot_core::llm::{self, ModelInfo};
use deskpilot_core::models::{self, download, Assessment, CatalogEntry};
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

/// `models list --json`: each model and whether it is the one in use.
#[derive(Serialize)]
struct ListEntry {
    selected: bool,
    /// The model the detector scores with, when it has one of its own.
    detector: bool,
    #[serde(flatten)]
    model: models::library::Installed,
}

pub fn list(json: bool) -> Result<u8> {
    let dir = config::models_dir().context("finding the models folder")?;
    let settings = setup::load_settings()?;
    let selected = config::resolve_model(None, &settings).ok();
    let entries: Vec<ListEntry> =
        models::library::installed(&dir, &settings, selected.as_ref().map(|(p, _)| p.as_path()))
            .with_context(|| format!("reading {}", dir.display()))?
            .into_iter()
            .map(|model| ListEntry {
                selected: selected.as_ref().is_some_and(|(p, _)| *p == model.path),
                detector: settings.detect_model.as_ref() == Some(&model.path),
                model,
            })
            .collect();
    if json {
        line(&serde_json::to_string_pretty(&entries).context("encoding JSON")?);
        return Ok(0);
    }
    if entries.is_empty() {
        line(&format!(
            "No models in {}. Run `bash scripts/setup.sh` from Deskpilot's folder to fetch the default model, or `deskpilot models pull ID` for one from `deskpilot models catalog --fits`.",
            dir.display()
        ));
        return Ok(0);
    }
    line(&format!(
        "   {:<32} {:<10} {:>7} {:<8} {:>7} {:>9}  {:<18} PATH",
        "NAME", "ARCH", "PARAMS", "QUANT", "CTX", "SIZE", "SOURCE"
    ));
    for e in &entries {
        let mark = match (e.selected, e.detector) {
            (true, true) => "*D",
            (true, false) => "* ",
            (false, true) => " D",
            (false, false) => "  ",
        };
        let e = &e.model;
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
                match (&e.found_as, &e.pulled_from) {
                    (Some(name), _) => format!("{name} ({})", e.path.display()),
                    (None, Some(p)) => format!("{} (from {})", e.path.display(), p.repo),
                    (None, None) => e.path.display().to_string(),
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
    if let Some(d) = &settings.detect_model {
        if entries.iter().any(|e| e.detector) {
            line("D = the detector's model (`deskpilot models use --detector chat` goes back to the chat model)");
        } else if d.exists() {
            line(&format!("The detector's model: {}", d.display()));
        } else {
            line(&format!(
                "The detector's model {} is missing: `deskpilot models use --detector chat` goes back to the chat model",
                d.display()
            ));
        }
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
pub fn catalog(fits: bool, ram_gib: Option<f64>, vram_gib: Option<f64>, json: bool) -> Result<u8> {
    let entries = models::catalog().context("reading the model catalog")?;
    let gib_bytes = |g: f64| (g * 1024.0 * 1024.0 * 1024.0) as u64;
    let available = match ram_gib {
        Some(gib) => Some(gib_bytes(gib)),
        None if fits => models::available_memory(),
        None => None,
    };
    // The GPU found counts only when this build offloads; --vram plans
    // for one.
    let found_gpus = if fits && vram_gib.is_none() {
        models::gpu::detect()
    } else {
        Vec::new()
    };
    let gpu = match vram_gib {
        Some(g) => Some(models::gpu::Gpu {
            name: "the given GPU".into(),
            total: gib_bytes(g),
            free: gib_bytes(g),
        }),
        None if models::gpu::build_offloads() => found_gpus.first().cloned(),
        None => None,
    };
    let assessed: Vec<Option<Assessment>> = entries
        .iter()
        .map(|e| {
            available
                .filter(|_| fits)
                .map(|a| models::assess_on(e, a, gpu.as_ref()))
        })
        .collect();
    let best = available
        .filter(|_| fits)
        .and_then(|a| models::best_fit_on(&entries, a, gpu.as_ref(), None));
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
            /// The GPU judged with (None: RAM only).
            gpu: Option<&'a models::gpu::Gpu>,
            best_fit: Option<&'a str>,
            models: Vec<Row<'a>>,
        }
        let out = Out {
            available_bytes: available.filter(|_| fits),
            gpu: gpu.as_ref(),
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
        match (&gpu, found_gpus.first()) {
            (Some(g), _) => line(&format!(
                "GPU: {}, {:.1} GiB free{}; a model that fits there whole is marked (GPU)",
                g.name,
                gib(g.free),
                if vram_gib.is_some() { " (as given)" } else { "" }
            )),
            (None, Some(g)) => line(&format!(
                "GPU: {} found, but this build runs models on the CPU (build with --features cuda or vulkan to use it)",
                g.name
            )),
            (None, None) => {}
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
                if a.on_gpu.is_some() {
                    format!("{} (GPU)", a.fit.label())
                } else {
                    a.fit.label().to_owned()
                },
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
    let (name, settings_path) = choose(&path)?;
    line(&format!(
        "Using {} ({}) from now on; saved in {}",
        name,
        path.display(),
        settings_path.display()
    ));
    Ok(0)
}

/// `models use --detector NAME|PATH|chat`: the model the detector scores
/// with from now on, saved apart from the chat model; `chat` goes back to
/// scoring with the chat model.
pub fn use_for_detector(which: &str) -> Result<u8> {
    let mut settings = setup::load_settings()?;
    if which == "chat" {
        settings.detect_model = None;
        setup::save_settings(&settings)?;
        line("The detector scores with the chat model from now on");
        return Ok(0);
    }
    let path = resolve_choice(which)?;
    let info = checked(&path)?;
    settings.detect_model = Some(path.clone());
    let settings_path = setup::save_settings(&settings)?;
    line(&format!(
        "The detector scores with {} ({}) from now on; saved in {}{}",
        info.display_name,
        path.display(),
        settings_path.display(),
        if detect::has_own_calibration(&info) {
            ""
        } else {
            ". It has no calibration of its own, so its probabilities are approximate"
        }
    ));
    Ok(0)
}

/// The model's header, refusing a file that cannot be loaded.
fn checked(path: &Path) -> Result<ModelInfo> {
    let info = llm::inspect(path).with_context(|| format!("checking {}", path.display()))?;
    info.ensure_supported()
        .with_context(|| format!("checking {}", path.display()))?;
    Ok(info)
}

/// Saves `path` as the model for later runs, after checking it loads;
/// returns its readable name and where the settings are.
pub fn choose(path: &Path) -> Result<(String, PathBuf)> {
    // Refuse what cannot be loaded before saving it.
    let info = checked(path)?;
    let mut settings = setup::load_settings()?;
    settings.model = Some(path.to_path_buf());
    let settings_path = setup::save_settings(&settings)?;
    Ok((info.display_name, settings_path))
}

/// `models rm ID|NAME|FILE`: deletes a model from the models folder (and
/// what a paused download of it left); models other apps have are theirs
/// to remove. The settings go back to the default if it was in use.
pub fn rm(which: &str) -> Result<u8> {
    let dir = config::models_dir().context("finding the models folder")?;
    let catalog = models::catalog().context("reading the model catalog")?;
    let by_id = catalog
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(which))
        .map(|m| m.file_name().to_owned());
    if let Some(f) = found_elsewhere().into_iter().find(|f| f.name == which) {
        anyhow::bail!("{}", not_ours(which, &f));
    }
    let given = Path::new(which);
    let name = if let Some(file) = by_id {
        file
    } else if given.components().count() > 1 || given.is_absolute() {
        // A path: it must be in the models folder.
        let canon = std::fs::canonicalize(given).unwrap_or_else(|_| given.to_path_buf());
        let dir_canon = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if canon.parent() != Some(dir_canon.as_path()) {
            if let Some(f) = found_elsewhere()
                .into_iter()
                .find(|f| std::fs::canonicalize(&f.path).ok().as_ref() == Some(&canon))
            {
                anyhow::bail!("{}", not_ours(which, &f));
            }
            anyhow::bail!(
                "{} is not in the models folder {}; Deskpilot only removes what it keeps there",
                given.display(),
                dir.display()
            );
        }
        canon
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else if dir.join(which).exists() || download::part_path(&dir, which).exists() {
        which.to_owned()
    } else {
        format!("{which}.gguf")
    };
    let path = dir.join(&name);
    let removed = download::remove(&dir, &name)?;
    let removed_file = removed.file;
    if !removed.file && !removed.partial {
        anyhow::bail!(
            "no model {which:?} in {} (see `deskpilot models list`)",
            dir.display()
        );
    }
    if removed_file {
        line(&format!("Removed {}", path.display()));
    } else {
        line(&format!("Removed the paused download of {name}"));
    }
    let mut settings = setup::load_settings()?;
    if removed_file && settings.model.as_deref() == Some(path.as_path()) {
        settings.model = None;
        setup::save_settings(&settings)?;
        line("It was the model in use: the default model is used again");
    }
    if removed_file && settings.detect_model.as_deref() == Some(path.as_path()) {
        settings.detect_model = None;
        setup::save_settings(&settings)?;
        line("It was the detector's model: the detector scores with the chat model again");
    }
    Ok(0)
}

/// Why a model another app has (or an imported folder holds) is not
/// removed here.
fn not_ours(which: &str, f: &models::found::FoundModel) -> String {
    match f.source {
        models::found::Source::Imported => format!(
            "{which} is in a folder you imported ({}); Deskpilot only lists it: delete the file yourself to have it gone",
            f.path.display()
        ),
        other => format!(
            "{which} belongs to {} ({}); Deskpilot only lists it: remove it in {}",
            other.label(),
            f.path.display(),
            other.label()
        ),
    }
}

/// `models import DIR`: GGUF files in a folder of the user's are offered
/// where they are (the folder is remembered in the settings; nothing is
/// copied).
pub fn import(dir: &Path) -> Result<u8> {
    let dir = std::fs::canonicalize(dir).with_context(|| format!("opening {}", dir.display()))?;
    anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
    let found = models::found::in_folder(&dir);
    anyhow::ensure!(
        !found.is_empty(),
        "no GGUF model files in {} (files ending .gguf that start with the GGUF header; subfolders are looked in)",
        dir.display()
    );
    let mut settings = setup::load_settings()?;
    let new = !settings.model_folders.contains(&dir);
    if new {
        settings.model_folders.push(dir.clone());
        setup::save_settings(&settings)?;
    }
    line(&format!(
        "{} {} ({} model{}; offered where they are, nothing copied):",
        if new { "Added" } else { "Already added:" },
        dir.display(),
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    ));
    for f in &found {
        line(&format!("  {}", f.name));
    }
    line("Pick one with `deskpilot models use NAME`");
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

/// Models other apps have, and those in folders the user imported.
fn found_elsewhere() -> Vec<models::found::FoundModel> {
    models::library::elsewhere(&setup::load_settings().unwrap_or_default())
}
