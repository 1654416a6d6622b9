//! `semver.Version`: parsing (`NewVersion`), precedence, and the derived versions of the
//! `Inc*`/`Set*` methods.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn version_re() -> Result<&'static Regex, String> {
    static RE: OnceLock<Result<Regex, String>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
        )
        .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(Clone::clone)
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(v: &str) -> Result<Version, String> {
        let m = version_re()?
            .captures(v)
            .ok_or("Invalid Semantic Version")?;
        let seg = |i: usize| -> Result<u64, String> {
            match m.get(i) {
                None => Ok(0),
                Some(x) => x
                    .as_str()
                    .trim_start_matches('.')
                    .parse()
                    .map_err(|e| format!("Error parsing version segment: {e}")),
            }
        };
        let pre = m.get(5).map_or("", |x| x.as_str()).to_string();
        for part in pre.split('.').filter(|_| !pre.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|c| c.is_ascii_digit()) {
                return Err("Version segment starts with 0".into());
            }
        }
        Ok(Version {
            major: seg(1)?,
            minor: seg(2)?,
            patch: seg(3)?,
            pre,
            metadata: m.get(8).map_or("", |x| x.as_str()).to_string(),
            original: v.to_string(),
        })
    }

    pub fn major(&self) -> u64 {
        self.major
    }
    pub fn minor(&self) -> u64 {
        self.minor
    }
    pub fn patch(&self) -> u64 {
        self.patch
    }
    pub fn prerelease(&self) -> &str {
        &self.pre
    }
    pub fn metadata(&self) -> &str {
        &self.metadata
    }
    pub fn original(&self) -> &str {
        &self.original
    }

    /// `String()`: the normalised form, without the `v`.
    pub fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// Precedence (`Compare`); build metadata does not count.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &o.pre),
            })
    }

    pub fn inc_major(&self) -> Version {
        self.incremented(|v| (v.major, v.minor, v.patch) = (v.major + 1, 0, 0))
    }

    pub fn inc_minor(&self) -> Version {
        self.incremented(|v| (v.minor, v.patch) = (v.minor + 1, 0))
    }

    /// `IncPatch` keeps the patch of a prerelease or build (it drops them).
    pub fn inc_patch(&self) -> Version {
        let was_pre = !self.pre.is_empty() || !self.metadata.is_empty();
        self.incremented(|v| {
            if !was_pre {
                v.patch += 1;
            }
        })
    }

    pub fn set_prerelease(&self, pre: &str) -> Version {
        self.derived(|v| v.pre = pre.to_string())
    }

    pub fn set_metadata(&self, metadata: &str) -> Version {
        self.derived(|v| v.metadata = metadata.to_string())
    }

    /// `Inc*` drop the prerelease and metadata before bumping.
    fn incremented(&self, bump: impl FnOnce(&mut Version)) -> Version {
        self.derived(|v| {
            v.metadata.clear();
            v.pre.clear();
            bump(v);
        })
    }

    /// A derived version keeps the "v" the original text started with.
    fn derived(&self, change: impl FnOnce(&mut Version)) -> Version {
        let mut next = self.clone();
        change(&mut next);
        let v = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        next.original = format!("{v}{}", next.string());
        next
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.string())
    }
}

pub(crate) fn compare_pre(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let (x, y) = (
            ap.get(i).copied().unwrap_or(""),
            bp.get(i).copied().unwrap_or(""),
        );
        let d = compare_pre_part(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// Identifiers: numbers compare numerically and rank below alphanumerics; a missing
/// identifier ranks below a present one.
fn compare_pre_part(x: &str, y: &str) -> Ordering {
    if x == y {
        return Ordering::Equal;
    }
    if x.is_empty() {
        return Ordering::Less;
    }
    if y.is_empty() {
        return Ordering::Greater;
    }
    match (x.parse::<u64>(), y.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if x > y {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        assert_eq!(Version::parse("v1.2").unwrap().string(), "1.2.0");
        assert_eq!(Version::parse("v1.2").unwrap().original(), "v1.2");
        assert!(Version::parse("1.2.3-alpha.1+meta").is_ok());
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("latest").is_err());
        assert_eq!(
            Version::parse("1.0.0-01").unwrap_err(),
            "Version segment starts with 0"
        );
    }

    #[test]
    fn precedence() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(v("1.0.0-rc.1").compare(&v("1.0.0")), Ordering::Less);
        assert_eq!(v("1.0.0-rc.2").compare(&v("1.0.0-rc.10")), Ordering::Less);
        assert_eq!(v("1.0.0-1").compare(&v("1.0.0-a")), Ordering::Less);
        assert_eq!(v("1.0.0+b1").compare(&v("1.0.0+b2")), Ordering::Equal);
    }

    #[test]
    fn derived() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(v("1.2.3").inc_patch().string(), "1.2.4");
        assert_eq!(v("1.2.3-rc.1").inc_patch().string(), "1.2.3");
        assert_eq!(v("1.2.3+b5").inc_patch().string(), "1.2.3");
        assert_eq!(v("1.2.3-rc.1").inc_minor().string(), "1.3.0");
        assert_eq!(v("v1.2.3").inc_major().original(), "v2.0.0");
        assert_eq!(v("v1.2.3").set_prerelease("rc").original(), "v1.2.3-rc");
        assert_eq!(v("1.2.3").set_metadata("b1").string(), "1.2.3+b1");
    }
}
