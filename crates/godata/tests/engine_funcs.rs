//! The `funcs` rows of helm-golden/engine-cases.tsv that call one of Helm's encoding
//! functions on `.` (`{{ fromYaml . }}`, `{{ toToml . }}`, …), run through this crate with
//! Helm's error handling around each function, printed with Go's `%v`.

use std::collections::BTreeMap;

use kspm_godata::{json, toml, yaml};
use kspm_gotmpl::Value;
use kspm_test_support::{corpus, unescape};

/// values-json as the table defines it: integral numbers are Go `int`.
fn table_value(node: &json::Node) -> Option<Value> {
    Some(match node {
        json::Node::Null => Value::Nil,
        json::Node::Bool(b) => Value::Bool(*b),
        json::Node::Num(t) => match t.parse::<i64>() {
            Ok(i) => Value::int(i),
            Err(_) => Value::float64(t.parse().ok()?),
        },
        json::Node::Str(s) => Value::string(s.as_str()),
        json::Node::Arr(items) => {
            Value::list(items.iter().map(table_value).collect::<Option<Vec<_>>>()?)
        }
        json::Node::Obj(members) => {
            if members.iter().any(|(k, _)| k == "$go") {
                return None;
            }
            let mut m = BTreeMap::new();
            for (k, v) in members {
                m.insert(k.clone(), table_value(v)?);
            }
            Value::map(m)
        }
    })
}

fn error_map(e: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::string(e));
    Value::map(m)
}

/// Helm's function of that name (pkg/engine/funcs.go), over this crate.
fn helm_func(name: &str, arg: &Value) -> Option<Value> {
    let text = || arg.as_str().unwrap_or_default().to_string();
    Some(match name {
        "toYaml" => Value::string(
            yaml::marshal(arg)
                .map(|s| s.strip_suffix('\n').unwrap_or(&s).to_string())
                .unwrap_or_default(),
        ),
        "fromYaml" => yaml::unmarshal_map(&text()).unwrap_or_else(error_map),
        "fromYamlArray" => {
            yaml::unmarshal_array(&text()).unwrap_or_else(|e| Value::list(vec![Value::string(e)]))
        }
        "toJson" => Value::string(json::marshal(arg).unwrap_or_default()),
        "fromJson" => json::unmarshal_map(&text()).unwrap_or_else(error_map),
        "fromJsonArray" => {
            json::unmarshal_array(&text()).unwrap_or_else(|e| Value::list(vec![Value::string(e)]))
        }
        "toToml" => Value::string(toml::marshal(arg).unwrap_or_else(|e| e)),
        "fromToml" => toml::unmarshal(&text()).unwrap_or_else(error_map),
        _ => return None,
    })
}

#[test]
fn engine_cases_encoding_functions() {
    let Some(root) = corpus() else {
        eprintln!("corpus not found; skipping (set KSPM_CORPUS)");
        return;
    };
    let path = root.join("helm-golden/engine-cases.tsv");
    let text = std::fs::read_to_string(&path).expect("engine-cases.tsv");
    let mut total = 0;
    let mut failed = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 || cols[1] != "funcs" {
            continue;
        }
        let template = unescape(cols[2]);
        let Some(name) = template
            .trim()
            .strip_prefix("{{")
            .and_then(|t| t.strip_suffix("}}"))
            .and_then(|t| t.trim().strip_suffix(" ."))
            .map(str::trim)
        else {
            continue;
        };
        let Some(dot) = json::parse(cols[3]).ok().as_ref().and_then(table_value) else {
            continue;
        };
        let Some(result) = helm_func(name, &dot) else {
            continue;
        };
        total += 1;
        let got = kspm_gotmpl::fmt::format_value(&result);
        let want = unescape(cols[4]);
        if got != want {
            failed.push(format!("{}: got {got:?}, want {want:?}", cols[0]));
        }
    }
    println!(
        "engine-cases encoding functions: {}/{total} pass",
        total - failed.len()
    );
    for f in &failed {
        println!("  FAIL {f}");
    }
    assert!(total >= 6, "expected the encoding rows, found {total}");
    assert!(failed.is_empty());
}
