//! `deskpilot models pull ID|URL`: a catalog model or any GGUF file on
//! Hugging Face (or `HF_ENDPOINT`'s mirror) into the models folder, with a
//! progress bar; Ctrl-C pauses (the part is kept) and the same command
//! resumes.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use deskpilot_core::config;
use deskpilot_core::models;
use deskpilot_core::models::download::{self, human_bytes, DownloadError, Progress, Stage};
use deskpilot_core::models::hub::{self, HubFile};

use crate::output::line;

pub fn run(what: &str, use_it: bool, json: bool) -> Result<u8> {
    let catalog = models::catalog().context("reading the model catalog")?;
    let hub = HubFile::parse(what, &catalog, &hub::endpoint_from_env())?;
    let dir = config::models_dir().context("finding the models folder")?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("installing the Ctrl-C handler")?;
    let mut bar = Bar::new();
    // Said once the hub has answered, so a refusal stays one line.
    let mut announced = json;
    let result = download::pull(&hub, &dir, &download::Options::default(), &mut |p| {
        if !announced {
            eprintln!(
                "Fetching {} from {} into {}",
                hub.file,
                hub.page(),
                dir.display()
            );
            announced = true;
        }
        if !json {
            bar.draw(p);
        }
        !stop.load(Ordering::SeqCst)
    });
    bar.end();
    let pulled = match result {
        Ok(p) => p,
        Err(e @ DownloadError::Paused { .. }) => {
            eprintln!("deskpilot: {e}");
            return Ok(130);
        }
        Err(e) => return Err(e).with_context(|| format!("pulling {what}")),
    };
    let name = pulled
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let chosen = if use_it {
        Some(super::models::choose(&pulled.path)?)
    } else {
        None
    };
    if json {
        line(&serde_json::to_string_pretty(&pulled).context("encoding JSON")?);
        return Ok(0);
    }
    if pulled.already_here {
        line(&format!(
            "{} is already in the models folder ({})",
            name,
            human_bytes(pulled.size)
        ));
    } else {
        line(&format!(
            "Saved {} ({}{}; sha256 {}{})",
            pulled.path.display(),
            human_bytes(pulled.size),
            if pulled.resumed_from > 0 {
                format!(", resumed at {}", human_bytes(pulled.resumed_from))
            } else {
                String::new()
            },
            pulled.sha256,
            if pulled.verified {
                ", checked against the hub's record"
            } else {
                "; the hub gave no checksum to check against"
            }
        ));
    }
    match chosen {
        Some((readable, settings)) => line(&format!(
            "Using {readable} from now on; saved in {}",
            settings.display()
        )),
        None => line(&format!("Use it from now on: deskpilot models use {name}")),
    }
    Ok(0)
}

/// The progress line: redrawn in place on a terminal, a line every tenth
/// (and on each change of stage) otherwise.
struct Bar {
    tty: bool,
    drawn: bool,
    last_tenth: Option<u64>,
    last_stage: Option<Stage>,
    last_line: Instant,
}

impl Bar {
    fn new() -> Self {
        Bar {
            tty: std::io::stderr().is_terminal(),
            drawn: false,
            last_tenth: None,
            last_stage: None,
            last_line: Instant::now(),
        }
    }

    fn draw(&mut self, p: &Progress) {
        let text = describe(p);
        if self.tty {
            eprint!("\r{text:<100}");
            let _ = std::io::stderr().flush();
            self.drawn = true;
            return;
        }
        let tenth = p.total.filter(|t| *t > 0).map(|t| p.done * 10 / t);
        let stage_changed = self.last_stage != Some(p.stage);
        let timely = self.last_line.elapsed() > Duration::from_secs(30);
        if stage_changed || (tenth.is_some() && tenth != self.last_tenth) || timely {
            eprintln!("{text}");
            self.last_tenth = tenth;
            self.last_stage = Some(p.stage);
            self.last_line = Instant::now();
        }
    }

    fn end(&mut self) {
        if self.drawn {
            eprintln!();
            self.drawn = false;
        }
    }
}

/// `  34%  [#######.............]  160.2 MiB of 468.6 MiB  12.3 MiB/s  0:25 left`
fn describe(p: &Progress) -> String {
    let of = p
        .total
        .map_or(String::new(), |t| format!(" of {}", human_bytes(t)));
    match p.stage {
        Stage::Resuming => format!(
            "resuming: checking the {} fetched before",
            human_bytes(p.done)
        ),
        Stage::Verifying => format!("checking the sha256 of {}", human_bytes(p.done)),
        Stage::Retrying => format!(
            "the connection dropped at {}{}; trying again (try {})",
            human_bytes(p.done),
            of,
            p.attempt + 1
        ),
        Stage::Downloading => {
            let (pct, bar) = match p.total.filter(|t| *t > 0) {
                Some(t) => {
                    let filled = (p.done * 20 / t) as usize;
                    (
                        format!("{:>3}%", p.done * 100 / t),
                        format!(
                            "[{}{}]",
                            "#".repeat(filled),
                            ".".repeat(20 - filled.min(20))
                        ),
                    )
                }
                None => (String::new(), String::new()),
            };
            let left = p.seconds_left.map_or(String::new(), |s| {
                let s = s.round() as u64;
                format!("  {}:{:02} left", s / 60, s % 60)
            });
            format!(
                "{pct}  {bar}  {}{}  {}/s{left}",
                human_bytes(p.done),
                of,
                human_bytes(p.bytes_per_sec as u64)
            )
        }
    }
}
