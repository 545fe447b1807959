//! Excel 2.x-4.x worksheets (BIFF2, BIFF3, BIFF4): bare record streams, not
//! compound files, which calamine does not read. Cell values only: labels,
//! numbers, integers, RK numbers, booleans, errors and cached formula
//! results, decoded with the file's code page.

use encoding_rs::Encoding;

use super::error::DocProblem;
use super::limits::{exceeded, Deadline, Limits};
use super::model::Block;
use super::workbook::{number, sheet_blocks, Cells};

/// Whether the bytes start with a BIFF2-4 BOF record.
pub fn is_biff(bytes: &[u8]) -> bool {
    bytes.len() >= 8
        && matches!(
            u16::from_le_bytes([bytes[0], bytes[1]]),
            0x0009 | 0x0209 | 0x0409
        )
        && (4..=16).contains(&u16::from_le_bytes([bytes[2], bytes[3]]))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn f64_at(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn rk(v: u32) -> f64 {
    let x = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
    };
    if v & 1 != 0 {
        x / 100.0
    } else {
        x
    }
}

fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        _ => "#N/A",
    }
}

pub struct Biff {
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
}

pub fn read(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Result<Biff, DocProblem> {
    let mut pos = 0;
    let mut encoding: &'static Encoding = encoding_rs::WINDOWS_1252;
    let mut sheets: Vec<Cells> = Vec::new();
    let mut cells = Cells::new();
    let mut pending_formula: Option<(u32, u32)> = None;
    let mut formats = Formats::default();
    let mut warnings = Vec::new();
    let mut records = 0u64;
    let decode =
        |enc: &'static Encoding, b: &[u8]| enc.decode_without_bom_handling(b).0.trim().to_owned();
    while pos + 4 <= bytes.len() {
        records += 1;
        if records.is_multiple_of(4096) {
            deadline.check()?;
        }
        let kind = u16::from_le_bytes([bytes[pos], bytes[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([bytes[pos + 2], bytes[pos + 3]]));
        let Some(d) = bytes.get(pos + 4..pos + 4 + len) else {
            warnings.push(format!("the record stream is cut off at byte {pos}"));
            break;
        };
        pos += 4 + len;
        let biff2 = kind & 0xFF00 == 0;
        // Cell records: row, column, then 3 attribute bytes (BIFF2) or an
        // XF index (BIFF3+).
        let cell = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
        let body = if biff2 { 7 } else { 6 };
        // Numbers are shown as dates when their cell format is a date format.
        let show = |f: f64| formats.show(f, formats.format_of(d, biff2));
        let value: Option<((u32, u32), String)> = match kind {
            0x0042 => {
                if let Some(cp) = u16_at(d, 0) {
                    encoding = code_page(cp).unwrap_or(encoding);
                }
                None
            }
            0x0022 => {
                formats.date1904 = u16_at(d, 0) == Some(1);
                None
            }
            0x001E => {
                let n = d.first().map_or(0, |n| usize::from(*n));
                let text = decode(encoding, d.get(1..1 + n).unwrap_or_default());
                formats.add_format(None, text);
                None
            }
            0x041E => {
                let n = d.get(2).map_or(0, |n| usize::from(*n));
                let text = decode(encoding, d.get(3..3 + n).unwrap_or_default());
                // Two unused bytes first; BIFF2-4 formats are numbered in order.
                formats.add_format(None, text);
                None
            }
            0x0243 | 0x0443 => {
                formats.xf.push(d.get(1).map_or(0, |f| u16::from(*f)));
                None
            }
            0x0009 | 0x0209 | 0x0409 => {
                // A new sheet (BIFF4 workbooks hold several).
                if !cells.is_empty() {
                    sheets.push(std::mem::take(&mut cells));
                }
                None
            }
            0x0004 => cell()
                .zip(d.get(7).and_then(|n| d.get(8..8 + usize::from(*n))))
                .map(|(c, s)| (c, decode(encoding, s))),
            0x0204 => cell()
                .zip(u16_at(d, 6).and_then(|n| d.get(8..8 + usize::from(n))))
                .map(|(c, s)| (c, decode(encoding, s))),
            0x0003 | 0x0203 => cell().zip(f64_at(d, body)).map(|(c, f)| (c, show(f))),
            0x0002 => cell()
                .zip(u16_at(d, 7))
                .map(|(c, n)| (c, show(f64::from(n)))),
            0x027E => cell()
                .zip(
                    d.get(6..10)
                        .and_then(|b| b.try_into().ok())
                        .map(u32::from_le_bytes),
                )
                .map(|(c, v)| (c, show(rk(v)))),
            0x0005 | 0x0205 => cell().zip(d.get(body..body + 2)).map(|(c, v)| {
                let text = if v[1] != 0 {
                    error_text(v[0]).to_owned()
                } else if v[0] != 0 {
                    "TRUE".into()
                } else {
                    "FALSE".into()
                };
                (c, text)
            }),
            0x0006 | 0x0206 | 0x0406 => {
                let c = cell();
                match (c, d.get(body..body + 8)) {
                    (Some(c), Some(r)) if r[6] == 0xFF && r[7] == 0xFF => match r[0] {
                        0 => {
                            pending_formula = Some(c);
                            None
                        }
                        1 => Some((c, if r[2] != 0 { "TRUE" } else { "FALSE" }.to_owned())),
                        2 => Some((c, error_text(r[2]).to_owned())),
                        _ => None,
                    },
                    (Some(c), Some(r)) => {
                        r.try_into().ok().map(|b| (c, show(f64::from_le_bytes(b))))
                    }
                    _ => None,
                }
            }
            0x0007 => pending_formula
                .take()
                .zip(d.first().and_then(|n| d.get(1..1 + usize::from(*n))))
                .map(|(c, s)| (c, decode(encoding, s))),
            0x0207 => pending_formula
                .take()
                .zip(u16_at(d, 0).and_then(|n| d.get(2..2 + usize::from(n))))
                .map(|(c, s)| (c, decode(encoding, s))),
            _ => None,
        };
        if let Some((at, text)) = value {
            if !text.is_empty() {
                cells.insert(at, text);
                if cells.len() as u64 > limits.max_cells_per_sheet {
                    return Err(exceeded(
                        "max_cells_per_sheet",
                        format!("over {} cells", limits.max_cells_per_sheet),
                    ));
                }
            }
        }
    }
    if !cells.is_empty() || sheets.is_empty() {
        sheets.push(cells);
    }
    let blocks = sheets
        .iter()
        .enumerate()
        .flat_map(|(i, c)| sheet_blocks(&format!("Sheet{}", i + 1), c, &[]))
        .collect();
    Ok(Biff { blocks, warnings })
}

/// Number formats, to show date cells as dates.
#[derive(Default)]
struct Formats {
    /// Format strings by index (BIFF2-3: order of appearance).
    by_index: std::collections::HashMap<u16, String>,
    next: u16,
    /// Format index of each XF record (BIFF3-4), in order.
    xf: Vec<u16>,
    date1904: bool,
}

impl Formats {
    fn add_format(&mut self, index: Option<u16>, text: String) {
        let i = index.unwrap_or(self.next);
        self.next = i.saturating_add(1);
        self.by_index.insert(i, text);
    }

    /// The format index of a cell: in the attribute bytes (BIFF2) or
    /// through its XF record (BIFF3-4).
    fn format_of(&self, d: &[u8], biff2: bool) -> Option<u16> {
        if biff2 {
            d.get(5).map(|a| u16::from(a & 0x3F))
        } else {
            u16_at(d, 4).and_then(|xf| self.xf.get(usize::from(xf)).copied())
        }
    }

    fn show(&self, f: f64, format: Option<u16>) -> String {
        let is_date = format
            .and_then(|i| self.by_index.get(&i))
            .is_some_and(|fmt| is_date_format(fmt));
        if is_date {
            if let Some(text) = serial_date(f, self.date1904) {
                return text;
            }
        }
        number(f)
    }
}

/// Whether a number format shows a date or time: d, m, y, h or s outside
/// quoted text and [colour/condition] sections.
fn is_date_format(fmt: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in fmt.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            _ if quoted || bracket => {}
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// An Excel serial date as text, in the 1900 or 1904 system.
fn serial_date(serial: f64, date1904: bool) -> Option<String> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = if date1904 {
        chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        // Excel counts a 29 Feb 1900 that never was; from 1 Mar 1900 on,
        // 30 Dec 1899 as day 0 gives the right dates.
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let days = serial.trunc() as i64;
    let secs = ((serial - serial.trunc()) * 86_400.0).round() as i64;
    let dt =
        base.and_hms_opt(0, 0, 0)? + chrono::Duration::days(days) + chrono::Duration::seconds(secs);
    Some(if secs == 0 {
        dt.format("%Y-%m-%d").to_string()
    } else if days == 0 {
        dt.format("%H:%M:%S").to_string()
    } else {
        dt.format("%Y-%m-%d %H:%M:%S").to_string()
    })
}

/// Windows code pages used by old Excel files.
fn code_page(cp: u16) -> Option<&'static Encoding> {
    Some(match cp {
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 | 367 | 0x8001 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        0x8000 | 10000 => encoding_rs::MACINTOSH,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_and_serials() {
        assert!(is_date_format("d-mmm-yy"));
        assert!(is_date_format("h:mm AM/PM"));
        assert!(!is_date_format("#,##0.00"));
        assert!(!is_date_format("\"Days\" 0"));
        assert!(!is_date_format("[Red]0.0%"));
        assert_eq!(serial_date(37673.0, false).as_deref(), Some("2003-02-21"));
        assert_eq!(serial_date(0.5, false).as_deref(), Some("12:00:00"));
        assert_eq!(serial_date(0.0, true).as_deref(), Some("1904-01-01"));
    }
}
