//! Execution semantics of Go's text/template.
mod common;
use common::*;

use kspm_gotmpl::{FuncMap, Function, MissingKey, Param, Signature, Value};

#[test]
fn text_actions_and_trimming() {
    assert_eq!(ok("a  {{- 1 -}}  b", "{}"), "a1b");
    assert_eq!(ok("a \n{{- /* c */ -}}\n b", "{}"), "ab");
    assert_eq!(ok("a {{/* c */}} b", "{}"), "a  b");
    assert_eq!(ok("{{ `raw\\n` }}", "{}"), "raw\\n");
    assert_eq!(ok("{{ \"q\\t\\u00e9\" }}", "{}"), "q\té");
    assert_eq!(ok("{{-3}}", "{}"), "-3");
    assert_eq!(
        err("{{ - 3 }}", "{}"),
        "template: t:1: illegal number syntax: \"-\""
    );
}

#[test]
fn numbers_follow_untyped_constant_rules() {
    assert_eq!(
        ok(
            "{{ 0x1F }} {{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 017 }}",
            "{}"
        ),
        "31 1000 5 15 15"
    );
    assert_eq!(
        ok(
            "{{ 1e3 }} {{ 1.5 }} {{ 1e6 }} {{ 'a' }} {{ -5 }} {{ .5 }}",
            "{}"
        ),
        "1000 1.5 1e+06 97 -5 0.5"
    );
    assert_eq!(
        ok("{{ printf \"%T %T %T %T\" 1 1.0 'a' 0x10 }}", "{}"),
        "int float64 int int"
    );
    assert_eq!(ok("{{ printf \"%T\" 1e2 }}", "{}"), "float64");
    assert_eq!(ok("{{ true }} {{ false }}", "{}"), "true false");
}

#[test]
fn data_printing() {
    let d = r#"{"f":1000000,"g":100000,"h":3,"m":{"b":[1,"x"],"a":null},"n":null,"s":"str"}"#;
    assert_eq!(ok("{{ .f }} {{ .g }} {{ .h }}", d), "1e+06 100000 3");
    assert_eq!(ok("{{ .m }}", d), "map[a:<nil> b:[1 x]]");
    assert_eq!(
        ok("{{ .n }}|{{ .missing }}|{{ .m.a }}", d),
        "<no value>|<no value>|<no value>"
    );
    assert_eq!(ok("{{ print .n }}|{{ print .missing }}", d), "<nil>|<nil>");
    assert_eq!(ok("{{ . | printf \"%v\" | len }}", r#"{"a":1}"#), "8");
}

#[test]
fn fields_chains_and_variables() {
    let d = r#"{"a":{"b":{"c":"deep"}},"l":[{"name":"x"},{"name":"y"}]}"#;
    assert_eq!(ok("{{ .a.b.c }}", d), "deep");
    assert_eq!(ok("{{ $x := .a }}{{ $x.b.c }}", d), "deep");
    assert_eq!(ok("{{ (index .l 1).name }}", d), "y");
    assert_eq!(ok("{{ (.a).b.c }}", d), "deep");
    assert_eq!(ok("{{ $.a.b.c }}", d), "deep");
    assert_eq!(
        ok("{{ with .a }}{{ $.l }}{{ end }}", r#"{"a":1,"l":2}"#),
        "2"
    );
    assert_eq!(
        ok(
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            "{}"
        ),
        "2"
    );
    assert_eq!(
        ok(
            "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
            "{}"
        ),
        "21"
    );
    assert_eq!(
        ok(
            "{{ $x := 1 }}{{ range .l }}{{ $x = . }}{{ end }}{{ $x }}",
            r#"{"l":[5,6]}"#
        ),
        "6"
    );
    assert_eq!(
        ok("{{ with $x := .a }}{{ $x }}{{ end }}", r#"{"a":"v"}"#),
        "v"
    );
    assert_eq!(ok("{{ $x := \"a\" }}{{ $x }}", "{}"), "a");
    // Assignment to an undeclared variable parses and fails when executed.
    assert_eq!(
        err("{{ $y = 1 }}", "{}"),
        "template: t:1:8: executing \"t\" at <1>: undefined variable: $y"
    );
}

#[test]
fn conditionals() {
    let d = r#"{"a":0,"b":"","c":[],"d":{},"e":"x","f":[0],"t":true}"#;
    assert_eq!(
        ok(
            "{{ if .a }}1{{ else if .b }}2{{ else if .c }}3{{ else if .d }}4{{ else if .e }}5{{ end }}",
            d
        ),
        "5"
    );
    assert_eq!(
        ok(
            "{{ if .f }}y{{ end }}{{ if .missing }}n{{ else }}e{{ end }}",
            d
        ),
        "ye"
    );
    assert_eq!(ok("{{ with .e }}[{{ . }}]{{ end }}", d), "[x]");
    assert_eq!(
        ok(
            "{{ with .a }}A{{ else with .e }}B{{ . }}{{ else }}C{{ end }}",
            d
        ),
        "Bx"
    );
    assert_eq!(
        ok(
            "{{ with .a }}A{{ else with .b }}B{{ else }}C{{ . | len }}{{ end }}",
            d
        ),
        "C7"
    );
    assert_eq!(ok("{{ if and .t .e }}y{{ end }}", d), "y");
}

#[test]
fn range_forms() {
    let d = r#"{"l":["a","b","c"],"m":{"z":1,"a":2},"e":[],"n":null}"#;
    assert_eq!(ok("{{ range .l }}{{ . }}{{ end }}", d), "abc");
    assert_eq!(
        ok("{{ range $i, $v := .l }}{{ $i }}{{ $v }}{{ end }}", d),
        "0a1b2c"
    );
    assert_eq!(ok("{{ range $v := .l }}{{ $v }}{{ end }}", d), "abc");
    assert_eq!(
        ok("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", d),
        "a=2;z=1;"
    );
    assert_eq!(ok("{{ range .m }}{{ . }}{{ end }}", d), "21");
    assert_eq!(ok("{{ range .e }}x{{ else }}empty{{ end }}", d), "empty");
    assert_eq!(ok("{{ range .n }}x{{ else }}nil{{ end }}", d), "nil");
    assert_eq!(
        ok("{{ range .missing }}x{{ else }}none{{ end }}", d),
        "none"
    );
    assert_eq!(ok("{{ range 3 }}{{ . }}{{ end }}", d), "012");
    assert_eq!(ok("{{ range $i := 2 }}[{{ $i }}]{{ end }}", d), "[0][1]");
    assert_eq!(ok("{{ range 0 }}x{{ else }}zero{{ end }}", d), "zero");
    assert_eq!(
        ok(
            "{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
            d
        ),
        "a"
    );
    assert_eq!(
        ok(
            "{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
            d
        ),
        "ac"
    );
    assert_eq!(
        ok("{{ $i := 9 }}{{ range $i, $v := .l }}{{ end }}{{ $i }}", d),
        "9"
    );
    assert_eq!(
        ok("{{ $x := 0 }}{{ range $x = .l }}{{ end }}{{ $x }}", d),
        "c"
    );
    assert_eq!(
        ok(
            "{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .l }}{{ end }}{{ $i }}{{ $v }}",
            d
        ),
        "2c"
    );
    assert_eq!(
        err("{{ range .l.x }}{{ end }}", r#"{"l":"str"}"#),
        "template: t:1:11: executing \"t\" at <.l.x>: can't evaluate field x in type interface {}"
    );
    assert_eq!(
        err("{{ range \"abc\" }}{{ end }}", d),
        "template: t:1:9: executing \"t\" at <\"abc\">: range can't iterate over abc"
    );
    assert_eq!(
        err("{{ range $i, $v := 3 }}{{ end }}", d),
        "template: t:1:19: executing \"t\" at <3>: can't use 3 to iterate over more than one variable"
    );
}

#[test]
fn define_template_block() {
    let t = r#"{{ define "a" }}A{{ .x }}{{ end }}{{ template "a" . }}|{{ template "a" dict }}|{{ block "b" .x }}B{{ . }}{{ end }}"#;
    let mut funcs = FuncMap::new();
    funcs.insert(
        "dict".into(),
        Function::pure(Signature::new(vec![]), |_| {
            Ok(Value::map(Default::default()))
        }),
    );
    assert_eq!(
        run_with(t, r#"{"x":1}"#, funcs, MissingKey::Default).unwrap(),
        "A1|A<no value>|B1"
    );
    assert_eq!(
        ok(
            "{{ template \"x\" }}{{ define \"x\" }}[{{ . }}]{{ end }}",
            "{}"
        ),
        "[<no value>]"
    );
    assert_eq!(
        err("{{ template \"nope\" }}", "{}"),
        "template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"
    );
    // Variables do not leak into templates; $ is the template's dot.
    assert_eq!(
        ok(
            "{{ define \"v\" }}{{ $ }}{{ end }}{{ template \"v\" 5 }}",
            "{}"
        ),
        "5"
    );
}

#[test]
fn redefinition_across_parses() {
    use kspm_gotmpl::Template;
    let mut t = Template::new("set");
    t.parse("a", "{{ define \"x\" }}one{{ end }}").unwrap();
    t.parse("b", "{{ template \"x\" }}").unwrap();
    assert_eq!(t.execute("b", Value::Nil).unwrap(), "one");
    t.parse("c", "{{ define \"x\" }}two{{ end }}").unwrap();
    assert_eq!(t.execute("b", Value::Nil).unwrap(), "two");
    // An empty definition does not replace a non-empty one.
    t.parse("d", "{{ define \"x\" }}  {{ end }}").unwrap();
    assert_eq!(t.execute("b", Value::Nil).unwrap(), "two");
    assert_eq!(t.defined_templates(), vec!["a", "b", "c", "d", "x"]);
    let e = t.execute("zz", Value::Nil).unwrap_err();
    assert_eq!(
        e.to_string(),
        "template: no template \"zz\" associated with template \"set\""
    );
    // A clone's definitions stay in the clone.
    let mut c = t.clone();
    c.parse("e", "{{ define \"x\" }}three{{ end }}").unwrap();
    assert_eq!(c.execute("b", Value::Nil).unwrap(), "three");
    assert_eq!(t.execute("b", Value::Nil).unwrap(), "two");
}

#[test]
fn builtin_logic_and_comparison() {
    assert_eq!(
        ok(
            "{{ and 1 0 }}|{{ and 1 2 }}|{{ or 0 \"\" \"x\" }}|{{ or 0 \"\" }}|{{ not 0 }}",
            "{}"
        ),
        "0|2|x||true"
    );
    assert_eq!(
        ok(
            "{{ eq 1 1 }} {{ eq \"a\" \"b\" \"a\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}",
            "{}"
        ),
        "true true true true true true false"
    );
    assert_eq!(
        ok(
            "{{ eq .missing \"x\" }} {{ eq .n .missing }}",
            r#"{"n":null}"#
        ),
        "false true"
    );
    assert_eq!(
        err("{{ eq 1 \"a\" }}", "{}"),
        "template: t:1:3: executing \"t\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison"
    );
    assert_eq!(
        err("{{ eq .f 1 }}", r#"{"f":1}"#),
        "template: t:1:3: executing \"t\" at <eq .f 1>: error calling eq: incompatible types for comparison"
    );
    assert_eq!(
        err("{{ lt true false }}", "{}"),
        "template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison"
    );
    assert_eq!(
        err("{{ eq 1 }}", "{}"),
        "template: t:1:3: executing \"t\" at <eq 1>: error calling eq: missing argument for comparison"
    );
    assert_eq!(
        err("{{ lt 1 }}", "{}"),
        "template: t:1:3: executing \"t\" at <lt>: wrong number of args for lt: want 2 got 1"
    );
    assert_eq!(
        err("{{ not }}", "{}"),
        "template: t:1:3: executing \"t\" at <not>: wrong number of args for not: want 1 got 0"
    );
    assert_eq!(
        err("{{ and }}", "{}"),
        "template: t:1:3: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0"
    );
    assert_eq!(
        ok("{{ 1 | and 1 }} {{ 0 | or 0 }} {{ 2 | eq 2 }}", "{}"),
        "1 0 true"
    );
}

fn failing() -> FuncMap {
    let mut f = FuncMap::new();
    f.insert(
        "boom".into(),
        Function::pure(Signature::new(vec![]), |_| Err("boom!".into())),
    );
    f.insert(
        "upper".into(),
        Function::pure(Signature::new(vec![Param::String]), |a| {
            Ok(Value::string(a[0].as_str().unwrap_or("").to_uppercase()))
        }),
    );
    f.insert(
        "join".into(),
        Function::pure(Signature::variadic(vec![Param::String], Param::Any), |a| {
            let parts: Vec<String> = a[1..].iter().map(kspm_gotmpl::fmt::format_value).collect();
            Ok(Value::string(parts.join(a[0].as_str().unwrap_or(""))))
        }),
    );
    f.insert(
        "add".into(),
        Function::pure(Signature::new(vec![Param::Int, Param::Int]), |a| {
            match (&a[0], &a[1]) {
                (Value::Int(x, _), Value::Int(y, _)) => Ok(Value::int(x + y)),
                _ => Err("bad".into()),
            }
        }),
    );
    f.insert(
        "half".into(),
        Function::pure(Signature::new(vec![Param::Float64]), |a| match a[0] {
            Value::Float(x, _) => Ok(Value::float64(x / 2.0)),
            _ => Err("bad".into()),
        }),
    );
    f.insert(
        "isnil".into(),
        Function::pure(Signature::new(vec![Param::Any]), |a| {
            Ok(Value::Bool(matches!(a[0], Value::Nil)))
        }),
    );
    f.insert(
        "nothing".into(),
        Function::pure(Signature::new(vec![]), |_| Ok(Value::Nil)),
    );
    f
}

fn frun(text: &str, json: &str, mk: MissingKey) -> Result<String, String> {
    run_with(text, json, failing(), mk)
}

#[test]
fn short_circuit_skips_later_arguments() {
    assert_eq!(
        frun(
            "{{ or 1 boom }}{{ and 0 (boom) }}",
            "{}",
            MissingKey::Default
        )
        .unwrap(),
        "10"
    );
    assert_eq!(
        frun("{{ or 0 boom }}", "{}", MissingKey::Default).unwrap_err(),
        "template: t:1:8: executing \"t\" at <boom>: error calling boom: boom!"
    );
}

#[test]
fn function_arguments_are_checked_as_go_does() {
    let d = r#"{"n":1.5,"s":"x","l":[1]}"#;
    let m = MissingKey::Default;
    assert_eq!(
        frun("{{ upper .s }}{{ .s | upper }}{{ upper \"b\" }}", d, m).unwrap(),
        "XXB"
    );
    assert_eq!(
        frun("{{ add 1 2 }} {{ half 3 }} {{ half 1.5 }}", d, m).unwrap(),
        "3 1.5 0.75"
    );
    assert_eq!(
        frun("{{ join \"-\" 1 \"a\" .n }}", d, m).unwrap(),
        "1-a-1.5"
    );
    assert_eq!(frun("{{ join \",\" }}", d, m).unwrap(), "");
    assert_eq!(
        frun("{{ upper 3 }}", d, m).unwrap_err(),
        "template: t:1:9: executing \"t\" at <3>: expected string; found 3"
    );
    assert_eq!(
        frun("{{ upper .n }}", d, m).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.n>: wrong type for value; expected string; got float64"
    );
    assert_eq!(
        frun("{{ upper .missing }}", d, m).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.missing>: invalid value; expected string"
    );
    assert_eq!(
        frun("{{ upper .missing }}", d, MissingKey::Zero).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.missing>: wrong type for value; expected string; got interface {}"
    );
    assert_eq!(
        frun("{{ .missing | upper }}", d, MissingKey::Zero).unwrap_err(),
        "template: t:1:14: executing \"t\" at <upper>: invalid value; expected string"
    );
    assert_eq!(
        frun("{{ upper \"a\" \"b\" }}", d, m).unwrap_err(),
        "template: t:1:3: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 2"
    );
    assert_eq!(
        frun("{{ \"a\" | upper \"b\" }}", d, m).unwrap_err(),
        "template: t:1:9: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 2"
    );
    assert_eq!(
        frun("{{ join }}", d, m).unwrap_err(),
        "template: t:1:3: executing \"t\" at <join>: wrong number of args for join: want at least 1 got 0"
    );
    assert_eq!(
        frun("{{ add 1.5 2 }}", d, m).unwrap_err(),
        "template: t:1:7: executing \"t\" at <1.5>: expected integer; found 1.5"
    );
    assert_eq!(
        frun("{{ upper nil }}", d, m).unwrap_err(),
        "template: t:1:9: executing \"t\" at <nil>: cannot assign nil to string"
    );
    assert_eq!(
        frun("{{ boom }}", d, m).unwrap_err(),
        "template: t:1:3: executing \"t\" at <boom>: error calling boom: boom!"
    );
    assert_eq!(
        frun("{{ upper (boom) }}", d, m).unwrap_err(),
        "template: t:1:10: executing \"t\" at <boom>: error calling boom: boom!"
    );
    assert_eq!(
        frun("{{ isnil .missing }} {{ isnil nil }} {{ isnil .s }}", d, m).unwrap(),
        "true true false"
    );
    assert_eq!(
        frun("{{ nothing }}|{{ isnil (nothing) }}", d, m).unwrap(),
        "<no value>|true"
    );
}

#[test]
fn missing_keys_per_option() {
    let d = r#"{"a":{"n":null},"s":"x"}"#;
    assert_eq!(
        frun("{{ .x }}|{{ .x.y }}", d, MissingKey::Default).unwrap(),
        "<no value>|<no value>"
    );
    assert_eq!(
        frun("{{ .x }}|{{ .a.n }}", d, MissingKey::Zero).unwrap(),
        "<no value>|<no value>"
    );
    assert_eq!(
        frun("{{ .x.y }}", d, MissingKey::Zero).unwrap_err(),
        "template: t:1:5: executing \"t\" at <.x.y>: nil pointer evaluating interface {}.y"
    );
    assert_eq!(
        frun("{{ .a.n.z }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:5: executing \"t\" at <.a.n.z>: nil pointer evaluating interface {}.z"
    );
    assert_eq!(
        frun("{{ .x }}", d, MissingKey::Error).unwrap_err(),
        "template: t:1:3: executing \"t\" at <.x>: map has no entry for key \"x\""
    );
    assert_eq!(
        frun("{{ .s.y }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:5: executing \"t\" at <.s.y>: can't evaluate field y in type interface {}"
    );
    assert_eq!(
        frun("{{ $x := \"s\" }}{{ $x.y }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:20: executing \"t\" at <$x.y>: can't evaluate field y in type string"
    );
    assert_eq!(
        frun("{{ .s 1 }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:3: executing \"t\" at <.s>: s is not a method but has arguments"
    );
    assert_eq!(
        frun("{{ 1 2 }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1"
    );
    assert_eq!(
        frun("{{ nil }}", d, MissingKey::Default).unwrap_err(),
        "template: t:1:3: executing \"t\" at <nil>: nil is not a command"
    );
}

#[test]
fn len_index_slice() {
    let d = r#"{"l":["a","b","c"],"m":{"k":{"z":[10,20]}},"s":"héllo"}"#;
    assert_eq!(
        ok("{{ len .l }} {{ len .m }} {{ len .s }} {{ len \"\" }}", d),
        "3 1 6 0"
    );
    assert_eq!(
        ok(
            "{{ index .l 1 }} {{ index .m \"k\" \"z\" 1 }} {{ index .s 0 }} {{ index .m \"nope\" }}",
            d
        ),
        "b 20 104 <no value>"
    );
    assert_eq!(ok("{{ index .l }}", d), "[a b c]");
    assert_eq!(
        ok(
            "{{ slice .l 1 }} {{ slice .l 1 2 }} {{ slice .s 1 3 }} {{ slice .l }}",
            d
        ),
        "[b c] [b] é [a b c]"
    );
    assert_eq!(
        err("{{ index .l 5 }}", d),
        "template: t:1:3: executing \"t\" at <index .l 5>: error calling index: index out of range: 5"
    );
    assert_eq!(
        err("{{ index .l 3 }}", d),
        "template: t:1:3: executing \"t\" at <index .l 3>: error calling index: reflect: slice index out of range"
    );
    assert_eq!(
        err("{{ index .l \"x\" }}", d),
        "template: t:1:3: executing \"t\" at <index .l \"x\">: error calling index: cannot index slice/array with type string"
    );
    assert_eq!(
        err("{{ index 1 1 }}", d),
        "template: t:1:3: executing \"t\" at <index 1 1>: error calling index: can't index item of type int"
    );
    assert_eq!(
        err("{{ len 3 }}", d),
        "template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int"
    );
    assert_eq!(
        err("{{ slice .l 2 1 }}", d),
        "template: t:1:3: executing \"t\" at <slice .l 2 1>: error calling slice: invalid slice index: 2 > 1"
    );
    assert_eq!(
        err("{{ index .missing 1 }}", d),
        "template: t:1:3: executing \"t\" at <index .missing 1>: error calling index: index of untyped nil"
    );
}

#[test]
fn printing_and_escaping() {
    assert_eq!(
        ok(
            "{{ print 1 2 \"a\" 3 }}|{{ println \"x\" 1 }}|{{ printf \"%d-%s\" 1 \"b\" }}",
            "{}"
        ),
        "1 2a3|x 1\n|1-b"
    );
    assert_eq!(
        ok("{{ printf \"%d\" \"x\" }}|{{ printf \"%s\" }}", "{}"),
        "%!d(string=x)|%!s(MISSING)"
    );
    assert_eq!(
        ok("{{ html \"<a href='x'>&\\\"\" }}", "{}"),
        "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"
    );
    assert_eq!(
        ok("{{ js \"a'b\\\"<>&=\\\\\\n\" }}", "{}"),
        "a\\'b\\\"\\u003C\\u003E\\u0026\\u003D\\\\\\u000A"
    );
    assert_eq!(
        ok("{{ urlquery \"a b&c=d/é\" }}", "{}"),
        "a+b%26c%3Dd%2F%C3%A9"
    );
    assert_eq!(
        ok("{{ html 1 2 }} {{ html .missing }}", "{}"),
        "1 2 &lt;no value&gt;"
    );
    assert_eq!(ok("{{ \"<b>\" | html }}", "{}"), "&lt;b&gt;");
    assert_eq!(
        err("{{ call .missing }}", "{}"),
        "template: t:1:3: executing \"t\" at <call .missing>: error calling call: call of nil"
    );
}

#[test]
fn positions_in_multiline_templates() {
    let t = "line1\n  {{ .a }}\n    {{ upper .b.c }}";
    assert_eq!(
        frun(t, r#"{"a":1,"b":{"c":2}}"#, MissingKey::Default).unwrap_err(),
        "template: t:3:15: executing \"t\" at <.b.c>: wrong type for value; expected string; got float64"
    );
    let t = "{{ define \"d\" }}\n{{ boom }}{{ end }}{{ template \"d\" }}";
    assert_eq!(
        frun(t, "{}", MissingKey::Default).unwrap_err(),
        "template: t:2:3: executing \"d\" at <boom>: error calling boom: boom!"
    );
}
