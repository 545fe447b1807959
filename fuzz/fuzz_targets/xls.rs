//! Fuzzes the .xls reader: any input must give a Document or an error, with
//! no abort, hang, unbounded memory or panic in Deskpilot's own code
//! (library panics are caught by `docs::open`, as in the app).
#![no_main]

use libfuzzer_sys::fuzz_target;

use deskpilot_testkit::guard;

fuzz_target!(|data: &[u8]| {
    if let Err(site) = guard::read_guarded(data, std::path::Path::new("input.xls")) {
        eprintln!("panic in Deskpilot's code at {site}");
        std::process::abort();
    }
});
