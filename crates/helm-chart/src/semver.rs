//! Semantic versions and version constraints with the rules of the Masterminds semver v3
//! library Helm uses: loose versions (`v1`, `1.2`), wildcards (`1.2.x`, `*`), `~` and `^`
//! ranges, hyphen ranges, `,`/space for AND and `||` for OR, and pre-release versions only
//! matching constraints that name a pre-release themselves.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub build: String,
}

fn valid_idents(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn split_suffixes(s: &str) -> Option<(&str, String, String)> {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => {
            if !valid_idents(b) {
                return None;
            }
            (r, b.to_string())
        }
        None => (s, String::new()),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => {
            if !valid_idents(p) {
                return None;
            }
            (c, p.to_string())
        }
        None => (rest, String::new()),
    };
    Some((core, pre, build))
}

impl Version {
    /// A loose semantic version (`NewVersion`): an optional `v`, one to three numbers,
    /// then an optional pre-release and build metadata.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let (core, pre, build) = split_suffixes(s)?;
        let mut nums = [0u64; 3];
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            nums[i] = p.parse().ok()?;
        }
        Some(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre,
            build,
        })
    }

    fn cmp_pre(a: &str, b: &str) -> Ordering {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            _ => {}
        }
        let mut ai = a.split('.');
        let mut bi = b.split('.');
        loop {
            match (ai.next(), bi.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(x), Some(y)) => {
                    let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                        (Ok(n), Ok(m)) => n.cmp(&m),
                        (Ok(_), Err(_)) => Ordering::Less,
                        (Err(_), Ok(_)) => Ordering::Greater,
                        (Err(_), Err(_)) => x.cmp(y),
                    };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
            }
        }
    }

    /// Precedence order (build metadata ignored).
    pub fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| Version::cmp_pre(&self.pre, &other.pre))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Clone, Debug)]
struct Single {
    op: Op,
    con: Version,
    /// Some part is a wildcard or missing.
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_wild(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

impl Single {
    fn parse(op: Op, text: &str) -> Option<Single> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (core, pre, build) = split_suffixes(text)?;
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        for p in &parts {
            if p.is_empty() || !(is_wild(p) || p.bytes().all(|b| b.is_ascii_digit())) {
                return None;
            }
        }
        let num = |i: usize| -> Option<u64> { parts.get(i).and_then(|p| p.parse().ok()) };
        let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
        let con = if is_wild(parts[0]) {
            dirty = true;
            Version {
                major: 0,
                minor: 0,
                patch: 0,
                pre,
                build,
            }
        } else if parts.len() < 2 || is_wild(parts[1]) {
            dirty = true;
            minor_dirty = true;
            Version {
                major: num(0)?,
                minor: 0,
                patch: 0,
                pre,
                build,
            }
        } else if parts.len() < 3 || is_wild(parts[2]) {
            dirty = true;
            patch_dirty = true;
            Version {
                major: num(0)?,
                minor: num(1)?,
                patch: 0,
                pre,
                build,
            }
        } else {
            Version {
                major: num(0)?,
                minor: num(1)?,
                patch: num(2)?,
                pre,
                build,
            }
        };
        Some(Single {
            op,
            con,
            dirty,
            minor_dirty,
            patch_dirty,
        })
    }

    fn check(&self, v: &Version) -> bool {
        let c = &self.con;
        // A pre-release version only satisfies constraints that mention a pre-release.
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        let cmp = v.compare(c);
        match self.op {
            Op::Eq => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    cmp == Ordering::Equal
                }
            }
            Op::Ne => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if self.minor_dirty {
                        return false;
                    }
                    if c.minor != v.minor {
                        return true;
                    }
                    if self.patch_dirty {
                        return false;
                    }
                }
                cmp != Ordering::Equal
            }
            Op::Gt => {
                if !self.dirty {
                    return cmp == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                cmp == Ordering::Greater
            }
            Op::Lt => cmp == Ordering::Less,
            Op::Ge => cmp != Ordering::Less,
            Op::Le => {
                if !self.dirty {
                    return cmp != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
                if cmp == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                v.patch == c.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        if v.minor != c.minor && !self.minor_dirty {
            return false;
        }
        true
    }
}

/// A parsed constraint: alternatives (`||`), each a conjunction.
#[derive(Clone, Debug)]
pub struct Constraint {
    any_of: Vec<Vec<Single>>,
}

fn split_op(tok: &str) -> (Option<Op>, &str) {
    for (p, op) in [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("!=", Op::Ne),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ] {
        if let Some(rest) = tok.strip_prefix(p) {
            return (Some(op), rest);
        }
    }
    (None, tok)
}

impl Constraint {
    pub fn parse(s: &str) -> Option<Constraint> {
        let mut any_of = Vec::new();
        for group in s.split("||") {
            let words: Vec<&str> = group
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            if words.is_empty() {
                return None;
            }
            let mut all = Vec::new();
            let mut i = 0;
            while i < words.len() {
                // Hyphen range `A - B`: >= A, <= B.
                if words.get(i + 1) == Some(&"-") {
                    let lo = Single::parse(Op::Ge, words[i])?;
                    let hi = Single::parse(Op::Le, words.get(i + 2)?)?;
                    all.push(lo);
                    all.push(hi);
                    i += 3;
                    continue;
                }
                let (op, rest) = split_op(words[i]);
                let (op, text) = match (op, rest.is_empty()) {
                    // An operator separated from its version by spaces.
                    (Some(op), true) => {
                        i += 1;
                        (op, *words.get(i)?)
                    }
                    (Some(op), false) => (op, rest),
                    (None, _) => (Op::Eq, rest),
                };
                all.push(Single::parse(op, text)?);
                i += 1;
            }
            any_of.push(all);
        }
        Some(Constraint { any_of })
    }

    pub fn check(&self, v: &Version) -> bool {
        self.any_of.iter().any(|all| all.iter().all(|c| c.check(v)))
    }
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraint::parse(constraint), Version::parse(version)) {
        (Some(c), Some(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let yes = [
            ("1.2.3", "1.2.3"),
            ("~1.2.3", "1.2.9"),
            ("^1.2.3", "1.9.0"),
            ("^0.2.3", "0.2.9"),
            ("1.x", "1.5.0"),
            ("1.2.x", "1.2.7"),
            ("*", "3.0.0"),
            (">= 1.2, < 2.0", "1.5.0"),
            (">=1.2 <2.0", "1.9.9"),
            ("1.0 - 2.0", "1.5.0"),
            ("<1 || >=3", "3.1.0"),
            (">=0.0.0-0", "1.0.0-rc.1"),
            ("0.0.0", "0.0.0"),
            ("2.x.x", "2.31.4"),
            ("~1", "1.9.0"),
        ];
        for (c, v) in yes {
            assert!(is_compatible_range(c, v), "{c} should match {v}");
        }
        let no = [
            ("1.2.3", "1.2.4"),
            ("~1.2.3", "1.3.0"),
            ("^1.2.3", "2.0.0"),
            ("^0.2.3", "0.3.0"),
            (">=1.0.0", "1.1.0-beta"),
            ("", "1.0.0"),
            ("1.x", "2.0.0"),
            ("> 1.2.x", "1.2.9"),
        ];
        for (c, v) in no {
            assert!(!is_compatible_range(c, v), "{c} should not match {v}");
        }
    }

    #[test]
    fn versions() {
        assert!(Version::parse("v1.2").is_some());
        assert!(Version::parse("1.2.3-alpha.1+meta").is_some());
        assert!(Version::parse("1.2.3.4").is_none());
        assert!(Version::parse("latest").is_none());
    }
}
