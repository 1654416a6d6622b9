//! Integer math (through cast's `ToInt64`), float math (through shopspring/decimal),
//! conversions and sequences.

use kspm_gotmpl::fmt::format_value;
use kspm_gotmpl::{FuncMap, Param, Value};

use crate::cast::{parse_int, to_float64, to_int, to_int64};
use crate::decimal::Decimal;
use crate::util::{Ret, arg, ints, n, reg, reg_var, s, string};

pub fn register(m: &mut FuncMap) {
    use Param::{Any, Float64, Int, String as Str};
    let i64v = Value::int64;
    reg(m, "add1", vec![Any], move |a| {
        Ok(i64v(to_int64(&a[0]).wrapping_add(1)))
    });
    reg_var(m, "add", vec![], Any, move |a| {
        Ok(i64v(
            a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
        ))
    });
    reg(m, "sub", vec![Any, Any], move |a| {
        Ok(i64v(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    reg(m, "div", vec![Any, Any], move |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(i64v(to_int64(&a[0]).wrapping_div(d)))
    });
    reg(m, "mod", vec![Any, Any], move |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(i64v(to_int64(&a[0]).wrapping_rem(d)))
    });
    reg_var(m, "mul", vec![Any], Any, move |a| {
        Ok(i64v(a[1..].iter().fold(to_int64(&a[0]), |acc, v| {
            acc.wrapping_mul(to_int64(v))
        })))
    });
    reg(m, "randInt", vec![Int, Int], |a| {
        let (lo, hi) = (n(&a, 0), n(&a, 1));
        let span = hi.wrapping_sub(lo);
        if span <= 0 {
            return Err("invalid argument to Intn".into());
        }
        Ok(Value::int(crate::random::below(span as u64) as i64 + lo))
    });
    reg(m, "add1f", vec![Any], |a| {
        decimal_op(&a[0], &[Value::int(1)], Decimal::add)
    });
    reg_var(m, "addf", vec![], Any, |a| {
        decimal_op(&Value::float64(0.0), &a, Decimal::add)
    });
    reg_var(m, "subf", vec![Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Decimal::sub)
    });
    reg_var(m, "mulf", vec![Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Decimal::mul)
    });
    reg_var(m, "divf", vec![Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Decimal::div)
    });
    for name in ["biggest", "max"] {
        reg_var(m, name, vec![Any], Any, move |a| {
            Ok(i64v(
                a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::max),
            ))
        });
    }
    reg_var(m, "min", vec![Any], Any, move |a| {
        Ok(i64v(
            a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::min),
        ))
    });
    reg_var(m, "maxf", vec![Any], Any, |a| {
        Ok(Value::float64(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), go_max),
        ))
    });
    reg_var(m, "minf", vec![Any], Any, |a| {
        Ok(Value::float64(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), go_min),
        ))
    });
    reg(m, "floor", vec![Any], |a| {
        Ok(Value::float64(to_float64(&a[0]).floor()))
    });
    reg(m, "ceil", vec![Any], |a| {
        Ok(Value::float64(to_float64(&a[0]).ceil()))
    });
    reg_var(m, "round", vec![Any, Int], Float64, |a| {
        let on = match a.get(2) {
            Some(Value::Float(f, _)) => *f,
            _ => 0.5,
        };
        Ok(Value::float64(round(to_float64(&a[0]), n(&a, 1), on)))
    });
    reg(m, "int64", vec![Any], move |a| {
        Ok(i64v(to_int64(&arg(&a, 0))))
    });
    reg(m, "int", vec![Any], |a| Ok(Value::int(to_int(&arg(&a, 0)))));
    reg(m, "float64", vec![Any], |a| {
        Ok(Value::float64(to_float64(&arg(&a, 0))))
    });
    reg(m, "atoi", vec![Str], |a| Ok(Value::int(atoi(s(&a, 0)))));
    reg(m, "toDecimal", vec![Any], move |a| {
        let text = format_value(&arg(&a, 0));
        Ok(i64v(parse_int(&text, 8).unwrap_or(0)))
    });
    reg_var(m, "seq", vec![], Int, |a| {
        Ok(string(seq(&a
            .iter()
            .map(|v| n(std::slice::from_ref(v), 0))
            .collect::<Vec<_>>())))
    });
    reg(m, "until", vec![Int], |a| {
        let count = n(&a, 0);
        Ok(ints(until_step(0, count, if count < 0 { -1 } else { 1 })))
    });
    reg(m, "untilStep", vec![Int, Int, Int], |a| {
        Ok(ints(until_step(n(&a, 0), n(&a, 1), n(&a, 2))))
    });
}

/// Go's `math.Max` (NaN wins; +0 beats -0).
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

/// `strconv.Atoi` with errors as 0.
fn atoi(s: &str) -> i64 {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    parse_int(s, 10).unwrap_or(0)
}

/// Sprig's `round`: to `places` decimals, rounding up when the fraction is `>= on`.
fn round(v: f64, places: i64, on: f64) -> f64 {
    let pow = 10f64.powf(places as f64);
    let digit = pow * v;
    let frac = digit - digit.trunc();
    let r = if frac >= on {
        digit.ceil()
    } else {
        digit.floor()
    };
    r / pow
}

pub fn until_step(start: i64, stop: i64, step: i64) -> Vec<i64> {
    let mut v = Vec::new();
    if stop < start {
        if step >= 0 {
            return v;
        }
        let mut i = start;
        while i > stop {
            v.push(i);
            i += step;
        }
        return v;
    }
    if step <= 0 {
        return v;
    }
    let mut i = start;
    while i < stop {
        v.push(i);
        i += step;
    }
    v
}

/// Sprig's `seq`: like the Unix command, `seq LAST`, `seq FIRST LAST`,
/// `seq FIRST STEP LAST`, space separated.
fn seq(p: &[i64]) -> String {
    let list = match p {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            until_step(1, end + inc, inc)
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(*start, end + step, step)
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if *step > 0 {
                    return String::new();
                }
            }
            until_step(*start, end + inc, *step)
        }
        _ => return String::new(),
    };
    list.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sprig's `execDecimalOp`: each operand through `ToFloat64` into an exact decimal, the
/// operation applied left to right, the result back to float64.
fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(&Decimal, &Decimal) -> Result<Decimal, String>,
) -> Ret {
    let mut acc = Decimal::from_f64(to_float64(first))?;
    for v in rest {
        acc = op(&acc, &Decimal::from_f64(to_float64(v))?)?;
    }
    Ok(Value::float64(acc.to_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqs() {
        assert_eq!(seq(&[3, 3, 2]), "");
        assert_eq!(seq(&[0, 4]), "0 1 2 3 4");
        assert_eq!(seq(&[0]), "1 0");
        assert_eq!(seq(&[1, 2, 10]), "1 3 5 7 9");
        assert_eq!(seq(&[-2]), "1 0 -1 -2");
    }

    #[test]
    fn rounding() {
        assert_eq!(round(123.500001, 0, 0.5), 124.0);
        assert_eq!(round(123.233, 2, 0.3), 123.24);
        assert_eq!(round(123.555555, 3, 0.5), 123.556);
    }
}
