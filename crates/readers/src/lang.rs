//! Scripts and languages of text: which characters are written without
//! spaces between words (for search and overlap), and which language a
//! document is in (summaries answer in it by default).

/// Whether `c` is written without spaces between words (Han, kana).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x31F0..=0x31FF   // katakana extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFF66..=0xFF9D   // half-width katakana
        | 0x20000..=0x3FFFF // extensions B and later
    )
}

/// Byte ranges of the sentences of `text`, covering it end to end: each
/// keeps its trailing punctuation and spaces. CJK full stops and line
/// breaks end a sentence without a following space.
pub fn sentence_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, (i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|(_, n)| *n);
        let end = match c {
            '。' | '！' | '？' | '；' | '\n' => true,
            '.' | '!' | '?' | ';' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if end {
            let stop = i + c.len_utf8();
            // Keep the following spaces with this sentence.
            let mut stop2 = stop;
            for (j, n) in chars.iter().skip(k + 1) {
                if n.is_whitespace() && *n != '\n' {
                    stop2 = j + n.len_utf8();
                } else {
                    break;
                }
            }
            if stop2 > start {
                out.push(start..stop2);
                start = stop2;
            }
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// English words that carry no subject; left out of retrieval and of
/// word overlap, so that "what", "the" and "is" do not match everything.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "our",
    "say",
    "says",
    "should",
    "tell",
    "that",
    "the",
    "their",
    "them",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "according",
    "document",
    "documents",
    "file",
    "files",
    "please",
];

/// Whether `word` (lowercase) is one of [`STOPWORDS`].
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// Common short words of Latin-script languages, for telling them apart.
const LANGUAGE_WORDS: &[(&str, &[&str])] = &[
    (
        "English",
        &[
            "the", "and", "of", "to", "is", "in", "that", "for", "with", "are",
        ],
    ),
    (
        "Spanish",
        &[
            "el", "la", "de", "que", "y", "los", "las", "por", "una", "para",
        ],
    ),
    (
        "French",
        &[
            "le", "la", "les", "et", "des", "est", "une", "pour", "dans", "qui",
        ],
    ),
    (
        "German",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "für",
        ],
    ),
    (
        "Portuguese",
        &["o", "de", "que", "e", "do", "da", "em", "um", "para", "não"],
    ),
    (
        "Italian",
        &[
            "il", "di", "che", "e", "la", "per", "un", "non", "sono", "della",
        ],
    ),
    (
        "Dutch",
        &[
            "de", "het", "een", "en", "van", "is", "dat", "niet", "op", "voor",
        ],
    ),
];

/// The language most of `text` is written in, by script and, for Latin
/// script, by its commonest short words. Looks at the first 20,000
/// characters; English when unsure.
pub fn detect_language(text: &str) -> &'static str {
    let sample: String = text.chars().take(20_000).collect();
    let (mut han, mut kana, mut hangul, mut cyrillic, mut arabic, mut latin) = (0, 0, 0, 0, 0, 0);
    for c in sample.chars() {
        match c as u32 {
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF => hangul += 1,
            0x0400..=0x04FF => cyrillic += 1,
            0x0600..=0x06FF => arabic += 1,
            _ if is_cjk(c) => han += 1,
            _ if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    let top = [han + kana, hangul, cyrillic, arabic, latin];
    let max = *top.iter().max().unwrap_or(&0);
    if max == 0 {
        return "English";
    }
    if han + kana == max {
        return if kana * 5 > han {
            "Japanese"
        } else {
            "Chinese"
        };
    }
    if hangul == max {
        return "Korean";
    }
    if cyrillic == max {
        return "Russian";
    }
    if arabic == max {
        return "Arabic";
    }
    let lower = sample.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    LANGUAGE_WORDS
        .iter()
        .map(|(lang, stop)| (lang, words.iter().filter(|w| stop.contains(w)).count()))
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(lang, _)| *lang)
        .unwrap_or("English")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart() {
        assert_eq!(
            detect_language("The report shows that sales are up for the year."),
            "English"
        );
        assert_eq!(
            detect_language("本季度的销售额增长了百分之十二。"),
            "Chinese"
        );
        assert_eq!(
            detect_language("La empresa presentó los resultados de la campaña para el año."),
            "Spanish"
        );
        assert_eq!(
            detect_language("Die Firma hat das Ergebnis und die Zahlen für das Jahr nicht."),
            "German"
        );
        assert_eq!(detect_language("これは日本語のテキストです。"), "Japanese");
        assert_eq!(detect_language("12 34"), "English");
    }
}
