//! The lint context: every object of one command-line argument (a directory, a file, a
//! stream), indexed by kind, namespace and labels for cross-object rules.
//!
//! Documents are dropped after per-object linting, so the context keeps a pruned copy of
//! each object: the whole object for the small kinds cross-object rules read (Services,
//! NetworkPolicies, RBAC, ...), a workload without its containers and volumes, and only
//! `apiVersion`/`kind`/`metadata` for anything else. Spans are unchanged, so findings on
//! the kept fields are positioned exactly.

use std::collections::{BTreeMap, HashMap};

use super::object::ObjectView;
use super::selector::{LabelSelector, labels_of};
use super::workload::{PodSpecView, WorkloadKind};
use crate::yaml::{Entry, Node, Value, YamlPath};

/// Kinds kept whole.
const KEPT_WHOLE: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "HorizontalPodAutoscaler",
    "Ingress",
    "LimitRange",
    "Namespace",
    "NetworkPolicy",
    "Pod",
    "PodDisruptionBudget",
    "ResourceQuota",
    "Role",
    "RoleBinding",
    "Service",
    "ServiceAccount",
];

/// Pod spec fields dropped from kept workloads (the bulk of a manifest).
const POD_SPEC_DROPPED: &[&str] = &[
    "containers",
    "initContainers",
    "ephemeralContainers",
    "volumes",
];

/// One object as the context keeps it.
#[derive(Debug)]
pub struct ContextObject {
    /// Index of the object's source among the context's sources.
    pub source: usize,
    pub document: usize,
    /// Where the object sits in its document.
    pub base: YamlPath,
    /// The pruned object.
    pub root: Node,
    /// Index into the workload kinds when the object embeds a pod template.
    pub workload: Option<usize>,
}

/// What the index knows about a pod template.
#[derive(Debug)]
struct PodEntry {
    object: usize,
    labels: Vec<(String, String)>,
}

/// All objects of a context, with indexes.
#[derive(Debug)]
pub struct LintContext {
    pub objects: Vec<ContextObject>,
    kinds: Vec<WorkloadKind>,
    by_kind: BTreeMap<String, Vec<usize>>,
    by_name: HashMap<(String, Option<String>, String), usize>,
    /// Pod templates per namespace.
    pods: HashMap<String, Vec<PodEntry>>,
    /// (namespace, label key, label value) -> indexes into `pods[namespace]`.
    postings: HashMap<(String, String, String), Vec<usize>>,
    namespaces: Vec<String>,
}

fn clone_pruned(node: &Node, path: &[&str]) -> Node {
    match (&node.value, path.split_first()) {
        (Value::Map(entries), Some((first, rest))) => Node {
            span: node.span,
            value: Value::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key_str: e.key_str.clone(),
                        key: e.key.clone(),
                        value: if e.key_str == *first {
                            clone_pruned(&e.value, rest)
                        } else {
                            e.value.clone()
                        },
                    })
                    .collect(),
            ),
        },
        (Value::Map(entries), None) => Node {
            span: node.span,
            value: Value::Map(
                entries
                    .iter()
                    .filter(|e| !POD_SPEC_DROPPED.contains(&e.key_str.as_str()))
                    .cloned()
                    .collect(),
            ),
        },
        _ => node.clone(),
    }
}

/// The copy of `obj` a context keeps (see the module docs).
pub fn prune(obj: &ObjectView<'_>, workload: Option<&WorkloadKind>) -> Node {
    if KEPT_WHOLE.contains(&obj.kind()) {
        return obj.root.clone();
    }
    if let Some(w) = workload {
        return clone_pruned(obj.root, w.pod_spec);
    }
    let keep = ["apiVersion", "kind", "metadata"];
    Node {
        span: obj.root.span,
        value: Value::Map(
            obj.root
                .entries()
                .iter()
                .filter(|e| keep.contains(&e.key_str.as_str()))
                .cloned()
                .collect(),
        ),
    }
}

impl LintContext {
    /// Index `objects`; `kinds` are the workload kinds the objects' `workload` indexes into.
    pub fn new(objects: Vec<ContextObject>, kinds: Vec<WorkloadKind>) -> Self {
        let mut ctx = LintContext {
            objects,
            kinds,
            by_kind: BTreeMap::new(),
            by_name: HashMap::new(),
            pods: HashMap::new(),
            postings: HashMap::new(),
            namespaces: Vec::new(),
        };
        let mut namespaces = std::collections::BTreeSet::new();
        for i in 0..ctx.objects.len() {
            let view = ctx.view(i);
            let kind = view.kind().to_string();
            let ns = view.effective_namespace().map(str::to_string);
            if let Some(n) = &ns {
                namespaces.insert(n.clone());
            }
            if kind == "Namespace"
                && let Some(name) = view.name()
            {
                namespaces.insert(name.to_string());
            }
            if let Some(name) = view.name() {
                ctx.by_name
                    .entry((kind.clone(), ns.clone(), name.to_string()))
                    .or_insert(i);
            }
            ctx.by_kind.entry(kind).or_default().push(i);
            if let (Some(pod), Some(ns)) = (ctx.pod(i), ns) {
                let labels = labels_of(pod.metadata.and_then(|m| m.get("labels")));
                let list = ctx.pods.entry(ns.clone()).or_default();
                let slot = list.len();
                for (k, v) in &labels {
                    ctx.postings
                        .entry((ns.clone(), k.clone(), v.clone()))
                        .or_default()
                        .push(slot);
                }
                list.push(PodEntry { object: i, labels });
            }
        }
        ctx.namespaces = namespaces.into_iter().collect();
        ctx
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    pub fn view(&self, i: usize) -> ObjectView<'_> {
        let o = &self.objects[i];
        ObjectView {
            root: &o.root,
            base: &o.base,
            document: o.document,
        }
    }

    /// The pod template of object `i` (its containers and volumes are not kept).
    pub fn pod(&self, i: usize) -> Option<PodSpecView<'_>> {
        let kind = self.kinds.get(self.objects[i].workload?)?;
        PodSpecView::of(&self.view(i), std::slice::from_ref(kind))
    }

    /// Objects of a kind, in input order.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = usize> + '_ {
        self.by_kind.get(kind).into_iter().flatten().copied()
    }

    /// An object by kind, effective namespace (`None` for cluster-scoped) and name.
    pub fn find(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<usize> {
        self.by_name
            .get(&(
                kind.to_string(),
                namespace.map(str::to_string),
                name.to_string(),
            ))
            .copied()
    }

    /// Namespaces that are declared or used by some object, sorted.
    pub fn namespaces(&self) -> &[String] {
        &self.namespaces
    }

    /// Objects with a pod template in `namespace`.
    pub fn workloads_in(&self, namespace: &str) -> impl Iterator<Item = usize> + '_ {
        self.pods
            .get(namespace)
            .into_iter()
            .flatten()
            .map(|p| p.object)
    }

    /// Pod templates in `namespace` whose labels `selector` matches, in input order.
    /// Uses the label postings so that a selector only looks at candidate templates.
    pub fn select_pods(&self, namespace: &str, selector: &LabelSelector) -> Vec<usize> {
        let Some(pods) = self.pods.get(namespace) else {
            return Vec::new();
        };
        let candidates: Vec<usize> = match selector
            .match_labels
            .iter()
            .map(|(k, v)| {
                self.postings
                    .get(&(namespace.to_string(), k.clone(), v.clone()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|p| p.len())
        {
            Some(smallest) => smallest.to_vec(),
            None => (0..pods.len()).collect(),
        };
        candidates
            .into_iter()
            .filter(|&slot| selector.matches(&pods[slot].labels))
            .map(|slot| pods[slot].object)
            .collect()
    }

    /// The pod template labels of object `i` (empty when it has none).
    pub fn pod_labels(&self, i: usize) -> Vec<(String, String)> {
        labels_of(
            self.pod(i)
                .and_then(|p| p.metadata)
                .and_then(|m| m.get("labels")),
        )
    }
}
