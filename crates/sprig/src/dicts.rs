//! Dictionary functions over `map[string]interface {}` (Go maps are shared references:
//! `set`, `unset` and `merge` change the map every holder sees), and `dig`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{FuncMap, Map, Param, Value};

use crate::cast::strval;
use crate::deep::empty;
use crate::util::{Ret, arg, is_nil, reg, reg_var, s, string, strings};

type MapRef = Rc<RefCell<Map>>;

fn map_arg(v: &Value) -> Option<&MapRef> {
    match v {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

fn maps(args: &[Value]) -> Vec<MapRef> {
    args.iter().filter_map(map_arg).cloned().collect()
}

pub fn register(m: &mut FuncMap) {
    use Param::{Any, Map as M, String as Str};
    reg_var(m, "dict", vec![], Any, |a| {
        let mut entries = BTreeMap::new();
        for pair in a.chunks(2) {
            let key = strval(&pair[0]);
            entries.insert(key, pair.get(1).cloned().unwrap_or_else(|| string("")));
        }
        Ok(Value::map(entries))
    });
    reg(m, "get", vec![M, Str], |a| {
        let Some(d) = map_arg(&a[0]) else {
            return Ok(string(""));
        };
        Ok(d.borrow()
            .entries
            .get(s(&a, 1))
            .cloned()
            .unwrap_or_else(|| string("")))
    });
    reg(m, "set", vec![M, Str, Any], |a| {
        if let Some(d) = map_arg(&a[0]) {
            d.borrow_mut()
                .entries
                .insert(s(&a, 1).to_string(), arg(&a, 2));
        } else {
            return Err("assignment to entry in nil map".into());
        }
        Ok(a[0].clone())
    });
    reg(m, "unset", vec![M, Str], |a| {
        if let Some(d) = map_arg(&a[0]) {
            d.borrow_mut().entries.remove(s(&a, 1));
        }
        Ok(a[0].clone())
    });
    reg(m, "hasKey", vec![M, Str], |a| {
        Ok(Value::Bool(map_arg(&a[0]).is_some_and(|d| {
            d.borrow().entries.contains_key(s(&a, 1))
        })))
    });
    reg_var(m, "pluck", vec![Str], M, |a| {
        let key = s(&a, 0);
        let found = maps(&a[1..])
            .iter()
            .filter_map(|d| d.borrow().entries.get(key).cloned())
            .collect();
        Ok(Value::list(found))
    });
    reg_var(m, "keys", vec![], M, |a| {
        let mut k = Vec::new();
        for d in maps(&a) {
            k.extend(d.borrow().entries.keys().cloned());
        }
        Ok(strings(k))
    });
    reg_var(m, "pick", vec![M], Str, |a| {
        let mut out = BTreeMap::new();
        if let Some(d) = map_arg(&a[0]) {
            let d = d.borrow();
            for k in &a[1..] {
                let k = k.as_str().unwrap_or_default();
                if let Some(v) = d.entries.get(k) {
                    out.insert(k.to_string(), v.clone());
                }
            }
        }
        Ok(Value::map(out))
    });
    reg_var(m, "omit", vec![M], Str, |a| {
        let omit: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        let out = map_arg(&a[0]).map_or_else(BTreeMap::new, |d| {
            d.borrow()
                .entries
                .iter()
                .filter(|(k, _)| !omit.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        });
        Ok(Value::map(out))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        reg_var(m, name, vec![M], M, move |a| {
            let Some(dst) = map_arg(&a[0]) else {
                return Ok(a[0].clone());
            };
            for src in maps(&a[1..]) {
                if Rc::ptr_eq(dst, &src) {
                    continue;
                }
                let src = src.borrow().clone();
                merge_into(dst, &src, overwrite);
            }
            Ok(a[0].clone())
        });
    }
    reg(m, "values", vec![M], |a| {
        let vals = map_arg(&a[0])
            .map_or_else(Vec::new, |d| d.borrow().entries.values().cloned().collect());
        Ok(Value::list(vals))
    });
    reg_var(m, "dig", vec![], Any, |a| dig(&a));
    for name in ["deepCopy", "mustDeepCopy"] {
        reg(m, name, vec![Any], |a| Ok(arg(&a, 0).deep_copy()));
    }
}

fn is_map_value(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// mergo's `Merge` (`overwrite` false) and `MergeWithOverwrite` of one map into another:
/// nested maps merge in place; otherwise a source value replaces a missing or empty
/// destination value, or any value when overwriting (nil included).
pub fn merge_into(dst: &MapRef, src: &Map, overwrite: bool) {
    for (key, sv) in &src.entries {
        let dv = dst.borrow().entries.get(key).cloned();
        if is_nil(sv) {
            if overwrite {
                dst.borrow_mut().entries.insert(key.clone(), Value::Nil);
            }
            continue;
        }
        if let (Value::Map(sm), Some(Value::Map(dm))) = (sv, &dv)
            && !Rc::ptr_eq(sm, dm)
        {
            let sm = sm.borrow().clone();
            merge_into(dm, &sm, overwrite);
        }
        if let Some(d) = &dv
            && !empty(d)
        {
            if matches!(sv, Value::List(_) | Value::Bytes(_)) && !overwrite {
                continue;
            }
            if is_map_value(sv) && is_map_value(d) {
                continue;
            }
        }
        let replace = overwrite || dv.as_ref().is_none_or(empty);
        if replace {
            dst.borrow_mut().entries.insert(key.clone(), sv.clone());
        }
    }
}

/// `dig KEY... DEFAULT DICT`: the value at the path of keys, or the default.
fn dig(a: &[Value]) -> Ret {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let conv = |v: &Value, want: &str| {
        let got = if is_nil(v) {
            "nil".to_string()
        } else {
            v.type_name()
        };
        format!("interface conversion: interface {{}} is {got}, not {want}")
    };
    let as_dict = |v: &Value| -> Result<MapRef, String> {
        match v {
            Value::Map(m) if &*m.borrow().type_name == "map[string]interface {}" => Ok(m.clone()),
            other => Err(conv(other, "map[string]interface {}")),
        }
    };
    let mut dict = as_dict(&a[a.len() - 1])?;
    let default = a[a.len() - 2].clone();
    let keys = &a[..a.len() - 2];
    let mut names = Vec::new();
    for k in keys {
        match k {
            Value::String(s) => names.push(s.clone()),
            other => return Err(conv(other, "string")),
        }
    }
    for (i, k) in names.iter().enumerate() {
        let step = dict.borrow().entries.get(&**k).cloned();
        let Some(step) = step else {
            return Ok(default);
        };
        if i == names.len() - 1 {
            return Ok(step);
        }
        dict = as_dict(&step)?;
    }
    Ok(default)
}
