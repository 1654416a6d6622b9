use std::collections::BTreeMap;

use kspm_gotmpl::Value;

use super::*;
use crate::json;

fn m(pairs: Vec<(&str, Value)>) -> Value {
    Value::map(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[test]
fn marshal_layout_like_burntsushi() {
    let v = json::unmarshal(
        r#"{"name":"x","replicas":3,"ratio":1.5,"on":true,"tags":["a","b"],"empty":[],"nil":null,
            "sub":{"k":"v","deeper":{"z":1}},"a-b":{"q w":"e"},
            "items":[{"n":1},{"n":2,"inner":{"x":"y"}}]}"#,
    )
    .unwrap();
    assert_eq!(
        marshal(&v).unwrap(),
        "empty = []\nname = \"x\"\non = true\nratio = 1.5\nreplicas = 3.0\ntags = [\"a\", \"b\"]\n\n[a-b]\n  \"q w\" = \"e\"\n\n[[items]]\n  n = 1.0\n\n[[items]]\n  n = 2.0\n  [items.inner]\n    x = \"y\"\n\n[sub]\n  k = \"v\"\n  [sub.deeper]\n    z = 1.0\n"
    );
}

#[test]
fn marshal_scalars() {
    let v = m(vec![
        ("i", Value::int64(5)),
        ("s", Value::string("a\"b\\c\td\u{1}")),
        ("f", Value::float64(1e21)),
        ("g", Value::float64(0.5)),
        (
            "inline",
            Value::list(vec![
                Value::int(2),
                m(vec![
                    ("a", Value::int(1)),
                    ("b", m(vec![("c", Value::int(3))])),
                ]),
            ]),
        ),
    ]);
    assert_eq!(
        marshal(&v).unwrap(),
        "f = 1000000000000000000000.0\ng = 0.5\ni = 5\ninline = [2, {a = 1, b = {c = 3}}]\ns = \"a\\\"b\\\\c\\td\\u0001\"\n"
    );
}

#[test]
fn marshal_errors() {
    assert_eq!(
        marshal(&Value::string("x")).unwrap_err(),
        "toml: top-level values must be Go maps or structs"
    );
    assert_eq!(
        marshal(&m(vec![(
            "l",
            Value::list(vec![Value::int(1), Value::Nil])
        )]))
        .unwrap_err(),
        "toml: cannot encode array with nil element"
    );
}

fn dbg(v: &Value) -> String {
    format!("{v:?}")
}

#[test]
fn unmarshal_documents() {
    let v = unmarshal("hello = \"world\"").unwrap();
    assert_eq!(dbg(&v), r#"{"hello": "world"} as map[string]interface {}"#);
    let v = unmarshal(
        "# c\na = 1\nb = 1.5\nc = [1, 'x', \"\"\"\nml\"\"\"]\nd.e = true\n[t]\nx = 0x1f\n[t.u]\ny = -inf\n[[arr]]\nn = 1_000\n[[arr]]\nn = 2\ninl = { p = 1, q.r = \"s\" }\n",
    )
    .unwrap();
    assert_eq!(
        dbg(&v),
        r#"{"a": int64(1), "arr": [{"n": int64(1000)} as map[string]interface {}, {"inl": {"p": int64(1), "q": {"r": "s"} as map[string]interface {}} as map[string]interface {}, "n": int64(2)} as map[string]interface {}] as []map[string]interface {}, "b": float64(1.5), "c": [int64(1), "x", "ml"] as []interface {}, "d": {"e": Bool(true)} as map[string]interface {}, "t": {"u": {"y": float64(-inf)} as map[string]interface {}, "x": int64(31)} as map[string]interface {}} as map[string]interface {}"#
    );
}

#[test]
fn unmarshal_errors_like_burntsushi() {
    let cases = [
        (
            "one",
            "toml: line 1: unexpected EOF; expected key separator '='",
        ),
        (
            "one\n",
            "toml: line 2: expected '.' or '=', but got '\\n' instead",
        ),
        ("a = ", "toml: line 1: unexpected EOF; expected value"),
        (
            "a = foo",
            "toml: line 1: expected value but found \"foo\" instead",
        ),
        (
            "a = 1 b",
            "toml: line 1: expected a top-level item to end with a newline, comment, or EOF, but got 'b' instead",
        ),
        ("a = \"x", "toml: line 1: unexpected EOF; expected '\"'"),
        (
            "a = [1 2]",
            "toml: line 1: expected a comma (',') or array terminator (']'), but got '2'",
        ),
        (
            "a = 1\na = 2",
            "toml: line 2 (last key \"a\"): Key 'a' has already been defined.",
        ),
        (
            "[a]\n[a]",
            "toml: line 2 (last key \"a\"): Key 'a' has already been defined.",
        ),
        (
            "a = 01",
            "toml: line 1: invalid integer \"01\": cannot have leading zeroes",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(unmarshal(input).unwrap_err(), want, "input {input:?}");
    }
}

#[test]
fn cyclic_and_deep_values_fail_cleanly() {
    let inner = m(vec![("x", Value::int(1))]);
    let outer = m(vec![("inner", inner.clone())]);
    if let Value::Map(im) = &inner {
        im.borrow_mut().entries.insert("back".into(), outer.clone());
    }
    assert!(marshal(&outer).is_err());
    let deep = format!("a = {}1{}", "[".repeat(300), "]".repeat(300));
    assert!(unmarshal(&deep).is_err());
    let ok = format!("a = {}1{}", "[".repeat(150), "]".repeat(150));
    assert!(unmarshal(&ok).is_ok());
    // Break the cycle so the test does not leak.
    if let Value::Map(im) = &inner {
        im.borrow_mut().entries.remove("back");
    }
}

#[test]
fn helm_functest_cases() {
    // helm pkg/engine/funcs_test.go toToml/fromToml rows.
    assert_eq!(
        marshal(&m(vec![("foo", Value::string("bar"))])).unwrap(),
        "foo = \"bar\"\n"
    );
    assert_eq!(
        marshal(&m(vec![("foo", m(vec![("bar", Value::string("baz"))]))])).unwrap(),
        "[foo]\n  bar = \"baz\"\n"
    );
    assert_eq!(
        marshal(&Value::list(vec![Value::int(1), Value::int(2)])).unwrap_err(),
        "toml: top-level values must be Go maps or structs"
    );
    let show = |t: &str| kspm_gotmpl::fmt::format_value(&unmarshal(t).unwrap());
    assert_eq!(
        show(
            "\n[table]\nkeyInTable = \"valueInTable\"\n[table.subtable]\nkeyInSubtable = \"valueInSubTable\""
        ),
        "map[table:map[keyInTable:valueInTable subtable:map[keyInSubtable:valueInSubTable]]]"
    );
    assert_eq!(
        show(
            "\n[[tableArray]]\nkeyInElement0 = \"valueInElement0\"\n[[tableArray]]\nkeyInElement1 = \"valueInElement1\""
        ),
        "map[tableArray:[map[keyInElement0:valueInElement0] map[keyInElement1:valueInElement1]]]"
    );
}
