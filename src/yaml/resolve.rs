//! Scalar resolution the way the Kubernetes API server reads YAML: sigs.k8s.io/yaml on
//! go-yaml v2, that is YAML 1.1 rules (`yes`/`on` are booleans, `0755` is octal, `1_000`
//! is an integer, `YYYY-MM-DD` is a timestamp).
//!
//! The rules follow go-yaml v2's `resolve()`: a table keyed by the first byte decides what a
//! plain scalar may be, then Go's `strconv` parsers decide what it is. Quoted and block
//! scalars are strings unless an explicit core tag (`!!int "8"`) says otherwise.

use super::{ScalarKind, ScalarStyle};

/// An explicit tag on a node, as far as resolution cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Str,
    Int,
    Bool,
    Null,
    Float,
    Timestamp,
    /// `!!merge`: only meaningful on a `<<` key.
    Merge,
    /// Any other tag (`!!binary`, `!custom`, ...): the scalar stays a string.
    Other,
}

impl Tag {
    /// Classify a tag from its handle and suffix as saphyr reports them
    /// (`!!int` arrives as handle `tag:yaml.org,2002:` and suffix `int`).
    pub fn from_parts(handle: &str, suffix: &str) -> Tag {
        let core = match handle {
            "tag:yaml.org,2002:" | "!!" => suffix,
            // A verbatim tag `!<tag:yaml.org,2002:int>` keeps everything in one part.
            _ => match handle
                .strip_prefix("tag:yaml.org,2002:")
                .or_else(|| suffix.strip_prefix("tag:yaml.org,2002:"))
            {
                Some(s) => s,
                None => return Tag::Other,
            },
        };
        match core {
            "str" => Tag::Str,
            "int" => Tag::Int,
            "bool" => Tag::Bool,
            "null" => Tag::Null,
            "float" => Tag::Float,
            "timestamp" => Tag::Timestamp,
            "merge" => Tag::Merge,
            _ => Tag::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tag::Str => "!!str",
            Tag::Int => "!!int",
            Tag::Bool => "!!bool",
            Tag::Null => "!!null",
            Tag::Float => "!!float",
            Tag::Timestamp => "!!timestamp",
            Tag::Merge => "!!merge",
            Tag::Other => "!!str",
        }
    }
}

/// What a scalar resolves to before it is narrowed to `ScalarKind` (which has no unsigned
/// integers).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// Above `i64::MAX`: go-yaml falls back to `ParseUint`.
    Uint(u64),
    Float(f64),
    Timestamp,
    Str,
}

impl Resolved {
    fn tag(self) -> Tag {
        match self {
            Resolved::Null => Tag::Null,
            Resolved::Bool(_) => Tag::Bool,
            Resolved::Int(_) | Resolved::Uint(_) => Tag::Int,
            Resolved::Float(_) => Tag::Float,
            Resolved::Timestamp => Tag::Timestamp,
            Resolved::Str => Tag::Str,
        }
    }

    fn kind(self) -> ScalarKind {
        match self {
            Resolved::Null => ScalarKind::Null,
            Resolved::Bool(b) => ScalarKind::Bool(b),
            Resolved::Int(i) => ScalarKind::Int(i),
            // Only JSON numbers beyond i64 get here; a float keeps them numeric.
            Resolved::Uint(u) => ScalarKind::Float(u as f64),
            Resolved::Float(f) => ScalarKind::Float(f),
            Resolved::Timestamp => ScalarKind::Timestamp,
            Resolved::Str => ScalarKind::Str,
        }
    }
}

/// Resolve an untagged plain scalar.
pub fn resolve_plain(text: &str) -> ScalarKind {
    resolve_untagged(text, true).kind()
}

/// Resolve a scalar with its style and optional explicit tag. An explicit tag that cannot
/// hold the value (`!!int abc`) is an error, as it is for the API server.
pub fn resolve(text: &str, style: ScalarStyle, tag: Option<Tag>) -> Result<ScalarKind, String> {
    let tag = match tag {
        None if style == ScalarStyle::Plain => return Ok(resolve_plain(text)),
        None | Some(Tag::Str | Tag::Other | Tag::Merge) => return Ok(ScalarKind::Str),
        Some(t) => t,
    };
    let r = resolve_untagged(text, tag == Tag::Timestamp);
    if r.tag() == tag {
        return Ok(r.kind());
    }
    match (tag, r) {
        (Tag::Float, Resolved::Int(i)) => Ok(ScalarKind::Float(i as f64)),
        _ => Err(format!(
            "cannot decode {} `{}` as a {}",
            r.tag().name(),
            text,
            tag.name()
        )),
    }
}

/// The first-byte hint of go-yaml's resolve table.
#[derive(Clone, Copy, PartialEq)]
enum Hint {
    /// Cannot be anything but a string.
    None,
    /// Sign: number or string.
    Sign,
    /// Digit: number, timestamp or string.
    Digit,
    /// Only the fixed words (booleans, null) apply.
    Word,
    /// `.5`, `.inf`, `.nan`.
    Dot,
}

fn hint(text: &str) -> Hint {
    match text.as_bytes().first() {
        // The empty scalar is null.
        None => Hint::Word,
        Some(b'+' | b'-') => Hint::Sign,
        Some(b'0'..=b'9') => Hint::Digit,
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Hint::Word
        }
        Some(b'.') => Hint::Dot,
        Some(_) => Hint::None,
    }
}

fn word(text: &str) -> Option<Resolved> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Resolved::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_untagged(text: &str, timestamps: bool) -> Resolved {
    let h = hint(text);
    if h == Hint::None {
        return Resolved::Str;
    }
    if let Some(r) = word(text) {
        return r;
    }
    match h {
        Hint::Dot => {
            if let Some(f) = parse_dot_float(text) {
                return Resolved::Float(f);
            }
        }
        Hint::Digit | Hint::Sign => {
            if timestamps && h == Hint::Digit && is_timestamp(text) {
                return Resolved::Timestamp;
            }
            // go-yaml strips every underscore before handing the text to strconv.
            let stripped;
            let plain = if text.contains('_') {
                stripped = text.replace('_', "");
                stripped.as_str()
            } else {
                text
            };
            if let Some(i) = parse_int(plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = parse_uint(plain) {
                return Resolved::Uint(u);
            }
            if is_yaml_style_float(plain)
                && let Ok(f) = plain.parse::<f64>()
                // Go reports a range error for overflow, and go-yaml then keeps a string.
                && f.is_finite()
            {
                return Resolved::Float(f);
            }
        }
        Hint::Word | Hint::None => {}
    }
    Resolved::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` on text without underscores: `0x`, `0o`, `0b`
/// prefixes and a bare leading `0` for octal; no sign.
fn parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(u8::to_ascii_lowercase) {
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' => u64::from(c - b'a') + 10,
            b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    Some(n)
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` on a text starting with `.` (`.5`, `.5e3`, `.5_5`).
fn parse_dot_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Underscores are allowed only between digits.
    let mut clean = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let between =
                i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !between {
                return None;
            }
        } else {
            clean.push(c as char);
        }
    }
    let cb = clean.as_bytes();
    let mut i = 1;
    while i < cb.len() && cb[i].is_ascii_digit() {
        i += 1;
    }
    if i == 1 {
        return None;
    }
    if i < cb.len() {
        if !matches!(cb[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        if matches!(cb.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < cb.len() && cb[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i != cb.len() {
            return None;
        }
    }
    clean.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// go-yaml v2's `parseTimestamp`: the layouts `2006-1-2T15:4:5.999999999Z07:00` (also with
/// `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`, with Go's range checks.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year = b[..4]
        .iter()
        .fold(0u32, |y, &d| y * 10 + u32::from(d - b'0'));
    let mut i = 5;
    let Some(month) = num12(b, &mut i) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num12(b, &mut i) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let (Some(h), true, Some(m), true, Some(sec)) = (
        num12(b, &mut i),
        eat(b, &mut i, b':'),
        num12(b, &mut i),
        eat(b, &mut i, b':'),
        num12(b, &mut i),
    ) else {
        return false;
    };
    if h >= 24 || m >= 60 || sec >= 60 {
        return false;
    }
    // Optional fraction: any number of digits after `.` or `,`.
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let rest = &b[i + 1..];
            rest.len() == 5
                && rest[2] == b':'
                && rest[..2].iter().chain(&rest[3..]).all(u8::is_ascii_digit)
                && (rest[0] - b'0') * 10 + (rest[1] - b'0') <= 24
                && (rest[3] - b'0') * 10 + (rest[4] - b'0') < 60
        }
        _ => false,
    }
}

/// One or two digits, as Go's `getnum(value, false)` reads `1`, `2`, `15`, `4`, `5`.
fn num12(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut n = u32::from(d0 - b'0');
    if let Some(&d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        *i += 1;
        n = n * 10 + u32::from(d1 - b'0');
    }
    Some(n)
}

fn eat(b: &[u8], i: &mut usize, c: u8) -> bool {
    if b.get(*i) == Some(&c) {
        *i += 1;
        true
    } else {
        false
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The JSON object key a YAML key scalar becomes in sigs.k8s.io/yaml's YAMLToJSON
/// (`y` -> `true`, `0755` -> `493`, `1.0` -> `1`). A null key becomes `null`.
pub fn json_key(text: &str, kind: &ScalarKind) -> String {
    match kind {
        ScalarKind::Null => "null".to_string(),
        ScalarKind::Bool(b) => b.to_string(),
        ScalarKind::Int(i) => i.to_string(),
        ScalarKind::Float(f) => {
            // Integers beyond i64 are kept as floats; their key is still the integer.
            let plain = text.replace('_', "");
            match parse_uint(&plain) {
                Some(u) if *f >= 0.0 => u.to_string(),
                _ => go_format_float32(*f),
            }
        }
        ScalarKind::Timestamp | ScalarKind::Str => text.to_string(),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's spellings of the specials,
/// which is how YAMLToJSON turns a float key into a string.
fn go_format_float32(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let x = f as f32;
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let neg = x.is_sign_negative();
    if x == 0.0 {
        return if neg { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` prints the shortest digits that round-trip, as Go's `-1` precision does.
    let e = format!("{:e}", x.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let nd = digits.len() as i32;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else {
        let dp = exp + 1;
        if dp <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-dp) as usize));
            out.push_str(&digits);
        } else if dp >= nd {
            out.push_str(&digits);
            out.push_str(&"0".repeat((dp - nd) as usize));
        } else {
            out.push_str(&digits[..dp as usize]);
            out.push('.');
            out.push_str(&digits[dp as usize..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> ScalarKind {
        resolve_plain(s)
    }

    #[test]
    fn yaml_1_1_booleans() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(plain(t), ScalarKind::Bool(true), "{t}");
        }
        for f in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(plain(f), ScalarKind::Bool(false), "{f}");
        }
        for s in ["yES", "tRUE", "oN", "nO", "yep", "T", "F", "enabled"] {
            assert_eq!(plain(s), ScalarKind::Str, "{s}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(n), ScalarKind::Null, "{n:?}");
        }
        assert_eq!(plain("nULL"), ScalarKind::Str);
        assert_eq!(plain("none"), ScalarKind::Str);
    }

    #[test]
    fn integers_like_go_parse_int_base_0() {
        let cases = [
            ("0", 0),
            ("42", 42),
            ("-42", -42),
            ("+42", 42),
            ("0755", 493),
            ("0o755", 493),
            ("0O755", 493),
            ("0x1F", 31),
            ("0X1f", 31),
            ("-0x1F", -31),
            ("0b101", 5),
            ("-0b101", -5),
            ("1_000", 1000),
            ("1__0", 10),
            ("1_", 1),
            ("00", 0),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (t, want) in cases {
            assert_eq!(plain(t), ScalarKind::Int(want), "{t}");
        }
    }

    #[test]
    fn numbers_that_are_not_integers() {
        // Invalid octal falls through to the float rule, like go-yaml.
        assert_eq!(plain("08"), ScalarKind::Float(8.0));
        assert_eq!(plain("0x"), ScalarKind::Str);
        assert_eq!(plain("0x1G"), ScalarKind::Str);
        assert_eq!(plain("0b"), ScalarKind::Str);
        assert_eq!(plain("+-1"), ScalarKind::Str);
        assert_eq!(plain("1.2.3"), ScalarKind::Str);
        assert_eq!(plain("10Gi"), ScalarKind::Str);
        assert_eq!(plain("500m"), ScalarKind::Str);
        assert_eq!(plain("_1"), ScalarKind::Str);
        assert_eq!(plain("1:30"), ScalarKind::Str);
        // Beyond i64, ParseUint still succeeds.
        assert_eq!(
            plain("18446744073709551615"),
            ScalarKind::Float(18446744073709551615.0)
        );
        // Overflowing every parser and the float range: a string.
        assert_eq!(plain("1e400"), ScalarKind::Str);
    }

    #[test]
    fn floats() {
        let cases = [
            ("1.5", 1.5),
            ("-1.5", -1.5),
            ("+1.5", 1.5),
            ("1.", 1.0),
            (".5", 0.5),
            ("-.5", -0.5),
            ("1e3", 1000.0),
            ("1E3", 1000.0),
            ("1e-3", 0.001),
            ("1.5e+3", 1500.0),
            ("1_000.5", 1000.5),
            (".5_5", 0.55),
            ("9223372036854775808e0", 9.223372036854776e18),
        ];
        for (t, want) in cases {
            assert_eq!(plain(t), ScalarKind::Float(want), "{t}");
        }
        assert_eq!(plain(".inf"), ScalarKind::Float(f64::INFINITY));
        assert_eq!(plain(".Inf"), ScalarKind::Float(f64::INFINITY));
        assert_eq!(plain("+.INF"), ScalarKind::Float(f64::INFINITY));
        assert_eq!(plain("-.Inf"), ScalarKind::Float(f64::NEG_INFINITY));
        assert!(matches!(plain(".nan"), ScalarKind::Float(f) if f.is_nan()));
        assert!(matches!(plain(".NaN"), ScalarKind::Float(f) if f.is_nan()));
        for s in [".", ".e3", ".5e", "inf", "nan", ".iNf", "1e", "e3", "1.5f"] {
            assert_eq!(plain(s), ScalarKind::Str, "{s}");
        }
    }

    #[test]
    fn timestamps() {
        for t in [
            "2024-01-02",
            "2024-1-2",
            "2024-02-29",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14T21:59:43Z",
            "2001-12-14T21:59:43.123456789+01:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14 2:9:4",
        ] {
            assert_eq!(plain(t), ScalarKind::Timestamp, "{t}");
        }
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "24-01-01",
            "20240-01-01",
            "2024-01-01T10:00:00",
            "2001-12-14 21:59:43 -5",
            "2001-12-14T25:00:00Z",
            "2024-01-01x",
            "2024-01-01T10:00:00+0100",
        ] {
            assert_ne!(plain(s), ScalarKind::Timestamp, "{s}");
        }
        // Only plain scalars are timestamps.
        assert_eq!(
            resolve("2024-01-02", ScalarStyle::DoubleQuoted, None),
            Ok(ScalarKind::Str)
        );
    }

    #[test]
    fn plain_strings() {
        for s in [
            "nginx",
            "nginx:1.25",
            "<<",
            "=",
            "@x",
            "Always",
            "RuntimeDefault",
            "-",
            "+",
            "0.0.0.0",
        ] {
            assert_eq!(plain(s), ScalarKind::Str, "{s}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        for style in [
            ScalarStyle::SingleQuoted,
            ScalarStyle::DoubleQuoted,
            ScalarStyle::Literal,
            ScalarStyle::Folded,
        ] {
            for t in ["true", "yes", "0755", "1.5", "null", "", "~"] {
                assert_eq!(
                    resolve(t, style, None),
                    Ok(ScalarKind::Str),
                    "{t} {style:?}"
                );
            }
        }
    }

    #[test]
    fn explicit_tags_override() {
        use ScalarStyle::*;
        assert_eq!(resolve("true", Plain, Some(Tag::Str)), Ok(ScalarKind::Str));
        assert_eq!(resolve("0755", Plain, Some(Tag::Str)), Ok(ScalarKind::Str));
        assert_eq!(
            resolve("42", DoubleQuoted, Some(Tag::Int)),
            Ok(ScalarKind::Int(42))
        );
        assert_eq!(
            resolve("0x1F", SingleQuoted, Some(Tag::Int)),
            Ok(ScalarKind::Int(31))
        );
        assert_eq!(
            resolve("yes", DoubleQuoted, Some(Tag::Bool)),
            Ok(ScalarKind::Bool(true))
        );
        assert_eq!(resolve("", Plain, Some(Tag::Null)), Ok(ScalarKind::Null));
        assert_eq!(resolve("~", Plain, Some(Tag::Null)), Ok(ScalarKind::Null));
        assert_eq!(
            resolve("1", Plain, Some(Tag::Float)),
            Ok(ScalarKind::Float(1.0))
        );
        assert_eq!(
            resolve("2.5", Literal, Some(Tag::Float)),
            Ok(ScalarKind::Float(2.5))
        );
        assert_eq!(
            resolve("2024-01-01", Plain, Some(Tag::Timestamp)),
            Ok(ScalarKind::Timestamp)
        );
        // Non-core tags keep the text as a string.
        assert_eq!(
            resolve("true", Plain, Some(Tag::Other)),
            Ok(ScalarKind::Str)
        );
        // A tag that cannot hold the value is an error, as in go-yaml.
        assert_eq!(
            resolve("abc", Plain, Some(Tag::Int)),
            Err("cannot decode !!str `abc` as a !!int".to_string())
        );
        assert!(resolve("1.5", Plain, Some(Tag::Int)).is_err());
        assert!(resolve("x", Plain, Some(Tag::Null)).is_err());
        assert!(resolve("1", Plain, Some(Tag::Bool)).is_err());
        // An int-tagged timestamp-looking value is not a timestamp.
        assert!(resolve("2024-01-01", Plain, Some(Tag::Int)).is_err());
    }

    #[test]
    fn tags_from_saphyr_parts() {
        assert_eq!(Tag::from_parts("tag:yaml.org,2002:", "int"), Tag::Int);
        assert_eq!(Tag::from_parts("tag:yaml.org,2002:", "str"), Tag::Str);
        assert_eq!(Tag::from_parts("!!", "bool"), Tag::Bool);
        assert_eq!(Tag::from_parts("", "tag:yaml.org,2002:null"), Tag::Null);
        assert_eq!(Tag::from_parts("tag:yaml.org,2002:", "binary"), Tag::Other);
        assert_eq!(Tag::from_parts("!", "custom"), Tag::Other);
        assert_eq!(Tag::from_parts("tag:yaml.org,2002:", "merge"), Tag::Merge);
    }

    #[test]
    fn json_keys_follow_yaml_to_json() {
        let k = |t: &str| json_key(t, &plain(t));
        assert_eq!(k("y"), "true");
        assert_eq!(k("no"), "false");
        assert_eq!(k("0755"), "493");
        assert_eq!(k("0x1F"), "31");
        assert_eq!(k("1_000"), "1000");
        assert_eq!(k("null"), "null");
        assert_eq!(k("~"), "null");
        assert_eq!(k(""), "null");
        assert_eq!(k("name"), "name");
        assert_eq!(k("2024-01-01"), "2024-01-01");
        assert_eq!(k("1.5"), "1.5");
        assert_eq!(k("1.0"), "1");
        assert_eq!(k("1e3"), "1000");
        assert_eq!(k("1e6"), "1e+06");
        assert_eq!(k("123456789.0"), "1.2345679e+08");
        assert_eq!(k("0.0001"), "0.0001");
        assert_eq!(k("0.00001"), "1e-05");
        assert_eq!(k("0.1"), "0.1");
        assert_eq!(k("-2.5"), "-2.5");
        assert_eq!(k(".inf"), ".inf");
        assert_eq!(k("-.inf"), "-.inf");
        assert_eq!(k(".nan"), ".nan");
        assert_eq!(k("18446744073709551615"), "18446744073709551615");
        assert_eq!(json_key("yes", &ScalarKind::Str), "yes");
    }
}
