//! Go's `time.Duration` text: `String` (`1h2m3.5s`, `1.5ms`, `0s`) and `ParseDuration`.

/// `Duration.String`.
pub fn format(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        if u == 0 {
            return "0s".into();
        }
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let (frac, int) = frac_part(u, prec);
        out = format!("{int}{frac}{unit}");
    } else {
        let (frac, secs) = frac_part(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        out.push_str(&format!("{s}{frac}s"));
        if u > 0 {
            let m = u % 60;
            u /= 60;
            out = format!("{m}m{out}");
            if u > 0 {
                out = format!("{u}h{out}");
            }
        }
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Go's `fmtFrac`: the fraction `v % 10^prec` without trailing zeros (and without the
/// point when zero), and `v / 10^prec`.
fn frac_part(v: u64, prec: u32) -> (String, u64) {
    let p = 10u64.pow(prec);
    let frac = v % p;
    if frac == 0 {
        return (String::new(), v / p);
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (format!(".{}", digits.trim_end_matches('0')), v / p)
}

/// `time.ParseDuration`.
pub fn parse(s: &str) -> Result<i64, String> {
    let quoted = kspm_gotmpl::strconv::quote(s);
    let invalid = || format!("time: invalid duration {quoted}");
    let mut rest = s;
    let mut neg = false;
    if let Some(c) = rest.chars().next()
        && (c == '-' || c == '+')
    {
        neg = c == '-';
        rest = &rest[1..];
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let b = rest.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_end = b
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(b.len());
        let int_part = &rest[..int_end];
        let mut v: u64 = 0;
        for c in int_part.bytes() {
            v = v
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(c - b'0')))
                .ok_or_else(invalid)?;
        }
        rest = &rest[int_end..];
        let mut frac: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut had_frac_digits = false;
        if rest.starts_with('.') {
            rest = &rest[1..];
            let fb = rest.as_bytes();
            let end = fb
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(fb.len());
            for c in rest[..end].bytes() {
                if frac < (1u64 << 62) / 10 {
                    frac = frac * 10 + u64::from(c - b'0');
                    scale *= 10.0;
                }
                had_frac_digits = true;
            }
            rest = &rest[end..];
        }
        if int_part.is_empty() && !had_frac_digits {
            return Err(invalid());
        }
        let ub = rest.as_bytes();
        let uend = ub
            .iter()
            .position(|c| *c == b'.' || c.is_ascii_digit())
            .unwrap_or(ub.len());
        let unit = &rest[..uend];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {quoted}"));
        }
        let mult: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {quoted}",
                    kspm_gotmpl::strconv::quote(unit)
                ));
            }
        };
        rest = &rest[uend..];
        let mut part = v.checked_mul(mult).ok_or_else(invalid)?;
        if frac > 0 {
            part = part
                .checked_add((frac as f64 * (mult as f64 / scale)) as u64)
                .ok_or_else(invalid)?;
        }
        total = total.checked_add(part).ok_or_else(invalid)?;
        if total > 1u64 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    if total > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(total as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(format(93784 * 1_000_000_000), "26h3m4s");
        assert_eq!(format(60_000_000_000), "1m0s");
        assert_eq!(format(1_500_000), "1.5ms");
        assert_eq!(format(-2_000), "-2µs");
        assert_eq!(format(0), "0s");
        assert_eq!(parse("1h30m").unwrap(), 5_400_000_000_000);
        assert_eq!(parse("-1.5h").unwrap(), -5_400_000_000_000);
        assert_eq!(
            parse("2400h5s").unwrap(),
            2400 * 3_600_000_000_000 + 5_000_000_000
        );
        assert!(parse("1").is_err());
        assert!(parse("abc").is_err());
    }
}
