//! `b64enc`/`b64dec`/`b32enc`/`b32dec` with Go's standard (padded) alphabets; a decoding
//! error returns Go's error text instead of the data, as Sprig does.

use kspm_gotmpl::{FuncMap, Param};

use crate::util::{reg, s, string};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn register(m: &mut FuncMap) {
    reg(m, "b64enc", vec![Param::String], |a| {
        Ok(string(b64_encode(s(&a, 0).as_bytes())))
    });
    reg(m, "b64dec", vec![Param::String], |a| {
        Ok(string(match b64_decode(s(&a, 0).as_bytes()) {
            Ok(d) => String::from_utf8_lossy(&d).into_owned(),
            Err(at) => format!("illegal base64 data at input byte {at}"),
        }))
    });
    reg(m, "b32enc", vec![Param::String], |a| {
        Ok(string(b32_encode(s(&a, 0).as_bytes())))
    });
    reg(m, "b32dec", vec![Param::String], |a| {
        Ok(string(match b32_decode(s(&a, 0).as_bytes()) {
            Ok(d) => String::from_utf8_lossy(&d).into_owned(),
            Err(at) => format!("illegal base32 data at input byte {at}"),
        }))
    });
}

pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Go's `base64.StdEncoding.DecodeString`; `Err` holds the offending input offset.
pub fn b64_decode(s: &[u8]) -> Result<Vec<u8>, usize> {
    let val = |c: u8| B64.iter().position(|x| *x == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut q = [0u32; 4];
        let mut j = 0;
        while j < 4 {
            if si == s.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = s[si];
            si += 1;
            if is_newline(c) {
                continue;
            }
            if let Some(v) = val(c) {
                q[j] = v;
                j += 1;
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < s.len() && is_newline(s[si]) {
                        si += 1;
                    }
                    if si == s.len() {
                        return Err(s.len());
                    }
                    if s[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < s.len() && is_newline(s[si]) {
                si += 1;
            }
            if si < s.len() {
                return Err(si);
            }
            let v = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
            out.push((v >> 16) as u8);
            if j == 3 {
                out.push((v >> 8) as u8);
            }
            return Ok(out);
        }
        let v = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
        out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
}

pub fn b32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut b = [0u8; 5];
        b[..chunk.len()].copy_from_slice(chunk);
        let v = b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(char::from(B32[((v >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines removed first).
pub fn b32_decode(s: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = s.iter().copied().filter(|c| !is_newline(*c)).collect();
    let olen = src.len();
    let val = |c: u8| B32.iter().position(|x| *x == c).map(|p| p as u64);
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < olen {
        let mut q = [0u64; 8];
        let mut dlen = 8;
        let mut end = false;
        let mut j = 0;
        while j < 8 {
            if pos == olen {
                return Err(olen - j);
            }
            let c = src[pos];
            pos += 1;
            let left = olen - pos;
            if c == b'=' && j >= 2 && left < 8 {
                if left + j < 7 {
                    return Err(olen);
                }
                for k in 0..(7 - j) {
                    if left > k && src[pos + k] != b'=' {
                        return Err(pos + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(pos - 1);
                }
                break;
            }
            match val(c) {
                Some(v) => q[j] = v,
                None => return Err(pos - 1),
            }
            j += 1;
        }
        let v = q.iter().fold(0u64, |acc, x| (acc << 5) | x);
        let bytes = [
            (v >> 32) as u8,
            (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ];
        let n = match dlen {
            2 => 1,
            4 => 2,
            5 => 3,
            7 => 4,
            _ => 5,
        };
        out.extend_from_slice(&bytes[..n]);
        if end {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(b64_encode(b"coffee"), "Y29mZmVl");
        assert_eq!(b64_decode(b"Y29mZmVl").unwrap(), b"coffee");
        assert_eq!(b64_encode(b"ab"), "YWI=");
        assert_eq!(b64_decode(b"YWI=").unwrap(), b"ab");
        assert_eq!(b64_decode(b"YWI"), Err(0));
        assert_eq!(b64_decode(b"Y!"), Err(1));
        assert_eq!(b32_encode(b"coffee"), "MNXWMZTFMU======");
        assert_eq!(b32_decode(b"MNXWMZTFMU======").unwrap(), b"coffee");
        assert!(b32_decode(b"MNXW!").is_err());
    }
}
