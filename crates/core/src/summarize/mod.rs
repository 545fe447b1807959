//! Summaries of whole documents, of any length, every point citing where it
//! came from.
//!
//! The file is cut into passages of a few hundred tokens, each with its
//! locations. If all passages fit the context, one pass summarizes them;
//! otherwise map-reduce: each batch of passages becomes numbered notes,
//! notes are combined level by level until one call can take them all.
//! Every batch is sized with the model's own tokenizer against the context,
//! so nothing of the file is skipped. The model cites passage or note
//! numbers; code checks them ([`cite`]) and carries each point's passages,
//! and so its locations, up to the final points. A point whose numbers,
//! dates, names, negations or changes of state its passages do not contain
//! ([`crate::support`]) is rewritten once from them, then dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::docs::{self, Document};
use crate::llm::{Cancellable, ChatMessage, ChatRequest, Engine, Flow, LlmError, SamplingParams};
use crate::prompts::{PromptError, Prompts, CONSTITUTION};
use crate::support::{self, RewriteError, SupportReport};

use crate::cite::{check, is_planted_instruction, is_repeat, parse_points, words, Said};

/// How the summary reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    KeyPoints,
    Brief,
    Executive,
    Actions,
}

impl Style {
    fn instruction(self, points: usize) -> String {
        match self {
            Style::KeyPoints => {
                format!("{points} key points, one per line, each line starting with \"- \"")
            }
            Style::Brief => "a brief summary of about 3 sentences, each sentence on its own line \
                             starting with \"- \""
                .into(),
            Style::Executive => format!(
                "an executive summary for a busy manager: the main conclusion first, then key \
                 figures, risks and decisions; {points} lines, each starting with \"- \""
            ),
            Style::Actions => "the action items (who should do what, and by when), one per line \
                               starting with \"- \""
                .into(),
        }
    }

    /// The style in words, as a stored request says it.
    pub fn label(self) -> &'static str {
        match self {
            Style::KeyPoints => "key points",
            Style::Brief => "brief",
            Style::Executive => "executive summary",
            Style::Actions => "action items",
        }
    }

    fn default_points(self) -> usize {
        match self {
            Style::Brief => 3,
            Style::Executive => 6,
            _ => 5,
        }
    }
}

/// A summary style the app does not have.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown style {0:?}: key-points, brief, executive, actions")]
pub struct UnknownStyle(pub String);

impl std::str::FromStr for Style {
    type Err = UnknownStyle;
    fn from_str(s: &str) -> Result<Style, UnknownStyle> {
        Ok(match s {
            "key-points" => Style::KeyPoints,
            "brief" => Style::Brief,
            "executive" => Style::Executive,
            "actions" => Style::Actions,
            _ => return Err(UnknownStyle(s.to_owned())),
        })
    }
}

/// What to produce.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    pub style: Style,
    /// Points wanted (default by style).
    pub points: Option<usize>,
    /// Output language; default: the documents'.
    pub language: Option<String>,
    /// Tokens per passage (a citable unit).
    pub passage_tokens: usize,
    /// Most tokens one call may write.
    pub max_tokens: u32,
    /// Check every point's details against its passages (rewrite once,
    /// then drop). Off only to measure what the check changes.
    pub check_support: bool,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            style: Style::KeyPoints,
            points: None,
            language: None,
            passage_tokens: 200,
            max_tokens: 400,
            check_support: true,
        }
    }
}

pub use crate::docs::Source;

/// One point of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub text: String,
    pub sources: Vec<Source>,
}

/// What it cost and what code corrected.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SummaryStats {
    pub model_calls: usize,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub elapsed_ms: f64,
    /// Of `elapsed_ms`, the model's own time: reading prompts, generating.
    pub prompt_ms: f64,
    pub generate_ms: f64,
    /// Citations naming no passage or note, removed.
    pub invalid_citations: usize,
    /// Points that matched no source, dropped as invented.
    pub dropped_points: usize,
    /// True when the last combining step yielded nothing supported and the
    /// summary is made of the notes of the step before.
    pub fallback_to_notes: bool,
    /// Points taken from the notes of the step before the last, where the
    /// last step wrote fewer points than asked for (parts it left out).
    pub points_from_notes: usize,
    /// Points whose numbers, dates, names, negations or changes of state
    /// their passages do not contain: rewritten once from the passage, or
    /// dropped.
    pub unsupported: SupportReport,
}

/// A finished (or cancelled) summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub points: Vec<Point>,
    /// Model calls over the document's passages (map steps; 1 in one pass).
    pub chunks: usize,
    /// Levels: 1 for one pass, then one per reduce level.
    pub passes: usize,
    pub passages: usize,
    pub language: String,
    /// False when cancelled: the points are the notes done so far.
    pub complete: bool,
    pub stats: SummaryStats,
}

impl Summary {
    /// True when the points come from more than one file (each source then
    /// names its file).
    pub fn has_many_files(&self) -> bool {
        let mut files = self
            .points
            .iter()
            .flat_map(|p| p.sources.iter().map(|s| &s.file));
        let first = files.next();
        files.any(|f| Some(f) != first)
    }

    /// The summary as people read it: one point per line with its sources,
    /// `- point [p. 3; p. 4]`.
    pub fn render(&self) -> String {
        let many = self.has_many_files();
        self.points
            .iter()
            .map(|p| {
                let sources = p
                    .sources
                    .iter()
                    .map(|s| {
                        if many {
                            format!("{}, {}", s.file, s.loc)
                        } else {
                            s.loc.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                format!("- {} [{sources}]", p.text)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every source the points cite, once each, in order of first use.
    pub fn citations(&self) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        for s in self.points.iter().flat_map(|p| p.sources.iter()) {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }
}

/// Which part of the work is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Read,
    Map,
    Reduce,
}

/// Progress report: step `step` of about `steps`.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub stage: Stage,
    pub step: usize,
    pub steps: usize,
    pub elapsed_ms: f64,
    /// Time left, from the steps so far; `None` before the first one ends.
    pub eta_ms: Option<f64>,
}

/// Receives progress; answering Stop cancels like the cancel flag.
pub trait SummarySink {
    fn on_progress(&mut self, _progress: &Progress) -> Flow {
        Flow::Continue
    }

    /// The final call's raw text as it is generated (the points before
    /// their citations are checked): a window shows the summary forming.
    fn on_text(&mut self, _text: &str) -> Flow {
        Flow::Continue
    }
}

/// Progress goes nowhere.
pub struct NoProgress;
impl SummarySink for NoProgress {}

#[derive(Debug, thiserror::Error)]
pub enum SummarizeError {
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error("{0}: no text to summarize")]
    Empty(String),
    #[error(
        "the context ({n_ctx} tokens) is too small to summarize in: the instructions alone take \
         {needed}; use a larger --ctx"
    )]
    ContextTooSmall { n_ctx: usize, needed: usize },
}

impl From<RewriteError> for SummarizeError {
    fn from(e: RewriteError) -> Self {
        match e {
            RewriteError::Llm(e) => SummarizeError::Llm(e),
            RewriteError::Prompt(e) => SummarizeError::Prompt(e),
        }
    }
}

/// A citable piece of a document.
#[derive(Debug, Clone)]
struct Passage {
    file: String,
    locs: Vec<String>,
    text: String,
    tokens: usize,
}

impl Passage {
    fn loc(&self) -> String {
        docs::loc_span(&self.locs)
    }
}

/// A point carried between levels, with the passages it rests on.
#[derive(Debug, Clone)]
struct Note {
    text: String,
    passages: Vec<usize>,
}

/// The running state: engine, budget, counters, cancel.
struct Run<'a> {
    engine: &'a Engine,
    cancel: Arc<AtomicBool>,
    sink: &'a mut dyn SummarySink,
    started: Instant,
    steps_done: usize,
    steps_total: usize,
    stats: SummaryStats,
    max_tokens: u32,
    check_support: bool,
    prompts: &'a Prompts,
    language: String,
    /// Whether the call being checked writes the final points: only those
    /// get a model rewrite; an intermediate note that fails is cut back or
    /// dropped (the final points are checked against the passages again).
    final_step: bool,
}

impl Run<'_> {
    fn count(&self, text: &str) -> usize {
        self.engine.count_tokens_or_estimate(text)
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn progress(&mut self, stage: Stage) {
        let elapsed_ms = self.started.elapsed().as_secs_f64() * 1000.0;
        let eta_ms = (self.steps_done > 0).then(|| {
            elapsed_ms / self.steps_done as f64
                * self.steps_total.saturating_sub(self.steps_done) as f64
        });
        let p = Progress {
            stage,
            step: self.steps_done + usize::from(stage != Stage::Read),
            steps: self.steps_total,
            elapsed_ms,
            eta_ms,
        };
        if self.sink.on_progress(&p) == Flow::Stop {
            self.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// One model call; `None` when cancelled.
    fn call(&mut self, prompt: String, last: bool) -> Result<Option<String>, SummarizeError> {
        let sampling = SamplingParams {
            max_tokens: self.max_tokens,
            // Small models loop on their own words without it.
            repeat_penalty: 1.15,
            ..SamplingParams::greedy()
        };
        let request = ChatRequest {
            messages: vec![ChatMessage::system(CONSTITUTION), ChatMessage::user(prompt)],
            sampling,
        };
        let (tx, rx) = std::sync::mpsc::channel();
        // The final call's text goes to this thread, for the caller's sink.
        let text = last.then_some(tx);
        let ticket = self.engine.submit(
            request,
            Box::new(Cancellable {
                inner: move |piece: &str| {
                    if let Some(tx) = &text {
                        let _ = tx.send(piece.to_owned());
                    }
                    Flow::Continue
                },
                cancel: Arc::clone(&self.cancel),
            }),
        );
        // The engine drops the sink when the call ends, closing the channel.
        for piece in rx {
            if self.sink.on_text(&piece) == Flow::Stop {
                self.cancel.store(true, Ordering::Relaxed);
            }
        }
        let done = ticket.wait()?;
        self.stats.model_calls += 1;
        self.stats.prompt_tokens += done.prompt_tokens;
        self.stats.generated_tokens += done.generated_tokens;
        self.stats.prompt_ms += done.prompt_ms;
        self.stats.generate_ms += done.generate_ms;
        self.steps_done += 1;
        tracing::debug!("summary call {}: {:?}", self.stats.model_calls, done.text);
        if self.cancelled() {
            return Ok(None);
        }
        Ok(Some(done.text))
    }

    /// The points of `output` that survive checking against `sources`
    /// (citations to nothing counted, invented points dropped, points whose
    /// details the cited `texts` lack rewritten once or dropped, repeats
    /// of `kept` or of each other left out), with the sources each rests
    /// on. `texts[k]` is the passage text behind source `k`.
    fn checked_points(
        &mut self,
        output: &str,
        sources: &[std::collections::HashSet<String>],
        texts: &[Vec<&str>],
        kept: &[Note],
    ) -> Result<Vec<(String, Vec<usize>)>, SummarizeError> {
        let mut earlier: Vec<_> = kept.iter().map(|n| Said::new(&n.text)).collect();
        let mut out = Vec::new();
        for raw in parse_points(output, sources.len()) {
            let (valid, invalid) = check(&raw, sources);
            self.stats.invalid_citations += invalid;
            if valid.is_empty() {
                self.stats.dropped_points += 1;
                continue;
            }
            if is_planted_instruction(&raw.text) {
                self.stats.dropped_points += 1;
                continue;
            }
            let said = Said::new(&raw.text);
            if is_repeat(&said, &earlier) {
                continue;
            }
            let cited: Vec<&str> = valid
                .iter()
                .flat_map(|&k| texts[k].iter().copied())
                .collect();
            let Some(text) = self.supported(raw.text, &cited)? else {
                continue;
            };
            earlier.push(Said::new(&text));
            out.push((text, valid));
        }
        Ok(out)
    }

    /// The point itself when `passages` contain its details; else the
    /// model's rewrite of it from the passages when that passes the same
    /// check; else `None` (dropped). Each outcome is recorded.
    fn supported(
        &mut self,
        point: String,
        passages: &[&str],
    ) -> Result<Option<String>, SummarizeError> {
        if !self.check_support {
            return Ok(Some(point));
        }
        let with = support::Rewriter {
            engine: self.engine,
            prompts: self.prompts,
            language: &self.language,
            cancel: &self.cancel,
        };
        let (kept, done) = support::keep_supported(
            &with,
            &point,
            passages,
            self.final_step,
            &mut self.stats.unsupported,
        )?;
        if let Some(done) = done {
            self.stats.model_calls += 1;
            self.stats.prompt_tokens += done.prompt_tokens;
            self.stats.generated_tokens += done.generated_tokens;
            self.stats.prompt_ms += done.prompt_ms;
            self.stats.generate_ms += done.generate_ms;
        }
        Ok(kept)
    }

    /// Tokens left for passages or notes in one call whose prompt,
    /// without them, is `empty`.
    fn room(&self, empty: &str) -> Result<usize, SummarizeError> {
        let n_ctx = self.engine.context_size();
        // Chat-template tokens and a margin for tokenizer differences
        // between pieces counted apart and the whole.
        let needed = self.count(CONSTITUTION) + self.count(empty) + 64 + self.max_tokens as usize;
        if needed + 64 > n_ctx {
            return Err(SummarizeError::ContextTooSmall { n_ctx, needed });
        }
        Ok((n_ctx - needed) * 9 / 10)
    }
}

/// Most notes one combining call reads. Small models asked to merge
/// dozens of notes at once write one or two points, or noise; groups of
/// this size keep each step an easy one, at the cost of a few short calls.
const NOTES_PER_CALL: usize = 10;

/// Packs items of the given token sizes into consecutive groups of at
/// most `room` tokens and `max_items` items (an item larger than `room`
/// goes alone).
fn pack(sizes: &[usize], room: usize, max_items: usize) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, &s) in sizes.iter().enumerate() {
        if i > start && (used + s > room || i - start >= max_items) {
            groups.push(start..i);
            start = i;
            used = 0;
        }
        used += s;
    }
    if start < sizes.len() {
        groups.push(start..sizes.len());
    }
    groups
}

/// Summarizes `documents` together. Blocks the calling thread; progress
/// goes to `sink`; setting `cancel` (or the sink answering Stop) ends it
/// early with the notes made so far (`complete: false`).
pub fn summarize(
    engine: &Engine,
    documents: &[Document],
    options: &SummaryOptions,
    prompts: &Prompts,
    sink: &mut dyn SummarySink,
    cancel: Arc<AtomicBool>,
) -> Result<Summary, SummarizeError> {
    let all_text: String = documents
        .iter()
        .flat_map(|d| d.blocks.iter().map(|b| b.text.as_str()))
        .take(200)
        .collect::<Vec<_>>()
        .join("\n");
    let language = options
        .language
        .clone()
        .unwrap_or_else(|| crate::lang::detect_language(&all_text).to_owned());
    let files = documents
        .iter()
        .map(Document::file_name)
        .collect::<Vec<_>>()
        .join(", ");
    let mut run = Run {
        engine,
        cancel,
        sink,
        started: Instant::now(),
        steps_done: 0,
        steps_total: 1,
        stats: SummaryStats::default(),
        max_tokens: options.max_tokens,
        check_support: options.check_support,
        prompts,
        language: language.clone(),
        final_step: false,
    };
    run.progress(Stage::Read);

    // Passages, each with its file and locations.
    let mut passages = Vec::new();
    for doc in documents {
        let file = doc.file_name();
        let chunks = docs::chunk(doc, options.passage_tokens, 0, &mut |t: &str| run.count(t));
        for c in chunks {
            passages.push(Passage {
                file: file.clone(),
                locs: c.locs,
                text: c.text,
                tokens: c.tokens,
            });
        }
    }
    if passages.is_empty() {
        return Err(SummarizeError::Empty(files));
    }
    let several = documents.len() > 1;
    let label = |p: &Passage| {
        if several {
            format!("{}, {}", p.file, p.loc())
        } else {
            p.loc()
        }
    };

    let points_wanted = options
        .points
        .unwrap_or(options.style.default_points())
        .max(1);
    let final_style = options.style.instruction(points_wanted);
    let room = run.room(&prompts.render(
        "summarize-passages.md",
        &[
            ("style", &final_style),
            ("language", &language),
            ("passages", ""),
        ],
    )?)?;
    // Each passage is written as "[n] (loc) text": count the label too.
    let sizes: Vec<usize> = passages
        .iter()
        .map(|p| p.tokens + run.count(&label(p)) + 6)
        .collect();
    let batches = pack(&sizes, room, usize::MAX);
    let passage_words: Vec<_> = passages.iter().map(|p| words(&p.text)).collect();

    let finish = |run: Run, notes: Vec<Note>, chunks: usize, passes: usize, complete: bool| {
        let mut stats = run.stats;
        stats.elapsed_ms = run.started.elapsed().as_secs_f64() * 1000.0;
        let points = notes
            .into_iter()
            .map(|n| {
                let mut sources: Vec<Source> = Vec::new();
                for &i in &n.passages {
                    let p = &passages[i];
                    let s = Source::span(p.file.clone(), &p.locs);
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
                Point {
                    text: n.text,
                    sources,
                }
            })
            .collect();
        Summary {
            points,
            chunks,
            passes,
            passages: passages.len(),
            language: language.clone(),
            complete,
            stats,
        }
    };

    // Map: one call per batch (one call in all when the file fits).
    let single = batches.len() == 1;
    let map_points = if single { points_wanted } else { 4 };
    let map_style = if single {
        final_style.clone()
    } else {
        Style::KeyPoints.instruction(map_points)
    };
    run.steps_total = batches.len() + usize::from(!single);
    let mut notes: Vec<Note> = Vec::new();
    for (b, range) in batches.iter().enumerate() {
        if run.cancelled() {
            return Ok(finish(run, notes, b, 1, false));
        }
        run.progress(Stage::Map);
        let text = range
            .clone()
            .enumerate()
            .map(|(k, i)| format!("[{}] ({}) {}", k + 1, label(&passages[i]), passages[i].text))
            .collect::<Vec<_>>()
            .join("\n\n");
        let prompt = prompts.render(
            "summarize-passages.md",
            &[
                ("style", &map_style),
                ("language", &language),
                ("passages", &text),
            ],
        )?;
        let Some(output) = run.call(prompt, single)? else {
            return Ok(finish(run, notes, b + 1, 1, false));
        };
        let local: Vec<_> = range.clone().map(|i| passage_words[i].clone()).collect();
        let texts: Vec<Vec<&str>> = range
            .clone()
            .map(|i| vec![passages[i].text.as_str()])
            .collect();
        run.final_step = single;
        for (text, valid) in run.checked_points(&output, &local, &texts, &notes)? {
            notes.push(Note {
                text,
                passages: valid.iter().map(|k| range.start + k).collect(),
            });
        }
    }
    let chunks = batches.len();
    if single {
        notes.truncate(points_wanted);
        return Ok(finish(run, notes, chunks, 1, true));
    }

    // Reduce, level by level, until one call takes every note.
    let mut passes = 1;
    loop {
        if notes.is_empty() {
            return Ok(finish(run, notes, chunks, passes, true));
        }
        let note_room = run.room(&prompts.render(
            "summarize-notes.md",
            &[
                ("files", &files),
                ("style", &final_style),
                ("language", &language),
                ("notes", ""),
            ],
        )?)?;
        let sizes: Vec<usize> = notes.iter().map(|n| run.count(&n.text) + 6).collect();
        // Groups of even size: 11 notes go 6 + 5, not 10 + 1.
        let per_call = notes.len().div_ceil(notes.len().div_ceil(NOTES_PER_CALL));
        let groups = pack(&sizes, note_room, per_call);
        let last = groups.len() == 1;
        run.steps_total = run.steps_done + groups.len() + usize::from(!last);
        passes += 1;
        let mut next = Vec::new();
        for group in &groups {
            if run.cancelled() {
                next.extend(notes[group.start..].iter().cloned());
                return Ok(finish(run, next, chunks, passes, false));
            }
            run.progress(Stage::Reduce);
            let style = if last {
                final_style.clone()
            } else {
                Style::KeyPoints.instruction((group.len() / 3).clamp(2, 6))
            };
            let text = group
                .clone()
                .enumerate()
                .map(|(k, i)| format!("[{}] {}", k + 1, notes[i].text))
                .collect::<Vec<_>>()
                .join("\n");
            let prompt = prompts.render(
                "summarize-notes.md",
                &[
                    ("files", &files),
                    ("style", &style),
                    ("language", &language),
                    ("notes", &text),
                ],
            )?;
            let Some(output) = run.call(prompt, last)? else {
                next.extend(notes[group.start..].iter().cloned());
                return Ok(finish(run, next, chunks, passes, false));
            };
            // A note's support is its own text plus its passages' text.
            let local: Vec<_> = group
                .clone()
                .map(|i| {
                    let mut w = words(&notes[i].text);
                    for &p in &notes[i].passages {
                        w.extend(passage_words[p].iter().cloned());
                    }
                    w
                })
                .collect();
            // A note's details are checked against its passages, not
            // against the note (a note is the model's words too).
            let texts: Vec<Vec<&str>> = group
                .clone()
                .map(|i| {
                    notes[i]
                        .passages
                        .iter()
                        .map(|&p| passages[p].text.as_str())
                        .collect()
                })
                .collect();
            run.final_step = last;
            for (text, valid) in run.checked_points(&output, &local, &texts, &next)? {
                let mut from: Vec<usize> = Vec::new();
                for k in valid {
                    for &p in &notes[group.start + k].passages {
                        if !from.contains(&p) {
                            from.push(p);
                        }
                    }
                }
                from.sort_unstable();
                next.push(Note {
                    text,
                    passages: from,
                });
            }
        }
        if next.is_empty() {
            // The combining call produced nothing its notes support (small
            // models sometimes answer with chatter): the notes themselves
            // are the summary, picked evenly so the whole file is covered.
            run.stats.fallback_to_notes = true;
            let picked = spread(&notes, points_wanted);
            return Ok(finish(run, picked, chunks, passes, true));
        }
        if last || next.len() >= notes.len() {
            // Done, or a level that did not shrink (the model wrote as many
            // points as it read): stop rather than loop.
            next.truncate(points_wanted);
            run.stats.points_from_notes = fill_from_notes(&mut next, &notes, points_wanted);
            return Ok(finish(run, next, chunks, passes, true));
        }
        notes = next;
    }
}

/// Where the last step wrote fewer points than wanted, adds notes of the
/// step before that rest on passages no point covers yet (spread evenly,
/// repeats left out), so a summary does not shrink to one line because a
/// small model merged too eagerly. Returns how many were added.
fn fill_from_notes(points: &mut Vec<Note>, notes: &[Note], wanted: usize) -> usize {
    if points.len() >= wanted {
        return 0;
    }
    let covered: std::collections::HashSet<usize> = points
        .iter()
        .flat_map(|n| n.passages.iter().copied())
        .collect();
    let mut earlier: Vec<_> = points.iter().map(|n| Said::new(&n.text)).collect();
    let mut fresh = Vec::new();
    for n in notes {
        if n.passages.iter().any(|p| covered.contains(p)) {
            continue;
        }
        let said = Said::new(&n.text);
        if is_repeat(&said, &earlier) {
            continue;
        }
        earlier.push(said);
        fresh.push(n.clone());
    }
    let added = spread(&fresh, wanted - points.len());
    let count = added.len();
    points.extend(added);
    count
}

/// `n` items spread evenly over `items`, in order.
fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n).map(|i| items[i * items.len() / n].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::{fill_from_notes, pack, spread, Note};

    #[test]
    fn spreading_covers_the_whole_list() {
        assert_eq!(spread(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3), vec![0, 3, 6]);
        assert_eq!(spread(&[1, 2], 5), vec![1, 2]);
    }

    #[test]
    fn packing_keeps_order_and_the_budget() {
        assert_eq!(pack(&[3, 3, 3, 3], 7, 9), vec![0..2, 2..4]);
        assert_eq!(
            pack(&[10, 1], 5, 9),
            vec![0..1, 1..2],
            "an oversized item goes alone"
        );
        assert!(pack(&[], 5, 9).is_empty());
        assert_eq!(
            pack(&[1; 5], 100, 2),
            vec![0..2, 2..4, 4..5],
            "at most 2 each"
        );
    }

    #[test]
    fn a_short_last_step_is_filled_from_notes_on_parts_it_left_out() {
        let note = |text: &str, passages: Vec<usize>| Note {
            text: text.into(),
            passages,
        };
        let notes = vec![
            note("Revenue rose twelve percent in March", vec![0]),
            note("Hiring slowed across every region", vec![1]),
            note("The warehouse moved to Leeds in June", vec![2]),
            note("Costs fell after the supplier change", vec![3]),
        ];
        let mut points = vec![note("Revenue grew and hiring slowed", vec![0, 1])];
        assert_eq!(fill_from_notes(&mut points, &notes, 3), 2);
        let texts: Vec<_> = points.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Revenue grew and hiring slowed",
                "The warehouse moved to Leeds in June",
                "Costs fell after the supplier change"
            ]
        );
        // Enough points already: nothing added.
        assert_eq!(fill_from_notes(&mut points, &notes, 3), 0);
    }
}
