//! Parse errors with Go's messages and line numbers.
mod common;
use common::*;

fn perr(text: &str) -> String {
    err(text, "{}")
}

#[test]
fn operand_and_action_errors() {
    assert_eq!(
        perr("{{ .a }"),
        "template: t:1: unexpected \"}\" in operand"
    );
    assert_eq!(
        perr("{{ if }}x{{ end }}"),
        "template: t:1: missing value for if"
    );
    assert_eq!(perr("{{ }}"), "template: t:1: missing value for command");
    assert_eq!(perr("a\n{{ end }}"), "template: t:2: unexpected {{end}}");
    assert_eq!(perr("{{ else }}"), "template: t:1: unexpected {{else}}");
    assert_eq!(perr("{{ if .a }}x"), "template: t:1: unexpected EOF");
    assert_eq!(
        perr("{{ foo }}"),
        "template: t:1: function \"foo\" not defined"
    );
    assert_eq!(perr("{{ $x }}"), "template: t:1: undefined variable \"$x\"");
    assert_eq!(
        perr("{{ \"abc }}"),
        "template: t:1: unterminated quoted string"
    );
    assert_eq!(
        perr("{{ `abc }}"),
        "template: t:1: unterminated raw quoted string"
    );
    assert_eq!(
        perr("{{ 'a }}"),
        "template: t:1: unterminated character constant"
    );
    assert_eq!(
        perr("{{/* c */ }}"),
        "template: t:1: comment ends before closing delimiter"
    );
    assert_eq!(perr("{{/* c "), "template: t:1: unclosed comment");
    assert_eq!(
        perr("{{ 1 | 2 }}"),
        "template: t:1: non executable command in pipeline stage 2"
    );
    assert_eq!(
        perr("{{ break }}"),
        "template: t:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        perr("{{ continue }}"),
        "template: t:1: {{continue}} outside {{range}}"
    );
    assert_eq!(perr("{{ (1 }}"), "template: t:1: unclosed left paren");
    // The lexer emits the paren before its error item; the parser stops at the paren.
    assert_eq!(
        perr("{{ ) }}"),
        "template: t:1: unexpected \")\" in command"
    );
    assert_eq!(perr("{{ 3x }}"), "template: t:1: bad number syntax: \"3x\"");
    assert_eq!(perr("{{ .a"), "template: t:1: unclosed action");
    assert_eq!(perr("{{ ."), "template: t:1: illegal number syntax: \".\"");
    assert_eq!(
        perr("{{ .a\n\n"),
        "template: t:3: unclosed action started at t:1"
    );
    assert_eq!(
        perr("{{ .a # }}"),
        "template: t:1: unexpected \"#\" in operand"
    );
    assert_eq!(
        perr("{{ \"x\".a }}"),
        "template: t:1: unexpected . after term \"\\\"x\\\"\""
    );
    assert_eq!(
        perr("{{ .a ^ }}"),
        "template: t:1: unexpected \"^\" in operand"
    );
    assert_eq!(
        perr("{{ template .a }}"),
        "template: t:1: unexpected \".a\" in template clause"
    );
    assert_eq!(
        perr("{{ $x, $y := .a }}"),
        "template: t:1: too many declarations in command"
    );
    assert_eq!(
        perr("{{ range $a, $b, $c := .l }}{{ end }}"),
        "template: t:1: too many declarations in range"
    );
    assert_eq!(
        perr("{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}"),
        "template: t:1: template: multiple definition of template \"a\""
    );
    assert_eq!(
        perr("{{ with .a }}{{ else }}{{ else }}{{ end }}"),
        "template: t:1: expected end; found {{else}}"
    );
    assert_eq!(
        perr("{{ 0x }}"),
        "template: t:1: illegal number syntax: \"0x\""
    );
    assert_eq!(
        perr("{{ 99999999999999999999 }}"),
        "template: t:1: integer overflow: 99999999999999999999"
    );
    assert_eq!(
        perr("{{ .a | \"x\" }}"),
        "template: t:1: non executable command in pipeline stage 2"
    );
}

#[test]
fn a_long_token_is_truncated_in_the_message() {
    assert_eq!(
        perr("{{ if 1 }}{{ else \"abcdefghijklmnopq\" }}{{ end }}"),
        "template: t:1: unexpected \"\\\"abcdefghi\"... in else"
    );
    assert_eq!(
        perr("{{ define .x }}"),
        "template: t:1: unexpected \".x\" in define clause"
    );
    assert_eq!(
        perr("{{ define \"x\" 1 }}"),
        "template: t:1: unexpected \"1\" in define clause"
    );
    assert_eq!(
        perr("{{ if 1 }}{{ end 1 }}"),
        "template: t:1: unexpected \"1\" in end"
    );
}

#[test]
fn variables_are_scoped_to_their_control_structure() {
    assert_eq!(
        perr("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}"),
        "template: t:1: undefined variable \"$x\""
    );
    // Declared at top level: visible to the end of the template, not inside defines.
    assert_eq!(ok("{{ $x := 1 }}a{{ $x }}", "{}"), "a1");
    assert_eq!(
        perr("{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}"),
        "template: t:1: undefined variable \"$x\""
    );
}

#[test]
fn break_and_continue_are_identifiers_when_functions_exist() {
    use kspm_gotmpl::{FuncMap, Function, MissingKey, Param, Signature, Value};
    let mut funcs = FuncMap::new();
    funcs.insert(
        "break".into(),
        Function::pure(Signature::new(vec![Param::Any]), |a| Ok(a[0].clone())),
    );
    assert_eq!(
        run_with("{{ break 5 }}", "{}", funcs, MissingKey::Default).unwrap(),
        "5"
    );
    let _ = Value::Nil;
}
