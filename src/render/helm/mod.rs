//! Helm charts: rendered by a [`HelmRenderer`] (the `helm` binary today; kspm's own
//! renderer later, behind the same trait), or already rendered (`helm template ... | kspm
//! lint -`, or files holding that output). Either way the stream's `# Source:` comments name
//! the template of each document, and [`stream::HelmMapper`] finds the line in it.

mod exact;
pub mod native;
pub mod stream;
pub mod template;
pub mod traced_values;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::render::{
    DisplayRoot, HelmRender, Location, RenderFailure, RenderOptions, Rendered, RendererChoice,
    display_path, entry_span, file_error, head, located_error, process,
};
use crate::report::LintError;
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Span};

use template::{TemplateFile, Templates};

/// Renders a chart into a stream in `helm template`'s format (documents preceded by
/// `# Source: <chart>/templates/<file>`).
pub trait HelmRenderer: Send + Sync {
    /// Shown in errors and in each finding's origin.
    fn name(&self) -> String;
    fn render(&self, chart: &Path, render: &HelmRender) -> Result<String, String>;
    /// Render and, when the renderer knows it, say which template byte produced each
    /// byte of the stream.
    fn render_traced(
        &self,
        chart: &Path,
        render: &HelmRender,
    ) -> Result<(String, Option<native::NativeTrace>), String> {
        self.render(chart, render).map(|s| (s, None))
    }
}

/// The `helm` executable, run as `helm template` (client-only: no cluster, no plugins, no
/// repository access for a local chart).
#[derive(Debug)]
pub struct HelmBinary {
    pub path: PathBuf,
}

impl HelmBinary {
    /// The arguments of `helm template` for one render.
    pub fn args(chart: &Path, r: &HelmRender) -> Vec<String> {
        let mut args = vec![
            "template".to_string(),
            r.release().to_string(),
            chart.display().to_string(),
            // CRDs are applied on install: lint them too.
            "--include-crds".to_string(),
        ];
        if let Some(ns) = &r.namespace {
            args.extend(["--namespace".to_string(), ns.clone()]);
        }
        for v in &r.values {
            args.extend(["--values".to_string(), v.display().to_string()]);
        }
        for s in &r.set {
            args.extend(["--set".to_string(), s.clone()]);
        }
        if let Some(k) = &r.kube_version {
            args.extend(["--kube-version".to_string(), k.clone()]);
        }
        args
    }
}

impl HelmRenderer for HelmBinary {
    fn name(&self) -> String {
        "helm template".to_string()
    }

    fn render(&self, chart: &Path, r: &HelmRender) -> Result<String, String> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let out = process::run(&self.path, &Self::args(chart, r), &cwd)?;
        if out.success {
            Ok(out.stdout)
        } else {
            let msg = out
                .stderr
                .lines()
                .map(|l| l.trim().trim_start_matches("Error: "))
                .filter(|l| !l.is_empty() && !l.starts_with("Use --debug"))
                .collect::<Vec<_>>()
                .join(" ");
            Err(if msg.is_empty() {
                "helm template failed without a message".to_string()
            } else {
                msg
            })
        }
    }
}

/// The renderer to use: `helm` when on PATH, else kspm's own (`--renderer` chooses).
pub fn renderer(choice: RendererChoice) -> Option<Box<dyn HelmRenderer>> {
    let helm = || {
        process::find_on_path("helm")
            .map(|path| Box::new(HelmBinary { path }) as Box<dyn HelmRenderer>)
    };
    match choice {
        RendererChoice::Helm => helm(),
        RendererChoice::Native => Some(Box::new(native::NativeHelm)),
        RendererChoice::Auto => helm().or_else(|| Some(Box::new(native::NativeHelm))),
    }
}

/// Render a chart once per configured render.
pub fn render_chart(
    dir: &Path,
    display: &str,
    opts: &RenderOptions,
) -> Vec<Result<Rendered, RenderFailure>> {
    render_chart_with(renderer(opts.renderer).as_deref(), dir, display, opts)
}

/// Render with a given renderer (`None`: report that none is available).
pub fn render_chart_with(
    renderer: Option<&dyn HelmRenderer>,
    dir: &Path,
    display: &str,
    opts: &RenderOptions,
) -> Vec<Result<Rendered, RenderFailure>> {
    let root = DisplayRoot::new(dir, display);
    let chart_yaml = load_yaml(&dir.join("Chart.yaml"), &root);
    let at_chart = |message: String| -> LintError {
        match &chart_yaml {
            Some((src, Some(node))) => {
                let span = node.entry("name").map_or_else(|| head(node), entry_span);
                located_error(src, span, message)
            }
            Some((src, None)) => located_error(src, Span::default(), message),
            None => file_error(&format!("{display}/Chart.yaml"), message),
        }
    };
    let Some(renderer) = renderer else {
        return vec![Err(RenderFailure::Errors(vec![at_chart(format!(
            "Helm chart `{display}` was not linted: no Helm renderer is available (`--renderer helm` and `helm` is not on PATH); put `helm` on PATH, use `--renderer native`, or lint its rendered output: `helm template {display} | kspm lint -`"
        ))]))];
    };
    let tree = ChartTree::load(dir, display).map(Arc::new);
    let fallback = chart_yaml.as_ref().map(|(src, node)| Location {
        source: src.clone(),
        span: node.as_ref().map_or(Span::default(), |n| {
            n.entry("name").map_or_else(|| head(n), entry_span)
        }),
        document: 0,
    });
    opts.helm_renders()
        .into_iter()
        .map(|r| match renderer.render_traced(dir, &r) {
            Ok((text, trace)) => {
                let source = SourceFile::new(display.to_string(), text);
                let values = r
                    .values
                    .iter()
                    .filter_map(|v| {
                        let shown = display_path(v);
                        let text = std::fs::read_to_string(v).ok()?;
                        Some(ValuesFile::new(SourceFile::new(shown, text)))
                    })
                    .collect();
                let mapper = stream::HelmMapper::new(
                    &source,
                    tree.clone(),
                    values,
                    Some(format!("{}: {}", renderer.name(), r.label())),
                    fallback.clone(),
                );
                let notes = trace.as_ref().map(|t| t.notes.clone()).unwrap_or_default();
                let mapper: Arc<dyn crate::render::OriginMapper> = match trace {
                    Some(t) => Arc::new(native::TracedMapper::new(mapper, t, &root)),
                    None => Arc::new(mapper),
                };
                Ok(Rendered {
                    source,
                    mapper,
                    notes,
                })
            }
            Err(message) => {
                let message = format!("{} failed: {message}", renderer.name());
                let located = tree.as_ref().and_then(|t| t.locate_error(&message));
                Err(RenderFailure::Errors(vec![
                    located.unwrap_or_else(|| at_chart(message)),
                ]))
            }
        })
        .collect()
}

fn load_yaml(path: &Path, root: &DisplayRoot) -> Option<(Arc<SourceFile>, Option<Node>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let src = SourceFile::new(root.show(&canonical), text);
    let node = load_all(&src)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .map(|d| d.root);
    Some((src, node))
}

/// A values file with its tree.
#[derive(Debug)]
pub struct ValuesFile {
    pub source: Arc<SourceFile>,
    pub root: Option<Node>,
}

impl ValuesFile {
    pub fn new(source: Arc<SourceFile>) -> Self {
        let root = load_all(&source)
            .into_iter()
            .next()
            .and_then(Result::ok)
            .map(|d| d.root);
        ValuesFile { source, root }
    }
}

/// One chart of a chart tree (the chart and its unpacked subcharts).
#[derive(Debug)]
pub struct Chart {
    /// `name` from Chart.yaml (what `# Source:` paths use).
    pub name: String,
    pub parent: Option<usize>,
    pub values: Option<ValuesFile>,
}

/// A chart folder with its subcharts, templates and default values.
#[derive(Debug)]
pub struct ChartTree {
    pub display: String,
    pub charts: Vec<Chart>,
    pub templates: Templates,
    /// `# Source:` path (`web/charts/db/templates/x.yaml`) -> template file.
    by_source: HashMap<String, usize>,
}

static TEMPLATE_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^\s():]+/templates/[^\s():]+?):(\d+)(?::(\d+))?\b").expect("valid regex")
});

impl ChartTree {
    /// Read the chart in `dir` (shown as `display`); `None` when it has no Chart.yaml.
    pub fn load(dir: &Path, display: &str) -> Option<ChartTree> {
        let root = DisplayRoot::new(dir, display);
        let mut tree = ChartTree {
            display: display.to_string(),
            charts: Vec::new(),
            templates: Templates::default(),
            by_source: HashMap::new(),
        };
        let mut files = Vec::new();
        tree.add(
            &root,
            &root.canonical.clone(),
            None,
            String::new(),
            &mut files,
        )?;
        tree.templates = Templates::new(files);
        Some(tree)
    }

    fn add(
        &mut self,
        root: &DisplayRoot,
        dir: &Path,
        parent: Option<usize>,
        prefix: String,
        files: &mut Vec<TemplateFile>,
    ) -> Option<()> {
        let (_, meta) = load_yaml(&dir.join("Chart.yaml"), root)?;
        let name = meta
            .as_ref()
            .and_then(|m| m.get("name")?.as_str())
            .map_or_else(
                || {
                    dir.file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
                },
                str::to_string,
            );
        let values = load_yaml(&dir.join("values.yaml"), root)
            .map(|(source, root)| ValuesFile { source, root });
        let index = self.charts.len();
        self.charts.push(Chart {
            name: name.clone(),
            parent,
            values,
        });
        let source_prefix = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/charts/{name}")
        };
        // `crds/` files are plain YAML that Helm copies (`--include-crds`); outlined like
        // templates, they map the same way.
        for folder in ["templates", "crds"] {
            let base = dir.join(folder);
            let mut stack = vec![base.clone()];
            let mut found = Vec::new();
            while let Some(d) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.file_name().is_some_and(|n| n != "NOTES.txt") {
                        found.push(p);
                    }
                }
            }
            found.sort();
            for p in found {
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let rel = p.strip_prefix(&base).unwrap_or(&p);
                let key = format!("{source_prefix}/{folder}/{}", display_path(rel));
                let shown = root.show(&std::fs::canonicalize(&p).unwrap_or(p.clone()));
                self.by_source.insert(key, files.len());
                files.push(TemplateFile::new(SourceFile::new(shown, text), index));
            }
        }
        let mut subs: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        subs.sort();
        for s in subs {
            let _ = self.add(root, &s, Some(index), source_prefix.clone(), files);
        }
        Some(())
    }

    /// The template a `# Source:` path names. The first segment is the chart's name; a
    /// stream rendered from a chart of another name still matches on the rest.
    pub fn template_for(&self, source: &str) -> Option<usize> {
        if let Some(&i) = self.by_source.get(source) {
            return Some(i);
        }
        let rest = source.split_once('/')?.1;
        self.by_source
            .iter()
            .find(|(k, _)| k.split_once('/').is_some_and(|(_, r)| r == rest))
            .map(|(_, &i)| i)
    }

    /// Where a chart's values live, most specific last: the root chart's values.yaml (under
    /// the subchart's key), ..., the chart's own values.yaml. Each with its key prefix.
    pub fn values_chain(&self, chart: usize) -> Vec<(&ValuesFile, Vec<String>)> {
        let mut chain = vec![chart];
        while let Some(p) = chain.last().and_then(|&c| self.charts[c].parent) {
            chain.push(p);
        }
        chain.reverse();
        let mut out = Vec::new();
        for (i, &c) in chain.iter().enumerate() {
            let prefix: Vec<String> = chain[i + 1..]
                .iter()
                .map(|&s| self.charts[s].name.clone())
                .collect();
            if let Some(v) = &self.charts[c].values {
                out.push((v, prefix));
            }
        }
        out
    }

    /// The key prefix of a chart's values in the root chart's (and the user's) values.
    pub fn prefix(&self, chart: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut c = chart;
        while let Some(p) = self.charts[c].parent {
            out.push(self.charts[c].name.clone());
            c = p;
        }
        out.reverse();
        out
    }

    /// An error Helm located in a template (`web/templates/x.yaml:12:3`).
    fn locate_error(&self, message: &str) -> Option<LintError> {
        let c = TEMPLATE_AT.captures(message)?;
        let file = &self.templates.files[self.template_for(&c[1])?];
        let line: usize = c[2].parse().ok()?;
        // Go's template column is a 0-based byte offset in the line.
        let col: usize = c.get(3).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
        let at = file.source.byte_at(line, col);
        Some(located_error(
            &file.source,
            Span::new(at, at),
            message.to_string(),
        ))
    }
}

/// Whether a stream holds `helm template` output.
pub fn has_source_comments(text: &str) -> bool {
    text.starts_with("# Source: ") || text.contains("\n# Source: ")
}

/// For a stream or file that holds Helm output: a mapper to its templates (real files under
/// `chart_dir` when given, else the template path in `origin` only).
pub fn stream_mapper(
    source: &Arc<SourceFile>,
    chart_dir: Option<&Path>,
) -> Option<Arc<dyn crate::render::OriginMapper>> {
    if !has_source_comments(&source.text) {
        return None;
    }
    let tree = chart_dir
        .and_then(|d| ChartTree::load(d, &display_path(d)))
        .map(Arc::new);
    Some(Arc::new(stream::HelmMapper::new(
        source,
        tree,
        Vec::new(),
        None,
        None,
    )))
}
