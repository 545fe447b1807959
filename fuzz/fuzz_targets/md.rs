//! Fuzzes the .md reader: any input must give a Document or an error, never
//! a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = deskpilot_core::docs::Limits {
        max_seconds: 10,
        ..Default::default()
    };
    let _ = deskpilot_core::docs::parse(data, std::path::Path::new("input.md"), &limits);
});
