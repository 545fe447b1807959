//! Edits written as tracked changes into copies of real .docx files from the
//! corpus, no model: a deterministic change to one paragraph, then checked
//! against the XML: every other package entry the same bytes, the main part
//! differing inside that paragraph only, every paragraph reading as the
//! original with the revisions rejected and as the edit with them
//! accepted, and the document reader reading the accepted text.

use std::io::Read;
use std::path::{Path, PathBuf};

use deskpilot_core::docs::{open, Limits};
use deskpilot_core::edit::{DocxEdit, EditError, Selection};

use crate::corpus_files::corpus_dir;

/// Every entry of a zip package: name and bytes, in order.
pub fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().unwrap().into_owned(), b)
        })
        .collect()
}

/// The text of each body paragraph (outside text boxes) with tracked
/// changes rejected (`accept = false`) or accepted.
pub fn paragraph_texts(xml: &str, accept: bool) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = false;
    let mut out = Vec::new();
    let mut depth_p = 0usize;
    let (mut in_ins, mut in_del) = (0usize, 0usize);
    let mut in_t = false;
    let mut in_r = 0usize;
    let mut cur = String::new();
    // Whether text inside `ins`/`del` elements to these depths is shown.
    let shown = |ins: usize, del: usize| if accept { del == 0 } else { ins == 0 };
    loop {
        let at = r.buffer_position();
        let ev = r
            .read_event()
            .unwrap_or_else(|e| panic!("{e:?} at byte {at} of the main part"));
        match ev {
            Event::Start(e) => match e.local_name().as_ref().as_bytes() {
                b"p" => {
                    depth_p += 1;
                    if depth_p == 1 {
                        cur.clear();
                    }
                }
                b"ins" => in_ins += 1,
                b"del" => in_del += 1,
                b"r" => in_r += 1,
                b"t" | b"delText" => in_t = true,
                _ => {}
            },
            Event::Empty(e)
                if e.local_name().as_ref().as_bytes() == b"tab"
                    && depth_p == 1
                    && in_r > 0
                    && shown(in_ins, in_del) =>
            {
                cur.push('\t');
            }
            Event::End(e) => match e.local_name().as_ref().as_bytes() {
                b"p" => {
                    if depth_p == 1 {
                        out.push(std::mem::take(&mut cur));
                    }
                    depth_p = depth_p.saturating_sub(1);
                }
                b"ins" => in_ins -= 1,
                b"del" => in_del -= 1,
                b"r" => in_r = in_r.saturating_sub(1),
                b"t" | b"delText" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t && depth_p == 1 && shown(in_ins, in_del) => {
                cur.push_str(&t.xml10_content());
            }
            Event::GeneralRef(g) if in_t && depth_p == 1 && shown(in_ins, in_del) => {
                let s = match g.resolve_char_ref().ok().flatten() {
                    Some(c) => c.to_string(),
                    None => match g.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                cur.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A deterministic edit: the second word replaced, a word added at the end.
pub fn changed(text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    if words.len() > 1 {
        words[1] = "EDITED";
    }
    format!("{} & more <added>", words.join(" ").trim_end())
}

fn main_xml(entries: &[(String, Vec<u8>)], main: &str) -> (usize, String) {
    let i = entries
        .iter()
        .position(|(n, _)| n == main)
        .expect("the main part");
    (i, String::from_utf8(entries[i].1.clone()).unwrap())
}

fn docx_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("docx"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    files
}

#[test]
fn an_edit_of_one_paragraph_changes_only_that_paragraph_in_fifty_real_documents() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let mut edited = 0;
    let mut refused = Vec::new();
    let mut copies = Vec::new();
    for file in docx_files() {
        let doc = match DocxEdit::open(&file, &limits) {
            Ok(d) => d,
            Err(e) => {
                // Unreadable, protected or signed files are refused with a
                // message naming the file.
                assert!(
                    e.to_string()
                        .contains(&*file.file_name().unwrap().to_string_lossy()),
                    "{e}"
                );
                refused.push(e.code());
                continue;
            }
        };
        let Some(target) = doc
            .targets()
            .iter()
            .filter(|t| t.blocked.is_none() && t.text.split(' ').count() > 2)
            .nth(1)
            .cloned()
        else {
            continue;
        };
        let new_text = changed(&target.text);
        let out = dir.path().join(format!("{edited}.docx"));
        copies.push((file.clone(), out.clone()));
        let written = doc
            .write(&[(target.index, new_text.clone())], &out, "Deskpilot")
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(written, 1, "{}", file.display());
        edited += 1;

        let before = entries(&file);
        let after = entries(&out);
        assert_eq!(before.len(), after.len());
        let (main, old_xml) = main_xml(&before, doc.main_part());
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            assert_eq!(b.0, a.0, "entry order kept");
            if i != main {
                assert!(b.1 == a.1, "{}: {} changed", file.display(), b.0);
            }
        }
        let (_, new_xml) = main_xml(&after, doc.main_part());
        // Where the two differ, in the original: inside one paragraph.
        let pre = old_xml
            .bytes()
            .zip(new_xml.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suf = old_xml
            .bytes()
            .rev()
            .zip(new_xml.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count()
            .min(old_xml.len() - pre);
        let middle = &old_xml.as_bytes()[pre..old_xml.len() - suf];
        let middle = String::from_utf8_lossy(middle);
        assert!(
            !middle.contains("</w:p>") && !middle.contains("<w:p>") && !middle.contains("<w:p "),
            "{}: the change spills out of its paragraph: {middle}",
            file.display()
        );
        // Revisions already in the file count the same on both sides.
        let original = paragraph_texts(&old_xml, false);
        let rejected = paragraph_texts(&new_xml, false);
        assert_eq!(
            original,
            rejected,
            "{}: reject all = the original",
            file.display()
        );
        let original = paragraph_texts(&old_xml, true);
        let accepted = paragraph_texts(&new_xml, true);
        assert_eq!(original.len(), accepted.len());
        let differing: Vec<usize> = (0..original.len())
            .filter(|&i| original[i] != accepted[i])
            .collect();
        assert_eq!(differing.len(), 1, "{}", file.display());
        assert_eq!(accepted[differing[0]], new_text, "{}", file.display());
        // The reader reads the edit (insertions in, deletions out).
        let reread = open(&out).unwrap_or_else(|e| panic!("{e}"));
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            reread
                .blocks
                .iter()
                .any(|b| squeeze(&b.text).contains(&squeeze(&new_text))),
            "{}: {new_text:?} not read back",
            file.display()
        );
    }
    eprintln!(
        "edited {edited} documents; refused {}: {refused:?}",
        refused.len()
    );
    assert!(
        edited >= 50,
        "only {edited} documents edited; refused: {refused:?}"
    );
    // python-docx opens every copy whose original it opens.
    let failed = python_docx_failures(copies.iter().map(|c| &c.1));
    let originals = python_docx_failures(
        copies
            .iter()
            .filter(|c| failed.contains(&c.1))
            .map(|c| &c.0),
    );
    for (original, copy) in &copies {
        assert!(
            !failed.contains(copy) || originals.contains(original),
            "python-docx cannot open the edit of {}",
            original.display()
        );
    }
    eprintln!(
        "python-docx opened {} of {} copies (the others' originals it cannot open either)",
        copies.len() - failed.len(),
        copies.len()
    );
}

/// The files python-docx cannot open.
fn python_docx_failures<P: AsRef<Path>>(files: impl IntoIterator<Item = P>) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = files
        .into_iter()
        .map(|f| f.as_ref().to_path_buf())
        .collect();
    crate::office::failures("python_docx_open.py", "test-python", &files)
        .into_iter()
        .map(|(f, _)| PathBuf::from(f))
        .collect()
}

#[test]
fn a_copy_never_replaces_the_original_and_keeps_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("memo.docx");
    std::fs::copy(crate::corpus("docx/docxrs__hello.docx"), &src).unwrap();
    let doc = DocxEdit::open(&src, &Limits::default()).unwrap();
    let ts = doc.select(&Selection::All).unwrap();
    let change = [(ts[0], "Changed".to_owned())];
    let err = doc.write(&change, &src, "Deskpilot").unwrap_err();
    assert_eq!(err.code(), "output");
    assert!(err.to_string().contains("always a copy"), "{err}");
    let err = doc
        .write(&change, &dir.path().join("memo.pdf"), "Deskpilot")
        .unwrap_err();
    assert!(err.to_string().contains(".docx"), "{err}");
    assert_eq!(
        std::fs::read(&src).unwrap(),
        std::fs::read(crate::corpus("docx/docxrs__hello.docx")).unwrap()
    );
    // No part file is left beside a copy that was written.
    doc.write(&change, &dir.path().join("out.docx"), "Deskpilot")
        .unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
}

#[test]
fn paragraphs_with_tracked_changes_comments_or_links_are_left_as_they_are() {
    for (file, why) in [
        ("docx/docxrs__del_in_ins.docx", "tracked changes"),
        ("docx/docxrs__comment.docx", "comment"),
        ("docx/docxrs__link.docx", "link"),
    ] {
        let doc = DocxEdit::open(&crate::corpus(file), &Limits::default()).unwrap();
        assert!(
            doc.targets()
                .iter()
                .any(|t| t.blocked.as_deref().is_some_and(|b| b.contains(why))),
            "{file}: {:?}",
            doc.targets()
        );
    }
}

#[test]
fn a_spreadsheet_or_an_encrypted_file_is_refused_with_its_name() {
    let refused = |rel: &str| match DocxEdit::open(&crate::corpus(rel), &Limits::default()) {
        Err(e) => e,
        Ok(_) => panic!("{rel} opened for editing"),
    };
    let err = refused("csv/edr__utf8.csv");
    assert!(matches!(err, EditError::NotWord { .. }), "{err}");
    assert!(err.to_string().contains("edr__utf8.csv"), "{err}");
    let err = refused("docx/msoffcrypto__ecma376standard_password.docx");
    assert_eq!(err.code(), "password_protected", "{err}");
    assert!(
        err.to_string().contains("ecma376standard_password.docx"),
        "{err}"
    );
}

/// LibreOffice's reading of each file: (text with changes rejected, with
/// changes accepted), or None when it cannot open the file.
fn libreoffice(files: &[PathBuf]) -> Vec<Option<(String, String)>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/office/revisions.py");
    let out = std::process::Command::new("/usr/bin/python3")
        .arg(&script)
        .args(files)
        .output()
        .expect("running tests/office/revisions.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.get("rejected").map(|r| {
                (
                    r.as_str().unwrap().to_owned(),
                    v["accepted"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect()
}

#[test]
fn libreoffice_reads_the_original_with_the_changes_rejected_and_the_edit_with_them_accepted() {
    if std::env::var_os("DESKPILOT_NO_LIBREOFFICE").is_some() {
        eprintln!("SKIPPED: DESKPILOT_NO_LIBREOFFICE is set");
        return;
    }
    let found = std::process::Command::new("soffice")
        .arg("--version")
        .output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "LibreOffice (soffice) is missing: scripts/setup.sh --test installs it \
         (or set DESKPILOT_NO_LIBREOFFICE=1 to leave this check out)"
    );
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let (mut originals, mut copies, mut texts) = (Vec::new(), Vec::new(), Vec::new());
    for file in docx_files() {
        let Ok(doc) = DocxEdit::open(&file, &limits) else {
            continue;
        };
        // Left out: documents with cross-reference fields. LibreOffice
        // recomputes REF fields on loading a file that holds any revision
        // and then reads some as "Error: Reference source not found" where
        // the original shows "7.1" (seen on docxrs__spec_vanish.docx with
        // an edit far from the references); not yet understood.
        let main = entries(&file)
            .into_iter()
            .find(|(n, _)| n == doc.main_part())
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        if main.contains(" REF ") {
            continue;
        }
        let Some(t) = doc
            .targets()
            .iter()
            .find(|t| t.blocked.is_none() && t.table.is_none() && t.text.split(' ').count() > 4)
        else {
            continue;
        };
        let new_text = changed(&t.text);
        let out = dir.path().join(format!("{}.docx", copies.len()));
        doc.write(&[(t.index, new_text.clone())], &out, "Deskpilot")
            .unwrap();
        originals.push(file.clone());
        copies.push(out);
        texts.push((t.text.clone(), new_text));
        if copies.len() == 60 {
            break;
        }
    }
    assert!(
        copies.len() >= 50,
        "only {} documents to compare",
        copies.len()
    );
    let before = libreoffice(&originals);
    let after = libreoffice(&copies);
    assert_eq!(before.len(), copies.len());
    assert_eq!(after.len(), copies.len());
    let mut compared = 0;
    for (i, ((b, a), (old, new))) in before.iter().zip(&after).zip(&texts).enumerate() {
        let name = originals[i].display();
        let Some(b) = b else {
            // A file LibreOffice cannot open itself says nothing here.
            continue;
        };
        let a = a
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: LibreOffice opens the original, not the edit"));
        compared += 1;
        assert_eq!(
            a.0, b.0,
            "{name}: with every change rejected LibreOffice reads the original"
        );
        assert!(
            a.1.contains(new.as_str()),
            "{name}: the edit is not in {:?}",
            a.1
        );
        if b.1.matches(old.as_str()).count() == 1 {
            assert_eq!(a.1, b.1.replacen(old.as_str(), new, 1), "{name}: accepted");
        }
    }
    eprintln!(
        "LibreOffice compared {compared} of {} edited documents",
        copies.len()
    );
    assert!(
        compared >= 50,
        "LibreOffice opened only {compared} of the {} originals",
        copies.len()
    );
}

#[test]
fn as_comments_the_text_stays_and_each_change_is_a_comment_the_reader_finds() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    // One document without comments (a part is added), one with its own.
    for (i, rel) in ["docx/poi__61787.docx", "docx/docxrs__line_spacing.docx"]
        .iter()
        .enumerate()
    {
        let file = crate::corpus(rel);
        let doc = DocxEdit::open(&file, &limits).unwrap();
        let t = doc
            .targets()
            .iter()
            .find(|t| t.blocked.is_none() && t.text.split(' ').count() > 1)
            .cloned()
            .unwrap_or_else(|| panic!("{rel}: {:?}", doc.targets()));
        let new_text = changed(&t.text);
        let out = dir.path().join(format!("{i}.docx"));
        let n = doc
            .write_as_comments(&[(t.index, new_text)], &out, "Deskpilot", "proofread")
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(n, 1);
        let (_, old_xml) = main_xml(&entries(&file), doc.main_part());
        let (_, new_xml) = main_xml(&entries(&out), doc.main_part());
        assert_eq!(
            paragraph_texts(&new_xml, true),
            paragraph_texts(&old_xml, true),
            "{rel}: the text stays"
        );
        assert!(
            !new_xml.contains("w:ins ") && !new_xml.contains("w:del "),
            "{rel}"
        );
        let before = open(&file).unwrap();
        let after = open(&out).unwrap();
        let comments = |d: &deskpilot_core::docs::Document| {
            d.blocks
                .iter()
                .filter(|b| b.kind == deskpilot_core::docs::BlockKind::Comment)
                .map(|b| b.text.clone())
                .collect::<Vec<_>>()
        };
        let added: Vec<String> = comments(&after)
            .into_iter()
            .filter(|c| !comments(&before).contains(c))
            .collect();
        assert!(
            added
                .iter()
                .any(|c| c.contains("proofread: replace with \u{201c}EDITED\u{201d}")),
            "{rel}: {added:?}"
        );
        assert!(
            added.iter().any(|c| c.contains("proofread: insert")),
            "{rel}: {added:?}"
        );
        assert!(
            comments(&before)
                .iter()
                .all(|c| comments(&after).contains(c)),
            "{rel}: its own comments are kept"
        );
    }
    // Not checked with LibreOffice: its headless build here (7.4, nogui)
    // cannot open any .docx with comments, the corpus's own
    // docxrs__comment.docx included.
}

#[test]
fn protected_and_signed_documents_are_refused_with_the_reason() {
    let refused = |rel: &str| match DocxEdit::open(&crate::corpus(rel), &Limits::default()) {
        Err(e) => e,
        Ok(_) => panic!("{rel} opened for editing"),
    };
    let e = refused("docx/poi__documentProtection_readonly_no_password.docx");
    assert_eq!(e.code(), "protected");
    assert!(e.to_string().contains("Restrict Editing"), "{e}");
    let e = refused("docx/poi__hello-world-signed.docx");
    assert_eq!(e.code(), "signed");
    assert!(e.to_string().contains("hello-world-signed.docx"), "{e}");
    // Protection that asks for tracked changes is what an edit writes.
    let doc = DocxEdit::open(
        &crate::corpus("docx/poi__documentProtection_trackedChanges_no_password.docx"),
        &Limits::default(),
    )
    .unwrap();
    assert!(doc.tracked_only);
}
