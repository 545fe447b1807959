//! Spreadsheet analysis on real files: the sample workbook (title row,
//! totals row, note, formulas with cached values, a two-level header, two
//! tables side by side), CSVs typed the way people type them, every
//! spreadsheet in the shared corpus, and questions whose answers are
//! checked against sums computed here, independently, from the cells.

use deskpilot_testkit::corpus as corpus_files;

use std::path::{Path, PathBuf};

use deskpilot_core::docs::{self, Limits};
use deskpilot_core::sheets::{self, exec, phrase, Func, Kind, Outcome, Plan, PlanError};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/sales.xlsx")
}

fn workbook() -> sheets::Workbook {
    sheets::open(&sample(), None, &Limits::default()).expect("the sample opens")
}

/// Revenue and region of every order, read straight from the reader's
/// grid (not through the analysis): the independent reference.
fn orders_by_hand() -> Vec<(String, String, f64, f64)> {
    let doc = docs::open(&sample()).unwrap();
    let mut rows = Vec::new();
    for b in doc.blocks.iter().filter(|b| b.loc.starts_with("Orders!")) {
        for r in &b.rows {
            if r[0].starts_with("SO-") {
                rows.push((
                    r[2].clone(),
                    r[3].clone(),
                    r[4].parse::<f64>().unwrap(),
                    r[6].parse::<f64>().unwrap(),
                ));
            }
        }
    }
    assert_eq!(rows.len(), 48);
    rows
}

fn value(o: &Outcome) -> f64 {
    match o {
        Outcome::Value { value: Some(v), .. } => *v,
        other => panic!("expected one value, got {other:?}"),
    }
}

#[test]
fn the_sample_workbooks_tables_are_found_with_title_totals_notes_and_headers() {
    let wb = workbook();
    assert_eq!(wb.sheets, ["Orders", "Summary"]);
    assert_eq!(
        wb.tables.len(),
        3,
        "{:#?}",
        wb.tables.iter().map(|t| &t.range).collect::<Vec<_>>()
    );
    let orders = &wb.tables[0];
    assert_eq!(orders.title.as_deref(), Some("Orders, first half of 2024"));
    assert_eq!(orders.rows.len(), 48);
    let totals = orders.totals.as_ref().expect("a totals row");
    assert_eq!((totals.row + 1, totals.label.as_str()), (52, "Total"));
    assert!(totals.mismatched.is_empty());
    assert_eq!(orders.notes.len(), 1);
    assert!(orders.notes[0].starts_with("Source: order system export"));
    let kinds: Vec<(&str, Kind)> = orders
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Order ID", Kind::Identifier),
            ("Date", Kind::Date),
            ("Region", Kind::Category),
            ("Product", Kind::Category),
            ("Units", Kind::Number),
            ("Unit price", Kind::Number),
            ("Revenue", Kind::Number),
            ("Paid", Kind::Bool),
        ]
    );
    let revenue = orders.column("Revenue").unwrap();
    assert_eq!(revenue.formula_cells, 48, "formula cells are marked");
    assert_eq!(orders.column_range(revenue), "Orders!G4:G51");

    let summary = &wb.tables[1];
    let names: Vec<&str> = summary.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Region",
            "2023 / Units",
            "2023 / Revenue",
            "2024 / Units",
            "2024 / Revenue"
        ]
    );
    assert_eq!(summary.rows.len(), 4);
    let targets = &wb.tables[2];
    assert_eq!(targets.range, "Summary!G1:H5");
    assert_eq!(targets.columns[1].name, "Target 2025");
}

#[test]
fn answers_match_sums_computed_independently_from_the_cells() {
    let wb = workbook();
    let by_hand = orders_by_hand();
    let total: f64 = by_hand.iter().map(|r| r.3).sum();
    let (t, a) = sheets::answer_by_phrase(&wb, "What is the total revenue?").unwrap();
    assert_eq!(t, 0);
    assert!((value(&a.outcome) - total).abs() < 1e-6);
    assert!(
        a.sentence.contains(&exec::show_number(total)),
        "{}",
        a.sentence
    );
    assert_eq!(a.cells, ["Orders!G4:G51"]);
    assert!(a.notes.iter().any(|n| n.contains("totals row")));
    assert!(a.notes.iter().any(|n| n.contains("cached values")));

    let (_, a) = sheets::answer_by_phrase(&wb, "total revenue by region").unwrap();
    let Outcome::Groups { rows } = &a.outcome else {
        panic!("{:?}", a.outcome)
    };
    assert_eq!(rows.len(), 4);
    for g in rows {
        let expect: f64 = by_hand.iter().filter(|r| r.0 == g.label).map(|r| r.3).sum();
        assert!((g.value.unwrap() - expect).abs() < 1e-6, "{}", g.label);
    }

    let (_, a) = sheets::answer_by_phrase(&wb, "average units in the North").unwrap();
    let north: Vec<f64> = by_hand
        .iter()
        .filter(|r| r.0 == "North")
        .map(|r| r.2)
        .collect();
    assert!((value(&a.outcome) - north.iter().sum::<f64>() / north.len() as f64).abs() < 1e-9);
    assert_eq!(a.rows_used, north.len());

    let (_, a) = sheets::answer_by_phrase(&wb, "which product has the highest revenue").unwrap();
    let Outcome::Groups { rows } = &a.outcome else {
        panic!()
    };
    let best = ["Kettle", "Toaster", "Blender"]
        .into_iter()
        .max_by(|x, y| {
            let s = |p: &str| {
                by_hand
                    .iter()
                    .filter(|r| r.1 == p)
                    .map(|r| r.3)
                    .sum::<f64>()
            };
            s(x).total_cmp(&s(y))
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].label, best);

    let (_, a) = sheets::answer_by_phrase(&wb, "revenue per month").unwrap();
    let Outcome::Series { rows } = &a.outcome else {
        panic!()
    };
    let sum: f64 = rows.iter().filter_map(|p| p.value).sum();
    assert!((sum - total).abs() < 1e-6, "the months add up to the total");
    assert_eq!(rows[0].period, "2024-01");
    assert!(rows[0].change.is_none() && rows[1].change.is_some());

    let (_, a) = sheets::answer_by_phrase(&wb, "correlation between units and revenue").unwrap();
    let Outcome::Correlation { r: Some(r), pairs } = a.outcome else {
        panic!()
    };
    assert_eq!(pairs, 48);
    assert!(r > 0.5 && r <= 1.0);

    let (_, a) = sheets::answer_by_phrase(&wb, "which order has the largest revenue").unwrap();
    let Outcome::Row { row, .. } = &a.outcome else {
        panic!()
    };
    let max = by_hand.iter().map(|r| r.3).fold(f64::MIN, f64::max);
    assert!(a.sentence.contains(&exec::show_number(max)));
    assert!((4..=51).contains(row));
}

#[test]
fn a_question_it_cannot_read_says_what_it_understood_instead_of_guessing() {
    let wb = workbook();
    let err = sheets::answer_by_phrase(&wb, "what is the weather like").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("rephrase") && msg.contains("Revenue"), "{msg}");
    let err = phrase::parse("average of region", &wb.tables[0]).unwrap_err();
    assert!(err.describe().contains("Region"));
}

#[test]
fn plans_naming_columns_the_table_lacks_or_wrong_types_are_refused() {
    let wb = workbook();
    let orders = &wb.tables[0];
    let bad: Plan =
        serde_json::from_str(r#"{"op":"aggregate","func":"sum","column":"Profit","filters":[]}"#)
            .unwrap();
    assert_eq!(
        exec::run(orders, &bad).unwrap_err(),
        PlanError::NoColumn("Profit".into())
    );
    let text_sum = Plan::single(Func::Sum, Some("Region".into()), vec![]);
    assert!(matches!(
        exec::run(orders, &text_sum),
        Err(PlanError::NotNumeric { .. })
    ));
    let json = serde_json::to_string(&text_sum).unwrap();
    assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), text_sum);
}

fn csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A workbook of one CSV table written to `dir`.
fn csv_workbook(dir: &Path, name: &str, text: &str) -> sheets::Workbook {
    sheets::open(&csv(dir, name, text), None, &Limits::default()).unwrap()
}

/// The value of `q` answered on `wb`; fails with the reading when the
/// question was declined.
fn answered(wb: &sheets::Workbook, q: &str) -> serde_json::Value {
    let r = sheets::reply_by_phrase(wb, q).unwrap();
    assert!(r.reading.answered, "{q}: {:?}", r.reading);
    r.value()
}

#[test]
fn csv_columns_typed_as_people_type_them_with_issues_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Date,Team,Spend,Share,Approved\n");
    let rows = [
        ("3/1/2024", "Ops", "$1,200.50", "12%", "yes"),
        ("3/2/2024", "Sales", "$900", "8%", "no"),
        ("3/3/2024", "Ops", "$1,050", "10%", "yes"),
        ("3/4/2024", "R&D", "n/a", "9%", "yes"),
        ("3/5/2024", "Sales", "$1,100", "11%", "no"),
        ("3/6/2024", "Ops", "$980", "10%", "yes"),
        ("3/7/2024", "R&D", "pending", "10%", "yes"),
        ("3/8/2024", "Sales", "$1,020", "9%", "no"),
        ("3/9/2024", "Ops", "$250,000", "11%", "yes"),
        ("3/2/2024", "Sales", "$900", "8%", "no"),
    ];
    for r in rows {
        text.push_str(&format!("{},{},\"{}\",{},{}\n", r.0, r.1, r.2, r.3, r.4));
    }
    let file = csv(dir.path(), "spend.csv", &text);
    let wb = sheets::open(&file, None, &Limits::default()).unwrap();
    let t = &wb.tables[0];
    let kind = |n: &str| t.column(n).unwrap().kind;
    assert_eq!(kind("Date"), Kind::Date);
    assert_eq!(kind("Team"), Kind::Category);
    assert_eq!(kind("Spend"), Kind::Currency);
    assert_eq!(kind("Share"), Kind::Percent);
    assert_eq!(kind("Approved"), Kind::Bool);
    let spend = t.column("Spend").unwrap();
    assert_eq!(spend.mixed, ["C8"], "'pending' is not an amount");
    let p = sheets::profile(&wb);
    let issues = p.tables[0].issues.join("\n");
    assert!(
        issues.contains("'Spend'") && issues.contains("C8"),
        "{issues}"
    );
    assert!(
        issues.contains("outlier") && issues.contains("C10"),
        "{issues}"
    );
    assert!(issues.contains("repeat an earlier row"), "{issues}");
    let spend_profile = p.tables[0]
        .columns
        .iter()
        .find(|c| c.name == "Spend")
        .unwrap();
    assert_eq!(spend_profile.missing, 2, "n/a and the mixed cell");
    assert_eq!(spend_profile.currency.as_deref(), Some("$"));
    let (_, a) = sheets::answer_by_phrase(&wb, "total spend for ops").unwrap();
    assert!((value(&a.outcome) - (1200.5 + 1050.0 + 980.0 + 250_000.0)).abs() < 1e-9);
    assert!(a.sentence.contains("$253,230.5"), "{}", a.sentence);
    let (_, a) = sheets::answer_by_phrase(&wb, "average share").unwrap();
    assert!(a.sentence.contains('%'), "{}", a.sentence);
}

#[test]
fn every_corpus_spreadsheet_gives_tables_or_a_clear_error() {
    let dir = corpus_files::corpus_dir();
    let mut opened = 0;
    for sub in ["xlsx", "xls", "xlsb", "ods", "csv"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let limits = Limits {
                max_seconds: 10,
                ..Limits::default()
            };
            match sheets::open(&path, None, &limits) {
                Ok(wb) => {
                    opened += 1;
                    let p = sheets::profile(&wb);
                    assert!(!p.tables.is_empty());
                }
                Err(e) => {
                    let msg = e.to_string();
                    let name = path.file_name().unwrap().to_string_lossy();
                    assert!(msg.contains(name.as_ref()), "{msg} does not name {name}");
                }
            }
        }
    }
    assert!(opened > 100, "only {opened} corpus spreadsheets analysed");
}

#[test]
fn a_sheet_read_for_analysis_has_exactly_the_cells_formulas_and_merges_of_its_document() {
    // The compact path (`open_sheets`) and the Document's blocks must
    // agree cell for cell on every corpus spreadsheet both can read.
    let dir = corpus_files::corpus_dir();
    let limits = Limits {
        max_seconds: 10,
        ..Limits::default()
    };
    let mut compared = 0;
    for sub in ["xlsx", "xls", "xlsb", "ods", "csv"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let (Ok(doc), Ok(compact)) = (
                docs::open_with(&path, &limits),
                docs::open_sheets(&path, &limits),
            ) else {
                continue;
            };
            let from_blocks = sheets::grid::grids(&doc);
            let direct = sheets::grid::into_grids(compact);
            let cells = |gs: &[sheets::Grid]| -> Vec<(String, u32, u32, String)> {
                gs.iter()
                    .filter(|g| !g.is_empty())
                    .flat_map(|g| {
                        g.cells_in(0..u32::MAX)
                            .map(|(r, c, t)| (g.sheet.clone(), r, c, t.to_owned()))
                    })
                    .collect()
            };
            let name = path.display();
            assert_eq!(cells(&from_blocks), cells(&direct), "{name}");
            let kept = |gs: &[sheets::Grid]| -> Vec<sheets::Grid> {
                gs.iter().filter(|g| !g.is_empty()).cloned().collect()
            };
            for (a, b) in kept(&from_blocks).iter().zip(&kept(&direct)) {
                // Formula cells that hold a value (blocks also mark empty
                // cells inside their range).
                let valued: std::collections::BTreeSet<_> = a
                    .formulas
                    .iter()
                    .filter(|&&(r, c)| a.get(r, c).is_some())
                    .copied()
                    .collect();
                assert_eq!(valued, b.formulas, "{name}");
                // Blocks keep the merges that start inside a band of
                // cells; the grid read directly keeps every one.
                assert!(a.merged.iter().all(|m| b.merged.contains(m)), "{name}");
            }
            compared += 1;
        }
    }
    assert!(
        compared > 100,
        "only {compared} corpus spreadsheets compared"
    );
}

#[test]
fn columns_are_found_by_the_names_people_say_and_superlatives_read_as_meant() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Day,Station,Rain (mm),Wind / Gust (m/s)\n\
                2024-03-01,North,4.5,12\n\
                2024-03-02,South,0,20\n\
                2024-03-03,North,9.5,7\n\
                2024-03-04,South,2,15\n";
    let wb = csv_workbook(dir.path(), "weather.csv", text);
    let ask = |q: &str| sheets::answer_by_phrase(&wb, q).unwrap().1;

    // "rain" is the column "Rain (mm)", "wind gust" is "Wind / Gust (m/s)".
    assert_eq!(ask("total rain").value(), serde_json::json!(16.0));
    let a = ask("average wind gust at North");
    assert_eq!(a.value(), serde_json::json!(9.5));
    // A superlative said of the figure, per group: the largest per group.
    let a = ask("Highest rain by station");
    assert_eq!(a.value(), serde_json::json!({"North": 9.5, "South": 2.0}));
    // "Which" asks for the best group: a ranking.
    assert_eq!(
        ask("Which station has the highest total rain?").value(),
        serde_json::json!(["North"])
    );
    // "What is the lowest": the figure; "which day"/"when": the row, named.
    assert_eq!(
        ask("What is the lowest rain?").value(),
        serde_json::json!(0.0)
    );
    let a = ask("When was the highest wind gust?");
    assert_eq!(a.value(), serde_json::json!("2024-03-02"));
    assert!(a.sentence.contains("2024-03-02, row 3"), "{}", a.sentence);
    // A value's plural or adjective names it: "Norths" is North.
    assert_eq!(
        ask("total rain of the Norths").value(),
        serde_json::json!(14.0)
    );
    // Shares answer in percent.
    let a = ask("share of rain by station");
    assert_eq!(a.value(), serde_json::json!({"North": 87.5, "South": 12.5}));
    // A figure named with a filter and no function is its total.
    assert_eq!(ask("rain at South").value(), serde_json::json!(2.0));
}

#[test]
fn comparisons_adjectives_and_words_inside_names_are_read_as_meant() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Car,Origin,Horsepower,Max speed (km/h),Sticker price\n\
                a,Japan,90,150,100\n\
                b,Japan,120,190,200\n\
                c,USA,150,210,300\n\
                d,Japan,110,170,400\n";
    let wb = csv_workbook(dir.path(), "cars.csv", text);
    let ask = |q: &str| sheets::answer_by_phrase(&wb, q).unwrap().1;
    // A number compared with a column is a filter; counting stays counting.
    assert_eq!(
        ask("How many cars from Japan have more than 100 horsepower?").value(),
        serde_json::json!(2.0)
    );
    assert_eq!(
        ask("average max speed of cars with horsepower under 115").value(),
        serde_json::json!(160.0)
    );
    // "max" inside the column's name does not make the question a maximum.
    assert_eq!(
        ask("Which origin has the lowest average max speed?").value(),
        serde_json::json!(["Japan"])
    );
    // The last word of a name, when no other column ends with it.
    assert_eq!(
        ask("average price for USA").value(),
        serde_json::json!(300.0)
    );
}

#[test]
fn units_number_words_and_signs_are_read_as_parts_of_the_question() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Cereal,Shelf,Sugars (g),Taste score,Change (%),\"Murders (per 100,000)\"\n\
                Alpha,1,12,40,-2,3\n\
                Beta,2,6,55,4,12\n\
                Gamma,3,14,35,-1,8\n\
                Delta,1,3,70,5,15\n\
                Omega,2,9,60,0,1\n";
    let wb = csv_workbook(dir.path(), "cereals.csv", text);
    let reply = |q: &str| sheets::reply_by_phrase(&wb, q).unwrap();
    // A unit said after its number belongs to the number.
    assert_eq!(
        answered(&wb, "How many cereals have more than 10 grams of sugar?"),
        serde_json::json!(2.0)
    );
    // A unit of words and digits is the column's scale, not a number.
    assert_eq!(
        answered(
            &wb,
            "How many cereals have more than 10 murders per 100,000?"
        ),
        serde_json::json!(2.0)
    );
    // "Taste score" is also "taste"; "three" is the count to list.
    assert_eq!(
        answered(&wb, "The three cereals with the lowest taste"),
        serde_json::json!(["Gamma", "Alpha", "Beta"])
    );
    // "Negative" compares with zero.
    assert_eq!(
        answered(&wb, "How many cereals had a negative change?"),
        serde_json::json!(2.0)
    );
    // Rows ranked by a column named after "by", whole numbers or not.
    assert_eq!(
        answered(&wb, "Top 2 cereals by sugars"),
        serde_json::json!(["Gamma", "Alpha"])
    );
    // A verb that says only that rows hold the figure carries nothing.
    assert_eq!(
        answered(&wb, "How many cereals require more than 10 grams of sugar?"),
        serde_json::json!(2.0)
    );
    // A number word the plan does not use is not ignored.
    let r = reply("What is the average taste score of the two shelves?");
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert!(
        r.reading.unmatched.contains(&"two".to_owned()),
        "{:?}",
        r.reading
    );
}

#[test]
fn a_last_word_said_once_for_two_columns_names_both() {
    let dir = tempfile::tempdir().unwrap();
    let text = "State,Murder arrests,Assault arrests,Urban population\n\
                A,1,10,50\n\
                B,2,25,60\n\
                C,3,29,40\n\
                D,4,41,70\n";
    let wb = csv_workbook(dir.path(), "arrests.csv", text);
    let r = sheets::reply_by_phrase(&wb, "Correlation between murder and assault arrests").unwrap();
    assert!(r.reading.answered, "{:?}", r.reading);
    assert!(
        r.reading.understood.contains("Murder arrests"),
        "{:?}",
        r.reading
    );
    assert!(
        r.reading.understood.contains("Assault arrests"),
        "{:?}",
        r.reading
    );
    let v = r.value().as_f64().unwrap();
    assert!(v > 0.95 && v < 1.0, "{v}");
    // A first word that is no column's is not given the last word.
    let r =
        sheets::reply_by_phrase(&wb, "Correlation between burglary and assault arrests").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert!(
        r.reading.unmatched.contains(&"burglary".to_owned()),
        "{:?}",
        r.reading
    );
}

#[test]
fn a_chinese_noun_after_how_many_names_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let text = "日期,臭氧,风速\n\
                2024-05-01,41,7.4\n\
                2024-05-02,,8.0\n\
                2024-05-03,12,12.6\n\
                2024-05-04,,11.5\n";
    let wb = csv_workbook(dir.path(), "空气.csv", text);
    let r = sheets::reply_by_phrase(&wb, "臭氧数据缺失了多少天？").unwrap();
    assert!(r.reading.answered, "{:?}", r.reading);
    assert_eq!(r.value().as_f64(), Some(2.0));
}

#[test]
fn a_loss_is_a_profit_below_zero_and_a_column_filtered_to_one_number_is_not_totalled() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Company,Country,Profits ($bn),Passengers,High school graduates (%)\n\
                Alpha,Japan,2.5,5,80\n\
                Beta,Japan,-1.5,4,90\n\
                Gamma,Germany,-3.25,5,70\n\
                Delta,Germany,0.5,5,60\n\
                Omega,France,-0.75,2,100\n";
    let wb = csv_workbook(dir.path(), "companies.csv", text);
    let reply = |q: &str| sheets::reply_by_phrase(&wb, q).unwrap();
    assert_eq!(
        answered(&wb, "How many companies made a loss?"),
        serde_json::json!(3.0)
    );
    assert_eq!(
        answered(&wb, "How many German companies made a loss?"),
        serde_json::json!(1.0)
    );
    // The biggest loss is the lowest profit, with the company.
    assert_eq!(
        answered(
            &wb,
            "Which company had the biggest loss, and how large was it?"
        ),
        serde_json::json!(["Gamma", -3.25])
    );
    // "The smallest loss" is not the smallest profit: asked, not guessed.
    assert!(
        !reply("Which company had the smallest loss?")
            .reading
            .answered
    );
    // Rows that "seat 5": counted, not 5 x their number.
    assert_eq!(
        answered(&wb, "How many companies seat 5 passengers?"),
        serde_json::json!(3.0)
    );
    // "Graduation" names the column of graduates.
    assert_eq!(
        answered(&wb, "Average high school graduation rate across companies"),
        serde_json::json!(80.0)
    );
}

#[test]
fn a_negated_value_is_left_out_and_what_no_plan_computes_is_asked_back() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Model,Origin,Type,Price\n\
                A,USA,Van,10\n\
                B,USA,Small,20\n\
                C,non-USA,Van,30\n\
                D,non-USA,Small,40\n\
                E,non-USA,Large,50\n";
    let wb = csv_workbook(dir.path(), "cars.csv", text);
    let reply = |q: &str| sheets::reply_by_phrase(&wb, q).unwrap();
    assert_eq!(
        answered(&wb, "How many cars are not from the USA?"),
        serde_json::json!(3.0)
    );
    assert_eq!(
        answered(&wb, "How many cars aren't vans?"),
        serde_json::json!(3.0)
    );
    assert_eq!(
        answered(&wb, "Average price excluding vans"),
        serde_json::json!(110.0 / 3.0)
    );
    assert_eq!(
        answered(&wb, "Total price of cars other than small ones"),
        serde_json::json!(90.0)
    );
    // Words that ask for more than any plan does are not dropped: the
    // reply says what it read and asks.
    for (q, word) in [
        ("Which car has the second highest price?", "second"),
        ("How many cars cost less than the average price?", "than"),
        ("What is the price gap between vans and small cars?", "gap"),
        ("What was the price growth of vans?", "growth"),
        ("小型车的价格增长了多少？", "增长"),
        ("Average price in the first week", "week"),
    ] {
        let r = reply(q);
        assert!(!r.reading.answered, "{q}: {:?}", r.reading);
        assert!(
            r.reading.unmatched.contains(&word.to_owned()),
            "{q}: {:?}",
            r.reading
        );
        assert!(r.value().is_null(), "{q}");
    }
}

#[test]
fn two_conditions_joined_by_or_on_different_columns_keep_rows_meeting_either() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Model,Type,Price,Horsepower\n\
                A,Van,45,100\n\
                B,Van,20,300\n\
                C,Small,10,90\n\
                D,Small,50,310\n\
                E,Large,30,200\n";
    let wb = csv_workbook(dir.path(), "cars.csv", text);
    let reply = |q: &str| sheets::reply_by_phrase(&wb, q).unwrap();
    let r = reply("How many cars cost over 40 or have more than 250 horsepower?");
    assert!(r.reading.answered, "{:?}", r.reading);
    assert_eq!(r.value(), serde_json::json!(3.0));
    assert!(r.reading.understood.contains(" or "), "{:?}", r.reading);
    // With a value filter: the "or" is bracketed in the reading.
    let r = reply("How many vans cost over 40 or have more than 250 horsepower?");
    assert!(r.reading.answered, "{:?}", r.reading);
    assert_eq!(r.value(), serde_json::json!(2.0));
    assert!(r.reading.understood.contains('('), "{:?}", r.reading);
    // "And" still means both; three conditions with "or" are asked back.
    assert_eq!(
        reply("How many cars cost over 40 and have more than 250 horsepower?").value(),
        serde_json::json!(1.0)
    );
    let r = reply("How many cars cost over 40 or under 15, or have more than 250 horsepower?");
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert!(r.value().is_null());
}

#[test]
fn after_leaves_its_year_out_and_units_rates_and_edges_no_plan_reads_are_asked_back() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Year,Firm,Weight (lbs),Claims,Rate (%)\n\
                1944,A,2500,10,1\n\
                1945,A,3500,20,2\n\
                1946,A,4500,30,3\n\
                1947,B,5500,40,4\n";
    let wb = csv_workbook(dir.path(), "firms.csv", text);
    let reply = |q: &str| sheets::reply_by_phrase(&wb, q).unwrap();
    assert_eq!(
        answered(&wb, "Total claims after 1945"),
        serde_json::json!(70.0)
    );
    assert_eq!(
        answered(&wb, "Total claims since 1945"),
        serde_json::json!(90.0)
    );
    assert_eq!(
        answered(&wb, "Total claims before 1945"),
        serde_json::json!(10.0)
    );
    // The table's own unit after a number is read (both firms have a
    // row over 3000 lbs); another unit is not.
    let r = reply("How many firms weigh more than 3000 pounds?");
    assert!(r.reading.answered, "{:?}", r.reading);
    assert_eq!(r.value(), serde_json::json!(2.0), "{:?}", r.reading);
    for (q, word) in [
        ("How many firms weigh more than 2 tons?", "tons"),
        ("What is the claim rate of firm A?", "rate"),
        ("What were the claims at the start of 1946?", "start"),
        ("Did firm A have more claims than firm B?", "than"),
        ("Which firms only have claims over 15?", "only"),
        ("Total claims of profitable firms", "profitable"),
        ("Claims of the most successful firm", "successful"),
        ("How many firms are A and how many are B?", "many"),
        (
            "What fraction of firm A rows have claims over 15?",
            "fraction",
        ),
        ("Total claims in the summer of 1946", "summer"),
        ("How much higher are the claims of firm B?", "higher"),
        (
            "How many firms are there, and what is their total claims?",
            "what",
        ),
    ] {
        let r = reply(q);
        assert!(!r.reading.answered, "{q}: {:?}", r.reading);
        assert!(
            r.reading.unmatched.contains(&word.to_owned()),
            "{q}: {:?}",
            r.reading
        );
    }
    // A column holding a rate is the rate.
    assert_eq!(
        answered(&wb, "What is the average rate?"),
        serde_json::json!(2.5)
    );
}

#[test]
fn chinese_numbers_run_on_into_their_units_and_are_compared_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Name,Salary ($)\nA,90000\nB,160000\nC,200000\nD,150000\n";
    let wb = csv_workbook(dir.path(), "pay.csv", text);
    for q in [
        "工资超过15万美元的有多少人？",
        "工资超过150000美元的有多少人？",
        "工资超过15万的有多少人？",
    ] {
        let r = sheets::reply_by_phrase(&wb, q).unwrap();
        assert!(r.reading.answered, "{q}: {:?}", r.reading);
        assert_eq!(r.value(), serde_json::json!(2.0), "{q}: {:?}", r.reading);
    }
}

#[test]
fn a_chinese_noun_right_after_a_value_names_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Model,Origin,Price\nA,USA,10\nB,USA,20\nC,non-USA,30\n";
    let wb = csv_workbook(dir.path(), "cars.csv", text);
    let r = sheets::reply_by_phrase(&wb, "美国产汽车的平均价格是多少？").unwrap();
    assert!(r.reading.answered, "{:?}", r.reading);
    assert_eq!(r.value(), serde_json::json!(15.0));
    // Any other word there is still not understood.
    let r = sheets::reply_by_phrase(&wb, "美国产汽车的平均价格和重量是多少？").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
}

#[test]
fn a_number_said_to_be_a_numeric_columns_value_keeps_those_rows_in_english_and_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "growth.csv",
        "Tooth length,Supplement,Dose (mg/day)\n4,VC,0.5\n6,OJ,0.5\n10,VC,1\n20,OJ,1\n30,VC,2\n26,OJ,2\n",
    );
    for q in [
        "What is the average tooth length when the dose is 1?",
        "Average tooth length where dose equals 1",
        "剂量为1时牙齿长度的平均值",
        "剂量为1时的平均牙齿长度是多少？",
    ] {
        assert_eq!(answered(&wb, q), serde_json::json!(15.0), "{q}");
    }
}

#[test]
fn a_group_with_no_value_is_never_the_highest() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "profits.csv",
        "Company,Country,Profits ($bn)\nAcme,US,3.5\nBlank Co,AU,\nZeta,US,9.25\nOmega,FR,-1\n",
    );
    assert_eq!(
        answered(&wb, "Which company has the highest profits?"),
        serde_json::json!(["Zeta"])
    );
    assert_eq!(
        answered(&wb, "Which company has the lowest profits?"),
        serde_json::json!(["Omega"])
    );
}

#[test]
fn chinese_questions_name_the_row_asked_for_group_by_which_kind_and_read_adjective_superlatives() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "jobs.csv",
        "Occupation,Type,Income ($),Women (%)\nnurses,Professional,4614,96.5\nminers,Blue collar,11023,0.5\nclerks,White collar,5052,75.3\nlawyers,Professional,19263,5.1\n",
    );
    assert_eq!(
        answered(&wb, "女性比例最高的职业是什么？"),
        serde_json::json!("nurses")
    );
    // The figure itself when no column is asked for.
    assert_eq!(
        answered(&wb, "最高收入是什么？"),
        serde_json::json!(19263.0)
    );
    assert_eq!(
        answered(&wb, "哪种类型的平均收入最高？"),
        serde_json::json!(["Professional"])
    );
    let cars = csv_workbook(
        dir.path(),
        "cars.csv",
        "Model,Type,Price ($1000)\nA,Small,7.4\nB,Large,38.7\nC,Small,11.1\n",
    );
    assert_eq!(
        answered(&cars, "最便宜的汽车价格是多少？"),
        serde_json::json!(7.4)
    );
    // "Cheap" alone says no bound: not answered as if it were not there.
    let r = sheets::reply_by_phrase(&cars, "便宜的汽车有多少？").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
}

#[test]
fn chinese_top_counts_are_read_and_each_of_a_thing_the_table_lacks_is_asked_back() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "firms.csv",
        "Company,Country,Sales ($bn)\nA,US,5\nB,JP,9\nC,US,7\nD,FR,1\n",
    );
    assert_eq!(
        answered(&wb, "销售额最高的三家公司"),
        serde_json::json!(["B", "C", "A"])
    );
    assert_eq!(
        answered(&wb, "销售额超过4的公司有多少家？"),
        serde_json::json!(3.0)
    );
    // No region column: "each region" is not the overall average.
    let r = sheets::reply_by_phrase(&wb, "各地区的平均销售额").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert!(
        r.reading.unmatched.iter().any(|w| w == "地区"),
        "{:?}",
        r.reading
    );
}

#[test]
fn of_two_tables_side_by_side_the_one_that_explains_the_question_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "trials.csv",
        "Chick weights,,,Plant growth,\n,,,,\nFeed,Chick weight (g),,Group,Dry plant weight (g)\ncasein,300,,Control,4.0\nsoy,200,,Control,6.0\ncasein,340,,Treatment 1,3.0\nsoy,250,,Treatment 1,3.5\n",
    );
    assert_eq!(wb.tables.len(), 2);
    // "dry weight": the name without its middle word.
    assert_eq!(
        answered(&wb, "What's the average dry weight of the control plants?"),
        serde_json::json!(5.0)
    );
    assert_eq!(
        answered(&wb, "average chick weight for casein"),
        serde_json::json!(320.0)
    );
}

#[test]
fn where_things_are_made_is_never_dropped_and_pay_is_income() {
    let dir = tempfile::tempdir().unwrap();
    let cars = csv_workbook(
        dir.path(),
        "cars.csv",
        "Model,Origin,Price ($1000)\nA,USA,20\nB,non-USA,30\nC,USA,40\n",
    );
    let r =
        sheets::reply_by_phrase(&cars, "What's the top price among Japanese-made cars?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert_eq!(
        answered(&cars, "highest price among USA-made cars"),
        serde_json::json!(40.0)
    );
    let jobs = csv_workbook(
        dir.path(),
        "jobs.csv",
        "Occupation,Income ($)\nnurses,4614\nminers,11023\nlawyers,19263\n",
    );
    assert_eq!(
        answered(&jobs, "How many occupations pay more than $10,000?"),
        serde_json::json!(2.0)
    );
}

#[test]
fn a_superlative_of_the_rows_names_the_group_of_one_row_and_a_total_of_levels_is_asked_back() {
    let dir = tempfile::tempdir().unwrap();
    let cars = csv_workbook(
        dir.path(),
        "cars.csv",
        "Manufacturer,Model,Type,Price ($1000)\nFord,Festiva,Small,7.4\nFord,Taurus,Midsize,20.2\nFord,Aerostar,Van,19.9\nMercedes-Benz,300E,Midsize,61.9\nSuzuki,Swift,Small,8.6\n",
    );
    assert_eq!(
        answered(&cars, "Which manufacturer has the cheapest car?"),
        serde_json::json!("Ford")
    );
    assert_eq!(
        answered(&cars, "Which manufacturer makes the most expensive car?"),
        serde_json::json!("Mercedes-Benz")
    );
    // Ford's prices add up to the most, which says nothing: asked back.
    for q in [
        "Which manufacturer has the highest price?",
        "price range of midsize cars",
    ] {
        let r = sheets::reply_by_phrase(&cars, q).unwrap();
        assert!(!r.reading.answered, "{q}: {:?}", r.reading);
    }
    // One row each: the row's own figure, and a rate is no row noun.
    let states = csv_workbook(
        dir.path(),
        "states.csv",
        "State,Violent crime (per 100,000),Sales\nMaine,120,5\nTexas,410,9\nOhio,300,7\n",
    );
    assert_eq!(
        answered(&states, "Which state has the highest violent crime rate?"),
        serde_json::json!(["Texas"])
    );
    assert_eq!(
        answered(&states, "Two states with the lowest violent crime rate"),
        serde_json::json!(["Maine", "Ohio"])
    );
}

#[test]
fn a_plan_giving_a_figure_per_group_for_a_superlative_is_held_to_have_left_it_out() {
    use deskpilot_core::sheets::plan::{Func, Plan};
    use deskpilot_core::sheets::reading::unplanned;
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "plants.csv",
        "Group,Dry plant weight (g)\nControl,4.2\nControl,5.1\nTreatment 1,3.9\nTreatment 2,5.5\n",
    );
    let table = &wb.tables[0];
    let per_group = Plan::Aggregate {
        func: Func::Mean,
        column: Some("Dry plant weight (g)".into()),
        filters: Vec::new(),
        group_by: Some("Group".into()),
        sort: None,
        limit: None,
        share: false,
        period: None,
        with_value: false,
    };
    // What a model planned for it: the averages, none picked.
    let q = "Which plant group has the lowest average dry weight?";
    assert_eq!(unplanned(q, &per_group, table), vec!["lowest".to_owned()]);
    assert_eq!(
        unplanned("哪个组的平均干重最低？", &per_group, table),
        vec!["最低".to_owned()]
    );
    // A bound is no ranking; and the reader ranks it itself.
    assert!(unplanned(
        "Average dry weight per group for plants of at least 4 g",
        &per_group,
        table
    )
    .is_empty());
    assert_eq!(
        answered(&wb, "Which group has the lowest average dry weight?"),
        serde_json::json!(["Treatment 1"])
    );
}

#[test]
fn chinese_which_quarter_and_which_year_ask_for_the_best_period() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "passengers.csv",
        "Month,Passengers (thousands)\n2020-01-01,110\n2020-02-01,120\n2020-03-01,130\n2020-04-01,140\n2020-05-01,150\n2020-06-01,160\n2020-07-01,150\n2020-08-01,140\n2020-09-01,130\n2020-10-01,120\n2020-11-01,110\n2020-12-01,100\n2021-01-01,160\n2021-02-01,170\n2021-03-01,180\n2021-04-01,190\n2021-05-01,200\n2021-06-01,210\n2021-07-01,200\n2021-08-01,190\n2021-09-01,180\n2021-10-01,170\n2021-11-01,160\n2021-12-01,150\n",
    );
    assert_eq!(
        answered(&wb, "哪个季度的乘客最多？"),
        serde_json::json!(["2021 Q2"])
    );
    assert_eq!(
        answered(&wb, "Which quarter had the most passengers?"),
        serde_json::json!(["2021 Q2"])
    );
    assert_eq!(
        answered(&wb, "哪一年的乘客最多？"),
        serde_json::json!(["2021"])
    );
}

#[test]
fn chinese_headers_with_full_width_brackets_are_named_by_their_words_and_scaled_by_their_units() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("月份,个人储蓄率（%）,失业人数（千人）,人口（千人）\n");
    let rows = [
        ("1980-01-31", 11.0, 9000.0, 227000.0),
        ("1980-02-29", 10.5, 9500.0, 227100.0),
        ("1980-03-31", 9.0, 10200.0, 227200.0),
        ("1981-01-31", 12.0, 10800.0, 229000.0),
        ("1981-02-28", 8.0, 9900.0, 229100.0),
    ];
    for (m, s, u, p) in rows {
        text.push_str(&format!("{m},{s},{u},{p}\n"));
    }
    let wb = csv_workbook(dir.path(), "经济.csv", &text);
    assert_eq!(
        answered(&wb, "个人储蓄率最低是多少？"),
        serde_json::json!(8.0)
    );
    // The last three characters of a name say it too.
    assert_eq!(answered(&wb, "储蓄率最高是多少？"), serde_json::json!(12.0));
    assert_eq!(
        answered(&wb, "人口最多是多少？"),
        serde_json::json!(229100.0)
    );
    // 1000万 people against a column in thousands is 10,000; a month per
    // row: "的月份有几个" counts the rows.
    assert_eq!(
        answered(&wb, "失业人数超过1000万的月份有几个？"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "个人储蓄率超过10%的月份有多少个？"),
        serde_json::json!(3.0)
    );
    // English words for Chinese headers.
    assert_eq!(
        answered(&wb, "Average unemployment in 1981"),
        serde_json::json!(10350.0)
    );
}

#[test]
fn a_word_close_to_a_category_value_is_asked_about_not_taken_as_the_rows_name() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "mammals.csv",
        "Name,Order,Diet,Total sleep (h),REM sleep (h),Awake (h),Body weight (kg)\n\
         Mouse,Rodentia,Herbivore,12.5,1.4,11.5,0.02\n\
         Rat,Rodentia,Omnivore,13.0,2.4,11.0,0.32\n\
         Squirrel,Rodentia,Herbivore,15.8,3.4,8.2,0.1\n\
         Lion,Carnivora,Carnivore,13.5,,10.5,160\n\
         Dog,Carnivora,Carnivore,10.1,2.9,13.9,14\n\
         Cow,Artiodactyla,Herbivore,4.0,0.7,20.0,600\n\
         Horse,Perissodactyla,Herbivore,2.9,0.6,21.1,521\n",
    );
    // "rodents" is not Rodentia by this reader, and not every mammal: the
    // median of every body weight would be a wrong answer given as one.
    let r = sheets::reply_by_phrase(&wb, "Median body weight of rodents").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert!(
        r.reading.unmatched.iter().any(|w| w == "rodents"),
        "{:?}",
        r.reading
    );
    // "Sleep" is the total beside REM sleep; "how long" is answered by a
    // column measured in hours.
    assert_eq!(
        answered(&wb, "Which mammal sleeps the most?"),
        serde_json::json!("Squirrel")
    );
    assert_eq!(
        answered(
            &wb,
            "How many species of the order Carnivora sleep more than 10 hours?"
        ),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "How long is the average mammal awake?"),
        serde_json::json!(13.742857142857142)
    );
}

#[test]
fn a_yes_no_column_named_as_something_the_rows_have_keeps_the_rows_where_it_is_yes() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "cars.csv",
        "Model,Price,Manual transmission\nA,10,Yes\nB,20,No\nC,30,Yes\nD,40,No\nE,50,No\n",
    );
    assert_eq!(
        answered(&wb, "How many cars have a manual transmission available?"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "How many cars don't have a manual transmission?"),
        serde_json::json!(3.0)
    );
    assert_eq!(
        answered(&wb, "Average price of cars with a manual transmission"),
        serde_json::json!(20.0)
    );
    // "Peak" is the largest; a plural value is named by one of it.
    let wb = csv_workbook(
        dir.path(),
        "animals.csv",
        "Name,Order,Brain weight (kg)\nHuman,Primates,1.32\nChimp,Primates,0.44\nElephant,Proboscidea,5.7\n",
    );
    assert_eq!(
        answered(&wb, "Which primate has the largest brain weight?"),
        serde_json::json!("Human")
    );
    assert_eq!(answered(&wb, "Peak brain weight"), serde_json::json!(5.7));
}

#[test]
fn periods_said_with_a_superlative_or_as_monthly_are_read_by_what_a_row_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut monthly = String::from("Month,Passengers (thousands)\n");
    for (m, p) in [(1, 100), (2, 90), (3, 130), (4, 120), (5, 125), (6, 150)] {
        monthly.push_str(&format!("1952-{m:02}-01,{p}\n"));
    }
    for (m, p) in [(1, 140), (2, 110)] {
        monthly.push_str(&format!("1953-{m:02}-01,{p}\n"));
    }
    let wb = csv_workbook(dir.path(), "passengers.csv", &monthly);
    // One measure, one row a month: the busiest month is a row.
    assert_eq!(
        answered(&wb, "What was the busiest month in 1952?"),
        serde_json::json!("1952-06-01")
    );
    // "Monthly" over monthly rows is the average of the rows.
    assert_eq!(
        answered(&wb, "Average monthly passengers in 1952"),
        serde_json::json!(119.16666666666667)
    );
    // Daily rows of a level: the windiest month is its average or its
    // windiest day; asked back, never a day's figure given as the month.
    let mut daily = String::from("Date,Wind (mph),Ozone (ppb)\n");
    for d in 1..=20 {
        daily.push_str(&format!("1973-05-{d:02},{},{}\n", 5 + d % 7, 20 + d));
        daily.push_str(&format!("1973-06-{d:02},{},{}\n", 8 + d % 3, 30 + d));
    }
    let wb = csv_workbook(dir.path(), "air.csv", &daily);
    let r = sheets::reply_by_phrase(&wb, "What was the windiest month?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert_eq!(
        answered(&wb, "Which month had the highest average wind?"),
        serde_json::json!(["1973-06"])
    );
}

#[test]
fn half_against_a_percent_column_is_fifty_percent_and_a_title_word_may_stand_before_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "occupations.csv",
        "Occupation,Women (%),Income ($)\nNurse,96,5000\nEngineer,5,9000\nTeacher,60,6000\nClerk,50,4000\n",
    );
    assert_eq!(
        answered(&wb, "How many occupations are more than half women?"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "How many occupations have at least half women?"),
        serde_json::json!(3.0)
    );
    // With nothing in percent to compare with, "half" is not understood.
    let r = sheets::reply_by_phrase(&wb, "How many occupations earn more than half").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    let wb = csv_workbook(
        dir.path(),
        "growth.csv",
        "Plant growth experiment,\n,\nGroup,Dry weight (g)\nControl,5.0\nControl,5.2\nTreatment,4.1\nTreatment,4.5\n",
    );
    assert_eq!(
        answered(&wb, "Which plant group has the lowest average dry weight?"),
        serde_json::json!(["Treatment"])
    );
}

#[test]
fn a_tie_at_the_top_names_every_tied_group_or_row() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "deaths.csv",
        "Name,Neighborhood,Age,Type\nA,Compton,30,Homicide\nB,Compton,40,Death\nC,Watts,22,Homicide\n\
         D,Hollywood,15,Homicide\nE,Hollywood,51,Homicide\nF,Venice,15,Death\n",
    );
    let r = sheets::reply_by_phrase(&wb, "Which neighborhood had the most victims?").unwrap();
    assert!(r.reading.answered, "{:?}", r.reading);
    let mut got: Vec<String> = serde_json::from_value(r.value()).unwrap();
    got.sort();
    assert_eq!(got, ["Compton", "Hollywood"]);
    // Two rows share the youngest age: both are named.
    let mut got: Vec<String> =
        serde_json::from_value(answered(&wb, "Who was the youngest victim?")).unwrap();
    got.sort();
    assert_eq!(got, ["D", "F"]);
    // "Deaths" in a table of deaths is every row, not the rows of type
    // Death; "killed" says what the rows are.
    assert_eq!(
        answered(&wb, "How many people were killed in Hollywood?"),
        serde_json::json!(2.0)
    );
    // Nor is it `Date of death`, whose last word it shares.
    let wb = csv_workbook(
        dir.path(),
        "riot-deaths.csv",
        "Name,Neighborhood,Date of death
A,Compton,1992-04-30
B,Compton,1992-05-01
C,Watts,1992-04-30
",
    );
    assert_eq!(
        answered(&wb, "Which neighborhood had the most deaths?"),
        serde_json::json!(["Compton"])
    );
}

#[test]
fn chinese_year_columns_counts_of_kinds_and_superlatives_not_carried_out() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "大麦.csv",
        "品种,年份,试验地,产量（蒲式耳/英亩）\nTrebi,1931,Waseca,50\nTrebi,1932,Morris,40\n\
         Velvet,1931,Waseca,30\nVelvet,1932,Morris,36\nPeatland,1931,Morris,20\n",
    );
    assert_eq!(
        answered(&wb, "1931年的平均产量是多少？"),
        serde_json::json!(100.0 / 3.0)
    );
    assert_eq!(answered(&wb, "有多少个品种？"), serde_json::json!(3.0));
    // "Which site ... highest average": the average of every row would
    // leave "highest" undone; asked back instead.
    let r = sheets::reply_by_phrase(&wb, "Which place had the highest average yield?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    let wb = csv_workbook(
        dir.path(),
        "pcs.csv",
        "Price ($),RAM (MB),Hard drive (MB),Speed (MHz),Premium brand\n1000,4,100,25,Yes\n2000,8,200,66,Yes\n\
         3000,8,400,100,No\n1500,4,120,33,Yes\n",
    );
    // A unit two columns share is the number's; "or faster" is a bound.
    assert_eq!(
        answered(&wb, "Average price of computers with 8 MB of RAM"),
        serde_json::json!(2500.0)
    );
    assert_eq!(
        answered(&wb, "How many models run at 66 MHz or faster?"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "What share of the computers are from premium brands?"),
        serde_json::json!(75.0)
    );
}

#[test]
fn one_character_chinese_values_before_the_tables_noun_and_words_that_derive_another_quantity() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "cats.csv",
        "成年家猫的体重与心脏重量,,\n,,\n性别,体重（千克）,心脏重量（克）\n母,2.0,7.0\n母,2.4,8.0\n公,3.0,11.0\n公,3.4,13.0\n公,2.8,9.5\n",
    );
    // 母猫 is the rows whose 性别 is 母: never every cat.
    assert_eq!(answered(&wb, "有多少只母猫？"), serde_json::json!(2.0));
    assert_eq!(
        answered(&wb, "公猫的平均体重是多少？"),
        serde_json::json!(3.0666666666666664)
    );
    // Two characters of a name say it; 最重 is a superlative.
    assert_eq!(answered(&wb, "心脏最重是多少克？"), serde_json::json!(13.0));
    let mean = answered(&wb, "What is the average body weight of the cats?");
    assert!((mean.as_f64().unwrap() - 2.72).abs() < 1e-9, "{mean}");
    let wb = csv_workbook(
        dir.path(),
        "counties.csv",
        "County,State,Population,People per sq mile,Adults,College educated (%)\n\
         Cook,Illinois,5105067,5600,3400000,27.5\nLake,Indiana,475594,950,300000,15.2\n\
         Marion,Indiana,797159,2000,500000,20.1\n",
    );
    // "Population density" is not the population: it is people per
    // square mile.
    assert_eq!(
        answered(&wb, "Average population density in Indiana"),
        serde_json::json!(1475.0)
    );
    assert_eq!(
        answered(&wb, "How many counties have more than 1 million people?"),
        serde_json::json!(1.0)
    );
    assert_eq!(
        answered(&wb, "How many adults live in Indiana?"),
        serde_json::json!(800000.0)
    );
    // "Share of college-educated people" is the column of shares, not a
    // share of the whole to compute.
    let r =
        sheets::reply_by_phrase(&wb, "Average share of college-educated people by state").unwrap();
    assert!(
        !r.reading.answered || r.value() == serde_json::json!({"Illinois": 27.5, "Indiana": 17.65}),
        "{:?} {}",
        r.reading,
        r.value()
    );
}

#[test]
fn rows_named_by_their_own_column_words_inside_names_and_causes_said_as_verbs() {
    let dir = tempfile::tempdir().unwrap();
    // Two presidents Bush are two rows: "how many presidents" counts rows.
    let wb = csv_workbook(
        dir.path(),
        "presidents.csv",
        "President,Party,Took office\nBush,Republican,1989-01-20\nClinton,Democratic,1993-01-20\n\
         Bush,Republican,2001-01-20\nObama,Democratic,2009-01-20\nTrump,Republican,2017-01-20\n",
    );
    assert_eq!(
        answered(&wb, "How many presidents are listed?"),
        serde_json::json!(5.0)
    );
    // After a value, and as what is counted per group, "presidents" is
    // the rows.
    assert_eq!(
        answered(&wb, "How many Democratic presidents were there?"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "Which party had more presidents?"),
        serde_json::json!(["Republican"])
    );
    // "take office" says `Took office`; the cell of the one named is the
    // answer, and two of one name give both, with their rows.
    assert_eq!(
        answered(&wb, "When did Clinton take office?"),
        serde_json::json!("1993-01-20")
    );
    assert_eq!(
        answered(&wb, "When did Bush take office?"),
        serde_json::json!(["1989-01-20", "2001-01-20"])
    );
    // A count column named by the title's noun: "died of disease" says
    // `Deaths from disease`, and the rows are months.
    let wb = csv_workbook(
        dir.path(),
        "war-deaths.csv",
        "Month,Army size,Deaths from disease,Deaths from wounds\nApr 1854,8571,1,0\n\
         May 1854,23333,12,0\nJun 1854,28333,11,0\nJul 1854,28722,359,0\nAug 1854,30246,828,1\n",
    );
    assert_eq!(
        answered(&wb, "How many soldiers died of disease in total?"),
        serde_json::json!(1211.0)
    );
    // Who died, before the column said as a verb, is no unit of 300.
    assert_eq!(
        answered(
            &wb,
            "In how many months did more than 300 soldiers die of disease?"
        ),
        serde_json::json!(2.0)
    );
    // Records are the rows, 条 their measure word; 数到 is counted.
    let wb = csv_workbook(
        dir.path(),
        "杀虫剂.csv",
        "杀虫剂,昆虫数量\nA型,10\nA型,0\nB型,0\nB型,5\nC型,3\n",
    );
    assert_eq!(
        answered(&wb, "昆虫数量为0的记录有几条？"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "一共数到了多少只昆虫？"),
        serde_json::json!(18.0)
    );
    // "Society journals" is the Yes of `Society journal` in a table of
    // journals; "age" is no part of `Pages per year`.
    let wb = csv_workbook(
        dir.path(),
        "journals.csv",
        "Journal,Publisher,Society journal,Pages per year,First published\n\
         Econometrica,Wiley,Yes,1900,1933\nJournal of Finance,Wiley,Yes,2400,1946\n\
         Applied Economics,Routledge,No,3700,1969\nEconomic Letters,Elsevier,No,1200,1978\n",
    );
    assert_eq!(
        answered(&wb, "How many society journals are there?"),
        serde_json::json!(2.0)
    );
    let r = sheets::reply_by_phrase(&wb, "What is the average age of the journals?").unwrap();
    assert!(!r.reading.answered, "{:?} {}", r.reading, r.value());
    // Columns sharing a first word are said by the rest ("people under
    // 15"), the first word alone is asked back, and the 15 of a name is
    // no comparison.
    let wb = csv_workbook(
        dir.path(),
        "savings.csv",
        "Country,Savings rate (%),Population under 15 (%),Population over 75 (%)\n\
         Japan,21.1,27.0,1.5\nUnited States,7.6,30.1,2.9\nZambia,18.6,45.3,0.6\nChile,0.6,39.7,1.3\n",
    );
    assert_eq!(
        answered(&wb, "Which country has the most people under 15?"),
        serde_json::json!(["Zambia"])
    );
    assert_eq!(
        answered(
            &wb,
            "How many countries have a population under 15 above 35?"
        ),
        serde_json::json!(2.0)
    );
    let r = sheets::reply_by_phrase(&wb, "What is the average population?").unwrap();
    assert!(!r.reading.answered, "{:?} {}", r.reading, r.value());
}

#[test]
fn times_hyphened_numbers_people_said_as_verbs_or_kinds_and_the_most_common_value() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "results.csv",
        "Athlete,Team,Cylinders,800m (s),Score,Smoker,Weight (1000 lbs)\n\
         Ann,Red,4,130.5,6100,Yes,3.2\n\
         Bea,Blue,6,124.2,5900,No,4.4\n\
         Cat,Red,4,127.0,6300,No,2.1\n\
         Dee,Red,8,135.9,5500,Yes,4.1\n",
    );
    // The fastest of a column of times is its smallest; the slowest its
    // largest.
    assert_eq!(answered(&wb, "Fastest 800m time"), serde_json::json!(124.2));
    assert_eq!(answered(&wb, "Slowest 800m time"), serde_json::json!(135.9));
    // "4-cylinder": the number is the column's value.
    assert_eq!(
        answered(&wb, "Average score of the 4-cylinder entries"),
        serde_json::json!(6200.0)
    );
    // "scored" for `Score`, in a counting question.
    assert_eq!(
        answered(&wb, "How many athletes scored over 6,000 points?"),
        serde_json::json!(2.0)
    );
    // A kind of person said of a yes/no column, and its negation.
    assert_eq!(
        answered(&wb, "What was the highest score of a smoker?"),
        serde_json::json!(6100.0)
    );
    assert_eq!(
        answered(&wb, "Average score of non-smokers"),
        serde_json::json!(6100.0)
    );
    assert_eq!(
        answered(&wb, "非吸烟者的平均分数"),
        serde_json::json!(6100.0)
    );
    // A unit scaled in thousands: 4,000 lbs is 4 of `Weight (1000 lbs)`.
    assert_eq!(
        answered(&wb, "How many athletes weigh more than 4,000 lbs?"),
        serde_json::json!(2.0)
    );
    // 哪位 (which, said of a person) before the rows' noun.
    assert_eq!(
        answered(&wb, "哪位运动员的得分最高？"),
        serde_json::json!("Cat")
    );
    // The value most rows hold.
    assert_eq!(
        answered(&wb, "What is the most common team?"),
        serde_json::json!(["Red"])
    );
    // A name with a capital the table does not hold is asked about, not
    // taken for the rows.
    let r = sheets::reply_by_phrase(&wb, "Which Olympian has the highest score?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    // A noun after "on the", "in the" says where or when: not the rows.
    let r = sheets::reply_by_phrase(&wb, "Total score on the weekend").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
}

#[test]
fn a_column_named_before_a_comparison_is_compared_and_days_without_a_year_need_one_year() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "countries.csv",
        "国家,婴儿死亡率（每千名活产）,人均GDP（美元）\nA,5,30000\nB,60,800\nC,9,25000\nD,120,400\n",
    );
    // The average is of infant mortality; the comparison of GDP.
    assert_eq!(
        answered(&wb, "人均GDP超过20000美元的国家的平均婴儿死亡率"),
        serde_json::json!(7.0)
    );
    assert_eq!(
        answered(&wb, "How many countries have a GDP per head below $1,000?"),
        serde_json::json!(2.0)
    );
    let one_year = csv_workbook(
        dir.path(),
        "days.csv",
        "Date,Temp\n2023-07-03,80\n2023-07-04,84\n2023-08-01,90\n2023-12-01,40\n",
    );
    assert_eq!(
        answered(&one_year, "What was the temp on 4 July?"),
        serde_json::json!(84.0)
    );
    // Months of any year, from/to, also across the year's end.
    assert_eq!(
        answered(&one_year, "Average temp between July and August"),
        serde_json::json!(254.0 / 3.0)
    );
    assert_eq!(
        answered(&one_year, "Average temp from August to December"),
        serde_json::json!(65.0)
    );
    let years = csv_workbook(
        dir.path(),
        "years.csv",
        "Date,Temp\n2022-07-04,70\n2023-07-04,84\n",
    );
    let r = sheets::reply_by_phrase(&years, "What was the temp on 4 July?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
}

#[test]
fn shared_units_own_units_and_counts_over_groups_of_one_row_are_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "pcs.csv",
        "Hard drive (MB),RAM (MB),Price ($)\n340,4,1500\n500,8,2000\n1000,16,2500\n200,2,1200\n",
    );
    // "8 MB" is a unit both columns share: the column after it is meant.
    assert_eq!(
        answered(&wb, "How many computers have more than 8 MB of RAM?"),
        serde_json::json!(1.0)
    );
    let wb = csv_workbook(
        dir.path(),
        "months.csv",
        "月份,人口（千人）\n2000-01-01,280000\n2001-01-01,290000\n2002-01-01,301000\n2003-01-01,305000\n",
    );
    // The column's own unit after the number: already in thousands.
    assert_eq!(
        answered(&wb, "人口超过30万千人的月份有几个？"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "人口超过3亿的月份有几个？"),
        serde_json::json!(2.0)
    );
    // Counting rows per county where each county is one row answers
    // nothing asked: the ranking is asked back.
    let mut text = String::from("County,State,College educated (%)\n");
    for i in 0..12 {
        text.push_str(&format!("C{i},S{},{}\n", i % 2, 10 + i));
    }
    let wb = csv_workbook(dir.path(), "counties.csv", &text);
    let r = sheets::reply_by_phrase(&wb, "Which county has the most college graduates?").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert_eq!(
        answered(&wb, "Which state has the most counties?"),
        serde_json::json!(["S0", "S1"])
    );
}

#[test]
fn a_named_date_column_takes_the_period_and_all_of_a_kind_is_no_column_ending_so() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "terms.csv",
        "President,Took office,Left office\nA,1969-01-20,1974-08-09\nB,1977-01-20,1981-01-20\nC,1989-01-20,1993-01-20\n",
    );
    // "Left office before 1990" is read on `Left office`, not on the
    // table's first date column.
    assert_eq!(
        answered(&wb, "How many presidents left office before 1990?"),
        serde_json::json!(2.0)
    );
    let wb = csv_workbook(
        dir.path(),
        "deaths.csv",
        "Month,Deaths from disease,Deaths from wounds,Deaths from other causes\n1855-01-01,10,5,2\n1855-02-01,20,6,3\n",
    );
    // "All causes" is every cause, not the column ending in "causes".
    let r = sheets::reply_by_phrase(&wb, "Total deaths from all causes").unwrap();
    assert!(!r.reading.answered, "{:?}", r.reading);
    assert_eq!(
        answered(&wb, "Total deaths from other causes"),
        serde_json::json!(5.0)
    );
}

#[test]
fn a_csv_title_line_numbered_rows_and_units_said_in_full_are_read_as_a_person_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    // A title line with a comma in it, a blank line, then the table; the
    // first column numbers the rows.
    let mut text = String::from("Christenings in London, 1629-1710 (Arbuthnot)\n\nSale,Year,Boys christened,Plague deaths,Price ($),Depth (km)\n");
    for i in 1..=12 {
        text.push_str(&format!(
            "{i},{},{},{},{},{}\n",
            1660 + i,
            7000 + 100 * i,
            if i == 5 { 68596 } else { i * 10 },
            90_000 + 5_000 * i,
            100 * i
        ));
    }
    let wb = csv_workbook(dir.path(), "christenings.csv", &text);
    let t = &wb.tables[0];
    assert_eq!(
        t.title.as_deref(),
        Some("Christenings in London, 1629-1710 (Arbuthnot)")
    );
    assert_eq!(t.rows.len(), 12, "the title is no header row");
    // Cell addresses count the blank line, as a spreadsheet program does.
    assert!(t.range.ends_with("A3:F15"), "{}", t.range);
    assert_eq!(t.column("Sale").map(|c| c.kind), Some(Kind::Identifier));
    // A figure is never read as a row number, and a year before 1800 is
    // a year in a table that starts there.
    assert_eq!(
        answered(&wb, "How many sold for more than $100,000?"),
        serde_json::json!(10.0)
    );
    assert_eq!(
        answered(&wb, "Total plague deaths in 1665"),
        serde_json::json!(68596.0)
    );
    // "Per year" over a row a year is the rows' average, not a group.
    assert_eq!(
        answered(&wb, "Average number of boys christened per year"),
        serde_json::json!(7650.0)
    );
    // A unit said in full, and a comparative naming the column.
    assert_eq!(
        answered(&wb, "How many are deeper than 1000 kilometres?"),
        serde_json::json!(2.0)
    );
    assert_eq!(
        answered(&wb, "How many have 3 or more plague deaths?"),
        serde_json::json!(12.0)
    );
}

#[test]
fn chinese_metric_units_are_units_and_a_superlative_naming_the_rows_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "地震.csv",
        "编号,震源深度（千米）,震级\n1,40,4.1\n2,650,6.1\n3,1200,5.0\n4,300,4.6\n5,520,5.5\n6,80,4.0\n7,610,4.8\n8,35,4.2\n9,90,4.4\n10,700,5.2\n",
    );
    // 千米 is a kilometre, not a thousand of metres: "超过500千米" is 500.
    assert_eq!(
        answered(&wb, "震源深度超过500千米的地震有多少次？"),
        serde_json::json!(5.0)
    );
    assert_eq!(
        answered(&wb, "震级在5级及以上的地震有多少次？"),
        serde_json::json!(4.0)
    );
    let got = answered(
        &wb,
        "What was the average magnitude of quakes deeper than 600 km?",
    );
    assert!((got.as_f64().unwrap() - 5.275).abs() < 1e-9, "{got}");
    let wb = csv_workbook(
        dir.path(),
        "countries.csv",
        "Country,Infant mortality\nA,30\nB,2\nC,12\nD,8\nE,40\nF,22\nG,5\nH,9\nI,11\nJ,19\n",
    );
    assert_eq!(
        answered(&wb, "The country with the lowest infant mortality"),
        serde_json::json!("B")
    );
    let wb = csv_workbook(
        dir.path(),
        "cars.csv",
        "Model,Mpg,Cylinders\nA,30,4\nB,20,6\nC,12,6\nD,8,8\nE,40,4\nF,22,6\nG,35,4\nH,9,8\nI,31,4\nJ,18,6\n",
    );
    assert_eq!(
        answered(&wb, "Average mpg of six-cylinder cars"),
        serde_json::json!(18.0)
    );
}

#[test]
fn a_plan_computing_over_a_column_the_question_never_named_is_held_to_answer_something_else() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "students.csv",
        "Sex,Age (years),Height (cm)\nMale,19,180\nFemale,20,165\nMale,21,175\nFemale,18,160\n",
    );
    let t = &wb.tables[0];
    let found = sheets::reading::account("男生有多少人？", t, "students");
    // What a small model planned for "how many male students": the total
    // age of each sex.
    let wrong = Plan::Aggregate {
        func: Func::Sum,
        column: Some("Age (years)".into()),
        filters: vec![],
        group_by: Some("Sex".into()),
        sort: None,
        limit: None,
        share: false,
        period: None,
        with_value: false,
    };
    assert_eq!(sheets::reading::unasked(&wrong, &found, t), ["Age (years)"]);
    let found = sheets::reading::account("Average height by sex", t, "students");
    let right = Plan::Aggregate {
        func: Func::Mean,
        column: Some("Height (cm)".into()),
        filters: vec![],
        group_by: Some("Sex".into()),
        sort: None,
        limit: None,
        share: false,
        period: None,
        with_value: false,
    };
    assert!(sheets::reading::unasked(&right, &found, t).is_empty());
}

#[test]
fn an_age_band_is_said_as_under_or_over_and_a_figure_of_rows_with_blanks_is_asked_back() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "insurance.csv",
        "Car insurance claims by district and driver age\n\nDistrict,Driver age,Policyholders,Claims\n1,<25,197,38\n1,25-29,264,35\n1,>35,3582,401\n\
         2,<25,85,20\n2,25-29,139,19\n2,>35,1635,187\n3,<25,35,5\n3,25-29,53,10\n3,>35,1114,119\n\
         4,<25,20,2\n4,25-29,31,7\n4,>35,381,48\n",
    );
    // "Policyholders under 25" is the band <25, not the rows holding
    // fewer than 25 policyholders.
    assert_eq!(
        answered(&wb, "How many policyholders are under 25?"),
        serde_json::json!(337.0)
    );
    assert_eq!(
        answered(&wb, "Average claims for drivers over 35"),
        serde_json::json!((401.0 + 187.0 + 119.0 + 48.0) / 4.0)
    );
    let wb = csv_workbook(
        dir.path(),
        "air.csv",
        "Day,Ozone,Wind\n1,41,7.4\n2,,8\n3,12,12.6\n4,,11.5\n5,28,14.3\n",
    );
    let r = sheets::reply_by_phrase(&wb, "Average wind on days with no ozone reading").unwrap();
    assert!(!r.reading.answered, "{:?}", r.value());
    assert_eq!(
        answered(&wb, "How many days have no ozone reading?"),
        serde_json::json!(2)
    );
}

#[test]
fn how_many_rows_have_a_count_counts_the_rows_where_it_is_above_zero() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "houses.csv",
        "House,Price ($),Garage places,Bedrooms\nA,42000,1,3\nB,38500,0,2\nC,49500,0,3\nD,60500,2,3\n\
         E,61000,0,2\nF,66000,2,3\nG,66000,1,3\nH,69000,0,3\nI,83800,2,3\nJ,88500,1,3\n",
    );
    // The houses that have any, not the places added up.
    assert_eq!(
        answered(&wb, "How many houses have garage places?"),
        serde_json::json!(6.0)
    );
    assert_eq!(
        answered(&wb, "How many garage places are there in all?"),
        serde_json::json!(9.0)
    );
    assert_eq!(
        answered(&wb, "How many houses have 2 garage places?"),
        serde_json::json!(3.0)
    );
    // Chinese words for English headers.
    assert_eq!(answered(&wb, "平均卧室数是多少？"), serde_json::json!(2.8));
}

#[test]
fn another_columns_cell_on_the_top_row_and_the_rows_a_which_question_keeps_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "cars.csv",
        "Model,Manufacturer,Price ($1000),Horsepower,Cylinders,Transmission,Origin\n\
         A4,Audi,33.4,172,6,Manual,non-USA\nCamry,Toyota,18.2,130,4,Automatic,non-USA\n\
         Corvette,Chevrolet,38.0,300,8,Manual,USA\nCaprice,Chevrolet,18.8,170,8,Automatic,USA\n\
         Civic,Honda,12.1,102,4,Manual,non-USA\nViper,Dodge,52.0,400,10,Manual,USA\n",
    );
    // The row is found by one column, the answer read from another.
    assert_eq!(
        answered(&wb, "What is the horsepower of the most expensive car?"),
        serde_json::json!(400.0)
    );
    assert_eq!(
        answered(
            &wb,
            "How many cylinders does the car with the most horsepower have?"
        ),
        serde_json::json!(10.0)
    );
    assert_eq!(
        answered(
            &wb,
            "Which car has the highest price, and what is its horsepower?"
        ),
        serde_json::json!(["Viper", 400.0])
    );
    // "Who makes" asks for the maker, never the model.
    assert_eq!(
        answered(&wb, "Who makes the most expensive car?"),
        serde_json::json!("Dodge")
    );
    assert_eq!(
        answered(&wb, "How many cars are made in the USA?"),
        serde_json::json!(3.0)
    );
    let r = sheets::reply_by_phrase(&wb, "What is the horsepower of the cheapest car?").unwrap();
    assert_eq!(r.value(), serde_json::json!(102.0));
    assert!(
        r.reading
            .understood
            .starts_with("Horsepower on the row with the smallest Price"),
        "{}",
        r.reading.understood
    );
    // The rows kept, each by its name: a list, not a count per name.
    let list = |q: &str| {
        let mut got: Vec<String> = answered(&wb, q)
            .as_array()
            .unwrap_or_else(|| panic!("{q}: not a list"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        got.sort();
        got
    };
    assert_eq!(
        list("Which cars have a manual transmission and more than 150 horsepower?"),
        ["A4", "Corvette", "Viper"]
    );
    assert_eq!(
        list("Which models are from the USA?"),
        ["Caprice", "Corvette", "Viper"]
    );
    // "Which manufacturer" with nothing to pick one by: asked back, never
    // answered with a count per manufacturer.
    let r = sheets::reply_by_phrase(
        &wb,
        "Which manufacturer did the first car in the list come from?",
    )
    .unwrap();
    assert!(!r.reading.answered, "{:?}", r.value());

    let people = csv_workbook(
        dir.path(),
        "people.csv",
        "Name,Party,Exercise,Pulse\nCarter,Democratic,Frequent,70\nReagan,Republican,Some,80\n\
         Clinton,Democratic,Frequent,64\nBush,Republican,None,90\n",
    );
    // "Democrats" of `Democratic`, "frequently" of `Frequent`.
    let mut dems: Vec<serde_json::Value> = answered(&people, "Which people were Democrats?")
        .as_array()
        .cloned()
        .unwrap_or_default();
    dems.sort_by_key(|v| v.to_string());
    assert_eq!(
        dems,
        [serde_json::json!("Carter"), serde_json::json!("Clinton")]
    );
    assert_eq!(
        answered(
            &people,
            "What is the average pulse of people who exercise frequently?"
        ),
        serde_json::json!(67.0)
    );
}

#[test]
fn a_models_plan_computing_another_function_than_the_one_said_is_refused() {
    use sheets::reading::said_function_planned;
    use sheets::{Func, Plan};
    let q = "Average share of college-educated people by state";
    // The default model once planned this as a total of Population.
    let total = Plan::single(Func::Sum, Some("Population".into()), Vec::new());
    assert!(!said_function_planned(q, &total));
    let mean = Plan::single(Func::Mean, Some("College educated (%)".into()), Vec::new());
    assert!(said_function_planned(q, &mean));
    assert!(!said_function_planned("学生的平均身高是多少？", &total));
    assert!(!said_function_planned("Median price of vans", &mean));
    // Nothing said, or two said: the plan is not held to one.
    assert!(said_function_planned("Population by state", &total));
    assert!(said_function_planned("Mean and median price", &total));
}

#[test]
fn a_small_number_in_words_is_a_number_when_compared_or_said_with_a_column_and_a_count_of_rows_otherwise(
) {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "houses.csv",
        "House,Price ($),Garage places,Bedrooms\nA,42000,1,3\nB,38500,0,2\nC,49500,0,3\nD,60500,2,4\n\
         E,61000,0,2\nF,66000,2,3\nG,66000,1,3\nH,69000,3,4\nI,83800,2,3\nJ,88500,1,5\n",
    );
    for (q, want) in [
        ("How many houses have at least two garage places?", 4.0),
        ("How many houses have two or more garage places?", 4.0),
        ("How many houses have more than one garage place?", 4.0),
        ("How many houses have four bedrooms?", 2.0),
        ("How many houses have three bedrooms?", 5.0),
        ("How many houses have no more than two bedrooms?", 2.0),
    ] {
        assert_eq!(answered(&wb, q), serde_json::json!(want), "{q}");
    }
    // Not compared and before no column's name: how many rows to list.
    let top = answered(&wb, "The three houses with the highest price");
    assert_eq!(top.as_array().map(Vec::len), Some(3), "{top}");
    // Places said with a verb of place, and "cited" for citations.
    let wb = csv_workbook(
        dir.path(),
        "journals.csv",
        "Title,Publisher,Citations,On the list\nA,Elsevier,120,Yes\nB,Wiley,940,No\nC,Elsevier,35,Yes\n",
    );
    assert_eq!(
        answered(&wb, "Which journal is cited the most?"),
        serde_json::json!("B")
    );
    assert_eq!(
        answered(&wb, "How many journals lie on the list?"),
        serde_json::json!(2.0)
    );
}

#[test]
fn a_distance_in_metres_written_short_in_a_header_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let wb = csv_workbook(
        dir.path(),
        "heptathlon.csv",
        "Athlete,100m hurdles (s),200m (s),Javelin (m)\nAnn,12.69,22.56,45.66\nBea,12.85,23.65,42.78\n\
         Cy,13.20,22.40,44.10\n",
    );
    let fastest = answered(&wb, "Which athlete ran the fastest 200 metres?");
    assert!(fastest.to_string().contains("Cy"), "{fastest}");
    let mean = answered(&wb, "What is the mean of the 100-metre hurdles?");
    assert!(
        (mean.as_f64().unwrap() - (12.69 + 12.85 + 13.20) / 3.0).abs() < 1e-9,
        "{mean}"
    );
}
