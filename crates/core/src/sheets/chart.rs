//! Charts of results and columns: a small spec (bar, line, pie, scatter,
//! histogram) with titles, axis labels and units taken from the data, and
//! an SVG drawing of it with no dependencies, for the CLI to write and the
//! window to show. The numbers drawn are the computed ones.

use crate::docs::xml::escape as esc;
use serde::Serialize;

use super::exec::{show_number, Answer, Outcome};
use super::plan::Plan;
use super::profile::numbers;
use super::table::{Kind, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Bar,
    Line,
    Pie,
    Scatter,
    Histogram,
}

/// What to draw.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// Category or period labels (bar, line, pie, histogram bins).
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    /// x-y pairs (scatter).
    pub points: Vec<(f64, f64)>,
}

/// The chart for an answer: groups as bars (shares as a pie), periods as a
/// line, a correlation as a scatter of its pairs.
pub fn for_answer(table: &Table, answer: &Answer) -> Option<Chart> {
    let title = shorten(&short_title(&answer.plan), 80);
    match (&answer.outcome, &answer.plan) {
        (
            Outcome::Groups { rows },
            Plan::Aggregate {
                group_by,
                column,
                share,
                ..
            },
        ) => {
            let pairs: Vec<(String, f64)> = rows
                .iter()
                .filter_map(|r| Some((r.label.clone(), r.value?)))
                .collect();
            Some(Chart {
                kind: if *share {
                    ChartKind::Pie
                } else {
                    ChartKind::Bar
                },
                title,
                x_label: group_by.clone().unwrap_or_default(),
                y_label: column.clone().unwrap_or_else(|| "rows".into()),
                labels: pairs.iter().map(|p| p.0.clone()).collect(),
                values: pairs.iter().map(|p| p.1).collect(),
                points: Vec::new(),
            })
        }
        (Outcome::Series { rows }, Plan::Change { column, date, .. }) => {
            let pairs: Vec<(String, f64)> = rows
                .iter()
                .filter_map(|r| Some((r.period.clone(), r.value?)))
                .collect();
            Some(Chart {
                kind: ChartKind::Line,
                title,
                x_label: date.clone(),
                y_label: column.clone(),
                labels: pairs.iter().map(|p| p.0.clone()).collect(),
                values: pairs.iter().map(|p| p.1).collect(),
                points: Vec::new(),
            })
        }
        (Outcome::Correlation { .. }, Plan::Correlation { x, y, .. }) => {
            let (cx, cy) = (table.column(x)?, table.column(y)?);
            let points = cx
                .values
                .iter()
                .zip(cy.values.iter())
                .filter_map(|(a, b)| Some((a?.number()?, b?.number()?)))
                .collect();
            Some(Chart {
                kind: ChartKind::Scatter,
                title,
                x_label: x.clone(),
                y_label: y.clone(),
                labels: Vec::new(),
                values: Vec::new(),
                points,
            })
        }
        _ => None,
    }
}

/// The chart for a column's profile: a histogram of numbers, the counts of
/// categories, or rows per month of dates.
pub fn for_column(table: &Table, name: &str) -> Option<Chart> {
    let col = table.column(name)?;
    if col.kind.is_numeric() {
        let nums = numbers(col);
        let (lo, hi) = (*nums.first()?, *nums.last()?);
        let bins = ((nums.len() as f64).sqrt().ceil() as usize).clamp(1, 20);
        let width = if hi > lo {
            (hi - lo) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0f64; bins];
        for v in &nums {
            let k = (((v - lo) / width) as usize).min(bins - 1);
            counts[k] += 1.0;
        }
        return Some(Chart {
            kind: ChartKind::Histogram,
            title: format!("Distribution of {}", col.name),
            x_label: col.name.clone(),
            y_label: "rows".into(),
            labels: (0..bins)
                .map(|k| show_number(lo + width * k as f64))
                .collect(),
            values: counts,
            points: Vec::new(),
        });
    }
    let mut counts: Vec<(String, f64)> = Vec::new();
    for v in col.values.present() {
        let label = match (col.kind, v.date_time()) {
            (Kind::Date | Kind::DateTime, Some(d)) => d.format("%Y-%m").to_string(),
            _ => v.key(),
        };
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some(c) => c.1 += 1.0,
            None => counts.push((label, 1.0)),
        }
    }
    let temporal = col.kind.is_temporal();
    if temporal {
        counts.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        counts.sort_by(|a, b| b.1.total_cmp(&a.1));
        counts.truncate(20);
    }
    Some(Chart {
        kind: if temporal {
            ChartKind::Line
        } else {
            ChartKind::Bar
        },
        title: format!(
            "Rows per {} of {}",
            if temporal { "month" } else { "value" },
            col.name
        ),
        x_label: col.name.clone(),
        y_label: "rows".into(),
        labels: counts.iter().map(|c| c.0.clone()).collect(),
        values: counts.iter().map(|c| c.1).collect(),
        points: Vec::new(),
    })
}

/// A chart title: what is plotted against what.
fn short_title(plan: &Plan) -> String {
    let func = |f: super::plan::Func| {
        let w = f.words();
        let mut c = w.chars();
        c.next()
            .map(|x| x.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    match plan {
        Plan::Aggregate {
            func: f,
            column,
            group_by,
            share,
            ..
        } => {
            let what = match column {
                Some(c) => format!("{} {c}", func(*f)),
                None => "Rows".into(),
            };
            let by = group_by
                .as_deref()
                .map(|g| format!(" by {g}"))
                .unwrap_or_default();
            format!("{what}{by}{}", if *share { " (share)" } else { "" })
        }
        Plan::Change {
            func: f,
            column,
            period,
            ..
        } => {
            format!("{} {column} per {}", func(*f), period.words())
        }
        Plan::Correlation { x, y, .. } => format!("{y} against {x}"),
        other => other.words(),
    }
}

/// A round step for about `n` ticks over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

const W: f64 = 720.0;
const H: f64 = 440.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 80.0;
const COLORS: [&str; 8] = [
    "#2f6fb0", "#e07b39", "#3a9d5d", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c",
];

/// The chart as a standalone SVG document.
pub fn svg(chart: &Chart) -> String {
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="{}" y="28" text-anchor="middle" font-size="15" font-weight="bold">{}</text>"#,
        W / 2.0,
        esc(&chart.title)
    );
    match chart.kind {
        ChartKind::Pie => pie(&mut s, chart),
        ChartKind::Scatter => scatter(&mut s, chart),
        _ => bars_or_line(&mut s, chart),
    }
    s.push_str("</svg>\n");
    s
}

fn axes(s: &mut String, chart: &Chart, lo: f64, hi: f64) -> impl Fn(f64) -> f64 {
    let (plot_h, plot_w) = (H - TOP - BOTTOM, W - LEFT - RIGHT);
    let step = nice_step(hi - lo, 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let hi = if hi > lo { hi } else { lo + step };
    let y = move |v: f64| TOP + plot_h - (v - lo) / (hi - lo) * plot_h;
    let mut t = lo;
    while t <= hi + step / 2.0 {
        s.push_str(&format!(
            r##"<line x1="{LEFT}" x2="{0}" y1="{1:.1}" y2="{1:.1}" stroke="#e4e4e4"/><text x="{2}" y="{3:.1}" text-anchor="end">{4}</text>"##,
            LEFT + plot_w,
            y(t),
            LEFT - 6.0,
            y(t) + 4.0,
            esc(&show_number(t))
        ));
        t += step;
    }
    s.push_str(&format!(
        r##"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{}" stroke="#333"/><line x1="{LEFT}" x2="{}" y1="{}" y2="{}" stroke="#333"/>"##,
        TOP + plot_h,
        LEFT + plot_w,
        TOP + plot_h,
        TOP + plot_h
    ));
    s.push_str(&format!(
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text><text transform="translate(18 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
        LEFT + plot_w / 2.0,
        H - 14.0,
        esc(&chart.x_label),
        TOP + plot_h / 2.0,
        esc(&chart.y_label)
    ));
    y
}

fn bars_or_line(s: &mut String, chart: &Chart) {
    let n = chart.values.len().max(1);
    let lo = chart.values.iter().copied().fold(0f64, f64::min);
    let hi = chart.values.iter().copied().fold(0f64, f64::max);
    let y = axes(s, chart, lo, hi);
    let plot_w = W - LEFT - RIGHT;
    let slot = plot_w / n as f64;
    let label_every = (n / 12).max(1);
    let mut path = String::new();
    for (k, (label, v)) in chart.labels.iter().zip(&chart.values).enumerate() {
        let cx = LEFT + slot * (k as f64 + 0.5);
        match chart.kind {
            ChartKind::Line => {
                path.push_str(&format!(
                    "{}{cx:.1},{:.1} ",
                    if k == 0 { "M" } else { "L" },
                    y(*v)
                ));
                s.push_str(&format!(r##"<circle cx="{cx:.1}" cy="{:.1}" r="3" fill="{}"><title>{}: {}</title></circle>"##, y(*v), COLORS[0], esc(label), show_number(*v)));
            }
            _ => {
                let bw = if chart.kind == ChartKind::Histogram {
                    slot
                } else {
                    slot * 0.7
                };
                let (top, bottom) = (y(v.max(0.0)), y(v.min(0.0)));
                s.push_str(&format!(
                    r##"<rect x="{:.1}" y="{top:.1}" width="{bw:.1}" height="{:.1}" fill="{}" stroke="white"><title>{}: {}</title></rect>"##,
                    cx - bw / 2.0,
                    (bottom - top).max(0.5),
                    COLORS[0],
                    esc(label),
                    show_number(*v)
                ));
            }
        }
        if k % label_every == 0 {
            s.push_str(&format!(
                r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                H - BOTTOM + 18.0,
                esc(&shorten(label, 14))
            ));
        }
    }
    if chart.kind == ChartKind::Line && !path.is_empty() {
        s.push_str(&format!(
            r##"<path d="{path}" fill="none" stroke="{}" stroke-width="2"/>"##,
            COLORS[0]
        ));
    }
}

fn scatter(s: &mut String, chart: &Chart) {
    let (xs, ys): (Vec<f64>, Vec<f64>) = chart.points.iter().copied().unzip();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if xs.is_empty() {
        return;
    }
    let y = axes(s, chart, min(&ys).min(0.0), max(&ys));
    let (x_lo, x_hi) = (min(&xs), max(&xs));
    let plot_w = W - LEFT - RIGHT;
    let span = if x_hi > x_lo { x_hi - x_lo } else { 1.0 };
    let x = |v: f64| LEFT + 10.0 + (v - x_lo) / span * (plot_w - 20.0);
    for (a, b) in &chart.points {
        s.push_str(&format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}" fill-opacity="0.7"/>"##,
            x(*a),
            y(*b),
            COLORS[0]
        ));
    }
    for v in [x_lo, (x_lo + x_hi) / 2.0, x_hi] {
        s.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(v),
            H - BOTTOM + 18.0,
            show_number(v)
        ));
    }
}

fn pie(s: &mut String, chart: &Chart) {
    let total: f64 = chart.values.iter().filter(|v| **v > 0.0).sum();
    if total <= 0.0 {
        return;
    }
    let (cx, cy, r) = (W / 2.0 - 120.0, H / 2.0 + 15.0, 150.0);
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (k, (label, v)) in chart.labels.iter().zip(&chart.values).enumerate() {
        if *v <= 0.0 {
            continue;
        }
        let sweep = v / total * std::f64::consts::TAU;
        let (x0, y0) = (cx + r * angle.cos(), cy + r * angle.sin());
        let end = angle + sweep;
        let (x1, y1) = (cx + r * end.cos(), cy + r * end.sin());
        let color = COLORS[k % COLORS.len()];
        let large = u8::from(sweep > std::f64::consts::PI);
        if sweep >= std::f64::consts::TAU - 1e-9 {
            s.push_str(&format!(
                r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>"#
            ));
        } else {
            s.push_str(&format!(
                r#"<path d="M{cx},{cy} L{x0:.1},{y0:.1} A{r},{r} 0 {large} 1 {x1:.1},{y1:.1} Z" fill="{color}" stroke="white"/>"#
            ));
        }
        let ly = TOP + 20.0 + 22.0 * k as f64;
        s.push_str(&format!(
            r#"<rect x="{}" y="{}" width="14" height="14" fill="{color}"/><text x="{}" y="{}">{} {}%</text>"#,
            W - 240.0,
            ly - 11.0,
            W - 220.0,
            ly,
            esc(&shorten(label, 20)),
            show_number(v / total * 100.0)
        ));
        angle = end;
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(0.3, 5.0), 0.1);
    }

    #[test]
    fn labels_are_escaped_in_the_svg() {
        let chart = Chart {
            kind: ChartKind::Bar,
            title: "R&D <spend>".into(),
            x_label: "Team".into(),
            y_label: "Spend".into(),
            labels: vec!["<script>".into(), "B".into()],
            values: vec![3.0, 5.0],
            points: vec![],
        };
        let svg = svg(&chart);
        assert!(svg.contains("R&amp;D &lt;spend&gt;"));
        assert!(!svg.contains("<script>"));
        assert_eq!(svg.matches("<rect x=").count(), 2);
    }
}
