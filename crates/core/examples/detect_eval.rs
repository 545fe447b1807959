//! Evaluates the AI-text detector on labelled texts (`../shared/detect-eval`
//! format: JSON lines `{id, text, label: human|ai, domain, generator}`).
//! Scores every text once with the model (features cached in a JSON-lines
//! file, so a rerun only fits and reports), fits the calibration on one half
//! (pairs with an even number) and reports on the other: AUROC overall, per
//! domain and per generator, and the share of human and machine texts at
//! each verdict level. `--write DIR` saves the fitted calibration files.
//!
//! `--samples` can be given more than once: the sets are pooled. The
//! calibration Deskpilot ships for the model is reported on every text as
//! it stands, and `--by-generator` adds leave-one-generator-out: for each
//! generator, a calibration fitted on every other generator's pairs is
//! reported on that generator's pairs alone, so its figure is for a
//! generator the fit never saw. `--write` saves the fit on the even-numbered
//! pairs of every set, so the odd ones stay held out for the tests.
//!
//! Usage: detect_eval --model PATH --samples FILE [--samples FILE ...]
//!        [--cache FILE] [--write DIR] [--limit N] [--features a,b] [--by-generator]

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use deskpilot_core::detect::{self, Calibration, Features, Level};
use deskpilot_core::llm::{Engine, EngineConfig, ScoreOptions, TextScores};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Sample {
    #[serde(skip)]
    set: String,
    id: String,
    text: String,
    label: String,
    domain: String,
    generator: Option<String>,
}

/// What the cache keeps per text: every token's scores, so features can
/// change without scoring again.
#[derive(Serialize, Deserialize, Clone)]
struct Cached {
    id: String,
    scores: TextScores,
}

#[derive(Clone)]
struct Scored {
    /// The sample file it came from (its stem).
    set: String,
    id: String,
    label: String,
    domain: String,
    generator: Option<String>,
    features: Features,
}

struct Args {
    model: PathBuf,
    samples: Vec<PathBuf>,
    cache: Option<PathBuf>,
    write: Option<PathBuf>,
    limit: usize,
    features: Option<Vec<String>>,
    by_generator: bool,
}

fn parse() -> Result<Args, Box<dyn std::error::Error>> {
    let mut args = Args {
        model: PathBuf::new(),
        samples: Vec::new(),
        cache: None,
        write: None,
        limit: usize::MAX,
        features: None,
        by_generator: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => args.model = value()?.into(),
            "--samples" => args.samples.push(value()?.into()),
            "--by-generator" => args.by_generator = true,
            "--cache" => args.cache = Some(value()?.into()),
            "--write" => args.write = Some(value()?.into()),
            "--features" => args.features = Some(value()?.split(',').map(str::to_owned).collect()),
            "--limit" => args.limit = value()?.parse().map_err(|e| format!("--limit: {e}"))?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if args.model.as_os_str().is_empty() || args.samples.is_empty() {
        return Err("--model PATH and --samples FILE are required".into());
    }
    Ok(args)
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("detect_eval: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("detect_eval: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut samples: Vec<Sample> = Vec::new();
    for file in &args.samples {
        let mut rows: Vec<Sample> = BufReader::new(fs::File::open(file)?)
            .lines()
            .map(|l| Ok::<_, Box<dyn std::error::Error>>(serde_json::from_str(&l?)?))
            .collect::<Result<_, _>>()?;
        rows.truncate(args.limit);
        let set = file
            .parent()
            .and_then(|d| d.file_name())
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for row in &mut rows {
            row.set.clone_from(&set);
        }
        samples.append(&mut rows);
    }
    let cache = args.cache.clone().unwrap_or_else(|| {
        let stem = args.model.file_stem().unwrap_or_default().to_string_lossy();
        std::env::temp_dir().join(format!("detect-eval-{stem}.jsonl"))
    });
    let mut cached: HashMap<String, TextScores> = match fs::File::open(&cache) {
        Ok(f) => BufReader::new(f)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| serde_json::from_str::<Cached>(&l).ok())
            .map(|c| (c.id, c.scores))
            .collect(),
        Err(_) => HashMap::new(),
    };
    let todo: Vec<&Sample> = samples
        .iter()
        .filter(|s| !cached.contains_key(&s.id))
        .collect();
    if !todo.is_empty() {
        eprintln!(
            "scoring {} texts with {} (cache {})",
            todo.len(),
            args.model.display(),
            cache.display()
        );
        let mut config = EngineConfig::new(&args.model);
        config.n_ctx = 2048;
        config.adapt_threads = false;
        let engine = Engine::start(config)?;
        let mut out = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&cache)?;
        let started = Instant::now();
        for (i, s) in todo.iter().enumerate() {
            let scores = engine.score(&s.text, ScoreOptions::default())?;
            let row = Cached {
                id: s.id.clone(),
                scores,
            };
            writeln!(out, "{}", serde_json::to_string(&row)?)?;
            cached.insert(row.id, row.scores);
            if (i + 1) % 50 == 0 {
                eprintln!(
                    "  {} of {} ({:.0} s)",
                    i + 1,
                    todo.len(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    let warm_up: usize = std::env::var("DETECT_WARM_UP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(detect::features::WARM_UP);
    let scored: Vec<Scored> = samples
        .iter()
        .filter_map(|s| {
            let scores = cached.get(&s.id)?;
            Some(Scored {
                set: s.set.clone(),
                id: s.id.clone(),
                label: s.label.clone(),
                domain: s.domain.clone(),
                generator: s.generator.clone(),
                features: detect::features::measure_with(&s.text, scores, warm_up).0,
            })
        })
        .collect();
    report(args, &scored)
}

/// Pairs share their number: `xsum-gpt-j-6B-000-h` and `...-000-a`.
fn pair_number(id: &str) -> Option<u32> {
    id.rsplit('-').nth(1)?.parse().ok()
}

/// The features the detector measures; the calibration uses them and
/// their pairwise products unless `--features` says otherwise.
const FEATURES: [&str; 10] = [
    "discrepancy",
    "mean_log_likelihood",
    "log_rank",
    "entropy",
    "burstiness",
    "top1",
    "top10",
    "top100",
    "log_prob_spread",
    "entropy_spread",
];

fn report(args: &Args, scored: &[Scored]) -> Result<(), Box<dyn std::error::Error>> {
    let info = deskpilot_core::llm::inspect(&args.model)?;
    let is_ai = |s: &Scored| s.label == "ai";
    let (fit_half, test_half): (Vec<&Scored>, Vec<&Scored>) = scored
        .iter()
        .partition(|s| pair_number(&s.id).is_some_and(|n| n.is_multiple_of(2)));
    let labelled = |half: &[&Scored]| -> Vec<(Features, bool)> {
        half.iter().map(|s| (s.features, is_ai(s))).collect()
    };
    // Named by folder and file: every set's file is samples.jsonl.
    let files = args
        .samples
        .iter()
        .map(|f| {
            let name = |p: Option<&std::path::Path>| {
                p.and_then(|p| p.file_name())
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            };
            format!("{}/{}", name(f.parent()), name(Some(f)))
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let described = format!(
        "{} texts of {files} (even-numbered pairs); AUROC on the other {}",
        fit_half.len(),
        test_half.len()
    );
    // By default the ten features and their pairwise products ("a*b").
    let products: Vec<String> = FEATURES
        .iter()
        .enumerate()
        .flat_map(|(i, a)| FEATURES[i..].iter().map(move |b| format!("{a}*{b}")))
        .collect();
    let chosen: Vec<&str> = match &args.features {
        Some(f) => f.iter().map(String::as_str).collect(),
        None => FEATURES
            .iter()
            .copied()
            .chain(products.iter().map(String::as_str))
            .collect(),
    };
    let mut full = Calibration::fit(
        &info.name,
        &info.quantization,
        &chosen,
        &labelled(&fit_half),
        &described,
    );
    let mut generic =
        Calibration::fit("*", "*", &["discrepancy"], &labelled(&fit_half), &described);
    let auc = auroc_of;
    full.holdout_auroc = Some(round3(auc(&full, &test_half)));
    generic.holdout_auroc = Some(round3(auc(&generic, &test_half)));

    println!(
        "model {} ({}), {} texts scored; calibration fitted on {}, reported on {}",
        info.name,
        info.quantization,
        scored.len(),
        fit_half.len(),
        test_half.len()
    );
    println!();
    println!("AUROC on the held-out half (calibrated probability; discrepancy alone):");
    println!(
        "  {:28} {:>5}  {:>6}  {:>6}",
        "group", "texts", "full", "discr."
    );
    let mut groups: BTreeMap<String, Vec<&Scored>> = BTreeMap::new();
    for s in &test_half {
        groups.entry("all".into()).or_default().push(s);
        groups.entry(format!("set {}", s.set)).or_default().push(s);
        groups
            .entry(format!("domain {}", s.domain))
            .or_default()
            .push(s);
        let generator = generator(s);
        groups
            .entry(format!("generator {generator}"))
            .or_default()
            .push(s);
        groups
            .entry(format!("{} / {generator}", s.domain))
            .or_default()
            .push(s);
    }
    for (name, rows) in &groups {
        println!(
            "  {name:28} {:>5}  {:>6.3}  {:>6.3}",
            rows.len(),
            auc(&full, rows),
            auc(&generic, rows)
        );
    }
    println!();
    println!("share of held-out texts at each level (human = false positives above 'unclear'):");
    let levels: Vec<(f64, bool)> = test_half
        .iter()
        .map(|s| (full.probability(&s.features), is_ai(s)))
        .collect();
    print_levels(&levels);
    shipped_report(&info, scored)?;
    if args.by_generator {
        by_generator_report(&info, &chosen, scored);
    }
    println!();
    println!("single-feature AUROC, all texts:");
    for name in FEATURES.iter().chain(&["perplexity", "binoculars"]) {
        let (mut h, mut a) = (Vec::new(), Vec::new());
        for s in scored {
            let v = s.features.get(name).unwrap_or(0.0);
            if is_ai(s) {
                a.push(v)
            } else {
                h.push(v)
            }
        }
        println!("  {name:22} {:.3}", detect::auroc(&h, &a));
    }
    if let Some(dir) = &args.write {
        fs::create_dir_all(dir)?;
        let slug: String = args
            .model
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_lowercase()
            .replace('.', "-");
        for (file, cal) in [
            (format!("{slug}.json"), &full),
            ("generic.json".into(), &generic),
        ] {
            let path = dir.join(file);
            fs::write(&path, serde_json::to_string_pretty(cal)? + "\n")?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// A text's generator; a human text belongs to its pair's through its id.
fn generator(s: &Scored) -> String {
    s.generator.clone().unwrap_or_else(|| generator_of(&s.id))
}

/// AUROC of a calibration's probability over some texts.
fn auroc_of(cal: &Calibration, rows: &[&Scored]) -> f64 {
    let (mut h, mut a) = (Vec::new(), Vec::new());
    for s in rows {
        let p = cal.probability(&s.features);
        if s.label == "ai" {
            a.push(p)
        } else {
            h.push(p)
        }
    }
    detect::auroc(&h, &a)
}

/// Shares of human and machine texts at each verdict level, from
/// (probability, is machine) pairs.
fn print_levels(rows: &[(f64, bool)]) {
    for level in Level::ALL {
        let share = |ai: bool| {
            let total = rows.iter().filter(|r| r.1 == ai).count().max(1);
            let at = rows
                .iter()
                .filter(|r| r.1 == ai && Level::of(r.0) == level)
                .count();
            100.0 * at as f64 / total as f64
        };
        println!(
            "  {:14} human {:5.1}%   machine {:5.1}%",
            level.id(),
            share(false),
            share(true)
        );
    }
}

/// The calibration Deskpilot uses for this model today, on every text.
fn shipped_report(
    info: &deskpilot_core::llm::ModelInfo,
    scored: &[Scored],
) -> Result<(), Box<dyn std::error::Error>> {
    let cal = Calibration::for_model(&info.name, &info.quantization, None)?;
    println!();
    println!(
        "the shipped calibration ({}), on every text:",
        if cal.is_generic() {
            "generic, discrepancy only"
        } else {
            "this model's"
        }
    );
    let mut groups: BTreeMap<String, Vec<&Scored>> = BTreeMap::new();
    for s in scored {
        groups.entry("all".into()).or_default().push(s);
        groups
            .entry(format!("generator {}", generator(s)))
            .or_default()
            .push(s);
    }
    for (name, rows) in &groups {
        println!(
            "  {name:28} {:>5}  {:>6.3}",
            rows.len(),
            auroc_of(&cal, rows)
        );
    }
    let rows: Vec<(f64, bool)> = scored
        .iter()
        .map(|s| (cal.probability(&s.features), s.label == "ai"))
        .collect();
    print_levels(&rows);
    Ok(())
}

/// Leave one generator out: fit on every other generator's pairs, report
/// on this one's, for every generator; then the held-out probabilities
/// pooled, per generator and domain, and at each level.
fn by_generator_report(info: &deskpilot_core::llm::ModelInfo, chosen: &[&str], scored: &[Scored]) {
    let generators: std::collections::BTreeSet<String> = scored.iter().map(generator).collect();
    let mut held: Vec<(&Scored, f64)> = Vec::new();
    println!();
    println!("leave one generator out (fitted without it, reported on its pairs):");
    println!(
        "  {:28} {:>5}  {:>6}",
        "held-out generator", "texts", "AUROC"
    );
    for g in &generators {
        let (out, fit): (Vec<&Scored>, Vec<&Scored>) =
            scored.iter().partition(|s| &generator(s) == g);
        let labelled: Vec<(Features, bool)> =
            fit.iter().map(|s| (s.features, s.label == "ai")).collect();
        let cal = Calibration::fit(&info.name, &info.quantization, chosen, &labelled, "");
        println!("  {g:28} {:>5}  {:>6.3}", out.len(), auroc_of(&cal, &out));
        held.extend(out.iter().map(|s| (*s, cal.probability(&s.features))));
    }
    let pooled = |keep: &dyn Fn(&Scored) -> bool| {
        let (mut h, mut a) = (Vec::new(), Vec::new());
        for (s, p) in held.iter().filter(|(s, _)| keep(s)) {
            if s.label == "ai" {
                a.push(*p)
            } else {
                h.push(*p)
            }
        }
        (h.len() + a.len(), detect::auroc(&h, &a))
    };
    println!("  held-out probabilities pooled, by set of samples (its folder):");
    let sets: std::collections::BTreeSet<&str> = scored.iter().map(|s| s.set.as_str()).collect();
    for set in sets {
        let (n, auc) = pooled(&|s| s.set == set);
        println!("  {set:28} {n:>5}  {auc:>6.3}");
    }
    println!("  held-out probabilities pooled, by domain:");
    let domains: std::collections::BTreeSet<&str> =
        scored.iter().map(|s| s.domain.as_str()).collect();
    let (n, auc) = pooled(&|_| true);
    println!("  {:28} {n:>5}  {auc:>6.3}", "all");
    for d in domains {
        let (n, auc) = pooled(&|s| s.domain == d);
        println!("  {d:28} {n:>5}  {auc:>6.3}");
    }
    println!("  held-out texts at each level:");
    let rows: Vec<(f64, bool)> = held.iter().map(|(s, p)| (*p, s.label == "ai")).collect();
    print_levels(&rows);
}

/// `xsum-gpt-j-6B-000-h` -> `gpt-j-6B`.
fn generator_of(id: &str) -> String {
    let parts: Vec<&str> = id.split('-').collect();
    parts
        .get(1..parts.len().saturating_sub(2))
        .map(|p| p.join("-"))
        .unwrap_or_default()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
