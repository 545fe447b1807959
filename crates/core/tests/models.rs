//! The model catalog (assets/models/catalog.json) and how its models fit
//! a computer's free memory.

use deskpilot_core::models::{self, Fit};

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
