use std::collections::BTreeMap;

use kspm_gotmpl::Value;

use super::*;

fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::map(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[test]
fn marshal_sorted_and_typed() {
    let v = map(vec![
        ("string", Value::string("test")),
        ("number", Value::int(42)),
        ("bool", Value::Bool(true)),
    ]);
    assert_eq!(
        marshal(&v).unwrap(),
        r#"{"bool":true,"number":42,"string":"test"}"#
    );
}

#[test]
fn marshal_escapes_html_and_line_separators() {
    let v = Value::string("<a href=\"x\">&</a>\u{2028}\u{1}\t\u{8}");
    assert_eq!(
        marshal(&v).unwrap(),
        r#""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\u2028\u0001\t\b""#
    );
    assert_eq!(
        marshal_no_escape(&v).unwrap(),
        r#""<a href=\"x\">&</a>\u2028\u0001\t\b""#
    );
}

#[test]
fn marshal_floats_bytes_nil() {
    let v = Value::list(vec![
        Value::float64(1.5),
        Value::float64(3.0),
        Value::float64(1e21),
        Value::float64(1e-7),
        Value::Bytes(std::rc::Rc::from(&b"hi"[..])),
        Value::Nil,
        Value::Invalid,
    ]);
    assert_eq!(
        marshal(&v).unwrap(),
        r#"[1.5,3,1e+21,1e-7,"aGk=",null,null]"#
    );
    assert_eq!(
        marshal(&Value::float64(f64::NAN)).unwrap_err(),
        "json: unsupported value: NaN"
    );
    assert_eq!(
        marshal(&Value::float64(f64::NEG_INFINITY)).unwrap_err(),
        "json: unsupported value: -Inf"
    );
}

#[test]
fn marshal_indent_like_go() {
    let v = map(vec![
        ("a", Value::list(vec![Value::int(1), Value::int(2)])),
        ("b", map(vec![])),
        ("c", Value::list(vec![])),
        ("d", Value::string("x,{y}:")),
    ]);
    assert_eq!(
        marshal_indent(&v, "", "  ").unwrap(),
        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": \"x,{y}:\"\n}"
    );
    assert_eq!(
        marshal_indent(&Value::list(vec![Value::int(1)]), ">", "\t").unwrap(),
        "[\n>\t1\n>]"
    );
}

#[test]
fn unmarshal_values() {
    let v = unmarshal(r#"{"b":[1,"x",null,true],"a":{"c":1.5e3}}"#).unwrap();
    assert_eq!(
        format!("{v:?}"),
        r#"{"a": {"c": float64(1500)} as map[string]interface {}, "b": [float64(1), "x", Nil, Bool(true)] as []interface {}} as map[string]interface {}"#
    );
    let s = unmarshal(r#""\u00e9\ud83d\ude00\n\/""#).unwrap();
    assert_eq!(s.as_str(), Some("é😀\n/"));
}

#[test]
fn unmarshal_errors_like_go() {
    let cases = [
        ("", "unexpected end of JSON input"),
        ("   ", "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        (
            "{\"a\":1 \"b\"}",
            "invalid character '\"' after object key:value pair",
        ),
        (
            "{1:2}",
            "invalid character '1' looking for beginning of object key string",
        ),
        ("[1 2]", "invalid character '2' after array element"),
        (
            "[1,]",
            "invalid character ']' looking for beginning of value",
        ),
        ("[1", "unexpected end of JSON input"),
        ("tru", "unexpected end of JSON input"),
        (
            "trux",
            "invalid character 'x' in literal true (expecting 'e')",
        ),
        ("nul", "unexpected end of JSON input"),
        ("\"a\nb\"", "invalid character '\\n' in string literal"),
        ("\"\\x\"", "invalid character 'x' in string escape code"),
        (
            "\"\\u12g4\"",
            "invalid character 'g' in \\u hexadecimal character escape",
        ),
        ("-x", "invalid character 'x' in numeric literal"),
        (
            "1.x",
            "invalid character 'x' after decimal point in numeric literal",
        ),
        (
            "1ex",
            "invalid character 'x' in exponent of numeric literal",
        ),
        ("01", "invalid character '1' after top-level value"),
        ("{} x", "invalid character 'x' after top-level value"),
        (
            "'a'",
            "invalid character '\\'' looking for beginning of value",
        ),
        (
            "1e400",
            "json: cannot unmarshal number 1e400 into Go value of type float64",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(unmarshal(input).unwrap_err(), want, "input {input:?}");
    }
}

#[test]
fn unmarshal_into_typed_targets() {
    assert_eq!(
        unmarshal_map("[1]").unwrap_err(),
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert_eq!(
        unmarshal_array("{}").unwrap_err(),
        "json: cannot unmarshal object into Go value of type []interface {}"
    );
    assert_eq!(
        unmarshal_map("\"s\"").unwrap_err(),
        "json: cannot unmarshal string into Go value of type map[string]interface {}"
    );
    let arr = unmarshal_array(r#"["one", 2, { "name": "helm" }]"#).unwrap();
    assert_eq!(
        format!("{arr:?}"),
        r#"["one", float64(2), {"name": "helm"} as map[string]interface {}] as []interface {}"#
    );
}

#[test]
fn decoder_prefix() {
    let (node, used) = parse_prefix(" [1, 2],b=3", EofStyle::Decoder).unwrap();
    assert_eq!(
        node,
        Node::Arr(vec![Node::Num("1".into()), Node::Num("2".into())])
    );
    assert_eq!(used, 7);
    let (_, used) = parse_prefix("1x", EofStyle::Decoder).unwrap();
    assert_eq!(used, 1);
    assert_eq!(
        parse_prefix("{\"a\":", EofStyle::Decoder).unwrap_err(),
        "unexpected EOF"
    );
}

#[test]
fn cyclic_maps_fail_instead_of_overflowing() {
    let inner = map(vec![("x", Value::int(1))]);
    let outer = map(vec![("inner", inner.clone())]);
    if let Value::Map(im) = &inner {
        im.borrow_mut().entries.insert("back".into(), outer.clone());
    }
    assert!(marshal(&outer).unwrap_err().contains("encountered a cycle"));
    assert!(crate::yaml::marshal(&outer).is_err());
    if let Value::Map(im) = &inner {
        im.borrow_mut().entries.remove("back");
    }
}
