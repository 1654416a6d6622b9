//! Findings on `helm template` output, mapped to the template (and values) that wrote them.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use super::template::{Found, Located};
use super::{ChartTree, ValuesFile};
use crate::render::{
    Location, MapRequest, Mapping, OriginMapper, existing_depth, node_at, same_scalar,
};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Seg, Span, YamlPath};

/// One document of the stream.
#[derive(Debug)]
struct StreamDoc {
    start: usize,
    root: Node,
    /// The `# Source:` path before it.
    template: Option<String>,
    /// How many earlier documents the same template wrote with the same kind.
    occurrence: usize,
}

#[derive(Debug)]
pub struct HelmMapper {
    docs: Vec<StreamDoc>,
    tree: Option<Arc<ChartTree>>,
    /// `--values` files of the render, in order (later ones win).
    user_values: Vec<ValuesFile>,
    /// Which render this is (`helm template: release-name -f prod.yaml`).
    label: Option<String>,
    /// Where a finding goes when its template is not among the chart's files (a subchart
    /// packed as .tgz): the chart's Chart.yaml.
    fallback: Option<Location>,
}

impl HelmMapper {
    pub fn new(
        source: &SourceFile,
        tree: Option<Arc<ChartTree>>,
        user_values: Vec<ValuesFile>,
        label: Option<String>,
        fallback: Option<Location>,
    ) -> Self {
        let comments: Vec<(usize, String)> = source
            .text
            .match_indices("# Source: ")
            .filter(|(i, _)| *i == 0 || source.text.as_bytes()[i - 1] == b'\n')
            .map(|(i, m)| {
                let rest = &source.text[i + m.len()..];
                let end = rest.find('\n').unwrap_or(rest.len());
                (i, rest[..end].trim().to_string())
            })
            .collect();
        let mut docs: Vec<StreamDoc> = Vec::new();
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut previous = 0;
        for doc in load_all(source).into_iter().filter_map(Result::ok) {
            let start = doc.root.span.start;
            let template = comments
                .iter()
                .rev()
                .find(|(i, _)| *i < start && *i >= previous)
                .map(|(_, t)| t.clone());
            previous = start;
            let kind = doc
                .root
                .get("kind")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            let occurrence = match &template {
                Some(t) => {
                    let n = seen.entry((t.clone(), kind)).or_insert(0);
                    *n += 1;
                    *n - 1
                }
                None => 0,
            };
            docs.push(StreamDoc {
                start,
                root: doc.root,
                template,
                occurrence,
            });
        }
        HelmMapper {
            docs,
            tree,
            user_values,
            label,
            fallback,
        }
    }

    fn doc_at(&self, byte: usize) -> Option<usize> {
        match self.docs.binary_search_by_key(&byte, |d| d.start) {
            Ok(i) => Some(i),
            Err(0) => (!self.docs.is_empty()).then_some(0),
            Err(i) => Some(i - 1),
        }
    }

    /// The list that holds item `path[injected]` when several values lists are injected
    /// one after another: skip the items of the earlier ones.
    fn continue_list(
        &self,
        tree: &ChartTree,
        chart: usize,
        mut path: Vec<Seg>,
        injected: usize,
        more: &[Vec<String>],
    ) -> Vec<Seg> {
        let Some(Seg::Index(mut i)) = path.get(injected).cloned() else {
            return path;
        };
        let rest = path.split_off(injected + 1);
        let mut roots = vec![path[..injected].to_vec()];
        roots.extend(
            more.iter()
                .map(|r| r.iter().map(|k| Seg::Key(k.clone())).collect()),
        );
        for (n, root) in roots.iter().enumerate() {
            let len = self
                .effective(tree, chart, root)
                .map_or(0, |l| l.items().len());
            if i < len || n + 1 == roots.len() {
                let mut out = root.clone();
                out.push(Seg::Index(i));
                out.extend(rest);
                return out;
            }
            i -= len;
        }
        path
    }

    /// The node a values path resolves to, from the file that wins for it.
    fn effective<'a>(
        &'a self,
        tree: &'a ChartTree,
        chart: usize,
        path: &[Seg],
    ) -> Option<&'a Node> {
        let user_prefix = tree.prefix(chart);
        let files = self
            .user_values
            .iter()
            .rev()
            .map(|v| (v, user_prefix.clone()))
            .chain(tree.values_chain(chart).into_iter().rev());
        for (file, prefix) in files {
            let Some(root) = &file.root else { continue };
            let mut full: Vec<Seg> = prefix.into_iter().map(Seg::Key).collect();
            full.extend_from_slice(path);
            if let Some((n, _)) = node_at(root, &full) {
                return Some(n);
            }
        }
        None
    }

    /// The values file entry for `path` (a values path of `chart`): user files (last
    /// first), then the chart's defaults from the root chart's values down to its own.
    /// Exact when the whole path exists (with the rendered value, for a scalar).
    fn values_location(
        &self,
        tree: &ChartTree,
        chart: usize,
        path: &[Seg],
        injected: usize,
        rendered: Option<&Node>,
    ) -> Option<(Location, bool, String)> {
        let user_prefix = tree.prefix(chart);
        let mut files: Vec<(&ValuesFile, Vec<String>)> = self
            .user_values
            .iter()
            .rev()
            .map(|v| (v, user_prefix.clone()))
            .collect();
        files.extend(tree.values_chain(chart).into_iter().rev());
        let mut best: Option<(usize, Location, String)> = None;
        for (file, prefix) in files {
            let Some(root) = &file.root else { continue };
            let mut full: Vec<Seg> = prefix.into_iter().map(Seg::Key).collect();
            let skip = full.len();
            full.extend_from_slice(path);
            let depth = existing_depth(root, &full);
            let Some((node, span)) = node_at(root, &full[..depth]) else {
                continue;
            };
            let shown = YamlPath(full[..depth].to_vec()).to_string();
            let loc = Location {
                source: file.source.clone(),
                span,
                document: 0,
            };
            if depth == full.len()
                && rendered.is_none_or(|r| r.scalar().is_none() || same_scalar(node, r))
            {
                return Some((loc, true, shown));
            }
            if depth >= skip + injected && best.as_ref().is_none_or(|(d, _, _)| depth - skip > *d) {
                best = Some((depth - skip, loc, shown));
            }
        }
        best.map(|(_, loc, shown)| (loc, false, shown))
    }
}

impl OriginMapper for HelmMapper {
    fn map(&self, req: &MapRequest<'_>) -> Option<Mapping> {
        let d = self.doc_at(req.span.start)?;
        let doc = &self.docs[d];
        let template = doc.template.as_ref()?;
        let pos = req.rendered.position(req.span.start);
        let mut origin = Map::new();
        origin.insert("renderer".into(), json!("helm"));
        origin.insert(
            "chart".into(),
            self.tree.as_ref().map_or(Json::Null, |t| json!(t.display)),
        );
        origin.insert("render".into(), json!(self.label));
        origin.insert("template".into(), json!(template));
        origin.insert(
            "rendered".into(),
            json!({"path": req.rendered.path, "document": d, "line": pos.line, "column": pos.column}),
        );
        let Some(tree) = &self.tree else {
            // No chart folder: the rendered position is the only real one.
            origin.insert("via".into(), json!("rendered"));
            return Some(Mapping {
                location: None,
                origin: Json::Object(origin),
            });
        };
        let segs = req.path.segs();
        let q = &segs[..existing_depth(&doc.root, segs)];
        let located = tree
            .template_for(template)
            .and_then(|f| Some((f, tree.templates.locate(f, &doc.root, q, doc.occurrence)?)));
        let Some((file, Located { found, depth })) = located else {
            origin.insert("via".into(), json!("chart"));
            origin.insert("exact".into(), json!(false));
            return Some(Mapping {
                location: self.fallback.clone(),
                origin: Json::Object(origin),
            });
        };
        let tfile = &tree.templates.files[file];
        origin.insert("file".into(), json!(tfile.source.path));
        let template_loc = |file: usize, span: Span| Location {
            source: tree.templates.files[file].source.clone(),
            span,
            document: 0,
        };
        let (location, via, exact) = match found {
            Found::Line { file, span } => {
                origin.insert(
                    "matched".into(),
                    json!(YamlPath(q[..depth].to_vec()).to_string()),
                );
                (
                    template_loc(file, span),
                    "template",
                    depth == q.len() && depth > 0,
                )
            }
            Found::Values {
                path,
                injected,
                more,
                file,
                span,
                chart,
            } => {
                let path = self.continue_list(tree, chart, path, injected, &more);
                let rendered = node_at(&doc.root, q).map(|(n, _)| n);
                match self.values_location(tree, chart, &path, injected, rendered) {
                    Some((loc, exact, shown)) => {
                        origin.insert(
                            "values".into(),
                            json!({"file": loc.source.path, "path": shown}),
                        );
                        origin.insert(
                            "injected_at".into(),
                            json!({"file": tree.templates.files[file].source.path,
                                   "line": tree.templates.files[file].source.position(span.start).line}),
                        );
                        (loc, "values", exact)
                    }
                    // Set outside the chart's values (`--set`): the template line is
                    // exact when it writes the field itself (`key: {{ .Values.x }}`).
                    None => (template_loc(file, span), "template", injected == path.len()),
                }
            }
        };
        origin.insert("via".into(), json!(via));
        origin.insert("exact".into(), json!(exact));
        Some(Mapping {
            location: Some(location),
            origin: Json::Object(origin),
        })
    }
}
