//! `deskpilot analyze`: a spreadsheet's tables and their profiles, every
//! figure computed from the cells.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::sheets::exec::show_number;
use deskpilot_core::sheets::{self, ColumnProfile, Kind, TableProfile};
use deskpilot_core::workflow::{self, SheetFile};

use crate::cli::AnalyzeArgs;
use crate::db;
use crate::interrupt::CtrlC;
use crate::output::line;
use crate::setup;

fn show_column(c: &ColumnProfile) -> String {
    let unit = |v: f64| match (c.kind, &c.currency) {
        (Kind::Currency, Some(sym)) => format!("{sym}{}", show_number(v)),
        (Kind::Percent, _) => format!("{}%", show_number(v * 100.0)),
        _ => show_number(v),
    };
    let mut facts = vec![format!("{} values", c.count)];
    if c.missing > 0 {
        facts.push(format!("{} missing", c.missing));
    }
    if let (Some(sum), Some(mean), Some(median), Some(min), Some(max)) =
        (c.sum, c.mean, c.median, c.min, c.max)
    {
        if c.kind != Kind::Percent {
            facts.push(format!("sum {}", unit(sum)));
        }
        facts.push(format!("mean {}", unit(mean)));
        facts.push(format!("median {}", unit(median)));
        facts.push(format!("min {}", unit(min)));
        facts.push(format!("max {}", unit(max)));
        if let Some(sd) = c.std_dev {
            facts.push(format!("sd {}", unit(sd)));
        }
    }
    if let Some((a, b)) = &c.date_range {
        facts.push(format!("{a} to {b}"));
    }
    if !c.top.is_empty() {
        facts.push(format!("{} distinct", c.distinct));
        let top: Vec<String> = c.top.iter().map(|(v, n)| format!("{v} {n}")).collect();
        facts.push(format!("top: {}", top.join(", ")));
    } else if c.kind == Kind::Identifier {
        facts.push(format!("{} distinct", c.distinct));
    }
    if c.formula_cells > 0 {
        facts.push(format!("{} from formulas (cached values)", c.formula_cells));
    }
    let kind = sheets::profile::kind_words(c.kind);
    format!(
        "  {:<20} {:<12} {}  [{}]",
        c.name,
        kind,
        facts.join(", "),
        c.range
    )
}

pub fn render(file: &str, t: &TableProfile) -> String {
    let mut out = String::new();
    let title = t
        .title
        .as_ref()
        .map(|s| format!(" \"{s}\""))
        .unwrap_or_default();
    out.push_str(&format!(
        "{file}, sheet {}{title}: {}, {} rows, {} columns\n",
        t.sheet,
        t.range,
        t.rows,
        t.columns.len()
    ));
    for c in &t.columns {
        out.push_str(&show_column(c));
        out.push('\n');
    }
    for issue in &t.issues {
        out.push_str(&format!("  issue: {issue}\n"));
    }
    for note in &t.notes {
        out.push_str(&format!("  note under the table: {note}\n"));
    }
    out
}

pub fn run(args: AnalyzeArgs, db_flag: Option<&Path>) -> Result<u8> {
    if let Some(question) = &args.ask {
        return ask(&args, question, db_flag);
    }
    let settings = setup::load_settings()?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let wb = sheets::open(&args.file, args.sheet.as_deref(), &limits)
        .with_context(|| format!("analyzing {}", args.file.display()))?;
    if let Some(out) = &args.chart {
        let name = args
            .column
            .as_deref()
            .context("--chart without --ask needs --column NAME")?;
        let chart = wb
            .tables
            .iter()
            .find_map(|t| sheets::chart::for_column(t, name))
            .with_context(|| format!("{}: no column named '{name}'", args.file.display()))?;
        write_chart(out, &chart)?;
        return Ok(0);
    }
    let profile = sheets::profile(&wb);
    if args.json {
        line(&serde_json::to_string(&profile).context("encoding JSON")?);
        return Ok(0);
    }
    let shown: Vec<String> = profile
        .tables
        .iter()
        .map(|t| render(&profile.file, t))
        .collect();
    line(shown.join("\n").trim_end());
    for w in &profile.warnings {
        eprintln!("deskpilot: note: {w}");
    }
    Ok(0)
}

fn write_chart(out: &Path, chart: &sheets::chart::Chart) -> Result<()> {
    std::fs::write(out, sheets::chart::svg(chart))
        .with_context(|| format!("writing the chart to {}", out.display()))?;
    eprintln!("deskpilot: chart written to {}", out.display());
    Ok(())
}

/// `--ask`: the question is kept in a session before anything runs; the
/// file is read through the store (cached by content); the plan, the
/// computed result and the answer are kept as an analysis.
fn ask(args: &AnalyzeArgs, question: &str, db_flag: Option<&Path>) -> Result<u8> {
    let settings = setup::load_settings()?;
    let limits = settings.document_limits.clone().unwrap_or_default();
    let db = db::open(db_flag)?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let session = db
        .run(
            db.store
                .create_session(&format!("Analyze {file_name}: {question}"), None),
        )
        .context("starting a session")?;
    db.run(workflow::say(&db.store, Some(session), question, None))
        .context("saving the question")?;
    let (document, doc) = db
        .run(db.store.open_document(session, &args.file, &limits))
        .with_context(|| format!("reading {}", args.file.display()))?;
    let wb = Arc::new(
        sheets::workbook(&doc, args.sheet.as_deref())
            .with_context(|| format!("analyzing {}", args.file.display()))?,
    );
    let engine = if args.no_model {
        None
    } else {
        let config = setup::engine_config(&args.model, &settings, None)?;
        // The planner sees the table's column names: part of the file.
        setup::confirm_files(&db, &config, &[args.file.as_path()], args.model.send_files)?;
        Some(Arc::new(setup::start_engine(config)?))
    };
    let ctrlc = CtrlC::install()?;
    let cancel = ctrlc.job();
    let sheet = SheetFile {
        document,
        file_name: file_name.clone(),
        workbook: Arc::clone(&wb),
    };
    let result = db.run(workflow::ask_sheet(
        &db.store, engine, session, sheet, question, cancel,
    ));
    ctrlc.idle();
    let done = result.with_context(|| format!("answering about {}", args.file.display()))?;
    let reply = done.reply;
    let Some(answer) = done.answer else {
        // Not answered: the reading is kept in the session, and said.
        let message = done.declined.unwrap_or_default();
        if args.json {
            let v = serde_json::json!({
                "answered": false,
                "value": null,
                "understood": reply.reading.understood,
                "unmatched": reply.reading.unmatched,
                "alternatives": reply.reading.alternatives,
                "answer": message,
                "table": wb.tables[reply.table].range,
                "model_plan": reply.model_plan,
                "session": session,
            });
            line(&serde_json::to_string(&v)?);
            return Ok(0);
        }
        anyhow::bail!("{}: {message}", args.file.display());
    };
    let (index, by, model_plan) = (
        reply.table,
        reply.planned_by.unwrap_or(sheets::PlannedBy::Phrase),
        reply.model_plan.clone(),
    );
    let table = &wb.tables[index];
    let mut chart_written = None;
    if let Some(out) = &args.chart {
        match sheets::chart::for_answer(table, &answer) {
            Some(chart) => {
                write_chart(out, &chart)?;
                chart_written = Some(out.display().to_string());
            }
            None => eprintln!("deskpilot: note: this answer is one value; no chart written"),
        }
    }
    // The answer was kept before the copy is written: a copy that cannot
    // be written costs the copy, not the answer.
    let shown = answer.render(&table.range);
    let written = match &args.write_back {
        Some(out) => {
            let w = sheets::writeback::write_back(
                &args.file, &doc, table, &answer, question, out, &limits,
            )
            .with_context(|| format!("writing the analysis of {}", args.file.display()))?;
            eprintln!(
                "deskpilot: analysis written to {} (sheet '{}': {} formula{}{}{})",
                w.out.display(),
                w.sheet,
                w.formulas,
                if w.formulas == 1 { "" } else { "s" },
                if w.chart { ", a chart" } else { "" },
                if w.as_values.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} result(s) as values: see the sheet's notes",
                        w.as_values.len()
                    )
                }
            );
            Some(w)
        }
        None => None,
    };
    if args.json {
        let mut v = serde_json::to_value(&answer).context("encoding JSON")?;
        // The issue's names for what the answer's own fields hold.
        v["answer"] = answer.sentence.clone().into();
        v["value"] = answer.value();
        v["explanation"] = answer.working.clone().into();
        v["chart"] = chart_written.into();
        v["write_back"] = serde_json::to_value(&written)?;
        v["table"] = table.range.clone().into();
        v["planned_by"] = serde_json::to_value(by)?;
        v["answered"] = true.into();
        v["understood"] = reply.reading.understood.clone().into();
        v["unmatched"] = serde_json::to_value(&reply.reading.unmatched)?;
        v["model_plan"] = serde_json::to_value(&model_plan)?;
        v["session"] = session.into();
        line(&serde_json::to_string(&v)?);
    } else {
        line(&shown);
        let who = match by {
            sheets::PlannedBy::Model => "the model (its plan checked against the table)",
            sheets::PlannedBy::Phrase => "the phrase reader",
        };
        line(&format!(
            "  planned by {who}; every number computed from the cells"
        ));
    }
    eprintln!("deskpilot: kept in session {session}");
    Ok(0)
}
