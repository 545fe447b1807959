//! A readable name for a model: the GGUF's `general.name` when it is one,
//! else the file's name. Some converters write a training tag there
//! ("Smollm2 135M 8k Lc100K Mix1 Ep2"), which says nothing to a user; the
//! file a person downloads is named for people ("SmolLM2-135M-Instruct").

/// Words that mark a training run rather than a model.
fn is_training_tag(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let number_after = |prefix: &str| {
        w.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .trim_end_matches('k')
                    .chars()
                    .all(|c| c.is_ascii_digit())
        })
    };
    ["ep", "mix", "lc", "step", "iter", "ckpt", "epoch"]
        .iter()
        .any(|p| number_after(p))
        || matches!(w.as_str(), "ckpt" | "checkpoint" | "sft" | "dpo" | "orpo")
}

/// The name to show for a model with `general.name` (if any) in the file
/// at `stem` (its name without `.gguf`).
pub(crate) fn readable_name(general_name: Option<&str>, stem: &str) -> String {
    let tagged = general_name
        .is_none_or(|n| n.trim().is_empty() || n.split([' ', '-', '_']).any(is_training_tag));
    let from_file = clean_stem(stem);
    match general_name {
        Some(n) if !tagged => n.trim().to_owned(),
        // A blob named by its hash (Ollama's store) says even less.
        Some(n) if from_file.is_empty() || from_file.starts_with("sha256") => n.trim().to_owned(),
        _ if from_file.is_empty() => stem.to_owned(),
        _ => from_file,
    }
}

/// `SmolLM2-135M-Instruct.Q4_1` -> `SmolLM2 135M Instruct`: the
/// quantization suffix dropped, separators made spaces.
fn clean_stem(stem: &str) -> String {
    let is_quant = |part: &str| {
        let p = part.to_ascii_uppercase();
        (p.starts_with('Q') || p.starts_with("IQ"))
            && p.chars()
                .nth(if p.starts_with("IQ") { 2 } else { 1 })
                .is_some_and(|c| c.is_ascii_digit())
            || matches!(p.as_str(), "F16" | "BF16" | "F32")
    };
    let words: Vec<&str> = stem
        .split(['-', '_', ' '])
        .flat_map(|w| {
            // "Instruct.Q4" -> "Instruct", "Q4"; "Qwen2.5" stays whole.
            match w.rsplit_once('.') {
                Some((head, tail)) if is_quant(tail) => vec![head, tail],
                _ => vec![w],
            }
        })
        .collect();
    let end = words
        .iter()
        .position(|w| is_quant(w))
        .unwrap_or(words.len());
    // Everything from the quantization on (its K_M, XS... too) is dropped.
    let kept: Vec<&str> = words[..end]
        .iter()
        .copied()
        .filter(|w| !w.is_empty())
        .collect();
    kept.join(" ")
}

#[cfg(test)]
mod tests {
    use super::readable_name;

    #[test]
    fn a_training_tag_gives_way_to_the_file_name() {
        assert_eq!(
            readable_name(
                Some("Smollm2 135M 8k Lc100K Mix1 Ep2"),
                "SmolLM2-135M-Instruct.Q4_1"
            ),
            "SmolLM2 135M Instruct"
        );
        assert_eq!(
            readable_name(Some("Gemma 3 270m"), "gemma-3-270m-q4_k_m"),
            "Gemma 3 270m"
        );
        assert_eq!(
            readable_name(None, "Qwen2.5-7B-Instruct-Q4_K_M"),
            "Qwen2.5 7B Instruct"
        );
        assert_eq!(
            readable_name(Some("model-ep3"), "sha256-6a0746a1ec1a"),
            "model-ep3",
            "a hash names nothing either"
        );
        assert_eq!(
            readable_name(None, "llama-3.2-1b-instruct.IQ4_XS"),
            "llama 3.2 1b instruct"
        );
    }
}
