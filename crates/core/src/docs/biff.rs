//! Excel 2.x-4.x worksheets (BIFF2, BIFF3, BIFF4): bare record streams, not
//! compound files, which calamine does not read. Cell values only: labels,
//! numbers, integers, RK numbers, booleans, errors and cached formula
//! results, decoded with the file's code page.

use encoding_rs::Encoding;

use super::error::DocProblem;
use super::limits::{exceeded, Deadline, Limits};
use super::model::Block;
use super::workbook::{sheet_blocks, Cells};

/// Whether the bytes start with a BIFF2-4 BOF record.
pub(crate) fn is_biff(bytes: &[u8]) -> bool {
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

fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
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

pub(crate) struct Biff {
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
}

pub(crate) fn read(bytes: &[u8], limits: &Limits, deadline: Deadline) -> Result<Biff, DocProblem> {
    let mut pos = 0;
    let mut encoding: &'static Encoding = encoding_rs::WINDOWS_1252;
    let mut sheets: Vec<Cells> = Vec::new();
    let mut cells = Cells::new();
    let mut pending_formula: Option<(u32, u32)> = None;
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
        let value: Option<((u32, u32), String)> = match kind {
            0x0042 => {
                if let Some(cp) = u16_at(d, 0) {
                    encoding = code_page(cp).unwrap_or(encoding);
                }
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
            0x0003 | 0x0203 => cell().zip(f64_at(d, body)).map(|(c, f)| (c, number(f))),
            0x0002 => cell().zip(u16_at(d, 7)).map(|(c, n)| (c, n.to_string())),
            0x027E => cell()
                .zip(
                    d.get(6..10)
                        .and_then(|b| b.try_into().ok())
                        .map(u32::from_le_bytes),
                )
                .map(|(c, v)| (c, number(rk(v)))),
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
                    (Some(c), Some(r)) => r
                        .try_into()
                        .ok()
                        .map(|b| (c, number(f64::from_le_bytes(b)))),
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
