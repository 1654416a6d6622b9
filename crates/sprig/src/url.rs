//! `urlParse` and `urlJoin` over Go's `net/url` rules: parsing (scheme, opaque,
//! authority, path and fragment unescaping, Go's errors) and `URL.String` escaping.

use std::collections::BTreeMap;

use kspm_gotmpl::{FuncMap, Param, Value};

use crate::util::{NIL_DEREF, is_nil, reg, s, string};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    QueryComponent,
    Fragment,
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::QueryComponent => true,
                Mode::Fragment => false,
                Mode::Host => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(c, mode) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

fn unhex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(h), Some(l)) = (
                    b.get(i + 1).and_then(|c| unhex(*c)),
                    b.get(i + 2).and_then(|c| unhex(*c)),
                ) else {
                    let end = (i + 3).min(b.len());
                    let bad = kspm_gotmpl::strconv::quote_bytes(&b[i..end]);
                    return Err(format!("invalid URL escape {bad}"));
                };
                if mode == Mode::Host && h < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!(
                        "invalid URL escape {}",
                        kspm_gotmpl::strconv::quote(&s[i..i + 3])
                    ));
                }
                out.push(h * 16 + l);
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        kspm_gotmpl::strconv::quote(&s[i..i + 1])
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A parsed URL (the fields Sprig reads).
#[derive(Default)]
pub struct Url {
    pub scheme: String,
    pub opaque: String,
    /// Username and optional password, unescaped.
    pub user: Option<(String, Option<String>)>,
    pub host: String,
    pub path: String,
    pub raw_query: String,
    pub force_query: bool,
    pub fragment: String,
    omit_host: bool,
}

fn get_scheme(raw: &str) -> Result<(String, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok((String::new(), raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((raw[..i].to_string(), &raw[i + 1..]));
            }
            _ => return Ok((String::new(), raw)),
        }
    }
    Ok((String::new(), raw))
}

fn valid_userinfo(s: &str) -> bool {
    s.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &host[i + 1..];
        if !valid_port(port) {
            return Err(format!(
                "invalid port {} after host",
                kspm_gotmpl::strconv::quote(port)
            ));
        }
        return unescape(host, Mode::Host);
    }
    if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_port(port) {
            return Err(format!(
                "invalid port {} after host",
                kspm_gotmpl::strconv::quote(port)
            ));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_port(p: &str) -> bool {
    p.is_empty() || (p.starts_with(':') && p[1..].bytes().all(|c| c.is_ascii_digit()))
}

impl Url {
    /// `url.Parse`.
    pub fn parse(raw: &str) -> Result<Url, String> {
        let wrap =
            |text: &str, e: String| format!("parse {}: {e}", kspm_gotmpl::strconv::quote(text));
        let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
        let mut url = Url::parse_main(u).map_err(|e| wrap(u, e))?;
        if !frag.is_empty() {
            url.fragment = unescape(frag, Mode::Fragment).map_err(|e| wrap(raw, e))?;
        }
        Ok(url)
    }

    fn parse_main(raw: &str) -> Result<Url, String> {
        if raw.bytes().any(|c| c < 0x20 || c == 0x7f) {
            return Err("net/url: invalid control character in URL".into());
        }
        let mut url = Url::default();
        if raw == "*" {
            url.path = "*".into();
            return Ok(url);
        }
        let (scheme, mut rest) = get_scheme(raw)?;
        url.scheme = scheme.to_ascii_lowercase();
        let owned;
        if rest.ends_with('?') && rest.matches('?').count() == 1 {
            url.force_query = true;
            rest = &rest[..rest.len() - 1];
        } else if let Some((r, q)) = rest.split_once('?') {
            url.raw_query = q.to_string();
            owned = r.to_string();
            rest = &owned;
        }
        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                url.opaque = rest.to_string();
                return Ok(url);
            }
            let segment = rest.split('/').next().unwrap_or("");
            if segment.contains(':') {
                return Err("first path segment in URL cannot contain colon".into());
            }
        }
        let mut path = rest;
        if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
            let authority_and_path = &rest[2..];
            let (authority, p) = match authority_and_path.find('/') {
                Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
                None => (authority_and_path, ""),
            };
            path = p;
            let (userinfo, hostpart) = match authority.rfind('@') {
                Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
                None => (None, authority),
            };
            url.host = parse_host(hostpart)?;
            if let Some(ui) = userinfo {
                if !valid_userinfo(ui) {
                    return Err("net/url: invalid userinfo".into());
                }
                url.user = Some(match ui.split_once(':') {
                    Some((u, p)) => (
                        unescape(u, Mode::UserPassword)?,
                        Some(unescape(p, Mode::UserPassword)?),
                    ),
                    None => (unescape(ui, Mode::UserPassword)?, None),
                });
            }
        } else if !url.scheme.is_empty() && rest.starts_with('/') {
            url.omit_host = true;
        }
        url.path = unescape(path, Mode::Path)?;
        Ok(url)
    }

    /// `Userinfo.String`.
    pub fn userinfo(&self) -> String {
        match &self.user {
            None => String::new(),
            Some((u, p)) => {
                let mut s = escape(u, Mode::UserPassword);
                if let Some(p) = p {
                    s.push(':');
                    s.push_str(&escape(p, Mode::UserPassword));
                }
                s
            }
        }
    }

    /// `Hostname`: the host without port and brackets.
    pub fn hostname(&self) -> String {
        let h = &self.host;
        let host = match h.rfind(':') {
            Some(i) if !h.starts_with('[') || h[..i].ends_with(']') => &h[..i],
            _ => h.as_str(),
        };
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_string()
    }

    /// `URL.String`.
    pub fn string(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let authority = !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if self.user.is_some() {
                    buf.push_str(&self.userinfo());
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = if self.path == "*" {
                "*".to_string()
            } else {
                escape(&self.path, Mode::Path)
            };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        buf
    }
}

fn dict_string(d: &BTreeMap<String, Value>, key: &str) -> Result<String, String> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(v) if is_nil(v) => Err(NIL_DEREF.into()),
        Some(v) => Err(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            v.kind_name()
        )),
    }
}

pub fn register(m: &mut FuncMap) {
    reg(m, "urlParse", vec![Param::String], |a| {
        let u = Url::parse(s(&a, 0)).map_err(|e| format!("unable to parse url: {e}"))?;
        let mut d = BTreeMap::new();
        d.insert("scheme".to_string(), string(u.scheme.as_str()));
        d.insert("host".to_string(), string(u.host.as_str()));
        d.insert("hostname".to_string(), string(u.hostname()));
        d.insert("path".to_string(), string(u.path.as_str()));
        d.insert("query".to_string(), string(u.raw_query.as_str()));
        d.insert("opaque".to_string(), string(u.opaque.as_str()));
        d.insert("fragment".to_string(), string(u.fragment.as_str()));
        d.insert("userinfo".to_string(), string(u.userinfo()));
        Ok(Value::map(d))
    });
    reg(m, "urlJoin", vec![Param::Map], |a| {
        let Some(Value::Map(m)) = a.first() else {
            return Ok(string(""));
        };
        let d = m.borrow().entries.clone();
        let mut u = Url {
            scheme: dict_string(&d, "scheme")?,
            host: dict_string(&d, "host")?,
            path: dict_string(&d, "path")?,
            raw_query: dict_string(&d, "query")?,
            opaque: dict_string(&d, "opaque")?,
            fragment: dict_string(&d, "fragment")?,
            ..Url::default()
        };
        let userinfo = dict_string(&d, "userinfo")?;
        if !userinfo.is_empty() {
            let tmp = Url::parse(&format!("proto://{userinfo}@host"))
                .map_err(|e| format!("unable to parse userinfo in dict: {e}"))?;
            u.user = tmp.user;
        }
        Ok(string(u.string()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let u = Url::parse("proto://auth@host:80/path?query#fragment").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.hostname().as_str()),
            ("proto", "host:80", "host")
        );
        assert_eq!(u.userinfo(), "auth");
        assert_eq!(u.string(), "proto://auth@host:80/path?query#fragment");
        let u = Url::parse("something").unwrap();
        assert_eq!(u.path, "something");
        assert_eq!(Url::parse("mailto:a@b").unwrap().opaque, "a@b");
        assert!(Url::parse("http://a b.com/").is_err());
        assert!(Url::parse(":foo").is_err());
        let u = Url::parse("http://[::1]:8080/x%20y").unwrap();
        assert_eq!((u.hostname().as_str(), u.path.as_str()), ("::1", "/x y"));
        assert_eq!(u.string(), "http://[::1]:8080/x%20y");
    }
}
