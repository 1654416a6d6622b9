//! Randomness: Sprig's random strings (goutils' crypto-random variants), `shuffle`,
//! `randInt`, `randBytes` and `uuidv4`, all from the operating system's generator.

use rand_core::{OsRng, RngCore};

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const ALPHA: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const NUMERIC: &str = "0123456789";
/// Printable ASCII, 32 to 126.
pub const ASCII: &str = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// A uniform integer in `[0, n)` (n > 0).
pub fn below(n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = OsRng.next_u64();
        if v < zone {
            return v % n;
        }
    }
}

/// `count` characters drawn from `set`; a negative count gives "" (goutils' error,
/// which Sprig drops).
pub fn string_from(set: &str, count: i64) -> Result<String, String> {
    if count <= 0 {
        return Ok(String::new());
    }
    let chars: Vec<char> = set.chars().collect();
    Ok((0..count)
        .map(|_| chars[below(chars.len() as u64) as usize])
        .collect())
}

/// xstrings `Shuffle`: the runes in random order.
pub fn shuffle(s: &str) -> String {
    let mut runes: Vec<char> = s.chars().collect();
    for i in (1..runes.len()).rev() {
        let j = below(i as u64 + 1) as usize;
        runes.swap(i, j);
    }
    runes.into_iter().collect()
}

pub fn bytes(count: usize) -> Vec<u8> {
    let mut buf = vec![0u8; count];
    OsRng.fill_bytes(&mut buf);
    buf
}

/// A random (version 4) UUID in its canonical form.
pub fn uuidv4() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
