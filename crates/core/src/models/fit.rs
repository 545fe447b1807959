//! Which catalog models fit this computer: from the memory free now, each
//! is marked fits / tight / too large with the context it can afford, and
//! the best fit is named.

use serde::Serialize;

use super::catalog::CatalogEntry;

/// Contexts tried, smallest first.
const CONTEXTS: &[u32] = &[2048, 4096, 8192, 16384, 32768, 65536, 131072];
/// Share of free memory a model may take and still "fit": the rest is for
/// the window, the documents and everything else the user runs.
const COMFORTABLE: f64 = 0.75;

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
}

/// Judges `entry` against `available` bytes of free memory.
pub fn assess(entry: &CatalogEntry, available: u64) -> Assessment {
    let comfortable = (available as f64 * COMFORTABLE) as u64;
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
    let fitting: Vec<&CatalogEntry> = catalog
        .iter()
        .filter(|e| assess(e, available).fit == Fit::Fits)
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
