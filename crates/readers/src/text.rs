//! Plain text and Markdown, and the encoding detection that CSV shares:
//! UTF-8 with or without BOM, UTF-16 (BOM or the zero-byte pattern), else
//! the most likely legacy encoding (GB18030/GBK, Windows-1252, Shift_JIS,
//! ...) as chardetng guesses it.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::model::{tidy, Block, BlockKind};

/// Decodes bytes to text; returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    // Before UTF-8: mostly-ASCII UTF-16 is also valid UTF-8, full of NULs.
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), UTF_8.name());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// UTF-16 text without a BOM has zero bytes in every other position when it
/// is mostly ASCII.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if zeros_odd * 10 > pairs * 6 && zeros_even * 10 < pairs {
        Some(UTF_16LE)
    } else if zeros_even * 10 > pairs * 6 && zeros_odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Plain text: paragraphs separated by blank lines, located by number.
pub fn plain_blocks(text: &str) -> Vec<Block> {
    paragraphs(text)
        .enumerate()
        .map(|(i, p)| Block::new(BlockKind::Paragraph, p, format!("¶{}", i + 1)))
        .collect()
}

fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .flat_map(|p| p.split("\r\n\r\n"))
        .map(tidy)
        .filter(|p| !p.is_empty())
}

/// Markdown: `#` headings (with section numbers), list items, paragraphs;
/// fenced code kept as one paragraph.
pub fn markdown_blocks(text: &str) -> (Vec<Block>, Option<String>) {
    let mut blocks = Vec::new();
    let mut title = None;
    let mut sections = Sections::default();
    let mut para = String::new();
    let mut in_fence = false;
    let flush = |para: &mut String, blocks: &mut Vec<Block>, sections: &mut Sections| {
        let t = tidy(para);
        if !t.is_empty() {
            blocks.push(Block::new(
                BlockKind::Paragraph,
                t,
                sections.next_paragraph(),
            ));
        }
        para.clear();
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            if !in_fence {
                flush(&mut para, &mut blocks, &mut sections);
            }
            continue;
        }
        if in_fence {
            para.push_str(line);
            para.push('\n');
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush(&mut para, &mut blocks, &mut sections);
            let heading = tidy(trimmed[hashes..].trim_end_matches('#'));
            if title.is_none() && hashes == 1 {
                title = Some(heading.clone());
            }
            let loc = sections.heading(hashes as u8, &heading);
            blocks.push(Block::new(BlockKind::Heading, heading, loc).with_level(hashes as u8));
            continue;
        }
        let item = list_marker(trimmed);
        if let Some(rest) = item {
            flush(&mut para, &mut blocks, &mut sections);
            let indent = (line.len() - trimmed.len()) / 2;
            let t = tidy(rest);
            if !t.is_empty() {
                blocks.push(
                    Block::new(BlockKind::ListItem, t, sections.next_paragraph())
                        .with_level(indent.min(8) as u8),
                );
            }
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut para, &mut blocks, &mut sections);
        } else {
            para.push_str(line);
            para.push('\n');
        }
    }
    flush(&mut para, &mut blocks, &mut sections);
    (blocks, title)
}

fn list_marker(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// Section numbering for locations: `§2.1 Results ¶4`.
#[derive(Default)]
pub struct Sections {
    counters: [u32; 9],
    label: String,
    paragraph: u32,
}

impl Sections {
    /// Enters a heading; returns its own location.
    pub fn heading(&mut self, level: u8, text: &str) -> String {
        let l = usize::from(level.clamp(1, 9));
        self.counters[l - 1] += 1;
        for c in &mut self.counters[l..] {
            *c = 0;
        }
        let first = self.counters[..l].iter().position(|c| *c > 0).unwrap_or(0);
        let number = self.counters[first..l]
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let short: String = text.chars().take(40).collect();
        self.label = if short.is_empty() {
            format!("§{number}")
        } else {
            format!("§{number} {short}")
        };
        self.paragraph = 0;
        self.label.clone()
    }

    /// The location of the next paragraph in the current section.
    pub fn next_paragraph(&mut self) -> String {
        self.paragraph += 1;
        if self.label.is_empty() {
            format!("¶{}", self.paragraph)
        } else {
            format!("{} ¶{}", self.label, self.paragraph)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode("héllo".as_bytes()), ("héllo".into(), "UTF-8"));
        let (gbk, _, _) = encoding_rs::GBK.encode("中文的测试文本，包括一些常用的汉字和标点符号。");
        assert_eq!(
            decode(&gbk).0,
            "中文的测试文本，包括一些常用的汉字和标点符号。"
        );
        let utf16: Vec<u8> = "name,value\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&utf16).0, "name,value\n");
        let (w1252, _, _) =
            encoding_rs::WINDOWS_1252.encode("café crème brûlée à la carte, s'il vous plaît");
        assert_eq!(
            decode(&w1252).0,
            "café crème brûlée à la carte, s'il vous plaît"
        );
    }

    #[test]
    fn markdown_headings_get_section_locations() {
        let (b, title) = markdown_blocks(
            "# Report\n\nIntro text.\n\n## Results\n\nFirst.\n\nSecond.\n- a point\n",
        );
        assert_eq!(title.as_deref(), Some("Report"));
        assert_eq!(b[0].loc, "§1 Report");
        assert_eq!(b[1].loc, "§1 Report ¶1");
        assert_eq!(b[2].loc, "§1.1 Results");
        assert_eq!(b[4].text, "Second.");
        assert_eq!(b[4].loc, "§1.1 Results ¶2");
        assert_eq!(b[5].kind, BlockKind::ListItem);
    }
}
