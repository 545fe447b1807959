//! The SpreadsheetML written for an analysis: the analysis sheet's XML,
//! its chart (DrawingML, one series over the result block), the few cell
//! styles it needs added to a workbook's own, and, for inputs that are
//! not .xlsx, the data sheets and the package around them.

use chrono::{NaiveDate, NaiveDateTime};

use super::formulas::{Block, Cached, Cell, Style};
use crate::docs::{cell_a1, SheetGrid};
use crate::sheets::value::{self, Value};

pub(crate) const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub(crate) const REL_NS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const SHEET_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
pub(crate) const DRAWING_TYPE: &str = "application/vnd.openxmlformats-officedocument.drawing+xml";
pub(crate) const CHART_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

pub(crate) use crate::docs::xml::escape as esc;

/// Indexes of the cell formats the written sheets use (`cellXfs`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Styles {
    pub bold: usize,
    pub whole: usize,
    pub decimal: usize,
    /// Data sheets only (a workbook written anew).
    pub date: usize,
    pub date_time: usize,
    pub percent: usize,
}

impl Styles {
    fn of(&self, s: Style) -> Option<usize> {
        match s {
            Style::Plain => None,
            Style::Bold => Some(self.bold),
            Style::Whole => Some(self.whole),
            Style::Decimal => Some(self.decimal),
        }
    }
}

/// The formats appended to a workbook's `cellXfs`, in this order: bold,
/// `#,##0`, `#,##0.00` (built-in number formats only, so the workbook's
/// own `numFmts` stay as they are).
fn added_xfs(bold_font: usize) -> String {
    format!(
        "<xf numFmtId=\"0\" fontId=\"{bold_font}\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
         <xf numFmtId=\"3\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
         <xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
    )
}

/// Finds `<NAME ... count="N">` and its closing tag in `xml` (with any
/// namespace prefix): (start of the open tag, end of the open tag, start
/// of the close tag, N, prefix).
fn element(xml: &str, name: &str) -> Option<(usize, usize, usize, usize, String)> {
    let mut from = 0;
    while let Some(at) = xml[from..].find('<').map(|i| i + from) {
        let tag_end = xml[at..].find('>')? + at;
        let tag = &xml[at + 1..tag_end];
        let tag_name = tag.split_whitespace().next().unwrap_or("");
        let (prefix, local) = match tag_name.split_once(':') {
            Some((p, l)) => (format!("{p}:"), l),
            None => (String::new(), tag_name),
        };
        if local == name && !tag.ends_with('/') {
            let close = format!("</{prefix}{name}>");
            let close_at = xml[tag_end..].find(&close)? + tag_end;
            let count = tag
                .split("count=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| {
                    xml[tag_end..close_at]
                        .matches(&format!("<{prefix}"))
                        .count()
                });
            return Some((at, tag_end + 1, close_at, count, prefix));
        }
        from = tag_end + 1;
    }
    None
}

/// Sets `count="N"` in the open tag `xml[start..end]`.
fn set_count(tag: &str, n: usize) -> String {
    match tag.find("count=\"") {
        Some(i) => {
            let rest = &tag[i + 7..];
            let close = rest.find('"').unwrap_or(0);
            format!("{}count=\"{n}\"{}", &tag[..i], &rest[close + 1..])
        }
        None => tag.replacen('>', &format!(" count=\"{n}\">"), 1),
    }
}

/// A workbook's styles part with a bold font and the analysis sheet's
/// formats added (nothing of its own changed); None when the part is not
/// laid out as expected, and the sheet is then written without formats.
pub(crate) fn patch_styles(xml: &str) -> Option<(String, Styles)> {
    let (f_open, f_body, f_close, fonts, prefix) = element(xml, "fonts")?;
    let (x_open, x_body, x_close, xfs, xprefix) = element(xml, "cellXfs")?;
    if !prefix.is_empty() || !xprefix.is_empty() || x_open < f_close {
        return None;
    }
    let mut out = String::with_capacity(xml.len() + 600);
    out.push_str(&xml[..f_open]);
    out.push_str(&set_count(&xml[f_open..f_body], fonts + 1));
    out.push_str(&xml[f_body..f_close]);
    out.push_str("<font><b/><sz val=\"11\"/></font>");
    out.push_str(&xml[f_close..x_open]);
    out.push_str(&set_count(&xml[x_open..x_body], xfs + 3));
    out.push_str(&xml[x_body..x_close]);
    out.push_str(&added_xfs(fonts));
    out.push_str(&xml[x_close..]);
    Some((
        out,
        Styles {
            bold: xfs,
            whole: xfs + 1,
            decimal: xfs + 2,
            date: 0,
            date_time: 0,
            percent: 0,
        },
    ))
}

/// The styles part of a workbook written anew.
pub(crate) fn new_styles() -> (String, Styles) {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <styleSheet xmlns=\"{MAIN_NS}\">\
         <numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/><numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/></numFmts>\
         <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
         <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
         <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
         <cellXfs count=\"7\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>{}\
         <xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
         <xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
         <xf numFmtId=\"10\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>\
         <cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
         </styleSheet>",
        added_xfs(1)
    );
    (
        xml,
        Styles {
            bold: 1,
            whole: 2,
            decimal: 3,
            date: 4,
            date_time: 5,
            percent: 6,
        },
    )
}

/// An Excel date serial (the 1900 system, days since 1899-12-30).
pub(crate) fn serial(t: NaiveDateTime) -> Option<f64> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let s = (t - epoch).num_milliseconds() as f64 / 86_400_000.0;
    // Before 1 March 1900 Excel counts a day that never was; such cells
    // stay text.
    (s >= 61.0).then_some(s)
}

fn number_text(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "0".into()
    }
}

fn style_attr(s: Option<usize>) -> String {
    s.map(|s| format!(" s=\"{s}\"")).unwrap_or_default()
}

fn text_cell(r: &str, s: Option<usize>, t: &str) -> String {
    format!(
        "<c r=\"{r}\"{} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        style_attr(s),
        esc(t)
    )
}

fn cell_xml(r: &str, cell: &Cell, styles: Option<&Styles>) -> String {
    let st = |s: Style| styles.and_then(|x| x.of(s));
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t, s) => text_cell(r, st(*s), t),
        Cell::Number(v, s) => format!(
            "<c r=\"{r}\"{}><v>{}</v></c>",
            style_attr(st(*s)),
            number_text(*v)
        ),
        Cell::Formula {
            formula,
            array,
            cached,
            style,
        } => {
            let f = if *array {
                format!("<f t=\"array\" ref=\"{r}\">{}</f>", esc(formula))
            } else {
                format!("<f>{}</f>", esc(formula))
            };
            match cached {
                Cached::Number(v) => format!(
                    "<c r=\"{r}\"{}>{f}<v>{}</v></c>",
                    style_attr(st(*style)),
                    number_text(*v)
                ),
                Cached::Text(t) => format!(
                    "<c r=\"{r}\"{} t=\"str\">{f}<v>{}</v></c>",
                    style_attr(st(Style::Plain)),
                    esc(t)
                ),
            }
        }
    }
}

/// The analysis sheet: `info` rows (label, text) at the top, the result
/// block from row `result_row` (zero-based) with its header, the notes
/// under it, and the chart's anchor when there is one.
pub(crate) fn analysis_sheet(
    info: &[(String, String)],
    block: &Block,
    notes: &[String],
    result_row: u32,
    styles: Option<&Styles>,
    drawing_rel: Option<&str>,
) -> String {
    let mut rows: Vec<(u32, String)> = Vec::new();
    let st = |s: Style| styles.and_then(|x| x.of(s));
    for (i, (label, text)) in info.iter().enumerate() {
        let i = i as u32;
        // Not wrapped: a long answer runs on over the empty cells beside.
        rows.push((
            i,
            format!(
                "{}{}",
                text_cell(&cell_a1(i, 0), st(Style::Bold), label),
                text_cell(&cell_a1(i, 1), None, text)
            ),
        ));
    }
    let header: String = block
        .header
        .iter()
        .enumerate()
        .map(|(c, h)| text_cell(&cell_a1(result_row, c as u32), st(Style::Bold), h))
        .collect();
    rows.push((result_row, header));
    for (k, line) in block.rows.iter().enumerate() {
        let r = result_row + 1 + k as u32;
        let cells: String = line
            .iter()
            .enumerate()
            .map(|(c, cell)| cell_xml(&cell_a1(r, c as u32), cell, styles))
            .collect();
        rows.push((r, cells));
    }
    let first_note = result_row + 2 + block.rows.len() as u32;
    for (r, note) in (first_note..).zip(notes) {
        rows.push((
            r,
            format!(
                "{}{}",
                text_cell(&cell_a1(r, 0), st(Style::Bold), "Note"),
                text_cell(&cell_a1(r, 1), None, note)
            ),
        ));
    }
    let data: String = rows
        .iter()
        .map(|(r, cells)| format!("<row r=\"{}\">{cells}</row>", r + 1))
        .collect();
    let drawing = drawing_rel
        .map(|id| format!("<drawing r:id=\"{id}\"/>"))
        .unwrap_or_default();
    // Each result column as wide as its header and texts (within reason).
    let widths: String = (0..block.header.len().max(2))
        .map(|c| {
            let longest = block
                .rows
                .iter()
                .filter_map(|r| match r.get(c) {
                    Some(Cell::Text(t, _)) => Some(t.chars().count()),
                    Some(Cell::Number(..) | Cell::Formula { .. }) => Some(12),
                    _ => None,
                })
                .chain(block.header.get(c).map(|h| h.chars().count()))
                .max()
                .unwrap_or(10);
            let cap = if c == 0 { 40 } else { 100 };
            let w = (longest + 2).clamp(12, cap);
            format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>",
                n = c + 1
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">\
         <sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"15\"/>\
         <cols>{widths}</cols><sheetData>{data}</sheetData>{drawing}</worksheet>"
    )
}

/// A chart of one column of the result block: bars across groups, a line
/// over periods. `labels` and `values` are the block's A1 ranges on the
/// analysis sheet (quoted sheet name included), `name` its header cell.
pub(crate) fn chart(
    title: &str,
    name_ref: &str,
    labels_ref: &str,
    values_ref: &str,
    points: &[(String, Option<f64>)],
    line: bool,
) -> String {
    let n = points.len();
    let str_pts: String = points
        .iter()
        .enumerate()
        .map(|(i, (l, _))| format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", esc(l)))
        .collect();
    let num_pts: String = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| {
            v.map(|v| format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", number_text(v)))
        })
        .collect();
    let series = format!(
        "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/>\
         <c:tx><c:strRef><c:f>{}</c:f></c:strRef></c:tx>\
         {marker}\
         <c:cat><c:strRef><c:f>{}</c:f><c:strCache><c:ptCount val=\"{n}\"/>{str_pts}</c:strCache></c:strRef></c:cat>\
         <c:val><c:numRef><c:f>{}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"{n}\"/>{num_pts}</c:numCache></c:numRef></c:val>\
         {smooth}</c:ser>",
        esc(name_ref),
        esc(labels_ref),
        esc(values_ref),
        marker = if line { "<c:marker><c:symbol val=\"circle\"/></c:marker>" } else { "" },
        smooth = if line { "<c:smooth val=\"0\"/>" } else { "" },
    );
    let plot = if line {
        format!("<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>{series}<c:marker val=\"1\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:lineChart>")
    } else {
        format!("<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>{series}<c:gapWidth val=\"80\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:barChart>")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"{REL_NS}\">\
         <c:roundedCorners val=\"0\"/>\
         <c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr><a:r><a:rPr lang=\"en-US\" sz=\"1200\" b=\"1\"/><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>\
         <c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>{plot}\
         <c:catAx><c:axId val=\"1001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"1002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
         <c:valAx><c:axId val=\"1002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:majorGridlines/><c:numFmt formatCode=\"General\" sourceLinked=\"1\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"1001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>\
         </c:plotArea><c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart></c:chartSpace>",
        esc(title)
    )
}

/// The drawing that places the chart (relationship `rId1`) on the sheet,
/// from (column, row) to (column, row), zero-based.
pub(crate) fn drawing(from: (u32, u32), to: (u32, u32)) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
         <xdr:twoCellAnchor>\
         <xdr:from><xdr:col>{}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>\
         <xdr:to><xdr:col>{}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>\
         <xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr><xdr:cNvPr id=\"2\" name=\"Deskpilot chart\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>\
         <xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
         <c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"{REL_NS}\" r:id=\"rId1\"/>\
         </a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>",
        from.0, from.1, to.0, to.1
    )
}

/// One relationship part holding a single relationship `rId1`.
pub(crate) fn one_rel(kind: &str, target: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL_TYPE}/{kind}\" Target=\"{}\"/></Relationships>",
        esc(target)
    )
}

enum DataStyle {
    Decimal,
    Percent,
    Date,
    DateTime,
}

/// How a data cell is written.
enum Typed {
    Number(f64),
    Styled(f64, DataStyle),
    Bool(bool),
    Text,
}

/// A cell's text as a typed spreadsheet value, the way the analysis
/// reads it; codes with leading zeros ("007") and dates before 1900 stay
/// text, as a spreadsheet would keep them.
fn typed(text: &str) -> Typed {
    let code = text.len() > 1
        && text.starts_with('0')
        && !text.starts_with("0.")
        && text.chars().all(|ch| ch.is_ascii_digit());
    if code {
        return Typed::Text;
    }
    match value::parse(text) {
        Value::Number(v) => Typed::Number(v),
        Value::Currency(v, _) => Typed::Styled(v, DataStyle::Decimal),
        Value::Percent(v) => Typed::Styled(v, DataStyle::Percent),
        Value::Date(d) => match d.and_hms_opt(0, 0, 0).and_then(serial) {
            Some(s) => Typed::Styled(s, DataStyle::Date),
            None => Typed::Text,
        },
        Value::DateTime(t) => match serial(t) {
            Some(s) => Typed::Styled(s, DataStyle::DateTime),
            None => Typed::Text,
        },
        // TRUE and FALSE as Excel writes booleans; "yes" and "no" stay
        // the words they are.
        Value::Bool(b) if text.trim().eq_ignore_ascii_case(&b.to_string()) => Typed::Bool(b),
        Value::Bool(_) | Value::Text(_) | Value::Error(_) => Typed::Text,
    }
}

/// Whether a data cell is written as text although it reads as a value.
pub(crate) fn stays_text(text: &str) -> bool {
    matches!(typed(text), Typed::Text) && !matches!(value::parse(text), Value::Text(_))
}

/// A sheet of a workbook written anew from a grid: each cell typed the way
/// the analysis read it (numbers, currencies and percents as numbers,
/// dates as dates, true/false as booleans), so formulas over it compute
/// what the analysis computed.
pub(crate) fn data_sheet(grid: &SheetGrid, styles: &Styles) -> String {
    let mut data = String::new();
    for &r in grid.rows() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, text) in grid.row(r) {
            let at = cell_a1(r, c);
            let cell = match typed(text) {
                Typed::Number(v) => format!("<c r=\"{at}\"><v>{}</v></c>", number_text(v)),
                Typed::Styled(v, style) => {
                    let s = match style {
                        DataStyle::Decimal => styles.decimal,
                        DataStyle::Percent => styles.percent,
                        DataStyle::Date => styles.date,
                        DataStyle::DateTime => styles.date_time,
                    };
                    format!("<c r=\"{at}\" s=\"{s}\"><v>{}</v></c>", number_text(v))
                }
                Typed::Bool(b) => format!("<c r=\"{at}\" t=\"b\"><v>{}</v></c>", u8::from(b)),
                Typed::Text => text_cell(&at, None, text),
            };
            data.push_str(&cell);
        }
        data.push_str("</row>");
    }
    let merged = if grid.merged.is_empty() {
        String::new()
    } else {
        let cells: String = grid
            .merged
            .iter()
            .map(|&(r0, c0, r1, c1)| {
                format!(
                    "<mergeCell ref=\"{}:{}\"/>",
                    cell_a1(r0, c0),
                    cell_a1(r1, c1)
                )
            })
            .collect();
        format!(
            "<mergeCells count=\"{}\">{cells}</mergeCells>",
            grid.merged.len()
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetData>{data}</sheetData>{merged}</worksheet>"
    )
}
