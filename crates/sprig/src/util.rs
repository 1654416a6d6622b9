//! Registration and argument helpers shared by the function modules.

use std::rc::Rc;

use kspm_gotmpl::{FuncMap, Function, List, Param, Signature, Value};

/// The result of a function body.
pub type Ret = Result<Value, String>;

/// Register a function with fixed parameters.
pub fn reg(
    m: &mut FuncMap,
    name: &str,
    params: Vec<Param>,
    f: impl Fn(Vec<Value>) -> Ret + Send + Sync + 'static,
) {
    m.insert(name.to_string(), Function::pure(Signature::new(params), f));
}

/// Register a function whose last parameter is variadic (`...T`).
pub fn reg_var(
    m: &mut FuncMap,
    name: &str,
    params: Vec<Param>,
    rest: Param,
    f: impl Fn(Vec<Value>) -> Ret + Send + Sync + 'static,
) {
    m.insert(
        name.to_string(),
        Function::pure(Signature::variadic(params, rest), f),
    );
}

/// A `string` argument (the engine converted it to the signature).
pub fn s(args: &[Value], i: usize) -> &str {
    match args.get(i) {
        Some(Value::String(s)) => s,
        _ => "",
    }
}

/// An integer argument (`int`, `int64`, `uint32`).
pub fn n(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(v, _)) => *v,
        Some(Value::Uint(v, _)) => *v as i64,
        Some(Value::Float(v, _)) => *v as i64,
        _ => 0,
    }
}

/// A `bool` argument.
pub fn b(args: &[Value], i: usize) -> bool {
    matches!(args.get(i), Some(Value::Bool(true)))
}

/// Argument `i` (an `interface {}` parameter), nil when absent.
pub fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

pub fn string(s: impl Into<Rc<str>>) -> Value {
    Value::String(s.into())
}

/// A new `[]string`.
pub fn strings(items: Vec<String>) -> Value {
    Value::string_list(items)
}

/// A new slice of the given Go type.
pub fn typed_list(type_name: &str, items: Vec<Value>) -> Value {
    Value::List(Rc::new(List {
        type_name: Rc::from(type_name),
        items,
    }))
}

/// A new `[]int`.
pub fn ints(items: Vec<i64>) -> Value {
    typed_list("[]int", items.into_iter().map(Value::int).collect())
}

/// Go's nil check for an `interface {}` argument.
pub fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Nil | Value::Invalid)
}

/// The items of a slice or array value (`reflect` Kind Slice/Array, including named
/// slice types such as Helm's `chartutil.VersionSet`), or `None`.
pub fn slice_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Object(o) if matches!(o.kind(), "slice" | "array") => o.items(),
        Value::List(l) => Some(l.items.clone()),
        Value::Bytes(b) => Some(
            b.iter()
                .map(|x| Value::Uint(u64::from(*x), kspm_gotmpl::UintKind::Uint8))
                .collect(),
        ),
        _ => None,
    }
}

/// `reflect.TypeOf(v).Kind()` as Go names it in messages (`int`, `map`, `ptr`); Go panics
/// with a nil pointer dereference on a nil interface.
pub fn kind_for_error(v: &Value) -> Result<String, String> {
    if is_nil(v) {
        return Err(NIL_DEREF.to_string());
    }
    Ok(v.kind_name().to_string())
}

pub const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";
