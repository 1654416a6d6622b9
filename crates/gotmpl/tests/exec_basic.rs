mod common;
use common::*;

#[test]
fn smoke() {
    assert_eq!(ok("hello {{ .name }}!", r#"{"name":"w"}"#), "hello w!");
    assert_eq!(ok("{{ .a.b }}", r#"{"a":{"b":1}}"#), "1");
    assert_eq!(ok("{{ .missing }}", "{}"), "<no value>");
    assert_eq!(ok("{{ if .a }}y{{ else }}n{{ end }}", r#"{"a":0}"#), "n");
    assert_eq!(
        ok(
            "{{ range $i, $v := .l }}{{$i}}={{$v}} {{ end }}",
            r#"{"l":["a","b"]}"#
        ),
        "0=a 1=b "
    );
    assert_eq!(
        ok(
            "{{ range $k, $v := . }}{{$k}}={{$v}};{{ end }}",
            r#"{"b":2,"a":1}"#
        ),
        "a=1;b=2;"
    );
    assert_eq!(
        ok(
            "{{- define \"x\" }}X{{ . }}{{ end -}}\n{{ template \"x\" 3 }}",
            "{}"
        ),
        "X3"
    );
    assert_eq!(
        ok("{{ printf \"%05.1f|%v\" 3.14159 .l }}", r#"{"l":[1,"a"]}"#),
        "003.1|[1 a]"
    );
    assert_eq!(
        err("{{ .a.b }}", r#"{"a":"s"}"#),
        "template: t:1:5: executing \"t\" at <.a.b>: can't evaluate field b in type interface {}"
    );
}
