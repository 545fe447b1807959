//! The model catalog (assets/models/catalog.json) and how its models fit
//! a computer's free memory.

use deskpilot_core::models::{self, Fit};

mod layout {

    /// Builds, under `home`, the folders of Ollama, LM Studio, Jan, GPT4All and
    /// the Hugging Face cache around `model` (linked, as the apps' files are
    /// used in place), plus things that must not be offered.
    pub fn other_apps_layout(home: &std::path::Path, model: &std::path::Path) {
        use std::os::unix::fs::symlink;
        let mk = |p: &std::path::Path| std::fs::create_dir_all(p).unwrap();
        // Ollama: a manifest naming its model blob, and a template layer.
        let blobs = home.join(".ollama/models/blobs");
        mk(&blobs);
        symlink(model, blobs.join("sha256-1111")).unwrap();
        std::fs::write(blobs.join("sha256-2222"), "{{ .Prompt }}").unwrap();
        let manifest = home.join(".ollama/models/manifests/registry.ollama.ai/library/smol-test");
        mk(&manifest);
        std::fs::write(
        manifest.join("latest"),
        r#"{"schemaVersion":2,"layers":[
            {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:1111","size":1},
            {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:2222","size":1}]}"#,
    )
    .unwrap();
        // LM Studio, Jan, GPT4All: the files in their folders.
        for dir in [
            ".lmstudio/models/HuggingFaceTB/SmolLM2-GGUF",
            "jan/models/smol",
            ".local/share/nomic.ai/GPT4All",
        ] {
            mk(&home.join(dir));
            symlink(
                model,
                home.join(dir).join("SmolLM2-135M-Instruct.Q4_1.gguf"),
            )
            .unwrap();
        }
        // Not a model: a .gguf that is not GGUF.
        std::fs::write(
            home.join(".local/share/nomic.ai/GPT4All/broken.gguf"),
            "not gguf",
        )
        .unwrap();
        // The Hugging Face cache: snapshot files link to blobs.
        let repo =
            home.join(".cache/huggingface/hub/models--HuggingFaceTB--SmolLM2-135M-Instruct-GGUF");
        mk(&repo.join("blobs"));
        mk(&repo.join("snapshots/abc123"));
        symlink(model, repo.join("blobs/deadbeef")).unwrap();
        symlink(
            "../../blobs/deadbeef",
            repo.join("snapshots/abc123/smollm2-135m.gguf"),
        )
        .unwrap();
    }
}

const GIB: u64 = 1024 * 1024 * 1024;

#[test]
fn the_catalog_holds_at_least_eight_models_of_four_families_several_strong_in_chinese() {
    let catalog = models::catalog().expect("the catalog parses");
    assert!(catalog.len() >= 8, "{} models", catalog.len());
    let mut families: Vec<&str> = catalog.iter().map(|m| m.family.as_str()).collect();
    families.sort();
    families.dedup();
    assert!(families.len() >= 4, "{families:?}");
    let chinese = catalog
        .iter()
        .filter(|m| m.languages.first().map(String::as_str) == Some("zh"))
        .count();
    assert!(chinese >= 3, "{chinese} strong in Chinese");
    let mut ids: Vec<&str> = catalog.iter().map(|m| m.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), catalog.len(), "ids are unique");
    for m in &catalog {
        assert!(
            (0.45..=15.0).contains(&m.parameters_b),
            "{}: {} B is outside 0.5-14 B (0.49 is a 0.5B)",
            m.id,
            m.parameters_b
        );
        assert!(!m.licence.is_empty() && !m.good_at.is_empty(), "{}", m.id);
        assert!(
            m.context >= 8192 && m.layers > 0 && m.kv_heads > 0,
            "{}",
            m.id
        );
        assert_eq!(
            m.url("https://huggingface.co/"),
            format!("https://huggingface.co/{}/resolve/main/{}", m.repo, m.file)
        );
    }
}

#[test]
fn the_kv_cache_estimate_matches_the_known_figure_for_llama_3_1_8b() {
    let catalog = models::catalog().unwrap();
    let llama = catalog.iter().find(|m| m.id == "llama-3.1-8b").unwrap();
    // 32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes = 128 KiB a token.
    assert_eq!(llama.kv_bytes(8192), GIB);
    let size = llama.estimated_bytes() as f64 / 1e9;
    assert!(
        (4.5..5.2).contains(&size),
        "Q4_K_M 8B is about 4.9 GB, got {size:.2}"
    );
}

#[test]
fn models_are_marked_fits_tight_or_too_large_with_the_context_they_can_afford() {
    let catalog = models::catalog().unwrap();
    let get = |id: &str| catalog.iter().find(|m| m.id == id).unwrap();
    let small = get("qwen2.5-0.5b");
    let big = get("qwen2.5-14b");
    assert_eq!(models::assess(small, 4 * GIB).fit, Fit::Fits);
    assert_eq!(models::assess(big, 4 * GIB).fit, Fit::TooLarge);
    assert_eq!(models::assess(big, 64 * GIB).fit, Fit::Fits);
    // Between: loads, but leaves little else.
    let tight = models::assess(big, 10 * GIB);
    assert_eq!(tight.fit, Fit::Tight, "{tight:?}");
    // More memory affords more context, never beyond the model's own.
    let mut last = 0;
    for gib in [2, 4, 8, 16, 32, 64, 256] {
        let a = models::assess(get("llama-3.1-8b"), gib * GIB);
        let c = a.context.unwrap_or(0);
        assert!(c >= last, "{gib} GiB: {c} after {last}");
        assert!(c <= 131072);
        last = c;
    }
    let smol = models::assess(get("smollm2-1.7b"), 256 * GIB);
    assert_eq!(smol.context, Some(8192), "capped at its trained context");
}

#[test]
fn the_best_fit_is_the_largest_model_that_fits_and_can_prefer_a_language() {
    let catalog = models::catalog().unwrap();
    let best = models::best_fit(&catalog, 16 * GIB, None).expect("something fits 16 GiB");
    assert_eq!(models::assess(best, 16 * GIB).fit, Fit::Fits);
    assert!(best.parameters_b >= 7.0, "{}", best.id);
    for m in &catalog {
        if models::assess(m, 16 * GIB).fit == Fit::Fits {
            assert!(m.parameters_b <= best.parameters_b, "{} is bigger", m.id);
        }
    }
    let zh = models::best_fit(&catalog, 16 * GIB, Some("zh")).unwrap();
    assert_eq!(zh.languages[0], "zh", "{}", zh.id);
    let tiny = models::best_fit(&catalog, 2 * GIB, None).expect("a small one fits 2 GiB");
    assert!(tiny.parameters_b < 2.0, "{}", tiny.id);
    assert!(models::best_fit(&catalog, GIB / 4, None).is_none());
}

#[test]
fn models_other_apps_already_have_are_found_where_they_are() {
    use deskpilot_core::models::found::{find_models, Places, Source};
    let home = tempfile::tempdir().unwrap();
    let model = std::env::var_os("DESKPILOT_MODELS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| deskpilot_core::config::models_dir().unwrap())
        .join(deskpilot_core::config::DEFAULT_MODEL_FILE);
    assert!(
        model.is_file(),
        "{} is missing: run scripts/setup.sh --test",
        model.display()
    );
    layout::other_apps_layout(home.path(), &model);
    let no_env = |_: &str| None;
    let found = find_models(&Places {
        home: home.path().to_path_buf(),
        env: &no_env,
        system_ollama: Vec::new(),
        imported: Vec::new(),
    });
    let names: Vec<(Source, &str)> = found.iter().map(|f| (f.source, f.name.as_str())).collect();
    assert_eq!(
        names,
        vec![
            (Source::Ollama, "smol-test:latest"),
            (
                Source::LmStudio,
                "HuggingFaceTB/SmolLM2-GGUF/SmolLM2-135M-Instruct.Q4_1.gguf"
            ),
            (Source::Jan, "smol/SmolLM2-135M-Instruct.Q4_1.gguf"),
            (Source::Gpt4All, "SmolLM2-135M-Instruct.Q4_1.gguf"),
            (
                Source::HuggingFace,
                "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/smollm2-135m.gguf"
            ),
        ],
        "the template blob and the file that is not GGUF are left out"
    );
    // Offered in place, never copied.
    assert!(found[0].path.ends_with("blobs/sha256-1111"));
    // OLLAMA_MODELS moves Ollama's folder.
    let moved = tempfile::tempdir().unwrap();
    let env = |k: &str| (k == "OLLAMA_MODELS").then(|| moved.path().display().to_string());
    let found = find_models(&Places {
        home: home.path().to_path_buf(),
        env: &env,
        system_ollama: Vec::new(),
        imported: Vec::new(),
    });
    assert!(found.iter().all(|f| f.source != Source::Ollama));
}

#[test]
fn a_model_that_fits_the_gpu_whole_is_marked_for_it_and_the_rest_are_judged_by_ram() {
    use deskpilot_core::models::gpu::Gpu;
    let catalog = models::catalog().unwrap();
    let big = catalog.iter().find(|m| m.id == "qwen2.5-14b").unwrap();
    let gpu = |gib: u64| Gpu {
        name: "Test GPU".into(),
        total: gib * GIB,
        free: gib * GIB,
    };
    let on = models::assess_on(big, 4 * GIB, Some(&gpu(24)));
    assert_eq!(
        (on.fit, on.on_gpu.as_deref()),
        (Fit::Fits, Some("Test GPU"))
    );
    // Too big for a small GPU: judged by RAM, as before.
    let off = models::assess_on(big, 4 * GIB, Some(&gpu(4)));
    assert_eq!((off.fit, off.on_gpu), (Fit::TooLarge, None));
    assert_eq!(
        models::assess_on(big, 64 * GIB, Some(&gpu(4))).fit,
        models::assess(big, 64 * GIB).fit
    );
    // A 24 GiB GPU with little RAM suggests a big model; none, a small one.
    let best = models::best_fit_on(&catalog, 4 * GIB, Some(&gpu(24)), None).unwrap();
    assert!(best.parameters_b >= 7.0, "{}", best.id);
    let cpu = models::best_fit_on(&catalog, 4 * GIB, None, None).unwrap();
    assert!(cpu.parameters_b < 7.0, "{}", cpu.id);
}
