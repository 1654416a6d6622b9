//! engine-cases.tsv: Helm's engine, functions, .Files and values coalescing, row by row,
//! through kspm-helm's own entry points (the same the renderer uses).

use std::collections::BTreeMap;

use kspm_helm::engine::{self, ChartSpec, EngineOptions};
use kspm_test_support::{json_to_value, unescape};

#[derive(Debug)]
pub struct Row {
    pub id: String,
    pub mode: String,
    pub template: String,
    pub values: serde_json::Value,
    pub expected: String,
    pub expect: String,
    pub context: serde_json::Value,
}

pub fn parse(text: &str) -> Vec<Row> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            if c.len() < 7 {
                return None;
            }
            Some(Row {
                id: c[0].to_string(),
                mode: c[1].to_string(),
                template: unescape(c[2]),
                values: serde_json::from_str(c[3]).unwrap_or(serde_json::Value::Null),
                expected: unescape(c[4]),
                expect: c[5].to_string(),
                context: serde_json::from_str(c[6]).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect()
}

fn chart_spec(j: &serde_json::Value) -> ChartSpec {
    let s = |k: &str| {
        j.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let files = |k: &str| -> BTreeMap<String, String> {
        j.get(k)
            .and_then(|v| v.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    ChartSpec {
        name: s("name"),
        version: s("version"),
        api_version: s("apiVersion"),
        values: j.get("values").map(json_to_value),
        templates: files("templates"),
        files: files("files"),
        dependencies: j
            .get("dependencies")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().map(chart_spec).collect())
            .unwrap_or_default(),
    }
}

fn has_go_type(j: &serde_json::Value) -> bool {
    match j {
        serde_json::Value::Object(o) => o.contains_key("$go") || o.values().any(has_go_type),
        serde_json::Value::Array(a) => a.iter().any(has_go_type),
        _ => false,
    }
}

fn outcome(row: &Row) -> Result<String, String> {
    let ctx = &row.context;
    let flag = |k: &str| ctx.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    match row.mode.as_str() {
        "funcs" => engine::eval_funcs(&row.template, json_to_value(&row.values)),
        "engine" => {
            let name = ctx.get("name").and_then(|v| v.as_str()).unwrap_or("test");
            let mut templates: Vec<(String, String)> = ctx
                .get("templates")
                .and_then(|v| v.as_object())
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            templates.push((name.to_string(), row.template.clone()));
            let opts = EngineOptions {
                lint: flag("lint"),
                strict: flag("strict"),
                cluster: None,
            };
            let out = engine::render_named(&templates, json_to_value(&row.values), opts)?;
            Ok(out.get(name).cloned().unwrap_or_default())
        }
        "chart" => {
            let spec = chart_spec(ctx.get("chart").unwrap_or(&serde_json::Value::Null));
            let target = ctx
                .get("target")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let release = ctx
                .get("release")
                .and_then(|r| r.get("Name"))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let cluster = ctx.get("cluster").and_then(|c| c.as_array()).map(|objs| {
                std::sync::Arc::new(objs.iter().map(|o| o.to_string()).collect::<Vec<_>>())
            });
            let opts = EngineOptions {
                lint: flag("lint"),
                strict: flag("strict"),
                cluster,
            };
            let values = (!row.values.is_null()).then(|| json_to_value(&row.values));
            let out = engine::render_spec(&spec, values, flag("coalesce"), release, opts)?;
            out.get(target)
                .cloned()
                .ok_or_else(|| format!("no output for {target}"))
        }
        "coalesce" => {
            let spec = chart_spec(ctx.get("chart").unwrap_or(&serde_json::Value::Null));
            let user = match ctx.get("user_values_yaml").and_then(|v| v.as_str()) {
                Some(y) => kspm_godata::yaml::unmarshal_map(y)?,
                None => json_to_value(&row.values),
            };
            engine::eval_coalesced(&spec, &user, &row.template)
        }
        other => Err(format!("unknown mode {other}")),
    }
}

/// Run a row; `Err` says why it fails.
pub fn run(row: &Row) -> Result<(), String> {
    if has_go_type(&row.values) {
        return Err("needs a Go type the harness cannot build".into());
    }
    let got = outcome(row);
    let want = &row.expected;
    match (row.expect.as_str(), got) {
        ("exact", Ok(s)) if &s == want => Ok(()),
        ("exact", Ok(s)) => Err(format!("got {s:?}, want {want:?}")),
        ("exact", Err(e)) => Err(format!("error {e:?}, want {want:?}")),
        ("error", Err(e)) if &e == want => Ok(()),
        ("error-contains", Err(e)) if e.contains(want.as_str()) => Ok(()),
        ("error-suffix", Err(e)) if e.ends_with(want.as_str()) => Ok(()),
        ("error-any", Err(_)) => Ok(()),
        (kind, Err(e)) => Err(format!("{kind}: error {e:?}, want {want:?}")),
        (kind, Ok(s)) => Err(format!("{kind}: rendered {s:?}, want an error {want:?}")),
    }
}
