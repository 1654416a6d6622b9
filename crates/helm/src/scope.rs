//! Helm's `recAllTpls`: every template of the chart tree, named by its path with chart
//! names (`parent/charts/sub/templates/x.yaml`), each with the top-level object it renders
//! with (`.Values` scoped to the chart, `.Chart`, `.Files`, `.Release`, `.Capabilities`,
//! `.Subcharts`), and Helm's parse order (deepest paths first).

use std::collections::BTreeMap;

use kspm_gotmpl::Value;
use kspm_helm_chart::{Chart, Files, chart_value};

/// A template to parse, and (unless a partial) to render.
#[derive(Clone, Debug)]
pub struct Renderable {
    pub name: String,
    pub text: String,
    /// The chart's top-level object (shared by the chart's templates, as in Helm).
    pub vals: Value,
    /// `<chart path>/templates`.
    pub base_path: String,
}

fn get(map: &Value, key: &str) -> Value {
    match map {
        Value::Map(m) => m.borrow().entries.get(key).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// The templates of `chart` (path `path`) and of its dependencies into `out`; returns the
/// chart's top-level object (what `.Subcharts.<name>` shows the parent).
pub fn collect(
    chart: &Chart,
    parent: &Value,
    path: &str,
    is_root: bool,
    out: &mut Vec<Renderable>,
) -> Value {
    let subcharts = Value::map(BTreeMap::new());
    let values = if is_root {
        get(parent, "Values")
    } else {
        // Helm's `vals.Table("Values.<name>")`: the parent's values under the chart's name,
        // when that is a map; else empty values.
        match get(&get(parent, "Values"), chart.name()) {
            v @ Value::Map(_) => v,
            _ => Value::map(BTreeMap::new()),
        }
    };
    // The chart's values map is shared, not copied: Go maps are references, and charts
    // that `set` into `.Values` in one template see it in the next.
    let values = match values {
        Value::Nil | Value::Invalid if !is_root => {
            kspm_helm_chart::as_values_type(&Value::map(BTreeMap::new()))
        }
        other => other,
    };
    let mut next = BTreeMap::new();
    next.insert("Chart".to_string(), chart_value(chart, is_root));
    next.insert(
        "Files".to_string(),
        Value::Object(std::rc::Rc::new(Files::new(chart))),
    );
    next.insert("Release".to_string(), get(parent, "Release"));
    next.insert("Capabilities".to_string(), get(parent, "Capabilities"));
    next.insert("Values".to_string(), values);
    next.insert("Subcharts".to_string(), subcharts.clone());
    let next = Value::map(next);
    for dep in &chart.dependencies {
        let sub_path = format!("{path}/charts/{}", dep.name());
        let sub = collect(dep, &next, &sub_path, false, out);
        if let Value::Map(m) = &subcharts {
            m.borrow_mut().entries.insert(dep.name().to_string(), sub);
        }
    }
    let library = chart.is_library();
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        // A library chart only lends its partials.
        if library && !base.starts_with('_') {
            continue;
        }
        out.push(Renderable {
            name: format!("{path}/{}", t.name),
            text: String::from_utf8_lossy(&t.data).into_owned(),
            vals: next.clone(),
            base_path: format!("{path}/templates"),
        });
    }
    next
}

/// Helm's parse order: most `/` first, then reverse byte order, so the top chart's
/// definitions (parsed last) win.
pub fn parse_order(names: &mut [String]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

/// Partials (`_` prefix) are parsed but not rendered.
pub fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().unwrap_or(name).starts_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_paths_parse_first_then_reverse_order() {
        let mut v: Vec<String> = [
            "a/templates/x",
            "a/charts/b/templates/y",
            "a/templates/z",
            "a/charts/b/templates/_h",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        parse_order(&mut v);
        assert_eq!(
            v,
            vec![
                "a/charts/b/templates/y",
                "a/charts/b/templates/_h",
                "a/templates/z",
                "a/templates/x"
            ]
        );
        assert!(is_partial("a/templates/_h.tpl"));
    }
}
