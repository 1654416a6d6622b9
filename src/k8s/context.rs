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
use super::selector::{LabelSelector, Requirement, labels_of};
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
    "ScaledObject",
    "Service",
    "ServiceAccount",
];

/// Kinds that set a workload's replica count from outside through `spec.scaleTargetRef`:
/// the HPA, and KEDA's ScaledObject (which drives an HPA of its own).
const SCALER_KINDS: &[&str] = &["HorizontalPodAutoscaler", "ScaledObject"];

/// Kinds whose `spec.replicas` is the number of pods they run (default 1).
const REPLICATED_KINDS: &[&str] = &[
    "Deployment",
    "DeploymentConfig",
    "ReplicaSet",
    "ReplicationController",
    "Rollout",
    "StatefulSet",
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
    /// (target kind, namespace, target name) -> autoscalers whose scaleTargetRef names it.
    scalers: HashMap<(String, String, String), Vec<usize>>,
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
            scalers: HashMap::new(),
        };
        let mut namespaces = std::collections::BTreeSet::new();
        for i in 0..ctx.objects.len() {
            let view = ctx.view(i);
            let kind = view.kind().to_string();
            let ns = view.effective_namespace().map(str::to_string);
            let target = scale_target(&view).map(|(k, n)| (k.to_string(), n.to_string()));
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
            if let (Some((tk, tn)), Some(ns)) = (target, &ns) {
                ctx.scalers.entry((tk, ns.clone(), tn)).or_default().push(i);
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

    /// Slots in `pods[namespace]` that may match `selector`: the shortest label posting
    /// list among its `matchLabels` and `In` requirements, so that a selector only looks at
    /// candidate templates; `None` when it constrains no label value (every slot). Only the
    /// chosen list is copied.
    fn candidates(&self, namespace: &str, selector: &LabelSelector) -> Option<Vec<usize>> {
        let posting = |k: &str, v: &str| {
            self.postings
                .get(&(namespace.to_string(), k.to_string(), v.to_string()))
                .map_or(&[][..], Vec::as_slice)
        };
        // Each choice is a set of posting lists whose union holds every match.
        let exact = selector
            .match_labels
            .iter()
            .map(|(k, v)| vec![posting(k, v)]);
        let within = selector.expressions.iter().filter_map(|r| match r {
            Requirement::In(k, vs) => Some(vs.iter().map(|v| posting(k, v)).collect()),
            _ => None,
        });
        let best: Vec<&[usize]> = exact
            .chain(within)
            .min_by_key(|lists: &Vec<&[usize]>| lists.iter().map(|l| l.len()).sum::<usize>())?;
        let mut slots: Vec<usize> = best.concat();
        if best.len() > 1 {
            // A label has one value per template, but `values` may repeat one.
            slots.sort_unstable();
            slots.dedup();
        }
        Some(slots)
    }

    /// Pod templates in `namespace` whose labels `selector` matches, in input order.
    /// Uses the label postings so that a selector only looks at candidate templates.
    pub fn select_pods(&self, namespace: &str, selector: &LabelSelector) -> Vec<usize> {
        let Some(pods) = self.pods.get(namespace) else {
            return Vec::new();
        };
        let candidates = self
            .candidates(namespace, selector)
            .unwrap_or_else(|| (0..pods.len()).collect());
        candidates
            .into_iter()
            .filter(|&slot| selector.matches(&pods[slot].labels))
            .map(|slot| pods[slot].object)
            .collect()
    }

    /// Whether `selector` matches some pod template in `namespace`; stops at the first.
    pub fn selects_any(&self, namespace: &str, selector: &LabelSelector) -> bool {
        let Some(pods) = self.pods.get(namespace) else {
            return false;
        };
        match self.candidates(namespace, selector) {
            Some(slots) => slots
                .iter()
                .any(|&slot| selector.matches(&pods[slot].labels)),
            None => pods.iter().any(|p| selector.matches(&p.labels)),
        }
    }

    /// Autoscalers (HPAs, KEDA ScaledObjects) whose `scaleTargetRef` names object `i`
    /// (same kind, namespace and name), in input order.
    pub fn scalers_of(&self, i: usize) -> &[usize] {
        let view = self.view(i);
        let (Some(ns), Some(name)) = (view.effective_namespace(), view.name()) else {
            return &[];
        };
        self.scalers
            .get(&(view.kind().to_string(), ns.to_string(), name.to_string()))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The replica range autoscaler `s` keeps its target in, with the API defaults: an
    /// HPA's `minReplicas` defaults to 1 and its `maxReplicas` is required (`None` when
    /// absent); a ScaledObject's `minReplicaCount` defaults to 0 and `maxReplicaCount` to 100.
    pub fn scaler_bounds(&self, s: usize) -> (i64, Option<i64>) {
        let view = self.view(s);
        let spec = view.root.get("spec");
        let int = |key: &str| spec.and_then(|n| n.get(key)).and_then(Node::as_i64);
        if view.kind() == "ScaledObject" {
            (
                int("minReplicaCount").unwrap_or(0),
                Some(int("maxReplicaCount").unwrap_or(100)),
            )
        } else {
            (int("minReplicas").unwrap_or(1), int("maxReplicas"))
        }
    }

    /// The number of pods object `i` asks for: `spec.replicas` (default 1) of a replicated
    /// kind, 1 for a Pod; `None` for other kinds (DaemonSet, Job, ...) or a value that is
    /// not an integer (an unrendered template).
    pub fn replicas(&self, i: usize) -> Option<i64> {
        let view = self.view(i);
        match view.kind() {
            "Pod" => Some(1),
            k if REPLICATED_KINDS.contains(&k) => match view.root.get_path(&["spec", "replicas"]) {
                None => Some(1),
                Some(n) if n.is_null() => Some(1),
                Some(n) => n.as_i64(),
            },
            _ => None,
        }
    }

    /// The pods PodDisruptionBudget `i` selects, as a selector: `None` when it selects none
    /// (no selector; or an empty one in `policy/v1beta1`, where `{}` matched nothing, while
    /// in `policy/v1` it matches every pod of the namespace).
    pub fn pdb_selector(&self, i: usize) -> Option<LabelSelector> {
        let view = self.view(i);
        let node = view.root.get_path(&["spec", "selector"])?;
        if node.is_null() {
            return None;
        }
        let sel = LabelSelector::from_label_selector(node);
        (!sel.is_empty() || view.api_version() != "policy/v1beta1").then_some(sel)
    }

    /// Whether object `i` is a Kubernetes NetworkPolicy (`networking.k8s.io`, or the old
    /// `extensions` group), not a CNI's look-alike such as Calico's `projectcalico.org` one.
    pub fn is_network_policy(&self, i: usize) -> bool {
        let view = self.view(i);
        view.kind() == "NetworkPolicy" && matches!(view.group(), "networking.k8s.io" | "extensions")
    }

    /// The directions NetworkPolicy `i` isolates, as the API server defaults `policyTypes`:
    /// when unset, Ingress always, and Egress when the policy has egress rules.
    /// Returns (ingress, egress).
    pub fn network_policy_types(&self, i: usize) -> (bool, bool) {
        let spec = self.view(i).root.get("spec");
        let types = spec
            .and_then(|s| s.get("policyTypes"))
            .map(Node::items)
            .unwrap_or(&[]);
        if types.is_empty() {
            let egress = spec
                .and_then(|s| s.get("egress"))
                .is_some_and(|e| !e.items().is_empty());
            return (true, egress);
        }
        let has = |t: &str| types.iter().any(|n| n.as_str() == Some(t));
        (has("Ingress"), has("Egress"))
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

/// The (kind, name) an autoscaler's `spec.scaleTargetRef` names; a ScaledObject's kind
/// defaults to Deployment.
fn scale_target<'a>(view: &ObjectView<'a>) -> Option<(&'a str, &'a str)> {
    if !SCALER_KINDS.contains(&view.kind()) {
        return None;
    }
    let target = view.root.get_path(&["spec", "scaleTargetRef"])?;
    let name = target.get("name")?.as_str()?;
    let kind = match target.get("kind").and_then(Node::as_str) {
        Some(k) => k,
        None if view.kind() == "ScaledObject" => "Deployment",
        None => return None,
    };
    Some((kind, name))
}
