//! `deskpilot remote`: the saved remote server every session uses unless
//! it chose otherwise, and its API key, which lives in the OS keyring and
//! nowhere else.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context, Result};
use deskpilot_core::config::{RemoteSettings, Settings};
use deskpilot_core::llm::keys;

use crate::cli::RemoteCommand;
use crate::output::line;
use crate::setup;

pub fn run(command: RemoteCommand) -> Result<u8> {
    let path = Settings::default_path().context("finding the settings file")?;
    match command {
        RemoteCommand::Show { json } => {
            let settings = setup::load_settings()?;
            let key = match &settings.remote {
                Some(r) => keys::key_source(&r.url)?,
                None => None,
            };
            if json {
                line(&serde_json::to_string(&serde_json::json!({
                    "remote": settings.remote,
                    "key": key,
                }))?);
            } else {
                match &settings.remote {
                    None => {
                        line("Every session uses this computer's model (no remote server set).")
                    }
                    Some(r) => {
                        line(&format!("Remote server: {}", r.url));
                        line(&format!(
                            "Model: {}",
                            r.model.as_deref().unwrap_or("the first the server lists")
                        ));
                        if let Some(n) = r.n_ctx {
                            line(&format!("Context: {n} tokens"));
                        }
                        line(&match key {
                            Some(source) => format!("API key: kept in {}", source.describe()),
                            None => "API key: none (`deskpilot remote key URL` stores one)".into(),
                        });
                    }
                }
            }
        }
        RemoteCommand::Set { url, model, ctx } => {
            let remote = RemoteSettings::new(&url, model, ctx)?;
            let mut settings = setup::load_settings()?;
            let url = remote.url.clone();
            settings.remote = Some(remote);
            settings.save(&path).context("saving the settings")?;
            eprintln!(
                "Sessions now send their text to {url} (sessions with their own choice excepted; \
                 `deskpilot remote clear` goes back to this computer)."
            );
            if keys::key_source(&url)?.is_none() {
                eprintln!("No API key is stored for it: `deskpilot remote key {url}` adds one.");
            }
        }
        RemoteCommand::Clear => {
            let mut settings = setup::load_settings()?;
            settings.remote = None;
            settings.save(&path).context("saving the settings")?;
            eprintln!("Sessions use this computer's model again.");
        }
        RemoteCommand::Key { url } => {
            let url = RemoteSettings::new(&url, None, None)?.url;
            let key = read_key(&url)?;
            let source = keys::store_remote_key(&url, &key)?;
            eprintln!("The API key for {url} is kept in {}.", source.describe());
        }
        RemoteCommand::ForgetKey { url } => {
            let url = RemoteSettings::new(&url, None, None)?.url;
            if keys::forget_remote_key(&url)? {
                eprintln!("The API key for {url} was removed from the keyring.");
            } else {
                eprintln!("No API key was stored for {url}.");
            }
        }
    }
    Ok(0)
}

/// The key from the terminal without echo, or the first line of stdin.
fn read_key(url: &str) -> Result<String> {
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("API key for {url}: ")).context("reading the key")?
    } else {
        let mut first = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut first)
            .context("reading the key from stdin")?;
        first
    };
    let key = key.trim().to_owned();
    if key.is_empty() {
        bail!("no key given (type it, or pipe it in: `deskpilot remote key URL < keyfile`)");
    }
    Ok(key)
}
