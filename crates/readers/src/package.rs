//! Zip packages (OOXML and OpenDocument) opened under the limits: entry
//! count, declared and actual uncompressed size, compression ratio. Entries
//! are read through a cap, so a header that lies about its size cannot blow
//! up memory.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::error::{damaged, DocProblem};
use super::limits::{exceeded, Deadline, Limits};
use super::xml::{attr, local, Ev, Xml};

/// Entries smaller than this may compress as well as they like (a page of
/// spaces does); above it the ratio limit applies.
const RATIO_EXEMPT_BYTES: u64 = 1024 * 1024;

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    read_so_far: u64,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Package<'a>, DocProblem> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| damaged(format!("not a readable zip package: {e}")))?;
        if zip.len() > limits.max_zip_entries {
            return Err(exceeded(
                "max_zip_entries",
                format!("{} entries (limit {})", zip.len(), limits.max_zip_entries),
            ));
        }
        let mut pkg = Package {
            zip,
            limits,
            read_so_far: 0,
        };
        pkg.check_declared_sizes()?;
        Ok(pkg)
    }

    fn check_declared_sizes(&mut self) -> Result<(), DocProblem> {
        let mut total: u64 = 0;
        for i in 0..self.zip.len() {
            let Ok(entry) = self.zip.by_index_raw(i) else {
                continue;
            };
            let size = entry.size();
            let packed = entry.compressed_size().max(1);
            total = total.saturating_add(size);
            if size > RATIO_EXEMPT_BYTES && size / packed > self.limits.max_compression_ratio {
                return Err(exceeded(
                    "max_compression_ratio",
                    format!(
                        "entry '{}' expands {}x ({} bytes from {}; limit {}x)",
                        entry.name().unwrap_or_default(),
                        size / packed,
                        size,
                        packed,
                        self.limits.max_compression_ratio
                    ),
                ));
            }
        }
        if total > self.limits.max_uncompressed_bytes {
            return Err(exceeded(
                "max_uncompressed_bytes",
                format!(
                    "{total} bytes uncompressed (limit {})",
                    self.limits.max_uncompressed_bytes
                ),
            ));
        }
        Ok(())
    }

    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The entry's bytes, or `None` if there is no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocProblem> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let budget = self
            .limits
            .max_uncompressed_bytes
            .saturating_sub(self.read_so_far);
        let mut entry = self
            .zip
            .by_index(index)
            .map_err(|e| damaged(format!("zip entry '{name}': {e}")))?;
        let mut out = Vec::new();
        (&mut entry)
            .take(budget.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| damaged(format!("zip entry '{name}': {e}")))?;
        if out.len() as u64 > budget {
            return Err(exceeded(
                "max_uncompressed_bytes",
                format!(
                    "entry '{name}' inflates past {} bytes",
                    self.limits.max_uncompressed_bytes
                ),
            ));
        }
        self.read_so_far += out.len() as u64;
        Ok(Some(out))
    }

    /// The entry as text (UTF-8, or UTF-16 with a byte-order mark).
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, DocProblem> {
        Ok(self.read(name)?.map(|b| super::text::decode(&b).0))
    }
}

/// Relationship id -> (type, target) of a part's .rels, targets resolved
/// against the part.
pub fn relationships(
    pkg: &mut Package<'_>,
    part: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<(String, String, String)>, DocProblem> {
    let Some(xml) = pkg.read_text(&rels_name(part))? else {
        return Ok(Vec::new());
    };
    let mut x = Xml::new(&xml, limits, deadline);
    let mut out = Vec::new();
    while let Some(ev) = x.next()? {
        if let Ev::Start(e) | Ev::Empty(e) = ev {
            if local(&e) == b"Relationship" {
                if let (Some(id), Some(t)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    let ty = attr(&e, b"Type").unwrap_or_default();
                    out.push((id, ty, resolve_target(part, &t)));
                }
            }
        }
    }
    Ok(out)
}

/// The relationships part of a part (`word/document.xml` ->
/// `word/_rels/document.xml.rels`).
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the folder of the part that
/// refers to it (`word/document.xml` + `media/a.png` -> `word/media/a.png`).
pub fn resolve_target(base_part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut parts: Vec<&str> = base_part.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Whether two paths name the same existing file (a copy must never be
/// written over the file it copies).
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    matches!(
        (std::fs::canonicalize(a), std::fs::canonicalize(b)),
        (Ok(a), Ok(b)) if a == b
    )
}

/// Why a package could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
}

/// Writes a package to `out`: every entry of `original` in its order, the
/// ones named in `parts` with their new bytes and the rest copied raw
/// (byte for byte, not even recompressed), then the `parts` the original
/// did not have. Written beside `out` as `.NAME.part` and renamed over it
/// at the end, so `out` is either the whole package or untouched.
pub fn write_copy(
    original: Option<&mut ZipArchive<Cursor<&[u8]>>>,
    mut parts: Vec<(String, Vec<u8>)>,
    out: &std::path::Path,
) -> Result<(), CopyError> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let part = {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "copy".into());
        out.with_file_name(format!(".{name}.part"))
    };
    let file = std::fs::File::create(&part)?;
    let deflated =
        || SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let result = (|| -> Result<(), CopyError> {
        let mut w = zip::ZipWriter::new(std::io::BufWriter::new(file));
        if let Some(zip) = original {
            for i in 0..zip.len() {
                let entry = zip.by_index_raw(i)?;
                let name = entry.name()?.into_owned();
                if let Some(k) = parts.iter().position(|(n, _)| *n == name) {
                    let mut opts = deflated();
                    if let Some(t) = entry.last_modified() {
                        opts = opts.last_modified_time(t);
                    }
                    drop(entry);
                    let (name, bytes) = parts.remove(k);
                    w.start_file(name, opts)?;
                    w.write_all(&bytes)?;
                } else {
                    w.raw_copy_file(entry)?;
                }
            }
        }
        for (name, bytes) in parts.drain(..) {
            w.start_file(name, deflated())?;
            w.write_all(&bytes)?;
        }
        let mut inner = w.finish()?;
        inner.flush()?;
        inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    std::fs::rename(&part, out).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        CopyError::Io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_against_the_part() {
        assert_eq!(
            resolve_target("ppt/slides/slide1.xml", "../notesSlides/notesSlide1.xml"),
            "ppt/notesSlides/notesSlide1.xml"
        );
        assert_eq!(
            resolve_target("ppt/presentation.xml", "slides/slide2.xml"),
            "ppt/slides/slide2.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "/word/x.xml"),
            "word/x.xml"
        );
    }
}
