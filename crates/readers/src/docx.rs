//! Word documents (.docx, .docm, .dotx), read straight from their OOXML:
//! headings with levels (from styles, localized names included), paragraphs,
//! lists, tables, text boxes, tracked insertions (deletions left out),
//! headers and footers, footnotes, endnotes and comments. Transitional and
//! Strict OOXML both work: elements are matched by local name.

use std::collections::HashMap;

use super::error::DocProblem;
use super::limits::{Deadline, Limits};
use super::model::{tidy, Block, BlockKind};
use super::package::Package;
use super::text::Sections;
use super::xml::{attr, local, Ev, Xml};

/// What a paragraph style says.
#[derive(Default, Clone)]
struct Style {
    name: String,
    outline: Option<u8>,
    based_on: Option<String>,
    numbered: bool,
}

pub struct Docx {
    pub blocks: Vec<Block>,
    pub title: Option<String>,
    pub warnings: Vec<String>,
}

pub fn read(
    pkg: &mut Package<'_>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Docx, DocProblem> {
    let main = main_part(pkg)?;
    let styles = match pkg.read_text("word/styles.xml")? {
        Some(x) => parse_styles(&x, limits, deadline).unwrap_or_default(),
        None => HashMap::new(),
    };
    let Some(body) = pkg.read_text(&main)? else {
        return Err(DocProblem::Mislabelled {
            expected: "Word",
            detail: format!("no {main} in the package"),
        });
    };
    let mut out = Docx {
        blocks: Vec::new(),
        title: None,
        warnings: Vec::new(),
    };
    let mut body_reader = BodyReader::new(&styles, Scheme::Body);
    body_reader.run(&body, limits, deadline, &mut out)?;

    // Headers and footers: several parts often repeat the same text.
    let mut seen = Vec::new();
    let mut names = pkg.names();
    names.sort();
    for name in names {
        let kind = if name.starts_with("word/header") && name.ends_with(".xml") {
            "header"
        } else if name.starts_with("word/footer") && name.ends_with(".xml") {
            "footer"
        } else {
            continue;
        };
        let Some(xml) = pkg.read_text(&name)? else {
            continue;
        };
        let mut part = Docx {
            blocks: Vec::new(),
            title: None,
            warnings: Vec::new(),
        };
        match BodyReader::new(&styles, Scheme::Fixed(kind)).run(&xml, limits, deadline, &mut part) {
            Ok(()) => {
                for b in part.blocks {
                    if !seen.contains(&b.text) {
                        seen.push(b.text.clone());
                        out.blocks.push(b);
                    }
                }
            }
            Err(e) => out.warnings.push(format!("{name} skipped: {e}")),
        }
    }

    for (part, scheme) in [
        ("word/footnotes.xml", Scheme::Notes("footnote")),
        ("word/endnotes.xml", Scheme::Notes("endnote")),
        ("word/comments.xml", Scheme::Notes("comment")),
    ] {
        let Some(xml) = pkg.read_text(part)? else {
            continue;
        };
        if let Err(e) = BodyReader::new(&styles, scheme).run(&xml, limits, deadline, &mut out) {
            out.warnings.push(format!("{part} skipped: {e}"));
        }
    }
    Ok(out)
}

/// The main document part, from the package relationships when present.
/// The main document part named by the package's relationships (that
/// exists), else `word/document.xml`.
pub fn main_part(pkg: &mut Package<'_>) -> Result<String, DocProblem> {
    if let Some(rels) = pkg.read_text("_rels/.rels")? {
        for chunk in rels.split("<Relationship").skip(1) {
            if chunk.contains("/officeDocument\"") || chunk.contains("/officeDocument'") {
                if let Some(t) = chunk
                    .split("Target=\"")
                    .nth(1)
                    .and_then(|t| t.split('"').next())
                {
                    let t = t.trim_start_matches('/').to_owned();
                    if pkg.has(&t) {
                        return Ok(t);
                    }
                }
            }
        }
    }
    Ok("word/document.xml".into())
}

fn parse_styles(
    xml: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<HashMap<String, Style>, DocProblem> {
    let mut styles = HashMap::new();
    let mut x = Xml::new(xml, limits, deadline);
    let mut current: Option<(String, Style)> = None;
    while let Some(ev) = x.next()? {
        match ev {
            Ev::Start(e) | Ev::Empty(e) => match local(&e).as_slice() {
                b"style" => {
                    if let Some((id, s)) = current.take() {
                        styles.insert(id, s);
                    }
                    current = attr(&e, b"styleId").map(|id| (id, Style::default()));
                }
                b"name" => {
                    if let (Some((_, s)), Some(v)) = (current.as_mut(), attr(&e, b"val")) {
                        s.name = v.to_lowercase();
                    }
                }
                b"basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(&e, b"val");
                    }
                }
                b"outlineLvl" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.outline = attr(&e, b"val").and_then(|v| v.parse().ok());
                    }
                }
                b"numId" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.numbered = attr(&e, b"val").is_some_and(|v| v != "0");
                    }
                }
                _ => {}
            },
            Ev::End(name) if name == b"style" => {
                if let Some((id, s)) = current.take() {
                    styles.insert(id, s);
                }
            }
            _ => {}
        }
    }
    Ok(styles)
}

/// Heading level of a style (1 = top), following `basedOn` a few steps.
fn heading_level(styles: &HashMap<String, Style>, id: &str) -> Option<u8> {
    let mut id = id.to_owned();
    for _ in 0..8 {
        let s = styles.get(&id);
        let name = s.map_or_else(|| id.to_lowercase(), |s| s.name.clone());
        if name == "title" {
            return Some(1);
        }
        if let Some(n) = name
            .strip_prefix("heading ")
            .or_else(|| name.strip_prefix("heading"))
            .and_then(|n| n.trim().parse::<u8>().ok())
        {
            return Some(n.clamp(1, 9));
        }
        if let Some(o) = s.and_then(|s| s.outline) {
            return (o < 9).then_some(o + 1);
        }
        match s.and_then(|s| s.based_on.clone()) {
            Some(b) => id = b,
            None => return None,
        }
    }
    None
}

/// How blocks from a part are located.
#[derive(Clone, Copy)]
enum Scheme {
    /// The body: section numbers from headings.
    Body,
    /// A header or footer.
    Fixed(&'static str),
    /// Footnotes, endnotes or comments: one block per note.
    Notes(&'static str),
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    list_level: Option<u8>,
    outline: Option<u8>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

struct BodyReader<'s> {
    styles: &'s HashMap<String, Style>,
    scheme: Scheme,
    sections: Sections,
    paras: Vec<Para>,
    tables: Vec<Table>,
    /// Depth inside deleted text, field instructions, or an mc:Fallback
    /// (whose content duplicates the mc:Choice we read).
    skip: usize,
    fixed_count: usize,
    /// The note being read: (kind, id, author, text so far).
    note: Option<(String, String, String)>,
    text_box_depth: usize,
    /// Inside `w:t`, whose text is document text (whitespace between
    /// elements is not).
    in_text: bool,
}

impl<'s> BodyReader<'s> {
    fn new(styles: &'s HashMap<String, Style>, scheme: Scheme) -> Self {
        BodyReader {
            styles,
            scheme,
            sections: Sections::default(),
            paras: Vec::new(),
            tables: Vec::new(),
            skip: 0,
            fixed_count: 0,
            note: None,
            text_box_depth: 0,
            in_text: false,
        }
    }

    fn run(
        &mut self,
        xml: &str,
        limits: &Limits,
        deadline: Deadline,
        out: &mut Docx,
    ) -> Result<(), DocProblem> {
        let mut x = Xml::new(xml, limits, deadline);
        while let Some(ev) = x.next()? {
            match ev {
                Ev::Start(e) => {
                    // Inside skipped content every element nests one deeper.
                    if self.skip > 0 {
                        self.skip += 1;
                        continue;
                    }
                    let name = local(&e);
                    if is_skipped(&name) {
                        self.skip = 1;
                        continue;
                    }
                    self.start(&name, &e, out);
                }
                Ev::Empty(e) => {
                    if self.skip == 0 {
                        let name = local(&e);
                        self.empty(&name, &e);
                    }
                }
                Ev::End(name) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    self.end(&name, out);
                }
                Ev::Text(t) => {
                    if self.skip == 0 && self.in_text {
                        if let Some(p) = self.paras.last_mut() {
                            p.text.push_str(&t);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Elements whose content is not document text.
fn is_skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"del" | b"moveFrom" | b"instrText" | b"delInstrText" | b"Fallback" | b"delText"
            // Tab-stop definitions, not tab characters.
            | b"tabs"
    )
}

impl BodyReader<'_> {
    fn push_text(&mut self, t: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(t);
        }
    }

    fn start(&mut self, name: &[u8], e: &quick_xml::events::BytesStart<'_>, _out: &mut Docx) {
        match name {
            b"p" => self.paras.push(Para::default()),
            b"t" => self.in_text = true,
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.clear();
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell.clear();
                }
            }
            b"txbxContent" => self.text_box_depth += 1,
            b"footnote" | b"endnote" | b"comment" => {
                if let Scheme::Notes(_) = self.scheme {
                    let kind = attr(e, b"type").unwrap_or_default();
                    // Separators are layout, not notes.
                    if kind.contains("eparator") || kind == "continuationNotice" {
                        self.skip = 1;
                        return;
                    }
                    let id = attr(e, b"id").unwrap_or_default();
                    let author = attr(e, b"author").unwrap_or_default();
                    self.note = Some((id, author, String::new()));
                }
            }
            _ => self.empty(name, e),
        }
    }

    fn empty(&mut self, name: &[u8], e: &quick_xml::events::BytesStart<'_>) {
        match name {
            b"tab" | b"ptab" => self.push_text("\t"),
            b"br" | b"cr" => self.push_text("\n"),
            b"noBreakHyphen" => self.push_text("-"),
            b"pStyle" => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, b"val");
                }
            }
            b"ilvl" => {
                if let Some(p) = self.paras.last_mut() {
                    p.list_level = attr(e, b"val").and_then(|v| v.parse().ok()).or(Some(0));
                }
            }
            b"numId" => {
                if let Some(p) = self.paras.last_mut() {
                    match attr(e, b"val").as_deref() {
                        Some("0") => p.list_level = None,
                        _ => {
                            p.list_level.get_or_insert(0);
                        }
                    }
                }
            }
            b"outlineLvl" => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = attr(e, b"val").and_then(|v| v.parse().ok());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8], out: &mut Docx) {
        match name {
            b"t" => self.in_text = false,
            b"p" => {
                let Some(p) = self.paras.pop() else { return };
                self.finish_paragraph(p, out);
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let cell = tidy(&t.cell);
                    t.row.push(cell);
                    t.cell.clear();
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    if row.iter().any(|c| !c.is_empty()) {
                        t.rows.push(row);
                    }
                }
            }
            b"tbl" => {
                let Some(t) = self.tables.pop() else { return };
                if t.rows.is_empty() {
                    return;
                }
                if let Some(outer) = self.tables.last_mut() {
                    // A nested table becomes text of the outer cell.
                    let text = t
                        .rows
                        .iter()
                        .map(|r| r.join(" | "))
                        .collect::<Vec<_>>()
                        .join("\n");
                    if !outer.cell.is_empty() {
                        outer.cell.push('\n');
                    }
                    outer.cell.push_str(&text);
                } else {
                    let loc = self.location();
                    self.emit(Block::grid(BlockKind::Table, t.rows, loc), out);
                }
            }
            b"txbxContent" => self.text_box_depth = self.text_box_depth.saturating_sub(1),
            b"footnote" | b"endnote" | b"comment" => {
                if let (Scheme::Notes(kind), Some((id, author, text))) =
                    (self.scheme, self.note.take())
                {
                    let text = tidy(&text);
                    if !text.is_empty() {
                        let text = if author.is_empty() {
                            text
                        } else {
                            format!("{author}: {text}")
                        };
                        let block_kind = if kind == "comment" {
                            BlockKind::Comment
                        } else {
                            BlockKind::Note
                        };
                        out.blocks
                            .push(Block::new(block_kind, text, format!("{kind} {id}")));
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_paragraph(&mut self, p: Para, out: &mut Docx) {
        let text = tidy(&p.text);
        if let Some((_, _, note)) = self.note.as_mut() {
            if !text.is_empty() {
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(&text);
            }
            return;
        }
        if let Some(t) = self.tables.last_mut() {
            if self.text_box_depth == 0 || !text.is_empty() {
                if !t.cell.is_empty() && !text.is_empty() {
                    t.cell.push('\n');
                }
                t.cell.push_str(&text);
            }
            return;
        }
        if text.is_empty() {
            return;
        }
        let styles = self.styles;
        let style = p.style.as_deref();
        let level = p
            .outline
            .filter(|o| *o < 9)
            .map(|o| o + 1)
            .or_else(|| style.and_then(|s| heading_level(styles, s)));
        let list = p.list_level.or_else(|| {
            style
                .and_then(|s| styles.get(s))
                .filter(|s| s.numbered)
                .map(|_| 0)
        });
        if let (Some(level), Scheme::Body) = (level, self.scheme) {
            if out.title.is_none() && style.is_some_and(|s| s.eq_ignore_ascii_case("title")) {
                out.title = Some(text.clone());
            }
            let loc = self.sections.heading(level, &text);
            out.blocks
                .push(Block::new(BlockKind::Heading, text, loc).with_level(level));
            return;
        }
        let loc = self.location();
        let block = match list {
            Some(l) => Block::new(BlockKind::ListItem, text, loc).with_level(l),
            None => Block::new(BlockKind::Paragraph, text, loc),
        };
        self.emit(block, out);
    }

    fn location(&mut self) -> String {
        let base = match self.scheme {
            Scheme::Body => self.sections.next_paragraph(),
            Scheme::Fixed(kind) => {
                self.fixed_count += 1;
                format!("{kind} ¶{}", self.fixed_count)
            }
            Scheme::Notes(kind) => kind.to_owned(),
        };
        if self.text_box_depth > 0 {
            format!("{base} (text box)")
        } else {
            base
        }
    }

    fn emit(&mut self, block: Block, out: &mut Docx) {
        out.blocks.push(block);
    }
}
