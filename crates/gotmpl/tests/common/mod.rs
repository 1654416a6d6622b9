//! Test helpers: JSON data as Helm decodes it (numbers float64, maps
//! `map[string]interface {}`), and one-shot template runs.
#![allow(dead_code)]

use std::collections::BTreeMap;

use kspm_gotmpl::{FuncMap, MissingKey, Template, Value};

pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::float64(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

pub fn data(json: &str) -> Value {
    from_json(&serde_json::from_str(json).expect("test JSON"))
}

/// Parse `text` as "t" and execute it with `json` data; Ok(output) or Err(Go's message).
pub fn run_with(
    text: &str,
    json: &str,
    funcs: FuncMap,
    missing: MissingKey,
) -> Result<String, String> {
    let mut t = Template::new("t");
    t.funcs(funcs);
    t.set_missing_key(missing);
    t.parse("t", text).map_err(|e| e.to_string())?;
    t.execute("t", data(json)).map_err(|e| e.to_string())
}

pub fn run(text: &str, json: &str) -> Result<String, String> {
    run_with(text, json, FuncMap::new(), MissingKey::Default)
}

pub fn ok(text: &str, json: &str) -> String {
    match run(text, json) {
        Ok(s) => s,
        Err(e) => panic!("template {text:?} failed: {e}"),
    }
}

pub fn err(text: &str, json: &str) -> String {
    match run(text, json) {
        Ok(s) => panic!("template {text:?} should fail, printed {s:?}"),
        Err(e) => e,
    }
}
