//! HTML pages, simply: headings (h1-h6) with section locations, paragraphs,
//! list items and table rows as text; scripts, styles and tags dropped;
//! character references decoded. No DOM, no network, no scripts.

use super::model::{tidy, Block, BlockKind};
use super::text::Sections;

/// What the text collected so far will become.
#[derive(Clone, Copy, PartialEq)]
enum Pending {
    Paragraph,
    Heading(u8),
    ListItem,
}

pub fn blocks(html: &str) -> (Vec<Block>, Option<String>) {
    let mut out = Vec::new();
    let mut sections = Sections::default();
    let mut title = None;
    let mut text = String::new();
    let mut pending = Pending::Paragraph;
    let mut rest = html;
    let flush = |text: &mut String,
                 kind: Pending,
                 out: &mut Vec<Block>,
                 sections: &mut Sections| {
        let t = tidy(&decode_entities(text));
        text.clear();
        if t.is_empty() {
            return;
        }
        out.push(match kind {
            Pending::Heading(l) => {
                let loc = sections.heading(l, &t);
                Block::new(BlockKind::Heading, t, loc).with_level(l)
            }
            Pending::ListItem => {
                Block::new(BlockKind::ListItem, t, sections.next_paragraph()).with_level(0)
            }
            Pending::Paragraph => Block::new(BlockKind::Paragraph, t, sections.next_paragraph()),
        });
    };
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "script" | "style" | "head" if !closing => {
                let end = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                if name == "head" {
                    // Keep the head only for its title.
                    let head_end = lower.find("</head").unwrap_or(rest.len());
                    let head = &rest[..head_end];
                    if let (Some(a), Some(b)) = (
                        head.to_ascii_lowercase().find("<title"),
                        head.to_ascii_lowercase().find("</title"),
                    ) {
                        if let Some(open_end) = head[a..].find('>') {
                            let t = tidy(&decode_entities(
                                &head[a + open_end + 1..b.max(a + open_end + 1)],
                            ));
                            if !t.is_empty() {
                                title = Some(t);
                            }
                        }
                    }
                    rest = &rest[head_end..];
                } else {
                    rest = lower.find(&end).map_or("", |i| &rest[i..]);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flush(&mut text, pending, &mut out, &mut sections);
                pending = if closing {
                    Pending::Paragraph
                } else {
                    Pending::Heading(name.as_bytes()[1] - b'0')
                };
            }
            "li" => {
                flush(&mut text, pending, &mut out, &mut sections);
                pending = if closing {
                    Pending::Paragraph
                } else {
                    Pending::ListItem
                };
            }
            "p" | "div" | "section" | "article" | "tr" | "table" | "ul" | "ol" | "blockquote"
            | "pre" | "body" | "title" => {
                flush(&mut text, pending, &mut out, &mut sections);
                pending = Pending::Paragraph;
            }
            "br" => text.push('\n'),
            "td" | "th" if !closing => text.push_str(" | "),
            _ => {}
        }
    }
    text.push_str(rest);
    flush(&mut text, pending, &mut out, &mut sections);
    // Table rows start with a cell separator; drop the leading one.
    for b in &mut out {
        if let Some(t) = b.text.strip_prefix("| ") {
            b.text = t.to_owned();
        }
    }
    (out, title)
}

/// Named references HTML text commonly uses, and numeric ones.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short: look for its ';' in the next few bytes.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_tables_and_entities() {
        let (b, title) = blocks(
            "<html><head><title>Q3 &amp; Q4</title><style>p{}</style></head><body>\
             <h1>Report</h1><p>Sales rose&nbsp;5&#37;.</p><script>alert(1)</script>\
             <ul><li>North</li><li>South</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>",
        );
        assert_eq!(title.as_deref(), Some("Q3 & Q4"));
        assert_eq!(b[0].kind, BlockKind::Heading);
        assert_eq!(b[0].loc, "§1 Report");
        assert_eq!(b[1].text, "Sales rose 5%.");
        assert_eq!(b[2].kind, BlockKind::ListItem);
        assert_eq!(b[3].text, "South");
        assert_eq!(b[4].text, "a | b");
        assert!(!b.iter().any(|x| x.text.contains("alert")));
    }

    #[test]
    fn a_stray_ampersand_before_cjk_text_is_kept() {
        let (b, _) = blocks("<p>研发&中文字符测试；结束</p>");
        assert_eq!(b[0].text, "研发&中文字符测试；结束");
    }
}
