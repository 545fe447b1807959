//! Turns the byte pieces of generated tokens into text that is safe to show:
//! whole UTF-8 characters only (a token may end inside one), and nothing that
//! could still turn out to be the start of a stop string.

/// Buffers an incomplete UTF-8 sequence across token boundaries.
#[derive(Default)]
pub(crate) struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// Appends bytes and returns every complete character so far. Invalid
    /// bytes become U+FFFD rather than being dropped silently.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(s) => {
                    out.push_str(s);
                    self.pending.clear();
                    return out;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    // SAFETY of the unwrap-free path: the prefix is valid UTF-8.
                    out.push_str(&String::from_utf8_lossy(&self.pending[..valid]));
                    match e.error_len() {
                        Some(bad) => {
                            out.push('\u{FFFD}');
                            self.pending.drain(..valid + bad);
                        }
                        None => {
                            // An incomplete sequence at the end: wait for more.
                            self.pending.drain(..valid);
                            return out;
                        }
                    }
                }
            }
        }
    }

    /// Whatever is left at the end of generation.
    pub(crate) fn finish(&mut self) -> String {
        let rest = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        rest
    }
}

/// Finds stop strings in streamed text, holding back any tail that could
/// still grow into one.
pub(crate) struct StopMatcher {
    stops: Vec<String>,
    held: String,
}

/// What to show after a push, and whether a stop string was hit.
#[derive(Debug, PartialEq)]
pub(crate) struct StopScan {
    pub emit: String,
    pub stopped: bool,
}

impl StopMatcher {
    pub(crate) fn new(stops: &[String]) -> Self {
        StopMatcher {
            stops: stops.to_vec(),
            held: String::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> StopScan {
        self.held.push_str(text);
        if self.stops.is_empty() {
            return StopScan {
                emit: std::mem::take(&mut self.held),
                stopped: false,
            };
        }
        let first_hit = self
            .stops
            .iter()
            .filter_map(|s| self.held.find(s.as_str()))
            .min();
        if let Some(at) = first_hit {
            let emit = self.held[..at].to_owned();
            self.held.clear();
            return StopScan {
                emit,
                stopped: true,
            };
        }
        // Keep the longest suffix that is a proper prefix of some stop string.
        let keep = self
            .stops
            .iter()
            .map(|s| longest_suffix_prefix(&self.held, s))
            .max()
            .unwrap_or(0);
        let cut = self.held.len() - keep;
        let emit = self.held[..cut].to_owned();
        self.held.drain(..cut);
        StopScan {
            emit,
            stopped: false,
        }
    }

    /// Held-back text, released when generation ends without a stop string.
    pub(crate) fn finish(&mut self) -> String {
        std::mem::take(&mut self.held)
    }
}

/// Length of the longest suffix of `text` that is a proper prefix of `stop`,
/// on character boundaries.
fn longest_suffix_prefix(text: &str, stop: &str) -> usize {
    let max = text.len().min(stop.len().saturating_sub(1));
    (1..=max)
        .rev()
        .find(|&n| {
            text.is_char_boundary(text.len() - n)
                && stop
                    .as_bytes()
                    .starts_with(&text.as_bytes()[text.len() - n..])
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_split_across_tokens_is_joined() {
        let mut s = Utf8Stream::default();
        let bytes = "日本".as_bytes();
        assert_eq!(s.push(&bytes[..2]), "");
        assert_eq!(s.push(&bytes[2..4]), "日");
        assert_eq!(s.push(&bytes[4..]), "本");
        assert_eq!(s.finish(), "");
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut s = Utf8Stream::default();
        assert_eq!(s.push(b"a\xffb"), "a\u{FFFD}b");
    }

    #[test]
    fn a_stop_string_split_over_pieces_is_found_and_not_shown() {
        let mut m = StopMatcher::new(&["</end>".to_string()]);
        let a = m.push("Hello </e");
        assert_eq!(a.emit, "Hello ");
        assert!(!a.stopped);
        let b = m.push("nd> ignored");
        assert_eq!(b.emit, "");
        assert!(b.stopped);
    }

    #[test]
    fn a_false_start_is_released() {
        let mut m = StopMatcher::new(&["STOP".to_string()]);
        assert_eq!(m.push("ST").emit, "");
        assert_eq!(m.push("AR").emit, "STAR");
        assert_eq!(m.push("S").emit, "");
        assert_eq!(m.finish(), "S");
    }

    #[test]
    fn no_stop_strings_pass_everything() {
        let mut m = StopMatcher::new(&[]);
        assert_eq!(m.push("abc").emit, "abc");
    }
}
