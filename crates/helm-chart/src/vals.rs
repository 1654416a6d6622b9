//! Helpers over gotmpl values used as Helm's `map[string]interface{}` values trees.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{Map, Value};

/// A new, empty `map[string]interface {}`.
pub fn new_map() -> Value {
    Value::map(BTreeMap::new())
}

/// Helm's `istable`: a `map[string]interface{}` (any map value of ours).
pub fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// The map behind a table value.
pub fn as_table(v: &Value) -> Option<&Rc<RefCell<Map>>> {
    match v {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// Go's `nil` inside values (a YAML `null`).
pub fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Nil | Value::Invalid)
}

pub fn get(map: &Value, key: &str) -> Option<Value> {
    as_table(map).and_then(|m| m.borrow().entries.get(key).cloned())
}

pub fn set(map: &Value, key: &str, value: Value) {
    if let Some(m) = as_table(map) {
        m.borrow_mut().entries.insert(key.to_string(), value);
    }
}

pub fn remove(map: &Value, key: &str) {
    if let Some(m) = as_table(map) {
        m.borrow_mut().entries.remove(key);
    }
}

/// A snapshot of the entries (values are shared, as Go map values are).
pub fn entries(map: &Value) -> Vec<(String, Value)> {
    as_table(map)
        .map(|m| {
            m.borrow()
                .entries
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Go's `maps.Copy` into a fresh map: a shallow copy.
pub fn shallow_copy(map: &Value) -> Value {
    Value::map(entries(map).into_iter().collect())
}

/// Helm's `Values.Table("a.b.c")`: the table at a dotted path, every step a table.
pub fn table(root: &Value, path: &str) -> Option<Value> {
    let mut cur = root.clone();
    for part in path.split('.') {
        let next = get(&cur, part)?;
        if !is_table(&next) {
            return None;
        }
        cur = next;
    }
    Some(cur)
}

/// Helm's `Values.PathValue("a.b.c")`: the non-table value at a dotted path.
pub fn path_value(root: &Value, path: &str) -> Option<Value> {
    if path.is_empty() {
        return None;
    }
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (table(root, p)?, k),
        None => (root.clone(), path),
    };
    let v = get(&parent, key)?;
    if is_table(&v) { None } else { Some(v) }
}

/// Remove every nil entry from a map, recursively, in place.
pub fn clean_nils(map: &Value) {
    let Some(m) = as_table(map) else { return };
    let children: Vec<Value> = {
        let mut b = m.borrow_mut();
        b.entries.retain(|_, v| !is_nil(v));
        b.entries
            .values()
            .filter(|v| is_table(v))
            .cloned()
            .collect()
    };
    for c in children {
        clean_nils(&c);
    }
}

/// A deep copy with every nil entry removed (Helm's `trimNilValues`).
pub fn trim_nils(map: &Value) -> Value {
    let copy = map.deep_copy();
    clean_nils(&copy);
    copy
}
