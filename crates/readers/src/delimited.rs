//! CSV and TSV: encoding detected (see `text::decode`), delimiter sniffed
//! from the first lines (comma, semicolon, tab, pipe), quoted fields
//! honoured, rows of any length accepted.

use super::error::DocProblem;
use super::limits::{exceeded, Deadline, Limits};
use super::model::Block;
use super::workbook::{BlockSink, CellBag, SheetSink};

/// The delimiter whose per-line count is most consistent (and non-zero)
/// over the first lines, ignoring quoted text.
pub fn sniff_delimiter(text: &str, tsv_hint: bool) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (if tsv_hint { b'\t' } else { b',' }, 0.0f64);
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_unquoted(l, d)).collect();
        let nonzero = counts.iter().filter(|c| **c > 0).count();
        if nonzero == 0 {
            continue;
        }
        let first = counts[0];
        let same = counts.iter().filter(|c| **c == first).count();
        // Consistency first, then how often it appears.
        let score = same as f64 / counts.len() as f64 * 10.0
            + nonzero as f64 / counts.len() as f64
            + (first.min(50) as f64) / 100.0;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn count_unquoted(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

pub fn read(
    text: &str,
    sheet: &str,
    tsv_hint: bool,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Block>, DocProblem> {
    let mut sink = BlockSink::default();
    read_into(text, sheet, tsv_hint, limits, deadline, &mut sink)?;
    Ok(sink.blocks)
}

/// Reads the rows into `sink` as one sheet named `sheet`.
pub fn read_into<S: SheetSink>(
    text: &str,
    sheet: &str,
    tsv_hint: bool,
    limits: &Limits,
    deadline: Deadline,
    sink: &mut S,
) -> Result<(), DocProblem> {
    let delimiter = sniff_delimiter(text, tsv_hint);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut cells = S::Bag::default();
    let mut record = csv::StringRecord::new();
    // Blank lines are skipped by the parser but are rows to a person (and
    // to a spreadsheet program opening the file): counting them keeps cell
    // addresses the ones the user sees, and a blank line under a title
    // line sets the title apart from the header.
    let mut blanks = 0u64;
    let bytes = text.as_bytes();
    for r in 0u64.. {
        if r.is_multiple_of(4096) {
            deadline.check()?;
        }
        let more = reader
            .read_record(&mut record)
            .map_err(|e| super::error::damaged(format!("row {}: {e}", r + blanks + 1)))?;
        if !more {
            break;
        }
        // The record's position is where the parser started, before the
        // empty lines it skipped: those are the line ends leading it
        // (CRLF counted once; the parser may stop a record between them).
        let from = record.position().map_or(0, |p| p.byte() as usize);
        blanks += blank_lines(bytes, from);
        let r = r + blanks;
        for (c, field) in record.iter().enumerate() {
            let f = field.trim();
            if !f.is_empty() {
                cells.put((r as u32, c as u32), f.to_owned());
            }
        }
        if cells.count() as u64 > limits.max_cells_per_sheet {
            return Err(exceeded(
                "max_cells_per_sheet",
                format!("over {} cells", limits.max_cells_per_sheet),
            ));
        }
    }
    sink.sheet(sheet, cells, &[], &Default::default());
    Ok(())
}

/// The empty lines starting at byte `from`: "\n", "\r\n" and "\r" each
/// end one; a "\n" right after a "\r" before `from` ends the line before.
fn blank_lines(bytes: &[u8], from: usize) -> u64 {
    let mut at = from;
    if from > 0 && bytes.get(from - 1) == Some(&b'\r') && bytes.get(from) == Some(&b'\n') {
        at += 1;
    }
    let mut n = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => at += 2,
            b'\r' | b'\n' => at += 1,
            _ => break,
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n", false), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n", false), b'\t');
        assert_eq!(sniff_delimiter("name,note\n\"x;y\",2\n", false), b',');
    }
}

#[cfg(test)]
mod blank_line_tests {
    use super::*;

    #[derive(Default)]
    struct Keep(Vec<(u32, u32)>);

    impl SheetSink for Keep {
        type Bag = super::super::workbook::Cells;
        fn sheet(
            &mut self,
            _: &str,
            cells: Self::Bag,
            _: &[String],
            _: &std::collections::BTreeSet<(u32, u32)>,
        ) {
            self.0 = cells.keys().copied().collect();
        }
    }

    #[test]
    fn a_blank_line_is_a_row_as_a_spreadsheet_program_counts_it() {
        let text = "Title, with a comma\n\nYear,Boys\n1629,\"5,218\"\n\n1630,4858\n";
        let mut sink = Keep::default();
        let limits = Limits::default();
        read_into(text, "t", false, &limits, limits.deadline(), &mut sink).unwrap();
        let want = vec![
            (0, 0),
            (0, 1),
            (2, 0),
            (2, 1),
            (3, 0),
            (3, 1),
            (5, 0),
            (5, 1),
        ];
        assert_eq!(sink.0, want);
        let crlf = text.replace('\n', "\r\n");
        read_into(&crlf, "t", false, &limits, limits.deadline(), &mut sink).unwrap();
        assert_eq!(sink.0, want, "the same with Windows line ends");
    }
}
