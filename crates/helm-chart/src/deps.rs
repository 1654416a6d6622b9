//! Dependencies at render time, as Helm's `ProcessDependenciesWithMerge`: match the
//! `dependencies:` entries to the loaded subcharts (name and version range), rename
//! aliased ones, drop those disabled by `tags`/`condition`, and apply `import-values`.

use std::collections::BTreeSet;

use kspm_gotmpl::Value;
use kspm_gotmpl::fmt::sprintf;

use crate::chart::Chart;
use crate::coalesce::{Coalescer, HelmCompat};
use crate::error::Result;
use crate::metadata::Dependency;
use crate::vals::{self, get, is_table, new_map, path_value, set, table};
use kspm_semver::is_compatible_range;

/// Helm's `ProcessDependenciesWithMerge` on `chart` with the user values: afterwards
/// `chart.dependencies` holds only the enabled subcharts (under their aliases) and
/// `chart.values` (and each subchart's) includes imported values. Warnings Helm would
/// log are returned.
pub fn process_dependencies(
    chart: &mut Chart,
    user: &Value,
    compat: HelmCompat,
) -> Result<Vec<String>> {
    let mut c = Coalescer::new(compat);
    let user = if is_table(user) {
        user.clone()
    } else {
        new_map()
    };
    enabled(&mut c, chart, &user, "")?;
    import_values_tree(&mut c, chart, true)?;
    Ok(c.warnings)
}

/// The loaded subchart a dependency entry refers to (same name, version in range), as a
/// copy named by the alias when there is one.
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    let found = charts
        .iter()
        .find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut out = found.clone();
    if !dep.alias.is_empty() {
        out.metadata.name = dep.alias.clone();
    }
    Some(out)
}

fn enabled(c: &mut Coalescer, chart: &mut Chart, values: &Value, path: &str) -> Result<()> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Subcharts no dependency entry names (with a matching version) stay as they are.
    let mut deps: Vec<Chart> = chart
        .dependencies
        .iter()
        .filter(|existing| {
            !chart.metadata.dependencies.iter().any(|req| {
                existing.name() == req.name
                    && is_compatible_range(&req.version, &existing.metadata.version)
            })
        })
        .cloned()
        .collect();
    for req in &mut chart.metadata.dependencies {
        if let Some(d) = alias_dependency(&chart.dependencies, req) {
            deps.push(d);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    chart.dependencies = deps;
    for req in &mut chart.metadata.dependencies {
        req.enabled = true;
    }
    let cvals = c.values(chart, values, false)?;
    apply_tags(c, &mut chart.metadata.dependencies, &cvals);
    apply_conditions(c, &mut chart.metadata.dependencies, &cvals, path);
    let removed: BTreeSet<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    chart.dependencies.retain(|d| !removed.contains(d.name()));
    for sub in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", sub.name());
        enabled(c, sub, &cvals, &sub_path)?;
    }
    chart
        .metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));
    Ok(())
}

fn apply_tags(c: &mut Coalescer, reqs: &mut [Dependency], cvals: &Value) {
    let Some(tags) = table(cvals, "tags") else {
        return;
    };
    for r in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match get(&tags, k) {
                None => {}
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => c.warnings.push(format!(
                    "Warning: Tag '{k}' for chart {} returned non-bool value",
                    r.name
                )),
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

fn apply_conditions(c: &mut Coalescer, reqs: &mut [Dependency], cvals: &Value, path: &str) {
    for r in reqs {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            match path_value(cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Some(_) => c.warnings.push(format!(
                    "Warning: Condition path '{cond}' for chart {} returned non-bool value",
                    r.name
                )),
                None => {}
            }
        }
    }
}

fn import_values_tree(c: &mut Coalescer, chart: &mut Chart, merge: bool) -> Result<()> {
    for d in &mut chart.dependencies {
        import_values_tree(c, d, merge)?;
    }
    import_values(c, chart, merge)
}

/// `{a: {b: data}}` for parent path `a.b`; `data` itself for `.`.
fn path_to_map(parent: &str, data: Value) -> Value {
    if parent == "." {
        return data;
    }
    let mut cur = data;
    for part in parent.split('.').rev() {
        let m = new_map();
        set(&m, part, cur);
        cur = m;
    }
    cur
}

fn go_v(v: Option<Value>) -> String {
    sprintf("%v", &[v.unwrap_or(Value::Nil)])
}

/// Helm's `processImportValues`: pull each dependency's `import-values` into this chart's
/// values, below the chart's own values.
fn import_values(c: &mut Coalescer, chart: &mut Chart, merge: bool) -> Result<()> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = c.values(chart, &new_map(), merge)?;
    let b = new_map();
    for r in &mut chart.metadata.dependencies {
        let mut out = Vec::new();
        for riv in &r.import_values {
            let (child, parent) = match riv {
                Value::Map(_) => (go_v(get(riv, "child")), go_v(get(riv, "parent"))),
                Value::String(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            let pair = new_map();
            set(&pair, "child", Value::string(child.as_str()));
            set(&pair, "parent", Value::string(parent.as_str()));
            out.push(pair);
            let Some(found) = table(&cvals, &format!("{}.{child}", r.name)) else {
                c.warnings.push(match riv {
                    Value::String(_) => {
                        format!("Warning: ImportValues missing table: {}.{child}", r.name)
                    }
                    _ => format!(
                        "Warning: ImportValues missing table from chart {}: {}.{child}",
                        r.name, r.name
                    ),
                });
                continue;
            };
            let src = path_to_map(&parent, found);
            c.tables(&b, &src, "", merge);
        }
        r.import_values = out;
    }
    // Imported values rank below the chart's own values.
    chart.values = if merge {
        let dst = cvals.deep_copy();
        c.tables(&dst, &b, "", true);
        dst
    } else {
        let dst = vals::trim_nils(&cvals);
        c.tables(&dst, &b, "", false);
        dst
    };
    Ok(())
}

/// Helm's `CheckDependencies`: the names in `dependencies:` with no loaded subchart of
/// that name.
pub fn missing_dependencies(chart: &Chart) -> Vec<String> {
    chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.clone())
        .collect()
}
