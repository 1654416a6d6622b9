//! values.schema.json validation: the error text of Helm's validator for the keywords
//! charts use, and Helm's per-chart layout.

use kspm_gotmpl::Value;
use kspm_helm_chart::{Chart, Metadata, validate_single, validate_values, vals};

fn yaml(text: &str) -> Value {
    kspm_godata::yaml::unmarshal_map(text).unwrap()
}

const PERSON: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "employmentInfo": true,
    "age": {"type": "integer", "minimum": 0},
    "name": {"type": "string", "minLength": 2, "pattern": "^[A-Z]"},
    "role": {"enum": ["admin", "user"]},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 3},
    "data": {"type": "array", "contains": {"type": "string"}},
    "port": {"$ref": "#/definitions/port"},
    "mode": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}
  },
  "definitions": {"port": {"type": "integer", "maximum": 65535}},
  "required": ["employmentInfo"],
  "additionalProperties": false
}"##;

fn errors(values: &str) -> String {
    match validate_single(&yaml(values), PERSON.as_bytes()) {
        Ok(()) => String::new(),
        Err(e) => e,
    }
}

#[test]
fn messages() {
    assert_eq!(
        errors("age: -5\n"),
        "- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n"
    );
    let e = errors("employmentInfo: 1\nage: 1.5\nname: x\nrole: boss\n");
    assert!(e.contains("- at '/age': got number, want integer\n"), "{e}");
    assert!(
        e.contains("- at '/name': minLength: got 1, want 2\n"),
        "{e}"
    );
    assert!(
        e.contains("- at '/name': 'x' does not match pattern '^[A-Z]'\n"),
        "{e}"
    );
    assert!(
        e.contains("- at '/role': value must be one of 'admin', 'user'\n"),
        "{e}"
    );
    let e = errors("employmentInfo: 1\ntags: [a, a, b, c]\nport: 70000\nextra: 1\n");
    assert!(e.contains("- at '/tags': maxItems: got 4, want 3\n"), "{e}");
    assert!(
        e.contains("- at '/tags': items at 0 and 1 are equal\n"),
        "{e}"
    );
    assert!(
        e.contains("- at '/port': maximum: got 70000, want 65535\n"),
        "{e}"
    );
    assert!(
        e.contains("- at '': additional properties 'extra' not allowed\n"),
        "{e}"
    );
    assert_eq!(
        errors("employmentInfo: 1\ndata: [12]\n"),
        "- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n"
    );
    assert_eq!(
        errors("employmentInfo: 1\nmode: x\n"),
        "- at '/mode': anyOf failed\n  - at '/mode': got string, want integer\n  - at '/mode': got string, want boolean\n"
    );
    assert_eq!(
        errors("employmentInfo: 1\nage: 3\nname: Al\nrole: user\nmode: true\n"),
        ""
    );
}

#[test]
fn unresolved_refs_are_ignored() {
    let schema = br#"{"$ref": "urn:example:helm:schemas:v1:x"}"#;
    assert!(validate_single(&yaml("any: value\n"), schema).is_ok());
}

fn chart_with_sub() -> Chart {
    let mut sub = Chart::new(Metadata {
        name: "subchart".into(),
        version: "0.1.0".into(),
        api_version: "v2".into(),
        ..Default::default()
    });
    sub.schema = Some(br#"{"type":"object","properties":{"age":{"type":"integer","minimum":0}},"required":["age"]}"#.to_vec());
    let mut root = Chart::new(Metadata {
        name: "chrt".into(),
        version: "0.1.0".into(),
        api_version: "v2".into(),
        ..Default::default()
    });
    root.dependencies.push(sub);
    root
}

#[test]
fn per_chart_layout() {
    let chart = chart_with_sub();
    let err = validate_values(&chart, &yaml("name: John\nsubchart: {}\n")).unwrap_err();
    assert_eq!(
        err.message,
        "values don't meet the specifications of the schema(s) in the following chart(s):\nsubchart:\n- at '': missing property 'age'\n"
    );
    assert!(validate_values(&chart, &yaml("name: John\nsubchart:\n  age: 25\n")).is_ok());
    // Missing or null subchart values are not checked; a wrong type is an error.
    assert!(validate_values(&chart, &yaml("name: John\n")).is_ok());
    assert!(validate_values(&chart, &yaml("subchart: null\n")).is_ok());
    assert!(validate_values(&chart, &yaml("subchart: oops\n")).is_err());
    let _ = vals::new_map();
}
