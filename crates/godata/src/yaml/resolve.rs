//! go-yaml v2's implicit typing of plain scalars (YAML 1.1 flavoured): what a plain
//! scalar decodes to, and therefore which strings the encoder must quote.

/// What a plain scalar resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    /// Fits Go's `int` (64-bit).
    Int(i64),
    /// Above `int64`, within `uint64`.
    Uint(u64),
    /// A hex/octal/binary integer beyond 64 bits (`big.Int`), as its nearest float.
    BigInt(f64),
    Float(f64),
    /// Looks like a timestamp; go-yaml v2 still hands it to `interface{}` as the string.
    Timestamp,
    /// The merge key `<<`.
    Merge,
    Str,
}

impl Resolved {
    pub fn is_str(&self) -> bool {
        matches!(self, Resolved::Str)
    }
}

fn lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

/// Resolves a plain (unquoted, untagged) scalar as go-yaml v2 does.
pub fn resolve_plain(s: &str) -> Resolved {
    let hint = s.as_bytes().first().copied();
    let hinted = match hint {
        None => true,
        Some(c) => matches!(
            c,
            b'+' | b'-' | b'0'
                ..=b'9'
                    | b'.'
                    | b'y'
                    | b'Y'
                    | b'n'
                    | b'N'
                    | b't'
                    | b'T'
                    | b'f'
                    | b'F'
                    | b'o'
                    | b'O'
                    | b'~'
        ),
    };
    if !hinted {
        return Resolved::Str;
    }
    if let Some(r) = lookup(s) {
        return r;
    }
    match hint {
        Some(b'.') => {
            if let Some(f) = parse_decimal_float(s) {
                return Resolved::Float(f);
            }
        }
        Some(b'+' | b'-' | b'0'..=b'9') => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            match parse_int(&plain) {
                IntParse::Int(i) => return Resolved::Int(i),
                IntParse::Uint(u) => return Resolved::Uint(u),
                IntParse::Big(f) => {
                    // go-yaml tries a float before falling back to a big integer.
                    if let Some(f2) = yaml_style_float(&plain) {
                        return Resolved::Float(f2);
                    }
                    return Resolved::BigInt(f);
                }
                IntParse::No => {}
            }
            if let Some(f) = yaml_style_float(&plain) {
                return Resolved::Float(f);
            }
        }
        _ => {}
    }
    Resolved::Str
}

enum IntParse {
    Int(i64),
    Uint(u64),
    /// Syntactically an unsigned integer, out of the 64-bit range.
    Big(f64),
    No,
}

/// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint(s, 0, 64)` (underscores removed
/// beforehand by the caller).
fn parse_int(s: &str) -> IntParse {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = s.starts_with(['+', '-']);
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return IntParse::No;
    }
    match u128::from_str_radix(digits, radix) {
        Ok(mag) => {
            if neg {
                if mag <= i64::MAX as u128 + 1 {
                    return IntParse::Int((mag as i128).wrapping_neg() as i64);
                }
                // ParseInt out of range; ParseUint refuses the sign.
                return IntParse::No;
            }
            if mag <= i64::MAX as u128 {
                return IntParse::Int(mag as i64);
            }
            if !signed && mag <= u64::MAX as u128 {
                return IntParse::Uint(mag as u64);
            }
            if signed {
                return IntParse::No;
            }
            IntParse::Big(mag as f64)
        }
        Err(_) => {
            if neg || signed {
                return IntParse::No;
            }
            // More than 128 bits: still a big integer; its float value by digits.
            let mut f = 0f64;
            for c in digits.chars() {
                f = f * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0));
            }
            IntParse::Big(f)
        }
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, then ParseFloat (which fails,
/// leaving a string, when the value overflows).
fn yaml_style_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_from = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits_from(&mut i) == 0 {
            return None;
        }
    } else {
        if digits_from(&mut i) == 0 {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits_from(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits_from(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    (!f.is_infinite()).then_some(f)
}

/// `strconv.ParseFloat` for a scalar starting with `.` (only decimal forms can).
fn parse_decimal_float(s: &str) -> Option<f64> {
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    (!f.is_infinite()).then_some(f)
}

/// go-yaml v2's timestamp check: `YYYY-` then one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999`,
/// `2006-1-2`, with Go's `time.Parse` range checks.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: i32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = num(b, &mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num(b, &mut i, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let (Some(h), true, Some(m), true, Some(sec)) = (
        num(b, &mut i, 2),
        eat(b, &mut i, b':'),
        num(b, &mut i, 2),
        eat(b, &mut i, b':'),
        num(b, &mut i, 2),
    ) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if sep == b' ' {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            let ok = b.len() == i + 5
                && b[i..i + 2].iter().all(u8::is_ascii_digit)
                && b[i + 2] == b':'
                && b[i + 3..i + 5].iter().all(u8::is_ascii_digit);
            ok && s[i..i + 2].parse::<u32>().unwrap_or(99) <= 24
                && s[i + 3..i + 5].parse::<u32>().unwrap_or(99) <= 59
        }
        _ => false,
    }
}

fn eat(b: &[u8], i: &mut usize, c: u8) -> bool {
    if b.get(*i) == Some(&c) {
        *i += 1;
        true
    } else {
        false
    }
}

/// One or two digits (Go's unpadded layout fields).
fn num(b: &[u8], i: &mut usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == start {
        return None;
    }
    std::str::from_utf8(&b[start..*i]).ok()?.parse().ok()
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// YAML 1.1 sexagesimal numbers (`1:20`), which go-yaml quotes on output for old parsers.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = usize::from(c == b'+' || c == b'-');
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let group = &b[start..i];
        let ok = match group.len() {
            1 => true,
            2 => group[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_scalars() {
        assert_eq!(resolve_plain("yes"), Resolved::Bool(true));
        assert_eq!(resolve_plain("y"), Resolved::Bool(true));
        assert_eq!(resolve_plain("Off"), Resolved::Bool(false));
        assert_eq!(resolve_plain("oN"), Resolved::Str);
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain(""), Resolved::Null);
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("0o17"), Resolved::Int(15));
        assert_eq!(resolve_plain("017"), Resolved::Int(15));
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("-0b101"), Resolved::Int(-5));
        assert_eq!(resolve_plain("+12"), Resolved::Int(12));
        assert_eq!(resolve_plain("1."), Resolved::Float(1.0));
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("1e400"), Resolved::Str);
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Resolved::Uint(u64::MAX)
        );
        assert_eq!(
            resolve_plain("100000000000000000000"),
            Resolved::Float(1e20)
        );
        assert_eq!(resolve_plain("2001-12-14"), Resolved::Timestamp);
        assert_eq!(
            resolve_plain("2001-12-14t21:59:43.10-05:00"),
            Resolved::Timestamp
        );
        assert_eq!(resolve_plain("2001-02-30"), Resolved::Str);
        // `<` is not a resolution hint, so go-yaml reads `<<` as a string here.
        assert_eq!(resolve_plain("<<"), Resolved::Str);
        assert_eq!(resolve_plain("1:20"), Resolved::Str);
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:70"));
        assert_eq!(resolve_plain(".inf"), Resolved::Float(f64::INFINITY));
        assert_eq!(resolve_plain("0x"), Resolved::Str);
        assert_eq!(resolve_plain("1.2.3"), Resolved::Str);
    }
}
