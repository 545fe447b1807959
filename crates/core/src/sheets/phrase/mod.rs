//! The deterministic reading of a question: common phrasings ("total
//! revenue by region", "average units in March 2024", "which product has
//! the highest revenue", "top 3 regions by units", "revenue per month",
//! "correlation between units and revenue", "missing values") become plans
//! without the model. Used when the model cannot produce a valid plan,
//! and to check what was understood.
//!
//! `reading` (a submodule: the two halves of one reader call each other)
//! accounts for every word of the question against a table and checks a
//! plan against that account.

pub mod reading;

use super::plan::{Filter, Func, Op, Order, Period, Plan};
use super::table::{Column, Kind, Table};

/// What the parser recognised, for "here is what I understood" when it
/// cannot build a plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understood {
    pub columns: Vec<String>,
    pub filters: Vec<Filter>,
    pub func: Option<Func>,
}

impl Understood {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.func {
            parts.push(format!("you want the {}", f.words()));
        }
        if !self.columns.is_empty() {
            parts.push(format!("of column(s) {}", self.columns.join(", ")));
        }
        for f in &self.filters {
            parts.push(format!("where {}", f.words()));
        }
        if parts.is_empty() {
            "no column of the table and nothing to compute".into()
        } else {
            parts.join(", ")
        }
    }
}

fn has(q: &str, words: &[&str]) -> bool {
    words.iter().any(|w| contains_word(q, w))
}

/// `needle` in `hay` with no letter or digit right before or after it.
fn contains_word(hay: &str, needle: &str) -> bool {
    find_word(hay, needle).is_some()
}

pub(crate) fn find_word(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        // Chinese characters around a Latin word ("羊毛A的") bound it too.
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() || crate::lang::is_cjk(c));
        // CJK text has no spaces: any match counts.
        let cjk = needle.chars().any(crate::lang::is_cjk);
        if cjk || (boundary(before) && boundary(after)) {
            return Some(start);
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Words for a result below zero ("made a loss"), read as "profit under
/// 0" where the table has a profit column.
pub const LOSS_WORDS: &[&str] = &[
    "loss-making",
    "losses",
    "loss",
    "lost money",
    "in the red",
    "亏损",
];

/// The numeric column a loss is said of: profits, net income, earnings.
pub fn profit_column(table: &Table) -> Option<&super::table::Column> {
    table
        .columns
        .iter()
        .filter(|c| c.kind.is_numeric())
        .find(|c| {
            let n = plain_name(&c.name);
            ["profit", "net income", "earnings", "利润"]
                .iter()
                .any(|k| n.contains(k))
        })
}

/// Irregular past tenses that open column names (`Took office`, `Left
/// office`, `Won`), with the verb's other forms.
const PAST_TENSES: &[(&str, &[&str])] = &[
    ("took", &["take", "takes", "taken", "taking"]),
    ("left", &["leave", "leaves", "leaving"]),
    ("won", &["win", "wins", "winning"]),
    ("lost", &["lose", "loses", "losing"]),
    ("began", &["begin", "begins", "begun", "beginning"]),
    ("held", &["hold", "holds", "holding"]),
    ("made", &["make", "makes", "making"]),
    ("sold", &["sell", "sells", "selling"]),
    ("spent", &["spend", "spends", "spending"]),
    ("built", &["build", "builds", "building"]),
    ("paid", &["pay", "pays", "paying"]),
    ("came", &["come", "comes", "coming"]),
    ("went", &["go", "goes", "gone", "going"]),
];

/// The ways people say a column's name: as written, and without the unit
/// in brackets or the `Group / Sub` joint of a two-level header
/// ("Net generation (GWh)" is "net generation", "Bill / Length (mm)" is
/// "bill length"), each also as a plural or singular.
pub fn spoken_forms(name: &str) -> Vec<String> {
    let full = name.to_lowercase();
    let plain = plain_name(name);
    let mut bases = vec![full.clone()];
    if !plain.is_empty() && plain != full {
        bases.push(plain);
    }
    let mut forms = Vec::new();
    for base in bases {
        forms.push(base.clone());
        if let Some(s) = base.strip_suffix('s') {
            forms.push(s.to_owned());
        } else {
            forms.push(format!("{base}s"));
        }
        if let Some(stem) = base.strip_suffix('y') {
            forms.push(format!("{stem}ies"));
        }
        // The act for those who did it, and back: "high school
        // graduation" for `High school graduates`, "graduates" for
        // `Graduation`.
        let (head, last) = base.rsplit_once(' ').unwrap_or(("", base.as_str()));
        let join = |w: String| {
            if head.is_empty() {
                w
            } else {
                format!("{head} {w}")
            }
        };
        let stem = last
            .strip_suffix("ates")
            .or_else(|| last.strip_suffix("ate"))
            .filter(|s| s.len() >= 4);
        if let Some(stem) = stem {
            forms.push(join(format!("{stem}ation")));
        }
        if let Some(stem) = last.strip_suffix("ation").filter(|s| s.len() >= 4) {
            forms.push(join(format!("{stem}ates")));
            forms.push(join(format!("{stem}ate")));
        }
        // A distance in metres written short: "200 metres" for `200m (s)`,
        // "the 100-metre hurdles" for `100m hurdles (s)`.
        let (first, rest) = base.split_once(' ').unwrap_or((base.as_str(), ""));
        if let Some(d) = first
            .strip_suffix('m')
            .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        {
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!(" {rest}")
            };
            for unit in ["metres", "meters", "metre", "meter", "m"] {
                forms.push(format!("{d} {unit}{rest}"));
                forms.push(format!("{d}-{unit}{rest}"));
            }
        }
        // A name said by its initials: "mpg" for `Miles per gallon`, "gdp"
        // for `Gross domestic product` (three words or more, all letters,
        // either a rate "per" something or with no small word in it).
        let parts: Vec<&str> = base.split(' ').collect();
        if parts.len() >= 3
            && parts
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()) && !w.is_empty())
            && (parts.contains(&"per") || !parts.iter().any(|w| crate::lang::is_stopword(w)))
        {
            forms.push(parts.iter().filter_map(|w| w.chars().next()).collect());
        }
        // A one-word name said as its verb: "tipped" for `Tip ($)`,
        // "scored" for `Score`.
        if !base.contains(' ') && base.len() >= 3 && base.chars().all(|c| c.is_ascii_lowercase()) {
            forms.push(past_tense(&base));
        }
        // Two words written as one or hyphened: "airbags" for `Air bags`,
        // "drivetrain", "e-mail".
        if let Some((a, b)) = base.split_once(' ') {
            if !b.contains(' ')
                && a.len() >= 2
                && b.len() >= 3
                && format!("{a}{b}").chars().all(|c| c.is_ascii_lowercase())
            {
                forms.push(format!("{a}{b}"));
                forms.push(format!("{a}-{b}"));
            }
        }
        // A rate "A per B" as a ratio: "the ratio of boys to girls" for
        // `Boys per girl`.
        if let Some((a, b)) = base.split_once(" per ") {
            if !a.is_empty() && !b.is_empty() && !b.contains(' ') {
                for b in [b.to_owned(), format!("{b}s")] {
                    forms.push(format!("ratio of {a} to {b}"));
                    forms.push(format!("{a} to {b} ratio"));
                    forms.push(format!("{a}-to-{b} ratio"));
                }
            }
        }
        // A name opening with an -ing word is said with its verb: "write
        // with the left hand" for `Writing hand` ("writ" + e, "clapp" less
        // one p; a form that is no word matches nothing).
        if let Some((first, _)) = base.split_once(' ') {
            if let Some(stem) = first.strip_suffix("ing").filter(|s| s.len() >= 3) {
                let b = stem.as_bytes();
                let doubled = b[b.len() - 1] == b[b.len() - 2];
                let verb = if doubled {
                    &stem[..stem.len() - 1]
                } else {
                    stem
                };
                for v in [verb.to_owned(), format!("{stem}e")] {
                    forms.push(format!("{v}s"));
                    forms.push(v);
                }
            }
        }
        // A name opening with a past tense is said with the verb's other
        // forms: "take office" for `Took office`, "left school".
        if let Some((verb, rest)) = base.split_once(' ') {
            if let Some((_, others)) = PAST_TENSES.iter().find(|(p, _)| *p == verb) {
                for o in *others {
                    forms.push(format!("{o} {rest}"));
                }
            }
        }
        // A count said as what happened: "died of disease" for `Deaths
        // from disease`, "killed by wounds".
        for (verbs, noun) in reading::TITLE_VERBS {
            let Some((first, rest)) = base.split_once(' ') else {
                continue;
            };
            let cause = ["from ", "of ", "by "]
                .iter()
                .find_map(|p| rest.strip_prefix(p))
                .filter(|c| !c.is_empty());
            if let (true, Some(cause)) = (first.starts_with(noun), cause) {
                for v in *verbs {
                    for p in ["of", "from", "by"] {
                        forms.push(format!("{v} {p} {cause}"));
                    }
                }
            }
        }
    }
    forms
}

/// A name lowercased, without bracketed units and `/` joints.
pub fn plain_name(name: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for ch in name.to_lowercase().chars() {
        match ch {
            // Chinese headers bracket their units full-width: 人口（千人）.
            '(' | '[' | '（' | '【' => depth += 1,
            ')' | ']' | '）' | '】' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => plain.push(' '),
            _ if depth == 0 => plain.push(ch),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Columns named in the question, with where; longer names first so that
/// "unit price" is not also read as "units" (names, their header parts,
/// units and common synonyms: [`reading::table_forms`]). Then, for
/// columns still not found, the last word of a name when no other column
/// ends with it ("price" for "Closing price"). Also returns the question
/// with every name found blanked out, so that words inside names ("Max
/// temperature", "Total cost") are not read as instructions.
fn mentioned(q: &str, table: &Table) -> (Vec<(usize, String)>, String) {
    let cols: Vec<&Column> = table.columns.iter().collect();
    let mut masked = q.to_owned();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mark = |masked: &mut String, out: &mut Vec<(usize, String)>, form: &str, name: &str| {
        let mut any = false;
        while let Some(at) = find_word(masked, form) {
            out.push((at, name.to_owned()));
            masked.replace_range(at..at + form.len(), &" ".repeat(form.len()));
            any = true;
        }
        any
    };
    for (form, name) in reading::table_forms(table) {
        mark(&mut masked, &mut out, &form, &name);
    }
    // "Which journal" in a table of journals names the rows, not the
    // column `Society journal` (a figure's name may be the title's word:
    // "price" in a table of stock prices).
    let own_words = reading::table_name_words(table, "");
    for c in &cols {
        if out.iter().any(|(_, n)| *n == c.name) {
            continue;
        }
        let Some(word) = own_last_word(table, c) else {
            continue;
        };
        if !c.kind.is_numeric() && reading::names_table(&own_words, &word) {
            continue;
        }
        for form in [word.clone(), format!("{word}s")] {
            // "How many months of prices": what is counted is a thing,
            // not a column ("how many towns have hardness over 100"
            // still names one); "all causes" is every cause. (Found
            // in the masked question, judged on the words as written.)
            if find_word(&masked, &form).is_some_and(|at| counted_at(q, at) || quantified_at(q, at))
            {
                continue;
            }
            if mark(&mut masked, &mut out, &form, &c.name) {
                break;
            }
        }
    }
    out.sort();
    (out, masked)
}

/// The ways a category value is written inside a sentence: itself, its
/// plural, and the adjective ("rain" in "rainy days", "male" in "males",
/// "sun" in "sunny").
pub fn value_forms(lower: &str) -> Vec<String> {
    let mut forms = vec![lower.to_owned()];
    if lower.chars().count() >= 3 && lower.chars().all(|c| c.is_alphabetic() || c == ' ') {
        // "Exercise frequently" of `Frequent`.
        if lower.chars().count() >= 5 && !lower.contains(' ') && !lower.ends_with('y') {
            forms.push(format!("{lower}ly"));
        }
        forms.push(format!("{lower}s"));
        forms.push(format!("{lower}es"));
        forms.push(format!("{lower}y"));
        if let Some(last) = lower.chars().last() {
            forms.push(format!("{lower}{last}y"));
        }
        // One of a plural value: "primate" of `Primates`.
        if let Some(one) = lower.strip_suffix('s') {
            if one.chars().count() >= 5 && !one.ends_with('s') {
                forms.push(one.to_owned());
            }
        }
        // The people of an adjective: "Democrats" of `Democratic`.
        if let Some(stem) = lower.strip_suffix("ic") {
            if stem.chars().count() >= 6 && !stem.contains(' ') {
                forms.push(format!("{stem}s"));
                forms.push(stem.to_owned());
            }
        }
    }
    forms
}

/// A number as written ("$30,000", "150k", "15%", "10 thousand"), with
/// its byte span; `scaled` when a multiplier word or suffix was written.
#[derive(Debug, Clone, Copy)]
struct Number {
    at: usize,
    end: usize,
    value: f64,
    scaled: bool,
    percent: bool,
}

fn numbers(q: &str) -> Vec<Number> {
    let bytes = q.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // "Two-storey houses", "a three-bedroom house": a number word
        // hyphened to a name is that number.
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if word_start && bytes[i].is_ascii_alphabetic() {
            // (The name after the hyphen may be blanked in the masked text.)
            let hyphened = NUMBER_WORDS.iter().zip(1..).find(|(w, _)| {
                q[i..].starts_with(*w)
                    && q[i + w.len()..].starts_with('-')
                    && q[i + w.len() + 1..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == ' ')
            });
            if let Some((w, v)) = hyphened {
                out.push(Number {
                    at: i,
                    end: i + w.len(),
                    value: f64::from(v),
                    scaled: false,
                    percent: false,
                });
                i += w.len();
                continue;
            }
        }
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || ((bytes[i] == b',' || bytes[i] == b'.')
                    && i + 1 < bytes.len()
                    && bytes[i + 1].is_ascii_digit()))
        {
            i += 1;
        }
        let digits: String = q[start..i].chars().filter(|c| *c != ',').collect();
        let Ok(mut value) = digits.parse::<f64>() else {
            continue;
        };
        // "4WD", "535i": a code, not a number (suffixes below excepted).
        let letter_after = q[i..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        let known_suffix = ["k", "m", "bn", "s", "st", "nd", "rd", "th"]
            .iter()
            .any(|x| {
                q[i..].starts_with(x)
                    && q[i + x.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            });
        if letter_after && !known_suffix {
            continue;
        }
        let mut end = i;
        let mut scaled = false;
        let mut percent = false;
        let rest = &q[i..];
        let trimmed = rest.trim_start();
        let gap = rest.len() - trimmed.len();
        for (word, m) in [
            ("万", 1e4),
            ("亿", 1e8),
            ("千", 1e3),
            ("thousand", 1e3),
            ("million", 1e6),
            ("billion", 1e9),
            ("bn", 1e9),
            ("k", 1e3),
            ("m", 1e6),
        ] {
            let tight = ["k", "m", "bn", "万", "亿", "千"].contains(&word);
            let (hay, skip) = if tight { (rest, 0) } else { (trimmed, gap) };
            // "15万美元": Chinese runs on without spaces.
            let cjk = word.chars().any(crate::lang::is_cjk);
            if word == "千" && hay.strip_prefix(word).is_some_and(metric_after_thousand) {
                continue;
            }
            if hay.starts_with(word)
                && (cjk
                    || hay[word.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric()))
            {
                value *= m;
                scaled = true;
                end = i + skip + word.len();
                break;
            }
        }
        if rest.starts_with('%') || trimmed.starts_with("percent") {
            percent = true;
        }
        out.push(Number {
            at: start,
            end,
            value,
            scaled,
            percent,
        });
        i = end.max(i);
    }
    out
}

/// Whether 千 before `rest` is the metric prefix of a unit (千米, 千克, 千瓦,
/// 千卡, 千焦), not a thousand of something (千人, 千美元).
fn metric_after_thousand(rest: &str) -> bool {
    rest.starts_with(['米', '克', '瓦', '卡', '焦'])
}

/// [`in_scale`], unless the column's own unit is written after the number
/// ("30万千人" against `人口（千人）` is 300,000 of the column's thousands).
fn scaled_for(q: &str, n: &Number, col: &Column) -> f64 {
    let unit = reading::unit_of(&col.name).unwrap_or_default();
    let said = !unit.is_empty()
        && unit.chars().any(|c| c.is_alphabetic())
        && q[n.end..].trim_start().starts_with(&unit);
    if said {
        n.value
    } else {
        in_scale(n, col)
    }
}

/// A number written against a column, in the column's own scale: "$30,000"
/// against "Price ($1000)" is 30; "100 billion" against "Sales ($bn)" is
/// 100; "15%" against a percent-formatted column is 0.15.
fn in_scale(n: &Number, col: &Column) -> f64 {
    let unit = reading::unit_of(&col.name).unwrap_or_default();
    // Longer multipliers first: 十亿 holds 亿, 百万 holds 万.
    let scale = if unit.contains("bn") || unit.contains("billion") || unit.contains("十亿") {
        1e9
    } else if unit.contains("亿") {
        1e8
    } else if unit.contains("million") || unit == "$m" || unit.contains("百万") {
        1e6
    } else if unit.contains("万") {
        1e4
    } else if unit.contains("1000")
        || unit.contains("thousand")
        // 千人, 千美元 count thousands; 千米, 千克, 千瓦 are units of their own.
        || unit
            .match_indices('千')
            .any(|(i, _)| !metric_after_thousand(&unit[i + '千'.len_utf8()..]))
    {
        1e3
    } else {
        1.0
    };
    let mut v = n.value;
    if scale > 1.0 && (n.scaled || v >= scale) {
        v /= scale;
    }
    if col.kind == Kind::Percent && n.percent {
        v /= 100.0;
    }
    v
}

/// Comparison phrases, and whether the number comes before the phrase
/// ("2 carats or more").
const COMPARE: &[(&str, Op)] = &[
    // Before the phrases they end with: "no more than 2" is at most 2.
    ("no more than", Op::Le),
    ("not more than", Op::Le),
    ("no less than", Op::Ge),
    ("not less than", Op::Ge),
    ("no fewer than", Op::Ge),
    ("not fewer than", Op::Ge),
    ("more than", Op::Gt),
    ("greater than", Op::Gt),
    ("higher than", Op::Gt),
    ("larger than", Op::Gt),
    ("bigger than", Op::Gt),
    ("heavier than", Op::Gt),
    ("hotter than", Op::Gt),
    ("warmer than", Op::Gt),
    ("longer than", Op::Gt),
    ("deeper than", Op::Gt),
    ("taller than", Op::Gt),
    ("older than", Op::Gt),
    ("wider than", Op::Gt),
    ("exceeding", Op::Gt),
    ("exceed", Op::Gt),
    ("over", Op::Gt),
    ("above", Op::Gt),
    ("at least", Op::Ge),
    ("less than", Op::Lt),
    ("fewer than", Op::Lt),
    ("lower than", Op::Lt),
    ("smaller than", Op::Lt),
    ("lighter than", Op::Lt),
    ("cheaper than", Op::Lt),
    ("colder than", Op::Lt),
    ("shorter than", Op::Lt),
    ("shallower than", Op::Lt),
    ("younger than", Op::Lt),
    ("under", Op::Lt),
    ("below", Op::Lt),
    ("at most", Op::Le),
    ("超过", Op::Gt),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("低于", Op::Lt),
    ("小于", Op::Lt),
];

/// "over 100 horsepower", "horsepower above 100", "at least 3 units",
/// "2 carats or more", "between 10 and 15 thousand dollars": comparisons
/// of a numeric column with a number, in the column's scale. Returns the
/// filters and the spans of the numbers used.
fn comparisons(
    q: &str,
    cols: &[(usize, String)],
    table: &Table,
    nums: &[Number],
    first_year: i32,
) -> (Vec<Filter>, Vec<usize>, Vec<usize>) {
    let numeric = |n: &str| table.column(n).filter(|c| c.kind.is_numeric());
    // Mentions of a compared column from its phrase to the word after
    // the number ("hotter than 90 degrees") only say what is compared.
    let consumed = std::cell::RefCell::new(Vec::new());
    let consume = |name: &str, from: usize, to: usize| {
        // "Spend more than $6,000 per student" of `Spending per student`:
        // the rest of the compared column's name said after the number is
        // its unit, not another column (`Students`).
        let plain = plain_name(name);
        let rest = q[to..].trim_start();
        let tail = plain
            .match_indices(' ')
            .map(|(i, _)| &plain[i + 1..])
            .filter(|t| t.contains(' '))
            .find(|t| rest.to_lowercase().starts_with(t));
        if let Some(t) = tail {
            let start = to + (q[to..].len() - rest.len());
            for (p, _) in cols {
                if *p >= start && *p < start + t.len() {
                    consumed.borrow_mut().push(*p);
                }
            }
        }
        let to = q[to..]
            .split_whitespace()
            .next()
            .map_or(to, |w| q[to..].find(w).map_or(to, |i| to + i + w.len()));
        for (p, n) in cols {
            if n == name && *p + 1 >= from.saturating_sub(30) && *p <= to + 40 {
                consumed.borrow_mut().push(*p);
            }
        }
    };
    // The column: named by the unit after the number, else the nearest
    // numeric one named after the number, else the one before.
    let column_for = |phrase_at: usize, n: &Number| -> Option<&Column> {
        // "15 mph": the unit right after the number names its column.
        let next = q[n.end..].trim_start();
        let by_unit = table
            .columns
            .iter()
            .filter(|c| c.kind.is_numeric())
            .find(|c| {
                reading::unit_of(&c.name).is_some_and(|u| {
                    u.len() >= 2
                        && u.chars().all(|ch| ch.is_alphabetic() || ch == '/')
                        && reading::unit_spellings(&u).iter().any(|w| {
                            w.len() >= 2
                                && next.starts_with(w.as_str())
                                && next[w.len()..].chars().next().is_none_or(|ch| {
                                    !ch.is_alphanumeric() || crate::lang::is_cjk(ch)
                                })
                        })
                })
            });
        // A unit two columns share ("8 MB" of RAM or of disk) names
        // neither.
        let shared = by_unit.is_some_and(|b| {
            let u = reading::unit_of(&b.name);
            table
                .columns
                .iter()
                .filter(|c| c.kind.is_numeric() && reading::unit_of(&c.name) == u)
                .count()
                > 1
        });
        if by_unit.is_some() && !shared {
            return by_unit;
        }
        // "More than 15% of people in poverty": a percent is compared with
        // a column of percents, the nearest named after it, else before.
        let percent = n.percent
            || next.starts_with('%')
            || next.starts_with("percent")
            || next.starts_with("per cent");
        if percent {
            let is_pct = |name: &str| {
                numeric(name).is_some_and(|c| reading::unit_of(&c.name).as_deref() == Some("%"))
            };
            let after = cols
                .iter()
                .filter(|(p, n2)| *p >= n.end && is_pct(n2))
                .filter(|(p, _)| q[n.end..*p].split_whitespace().count() <= 5)
                .min_by_key(|(p, _)| *p);
            let before = cols
                .iter()
                .filter(|(p, n2)| *p < phrase_at && is_pct(n2))
                .max_by_key(|(p, _)| *p);
            if let Some((_, name)) = after.or(before) {
                return numeric(name);
            }
        }
        // "人均GDP超过20000美元的国家的平均婴儿死亡率", "horsepower above
        // 100": a column named right before the comparison word is the
        // one compared, whatever is named after the number.
        let right_before = cols.iter().find(|(p, n2)| {
            *p < phrase_at
                && numeric(n2).is_some()
                && ["", "is", "was", "are", "were", "的", "是"]
                    .contains(&q[name_end(q, *p, n2, table).min(phrase_at)..phrase_at].trim())
        });
        if let Some((_, name)) = right_before {
            return numeric(name);
        }
        let after = cols
            .iter()
            .filter(|(p, n2)| *p >= n.end && numeric(n2).is_some())
            .min_by_key(|(p, _)| *p)
            .filter(|(p, _)| {
                let gap = &q[n.end..*p];
                gap.split_whitespace().count() <= 3
                    && !gap.split_whitespace().any(|w| w == "or" || w == "and")
            });
        let before = cols
            .iter()
            .filter(|(p, n2)| *p < phrase_at && numeric(n2).is_some())
            .max_by_key(|(p, _)| *p);
        after.or(before).and_then(|(_, name)| numeric(name))
    };
    let mut out: Vec<Filter> = Vec::new();
    let mut used = Vec::new();
    // Between A and B.
    for (word, join) in [("between", " and "), ("from", " to "), ("介于", "和")] {
        let mut from = 0;
        while let Some(at) = find_word(&q[from..], word).map(|a| a + from) {
            from = at + word.len();
            let Some(a) = nums.iter().find(|n| {
                n.at > at
                    && q[at + word.len()..n.at]
                        .trim_start_matches(['$', ' '])
                        .is_empty()
            }) else {
                continue;
            };
            let Some(b) = nums.iter().find(|n| {
                n.at > a.end && q[a.end..n.at].trim_start_matches([' ', '$']).trim() == join.trim()
            }) else {
                continue;
            };
            // "10 and 15 thousand": the multiplier of the second applies
            // to both.
            let mut a = *a;
            if b.scaled && !a.scaled {
                a.value *= b.value
                    / q[b.at..b.end]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                        .filter(|c| *c != ',')
                        .collect::<String>()
                        .parse::<f64>()
                        .unwrap_or(b.value);
                a.scaled = true;
            }
            if is_year(q, &a, first_year) || is_year(q, b, first_year) {
                continue;
            }
            if let Some(c) = column_for(at, b) {
                out.push(Filter::new(
                    c.name.clone(),
                    Op::Ge,
                    fmt_num(scaled_for(q, &a, c)),
                ));
                out.push(Filter::new(
                    c.name.clone(),
                    Op::Le,
                    fmt_num(scaled_for(q, b, c)),
                ));
                consume(&c.name, at, b.end);
                used.push(a.at);
                used.push(b.at);
            }
        }
    }
    for &(phrase, op) in COMPARE {
        let mut from = 0;
        while let Some(at) = find_word(&q[from..], phrase).map(|a| a + from) {
            from = at + phrase.len();
            let Some(n) = nums.iter().find(|n| {
                n.at > at
                    && q[at + phrase.len()..n.at]
                        .trim()
                        .trim_start_matches(['$', '€', '£'])
                        .is_empty()
            }) else {
                continue;
            };
            if used.contains(&n.at) {
                continue;
            }
            if let Some(c) = column_for(at, n) {
                out.push(Filter::new(
                    c.name.clone(),
                    op,
                    fmt_num(scaled_for(q, n, c)),
                ));
                consume(&c.name, at, n.end);
                used.push(n.at);
            }
        }
    }
    // "2 carats or more", "10 or fewer".
    for (phrase, op) in [
        ("or more", Op::Ge),
        ("or over", Op::Ge),
        ("or above", Op::Ge),
        ("or higher", Op::Ge),
        ("or faster", Op::Ge),
        ("or longer", Op::Ge),
        ("or bigger", Op::Ge),
        ("or larger", Op::Ge),
        ("or older", Op::Ge),
        ("or less", Op::Le),
        ("or slower", Op::Le),
        ("or shorter", Op::Le),
        ("or smaller", Op::Le),
        ("or younger", Op::Le),
        ("or fewer", Op::Le),
        ("or under", Op::Le),
        ("or lower", Op::Le),
        ("以上", Op::Ge),
        ("以下", Op::Le),
    ] {
        let Some(at) = find_word(q, phrase) else {
            continue;
        };
        let Some(n) = nums
            .iter()
            .rev()
            .find(|n| n.end <= at && !used.contains(&n.at))
        else {
            continue;
        };
        // "2 carats or more", else "3 or more bathrooms" (the column's
        // name right after the phrase).
        let right_after = |p: usize| {
            q.get(at + phrase.len()..p)
                .is_some_and(|gap| gap.trim().is_empty())
        };
        let c = cols
            .iter()
            .filter(|(p, name)| *p >= n.end && *p <= at && numeric(name).is_some())
            .map(|(_, name)| name)
            .next()
            .and_then(|name| numeric(name))
            .or_else(|| column_for(n.at, n))
            .or_else(|| {
                cols.iter()
                    .find(|(p, name)| right_after(*p) && numeric(name).is_some())
                    .and_then(|(_, name)| numeric(name))
            });
        if let Some(c) = c {
            out.push(Filter::new(
                c.name.clone(),
                op,
                fmt_num(scaled_for(q, n, c)),
            ));
            let end = cols
                .iter()
                .find(|(p, name)| right_after(*p) && *name == c.name)
                .map_or(at + phrase.len(), |(p, _)| *p + 1);
            consume(&c.name, n.at, end);
            used.push(n.at);
        }
    }
    let consumed = consumed.into_inner();
    (out, used, consumed)
}

/// Whether a number is a year (four digits, from `first_year`, see
/// [`first_year`], to 2100: "in 1665" of christenings since 1629).
fn is_year(q: &str, n: &Number, first_year: i32) -> bool {
    let text = &q[n.at..n.end];
    text.len() == 4
        && text.chars().all(|c| c.is_ascii_digit())
        && (f64::from(first_year)..=2100.0).contains(&n.value)
}

/// The earliest year a four-digit number may be: 1800, or the table's
/// first year where its calendar starts earlier (not before 1000).
fn first_year(table: &Table) -> i32 {
    let earliest = match calendar(table) {
        Some(Calendar::Years { year, .. }) => (0..year.values.len())
            .filter_map(|i| year.values.number(i))
            .fold(f64::INFINITY, f64::min),
        Some(Calendar::Dates(d)) => (0..d.values.len())
            .filter_map(|i| {
                d.values
                    .date_time(i)
                    .map(|t| f64::from(chrono::Datelike::year(&t)))
            })
            .fold(f64::INFINITY, f64::min),
        None => f64::INFINITY,
    };
    if earliest.is_finite() {
        (earliest.floor() as i32).clamp(1000, 1800)
    } else {
        1800
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Numbers written right against a numeric column with no comparison:
/// "a dose of 2 mg/day", "shelf 2", "at the 0.5 mg/day dose". Equality.
fn equalities(
    q: &str,
    cols: &[(usize, String)],
    table: &Table,
    nums: &[Number],
    taken: &[usize],
    first_year: i32,
) -> Vec<(Filter, usize)> {
    let mut out = Vec::new();
    for n in nums {
        if taken.contains(&n.at) || is_year(q, n, first_year) {
            continue;
        }
        let before = &q[..n.at];
        let after = &q[n.end..];
        let joined = |p: &usize, name: &String, after_only: bool| {
            let Some(c) = table.column(name).filter(|c| c.kind.is_numeric()) else {
                return false;
            };
            let form_end = name_end(q, *p, name, table);
            let gap_before = before.get(form_end..).map(|g| g.trim());
            let joined_before = *p < n.at
                && gap_before.is_some_and(|g| {
                    [
                        "",
                        "of",
                        "=",
                        "of a",
                        "is",
                        "was",
                        "equals",
                        "is equal to",
                        "为",
                        "是",
                        "等于",
                    ]
                    .contains(&g)
                });
            let gap_after = after.get(..p.saturating_sub(n.end)).map(|g| g.trim());
            // "4-cylinder cars": a hyphen joins the number to the name.
            let joined_after = *p >= n.end && gap_after.is_some_and(|g| g.is_empty() || g == "-");
            let unit = reading::unit_of(&c.name)
                .is_some_and(|u| after.trim_start().starts_with(&u) && u.len() >= 2);
            if after_only {
                joined_after || unit
            } else {
                joined_before
            }
        };
        // "8 cylinder cars" before "weight of 8": a number right before a
        // column's name, or with its unit, names that column first.
        let near = cols
            .iter()
            .find(|(p, name)| joined(p, name, true))
            .or_else(|| cols.iter().find(|(p, name)| joined(p, name, false)));
        if let Some((_, name)) = near {
            if let Some(c) = table.column(name) {
                out.push((
                    Filter::new(name.clone(), Op::Eq, fmt_num(scaled_for(q, n, c))),
                    n.at,
                ));
            }
        }
    }
    out
}

/// The end of the column `name` named at `at`: the longest of its forms
/// written there (Chinese runs on without spaces, so the word run would
/// take the rest of the sentence), else the word run.
fn name_end(q: &str, at: usize, name: &str, table: &Table) -> usize {
    reading::table_forms(table)
        .into_iter()
        .filter(|(form, col)| col == name && q[at..].starts_with(form.as_str()))
        .map(|(form, _)| at + form.len())
        .max()
        .unwrap_or_else(|| find_end(q, at))
}

/// The end of the word run starting at `at` (a column's spoken form).
fn find_end(q: &str, at: usize) -> usize {
    let rest = &q[at..];
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '-' || *c == '\''))
        .map_or(rest.len(), |(i, _)| i);
    at + len
}

/// Category values named in the question become filters (several values
/// of one column: one filter keeping any of them). Longer words are
/// claimed first, across all columns, and a word two columns share goes
/// to a category column before a column of names ("banks" is the
/// industry Banking, not a company called Bank).
fn value_filters(q: &str, raw: &str, table: &Table) -> Vec<Filter> {
    let own_words = reading::table_name_words(table, "");
    // (form, column index, value, rank of the column's kind)
    let mut candidates: Vec<(String, usize, String, u8)> = Vec::new();
    for (ci, c) in table.columns.iter().enumerate() {
        let rank = match c.kind {
            Kind::Category | Kind::Bool => 0,
            Kind::Text => 1,
            Kind::Identifier => 2,
            _ => continue,
        };
        // Ids are distinct per row: past 5,000 rows there are too many to
        // be named in a question, and sorting them is not free.
        if c.kind == Kind::Identifier && c.values.count() > 5000 {
            continue;
        }
        let cells = c.values.distinct_cells();
        if cells.len() > 5000 {
            continue;
        }
        for i in cells {
            let Some(text) = c.values.key(i) else {
                continue;
            };
            let lower = text.to_lowercase();
            if reading::value_is_ordinary_word(&text, raw) {
                continue;
            }
            if let Some(forms) = reading::coded_value_forms(c, &lower) {
                for f in forms {
                    candidates.push((f, ci, text.to_string(), rank));
                }
                continue;
            }
            if lower.chars().count() >= 2 {
                for f in reading::value_words(&lower) {
                    // "Deaths" in a table of deaths names the rows.
                    if f != lower && own_words.contains(&f) {
                        continue;
                    }
                    candidates.push((f, ci, text.to_string(), rank));
                }
            } else if let Some(pair) = reading::value_before_noun(q, &lower, &own_words) {
                candidates.push((pair, ci, text.to_string(), rank));
            } else if text.chars().all(char::is_uppercase) {
                // One-letter values ("wool A") only as written, in capitals.
                if find_word(raw, &text).is_some_and(|at| at > 0) {
                    candidates.push((lower, ci, text.to_string(), rank));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.3.cmp(&b.3)));
    let mut masked = q.to_owned();
    let mut hits: Vec<(usize, usize, String)> = Vec::new();
    for (form, ci, value, _) in candidates {
        // "US" is the country only written in capitals, never "us".
        if form == "us" && find_word(raw, "US").is_none() {
            continue;
        }
        let one_letter = form.chars().count() < 2;
        let at = if one_letter {
            find_word(raw, &value).filter(|at| masked.get(*at..*at + 1) == Some(&form[..]))
        } else {
            find_word(&masked, &form)
        };
        if let Some(at) = at {
            masked.replace_range(at..at + form.len(), &" ".repeat(form.len()));
            if !hits
                .iter()
                .any(|(c, _, v)| *c == ci && v.eq_ignore_ascii_case(&value))
            {
                hits.push((ci, at, value));
            }
        }
    }
    let mut out: Vec<Filter> = Vec::new();
    for (ci, c) in table.columns.iter().enumerate() {
        let mut mine: Vec<(usize, String)> = hits
            .iter()
            .filter(|(c2, _, _)| *c2 == ci)
            .map(|(_, at, v)| (*at, v.clone()))
            .collect();
        mine.sort();
        match mine.len() {
            0 => {}
            1 => {
                let (at, value) = mine.remove(0);
                let op = if negated_before(q, at) {
                    Op::Ne
                } else {
                    Op::Eq
                };
                out.push(Filter::new(c.name.clone(), op, value))
            }
            _ => {
                let values: Vec<String> = mine.into_iter().map(|(_, v)| v).collect();
                out.push(Filter::new(c.name.clone(), Op::In, values.join("\n")))
            }
        }
    }
    out
}

/// A column of yes and no named as something the rows have ("how many
/// cars have a manual transmission", "orders with express shipping"):
/// the rows where it is yes; after a negation ("without", "no", "don't
/// have") the rows where it is not.
fn yes_no_filters(q: &str, table: &Table, taken: &[Filter]) -> Vec<Filter> {
    let mut out = Vec::new();
    // The table's forms, found only when a yes/no column needs them.
    let forms = std::cell::OnceCell::new();
    for c in &table.columns {
        if taken.iter().any(|f| f.column == c.name) {
            continue;
        }
        let Some(yes) = yes_value(c) else {
            continue;
        };
        // "Premium brands" for `Premium brand`: any of the name's forms,
        // or of its synonyms ("吸烟者" for `Smoker`).
        let Some(at) = spoken_forms(&c.name)
            .into_iter()
            .chain(
                forms
                    .get_or_init(|| reading::table_forms(table))
                    .iter()
                    .filter(|(_, n)| *n == c.name)
                    .map(|(f, _)| f.clone()),
            )
            // "On the river" for `On the Charles River`.
            .chain(own_last_word(table, c))
            .filter_map(|f| find_word(q, &f))
            .min()
        else {
            continue;
        };
        let before: Vec<&str> = q[..at]
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        let near = &before[before.len().saturating_sub(3)..];
        // "Tracts on the river" for `On the Charles River`: the name's own
        // opening preposition says the rows are where it is yes.
        let own = plain_name(&c.name);
        let own_first = own.split(' ').next().unwrap_or("");
        // ("Tracts on the Charles River": the whole name, preposition
        // and all.)
        let preposition = ["on", "in", "near", "at", "by"].contains(&own_first)
            && (near.contains(&own_first) || q[at..].starts_with(&format!("{own_first} ")));
        let owning = [
            "have", "has", "had", "with", "offer", "offers", "come", "comes", "from", "are", "is",
            "were", "was", "include", "includes", "use", "uses",
        ];
        // "Society journals" for `Society journal` in a table of journals:
        // the name is a kind of the rows themselves.
        let own_words = reading::table_name_words(table, "");
        let kind_of_rows = own.split(' ').count() >= 2
            && own
                .rsplit(' ')
                .next()
                .is_some_and(|last| reading::names_table(&own_words, last));
        // "A tip left by a smoker", "non-smokers" for `Smoker`: a name
        // for a kind of person is said of the rows where it is yes.
        let agent = !own.contains(' ')
            && own.len() >= 5
            && ["er", "or", "ist"].iter().any(|e| own.ends_with(e));
        if !preposition
            && !kind_of_rows
            && !agent
            && !near
                .iter()
                .any(|w| owning.contains(w) || *w == "without" || *w == "no")
        {
            continue;
        }
        // (不吸烟的, 非吸烟者, 没有吸烟的: Chinese says "not" right before.)
        let non = (near.last() == Some(&"non") && q[..at].ends_with('-'))
            || ["不", "非", "没有", "不是"]
                .iter()
                .any(|w| q[..at].ends_with(w));
        let negated =
            near.iter().any(|w| *w == "without" || *w == "no") || non || negated_before(q, at);
        let op = if negated { Op::Ne } else { Op::Eq };
        out.push(Filter::new(c.name.clone(), op, yes.clone()));
    }
    out
}

/// Words that negate the value after them: "not from the USA",
/// "excluding vans", "outside the United States", "other than Japan"
/// (contractions such as "aren't" too, by their ending).
pub const NEGATIONS: &[&str] = &[
    "not",
    "excluding",
    "except",
    "outside",
    "besides",
    "other than",
    "apart from",
];

/// Chinese words that negate the value after them: 不是 (is not), 除了 and
/// 除去 (except), 不包括 (excluding).
pub const ZH_NEGATIONS: &[&str] = &["不是", "除了", "除去", "不包括"];

/// The ends of 除了 ... 以外 / 之外 ("except ..."), after the value.
pub const ZH_NEGATION_ENDS: &[&str] = &["以外", "之外"];

/// Whether `word`, or `word` with the `next` one, is one of
/// [`NEGATIONS`] or a contraction ending in "n't".
pub fn is_negation(word: &str, next: &str) -> bool {
    word.ends_with("n't")
        || NEGATIONS.contains(&word)
        || NEGATIONS.contains(&format!("{word} {next}").as_str())
}

/// Whether the value named at byte `at` of `q` is negated by one of the
/// four words before it: "not from the USA", "excluding vans", "outside
/// the United States", "other than Japan", "aren't professors",
/// "除了教授", "不是美国".
fn negated_before(q: &str, at: usize) -> bool {
    let before = &q[..at];
    if ZH_NEGATIONS.iter().any(|w| before.trim_end().ends_with(w)) {
        return true;
    }
    let words: Vec<&str> = before
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    let last = &words[words.len().saturating_sub(4)..];
    (0..last.len()).any(|i| is_negation(last[i], last.get(i + 1).copied().unwrap_or("")))
}

/// A month's number from its name or a 3- or 4-letter abbreviation
/// ("mar", "sept").
fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    crate::support::MONTHS
        .iter()
        .position(|m| *m == word || (word.len() <= 4 && m.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// A date, a period or a span written in the question, as filter values
/// on a date column: `1973-06-04`, `1958-03`, `2008-Q4`, `2014`, `*-07`
/// (July of any year); a span as (from, to).
#[derive(Debug, Clone, PartialEq)]
enum When {
    At(String),
    Span(String, String),
}

/// Dates and periods in the question, in order, with the bytes they span.
fn whens(q: &str, first_year: i32) -> Vec<(usize, usize, When)> {
    // Words with their byte offsets.
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, ch) in q.char_indices() {
        let part = ch.is_ascii_alphanumeric();
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &q[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &q[s..]));
    }
    let year = |w: &str| {
        (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
            .then(|| w.parse::<i32>().ok())
            .flatten()
            .filter(|y| (first_year..=2100).contains(y))
    };
    let day = |w: &str| {
        let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        d.parse::<u32>()
            .ok()
            .filter(|d| (1..=31).contains(d) && d.to_string().len() == d.to_string().len())
            .filter(|_| w.len() <= 4 && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
    };
    let quarter = |w: &str| match w {
        "first" | "1st" | "q1" => Some(1),
        "second" | "2nd" | "q2" => Some(2),
        "third" | "3rd" | "q3" => Some(3),
        "fourth" | "4th" | "q4" | "last" => Some(4),
        _ => None,
    };
    let mut out: Vec<(usize, usize, When)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (at, w) = words[i];
        let next = |k: usize| words.get(i + k).map(|x| x.1).unwrap_or("");
        let end_of = |k: usize| words.get(i + k).map_or(q.len(), |x| x.0 + x.1.len());
        // "1 July 1973", "4 June 1973".
        if let (Some(d), Some(m), Some(y)) = (day(w), month_of(next(1)), year(next(2))) {
            out.push((at, end_of(2), When::At(format!("{y}-{m:02}-{d:02}"))));
            i += 3;
            continue;
        }
        // "July 1, 1973".
        if let (Some(m), Some(d), Some(y)) = (month_of(w), day(next(1)), year(next(2))) {
            out.push((at, end_of(2), When::At(format!("{y}-{m:02}-{d:02}"))));
            i += 3;
            continue;
        }
        // "1 June and 15 June 1973", "1 June to 15 June 1973".
        if let (Some(d1), Some(m1), Some(d2), Some(m2), Some(y)) = (
            day(w),
            month_of(next(1)),
            day(next(3)),
            month_of(next(4)),
            year(next(5)),
        ) {
            if ["and", "to", "until", "through"].contains(&next(2)) {
                out.push((
                    at,
                    end_of(5),
                    When::Span(
                        format!("{y}-{m1:02}-{d1:02}"),
                        format!("{y}-{m2:02}-{d2:02}"),
                    ),
                ));
                i += 6;
                continue;
            }
        }
        // "4 July", "July 4th" with no year: that day of any year (kept
        // only where the dates span one year; see `day_of_the_year`).
        if let (Some(d), Some(m)) = (day(w), month_of(next(1))) {
            if year(next(2)).is_none() {
                out.push((at, end_of(1), When::At(format!("*-{m:02}-{d:02}"))));
                i += 2;
                continue;
            }
        }
        if let (Some(m), Some(d)) = (month_of(w), day(next(1))) {
            if year(next(2)).is_none() && next(1) != "may" {
                out.push((at, end_of(1), When::At(format!("*-{m:02}-{d:02}"))));
                i += 2;
                continue;
            }
        }
        // "the fourth quarter of 2008", "Q4 2008", "2008 Q4".
        if let Some(qn) = quarter(w) {
            let (skip, y) = if next(1) == "quarter" && next(2) == "of" {
                (3, year(next(3)))
            } else if next(1) == "quarter" {
                (2, year(next(2)))
            } else if w.starts_with('q') {
                (1, year(next(1)))
            } else {
                (0, None)
            };
            if let Some(y) = y {
                out.push((at, end_of(skip), When::At(format!("{y}-Q{qn}"))));
                i += skip + 1;
                continue;
            }
        }
        // Chinese dates ("1973年8月") are read below.
        if q[at + w.len()..].starts_with(['年', '月']) {
            i += 1;
            continue;
        }
        if let Some(y) = year(w) {
            if let Some(qn) = quarter(next(1)).filter(|_| next(1).starts_with('q')) {
                out.push((at, end_of(1), When::At(format!("{y}-Q{qn}"))));
                i += 2;
                continue;
            }
            // "March 2024" narrows the year to the month.
            let month = i.checked_sub(1).and_then(|p| month_of(words[p].1));
            match month {
                Some(m) => {
                    let from = words[i - 1].0;
                    out.push((from, at + w.len(), When::At(format!("{y}-{m:02}"))));
                }
                None => out.push((at, at + w.len(), When::At(y.to_string()))),
            }
            i += 1;
            continue;
        }
        // "the 1970s".
        if w.len() == 5 && w.ends_with('s') {
            if let Some(y) = year(&w[..4]).filter(|y| y % 10 == 0) {
                out.push((at, at + 5, When::Span(y.to_string(), (y + 9).to_string())));
                i += 1;
                continue;
            }
        }
        // "in July", "during August": a month of any year.
        if let Some(m) = month_of(w) {
            let prev = i.checked_sub(1).map(|p| words[p].1).unwrap_or("");
            let later_year = year(next(1)).is_some();
            if !later_year
                && (w != "may"
                    || [
                        "in", "of", "during", "for", "from", "to", "and", "until", "since",
                        "between",
                    ]
                    .contains(&prev))
            {
                out.push((at, at + w.len(), When::At(format!("*-{m:02}"))));
            }
        }
        i += 1;
    }
    // Chinese: "1973年8月", "2000年", "7月", "第四季度".
    let cjk: Vec<(usize, char)> = q.char_indices().collect();
    let mut k = 0;
    while k < cjk.len() {
        let (at, ch) = cjk[k];
        if ch.is_ascii_digit() {
            let mut e = k;
            while e < cjk.len() && cjk[e].1.is_ascii_digit() {
                e += 1;
            }
            let digits: String = cjk[k..e].iter().map(|x| x.1).collect();
            let after = cjk.get(e).map(|x| x.1);
            if after == Some('年') {
                let y = digits.clone();
                // "1973年8月"
                let mut m_end = e + 1;
                while m_end < cjk.len() && cjk[m_end].1.is_ascii_digit() {
                    m_end += 1;
                }
                let m: String = cjk[e + 1..m_end].iter().map(|x| x.1).collect();
                let end_byte = |idx: usize| cjk.get(idx).map_or(q.len(), |x| x.0);
                if !m.is_empty() && cjk.get(m_end).map(|x| x.1) == Some('月') {
                    if let Ok(mn) = m.parse::<u32>() {
                        out.push((at, end_byte(m_end + 1), When::At(format!("{y}-{mn:02}"))));
                        k = m_end + 1;
                        continue;
                    }
                }
                // "2008年第四季度"
                let rest: String = cjk[e + 1..].iter().map(|x| x.1).collect();
                let quarter_zh = ["第一季度", "第二季度", "第三季度", "第四季度"]
                    .iter()
                    .position(|p| rest.starts_with(p));
                if let Some(qn) = quarter_zh {
                    out.push((at, end_byte(e + 6), When::At(format!("{y}-Q{}", qn + 1))));
                    k = e + 6;
                    continue;
                }
                out.push((at, end_byte(e + 1), When::At(y)));
                k = e + 1;
                continue;
            }
            if after == Some('月') && !out.iter().any(|(s, en, _)| *s <= at && at < *en) {
                if let Ok(mn) = digits.parse::<u32>() {
                    if (1..=12).contains(&mn) {
                        out.push((
                            at,
                            cjk.get(e + 1).map_or(q.len(), |x| x.0),
                            When::At(format!("*-{mn:02}")),
                        ));
                    }
                }
            }
            k = e;
            continue;
        }
        k += 1;
    }
    // "between 1999 and 2008", "from 1940 to 1945", "1949年到1960年":
    // two years joined become a span.
    out.sort_by_key(|w| w.0);
    out.dedup_by(|b, a| b.0 < a.1);
    let mut joined: Vec<(usize, usize, When)> = Vec::new();
    let mut j = 0;
    while j < out.len() {
        if j + 1 < out.len() {
            let (a, ae, wa) = &out[j];
            let (_, be, wb) = &out[j + 1];
            let gap = q[*ae..out[j + 1].0].trim();
            let before = q[..*a].trim_end();
            let spans = matches!(gap, "and" | "to" | "through" | "until" | "-" | "到" | "至")
                && (before.ends_with("between")
                    || before.ends_with("from")
                    || gap == "到"
                    || gap == "至");
            if spans {
                if let (When::At(x), When::At(y)) = (wa, wb) {
                    joined.push((*a, *be, When::Span(x.clone(), y.clone())));
                    j += 2;
                    continue;
                }
            }
        }
        joined.push(out[j].clone());
        j += 1;
    }
    joined
}

/// Whether a column of numbers holds few whole values (a dose, a shelf,
/// a year), so that it can group rows.
fn few_values(c: &Column) -> bool {
    c.kind.is_numeric() && {
        let d = c.values.distinct_cells();
        d.len() <= 60
            && d.iter().all(|&i| {
                c.values
                    .number(i)
                    .is_some_and(|v| v.fract() == 0.0 || d.len() <= 12)
            })
    }
}

/// Whether a text column names the rows themselves: nearly every value
/// is its own (a president, a county). Its few repeats are then different
/// things of one name (two presidents Bush), so "how many presidents"
/// counts rows, not names; "how many firms" over a firm-by-year panel,
/// whose names repeat throughout, counts names.
pub(crate) fn names_rows(c: &Column) -> bool {
    let filled = (0..c.values.len()).filter(|&i| c.values.is_some(i)).count();
    filled > 0 && c.values.distinct_cells().len() * 5 >= filled * 4
}

/// Small numbers as words, one to ten (`NUMBER_WORDS[i]` is `i + 1`).
pub(crate) const NUMBER_WORDS: [&str; 10] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// The first number written in digits or as a small word ("top three").
fn small_number(q: &str) -> Option<usize> {
    // Chinese: a numeral, or digits, right before a measure word ("三家公司",
    // "前5名"); CJK runs on without spaces, so words do not split there.
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|&(_, n)| n);
        if !next.is_some_and(|n| "家个种名位款只项".contains(n)) {
            continue;
        }
        let zh = "一二三四五六七八九十".find(c).map(|b| b / 3 + 1);
        let n = match c {
            '两' => Some(2),
            _ if c.is_ascii_digit() => {
                let start = q[..i]
                    .char_indices()
                    .rev()
                    .take_while(|(_, d)| d.is_ascii_digit())
                    .last()
                    .map_or(i, |(j, _)| j);
                q[start..i + 1].parse::<usize>().ok()
            }
            _ => zh,
        };
        if let Some(n) = n.filter(|n| (1..=100).contains(n)) {
            return Some(n);
        }
    }
    for w in q.split(|c: char| !c.is_alphanumeric()) {
        if let Ok(n) = w.parse::<usize>() {
            if (1..=100).contains(&n) {
                return Some(n);
            }
        }
        if let Some(i) = NUMBER_WORDS.iter().position(|x| *x == w) {
            return Some(i + 1);
        }
    }
    None
}

/// Whether a column's figures add up to a meaningful total per group
/// (sales, claims, passengers), as opposed to a level each row has (a
/// price, a rate, a percent, a score, a temperature, a weight or a length).
fn additive(column: &Column) -> bool {
    if column.kind == Kind::Percent {
        return false;
    }
    let c = column.name.to_lowercase();
    let level_word = c.split(|ch: char| !ch.is_alphanumeric()).any(|w| {
        [
            "price",
            "prices",
            "rate",
            "rates",
            "percent",
            "score",
            "index",
            "temperature",
            "age",
            "mpg",
            "ratio",
            "average",
            "mean",
            "length",
            "weight",
            "height",
            "size",
            "horsepower",
            "ppm",
            "ppb",
            "level",
            "speed",
            "years",
            "calories",
            "prestige",
            "income",
            "salary",
            "wage",
            "dose",
            "mph",
            "radiation",
        ]
        .contains(&w)
    });
    let level_sign = ["%", "°", "(g)", "(mg)", " per "]
        .iter()
        .any(|k| c.contains(k));
    // Chinese names of levels: a rate, a price, an index, an average, a
    // temperature, an age, a weight, an income, a concentration.
    let level_zh = [
        "率",
        "价",
        "指数",
        "平均",
        "温度",
        "气温",
        "年龄",
        "重量",
        "体重",
        "身高",
        "收入",
        "工资",
        "薪",
        "中位数",
        "浓度",
    ]
    .iter()
    .any(|k| c.contains(k));
    !(level_word || level_sign || level_zh)
}

/// Whether the rows `filters` keep have one date each per `period` of
/// column `d` (monthly rows of one ticker, though the table holds three).
fn one_row_per(table: &Table, d: &Column, filters: &[Filter], period: Period) -> bool {
    let mut keys = std::collections::HashSet::new();
    let mut rows = 0;
    for i in 0..d.values.len() {
        if !filters.iter().all(|f| super::exec::keeps(table, f, i)) {
            continue;
        }
        if let Some(dt) = d.values.date_time(i) {
            rows += 1;
            keys.insert(super::exec::period_key(dt.date(), period));
        }
    }
    keys.len() == rows
}

/// Whether a superlative asks for the row itself though no "which" says
/// so: "the country with the lowest infant mortality" (a noun phrase, not
/// "what is the ... of the country with ..."), "婴儿死亡率最低的国家" (the
/// question ends on the noun after 最...的).
fn names_the_row(q: &str) -> bool {
    let q = q
        .trim()
        .trim_end_matches(['?', '？', '。', '.', '!', '！'])
        .trim();
    let asks_figure = [
        "what", "how", "which", "who", "when", "where", "give", "show", "list",
    ]
    .iter()
    .any(|w| q.starts_with(w));
    let en = !asks_figure
        && LARGEST
            .iter()
            .chain(SMALLEST)
            .filter(|w| w.is_ascii())
            .any(|w| contains_word(q, &format!("with the {w}")));
    let zh = !q.contains("多少")
        && !q.contains('几')
        && q.rfind('的').is_some_and(|at| {
            let noun = &q[at + '的'.len_utf8()..];
            let n = noun.chars().count();
            (1..=3).contains(&n) && noun.chars().all(crate::lang::is_cjk) && q[..at].contains('最')
        });
    en || zh
}

/// Whether no value of `c` repeats among the rows the filters keep.
pub(crate) fn one_row_per_value(table: &Table, c: &Column, filters: &[Filter]) -> bool {
    let mut seen = std::collections::HashSet::new();
    (0..c.values.len())
        .filter(|&i| filters.iter().all(|f| super::exec::keeps(table, f, i)))
        .filter_map(|i| match c.values.number(i) {
            Some(n) => Some(n.to_string()),
            None => c.values.key(i).map(|k| k.into_owned()),
        })
        .all(|v| seen.insert(v))
}

/// Whether a superlative is said of the rows: the word after it (past a
/// column's name, blanked in `masked`: "the most expensive car") is a noun
/// no column holds ("the cheapest car"), not the figure ("the highest
/// price") or nothing.
fn superlative_of_rows(q: &str, masked: &str) -> bool {
    let mut at = 0;
    for w in q.split_inclusive(char::is_whitespace) {
        at += w.len();
        let word = w.trim().trim_matches(|c: char| !c.is_alphanumeric());
        if !is_superlative(word) {
            continue;
        }
        // Column names are blanked in `masked`: the first word left after
        // the superlative.
        let next = masked
            .get(at..)
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        let noun = next.trim_matches(|c: char| !c.is_alphanumeric());
        // Not a word for the figure itself ("the lowest violent crime
        // rate", the rest of a column's name).
        let figure_word = [
            "rate",
            "rates",
            "level",
            "levels",
            "score",
            "scores",
            "value",
            "values",
            "figure",
            "figures",
            "amount",
            "amounts",
            "number",
            "total",
            "share",
            "percentage",
            "reading",
            "readings",
            "count",
            "average",
            "one",
            "ones",
        ]
        .contains(&noun);
        return noun.chars().count() >= 3
            && noun.chars().all(char::is_alphabetic)
            && !figure_word
            && !crate::lang::is_stopword(noun)
            && !["for", "per", "than"].contains(&noun);
    }
    false
}

/// Words asking which one, said right before a column's name ("which
/// state", "哪种饲料").
const WHICH: &[&str] = &[
    "which",
    "what",
    "哪个",
    "哪",
    "哪种",
    "哪家",
    "哪类",
    "哪一种",
    "哪一个",
    "哪一类",
];

/// "Which" with the measure word of what is asked about: 哪位运动员, 哪辆车.
pub(crate) const WHICH_MEASURED: &[&str] = &["哪位", "哪名", "哪辆", "哪只", "哪所", "哪座"];

/// Words asking which period ("which month", "哪个季度").
const WHICH_PERIOD: &[&str] = &[
    "which month",
    "what month",
    "which quarter",
    "which year",
    "what year",
    "哪个月",
    "哪一个月",
    "哪个季度",
    "哪一季度",
    "哪一个季度",
    "哪一年",
    "哪年",
];

/// Words asking for the largest values, and for the smallest.
pub(crate) const LARGEST: &[&str] = &[
    "highest",
    "largest",
    "maximum",
    "max",
    "most",
    "biggest",
    "top",
    "best",
    "greatest",
    "heaviest",
    "longest",
    "tallest",
    "hottest",
    "warmest",
    "wettest",
    "windiest",
    "busiest",
    "strongest",
    "richest",
    "oldest",
    "fastest",
    "hardest",
    "peak",
    // "Who won": the top score, points or votes (a synonym of those).
    "won",
    "winner",
    "最深",
    "最贵",
    "最昂贵",
    "最大值",
    "最高值",
    "最大",
    "最高",
    "最多",
    "最重",
    "最长",
];
/// Whether a word is one of [`LARGEST`] or [`SMALLEST`].
pub(crate) fn is_superlative(word: &str) -> bool {
    LARGEST.contains(&word) || SMALLEST.contains(&word)
}

pub(crate) const SMALLEST: &[&str] = &[
    "lowest",
    "smallest",
    "minimum",
    "min",
    "least",
    "fewest",
    "bottom",
    "worst",
    "lightest",
    "shortest",
    "cheapest",
    "coldest",
    "coolest",
    "driest",
    "weakest",
    "youngest",
    "slowest",
    "softest",
    "最便宜",
    "最小值",
    "最浅",
    "最低值",
    "最小",
    "最低",
    "最少",
    "最轻",
    "最短",
];

/// Where a dated question's periods are: a date column, or a year column
/// with an optional quarter column (`Year`, `Quarter` as numbers).
enum Calendar<'t> {
    Dates(&'t Column),
    Years {
        year: &'t Column,
        quarter: Option<&'t Column>,
    },
}

fn calendar(table: &Table) -> Option<Calendar<'_>> {
    if let Some(d) = table.columns.iter().find(|c| c.kind.is_temporal()) {
        return Some(Calendar::Dates(d));
    }
    let named = |words: &[&str]| {
        table
            .columns
            .iter()
            .find(|c| c.kind.is_numeric() && words.contains(&plain_name(&c.name).as_str()))
    };
    named(&["year", "年份", "年度", "年"]).map(|year| Calendar::Years {
        year,
        quarter: named(&["quarter", "季度"]),
    })
}

/// Filters for a date or period on the table's calendar.
fn when_filters(cal: &Calendar, when: &When) -> Vec<Filter> {
    let f = |c: &Column, op: Op, v: String| Filter::new(c.name.clone(), op, v);
    match (cal, when) {
        (Calendar::Dates(d), When::At(v)) => vec![f(d, Op::Eq, v.clone())],
        // "From November to February" of any year wraps the year's end:
        // November on, or up to February.
        (Calendar::Dates(d), When::Span(a, b))
            if a.starts_with("*-") && b.starts_with("*-") && a > b =>
        {
            let mut from = f(d, Op::Ge, a.clone());
            from.any_of.push(f(d, Op::Le, b.clone()));
            vec![from]
        }
        (Calendar::Dates(d), When::Span(a, b)) => {
            vec![f(d, Op::Ge, a.clone()), f(d, Op::Le, b.clone())]
        }
        (Calendar::Years { year, quarter }, When::At(v)) => {
            let (y, rest) = v.split_at(v.len().min(4));
            let mut out = vec![f(year, Op::Eq, y.to_owned())];
            match (rest.strip_prefix("-Q"), quarter) {
                (Some(qn), Some(qc)) => out.push(f(qc, Op::Eq, qn.to_owned())),
                (Some(_), None) => return Vec::new(),
                _ if !rest.is_empty() => return Vec::new(),
                _ => {}
            }
            out
        }
        (Calendar::Years { year, .. }, When::Span(a, b)) if a.len() == 4 && b.len() == 4 => {
            vec![f(year, Op::Ge, a.clone()), f(year, Op::Le, b.clone())]
        }
        _ => Vec::new(),
    }
}

/// Reads a question into a plan, or says what it understood.
pub fn parse(question: &str, table: &Table) -> Result<Plan, Understood> {
    let q = question.to_lowercase();
    let (cols, words) = mentioned(&q, table);
    let col = |name: &str| table.column(name);
    // Numbers outside column names: "15" of `Population under 15 (%)` is
    // no figure asked about (the masked text keeps every position).
    // "Drivers under 25" of a band value `<25`: the band, not a number
    // compared ("policyholders under 25" is no count below 25).
    let mut unbanded = words.clone();
    for c in table.columns.iter().filter(|c| c.kind == Kind::Category) {
        for i in c.values.distinct_cells() {
            let Some(v) = c.values.key(i) else { continue };
            for f in reading::band_forms(&v.to_lowercase()).unwrap_or_default() {
                while let Some(at) = find_word(&unbanded, &f) {
                    unbanded.replace_range(at..at + f.len(), &" ".repeat(f.len()));
                }
            }
        }
    }
    let nums = numbers(&unbanded);
    // Years are read back to the table's own first year (computed once).
    let first = first_year(table);
    let (compared, mut taken, mut consumed) = comparisons(&q, &cols, table, &nums, first);
    let mut compared = compared;
    // "Inflation was negative": below zero; the column so named is
    // compared, not computed on ("how many had a negative change" counts).
    let mut signs = Vec::new();
    // "How many companies made a loss": profits below zero. Only where
    // rows are counted: "the biggest loss" is the smallest profit, which
    // nothing here reads yet, so it stays unanswered.
    let loss = LOSS_WORDS.iter().find(|w| has(&q, &[**w]));
    let superlative = has(
        &q,
        &[
            "biggest", "largest", "most", "highest", "worst", "greatest", "smallest", "least",
            "lowest", "top", "最大", "最多", "最少",
        ],
    );
    if let (Some(_), false) = (loss, superlative) {
        if let Some(c) = profit_column(table) {
            signs.push(Filter::new(c.name.clone(), Op::Lt, "0"));
        }
    }
    for (word, op) in [("negative", Op::Lt), ("positive", Op::Gt), ("负", Op::Lt)] {
        if has(&q, &[word]) {
            let c = cols
                .iter()
                .filter(|(_, n)| col(n).is_some_and(|c| c.kind.is_numeric()))
                .min_by_key(|(p, _)| p.abs_diff(q.find(word).unwrap_or(0)));
            if let Some((at, n)) = c {
                consumed.push(*at);
                signs.push(Filter::new(n.clone(), op, "0"));
            }
        }
    }
    for (f, at) in equalities(&q, &cols, table, &nums, &taken, first) {
        compared.push(f);
        taken.push(at);
    }
    // "Left office before 1990": a date column named in the question is
    // the calendar its periods are read on, not the table's first.
    let mut named_dates: Vec<&Column> = cols
        .iter()
        .filter_map(|(_, n)| col(n))
        .filter(|c| c.kind.is_temporal())
        .collect();
    named_dates.sort_by(|a, b| a.name.cmp(&b.name));
    named_dates.dedup_by(|a, b| a.name == b.name);
    let cal = match named_dates.as_slice() {
        [one] => Some(Calendar::Dates(one)),
        _ => calendar(table),
    };
    let date_col_name = match &cal {
        Some(Calendar::Dates(d)) => Some(d.name.clone()),
        Some(Calendar::Years { year, .. }) => Some(year.name.clone()),
        None => None,
    };
    // Numeric columns to compute on: those named other than only inside
    // a comparison ("how many cars have over 100 horsepower" counts), and
    // other than the calendar's own columns.
    let numeric: Vec<String> = cols
        .iter()
        .filter(|(_, n)| col(n).is_some_and(|c| c.kind.is_numeric()))
        .filter(|(p, _)| !consumed.contains(p))
        // "Number of cars per model year": a column grouped by is not
        // computed on.
        // "Top 3 states by murder arrests", "top 2 products by units": a
        // column of many values after "by", or any after "by" when rows
        // named before it are ranked, is what is computed.
        .filter(|(p, n)| {
            let before = q[..*p].trim_end();
            let ranked_by = before.ends_with("by")
                && has(&words, &["top", "bottom", "which"])
                && cols
                    .iter()
                    .any(|(at, m)| at < p && col(m).is_some_and(|c| !c.kind.is_numeric()));
            !["per", "by", "each", "every"]
                .iter()
                .any(|w| before.ends_with(w))
                || col(n).is_some_and(|c| !few_values(c))
                || ranked_by
        })
        .filter(|(_, n)| {
            // A number compared by equality ("a dose of 2") names rows,
            // even when the column is named twice ("cars that seat 5
            // passengers"): a total or mean of one value says nothing.
            !compared.iter().any(|f| f.column == *n && f.op == Op::Eq)
        })
        .filter(|(_, n)| {
            !matches!(&cal, Some(Calendar::Years { year, quarter })
                if year.name == *n || quarter.is_some_and(|qc| qc.name == *n))
        })
        .map(|(_, n)| n.clone())
        .fold(Vec::new(), |mut acc, n| {
            if !acc.contains(&n) {
                acc.push(n);
            }
            acc
        });
    let period_words = |p: Period| -> &'static [&'static str] {
        match p {
            Period::Month => &[
                "per month",
                "by month",
                "each month",
                "every month",
                "monthly",
                "month on month",
                "month over month",
                "mom",
                "which month",
                "what month",
                "每月",
                "各月",
                "哪个月",
                "哪一个月",
            ],
            Period::Quarter => &[
                "per quarter",
                "by quarter",
                "each quarter",
                "quarterly",
                "which quarter",
                "每季度",
                "各季度",
                "哪个季度",
                "哪一季度",
                "哪一个季度",
            ],
            Period::Year => &[
                "per year",
                "by year",
                "each year",
                "every year",
                "yearly",
                "annual",
                "year on year",
                "year over year",
                "yoy",
                "which year",
                "what year",
                "哪一年",
                "哪年",
                "每年",
                "各年",
            ],
        }
    };
    // "The busiest month", "the wettest year": which period, asked with
    // its superlative.
    let superlative_period = [
        (Period::Month, "month"),
        (Period::Quarter, "quarter"),
        (Period::Year, "year"),
    ]
    .into_iter()
    .find(|(_, noun)| {
        LARGEST
            .iter()
            .chain(SMALLEST)
            .filter(|w| w.is_ascii())
            .any(|w| has(&q, &[&format!("{w} {noun}")]))
    })
    .map(|(p, _)| p);
    let by_period = [Period::Month, Period::Quarter, Period::Year]
        .into_iter()
        .find(|p| has(&q, period_words(*p)))
        .or(superlative_period);
    // "Which month", "哪一年", "the busiest month": one period is asked for.
    let which_period = has(&q, WHICH_PERIOD) || superlative_period.is_some();
    let change_words = has(
        &words,
        &[
            "change",
            "changed",
            "grow",
            "grew",
            "growth",
            "rise",
            "rose",
            "increase",
            "increased",
            "decrease",
            "decreased",
            "fall",
            "fell",
            "drop",
            "dropped",
            "decline",
            "declined",
            "增长",
            "变化",
            "下降",
            "增加",
        ],
    );
    let percent_words = has(
        &words,
        &[
            "percent",
            "percentage",
            "%",
            "百分之",
            "百分比",
            "by how much",
        ],
    );
    let whens = day_of_the_year(whens(&q, first), cal.as_ref());
    let mut filters = value_filters(&q, question, table);
    filters.extend(yes_no_filters(&q, table, &filters));
    // "Wind above 15 or temperature below 60": two comparisons on
    // different columns with "or" (and no "and") between them keep a row
    // that meets either. Any other mix of "or" and comparisons on several
    // columns is not read rather than read as "and".
    if let ([a, b], [at_a, at_b]) = (compared.as_slice(), taken.as_slice()) {
        let (from, to) = (*at_a.min(at_b), *at_a.max(at_b));
        let between = q.get(from..to).unwrap_or("");
        if a.column != b.column
            && find_word(between, "or").is_some()
            && find_word(between, "and").is_none()
            && find_word(&q[to..], "or").is_none()
        {
            let mut joined = a.clone();
            joined.any_of.push(b.clone());
            compared = vec![joined];
        }
    }
    {
        let cols_compared: std::collections::HashSet<&str> = compared
            .iter()
            .flat_map(Filter::each)
            .map(|f| f.column.as_str())
            .collect();
        let joined = compared.iter().any(|f| !f.any_of.is_empty());
        if cols_compared.len() > 1 && !joined && find_word(&q, "or").is_some() {
            return Err(Understood {
                columns: cols.iter().map(|(_, n)| n.clone()).collect(),
                filters: compared.clone(),
                func: None,
            });
        }
    }
    filters.extend(compared);
    filters.extend(signs);
    let mut from_to: Option<(Vec<Filter>, Vec<Filter>)> = None;
    if let Some(cal) = &cal {
        // "From May to July", "from 1935 to 1954" with words of change:
        // the two ends of a percent change.
        let spans: Vec<&When> = whens.iter().map(|w| &w.2).collect();
        if change_words && percent_words {
            let ends: Option<(When, When)> = match spans.as_slice() {
                [When::Span(a, b)] => Some((When::At(a.clone()), When::At(b.clone()))),
                [a @ When::At(_), b @ When::At(_)] => Some(((*a).clone(), (*b).clone())),
                _ => None,
            };
            if let Some((a, b)) = ends {
                let (fa, fb) = (when_filters(cal, &a), when_filters(cal, &b));
                if !fa.is_empty() && !fb.is_empty() {
                    from_to = Some((fa, fb));
                }
            }
        }
        if from_to.is_none() {
            for (start, _, w) in &whens {
                let before = q[..*start].trim_end();
                // "Since 2010", "before 1990": open-ended spans.
                let open = if ["since", "after", "from"]
                    .iter()
                    .any(|x| before.ends_with(x))
                {
                    Some(Op::Ge)
                } else if ["before", "until", "till", "up to"]
                    .iter()
                    .any(|x| before.ends_with(x))
                {
                    Some(Op::Le)
                } else {
                    None
                };
                let mut fs = when_filters(cal, w);
                if let (Some(op), When::At(_), [one]) = (open, w, fs.as_mut_slice()) {
                    // "Before" and "after" leave the period out; "since",
                    // "from" and "until" keep it.
                    one.op = if op == Op::Le && before.ends_with("before") {
                        Op::Lt
                    } else if op == Op::Ge && before.ends_with("after") {
                        Op::Gt
                    } else {
                        op
                    };
                }
                filters.extend(fs);
            }
        }
    }
    let filter_cols: Vec<&str> = filters.iter().map(|f| f.column.as_str()).collect();

    let sorting = has(
        &words,
        &["sorted", "sort", "ranked", "rank", "ordered", "order"],
    );
    // The grouping column: named right after "by", "per", "each", "which";
    // `asked` when "which"/"top" asked for the best groups rather than a
    // figure per group. A number column groups only when it holds few
    // whole values (a dose, a shelf, a year).
    let func_words_absent = !has(
        &words,
        &[
            "average",
            "mean",
            "median",
            "total",
            "sum",
            "how many",
            "number of",
            "count",
            "平均",
            "总",
        ],
    );
    let own_words = reading::table_name_words(table, "");
    let c_numeric = |name: &str| col(name).is_some_and(|c| c.kind.is_numeric());
    let group = cols.iter().find_map(|(at, name)| {
        let before = q[..*at].trim_end();
        let after = q[*at..].split_once(' ').map_or("", |(_, rest)| rest);
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let after_which = |text: &str| {
            WHICH
                .iter()
                .chain(WHICH_MEASURED)
                .chain(&["top", "bottom"])
                .any(|w| text.ends_with(w))
        };
        // "Which plant group": a word of the table's own title between
        // "which" and the name says what the groups are groups of.
        let title_word_between = !c_numeric(name)
            && before.rsplit_once(' ').is_some_and(|(rest, w)| {
                let w = w.trim_end_matches('s');
                w.chars().count() >= 3
                    && own_words.iter().any(|t| t.trim_end_matches('s') == w)
                    && after_which(rest)
            });
        let asked = after_which(before)
            || title_word_between
            || (small_number(last_word).is_some() && !last_word.is_empty());
        let c = col(name)?;
        let said_as_group = asked
            || [
                "by",
                "per",
                "each",
                "every",
                "across",
                "each of the",
                "on each",
                "各",
                "每个",
                "每种",
            ]
            .iter()
            .any(|w| before.ends_with(w));
        // "Regions by units": a name before "by" groups only when it holds
        // no numbers (a numeric one is what is measured).
        let grouping = said_as_group
            || (!c.kind.is_numeric()
                && ["by ", "sorted by ", "ranked by ", "ordered by "]
                    .iter()
                    .any(|w| after.starts_with(w)));
        let calendar_col = matches!(&cal, Some(Calendar::Years { year, quarter })
            if year.name == *name || quarter.is_some_and(|qc| qc.name == *name));
        // A column with one row per value ("each cereal") makes a group
        // per row: only a ranking asks for that.
        let one_per_row = c.kind == Kind::Identifier
            || (c.kind == Kind::Text && c.values.distinct_cells().len() == c.values.count());
        // "Average boys christened per year" over a row a year: the rows'
        // average, no group per year.
        let per_row_period = calendar_col
            && before.ends_with("per")
            && has(&q, &["average", "mean", "median"])
            && one_row_per_value(table, c, &filters);
        (grouping
            && !(one_per_row && !asked && !sorting)
            && !(calendar_col && asked && func_words_absent)
            && !per_row_period
            && (!c.kind.is_numeric() || few_values(c))
            && !c.kind.is_temporal()
            && !filter_cols.contains(&name.as_str()))
        .then(|| (name.clone(), asked || sorting))
    });
    // "USA versus non-USA", "for men and for women": several values of
    // one column compared side by side are groups of it.
    let compare_values = filters
        .iter()
        .find(|f| f.op == Op::In)
        .filter(|_| {
            has(
                &q,
                &[
                    "versus",
                    "vs",
                    "compared",
                    "compare",
                    "for each",
                    "and for",
                    "respectively",
                    "分别",
                ],
            )
        })
        .map(|f| f.column.clone());
    let group = group.or_else(|| compare_values.clone().map(|c| (c, false)));
    // Superlatives that also name a column ("heaviest" is weight) are
    // read on the whole question; others on the words outside names.
    let named_superlatives = |list: &[&str]| {
        list.iter()
            .any(|w| reading::SYNONYMS.iter().any(|(words, _)| words.contains(w)) && has(&q, &[w]))
    };
    let largest = has(&words, LARGEST) || named_superlatives(LARGEST);
    let smallest = has(&words, SMALLEST) || named_superlatives(SMALLEST);
    // "Which supplement gives longer teeth": a comparative asks for the
    // best group when no number is compared.
    let comparative = |list: &[&str]| has(&q, list) && taken.is_empty();
    let largest = largest
        || comparative(&[
            "longer", "higher", "larger", "bigger", "heavier", "greater", "more", "better",
        ]);
    let smallest = smallest
        || comparative(&[
            "shorter", "lower", "smaller", "lighter", "less", "fewer", "worse",
        ]);
    // "The fastest 800m time": of a column of durations the fastest is
    // the shortest, the slowest the longest.
    let (largest, smallest) = match numeric.first().and_then(|n| col(n)) {
        Some(c) if is_duration(c) && has(&q, SPEED_WORDS) && !has(&q, SLOW_WORDS) => (false, true),
        Some(c) if is_duration(c) && has(&q, SLOW_WORDS) && !has(&q, SPEED_WORDS) => (true, false),
        _ => (largest, smallest),
    };
    // "Highest price by region": the superlative is said of the column
    // itself, so it is the aggregate (max per region), not a ranking.
    let superlative_of = |name: &str| {
        cols.iter().any(|(at, n)| {
            n == name && { is_superlative(q[..*at].split_whitespace().next_back().unwrap_or("")) }
        })
    };
    // "The most common car type", "最常见的类型": the value most rows
    // hold, of the one category column named and not filtered on.
    if has(&q, MOST_COMMON) {
        let named: Vec<&String> = cols
            .iter()
            .map(|(_, n)| n)
            .filter(|n| {
                col(n).is_some_and(|c| !c.kind.is_temporal() && c.kind != Kind::Identifier)
                    && !filters.iter().any(|f| f.column == **n)
            })
            .collect();
        if let [one] = named.as_slice() {
            return Ok(Plan::Aggregate {
                func: Func::Count,
                column: None,
                filters,
                group_by: Some((*one).clone()),
                sort: Some(Order::Desc),
                limit: Some(1),
                share: false,
                period: None,
                with_value: false,
            });
        }
        return Err(understood_so_far(&cols, &filters));
    }
    let func = if has(&words, MEDIAN_WORDS) {
        Some(Func::Median)
    } else if has(&words, MEAN_WORDS) {
        Some(Func::Mean)
    } else if has(&words, &["distinct", "different", "unique"]) {
        Some(Func::CountDistinct)
    } else if has(
        &words,
        &[
            "how many",
            "number of",
            "count",
            "多少",
            "几个",
            "几家",
            "有几",
        ],
    ) && numeric.is_empty()
    {
        Some(Func::Count)
    } else if has(
        &words,
        &["total", "sum", "总和", "合计", "总数", "总额", "总计"],
    ) || (has(&words, &["altogether", "overall", "combined"]) && !largest && !smallest)
    {
        Some(Func::Sum)
    } else {
        None
    };
    // "Average monthly passengers" over one row a month: the average of
    // the rows; "monthly" says what each row already is.
    let by_period = by_period.filter(|p| {
        let one_per_period = match &cal {
            Some(Calendar::Dates(d)) => one_row_per(table, d, &filters, *p),
            // A column of years with no quarter beside it: a row a year
            // when no year repeats ("boys christened per year").
            Some(Calendar::Years {
                year,
                quarter: None,
            }) if *p == Period::Year => one_row_per_value(table, year, &filters),
            _ => return true,
        };
        let adjective: &[&str] = match p {
            Period::Month => &["monthly", "a month", "per month", "每月"],
            Period::Quarter => &["quarterly", "a quarter", "per quarter", "每季度"],
            Period::Year => &["yearly", "annual", "a year", "per year", "每年"],
        };
        !(matches!(func, Some(Func::Mean | Func::Median))
            && one_per_period
            && has(&q, adjective)
            && !which_period
            && !change_words)
    });
    let understood = Understood {
        columns: cols.iter().map(|(_, n)| n.clone()).collect(),
        filters: filters.clone(),
        func,
    };
    // "And what is it", "and how many", "and in which year": the figure
    // and the name together.
    let with_value = has(
        &q,
        &[
            "and what is it",
            "and what was it",
            "what is its",
            "what was its",
            "and how many",
            "and how much",
            "and how high",
            "and how large",
            "and how big",
            "and how low",
            "and what is",
            "and what was",
            "and in which",
            "and in what",
            "and which",
            "what rank",
            "and when",
        ],
    );

    // Missing cells: "missing", "blank", "no X reading", "no type".
    let blank_words = has(
        &words,
        &[
            "missing",
            "blank",
            "empty",
            "缺失",
            "缺少",
            "no reading",
            "no figure",
            "no value",
            "no data",
            "no measurement",
        ],
    );
    let no_col = cols.iter().find(|(at, _)| {
        q[..*at].trim_end().ends_with(" no") || q[..*at].trim_end().ends_with("没有")
    });
    // "No ozone reading": the cell is blank, not zero.
    let no_reading = no_col.is_some_and(|(at, _)| {
        let rest = &q[find_end(&q, *at)..];
        let next = rest.split_whitespace().next().unwrap_or("");
        [
            "reading",
            "readings",
            "figure",
            "value",
            "values",
            "data",
            "measurement",
            "record",
            "entry",
        ]
        .iter()
        .any(|w| next.trim_matches(|c: char| !c.is_alphanumeric()) == *w)
    });
    if blank_words
        || no_reading
        || no_col.is_some_and(|(_, n)| col(n).is_some_and(|c| !c.kind.is_numeric()))
    {
        let counted = |at: &usize| {
            let before = q[..*at].trim_end();
            before.ends_with("how many") || before.ends_with("number of")
        };
        let others = cols.iter().any(|(at, _)| !counted(at));
        // "Average wind on days with no ozone reading" asks a figure of
        // the rows with a blank, which no plan here keeps: asked back,
        // never answered with the count of blanks.
        let figure_asked = has(
            &words,
            &[
                "average", "mean", "median", "total", "sum", "highest", "lowest", "maximum",
                "minimum", "平均", "总",
            ],
        );
        if figure_asked && cols.len() >= 2 {
            return Err(understood);
        }
        let named: Vec<String> = cols
            .iter()
            .filter(|(at, _)| !others || !counted(at))
            .map(|(_, n)| n.clone())
            .filter(|n| {
                !filter_cols.contains(&n.as_str())
                    || cols.iter().filter(|(_, m)| m == n).count() > 1
            })
            .fold(Vec::new(), |mut acc, n| {
                if !acc.contains(&n) {
                    acc.push(n);
                }
                acc
            });
        // "No reading" with no column named: the one measured column.
        let named = if named.is_empty()
            && has(
                &q,
                &["no reading", "no figure", "no value", "no measurement"],
            ) {
            let measures: Vec<&Column> = table
                .columns
                .iter()
                .filter(|c| c.kind.is_numeric())
                .collect();
            match measures.as_slice() {
                [one] => vec![one.name.clone()],
                _ => Vec::new(),
            }
        } else {
            named
        };
        let total = has(
            &q,
            &[
                "across all columns",
                "in total",
                "altogether",
                "all columns",
                "overall",
            ],
        );
        let mut it = named.into_iter();
        return Ok(Plan::Missing {
            column: it.next(),
            also: it.collect(),
            filters,
            total,
        });
    }
    // "Contain no fat": a number column that is zero.
    if let Some((_, n)) = no_col.filter(|_| !no_reading) {
        if col(n).is_some_and(|c| c.kind.is_numeric()) {
            let mut filters = filters;
            filters.push(Filter::new(n.clone(), Op::Eq, "0"));
            return Ok(Plan::single(Func::Count, None, filters));
        }
    }
    if has(
        &words,
        &[
            "correlation",
            "correlate",
            "correlated",
            "relationship",
            "related",
            "相关",
        ],
    ) {
        return match numeric.as_slice() {
            [x, y, ..] => Ok(Plan::Correlation {
                x: x.clone(),
                y: y.clone(),
                filters,
            }),
            _ => Err(understood),
        };
    }
    // Percent change between two periods, or from the first to the last.
    if change_words && percent_words {
        let first_last = has(&q, &["first", "earliest"]) && has(&q, &["last", "latest"]);
        let target = numeric.first().cloned();
        if let Some(c) = target {
            let func = func.unwrap_or(Func::Sum);
            if let Some((from, to)) = from_to {
                return Ok(Plan::PercentChange {
                    func,
                    column: c,
                    filters,
                    from,
                    to,
                });
            }
            if first_last {
                return Ok(Plan::PercentChange {
                    func,
                    column: c,
                    filters,
                    from: Vec::new(),
                    to: Vec::new(),
                });
            }
        }
        return Err(understood);
    }
    // "What was the busiest month?" over a table with one measure: a
    // superlative naming no column is of that measure.
    let sole_measure = || {
        let measures: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| c.kind.is_numeric())
            .filter(|c| {
                !matches!(&cal, Some(Calendar::Years { year, quarter })
                    if year.name == c.name || quarter.is_some_and(|qc| qc.name == c.name))
            })
            .collect();
        match measures.as_slice() {
            [one]
                if (largest || smallest)
                    && cols
                        .iter()
                        .all(|(_, n)| col(n).is_some_and(|c| c.kind.is_temporal())) =>
            {
                Some(one.name.clone())
            }
            _ => None,
        }
    };
    let target = numeric.first().cloned().or_else(sole_measure);
    // "The share of women" may be a column of percents, not a share to
    // compute.
    let share_names_column = ["share of", "percentage of", "percent of", "proportion of"]
        .iter()
        .any(|w| {
            find_word(&q, w).is_some_and(|at| {
                let after = at + w.len();
                cols.iter().any(|(p, n)| {
                    // "share of college-educated people": the words between
                    // may be the name's own, found by its last word.
                    let gap = q.get(after..*p).unwrap_or("x").replace('-', " ");
                    let gap = gap.trim();
                    *p >= after
                        && (gap.is_empty() || plain_name(n).contains(gap))
                        && col(n).is_some_and(|c| {
                            c.kind == Kind::Percent
                                || reading::unit_of(&c.name).is_some_and(|u| u == "%")
                        })
                })
            })
        });
    let share = !share_names_column
        && has(
            &words,
            &[
                "share",
                "percent",
                "percentage",
                "proportion",
                "fraction",
                "%",
                "百分比",
                "比例",
                "占",
            ],
        );
    // "Which month had the highest average ozone": the best period; "which
    // year had the most passengers" on monthly rows: the best year's total.
    if let (Some(period), Some(Calendar::Dates(d))) = (by_period, &cal) {
        let finer = !one_row_per(table, d, &filters, period);
        let additive = target.as_deref().and_then(col).is_some_and(additive);
        // "The windiest month" over daily rows: the month's average or its
        // windiest day? A level per period needs its function said.
        if which_period && finer && func.is_none() && !additive && (largest || smallest) {
            return Err(understood);
        }
        let func = func.or_else(|| (finer && additive).then_some(Func::Sum));
        if which_period && func.is_some() && (largest || smallest) {
            if let Some(t) = target.clone() {
                return Ok(Plan::Aggregate {
                    func: func.unwrap_or(Func::Sum),
                    column: Some(t),
                    filters,
                    group_by: Some(d.name.clone()),
                    sort: Some(if largest { Order::Desc } else { Order::Asc }),
                    limit: Some(1),
                    share: false,
                    period: Some(period),
                    with_value,
                });
            }
        }
    }
    if let (Some(period), Some(Calendar::Dates(d))) = (by_period, &cal) {
        // A figure per period, unless "which period" or a superlative
        // with no function asks for one period or one row.
        if func.is_some() || !(which_period || largest || smallest) {
            return match target.clone() {
                Some(c) => Ok(Plan::Change {
                    func: func.unwrap_or(Func::Sum),
                    column: c,
                    date: d.name.clone(),
                    period,
                    filters,
                }),
                None if func == Some(Func::Count) || has(&words, &["how many"]) => {
                    Ok(Plan::Change {
                        func: Func::Count,
                        column: d.name.clone(),
                        date: d.name.clone(),
                        period,
                        filters,
                    })
                }
                None => Err(understood),
            };
        }
    }
    // "Which year had the highest average T-bill rate" on a Year column.
    let group = group.or_else(|| match (&cal, by_period) {
        (Some(Calendar::Years { year, .. }), Some(Period::Year))
            if func.is_some() || !(largest || smallest) =>
        {
            Some((year.name.clone(), has(&q, &["which year", "what year"])))
        }
        _ => None,
    });
    // Share of rows meeting a condition: "what share of the cars are
    // from the USA", "what share of all claims come from District 1".
    if share && group.is_none() && !filters.is_empty() {
        let t = target
            .clone()
            .filter(|t| !filters.iter().any(|f| f.column == *t));
        // "What share of the bills were paid by smokers" over a `Total
        // bill` column: the bills counted (a row is a bill), or the money
        // in them? The column's noun in the plural after the share says
        // both; asked back rather than guessed.
        let plural_of_column = t.as_deref().is_some_and(|t| {
            let plain = plain_name(t);
            let noun = plain.split_whitespace().last().unwrap_or("");
            !noun.is_empty()
                && !noun.ends_with('s')
                && [
                    "share of",
                    "percentage of",
                    "percent of",
                    "proportion of",
                    "fraction of",
                ]
                .iter()
                .any(|p| {
                    find_word(&q, &format!("{p} the {noun}s")).is_some()
                        || find_word(&q, &format!("{p} {noun}s")).is_some()
                })
        });
        if plural_of_column {
            return Err(understood);
        }
        return Ok(Plan::Aggregate {
            func: if t.is_some() { Func::Sum } else { Func::Count },
            column: t,
            filters,
            group_by: None,
            sort: None,
            limit: None,
            share: true,
            period: None,
            with_value: false,
        });
    }
    if let Some((g, asked)) = group {
        // "Which presidents were Democrats", "which firms have claims over
        // 15": the groups among the rows the filters keep, each by its
        // name; a list, not a count per name.
        let pick = largest || smallest || sorting || share;
        if asked && func.is_none() && !pick && target.is_none() && !filters.is_empty() {
            return Ok(Plan::Lookup { column: g, filters });
        }
        // "Which party did the first president belong to", "which wool
        // has more breaks": one group is asked for, and nothing here picks
        // it; a figure for every group would be no answer to "which".
        if asked && func.is_none() && !pick {
            return Err(understood);
        }
        if !asked && func.is_none() && (largest || smallest) {
            if let Some(t) = target.as_deref().filter(|t| superlative_of(t)) {
                return Ok(Plan::Aggregate {
                    func: if largest { Func::Max } else { Func::Min },
                    column: Some(t.to_owned()),
                    filters,
                    group_by: Some(g),
                    sort: None,
                    limit: None,
                    share,
                    period: None,
                    with_value: false,
                });
            }
        }
        // "Which manufacturer has the cheapest car", "which feed gives the
        // heaviest chicks": a superlative of the rows themselves, so the
        // group of the one row, not the group with the smallest total.
        if asked && func.is_none() && (largest || smallest) && superlative_of_rows(&q, &words) {
            if let Some(t) = target.clone() {
                return Ok(Plan::Extreme {
                    column: t,
                    largest,
                    filters,
                    label: Some(g),
                    with_value,
                    report: None,
                });
            }
        }
        // "Which manufacturer has the highest price": a total of prices
        // means nothing, and the average and the dearest car differ; asked
        // back rather than guessed.
        // (A group of one row each, "which state has the highest murder
        // rate", is that row's figure: nothing to choose.)
        // Counted among the rows kept: "which state ... in 1985" over a
        // row per state and year.
        let one_row_each = col(&g).is_some_and(|c| one_row_per_value(table, c, &filters));
        if asked && func.is_none() && (largest || smallest) && !one_row_each {
            if let Some(t) = target.as_deref() {
                if col(t).is_some_and(|c| !additive(c)) {
                    return Err(understood);
                }
            }
        }
        let func = func.unwrap_or(if target.is_some() {
            Func::Sum
        } else {
            Func::Count
        });
        if func.numeric() && target.is_none() {
            return Err(understood);
        }
        // Read from the masked text: the 15 of `Population under 15` is no
        // "top 15".
        let limit = match small_number(&words) {
            Some(n) if largest || smallest => Some(n),
            _ if sorting => None,
            _ if largest || smallest => Some(if has(&words, &["which", "what", "哪个", "哪"]) {
                1
            } else {
                5
            }),
            _ => None,
        };
        let sort = if largest {
            Some(Order::Desc)
        } else if smallest {
            Some(Order::Asc)
        } else {
            None
        };
        // The compared values' own filter stays: only those groups.
        return Ok(Plan::Aggregate {
            func,
            column: if func == Func::Count { None } else { target },
            filters,
            group_by: Some(g),
            sort,
            limit,
            share,
            period: None,
            with_value: with_value && limit == Some(1),
        });
    }
    // "The horsepower of the most expensive car": the superlative picks
    // the row by one column, the answer is the other's cell on it.
    // "..., what was its market value": "its" is the row's, and the
    // figure asked is the other column's, not a second part.
    let its_figure = has(&q, &["what is its", "what was its", "what were its"])
        && !has(&q, &["and what", "and which", "and how"]);
    // "Which car is the dearest, and what is its horsepower": the name
    // and the other column's cell.
    let ranked_reported = if (largest || smallest) && func.is_none() {
        ranked_and_reported(&q, &cols, &numeric, table)
    } else {
        None
    };
    let with_value = with_value && !(its_figure && ranked_reported.is_some());
    let (target, report) = match ranked_reported {
        Some((ranked, reported)) => (Some(ranked), Some(reported)),
        None => (target, None),
    };
    if (largest || smallest) && func.is_none() {
        // "Which order has the highest revenue": the row itself.
        if let Some(c) = target.clone().or_else(|| {
            cols.iter()
                .find(|(_, n)| col(n).is_some_and(|c| c.kind.is_temporal()))
                .map(|(_, n)| n.clone())
        }) {
            // "When ...": the row is named by its date; "in which year"
            // by the year column; "which X" by column X.
            // "The busiest month" names a row only where a row is a month;
            // over daily rows it would be a day.
            let monthly = matches!(&cal, Some(Calendar::Dates(d))
                if one_row_per(table, d, &filters, Period::Month));
            let when = has(
                &q,
                &[
                    "when",
                    "what day",
                    "which day",
                    "what date",
                    "which date",
                    "哪一天",
                    "哪天",
                    "什么时候",
                    "何时",
                    "which week",
                    "which month",
                    "what month",
                    "哪个月",
                    "哪一个月",
                    "哪月",
                ],
            ) || [LARGEST, SMALLEST].iter().any(|list| {
                list.iter().any(|w| {
                    ["day", "date", "week", if monthly { "month" } else { "day" }]
                        .iter()
                        .any(|d| has(&q, &[&format!("{w} {d}")]))
                })
            });
            let in_year = has(
                &q,
                &["which year", "what year", "哪一年", "哪年", "哪个年份"],
            );
            // "Which state", or the second part of "the highest salary,
            // and what rank": the column naming the row.
            let named_label = cols.iter().find_map(|(at, n)| {
                let before = q[..*at].trim_end();
                let c = col(n)?;
                // "...最高的职业是什么": the column asked after its name.
                let after = &q[name_end(&q, *at, n, table)..];
                // ("Who makes ...": the maker.)
                let asked = WHICH
                    .iter()
                    .chain(WHICH_MEASURED)
                    .chain(&["who"])
                    .any(|w| before.ends_with(w))
                    || ["是什么", "是哪", "是谁", "叫什么"]
                        .iter()
                        .any(|w| after.starts_with(w))
                    || (with_value
                        && has(&q, &["what rank", "and which", "and what"])
                        && Some(n) != target.as_ref());
                (asked && !c.kind.is_numeric() && !filter_cols.contains(&n.as_str()))
                    .then(|| n.clone())
            });
            let label = if when {
                cal.as_ref().map(|c| match c {
                    Calendar::Dates(d) => d.name.clone(),
                    Calendar::Years { year, .. } => year.name.clone(),
                })
            } else if in_year {
                date_col_name.clone()
            } else {
                named_label
            };
            // "The unemployment rate in the quarter with the highest
            // inflation": another column named beside the two is the
            // row's name.
            let label = label.or_else(|| {
                report.as_ref()?;
                cols.iter()
                    .map(|(_, n)| n)
                    .find(|n| {
                        Some(*n) != report.as_ref()
                            && **n != c
                            && !filter_cols.contains(&n.as_str())
                    })
                    .cloned()
            });
            if when
                || in_year
                || with_value
                || report.is_some()
                || has(
                    &words,
                    &["which", "who", "row", "哪个", "哪家", "哪种", "哪", "谁"],
                )
                || label.is_some()
                || names_the_row(&q)
            {
                return Ok(Plan::Extreme {
                    column: c,
                    largest,
                    filters,
                    label,
                    with_value,
                    report,
                });
            }
            return Ok(Plan::single(
                if largest { Func::Max } else { Func::Min },
                Some(c),
                filters,
            ));
        }
        return Err(understood);
    }
    // "How many firms": distinct values of a named category column.
    let counted_col = cols.iter().find_map(|(at, n)| {
        let before = q[..*at].trim_end();
        let c = col(n)?;
        ((before.ends_with("how many")
            || before.ends_with("number of")
            || ["多少个", "多少种", "多少家", "几个", "几种", "几家"]
                .iter()
                .any(|w| before.ends_with(w)))
            && matches!(c.kind, Kind::Category)
            && !names_rows(c)
            && !filter_cols.contains(&n.as_str()))
        .then(|| n.clone())
    });
    // "What was the revenue in March?": a figure over some rows is their
    // total; so is "how many passengers" of a number column. But "how
    // many houses have garage places" counts the rows where it is above
    // zero, not the places.
    if func.is_none() && has(&words, &["how many"]) {
        let had = cols.iter().find(|(at, n)| {
            let before = q[..*at].trim_end();
            [
                "have", "has", "had", "with", "have any", "has any", "had any",
            ]
            .iter()
            .any(|w| before.ends_with(&format!(" {w}")))
                && col(n).is_some_and(|c| c.kind.is_numeric())
                && !filter_cols.contains(&n.as_str())
        });
        if let Some((_, n)) = had {
            let mut filters = filters;
            filters.push(Filter::new(n.clone(), Op::Gt, "0"));
            return Ok(Plan::single(Func::Count, None, filters));
        }
    }
    let func = func.or_else(|| {
        (target.is_some()
            && (!filters.is_empty() || has(&words, &["how much", "how many", "多少"])))
        .then_some(Func::Sum)
    });
    // "When did Reagan take office?", "Which party is Carter in?": the
    // cell of the thing named, when the filters name rows (a president,
    // a country) and one other column is asked about.
    if func.is_none() {
        let asks = has(
            &words,
            &[
                "when", "which", "what", "who", "where", "哪", "什么", "何时", "谁",
            ],
        );
        let named = !filters.is_empty()
            && filters.iter().flat_map(Filter::each).all(|f| {
                matches!(f.op, Op::Eq | Op::In)
                    && col(&f.column).is_some_and(|c| {
                        matches!(c.kind, Kind::Identifier | Kind::Text)
                            || (c.kind == Kind::Category && names_rows(c))
                    })
            });
        let mut asked = cols
            .iter()
            .map(|(_, n)| n.as_str())
            .filter(|n| !filter_cols.contains(n));
        if let (true, true, Some(c), None) = (asks, named, asked.next(), asked.next()) {
            return Ok(Plan::Lookup {
                column: c.to_owned(),
                filters,
            });
        }
    }
    // "Which cars have 8 cylinders and a manual transmission": rows
    // asked after by a noun no column holds, kept by the filters, each
    // named by the column that names the rows.
    if func.is_none() && target.is_none() && !filters.is_empty() {
        let row_noun = ["which ", "what "]
            .iter()
            .find_map(|w| q.strip_prefix(w))
            .and_then(|rest| {
                let noun = rest.split_whitespace().next()?;
                let at = q.len() - rest.len();
                let plural = (noun.ends_with('s') && noun.len() > 3)
                    || ["people", "children", "men", "women", "staff"].contains(&noun);
                (!cols.iter().any(|(p, _)| *p == at) && plural).then_some(noun)
            });
        let namer = table.columns.iter().find(|c| {
            matches!(c.kind, Kind::Identifier | Kind::Text | Kind::Category)
                && names_rows(c)
                && !filter_cols.contains(&c.name.as_str())
        });
        let asked_cols = cols.iter().all(|(_, n)| filter_cols.contains(&n.as_str()));
        if let (Some(_), Some(c), true) = (row_noun, namer, asked_cols) {
            return Ok(Plan::Lookup {
                column: c.name.clone(),
                filters,
            });
        }
    }
    match (func, target) {
        (Some(Func::Count), _) => match counted_col {
            Some(c) => Ok(Plan::single(Func::CountDistinct, Some(c), filters)),
            None => Ok(Plan::single(Func::Count, None, filters)),
        },
        (Some(Func::CountDistinct), _) => {
            let c = cols
                .iter()
                .map(|(_, n)| n.clone())
                .find(|n| !filter_cols.contains(&n.as_str()))
                .ok_or(understood)?;
            Ok(Plan::single(Func::CountDistinct, Some(c), filters))
        }
        (Some(f), Some(c)) => Ok(Plan::single(f, Some(c), filters)),
        _ => Err(understood),
    }
}

/// Words that ask for a median, and for a mean (the reader's and the
/// check of a model's plan alike).
pub(crate) const MEDIAN_WORDS: &[&str] = &["median", "中位数"];
pub(crate) const MEAN_WORDS: &[&str] = &["average", "mean", "avg", "typical", "平均", "均值"];

/// Words that say "in less time", and "in more time".
const SPEED_WORDS: &[&str] = &["fastest", "quickest", "faster", "quicker", "最快"];
const SLOW_WORDS: &[&str] = &["slowest", "slower", "最慢"];

/// Of two measures named beside a superlative ("the horsepower of the
/// most expensive car", "sleeps the most", "报告台站数最多的那次地震震级"),
/// the one the superlative is said of, and the other, whose cell on that
/// row is asked for: `(ranked, reported)`. None unless exactly one of the
/// two stands next to a superlative and the other is asked after ("what
/// is", "how many", "是多少").
fn ranked_and_reported(
    q: &str,
    cols: &[(usize, String)],
    numeric: &[String],
    table: &Table,
) -> Option<(String, String)> {
    let [a, b] = numeric else {
        return None;
    };
    let superlative = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        is_superlative(w) || reading::WON.contains(&w)
    };
    let beside = |n: &String| {
        cols.iter().filter(|(_, m)| m == n).any(|(at, _)| {
            let end = name_end(q, *at, n, table);
            let own = &q[*at..end];
            let before = q[..*at].trim_end();
            let after = q[end..].trim_start();
            let after = after.strip_prefix("the ").unwrap_or(after);
            own.split_whitespace().any(superlative)
                || before
                    .split_whitespace()
                    .next_back()
                    .is_some_and(superlative)
                || after.split_whitespace().next().is_some_and(superlative)
                || before.ends_with('最')
                || after.starts_with('最')
        })
    };
    let asked = has(
        q,
        &[
            "what is",
            "what was",
            "what are",
            "what were",
            "how many",
            "how much",
            "how big",
            "how high",
            "how large",
            "how heavy",
            "how old",
            "how tall",
            "是多少",
            "有多少",
            "多少",
        ],
    );
    match (beside(a), beside(b)) {
        (true, false) if asked => Some((a.clone(), b.clone())),
        (false, true) if asked => Some((b.clone(), a.clone())),
        _ => None,
    }
}

/// Whether a numeric column holds durations: a time unit in its
/// brackets (`800m (s)`, `Time (min)`) or "time" in its name.
pub(crate) fn is_duration(c: &Column) -> bool {
    let unit = reading::unit_of(&c.name).unwrap_or_default();
    let time_unit = [
        "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hr", "hrs", "hours", "秒",
        "分钟", "小时",
    ]
    .contains(&unit.as_str());
    let name = plain_name(&c.name);
    time_unit
        || name
            .split_whitespace()
            .any(|w| w == "time" || w == "duration")
        || name.contains("时间")
}

/// A regular verb's past tense: "scored", "tipped", "counted".
fn past_tense(verb: &str) -> String {
    let b = verb.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    if verb.ends_with('e') {
        return format!("{verb}d");
    }
    let n = b.len();
    // One syllable ending consonant-vowel-consonant doubles its last
    // letter: tip, tipped.
    let short = n <= 4
        && !vowel(b[n - 1])
        && !b"wxy".contains(&b[n - 1])
        && vowel(b[n - 2])
        && !vowel(b[n - 3])
        && b.iter().filter(|c| vowel(**c)).count() == 1;
    if short {
        format!("{verb}{}ed", b[n - 1] as char)
    } else {
        format!("{verb}ed")
    }
}

/// Whether a word at `at` in a counting question ("how many", "number
/// of") is a thing counted rather than a column: it is a column only when
/// compared with a number right after it ("how many towns have hardness
/// over 100").
pub(crate) fn counted_at(q: &str, at: usize) -> bool {
    let lower = q.to_lowercase();
    if !has(&lower, &["how many", "number of", "count"]) {
        return false;
    }
    let rest = &lower[find_end(&lower, at).min(lower.len())..];
    let words: Vec<&str> = rest.split_whitespace().take(4).collect();
    let compared = words.first().is_some_and(|w| {
        [
            "over",
            "above",
            "under",
            "below",
            "more",
            "less",
            "greater",
            "higher",
            "lower",
            "exceeding",
            "between",
            "of",
            "at",
        ]
        .contains(w)
    }) && words.iter().any(|w| {
        w.trim_start_matches(['$', '€', '£'])
            .starts_with(|c: char| c.is_ascii_digit())
    });
    !compared
}

/// Words asking for the value most rows hold.
pub(crate) const MOST_COMMON: &[&str] = &[
    "most common",
    "most frequent",
    "most popular",
    "commonest",
    "最常见",
    "最普遍",
];

fn understood_so_far(cols: &[(usize, String)], filters: &[Filter]) -> Understood {
    Understood {
        columns: cols.iter().map(|(_, n)| n.clone()).collect(),
        filters: filters.to_vec(),
        func: Some(Func::Count),
    }
}

/// A day said without its year ("on 4 July") is that day of the one year
/// the table's dates span; over several years it is not read (the words
/// stay unexplained and the question is asked back).
fn day_of_the_year(
    whens: Vec<(usize, usize, When)>,
    cal: Option<&Calendar>,
) -> Vec<(usize, usize, When)> {
    use chrono::Datelike;
    let day = |v: &str| v.starts_with("*-") && v.len() == 7;
    let needs = |w: &When| match w {
        When::At(v) => day(v),
        When::Span(f, t) => day(f) || day(t),
    };
    if !whens.iter().any(|(_, _, w)| needs(w)) {
        return whens;
    }
    // The one year of the dates the periods are read on.
    let year = match cal {
        Some(Calendar::Dates(d)) => {
            let mut seen =
                (0..d.values.len()).filter_map(|i| d.values.get(i)?.date_time().map(|t| t.year()));
            seen.next().filter(|first| seen.all(|y| y == *first))
        }
        _ => None,
    };
    whens
        .into_iter()
        .filter_map(|(a, b, w)| {
            let dated = |v: &str, y: i32| format!("{y}{}", &v[1..]);
            match &w {
                When::At(v) if day(v) => year.map(|y| (a, b, When::At(dated(v, y)))),
                When::Span(f, t) if needs(&w) => year.map(|y| {
                    let fix = |v: &str| if day(v) { dated(v, y) } else { v.to_owned() };
                    (a, b, When::Span(fix(f), fix(t)))
                }),
                _ => Some((a, b, w)),
            }
        })
        .collect()
}

/// The cell meaning "yes" of a column holding only yes and no (`Yes`/`No`,
/// `Y`/`N`, TRUE/FALSE), as written.
pub(crate) fn yes_value(c: &Column) -> Option<String> {
    const YES: &[&str] = &["yes", "y", "true"];
    const NO: &[&str] = &["no", "n", "false"];
    let keys: Vec<String> = c
        .values
        .distinct_cells()
        .into_iter()
        .filter_map(|i| c.values.key(i).map(|k| k.into_owned()))
        .collect();
    let all_yes_no = keys.iter().all(|k| {
        let k = k.to_lowercase();
        YES.contains(&k.as_str()) || NO.contains(&k.as_str())
    });
    let yes = keys
        .into_iter()
        .find(|k| YES.contains(&k.to_lowercase().as_str()));
    yes.filter(|_| all_yes_no)
}

/// Whether the word at `at` follows "all", "every" or "any": "deaths from
/// all causes" is no column ending in "causes" (`Deaths from other
/// causes`) found by its last word, but every cause.
pub(crate) fn quantified_at(q: &str, at: usize) -> bool {
    let before = q[..at].to_lowercase();
    let prev = before
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    ["all", "every", "any", "each"].contains(&prev)
}

/// The last word of a column's name of several words, when it has four
/// letters or more and no other column's name ends with it: "price" for
/// `Sticker price`, "river" for `On the Charles River`.
pub(crate) fn own_last_word(table: &Table, c: &Column) -> Option<String> {
    let plain = plain_name(&c.name);
    let word = plain.rsplit(' ').next()?;
    let unique = reading::names_where(table, |p| p.ends_with(word)) == 1;
    (word.chars().count() >= 4 && plain.contains(' ') && unique).then(|| word.to_owned())
}
