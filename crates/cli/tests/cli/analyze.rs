//! `deskpilot analyze` end to end: the profile of the sample workbook, a
//! question answered with and without the default model (the number
//! computed from the cells either way), SVG charts, and one-line errors.

use std::path::PathBuf;

use super::{assert_one_line_error, bin, text};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/sales.xlsx")
}

/// `deskpilot analyze --json --threads 1 --ask QUESTION` on the sample
/// workbook, with the default model: it exits 0 and prints JSON.
fn ask_json(question: &str) -> serde_json::Value {
    let out = bin()
        .args(["analyze", "--json", "--threads", "1", "--ask", question])
        .arg(sample())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn analyze_prints_each_tables_profile_with_its_issues() {
    let out = bin().arg("analyze").arg(sample()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for needle in [
        "sheet Orders \"Orders, first half of 2024\": Orders!A3:H52, 48 rows, 8 columns",
        "Revenue",
        "sum 55,516",
        "48 from formulas (cached values)",
        "row 52 ('Total') is a totals row",
        "note under the table: Source: order system export",
        "2023 / Revenue",
        "Target 2025",
    ] {
        assert!(t.contains(needle), "{needle} missing from:\n{t}");
    }
    let out = bin()
        .args(["analyze", "--json", "--sheet", "Summary"])
        .arg(sample())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tables"].as_array().unwrap().len(), 2);
    assert_eq!(v["tables"][0]["columns"][2]["sum"], 75570.0);
}

#[test]
fn a_question_is_answered_from_the_cells_with_and_without_the_model() {
    let out = bin()
        .args([
            "analyze",
            "--no-model",
            "--ask",
            "What is the total revenue?",
        ])
        .arg(sample())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("The total of Revenue: 55,516 (48 rows)."), "{t}");
    assert!(t.contains("cells: Orders!G4:G51") && t.contains("planned by the phrase reader"));

    let v = ask_json("total revenue by region");
    // Read whole by the reader: answered from the cells, the model not asked.
    assert_eq!(v["planned_by"], "phrase");
    assert_eq!(v["answered"], true);
    assert!(v["model_plan"].is_null());
    let groups = v["outcome"]["rows"].as_array().unwrap();
    let sum: f64 = groups.iter().map(|g| g["value"].as_f64().unwrap()).sum();
    assert!(
        (sum - 55516.0).abs() < 1e-6,
        "the regions add up to the total"
    );

    // A word the reader cannot place: no plan could explain it, so the
    // model is not asked; no value, the word named, readings offered.
    let v = ask_json("total takings by region");
    assert!(v["model_plan"].is_null(), "{v}");
    assert_eq!(v["answered"], false, "{v}");
    assert!(v["value"].is_null());
    assert_eq!(v["unmatched"], serde_json::json!(["takings"]));
    let readings: Vec<&str> = v["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["question"].as_str())
        .collect();
    assert!(
        readings.contains(&"total revenue by region"),
        "{readings:?}"
    );

    // Every word placed but no reading of the reader's uses them all: the
    // model plans, its raw plan is kept (valid JSON: the grammar), and it
    // is taken only if it uses both columns the question names.
    let v = ask_json("revenue region");
    let raw = v["model_plan"].as_str().expect("the model was asked");
    let plan: serde_json::Value = serde_json::from_str(raw).expect("the grammar gives JSON");
    assert!(plan.get("op").is_some());
    assert_eq!(v["unmatched"], serde_json::json!([]), "{v}");
    let uses = |column: &str| raw.contains(&format!("\"{column}\""));
    if v["answered"] == true {
        assert_eq!(v["planned_by"], "model", "{v}");
        assert!(uses("Revenue") && uses("Region"), "{raw}");
    } else {
        assert!(v["value"].is_null(), "{v}");
        assert!(!(uses("Revenue") && uses("Region")), "{raw}");
    }
}

#[test]
fn charts_are_written_as_svg_for_answers_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let bars = dir.path().join("bars.svg");
    let out = bin()
        .args([
            "analyze",
            "--no-model",
            "--ask",
            "share of revenue by product",
            "--chart",
        ])
        .arg(&bars)
        .arg(sample())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(&bars).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Kettle") && svg.contains("<path"));
    let hist = dir.path().join("units.svg");
    let out = bin()
        .args(["analyze", "--chart"])
        .arg(&hist)
        .args(["--column", "Units"])
        .arg(sample())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(&hist).unwrap();
    assert!(svg.contains("Distribution of Units") && svg.matches("<rect x=").count() >= 5);
}

#[test]
fn analyze_errors_name_the_file_sheet_or_what_was_understood() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "just some words").unwrap();
    let out = bin().arg("analyze").arg(&notes).output().unwrap();
    assert_one_line_error(&out, "notes.txt: not a spreadsheet");
    let out = bin()
        .args(["analyze", "--sheet", "Nope"])
        .arg(sample())
        .output()
        .unwrap();
    assert_one_line_error(&out, "no sheet named 'Nope' (sheets: Orders, Summary)");
    let out = bin()
        .args(["analyze", "--no-model", "--ask", "what is the weather"])
        .arg(sample())
        .output()
        .unwrap();
    assert_one_line_error(&out, "rephrase");
}

#[test]
fn the_json_answer_names_its_value_plan_explanation_cells_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("regions.svg");
    let run = |q: &str, chart: bool| {
        let mut c = bin();
        c.args(["analyze", "--no-model", "--json", "--question", q]);
        if chart {
            c.arg("--chart").arg(&svg);
        }
        let out = c.arg(sample()).output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = run("What is the total revenue?", false);
    assert_eq!(v["value"], serde_json::json!(55516.0));
    assert!(v["answer"].as_str().unwrap().contains("55,516"));
    assert!(v["explanation"].as_str().unwrap().contains("Revenue"));
    assert_eq!(v["cells"], serde_json::json!(["Orders!G4:G51"]));
    assert!(v["plan"].is_object() && v["chart"].is_null());

    let v = run("total revenue by region", true);
    let groups = v["value"]
        .as_object()
        .expect("a grouped result is an object");
    let sum: f64 = groups.values().map(|x| x.as_f64().unwrap()).sum();
    assert!((sum - 55516.0).abs() < 1e-6, "{v}");
    assert_eq!(v["chart"], serde_json::json!(svg.display().to_string()));
    assert!(svg.is_file());
}

#[test]
fn write_back_puts_the_answer_as_formulas_in_a_copy_and_never_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sales (analysis).xlsx");
    let run_q = |q: &str, file: &std::path::Path, out: &std::path::Path| {
        bin()
            .args(["analyze", "--no-model", "--json", "--question"])
            .arg(q)
            .arg("--write-back")
            .arg(out)
            .arg(file)
            .output()
            .unwrap()
    };
    let run =
        |file: &std::path::Path, out: &std::path::Path| run_q("total revenue by region", file, out);
    let res = run(&sample(), &out);
    assert!(res.status.success(), "{}", text(&res.stderr));
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    let w = &v["write_back"];
    assert!(w["formulas"].as_u64().unwrap() >= 4, "{w}");
    assert_eq!(w["chart"], serde_json::json!(true));
    assert_eq!(w["data_copied"], serde_json::json!(false));
    assert!(text(&res.stderr).contains("analysis written to"));
    // The copy: the original's sheets and the analysis, formulas in it.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let wb = read("xl/workbook.xml");
    for sheet in ["Orders", "Summary", "Analysis"] {
        assert!(wb.contains(&format!("name=\"{sheet}\"")), "{wb}");
    }
    let part = format!(
        "xl/worksheets/{}",
        read("xl/_rels/workbook.xml.rels")
            .split("Target=\"worksheets/")
            .last()
            .unwrap()
            .split('"')
            .next()
            .unwrap()
    );
    let analysis = read(&part);
    assert!(
        analysis.contains("<f>SUMIFS('Orders'!$G$4:$G$51,"),
        "{analysis}"
    );
    assert!(analysis.contains("total revenue by region"));

    // Never over a file: the copy stays as written.
    let before = std::fs::read(&out).unwrap();
    assert_one_line_error(&run(&sample(), &out), "already there");
    assert_eq!(std::fs::read(&out).unwrap(), before);

    // A CSV becomes an .xlsx of its data with the analysis.
    let csv = dir.path().join("spend.csv");
    std::fs::write(
        &csv,
        "Team,Spend\nops,120\nops,80\nsales,50\nsales,25\nlegal,10\n",
    )
    .unwrap();
    let by_team = "total spend by team";
    assert_one_line_error(
        &run_q(by_team, &csv, &dir.path().join("spend copy.csv")),
        ".xlsx",
    );
    let res = run_q(by_team, &csv, &dir.path().join("spend.xlsx"));
    assert!(res.status.success(), "{}", text(&res.stderr));
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(v["write_back"]["data_copied"], serde_json::json!(true));
    assert_eq!(v["write_back"]["formulas"].as_u64(), Some(3), "{v}");
}
