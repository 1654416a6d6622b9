//! Loading a chart from a folder, an archive or a list of files, as Helm's loader does.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kspm_gotmpl::Value;

use crate::archive::{read_archive, strip_bom};
use crate::chart::{Chart, File, Origin};
use crate::error::{Error, Result};
use crate::helmignore::Rules;
use crate::metadata::{self, API_VERSION_V1, Metadata};
use crate::yaml;

/// Load a chart folder or `.tgz` archive, without resolving missing dependencies.
pub fn load_path(path: &Path) -> Result<Chart> {
    let meta = fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::at(
                path,
                format!("path {:?} not found", path.display().to_string()),
            )
        } else {
            Error::at(path, io_message(path, &e))
        }
    })?;
    if meta.is_dir() {
        load_dir(path)
    } else {
        let bytes = fs::read(path).map_err(|e| Error::at(path, io_message(path, &e)))?;
        if !bytes.starts_with(&[0x1f, 0x8b]) {
            // Helm sniffs the content type before opening an archive.
            let kind = if std::str::from_utf8(&bytes).is_ok() {
                "text/plain; charset=utf-8"
            } else {
                "application/octet-stream"
            };
            return Err(Error::at(
                path,
                format!(
                    "file '{}' does not appear to be a gzipped archive; got '{kind}'",
                    path.display()
                ),
            ));
        }
        let mut chart = load_archive(&bytes).map_err(|e| e.with_path(path))?;
        chart.origin = Origin::Archive(path.to_path_buf());
        rebase_origins(&mut chart);
        Ok(chart)
    }
}

fn io_message(path: &Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        format!("stat {}: no such file or directory", path.display())
    } else {
        format!("{}: {e}", path.display())
    }
}

/// Load a chart archive's bytes.
pub fn load_archive(bytes: &[u8]) -> Result<Chart> {
    load_files(read_archive(bytes)?)
}

/// Load a chart folder: its files in path order, minus what `.helmignore` (plus Helm's
/// default rule) excludes.
pub fn load_dir(dir: &Path) -> Result<Chart> {
    let ignore_path = dir.join(".helmignore");
    let rules = if ignore_path.is_file() {
        let text = fs::read_to_string(&ignore_path)
            .map_err(|e| Error::at(&ignore_path, io_message(&ignore_path, &e)))?;
        Rules::parse(&text).map_err(|m| Error::at(&ignore_path, m))?
    } else {
        Rules::defaults()
    };
    let mut files = Vec::new();
    walk(dir, "", &rules, &mut files, &mut Vec::new())?;
    let mut chart = load_files(files).map_err(|e| e.with_path(dir))?;
    chart.origin = Origin::Dir(dir.to_path_buf());
    rebase_origins(&mut chart);
    Ok(chart)
}

/// Depth-first walk in byte order of names (Go's `filepath.Walk`), following symlinks;
/// a folder that is its own ancestor (a symlink loop) is not entered again.
fn walk(
    dir: &Path,
    rel: &str,
    rules: &Rules,
    out: &mut Vec<File>,
    ancestors: &mut Vec<std::path::PathBuf>,
) -> Result<()> {
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if ancestors.contains(&real) {
        return Ok(());
    }
    ancestors.push(real);
    let result = walk_entries(dir, rel, rules, out, ancestors);
    ancestors.pop();
    result
}

fn walk_entries(
    dir: &Path,
    rel: &str,
    rules: &Rules,
    out: &mut Vec<File>,
    ancestors: &mut Vec<std::path::PathBuf>,
) -> Result<()> {
    let rd = fs::read_dir(dir).map_err(|e| Error::at(dir, io_message(dir, &e)))?;
    let mut names: Vec<std::ffi::OsString> =
        rd.filter_map(|e| e.ok().map(|e| e.file_name())).collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let name = name.to_string_lossy();
        let n = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        let meta = fs::metadata(&path).map_err(|e| Error::at(&path, io_message(&path, &e)))?;
        if meta.is_dir() {
            if rules.ignore(&n, true) {
                continue;
            }
            walk(&path, &n, rules, out, ancestors)?;
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(Error::at(
                &path,
                format!(
                    "cannot load irregular file {} as it has file mode type bits set",
                    path.display()
                ),
            ));
        }
        let data = fs::read(&path).map_err(|e| Error::at(&path, io_message(&path, &e)))?;
        out.push(File {
            name: n,
            data: strip_bom(data),
        });
    }
    Ok(())
}

fn decode_yaml(f: &File) -> Result<Value> {
    yaml::decode(&f.data).map_err(Error::new)
}

/// Helm's `LoadFiles`: sort the files of one chart into metadata, values, schema,
/// templates, other files and subcharts, validate, and load the subcharts.
pub fn load_files(files: Vec<File>) -> Result<Chart> {
    let mut metadata: Option<Metadata> = None;
    let mut chart = Chart::new(Metadata::default());
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    let mut requirements = Vec::new();

    for f in files {
        match f.name.as_str() {
            "Chart.yaml" => {
                let doc = decode_yaml(&f).map_err(|e| e.wrap("cannot load Chart.yaml"))?;
                let mut md =
                    Metadata::from_value(&doc).map_err(|e| e.wrap("cannot load Chart.yaml"))?;
                if md.api_version.is_empty() {
                    md.api_version = API_VERSION_V1.to_string();
                }
                metadata = Some(md);
            }
            "Chart.lock" => {}
            "values.yaml" => {
                chart.values = yaml::decode_map(&f.data)
                    .map_err(|e| Error::new(e).wrap("cannot load values.yaml"))?;
                chart.values_raw = Some(f);
            }
            "values.schema.json" => chart.schema = Some(f.data),
            "requirements.yaml" | "requirements.lock" => {
                if f.name == "requirements.yaml" {
                    let doc =
                        decode_yaml(&f).map_err(|e| e.wrap("cannot load requirements.yaml"))?;
                    requirements.push(
                        metadata::dependencies_from(&doc, "Metadata")
                            .map_err(|e| e.wrap("cannot load requirements.yaml"))?,
                    );
                }
                chart.files.push(f);
            }
            n if n.starts_with("templates/") => chart.templates.push(f),
            n if n.starts_with("charts/") => {
                if n.ends_with(".prov") {
                    chart.files.push(f);
                    continue;
                }
                let cname = &n["charts/".len()..];
                if cname.starts_with('.') || cname.starts_with('_') {
                    continue;
                }
                let sub = cname.split('/').next().unwrap_or(cname).to_string();
                let name = cname.to_string();
                subcharts
                    .entry(sub)
                    .or_default()
                    .push(File { name, data: f.data });
            }
            _ => chart.files.push(f),
        }
    }

    let Some(mut md) = metadata else {
        return Err(Error::new("Chart.yaml file is missing"));
    };
    if let Some(deps) = requirements.pop() {
        md.dependencies = deps;
    }
    md.validate()?;
    // requirements.* are chart files only for v1 charts.
    if md.api_version != API_VERSION_V1 {
        chart.files.retain(|f| !f.name.starts_with("requirements."));
    }
    chart.metadata = md;

    for (n, mut files) in subcharts {
        let sub = if n.ends_with(".tgz") {
            let file = files.remove(0);
            if file.name != n {
                return Err(Error::new(format!(
                    "error unpacking tar in {}: expected {}, got {}",
                    chart.name(),
                    n,
                    file.name
                )));
            }
            load_archive(&file.data)
        } else {
            let prefix = format!("{n}/");
            for f in &mut files {
                if let Some(rest) = f.name.strip_prefix(&prefix) {
                    f.name = rest.to_string();
                }
            }
            load_files(files)
        };
        let mut sub =
            sub.map_err(|e| e.wrap(format!("error unpacking subchart {n} in {}", chart.name())))?;
        // Relative to this chart until the caller knows where the chart lives.
        let rel = Path::new("charts").join(&n);
        sub.origin = if n.ends_with(".tgz") {
            Origin::Archive(rel)
        } else {
            Origin::Dir(rel)
        };
        chart.dependencies.push(sub);
    }
    Ok(chart)
}

/// Turn the subcharts' origins (relative to their parent) into real locations: folders
/// below a folder, archives as their file, anything inside an archive as that archive.
pub(crate) fn rebase_origins(chart: &mut Chart) {
    let base = chart.origin.clone();
    for d in &mut chart.dependencies {
        d.origin = match (&base, &d.origin) {
            (Origin::Dir(b) | Origin::Sibling(b), Origin::Dir(rel)) => Origin::Dir(b.join(rel)),
            (Origin::Dir(b) | Origin::Sibling(b), Origin::Archive(rel)) => {
                Origin::Archive(b.join(rel))
            }
            (Origin::Archive(a), _) => Origin::Archive(a.clone()),
            (_, other) => other.clone(),
        };
        rebase_origins(d);
    }
}
