//! `reflect.DeepEqual` and Sprig's `empty` over values.

use kspm_gotmpl::Value;

/// Go's `reflect.DeepEqual` for the values templates hold: equal types and equal
/// contents (so `int 1` and `int64 1` differ, and NaN differs from itself).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    let nil = |v: &Value| matches!(v, Value::Nil | Value::Invalid);
    if nil(a) || nil(b) {
        return nil(a) && nil(b);
    }
    if a.type_name() != b.type_name() {
        return false;
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
        (Value::Float(x, _), Value::Float(y, _)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            if std::rc::Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.entries.len() == y.entries.len()
                && x.entries
                    .iter()
                    .all(|(k, v)| y.entries.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            std::rc::Rc::ptr_eq(x, y) || x.format_v() == y.format_v()
        }
        _ => false,
    }
}

/// Sprig's `empty`: nil, false, zero numbers, empty strings, slices and maps; a struct is
/// never empty; pointers when nil.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Object(o) => match o.kind() {
            "struct" => false,
            _ => match o.len() {
                Some(n) => n == 0,
                None => !o.truth(),
            },
        },
        other => !other.truth(),
    }
}
