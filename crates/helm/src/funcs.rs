//! Helm's template functions on top of Sprig: the data encoders (`toYaml`,
//! `toYamlPretty`, `fromJson`, … with Helm's error-in-map behaviour), `include` and `tpl`
//! (run templates of the set being executed, through the engine's [`Env`]), `required` and
//! `fail` (errors Helm unwraps into `execution error at (...)`), `lookup` (no cluster: an
//! empty map), and no `env`/`expandenv`.

use std::collections::BTreeMap;
use std::sync::Arc;

use kspm_godata::{json, toml, yaml};
use kspm_gotmpl::{Env, FuncMap, Function, Param, Signature, Value};

use crate::errors::{WARN_END, WARN_START};

/// How deep `include` may nest the same template before Helm gives up.
const MAX_INCLUDE_DEPTH: i64 = 1000;

/// The name tpl parses its text under: Helm's root template is `gotpl`.
pub const ROOT_TEMPLATE: &str = "gotpl";

pub fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Options of the function map.
#[derive(Clone, Debug, Default)]
pub struct FuncOptions {
    /// `helm lint`: `required` and `fail` do not abort.
    pub lint: bool,
    /// The objects `lookup` sees, as JSON (none: no cluster, `lookup` answers empty maps).
    pub cluster: Option<Arc<Vec<String>>>,
}

fn field(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v.clone();
    for k in path {
        let next = match &cur {
            Value::Map(m) => m.borrow().entries.get(*k).cloned(),
            _ => None,
        }?;
        cur = next;
    }
    cur.as_str().map(str::to_string)
}

/// Helm's `lookup` against a set of objects: one object by name (an empty map when
/// absent), or a `<Kind>List` of the matching objects when `name` is empty.
fn lookup(cluster: &[String], api_version: &str, kind: &str, namespace: &str, name: &str) -> Value {
    let matching: Vec<Value> = cluster
        .iter()
        .filter_map(|j| json::unmarshal(j).ok())
        .filter(|o| {
            field(o, &["apiVersion"]).as_deref() == Some(api_version)
                && field(o, &["kind"]).as_deref() == Some(kind)
                && (namespace.is_empty()
                    || field(o, &["metadata", "namespace"]).is_none_or(|n| n == namespace))
        })
        .collect();
    if !name.is_empty() {
        return matching
            .into_iter()
            .find(|o| field(o, &["metadata", "name"]).as_deref() == Some(name))
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
    }
    let mut meta = BTreeMap::new();
    meta.insert("resourceVersion".to_string(), Value::string(""));
    let mut list = BTreeMap::new();
    list.insert("apiVersion".to_string(), Value::string(api_version));
    list.insert("kind".to_string(), Value::string(format!("{kind}List")));
    list.insert("metadata".to_string(), Value::map(meta));
    list.insert("items".to_string(), Value::list(matching));
    Value::map(list)
}

fn error_map(msg: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::string(msg));
    Value::map(m)
}

fn arg_str(args: &[Value], i: usize) -> String {
    args.get(i)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// Helm's functions, added to (and replacing entries of) `base`, Sprig's map.
pub fn helm_funcs(mut base: FuncMap, opts: FuncOptions) -> FuncMap {
    base.remove("env");
    base.remove("expandenv");
    let one = |p: Param| Signature::new(vec![p]);
    let mut add = |name: &str, f: Function| {
        base.insert(name.to_string(), f);
    };

    add(
        "toYaml",
        Function::pure(one(Param::Any), |a| {
            // Errors are swallowed inside a template.
            Ok(Value::string(
                yaml::marshal(&arg(&a, 0))
                    .map(|s| s.strip_suffix('\n').unwrap_or(&s).to_string())
                    .unwrap_or_default(),
            ))
        }),
    );
    add(
        "mustToYaml",
        Function::pure(one(Param::Any), |a| {
            let s = yaml::marshal(&arg(&a, 0))?;
            Ok(Value::string(s.strip_suffix('\n').unwrap_or(&s)))
        }),
    );
    add(
        "toYamlPretty",
        Function::pure(one(Param::Any), |a| {
            // A go-yaml v3 encoder with indent 2; errors give "".
            Ok(Value::string(
                yaml::marshal_pretty(&arg(&a, 0))
                    .map(|s| s.strip_suffix('\n').unwrap_or(&s).to_string())
                    .unwrap_or_default(),
            ))
        }),
    );
    add(
        "fromYaml",
        Function::pure(one(Param::String), |a| {
            Ok(yaml::unmarshal_map(&arg_str(&a, 0)).unwrap_or_else(error_map))
        }),
    );
    add(
        "fromYamlArray",
        Function::pure(one(Param::String), |a| {
            Ok(yaml::unmarshal_array(&arg_str(&a, 0))
                .unwrap_or_else(|e| Value::list(vec![Value::string(e)])))
        }),
    );
    add(
        "toToml",
        Function::pure(one(Param::Any), |a| {
            Ok(Value::string(
                toml::marshal(&arg(&a, 0)).unwrap_or_else(|e| e),
            ))
        }),
    );
    add(
        "mustToToml",
        Function::pure(one(Param::Any), |a| {
            Ok(Value::string(toml::marshal(&arg(&a, 0))?))
        }),
    );
    add(
        "fromToml",
        Function::pure(one(Param::String), |a| {
            Ok(toml::unmarshal(&arg_str(&a, 0)).unwrap_or_else(error_map))
        }),
    );
    add(
        "toJson",
        Function::pure(one(Param::Any), |a| {
            Ok(Value::string(
                json::marshal(&arg(&a, 0)).unwrap_or_default(),
            ))
        }),
    );
    add(
        "mustToJson",
        Function::pure(one(Param::Any), |a| {
            Ok(Value::string(json::marshal(&arg(&a, 0))?))
        }),
    );
    add(
        "fromJson",
        Function::pure(one(Param::String), |a| {
            Ok(json::unmarshal_map(&arg_str(&a, 0)).unwrap_or_else(error_map))
        }),
    );
    add(
        "fromJsonArray",
        Function::pure(one(Param::String), |a| {
            Ok(json::unmarshal_array(&arg_str(&a, 0))
                .unwrap_or_else(|e| Value::list(vec![Value::string(e)])))
        }),
    );
    let cluster = opts.cluster.clone();
    add(
        "lookup",
        Function::pure(
            Signature::new(vec![
                Param::String,
                Param::String,
                Param::String,
                Param::String,
            ]),
            move |a| {
                Ok(match &cluster {
                    Some(objects) => lookup(
                        objects,
                        &arg_str(&a, 0),
                        &arg_str(&a, 1),
                        &arg_str(&a, 2),
                        &arg_str(&a, 3),
                    ),
                    None => Value::map(BTreeMap::new()),
                })
            },
        ),
    );
    // DNS lookups are off unless asked for: Helm answers an empty string.
    add(
        "getHostByName",
        Function::pure(one(Param::String), |_| Ok(Value::string(""))),
    );
    add(
        "include",
        Function::new(
            Signature::new(vec![Param::String, Param::Any]),
            |env: &mut dyn Env, a: Vec<Value>| {
                let name = arg_str(&a, 0);
                let key = format!("include:{name}");
                let depth = env.counter(&key);
                if *depth > MAX_INCLUDE_DEPTH {
                    return Err(format!(
                        "rendering template has a nested reference name: {name}: unable to execute template"
                    ));
                }
                *depth += 1;
                let out = env.execute_template(&name, arg(&a, 1));
                *env.counter(&key) -= 1;
                out.map(Value::string)
            },
        ),
    );
    add(
        "tpl",
        Function::new(
            Signature::new(vec![Param::String, Param::Any]),
            |env: &mut dyn Env, a: Vec<Value>| {
                let text = arg_str(&a, 0);
                let out = env
                    .execute_text(ROOT_TEMPLATE, &text, arg(&a, 1))
                    .map_err(|e| tpl_error(&text, &e))?;
                Ok(Value::string(out.replace("<no value>", "")))
            },
        ),
    );
    let lint = opts.lint;
    add(
        "required",
        Function::pure(Signature::new(vec![Param::String, Param::Any]), move |a| {
            let val = arg(&a, 1);
            let missing = match &val {
                Value::Invalid | Value::Nil => true,
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if !missing {
                return Ok(val);
            }
            if lint {
                return Ok(Value::string(""));
            }
            Err(warn_wrap(&arg_str(&a, 0)))
        }),
    );
    add(
        "fail",
        Function::pure(one(Param::String), move |a| {
            if lint {
                return Ok(Value::string(""));
            }
            Err(warn_wrap(&arg_str(&a, 0)))
        }),
    );
    base
}

/// Helm's wrapping of a `tpl` failure: a parse error (`cannot parse template "<text>": …`)
/// or an execution error (`error during tpl function execution for "<text>": …`). Go's
/// execution errors say `executing`; parse errors never do.
fn tpl_error(text: &str, err: &str) -> String {
    let quoted = go_quote(text);
    if err.contains(": executing \"") {
        format!("error during tpl function execution for {quoted}: {err}")
    } else {
        format!("cannot parse template {quoted}: {err}")
    }
}

/// Go's `%q` of a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment with no templates, for functions that never call back.
    struct NoEnv;
    impl Env for NoEnv {
        fn execute_template(&mut self, _: &str, _: Value) -> Result<String, String> {
            Err("none".into())
        }
        fn execute_text(&mut self, _: &str, _: &str, _: Value) -> Result<String, String> {
            Err("none".into())
        }
        fn template_name(&self) -> String {
            String::new()
        }
        fn counter(&mut self, _: &str) -> &mut i64 {
            unreachable!()
        }
    }

    #[test]
    fn quoting_follows_go() {
        assert_eq!(
            go_quote("{{ include \"x\" . }}\n"),
            "\"{{ include \\\"x\\\" . }}\\n\""
        );
    }

    #[test]
    fn must_to_toml_fails_where_to_toml_prints_the_error() {
        let f = helm_funcs(FuncMap::new(), FuncOptions::default());
        let table = Value::map([("a".to_string(), Value::int(1))].into_iter().collect());
        let ok = (f["mustToToml"].body)(&mut NoEnv, vec![table.clone()]).unwrap();
        let plain = (f["toToml"].body)(&mut NoEnv, vec![table]).unwrap();
        assert_eq!(ok.as_str(), Some("a = 1\n"));
        assert_eq!(ok.as_str(), plain.as_str());
        let printed = (f["toToml"].body)(&mut NoEnv, vec![Value::string("x")]).unwrap();
        let err = (f["mustToToml"].body)(&mut NoEnv, vec![Value::string("x")]).unwrap_err();
        assert!(!err.is_empty());
        assert_eq!(printed.as_str(), Some(err.as_str()));
    }

    #[test]
    fn env_functions_are_removed_and_required_wraps() {
        let mut base = FuncMap::new();
        base.insert(
            "env".into(),
            Function::pure(Signature::default(), |_| Ok(Value::Nil)),
        );
        let f = helm_funcs(base, FuncOptions::default());
        assert!(!f.contains_key("env"));
        let req = &f["required"];
        let r = (req.body)(&mut NoEnv, vec![Value::string("need x"), Value::Nil]);
        assert_eq!(r.unwrap_err(), "HELM_ERR_STARTneed xHELM_ERR_END");
        let r = (req.body)(&mut NoEnv, vec![Value::string("need x"), Value::int(0)]);
        assert!(r.is_ok());
    }
}
