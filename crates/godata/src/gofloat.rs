//! Go's `strconv.FormatFloat` with precision -1 (shortest digits that round-trip), in the
//! `'e'`, `'f'` and `'g'` formats, for 32- and 64-bit floats. JSON, YAML and TOML encoders
//! all print floats through it.

/// Shortest decimal digits of `x` (no sign) and the position of the decimal point:
/// the value is `0.DIGITS * 10^dp`. Zero has no digits and `dp` 0, as in Go.
fn shortest(x: f64, bits32: bool) -> (String, i32) {
    let x = x.abs();
    if x == 0.0 {
        return (String::new(), 0);
    }
    // Rust's `{:e}` prints the shortest round-trip digits, as Go's shortest mode does.
    let s = if bits32 {
        format!("{:e}", x as f32)
    } else {
        format!("{x:e}")
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    (digits, exp + 1)
}

fn special(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x.is_infinite() {
        Some(if x > 0.0 { "+Inf" } else { "-Inf" })
    } else {
        None
    }
}

fn sign(x: f64) -> &'static str {
    if x.is_sign_negative() { "-" } else { "" }
}

fn fmt_e(neg: &str, digits: &str, dp: i32) -> String {
    let mut out = String::from(neg);
    let first = digits.chars().next().unwrap_or('0');
    out.push(first);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
    out
}

fn fmt_f(neg: &str, digits: &str, dp: i32) -> String {
    let mut out = String::from(neg);
    let nd = digits.len() as i32;
    if dp <= 0 {
        out.push('0');
        if nd > 0 {
            out.push('.');
            for _ in 0..(-dp) {
                out.push('0');
            }
            out.push_str(digits);
        }
    } else if dp >= nd {
        out.push_str(digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// `strconv.FormatFloat(x, fmt, -1, bits)` for `fmt` in `e`, `f`, `g`.
pub fn format(x: f64, fmt: char, bits32: bool) -> String {
    if let Some(s) = special(x) {
        return s.to_string();
    }
    let (digits, dp) = shortest(x, bits32);
    let neg = sign(x);
    match fmt {
        'e' => fmt_e(neg, &digits, dp),
        'f' => fmt_f(neg, &digits, dp),
        _ => {
            // Go decides with precision 6 when printing the shortest form.
            let exp = dp - 1;
            if !digits.is_empty() && !(-4..6).contains(&exp) {
                fmt_e(neg, &digits, dp)
            } else {
                fmt_f(neg, &digits, dp)
            }
        }
    }
}

/// `%g`-shortest, as YAML and `fmt` print floats.
pub fn format_g(x: f64, bits32: bool) -> String {
    format(x, 'g', bits32)
}

/// encoding/json's float text: `f` for 1e-6 <= |x| < 1e21, else `e` with a one-digit
/// negative exponent (`1e-7`, but `1e+21`). `None` for NaN and infinities.
pub fn format_json(x: f64, bits32: bool) -> Option<String> {
    if special(x).is_some() {
        return None;
    }
    let abs = x.abs();
    let use_e = abs != 0.0
        && if bits32 {
            let a = abs as f32;
            !(1e-6..1e21).contains(&a)
        } else {
            !(1e-6..1e21).contains(&abs)
        };
    if !use_e {
        return Some(format(x, 'f', bits32));
    }
    let mut s = format(x, 'e', bits32);
    let b = s.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
        s.remove(n - 2);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_like_go() {
        assert_eq!(format_g(1.0, false), "1");
        assert_eq!(format_g(0.0, false), "0");
        assert_eq!(format_g(-0.0, false), "-0");
        assert_eq!(format_g(1.5, false), "1.5");
        assert_eq!(format_g(1e6, false), "1e+06");
        assert_eq!(format_g(123456.7, false), "123456.7");
        assert_eq!(format_g(1234567.5, false), "1.2345675e+06");
        assert_eq!(format_g(0.0001, false), "0.0001");
        assert_eq!(format_g(0.00001, false), "1e-05");
        assert_eq!(format_g(1e21, false), "1e+21");
        assert_eq!(format_g(1e100, false), "1e+100");
        assert_eq!(format_g(0.1, true), "0.1");
        assert_eq!(format_g(f64::INFINITY, false), "+Inf");
        assert_eq!(format_g(f64::NAN, false), "NaN");
    }

    #[test]
    fn f_and_e_formats() {
        assert_eq!(format(100.0, 'f', false), "100");
        assert_eq!(format(1e20, 'f', false), "100000000000000000000");
        assert_eq!(format(0.000123, 'f', false), "0.000123");
        assert_eq!(format(1.5e-7, 'e', false), "1.5e-07");
        assert_eq!(format(0.0, 'e', false), "0e+00");
    }

    #[test]
    fn json_format_like_go() {
        assert_eq!(format_json(1e21, false).as_deref(), Some("1e+21"));
        assert_eq!(
            format_json(1e20, false).as_deref(),
            Some("100000000000000000000")
        );
        assert_eq!(format_json(1e-7, false).as_deref(), Some("1e-7"));
        assert_eq!(format_json(1.5e-7, false).as_deref(), Some("1.5e-7"));
        assert_eq!(format_json(0.000001, false).as_deref(), Some("0.000001"));
        assert_eq!(format_json(3.0, false).as_deref(), Some("3"));
        assert_eq!(format_json(-2.5, false).as_deref(), Some("-2.5"));
        assert_eq!(format_json(1e-100, false).as_deref(), Some("1e-100"));
        assert_eq!(format_json(f64::NAN, false), None);
    }
}
