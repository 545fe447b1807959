//! The workflows both front ends call (`deskpilot_core::workflow`), run
//! against the default model and a real SQLite file: what each keeps in
//! the session, in which order, and how it stops.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use deskpilot_core::docs::Limits;
use deskpilot_core::draft::{template, RewriteOp};
use deskpilot_core::llm::{Engine, EngineConfig, NullSink, SamplingParams};
use deskpilot_core::prompts::Prompts;
use deskpilot_core::store::{DraftOrigin, MessageStatus, Role, Store};
use deskpilot_core::summarize::{NoProgress, SummaryOptions};
use deskpilot_core::workflow::{self, drafts::RewriteInput, WorkflowError};
use deskpilot_core::ErrorCode;

use crate::support::smollm2;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn engine() -> Arc<Engine> {
    let mut cfg = EngineConfig::new(smollm2());
    cfg.n_ctx = 2048;
    Arc::new(Engine::start(cfg).expect("the test model loads"))
}

fn go() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

fn stopped() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(true))
}

fn greedy(max_tokens: u32) -> SamplingParams {
    SamplingParams {
        max_tokens,
        ..SamplingParams::greedy()
    }
}

#[test]
fn a_reply_is_kept_after_the_message_it_answers_and_a_stopped_one_is_kept_as_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.sqlite3")).await.unwrap();
        let said = workflow::say(&store, None, "What is the capital of France?", None)
            .await
            .unwrap();
        let mut seen = None;
        let replied = workflow::reply(
            &store,
            Arc::clone(&e),
            said.session,
            greedy(24),
            Box::new(NullSink),
            go(),
            |id| seen = Some(id),
        )
        .await
        .unwrap();
        assert_eq!(seen, Some(replied.reply), "started names the reply's row");
        assert_eq!(replied.status, MessageStatus::Complete);
        assert!(!replied.text.is_empty());
        let m = store.messages(said.session).await.unwrap();
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!((m[0].role, m[0].id), (Role::User, said.message));
        assert_eq!(m[1].role, Role::Assistant);
        assert_eq!(m[1].text, replied.text);
        assert_eq!(m[1].status, MessageStatus::Complete);

        // Stop before the first token: the reply is kept, marked stopped,
        // and the conversation goes on in the same session.
        workflow::say(&store, Some(said.session), "And of Italy?", None)
            .await
            .unwrap();
        let again = workflow::reply(
            &store,
            Arc::clone(&e),
            said.session,
            greedy(24),
            Box::new(NullSink),
            stopped(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(again.status, MessageStatus::Cancelled);
        let m = store.messages(said.session).await.unwrap();
        assert_eq!(m.len(), 4, "{m:?}");
        assert_eq!(m[3].status, MessageStatus::Cancelled);
    });
}

#[test]
fn files_wait_for_the_users_consent_before_they_go_to_a_remote_server() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.sqlite3")).await.unwrap();
        let files = vec!["minutes.docx".to_owned()];
        let url = "http://gpu-box:8000/v1";
        // A local model, or nothing to send: nothing to ask.
        workflow::check_remote(&store, None, &files).await.unwrap();
        workflow::check_remote(&store, Some(url), &[])
            .await
            .unwrap();
        let e = workflow::check_remote(&store, Some(url), &files)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "confirm_remote");
        assert!(
            e.to_string().contains("minutes.docx") && e.to_string().contains(url),
            "{e}"
        );
        match e {
            WorkflowError::NeedsConfirmation { url: u, files: f } => {
                assert_eq!((u.as_str(), f), (url, files.clone()))
            }
            other => panic!("{other:?}"),
        }
        workflow::allow_remote(&store, url).await.unwrap();
        workflow::check_remote(&store, Some(url), &files)
            .await
            .unwrap();
        // Allowed per server: another one still asks.
        assert!(
            workflow::check_remote(&store, Some("http://other:8000/v1"), &files)
                .await
                .is_err()
        );
    });
}

#[test]
fn a_rewrite_keeps_the_text_before_it_as_the_original_and_then_the_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.sqlite3")).await.unwrap();
        let session = store.create_session("Rewrite", None).await.unwrap();
        let text = "Our team finished the migration of the billing system on Friday. \
                    Every invoice since March was checked twice and none was lost.";
        let input = RewriteInput {
            session,
            draft: None,
            op: RewriteOp::Shorten,
            text: text.to_owned(),
            whole: None,
        };
        let done = workflow::rewrite(
            &store,
            Arc::clone(&e),
            input,
            Prompts::builtin(),
            Box::new(NullSink),
            go(),
        )
        .await
        .unwrap();
        assert_eq!((done.kept, done.version), (1, 2));
        let d = store.draft(done.draft).await.unwrap();
        let origins: Vec<String> = d.versions.iter().map(|v| v.origin.stored()).collect();
        assert_eq!(origins, ["original", "shorten"]);
        assert_eq!(d.versions[0].text, text);
        assert_eq!(d.versions[1].text, done.result.text);

        // The same draft, edited by the user, rewritten again: the edits
        // are kept as the user's before the model's next version.
        let edited = format!("{}\n\nThanks to everyone involved.", done.result.text);
        let input = RewriteInput {
            session,
            draft: Some(done.draft),
            op: RewriteOp::Translate("French".into()),
            text: "Thanks to everyone involved.".into(),
            whole: Some(edited.clone()),
        };
        let again = workflow::rewrite(
            &store,
            Arc::clone(&e),
            input,
            Prompts::builtin(),
            Box::new(NullSink),
            go(),
        )
        .await
        .unwrap();
        let d = store.draft(done.draft).await.unwrap();
        let origins: Vec<String> = d.versions.iter().map(|v| v.origin.stored()).collect();
        assert_eq!(
            origins,
            ["original", "shorten", "edited", "translate to French"]
        );
        assert_eq!(d.versions[2].text, edited);
        assert_eq!((again.kept, again.version), (3, 4));

        // Nothing to rewrite: refused before anything is kept.
        let input = RewriteInput {
            session,
            draft: None,
            op: RewriteOp::Fix,
            text: "  \n".into(),
            whole: None,
        };
        let err = workflow::rewrite(
            &store,
            Arc::clone(&e),
            input,
            Prompts::builtin(),
            Box::new(NullSink),
            go(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "empty_text");
        assert_eq!(store.session_drafts(session).await.unwrap().len(), 1);
    });
}

#[test]
fn a_draft_keeps_its_request_in_the_session_and_the_draft_as_its_first_version() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.sqlite3")).await.unwrap();
        let session = store.create_session("Email draft", None).await.unwrap();
        let tpl = template::find("email", None).unwrap();
        let values = vec![
            ("recipient".to_owned(), "Dana".to_owned()),
            (
                "purpose".to_owned(),
                "move Tuesday's meeting to 3 pm".to_owned(),
            ),
            ("points".to_owned(), "  ".to_owned()),
        ];
        let done = workflow::draft(
            &store,
            Arc::clone(&e),
            session,
            tpl,
            values,
            Vec::new(),
            120,
            Box::new(NullSink),
            go(),
        )
        .await
        .unwrap();
        let m = store.messages(session).await.unwrap();
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].role, Role::User);
        assert_eq!(
            m[0].text, "Draft: Email\nrecipient: Dana\npurpose: move Tuesday's meeting to 3 pm",
            "blank fields are left to the template's defaults"
        );
        let d = store.draft(done.draft).await.unwrap();
        assert_eq!(d.versions.len(), 1);
        assert_eq!(d.versions[0].origin, DraftOrigin::Generated);
        assert_eq!(d.versions[0].text, done.result.text);
        assert_eq!(d.template.as_deref(), Some("email"));

        // A required field left out: refused before the session is touched.
        let err = workflow::draft(
            &store,
            Arc::clone(&e),
            session,
            template::find("email", None).unwrap(),
            vec![("recipient".to_owned(), "Dana".to_owned())],
            Vec::new(),
            120,
            Box::new(NullSink),
            go(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "template", "{err}");
        assert_eq!(store.messages(session).await.unwrap().len(), 1);
    });
}

#[test]
fn a_summary_keeps_its_request_then_the_points_with_their_citations() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notice.md");
    std::fs::write(
        &file,
        "# Library notice\n\nThe city library will close for renovation from 3 March to \
         28 April. During the closure, books can be returned at the town hall.\n\n\
         The reopening on 29 April brings a new children's room and longer opening hours \
         on Saturdays.\n",
    )
    .unwrap();
    let e = engine();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.sqlite3")).await.unwrap();
        let session = store.create_session("Notice", None).await.unwrap();
        let docs = workflow::open_files(&store, session, &[file.as_path()], &Limits::default())
            .await
            .unwrap();
        let done = workflow::summarize(
            &store,
            Arc::clone(&e),
            session,
            docs,
            SummaryOptions::default(),
            Prompts::builtin(),
            Box::new(NoProgress),
            go(),
        )
        .await
        .unwrap();
        let m = store.messages(session).await.unwrap();
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(
            (m[0].role, m[0].text.as_str()),
            (Role::User, "Summarize notice.md (key points)")
        );
        assert_eq!(m[1].id, done.reply);
        assert_eq!(m[1].text, done.text);
        assert_eq!(m[1].status, MessageStatus::Complete);
        assert_eq!(m[1].citations.len(), done.summary.citations().len());

        // No documents: refused before anything is kept.
        let err = workflow::summarize(
            &store,
            Arc::clone(&e),
            session,
            Vec::new(),
            SummaryOptions::default(),
            Prompts::builtin(),
            Box::new(NoProgress),
            go(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "no_documents");
        assert_eq!(store.messages(session).await.unwrap().len(), 2);

        // An empty question is refused too.
        let docs = workflow::open_files(&store, session, &[file.as_path()], &Limits::default())
            .await
            .unwrap();
        let err = workflow::ask_files(
            &store,
            Arc::clone(&e),
            session,
            docs,
            " ",
            Default::default(),
            Prompts::builtin(),
            go(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "empty_question");
    });
}

#[test]
fn where_a_request_runs_is_the_explicit_choice_then_the_sessions_then_the_settings_then_this_computer(
) {
    use deskpilot_core::config::{BackendChoice, RemoteSettings, Settings};
    use deskpilot_core::workflow::{engine_config, Choice};
    let team = RemoteSettings::new("http://team-gpu:8000/v1", None, Some(8192)).unwrap();
    let other = RemoteSettings::new("http://other:9000/v1/", Some("qwen".into()), None).unwrap();
    let model = smollm2();
    let settings = Settings {
        model: Some(model.clone()),
        n_ctx: Some(3072),
        threads: Some(1),
        remote: Some(team.clone()),
        ..Settings::default()
    };
    let url = |c: &deskpilot_core::llm::EngineConfig| c.remote_config().map(|r| r.base_url.clone());

    // Nothing said: the settings' server.
    let cfg = engine_config(&Choice::default(), &settings).unwrap();
    assert_eq!(url(&cfg).as_deref(), Some("http://team-gpu:8000/v1"));
    assert_eq!(cfg.remote_config().unwrap().n_ctx, 8192);
    assert!(cfg.model_path().is_none());

    // The session's own choice beats the settings.
    let session_local = Choice {
        session: Some(BackendChoice::Local),
        ..Choice::default()
    };
    let cfg = engine_config(&session_local, &settings).unwrap();
    assert_eq!(cfg.model_path(), Some(model.as_path()));
    assert_eq!((cfg.n_ctx, cfg.threads), (3072, 1), "the settings' figures");
    assert!(
        cfg.process.is_some(),
        "the model runs in a process of its own"
    );

    // An explicit choice beats the session's; flags beat the settings.
    let explicit = Choice {
        explicit: Some(BackendChoice::Remote(other)),
        session: Some(BackendChoice::Local),
        n_ctx: Some(2048),
        ..Choice::default()
    };
    let cfg = engine_config(&explicit, &settings).unwrap();
    assert_eq!(url(&cfg).as_deref(), Some("http://other:9000/v1"));
    assert_eq!(cfg.remote_config().unwrap().model.as_deref(), Some("qwen"));
    assert_eq!(cfg.remote_config().unwrap().n_ctx, 2048);
    let flags = Choice {
        explicit: Some(BackendChoice::Local),
        n_ctx: Some(1024),
        threads: Some(2),
        ..Choice::default()
    };
    let cfg = engine_config(&flags, &settings).unwrap();
    assert_eq!((cfg.n_ctx, cfg.threads), (1024, 2));

    // A model file that is not there is named, with who chose it.
    let missing = Choice {
        explicit: Some(BackendChoice::Local),
        model: Some("/nowhere/model.gguf".into()),
        ..Choice::default()
    };
    let e = engine_config(&missing, &settings).unwrap_err();
    assert_eq!(e.code(), "model_missing");
    assert!(e.to_string().contains("/nowhere/model.gguf"), "{e}");
}
