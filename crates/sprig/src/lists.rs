//! List functions. Sprig reads any slice or array through reflection and returns
//! `[]interface {}`; the non-`must` variants panic where the `must` ones return an error,
//! which `text/template` reports the same way (`error calling first: ...`).

use std::rc::Rc;

use kspm_gotmpl::{FuncMap, List, Param, Value};

use crate::cast::to_int;
use crate::deep::{deep_equal, empty};
use crate::util::{Ret, arg, is_nil, kind_for_error, n, reg, reg_var, slice_items, typed_list};

/// The items of a slice argument, or Sprig's "Cannot ... on type K" error.
fn items(v: &Value, what: &str) -> Result<Vec<Value>, String> {
    let kind = kind_for_error(v)?;
    slice_items(v).ok_or_else(|| format!("Cannot {what} on type {kind}"))
}

fn both(m: &mut FuncMap, names: [&str; 2], params: Vec<Param>, f: fn(Vec<Value>) -> Ret) {
    for name in names {
        reg(m, name, params.clone(), f);
    }
}

pub fn register(m: &mut FuncMap) {
    use Param::{Any, Int};
    for name in ["list", "tuple"] {
        reg_var(m, name, vec![], Any, |a| Ok(Value::list(a)));
    }
    for name in ["append", "push", "mustAppend", "mustPush"] {
        reg(m, name, vec![Any, Any], |a| {
            let mut l = items(&a[0], "push")?;
            l.push(arg(&a, 1));
            Ok(Value::list(l))
        });
    }
    both(m, ["prepend", "mustPrepend"], vec![Any, Any], |a| {
        let mut l = items(&a[0], "prepend")?;
        l.insert(0, arg(&a, 1));
        Ok(Value::list(l))
    });
    both(m, ["chunk", "mustChunk"], vec![Int, Any], |a| {
        chunk(n(&a, 0), &a[1])
    });
    both(m, ["first", "mustFirst"], vec![Any], |a| {
        Ok(items(&a[0], "find first")?
            .first()
            .cloned()
            .unwrap_or(Value::Nil))
    });
    both(m, ["last", "mustLast"], vec![Any], |a| {
        Ok(items(&a[0], "find last")?
            .last()
            .cloned()
            .unwrap_or(Value::Nil))
    });
    both(m, ["rest", "mustRest"], vec![Any], |a| {
        let l = items(&a[0], "find rest")?;
        Ok(Value::list(l.into_iter().skip(1).collect()))
    });
    both(m, ["initial", "mustInitial"], vec![Any], |a| {
        let mut l = items(&a[0], "find initial")?;
        l.pop();
        Ok(Value::list(l))
    });
    both(m, ["reverse", "mustReverse"], vec![Any], |a| {
        let mut l = items(&a[0], "find reverse")?;
        l.reverse();
        Ok(Value::list(l))
    });
    both(m, ["compact", "mustCompact"], vec![Any], |a| {
        let l = items(&a[0], "compact")?;
        Ok(Value::list(l.into_iter().filter(|v| !empty(v)).collect()))
    });
    both(m, ["uniq", "mustUniq"], vec![Any], |a| {
        let mut out: Vec<Value> = Vec::new();
        for v in items(&a[0], "find uniq")? {
            if !out.iter().any(|o| deep_equal(&v, o)) {
                out.push(v);
            }
        }
        Ok(Value::list(out))
    });
    for name in ["without", "mustWithout"] {
        reg_var(m, name, vec![Any], Any, |a| {
            let omit = &a[1..];
            let l = items(&a[0], "find without")?;
            Ok(Value::list(
                l.into_iter()
                    .filter(|v| !omit.iter().any(|o| deep_equal(v, o)))
                    .collect(),
            ))
        });
    }
    both(m, ["has", "mustHas"], vec![Any, Any], |a| {
        if is_nil(&a[1]) {
            return Ok(Value::Bool(false));
        }
        let needle = arg(&a, 0);
        Ok(Value::Bool(
            items(&a[1], "find has")?
                .iter()
                .any(|v| deep_equal(&needle, v)),
        ))
    });
    for name in ["slice", "mustSlice"] {
        reg_var(m, name, vec![Any], Any, |a| slice(&a[0], &a[1..]));
    }
    reg_var(m, "concat", vec![], Any, |a| {
        let mut out = Vec::new();
        for l in &a {
            let kind = kind_for_error(l)?;
            let Some(items) = slice_items(l) else {
                return Err(format!("Cannot concat type {kind} as list"));
            };
            out.extend(items);
        }
        Ok(Value::list(out))
    });
}

/// `chunk`: lists of `size` items (the last may be shorter), as `[][]interface {}`.
fn chunk(size: i64, list: &Value) -> Ret {
    let l = items(list, "chunk").map_err(|e| e.replace("Cannot chunk on", "Cannot chunk"))?;
    if size <= 0 {
        return Err("runtime error: makeslice: len out of range".into());
    }
    let chunks = l
        .chunks(size as usize)
        .map(|c| Value::list(c.to_vec()))
        .collect();
    Ok(typed_list("[][]interface {}", chunks))
}

/// `slice LIST [START [END]]`: Go's `list[start:end]`, keeping the list's type; an empty
/// list gives nil.
fn slice(list: &Value, indices: &[Value]) -> Ret {
    let kind = kind_for_error(list)?;
    let Some(l) = slice_items(list) else {
        return Err(format!("list should be type of slice or array but {kind}"));
    };
    if l.is_empty() {
        return Ok(Value::Nil);
    }
    let start = indices.first().map_or(0, to_int);
    let end = if indices.len() < 2 {
        l.len() as i64
    } else {
        to_int(&indices[1])
    };
    if start < 0 || end < start || end > l.len() as i64 {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    let (s, e) = (start as usize, end as usize);
    Ok(match list {
        Value::Bytes(b) => Value::Bytes(Rc::from(&b[s..e])),
        Value::List(orig) => Value::List(Rc::new(List {
            type_name: orig.type_name.clone(),
            items: l[s..e].to_vec(),
        })),
        _ => Value::list(l[s..e].to_vec()),
    })
}
