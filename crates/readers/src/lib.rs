//! Reading the files people open (Word, Excel new and legacy, Calc,
//! PowerPoint, PDF, CSV, Markdown, text) into one [`Document`] model whose
//! every block says where it came from. Hostile input is bounded by
//! [`Limits`]; a reader that panics or overruns its time costs that file,
//! never the app.

pub mod lang;

mod biff;
mod cfb;
mod chunk;
mod delimited;
pub mod docx;
mod error;
mod grid;
mod html;
pub mod limits;
mod model;
pub mod package;
mod pdf;
mod sheetxml;
mod slides;
mod span;
mod text;
mod workbook;
pub mod xml;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

pub use chunk::{chunk, Chunk};
pub use error::{DocError, DocProblem};
pub use grid::{GridBuilder, SheetGrid, TextPool};
pub use limits::Limits;
pub use model::tidy;
pub use model::{Block, BlockKind, Document, Format, Source};
pub use span::loc_span;
pub use workbook::{cell_a1, col_letters, parse_a1, parse_range_a1, quote_sheet};

use package::Package;

/// What the bytes of a file look like, whatever its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Zip,
    Pdf,
    /// OLE compound file: legacy .xls/.doc, or an encrypted Office file.
    Cfb,
    /// A bare BIFF2-4 record stream (Excel 2.x-4.x).
    Biff,
    Other,
}

fn sniff(bytes: &[u8]) -> Content {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Content::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Content::Cfb
    } else if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        Content::Pdf
    } else if biff::is_biff(bytes) {
        Content::Biff
    } else {
        Content::Other
    }
}

/// The format a file's name promises.
pub fn format_for_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
        "xlsx" | "xlsm" | "xltx" | "xltm" => Format::Xlsx,
        "xlsb" => Format::Xlsb,
        "xls" | "xla" | "xlt" => Format::Xls,
        "ods" => Format::Ods,
        "csv" | "tsv" => Format::Csv,
        "pdf" => Format::Pdf,
        "pptx" | "pptm" | "potx" | "ppsx" => Format::Pptx,
        "md" | "markdown" => Format::Markdown,
        "txt" | "text" | "log" => Format::Text,
        "html" | "htm" | "xhtml" => Format::Html,
        _ => return None,
    })
}

/// Reads a file into a [`Document`] under the default limits.
pub fn open(path: &Path) -> Result<Document, DocError> {
    open_with(path, &Limits::default())
}

/// Reads a file into a [`Document`]. The reader runs on its own thread: if it
/// overruns `max_seconds` the call returns an error naming that limit.
pub fn open_with(path: &Path, limits: &Limits) -> Result<Document, DocError> {
    open_guarded(path, limits, Want::Blocks)
}

/// Reads a spreadsheet or CSV for analysis: each sheet's cells go into a
/// compact [`SheetGrid`] (`Document::grids`) instead of text blocks, so a
/// large sheet is held once, in a few bytes per cell. Any other file is
/// read as by [`open_with`]. Same thread, time limit and errors.
pub fn open_sheets(path: &Path, limits: &Limits) -> Result<Document, DocError> {
    open_guarded(path, limits, Want::Grids)
}

/// What a spreadsheet's cells become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Blocks,
    Grids,
}

fn open_guarded(path: &Path, limits: &Limits, want: Want) -> Result<Document, DocError> {
    let owned = path.to_path_buf();
    let lim = limits.clone();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("deskpilot-reader".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| read(&owned, &lim, want)))
                .unwrap_or_else(|p| {
                    let msg = p
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown".into());
                    Err(error::damaged(format!(
                        "the reader failed on this file ({msg})"
                    )))
                });
            let _ = tx.send(result);
        });
    let err = |problem| DocError::new(path, problem);
    if let Err(e) = spawned {
        return Err(err(DocProblem::Io(e)));
    }
    // Readers check the deadline themselves; this is the backstop for a
    // library call that never returns.
    match rx.recv_timeout(Duration::from_secs(limits.max_seconds.saturating_add(5))) {
        Ok(result) => {
            release_freed_memory();
            result.map_err(err)
        }
        Err(_) => Err(err(limits::exceeded(
            "max_seconds",
            format!("reading took over {} s", limits.max_seconds),
        ))),
    }
}

/// Hands memory the reader freed back to the system. The reader's thread
/// allocates in its own malloc arena (the file's bytes, the parsers'
/// tables, each cell's text on its way into the grid); glibc keeps freed
/// arena memory resident, so without this a large file's reading would
/// stay in the app's memory after the thread is gone.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks and trims malloc's own arenas; it
    // takes no pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn read(path: &Path, limits: &Limits, want: Want) -> Result<Document, DocProblem> {
    let size = std::fs::metadata(path)?.len();
    if size > limits.max_file_bytes {
        return Err(limits::exceeded(
            "max_file_bytes",
            format!("{size} bytes (limit {})", limits.max_file_bytes),
        ));
    }
    let bytes = std::fs::read(path)?;
    read_bytes(&bytes, path, limits, want)
}

/// Reads a document from memory; `name` gives the format by its extension
/// and names the file in errors. Runs on the caller's thread with no panic
/// guard: for fuzzing, and for callers that guard themselves (use [`open`]
/// otherwise).
pub fn parse(bytes: &[u8], name: &Path, limits: &Limits) -> Result<Document, DocError> {
    read_bytes(bytes, name, limits, Want::Blocks).map_err(|p| DocError::new(name, p))
}

fn read_bytes(
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
    want: Want,
) -> Result<Document, DocProblem> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(limits::exceeded(
            "max_file_bytes",
            format!("{} bytes (limit {})", bytes.len(), limits.max_file_bytes),
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DocProblem::Empty);
    }
    let deadline = limits.deadline();
    let named = format_for_extension(path);
    let content = sniff(bytes);
    let mut warnings = Vec::new();

    let mut package: Option<Package<'_>> = None;
    let format = match (named, content) {
        (_, Content::Zip) => {
            let mut pkg = Package::open(bytes, limits)?;
            let actual = zip_format(&mut pkg)?;
            // Opened and checked once; the reader below uses it.
            package = Some(pkg);
            match (named, actual) {
                (Some(n), Some(a)) if n == a => a,
                (Some(n), Some(a)) if is_sheet(n) && is_sheet(a) => {
                    warnings.push(format!(
                        "the file is {} despite its .{} name; read as {}",
                        a.name(),
                        ext(path),
                        a.name()
                    ));
                    a
                }
                (None, Some(a)) => a,
                (Some(n), Some(a)) => {
                    return Err(DocProblem::Mislabelled {
                        expected: n.name(),
                        detail: format!("it is a {} package", a.name()),
                    })
                }
                (Some(n), None) => {
                    return Err(DocProblem::Mislabelled {
                        expected: n.name(),
                        detail: "a zip archive that is not an Office document".into(),
                    })
                }
                (None, None) => {
                    return Err(DocProblem::Unsupported {
                        ext: Some("zip".into()),
                    })
                }
            }
        }
        (_, Content::Cfb) => {
            if contains_utf16(bytes, "EncryptedPackage") {
                return Err(DocProblem::PasswordProtected);
            }
            match named {
                Some(Format::Xls) | None => Format::Xls,
                Some(n) if is_sheet(n) => {
                    warnings.push(format!(
                        "the file is a legacy .xls workbook despite its .{} name",
                        ext(path)
                    ));
                    Format::Xls
                }
                Some(n) => {
                    return Err(DocProblem::Mislabelled {
                        expected: n.name(),
                        detail: "it is a legacy binary Office file (.doc/.xls/.ppt)".into(),
                    })
                }
            }
        }
        (Some(Format::Xls) | None, Content::Biff) => {
            let b = biff::read(bytes, limits, deadline)?;
            warnings.extend(b.warnings);
            return Ok(finish(
                path,
                Format::Xls,
                b.blocks,
                None,
                warnings,
                Vec::new(),
            ));
        }
        (Some(n), Content::Biff) => {
            return Err(DocProblem::Mislabelled {
                expected: n.name(),
                detail: "it is an Excel 2.x-4.x worksheet".into(),
            })
        }
        (Some(Format::Pdf) | None, Content::Pdf) => Format::Pdf,
        (Some(n), Content::Pdf) => {
            return Err(DocProblem::Mislabelled {
                expected: n.name(),
                detail: "it is a PDF".into(),
            })
        }
        (
            Some(n @ (Format::Csv | Format::Markdown | Format::Text | Format::Html)),
            Content::Other,
        ) => n,
        (Some(n), Content::Other) => {
            return Err(DocProblem::Mislabelled {
                expected: n.name(),
                detail: describe_other(bytes),
            })
        }
        (None, Content::Other) => {
            if looks_binary(bytes) {
                return Err(DocProblem::Unsupported {
                    ext: path.extension().map(|e| e.to_string_lossy().into_owned()),
                });
            }
            Format::Text
        }
    };

    let mut grids = Vec::new();
    let (blocks, title, mut more) = match format {
        Format::Docx => {
            let mut pkg = opened(package.take(), bytes, limits)?;
            let d = docx::read(&mut pkg, limits, deadline)?;
            let title = d.title.or_else(|| core_title(&mut pkg, limits, deadline));
            (d.blocks, title, d.warnings)
        }
        Format::Pptx => {
            let mut pkg = opened(package.take(), bytes, limits)?;
            let s = slides::read(&mut pkg, limits, deadline)?;
            let title = core_title(&mut pkg, limits, deadline).or(s.title);
            (s.blocks, title, s.warnings)
        }
        Format::Xlsx | Format::Xlsb | Format::Ods => {
            // The package was checked (zip bombs) before calamine inflates it.
            let mut pkg = opened(package.take(), bytes, limits)?;
            let read = if want == Want::Grids {
                let mut sink = workbook::GridSink::default();
                workbook::read_into(bytes, format, limits, deadline, &mut sink).map(|warnings| {
                    grids = sink.grids;
                    workbook::Workbook {
                        blocks: Vec::new(),
                        warnings,
                    }
                })
            } else {
                workbook::read(bytes, format, limits, deadline)
            };
            match read {
                Ok(w) => (w.blocks, None, w.warnings),
                // calamine is strict; damaged-but-legible XML is read by hand.
                Err(DocProblem::Damaged(why)) if format != Format::Xlsb => {
                    let blocks = if format == Format::Ods {
                        sheetxml::ods(&mut pkg, limits, deadline)?
                    } else {
                        sheetxml::xlsx(&mut pkg, limits, deadline)?
                    };
                    let note = format!("read cell by cell because the workbook is damaged ({why})");
                    (blocks, None, vec![note])
                }
                Err(e) => return Err(e),
            }
        }
        Format::Xls => {
            cfb::check(bytes)?;
            if want == Want::Grids {
                let mut sink = workbook::GridSink::default();
                let warnings = workbook::read_into(bytes, format, limits, deadline, &mut sink)?;
                grids = sink.grids;
                (Vec::new(), None, warnings)
            } else {
                let w = workbook::read(bytes, format, limits, deadline)?;
                (w.blocks, None, w.warnings)
            }
        }
        Format::Pdf => {
            let p = pdf::read(bytes, deadline)?;
            (p.blocks, p.title, p.warnings)
        }
        Format::Csv => {
            let (text, _) = text::decode(bytes);
            let stem = path
                .file_stem()
                .map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned());
            let tsv = ext(path).eq_ignore_ascii_case("tsv");
            if want == Want::Grids {
                let mut sink = workbook::GridSink::default();
                delimited::read_into(&text, &stem, tsv, limits, deadline, &mut sink)?;
                grids = sink.grids;
                (Vec::new(), None, Vec::new())
            } else {
                (
                    delimited::read(&text, &stem, tsv, limits, deadline)?,
                    None,
                    Vec::new(),
                )
            }
        }
        Format::Markdown => {
            let (text, _) = text::decode(bytes);
            let (blocks, title) = text::markdown_blocks(&text);
            (blocks, title, Vec::new())
        }
        Format::Html => {
            let (text, _) = text::decode(bytes);
            let (blocks, title) = html::blocks(&text);
            (blocks, title, Vec::new())
        }
        Format::Text => {
            if looks_binary(bytes) {
                return Err(DocProblem::Mislabelled {
                    expected: "text",
                    detail: describe_other(bytes),
                });
            }
            let (text, _) = text::decode(bytes);
            (text::plain_blocks(&text), None, Vec::new())
        }
    };
    warnings.append(&mut more);
    Ok(finish(path, format, blocks, title, warnings, grids))
}

fn finish(
    path: &Path,
    format: Format,
    blocks: Vec<Block>,
    title: Option<String>,
    mut warnings: Vec<String>,
    grids: Vec<SheetGrid>,
) -> Document {
    if blocks.is_empty() && grids.iter().all(SheetGrid::is_empty) && warnings.is_empty() {
        warnings.push("the file holds no text".into());
    }
    Document {
        file: path.to_path_buf(),
        format,
        title,
        blocks,
        warnings,
        grids,
    }
}

/// The package the format check opened, or a fresh one.
fn opened<'a>(
    package: Option<Package<'a>>,
    bytes: &'a [u8],
    limits: &'a Limits,
) -> Result<Package<'a>, DocProblem> {
    match package {
        Some(p) => Ok(p),
        None => Package::open(bytes, limits),
    }
}

fn ext(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_sheet(f: Format) -> bool {
    matches!(f, Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods)
}

/// Which Office format a zip package holds, from its parts.
fn zip_format(pkg: &mut Package<'_>) -> Result<Option<Format>, DocProblem> {
    let names = pkg.names();
    let has = |p: &str| names.iter().any(|n| n == p);
    if has("word/document.xml")
        || names
            .iter()
            .any(|n| n.starts_with("word/") && n.ends_with(".xml"))
    {
        return Ok(Some(Format::Docx));
    }
    if has("xl/workbook.bin") {
        return Ok(Some(Format::Xlsb));
    }
    if has("xl/workbook.xml") || names.iter().any(|n| n.starts_with("xl/")) {
        return Ok(Some(Format::Xlsx));
    }
    if has("ppt/presentation.xml") {
        return Ok(Some(Format::Pptx));
    }
    if let Some(m) = pkg.read("mimetype")? {
        if m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Some(Format::Ods));
        }
    }
    if has("content.xml") && names.iter().any(|n| n == "META-INF/manifest.xml") {
        // An OpenDocument file without a mimetype entry: assume a sheet only
        // if the manifest says so.
        if let Some(m) = pkg.read_text("META-INF/manifest.xml")? {
            if m.contains("opendocument.spreadsheet") {
                return Ok(Some(Format::Ods));
            }
        }
    }
    Ok(None)
}

/// `dc:title` from docProps/core.xml, when set.
fn core_title(
    pkg: &mut Package<'_>,
    limits: &Limits,
    deadline: limits::Deadline,
) -> Option<String> {
    let xml = pkg.read_text("docProps/core.xml").ok()??;
    let mut x = xml::Xml::new(&xml, limits, deadline);
    let mut in_title = false;
    let mut title = String::new();
    while let Ok(Some(ev)) = x.next() {
        match ev {
            xml::Ev::Start(e) if xml::local(&e) == b"title" => in_title = true,
            xml::Ev::End(n) if n == b"title" => break,
            xml::Ev::Text(t) if in_title => title.push_str(&t),
            _ => {}
        }
    }
    let t = model::tidy(&title);
    (!t.is_empty()).then_some(t)
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &pattern).is_some()
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let (text, _) = text::decode(head);
    let bad = text
        .chars()
        .filter(|c| *c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        .count();
    bad * 20 > text.chars().count().max(1)
}

fn describe_other(bytes: &[u8]) -> String {
    if looks_binary(bytes) {
        "its content is binary data of an unknown kind".into()
    } else {
        "its content is plain text".into()
    }
}
