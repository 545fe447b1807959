//! Reads input the way `docs::open` does, panics caught, but tells a panic
//! in Deskpilot's own code (a bug to fix) from one inside a library such as
//! calamine or pdf-extract (which `open` turns into a "damaged" error, by
//! design). Shared by the fuzz targets and the regression test.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use deskpilot_readers::{parse, Limits};

thread_local! {
    static SITE: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Replaces any hook that would abort on a caught panic (libFuzzer's).
        std::panic::set_hook(Box::new(|info| {
            let site = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            SITE.with(|s| *s.borrow_mut() = Some(site));
        }));
    });
}

/// `Err(site)` when the reader panicked in our own code.
pub fn read_guarded(bytes: &[u8], name: &Path) -> Result<(), String> {
    install_hook();
    let limits = Limits {
        max_seconds: 10,
        ..Limits::default()
    };
    SITE.with(|s| *s.borrow_mut() = None);
    if catch_unwind(AssertUnwindSafe(|| parse(bytes, name, &limits))).is_ok() {
        return Ok(());
    }
    let site = SITE.with(|s| s.borrow_mut().take()).unwrap_or_default();
    let in_library = site.contains("/.cargo/registry/") || site.starts_with("/rustc/");
    if in_library {
        Ok(())
    } else {
        Err(site)
    }
}
