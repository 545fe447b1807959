//! Hostile and broken input, built here: each gets a clear error naming the
//! file and the limit or cause, within bounded time and memory.

use std::io::Write;
use std::path::{Path, PathBuf};

use deskpilot_core::docs::{open, open_with, DocProblem, Limits};

fn zip_file(dir: &Path, name: &str, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join(name);
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (n, data) in entries {
        z.start_file(*n, opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
    path
}

fn docx(dir: &Path, name: &str, body: &str) -> PathBuf {
    let doc = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_file(dir, name, &[("word/document.xml", doc.as_bytes())])
}

fn limit_name(e: &deskpilot_core::docs::DocError) -> &'static str {
    match &e.problem {
        DocProblem::Limit { name, .. } => name,
        other => panic!("expected a limit, got {other}"),
    }
}

#[test]
fn a_zip_bomb_is_refused_by_its_compression_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let p = zip_file(dir.path(), "bomb.docx", &[("word/document.xml", &zeros)]);
    let e = open(&p).unwrap_err();
    assert_eq!(limit_name(&e), "max_compression_ratio", "{e}");
    assert!(e.to_string().contains("bomb.docx"), "{e}");
}

#[test]
fn too_many_zip_entries_or_too_much_data_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..50).map(|i| format!("word/part{i}.xml")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<x/>"[..])).collect();
    let p = zip_file(dir.path(), "many.docx", &entries);
    let limits = Limits {
        max_zip_entries: 10,
        ..Limits::default()
    };
    assert_eq!(
        limit_name(&open_with(&p, &limits).unwrap_err()),
        "max_zip_entries"
    );
    let limits = Limits {
        max_uncompressed_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        limit_name(&open_with(&p, &limits).unwrap_err()),
        "max_uncompressed_bytes"
    );
}

#[test]
fn deep_xml_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}<w:p><w:r><w:t>x</w:t></w:r></w:p>{}",
        "<w:sdt>".repeat(5000),
        "</w:sdt>".repeat(5000)
    );
    let p = docx(dir.path(), "deep.docx", &body);
    assert_eq!(limit_name(&open(&p).unwrap_err()), "max_xml_depth");
}

#[test]
fn entities_are_never_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let doc = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>safe &c; &amp; sound</w:t></w:r></w:p></w:body></w:document>"#;
    let p = zip_file(
        dir.path(),
        "lol.docx",
        &[("word/document.xml", doc.as_bytes())],
    );
    let d = open(&p).unwrap();
    assert_eq!(d.blocks[0].text, "safe & sound");
}

#[test]
fn the_cell_limit_is_enforced_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.csv");
    let mut text = String::new();
    for r in 0..200 {
        text.push_str(&format!("{r},a,b,c\n"));
    }
    std::fs::write(&p, text).unwrap();
    let limits = Limits {
        max_cells_per_sheet: 100,
        ..Limits::default()
    };
    assert_eq!(
        limit_name(&open_with(&p, &limits).unwrap_err()),
        "max_cells_per_sheet"
    );
}

#[test]
fn the_time_limit_is_enforced_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = docx(
        dir.path(),
        "slow.docx",
        &"<w:p><w:r><w:t>word</w:t></w:r></w:p>".repeat(20000),
    );
    let limits = Limits {
        max_seconds: 0,
        ..Limits::default()
    };
    assert_eq!(
        limit_name(&open_with(&p, &limits).unwrap_err()),
        "max_seconds"
    );
}

#[test]
fn the_file_size_limit_is_enforced_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "x".repeat(2000)).unwrap();
    let limits = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        limit_name(&open_with(&p, &limits).unwrap_err()),
        "max_file_bytes"
    );
}

#[test]
fn empty_truncated_and_mislabelled_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.docx");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(open(&empty).unwrap_err().code(), "empty");

    let real = std::fs::read(crate::corpus("docx/mammoth__tables.docx")).unwrap();
    let cut = dir.path().join("cut.docx");
    std::fs::write(&cut, &real[..real.len() / 2]).unwrap();
    let e = open(&cut).unwrap_err();
    assert_eq!(e.code(), "damaged", "{e}");
    assert!(e.to_string().contains("cut.docx"));

    let pdf_named_docx = dir.path().join("report.docx");
    std::fs::write(&pdf_named_docx, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n").unwrap();
    let e = open(&pdf_named_docx).unwrap_err();
    assert_eq!(e.code(), "mislabelled", "{e}");
    assert!(e.to_string().contains("it is a PDF"), "{e}");

    let text_named_xlsx = dir.path().join("sheet.xlsx");
    std::fs::write(&text_named_xlsx, "just some words").unwrap();
    assert_eq!(open(&text_named_xlsx).unwrap_err().code(), "mislabelled");

    let missing = dir.path().join("nope.docx");
    assert_eq!(open(&missing).unwrap_err().code(), "io");
}

#[test]
fn tracked_deletions_are_left_out_and_insertions_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = docx(
        dir.path(),
        "tracked.docx",
        "<w:p><w:r><w:t>kept </w:t></w:r><w:del><w:r><w:delText>gone </w:delText></w:r></w:del><w:ins><w:r><w:t>added</w:t></w:r></w:ins></w:p>",
    );
    assert_eq!(open(&p).unwrap().blocks[0].text, "kept added");
}

#[test]
fn markdown_and_utf16_text_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("notes.md");
    std::fs::write(&md, "# Plan\n\n## 背景\n\n中文段落，测试。\n").unwrap();
    let d = open(&md).unwrap();
    assert_eq!(d.title.as_deref(), Some("Plan"));
    assert_eq!(d.blocks[2].loc, "§1.1 背景 ¶1");
    let txt = dir.path().join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("héllo wörld".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&txt, bytes).unwrap();
    assert_eq!(open(&txt).unwrap().blocks[0].text, "héllo wörld");
}

/// A one-page PDF whose page draws `text` (none: an empty page, as a scan
/// without OCR has no text either).
fn pdf(text: Option<&str>) -> Vec<u8> {
    let content = match text {
        Some(t) => format!("BT /F1 24 Tf 72 700 Td ({t}) Tj ET"),
        None => String::new(),
    };
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_text_is_read_with_its_page_and_a_scan_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let with_text = dir.path().join("memo.pdf");
    std::fs::write(&with_text, pdf(Some("Quarterly memo"))).unwrap();
    let d = open(&with_text).unwrap();
    assert_eq!(d.blocks[0].text, "Quarterly memo");
    assert_eq!(d.blocks[0].loc, "p. 1");

    let scan = dir.path().join("scan.pdf");
    std::fs::write(&scan, pdf(None)).unwrap();
    let e = open(&scan).unwrap_err();
    assert_eq!(e.code(), "no_text_layer", "{e}");
    assert!(
        e.to_string()
            .ends_with("scan.pdf: no text layer (scanned?)"),
        "{e}"
    );
}
