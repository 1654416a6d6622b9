//! `semver` and `semverCompare` with Masterminds/semver v3 semantics: lenient versions
//! (`v` prefix, missing minor/patch), and constraints (`=`, `!=`, `>`, `<`, `>=`, `<=`,
//! `~`, `~>`, `^`, wildcards, hyphen ranges, `,`/space AND, `||` OR) where a prerelease
//! version only satisfies an AND group that names a prerelease.

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::OnceLock;

use kspm_gotmpl::{FuncMap, Object, Param, Signature, UintKind, Value};
use regex::Regex;

use crate::util::{arg, reg, s, string};

#[derive(Clone, Debug)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

pub const VERSION_TYPE: &str = "*semver.Version";

fn version_re() -> Result<&'static Regex, String> {
    static RE: OnceLock<Result<Regex, String>> = OnceLock::new();
    RE.get_or_init(|| {
        crate::regex::compile(
            r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
        )
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

    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    /// The "v" the original text started with, which derived versions keep.
    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
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

impl Object for Version {
    fn type_name(&self) -> String {
        VERSION_TYPE.into()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn format_v(&self) -> String {
        self.string()
    }
    fn method(&self, name: &str) -> Option<Signature> {
        let p = match name {
            "Compare" | "LessThan" | "GreaterThan" | "Equal" => vec![Param::Named(VERSION_TYPE)],
            "SetPrerelease" | "SetMetadata" => vec![Param::String],
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String"
            | "IncMajor" | "IncMinor" | "IncPatch" => vec![],
            _ => return None,
        };
        Some(Signature::new(p))
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let other = || -> Result<Version, String> {
            match arg(&args, 0) {
                Value::Object(o) => o
                    .as_any()
                    .downcast_ref::<Version>()
                    .cloned()
                    .ok_or_else(|| "wrong type".to_string()),
                _ => Err(crate::util::NIL_DEREF.into()),
            }
        };
        let u = |x: u64| Value::Uint(x, UintKind::Uint64);
        let mut next = self.clone();
        Ok(match name {
            "Major" => u(self.major),
            "Minor" => u(self.minor),
            "Patch" => u(self.patch),
            "Prerelease" => string(self.pre.as_str()),
            "Metadata" => string(self.metadata.as_str()),
            "Original" => string(self.original.as_str()),
            "String" => string(self.string()),
            "Compare" => Value::int(match self.compare(&other()?) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            }),
            "LessThan" => Value::Bool(self.compare(&other()?) == Ordering::Less),
            "GreaterThan" => Value::Bool(self.compare(&other()?) == Ordering::Greater),
            "Equal" => Value::Bool(self.compare(&other()?) == Ordering::Equal),
            "IncMajor" | "IncMinor" | "IncPatch" => {
                next.metadata.clear();
                // IncPatch keeps the patch of a prerelease or build (it drops them).
                let was_pre = !next.pre.is_empty() || !self.metadata.is_empty();
                next.pre.clear();
                match name {
                    "IncMajor" => (next.major, next.minor, next.patch) = (next.major + 1, 0, 0),
                    "IncMinor" => (next.minor, next.patch) = (next.minor + 1, 0),
                    _ if !was_pre => next.patch += 1,
                    _ => {}
                }
                next.original = format!("{}{}", self.v_prefix(), next.string());
                Value::Object(Rc::new(VersionValue(next)))
            }
            "SetPrerelease" | "SetMetadata" => {
                let text = s(&args, 0).to_string();
                if name == "SetPrerelease" {
                    next.pre = text;
                } else {
                    next.metadata = text;
                }
                next.original = format!("{}{}", self.v_prefix(), next.string());
                Value::Object(Rc::new(VersionValue(next)))
            }
            _ => return Err(format!("can't call method {name}")),
        })
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `semver.Version` value (what the `Inc*`/`Set*` methods return).
pub struct VersionValue(pub Version);

impl Object for VersionValue {
    fn type_name(&self) -> String {
        "semver.Version".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn format_v(&self) -> String {
        self.0.string()
    }
    fn method(&self, name: &str) -> Option<Signature> {
        self.0.method(name)
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        self.0.call_method(name, args)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Regexes {
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

/// Masterminds/semver's constraint grammar, compiled once with Go's regexp semantics.
fn regexes() -> Result<&'static Regexes, String> {
    static RE: OnceLock<Result<Regexes, String>> = OnceLock::new();
    RE.get_or_init(|| {
        let re = |p: String| crate::regex::compile(&p);
        Ok(Regexes {
            constraint: re(format!(r"^\s*({OPS})\s*({CV})\s*$"))?,
            range: re(format!(r"\s*({CV})\s+-\s+({CV})\s*"))?,
            find: re(format!(r"({OPS})\s*({CV})"))?,
            valid: re(format!(
                r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
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

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
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
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_pre(&v.pre, &c.pre) != Ordering::Equal;
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
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
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
                !(v.major > c.major || v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
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
                c.patch == v.patch
            }
            _ => false,
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
        v.minor == c.minor || self.minor_dirty
    }
}

/// `semver.NewConstraint(c).Check(v)`.
pub fn satisfies(constraint: &str, version: &Version) -> Result<bool, String> {
    let re = regexes()?;
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
        let has_pre = cs.iter().any(|c| !c.con.pre.is_empty());
        groups.push((cs, has_pre));
    }
    Ok(groups
        .iter()
        .any(|(cs, pre)| cs.iter().all(|c| c.check(version, *pre))))
}

pub fn register(m: &mut FuncMap) {
    reg(
        m,
        "semverCompare",
        vec![Param::String, Param::String],
        |a| {
            let v = Version::parse(s(&a, 1));
            // Go parses the constraint first.
            let ok = satisfies(s(&a, 0), &Version::parse("0.0.0")?).map(|_| ());
            ok?;
            Ok(Value::Bool(satisfies(s(&a, 0), &v?)?))
        },
    );
    reg(m, "semver", vec![Param::String], |a| {
        Ok(Version::parse(s(&a, 0))?.value())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        satisfies(c, &Version::parse(v).unwrap()).unwrap()
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
        assert!(satisfies("bad", &Version::parse("1.0.0").unwrap()).is_err());
        assert!(Version::parse("1.2.3.4").is_err());
        assert_eq!(Version::parse("v1.2").unwrap().string(), "1.2.0");
        let inc =
            |v: &str, m: &str| match Version::parse(v).unwrap().call_method(m, vec![]).unwrap() {
                Value::Object(o) => o.format_v(),
                _ => String::new(),
            };
        assert_eq!(inc("1.2.3", "IncPatch"), "1.2.4");
        assert_eq!(inc("1.2.3-rc.1", "IncPatch"), "1.2.3");
        assert_eq!(inc("1.2.3+b5", "IncPatch"), "1.2.3");
        assert_eq!(inc("1.2.3-rc.1", "IncMinor"), "1.3.0");
    }
}
