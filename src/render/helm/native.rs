//! kspm's own Helm renderer (crates/helm): `kspm template`, which prints what `helm
//! template` prints, and [`NativeHelm`], the [`HelmRenderer`] `kspm lint` uses when `helm`
//! is not on PATH (or with `--renderer native`).

use std::io::Write;
use std::path::{Path, PathBuf};

use kspm_helm::{Compat, TemplateOptions};

use super::HelmRenderer;
use crate::render::HelmRender;

/// `kspm template [NAME] CHART [flags]`: the arguments of `helm template`.
#[derive(clap::Args, Debug, Default)]
pub struct TemplateArgs {
    /// `[NAME] CHART`: the release name (default `release-name`) and the chart folder or
    /// .tgz archive.
    #[arg(required = true, num_args = 1..=2, value_name = "[NAME] CHART")]
    pub args: Vec<String>,
    /// Namespace of the release.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    /// Values file (repeatable; later ones win).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set a value, KEY=VALUE (repeatable; comma-separated lists too).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Set a string value, KEY=VALUE.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Set a value from a file's content, KEY=PATH.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set a JSON value, KEY=JSON.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set a literal string value, KEY=VALUE.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
    /// Name the release with this template's output.
    #[arg(long, value_name = "TEMPLATE")]
    pub name_template: Option<String>,
    /// Generate the release name.
    #[arg(short = 'g', long)]
    pub generate_name: bool,
    /// Kubernetes version for .Capabilities.KubeVersion.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// API versions for .Capabilities.APIVersions (repeatable, comma lists).
    #[arg(short = 'a', long = "api-versions", value_name = "GROUP/VERSION")]
    pub api_versions: Vec<String>,
    /// Include the CRDs of crds/ folders.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave out test hooks.
    #[arg(long)]
    pub skip_tests: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long)]
    pub is_upgrade: bool,
    /// Leave out hooks.
    #[arg(long)]
    pub no_hooks: bool,
    /// Only show the manifests of these templates (globs; repeatable).
    #[arg(short = 's', long = "show-only", value_name = "PATH")]
    pub show_only: Vec<String>,
    /// Write one file per template under this folder instead of printing.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Put the --output-dir tree under the release name.
    #[arg(long = "release-name")]
    pub use_release_name: bool,
    /// Print the rendered manifests even when they are invalid.
    #[arg(long)]
    pub debug: bool,
    /// Follow Helm 3 (3.x, 4.0, 4.1) or Helm 4.2 output and values conventions.
    #[arg(long, value_name = "3|4", default_value = "3")]
    pub helm_compat: String,
}

impl TemplateArgs {
    pub fn options(&self) -> Result<TemplateOptions, String> {
        let (release, chart) = match self.args.as_slice() {
            [chart] => (None, chart.clone()),
            [name, chart] => (Some(name.clone()), chart.clone()),
            _ => return Err("expected at most two arguments: [NAME] CHART".to_string()),
        };
        Ok(TemplateOptions {
            chart: PathBuf::from(chart),
            release_name: release,
            name_template: self.name_template.clone(),
            generate_name: self.generate_name,
            namespace: self.namespace.clone(),
            values_files: self.values.clone(),
            set: self.set.clone(),
            set_string: self.set_string.clone(),
            set_file: self.set_file.clone(),
            set_json: self.set_json.clone(),
            set_literal: self.set_literal.clone(),
            kube_version: self.kube_version.clone(),
            api_versions: self.api_versions.clone(),
            include_crds: self.include_crds,
            skip_tests: self.skip_tests,
            is_upgrade: self.is_upgrade,
            no_hooks: self.no_hooks,
            show_only: self.show_only.clone(),
            output_dir: self.output_dir.clone(),
            use_release_name: self.use_release_name,
            debug: self.debug,
            compat: Compat::parse(&self.helm_compat)?,
            default_kube_version: None,
        })
    }
}

/// Run `kspm template`: 0 with Helm's stdout, or 2 with Helm's error (and where it is).
pub fn run_template(args: &TemplateArgs) -> u8 {
    let opts = match args.options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Error: {e}");
            return 2;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut out = std::io::stdout().lock();
    match kspm_helm::template(&opts, &cwd) {
        Ok(o) => {
            for w in &o.warnings {
                eprintln!("{w}");
            }
            // A closed pipe is not an error worth reporting.
            let _ = out.write_all(o.stdout.text.as_bytes());
            let _ = out.flush();
            0
        }
        Err(e) => {
            if let Some(text) = &e.output {
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
            eprintln!("Error: {}", e.message);
            if let Some(at) = located(&e, &cwd) {
                eprintln!("  --> {at}");
            }
            2
        }
    }
}

/// `file:line:column` of a render error, when it names a template of a chart folder.
fn located(e: &kspm_helm::TemplateError, cwd: &Path) -> Option<String> {
    let file = e.file.as_ref()?;
    let shown = file.strip_prefix(cwd).unwrap_or(file).display().to_string();
    match &e.position {
        // Go's column is a 0-based byte offset in the line.
        Some(p) if p.line > 0 => Some(format!("{shown}:{}:{}", p.line, p.column + 1)),
        _ => Some(shown),
    }
}

/// Helm's message for a lint error: without the `--debug` hint, which is about `helm
/// template` itself.
fn lint_message(e: kspm_helm::TemplateError) -> String {
    e.message
        .strip_suffix("\n\nUse --debug flag to render out invalid YAML")
        .unwrap_or(&e.message)
        .to_string()
}

/// Charts rendered by kspm itself, as `helm template` would.
#[derive(Debug, Default)]
pub struct NativeHelm;

impl NativeHelm {
    pub fn options(chart: &Path, r: &HelmRender) -> TemplateOptions {
        TemplateOptions {
            chart: chart.to_path_buf(),
            release_name: Some(r.release().to_string()),
            namespace: r.namespace.clone(),
            values_files: r.values.clone(),
            set: r.set.clone(),
            kube_version: r.kube_version.clone(),
            // CRDs are applied on install: lint them too.
            include_crds: true,
            ..TemplateOptions::default()
        }
    }
}

impl HelmRenderer for NativeHelm {
    fn name(&self) -> String {
        "kspm template".to_string()
    }

    fn render(&self, chart: &Path, r: &HelmRender) -> Result<String, String> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        match kspm_helm::template(&Self::options(chart, r), &cwd) {
            Ok(o) => Ok(o.stdout.text),
            Err(e) => Err(lint_message(e)),
        }
    }

    fn render_traced(
        &self,
        chart: &Path,
        r: &HelmRender,
    ) -> Result<(String, Option<NativeTrace>), String> {
        self.render_with_trace(chart, r).map(|(s, t)| (s, Some(t)))
    }
}

/// What the native renderer knows beyond the stream: where each byte came from.
#[derive(Debug)]
pub struct NativeTrace {
    pub trace: kspm_helm::trace::Trace,
    /// Template name (`chart/templates/x.yaml`) -> its file on disk.
    pub files: std::collections::BTreeMap<String, PathBuf>,
    /// What the renderer says without failing (a dependency taken from a sibling folder).
    pub notes: Vec<String>,
    /// The values lines of the fields actions printed from `.Values`.
    pub values: super::traced_values::ValuesTracer,
}

impl NativeTrace {
    /// The stream and trace of a render; `values_files`: its `-f` files (absolute), where
    /// printed values are traced to with the chart's values.yaml files.
    pub fn from_output(o: kspm_helm::TemplateOutput, values_files: &[PathBuf]) -> (String, Self) {
        let trace = kspm_helm::trace::output_trace(&o.stdout, &o.rendered);
        let values = match &o.chart {
            Some(chart) => super::traced_values::ValuesTracer::build(
                chart,
                values_files,
                &o.stdout.text,
                &trace,
            ),
            None => super::traced_values::ValuesTracer::default(),
        };
        (
            o.stdout.text,
            NativeTrace {
                trace,
                files: o.files,
                notes: o.warnings,
                values,
            },
        )
    }
}

impl NativeHelm {
    /// Render and keep the trace.
    pub fn render_with_trace(
        &self,
        chart: &Path,
        r: &HelmRender,
    ) -> Result<(String, NativeTrace), String> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let opts = Self::options(chart, r);
        let o = kspm_helm::template(&opts, &cwd).map_err(lint_message)?;
        let files: Vec<PathBuf> = opts.values_files.iter().map(|f| cwd.join(f)).collect();
        Ok(NativeTrace::from_output(o, &files))
    }
}

/// Findings on a natively rendered stream, placed through the renderer's trace: a field
/// whose value an action printed from `.Values` (`{{ toYaml .Values.x }}`, `{{ .Values.y
/// }}`) maps to the values-file line that set it; a field written by template text —
/// the template's own or a named template's (`include` of `_helpers.tpl`) — maps to that
/// exact text. The rest (values the template computed, `tpl` output) goes through the
/// `# Source:`-based stream mapper.
#[derive(Debug)]
pub struct TracedMapper {
    pub inner: super::stream::HelmMapper,
    pub trace: kspm_helm::trace::Trace,
    /// Template name -> its source (display path).
    pub sources: std::collections::BTreeMap<String, std::sync::Arc<crate::source::SourceFile>>,
    pub(crate) values: super::traced_values::ValuesTracer,
    /// How values files are shown.
    root: crate::render::DisplayRoot,
}

type Json = serde_json::Value;

impl TracedMapper {
    pub fn new(
        inner: super::stream::HelmMapper,
        native: NativeTrace,
        root: &crate::render::DisplayRoot,
    ) -> TracedMapper {
        let mut sources = std::collections::BTreeMap::new();
        for (name, path) in native.files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let canonical = std::fs::canonicalize(&path).unwrap_or(path);
            sources.insert(
                name,
                crate::source::SourceFile::new(root.show(&canonical), text),
            );
        }
        TracedMapper {
            inner,
            trace: native.trace,
            sources,
            values: native.values,
            root: root.clone(),
        }
    }

    /// `{"file", "line"}` of a template position.
    fn position(&self, template: &str, offset: usize) -> Json {
        match self.sources.get(template) {
            Some(s) => serde_json::json!({"file": s.path, "line": s.position(offset).line}),
            None => serde_json::json!({"template": template}),
        }
    }

    /// The include actions a stretch was printed through, outermost first.
    fn included_at(&self, calls: &[kspm_helm::trace::Call]) -> Json {
        Json::Array(
            calls
                .iter()
                .map(|c| self.position(&c.template, c.offset))
                .collect(),
        )
    }

    /// The template span of a rendered span copied from one template's text.
    fn literal_span(
        &self,
        span: crate::yaml::Span,
    ) -> Option<(
        std::sync::Arc<crate::source::SourceFile>,
        crate::yaml::Span,
        &kspm_helm::trace::Segment,
    )> {
        let seg = self.trace.segment(span.start)?;
        let start = self.trace.locate(span.start)?;
        if !start.literal {
            return None;
        }
        let source = self.sources.get(start.template)?;
        let last = span.end.saturating_sub(1).max(span.start);
        let end = match self.trace.locate(last) {
            Some(e) if e.literal && e.template == start.template && e.offset >= start.offset => {
                e.offset + 1
            }
            // The rest was printed by an action: up to the end of the template's line.
            _ => source.text[start.offset..]
                .find('\n')
                .map_or(source.text.len(), |n| start.offset + n),
        };
        let end = end.min(source.text.len());
        Some((
            source.clone(),
            crate::yaml::Span::new(start.offset, end),
            seg,
        ))
    }

    fn base_origin(mapped: Option<crate::render::Mapping>) -> Json {
        mapped
            .map(|m| m.origin)
            .unwrap_or_else(|| serde_json::json!({"renderer": "helm"}))
    }
}

impl crate::render::OriginMapper for TracedMapper {
    fn exact(&self) -> Option<&dyn crate::render::exact::ExactTrace> {
        Some(self)
    }

    fn map(&self, req: &crate::render::MapRequest<'_>) -> Option<crate::render::Mapping> {
        let mapped = self.inner.map(req);
        if let Some(hit) = self.values.locate(&self.trace, &self.root, req) {
            // A values entry the stream mapper found whole beats a traced one cut at a
            // list index.
            let inner_exact = mapped
                .as_ref()
                .is_some_and(|m| m.origin["via"] == "values" && m.origin["exact"] == true);
            if hit.exact || !inner_exact {
                let action = hit.action;
                let outer = action
                    .calls
                    .first()
                    .map_or(&action.template, |c| &c.template);
                let mut origin = Self::base_origin(mapped);
                if let Json::Object(o) = &mut origin {
                    if let Some(s) = self.sources.get(outer) {
                        o.insert("file".into(), serde_json::json!(s.path));
                    }
                    o.insert(
                        "values".into(),
                        serde_json::json!({"file": hit.location.source.path, "path": hit.path}),
                    );
                    o.insert(
                        "injected_at".into(),
                        self.position(&action.template, action.offset),
                    );
                    if !action.calls.is_empty() {
                        o.insert("included_at".into(), self.included_at(&action.calls));
                    }
                    o.insert("via".into(), serde_json::json!("values"));
                    o.insert("exact".into(), serde_json::json!(hit.exact));
                    o.insert("traced".into(), serde_json::json!(true));
                    o.remove("matched");
                }
                return Some(crate::render::Mapping {
                    location: Some(hit.location),
                    origin,
                });
            }
        }
        // Template text wrote the field; else an action printed its value after a key the
        // text wrote (`name: {{ include "fullname" . }}`): the key's line, and which action
        // printed the value.
        let (source, span, seg, printed) = match self.literal_span(req.span) {
            Some((source, span, seg)) => (source, span, seg, None),
            None => {
                let Some(key) = self.values.key_span(req) else {
                    return mapped;
                };
                let Some((source, span, seg)) = self.literal_span(key) else {
                    return mapped;
                };
                let line_end = source.text[span.start..]
                    .find('\n')
                    .map_or(source.text.len(), |n| span.start + n);
                let span = crate::yaml::Span::new(span.start, line_end.max(span.end));
                (source, span, seg, self.trace.segment(req.span.start))
            }
        };
        let mut origin = Self::base_origin(mapped);
        if let Json::Object(o) = &mut origin {
            o.insert("file".into(), serde_json::json!(source.path));
            o.insert("via".into(), serde_json::json!("template"));
            o.insert("exact".into(), serde_json::json!(true));
            o.insert("traced".into(), serde_json::json!(true));
            o.remove("values");
            o.remove("injected_at");
            if seg.calls.is_empty() {
                o.remove("included_at");
            } else {
                o.insert("included_at".into(), self.included_at(&seg.calls));
            }
            if let Some(p) = printed.filter(|p| !p.literal) {
                let mut at = self.position(&p.template, p.offset);
                if let Json::Object(a) = &mut at
                    && !p.calls.is_empty()
                {
                    a.insert("included_at".into(), self.included_at(&p.calls));
                }
                o.insert("printed_at".into(), at);
            }
        }
        Some(crate::render::Mapping {
            location: Some(crate::render::Location {
                source,
                span,
                document: 0,
            }),
            origin,
        })
    }
}
