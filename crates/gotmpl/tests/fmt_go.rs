//! Go's fmt behaviour (Sprint, Sprintln, Sprintf) as documented in the fmt package.

use std::collections::BTreeMap;

use kspm_gotmpl::fmt::{sprint, sprintf, sprintln};
use kspm_gotmpl::{FloatKind, IntKind, UintKind, Value};

fn s(x: &str) -> Value {
    Value::string(x)
}
fn i(x: i64) -> Value {
    Value::int(x)
}
fn f(x: f64) -> Value {
    Value::float64(x)
}
fn pf(fmt: &str, args: &[Value]) -> String {
    sprintf(fmt, args)
}

#[test]
fn sprint_spacing() {
    assert_eq!(sprint(&[s("a"), s("b")]), "ab");
    assert_eq!(sprint(&[i(1), i(2)]), "1 2");
    assert_eq!(sprint(&[s("a"), i(1), s("b")]), "a1b");
    assert_eq!(sprint(&[i(1), s("a"), i(2)]), "1a2");
    assert_eq!(sprint(&[Value::Nil, Value::Nil]), "<nil> <nil>");
    assert_eq!(sprint(&[]), "");
    assert_eq!(sprintln(&[s("a"), s("b"), i(3)]), "a b 3\n");
    assert_eq!(sprintln(&[]), "\n");
}

#[test]
fn floats_v() {
    assert_eq!(sprint(&[f(1e6)]), "1e+06");
    assert_eq!(sprint(&[f(100000.0)]), "100000");
    assert_eq!(sprint(&[f(123456789.0)]), "1.23456789e+08");
    assert_eq!(sprint(&[f(3.0)]), "3");
    assert_eq!(sprint(&[f(0.1)]), "0.1");
    assert_eq!(sprint(&[f(1e-5)]), "1e-05");
    assert_eq!(sprint(&[f(-2.5)]), "-2.5");
    assert_eq!(sprint(&[f(1e21)]), "1e+21");
    assert_eq!(sprint(&[f(f64::INFINITY)]), "+Inf");
    assert_eq!(sprint(&[f(f64::NEG_INFINITY)]), "-Inf");
    assert_eq!(sprint(&[f(f64::NAN)]), "NaN");
    assert_eq!(sprint(&[Value::Float(0.1, FloatKind::Float32)]), "0.1");
}

#[test]
fn float_verbs() {
    assert_eq!(pf("%f", &[f(3.5)]), "3.500000");
    assert_eq!(pf("%.2f", &[f(2.675)]), "2.67");
    assert_eq!(pf("%.0f", &[f(2.5)]), "2");
    assert_eq!(pf("%e", &[f(1234.5678)]), "1.234568e+03");
    assert_eq!(pf("%E", &[f(0.000123)]), "1.230000E-04");
    assert_eq!(pf("%g", &[f(1234.5678)]), "1234.5678");
    assert_eq!(pf("%.3g", &[f(1234.5678)]), "1.23e+03");
    assert_eq!(pf("%G", &[f(1e-7)]), "1E-07");
    assert_eq!(pf("%8.3f|", &[f(-3.24159)]), "  -3.242|");
    assert_eq!(pf("%-8.2f|", &[f(1.0)]), "1.00    |");
    assert_eq!(pf("%+.1f", &[f(2.0)]), "+2.0");
    assert_eq!(pf("%08.3f", &[f(-1.5)]), "-001.500");
    assert_eq!(pf("% .2f", &[f(1.0)]), " 1.00");
    assert_eq!(pf("%F", &[f(1.0)]), "1.000000");
    assert_eq!(pf("%#g", &[f(1.0)]), "1.00000");
    assert_eq!(pf("%#.0f", &[f(1.0)]), "1.");
    assert_eq!(pf("%5.1f|", &[f(f64::INFINITY)]), " +Inf|");
    assert_eq!(pf("%d", &[f(1.0)]), "%!d(float64=1)");
}

#[test]
fn integer_verbs() {
    assert_eq!(pf("%d", &[i(-42)]), "-42");
    assert_eq!(pf("%5d|%-5d|", &[i(42), i(42)]), "   42|42   |");
    assert_eq!(pf("%05d", &[i(42)]), "00042");
    assert_eq!(pf("%+d", &[i(42)]), "+42");
    assert_eq!(
        pf("%x %X %o %O %b", &[i(255), i(255), i(8), i(8), i(5)]),
        "ff FF 10 0o10 101"
    );
    assert_eq!(pf("%#x %#o %#b", &[i(255), i(8), i(5)]), "0xff 010 0b101");
    assert_eq!(pf("%x", &[i(-255)]), "-ff");
    assert_eq!(pf("%.3d", &[i(7)]), "007");
    assert_eq!(pf("%6.3d|", &[i(7)]), "   007|");
    assert_eq!(pf("%.0d|", &[i(0)]), "|");
    assert_eq!(pf("%c", &[i(65)]), "A");
    assert_eq!(pf("%q", &[i(65)]), "'A'");
    assert_eq!(pf("%U", &[i(0x1F600)]), "U+1F600");
    assert_eq!(pf("%#U", &[i(65)]), "U+0041 'A'");
    assert_eq!(pf("%v", &[Value::Uint(7, UintKind::Uint8)]), "7");
    assert_eq!(pf("%#v", &[Value::Uint(7, UintKind::Uint)]), "0x7");
    assert_eq!(
        pf("%v", &[Value::Int(i64::MIN, IntKind::Int64)]),
        "-9223372036854775808"
    );
    assert_eq!(pf("%s", &[i(5)]), "%!s(int=5)");
    assert_eq!(pf("%t", &[i(1)]), "%!t(int=1)");
}

#[test]
fn strings_and_bytes() {
    assert_eq!(
        pf("%s|%10s|%-10s|", &[s("hi"), s("hi"), s("hi")]),
        "hi|        hi|hi        |"
    );
    assert_eq!(pf("%.2s", &[s("héllo")]), "hé");
    assert_eq!(pf("%5.1s|", &[s("abc")]), "    a|");
    assert_eq!(pf("%q", &[s("a\"b\n")]), "\"a\\\"b\\n\"");
    assert_eq!(pf("%#q", &[s("a\"b")]), "`a\"b`");
    assert_eq!(pf("%+q", &[s("é")]), "\"\\u00e9\"");
    assert_eq!(pf("%x", &[s("hi")]), "6869");
    assert_eq!(pf("% x", &[s("hi")]), "68 69");
    assert_eq!(pf("%#x", &[s("hi")]), "0x6869");
    assert_eq!(pf("% #X", &[s("hi")]), "0X68 0X69");
    assert_eq!(pf("%v", &[s("x")]), "x");
    assert_eq!(pf("%#v", &[s("x")]), "\"x\"");
    assert_eq!(pf("%05s", &[s("ab")]), "000ab");
    assert_eq!(pf("%d", &[s("hi")]), "%!d(string=hi)");
    let b = Value::Bytes(std::rc::Rc::from(&b"hi"[..]));
    assert_eq!(pf("%s", std::slice::from_ref(&b)), "hi");
    assert_eq!(pf("%v", std::slice::from_ref(&b)), "[104 105]");
    assert_eq!(pf("%x", std::slice::from_ref(&b)), "6869");
    assert_eq!(pf("%q", &[b]), "\"hi\"");
}

#[test]
fn bools_nil_types() {
    assert_eq!(
        pf("%t %v", &[Value::Bool(true), Value::Bool(false)]),
        "true false"
    );
    assert_eq!(pf("%d", &[Value::Bool(true)]), "%!d(bool=true)");
    assert_eq!(pf("%v", &[Value::Nil]), "<nil>");
    assert_eq!(pf("%d", &[Value::Nil]), "%!d(<nil>)");
    assert_eq!(pf("%s", &[Value::Nil]), "%!s(<nil>)");
    assert_eq!(pf("%T", &[Value::Nil]), "<nil>");
    assert_eq!(
        pf("%T %T %T %T", &[s("a"), i(1), f(1.0), Value::Bool(true)]),
        "string int float64 bool"
    );
    assert_eq!(pf("%T", &[Value::list(vec![])]), "[]interface {}");
    assert_eq!(
        pf("%T", &[Value::map(BTreeMap::new())]),
        "map[string]interface {}"
    );
    assert_eq!(pf("%8T|", &[i(1)]), "     int|");
}

#[test]
fn composites() {
    let l = Value::list(vec![s("a"), i(1), Value::Nil, f(2.5)]);
    assert_eq!(pf("%v", std::slice::from_ref(&l)), "[a 1 <nil> 2.5]");
    assert_eq!(pf("%d", &[Value::list(vec![i(1), i(2)])]), "[1 2]");
    assert_eq!(
        pf("%s", std::slice::from_ref(&l)),
        "[a %!s(int=1) <nil> %!s(float64=2.5)]"
    );
    assert_eq!(
        pf("%#v", &[l]),
        "[]interface {}{\"a\", 1, interface {}(nil), 2.5}"
    );
    assert_eq!(pf("%v", &[Value::string_list(["x", "y"])]), "[x y]");
    assert_eq!(pf("%q", &[Value::string_list(["x", "y"])]), "[\"x\" \"y\"]");
    let mut m = BTreeMap::new();
    m.insert("b".to_string(), i(2));
    m.insert("a".to_string(), Value::list(vec![s("x")]));
    let mut inner = BTreeMap::new();
    inner.insert("k".to_string(), Value::Nil);
    m.insert("c".to_string(), Value::map(inner));
    let m = Value::map(m);
    assert_eq!(
        pf("%v", std::slice::from_ref(&m)),
        "map[a:[x] b:2 c:map[k:<nil>]]"
    );
    assert_eq!(
        pf("%#v", &[m]),
        "map[string]interface {}{\"a\":[]interface {}{\"x\"}, \"b\":2, \"c\":map[string]interface {}{\"k\":interface {}(nil)}}"
    );
    assert_eq!(pf("%v", &[Value::map(BTreeMap::new())]), "map[]");
    assert_eq!(pf("%v", &[Value::list(vec![])]), "[]");
    assert_eq!(
        pf("%6v|", &[Value::list(vec![i(1), i(2)])]),
        "[     1      2]|"
    );
}

#[test]
fn printf_errors_and_args() {
    assert_eq!(pf("%d %d", &[i(1)]), "1 %!d(MISSING)");
    assert_eq!(
        pf("%d", &[i(1), i(2), s("x")]),
        "1%!(EXTRA int=2, string=x)"
    );
    assert_eq!(pf("x", &[Value::Nil]), "x%!(EXTRA <nil>)");
    assert_eq!(pf("%", &[]), "%!(NOVERB)");
    assert_eq!(pf("%!", &[]), "%!!(MISSING)");
    assert_eq!(pf("%z", &[i(1)]), "%!z(int=1)");
    assert_eq!(pf("100%%", &[]), "100%");
    assert_eq!(pf("%[2]d %[1]d", &[i(1), i(2)]), "2 1");
    assert_eq!(pf("%[3]d", &[i(1)]), "%!d(BADINDEX)");
    assert_eq!(pf("%[1]d %d", &[i(1), i(2)]), "1 2");
    assert_eq!(pf("%[2]*[1]d|", &[i(12), i(5)]), "   12|");
    assert_eq!(pf("%*d|", &[i(5), i(1)]), "    1|");
    assert_eq!(pf("%-*d|", &[i(3), i(1)]), "1  |");
    assert_eq!(pf("%*d|", &[i(-3), i(1)]), "1  |");
    assert_eq!(pf("%.*f", &[i(2), f(3.24159)]), "3.24");
    assert_eq!(pf("%*d", &[s("x"), i(1)]), "%!(BADWIDTH)1");
    assert_eq!(pf("%.*d", &[s("x"), i(1)]), "%!(BADPREC)1");
    assert_eq!(pf("%5d", &[s("hi")]), "%!d(string=   hi)");
    assert_eq!(pf("%v %v", &[Value::Invalid, Value::Nil]), "<nil> <nil>");
}
