//! Go's handling of invalid UTF-8 when bytes become text (encoding/json writes each byte
//! that does not start a valid sequence as U+FFFD).

/// The bytes as text, each byte of an invalid or truncated sequence replaced by U+FFFD
/// (Go's `utf8.DecodeRune` consumes one byte on error; Rust's lossy conversion may
/// consume several).
pub fn go_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let width = match bytes[i] {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        let decoded = (width > 0)
            .then(|| bytes.get(i..i + width))
            .flatten()
            .and_then(|seq| std::str::from_utf8(seq).ok());
        match decoded {
            Some(s) => {
                out.push_str(s);
                i += width;
            }
            None => {
                out.push('\u{FFFD}');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_byte_by_byte_like_go() {
        assert_eq!(super::go_lossy(b"ok\xc3\xa9"), "oké");
        assert_eq!(super::go_lossy(b"\xf0\x9f\x98"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(super::go_lossy(b"\x80\x81\x82"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(super::go_lossy(b"a\xffb"), "a\u{FFFD}b");
    }
}
