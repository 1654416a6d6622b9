//! Shared test helpers: the corpus location, JSON → gotmpl values, charts from JSON.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use kspm_gotmpl::Value;

/// The corpus folder: `KSPM_CORPUS`, else `../../../shared/corpus` from the crate. `None`
/// (skip) when unset and absent; panics when set but missing.
pub fn corpus() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("KSPM_CORPUS") {
        let p = PathBuf::from(p);
        assert!(p.is_dir(), "KSPM_CORPUS={} does not exist", p.display());
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

/// JSON as the table's Go values: objects `map[string]interface {}`, integral numbers
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

/// A chart tree from the table's `context.chart` JSON.
pub fn chart_from_json(j: &serde_json::Value) -> kspm_helm_chart::Chart {
    let s = |k: &str| {
        j.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let md = kspm_helm_chart::Metadata {
        name: s("name"),
        version: if s("version").is_empty() {
            "0.1.0".into()
        } else {
            s("version")
        },
        api_version: if s("apiVersion").is_empty() {
            "v1".into()
        } else {
            s("apiVersion")
        },
        ..Default::default()
    };
    let mut c = kspm_helm_chart::Chart::new(md);
    if let Some(v) = j.get("values")
        && v.is_object()
    {
        c.values = json_to_value(v);
    }
    let files = |k: &str| -> Vec<kspm_helm_chart::File> {
        j.get(k)
            .and_then(|v| v.as_object())
            .map(|o| {
                o.iter()
                    .map(|(name, text)| kspm_helm_chart::File {
                        name: name.clone(),
                        data: text.as_str().unwrap_or_default().as_bytes().to_vec(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    c.templates = files("templates");
    c.files = files("files");
    if let Some(deps) = j.get("dependencies").and_then(|d| d.as_array()) {
        c.dependencies = deps.iter().map(chart_from_json).collect();
    }
    c
}

/// The table's text-column unescaping (`\\`, `\t`, `\n`, `\r`).
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
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
        } else {
            out.push(c);
        }
    }
    out
}
