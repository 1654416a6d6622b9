//! Go's encoding/json as Helm and Sprig call it: `toJson` (Marshal), `toPrettyJson`
//! (MarshalIndent), `toRawJson` (an Encoder with HTML escaping off), `fromJson` /
//! `fromJsonArray` (Unmarshal into a map or a slice).

mod decode;
mod encode;

use std::collections::BTreeMap;

use kspm_gotmpl::Value;

pub use decode::{EofStyle, Node, parse, parse_prefix, quote_char};
pub use encode::{ObjectMarshaler, indent, object_value, register_object_marshaler, write_string};

/// `json.Marshal(v)`: compact, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub fn marshal(v: &Value) -> Result<String, String> {
    encode::encode(v, true)
}

/// An `Encoder` with `SetEscapeHTML(false)`, without the newline `Encode` appends
/// (Sprig's `toRawJson` trims it).
pub fn marshal_no_escape(v: &Value) -> Result<String, String> {
    encode::encode(v, false)
}

/// `json.MarshalIndent(v, prefix, indent)`.
pub fn marshal_indent(v: &Value, prefix: &str, indent_str: &str) -> Result<String, String> {
    let compact = encode::encode(v, true)?;
    Ok(encode::indent(&compact, prefix, indent_str))
}

/// `json.Unmarshal` into `interface{}`.
pub fn unmarshal(text: &str) -> Result<Value, String> {
    node_to_value(&parse(text)?)
}

/// `json.Unmarshal` into `map[string]interface {}` (`fromJson`): `null` leaves the map
/// empty; any other non-object is a type error.
pub fn unmarshal_map(text: &str) -> Result<Value, String> {
    let node = parse(text)?;
    match &node {
        Node::Obj(_) => node_to_value(&node),
        Node::Null => Ok(Value::map(BTreeMap::new())),
        other => Err(type_error(other, "map[string]interface {}")),
    }
}

/// `json.Unmarshal` into `[]interface {}` (`fromJsonArray`).
pub fn unmarshal_array(text: &str) -> Result<Value, String> {
    let node = parse(text)?;
    match &node {
        Node::Arr(_) => node_to_value(&node),
        Node::Null => Ok(Value::list(Vec::new())),
        other => Err(type_error(other, "[]interface {}")),
    }
}

/// encoding/json's `UnmarshalTypeError` text for a top-level value of the wrong kind.
pub fn type_error(node: &Node, go_type: &str) -> String {
    let what = match node {
        Node::Null => "null",
        Node::Bool(_) => "bool",
        Node::Num(_) => "number",
        Node::Str(_) => "string",
        Node::Arr(_) => "array",
        Node::Obj(_) => "object",
    };
    format!("json: cannot unmarshal {what} into Go value of type {go_type}")
}

/// The value `json.Unmarshal` builds for `interface{}`.
pub fn node_to_value(node: &Node) -> Result<Value, String> {
    Ok(match node {
        Node::Null => Value::Nil,
        Node::Bool(b) => Value::Bool(*b),
        Node::Num(text) => {
            let f: f64 = text.parse().map_err(|_| number_error(text))?;
            if f.is_infinite() {
                return Err(number_error(text));
            }
            Value::float64(f)
        }
        Node::Str(s) => Value::string(s.as_str()),
        Node::Arr(items) => {
            // A plain loop: iterator adapters cost several stack frames per nesting level.
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(node_to_value(item)?);
            }
            Value::list(out)
        }
        Node::Obj(members) => {
            let mut map = BTreeMap::new();
            for (k, v) in members {
                map.insert(k.clone(), node_to_value(v)?);
            }
            Value::map(map)
        }
    })
}

fn number_error(text: &str) -> String {
    format!("json: cannot unmarshal number {text} into Go value of type float64")
}

#[cfg(test)]
mod tests;
