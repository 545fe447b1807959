//! Which paragraphs an edit touches: all of them, those of a location as
//! summaries cite it (`§2`, `§2.1 ¶3`, `¶4`), or those containing a text.
//! Locations come from the document reader's blocks, found again among the
//! XML's paragraphs by their text, so `--where` names what `extract` and a
//! summary's citations show.

use crate::docs::{tidy, Block, BlockKind};

use super::paragraphs::Paragraph;
use super::Target;

/// What to edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every paragraph with text.
    All,
    /// Locations, comma-separated: `§2`, `§2.1 ¶3`, `¶4`.
    Where(String),
    /// Paragraphs whose text contains this (case ignored).
    Match(String),
}

/// How far ahead a paragraph's block may be (blocks the XML scan does
/// not list, such as a text box's, sit in between).
const LOOKAHEAD: usize = 8;

/// A text as blocks and paragraphs are compared: tidied, one space
/// between words.
fn norm(s: &str) -> String {
    tidy(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each paragraph with the location of its block (a table's cells share
/// the table's).
pub(crate) fn locate(paragraphs: &[Paragraph], blocks: &[Block]) -> Vec<Target> {
    let body: Vec<&Block> = blocks
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BlockKind::Heading | BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Table
            ) && (b.loc.starts_with('§') || b.loc.starts_with('¶'))
        })
        .collect();
    // Each block's text normalised once, not once per paragraph tried.
    let texts: Vec<String> = body.iter().map(|b| norm(&b.text)).collect();
    let mut next = 0usize;
    let mut table_loc: Option<(usize, Option<String>)> = None;
    let mut out = Vec::with_capacity(paragraphs.len());
    for (index, p) in paragraphs.iter().enumerate() {
        let mut loc = None;
        let mut heading = false;
        match p.table {
            Some(t) => {
                if table_loc.as_ref().map(|(i, _)| *i) != Some(t) {
                    let found = (next..(next + LOOKAHEAD).min(body.len()))
                        .find(|&k| body[k].kind == BlockKind::Table);
                    if let Some(k) = found {
                        next = k + 1;
                    }
                    table_loc = Some((t, found.map(|k| body[k].loc.clone())));
                }
                loc = table_loc.as_ref().and_then(|(_, l)| l.clone());
            }
            None if !p.all_text.trim().is_empty() => {
                let text = norm(&p.all_text);
                let found = (next..(next + LOOKAHEAD).min(body.len()))
                    .find(|&k| body[k].kind != BlockKind::Table && texts[k] == text);
                if let Some(k) = found {
                    next = k + 1;
                    loc = Some(body[k].loc.clone());
                    heading = body[k].kind == BlockKind::Heading;
                }
            }
            None => {}
        }
        out.push(Target {
            index,
            loc,
            heading,
            table: p.table,
            text: p.text.clone(),
            blocked: p.blocked.clone(),
        });
    }
    out
}

/// A location asked for: a section number (`2.1`) and a paragraph number.
#[derive(Debug, PartialEq)]
struct Spot {
    section: Option<String>,
    paragraph: Option<u32>,
}

fn parse_spot(s: &str) -> Option<Spot> {
    let s = s.trim();
    let mut section = None;
    let mut paragraph = None;
    let mut rest = s;
    if let Some(r) = rest.strip_prefix('§') {
        let r = r.trim_start();
        let end = r
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(r.len());
        let num = r[..end].trim_end_matches('.');
        if num.is_empty() {
            return None;
        }
        section = Some(num.to_owned());
        rest = r[end..].trim_start();
    }
    if let Some(r) = rest.strip_prefix('¶') {
        let r = r.trim();
        paragraph = Some(r.parse().ok()?);
        rest = "";
    }
    (rest.is_empty() && (section.is_some() || paragraph.is_some()))
        .then_some(Spot { section, paragraph })
}

/// A block location's section number and paragraph number.
fn spot_of(loc: &str) -> Spot {
    let section = loc.strip_prefix('§').map(|r| {
        r.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap_or("")
            .trim_end_matches('.')
            .to_owned()
    });
    let paragraph = loc
        .rsplit_once('¶')
        .and_then(|(_, n)| n.trim().parse().ok());
    Spot { section, paragraph }
}

fn within(want: &Spot, have: &Spot) -> bool {
    let section_ok = match (&want.section, &have.section) {
        // A paragraph number counts within its own section only.
        (Some(w), Some(h)) => {
            h == w || (want.paragraph.is_none() && h.starts_with(&format!("{w}.")))
        }
        (Some(_), None) => false,
        (None, h) => h.is_none(),
    };
    let paragraph_ok = match want.paragraph {
        Some(w) => have.paragraph == Some(w),
        None => true,
    };
    section_ok && paragraph_ok
}

/// The indexes `selection` names, in order, among paragraphs with text.
pub(crate) fn select(targets: &[Target], selection: &Selection) -> Result<Vec<usize>, String> {
    let with_text = targets.iter().filter(|t| !t.text.trim().is_empty());
    match selection {
        Selection::All => {
            let all: Vec<usize> = with_text.map(|t| t.index).collect();
            if all.is_empty() {
                return Err("the document has no paragraph with text to edit".into());
            }
            Ok(all)
        }
        Selection::Match(m) => {
            let m = m.to_lowercase();
            let found: Vec<usize> = with_text
                .filter(|t| t.text.to_lowercase().contains(&m))
                .map(|t| t.index)
                .collect();
            if found.is_empty() {
                return Err(format!("no paragraph contains {m:?}"));
            }
            Ok(found)
        }
        Selection::Where(spec) => {
            let mut spots = Vec::new();
            for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
                spots.push(parse_spot(part).ok_or_else(|| {
                    format!(
                        "{:?} is not a location: write it as summaries cite, e.g. §2, §2.1 ¶3 or ¶4",
                        part.trim()
                    )
                })?);
            }
            if spots.is_empty() {
                return Err("--where names no location".into());
            }
            let mut found = Vec::new();
            for spot in &spots {
                let before = found.len();
                for t in targets.iter().filter(|t| !t.text.trim().is_empty()) {
                    let Some(loc) = &t.loc else { continue };
                    if within(spot, &spot_of(loc)) && !found.contains(&t.index) {
                        found.push(t.index);
                    }
                }
                if found.len() == before {
                    let sections = targets
                        .iter()
                        .any(|t| t.loc.as_deref().is_some_and(|l| l.starts_with('§')));
                    let hint = if spot.section.is_none() && sections {
                        " (the document has sections: name one too, e.g. §1 ¶2)"
                    } else {
                        ""
                    };
                    return Err(format!(
                        "no paragraph at {}{hint}; `deskpilot extract --format json` lists the locations",
                        describe(spot)
                    ));
                }
            }
            found.sort_unstable();
            Ok(found)
        }
    }
}

fn describe(spot: &Spot) -> String {
    match (&spot.section, spot.paragraph) {
        (Some(s), Some(p)) => format!("§{s} ¶{p}"),
        (Some(s), None) => format!("§{s}"),
        (None, Some(p)) => format!("¶{p}"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(index: usize, loc: &str, text: &str) -> Target {
        Target {
            index,
            loc: Some(loc.into()),
            heading: !loc.contains('¶'),
            table: None,
            text: text.into(),
            blocked: None,
        }
    }

    #[test]
    fn locations_select_sections_subsections_and_paragraphs() {
        let ts = vec![
            target(0, "§1 Intro", "Intro"),
            target(1, "§1 Intro ¶1", "First."),
            target(2, "§1.1 Detail ¶1", "Second."),
            target(3, "§2 Results ¶1", "Third."),
            target(4, "§2 Results ¶2", "Fourth."),
        ];
        assert_eq!(
            select(&ts, &Selection::Where("§1".into())).unwrap(),
            [0, 1, 2]
        );
        assert_eq!(select(&ts, &Selection::Where("§1.1".into())).unwrap(), [2]);
        assert_eq!(select(&ts, &Selection::Where("§2 ¶2".into())).unwrap(), [4]);
        assert_eq!(
            select(&ts, &Selection::Where("§2¶1, §1 ¶1".into())).unwrap(),
            [1, 3]
        );
        assert!(select(&ts, &Selection::Where("§3".into()))
            .unwrap_err()
            .contains("§3"));
        assert!(select(&ts, &Selection::Where("¶1".into()))
            .unwrap_err()
            .contains("name one too"));
        assert!(select(&ts, &Selection::Where("page 2".into())).is_err());
        assert_eq!(
            select(&ts, &Selection::Match("FOURTH".into())).unwrap(),
            [4]
        );
    }
}
