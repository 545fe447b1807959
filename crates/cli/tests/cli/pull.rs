//! `deskpilot models pull|list|rm|import` against the local server that
//! behaves like Hugging Face (deskpilot-testkit's fake_hub): nothing
//! reaches the internet.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{assert_one_line_error, bin, models_dir, text};
use deskpilot_core::config;

use deskpilot_testkit::fake_hub;
use fake_hub::{FakeHub, Faults};

const REPO: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
const FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// A hub serving the default model, and a `deskpilot` with its own empty
/// models and data folders pointed at it.
struct Setup {
    hub: FakeHub,
    models: tempfile::TempDir,
    data: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let hub = FakeHub::start();
        let bytes = std::fs::read(models_dir().join(config::DEFAULT_MODEL_FILE)).unwrap();
        hub.add(REPO, FILE, Arc::new(bytes));
        Setup {
            hub,
            models: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.env("DESKPILOT_MODELS_DIR", self.models.path())
            .env("DESKPILOT_DATA_DIR", self.data.path())
            .env("HOME", self.home.path())
            .env("HF_ENDPOINT", self.hub.endpoint())
            .env_remove("HF_TOKEN")
            .env_remove("HF_HOME")
            .args(args);
        c
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd(args).output().unwrap()
    }

    fn list(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["models", "list", "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

#[test]
fn models_pull_fetches_from_hf_endpoint_says_where_it_came_from_and_rm_removes_it() {
    let s = Setup::new();
    let short = format!("{REPO}/{FILE}");
    let out = s.run(&["models", "pull", &short, "--use"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        stderr.contains(&format!("Fetching {FILE} from {}/{REPO}", s.hub.endpoint())),
        "{stderr}"
    );
    assert!(
        stderr.contains("100%"),
        "the progress reaches 100%: {stderr}"
    );
    assert!(
        stdout.contains("checked against the hub's record"),
        "{stdout}"
    );
    assert!(stdout.contains("Using SmolLM2"), "{stdout}");
    let pulled = s.models.path().join(FILE);
    let listed = s.list();
    let entry = listed
        .iter()
        .find(|e| e["path"] == pulled.to_str().unwrap())
        .expect("the pulled model is listed");
    assert_eq!(entry["pulled_from"]["repo"], REPO);
    assert_eq!(entry["selected"], true);
    let table = text(&s.run(&["models", "list"]).stdout);
    assert!(table.contains(&format!("(from {REPO})")), "{table}");
    // The pulled model answers.
    let out = s.run(&["ask", "--max-tokens", "4", "hi"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Pulled again: nothing fetched.
    let out = s.run(&["models", "pull", &short]);
    assert!(
        text(&out.stdout).contains("already in the models folder"),
        "{}",
        text(&out.stdout)
    );
    // Removed: gone from the folder, the list and the settings.
    let out = s.run(&["models", "rm", FILE]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("the default model is used again"),
        "{}",
        text(&out.stdout)
    );
    assert!(!pulled.exists());
    assert!(!s
        .list()
        .iter()
        .any(|e| e["path"] == pulled.to_str().unwrap()));
    // A repository the hub does not have: one line, status 2.
    let out = s.run(&["models", "pull", "nobody/nothing-GGUF/x.gguf"]);
    assert_one_line_error(&out, "no public repository nobody/nothing-GGUF");
    let out = s.run(&["models", "pull", "not-a-model"]);
    assert_one_line_error(&out, "is neither a catalog id");
}

#[test]
fn ctrl_c_pauses_a_pull_and_the_same_command_resumes_it() {
    let s = Setup::new();
    s.hub.faults(Faults {
        slow: true,
        ..Faults::default()
    });
    let short = format!("{REPO}/{FILE}");
    let child = s
        .cmd(&["models", "pull", &short])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let part = s.models.path().join(format!("{FILE}.part"));
    let start = Instant::now();
    while std::fs::metadata(&part).map_or(0, |m| m.len()) < 4 * 1024 * 1024 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the pull never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("run the same command again to resume"),
        "{}",
        text(&out.stderr)
    );
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept >= 4 * 1024 * 1024);
    assert!(!s.models.path().join(FILE).exists());
    s.hub.faults(Faults::default());
    let out = s.run(&["models", "pull", &short]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("resumed at"),
        "{}",
        text(&out.stdout)
    );
    assert!(!part.exists());
    assert_eq!(
        std::fs::read(s.models.path().join(FILE)).unwrap(),
        std::fs::read(models_dir().join(config::DEFAULT_MODEL_FILE)).unwrap()
    );
}

#[test]
fn models_import_offers_a_folders_models_where_they_are_and_rm_leaves_them_alone() {
    let s = Setup::new();
    let folder = tempfile::tempdir().unwrap();
    let sub = folder.path().join("downloads/smol");
    std::fs::create_dir_all(&sub).unwrap();
    let mine = sub.join("my-smol.gguf");
    std::os::unix::fs::symlink(models_dir().join(config::DEFAULT_MODEL_FILE), &mine).unwrap();
    std::fs::write(sub.join("notes.gguf"), "not a model").unwrap();
    let out = s.run(&["models", "import", folder.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let name = format!(
        "{}/downloads/smol/my-smol.gguf",
        folder.path().file_name().unwrap().to_string_lossy()
    );
    assert!(text(&out.stdout).contains(&name), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("nothing copied"),
        "{}",
        text(&out.stdout)
    );
    let listed = s.list();
    let entry = listed
        .iter()
        .find(|e| e["source"] == "imported folder")
        .expect("the imported model is listed");
    assert_eq!(entry["found_as"], name.as_str());
    assert_eq!(
        std::fs::read_dir(s.models.path()).unwrap().count(),
        0,
        "nothing copied"
    );
    let out = s.run(&["models", "use", &name]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = s.run(&["models", "rm", &name]);
    assert_one_line_error(&out, "Deskpilot only lists it");
    assert!(mine.exists());
    // A folder with no models is refused with the reason.
    let empty = tempfile::tempdir().unwrap();
    let out = s.run(&["models", "import", empty.path().to_str().unwrap()]);
    assert_one_line_error(&out, "no GGUF model files in");
}
