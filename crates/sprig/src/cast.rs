//! Conversions as Sprig does them: `strval` (its `toString`) and spf13/cast's `ToInt64`,
//! `ToInt` and `ToFloat64` (v1.7), whose errors Sprig drops (the result is then 0).

use kspm_gotmpl::Value;
use kspm_gotmpl::fmt::format_value;

/// Sprig's `strval`: strings and `[]byte` as they are, `error`s and `fmt.Stringer`s through
/// their method, everything else as `fmt`'s `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => format_value(other),
    }
}

/// Go's conversion of a float64 to int64: truncation; out of range (and NaN) gives the
/// amd64 "integer indefinite" value.
pub fn float_to_i64(f: f64) -> i64 {
    // 2^63 as f64: the first value out of range on either side.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToInt64E`.
pub fn to_int64_e(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i, _) => Ok(*i),
        Value::Uint(u, _) => Ok(*u as i64),
        Value::Float(f, _) => Ok(float_to_i64(*f)),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0).map_err(|_| cast_error(v, "int64")),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Nil | Value::Invalid => Ok(0),
        _ => Err(cast_error(v, "int64")),
    }
}

/// `cast.ToInt64` (errors give 0).
pub fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt` (64-bit `int`; errors give 0).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64E`.
pub fn to_float64_e(v: &Value) -> Result<f64, String> {
    match v {
        Value::Int(i, _) => Ok(*i as f64),
        Value::Uint(u, _) => Ok(*u as f64),
        Value::Float(f, kspm_gotmpl::FloatKind::Float32) => Ok(*f as f32 as f64),
        Value::Float(f, _) => Ok(*f),
        Value::String(s) => parse_float(s).map_err(|_| cast_error(v, "float64")),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Nil | Value::Invalid => Ok(0.0),
        _ => Err(cast_error(v, "float64")),
    }
}

/// `cast.ToFloat64` (errors give 0).
pub fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

fn cast_error(v: &Value, to: &str) -> String {
    format!(
        "unable to cast {} of type {} to {to}",
        kspm_gotmpl::fmt::sprintf("%#v", std::slice::from_ref(v)),
        v.type_name()
    )
}

/// cast's `trimZeroDecimal`: "12.000" → "12" (only zeros after the point).
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's `strconv.ParseInt(s, base, 64)`; base 0 reads a `0x`/`0o`/`0b`/`0` prefix and
/// allows underscores between digits.
pub fn parse_int(s: &str, base: u32) -> Result<i64, ()> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body, base)?;
    if neg {
        if u > (i64::MAX as u64) + 1 {
            return Err(());
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| ())
    }
}

/// Go's `strconv.ParseUint(s, base, 64)`.
pub fn parse_uint(s: &str, base: u32) -> Result<u64, ()> {
    if s.is_empty() {
        return Err(());
    }
    let base0 = base == 0;
    let (base, digits) = if base0 {
        let b = s.as_bytes();
        if b[0] == b'0' && b.len() >= 3 && matches!(b[1] | 0x20, b'x' | b'o' | b'b') {
            let base = match b[1] | 0x20 {
                b'x' => 16,
                b'o' => 8,
                _ => 2,
            };
            (base, &s[2..])
        } else if b[0] == b'0' {
            (8, &s[1..])
        } else {
            (10, s)
        }
    } else {
        (base, s)
    };
    if base0 && !underscore_ok(s) {
        return Err(());
    }
    let mut acc: u64 = 0;
    for c in digits.chars() {
        if c == '_' && base0 {
            continue;
        }
        let d = c.to_digit(36).ok_or(())?;
        if d >= base {
            return Err(());
        }
        acc = acc
            .checked_mul(u64::from(base))
            .and_then(|a| a.checked_add(u64::from(d)))
            .ok_or(())?;
    }
    Ok(acc)
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = b[i + 1] | 0x20 == b'x';
        i += 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal input (with `inf`/`nan` spellings and
/// digit-separating underscores); out of range is an error, as Go reports it.
pub fn parse_float(s: &str) -> Result<f64, ()> {
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() > 1 {
        return Err(());
    }
    if matches!(unsigned, "inf" | "infinity") {
        return Ok(if lower.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if unsigned == "nan" {
        return if lower == "nan" {
            Ok(f64::NAN)
        } else {
            Err(())
        };
    }
    if unsigned.starts_with("0x") {
        return parse_hex_float(&lower);
    }
    let cleaned: String = if s.contains('_') {
        if !underscore_ok(s) {
            return Err(());
        }
        s.chars().filter(|c| *c != '_').collect()
    } else {
        s.to_string()
    };
    if !cleaned
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return Err(());
    }
    let f: f64 = cleaned.parse().map_err(|_| ())?;
    if f.is_infinite() {
        return Err(());
    }
    Ok(f)
}

/// Hexadecimal floats (`0x1.8p3`), as Go's `ParseFloat` accepts them.
fn parse_hex_float(s: &str) -> Result<f64, ()> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let body = body.strip_prefix("0x").ok_or(())?.replace('_', "");
    let (mant, exp) = match body.split_once('p') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().map_err(|_| ())?),
        None => return Err(()),
    };
    let (ip, fp) = mant.split_once('.').unwrap_or((&mant, ""));
    if ip.is_empty() && fp.is_empty() {
        return Err(());
    }
    let mut v = 0f64;
    for c in ip.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16).ok_or(())?);
    }
    let mut scale = 1.0 / 16.0;
    for c in fp.chars() {
        v += f64::from(c.to_digit(16).ok_or(())?) * scale;
        scale /= 16.0;
    }
    let r = v * 2f64.powi(exp);
    if r.is_infinite() {
        return Err(());
    }
    Ok(if neg { -r } else { r })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_like_cast() {
        assert_eq!(to_int64(&Value::string("102")), 102);
        assert_eq!(to_int64(&Value::string("0x1F")), 31);
        assert_eq!(to_int64(&Value::string("012")), 10);
        assert_eq!(to_int64(&Value::string("12.000")), 12);
        assert_eq!(to_int64(&Value::string("12.5")), 0);
        assert_eq!(to_int64(&Value::string("1_000")), 1000);
        assert_eq!(to_int64(&Value::string("0")), 0);
        assert_eq!(to_int64(&Value::string("-7")), -7);
        assert_eq!(to_int64(&Value::float64(102.9)), 102);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
    }

    #[test]
    fn floats_like_cast() {
        assert_eq!(to_float64(&Value::string("frankie")), 0.0);
        assert_eq!(to_float64(&Value::string("123.9999")), 123.9999);
        assert_eq!(to_float64(&Value::string("1e400")), 0.0);
        assert_eq!(to_float64(&Value::string("0x1p3")), 8.0);
        assert_eq!(to_float64(&Value::int(3)), 3.0);
    }
}
