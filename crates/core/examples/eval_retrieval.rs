//! How well passages are found for a question: BM25 alone against BM25
//! fused with the model's embeddings (what `ask` does), on real text.
//!
//! Data: the human texts of `../shared/detect-eval` (BBC news and
//! Wikipedia paragraphs) become one Markdown file, a section each. Each
//! machine-written text there continues the first words of its human pair
//! in other words; with the shared opening removed, its next words are the
//! query, and the passage it should find is its pair's section: the same
//! subject, told differently. For every query both rankings are scored by
//! reciprocal rank of the right section (MRR) and by whether it is among
//! the six passages `ask` puts into the prompt.
//!
//! Usage: eval_retrieval --model PATH --samples FILE [--limit N] [--words N]
//!        [--embed-tokens N]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use deskpilot_core::ask::{chunker_key, index_documents, rank_by_meaning, AskOptions};
use deskpilot_core::docs::Limits;
use deskpilot_core::llm::{Engine, EngineConfig};
use deskpilot_core::store::Store;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (mut model, mut samples, mut limit, mut words) = (None, None, 200usize, 40usize);
    let mut options = AskOptions::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next().map(PathBuf::from),
            "--samples" => samples = args.next().map(PathBuf::from),
            "--limit" => limit = args.next().ok_or("--limit N")?.parse()?,
            "--words" => words = args.next().ok_or("--words N")?.parse()?,
            "--embed-tokens" => {
                options.embed_tokens = args.next().ok_or("--embed-tokens N")?.parse()?
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let (model, samples) = (
        model.ok_or("--model PATH")?,
        samples.ok_or("--samples FILE")?,
    );

    // Human texts by pair id, and the machine continuation of each.
    let mut human: Vec<(String, String)> = Vec::new();
    let mut machine: Vec<(String, String)> = Vec::new();
    for line in std::fs::read_to_string(&samples)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if v["domain"] == "writing" {
            continue;
        }
        let id = v["id"].as_str().unwrap_or_default();
        let pair = id.rsplit_once('-').map_or(id, |(p, _)| p).to_owned();
        let text = v["text"].as_str().unwrap_or_default().to_owned();
        match v["label"].as_str() {
            Some("human") => human.push((pair, text)),
            Some("ai") => machine.push((pair, text)),
            _ => {}
        }
    }
    // Sections, one per distinct human text.
    let mut sections: Vec<String> = Vec::new();
    let mut section_of = std::collections::HashMap::new();
    for (pair, text) in &human {
        let k = match sections.iter().position(|t| t == text) {
            Some(k) => k,
            None => {
                sections.push(text.clone());
                sections.len() - 1
            }
        };
        section_of.insert(pair.clone(), k);
    }
    let mut queries: Vec<(String, usize)> = Vec::new();
    for (pair, text) in &machine {
        let (Some(&k), Some((_, h))) =
            (section_of.get(pair), human.iter().find(|(p, _)| p == pair))
        else {
            continue;
        };
        let (hw, mw): (Vec<&str>, Vec<&str>) = (
            h.split_whitespace().collect(),
            text.split_whitespace().collect(),
        );
        let shared = hw.iter().zip(&mw).take_while(|(a, b)| a == b).count();
        let rest: Vec<&str> = mw.iter().skip(shared).take(words).copied().collect();
        if rest.len() >= words / 2 {
            queries.push((rest.join(" "), k));
        }
    }
    queries.truncate(limit);

    let dir = std::env::temp_dir().join(format!("deskpilot-eval-retrieval-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("passages.md");
    let md: String = sections
        .iter()
        .enumerate()
        .map(|(i, t)| format!("# Item {}\n\n{t}\n\n", i + 1))
        .collect();
    std::fs::write(&file, md)?;

    let mut config = EngineConfig::new(&model);
    config.n_ctx = 2048;
    config.adapt_threads = false;
    let engine = Engine::start(config)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let idle = Arc::new(AtomicBool::new(false));
    let (mut bm25, mut fused) = (Tally::default(), Tally::default());
    let started = Instant::now();
    rt.block_on(async {
        let store = Store::open(&dir.join("eval.sqlite3")).await?;
        let session = store.create_session("retrieval eval", None).await?;
        let opened = store
            .open_document(session, &file, &Limits::default())
            .await?;
        let docs = vec![opened];
        index_documents(&engine, &store, &docs, options.passage_tokens).await?;
        let key = chunker_key(&engine, options.passage_tokens);
        let ids = [docs[0].0];
        for (i, (q, k)) in queries.iter().enumerate() {
            // Sections are numbered as they come: `§12 Item 12 ¶1`.
            let want = format!("§{} ", k + 1);
            // A chunk is right when its first or last block is in the section.
            let is_right = |locs: &[String]| {
                [locs.first(), locs.last()]
                    .into_iter()
                    .flatten()
                    .any(|l| l.starts_with(&want))
            };
            let found = store
                .retrieve_chunks(q, &ids, &key, options.passages * 3)
                .await?;
            let loc = |c: &deskpilot_core::store::RetrievedChunk| c.chunk.locs.clone();
            bm25.add(found.iter().position(|c| is_right(&loc(c))));
            let ranked = rank_by_meaning(&engine, &store, q, found, &options, &idle).await?;
            fused.add(ranked.chunks.iter().position(|c| is_right(&loc(c))));
            if (i + 1) % 25 == 0 {
                eprintln!(
                    "{}/{}: BM25 MRR {:.3}, fused {:.3} ({:.0} s)",
                    i + 1,
                    queries.len(),
                    bm25.mrr(),
                    fused.mrr(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Ok::<_, Error>(())
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{} queries over {} passages ({} words of each machine continuation; \
         passages embedded by their first {} tokens), {:.0} s",
        queries.len(),
        sections.len(),
        words,
        options.embed_tokens,
        started.elapsed().as_secs_f64()
    );
    println!("| ranking | MRR (top 18) | right passage in the top 6 | first |");
    println!("|---|---|---|---|");
    for (name, t) in [("BM25", &bm25), ("BM25 + embeddings (RRF)", &fused)] {
        println!(
            "| {name} | {:.3} | {:.1}% | {:.1}% |",
            t.mrr(),
            t.share(6),
            t.share(1)
        );
    }
    Ok(())
}

/// Ranks of the right passage (None: not among the candidates).
#[derive(Default)]
struct Tally(Vec<Option<usize>>);

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.0.push(rank);
    }
    fn mrr(&self) -> f64 {
        let n = self.0.len().max(1) as f64;
        self.0
            .iter()
            .flatten()
            .map(|r| 1.0 / (r + 1) as f64)
            .sum::<f64>()
            / n
    }
    fn share(&self, top: usize) -> f64 {
        let n = self.0.len().max(1) as f64;
        100.0 * self.0.iter().flatten().filter(|&&r| r < top).count() as f64 / n
    }
}
