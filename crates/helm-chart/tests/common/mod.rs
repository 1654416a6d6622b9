//! Shared test helpers: charts from JSON, and the workspace's table plumbing (the corpus
//! location, JSON → gotmpl values, text unescaping).

#![allow(dead_code)]

// Each test crate uses some of these.
#[allow(unused_imports)]
pub use kspm_test_support::{corpus, json_to_value, unescape};

/// A chart tree from the table's `context.chart` JSON.
pub fn chart_from_json(j: &serde_json::Value) -> kspm_helm_chart::Chart {
    let s = |k: &str| {
        j.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let md = kspm_helm_chart::Metadata {
        name: s("name"),
        version: if s("version").is_empty() {
            "0.1.0".into()
        } else {
            s("version")
        },
        api_version: if s("apiVersion").is_empty() {
            "v1".into()
        } else {
            s("apiVersion")
        },
        ..Default::default()
    };
    let mut c = kspm_helm_chart::Chart::new(md);
    if let Some(v) = j.get("values")
        && v.is_object()
    {
        c.values = json_to_value(v);
    }
    let files = |k: &str| -> Vec<kspm_helm_chart::File> {
        j.get(k)
            .and_then(|v| v.as_object())
            .map(|o| {
                o.iter()
                    .map(|(name, text)| kspm_helm_chart::File {
                        name: name.clone(),
                        data: text.as_str().unwrap_or_default().as_bytes().to_vec(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    c.templates = files("templates");
    c.files = files("files");
    if let Some(deps) = j.get("dependencies").and_then(|d| d.as_array()) {
        c.dependencies = deps.iter().map(chart_from_json).collect();
    }
    c
}
