//! The window's commands through Tauri's mock runtime, with the real
//! capabilities, the real store and the default model: every command is
//! registered and granted, the page can call nothing else, and the main
//! commands do what the page relies on.

use std::path::{Path, PathBuf};

use deskpilot_app::command_names::COMMANDS;
use deskpilot_app::{build_app, context, AppOptions};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn model() -> PathBuf {
    let path = std::env::var_os("DESKPILOT_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| deskpilot_core::config::default_model_path().expect("a data folder"));
    assert!(
        path.is_file(),
        "the default model {} is missing: run `scripts/setup.sh --test`",
        path.display()
    );
    path
}

fn sample() -> PathBuf {
    Path::new(ROOT).join("../assets/samples/sales.xlsx")
}

/// An app over a fresh data folder; short greedy replies keep tests quick.
fn start(files: Vec<PathBuf>, load_model: bool) -> TestApp {
    start_with(files, load_model, None)
}

fn start_with(files: Vec<PathBuf>, load_model: bool, remote: Option<String>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("settings.json"),
        json!({"n_ctx": 2048, "sampling": {"temperature": 0.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0,
            "repeat_penalty": 1.0, "repeat_last_n": 64, "seed": 1, "max_tokens": 24, "stop": []}})
        .to_string(),
    )
    .unwrap();
    let options = AppOptions {
        data_dir: data,
        db: dir.path().join("sessions.sqlite3"),
        model: Some(model()),
        files,
        remote,
        load_model,
        // The app's own binary serves as the model process (this test
        // binary is a test harness).
        model_process: Some(PathBuf::from(env!("CARGO_BIN_EXE_deskpilot-app"))),
    };
    let app = build_app(mock_builder(), context(), options).expect("the app builds");
    // The window of tauri.conf.json, as running the app would create it.
    let config = app.config().app.windows[0].clone();
    let window = WebviewWindowBuilder::from_config(app.handle(), &config)
        .unwrap()
        .build()
        .expect("the main window");
    TestApp {
        _app: app,
        window,
        _dir: dir,
    }
}

/// Calls a command as the page does; `Err` carries the `{code, message}`
/// (or Tauri's own refusal).
fn invoke(t: &TestApp, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &t.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn code(e: &Value) -> &str {
    e["code"].as_str().unwrap_or_default()
}

#[test]
fn every_command_is_registered_and_granted_to_the_main_window() {
    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let handler = &lib[lib.find("generate_handler![").unwrap()..];
    let handler = &handler[..handler.find("])").unwrap()];
    let registered: Vec<&str> = handler
        .split(',')
        .filter_map(|s| s.trim().rsplit("::").next())
        .filter(|s| !s.is_empty() && !s.contains('['))
        .collect();
    let mut listed: Vec<&str> = COMMANDS.to_vec();
    listed.sort_unstable();
    let mut reg = registered.clone();
    reg.sort_unstable();
    assert_eq!(listed, reg, "command_names.rs and generate_handler! differ");
    let allowed: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    for a in &allowed {
        assert!(granted.contains(&a.as_str()), "{a} is not granted");
    }
    // Nothing is granted beyond Tauri's core and Deskpilot's own commands.
    for g in &granted {
        assert!(
            *g == "core:default" || allowed.iter().any(|a| a == g),
            "{g} is granted but no command needs it"
        );
    }

    // Through the runtime: each command is found and allowed. Arguments are
    // left out, so most fail on them, never as unknown or refused. The
    // two that open a native dialog are left out of this run.
    let t = start(Vec::new(), false);
    for c in COMMANDS
        .iter()
        .filter(|c| !["pick_files", "pick_model"].contains(c))
    {
        if let Err(e) = invoke(&t, c, json!({})) {
            let shown = e.to_string();
            assert!(
                !shown.contains("not found") && !shown.contains("not allowed"),
                "{c}: {shown}"
            );
        }
    }
}

#[test]
fn the_page_cannot_call_what_it_was_not_granted() {
    let t = start(Vec::new(), false);
    for (cmd, args) in [
        ("plugin:dialog|open", json!({"options": {}})),
        ("plugin:dialog|save", json!({"options": {}})),
        ("plugin:fs|read_file", json!({"path": "/etc/passwd"})),
    ] {
        let e = invoke(&t, cmd, args).expect_err(cmd);
        assert!(
            e.to_string().contains("not allowed") || e.to_string().contains("not found"),
            "{cmd}: {e}"
        );
    }
    // A path the user never gave the app is refused, whatever the page says.
    let e = invoke(
        &t,
        "open_file",
        json!({"session": null, "path": "/etc/hostname"}),
    )
    .unwrap_err();
    assert_eq!(code(&e), "not_granted", "{e}");
}

#[test]
fn a_message_is_kept_and_answered_by_the_default_model() {
    let t = start(Vec::new(), true);
    let done = invoke(
        &t,
        "send_message",
        json!({"session": null, "text": "Name one colour.", "task": "chat-1", "onEvent": "__CHANNEL__:1"}),
    )
    .expect("a reply");
    assert_eq!(done["status"], "complete", "{done}");
    assert!(!done["text"].as_str().unwrap().trim().is_empty());
    let view = invoke(&t, "open_session", json!({"id": done["session"]})).unwrap();
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "user");
    assert_eq!(messages[0]["text"], "Name one colour.");
    assert_eq!(messages[1]["text"], done["text"]);
    let status = invoke(&t, "model_status", json!({})).unwrap();
    assert_eq!(status["state"], "ready");
    assert!(
        status["remote"].is_null(),
        "no remote server: text stays here"
    );

    // Regenerate sets the reply aside (kept) and writes a new one.
    let again = invoke(
        &t,
        "regenerate",
        json!({"session": done["session"], "replaced": done["reply"], "task": "chat-2", "onEvent": "__CHANNEL__:2"}),
    )
    .unwrap();
    let view = invoke(&t, "open_session", json!({"id": done["session"]})).unwrap();
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1]["status"], "failed");
    assert_eq!(messages[2]["id"], again["reply"]);
}

#[test]
fn a_spreadsheet_given_on_the_command_line_is_paged_and_answered_from_its_cells() {
    let t = start(vec![sample()], true);
    let files = invoke(&t, "startup_files", json!({})).unwrap();
    let path = files[0].as_str().unwrap().to_owned();
    let doc = invoke(&t, "open_file", json!({"session": null, "path": path})).unwrap();
    assert_eq!(doc["sheets"], json!(["Orders", "Summary"]));
    let (session, id) = (doc["session"].clone(), doc["id"].clone());
    let view = invoke(
        &t,
        "sheet_view",
        json!({"session": session, "document": id}),
    )
    .unwrap();
    assert_eq!(view["sheets"][0]["name"], "Orders");
    let page = invoke(
        &t,
        "sheet_rows",
        json!({"session": session, "document": id, "sheet": "Orders", "start": 2, "count": 3}),
    )
    .unwrap();
    assert_eq!(page["rows"].as_array().unwrap().len(), 3);
    assert_eq!(page["rows"][0][0], "Order ID");

    let question = "What is the total revenue?";
    let answer = invoke(
        &t,
        "ask_sheet",
        json!({"session": session, "document": id, "question": question, "task": "s-1"}),
    )
    .unwrap();
    // The reference: the core's phrase reader over the same cells.
    let wb = deskpilot_core::sheets::open(&sample(), None, &Default::default()).unwrap();
    let (_, reference) = deskpilot_core::sheets::answer_by_phrase(&wb, question).unwrap();
    assert_eq!(
        answer["answer"]["outcome"],
        serde_json::to_value(&reference.outcome).unwrap()
    );
    assert_eq!(answer["answer"]["cells"], json!(["Orders!G4:G51"]));
    let kept = invoke(&t, "open_session", json!({"id": session})).unwrap();
    assert_eq!(kept["analyses"].as_array().unwrap().len(), 1);
}

#[test]
fn a_damaged_file_fails_with_its_name_and_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("minutes.docx");
    std::fs::write(&bad, b"this is not a zip archive").unwrap();
    let t = start(vec![bad.clone()], false);
    let e = invoke(
        &t,
        "open_file",
        json!({"session": null, "path": bad.display().to_string()}),
    )
    .unwrap_err();
    assert!(!code(&e).is_empty(), "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("minutes.docx"),
        "{e}"
    );
}

#[test]
fn preferences_and_settings_are_kept_and_bad_values_refused() {
    let t = start(Vec::new(), false);
    assert_eq!(
        invoke(&t, "get_prefs", json!({})).unwrap(),
        json!({"theme": "system", "language": "en"})
    );
    invoke(
        &t,
        "set_prefs",
        json!({"prefs": {"theme": "dark", "language": "zh-CN"}}),
    )
    .unwrap();
    assert_eq!(
        invoke(&t, "get_prefs", json!({})).unwrap(),
        json!({"theme": "dark", "language": "zh-CN"})
    );
    let e = invoke(
        &t,
        "set_prefs",
        json!({"prefs": {"theme": "neon", "language": "en"}}),
    )
    .unwrap_err();
    assert_eq!(code(&e), "invalid_setting");

    let mut s = invoke(&t, "get_settings", json!({})).unwrap();
    s["threads"] = json!(1);
    s["sampling"]["temperature"] = json!(0.2);
    invoke(&t, "save_settings", json!({"settings": s})).unwrap();
    let back = invoke(&t, "get_settings", json!({})).unwrap();
    assert_eq!(back["threads"], 1);
    s["sampling"]["top_p"] = json!(7.0);
    let e = invoke(&t, "save_settings", json!({"settings": s})).unwrap_err();
    assert_eq!(code(&e), "invalid_setting");
    assert_eq!(
        invoke(&t, "get_settings", json!({})).unwrap()["sampling"]["top_p"],
        back["sampling"]["top_p"]
    );
}

#[test]
fn a_sheet_of_200000_rows_opens_and_any_page_of_it_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ledger.csv");
    let mut text = String::from("id,region,amount,date\n");
    for i in 0..200_000 {
        text.push_str(&format!(
            "{i},{},{}.{:02},2024-{:02}-{:02}\n",
            ["North", "South", "East", "West"][i % 4],
            i % 1000,
            i % 100,
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let t = start(vec![csv.clone()], false);
    let doc = invoke(
        &t,
        "open_file",
        json!({"session": null, "path": csv.display().to_string()}),
    )
    .unwrap();
    let (session, id) = (doc["session"].clone(), doc["id"].clone());
    let view = invoke(
        &t,
        "sheet_view",
        json!({"session": session, "document": id}),
    )
    .unwrap();
    assert_eq!(view["sheets"][0]["rows"], 200_001);
    assert_eq!(view["sheets"][0]["columns"], 4);
    assert_eq!(view["tables"][0]["rows"], 200_000);
    let sheet = view["sheets"][0]["name"].clone();
    // The last page: 11 rows left from row 199,990 (the header is row 0).
    let page = invoke(
        &t,
        "sheet_rows",
        json!({"session": session, "document": id, "sheet": sheet, "start": 199_990, "count": 50}),
    )
    .unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[10], json!(["199999", "West", "999.99", "2024-08-24"]));
}

#[test]
fn files_go_to_a_remote_server_only_after_the_user_confirms_it_once() {
    use deskpilot_core::llm::{Engine, EngineConfig};
    use deskpilot_core::server::{self, ServeOptions};
    use std::sync::Arc;

    // A real OpenAI-compatible server on loopback: `deskpilot serve`'s code
    // over the default model.
    let mut cfg = EngineConfig::new(model());
    cfg.n_ctx = 2048;
    let engine = Arc::new(Engine::start(cfg).unwrap());
    let options = ServeOptions::default();
    let serving = Arc::new(server::bind(&options).unwrap());
    let url = format!("http://{}/v1", serving.addr);
    {
        let serving = Arc::clone(&serving);
        std::thread::spawn(move || server::run(&serving, engine, &options));
    }

    let t = start_with(vec![sample()], true, Some(url.clone()));
    let mut status = invoke(&t, "model_status", json!({})).unwrap();
    for _ in 0..300 {
        if status["state"] != "loading" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        status = invoke(&t, "model_status", json!({})).unwrap();
    }
    assert_eq!(
        status["remote"],
        json!(url),
        "the window says where text goes"
    );

    let path = sample().canonicalize().unwrap().display().to_string();
    let doc = invoke(&t, "open_file", json!({"session": null, "path": path})).unwrap();
    let args = json!({"session": doc["session"], "document": doc["id"],
        "question": "What is the total revenue?", "task": "s-1"});
    let e = invoke(&t, "ask_sheet", args.clone()).unwrap_err();
    assert_eq!(code(&e), "confirm_remote", "{e}");
    assert!(e["message"].as_str().unwrap().contains(&url));
    let kept = invoke(&t, "open_session", json!({"id": doc["session"]})).unwrap();
    assert!(
        kept["messages"].as_array().unwrap().is_empty(),
        "nothing was sent or started"
    );

    invoke(&t, "confirm_remote", json!({})).unwrap();
    let answer = invoke(&t, "ask_sheet", args).expect("sent once confirmed");
    assert_eq!(answer["answer"]["cells"], json!(["Orders!G4:G51"]));
    serving.stop();
}

#[test]
fn a_remote_server_chosen_in_the_window_gets_its_key_from_the_keyring_per_session_too() {
    use deskpilot_core::llm::{Engine, EngineConfig};
    use deskpilot_core::server::{self, ServeOptions};
    use std::sync::Arc;

    // A token-protected OpenAI-compatible server on loopback.
    let key = format!("window-key-{}", std::process::id());
    let mut cfg = EngineConfig::new(model());
    cfg.n_ctx = 2048;
    let engine = Arc::new(Engine::start(cfg).unwrap());
    let options = ServeOptions {
        port: 0,
        token: Some(key.clone()),
    };
    let serving = Arc::new(server::bind(&options).unwrap());
    let url = format!("http://{}/v1", serving.addr);
    {
        let serving = Arc::clone(&serving);
        std::thread::spawn(move || server::run(&serving, engine, &options));
    }

    let t = start(vec![], false);
    let view = invoke(&t, "remote_settings", json!({})).unwrap();
    assert_eq!(view["saved"], Value::Null, "off by default");

    // A bad address, or the server without its key: nothing is saved.
    let e = invoke(&t, "use_remote", json!({"form": {"url": "gpu-box"}})).unwrap_err();
    assert_eq!(code(&e), "settings", "{e}");
    let e = invoke(&t, "use_remote", json!({"form": {"url": url}})).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("401"), "{e}");
    assert_eq!(
        invoke(&t, "remote_settings", json!({})).unwrap()["saved"],
        Value::Null
    );

    // With the key: it goes to a keyring, the window says where text goes,
    // the settings name the server, and the key is in no file.
    let status = invoke(
        &t,
        "use_remote",
        json!({"form": {"url": format!("{url}/"), "key": key}}),
    )
    .unwrap();
    assert_eq!(status["remote"], json!(url));
    let view = invoke(&t, "remote_settings", json!({})).unwrap();
    assert_eq!(view["saved"]["url"], json!(url));
    assert!(
        ["os_keyring", "kernel_keyring"].contains(&view["key"].as_str().unwrap()),
        "{view}"
    );
    let settings = std::fs::read_to_string(t._dir.path().join("data/settings.json")).unwrap();
    assert!(
        settings.contains(&url) && !settings.contains(&key),
        "{settings}"
    );
    // A message is answered by the server (its key sent from the keyring).
    let done = invoke(
        &t,
        "send_message",
        json!({"session": null, "text": "Name one colour.", "task": "r-1", "onEvent": "__CHANNEL__:1"}),
    )
    .expect("a reply from the server");
    assert_eq!(done["status"], "complete", "{done}");

    // One session keeps to this computer; a new one follows the settings;
    // opening a session moves the engine to where it sends its text.
    let session = done["session"].clone();
    let status = invoke(
        &t,
        "set_session_backend",
        json!({"session": session, "choice": "local"}),
    )
    .unwrap();
    assert_eq!(status["remote"], Value::Null, "{status}");
    let view = invoke(&t, "session_backend", json!({"session": session})).unwrap();
    assert_eq!(view["own"]["kind"], "local", "{view}");
    assert_eq!(view["saved_remote"]["url"], json!(url));
    let status = invoke(&t, "apply_session_backend", json!({"session": null})).unwrap();
    assert_eq!(status["remote"], json!(url));
    let status = invoke(&t, "apply_session_backend", json!({"session": session})).unwrap();
    assert_eq!(status["remote"], Value::Null);
    let status = invoke(
        &t,
        "set_session_backend",
        json!({"session": session, "choice": "follow"}),
    )
    .unwrap();
    assert_eq!(status["remote"], json!(url));
    let e = invoke(
        &t,
        "set_session_backend",
        json!({"session": session, "choice": "elsewhere"}),
    )
    .unwrap_err();
    assert_eq!(code(&e), "invalid_setting", "{e}");

    // Back to this computer.
    let status = invoke(&t, "use_local", json!({})).unwrap();
    assert_eq!(status["state"], "ready", "{status}");
    assert_eq!(status["remote"], Value::Null);
    assert_eq!(
        invoke(&t, "remote_settings", json!({})).unwrap()["saved"],
        Value::Null
    );
    assert_eq!(
        invoke(&t, "forget_remote_key", json!({"url": url})).unwrap(),
        json!(true)
    );
    serving.stop();
}

#[test]
fn typing_in_the_editor_is_kept_without_save_and_save_closes_its_version_and_versions_are_listed() {
    let t = start(Vec::new(), false);
    let session = invoke(&t, "create_session", json!({"title": "Notes"})).unwrap()["id"].clone();
    let save = |draft: &Value, text: &str, autosave: Option<bool>| {
        invoke(
            &t,
            "save_draft",
            json!({"session": session, "draft": draft, "text": text, "autosave": autosave}),
        )
        .unwrap()
    };
    let first = save(&Value::Null, "First words", Some(true));
    assert_eq!(first["version"], 1);
    let draft = first["draft"].clone();
    assert_eq!(save(&draft, "First words, more", Some(true))["version"], 1);
    // Save (no autosave) closes the streak in the same version.
    assert_eq!(save(&draft, "First words, more.", None)["version"], 1);
    assert_eq!(save(&draft, "Then more", Some(true))["version"], 2);
    let view = invoke(&t, "open_session", json!({"id": session})).unwrap();
    let versions = view["drafts"][0]["versions"].as_array().unwrap();
    let kept: Vec<(&str, &str)> = versions
        .iter()
        .map(|v| {
            (
                v["text"].as_str().unwrap(),
                v["origin"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        [("First words, more.", "edited"), ("Then more", "editing")]
    );
    // The version list the drafts panel shows.
    let listed = invoke(&t, "draft_versions", json!({"draft": draft})).unwrap();
    assert_eq!(listed["versions"], view["drafts"][0]["versions"]);
    let e = invoke(&t, "draft_versions", json!({"draft": 999})).unwrap_err();
    assert_eq!(code(&e), "no_draft", "{e}");
}

#[test]
fn the_models_page_lists_the_catalog_and_this_computers_models_and_removes_only_its_own() {
    let t = start(Vec::new(), false);
    let v = invoke(&t, "models_overview", json!({})).unwrap();
    let catalog = v["catalog"].as_array().unwrap();
    assert!(catalog.len() >= 8, "{v}");
    assert!(catalog
        .iter()
        .all(|c| c["file_name"].as_str().unwrap().ends_with(".gguf")));
    let default = model();
    let installed = v["installed"].as_array().unwrap();
    assert!(
        installed
            .iter()
            .any(|m| m["path"] == default.to_str().unwrap() && m["removable"] == true),
        "{v}"
    );
    let e = invoke(&t, "models_rm", json!({"path": "/etc/passwd"})).unwrap_err();
    assert_eq!(code(&e), "not_ours", "{e}");
    let e = invoke(&t, "models_pull", json!({"what": "not a model"})).unwrap_err();
    assert_eq!(code(&e), "unknown_source", "{e}");
    // Nothing running: cancel removes nothing and says so.
    let none = invoke(&t, "models_cancel", json!({"fileName": "none.gguf"})).unwrap();
    assert_eq!(none, json!(false));
}

#[test]
fn launch_options_are_read_and_an_unknown_one_is_refused_not_opened_as_a_file() {
    let args = |a: &[&str]| AppOptions::from_args(a.iter().map(|s| s.to_string()));
    let o = args(&["--remote", "http://gpu-box:8000/v1", "minutes.docx"]).unwrap();
    assert_eq!(o.remote.as_deref(), Some("http://gpu-box:8000/v1"));
    assert_eq!(o.files, vec![PathBuf::from("minutes.docx")]);
    let o = args(&["--remote=http://gpu-box:8000/v1", "--model=/m/a.gguf"]).unwrap();
    assert_eq!(o.remote.as_deref(), Some("http://gpu-box:8000/v1"));
    assert_eq!(o.model, Some(PathBuf::from("/m/a.gguf")));
    assert!(o.files.is_empty());
    let e = args(&["--frobnicate", "report.pdf"]).unwrap_err();
    assert_eq!(e.code, "bad_arguments");
    assert!(e.message.contains("--frobnicate"), "{}", e.message);
    let e = args(&["--remote"]).unwrap_err();
    assert!(
        e.message.contains("--remote needs a value"),
        "{}",
        e.message
    );
    // After "--", a name that starts with a dash is a file.
    let o = args(&["--", "-notes.txt"]).unwrap();
    assert_eq!(o.files, vec![PathBuf::from("-notes.txt")]);
}

#[test]
fn a_broken_settings_file_is_an_error_naming_it_in_the_window_too() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("figures.csv");
    std::fs::write(&csv, "Region,Sales\nNorth,10\nSouth,20\n").unwrap();
    let t = start(vec![csv.clone()], false);
    let settings = t._dir.path().join("data").join("settings.json");
    std::fs::write(&settings, "{\"n_ctx\": 2048,").unwrap();
    let e = invoke(
        &t,
        "open_file",
        json!({"session": null, "path": csv.display().to_string()}),
    )
    .unwrap_err();
    assert!(
        e["message"].as_str().unwrap().contains("settings.json"),
        "{e}"
    );
    let e = invoke(&t, "get_settings", json!({})).unwrap_err();
    assert!(
        e["message"].as_str().unwrap().contains("settings.json"),
        "{e}"
    );
}

#[test]
fn an_opened_word_document_is_edited_into_a_copy_beside_it_with_tracked_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("essay.docx");
    let corpus = std::env::var_os("DESKPILOT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("../../shared/corpus"));
    std::fs::copy(corpus.join("docx/poi__61787.docx"), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let t = start(vec![file.clone()], true);
    let files = invoke(&t, "startup_files", json!({})).unwrap();
    let path = files[0].as_str().unwrap().to_owned();
    let doc = invoke(&t, "open_file", json!({"session": null, "path": path})).unwrap();
    let (session, id) = (doc["session"].clone(), doc["id"].clone());
    let view = invoke(
        &t,
        "edit_document",
        json!({"session": session, "id": id, "op": "proofread", "to": null, "place": "§2",
               "task": "e-1", "onEvent": "__CHANNEL__:1"}),
    )
    .expect("an edit");
    let out = PathBuf::from(view["out"].as_str().unwrap());
    assert_eq!(out, dir.path().join("essay (proofread).docx"));
    assert!(out.is_file());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the user's file is not written"
    );
    let r = &view["report"];
    let accounted = r["changed"].as_array().unwrap().len()
        + r["skipped"].as_array().unwrap().len()
        + r["unchanged"].as_u64().unwrap() as usize;
    assert_eq!(accounted, 4, "§2 is a heading and three list items: {view}");
    // The copy reads as a Word document; the session keeps the paragraphs,
    // before and after, as a draft (as the CLI does).
    deskpilot_core::docs::open(&out).expect("the copy opens");
    let kept = invoke(&t, "open_session", json!({"id": session})).unwrap();
    let draft = &kept["drafts"][0];
    assert_eq!(draft["title"], "Edit: essay.docx (proofread)", "{kept}");
    assert_eq!(draft["versions"].as_array().unwrap().len(), 2, "{draft}");
    // A second edit never replaces the first copy.
    let again = invoke(
        &t,
        "edit_document",
        json!({"session": session, "id": id, "op": "fix", "to": null, "place": "§2 ¶1",
               "task": "e-2", "onEvent": "__CHANNEL__:2"}),
    )
    .unwrap();
    assert_eq!(again["name"], "essay (fix).docx");
    // As comments: another copy, the text left as it was.
    let commented = invoke(
        &t,
        "edit_document",
        json!({"session": session, "id": id, "op": "fix", "to": null, "place": "§2 ¶1",
               "comments": true, "task": "e-5", "onEvent": "__CHANNEL__:5"}),
    )
    .unwrap();
    assert_eq!(commented["name"], "essay (fix 2).docx");
    let copy = deskpilot_core::docs::open(&dir.path().join("essay (fix 2).docx")).unwrap();
    let original = deskpilot_core::docs::open(&file).unwrap();
    let body = |d: &deskpilot_core::docs::Document| {
        d.blocks
            .iter()
            .filter(|b| b.kind != deskpilot_core::docs::BlockKind::Comment)
            .map(|b| b.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        body(&copy),
        body(&original),
        "comments leave the text as it was"
    );
    // A place the document does not have, and an operation that makes new
    // paragraphs, are refused with their reason.
    let err = invoke(
        &t,
        "edit_document",
        json!({"session": session, "id": id, "op": "fix", "to": null, "place": "§9",
               "task": "e-3", "onEvent": "__CHANNEL__:3"}),
    )
    .unwrap_err();
    assert_eq!(code(&err), "nothing_selected", "{err}");
    let err = invoke(
        &t,
        "edit_document",
        json!({"session": session, "id": id, "op": "bullets", "to": null, "place": null,
               "task": "e-4", "onEvent": "__CHANNEL__:4"}),
    )
    .unwrap_err();
    assert_eq!(code(&err), "unsuited", "{err}");
}

#[test]
fn a_sheet_answer_is_written_back_to_a_copy_of_the_workbook_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sales.xlsx");
    std::fs::copy(sample(), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let t = start(vec![file.clone()], true);
    let files = invoke(&t, "startup_files", json!({})).unwrap();
    let path = files[0].as_str().unwrap().to_owned();
    let doc = invoke(&t, "open_file", json!({"session": null, "path": path})).unwrap();
    let (session, id) = (doc["session"].clone(), doc["id"].clone());
    let question = "total revenue by region";
    let answer = invoke(
        &t,
        "ask_sheet",
        json!({"session": session, "document": id, "question": question, "task": "s-1"}),
    )
    .unwrap();
    let args = json!({"session": session, "document": id, "table": answer["table_index"],
        "plan": answer["answer"]["plan"], "question": question});
    let w = invoke(&t, "write_back_analysis", args.clone()).unwrap();
    assert_eq!(w["name"], "sales (analysis).xlsx");
    assert_eq!(w["sheet"], "Analysis");
    assert!(w["formulas"].as_u64().unwrap() >= 4, "{w}");
    assert_eq!(w["chart"], json!(true));
    assert!(dir.path().join("sales (analysis).xlsx").is_file());
    // Again: a second copy, never over the first; the original untouched.
    let w = invoke(&t, "write_back_analysis", args).unwrap();
    assert_eq!(w["name"], "sales (analysis 2).xlsx");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // A plan naming a column the table lacks is refused with its code.
    let e = invoke(
        &t,
        "write_back_analysis",
        json!({"session": session, "document": id, "table": 0, "question": "q",
            "plan": {"op": "aggregate", "func": "sum", "column": "Nope"}}),
    )
    .unwrap_err();
    assert_eq!(code(&e), "invalid_plan", "{e}");
}

#[test]
fn a_draft_a_rewrite_and_a_detection_keep_what_the_user_gave_in_the_session_as_the_cli_does() {
    let t = start(Vec::new(), true);
    let session = invoke(&t, "create_session", json!({"title": "Letters"})).unwrap()["id"].clone();
    // A draft: the template and its fields are kept as the user's message
    // before the model writes (the CLI's `draft` keeps the same text).
    let drafted = invoke(
        &t,
        "draft",
        json!({"session": session, "template": "email",
            "fields": {"recipient": "Dana", "purpose": "move the meeting to 3 pm", "points": ""},
            "documents": [], "maxTokens": 40, "task": "draft-1", "onEvent": "__CHANNEL__:1"}),
    )
    .expect("a draft");
    let view = invoke(&t, "open_session", json!({"id": session})).unwrap();
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{view}");
    assert_eq!(
        messages[0]["text"],
        "Draft: Email\nrecipient: Dana\npurpose: move the meeting to 3 pm"
    );
    let versions = &view["drafts"][0]["versions"];
    assert_eq!(versions[0]["origin"]["kind"], "generated");
    assert_eq!(versions[0]["text"], drafted["text"]);

    // A rewrite of text with no draft yet: the text before it is kept as
    // the 'original' version, as the CLI's `rewrite` keeps it.
    let rewritten = invoke(
        &t,
        "rewrite",
        json!({"session": session, "draft": null, "op": "shorten", "to": null,
            "text": "We will meet at three in the afternoon instead of at noon, in the same room.",
            "whole": null, "task": "rw-1", "onEvent": "__CHANNEL__:2"}),
    )
    .expect("a rewrite");
    let draft = invoke(&t, "draft_versions", json!({"draft": rewritten["draft"]})).unwrap();
    let kinds: Vec<&Value> = draft["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["origin"])
        .collect();
    assert_eq!(
        kinds,
        [
            &json!({"kind": "original"}),
            &json!({"kind": "rewrite", "op": "shorten"})
        ]
    );

    // A detection: the pasted text is kept in a session of its own with
    // the verdict in words after it.
    let pasted = "The committee met on Tuesday. Members agreed to repaint the hall before the \
                  spring fair, and the treasurer will ask three local firms for quotes by May.";
    let judged = invoke(
        &t,
        "detect",
        json!({"text": pasted, "session": null, "document": null, "task": "detect-1"}),
    )
    .expect("a verdict");
    let view = invoke(&t, "open_session", json!({"id": judged["session"]})).unwrap();
    assert_eq!(view["session"]["title"], "Detect: pasted text", "{view}");
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{view}");
    assert_eq!(messages[0]["text"], pasted);
    assert!(
        messages[1]["text"].as_str().unwrap().contains("not proof"),
        "{}",
        messages[1]["text"]
    );
}
