//! Go's `path` (and, on Unix, identical `path/filepath`) functions.

use kspm_gotmpl::{FuncMap, Param, Value};

use crate::util::{reg, s, string};

pub fn register(m: &mut FuncMap) {
    for prefix in ["", "os"] {
        let name = |n: &str| {
            if prefix.is_empty() {
                n.to_string()
            } else {
                let mut c = n.chars();
                let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
                format!("{prefix}{first}{}", c.as_str())
            }
        };
        reg(m, &name("base"), vec![Param::String], |a| {
            Ok(string(base(s(&a, 0))))
        });
        reg(m, &name("dir"), vec![Param::String], |a| {
            Ok(string(dir(s(&a, 0))))
        });
        reg(m, &name("clean"), vec![Param::String], |a| {
            Ok(string(clean(s(&a, 0))))
        });
        reg(m, &name("ext"), vec![Param::String], |a| {
            Ok(string(ext(s(&a, 0))))
        });
        reg(m, &name("isAbs"), vec![Param::String], |a| {
            Ok(Value::Bool(s(&a, 0).starts_with('/')))
        });
    }
}

/// `path.Clean`: the shortest equivalent path, by lexical processing.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `path.Base`: the last element, trailing slashes removed.
pub fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// `path.Dir`: everything but the last element, cleaned.
pub fn dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..cut])
}

/// `path.Ext`: the suffix from the last dot of the last element.
pub fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_go() {
        assert_eq!(base("foo/bar"), "bar");
        assert_eq!(base("/"), "/");
        assert_eq!(dir("foo/bar/baz"), "foo/bar");
        assert_eq!(dir("foo"), ".");
        assert_eq!(clean("foo/../../bar//baz/."), "../bar/baz");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(ext("/foo/bar/baz.txt"), ".txt");
        assert_eq!(ext("a.b/c"), "");
    }
}
