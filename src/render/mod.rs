//! Rendered inputs: Kustomize builds and Helm charts (or streams Helm rendered), and the
//! origin mappers that carry each finding from the rendered stream back to the file a
//! person edits.
//!
//! Every renderer produces the same thing, a [`Rendered`]: one `SourceFile` holding the
//! rendered stream (its display path names the build root, `overlays/prod`, `charts/web`)
//! and an [`OriginMapper`]. Rules only ever see the rendered objects; the engine hands each
//! finding's rendered position to the mapper, which answers with a position in an origin
//! file (found with our own spans, never with the renderer's) and the trail that led there.

pub mod embed;
pub mod exact;
pub mod helm;
pub mod kustomize;
pub mod process;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::engine::{ContextSource, Engine};
use crate::report::{Finding, LintError};
use crate::source::SourceFile;
use crate::yaml::{Entry, Node, Seg, Span, Value, YamlPath};

/// A finding's position in a rendered stream, as the engine hands it to a mapper.
pub struct MapRequest<'a> {
    pub rendered: &'a Arc<SourceFile>,
    /// The field, from the rendered document's root.
    pub path: &'a YamlPath,
    /// The rendered span the finding points at (the field or its nearest parent).
    pub span: Span,
}

/// Where a finding lands in an origin file.
#[derive(Clone, Debug)]
pub struct Location {
    pub source: Arc<SourceFile>,
    pub span: Span,
    /// Index of the document in that file.
    pub document: usize,
}

/// What a mapper answers: a new position (or `None` to keep the rendered one) and the
/// rendered-from trail that JSON and SARIF print as `origin`.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub location: Option<Location>,
    pub origin: serde_json::Value,
}

/// Maps findings on a rendered stream back to origin files. Pure and shared by the engine's
/// worker threads: everything it needs is loaded when the input is rendered.
pub trait OriginMapper: Send + Sync + std::fmt::Debug {
    fn map(&self, req: &MapRequest<'_>) -> Option<Mapping>;

    /// The byte trace of the rendered stream, when the renderer keeps one.
    fn exact(&self) -> Option<&dyn exact::ExactTrace> {
        None
    }
}

/// A rendered input, ready for the engine.
#[derive(Debug)]
pub struct Rendered {
    pub source: Arc<SourceFile>,
    pub mapper: Arc<dyn OriginMapper>,
    /// Renderer warnings worth showing (deprecated kustomization fields, ...).
    pub notes: Vec<String>,
}

/// Why an input could not be rendered: located errors, or only a note when the input is
/// not meant to be rendered on its own (a kustomize Component nothing in the tree uses).
#[derive(Debug)]
pub enum RenderFailure {
    Errors(Vec<LintError>),
    Note(String),
}

/// One way to render every Helm chart (a later config issue adds a per-chart matrix; each
/// entry renders the chart once and labels its findings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmRender {
    /// Release name; `release-name` when unset (Helm's own default).
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    /// `--values` files, in order (later ones win), as given on the command line.
    pub values: Vec<PathBuf>,
    /// `--set` assignments, in order.
    pub set: Vec<String>,
    /// `--kube-version` handed to the renderer (`1.30`).
    pub kube_version: Option<String>,
}

impl HelmRender {
    pub fn release(&self) -> &str {
        self.release_name.as_deref().unwrap_or("release-name")
    }

    /// The label findings carry: release, namespace and values files.
    pub fn label(&self) -> String {
        let mut s = self.release().to_string();
        if let Some(ns) = &self.namespace {
            s.push_str(&format!(" -n {ns}"));
        }
        for v in &self.values {
            s.push_str(&format!(" -f {}", display_path(v)));
        }
        for v in &self.set {
            s.push_str(&format!(" --set {v}"));
        }
        s
    }
}

/// Which Helm renderer renders charts (`--renderer`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RendererChoice {
    /// `helm` when it is on PATH, else kspm's own renderer.
    #[default]
    Auto,
    /// kspm's own renderer (`kspm template`).
    Native,
    /// The `helm` binary.
    Helm,
}

/// How inputs are rendered (from the command line; config later).
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Which Helm renderer to use.
    pub renderer: RendererChoice,
    /// Each chart is rendered once per entry; empty means once with Helm's defaults.
    pub helm: Vec<HelmRender>,
    /// For rendered streams (`# Source:` comments): the chart folder whose templates the
    /// findings should point into.
    pub chart_dir: Option<PathBuf>,
}

impl RenderOptions {
    pub fn helm_renders(&self) -> Vec<HelmRender> {
        if self.helm.is_empty() {
            vec![HelmRender::default()]
        } else {
            self.helm.clone()
        }
    }
}

/// The engine's mapping hook: move every finding on a mapped source to its origin.
pub fn map_findings(findings: &mut [Finding], sources: &[ContextSource]) {
    map_findings_with(findings, sources, None);
}

/// `map_findings`, tracing each fix to the files too (Kustomize resource files are linted
/// with `engine` for the rule's own fix there).
pub fn map_findings_with(
    findings: &mut [Finding],
    sources: &[ContextSource],
    engine: Option<&Engine>,
) {
    let mappers: HashMap<*const SourceFile, &Arc<dyn OriginMapper>> = sources
        .iter()
        .filter_map(|s| Some((Arc::as_ptr(&s.source), s.mapper.as_ref()?)))
        .collect();
    if mappers.is_empty() {
        return;
    }
    let mut tracer = crate::fix::origin::Tracer::new(engine);
    for f in findings.iter_mut() {
        let Some(mapper) = mappers.get(&Arc::as_ptr(&f.source)) else {
            continue;
        };
        let Some(path) = parse_yaml_path(&f.yaml_path) else {
            continue;
        };
        let Some(m) = mapper.map(&MapRequest {
            rendered: &f.source,
            path: &path,
            span: f.span,
        }) else {
            continue;
        };
        let traced = tracer.trace(f, mapper.as_ref(), &m);
        if let Some(loc) = m.location {
            f.start = loc.source.position(loc.span.start);
            f.end = loc.source.position(loc.span.end);
            f.span = loc.span;
            f.document = loc.document;
            f.source = loc.source;
        }
        f.origin = Some(m.origin);
        if let Some(fix) = f.fix.as_mut() {
            fix.origin = traced;
        }
    }
}

/// One finding per origin position: a base file built by several overlays is reported
/// once, its `origin` listing every build (`also_rendered_by`). `findings` must be sorted.
pub fn merge_duplicates(findings: &mut Vec<Finding>) {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        if let Some(prev) = out.last_mut().filter(|p| same_mapped(p, &f)) {
            let label = f
                .origin
                .as_ref()
                .and_then(|o| o.get("build").or_else(|| o.get("render")))
                .cloned();
            if let (Some(serde_json::Value::Object(o)), Some(label)) = (prev.origin.as_mut(), label)
            {
                let seen = o.get("build").or_else(|| o.get("render")) == Some(&label);
                let also = o
                    .entry("also_rendered_by")
                    .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                if let serde_json::Value::Array(a) = also
                    && !seen
                    && !a.contains(&label)
                {
                    a.push(label);
                }
            }
            continue;
        }
        out.push(f);
    }
    *findings = out;
}

fn same_mapped(a: &Finding, b: &Finding) -> bool {
    a.origin.is_some()
        && b.origin.is_some()
        && a.path() == b.path()
        && a.span == b.span
        && a.rule.id == b.rule.id
        && a.yaml_path == b.yaml_path
        && a.message == b.message
}

/// Parse the contract's `yaml_path` form back (`a.b[0]["x.y"]`); the engine keeps only the
/// string on a finding.
pub fn parse_yaml_path(s: &str) -> Option<YamlPath> {
    let mut segs = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut key = String::new();
    let mut in_key = false;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if in_key {
                    segs.push(Seg::Key(std::mem::take(&mut key)));
                    in_key = false;
                }
                i += 1;
            }
            '[' => {
                if in_key {
                    segs.push(Seg::Key(std::mem::take(&mut key)));
                    in_key = false;
                }
                if chars.get(i + 1) == Some(&'"') {
                    i += 2;
                    let mut k = String::new();
                    loop {
                        match chars.get(i)? {
                            '\\' => {
                                k.push(*chars.get(i + 1)?);
                                i += 2;
                            }
                            '"' => break,
                            c => {
                                k.push(*c);
                                i += 1;
                            }
                        }
                    }
                    if chars.get(i + 1) != Some(&']') {
                        return None;
                    }
                    i += 2;
                    segs.push(Seg::Key(k));
                } else {
                    let end = chars[i..].iter().position(|&c| c == ']')? + i;
                    let n: String = chars[i + 1..end].iter().collect();
                    segs.push(Seg::Index(n.parse().ok()?));
                    i = end + 1;
                }
            }
            c => {
                key.push(c);
                in_key = true;
                i += 1;
            }
        }
    }
    if in_key {
        segs.push(Seg::Key(key));
    }
    Some(YamlPath(segs))
}

/// The display form of a path: `/` separators, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    if s.is_empty() {
        ".".to_string()
    } else {
        s.to_string()
    }
}

/// Remove `.` and resolve `..` lexically (the display form of a path reached through a
/// build root; no file system access, so links are not followed).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    let p: PathBuf = out.iter().collect();
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

/// `to` relative to the folder `from` (both absolute and canonical).
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component<'_>> = from.components().collect();
    let b: Vec<Component<'_>> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Maps canonical paths under a build root to display paths (as reached from the
/// command-line argument that named the root).
#[derive(Clone, Debug)]
pub struct DisplayRoot {
    /// Canonical folder.
    pub canonical: PathBuf,
    /// Its display path (`overlays/prod`, `.`).
    pub display: String,
}

impl DisplayRoot {
    pub fn new(dir: &Path, display: &str) -> Self {
        DisplayRoot {
            canonical: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            display: display.to_string(),
        }
    }

    /// The display path of a canonical path.
    pub fn show(&self, canonical: &Path) -> String {
        let rel = relative_path(&self.canonical, canonical);
        display_path(&normalize(&Path::new(&self.display).join(rel)))
    }
}

/// A located error in `source` at `span`.
pub fn located_error(source: &Arc<SourceFile>, span: Span, message: String) -> LintError {
    let pos = source.position(span.start);
    LintError {
        path: source.path.clone(),
        line: pos.line,
        column: pos.column,
        message,
        source: Some(source.clone()),
        span: Some(span),
    }
}

/// An error at line 1 of a file that could not be read as text.
pub fn file_error(path: &str, message: String) -> LintError {
    LintError {
        path: path.to_string(),
        line: 1,
        column: 1,
        message,
        source: None,
        span: None,
    }
}

// ---------------------------------------------------------------------------------------
// Spans in our tree, as `yaml::locate` computes them (it keeps its helpers private).

/// The span of an entry: its key, and its value too when that is a scalar (one line).
pub fn entry_span(e: &Entry) -> Span {
    match e.value.value {
        Value::Scalar(_) if e.value.span.end > e.key.span.start => {
            Span::new(e.key.span.start, e.value.span.end)
        }
        _ => e.key.span,
    }
}

/// The head of a node: a scalar itself, or a block collection's first entry/item.
pub fn head(node: &Node) -> Span {
    let first_start = match &node.value {
        Value::Map(m) => m.first().map(|e| e.key.span.start),
        Value::Seq(s) => s.first().map(|n| n.span.start),
        Value::Scalar(_) => return node.span,
    };
    match (&node.value, first_start) {
        (_, Some(start)) if start > node.span.start => {
            Span::new(node.span.start, node.span.start + 1)
        }
        (Value::Map(m), Some(_)) => m.first().map_or(node.span, entry_span),
        (Value::Seq(s), Some(_)) => s.first().map_or(node.span, head),
        _ => node.span,
    }
}

/// Whether two scalars carry the same value (text for strings; the resolved value for
/// numbers and booleans, so `0755` and `493` agree as kustomize rewrites them).
pub fn same_scalar(a: &Node, b: &Node) -> bool {
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) => x.text == y.text || (x.kind == y.kind && !is_str(&x.kind)),
        _ => false,
    }
}

fn is_str(k: &crate::yaml::ScalarKind) -> bool {
    matches!(
        k,
        crate::yaml::ScalarKind::Str | crate::yaml::ScalarKind::Timestamp
    )
}

/// The node at `path` below `root` and the span `locate` would give it.
pub fn node_at<'a>(root: &'a Node, path: &[Seg]) -> Option<(&'a Node, Span)> {
    let mut node = root;
    let mut span = head(root);
    for seg in path {
        match seg {
            Seg::Key(k) => {
                let e = node.entry(k)?;
                span = entry_span(e);
                node = &e.value;
            }
            Seg::Index(i) => {
                node = node.as_seq()?.get(*i)?;
                span = head(node);
            }
        }
    }
    Some((node, span))
}

/// How many leading segments of `path` exist below `root`.
pub fn existing_depth(root: &Node, path: &[Seg]) -> usize {
    (0..=path.len())
        .rev()
        .find(|&n| node_at(root, &path[..n]).is_some())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_paths_parse_back_from_their_display_form() {
        let p = YamlPath::keys("spec.template.spec")
            .key("containers")
            .index(0)
            .key("a.b")
            .key("q\"uote");
        assert_eq!(parse_yaml_path(&p.to_string()), Some(p));
        assert_eq!(parse_yaml_path(""), Some(YamlPath::root()));
        let items = YamlPath::root().key("items").index(3).key("kind");
        assert_eq!(parse_yaml_path("items[3].kind"), Some(items));
        assert_eq!(parse_yaml_path("a[x]"), None);
    }

    #[test]
    fn paths_normalise_and_relate() {
        assert_eq!(
            normalize(Path::new("k/overlays/prod/../../base/x.yaml")),
            PathBuf::from("k/base/x.yaml")
        );
        assert_eq!(normalize(Path::new("./../a/./b")), PathBuf::from("../a/b"));
        assert_eq!(
            relative_path(Path::new("/tmp/x/y"), Path::new("/work/a")),
            PathBuf::from("../../../work/a")
        );
        let root = DisplayRoot {
            canonical: PathBuf::from("/r/k/overlays/prod"),
            display: "k/overlays/prod".into(),
        };
        assert_eq!(root.show(Path::new("/r/k/base/d.yaml")), "k/base/d.yaml");
        let dot = DisplayRoot {
            canonical: PathBuf::from("/r"),
            display: ".".into(),
        };
        assert_eq!(dot.show(Path::new("/r")), ".");
        assert_eq!(dot.show(Path::new("/q/a.yaml")), "../q/a.yaml");
    }
}
