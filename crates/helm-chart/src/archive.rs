//! Chart archives (`.tgz`): the files of the archive's top folder, with Helm's checks on
//! the paths inside.

use std::io::Read;

use crate::chart::File;
use crate::error::{Error, Result};

/// Helm refuses archive members larger than this (its default `MaxDecompressedFileSize`).
const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// And archives that decompress to more than this (`MaxDecompressedChartSize`).
const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn strip_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(UTF8_BOM) {
        data.drain(..UTF8_BOM.len());
    }
    data
}

/// Go's `path.Clean` on a relative `/` path.
fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

/// The files of a gzipped tar chart archive, named relative to the archive's top folder.
pub fn read_archive(bytes: &[u8]) -> Result<Vec<File>> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut tar = tar::Archive::new(gz);
    let entries = tar.entries().map_err(|e| Error::new(e.to_string()))?;
    let mut files: Vec<File> = Vec::new();
    let mut total: u64 = 0;
    for entry in entries {
        let mut entry = entry.map_err(|e| Error::new(e.to_string()))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let delimiter = if raw.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw.split(delimiter).collect();
        let rel = parts[1..].join("/");
        if rel.starts_with('/') {
            return Err(Error::new("chart illegally contains absolute paths"));
        }
        let name = clean(&rel);
        if name == "." {
            return Err(Error::new(
                "chart illegally contains content outside the base directory",
            ));
        }
        if name.starts_with("..") {
            return Err(Error::new("chart illegally references parent directory"));
        }
        let b = name.as_bytes();
        if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
            return Err(Error::new("chart contains illegally named files"));
        }
        if parts[0] == "Chart.yaml" {
            return Err(Error::new("chart yaml not in base directory"));
        }
        let size = entry.header().size().unwrap_or(0);
        if size > MAX_FILE_SIZE {
            return Err(Error::new(format!(
                "decompressed chart file {name:?} is larger than the maximum file size {MAX_FILE_SIZE}"
            )));
        }
        total += size;
        if total > MAX_CHART_SIZE {
            return Err(Error::new(
                "decompressed chart is larger than the maximum size",
            ));
        }
        let mut data = Vec::with_capacity(size as usize);
        entry
            .read_to_end(&mut data)
            .map_err(|e| Error::new(e.to_string()))?;
        files.push(File {
            name,
            data: strip_bom(data),
        });
    }
    if files.is_empty() {
        return Err(Error::new("no files in chart archive"));
    }
    Ok(files)
}
