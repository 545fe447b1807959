//! The verdict in words: what the CLI prints and what a session keeps.

use super::{Level, Verdict};

impl Verdict {
    /// The verdict as people read it (and as a session keeps it): the
    /// level, the measures, the sentences that weighed most, the note that
    /// it is a hint.
    pub fn render(&self) -> String {
        let v = self;
        let mut out = String::new();
        match v.ai_probability {
            Some(p) => out.push_str(&format!(
                "{} (AI probability {:.0}%)\n",
                v.level.label(),
                p * 100.0
            )),
            None => out.push_str(&format!("{}\n", Level::TooShort.label())),
        }
        out.push_str(&format!(
            "perplexity {:.1}, burstiness {:.2}, mean log-rank {:.2}, discrepancy {:.2}; {} tokens under {}\n",
            v.perplexity, v.burstiness, v.log_rank, v.discrepancy, v.tokens, v.model
        ));
        // The sentences the verdict rests on most, and how hard each pushed.
        let drove: Vec<_> = v.sentences.iter().filter(|s| s.drove).collect();
        if !drove.is_empty() {
            let toward = if v.ai_probability.is_some_and(|p| p >= 0.5) {
                "machine-written"
            } else {
                "human"
            };
            out.push_str(&format!("sentences that weighed most toward {toward}:\n"));
            for s in drove {
                out.push_str(&format!(
                    "  {:9} {}\n",
                    s.strength.unwrap_or_default(),
                    shorten(s.text.trim(), 100)
                ));
            }
        }
        out.push_str(&v.note);
        out
    }
}

/// `text` on one line, cut to `max` characters.
fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max - 1).collect();
    format!("{cut}…")
}
