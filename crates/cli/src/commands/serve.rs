//! `deskpilot serve`: the local model as an OpenAI-compatible API on
//! 127.0.0.1, for scripts and editors. Runs until Ctrl-C.

use std::sync::Arc;

use anyhow::{Context, Result};
use deskpilot_core::server::{self, ServeOptions};

use crate::cli::ServeArgs;
use crate::setup;

pub fn run(args: ServeArgs) -> Result<u8> {
    let settings = setup::load_settings()?;
    let config = setup::engine_config(&args.model, &settings, None)?;
    let options = ServeOptions {
        port: args.port,
        token: args.token.clone().filter(|t| !t.is_empty()),
    };
    // Bind first: a port in use is said before the model loads.
    let serving = server::bind(&options).context("starting the API server")?;
    let engine = Arc::new(setup::start_engine(config)?);
    let name = engine.model().map(|m| m.info.name).unwrap_or_default();
    ctrlc::set_handler(|| std::process::exit(0)).context("installing the Ctrl-C handler")?;
    eprintln!(
        "deskpilot: serving {name} at http://{}/v1 (OpenAI-compatible, this computer only{}); Ctrl-C stops",
        serving.addr,
        if options.token.is_some() {
            ", bearer token required"
        } else {
            ""
        }
    );
    server::run(&serving, engine, &options);
    Ok(0)
}
