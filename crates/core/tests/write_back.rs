//! Analyses written back to workbooks, checked by an independent office
//! suite: every question of both spreadsheet question sets that the phrase
//! reader answers is written to a copy of its workbook, LibreOffice
//! recalculates every formula (its own engine, not the cached values) and
//! must get the value Deskpilot computed; openpyxl opens every copy; the
//! user's sheets in an .xlsx copy are byte for byte the original's; every
//! .xlsx of the shared corpus takes an analysis sheet that LibreOffice
//! and openpyxl open; and what must be refused is refused.

use deskpilot_testkit::{corpus as corpus_files, office, sheet_questions};

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use deskpilot_core::docs::{self, Document, Limits};
use deskpilot_core::sheets::writeback::{write_back, WriteBackError, WrittenBack};
use deskpilot_core::sheets::{self, exec, Func, Plan};

fn office_script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/office")
        .join(name)
}

/// One write-back to check: the copy and the cells it must recalculate to.
struct Written {
    what: String,
    back: WrittenBack,
}

/// Runs recalc.py over the copies: file -> cell -> LibreOffice's result.
fn recalculate(
    written: &[Written],
    dir: &Path,
) -> BTreeMap<String, Result<BTreeMap<String, serde_json::Value>, String>> {
    let manifest: Vec<serde_json::Value> = written
        .iter()
        .map(|w| {
            serde_json::json!({
                "file": w.back.out.display().to_string(),
                "sheet": w.back.sheet,
                "cells": w.back.cells.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let path = dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg(office_script("recalc.py"))
        .arg(&path)
        .output()
        .expect("running tests/office/recalc.py (Debian's python3-uno and libreoffice-calc-nogui; scripts/setup.sh --test installs them)");
    assert!(
        out.status.success(),
        "recalc.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("recalc.py prints JSON lines");
        let file = v["file"].as_str().unwrap_or_default().to_owned();
        let cells = match v.get("cells").and_then(|c| c.as_object()) {
            Some(c) => Ok(c.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            None => Err(v["error"].as_str().unwrap_or("no cells").to_owned()),
        };
        got.insert(file, cells);
    }
    got
}

/// Opens every file with openpyxl: the files that failed, with why.
fn openpyxl_failures<P: AsRef<std::ffi::OsStr>>(
    files: impl IntoIterator<Item = P>,
) -> Vec<(String, String)> {
    office::failures("openpyxl_open.py", "sheets-python", files)
}

/// Every formula cell against LibreOffice's result: the disagreements.
fn disagreements(
    written: &[Written],
    got: &BTreeMap<String, Result<BTreeMap<String, serde_json::Value>, String>>,
) -> Vec<String> {
    let mut bad = Vec::new();
    for w in written {
        let file = w.back.out.display().to_string();
        let cells = match got.get(&file) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                bad.push(format!("{}: LibreOffice: {e}", w.what));
                continue;
            }
            None => {
                bad.push(format!("{}: not reported by recalc.py", w.what));
                continue;
            }
        };
        for (a1, want) in &w.back.cells {
            let lo = &cells[a1];
            let ok = match (want, lo.get("value")) {
                (serde_json::Value::Number(n), Some(serde_json::Value::Number(g))) => {
                    let (n, g) = (n.as_f64().unwrap(), g.as_f64().unwrap());
                    (n - g).abs() <= 1e-6 * n.abs().max(1.0)
                }
                (serde_json::Value::String(s), Some(serde_json::Value::String(g))) => {
                    s.trim().eq_ignore_ascii_case(g.trim())
                }
                // A number shown as a label ("2009") read back as text.
                (serde_json::Value::String(s), Some(serde_json::Value::Number(g))) => s
                    .parse::<f64>()
                    .is_ok_and(|s| (s - g.as_f64().unwrap()).abs() < 1e-9),
                _ => false,
            };
            if !ok {
                bad.push(format!(
                    "{} {a1}: Deskpilot {want}, LibreOffice {lo}",
                    w.what
                ));
            }
        }
    }
    bad
}

#[test]
fn every_formula_written_for_the_question_sets_recalculates_in_libreoffice_to_the_computed_value() {
    let tmp = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let mut written = Vec::new();
    let mut declined = 0;
    let mut as_values: BTreeMap<String, usize> = BTreeMap::new();
    for (set, dir) in [
        ("first", sheet_questions::dir()),
        ("analyst", sheet_questions::analyst_dir()),
    ] {
        let questions = sheet_questions::load_from(&dir);
        let mut docs: BTreeMap<String, Document> = BTreeMap::new();
        for q in &questions {
            let path = dir.join(&q.file);
            let doc = docs.entry(q.file.clone()).or_insert_with(|| {
                docs::open_sheets(&path, &limits).unwrap_or_else(|e| panic!("{e}"))
            });
            let wb = sheets::workbook(doc, None).unwrap();
            let Ok(reply) = sheets::reply_by_phrase(&wb, &q.question) else {
                declined += 1;
                continue;
            };
            let Some(answer) = reply.answer.filter(|_| reply.reading.answered) else {
                declined += 1;
                continue;
            };
            let ext = sheets::writeback::extension_for(&path);
            let out = tmp.path().join(format!("{set}-{}.{ext}", q.id));
            let back = write_back(
                &path,
                doc,
                &wb.tables[reply.table],
                &answer,
                &q.question,
                &out,
                &limits,
            )
            .unwrap_or_else(|e| panic!("{set} #{}: {e}", q.id));
            for v in &back.as_values {
                let why = v
                    .split_once("not a formula (")
                    .map_or(v.as_str(), |(_, w)| w)
                    .trim_end_matches(')');
                *as_values.entry(why.to_owned()).or_default() += 1;
            }
            written.push(Written {
                what: format!("{set} #{} {:?} ({})", q.id, q.question, q.file),
                back,
            });
        }
    }
    let formulas: usize = written.iter().map(|w| w.back.formulas).sum();
    let charts = written.iter().filter(|w| w.back.chart).count();
    eprintln!(
        "{} analyses written ({declined} questions declined), {formulas} formulas, {charts} charts; results written as values: {as_values:?}",
        written.len()
    );
    assert!(
        written.len() >= 400,
        "only {} questions answered",
        written.len()
    );
    let got = recalculate(&written, tmp.path());
    let bad = disagreements(&written, &got);
    assert!(
        bad.is_empty(),
        "{} of {formulas} formulas disagree with the computed values:\n{}",
        bad.len(),
        bad.join("\n")
    );
    let values: usize = as_values.values().sum();
    assert!(
        values * 20 <= formulas,
        "{values} results written as values against {formulas} formulas: {as_values:?}"
    );
    let failed = openpyxl_failures(written.iter().map(|w| &w.back.out));
    assert!(failed.is_empty(), "openpyxl cannot open:\n{failed:?}");
}

/// Every entry of a zip package by name, as stored (compressed bytes, not
/// inflated: "byte for byte" is about what the file holds, and a corpus
/// file with a bad checksum is still copied as it is).
fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index_raw(i).unwrap();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        out.insert(e.name().unwrap().into_owned(), bytes);
    }
    out
}

/// Whether a workbook's sheets hold functions that give a new value on
/// every calculation (RAND, NOW, TODAY).
fn volatile(path: &Path) -> bool {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len()).any(|i| {
        let Ok(mut e) = zip.by_index(i) else {
            return false;
        };
        if !e.name().unwrap_or_default().contains("worksheets/") {
            return false;
        }
        let mut bytes = Vec::new();
        let _ = e.read_to_end(&mut bytes);
        let x = String::from_utf8_lossy(&bytes).to_uppercase();
        ["RAND()", "RANDBETWEEN(", "NOW()", "TODAY()"]
            .iter()
            .any(|v| x.contains(v))
    })
}

/// Every corpus .xlsx with a table: a count of its rows written back.
#[test]
fn every_corpus_workbook_takes_an_analysis_sheet_and_keeps_its_own_parts_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let mut written = Vec::new();
    let mut strict = 0;
    let changed_ok = |name: &str| {
        name == "[Content_Types].xml"
            || name.ends_with("workbook.xml")
            || name.ends_with("workbook.xml.rels")
            || name.ends_with("styles.xml")
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_files::corpus_dir().join("xlsx"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for f in files {
        let ext = f
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext != "xlsx" && ext != "xlsm" {
            continue;
        }
        let Ok(doc) = docs::open_sheets(&f, &limits) else {
            continue;
        };
        let Ok(wb) = sheets::workbook(&doc, None) else {
            continue;
        };
        let table = &wb.tables[0];
        let plan = match table.columns.iter().find(|c| c.kind.is_numeric()) {
            Some(c) => Plan::single(Func::Sum, Some(c.name.clone()), Vec::new()),
            None => Plan::single(Func::Count, None, Vec::new()),
        };
        let answer = exec::run(table, &plan).unwrap();
        let out = tmp.path().join(format!("{}.{ext}", written.len()));
        match write_back(&f, &doc, table, &answer, "the total", &out, &limits) {
            // A Strict OOXML workbook is written anew, data and analysis.
            Ok(back) if back.data_copied => {
                strict += 1;
                written.push(Written {
                    what: f.display().to_string(),
                    back,
                });
            }
            Ok(back) => {
                let (before, after) = (entries(&f), entries(&out));
                for (name, bytes) in &before {
                    let kept = after.get(name).is_some_and(|b| b == bytes);
                    assert!(
                        kept || changed_ok(name),
                        "{}: part {name} changed in the copy",
                        f.display()
                    );
                }
                let added: Vec<&String> =
                    after.keys().filter(|k| !before.contains_key(*k)).collect();
                assert!(
                    added.iter().all(|k| k.contains("worksheets/")
                        || k.contains("drawings/")
                        || k.contains("charts/")),
                    "{}: unexpected new parts {added:?}",
                    f.display()
                );
                written.push(Written {
                    what: f.display().to_string(),
                    back,
                });
            }
            // A workbook that cannot take a sheet says why, naming it.
            Err(e @ WriteBackError::Unsuited { .. }) => {
                assert!(e
                    .to_string()
                    .contains(&*f.file_name().unwrap().to_string_lossy()));
            }
            Err(e) => panic!("{e}"),
        }
    }
    eprintln!(
        "{} corpus workbooks written back ({strict} Strict OOXML ones anew)",
        written.len()
    );
    assert!(
        written.len() >= 20,
        "only {} corpus workbooks",
        written.len()
    );
    // Workbooks whose cells recompute to new values each time (RAND, NOW,
    // TODAY) cannot be compared: the answer used the values cached there.
    let (moving, steady): (Vec<Written>, Vec<Written>) = written
        .into_iter()
        .partition(|w| volatile(Path::new(&w.what)));
    eprintln!(
        "{} with volatile cells (RAND, NOW, TODAY) not compared: {:?}",
        moving.len(),
        moving.iter().map(|w| &w.what).collect::<Vec<_>>()
    );
    let written = steady;
    let got = recalculate(&written, tmp.path());
    let mut bad = disagreements(&written, &got);
    // A copy LibreOffice cannot open is excused only when it cannot open
    // the original either.
    let unopened: Vec<Written> = written
        .iter()
        .filter(|w| matches!(got.get(&w.back.out.display().to_string()), Some(Err(_))))
        .map(|w| Written {
            what: w.what.clone(),
            back: WrittenBack {
                out: PathBuf::from(&w.what),
                sheet: String::new(),
                cells: Vec::new(),
                ..w.back.clone()
            },
        })
        .collect();
    if !unopened.is_empty() {
        let originals = recalculate(&unopened, tmp.path());
        for w in &unopened {
            if matches!(originals.get(&w.what), Some(Err(_))) {
                eprintln!("{}: LibreOffice cannot open the original either", w.what);
                bad.retain(|b| !b.starts_with(&format!("{}: LibreOffice", w.what)));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // openpyxl: a copy may fail only where the original fails too.
    let small: Vec<&Written> = written.iter().collect();
    let failed = openpyxl_failures(small.iter().map(|w| &w.back.out));
    let copies: Vec<&Written> = small
        .iter()
        .copied()
        .filter(|w| failed.iter().any(|(f, _)| Path::new(f) == w.back.out))
        .collect();
    let originals = openpyxl_failures(copies.iter().map(|w| &w.what));
    let unexcused: Vec<&(String, String)> = failed
        .iter()
        .filter(|(f, _)| {
            let what = &copies
                .iter()
                .find(|w| Path::new(f) == w.back.out)
                .unwrap()
                .what;
            !originals.iter().any(|(o, _)| o == what)
        })
        .collect();
    eprintln!(
        "openpyxl opened {} of {} copies; {} it cannot open, nor their originals",
        small.len() - failed.len(),
        small.len(),
        failed.len()
    );
    assert!(unexcused.is_empty(), "openpyxl cannot open:\n{unexcused:?}");
}

#[test]
fn a_write_back_never_touches_the_original_an_existing_file_or_a_locked_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/sales.xlsx");
    let limits = Limits::default();
    let doc = docs::open_sheets(&sample, &limits).unwrap();
    let wb = sheets::workbook(&doc, None).unwrap();
    let table = &wb.tables[0];
    let answer = exec::run(table, &Plan::single(Func::Count, None, Vec::new())).unwrap();
    let before = std::fs::read(&sample).unwrap();
    let err = write_back(&sample, &doc, table, &answer, "q", &sample, &limits).unwrap_err();
    assert!(
        err.to_string().contains("always written to a copy"),
        "{err}"
    );
    let taken = tmp.path().join("taken.xlsx");
    std::fs::write(&taken, b"mine").unwrap();
    let err = write_back(&sample, &doc, table, &answer, "q", &taken, &limits).unwrap_err();
    assert!(err.to_string().contains("already there"), "{err}");
    assert_eq!(std::fs::read(&taken).unwrap(), b"mine");
    let err = write_back(
        &sample,
        &doc,
        table,
        &answer,
        "q",
        &tmp.path().join("a.ods"),
        &limits,
    )
    .unwrap_err();
    assert!(err.to_string().contains(".xlsx"), "{err}");
    assert_eq!(std::fs::read(&sample).unwrap(), before);

    // The same workbook with its structure protected.
    let locked = tmp.path().join("locked.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&sample).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(&locked).unwrap());
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if name == "xl/workbook.xml" {
            let s = String::from_utf8(bytes).unwrap();
            let s = s.replacen(
                "<sheets>",
                "<workbookProtection lockStructure=\"1\"/><sheets>",
                1,
            );
            bytes = s.into_bytes();
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, &bytes).unwrap();
    }
    w.finish().unwrap();
    let doc = docs::open_sheets(&locked, &limits).unwrap();
    let wb = sheets::workbook(&doc, None).unwrap();
    let answer = exec::run(&wb.tables[0], &Plan::single(Func::Count, None, Vec::new())).unwrap();
    let out = tmp.path().join("locked copy.xlsx");
    let err = write_back(&locked, &doc, &wb.tables[0], &answer, "q", &out, &limits).unwrap_err();
    assert!(
        err.to_string().contains("locked.xlsx")
            && err.to_string().contains("structure is protected"),
        "{err}"
    );
    assert!(!out.exists());
}
