//! Arbitrary template text never panics: every input parses to a tree or a Go parse
//! error, and every tree executes to output or a Go execution error.
mod common;
use common::*;

const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    "\n",
    ".",
    ".a",
    ".a.b",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-2",
    "0x1f",
    "1.5e3",
    "nil",
    "true",
    "len",
    "index",
    "slice",
    "printf",
    "print",
    "eq",
    "lt",
    "and",
    "or",
    "not",
    "html",
    "js",
    "urlquery",
    "call",
    ",",
    "/*",
    "*/",
    "\"unterminated",
    "é",
    "}",
    "{",
    "#",
    "\t",
    "\"%d %s\"",
    "0",
    "'",
    "\\",
    "$.a",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn random_templates_never_panic() {
    let mut rng = Lcg(42);
    let d = r#"{"a":{"b":[1,"x",null]},"l":[1,2],"s":"str"}"#;
    let mut parsed = 0;
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 14;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(FRAGMENTS[rng.next() % FRAGMENTS.len()]);
            if rng.next().is_multiple_of(3) {
                text.push(' ');
            }
        }
        if run(&text, d).is_ok() {
            parsed += 1;
        }
    }
    // Sanity: the generator reaches both outcomes.
    assert!(parsed > 100, "only {parsed} templates ran");
}

#[test]
fn deep_nesting_is_an_error_or_works_not_a_crash() {
    let deep = format!("{{{{ {}1{} }}}}", "(".repeat(20_000), ")".repeat(20_000));
    let e = err(&deep, "{}");
    assert_eq!(e, "template: t:1: max expression depth exceeded");
    let ok_depth = format!("{{{{ {}1{} }}}}", "(".repeat(2_000), ")".repeat(2_000));
    assert_eq!(ok(&ok_depth, "{}"), "1");
    let ifs = format!(
        "{}x{}",
        "{{ if true }}".repeat(9_000),
        "{{ end }}".repeat(9_000)
    );
    assert_eq!(ok(&ifs, "{}"), "x");
}
