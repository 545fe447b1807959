// The window's commands, one name each. build.rs turns every name into an
// `allow-<name>` permission; capabilities/default.json grants them to the
// main window, and a test checks that each name here is registered and
// granted. Keep the three in step.

/// Every command the page may call.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "model_status",
    "confirm_remote",
    "pick_model",
    "get_settings",
    "save_settings",
    "get_prefs",
    "set_prefs",
    "list_sessions",
    "search",
    "create_session",
    "rename_session",
    "delete_session",
    "open_session",
    "send_message",
    "regenerate",
    "cancel_task",
    "pick_files",
    "startup_files",
    "open_file",
    "document_view",
    "summarize",
    "ask_files",
    "list_templates",
    "draft",
    "rewrite",
    "save_draft",
    "export_draft",
    "sheet_view",
    "sheet_rows",
    "ask_sheet",
    "column_chart",
    "detect",
];
