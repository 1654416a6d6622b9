//! `helm template`, client-only: load the chart, build the values, render every template,
//! sort the documents and print them (or write the `--output-dir` tree), failing as Helm
//! fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use kspm_gotmpl::Value;
use kspm_helm_chart::{Chart, HelmCompat, Origin, ReleaseOptions};
use regex::Regex;

use crate::caps::{Capabilities, DEFAULT_KUBE_VERSION, KubeVersion};
use crate::engine::{self, EngineOptions, RenderedFile};
use crate::errors::TemplateError;
use crate::manifest::{Head, Hook, Manifest, sort_manifests};
use crate::options::{Compat, TemplateOptions};
use crate::output::{self, Crd, Traced, Written};
use crate::values::user_values;

/// What a successful `helm template` produced.
#[derive(Debug, Default)]
pub struct TemplateOutput {
    /// What Helm prints on stdout (with `--output-dir`: the `wrote` lines).
    pub stdout: Traced,
    /// The `--output-dir` files, in write order.
    pub written: Vec<Written>,
    /// Every rendered template (`chart/templates/x.yaml`) with its position trace.
    pub rendered: BTreeMap<String, RenderedFile>,
    /// Template path -> file on disk (folder charts).
    pub files: BTreeMap<String, PathBuf>,
    /// What Helm prints on stderr without failing (deprecation, skipped hooks).
    pub warnings: Vec<String>,
    /// The chart as loaded (dependencies processed), for tracing values to their files.
    pub chart: Option<Chart>,
}

const RELEASE_NAME_MAX: usize = 53;

static RELEASE_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$").ok()
});

fn validate_release_name(name: &str) -> Result<(), TemplateError> {
    let ok = !name.is_empty()
        && name.len() <= RELEASE_NAME_MAX
        && RELEASE_NAME.as_ref().is_some_and(|re| re.is_match(name));
    if ok {
        Ok(())
    } else {
        Err(TemplateError::new(format!(
            "release name {name:?}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
        )))
    }
}

/// The release name: the argument, `--name-template` rendered, or `release-name`.
fn release_name(opts: &TemplateOptions) -> Result<String, TemplateError> {
    if let Some(name) = &opts.release_name {
        if opts.name_template.is_some() {
            return Err(TemplateError::new(
                "cannot set --name-template and also specify a name",
            ));
        }
        if opts.generate_name {
            return Err(TemplateError::new(
                "cannot set --generate-name and also specify a name",
            ));
        }
        return Ok(name.clone());
    }
    if let Some(t) = &opts.name_template {
        return engine::name_template(t).map_err(TemplateError::new);
    }
    Ok("release-name".to_string())
}

fn chart_error(e: kspm_helm_chart::Error) -> TemplateError {
    let mut err = TemplateError::new(e.message);
    err.file = e.path;
    err
}

fn chart_compat(c: Compat) -> HelmCompat {
    match c {
        Compat::Helm3 => HelmCompat::V3,
        Compat::Helm4 => HelmCompat::V4,
    }
}

/// Template path (`chart/templates/x.yaml`) -> file on disk, for folder charts.
fn template_files(chart: &Chart, prefix: &str, out: &mut BTreeMap<String, PathBuf>) {
    let dir = match &chart.origin {
        Origin::Dir(d) | Origin::Sibling(d) => Some(d.clone()),
        _ => None,
    };
    if let Some(d) = dir {
        for t in &chart.templates {
            out.insert(format!("{prefix}/{}", t.name), d.join(&t.name));
        }
        for f in &chart.files {
            if f.name.starts_with("crds/") {
                out.insert(format!("{prefix}/{}", f.name), d.join(&f.name));
            }
        }
    }
    for dep in &chart.dependencies {
        template_files(dep, &format!("{prefix}/charts/{}", dep.name()), out);
    }
}

/// Run `helm template` with `opts`; relative paths resolve against `cwd`.
pub fn template(opts: &TemplateOptions, cwd: &Path) -> Result<TemplateOutput, TemplateError> {
    let mut warnings = Vec::new();
    // Helm parses --kube-version before it looks for the chart.
    let kube = match &opts.kube_version {
        Some(v) => KubeVersion::parse(v).map_err(TemplateError::new)?,
        None => KubeVersion::parse(
            opts.default_kube_version
                .as_deref()
                .unwrap_or(DEFAULT_KUBE_VERSION),
        )
        .map_err(TemplateError::new)?,
    };
    let chart_path = if opts.chart.is_absolute() {
        opts.chart.clone()
    } else {
        cwd.join(&opts.chart)
    };
    // No chart repositories offline: a chart is a local folder or archive.
    if !chart_path.exists() {
        return Err(TemplateError::new(format!(
            "path {:?} not found",
            opts.chart.display().to_string()
        )));
    }
    let mut chart = kspm_helm_chart::load(&chart_path).map_err(chart_error)?;
    chart.check_installable().map_err(chart_error)?;
    // Dependencies found beside the chart instead of in charts/ (said so, as a note).
    warnings.extend(chart.all_notes());
    if chart.metadata.deprecated {
        warnings.push("WARNING: This chart is deprecated".to_string());
    }
    let user = user_values(opts, cwd)?;
    let name = release_name(opts)?;
    let compat = chart_compat(opts.compat);
    warnings.extend(
        kspm_helm_chart::process_dependencies(&mut chart, &user, compat).map_err(chart_error)?,
    );
    validate_release_name(&name)?;
    let caps = Capabilities::new(kube, &opts.extra_api_versions(), opts.compat);
    let release = ReleaseOptions {
        name: name.clone(),
        namespace: opts.namespace().to_string(),
        revision: 1,
        is_upgrade: opts.is_upgrade,
        is_install: !opts.is_upgrade,
    };
    let top =
        kspm_helm_chart::to_render_values(&chart, &user, &release, caps.value(), compat, false)
            .map_err(chart_error)?;
    let kube_req = chart.metadata.kube_version.clone();
    if !kube_req.is_empty() && !kspm_semver::is_compatible_range(&kube_req, &caps.kube.version) {
        return Err(TemplateError::new(format!(
            "chart requires kubeVersion: {kube_req} which is incompatible with Kubernetes {}",
            caps.kube.version
        )));
    }
    let mut files = BTreeMap::new();
    template_files(&chart, chart.name(), &mut files);
    let debug_suffix = |mut e: TemplateError| {
        if !opts.debug {
            e.message
                .push_str("\n\nUse --debug flag to render out invalid YAML");
        }
        e
    };
    let rendered =
        engine::render_chart(&chart, &top, EngineOptions::default()).map_err(|mut e| {
            if let Some(p) = &e.position {
                e.file = files.get(&p.template).cloned();
            }
            // With --debug Helm prints the (empty) release manifest before the error.
            if opts.debug {
                e.output = Some("\n".to_string());
            }
            debug_suffix(e)
        })?;
    // NOTES.txt is rendered (its errors count) but is not a manifest.
    let texts: BTreeMap<String, String> = rendered
        .iter()
        .filter(|(k, _)| !k.ends_with("NOTES.txt"))
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let parse = |doc: &str| parse_head(doc);
    let (hooks, manifests) = match sort_manifests(&texts, opts.compat, &parse) {
        Ok(x) => x,
        Err(e) => {
            let mut dump = String::new();
            for (name, content) in &texts {
                if content.trim().is_empty() {
                    continue;
                }
                dump.push_str(&format!("---\n# Source: {name}\n{content}\n"));
            }
            let mut err = TemplateError::new(e.message);
            err.file = files.get(&e.path).cloned();
            err.position = Some(crate::errors::Position {
                template: e.path,
                line: 0,
                column: 0,
            });
            // With --debug Helm prints the dump (trimmed, as the release manifest) first.
            if opts.debug {
                err.output = Some(format!("{}\n", dump.trim()));
            }
            return Err(debug_suffix(err));
        }
    };
    let crds: Vec<Crd> = chart
        .crd_objects(chart.name())
        .into_iter()
        .map(|c| Crd {
            path: c.filename,
            content: String::from_utf8_lossy(&c.file.data).into_owned(),
        })
        .collect();
    let (stdout, written) = emit(opts, &name, &crds, &manifests, &hooks)?;
    Ok(TemplateOutput {
        stdout,
        written,
        rendered,
        files,
        warnings,
        chart: Some(chart),
    })
}

fn emit(
    opts: &TemplateOptions,
    release: &str,
    crds: &[Crd],
    manifests: &[Manifest],
    hooks: &[Hook],
) -> Result<(Traced, Vec<Written>), TemplateError> {
    match &opts.output_dir {
        Some(dir) => {
            let (written, stdout) =
                output::write_output_dir(dir, release, crds, manifests, hooks, opts)
                    .map_err(TemplateError::new)?;
            if !opts.show_only.is_empty() {
                // The printed stream is empty: nothing can match.
                let g = opts.show_only.first().cloned().unwrap_or_default();
                return Err(TemplateError::new(format!(
                    "could not find template {g} in chart"
                )));
            }
            Ok((
                Traced {
                    text: stdout,
                    origins: Vec::new(),
                },
                written,
            ))
        }
        None => {
            let rel = output::release_manifest(crds, manifests, opts.include_crds);
            let out = output::stdout_stream(&rel, hooks, opts).map_err(TemplateError::new)?;
            Ok((out, Vec::new()))
        }
    }
}

/// A document's head as Helm reads it (sigs.k8s.io/yaml into `SimpleHead`).
pub fn parse_head(doc: &str) -> Result<Head, String> {
    let v = kspm_godata::yaml::unmarshal(doc)?;
    let mut head = Head::default();
    let Value::Map(m) = &v else {
        return match v {
            Value::Nil | Value::Invalid => Ok(head),
            other => Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type releaseutil.SimpleHead",
                json_kind(&other)
            )),
        };
    };
    let m = m.borrow();
    let string_field = |v: Option<&Value>, field: &str| -> Result<String, String> {
        match v {
            None | Some(Value::Nil) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(other) => Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.{field} of type string",
                json_kind(other)
            )),
        }
    };
    head.api_version = string_field(m.entries.get("apiVersion"), "apiVersion")?;
    head.kind = string_field(m.entries.get("kind"), "kind")?;
    if let Some(Value::Map(meta)) = m.entries.get("metadata") {
        let meta = meta.borrow();
        head.name = Some(string_field(meta.entries.get("name"), "metadata.name")?);
        if let Some(Value::Map(ann)) = meta.entries.get("annotations") {
            for (k, v) in &ann.borrow().entries {
                let s = string_field(Some(v), "metadata.annotations")?;
                head.annotations.insert(k.clone(), s);
            }
        }
    }
    Ok(head)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(..) | Value::Float(..) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}
