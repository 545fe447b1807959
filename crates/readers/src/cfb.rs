//! A structural check of OLE compound files (legacy .xls) before calamine
//! reads them: sector chains must stay inside the file and must not loop.
//! calamine follows a looping directory chain until memory runs out (a real
//! regression file does exactly that), so a file that fails here is refused
//! as damaged instead.

use super::error::{damaged, DocProblem};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
/// Special FAT values (FAT and DIFAT sectors, end of chain, free).
const MAXREGSECT: u32 = 0xFFFF_FFFA;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Checks the header, the FAT, the directory chain and every large
/// stream's chain for loops and out-of-file sectors.
pub fn check(bytes: &[u8]) -> Result<(), DocProblem> {
    let bad = |what: &str| damaged(format!("compound file: {what}"));
    let shift = u16_at(bytes, 0x1E).ok_or_else(|| bad("header cut short"))?;
    if !(7..=16).contains(&shift) {
        return Err(bad("impossible sector size"));
    }
    let sector = 1usize << shift;
    let n_sectors = (bytes.len().saturating_sub(sector) / sector) as u32;
    let sector_bytes = |id: u32| -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(sector)?;
        bytes.get(start..start + sector)
    };

    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + i * 4))
        .filter(|id| *id <= MAXREGSECT)
        .collect();
    let mut difat = u32_at(bytes, 0x44).unwrap_or(ENDOFCHAIN);
    let mut hops = 0;
    while difat <= MAXREGSECT {
        hops += 1;
        if hops > n_sectors {
            return Err(bad("DIFAT chain loops"));
        }
        let s = sector_bytes(difat).ok_or_else(|| bad("DIFAT sector beyond the end"))?;
        let per = sector / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .filter_map(|i| u32_at(s, i * 4))
                .filter(|id| *id <= MAXREGSECT),
        );
        difat = u32_at(s, per * 4).unwrap_or(ENDOFCHAIN);
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_sectors {
        let s = sector_bytes(id).ok_or_else(|| bad("FAT sector beyond the end"))?;
        fat.extend((0..sector / 4).filter_map(|i| u32_at(s, i * 4)));
        if fat.len() > n_sectors as usize + sector {
            break;
        }
    }

    let walk = |start: u32, what: &str| -> Result<Vec<u32>, DocProblem> {
        let mut seen = vec![false; fat.len().max(1)];
        let mut chain = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN && id != FREESECT {
            let i = id as usize;
            if i >= fat.len() || id > n_sectors.max(1) {
                return Err(bad(&format!("{what} chain leaves the file")));
            }
            if seen[i] {
                return Err(bad(&format!("{what} chain loops")));
            }
            seen[i] = true;
            chain.push(id);
            id = fat[i];
        }
        Ok(chain)
    };

    let dir_start = u32_at(bytes, 0x30).ok_or_else(|| bad("header cut short"))?;
    let dirs = walk(dir_start, "directory")?;
    let cutoff = u32_at(bytes, 0x38).unwrap_or(4096);
    for d in dirs {
        let Some(s) = sector_bytes(d) else { continue };
        for entry in s.chunks_exact(128) {
            let kind = entry[66];
            let start = u32_at(entry, 116).unwrap_or(ENDOFCHAIN);
            let size = u32_at(entry, 120).unwrap_or(0);
            // Root entry (5) holds the mini stream; streams (2) at or above
            // the cutoff live in regular sectors.
            if kind == 5 || (kind == 2 && size >= cutoff) {
                walk(start, "stream")?;
            }
        }
    }
    Ok(())
}
