//! Controllers whose selector does not select their own pod template.

use crate::declare_rule;
use crate::k8s::{LabelSelector, PodSpecView, Requirement, labels_of};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// Kinds with a `metav1.LabelSelector` (`matchLabels`/`matchExpressions`).
const LABEL_SELECTOR_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Rollout",
];
/// Kinds whose selector is a plain label map.
const MAP_SELECTOR_KINDS: &[&str] = &["ReplicationController", "DeploymentConfig"];

declare_rule! {
    /// ## What it does
    /// Reports a Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo Rollout,
    /// ReplicationController or DeploymentConfig whose `spec.selector` does not match the
    /// labels of its own pod template. Each `matchLabels` entry (or plain-map entry) the
    /// template lacks or contradicts is reported on the template label that should carry
    /// it; each unsatisfied `matchExpressions` item is reported on that item. Objects
    /// without a selector are left alone.
    ///
    /// ## Why is this bad
    /// The API server rejects such a workload (`selector does not match template
    /// labels`), so the deploy fails. Where an old API version defaulted the selector, a
    /// later edit of the template labels orphans the running pods instead.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: frontend   # reported: the selector wants app=web
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
    pub struct SelectorMismatch {
        id: "selector-mismatch",
        code: "KSPM603",
        title: "Selector does not match the pod template",
        severity: High,
        target: Pod,
        help: "Make the pod template's labels satisfy spec.selector (the selector is immutable in apps/v1).",
        peers: {
            "kube-linter": ["mismatching-selector"],
            "kube-score": ["deployment-pod-selector-labels-match-template-metadata-labels"],
            "kubescape": ["C-0296"],
        },
    }
}

/// One `matchExpressions` item as a requirement, or `None` when it is malformed.
fn requirement(e: &Node) -> Option<Requirement> {
    let key = e.get("key")?.scalar_text()?.to_string();
    let values = e
        .get("values")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.scalar_text().map(str::to_string))
        .collect();
    Some(match e.get("operator")?.scalar_text()? {
        "In" => Requirement::In(key, values),
        "NotIn" => Requirement::NotIn(key, values),
        "Exists" => Requirement::Exists(key),
        "DoesNotExist" => Requirement::DoesNotExist(key),
        _ => return None,
    })
}

impl Rule for SelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let kind = pod.workload.kind;
        let map_form = MAP_SELECTOR_KINDS.contains(&kind);
        if !map_form && !LABEL_SELECTOR_KINDS.contains(&kind) {
            return;
        }
        let obj = &pod.object;
        let Some(selector) = obj
            .root
            .get_path(&["spec", "selector"])
            .filter(|n| n.as_map().is_some())
        else {
            return;
        };
        let labels = labels_of(pod.metadata.and_then(|m| m.get("labels")));
        let (match_labels, expressions) = if map_form {
            (Some(selector), None)
        } else {
            (
                selector.get("matchLabels"),
                selector.get("matchExpressions"),
            )
        };
        let name = obj.name().unwrap_or("");
        let labels_path = pod.metadata_path.key("labels");
        for (k, want) in labels_of(match_labels) {
            let have = labels.iter().find(|(lk, _)| *lk == k).map(|(_, v)| v);
            if have == Some(&want) {
                continue;
            }
            let msg = match have {
                Some(v) => format!(
                    "{kind} \"{name}\": the selector wants {k}={want} but the pod template has {k}={v}"
                ),
                None => format!(
                    "{kind} \"{name}\": the selector wants {k}={want} but the pod template has no {k} label"
                ),
            };
            out.report(labels_path.key(&k), msg);
        }
        let items = expressions.map(Node::items).unwrap_or_default();
        for (i, e) in items.iter().enumerate() {
            let Some(r) = requirement(e) else {
                continue;
            };
            let single = LabelSelector {
                match_labels: Vec::new(),
                expressions: vec![r],
            };
            if !single.matches(&labels) {
                out.report(
                    obj.path("spec.selector.matchExpressions").index(i),
                    format!(
                        "{kind} \"{name}\": the pod template's labels do not satisfy selector.matchExpressions[{i}]"
                    ),
                );
            }
        }
    }
}
