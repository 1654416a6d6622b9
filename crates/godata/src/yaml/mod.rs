//! sigs.k8s.io/yaml as Helm uses it: `Unmarshal` (values files, `fromYaml`,
//! `fromYamlArray`) goes YAML → go-yaml v2 → JSON → encoding/json; `Marshal` (`toYaml`)
//! goes encoding/json → go-yaml v2 → go-yaml v2's emitter.

mod decode;
mod emit;
pub mod resolve;
pub mod sort;

use kspm_gotmpl::{FloatKind, Value};

use crate::json;
pub use decode::GoValue;
use decode::{DecodeError, decode};
use emit::{Flavor, Out};
use resolve::{Resolved, resolve_plain};

const TO_JSON: &str = "error converting YAML to JSON: ";

fn decode_go(text: &str) -> Result<GoValue, String> {
    // go-yaml's reader refuses these before parsing anything.
    if text.chars().any(is_control) {
        return Err(format!("{TO_JSON}yaml: control characters are not allowed"));
    }
    decode(text).map_err(|e| match e {
        DecodeError::Yaml(m) | DecodeError::Convert(m) => format!("{TO_JSON}{m}"),
    })
}

fn json_kind(v: &GoValue) -> &'static str {
    match v {
        GoValue::Nil => "null",
        GoValue::Bool(_) => "bool",
        GoValue::Int(_) | GoValue::Uint(_) | GoValue::Float(_) => "number",
        GoValue::Str(_) => "string",
        GoValue::Seq(_) => "array",
        GoValue::Map(_) => "object",
    }
}

fn type_error(v: &GoValue, go_type: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {go_type}",
        json_kind(v)
    )
}

fn to_value(v: &GoValue) -> Result<Value, String> {
    decode::to_value(v).map_err(|e| format!("{TO_JSON}{e}"))
}

/// `yaml.Unmarshal(text, &interface{})`.
pub fn unmarshal(text: &str) -> Result<Value, String> {
    to_value(&decode_go(text)?)
}

/// `yaml.Unmarshal(text, &map[string]interface{})`: `fromYaml` and chart values. An empty
/// or `null` document gives an empty map.
pub fn unmarshal_map(text: &str) -> Result<Value, String> {
    unmarshal_map_typed(text, "map[string]interface {}")
}

/// Like [`unmarshal_map`] for a named map type, which only shows in the type error:
/// Helm 3 reads values into `chartutil.Values` (`json: cannot unmarshal string into Go
/// value of type chartutil.Values`), Helm 4 into `common.Values`.
pub fn unmarshal_map_typed(text: &str, go_type: &str) -> Result<Value, String> {
    let v = decode_go(text)?;
    let value = to_value(&v)?;
    match v {
        GoValue::Map(_) => Ok(value),
        GoValue::Nil => Ok(Value::map(Default::default())),
        other => Err(type_error(&other, go_type)),
    }
}

/// `yaml.Unmarshal(text, &[]interface{})`: `fromYamlArray`.
pub fn unmarshal_array(text: &str) -> Result<Value, String> {
    let v = decode_go(text)?;
    let value = to_value(&v)?;
    match v {
        GoValue::Seq(_) => Ok(value),
        GoValue::Nil => Ok(Value::list(Vec::new())),
        other => Err(type_error(&other, "[]interface {}")),
    }
}

/// `yaml.Marshal(v)`: the YAML text (ending in a newline) Helm's `toYaml` trims.
pub fn marshal(v: &Value) -> Result<String, String> {
    let text = json::marshal(v).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    json_to_yaml(&text)
}

/// Helm's `toYamlPretty`: a go-yaml v3 `Encoder` with `SetIndent(2)` writing the value
/// itself (no JSON round trip, so numbers keep their Go type and floats print with `%g`):
/// sequences are indented under their key and long lines are not folded. The text ends
/// with a newline, which Helm trims.
pub fn marshal_pretty(v: &Value) -> Result<String, String> {
    Ok(emit::emit(&value_out(v, 0)?, Flavor::V3))
}

fn value_out(v: &Value, depth: usize) -> Result<Out, String> {
    if depth > decode::MAX_DEPTH {
        return Err("yaml: value nests too deeply (a map containing itself?)".into());
    }
    Ok(match v {
        Value::Invalid | Value::Nil => Out::Null,
        Value::Bool(b) => Out::Bool(*b),
        Value::Int(i, _) => Out::Int(i.to_string()),
        Value::Uint(u, _) => Out::Int(u.to_string()),
        Value::Float(f, kind) => Out::Float(float_text_bits(*f, *kind == FloatKind::Float32)),
        Value::String(s) => Out::Str(s.to_string()),
        Value::Bytes(b) => Out::Seq(b.iter().map(|x| Out::Int(x.to_string())).collect()),
        Value::List(l) => {
            let mut out = Vec::with_capacity(l.items.len());
            for item in &l.items {
                out.push(value_out(item, depth + 1)?);
            }
            Out::Seq(out)
        }
        Value::Map(m) => {
            let m = m
                .try_borrow()
                .map_err(|_| "yaml: map is being modified".to_string())?;
            let mut pairs = Vec::with_capacity(m.entries.len());
            for (k, item) in &m.entries {
                pairs.push((k.clone(), value_out(item, depth + 1)?));
            }
            Out::Map(sort::sort_keys(pairs))
        }
        Value::Object(o) => value_out(&json::object_value(o.as_ref())?, depth + 1)?,
    })
}

/// `yaml.JSONToYAML`.
pub fn json_to_yaml(text: &str) -> Result<String, String> {
    const TO_YAML: &str = "error converting JSON to YAML: ";
    if text.chars().any(is_control) {
        return Err(format!("{TO_YAML}yaml: control characters are not allowed"));
    }
    let node = json::parse(text).map_err(|e| format!("{TO_YAML}yaml: {e}"))?;
    Ok(emit::emit(&to_out(&node), Flavor::V2))
}

/// Characters go-yaml's reader refuses in its input.
fn is_control(c: char) -> bool {
    let u = c as u32;
    !(u == 0x09
        || u == 0x0A
        || u == 0x0D
        || (0x20..=0x7E).contains(&u)
        || u == 0x85
        || (0xA0..=0xD7FF).contains(&u)
        || (0xE000..=0xFFFD).contains(&u)
        || u >= 0x10000)
}

/// How go-yaml reads a JSON document back: numbers typed by YAML resolution (ints stay
/// ints, other numbers are float64 printed with `%g`), maps in go-yaml's key order.
fn to_out(node: &json::Node) -> Out {
    match node {
        json::Node::Null => Out::Null,
        json::Node::Bool(b) => Out::Bool(*b),
        json::Node::Num(text) => match resolve_plain(text) {
            Resolved::Int(i) => Out::Int(i.to_string()),
            Resolved::Uint(u) => Out::Int(u.to_string()),
            Resolved::Float(f) | Resolved::BigInt(f) => Out::Float(float_text(f)),
            _ => Out::Str(text.clone()),
        },
        json::Node::Str(s) => Out::Str(s.clone()),
        json::Node::Arr(items) => Out::Seq(items.iter().map(to_out).collect()),
        json::Node::Obj(members) => {
            // go-yaml decodes into a Go map: a repeated key keeps its last value.
            let mut seen = std::collections::HashMap::new();
            let mut pairs: Vec<(String, Out)> = Vec::with_capacity(members.len());
            for (k, v) in members {
                let out = to_out(v);
                if let Some(&i) = seen.get(k) {
                    pairs[i] = (k.clone(), out);
                } else {
                    seen.insert(k.clone(), pairs.len());
                    pairs.push((k.clone(), out));
                }
            }
            Out::Map(sort::sort_keys(pairs))
        }
    }
}

fn float_text(f: f64) -> String {
    float_text_bits(f, false)
}

fn float_text_bits(f: f64, bits32: bool) -> String {
    match crate::gofloat::format_g(f, bits32).as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        s => s.to_string(),
    }
}

#[cfg(test)]
mod tests;
