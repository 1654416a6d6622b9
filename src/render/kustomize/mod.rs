//! Kustomize builds: `kustomize build` when on PATH, else `kubectl kustomize`, through a
//! temporary overlay that asks for origin annotations, so the user's files are never
//! touched. Plugins stay disabled (neither tool enables them without a flag), the load
//! restrictor stays on, and the network is unreachable: remote references are refused
//! before anything runs, and the child's environment blocks git and HTTP anyway.

pub mod map;
pub mod model;

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::render::{
    DisplayRoot, RenderFailure, Rendered, display_path, file_error, located_error, normalize,
    process, relative_path,
};
use crate::report::LintError;
use crate::source::SourceFile;
use crate::yaml::Span;
use crate::yaml::load::load_all;

use model::{Graph, Target};

/// The annotation `buildMetadata: [originAnnotations]` adds.
pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";

/// Where one rendered object came from, per its origin annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Read from this file (canonical).
    File(PathBuf),
    /// Made by a generator of the kustomization in this file (canonical).
    Generated {
        configured_in: PathBuf,
        by: String,
    },
    Unknown,
}

/// Build the kustomization in `dir` (shown as `display`).
pub fn build(dir: &Path, display: &str) -> Result<Rendered, RenderFailure> {
    let root = DisplayRoot::new(dir, display);
    let (graph, mut errors) = Graph::load(root.clone());
    errors.extend(precheck(&graph));
    if !errors.is_empty() {
        return Err(RenderFailure::Errors(errors));
    }
    let Some(top) = graph.kusts.first() else {
        return Err(RenderFailure::Errors(vec![file_error(
            display,
            "no kustomization found".into(),
        )]));
    };
    let at_top = |message: String| {
        let span = top
            .root
            .entries()
            .first()
            .map_or(Span::default(), |e| e.key.span);
        located_error(&top.file, span, message)
    };
    let (tool, mut args) = if let Some(k) = process::find_on_path("kustomize") {
        (k, vec!["build".to_string()])
    } else if let Some(k) = process::find_on_path("kubectl") {
        (k, vec!["kustomize".to_string()])
    } else {
        return Err(RenderFailure::Errors(vec![at_top(
            "cannot build this kustomization: neither `kustomize` nor `kubectl` is on PATH".into(),
        )]));
    };
    let tmp = tempfile::tempdir()
        .map_err(|e| RenderFailure::Errors(vec![at_top(format!("cannot build: {e}"))]))?;
    let tmp_dir = std::fs::canonicalize(tmp.path()).unwrap_or_else(|_| tmp.path().to_path_buf());
    let rel = display_path(&relative_path(&tmp_dir, &root.canonical));
    let field = if top.component {
        "components"
    } else {
        "resources"
    };
    // A JSON string is a valid YAML scalar whatever the path holds.
    let overlay = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbuildMetadata: [originAnnotations]\n{field}:\n- {}\n",
        serde_json::Value::String(rel.clone())
    );
    std::fs::write(tmp_dir.join("kustomization.yaml"), overlay)
        .map_err(|e| RenderFailure::Errors(vec![at_top(format!("cannot build: {e}"))]))?;
    args.extend([
        "--load-restrictor".to_string(),
        "LoadRestrictionsRootOnly".to_string(),
        tmp_dir.display().to_string(),
    ]);
    let out = process::run(&tool, &args, &tmp_dir)
        .map_err(|e| RenderFailure::Errors(vec![at_top(format!("cannot build: {e}"))]))?;
    let tool_name = tool
        .file_name()
        .map_or("kustomize".into(), |n| n.to_string_lossy().into_owned());
    let notes = warnings(&out.stderr, display, &tool_name);
    if !out.success {
        let message = clean_error(&out.stderr, &rel, &root, &tmp_dir);
        if top.component {
            return Err(RenderFailure::Note(format!(
                "{display}: a kustomize Component that no kustomization under the linted paths uses, and it does not build on its own ({message}); lint a kustomization that uses it"
            )));
        }
        return Err(RenderFailure::Errors(vec![locate_build_error(
            &graph,
            format!("kustomize build failed: {message}"),
        )]));
    }
    let raw = SourceFile::new(display.to_string(), out.stdout);
    let stripped = strip_origins(&raw, &tmp_dir);
    let source = SourceFile::new(display.to_string(), stripped.text);
    let mapper = map::KustomizeMapper::new(graph, stripped.docs);
    Ok(Rendered {
        source,
        mapper: Arc::new(mapper),
        notes,
    })
}

/// Refuse what kspm will not build, each at its entry: remote references (network),
/// missing files and folders, and `helmCharts` (Helm inside kustomize).
fn precheck(graph: &Graph) -> Vec<LintError> {
    let mut errors = Vec::new();
    for (k, refs) in graph.kusts.iter().zip(&graph.refs) {
        for r in refs {
            let message = match &r.target {
                Target::Remote => format!(
                    "{} `{}` is remote: kspm builds offline and never fetches it; vendor it into the repository or lint the built output (`kustomize build ... | kspm lint -`)",
                    r.field, r.text
                ),
                Target::Missing(p) => format!(
                    "{} `{}` not found ({})",
                    r.field,
                    r.text,
                    graph.root.show(&normalize(p))
                ),
                Target::Dir(_)
                    if ["resources", "bases", "components"].contains(&r.field.as_str()) =>
                {
                    format!(
                        "{} `{}` is a folder without a kustomization.yaml",
                        r.field, r.text
                    )
                }
                _ => continue,
            };
            errors.push(located_error(&k.file, r.span, message));
        }
        for (field, span) in k.helm_fields() {
            errors.push(located_error(
                &k.file,
                span,
                format!(
                    "`{field}` needs Helm inside kustomize (`--enable-helm`), which kspm does not enable (it would download charts); lint the chart folder with kspm, or lint `kustomize build --enable-helm` output from stdin"
                ),
            ));
        }
    }
    errors
}

/// kustomize's deprecation warnings, as notes.
fn warnings(stderr: &str, display: &str, tool: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("# ");
            l.strip_prefix("Warning: ")
                .map(|w| format!("{display}: {tool}: {w}"))
        })
        .collect()
}

/// The error kustomize printed, without klog's wrapping, with our paths shown as the user
/// reached them.
fn clean_error(stderr: &str, rel: &str, root: &DisplayRoot, tmp: &Path) -> String {
    let mut msg = if let Some(i) = stderr.find("err=\"") {
        let rest = &stderr[i + 5..];
        let end = rest.rfind('"').unwrap_or(rest.len());
        rest[..end].replace("\\\"", "\"").replace("\\\\", "\\")
    } else if let Some(i) = stderr.find("err=<") {
        stderr[i + 5..]
            .lines()
            .map(str::trim)
            .take_while(|l| *l != ">")
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        stderr
            .lines()
            .filter(|l| !l.trim_start().starts_with("# Warning"))
            .map(|l| l.trim().trim_start_matches("Error: "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The first step is our temporary overlay reaching the root: not the user's concern.
    let wrapper = format!(
        "'{rel}': '{}' must resolve to a file': ",
        root.canonical.display()
    );
    if let Some(i) = msg.find(&wrapper) {
        msg = msg[i + wrapper.len()..].to_string();
    }
    msg = msg.replace(rel, &root.display);
    msg = msg.replace(&root.canonical.display().to_string(), &root.display);
    msg = msg.replace(&tmp.display().to_string(), "<kspm overlay>");
    if msg.is_empty() {
        "no error message".to_string()
    } else {
        msg
    }
}

/// Locate a build error: a field kustomize could not decode (`Go struct field
/// Kustomization.patches.target.name`), else the last quoted name in the message that a
/// kustomization of the build references, else the top kustomization's first key.
fn locate_build_error(graph: &Graph, message: String) -> LintError {
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"Go struct field \w+\.([\w.]+) of type").expect("valid regex")
    });
    if let Some(c) = FIELD.captures(&message) {
        let keys: Vec<&str> = c[1].split('.').collect();
        for k in &graph.kusts {
            if let Some(span) = find_keys(&k.root, &keys) {
                return located_error(&k.file, span, message);
            }
        }
    }
    let quoted: Vec<&str> = message.split('\'').skip(1).step_by(2).collect();
    for token in quoted.iter().rev() {
        let token = token.trim().trim_start_matches("./");
        if token.is_empty() {
            continue;
        }
        for (k, refs) in graph.kusts.iter().zip(&graph.refs) {
            if let Some(r) = refs
                .iter()
                .find(|r| r.text.trim().trim_start_matches("./") == token)
            {
                return located_error(&k.file, r.span, message);
            }
        }
    }
    match graph.kusts.first() {
        Some(k) => {
            let span = k
                .root
                .entries()
                .first()
                .map_or(Span::default(), |e| e.key.span);
            located_error(&k.file, span, message)
        }
        None => file_error(&graph.root.display, message),
    }
}

/// The first entry reached by `keys`, looking through every item of a sequence.
fn find_keys(node: &crate::yaml::Node, keys: &[&str]) -> Option<Span> {
    let (first, rest) = keys.split_first()?;
    if let Some(items) = node.as_seq() {
        return items.iter().find_map(|i| find_keys(i, keys));
    }
    let e = node.entry(first)?;
    if rest.is_empty() {
        return Some(e.key.span);
    }
    find_keys(&e.value, rest).or(Some(e.key.span))
}

/// The build output without origin annotations, and what each document's annotation said.
pub struct Stripped {
    pub text: String,
    pub docs: Vec<RenderedDoc>,
}

/// One document of the build output.
#[derive(Debug)]
pub struct RenderedDoc {
    /// Where the document starts in the stripped text.
    pub start: usize,
    /// The document as kustomize printed it (origin annotation included; only its values and
    /// structure are used, never its spans).
    pub root: crate::yaml::Node,
    pub origin: Origin,
}

/// Remove each `config.kubernetes.io/origin` annotation (and an `annotations:` key left
/// empty) line by line, so rules never see it; positions in the stripped text are what the
/// engine reports, and the mapper uses only the documents' values.
pub fn strip_origins(raw: &SourceFile, tmp: &Path) -> Stripped {
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut docs = Vec::new();
    for doc in load_all(raw).into_iter().filter_map(Result::ok) {
        let mut origin = Origin::Unknown;
        let meta = doc.root.get("metadata");
        let ann = meta.and_then(|m| m.entry("annotations"));
        if let Some(ann) = ann
            && let Some(entry) = ann.value.entry(ORIGIN_ANNOTATION)
        {
            origin = parse_origin(entry.value.as_str().unwrap_or(""), tmp);
            let key_pos = raw.position(entry.key.span.start);
            let only = ann.value.entries().len() == 1
                && raw.position(ann.key.span.start).line < key_pos.line;
            let start_line = if only {
                raw.position(ann.key.span.start).line
            } else {
                key_pos.line
            };
            let indent = key_pos.column - 1;
            let mut end_line = key_pos.line + 1;
            while end_line <= raw.line_count() {
                let l = raw.line_text(end_line);
                let lead = l.chars().take_while(|c| *c == ' ').count();
                if !l.trim().is_empty() && lead <= indent {
                    break;
                }
                end_line += 1;
            }
            let end = if end_line > raw.line_count() {
                raw.text.len()
            } else {
                raw.line_start(end_line)
            };
            removed.push((raw.line_start(start_line), end));
        }
        docs.push((doc.root.span.start, doc.root, origin));
    }
    let mut text = String::with_capacity(raw.text.len());
    let mut at = 0;
    for &(s, e) in &removed {
        text.push_str(&raw.text[at..s]);
        at = e;
    }
    text.push_str(&raw.text[at..]);
    let shift = |raw_at: usize| -> usize {
        raw_at
            - removed
                .iter()
                .filter(|(_, e)| *e <= raw_at)
                .map(|(s, e)| e - s)
                .sum::<usize>()
    };
    Stripped {
        text,
        docs: docs
            .into_iter()
            .map(|(start, root, origin)| RenderedDoc {
                start: shift(start),
                root,
                origin,
            })
            .collect(),
    }
}

fn parse_origin(text: &str, tmp: &Path) -> Origin {
    let src = SourceFile::new("origin", text);
    let Some(Ok(doc)) = load_all(&src).into_iter().next() else {
        return Origin::Unknown;
    };
    let resolve = |p: &str| {
        let joined = normalize(&tmp.join(p));
        std::fs::canonicalize(&joined).unwrap_or(joined)
    };
    if let Some(p) = doc.root.get("path").and_then(|n| n.as_str()) {
        return Origin::File(resolve(p));
    }
    if let Some(p) = doc.root.get("configuredIn").and_then(|n| n.as_str()) {
        let by = doc
            .root
            .get_path(&["configuredBy", "kind"])
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        return Origin::Generated {
            configured_in: resolve(p),
            by,
        };
    }
    Origin::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_annotations_are_stripped_without_touching_other_lines() {
        let raw = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../base/cm.yaml\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: b\n    config.kubernetes.io/origin: |\n      configuredIn: kustomization.yaml\n      configuredBy:\n        apiVersion: builtin\n        kind: ConfigMapGenerator\n    z: y\n  name: p\n";
        let src = SourceFile::new("o", raw);
        let s = strip_origins(&src, Path::new("/t/k"));
        assert_eq!(
            s.text,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: b\n    z: y\n  name: p\n"
        );
        assert_eq!(
            s.docs[0].origin,
            Origin::File(PathBuf::from("/t/base/cm.yaml"))
        );
        assert_eq!(
            s.docs[1].origin,
            Origin::Generated {
                configured_in: PathBuf::from("/t/k/kustomization.yaml"),
                by: "ConfigMapGenerator".into()
            }
        );
        assert_eq!(&s.text[s.docs[1].start..s.docs[1].start + 10], "apiVersion");
    }
}
