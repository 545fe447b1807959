//! The window benchmark's reference (scripts/bench-window.sh): a bare GTK
//! window holding one WebKit web view with a one-line page, under the same
//! WebKit settings as Deskpilot's window and at its size. What it costs is
//! what any window built on WebKitGTK costs on this machine; the rest of
//! Deskpilot's figure is Deskpilot's own. Prints `loaded` once the page has
//! loaded, then stays open until closed or killed.

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use std::io::Write;
    use webkit2gtk::{LoadEvent, WebView, WebViewExt};

    deskpilot_app::window_env_defaults();
    if let Err(e) = gtk::init() {
        eprintln!("bare_webview: GTK could not start: {e}");
        std::process::exit(1);
    }
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_title("bare WebKitGTK window");
    window.set_default_size(1280, 820);
    let view = WebView::new();
    view.connect_load_changed(|_, event| {
        if event == LoadEvent::Finished {
            let mut out = std::io::stdout();
            let _ = writeln!(out, "loaded");
            let _ = out.flush();
        }
    });
    view.load_html(
        "<!doctype html><meta charset=utf-8><title>bare</title><p>A one-line page.</p>",
        None,
    );
    window.add(&view);
    window.connect_delete_event(|_, _| {
        gtk::main_quit();
        gtk::glib::Propagation::Proceed
    });
    window.show_all();
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("bare_webview: the reference window is WebKitGTK's, on Linux only");
    std::process::exit(1);
}
