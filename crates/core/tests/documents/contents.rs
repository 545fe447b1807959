//! What chosen corpus files must yield, block by block.

use deskpilot_core::docs::{open, BlockKind, Document, Format};

use crate::corpus;

fn find<'a>(doc: &'a Document, kind: BlockKind, needle: &str) -> &'a deskpilot_core::docs::Block {
    doc.blocks
        .iter()
        .find(|b| b.kind == kind && b.text.contains(needle))
        .unwrap_or_else(|| panic!("no {kind:?} block with {needle:?} in {:#?}", doc.blocks))
}

#[test]
fn a_cjk_paragraph_is_kept_intact() {
    let doc = open(&corpus("docx/poi__61470.docx")).unwrap();
    assert_eq!(doc.format, Format::Docx);
    let b = find(&doc, BlockKind::Paragraph, "東京");
    assert!(b.text.contains("とうきょう"), "{:?}", b.text);
}

#[test]
fn a_footnote_is_a_note_with_its_number() {
    let doc = open(&corpus("docx/docxrs__footnotes.docx")).unwrap();
    let note = find(&doc, BlockKind::Note, "World");
    assert_eq!(note.loc, "footnote 1");
    assert_eq!(find(&doc, BlockKind::Paragraph, "Hello").loc, "¶1");
}

#[test]
fn a_speaker_note_is_located_on_its_slide() {
    let doc = open(&corpus("pptx/poi__SampleShow.pptx")).unwrap();
    assert_eq!(doc.format, Format::Pptx);
    let slide = find(&doc, BlockKind::Slide, "Title of the first slide");
    assert_eq!(slide.loc, "slide 1");
    assert_eq!(
        find(&doc, BlockKind::Note, "notes of the 2nd slide").loc,
        "slide 2 notes"
    );
}

#[test]
fn a_1904_date_is_read_as_its_date() {
    let doc = open(&corpus("xlsx/calamine__date_1904.xlsx")).unwrap();
    let range = find(&doc, BlockKind::SheetRange, "2021-01-01");
    assert_eq!(range.loc, "Sheet1!A1:B3");
    assert_eq!(range.rows[0], vec!["2021-01-01", "15"]);
    let xls = open(&corpus("xls/calamine__date_1904.xls")).unwrap();
    assert!(
        xls.blocks.iter().any(|b| b.text.contains("2021-01-01")),
        "{:#?}",
        xls.blocks
    );
}

#[test]
fn merged_header_cells_are_reported_with_their_range() {
    let doc = open(&corpus("xls/calamine__merge_cells.xls")).unwrap();
    let range = find(&doc, BlockKind::SheetRange, "Row Merge");
    assert!(
        range.merged.contains(&"A1:B1".to_owned()),
        "{:?}",
        range.merged
    );
    assert_eq!(range.rows[0][0], "Row Merge");
}

#[test]
fn a_table_cell_keeps_its_row_and_column() {
    let doc = open(&corpus("docx/mammoth__tables.docx")).unwrap();
    let t = find(&doc, BlockKind::Table, "Top left");
    assert_eq!(
        t.rows,
        vec![
            vec!["Top left", "Top right"],
            vec!["Bottom left", "Bottom right"]
        ]
    );
    assert_eq!(t.loc, "¶2");
    assert_eq!(find(&doc, BlockKind::Paragraph, "Below").loc, "¶3");
}

#[test]
fn text_boxes_endnotes_comments_and_lists_are_read() {
    let tb = open(&corpus("docx/mammoth__text-box.docx")).unwrap();
    assert_eq!(
        find(&tb, BlockKind::Paragraph, "Datum plane").loc,
        "¶1 (text box)"
    );
    let en = open(&corpus("docx/mammoth__endnotes.docx")).unwrap();
    assert_eq!(find(&en, BlockKind::Note, "tachyon").loc, "endnote 2");
    assert_eq!(find(&en, BlockKind::Note, "Fin.").loc, "endnote 3");
    let c = open(&corpus("docx/mammoth__comments.docx")).unwrap();
    assert!(find(&c, BlockKind::Comment, "tachyon")
        .text
        .starts_with("Michael Williamson: "));
    let l = open(&corpus("docx/mammoth__simple-list.docx")).unwrap();
    assert_eq!(find(&l, BlockKind::ListItem, "Banana").level, Some(0));
    let strict = open(&corpus("docx/mammoth__strict-format.docx")).unwrap();
    assert_eq!(find(&strict, BlockKind::Paragraph, "Test").loc, "¶1");
}

#[test]
fn headings_give_section_locations() {
    let doc = open(&corpus("docx/poi__61787.docx")).unwrap();
    let headings: Vec<_> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .collect();
    assert!(headings.len() >= 3, "{headings:#?}");
    assert_eq!(
        headings[0].loc,
        format!(
            "§1 {}",
            headings[0].text.chars().take(40).collect::<String>()
        )
    );
    let after = doc
        .blocks
        .iter()
        .skip_while(|b| b.kind != BlockKind::Heading)
        .find(|b| b.kind == BlockKind::Paragraph)
        .expect("a paragraph under a heading");
    assert!(
        after.loc.starts_with("§") && after.loc.contains(" ¶"),
        "{}",
        after.loc
    );
}

#[test]
fn a_csv_in_windows_1252_is_decoded() {
    let doc = open(&corpus("csv/edr__cp1252.csv")).unwrap();
    assert_eq!(doc.format, Format::Csv);
    assert!(
        !doc.blocks[0].text.contains('\u{FFFD}'),
        "{:?}",
        doc.blocks[0].text
    );
    assert!(
        doc.blocks[0].loc.starts_with("edr__cp1252!A1"),
        "{}",
        doc.blocks[0].loc
    );
}

#[test]
fn encrypted_files_say_password_protected() {
    for f in [
        "xlsx/msoffcrypto__example_password.xlsx",
        "docx/msoffcrypto__example_password.docx",
        "xls/poi__password.xls",
    ] {
        let e = open(&corpus(f)).unwrap_err();
        assert_eq!(e.code(), "password_protected", "{f}: {e}");
        assert!(e.to_string().ends_with("password-protected"), "{e}");
    }
}

#[test]
fn an_excel_4_worksheet_is_read_without_calamine() {
    let doc = open(&corpus("xls/edr__as3xls_BIFF4.xls")).unwrap();
    assert_eq!(doc.format, Format::Xls);
    let range = find(&doc, BlockKind::SheetRange, "Hi");
    assert_eq!(range.loc, "Sheet1!A1:E10");
    // Dates through the file's own formats and 1904 date mode, as the BIFF5
    // copy of the same sheet gives them through calamine.
    let biff5 = open(&corpus("xls/edr__as3xls_BIFF5.xls")).unwrap();
    let same = find(&biff5, BlockKind::SheetRange, "Hi");
    assert_eq!(range.rows[1][2], "2007-02-22");
    assert_eq!(range.rows[1][2], same.rows[1][2]);
}

/// The cells of every sheet range of `doc` marked as formula results.
fn formula_cells(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::SheetRange)
        .flat_map(|b| b.formulas.iter().cloned())
        .collect()
}

#[test]
fn formula_cells_are_marked_in_ods_xls_and_xlsb_as_in_xlsx() {
    // Two formulas under two numbers: =SQRT(A1²+A2²) in A3, =SUM(A1:A2) in A4.
    let ods = open(&corpus("ods/odfpy__pythagoras.ods")).unwrap();
    assert_eq!(formula_cells(&ods), vec!["A3", "A4"], "{:#?}", ods.blocks);
    let xls = open(&corpus("xls/calamine__xls_formula.xls")).unwrap();
    assert_eq!(
        formula_cells(&xls),
        vec!["A2", "A3", "A4"],
        "{:#?}",
        xls.blocks
    );
    let xlsb = open(&corpus("xlsb/poi__testVarious.xlsb")).unwrap();
    assert_eq!(
        formula_cells(&xlsb),
        vec!["B13", "B14", "B15"],
        "{:#?}",
        xlsb.blocks
    );
    // A workbook without formulas has none marked.
    let plain = open(&corpus("xls/calamine__date_1904.xls")).unwrap();
    assert!(formula_cells(&plain).is_empty());
}
