//! Limits that keep a hostile file from taking the machine down: size, zip
//! entries, total uncompressed size and compression ratio (zip bombs), XML
//! depth, time per file, cells per sheet. Each is named in the error it
//! raises, and each can be changed in settings.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::error::DocProblem;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_zip_entries: usize,
    pub max_uncompressed_bytes: u64,
    /// Uncompressed / compressed, per entry and overall.
    pub max_compression_ratio: u64,
    pub max_xml_depth: usize,
    pub max_seconds: u64,
    pub max_cells_per_sheet: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_zip_entries: 20_000,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
            max_compression_ratio: 200,
            max_xml_depth: 256,
            max_seconds: 60,
            max_cells_per_sheet: 5_000_000,
        }
    }
}

impl Limits {
    pub fn deadline(&self) -> Deadline {
        Deadline {
            end: Instant::now() + Duration::from_secs(self.max_seconds),
            seconds: self.max_seconds,
        }
    }
}

/// The time limit of one file, checked in readers' loops.
#[derive(Clone, Copy)]
pub struct Deadline {
    end: Instant,
    seconds: u64,
}

impl Deadline {
    pub fn check(&self) -> Result<(), DocProblem> {
        if Instant::now() > self.end {
            Err(exceeded(
                "max_seconds",
                format!("reading took over {} s", self.seconds),
            ))
        } else {
            Ok(())
        }
    }
}

pub fn exceeded(name: &'static str, detail: String) -> DocProblem {
    DocProblem::Limit { name, detail }
}
