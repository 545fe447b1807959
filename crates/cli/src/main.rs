//! `deskpilot`: the command line over deskpilot-core. Glue only: parse,
//! call the core, print; every error becomes one line
//! `deskpilot: <what failed>: <cause>` and exit status 2.

mod cli;
mod commands;
mod db;
mod interrupt;
mod output;
mod setup;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use cli::{Cli, Command, ModelsCommand};

fn main() -> ExitCode {
    // Started as the model process (see deskpilot_core::llm::process)?
    deskpilot_core::llm::run_if_model_process();
    quiet_panics();
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Command::Ask(args) => commands::ask::run(args, cli.db.as_deref()),
        Command::Chat(args) => commands::chat::run(args, cli.db.as_deref()),
        Command::Analyze(args) => commands::analyze::run(args, cli.db.as_deref()),
        Command::Serve(args) => commands::serve::run(args),
        Command::Detect(args) => commands::detect::run(args, cli.db.as_deref()),
        Command::Draft(args) => commands::draft::run(args, cli.db.as_deref()),
        Command::Rewrite(args) => commands::draft::rewrite(args, cli.db.as_deref()),
        Command::Edit(args) => commands::edit::run(args, cli.db.as_deref()),
        Command::Templates { json } => commands::draft::templates(json),
        Command::Summarize(args) => commands::summarize::run(args, cli.db.as_deref()),
        Command::Sessions { command } => commands::sessions::run(command, cli.db.as_deref()),
        Command::Remote { command } => commands::remote::run(command),
        Command::Extract(args) => commands::extract::run(&args),
        Command::Models { command } => match command {
            ModelsCommand::List { json } => commands::models::list(json),
            ModelsCommand::Info { path, json } => commands::models::info(&path, json),
            ModelsCommand::Use { model, detector } => {
                if detector {
                    commands::models::use_for_detector(&model)
                } else {
                    commands::models::use_model(&model)
                }
            }
            ModelsCommand::Catalog {
                fits,
                ram,
                vram,
                json,
            } => commands::models::catalog(fits, ram, vram, json),
            ModelsCommand::Pull { model, r#use, json } => commands::pull::run(&model, r#use, json),
            ModelsCommand::Rm { model } => commands::models::rm(&model),
            ModelsCommand::Import { dir } => commands::models::import(&dir),
        },
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("deskpilot: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// `what failed: cause: cause...`, leaving out a cause whose text the
/// message already carries (core errors name their own cause).
fn one_line(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg.replace('\n', " ")
}

/// llama.cpp and the engine log through `tracing`: silent by default, shown
/// with -v. `DESKPILOT_LOG` takes a full filter for debugging.
fn init_logging(verbose: u8) {
    let filter = std::env::var("DESKPILOT_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| {
            EnvFilter::new(match verbose {
                // Only our own warnings: libraries' chatter (llama.cpp,
                // calamine) stays out of the user's terminal.
                0 => "off,deskpilot=warn,deskpilot_core=warn",
                1 => "info",
                _ => "debug",
            })
        });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbose > 1)
        .init();
}

/// No Rust panic text or backtrace reaches the user: one line, status 2.
/// Panics on the model thread are caught there and reported per request.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        // The model thread and document readers catch their own panics
        // and report them as errors of that request or file.
        if std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("deskpilot-"))
        {
            tracing::debug!("caught panic: {info}");
            return;
        }
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        eprintln!("deskpilot: internal error: {msg}");
        std::process::exit(2);
    }));
}
