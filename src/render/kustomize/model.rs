//! Our own reading of kustomization files: what each one references (resources, bases,
//! components, patches, generator inputs, ...), resolved on disk, so that discovery knows
//! which folders are build roots and which files a build consumes, remote references are
//! refused before anything runs, and findings can be traced through patches.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::render::{DisplayRoot, located_error};
use crate::report::LintError;
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Span, Value};

pub const KUSTOMIZATION_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The kustomization file of `dir`, if it has one (kustomize's own order of names).
pub fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// One kustomization (or Component), parsed with spans.
#[derive(Debug)]
pub struct Kustomization {
    /// Canonical folder.
    pub dir: PathBuf,
    pub file: Arc<SourceFile>,
    /// The document's root; an empty mapping for an empty file.
    pub root: Node,
    pub component: bool,
}

/// What a reference resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A folder with a kustomization (canonical).
    Kustomization(PathBuf),
    /// A file (canonical).
    File(PathBuf),
    /// A folder without a kustomization file.
    Dir(PathBuf),
    /// Text given in place (an inline patch).
    Inline,
    /// A URL or git reference: needs the network.
    Remote,
    /// Nothing at that path.
    Missing(PathBuf),
}

/// One reference in a kustomization file.
#[derive(Clone, Debug)]
pub struct Ref {
    /// The field, `resources` or `patches[2].path`.
    pub field: String,
    pub text: String,
    pub span: Span,
    pub target: Target,
}

impl Ref {
    /// Whether this reference brings objects (or patches) that kustomize builds through the
    /// referenced kustomization: resources, bases and components.
    pub fn is_build_edge(&self) -> bool {
        matches!(self.target, Target::Kustomization(_))
            && ["resources", "bases", "components"].contains(&self.field.as_str())
    }
}

impl Kustomization {
    /// Load the kustomization of canonical `dir`; `display` shows paths.
    pub fn load(dir: &Path, display: &DisplayRoot) -> Result<Kustomization, LintError> {
        let path = kustomization_file(dir).ok_or_else(|| LintError {
            path: display.show(dir),
            line: 1,
            column: 1,
            message: "no kustomization.yaml, kustomization.yml or Kustomization in this folder"
                .to_string(),
            source: None,
            span: None,
        })?;
        let shown = display.show(&path);
        let text = std::fs::read_to_string(&path).map_err(|e| LintError {
            path: shown.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
            source: None,
            span: None,
        })?;
        let file = SourceFile::new(shown, text);
        let mut root = Node {
            span: Span::default(),
            value: Value::Map(Vec::new()),
        };
        if let Some(doc) = load_all(&file).into_iter().next() {
            match doc {
                Ok(d) => root = d.root,
                Err(e) => {
                    return Err(located_error(
                        &file,
                        e.span,
                        format!("invalid kustomization: {}", e.message),
                    ));
                }
            }
        }
        let component = root.get("kind").and_then(Node::as_str) == Some("Component");
        Ok(Kustomization {
            dir: dir.to_path_buf(),
            file,
            root,
            component,
        })
    }

    /// A list of strings under `key` with their spans (kustomize accepts nothing else).
    pub fn strings(&self, key: &str) -> Vec<(&str, Span)> {
        self.root
            .get(key)
            .map(|n| n.items())
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| Some((n.as_str()?, n.span)))
            .collect()
    }

    /// Every reference this kustomization makes, resolved.
    pub fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        for field in ["resources", "bases", "components"] {
            for (text, span) in self.strings(field) {
                out.push(self.resolve(field.to_string(), text, span, false));
            }
        }
        for field in ["crds", "configurations"] {
            for (text, span) in self.strings(field) {
                out.push(self.resolve(field.to_string(), text, span, false));
            }
        }
        for field in ["generators", "transformers", "validators"] {
            for (text, span) in self.strings(field) {
                out.push(self.resolve(field.to_string(), text, span, true));
            }
        }
        for (text, span) in self.strings("patchesStrategicMerge") {
            out.push(self.resolve("patchesStrategicMerge".into(), text, span, true));
        }
        for field in ["patches", "patchesJson6902", "replacements"] {
            let items = self.root.get(field).map(|n| n.items()).unwrap_or(&[]);
            for (i, item) in items.iter().enumerate() {
                if let Some(p) = item.get("path").filter(|p| p.as_str().is_some()) {
                    let text = p.as_str().unwrap_or_default();
                    out.push(self.resolve(format!("{field}[{i}].path"), text, p.span, false));
                }
            }
        }
        if let Some(p) = self.root.get_path(&["openapi", "path"])
            && let Some(text) = p.as_str()
        {
            out.push(self.resolve("openapi.path".into(), text, p.span, false));
        }
        for field in ["configMapGenerator", "secretGenerator"] {
            let items = self.root.get(field).map(|n| n.items()).unwrap_or(&[]);
            for (i, item) in items.iter().enumerate() {
                for sub in ["files", "envs"] {
                    for n in item.get(sub).map(|n| n.items()).unwrap_or(&[]) {
                        let Some(text) = n.as_str() else { continue };
                        // `key=path` names the data key; the file is after `=`.
                        let file = text.split_once('=').map_or(text, |(_, f)| f);
                        out.push(self.resolve(format!("{field}[{i}].{sub}"), file, n.span, false));
                    }
                }
                if let Some(n) = item.get("env")
                    && let Some(text) = n.as_str()
                {
                    out.push(self.resolve(format!("{field}[{i}].env"), text, n.span, false));
                }
            }
        }
        out
    }

    fn resolve(&self, field: String, text: &str, span: Span, may_be_inline: bool) -> Ref {
        let target = if may_be_inline && text.contains('\n') {
            Target::Inline
        } else {
            let p = self.dir.join(text.trim());
            match std::fs::canonicalize(&p) {
                Ok(c) if c.is_dir() => match kustomization_file(&c) {
                    Some(_) => Target::Kustomization(c),
                    None => Target::Dir(c),
                },
                Ok(c) => Target::File(c),
                Err(_) if looks_remote(text) => Target::Remote,
                Err(_) => Target::Missing(p),
            }
        };
        Ref {
            field,
            text: text.to_string(),
            span,
            target,
        }
    }

    /// Fields that need Helm inside kustomize, with their key spans.
    pub fn helm_fields(&self) -> Vec<(&str, Span)> {
        self.root
            .entries()
            .iter()
            .filter(|e| {
                ["helmCharts", "helmChartInflationGenerator", "helmGlobals"]
                    .contains(&e.key_str.as_str())
            })
            .map(|e| (e.key_str.as_str(), e.key.span))
            .collect()
    }

    /// A scalar string field of the kustomization and its entry span.
    pub fn scalar(&self, key: &str) -> Option<(&str, Span)> {
        let e = self.root.entry(key)?;
        Some((e.value.as_str()?, crate::render::entry_span(e)))
    }
}

/// Whether a reference that is not on disk names something remote (a URL, a git
/// reference, `github.com/org/repo//path`), as kustomize would try to fetch it.
pub fn looks_remote(s: &str) -> bool {
    let s = s.trim();
    if s.contains("://") || s.starts_with("git@") || s.starts_with("git::") {
        return true;
    }
    let Some((host, rest)) = s.split_once('/') else {
        return false;
    };
    let tld = host.rsplit('.').next().unwrap_or("");
    !rest.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !["yaml", "yml", "json"].contains(&tld)
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// The kustomizations reachable from a root, loaded.
#[derive(Debug)]
pub struct Graph {
    pub root: DisplayRoot,
    pub kusts: Vec<Kustomization>,
    pub refs: Vec<Vec<Ref>>,
    pub index: HashMap<PathBuf, usize>,
}

impl Graph {
    /// Load every kustomization the root reaches (through resources, bases, components and
    /// folders of generator/transformer configs). Unreadable ones become errors.
    pub fn load(root: DisplayRoot) -> (Graph, Vec<LintError>) {
        let mut g = Graph {
            root,
            kusts: Vec::new(),
            refs: Vec::new(),
            index: HashMap::new(),
        };
        let mut errors = Vec::new();
        let mut queue = VecDeque::from([g.root.canonical.clone()]);
        let mut seen = HashSet::new();
        while let Some(dir) = queue.pop_front() {
            if !seen.insert(dir.clone()) {
                continue;
            }
            match Kustomization::load(&dir, &g.root) {
                Ok(k) => {
                    let refs = k.refs();
                    for r in &refs {
                        if let Target::Kustomization(d) = &r.target {
                            queue.push_back(d.clone());
                        }
                    }
                    g.index.insert(dir, g.kusts.len());
                    g.kusts.push(k);
                    g.refs.push(refs);
                }
                Err(e) => errors.push(e),
            }
        }
        (g, errors)
    }

    /// Every file the build reads: kustomization files and the files they reference.
    pub fn consumed(&self) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for (k, refs) in self.kusts.iter().zip(&self.refs) {
            if let Some(f) = kustomization_file(&k.dir) {
                out.insert(std::fs::canonicalize(&f).unwrap_or(f));
            }
            for r in refs {
                if let Target::File(f) = &r.target {
                    out.insert(f.clone());
                }
            }
        }
        out
    }
}

/// Which kustomization folders found by a walk are build roots, and which files the builds
/// consume (those are linted through the build, not on their own).
#[derive(Debug, Default)]
pub struct Plan {
    /// Indexes into the folders given to `plan`.
    pub roots: Vec<usize>,
    /// Canonical paths of every file a root's build reads.
    pub consumed: HashSet<PathBuf>,
}

/// A folder is a root unless another kustomization among `dirs` includes it (as a
/// resource, base or component). Folders only reachable from each other (a cycle, which
/// kustomize refuses) still get a root so that they are reported, never skipped.
pub fn plan(dirs: &[PathBuf]) -> Plan {
    let canon: Vec<PathBuf> = dirs
        .iter()
        .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()))
        .collect();
    let position: HashMap<&PathBuf, usize> =
        canon.iter().enumerate().map(|(i, c)| (c, i)).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); dirs.len()];
    let mut included = vec![false; dirs.len()];
    for (i, c) in canon.iter().enumerate() {
        let Ok(k) = Kustomization::load(c, &DisplayRoot::new(c, ".")) else {
            continue;
        };
        for r in k.refs().iter().filter(|r| r.is_build_edge()) {
            if let Target::Kustomization(d) = &r.target
                && let Some(&j) = position.get(d)
                && j != i
            {
                edges[i].push(j);
                included[j] = true;
            }
        }
    }
    let mut roots: Vec<usize> = (0..dirs.len()).filter(|&i| !included[i]).collect();
    let mut reached = vec![false; dirs.len()];
    let visit = |start: usize, reached: &mut Vec<bool>| {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut reached[i], true) {
                stack.extend(&edges[i]);
            }
        }
    };
    for &r in &roots {
        visit(r, &mut reached);
    }
    for i in 0..dirs.len() {
        if !reached[i] {
            roots.push(i);
            visit(i, &mut reached);
        }
    }
    roots.sort_unstable();
    let mut consumed = HashSet::new();
    for &r in &roots {
        let (g, _) = Graph::load(DisplayRoot::new(&canon[r], "."));
        consumed.extend(g.consumed());
    }
    Plan { roots, consumed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_references_are_recognised() {
        for r in [
            "github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6",
            "https://github.com/org/repo/deploy?ref=main",
            "git@github.com:org/repo.git",
            "gitlab.com/org/repo/base",
        ] {
            assert!(looks_remote(r), "{r}");
        }
        for l in ["base", "../base", "deploy.yaml", "./x/y.yaml", "sub.yaml/x"] {
            assert!(!looks_remote(l), "{l}");
        }
    }
}
