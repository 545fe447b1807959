//! CSV and TSV: encoding detected (see `text::decode`), delimiter sniffed
//! from the first lines (comma, semicolon, tab, pipe), quoted fields
//! honoured, rows of any length accepted.

use super::error::DocProblem;
use super::limits::{exceeded, Deadline, Limits};
use super::model::Block;
use super::workbook::{BlockSink, CellBag, SheetSink};

/// The delimiter whose per-line count is most consistent (and non-zero)
/// over the first lines, ignoring quoted text.
pub(crate) fn sniff_delimiter(text: &str, tsv_hint: bool) -> u8 {
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

pub(crate) fn read(
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
pub(crate) fn read_into<S: SheetSink>(
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
    for (r, record) in reader.records().enumerate() {
        if r.is_multiple_of(4096) {
            deadline.check()?;
        }
        let record = record.map_err(|e| super::error::damaged(format!("row {}: {e}", r + 1)))?;
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
