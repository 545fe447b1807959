//! A column's cells stored compactly: a type tag and a payload per data
//! row (the number, the day, the text's id in the sheet's shared text
//! pool), instead of a full [`Value`] with its own heap string. Once a
//! column is complete its storage narrows to what it holds: one tag for
//! the whole column when its cells share a type (a bit per cell saying
//! which are empty), and 4-byte payloads when every value fits (text ids,
//! days, whole numbers). This keeps a 200,000-row table near the size of
//! its data; a [`Value`] is made only when a cell is looked at.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::value::{Value, CURRENCY_SYMBOLS, ERRORS};
use crate::docs::TextPool;

const EMPTY: u8 = 0;
const NUMBER: u8 = 1;
const PERCENT: u8 = 2;
const DATE: u8 = 3;
/// Payload: index into `wide` (a date-time needs 12 bytes).
const DATE_TIME: u8 = 4;
const BOOL: u8 = 5;
/// Payload: id in the shared pool.
const POOL_TEXT: u8 = 6;
/// Payload: index into ERRORS.
const ERROR: u8 = 7;
/// Payload: index into `own` (text that is not in the pool).
const OWN_TEXT: u8 = 8;
/// `CURRENCY + k`: an amount in CURRENCY_SYMBOLS[k].
const CURRENCY: u8 = 16;

/// Cell types: one per cell, or one for the column with a bit per cell
/// (set where the cell holds a value).
#[derive(Debug, Clone)]
enum Tags {
    Each(Vec<u8>),
    Uniform {
        tag: u8,
        present: Vec<u64>,
        len: usize,
    },
}

impl Default for Tags {
    fn default() -> Self {
        Tags::Each(Vec::new())
    }
}

/// Payloads: 8 bytes each, 4 when every one fits (ids, days, indexes),
/// or whole numbers in 4 bytes for a number column that holds only those.
#[derive(Debug, Clone)]
enum Payload {
    Wide(Vec<u64>),
    Narrow(Vec<u32>),
    Whole(Vec<i32>),
}

impl Default for Payload {
    fn default() -> Self {
        Payload::Wide(Vec::new())
    }
}

/// The cells of one column, one per data row; a cell is empty where the
/// sheet's is, or where its value's type differs from the column's.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    tags: Tags,
    data: Payload,
    wide: Vec<NaiveDateTime>,
    own: Vec<String>,
    pool: Arc<TextPool>,
    /// `distinct_cells`, found once: a question reads it for values,
    /// names and groups, and on 200,000 rows the sort is not free. Any
    /// change to the cells forgets it.
    distinct: std::sync::OnceLock<Vec<usize>>,
}

impl Cells {
    /// Empty cells whose texts may point into `pool`.
    pub fn with_pool(pool: Arc<TextPool>, capacity: usize) -> Self {
        Cells {
            tags: Tags::Each(Vec::with_capacity(capacity)),
            data: Payload::Wide(Vec::with_capacity(capacity)),
            pool,
            ..Cells::default()
        }
    }

    pub fn len(&self) -> usize {
        match &self.tags {
            Tags::Each(t) => t.len(),
            Tags::Uniform { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn tag(&self, i: usize) -> Option<u8> {
        match &self.tags {
            Tags::Each(t) => t.get(i).copied(),
            Tags::Uniform { tag, present, len } => (i < *len).then(|| {
                if present[i / 64] >> (i % 64) & 1 == 1 {
                    *tag
                } else {
                    EMPTY
                }
            }),
        }
    }

    fn payload(&self, i: usize) -> u64 {
        match &self.data {
            Payload::Wide(d) => d[i],
            Payload::Narrow(d) => u64::from(d[i]),
            Payload::Whole(d) => f64::from(d[i]).to_bits(),
        }
    }

    /// Back to one tag and 8 bytes per cell, for appending.
    fn widen(&mut self) {
        if let Tags::Uniform { .. } = self.tags {
            self.tags = Tags::Each(
                (0..self.len())
                    .map(|i| self.tag(i).unwrap_or(EMPTY))
                    .collect(),
            );
        }
        if !matches!(self.data, Payload::Wide(_)) {
            let n = self.len();
            self.data = Payload::Wide((0..n).map(|i| self.payload(i)).collect());
        }
    }

    /// Appends a cell.
    pub fn push(&mut self, v: Option<Value>) {
        self.distinct = std::sync::OnceLock::new();
        self.push_with_id(v, None);
    }

    /// Appends a cell whose text, when it is text, is `pool_id` in the
    /// shared pool (so it is not stored again).
    pub fn push_with_id(&mut self, v: Option<Value>, pool_id: Option<u32>) {
        self.distinct = std::sync::OnceLock::new();
        let (tag, data) = match v {
            None => (EMPTY, 0),
            Some(Value::Number(n)) => (NUMBER, n.to_bits()),
            Some(Value::Percent(n)) => (PERCENT, n.to_bits()),
            Some(Value::Currency(n, sym)) => {
                match CURRENCY_SYMBOLS.iter().position(|s| *s == sym) {
                    Some(k) => (CURRENCY + k as u8, n.to_bits()),
                    None => (NUMBER, n.to_bits()),
                }
            }
            Some(Value::Date(d)) => (DATE, d.num_days_from_ce() as u32 as u64),
            Some(Value::DateTime(t)) => {
                self.wide.push(t);
                (DATE_TIME, (self.wide.len() - 1) as u64)
            }
            Some(Value::Bool(b)) => (BOOL, u64::from(b)),
            Some(Value::Error(e)) => match ERRORS.iter().position(|s| *s == e) {
                Some(k) => (ERROR, k as u64),
                None => self.own_text(e),
            },
            Some(Value::Text(t)) => match pool_id {
                Some(id) if self.pool.get(id).trim() == t => (POOL_TEXT, u64::from(id)),
                _ => self.own_text(t),
            },
        };
        self.widen();
        if let (Tags::Each(tags), Payload::Wide(d)) = (&mut self.tags, &mut self.data) {
            tags.push(tag);
            d.push(data);
        }
    }

    fn own_text(&mut self, t: String) -> (u8, u64) {
        self.own.push(t);
        (OWN_TEXT, (self.own.len() - 1) as u64)
    }

    /// Empties cell `i` (a value of another type than the column's).
    pub fn clear(&mut self, i: usize) {
        self.distinct = std::sync::OnceLock::new();
        match &mut self.tags {
            Tags::Each(t) => {
                if let Some(t) = t.get_mut(i) {
                    *t = EMPTY;
                }
            }
            Tags::Uniform { present, len, .. } => {
                if i < *len {
                    present[i / 64] &= !(1 << (i % 64));
                }
            }
        }
    }

    /// Whether cell `i` holds a value.
    pub fn is_some(&self, i: usize) -> bool {
        self.tag(i).is_some_and(|t| t != EMPTY)
    }

    /// How many cells hold a value.
    pub fn count(&self) -> usize {
        match &self.tags {
            Tags::Each(t) => t.iter().filter(|&&t| t != EMPTY).count(),
            Tags::Uniform { present, .. } => present.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }

    /// Cell `i` as a value.
    pub fn get(&self, i: usize) -> Option<Value> {
        let tag = self.tag(i)?;
        if tag == EMPTY {
            return None;
        }
        let d = self.payload(i);
        Some(match tag {
            NUMBER => Value::Number(f64::from_bits(d)),
            PERCENT => Value::Percent(f64::from_bits(d)),
            DATE => Value::Date(NaiveDate::from_num_days_from_ce_opt(d as u32 as i32)?),
            DATE_TIME => Value::DateTime(*self.wide.get(d as usize)?),
            BOOL => Value::Bool(d != 0),
            POOL_TEXT | OWN_TEXT => Value::Text(self.text(i)?.to_owned()),
            ERROR => Value::Error((*ERRORS.get(d as usize)?).to_owned()),
            t if t >= CURRENCY => Value::Currency(
                f64::from_bits(d),
                (*CURRENCY_SYMBOLS.get(usize::from(t - CURRENCY))?).to_owned(),
            ),
            _ => return None,
        })
    }

    /// The number in cell `i` (plain, currency or percent), without
    /// making a value.
    pub fn number(&self, i: usize) -> Option<f64> {
        match self.tag(i)? {
            NUMBER | PERCENT => Some(f64::from_bits(self.payload(i))),
            t if t >= CURRENCY => Some(f64::from_bits(self.payload(i))),
            _ => None,
        }
    }

    /// The text in cell `i` when it holds text, borrowed from the pool.
    pub fn text(&self, i: usize) -> Option<&str> {
        let tag = self.tag(i)?;
        let d = self.payload(i);
        match tag {
            POOL_TEXT => Some(self.pool.get(d as u32).trim()),
            OWN_TEXT => self.own.get(d as usize).map(String::as_str),
            _ => None,
        }
    }

    /// The date and time in cell `i` (midnight for a date).
    pub fn date_time(&self, i: usize) -> Option<NaiveDateTime> {
        match self.tag(i)? {
            DATE => NaiveDate::from_num_days_from_ce_opt(self.payload(i) as u32 as i32)?
                .and_hms_opt(0, 0, 0),
            DATE_TIME => self.wide.get(self.payload(i) as usize).copied(),
            _ => None,
        }
    }

    /// Cell `i` as the text a person would compare (see `Value::key`),
    /// borrowed when the cell holds text.
    pub fn key(&self, i: usize) -> Option<std::borrow::Cow<'_, str>> {
        match self.text(i) {
            Some(t) => Some(t.into()),
            None => self.get(i).map(|v| v.key().into()),
        }
    }

    /// A key that orders cells cheaply and is equal exactly when their
    /// `key`s are: text borrowed, numbers by value (a number's key is its
    /// shortest round-trip form, one per value), anything else by its key.
    fn sort_key(&self, i: usize) -> SortKey<'_> {
        if let Some(t) = self.text(i) {
            return SortKey::Text(t);
        }
        match self.tag(i) {
            Some(NUMBER | PERCENT) => SortKey::Number(Total(f64::from_bits(self.payload(i)))),
            Some(t) if t >= CURRENCY => SortKey::Number(Total(f64::from_bits(self.payload(i)))),
            _ => SortKey::Other(self.key(i).map(|k| k.into_owned()).unwrap_or_default()),
        }
    }

    /// The first cell of each distinct value (by `key`), in row order.
    /// Found by sorting cell numbers, not by collecting the values, so a
    /// column of 200,000 distinct ids is not copied.
    pub fn distinct_cells(&self) -> Vec<usize> {
        self.distinct.get_or_init(|| self.find_distinct()).clone()
    }

    fn find_distinct(&self) -> Vec<usize> {
        let mut idx: Vec<u32> = (0..self.len() as u32)
            .filter(|&i| self.is_some(i as usize))
            .collect();
        // Stable: equal values keep row order, so the first is the first.
        idx.sort_by(|&a, &b| self.sort_key(a as usize).cmp(&self.sort_key(b as usize)));
        let mut firsts: Vec<usize> = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            if k == 0 || self.sort_key(idx[k - 1] as usize) != self.sort_key(i as usize) {
                firsts.push(i as usize);
            }
        }
        firsts.sort_unstable();
        firsts
    }

    /// Every cell, in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<Value>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The cells that hold a value, in row order.
    pub fn present(&self) -> impl Iterator<Item = Value> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Bytes held on the heap (the shared pool not counted).
    pub fn heap_bytes(&self) -> usize {
        let tags = match &self.tags {
            Tags::Each(t) => t.capacity(),
            Tags::Uniform { present, .. } => present.capacity() * 8,
        };
        let data = match &self.data {
            Payload::Wide(d) => d.capacity() * 8,
            Payload::Narrow(d) => d.capacity() * 4,
            Payload::Whole(d) => d.capacity() * 4,
        };
        tags + data
            + self.wide.capacity() * std::mem::size_of::<NaiveDateTime>()
            + self.own.iter().map(|s| s.capacity() + 24).sum::<usize>()
    }

    /// Narrows the storage to what the column holds (see the module
    /// doc); appending afterwards widens it again.
    pub(crate) fn shrink(&mut self) {
        self.widen();
        let n = self.len();
        let (Tags::Each(tags), Payload::Wide(data)) = (&self.tags, &self.data) else {
            return;
        };
        let mut kinds = tags.iter().copied().filter(|&t| t != EMPTY);
        let first = kinds.next();
        let uniform = first.filter(|&f| kinds.all(|t| t == f));
        let numeric = |t: u8| matches!(t, NUMBER | PERCENT) || t >= CURRENCY;
        let payload = match uniform {
            Some(t) if numeric(t) => {
                let whole = (0..n).all(|i| {
                    let x = f64::from_bits(data[i]);
                    tags[i] == EMPTY
                        || (x.fract() == 0.0
                            && x.abs() <= f64::from(i32::MAX)
                            && x.to_bits() != (-0.0f64).to_bits())
                });
                whole.then(|| {
                    Payload::Whole(
                        (0..n)
                            .map(|i| {
                                if tags[i] == EMPTY {
                                    0
                                } else {
                                    f64::from_bits(data[i]) as i32
                                }
                            })
                            .collect(),
                    )
                })
            }
            _ if (0..n).all(|i| {
                let t = tags[i];
                t == EMPTY || (!numeric(t) && data[i] <= u64::from(u32::MAX))
            }) =>
            {
                Some(Payload::Narrow(
                    (0..n)
                        .map(|i| if tags[i] == EMPTY { 0 } else { data[i] as u32 })
                        .collect(),
                ))
            }
            _ => None,
        };
        let new_tags = uniform.map(|tag| {
            let mut present = vec![0u64; n.div_ceil(64)];
            for (i, &t) in tags.iter().enumerate() {
                if t != EMPTY {
                    present[i / 64] |= 1 << (i % 64);
                }
            }
            Tags::Uniform {
                tag,
                present,
                len: n,
            }
        });
        if let Some(p) = payload {
            self.data = p;
        }
        if let Some(t) = new_tags {
            self.tags = t;
        }
        if let Tags::Each(t) = &mut self.tags {
            t.shrink_to_fit();
        }
        if let Payload::Wide(d) = &mut self.data {
            d.shrink_to_fit();
        }
        self.wide.shrink_to_fit();
        self.own.shrink_to_fit();
    }
}

/// See [`Cells::sort_key`].
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey<'a> {
    Text(&'a str),
    Number(Total),
    Other(String),
}

/// An f64 ordered and compared by `total_cmp` (equal exactly when its
/// bits are, so 0 and -0, whose keys differ, stay apart).
struct Total(f64);

impl PartialEq for Total {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}

impl Eq for Total {}

impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Total {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl FromIterator<Option<Value>> for Cells {
    fn from_iter<I: IntoIterator<Item = Option<Value>>>(iter: I) -> Self {
        let mut c = Cells::default();
        for v in iter {
            c.push(v);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_comes_back_as_it_went_in() {
        let t = NaiveDate::from_ymd_opt(2024, 3, 14)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let values = vec![
            Some(Value::Number(-1.5)),
            None,
            Some(Value::Percent(0.12)),
            Some(Value::Currency(1200.5, "€".into())),
            Some(Value::Date(t.date())),
            Some(Value::DateTime(t)),
            Some(Value::Bool(true)),
            Some(Value::Text("North".into())),
            Some(Value::Error("#N/A".into())),
        ];
        let mut cells: Cells = values.iter().cloned().collect();
        assert_eq!(cells.iter().collect::<Vec<_>>(), values);
        cells.shrink();
        assert_eq!(cells.iter().collect::<Vec<_>>(), values, "mixed, narrowed");
        assert_eq!(cells.count(), 8);
        assert_eq!(cells.number(3), Some(1200.5));
        assert_eq!(cells.text(7), Some("North"));
        assert_eq!(cells.date_time(4), t.date().and_hms_opt(0, 0, 0));
        assert_eq!(cells.date_time(5), Some(t));
        cells.push(Some(Value::Number(2.0)));
        assert_eq!(cells.len(), 10);
        assert_eq!(cells.number(9), Some(2.0));

        // The first cell of each distinct value, in row order.
        let column: Cells = [
            Some(Value::Text("b".into())),
            Some(Value::Number(2.0)),
            None,
            Some(Value::Text("a".into())),
            Some(Value::Number(2.0)),
            Some(Value::Text("b".into())),
            Some(Value::Number(-0.0)),
            Some(Value::Number(0.0)),
        ]
        .into_iter()
        .collect();
        assert_eq!(column.distinct_cells(), vec![0, 1, 3, 6, 7]);

        // One type per column: a tag for all, whole numbers and texts in
        // 4 bytes, empty cells and -0.0 kept.
        let columns = [
            vec![Some(Value::Number(3.0)), None, Some(Value::Number(-7.0))],
            vec![Some(Value::Number(-0.0)), Some(Value::Number(2.5)), None],
            vec![
                None,
                Some(Value::Text("a".into())),
                Some(Value::Text("b".into())),
            ],
            vec![
                Some(Value::Date(t.date())),
                None,
                Some(Value::Date(t.date())),
            ],
            vec![Some(Value::Currency(1e12, "$".into())), None, None],
        ];
        for values in columns {
            let mut cells: Cells = values.iter().cloned().collect();
            let before = cells.heap_bytes();
            cells.shrink();
            assert_eq!(cells.iter().collect::<Vec<_>>(), values);
            assert!(cells.heap_bytes() <= before);
            cells.clear(0);
            assert_eq!(cells.get(0), None);
            assert_eq!(cells.count(), values[1..].iter().flatten().count());
        }
    }
}
