//! Which catalog models fit this computer: from the memory free now (and
//! the GPU's, when this build offloads to one), each is marked fits /
//! tight / too large with the context it can afford, and the best fit is
//! named.

use serde::Serialize;

use super::catalog::CatalogEntry;
use super::gpu::Gpu;

/// Contexts tried, smallest first.
const CONTEXTS: &[u32] = &[2048, 4096, 8192, 16384, 32768, 65536, 131072];
/// Share of free memory a model may take and still "fit": the rest is for
/// the window, the documents and everything else the user runs.
const COMFORTABLE: f64 = 0.75;
/// A GPU's memory is the model's alone, but the driver and the display
/// take some.
const COMFORTABLE_GPU: f64 = 0.9;

/// How a model fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Runs at 4,096 tokens of context or more within three quarters of
    /// the free memory.
    Fits,
    /// Loads at 2,048 tokens but leaves little for anything else.
    Tight,
    TooLarge,
}

impl Fit {
    pub fn label(self) -> &'static str {
        match self {
            Fit::Fits => "fits",
            Fit::Tight => "tight",
            Fit::TooLarge => "too large",
        }
    }
}

/// One catalog entry judged against the free memory.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: String,
    pub fit: Fit,
    /// The largest context (up to the model's own) it can run with
    /// comfortably; None when even 2,048 tokens do not fit comfortably.
    pub context: Option<u32>,
    /// Memory it needs at that context (at 2,048 tokens when none fits).
    pub memory_bytes: u64,
    /// The GPU it fits on whole (weights and KV cache), when judged with
    /// one; None: judged by RAM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_gpu: Option<String>,
}

/// Judges `entry` against `available` bytes of free memory.
pub fn assess(entry: &CatalogEntry, available: u64) -> Assessment {
    assess_share(entry, available, COMFORTABLE)
}

/// Judges `entry` for a computer with `ram` free and maybe a GPU: on the
/// GPU when it fits there whole, else by RAM (llama.cpp then runs it on
/// the CPU, or splits it).
pub fn assess_on(entry: &CatalogEntry, ram: u64, gpu: Option<&Gpu>) -> Assessment {
    if let Some(g) = gpu {
        let on = assess_share(entry, g.free, COMFORTABLE_GPU);
        if on.fit == Fit::Fits {
            return Assessment {
                on_gpu: Some(g.name.clone()),
                ..on
            };
        }
    }
    assess(entry, ram)
}

fn assess_share(entry: &CatalogEntry, available: u64, share: f64) -> Assessment {
    let comfortable = (available as f64 * share) as u64;
    let context = CONTEXTS
        .iter()
        .copied()
        .filter(|&c| c <= entry.context.max(CONTEXTS[0]))
        .take_while(|&c| entry.memory_needed(c) <= comfortable)
        .last();
    let fit = match context {
        Some(c) if c >= 4096 || c >= entry.context => Fit::Fits,
        _ if entry.memory_needed(CONTEXTS[0]) <= available => Fit::Tight,
        _ => Fit::TooLarge,
    };
    Assessment {
        id: entry.id.clone(),
        fit,
        context,
        memory_bytes: entry.memory_needed(context.unwrap_or(CONTEXTS[0])),
        on_gpu: None,
    }
}

/// The model to suggest: the most parameters among those that fit (the
/// smaller file on a tie), preferring one strong in `language` when one
/// of those fits as well.
pub fn best_fit<'a>(
    catalog: &'a [CatalogEntry],
    available: u64,
    language: Option<&str>,
) -> Option<&'a CatalogEntry> {
    best_fit_on(catalog, available, None, language)
}

/// [`best_fit`] for a computer with `ram` free and maybe a GPU.
pub fn best_fit_on<'a>(
    catalog: &'a [CatalogEntry],
    ram: u64,
    gpu: Option<&Gpu>,
    language: Option<&str>,
) -> Option<&'a CatalogEntry> {
    let fitting: Vec<&CatalogEntry> = catalog
        .iter()
        .filter(|e| assess_on(e, ram, gpu).fit == Fit::Fits)
        .collect();
    let biggest = |speaks: Option<&str>| {
        fitting
            .iter()
            .copied()
            .filter(|e| speaks.is_none() || e.languages.first().map(String::as_str) == speaks)
            .max_by(|a, b| {
                a.parameters_b
                    .total_cmp(&b.parameters_b)
                    .then(b.estimated_bytes().cmp(&a.estimated_bytes()))
            })
    };
    language
        .and_then(|lang| biggest(Some(lang)))
        .or_else(|| biggest(None))
}

/// Memory free for a new program now, in bytes (Linux: MemAvailable);
/// None where it cannot be read.
pub fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemAvailable:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb * 1024)
}
