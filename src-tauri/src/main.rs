//! `deskpilot-app`: the desktop window. Files named on the command line are
//! opened at start; `--model PATH` picks the model.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Started as the model process (see deskpilot_core::llm::process)?
    deskpilot_core::llm::run_if_model_process();
    std::process::exit(deskpilot_app::run());
}
