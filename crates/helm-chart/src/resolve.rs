//! Dependencies missing from `charts/`, resolved offline: a `file://` repository path, or
//! a sibling chart folder of the same name and a matching version (monorepos keep
//! `common` beside the charts). Nothing is fetched; what stays missing is Helm's error.

use std::fs;
use std::path::{Path, PathBuf};

use crate::chart::{Chart, Origin};
use crate::deps::missing_dependencies;
use crate::error::{Error, Result};
use crate::loader::load_path;
use crate::metadata::Dependency;
use kspm_semver::is_compatible_range;

/// Helm's message for dependencies that are declared but not vendored.
pub fn missing_message(names: &[String]) -> String {
    format!(
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        names.join(", ")
    )
}

fn chart_name_version(dir: &Path) -> Option<(String, String)> {
    let text = fs::read(dir.join("Chart.yaml")).ok()?;
    let doc = crate::yaml::decode(&text).ok()?;
    let md = crate::metadata::Metadata::from_value(&doc).ok()?;
    Some((md.name, md.version))
}

/// The folder that should provide `dep` for the chart in `chart_dir`, if one exists.
fn find_local(chart_dir: &Path, dep: &Dependency) -> Option<PathBuf> {
    let chart_dir = &chart_dir.canonicalize().ok()?;
    let fits = |dir: &Path| {
        chart_name_version(dir).is_some_and(|(n, v)| {
            n == dep.name && (dep.version.is_empty() || is_compatible_range(&dep.version, &v))
        })
    };
    if let Some(rel) = dep.repository.strip_prefix("file://")
        && let Ok(p) = chart_dir.join(rel).canonicalize()
        && &p != chart_dir
        && fits(&p)
    {
        return Some(p);
    }
    let parent = chart_dir.parent()?;
    let same_name = parent.join(&dep.name);
    if &same_name != chart_dir && fits(&same_name) {
        return Some(same_name);
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(parent)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p != chart_dir)
        .collect();
    dirs.sort();
    dirs.into_iter().find(|p| fits(p))
}

/// Add local charts for the dependencies `charts/` lacks (recursively for the charts
/// added), each with a note saying which folder was used.
pub fn resolve_local_dependencies(chart: &mut Chart, chart_dir: &Path, depth: usize) -> Result<()> {
    if depth > 8 {
        return Ok(());
    }
    let missing = missing_dependencies(chart);
    for name in missing {
        let Some(dep) = chart
            .metadata
            .dependencies
            .iter()
            .find(|d| d.name == name)
            .cloned()
        else {
            continue;
        };
        let Some(dir) = find_local(chart_dir, &dep) else {
            continue;
        };
        let mut sub = load_path(&dir).map_err(|e| {
            e.wrap(format!(
                "loading dependency {} from {}",
                dep.name,
                dir.display()
            ))
        })?;
        resolve_local_dependencies(&mut sub, &dir, depth + 1)?;
        let how = if dep.repository.starts_with("file://") {
            format!("its repository {}", dep.repository)
        } else {
            "a sibling chart in this repository".to_string()
        };
        chart.notes.push(format!(
            "dependency {} {} of chart {} is not in charts/: using {} ({how}); run `helm dependency build` to vendor it",
            dep.name,
            sub.metadata.version,
            chart.name(),
            dir.display()
        ));
        sub.origin = Origin::Sibling(dir);
        chart.dependencies.push(sub);
    }
    Ok(())
}

/// Load a chart folder or archive for rendering: subcharts from `charts/`, missing ones
/// from local folders (see [`resolve_local_dependencies`]), and Helm's error naming those
/// still missing.
pub fn load(path: &Path) -> Result<Chart> {
    let mut chart = load_path(path)?;
    if path.is_dir() {
        resolve_local_dependencies(&mut chart, path, 0)?;
    }
    let missing = missing_dependencies(&chart);
    if !missing.is_empty() {
        return Err(Error::at(path, missing_message(&missing)));
    }
    Ok(chart)
}
