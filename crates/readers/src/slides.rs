//! PowerPoint (.pptx): slides in presentation order, each with its title,
//! body text and tables, and the speaker notes as `slide N notes`.

use super::error::DocProblem;
use super::limits::{Deadline, Limits};
use super::model::{tidy, Block, BlockKind};
use super::package::{relationships, Package};
use super::xml::{attr, local, Ev, Xml};

pub struct Slides {
    pub blocks: Vec<Block>,
    pub title: Option<String>,
    pub warnings: Vec<String>,
}

pub fn read(
    pkg: &mut Package<'_>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Slides, DocProblem> {
    let pres = "ppt/presentation.xml";
    let Some(xml) = pkg.read_text(pres)? else {
        return Err(DocProblem::Mislabelled {
            expected: "PowerPoint",
            detail: "no ppt/presentation.xml".into(),
        });
    };
    let rels = relationships(pkg, pres, limits, deadline)?;
    // Slide order: p:sldIdLst.
    let mut order = Vec::new();
    let mut x = Xml::new(&xml, limits, deadline);
    while let Some(ev) = x.next()? {
        if let Ev::Start(e) | Ev::Empty(e) = ev {
            if local(&e) == b"sldId" {
                if let Some(rid) = attr(&e, b"id")
                    .filter(|v| v.starts_with("rId"))
                    .or_else(|| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref().ends_with(":id"))
                            .map(|a| a.value.to_string())
                    })
                {
                    if let Some((_, _, target)) = rels.iter().find(|(id, _, _)| *id == rid) {
                        order.push(target.clone());
                    }
                }
            }
        }
    }
    let mut out = Slides {
        blocks: Vec::new(),
        title: None,
        warnings: Vec::new(),
    };
    for (i, part) in order.iter().enumerate() {
        deadline.check()?;
        let n = i + 1;
        let Some(xml) = pkg.read_text(part)? else {
            out.warnings.push(format!("slide {n}: part {part} missing"));
            continue;
        };
        let content = match shapes(&xml, limits, deadline) {
            Ok(c) => c,
            Err(e) => {
                out.warnings.push(format!("slide {n} skipped: {e}"));
                continue;
            }
        };
        let loc = format!("slide {n}");
        if let Some(t) = &content.title {
            if out.title.is_none() {
                out.title = Some(t.clone());
            }
        }
        let mut text = String::new();
        if let Some(t) = &content.title {
            text.push_str(t);
        }
        for p in &content.body {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(p);
        }
        if !text.is_empty() {
            let mut b = Block::new(BlockKind::Slide, text, loc.clone());
            if content.title.is_some() {
                b.level = Some(1);
            }
            out.blocks.push(b);
        }
        for table in content.tables {
            out.blocks
                .push(Block::grid(BlockKind::Table, table, loc.clone()));
        }
        // Speaker notes.
        let slide_rels = relationships(pkg, part, limits, deadline)?;
        if let Some((_, _, notes)) = slide_rels
            .iter()
            .find(|(_, ty, _)| ty.ends_with("/notesSlide"))
        {
            if let Some(nx) = pkg.read_text(notes)? {
                match shapes(&nx, limits, deadline) {
                    Ok(c) => {
                        let t = tidy(&c.body.join("\n"));
                        if !t.is_empty() {
                            out.blocks.push(Block::new(
                                BlockKind::Note,
                                t,
                                format!("slide {n} notes"),
                            ));
                        }
                    }
                    Err(e) => out.warnings.push(format!("slide {n} notes skipped: {e}")),
                }
            }
        }
    }
    Ok(out)
}

struct SlideContent {
    title: Option<String>,
    body: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
}

/// Reads the text of a slide's (or notes page's) shapes. Title placeholders
/// give the title; slide-number, date and footer placeholders are skipped.
fn shapes(xml: &str, limits: &Limits, deadline: Deadline) -> Result<SlideContent, DocProblem> {
    let mut x = Xml::new(xml, limits, deadline);
    let mut out = SlideContent {
        title: None,
        body: Vec::new(),
        tables: Vec::new(),
    };
    let mut ph: Option<String> = None;
    let mut shape_paras: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut in_t = false;
    let mut table: Option<Vec<Vec<String>>> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    while let Some(ev) = x.next()? {
        match ev {
            Ev::Start(e) => match local(&e).as_slice() {
                b"sp" => {
                    ph = None;
                    shape_paras.clear();
                }
                b"ph" => ph = Some(attr(&e, b"type").unwrap_or_else(|| "body".into())),
                b"t" => in_t = true,
                b"p" => para.clear(),
                b"tbl" => table = Some(Vec::new()),
                b"tr" => row.clear(),
                b"tc" => cell.clear(),
                _ => {}
            },
            Ev::Empty(e) => match local(&e).as_slice() {
                b"ph" => ph = Some(attr(&e, b"type").unwrap_or_else(|| "body".into())),
                b"br" => para.push('\n'),
                _ => {}
            },
            Ev::Text(t) => {
                if in_t {
                    para.push_str(&t);
                }
            }
            Ev::End(name) => match name.as_slice() {
                b"t" => in_t = false,
                b"p" => {
                    let p = tidy(&para);
                    para.clear();
                    if p.is_empty() {
                        continue;
                    }
                    if table.is_some() {
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                        cell.push_str(&p);
                    } else {
                        shape_paras.push(p);
                    }
                }
                b"tc" => row.push(std::mem::take(&mut cell)),
                b"tr" => {
                    if let Some(t) = table.as_mut() {
                        t.push(std::mem::take(&mut row));
                    }
                }
                b"tbl" => {
                    if let Some(t) = table.take() {
                        if t.iter().flatten().any(|c| !c.is_empty()) {
                            out.tables.push(t);
                        }
                    }
                }
                b"sp" => {
                    let paras = std::mem::take(&mut shape_paras);
                    match ph.as_deref() {
                        Some("title" | "ctrTitle") if out.title.is_none() => {
                            out.title = Some(paras.join(" "))
                        }
                        Some("sldNum" | "dt" | "ftr" | "hdr" | "sldImg") => {}
                        _ => out.body.extend(paras),
                    }
                    ph = None;
                }
                _ => {}
            },
        }
    }
    // Text outside any p:sp (group shapes, graphic frames) still counts.
    out.body.extend(shape_paras);
    Ok(out)
}
