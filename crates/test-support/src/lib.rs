//! Test plumbing shared by kspm's crates (a dev-dependency only): where the shared corpus
//! is, and the encodings of its TSV tables (escaped text columns, JSON values as Go's).

use std::collections::BTreeMap;
use std::path::PathBuf;

use kspm_gotmpl::Value;

/// The corpus folder: `KSPM_CORPUS`, else `shared/corpus` beside the workspace. `None`
/// (the caller skips) when unset and absent; panics when set but missing.
pub fn corpus() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KSPM_CORPUS") {
        let p = PathBuf::from(p);
        assert!(p.is_dir(), "KSPM_CORPUS={} is not a folder", p.display());
        return Some(p);
    }
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("corpus not found (set KSPM_CORPUS): skipping");
        None
    }
}

/// The tables' text-column escapes: `\\`, `\t`, `\n`, `\r`; any other backslash stays.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// JSON as the Go tests built it: objects `map[string]interface {}`, integral numbers
/// `int`, other numbers `float64`.
pub fn json_to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::int(i),
            None => Value::float64(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r"a\tb\nc\\n\r\q\"), "a\tb\nc\\n\r\\q\\");
    }
}
