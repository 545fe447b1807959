//! A check of the architecture, run with the unit tests: no two parts of
//! the core import each other (directly or through others). A part is a
//! top-level module, or one level below in `llm` and `sheets`; a module and
//! its own submodules count as one. ARCHITECTURE.md draws the order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the crate by its path (`llm::engine`), with its source
/// (test modules cut off).
fn modules(src: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(base).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .iter()
                    .map(|c| c.to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                if parts == ["lib"] {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(i) => text[..i].to_owned(),
                    None => text,
                };
                out.insert(parts.join("::"), text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The part a module belongs to.
fn part(module: &str) -> String {
    let p: Vec<&str> = module.split("::").collect();
    match p.as_slice() {
        [top @ ("llm" | "sheets"), sub, ..] => format!("{top}::{sub}"),
        [top, ..] => (*top).to_owned(),
        [] => String::new(),
    }
}

/// Which parts each part names (`crate::x::...`, `super::x`).
fn edges(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let names: BTreeSet<&str> = mods.keys().map(String::as_str).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in mods {
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let own: Vec<&str> = m.split("::").collect();
        let mut named = BTreeSet::new();
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .filter(|w| w.contains("::"))
            .collect();
        for w in words {
            let segs: Vec<&str> = w.split("::").filter(|s| !s.is_empty()).collect();
            let (base, rest): (Vec<&str>, &[&str]) = match segs.first() {
                Some(&"crate") => (Vec::new(), &segs[1..]),
                Some(&"super") => {
                    let ups = segs.iter().take_while(|s| **s == "super").count();
                    // A mod.rs's `super` is its parent's parent in path terms.
                    let depth = own.len().saturating_sub(ups);
                    (own[..depth].to_vec(), &segs[ups..])
                }
                _ => continue,
            };
            for k in (1..=rest.len()).rev() {
                let mut cand = base.clone();
                cand.extend_from_slice(&rest[..k]);
                let cand = cand.join("::");
                if names.contains(cand.as_str()) {
                    named.insert(cand);
                    break;
                }
            }
        }
        let from = part(m);
        for n in named {
            let to = part(&n);
            let nested =
                to.starts_with(&format!("{from}::")) || from.starts_with(&format!("{to}::"));
            if to != from && !nested {
                out.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    out
}

/// The parts that reach themselves again, as loops.
fn loops(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start in g.keys() {
        // Depth-first from `start`, looking for a way back to it.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in g.get(&at).into_iter().flatten() {
                if next == start {
                    found.push(path.clone());
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

#[test]
fn no_two_parts_of_the_core_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    assert!(mods.contains_key("llm::engine") && mods.contains_key("workflow::chat"));
    let g = edges(&mods);
    // The check sees the imports it should: the workflows use the store.
    assert!(g["workflow"].contains("store"), "{g:?}");
    let found = loops(&g);
    assert!(found.is_empty(), "parts importing each other: {found:?}");
}
