use std::collections::BTreeMap;

use kspm_gotmpl::Value;

use super::*;

fn m(pairs: Vec<(&str, Value)>) -> Value {
    Value::map(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn s(x: &str) -> Value {
    Value::string(x)
}

fn y(v: &Value) -> String {
    marshal(v).unwrap()
}

#[test]
fn marshal_basic_layout() {
    assert_eq!(y(&m(vec![("foo", s("bar"))])), "foo: bar\n");
    let v = m(vec![
        ("v", Value::list(vec![s("A"), s("B\nC")])),
        ("a", m(vec![("b", s("c"))])),
        ("e", Value::list(vec![])),
        ("f", m(vec![])),
        ("nil", Value::Nil),
        ("i", Value::int(10)),
        ("x", Value::float64(0.1)),
    ]);
    assert_eq!(
        y(&v),
        "a:\n  b: c\ne: []\nf: {}\ni: 10\nnil: null\nv:\n- A\n- |-\n  B\n  C\nx: 0.1\n"
    );
    assert_eq!(y(&m(vec![])), "{}\n");
    assert_eq!(y(&Value::list(vec![])), "[]\n");
    assert_eq!(y(&s("hello")), "hello\n");
    assert_eq!(y(&Value::Nil), "null\n");
}

#[test]
fn marshal_nested_sequences_and_maps() {
    let v = Value::list(vec![
        m(vec![
            ("a", Value::int(1)),
            ("b", Value::list(vec![Value::int(2), Value::int(3)])),
        ]),
        Value::list(vec![s("x"), s("z")]),
    ]);
    assert_eq!(y(&v), "- a: 1\n  b:\n  - 2\n  - 3\n- - x\n  - z\n");
    let v = m(vec![(
        "v",
        Value::list(vec![
            s("A"),
            Value::int(1),
            m(vec![("B", Value::list(vec![Value::int(2), Value::int(3)]))]),
        ]),
    )]);
    assert_eq!(y(&v), "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n");
}

#[test]
fn marshal_quotes_like_go_yaml_v2() {
    let cases = [
        ("true", "v: \"true\"\n"),
        ("false", "v: \"false\"\n"),
        ("10", "v: \"10\"\n"),
        ("", "v: \"\"\n"),
        ("-", "v: '-'\n"),
        ("<foo>", "v: <foo>\n"),
        ("1:1", "v: \"1:1\"\n"),
        ("\u{0}", "v: \"\\0\"\n"),
        ("你好", "v: 你好\n"),
        ("2015-02-24T18:19:39Z", "v: \"2015-02-24T18:19:39Z\"\n"),
        ("b: c", "v: 'b: c'\n"),
        ("Hello #comment", "v: 'Hello #comment'\n"),
        ("你好 #comment", "v: '你好 #comment'\n"),
        ("yes", "v: \"yes\"\n"),
        ("y", "v: \"y\"\n"),
        ("~", "v: \"~\"\n"),
        ("null", "v: \"null\"\n"),
        ("1.0", "v: \"1.0\"\n"),
        ("0o17", "v: \"0o17\"\n"),
        ("<<", "v: <<\n"),
        ("n", "v: \"n\"\n"),
        (" lead", "v: ' lead'\n"),
        ("trail ", "v: 'trail '\n"),
        ("it's", "v: it's\n"),
        ("'q'", "v: '''q'''\n"),
        ("a\tb", "v: \"a\\tb\"\n"),
        ("*star", "v: '*star'\n"),
        ("@at", "v: '@at'\n"),
        ("a: ", "v: 'a: '\n"),
        ("key:value", "v: key:value\n"),
        ("😀", "v: \"\\U0001F600\"\n"),
        ("--- x", "v: '--- x'\n"),
        ("a\n", "v: |\n  a\n"),
        ("a\n\n", "v: |+\n  a\n\n"),
        ("\na", "v: |2-\n\n  a\n"),
        ("a \nb", "v: \"a \\nb\"\n"),
        ("{x}", "v: '{x}'\n"),
        ("x{}", "v: x{}\n"),
    ];
    for (input, want) in cases {
        assert_eq!(y(&m(vec![("v", s(input))])), want, "string {input:?}");
    }
}

#[test]
fn marshal_folds_long_strings_at_80_columns() {
    let text = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ";
    assert_eq!(
        y(&m(vec![("a", s(text))])),
        "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n"
    );
    let plain = text.trim_end();
    assert_eq!(
        y(&m(vec![("a", s(plain))])),
        "a: abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890\n"
    );
}

#[test]
fn marshal_numbers_through_json() {
    let v = m(vec![
        ("a", Value::float64(3.0)),
        ("b", Value::float64(1.5)),
        ("c", Value::float64(1e20)),
        ("d", Value::float64(1234567.5)),
        ("e", Value::float64(0.000001)),
        ("f", Value::int64(-7)),
        ("g", Value::float64(1e21)),
    ]);
    assert_eq!(
        y(&v),
        "a: 3\nb: 1.5\nc: 1e+20\nd: 1.2345675e+06\ne: 1e-06\nf: -7\ng: 1e+21\n"
    );
    assert_eq!(
        marshal(&Value::float64(f64::NAN)).unwrap_err(),
        "error marshaling into JSON: json: unsupported value: NaN"
    );
}

#[test]
fn marshal_key_order_is_natural() {
    let v = m(vec![
        ("a10", Value::int(1)),
        ("a9", Value::int(1)),
        ("B", Value::int(1)),
        ("_x", Value::int(1)),
    ]);
    // Non-letters sort before letters.
    assert_eq!(y(&v), "_x: 1\nB: 1\na9: 1\na10: 1\n");
}

#[test]
fn marshal_long_and_multiline_keys() {
    let long = "k".repeat(130);
    assert_eq!(
        y(&m(vec![(long.as_str(), Value::int(1))])),
        format!("? {long}\n: 1\n")
    );
    assert_eq!(
        y(&m(vec![("a\nb", Value::int(1))])),
        "? |-\n  a\n  b\n: 1\n"
    );
}

fn dbg(v: &Value) -> String {
    format!("{v:?}")
}

#[test]
fn unmarshal_types_like_helm() {
    let v = unmarshal_map(
        "a: 1\nb: yes\nc: ~\nd: 0x10\ne: 1.5\nf: 2001-12-14\ng: \"3\"\nh: [1, two]\n1: int key\ntrue: bool key\n1.5: float key\n",
    )
    .unwrap();
    assert_eq!(
        dbg(&v),
        r#"{"1": "int key", "1.5": "float key", "a": float64(1), "b": Bool(true), "c": Nil, "d": float64(16), "e": float64(1.5), "f": "2001-12-14", "g": "3", "h": [float64(1), "two"] as []interface {}, "true": "bool key"} as map[string]interface {}"#
    );
}

#[test]
fn unmarshal_anchors_and_merge_keys() {
    let text = "base: &b\n  x: 1\n  q: 2\nother:\n  <<: *b\n  q: 3\nlist:\n  <<: [{z: 1}, {z: 2, w: 0}]\nbefore:\n  q: 9\n  <<: *b\nref: *b\n";
    let v = unmarshal_map(text).unwrap();
    assert_eq!(
        dbg(&v),
        r#"{"base": {"q": float64(2), "x": float64(1)} as map[string]interface {}, "before": {"q": float64(2), "x": float64(1)} as map[string]interface {}, "list": {"w": float64(0), "z": float64(1)} as map[string]interface {}, "other": {"q": float64(3), "x": float64(1)} as map[string]interface {}, "ref": {"q": float64(2), "x": float64(1)} as map[string]interface {}} as map[string]interface {}"#
    );
    assert_eq!(
        unmarshal_map("a: &x 1\nb:\n  <<: *x\n").unwrap_err(),
        "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"
    );
}

#[test]
fn unmarshal_helm_table_rows() {
    // helm-funcs/fromYamlArray-block and fromYaml-array-error.
    let v = unmarshal_array("- one\n- 2\n- name: helm\n").unwrap();
    assert_eq!(
        dbg(&v),
        r#"["one", float64(2), {"name": "helm"} as map[string]interface {}] as []interface {}"#
    );
    assert_eq!(
        unmarshal_map("- one\n- two\n").unwrap_err(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    // helm-funcs/merge-yaml-first reads JSON through YAML.
    let v = unmarshal_map("{\"a\":{\"b\":\"d\"}}").unwrap();
    assert_eq!(
        dbg(&v),
        r#"{"a": {"b": "d"} as map[string]interface {}} as map[string]interface {}"#
    );
}

#[test]
fn unmarshal_yaml11_keys_become_strings() {
    // go-yaml v2 reads the key `y` as true; sigs.k8s.io/yaml then writes it "true".
    let v = unmarshal_map("y: 1\nno: 2\n").unwrap();
    assert_eq!(
        dbg(&v),
        r#"{"false": float64(2), "true": float64(1)} as map[string]interface {}"#
    );
}

#[test]
fn unmarshal_empty_tags_and_documents() {
    assert_eq!(
        dbg(&unmarshal_map("").unwrap()),
        "{} as map[string]interface {}"
    );
    assert_eq!(
        dbg(&unmarshal_map("# only a comment\n").unwrap()),
        "{} as map[string]interface {}"
    );
    assert_eq!(
        dbg(&unmarshal("a: 1\n---\nb: 2\n").unwrap()),
        r#"{"a": float64(1)} as map[string]interface {}"#
    );
    assert_eq!(
        dbg(&unmarshal("a: !!str 12\nb: !!float 1\nc: !custom x\nd: !!binary aGk=\n").unwrap()),
        r#"{"a": "12", "b": float64(1), "c": "x", "d": "hi"} as map[string]interface {}"#
    );
    assert_eq!(
        unmarshal("a: !!int abc\n").unwrap_err(),
        "error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int"
    );
    assert_eq!(
        unmarshal("a: .nan\n").unwrap_err(),
        "error converting YAML to JSON: json: unsupported value: NaN"
    );
    assert_eq!(
        unmarshal_map("hello").unwrap_err(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}"
    );
}

#[test]
fn unmarshal_syntax_errors_like_go_yaml() {
    assert_eq!(
        unmarshal("foo:\n  bar: baz: qux\n").unwrap_err(),
        "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
    assert_eq!(
        unmarshal("a: b: c\n").unwrap_err(),
        "error converting YAML to JSON: yaml: mapping values are not allowed in this context"
    );
    assert_eq!(
        unmarshal("a: *nope\n").unwrap_err(),
        "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"
    );
}

#[test]
fn unmarshal_accepts_tabs_go_yaml_skips() {
    assert_eq!(
        dbg(&unmarshal("key:\tvalue\nb: \t1\n").unwrap()),
        r#"{"b": float64(1), "key": "value"} as map[string]interface {}"#
    );
    assert_eq!(
        dbg(&unmarshal("k: \"a:\tb\"\n").unwrap()),
        r#"{"k": "a:\tb"} as map[string]interface {}"#
    );
    assert_eq!(
        unmarshal("a:\n\t- x\n").unwrap_err(),
        "error converting YAML to JSON: yaml: line 2: found character that cannot start any token"
    );
}

#[test]
fn unmarshal_error_lines_at_end_of_input() {
    assert_eq!(
        unmarshal("a: [1, 2").unwrap_err(),
        "error converting YAML to JSON: yaml: did not find expected ',' or ']'"
    );
    assert_eq!(
        unmarshal("a: [1, 2\n").unwrap_err(),
        "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"
    );
    assert_eq!(
        unmarshal("a:\n  b: 1\n c: 2\n").unwrap_err(),
        "error converting YAML to JSON: yaml: line 2: did not find expected key"
    );
}

#[test]
fn unmarshal_bom_and_crlf() {
    assert_eq!(
        dbg(&unmarshal_map("\u{feff}a: 1\r\nb: x\r\n").unwrap()),
        r#"{"a": float64(1), "b": "x"} as map[string]interface {}"#
    );
}

#[test]
fn unmarshal_refuses_alias_bombs_and_deep_nesting() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        text.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    assert_eq!(
        unmarshal(&text).unwrap_err(),
        "error converting YAML to JSON: yaml: document contains excessive aliasing"
    );
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    assert!(unmarshal(&deep).is_ok());
    let deeper = "- ".repeat(1_001) + "x";
    assert_eq!(
        unmarshal(&deeper).unwrap_err(),
        "error converting YAML to JSON: yaml: exceeded max depth of 1000"
    );
}

#[test]
fn deep_nesting_within_the_limit_stays_on_the_stack() {
    let depth = 1_000;
    let v = unmarshal(&("- ".repeat(depth) + "1")).unwrap();
    let y = marshal(&v).unwrap();
    assert!(y.starts_with("- - - "));
    let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let j = crate::json::unmarshal(&text).unwrap();
    assert!(crate::json::marshal(&j).is_ok());
    assert!(marshal(&j).is_ok());
    assert!(crate::json::marshal(&v).is_ok());
    let deeper = format!("{}1{}", "[".repeat(depth + 1), "]".repeat(depth + 1));
    assert_eq!(
        crate::json::unmarshal(&deeper).unwrap_err(),
        "exceeded max depth"
    );
}

#[test]
fn unmarshal_refuses_control_characters_and_names_the_target_type() {
    assert_eq!(
        unmarshal("a: b\u{7f}\n").unwrap_err(),
        "error converting YAML to JSON: yaml: control characters are not allowed"
    );
    assert_eq!(
        unmarshal_map_typed("just text", "chartutil.Values").unwrap_err(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type chartutil.Values"
    );
}

#[test]
fn marshal_pretty_like_go_yaml_v3() {
    // helm pkg/engine/funcs_test.go: toYamlPretty of {"baz": []int{1, 2, 3}}.
    let v = m(vec![(
        "baz",
        Value::list(vec![Value::int(1), Value::int(2), Value::int(3)]),
    )]);
    assert_eq!(marshal_pretty(&v).unwrap(), "baz:\n  - 1\n  - 2\n  - 3\n");
    let v = m(vec![
        (
            "list",
            Value::list(vec![m(vec![
                ("a", Value::int(1)),
                ("b", Value::list(vec![s("x")])),
            ])]),
        ),
        ("f", Value::float64(1e6)),
        ("g", Value::float64(3.0)),
        ("on", s("on")),
        ("long", s(&"word ".repeat(30))),
    ]);
    assert_eq!(
        marshal_pretty(&v).unwrap(),
        format!(
            "f: 1e+06\ng: 3\nlist:\n  - a: 1\n    b:\n      - x\nlong: '{}'\n\"on\": \"on\"\n",
            "word ".repeat(30)
        )
    );
}

#[test]
fn unmarshal_tolerates_indentation_go_yaml_does_not_check() {
    // Flow collections closed left of their key, continuation lines of quoted scalars left
    // of the block: go-yaml reads both.
    assert_eq!(
        dbg(&unmarshal("spec:\n  args: [\n  \"a\",\n]\n  b: {x: 1,\nz: [2]}\n").unwrap()),
        r#"{"spec": {"args": ["a"] as []interface {}, "b": {"x": float64(1), "z": [float64(2)] as []interface {}} as map[string]interface {}} as map[string]interface {}} as map[string]interface {}"#
    );
    assert_eq!(
        dbg(&unmarshal("a:\n  b: \"long\ntext\"\n  c: 'it''s\nhere'\n").unwrap()),
        r#"{"a": {"b": "long text", "c": "it's here"} as map[string]interface {}} as map[string]interface {}"#
    );
    // Block structure stays strict.
    assert_eq!(
        unmarshal("a: x[0]\n  b: 1\n").unwrap_err(),
        "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
}

#[test]
fn unmarshal_reads_only_the_first_document_even_when_empty() {
    assert_eq!(dbg(&unmarshal("---\n---\na: 1\n").unwrap()), "Nil");
    assert_eq!(dbg(&unmarshal("--- # c\n...\n---\na: 1\n").unwrap()), "Nil");
    assert_eq!(dbg(&unmarshal("").unwrap()), "Nil");
}

#[test]
fn unmarshal_more_error_texts() {
    let cases = [
        ("a: !x!y 1\n", "yaml: found undefined tag handle"),
        (
            "a: &\n",
            "yaml: did not find expected alphabetic or numeric character",
        ),
        (
            "a:\n  - b\n  c: 1\n",
            "yaml: line 2: did not find expected '-' indicator",
        ),
        (
            "a: {b: 1\n",
            "yaml: line 1: did not find expected ',' or '}'",
        ),
        ("a: |\n  x\n y\n", "yaml: line 2: did not find expected key"),
        (
            "a: 1\nb\nc: 2\n",
            "yaml: line 3: could not find expected ':'",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            unmarshal(input).unwrap_err(),
            format!("error converting YAML to JSON: {want}"),
            "input {input:?}"
        );
    }
}
