//! Reading one input into text: bounded in size (a 1 GB file or an endless device is
//! refused, never read whole), streams (stdin, FIFOs, `<(...)`) read like files, UTF-16 with
//! a byte-order mark decoded, and text with invalid UTF-8 still linted with the bad bytes
//! shown as U+FFFD and an error at the first one. Binary files are refused.

use std::io::Read;
use std::sync::Arc;

use super::error;
use crate::report::LintError;
use crate::source::SourceFile;
use crate::yaml::Span;

/// Inputs larger than this are refused by default; `--max-file-size` changes it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// How far a binary file is looked at for a NUL byte (as git and ripgrep do).
const BINARY_PROBE: usize = 8 * 1024;

/// A file's text, and an error about its encoding when the text is only partly usable.
pub struct Text {
    pub source: Arc<SourceFile>,
    pub warning: Option<LintError>,
}

/// `1.5 GiB`, `256 MiB`, `300 KiB`, `12 bytes`.
pub fn human_size(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let whole = n / size;
            let tenth = (n % size) * 10 / size;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

/// Parse `--max-file-size`: a number of bytes with an optional `K`, `M` or `G` suffix
/// (powers of 1024; `KB`, `KiB`, `MB`... accepted alike); `0` means no limit.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let bad = || format!("invalid size `{s}`: expected a number with an optional K, M or G");
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: u64 = t[..digits].parse().map_err(|_| bad())?;
    let unit = t[digits..].trim().to_ascii_uppercase();
    let mul: u64 = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(bad()),
    };
    let n = n.checked_mul(mul).ok_or_else(bad)?;
    Ok(if n == 0 { u64::MAX } else { n })
}

fn too_large(name: &str, size: Option<u64>, max: u64) -> LintError {
    let limit = human_size(max);
    error(
        name,
        match size {
            Some(n) => format!(
                "not read: the file is {}, over the {limit} limit (--max-file-size)",
                human_size(n)
            ),
            None => format!("not read: longer than the {limit} limit (--max-file-size)"),
        },
    )
}

/// Read at most `max` bytes; more is an error (a file that grew, a stream, a device).
pub fn read_bounded(
    mut reader: impl Read,
    name: &str,
    known_len: Option<u64>,
    max: u64,
) -> Result<Vec<u8>, LintError> {
    if let Some(len) = known_len.filter(|&l| l > max) {
        return Err(too_large(name, Some(len), max));
    }
    let cap = known_len.unwrap_or(0).min(max) as usize;
    let mut buf = Vec::with_capacity(cap);
    // Look at the first block before reading on: an endless binary stream (a device, a
    // socket's garbage) is refused after it, by `decode`.
    (&mut reader)
        .take(BINARY_PROBE as u64)
        .read_to_end(&mut buf)
        .map_err(|e| error(name, format!("cannot read: {e}")))?;
    if is_binary(&buf) {
        return Ok(buf);
    }
    reader
        .take(max.saturating_add(1).saturating_sub(buf.len() as u64))
        .read_to_end(&mut buf)
        .map_err(|e| error(name, format!("cannot read: {e}")))?;
    if buf.len() as u64 > max {
        return Err(too_large(name, known_len.filter(|&l| l > max), max));
    }
    Ok(buf)
}

/// A NUL byte early on, and bytes that are not UTF-8 (not merely a character cut off at
/// the end), in what is not UTF-16 text: not YAML, and not worth parsing.
fn is_binary(bytes: &[u8]) -> bool {
    utf16_order(bytes).is_none()
        && bytes[..bytes.len().min(BINARY_PROBE)].contains(&0)
        && std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_some())
}

/// Little-endian (`true`) or big-endian UTF-16, from its byte-order mark.
fn utf16_order(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// The 1-based line and column of byte `at` of `bytes` (invalid sequences count as one
/// character each, as they do once replaced).
fn byte_position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Decode `bytes` read from `name` into a source.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Text, LintError> {
    if let Some(little) = utf16_order(&bytes) {
        return Ok(decode_utf16(name, &bytes[2..], little));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Text {
                source: SourceFile::new(name, text),
                warning: None,
            });
        }
        Err(e) => e.into_bytes(),
    };
    if is_binary(&bytes) {
        let at = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        let (line, column) = byte_position(&bytes, at);
        return Err(LintError {
            line,
            column,
            ..error(
                name,
                "a binary file, not YAML (a NUL byte and invalid UTF-8); not linted".to_string(),
            )
        });
    }
    let first_bad = std::str::from_utf8(&bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let invalid = count_invalid(&bytes);
    // The replacement character stands where the first bad byte was.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let span = Span::new(first_bad, first_bad + '\u{fffd}'.len_utf8());
    let source = SourceFile::new(name, text);
    let pos = source.position(first_bad);
    let message = format!(
        "not valid UTF-8: {invalid} invalid byte sequence{} (shown as U+FFFD); YAML input must be UTF-8, the rest was linted",
        if invalid == 1 { "" } else { "s" }
    );
    Ok(Text {
        warning: Some(LintError {
            path: name.to_string(),
            line: pos.line,
            column: pos.column,
            message,
            source: Some(source.clone()),
            span: Some(span),
        }),
        source,
    })
}

fn count_invalid(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        n += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
        bytes = &bytes[skip.min(bytes.len())..];
    }
    n
}

fn decode_utf16(name: &str, bytes: &[u8], little: bool) -> Text {
    let units = bytes.chunks(2).map(|c| match (c, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte: an unpaired surrogate stands for it.
        _ => 0xD800,
    });
    let mut text = String::with_capacity(bytes.len());
    let mut first_bad = None;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                first_bad.get_or_insert(text.len());
                text.push('\u{fffd}');
            }
        }
    }
    let source = SourceFile::new(name, text);
    let warning = first_bad.map(|at| {
        let pos = source.position(at);
        LintError {
            path: name.to_string(),
            line: pos.line,
            column: pos.column,
            message: "not valid UTF-16 (shown as U+FFFD); the rest was linted".to_string(),
            source: Some(source.clone()),
            span: Some(Span::new(at, at + '\u{fffd}'.len_utf8())),
        }
    });
    Text { source, warning }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1G").unwrap(), 1 << 30);
        assert_eq!(parse_size("512 MiB").unwrap(), 512 << 20);
        assert_eq!(parse_size("10kb").unwrap(), 10 << 10);
        assert_eq!(parse_size("100").unwrap(), 100);
        assert_eq!(parse_size("0").unwrap(), u64::MAX);
        assert!(parse_size("1T").is_err());
        assert!(parse_size("x").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(human_size(256 << 20), "256 MiB");
        assert_eq!(human_size(1536 << 20), "1.5 GiB");
        assert_eq!(human_size(3), "3 bytes");
    }

    #[test]
    fn bounded_reads() {
        let data = [b'a'; 100];
        assert_eq!(read_bounded(&data[..], "x", None, 100).unwrap().len(), 100);
        let e = read_bounded(&data[..], "x", None, 99).unwrap_err();
        assert!(
            e.message.contains("longer than the 99 bytes limit"),
            "{}",
            e.message
        );
        let e = read_bounded(&data[..], "x", Some(1 << 40), 99).unwrap_err();
        assert!(e.message.contains("1024 GiB"), "{}", e.message);
        // An endless binary stream stops after the probe and is refused.
        let noise = (&b"\0"[..]).chain(std::io::repeat(0xff));
        let bytes = read_bounded(noise, "noise", None, u64::MAX).unwrap();
        assert_eq!(bytes.len(), BINARY_PROBE);
        assert!(decode("noise", bytes).is_err());
        // An endless stream of text (NUL is valid UTF-8) stops at the limit.
        let e = read_bounded(std::io::repeat(0), "zero", None, 1 << 20).unwrap_err();
        assert!(e.message.contains("1 MiB limit"), "{}", e.message);
    }

    #[test]
    fn invalid_utf8_is_linted_with_a_located_error() {
        let t = decode("x.yaml", b"a: 1\nb: \xff\xfe x\nc: \xc3\n".to_vec()).unwrap();
        let w = t.warning.unwrap();
        assert_eq!((w.line, w.column), (2, 4));
        assert!(
            w.message.contains("3 invalid byte sequences"),
            "{}",
            w.message
        );
        assert_eq!(t.source.text, "a: 1\nb: \u{fffd}\u{fffd} x\nc: \u{fffd}\n");
        let e = decode("x.yaml", b"a\n\x00\xff".to_vec()).err().unwrap();
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("a: é\n".encode_utf16().flat_map(u16::to_le_bytes));
        let t = decode("x.yaml", le).unwrap();
        assert_eq!(t.source.text, "a: é\n");
        assert!(t.warning.is_none());
        let mut be = vec![0xFE, 0xFF];
        be.extend("k: v".encode_utf16().flat_map(u16::to_be_bytes));
        be.push(0x41);
        let t = decode("x.yaml", be).unwrap();
        assert_eq!(t.source.text, "k: v\u{fffd}");
        assert_eq!(t.warning.unwrap().column, 5);
    }
}
