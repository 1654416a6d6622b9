//! `semver.Constraints`: Masterminds' regular-expression grammar (with Go's ASCII `\s`)
//! and its per-operator checks.

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;

use crate::version::{Version, compare_pre};

/// One version in a constraint, wildcards allowed.
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// Go's `\s` (ASCII only, unlike Rust's).
const S: &str = r"[\t\n\f\r ]";

struct Regexes {
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

/// Masterminds/semver's constraint grammar, compiled once.
fn regexes() -> Result<&'static Regexes, String> {
    static RE: OnceLock<Result<Regexes, String>> = OnceLock::new();
    RE.get_or_init(|| {
        let re = |p: String| Regex::new(&p).map_err(|e| e.to_string());
        Ok(Regexes {
            constraint: re(format!(r"^{S}*({OPS}){S}*({CV}){S}*$"))?,
            range: re(format!(r"{S}*({CV}){S}+-{S}+({CV}){S}*"))?,
            find: re(format!(r"({OPS}){S}*({CV})"))?,
            valid: re(format!(
                r"^({S}*({OPS}){S}*({CV}){S}*)((?:{S}+|,{S}*)({OPS}){S}*({CV}){S}*)*$"
            ))?,
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

struct Constraint {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// `||` alternatives, each an AND group with whether it names a prerelease.
#[derive(Debug)]
pub struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

impl std::fmt::Debug for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.op, self.con)
    }
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            op: String::new(),
            con: Version::parse("0.0.0")?,
            dirty: true,
            minor_dirty: false,
            patch_dirty: false,
        });
    }
    let m = regexes()?
        .constraint
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let (major, minor, patch, pre) = (g(3), g(4), g(5), g(6));
    let mut ver = g(2).to_string();
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    if is_x(major) || major.is_empty() {
        ver = format!("0.0.0{pre}");
        dirty = true;
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{major}.0.0{pre}");
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{major}{minor}.0{pre}");
    }
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        op: g(1).to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(constraint: &str) -> Result<Constraints, String> {
        let re = regexes()?;
        // Hyphen ranges first become `>= A, <= B`.
        let mut rewritten = constraint.to_string();
        for m in re.range.captures_iter(constraint) {
            let whole = m.get(0).map_or("", |x| x.as_str());
            let t = format!(
                ">= {}, <= {} ",
                m.get(1).map_or("", |x| x.as_str()),
                m.get(11).map_or("", |x| x.as_str())
            );
            rewritten = rewritten.replacen(whole, &t, 1);
        }
        let mut groups = Vec::new();
        for part in rewritten.split("||") {
            if !re.valid.is_match(part) {
                return Err(format!("improper constraint: {part}"));
            }
            let mut cs = Vec::new();
            let found: Vec<&str> = re.find.find_iter(part).map(|m| m.as_str()).collect();
            let found = if found.is_empty() { vec![part] } else { found };
            for f in found {
                cs.push(parse_constraint(f)?);
            }
            let has_pre = cs.iter().any(|c| !c.con.prerelease().is_empty());
            groups.push((cs, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Check`: some alternative whose every constraint holds.
    pub fn check(&self, version: &Version) -> bool {
        self.groups
            .iter()
            .any(|(cs, pre)| cs.iter().all(|c| c.check(version, *pre)))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.prerelease().is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        let cmp = v.compare(c);
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    cmp == Ordering::Equal
                }
            }
            "!=" => {
                if self.dirty {
                    if c.major() != v.major() {
                        return true;
                    }
                    if c.minor() != v.minor() && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch() != v.patch() && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.prerelease().is_empty() || !c.prerelease().is_empty() {
                            return compare_pre(v.prerelease(), c.prerelease()) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                cmp != Ordering::Equal
            }
            ">" => {
                if !self.dirty {
                    return cmp == Ordering::Greater;
                }
                if v.major() > c.major() {
                    true
                } else if v.major() < c.major() || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor() > c.minor()
                } else {
                    cmp == Ordering::Greater
                }
            }
            "<" => cmp == Ordering::Less,
            ">=" | "=>" => cmp != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return cmp != Ordering::Greater;
                }
                !(v.major() > c.major()
                    || v.major() == c.major() && v.minor() > c.minor() && !self.minor_dirty)
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
                if cmp == Ordering::Less {
                    return false;
                }
                if c.major() > 0 || self.minor_dirty {
                    return v.major() == c.major();
                }
                if v.major() > 0 {
                    return false;
                }
                if c.minor() > 0 || self.patch_dirty {
                    return v.minor() == c.minor();
                }
                if v.minor() > 0 {
                    return false;
                }
                c.patch() == v.patch()
            }
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major() == 0
            && c.minor() == 0
            && c.patch() == 0
            && !self.minor_dirty
            && !self.patch_dirty
        {
            return true;
        }
        if v.major() != c.major() {
            return false;
        }
        v.minor() == c.minor() || self.minor_dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap()
            .check(&Version::parse(v).unwrap())
    }

    #[test]
    fn constraints() {
        assert!(check("1.2.3", "1.2.3"));
        assert!(!check("^1.2.0", "2.2.3"));
        assert!(check("^1.2.0", "1.4.2"));
        assert!(check(">=1.19-0", "1.21.3-gke.100"));
        assert!(!check(">=1.19", "1.21.3-gke.100"));
        assert!(check(">= 1.2, < 3.0.0 || >= 4.2.3", "4.3"));
        assert!(check("1.2 - 1.4.5", "1.4.5"));
        assert!(!check("1.2 - 1.4.5", "1.4.6"));
        assert!(check("~1.2.x", "1.2.9"));
        assert!(!check("~1.2.3", "1.3.0"));
        assert!(check("*", "3.0.0"));
        assert!(check("!=4.x", "5.0.0"));
        assert!(!check("!=4.x", "4.1.0"));
        assert!(check("^0.0.3", "0.0.3"));
        assert!(!check("^0.0.3", "0.0.4"));
        assert!(check(">11", "12.0.0"));
        assert!(!check(">11", "11.1.0"));
        assert!(check("<=1.2.x", "1.2.9"));
        // The AND group names a prerelease, so `<2.0` admits one too.
        assert!(check(">=1.19-0 <2.0", "1.21.3-gke.100"));
        assert_eq!(
            Constraints::parse("bad").unwrap_err(),
            "improper constraint: bad"
        );
        // Go's `\s` is ASCII: a no-break space is no separator.
        assert!(Constraints::parse(">=1.0\u{a0}<2.0").is_err());
    }
}
