//! Defaults and flow helpers (`default`, `empty`, `coalesce`, `all`, `any`, `ternary`,
//! `fail`) and reflection (`typeOf`, `kindOf`, `deepEqual`, ...).

use kspm_gotmpl::{FuncMap, Param, Value};

use crate::deep::{deep_equal, empty};
use crate::util::{arg, b, reg, reg_var, s, string};

pub fn register(m: &mut FuncMap) {
    use Param::{Any, Bool, String as Str};
    reg_var(m, "default", vec![Any], Any, |a| match a.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(arg(&a, 0)),
    });
    reg(m, "empty", vec![Any], |a| {
        Ok(Value::Bool(empty(&arg(&a, 0))))
    });
    reg_var(m, "coalesce", vec![], Any, |a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    });
    reg_var(m, "all", vec![], Any, |a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    });
    reg_var(m, "any", vec![], Any, |a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    });
    reg(m, "ternary", vec![Any, Any, Bool], |a| {
        Ok(if b(&a, 2) { arg(&a, 0) } else { arg(&a, 1) })
    });
    reg(m, "fail", vec![Str], |a| Err(s(&a, 0).to_string()));

    reg(m, "typeOf", vec![Any], |a| {
        Ok(string(arg(&a, 0).type_name()))
    });
    reg(m, "typeIs", vec![Str, Any], |a| {
        Ok(Value::Bool(s(&a, 0) == arg(&a, 1).type_name()))
    });
    reg(m, "typeIsLike", vec![Str, Any], |a| {
        let t = arg(&a, 1).type_name();
        let target = s(&a, 0);
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    reg(m, "kindOf", vec![Any], |a| {
        Ok(string(arg(&a, 0).kind_name()))
    });
    reg(m, "kindIs", vec![Str, Any], |a| {
        Ok(Value::Bool(s(&a, 0) == arg(&a, 1).kind_name()))
    });
    reg(m, "deepEqual", vec![Any, Any], |a| {
        Ok(Value::Bool(deep_equal(&arg(&a, 0), &arg(&a, 1))))
    });
}
