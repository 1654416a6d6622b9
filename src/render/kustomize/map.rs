//! Mapping a finding on a kustomize build back to the line a person edits.
//!
//! The origin annotation names the file an object was read from (or the kustomization whose
//! generator made it), not a line. We find the document in that file by kind and name (the
//! name before any prefix or suffix), and follow the field with our own spans, matching
//! list items by their merge key (`name`, `mountPath`, ...), not by index. When the field's
//! value was written by a patch or a transformer on the way to the build root, the finding
//! points there instead:
//!
//! - a scalar (`privileged: true`, an image) goes to the last writer that sets it to the
//!   rendered value: transformers and patches from the build root inwards (later ones win,
//!   in kustomize's order), then the resource itself;
//! - a collection (a container, a missing field's parent) goes to the first place that
//!   creates it: the resource, then the patches in the order they apply.
//!
//! What cannot be placed exactly falls back to the nearest parent that exists in the
//! resource, then the resource's document, then the root kustomization; `origin.exact`
//! says which.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use serde_json::{Map, Value as Json, json};

use super::model::{Graph, Kustomization, Target, kustomization_file};
use super::{Origin, RenderedDoc};
use crate::render::embed::Embedded;
use crate::render::{
    Location, MapRequest, Mapping, OriginMapper, entry_span, existing_depth, head, node_at,
    same_scalar,
};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Seg, Span};

/// Keys that identify an item of a merged list (strategic merge patch keys of the lists
/// that matter for posture: containers, env, volumes, volumeMounts, ports, ...).
const MERGE_KEYS: [&str; 6] = [
    "name",
    "mountPath",
    "containerPort",
    "devicePath",
    "port",
    "ip",
];

/// A file read for mapping.
#[derive(Debug)]
struct Loaded {
    source: Arc<SourceFile>,
    docs: Vec<(usize, Node)>,
}

/// Where a patch's documents sit.
#[derive(Debug)]
enum Placement {
    File(Arc<SourceFile>),
    /// A literal block inside a kustomization file.
    Embedded(Embedded),
    /// Inline text we cannot place line by line: point at the whole value.
    Whole {
        file: Arc<SourceFile>,
        span: Span,
    },
}

#[derive(Debug)]
struct Patch {
    /// `patchesStrategicMerge`, `patches` or `patchesJson6902`.
    field: &'static str,
    index: usize,
    docs: Vec<(usize, Node)>,
    place: Placement,
    json6902: bool,
    target: Option<Selector>,
}

impl Patch {
    fn location(&self, document: usize, span: Span) -> Location {
        match &self.place {
            Placement::File(f) => Location {
                source: f.clone(),
                span,
                document,
            },
            Placement::Embedded(e) => Location {
                source: e.outer().clone(),
                span: e.outer_span(span),
                document: 0,
            },
            Placement::Whole { file, span } => Location {
                source: file.clone(),
                span: *span,
                document: 0,
            },
        }
    }

    fn describe(&self, kust: &Kustomization) -> Json {
        let file = match &self.place {
            Placement::File(f) => f.path.clone(),
            _ => kust.file.path.clone(),
        };
        json!({
            "file": file,
            "kustomization": kust.file.path,
            "field": self.field,
            "index": self.index,
            "type": if self.json6902 { "json6902" } else { "strategic-merge" },
            "inline": !matches!(self.place, Placement::File(_)),
        })
    }
}

/// A patch's `target:` selector.
#[derive(Debug, Default)]
struct Selector {
    kind: Option<String>,
    name: Option<Regex>,
    labels: Vec<(String, String)>,
}

impl Selector {
    fn of(node: &Node) -> Selector {
        let s = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
        let labels = s("labelSelector")
            .map(|l| {
                l.split(',')
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, v)| {
                        (
                            k.trim().to_string(),
                            v.trim().trim_start_matches('=').to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Selector {
            kind: s("kind"),
            // kustomize anchors the name pattern.
            name: s("name").and_then(|n| Regex::new(&format!("^(?:{n})$")).ok()),
            labels,
        }
    }

    fn matches(&self, obj: &Object<'_>) -> bool {
        self.kind.as_deref().is_none_or(|k| k == obj.kind)
            && self
                .name
                .as_ref()
                .is_none_or(|re| obj.names().iter().any(|n| re.is_match(n)))
            && self.labels.iter().all(|(k, v)| {
                obj.root
                    .get_path(&["metadata", "labels", k])
                    .and_then(Node::scalar_text)
                    == Some(v.as_str())
            })
    }
}

/// The rendered object a finding is on.
struct Object<'a> {
    root: &'a Node,
    kind: &'a str,
    name: &'a str,
    /// Its name in the resource file, before prefixes and suffixes.
    base_name: String,
}

impl Object<'_> {
    fn names(&self) -> Vec<&str> {
        vec![self.name, self.base_name.as_str()]
    }

    /// Whether a patch naming `n` is about this object at some level of the build.
    fn named(&self, n: &str) -> bool {
        n == self.name
            || n == self.base_name
            || (self.name.contains(n) && n.contains(self.base_name.as_str()))
    }
}

/// A place a finding can land, with what led there.
struct Hit {
    loc: Location,
    via: &'static str,
    detail: Option<(&'static str, Json)>,
    exact: bool,
}

/// The resource document an object was read from.
struct Resource<'a> {
    file: &'a Loaded,
    document: usize,
    /// `items[N]` for an object inside a `List`.
    prefix: Vec<Seg>,
    root: &'a Node,
}

#[derive(Debug)]
pub struct KustomizeMapper {
    graph: Graph,
    docs: Vec<RenderedDoc>,
    files: HashMap<PathBuf, Loaded>,
    /// Per kustomization (graph index), its patches in the order they are listed.
    patches: Vec<Vec<Patch>>,
}

impl KustomizeMapper {
    pub fn new(graph: Graph, docs: Vec<RenderedDoc>) -> Self {
        let mut files: HashMap<PathBuf, Loaded> = HashMap::new();
        let load = |p: &Path, files: &mut HashMap<PathBuf, Loaded>| {
            if files.contains_key(p) {
                return;
            }
            let Ok(text) = std::fs::read_to_string(p) else {
                return;
            };
            let source = SourceFile::new(graph.root.show(p), text);
            let docs = load_all(&source)
                .into_iter()
                .filter_map(Result::ok)
                .map(|d| (d.index, d.root))
                .collect();
            files.insert(p.to_path_buf(), Loaded { source, docs });
        };
        for d in &docs {
            if let Origin::File(p) = &d.origin {
                load(p, &mut files);
            }
        }
        let mut patches = Vec::new();
        for (k, refs) in graph.kusts.iter().zip(&graph.refs) {
            for r in refs {
                if let Target::File(p) = &r.target
                    && (r.field.starts_with("patches") || r.field == "patchesStrategicMerge")
                {
                    load(p, &mut files);
                }
            }
            patches.push(collect_patches(k, refs, &files));
        }
        KustomizeMapper {
            graph,
            docs,
            files,
            patches,
        }
    }

    fn doc_at(&self, byte: usize) -> Option<usize> {
        match self.docs.binary_search_by_key(&byte, |d| d.start) {
            Ok(i) => Some(i),
            Err(0) => (!self.docs.is_empty()).then_some(0),
            Err(i) => Some(i - 1),
        }
    }

    /// The kustomizations from the root to the one that lists the object's file (or whose
    /// generator made it).
    fn chain(&self, origin: &Origin) -> Vec<usize> {
        fn walk(
            g: &Graph,
            k: usize,
            origin: &Origin,
            seen: &mut HashSet<usize>,
            out: &mut Vec<usize>,
        ) -> bool {
            if !seen.insert(k) {
                return false;
            }
            out.push(k);
            let found = match origin {
                Origin::File(f) => g.refs[k].iter().any(|r| {
                    ["resources", "bases"].contains(&r.field.as_str())
                        && r.target == Target::File(f.clone())
                }),
                Origin::Generated { configured_in, .. } => kustomization_file(&g.kusts[k].dir)
                    .is_some_and(|p| std::fs::canonicalize(&p).unwrap_or(p) == *configured_in),
                Origin::Unknown => false,
            };
            if found {
                return true;
            }
            for r in g.refs[k].iter().filter(|r| r.is_build_edge()) {
                if let Target::Kustomization(d) = &r.target
                    && let Some(&c) = g.index.get(d)
                    && walk(g, c, origin, seen, out)
                {
                    return true;
                }
            }
            out.pop();
            false
        }
        let mut out = Vec::new();
        if !self.graph.kusts.is_empty() {
            walk(&self.graph, 0, origin, &mut HashSet::new(), &mut out);
        }
        if out.is_empty() {
            out.push(0);
        }
        out
    }

    /// Kustomizations whose patches and transformers touched the object, the last applied
    /// first: each one on the chain, then its components (later ones first).
    fn layers(&self, chain: &[usize]) -> Vec<usize> {
        fn push(g: &Graph, k: usize, out: &mut Vec<usize>) {
            if out.contains(&k) {
                return;
            }
            out.push(k);
            let comps: Vec<usize> = g.refs[k]
                .iter()
                .filter(|r| r.field == "components")
                .filter_map(|r| match &r.target {
                    Target::Kustomization(d) => g.index.get(d).copied(),
                    _ => None,
                })
                .collect();
            for c in comps.into_iter().rev() {
                push(g, c, out);
            }
        }
        let mut out = Vec::new();
        for &k in chain {
            push(&self.graph, k, &mut out);
        }
        out
    }

    fn resource(&self, doc: &RenderedDoc, kind: &str, name: &str) -> Option<Resource<'_>> {
        let Origin::File(p) = &doc.origin else {
            return None;
        };
        let file = self.files.get(p)?;
        let mut best: Option<(usize, Resource<'_>)> = None;
        for (index, root) in &file.docs {
            let mut candidates = vec![(Vec::new(), root)];
            if root
                .get("kind")
                .and_then(Node::as_str)
                .is_some_and(|k| k.ends_with("List"))
            {
                for (i, item) in root
                    .get("items")
                    .map(|n| n.items())
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    candidates.push((vec![Seg::Key("items".into()), Seg::Index(i)], item));
                }
            }
            for (prefix, node) in candidates {
                if node.get("kind").and_then(Node::as_str) != Some(kind) {
                    continue;
                }
                let n = node
                    .get_path(&["metadata", "name"])
                    .and_then(Node::as_str)
                    .unwrap_or("");
                let score = if n == name {
                    usize::MAX
                } else if name.contains(n) {
                    n.len() + 1
                } else {
                    0
                };
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((
                        score,
                        Resource {
                            file,
                            document: *index,
                            prefix,
                            root: node,
                        },
                    ));
                }
            }
        }
        best.map(|(_, r)| r)
    }

    /// The generator entry that made a generated object.
    fn generator(&self, doc: &RenderedDoc, name: &str) -> Option<(&Kustomization, &Node)> {
        let Origin::Generated { configured_in, by } = &doc.origin else {
            return None;
        };
        let k = self.graph.kusts.iter().find(|k| {
            kustomization_file(&k.dir)
                .is_some_and(|p| std::fs::canonicalize(&p).unwrap_or(p) == *configured_in)
        })?;
        let field = match by.as_str() {
            "SecretGenerator" => "secretGenerator",
            _ => "configMapGenerator",
        };
        let items = k.root.get(field).map(|n| n.items()).unwrap_or(&[]);
        let item = items
            .iter()
            .filter_map(|i| Some((i.get("name")?.as_str()?, i)))
            .filter(|(n, _)| name.contains(n))
            .max_by_key(|(n, _)| n.len())
            .map(|(_, i)| i)?;
        Some((k, item))
    }
}

impl OriginMapper for KustomizeMapper {
    fn map(&self, req: &MapRequest<'_>) -> Option<Mapping> {
        let d = self.doc_at(req.span.start)?;
        let doc = &self.docs[d];
        let segs = req.path.segs();
        let depth = existing_depth(&doc.root, segs);
        let q = &segs[..depth];
        let (node, _) = node_at(&doc.root, q)?;
        let kind = doc.root.get("kind").and_then(Node::as_str).unwrap_or("");
        let name = doc
            .root
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("");
        let resource = self.resource(doc, kind, name);
        let generator = self.generator(doc, name);
        let base_name = resource
            .as_ref()
            .and_then(|r| r.root.get_path(&["metadata", "name"])?.as_str())
            .or_else(|| generator.and_then(|(_, i)| i.get("name")?.as_str()))
            .unwrap_or(name)
            .to_string();
        let obj = Object {
            root: &doc.root,
            kind,
            name,
            base_name,
        };
        let chain = self.chain(&doc.origin);
        let layers = self.layers(&chain);
        let hit = if node.scalar().is_some() {
            self.last_writer(&obj, q, node, &layers, resource.as_ref(), generator)
        } else {
            self.first_creator(&obj, q, &layers, resource.as_ref(), generator)
        }
        .or_else(|| fallback(q, &obj, resource.as_ref(), generator))
        .or_else(|| {
            let top = self.graph.kusts.first()?;
            Some(Hit {
                loc: Location {
                    source: top.file.clone(),
                    span: head(&top.root),
                    document: 0,
                },
                via: "kustomization",
                detail: None,
                exact: false,
            })
        })?;
        let rendered_pos = req.rendered.position(req.span.start);
        let mut origin = Map::new();
        origin.insert("renderer".into(), json!("kustomize"));
        origin.insert("build".into(), json!(self.graph.root.display));
        origin.insert(
            "rendered".into(),
            json!({"path": req.rendered.path, "document": d,
                   "line": rendered_pos.line, "column": rendered_pos.column}),
        );
        let resource_path = resource
            .as_ref()
            .map(|r| json!(r.file.source.path))
            .or_else(|| generator.map(|(k, _)| json!(k.file.path)))
            .unwrap_or(Json::Null);
        origin.insert("resource".into(), resource_path);
        origin.insert("via".into(), json!(hit.via));
        if let Some((k, v)) = hit.detail {
            origin.insert(k.into(), v);
        }
        origin.insert("exact".into(), json!(hit.exact));
        Some(Mapping {
            location: Some(hit.loc),
            origin: Json::Object(origin),
        })
    }
}

impl KustomizeMapper {
    /// Who wrote this scalar: the last transformer or patch that sets it to the rendered
    /// value, else the resource (or generator).
    fn last_writer(
        &self,
        obj: &Object<'_>,
        q: &[Seg],
        value: &Node,
        layers: &[usize],
        resource: Option<&Resource<'_>>,
        generator: Option<(&Kustomization, &Node)>,
    ) -> Option<Hit> {
        for &k in layers {
            let kust = &self.graph.kusts[k];
            if let Some(hit) = transformer_hit(kust, obj, q, value, resource) {
                return Some(hit);
            }
            for patch in self.patches[k].iter().rev() {
                if let Some(hit) = patch_hit(patch, kust, obj, q, Some(value)) {
                    return Some(hit);
                }
            }
        }
        if let Some(r) = resource {
            let (n, node, span) = follow(obj.root, r.root, q);
            if n == q.len() && same_scalar(node, value) {
                return Some(resource_hit(r, span, true));
            }
        }
        generator.map(|(k, item)| generator_hit(k, item, q))
    }

    /// Who created this collection: the resource if it has it, else the first patch (in
    /// the order they apply) that does.
    fn first_creator(
        &self,
        obj: &Object<'_>,
        q: &[Seg],
        layers: &[usize],
        resource: Option<&Resource<'_>>,
        generator: Option<(&Kustomization, &Node)>,
    ) -> Option<Hit> {
        if let Some(r) = resource {
            let (n, _, span) = follow(obj.root, r.root, q);
            if n == q.len() {
                return Some(resource_hit(r, span, true));
            }
        }
        if let Some((k, item)) = generator {
            return Some(generator_hit(k, item, q));
        }
        for &k in layers.iter().rev() {
            let kust = &self.graph.kusts[k];
            for patch in &self.patches[k] {
                if let Some(hit) = patch_hit(patch, kust, obj, q, None) {
                    return Some(hit);
                }
            }
        }
        // A labels or annotations map only a transformer wrote (`commonLabels` on a pod
        // template without labels).
        let last = match q.last() {
            Some(Seg::Key(k)) => k.as_str(),
            _ => return None,
        };
        let fields: &[&str] = match last {
            "labels" | "matchLabels" => &["commonLabels", "labels"],
            "annotations" => &["commonAnnotations"],
            _ => return None,
        };
        layers.iter().rev().find_map(|&k| {
            let kust = &self.graph.kusts[k];
            fields.iter().find_map(|f| {
                let e = kust.root.entry(f)?;
                Some(Hit {
                    loc: Location {
                        source: kust.file.clone(),
                        span: e.key.span,
                        document: 0,
                    },
                    via: "transformer",
                    detail: Some((
                        "transformer",
                        json!({"file": kust.file.path, "field": f, "key": f}),
                    )),
                    exact: true,
                })
            })
        })
    }
}

/// The nearest parent that exists in the resource, or the resource's document.
fn fallback(
    q: &[Seg],
    obj: &Object<'_>,
    resource: Option<&Resource<'_>>,
    generator: Option<(&Kustomization, &Node)>,
) -> Option<Hit> {
    if let Some(r) = resource {
        let (_, _, span) = follow(obj.root, r.root, q);
        return Some(resource_hit(r, span, false));
    }
    generator.map(|(k, item)| {
        let mut h = generator_hit(k, item, q);
        h.exact = false;
        h
    })
}

fn resource_hit(r: &Resource<'_>, span: Span, exact: bool) -> Hit {
    Hit {
        loc: Location {
            source: r.file.source.clone(),
            span,
            document: r.document,
        },
        via: "resource",
        detail: None,
        exact,
    }
    .with_prefix(&r.prefix)
}

impl Hit {
    /// Objects inside a `List` keep their item path in the origin trail.
    fn with_prefix(mut self, prefix: &[Seg]) -> Hit {
        if !prefix.is_empty() {
            self.detail = Some((
                "item",
                json!(crate::yaml::YamlPath(prefix.to_vec()).to_string()),
            ));
        }
        self
    }
}

/// A generated object's field: the literal, file or env entry that holds a data key, else
/// the generator entry.
fn generator_hit(k: &Kustomization, item: &Node, q: &[Seg]) -> Hit {
    let mut span = head(item);
    let mut exact = false;
    if let [Seg::Key(section), Seg::Key(key)] = q
        && ["data", "binaryData", "stringData"].contains(&section.as_str())
    {
        let find = |field: &str, f: &dyn Fn(&str) -> bool| {
            item.get(field)?
                .items()
                .iter()
                .find(|n| n.as_str().is_some_and(f))
                .map(|n| n.span)
        };
        let literal = find("literals", &|s: &str| {
            s.split_once('=').is_some_and(|(k, _)| k.trim() == key)
        });
        let file = find("files", &|s: &str| match s.split_once('=') {
            Some((k, _)) => k.trim() == key,
            None => Path::new(s).file_name().is_some_and(|n| n == key.as_str()),
        });
        if let Some(s) = literal.or(file) {
            span = s;
            exact = true;
        }
    }
    Hit {
        loc: Location {
            source: k.file.clone(),
            span,
            document: 0,
        },
        via: "generator",
        detail: Some(("generator", json!({"file": k.file.path}))),
        exact,
    }
}

/// Follow rendered path `q` inside `target`, matching list items by merge key (or by value
/// for lists of scalars): how many segments matched, the node reached and its span.
fn follow<'a>(rendered: &Node, target: &'a Node, q: &[Seg]) -> (usize, &'a Node, Span) {
    let mut r = rendered;
    let mut t = target;
    let mut span = head(target);
    for (n, seg) in q.iter().enumerate() {
        let next = match seg {
            Seg::Key(k) => match (r.entry(k), t.entry(k)) {
                (Some(re), Some(te)) => Some((&re.value, &te.value, entry_span(te))),
                _ => None,
            },
            Seg::Index(i) => r.items().get(*i).and_then(|ri| {
                let ti = match_item(ri, t.items(), *i)?;
                Some((ri, ti, head(ti)))
            }),
        };
        match next {
            Some((rn, tn, s)) => {
                r = rn;
                t = tn;
                span = s;
            }
            None => return (n, t, span),
        }
    }
    (q.len(), t, span)
}

/// The item of `items` that is the rendered item `ri`.
fn match_item<'a>(ri: &Node, items: &'a [Node], index: usize) -> Option<&'a Node> {
    if ri.scalar().is_some() {
        return items.iter().find(|t| same_scalar(t, ri));
    }
    for key in MERGE_KEYS {
        if let Some(v) = ri.get(key).filter(|v| v.scalar().is_some()) {
            return items
                .iter()
                .find(|t| t.get(key).is_some_and(|tv| same_scalar(tv, v)));
        }
    }
    items.get(index)
}

/// Whether `patch` wrote `q` (to `value`, for a scalar) on this object.
fn patch_hit(
    patch: &Patch,
    kust: &Kustomization,
    obj: &Object<'_>,
    q: &[Seg],
    value: Option<&Node>,
) -> Option<Hit> {
    if patch.target.as_ref().is_some_and(|t| !t.matches(obj)) {
        return None;
    }
    let hit = |document: usize, span: Span| Hit {
        loc: patch.location(document, span),
        via: "patch",
        detail: Some(("patch", patch.describe(kust))),
        exact: true,
    };
    if patch.json6902 {
        // kustomize refuses a JSON 6902 patch without a target.
        patch.target.as_ref()?;
        let (document, ops) = patch.docs.first()?;
        // The last operation that writes the field wins.
        for op in ops.items().iter().rev() {
            if let Some(span) = json_op_span(op, obj.root, q, value) {
                return Some(hit(*document, span));
            }
        }
        return None;
    }
    for (document, root) in patch.docs.iter().rev() {
        if patch.target.is_none() {
            let kind = root.get("kind").and_then(Node::as_str);
            let name = root.get_path(&["metadata", "name"]).and_then(Node::as_str);
            if kind != Some(obj.kind) || !name.is_some_and(|n| obj.named(n)) {
                continue;
            }
        }
        let (n, node, span) = follow(obj.root, root, q);
        if n == q.len() && value.is_none_or(|v| same_scalar(node, v)) {
            return Some(hit(*document, span));
        }
    }
    None
}

/// The span of a JSON 6902 `add`/`replace` operation's value that writes `q`.
fn json_op_span(op: &Node, rendered: &Node, q: &[Seg], value: Option<&Node>) -> Option<Span> {
    let kind = op.get("op").and_then(Node::as_str)?;
    if kind != "add" && kind != "replace" {
        return None;
    }
    let ptr = op.get("path").and_then(Node::as_str)?;
    let parts: Vec<String> = ptr
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    if parts.len() > q.len() {
        return None;
    }
    for (seg, part) in q.iter().zip(&parts) {
        let ok = match seg {
            Seg::Key(k) => k == part,
            Seg::Index(i) => part == "-" || part.parse::<usize>().ok() == Some(*i),
        };
        if !ok {
            return None;
        }
    }
    let entry = op.entry("value")?;
    let rest = &q[parts.len()..];
    let (at_ptr, _) = node_at(rendered, &q[..parts.len()])?;
    let (n, node, span) = follow(at_ptr, &entry.value, rest);
    if n < rest.len() {
        return None;
    }
    if value.is_some_and(|v| !same_scalar(node, v)) {
        return None;
    }
    // An appended item must be this one: same merge key.
    if parts.last().is_some_and(|p| p == "-")
        && rest.is_empty()
        && match_item(at_ptr, std::slice::from_ref(&entry.value), 0).is_none()
    {
        return None;
    }
    Some(if rest.is_empty() {
        entry_span(entry)
    } else {
        span
    })
}

/// Transformer fields of one kustomization that set `q` to `value`.
fn transformer_hit(
    kust: &Kustomization,
    obj: &Object<'_>,
    q: &[Seg],
    value: &Node,
    resource: Option<&Resource<'_>>,
) -> Option<Hit> {
    let hit = |span: Span, field: &str, key: &str| Hit {
        loc: Location {
            source: kust.file.clone(),
            span,
            document: 0,
        },
        via: "transformer",
        detail: Some((
            "transformer",
            json!({"file": kust.file.path, "field": field, "key": key}),
        )),
        exact: true,
    };
    let keys: Vec<&str> = q
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "[]",
        })
        .collect();
    let text = value.scalar_text().unwrap_or("");
    // images: the entry whose name is the image's, at its most specific field.
    if keys.len() >= 3
        && keys[keys.len() - 1] == "image"
        && ["containers", "initContainers", "ephemeralContainers"].contains(&keys[keys.len() - 3])
    {
        let original = resource
            .and_then(|r| {
                let (n, node, _) = follow(obj.root, r.root, q);
                (n == q.len()).then(|| node.scalar_text()).flatten()
            })
            .unwrap_or(text);
        for entry in kust.root.get("images").map(|n| n.items()).unwrap_or(&[]) {
            let Some(name) = entry.get("name").and_then(Node::as_str) else {
                continue;
            };
            let new_name = entry.get("newName").and_then(Node::as_str);
            if image_name(original) == name
                || image_name(text) == name
                || new_name.is_some_and(|n| image_name(text) == n)
            {
                // An entry with nothing to set changes nothing: the image stays the
                // resource's.
                for field in ["digest", "newTag", "tagSuffix", "newName"] {
                    if let Some(e) = entry.entry(field) {
                        return Some(hit(entry_span(e), "images", field));
                    }
                }
            }
        }
    }
    if keys == ["spec", "replicas"] {
        for entry in kust.root.get("replicas").map(|n| n.items()).unwrap_or(&[]) {
            if entry
                .get("name")
                .and_then(Node::as_str)
                .is_some_and(|n| obj.named(n))
                && let Some(e) = entry.entry("count")
                && same_scalar(&e.value, value)
            {
                return Some(hit(entry_span(e), "replicas", "count"));
            }
        }
    }
    // Label and annotation transformers write under every labels/selector map.
    if let Some(label) = keys.last().filter(|_| keys.len() >= 2) {
        let parent = keys[keys.len() - 2];
        let fields: &[&str] = match parent {
            "labels" | "matchLabels" | "selector" => &["commonLabels", "labels"],
            "annotations" => &["commonAnnotations"],
            _ => &[],
        };
        for field in fields {
            let Some(n) = kust.root.get(field) else {
                continue;
            };
            if let Some(e) = n.entry(label).filter(|e| same_scalar(&e.value, value)) {
                return Some(hit(entry_span(e), field, label));
            }
            for item in n.items() {
                if let Some(e) = item
                    .get("pairs")
                    .and_then(|p| p.entry(label))
                    .filter(|e| same_scalar(&e.value, value))
                {
                    return Some(hit(entry_span(e), field, label));
                }
            }
        }
    }
    if keys == ["metadata", "namespace"]
        && let Some((ns, span)) = kust.scalar("namespace")
        && ns == text
    {
        return Some(hit(span, "namespace", "namespace"));
    }
    if keys == ["metadata", "name"] && text != obj.base_name {
        for (field, ok) in [
            (
                "namePrefix",
                text.starts_with(kust.scalar("namePrefix").map_or("\0", |p| p.0)),
            ),
            (
                "nameSuffix",
                text.ends_with(kust.scalar("nameSuffix").map_or("\0", |p| p.0)),
            ),
        ] {
            if let Some((_, span)) = kust.scalar(field).filter(|_| ok) {
                return Some(hit(span, field, field));
            }
        }
    }
    None
}

/// `registry/app` of `registry/app:1.0@sha256:...`.
fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[..i],
        _ => no_digest,
    }
}

/// The patches of one kustomization, in the order kustomize applies them: strategic
/// merge files, then `patches`, then JSON 6902 patches.
fn collect_patches(
    k: &Kustomization,
    refs: &[super::model::Ref],
    files: &HashMap<PathBuf, Loaded>,
) -> Vec<Patch> {
    let mut out = Vec::new();
    let file_patch = |field: &str| -> Option<&Loaded> {
        let r = refs.iter().find(|r| r.field == field)?;
        match &r.target {
            Target::File(p) => files.get(p),
            _ => None,
        }
    };
    let inline = |node: &Node| -> (Vec<(usize, Node)>, Placement) {
        match Embedded::new(&k.file, node) {
            Some(mut e) => (std::mem::take(&mut e.docs), Placement::Embedded(e)),
            None => {
                let text = node.scalar_text().unwrap_or("");
                let src = SourceFile::new(k.file.path.clone(), text);
                let docs = load_all(&src)
                    .into_iter()
                    .filter_map(Result::ok)
                    .map(|d| (d.index, d.root))
                    .collect();
                (
                    docs,
                    Placement::Whole {
                        file: k.file.clone(),
                        span: node.span,
                    },
                )
            }
        }
    };
    let smp_items = k
        .root
        .get("patchesStrategicMerge")
        .map(|n| n.items())
        .unwrap_or(&[]);
    let smp_refs: Vec<&super::model::Ref> = refs
        .iter()
        .filter(|r| r.field == "patchesStrategicMerge")
        .collect();
    for (i, item) in smp_items.iter().enumerate() {
        let from_file =
            smp_refs
                .iter()
                .find(|r| r.span == item.span)
                .and_then(|r| match &r.target {
                    Target::File(p) => files.get(p),
                    _ => None,
                });
        let (docs, place) = match from_file {
            Some(l) => (clone_docs(l), Placement::File(l.source.clone())),
            None if item.as_str().is_some_and(|s| s.contains('\n')) => inline(item),
            None => continue,
        };
        out.push(Patch {
            field: "patchesStrategicMerge",
            index: i,
            json6902: false,
            docs,
            place,
            target: None,
        });
    }
    for field in ["patches", "patchesJson6902"] {
        let items = k.root.get(field).map(|n| n.items()).unwrap_or(&[]);
        for (i, item) in items.iter().enumerate() {
            let (docs, place) = if item.get("path").is_some() {
                match file_patch(&format!("{field}[{i}].path")) {
                    Some(l) => (clone_docs(l), Placement::File(l.source.clone())),
                    None => continue,
                }
            } else if let Some(p) = item.get("patch") {
                inline(p)
            } else {
                continue;
            };
            let json6902 = field == "patchesJson6902"
                || docs.first().is_some_and(|(_, r)| r.as_seq().is_some());
            out.push(Patch {
                field: if field == "patches" {
                    "patches"
                } else {
                    "patchesJson6902"
                },
                index: i,
                json6902,
                docs,
                place,
                target: item.get("target").map(Selector::of),
            });
        }
    }
    out
}

fn clone_docs(l: &Loaded) -> Vec<(usize, Node)> {
    l.docs.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_drop_tags_and_digests() {
        assert_eq!(image_name("nginx"), "nginx");
        assert_eq!(image_name("nginx:1.25"), "nginx");
        assert_eq!(image_name("reg:5000/app:1@sha256:ab"), "reg:5000/app");
        assert_eq!(image_name("reg:5000/app"), "reg:5000/app");
    }
}
