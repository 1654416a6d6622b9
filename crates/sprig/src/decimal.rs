//! The arbitrary-precision decimal arithmetic Sprig's float functions go through
//! (shopspring/decimal): floats enter by their shortest decimal form, `+ - *` are exact,
//! division rounds half away from zero at 16 decimal places.

use num_bigint_dig::BigInt;

/// `mant × 10^exp`.
#[derive(Clone, Debug)]
pub struct Decimal {
    mant: BigInt,
    exp: i64,
}

fn pow10(k: u64) -> BigInt {
    let mut r = BigInt::from(1u32);
    let mut base = BigInt::from(10u32);
    let mut k = k;
    while k > 0 {
        if k & 1 == 1 {
            r *= &base;
        }
        base = &base * &base;
        k >>= 1;
    }
    r
}

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    pub fn from_f64(f: f64) -> Result<Decimal, String> {
        if f.is_nan() {
            return Err("Cannot create a Decimal from NaN".into());
        }
        if f.is_infinite() {
            return Err(format!(
                "Cannot create a Decimal from {}",
                if f > 0.0 { "+Inf" } else { "-Inf" }
            ));
        }
        let text = format!("{f:e}");
        let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
        let e: i64 = e.parse().unwrap_or(0);
        let (int, frac) = m.split_once('.').unwrap_or((m, ""));
        let digits = format!("{int}{frac}");
        let mant = BigInt::parse_bytes(digits.as_bytes(), 10).unwrap_or_default();
        Ok(Decimal {
            mant,
            exp: e - frac.len() as i64,
        })
    }

    fn aligned(&self, other: &Decimal) -> (BigInt, BigInt, i64) {
        let exp = self.exp.min(other.exp);
        let a = &self.mant * pow10((self.exp - exp) as u64);
        let b = &other.mant * pow10((other.exp - exp) as u64);
        (a, b, exp)
    }

    pub fn add(&self, other: &Decimal) -> Result<Decimal, String> {
        let (a, b, exp) = self.aligned(other);
        Ok(Decimal { mant: a + b, exp })
    }

    pub fn sub(&self, other: &Decimal) -> Result<Decimal, String> {
        let (a, b, exp) = self.aligned(other);
        Ok(Decimal { mant: a - b, exp })
    }

    pub fn mul(&self, other: &Decimal) -> Result<Decimal, String> {
        Ok(Decimal {
            mant: &self.mant * &other.mant,
            exp: self.exp + other.exp,
        })
    }

    /// `Div`: `DivRound(other, 16)`.
    pub fn div(&self, other: &Decimal) -> Result<Decimal, String> {
        let zero = BigInt::from(0u32);
        if other.mant == zero {
            return Err("decimal division by zero".into());
        }
        const PREC: i64 = 16;
        let k = self.exp - other.exp + PREC;
        let (num, den) = if k >= 0 {
            (&self.mant * pow10(k as u64), other.mant.clone())
        } else {
            (self.mant.clone(), &other.mant * pow10((-k) as u64))
        };
        let mut q = &num / &den;
        let r = &num % &den;
        let abs = |x: &BigInt| if *x < zero { -x.clone() } else { x.clone() };
        if abs(&r) * BigInt::from(2u32) >= abs(&den) {
            let negative = (num < zero) != (den < zero);
            q = if negative {
                q - BigInt::from(1u32)
            } else {
                q + BigInt::from(1u32)
            };
        }
        Ok(Decimal {
            mant: q,
            exp: -PREC,
        })
    }

    /// `Float64`: the nearest float64.
    pub fn to_f64(&self) -> f64 {
        format!("{}e{}", self.mant, self.exp).parse().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_float_math() {
        let d = |f| Decimal::from_f64(f).unwrap();
        assert_eq!(
            d(0.0)
                .add(&d(1.5))
                .unwrap()
                .add(&d(2.2))
                .unwrap()
                .add(&d(3.0))
                .unwrap()
                .to_f64(),
            6.7
        );
        assert_eq!(
            d(4.5).sub(&d(1.0)).unwrap().sub(&d(3.0)).unwrap().to_f64(),
            0.5
        );
        assert_eq!(d(0.1).add(&d(0.2)).unwrap().to_f64(), 0.3);
        assert_eq!(d(1.0).div(&d(3.0)).unwrap().to_f64(), 0.3333333333333333);
        assert_eq!(d(2.0).div(&d(3.0)).unwrap().to_f64(), 0.6666666666666667);
        assert!(d(1.0).div(&d(0.0)).is_err());
    }
}
