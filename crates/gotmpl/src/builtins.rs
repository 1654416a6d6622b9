//! Go's builtin template functions (`and`/`or` short-circuit in the executor): comparison
//! with Go's basic-kind rules, `index`, `slice`, `len`, `not`, printing and escaping.

use std::rc::Rc;

use crate::fmt as gofmt;
use crate::value::{List, UintKind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Call,
}

pub fn lookup(name: &str) -> Option<Builtin> {
    Some(match name {
        "and" => Builtin::And,
        "or" => Builtin::Or,
        "not" => Builtin::Not,
        "len" => Builtin::Len,
        "index" => Builtin::Index,
        "slice" => Builtin::Slice,
        "eq" => Builtin::Eq,
        "ne" => Builtin::Ne,
        "lt" => Builtin::Lt,
        "le" => Builtin::Le,
        "gt" => Builtin::Gt,
        "ge" => Builtin::Ge,
        "print" => Builtin::Print,
        "printf" => Builtin::Printf,
        "println" => Builtin::Println,
        "html" => Builtin::Html,
        "js" => Builtin::Js,
        "urlquery" => Builtin::Urlquery,
        "call" => Builtin::Call,
        _ => return None,
    })
}

pub fn is_builtin(name: &str) -> bool {
    lookup(name).is_some()
}

/// How a builtin's parameter is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BParam {
    /// `reflect.Value`: the raw value, no value kept as such.
    Reflect,
    /// `interface {}`.
    Any,
    /// `string`.
    String,
}

/// (fixed parameters, variadic parameter) as Go declares them.
pub fn signature(b: Builtin) -> (&'static [BParam], Option<BParam>) {
    use BParam::*;
    match b {
        Builtin::And | Builtin::Or | Builtin::Index | Builtin::Slice | Builtin::Eq => {
            (&[Reflect], Some(Reflect))
        }
        Builtin::Call => (&[Reflect], Some(Reflect)),
        Builtin::Not | Builtin::Len => (&[Reflect], None),
        Builtin::Ne | Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => {
            (&[Reflect, Reflect], None)
        }
        Builtin::Print | Builtin::Println | Builtin::Html | Builtin::Js | Builtin::Urlquery => {
            (&[], Some(Any))
        }
        Builtin::Printf => (&[String], Some(Any)),
    }
}

/// Go's `indirectInterface`: a nil interface is no value.
fn ind(v: &Value) -> &Value {
    match v {
        Value::Nil => &Value::Invalid,
        v => v,
    }
}

pub fn call(b: Builtin, args: &[Value]) -> Result<Value, String> {
    match b {
        Builtin::And | Builtin::Or => Err("and/or are evaluated by the executor".into()),
        Builtin::Not => Ok(Value::Bool(!ind(&args[0]).truth())),
        Builtin::Len => length(&args[0]).map(|n| Value::int(n as i64)),
        Builtin::Index => index(&args[0], &args[1..]),
        Builtin::Slice => slice(&args[0], &args[1..]),
        Builtin::Eq => eq(&args[0], &args[1..]).map(Value::Bool),
        Builtin::Ne => eq(&args[0], &args[1..2]).map(|b| Value::Bool(!b)),
        Builtin::Lt => lt(&args[0], &args[1]).map(Value::Bool),
        Builtin::Le => le(&args[0], &args[1]).map(Value::Bool),
        Builtin::Gt => le(&args[0], &args[1]).map(|b| Value::Bool(!b)),
        Builtin::Ge => lt(&args[0], &args[1]).map(|b| Value::Bool(!b)),
        Builtin::Print => Ok(Value::string(gofmt::sprint(args))),
        Builtin::Println => Ok(Value::string(gofmt::sprintln(args))),
        Builtin::Printf => {
            let f = args[0].as_str().unwrap_or_default().to_string();
            Ok(Value::string(gofmt::sprintf(&f, &args[1..])))
        }
        Builtin::Html => Ok(Value::string(html_escape(&eval_args(args)))),
        Builtin::Js => Ok(Value::string(js_escape(&eval_args(args)))),
        Builtin::Urlquery => Ok(Value::string(query_escape(&eval_args(args)))),
        Builtin::Call => match ind(&args[0]) {
            Value::Invalid => Err("call of nil".into()),
            v => Err(format!("non-function of type {}", v.type_name())),
        },
    }
}

/// Go's `evalArgs` for the escapers: one string as is, else `Sprint` with no value shown as
/// `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Invalid | Value::Nil => Value::string("<no value>"),
            v => v.clone(),
        })
        .collect();
    gofmt::sprint(&printable)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(..) => Kind::Int,
        Value::Uint(..) => Kind::Uint,
        Value::Float(..) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";
const NO_COMPARISON: &str = "missing argument for comparison";

fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Invalid | Value::Nil)
}

pub fn eq(a1: &Value, rest: &[Value]) -> Result<bool, String> {
    let a1 = ind(a1);
    if rest.is_empty() {
        return Err(NO_COMPARISON.into());
    }
    let k1 = basic_kind(a1);
    for a in rest {
        let a = ind(a);
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            match (a1, a) {
                (Value::Int(i, _), Value::Uint(u, _)) => *i >= 0 && *i as u64 == *u,
                (Value::Uint(u, _), Value::Int(i, _)) => *i >= 0 && *u == *i as u64,
                _ => {
                    if !is_nil(a1) && !is_nil(a) {
                        return Err(BAD_COMPARISON.into());
                    }
                    false
                }
            }
        } else {
            match (a1, a) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x, _), Value::Int(y, _)) => x == y,
                (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
                (Value::Float(x, _), Value::Float(y, _)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                _ => {
                    if is_nil(a1) || is_nil(a) {
                        is_nil(a1) == is_nil(a)
                    } else {
                        match (a1, a) {
                            (Value::Object(x), Value::Object(y)) => {
                                x.type_name() == y.type_name() && x.format_v() == y.format_v()
                            }
                            (x, y) if x.type_name() != y.type_name() => {
                                return Err(format!(
                                    "non-comparable types {}: {}, {}: {}",
                                    gofmt::sprintf("%s", std::slice::from_ref(x)),
                                    x.type_name(),
                                    y.type_name(),
                                    gofmt::sprintf("%s", std::slice::from_ref(y)),
                                ));
                            }
                            (_, y) => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    gofmt::sprintf("%s", std::slice::from_ref(y)),
                                    y.type_name()
                                ));
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn lt(a1: &Value, a2: &Value) -> Result<bool, String> {
    let a1 = ind(a1);
    let a2 = ind(a2);
    let k1 = basic_kind(a1);
    if k1 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    let k2 = basic_kind(a2);
    if k2 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return match (a1, a2) {
            (Value::Int(i, _), Value::Uint(u, _)) => Ok(*i < 0 || (*i as u64) < *u),
            (Value::Uint(u, _), Value::Int(i, _)) => Ok(*i >= 0 && *u < *i as u64),
            _ => Err(BAD_COMPARISON.into()),
        };
    }
    match (a1, a2) {
        (Value::Bool(_), _) => Err(BAD_COMPARISON_TYPE.into()),
        (Value::Int(x, _), Value::Int(y, _)) => Ok(x < y),
        (Value::Uint(x, _), Value::Uint(y, _)) => Ok(x < y),
        (Value::Float(x, _), Value::Float(y, _)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x.as_bytes() < y.as_bytes()),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}

pub fn le(a1: &Value, a2: &Value) -> Result<bool, String> {
    if lt(a1, a2)? {
        return Ok(true);
    }
    eq(a1, std::slice::from_ref(a2))
}

fn length(v: &Value) -> Result<usize, String> {
    match v {
        Value::Nil => Err("len of nil pointer".into()),
        Value::Invalid => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::String(s) => Ok(s.len()),
        Value::Bytes(b) => Ok(b.len()),
        Value::List(l) => Ok(l.items.len()),
        Value::Map(m) => Ok(m.borrow().entries.len()),
        Value::Object(o) => o
            .len()
            .or_else(|| o.items().map(|i| i.len()))
            .or_else(|| o.entries().map(|e| e.len()))
            .ok_or_else(|| format!("len of type {}", o.type_name())),
        other => Err(format!("len of type {}", other.type_name())),
    }
}

fn index_arg(i: &Value, cap: usize) -> Result<usize, String> {
    let x: i64 = match ind(i) {
        Value::Int(n, _) => *n,
        Value::Uint(n, _) => *n as i64,
        Value::Invalid => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// Whether a list's elements are interfaces (so that `index` returns them boxed, which
/// only matters to error messages) — and the zero value of a map's elements.
pub fn map_elem_zero(type_name: &str) -> Value {
    let elem = type_name
        .strip_prefix("map[")
        .and_then(|r| r.split_once(']'))
        .map(|(_, e)| e)
        .unwrap_or("interface {}");
    zero_of(elem)
}

/// The zero value of a Go type named `t` (nil for interfaces and other reference types).
pub fn zero_of(t: &str) -> Value {
    use crate::value::{FloatKind, IntKind};
    match t {
        "string" => Value::string(""),
        "bool" => Value::Bool(false),
        "int" => Value::Int(0, IntKind::Int),
        "int8" => Value::Int(0, IntKind::Int8),
        "int16" => Value::Int(0, IntKind::Int16),
        "int32" => Value::Int(0, IntKind::Int32),
        "int64" => Value::Int(0, IntKind::Int64),
        "uint" => Value::Uint(0, UintKind::Uint),
        "uint8" => Value::Uint(0, UintKind::Uint8),
        "uint16" => Value::Uint(0, UintKind::Uint16),
        "uint32" => Value::Uint(0, UintKind::Uint32),
        "uint64" => Value::Uint(0, UintKind::Uint64),
        "float64" => Value::Float(0.0, FloatKind::Float64),
        "float32" => Value::Float(0.0, FloatKind::Float32),
        _ => Value::Nil,
    }
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    let mut item = ind(item).clone();
    if matches!(item, Value::Invalid) {
        return Err("index of untyped nil".into());
    }
    for i in indexes {
        let i = ind(i);
        item = match &item {
            Value::Nil | Value::Invalid => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let x = index_arg(i, l.items.len())?;
                l.items
                    .get(x)
                    .cloned()
                    .ok_or_else(|| "reflect: slice index out of range".to_string())?
            }
            Value::Bytes(b) => {
                let x = index_arg(i, b.len())?;
                let c = b
                    .get(x)
                    .ok_or_else(|| "reflect: slice index out of range".to_string())?;
                Value::Uint(*c as u64, UintKind::Uint8)
            }
            Value::String(s) => {
                let x = index_arg(i, s.len())?;
                let c = s
                    .as_bytes()
                    .get(x)
                    .ok_or_else(|| "reflect: string index out of range".to_string())?;
                Value::Uint(*c as u64, UintKind::Uint8)
            }
            Value::Map(m) => {
                let key = match i {
                    Value::String(k) => k.clone(),
                    Value::Invalid => {
                        return Err("value is nil; should be of type string".into());
                    }
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                let m = m.borrow();
                match m.entries.get(&*key) {
                    Some(v) => v.clone(),
                    None => map_elem_zero(&m.type_name),
                }
            }
            Value::Object(o) if o.items().is_some() => {
                let items = o.items().unwrap_or_default();
                let x = index_arg(i, items.len())?;
                items
                    .get(x)
                    .cloned()
                    .ok_or_else(|| "reflect: slice index out of range".to_string())?
            }
            Value::Object(o) if o.kind() == "map" => {
                let Value::String(k) = i else {
                    return Err(format!(
                        "value has type {}; should be string",
                        i.type_name()
                    ));
                };
                o.field(k).unwrap_or(Value::Nil)
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    let item = ind(item);
    if matches!(item, Value::Invalid) {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.items.len(),
        Value::Bytes(b) => b.len(),
        Value::Object(o) if o.items().is_some() => {
            let items = o.items().unwrap_or_default();
            let list = Value::List(Rc::new(List {
                type_name: Rc::from(o.type_name().as_str()),
                items,
            }));
            return slice(&list, indexes);
        }
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0usize, len, len];
    for (k, i) in indexes.iter().enumerate() {
        idx[k] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Value::String(s) => {
            let b = &s.as_bytes()[idx[0]..idx[1]];
            Value::string(String::from_utf8_lossy(b).into_owned())
        }
        Value::List(l) => Value::List(Rc::new(List {
            type_name: l.type_name.clone(),
            items: l.items[idx[0]..idx[1]].to_vec(),
        })),
        Value::Bytes(b) => Value::Bytes(Rc::from(&b[idx[0]..idx[1]])),
        _ => Value::Invalid,
    })
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if crate::strconv::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
