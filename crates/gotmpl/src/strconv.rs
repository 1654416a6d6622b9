//! The parts of Go's `strconv` that `fmt` and the template lexer need: float formatting
//! (`FormatFloat`), quoting (`Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote`) and
//! unquoting of Go string and rune literals.

/// Decimal digits of a float: `0.d1d2d3… × 10^dp`. Zero has no digits.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// Shortest digits that read back as the same float of `bits` size (Go's `prec = -1`).
fn shortest(abs: f64, bits: u32) -> Digits {
    let s = if bits == 32 {
        format!("{:e}", abs as f32)
    } else {
        format!("{abs:e}")
    };
    from_sci(&s)
}

/// `n` significant digits, correctly rounded; trailing zeros trimmed as Go's decimal does.
fn significant(abs: f64, n: usize) -> Digits {
    let s = format!("{:.*e}", n.saturating_sub(1), abs);
    from_sci(&s)
}

fn from_sci(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

/// Go's `strconv.FormatFloat(f, fmt, prec, bits)` for `fmt` in `b e E f g G x X`.
pub fn format_float(f: f64, fmt: u8, prec: i32, bits: u32) -> String {
    let f = if bits == 32 { f as f32 as f64 } else { f };
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let neg = f.is_sign_negative();
    let abs = f.abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    match fmt {
        b'b' => fmt_b(&mut out, abs, bits),
        b'x' | b'X' => fmt_x(&mut out, abs, prec, fmt, bits),
        b'e' | b'E' => {
            let (digs, prec) = if prec < 0 {
                let d = shortest(abs, bits);
                let p = d.d.len().max(1) as i32 - 1;
                (d, p)
            } else {
                (significant(abs, prec as usize + 1), prec)
            };
            fmt_e(&mut out, &digs, prec, fmt);
        }
        b'f' | b'F' => {
            if prec < 0 {
                let d = shortest(abs, bits);
                let p = (d.d.len() as i32 - d.dp).max(0);
                fmt_f(&mut out, &d, p);
            } else {
                out.push_str(&format!("{:.*}", prec as usize, abs));
            }
        }
        _ => {
            let upper = fmt == b'G';
            let shortest_mode = prec < 0;
            let (digs, mut prec) = if shortest_mode {
                let d = shortest(abs, bits);
                let p = d.d.len() as i32;
                (d, p)
            } else {
                let p = if prec == 0 { 1 } else { prec };
                (significant(abs, p as usize), p)
            };
            let nd = digs.d.len() as i32;
            let mut eprec = prec;
            if eprec > nd && nd >= digs.dp {
                eprec = nd;
            }
            if shortest_mode {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > nd {
                    prec = nd;
                }
                fmt_e(&mut out, &digs, prec - 1, if upper { b'E' } else { b'e' });
            } else {
                if prec > digs.dp {
                    prec = nd;
                }
                fmt_f(&mut out, &digs, (prec - digs.dp).max(0));
            }
        }
    }
    out
}

/// Mantissa (with the implicit bit) and binary exponent: `abs = mant * 2^exp`.
fn decompose(abs: f64, bits: u32) -> (u64, i32) {
    if bits == 32 {
        let b = (abs as f32).to_bits();
        let e = ((b >> 23) & 0xff) as i32;
        let m = (b & 0x7f_ffff) as u64;
        if e == 0 {
            (m, 1 - 127 - 23)
        } else {
            (m | 1 << 23, e - 127 - 23)
        }
    } else {
        let b = abs.to_bits();
        let e = ((b >> 52) & 0x7ff) as i32;
        let m = b & ((1 << 52) - 1);
        if e == 0 {
            (m, 1 - 1023 - 52)
        } else {
            (m | 1 << 52, e - 1023 - 52)
        }
    }
}

/// `%b`: decimal mantissa and binary exponent, `4503599627370496p-52`.
fn fmt_b(out: &mut String, abs: f64, bits: u32) {
    let (m, e) = decompose(abs, bits);
    out.push_str(&m.to_string());
    out.push('p');
    if e >= 0 {
        out.push('+');
    }
    out.push_str(&e.to_string());
}

/// `%x`: hexadecimal mantissa and binary exponent, `0x1.8p+01`.
fn fmt_x(out: &mut String, abs: f64, prec: i32, fmt: u8, bits: u32) {
    let mantbits = if bits == 32 { 23 } else { 52 };
    let (mut mant, e) = decompose(abs, bits);
    let mut exp = e + mantbits;
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - mantbits;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push('0');
    out.push(fmt as char);
    out.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    out.push(if fmt == b'X' { 'P' } else { 'p' });
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_e(out: &mut String, d: &Digits, prec: i32, e: u8) {
    let nd = d.d.len() as i32;
    out.push(if nd == 0 { '0' } else { d.d[0] as char });
    if prec > 0 {
        out.push('.');
        let m = nd.min(prec + 1);
        let mut i = 1;
        while i < m {
            out.push(d.d[i as usize] as char);
            i += 1;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(e as char);
    let mut exp = if nd == 0 { 0 } else { d.dp - 1 };
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, d: &Digits, prec: i32) {
    let nd = d.d.len() as i32;
    if d.dp > 0 {
        let m = nd.min(d.dp);
        for &c in &d.d[..m as usize] {
            out.push(c as char);
        }
        for _ in m..d.dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            let j = d.dp + i;
            let c = if 0 <= j && j < nd {
                d.d[j as usize] as char
            } else {
                '0'
            };
            out.push(c);
        }
    }
}

/// An approximation of Go's `unicode.IsPrint` (Rust's std has no category tables): control
/// characters, format characters, separators other than ASCII space, surrogates, private
/// use and noncharacters are not printable.
pub fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return false;
    }
    if u < 0x7f {
        return true;
    }
    !matches!(u,
        0xa0
        | 0xad
        | 0x1680
        | 0x08e2
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x180e
        | 0x2000..=0x200f
        | 0x2028..=0x202f
        | 0x205f..=0x206f
        | 0x3000
        | 0xd800..=0xf8ff
        | 0xfdd0..=0xfdef
        | 0xfeff
        | 0xfff0..=0xfffb
        | 0xfffe..=0xffff
        | 0xe0000..=0xe007f
        | 0xf0000..=0x10ffff)
        && (u & 0xfffe) != 0xfffe
}

fn append_escaped_rune(out: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        out.push('\\');
        out.push(r);
        return;
    }
    if ascii_only {
        if (r as u32) < 0x80 && is_print(r) {
            out.push(r);
            return;
        }
    } else if is_print(r) {
        out.push(r);
        return;
    }
    match r {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ => {
            let u = r as u32;
            if u < 0x20 || u == 0x7f {
                out.push_str(&format!("\\x{u:02x}"));
            } else if u < 0x10000 {
                out.push_str(&format!("\\u{u:04x}"));
            } else {
                out.push_str(&format!("\\U{u:08x}"));
            }
        }
    }
}

fn quote_with(bytes: &[u8], quote: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push(quote);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                for c in s.chars() {
                    append_escaped_rune(&mut out, c, quote, ascii_only);
                }
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                let s = std::str::from_utf8(&rest[..good]).unwrap_or("");
                for c in s.chars() {
                    append_escaped_rune(&mut out, c, quote, ascii_only);
                }
                // An invalid byte is written as \x escape, as Go does.
                out.push_str(&format!("\\x{:02x}", rest[good]));
                rest = &rest[good + 1..];
            }
        }
    }
    out.push(quote);
    out
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    quote_with(s.as_bytes(), '"', false)
}

/// `strconv.Quote` of bytes that may not be UTF-8.
pub fn quote_bytes(b: &[u8]) -> String {
    quote_with(b, '"', false)
}

/// Go's `strconv.QuoteToASCII`.
pub fn quote_to_ascii(b: &[u8]) -> String {
    quote_with(b, '"', true)
}

/// Go's `strconv.QuoteRune` / `QuoteRuneToASCII`.
pub fn quote_rune(r: char, ascii_only: bool) -> String {
    let mut out = String::from("'");
    append_escaped_rune(&mut out, r, '\'', ascii_only);
    out.push('\'');
    out
}

/// Go's `strconv.CanBackquote`.
pub fn can_backquote(s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else {
        return false;
    };
    s.chars().all(|c| {
        if c == '`' || c == '\u{FEFF}' {
            return false;
        }
        if (c as u32) < 0x80 {
            return c == '\t' || !((c as u32) < 0x20 || c == '\x7f');
        }
        c != '\u{FFFD}'
    })
}

/// Go's `strconv.Unquote` for a double-quoted, back-quoted or single-quoted literal.
/// Returns the bytes (escapes such as `\xff` may make them non-UTF-8).
pub fn unquote(lit: &str) -> Result<Vec<u8>, String> {
    let b = lit.as_bytes();
    if b.len() < 2 {
        return Err("invalid syntax".into());
    }
    let q = b[0];
    if b[b.len() - 1] != q {
        return Err("invalid syntax".into());
    }
    let body = &lit[1..lit.len() - 1];
    match q {
        b'`' => {
            if body.contains('`') {
                return Err("invalid syntax".into());
            }
            Ok(body.replace('\r', "").into_bytes())
        }
        b'"' | b'\'' => {
            let mut out = Vec::new();
            let mut chars = body.char_indices().peekable();
            let mut count = 0;
            while let Some((_, c)) = chars.next() {
                count += 1;
                if c == q as char || c == '\n' {
                    return Err("invalid syntax".into());
                }
                if c != '\\' {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    continue;
                }
                let Some((_, e)) = chars.next() else {
                    return Err("invalid syntax".into());
                };
                let simple = match e {
                    'a' => Some(7u8),
                    'b' => Some(8),
                    'f' => Some(12),
                    'n' => Some(b'\n'),
                    'r' => Some(b'\r'),
                    't' => Some(b'\t'),
                    'v' => Some(11),
                    '\\' => Some(b'\\'),
                    '\'' if q == b'\'' => Some(b'\''),
                    '"' if q == b'"' => Some(b'"'),
                    _ => None,
                };
                if let Some(s) = simple {
                    out.push(s);
                    continue;
                }
                let (n, radix) = match e {
                    'x' => (2, 16),
                    'u' => (4, 16),
                    'U' => (8, 16),
                    '0'..='7' => (2, 8),
                    _ => return Err("invalid syntax".into()),
                };
                let mut v: u32 = if radix == 8 {
                    e.to_digit(8).unwrap_or(0)
                } else {
                    0
                };
                for _ in 0..n {
                    let Some((_, d)) = chars.next() else {
                        return Err("invalid syntax".into());
                    };
                    let Some(d) = d.to_digit(radix) else {
                        return Err("invalid syntax".into());
                    };
                    v = v * radix + d;
                }
                match e {
                    'x' => {
                        if q == b'\'' {
                            push_rune(&mut out, v)?;
                        } else {
                            out.push(v as u8);
                        }
                    }
                    '0'..='7' => {
                        if v > 255 {
                            return Err("invalid syntax".into());
                        }
                        if q == b'\'' {
                            push_rune(&mut out, v)?;
                        } else {
                            out.push(v as u8);
                        }
                    }
                    _ => push_rune(&mut out, v)?,
                }
            }
            // A rune literal holds exactly one character (an escape counts as one).
            if q == b'\'' && count != 1 {
                return Err("invalid syntax".into());
            }
            Ok(out)
        }
        _ => Err("invalid syntax".into()),
    }
}

fn push_rune(out: &mut Vec<u8>, v: u32) -> Result<(), String> {
    let c = char::from_u32(v).ok_or_else(|| "invalid syntax".to_string())?;
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_go() {
        assert_eq!(format_float(1e6, b'g', -1, 64), "1e+06");
        assert_eq!(format_float(100000.0, b'g', -1, 64), "100000");
        assert_eq!(format_float(1.5, b'g', -1, 64), "1.5");
        assert_eq!(format_float(0.0, b'g', -1, 64), "0");
        assert_eq!(format_float(0.0001, b'g', -1, 64), "0.0001");
        assert_eq!(format_float(0.00001, b'g', -1, 64), "1e-05");
        assert_eq!(format_float(1234567.0, b'g', -1, 64), "1.234567e+06");
        assert_eq!(format_float(3.0, b'e', 6, 64), "3.000000e+00");
        assert_eq!(format_float(1.23556, b'f', 2, 64), "1.24");
        assert_eq!(format_float(100.0, b'g', 3, 64), "100");
        assert_eq!(format_float(1234.0, b'g', 3, 64), "1.23e+03");
        assert_eq!(format_float(0.1, b'g', -1, 32), "0.1");
        assert_eq!(format_float(-0.0, b'g', -1, 64), "-0");
        assert_eq!(format_float(1e21, b'f', -1, 64), "1000000000000000000000");
        assert_eq!(format_float(1.0, b'x', -1, 64), "0x1p+00");
        assert_eq!(format_float(3.0, b'x', -1, 64), "0x1.8p+01");
        assert_eq!(format_float(-0.1, b'X', -1, 64), "-0X1.999999999999AP-04");
        assert_eq!(format_float(1.0, b'x', 2, 64), "0x1.00p+00");
        assert_eq!(format_float(1.0, b'b', -1, 64), "4503599627370496p-52");
        assert_eq!(format_float(0.0, b'x', -1, 64), "0x0p+00");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\n\u{1}é"), "\"a\\\"b\\n\\x01é\"");
        assert_eq!(quote_to_ascii("é".as_bytes()), "\"\\u00e9\"");
        assert_eq!(quote_bytes(b"\xff"), "\"\\xff\"");
        assert_eq!(quote("a\u{a0}b\u{200d}"), "\"a\\u00a0b\\u200d\"");
        assert_eq!(unquote("\"a\\tb\"").ok(), Some(b"a\tb".to_vec()));
        assert_eq!(unquote("'\\n'").ok(), Some(b"\n".to_vec()));
    }
}
