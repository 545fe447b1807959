//! `deskpilot extract`: a document's content as text, Markdown or JSON.

use anyhow::{Context, Result};
use deskpilot_core::docs::{self, Block, BlockKind, Document};

use crate::cli::{ExtractArgs, ExtractFormat};
use crate::output::line;

pub fn run(args: &ExtractArgs) -> Result<u8> {
    let limits = crate::setup::load_settings()?
        .document_limits
        .unwrap_or_default();
    // The error already reads "FILE: cause".
    let doc = docs::open_with(&args.file, &limits)?;
    match args.format {
        ExtractFormat::Json => {
            line(&serde_json::to_string_pretty(&doc).context("encoding JSON")?);
            return Ok(0);
        }
        ExtractFormat::Text => {
            let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
            line(&text.join("\n\n"));
        }
        ExtractFormat::Markdown => line(&markdown(&doc)),
    }
    for w in &doc.warnings {
        eprintln!("deskpilot: warning: {}: {w}", doc.file.display());
    }
    Ok(0)
}

fn markdown(doc: &Document) -> String {
    let mut out = Vec::new();
    if let Some(t) = &doc.title {
        if doc.blocks.first().is_none_or(|b| b.text != *t) {
            out.push(format!("# {t}"));
        }
    }
    for b in &doc.blocks {
        out.push(block_markdown(b));
    }
    out.join("\n\n")
}

fn block_markdown(b: &Block) -> String {
    match b.kind {
        BlockKind::Heading => format!(
            "{} {}",
            "#".repeat(usize::from(b.level.unwrap_or(1).clamp(1, 6))),
            b.text
        ),
        BlockKind::ListItem => format!(
            "{}- {}",
            "  ".repeat(usize::from(b.level.unwrap_or(0))),
            b.text
        ),
        BlockKind::Table | BlockKind::SheetRange if !b.rows.is_empty() => {
            let mut s = format!("*{}*\n\n", b.loc);
            let width = b.rows.iter().map(Vec::len).max().unwrap_or(0);
            for (i, row) in b.rows.iter().enumerate() {
                let cells: Vec<String> = (0..width)
                    .map(|c| {
                        row.get(c)
                            .map_or(String::new(), |v| v.replace('|', "\\|").replace('\n', " "))
                    })
                    .collect();
                s.push_str(&format!("| {} |\n", cells.join(" | ")));
                if i == 0 {
                    s.push_str(&format!("|{}\n", " --- |".repeat(width)));
                }
            }
            s.trim_end().to_owned()
        }
        BlockKind::Slide => {
            let mut lines = b.text.lines();
            let first = lines.next().unwrap_or("");
            let rest: Vec<&str> = lines.collect();
            let head = if b.level.is_some() {
                format!("## {}: {first}", capitalise(&b.loc))
            } else {
                format!("## {}\n\n{first}", capitalise(&b.loc))
            };
            if rest.is_empty() {
                head
            } else {
                format!("{head}\n\n{}", rest.join("\n\n"))
            }
        }
        BlockKind::Note | BlockKind::Comment => {
            format!("> **{}:** {}", b.loc, b.text.replace('\n', "\n> "))
        }
        _ => b.text.clone(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
