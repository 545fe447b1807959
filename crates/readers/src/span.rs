//! How a run of block locations reads in one line, the way a person would
//! write it: `§1 ¶1-3` inside one section, `§1 ¶3 – §2 ¶1` across two,
//! `pp. 3-4`, `slides 2-4`, `Sheet1!A1:F40`. The readers give every block
//! its own full location (`§1 Quarterly budget memo ¶3`); a passage or a
//! point covers several, and repeating the heading twice says nothing.

use super::workbook::{cell_a1, parse_range_a1};

/// One location taken apart, as far as its form is known.
#[derive(Debug, Clone, PartialEq)]
enum Loc<'a> {
    /// `§2.1 Results ¶4` (number, paragraph; the heading itself has none).
    Section { number: &'a str, para: Option<u32> },
    /// `p. 3` (its first paragraph) or `p. 3 ¶2`.
    Page { page: u32, para: u32 },
    /// `slide 5`.
    Slide(u32),
    /// `Sheet1!A1:F40` (zero-based first and last cells).
    Cells {
        sheet: &'a str,
        first: (u32, u32),
        last: (u32, u32),
    },
    /// `¶4`, `header ¶2`, `footnote ¶1`: a paragraph after a fixed prefix.
    Para { prefix: &'a str, para: u32 },
    /// Anything else, kept as written.
    Other(&'a str),
}

fn para_number(s: &str) -> Option<u32> {
    s.strip_prefix('¶')?.parse().ok()
}

fn parse(loc: &str) -> Loc<'_> {
    let loc = loc.trim();
    if let Some(rest) = loc.strip_prefix('§') {
        let number = rest.split(' ').next().unwrap_or("");
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let para = rest.rsplit(' ').next().and_then(para_number);
            return Loc::Section { number, para };
        }
    }
    if let Some(rest) = loc.strip_prefix("p. ") {
        let mut parts = rest.split(' ');
        if let Some(page) = parts.next().and_then(|p| p.parse().ok()) {
            match (parts.next(), parts.next()) {
                (None, _) => return Loc::Page { page, para: 1 },
                (Some(p), None) => {
                    if let Some(para) = para_number(p) {
                        return Loc::Page { page, para };
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(n) = loc.strip_prefix("slide ").and_then(|n| n.parse().ok()) {
        return Loc::Slide(n);
    }
    if let Some((sheet, range)) = loc.rsplit_once('!') {
        if let Some((first, last)) = parse_range_a1(range) {
            return Loc::Cells { sheet, first, last };
        }
    }
    if let Some((prefix, para)) = loc.rsplit_once('¶') {
        if let Ok(para) = para.parse() {
            return Loc::Para {
                prefix: prefix.trim_end(),
                para,
            };
        }
    }
    Loc::Other(loc)
}

/// The short form of a location on its own: a section's heading text is
/// kept (it helps find the place), so this is the location itself.
fn alone(loc: &str) -> String {
    loc.trim().to_owned()
}

/// `§1 ¶3` (or `§1` for the heading itself): a section location without
/// its heading text, for the ends of a range.
fn section_short(number: &str, para: Option<u32>) -> String {
    match para {
        Some(p) => format!("§{number} ¶{p}"),
        None => format!("§{number}"),
    }
}

fn range(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    }
}

/// How a chunk's or a point's locations (in document order) read in one
/// line. Every cell range on one sheet is covered by their bounding box.
pub fn loc_span(locs: &[String]) -> String {
    let (first, last) = match locs {
        [] => return String::new(),
        [one] => return alone(one),
        [first, .., last] => (first.as_str(), last.as_str()),
    };
    if first.trim() == last.trim() {
        return alone(first);
    }
    match (parse(first), parse(last)) {
        (
            Loc::Section {
                number: a,
                para: pa,
            },
            Loc::Section {
                number: b,
                para: pb,
            },
        ) => {
            if a == b {
                // The heading and the paragraphs under it: from ¶1.
                format!(
                    "§{a} ¶{}",
                    range(pa.unwrap_or(1), pb.unwrap_or(pa.unwrap_or(1)))
                )
            } else {
                format!("{} – {}", section_short(a, pa), section_short(b, pb))
            }
        }
        (Loc::Page { page: a, para: pa }, Loc::Page { page: b, para: pb }) => {
            if a == b {
                format!("p. {a} ¶{}", range(pa, pb))
            } else {
                format!("pp. {}", range(a, b))
            }
        }
        (Loc::Slide(a), Loc::Slide(b)) => format!("slides {}", range(a, b)),
        (
            Loc::Para {
                prefix: a,
                para: pa,
            },
            Loc::Para {
                prefix: b,
                para: pb,
            },
        ) if a == b => {
            if a.is_empty() {
                format!("¶{}", range(pa, pb))
            } else {
                format!("{a} ¶{}", range(pa, pb))
            }
        }
        (Loc::Cells { sheet: a, .. }, Loc::Cells { sheet: b, .. }) if a == b => {
            // The box around every range on that sheet.
            let (mut lo, mut hi) = ((u32::MAX, u32::MAX), (0, 0));
            for l in locs {
                if let Loc::Cells {
                    sheet,
                    first: f,
                    last: t,
                } = parse(l)
                {
                    if sheet == a {
                        lo = (lo.0.min(f.0).min(t.0), lo.1.min(f.1).min(t.1));
                        hi = (hi.0.max(f.0).max(t.0), hi.1.max(f.1).max(t.1));
                    }
                }
            }
            format!("{a}!{}:{}", cell_a1(lo.0, lo.1), cell_a1(hi.0, hi.1))
        }
        (a, b) => format!("{} – {}", end(&a, first), end(&b, last)),
    }
}

/// One end of a range between locations of different kinds.
fn end(parsed: &Loc<'_>, written: &str) -> String {
    match parsed {
        Loc::Section { number, para } => section_short(number, *para),
        _ => written.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(locs: &[&str]) -> String {
        loc_span(&locs.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn ranges_read_the_way_people_write_them() {
        assert_eq!(span(&[]), "");
        assert_eq!(
            span(&["§1 Quarterly budget memo ¶3"]),
            "§1 Quarterly budget memo ¶3"
        );
        assert_eq!(
            span(&[
                "§1 Quarterly budget memo ¶1",
                "§1 Quarterly budget memo ¶2",
                "§1 Quarterly budget memo ¶3"
            ]),
            "§1 ¶1-3"
        );
        assert_eq!(
            span(&["§1 Quarterly budget memo", "§1 Quarterly budget memo ¶2"]),
            "§1 ¶1-2"
        );
        assert_eq!(span(&["§1 Intro ¶3", "§2 Results ¶1"]), "§1 ¶3 – §2 ¶1");
        assert_eq!(span(&["§1.2 Intro ¶3", "§2 Results"]), "§1.2 ¶3 – §2");
        assert_eq!(span(&["p. 3", "p. 3 ¶2", "p. 4 ¶5"]), "pp. 3-4");
        assert_eq!(span(&["p. 3 ¶2", "p. 3 ¶4"]), "p. 3 ¶2-4");
        assert_eq!(span(&["slide 2", "slide 4"]), "slides 2-4");
        assert_eq!(span(&["¶1", "¶2", "¶3"]), "¶1-3");
        assert_eq!(span(&["header ¶1", "header ¶2"]), "header ¶1-2");
        assert_eq!(span(&["Sheet1!A1:F20", "Sheet1!A21:F40"]), "Sheet1!A1:F40");
        assert_eq!(
            span(&["'My sheet'!B2:C9", "'My sheet'!A12:D14"]),
            "'My sheet'!A2:D14"
        );
        assert_eq!(
            span(&["Sheet1!A1:F20", "Sheet2!A1:B2"]),
            "Sheet1!A1:F20 – Sheet2!A1:B2"
        );
        assert_eq!(span(&["§3 Notes ¶2", "footnotes"]), "§3 ¶2 – footnotes");
        assert_eq!(span(&["¶4", "¶4"]), "¶4");
    }
}
