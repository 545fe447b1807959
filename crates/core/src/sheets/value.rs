//! What a cell's text means: a number (plain, currency or percent), a date
//! or date-time, a boolean, or text. The readers write numbers as Excel
//! shows them by default and dates as ISO (serial dates and the 1904 system
//! already resolved); people type `$1,200.50`, `12%`, `3/14/2024`,
//! `2024年3月14日` or `yes`, and all of those count as what they mean.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

/// A cell's meaning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Number(f64),
    /// An amount with its currency symbol or code.
    Currency(f64, String),
    /// A percent, stored as the fraction (12% -> 0.12).
    Percent(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Bool(bool),
    Text(String),
    /// `#DIV/0!`, `#N/A` and the other Excel errors.
    Error(String),
}

impl Value {
    /// The value as text, for distinct counts, top values and comparing
    /// cells as a person would.
    pub fn key(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) | Value::Percent(n) | Value::Currency(n, _) => format!("{n}"),
            Value::Date(d) => d.to_string(),
            // A date written as a date and time at midnight reads as the date.
            Value::DateTime(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Value::DateTime(d) => d.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Error(e) => e.clone(),
        }
    }

    /// The number in it, for aggregates (dates are not numbers here).
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(v) | Value::Currency(v, _) | Value::Percent(v) => Some(*v),
            _ => None,
        }
    }

    /// The date (midnight for a date-time's day) for periods and ranges.
    pub fn date_time(&self) -> Option<NaiveDateTime> {
        match self {
            Value::Date(d) => d.and_hms_opt(0, 0, 0),
            Value::DateTime(t) => Some(*t),
            _ => None,
        }
    }
}

pub(crate) const CURRENCY_SYMBOLS: &[&str] = &[
    "$", "€", "£", "¥", "￥", "₹", "₩", "CHF", "USD", "EUR", "GBP", "CNY", "RMB", "JPY",
];
pub(crate) const ERRORS: &[&str] = &[
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
];

/// Reads a cell's text.
pub fn parse(text: &str) -> Value {
    let t = text.trim();
    if ERRORS.contains(&t) {
        return Value::Error(t.to_owned());
    }
    match t.to_ascii_lowercase().as_str() {
        "true" | "yes" => return Value::Bool(true),
        "false" | "no" => return Value::Bool(false),
        _ => {}
    }
    if let Some(v) = plain_number(t) {
        return Value::Number(v);
    }
    if let Some(body) = t.strip_suffix('%') {
        if let Some(v) = plain_number(body.trim()) {
            return Value::Percent(v / 100.0);
        }
    }
    if let Some((v, symbol)) = currency(t) {
        return Value::Currency(v, symbol);
    }
    if let Some(d) = date_time(t) {
        return d;
    }
    Value::Text(t.to_owned())
}

/// `1234`, `-1,234.5`, `(1,234)` (accounting negative), `1.5e3`.
fn plain_number(t: &str) -> Option<f64> {
    if t.is_empty() {
        return None;
    }
    let (negative, body) = match t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    let grouped = body.contains(',');
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    if grouped && !valid_grouping(body) {
        return None;
    }
    // Only digits, one sign, a point and an exponent: "12abc" is text.
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        || !cleaned.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let v: f64 = cleaned.parse().ok()?;
    v.is_finite().then_some(if negative { -v } else { v })
}

/// `1,234,567.89`: groups of three after the first.
fn valid_grouping(body: &str) -> bool {
    let int = body.split('.').next().unwrap_or("");
    let int = int.trim_start_matches(['-', '+']);
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

fn currency(t: &str) -> Option<(f64, String)> {
    for sym in CURRENCY_SYMBOLS {
        let (negative, rest) = match t.strip_prefix('-') {
            Some(r) => (true, r.trim_start()),
            None => (false, t),
        };
        let body = rest
            .strip_prefix(sym)
            .map(str::trim_start)
            .or_else(|| rest.strip_suffix(sym).map(str::trim_end));
        if let Some(v) = body.and_then(plain_number) {
            return Some((if negative { -v } else { v }, (*sym).to_owned()));
        }
    }
    None
}

fn date_time(t: &str) -> Option<Value> {
    const DATE_TIMES: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    const DATES: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%m/%d/%Y",
        "%d.%m.%Y",
        "%Y年%m月%d日",
        "%d %B %Y",
        "%B %d, %Y",
        "%d %b %Y",
        "%b %d, %Y",
    ];
    for f in DATE_TIMES {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Value::DateTime(d));
        }
    }
    for f in DATES {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Some(Value::Date(d));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_currencies_percents_dates_and_text_are_told_apart() {
        assert_eq!(parse("1234"), Value::Number(1234.0));
        assert_eq!(parse("-1,234.5"), Value::Number(-1234.5));
        assert_eq!(parse("(1,200)"), Value::Number(-1200.0));
        assert_eq!(parse("12%"), Value::Percent(0.12));
        assert_eq!(parse("$1,200.50"), Value::Currency(1200.5, "$".into()));
        assert_eq!(parse("-€30"), Value::Currency(-30.0, "€".into()));
        assert_eq!(parse("¥1000"), Value::Currency(1000.0, "¥".into()));
        assert_eq!(
            parse("2024-03-14"),
            Value::Date(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap())
        );
        assert_eq!(
            parse("3/14/2024"),
            Value::Date(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap())
        );
        assert_eq!(
            parse("2024年3月14日"),
            Value::Date(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap())
        );
        assert!(matches!(parse("2024-03-14 09:30:00"), Value::DateTime(_)));
        assert_eq!(parse("TRUE"), Value::Bool(true));
        assert_eq!(parse("#DIV/0!"), Value::Error("#DIV/0!".into()));
        assert_eq!(parse("12abc"), Value::Text("12abc".into()));
        assert_eq!(parse("1,23"), Value::Text("1,23".into()));
        assert_eq!(parse("North"), Value::Text("North".into()));
    }
}
