//! Replicated workloads whose replicas may all land on one node.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{LabelSelector, PodSpecView, labels_of};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

const HOSTNAME: &str = "kubernetes.io/hostname";

declare_rule! {
    /// ## What it does
    /// Reports a Deployment or StatefulSet with more than one replica whose pod template
    /// neither has a pod anti-affinity term nor a topology spread constraint on the
    /// `kubernetes.io/hostname` topology key that selects the template's own labels
    /// (required or preferred anti-affinity both count). A term whose `namespaces` list
    /// leaves out the workload's namespace does not count.
    ///
    /// ## Why is this bad
    /// The scheduler is free to put every replica on the same node. One node failure,
    /// drain or kernel upgrade then takes all replicas down at once, and the extra
    /// replicas bought no availability.
    ///
    /// The safe fix adds a preferred (soft) pod anti-affinity term on
    /// `kubernetes.io/hostname` that selects the workload's pods (its selector's
    /// `matchLabels`, or the template's labels): the scheduler spreads the replicas when it
    /// can and still places them when it cannot, so no pod is left pending because of it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       topologySpreadConstraints:   # passes; without it the pod spec is reported
    ///         - maxSkew: 1
    ///           topologyKey: kubernetes.io/hostname
    ///           whenUnsatisfiable: ScheduleAnyway
    ///           labelSelector:
    ///             matchLabels: {app: web}
    ///       containers:
    ///         - name: app
    ///           image: registry.example/web:1.4.2
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
    pub struct AntiAffinity {
        id: "anti-affinity",
        code: "KSPM333",
        title: "Replicas may share a node",
        severity: Low,
        target: Pod,
        fix: Safe,
        help: "Add a podAntiAffinity term or a topologySpreadConstraint on kubernetes.io/hostname that selects the pod's own labels.",
        peers: {
            "kube-linter": ["no-anti-affinity"],
            "kube-score": [
                "deployment-has-host-podantiaffinity",
                "statefulset-has-host-podantiaffinity"
            ],
            "polaris": ["topologySpreadConstraint"],
        },
    }
}

/// Whether a term (anti-affinity term or spread constraint) spreads these pods by node.
fn spreads_by_node(term: &Node, labels: &[(String, String)], namespace: &str) -> bool {
    if term.get("topologyKey").and_then(Node::as_str) != Some(HOSTNAME) {
        return false;
    }
    // A term with no selector selects no pods.
    let Some(selector) = term.get("labelSelector").filter(|n| !n.is_null()) else {
        return false;
    };
    if let Some(namespaces) = term.get("namespaces").filter(|n| !n.items().is_empty()) {
        let listed = namespaces
            .items()
            .iter()
            .any(|n| n.as_str() == Some(namespace));
        if !listed && term.get("namespaceSelector").is_none() {
            return false;
        }
    }
    LabelSelector::from_label_selector(selector).matches(labels)
}

impl Rule for AntiAffinity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if !matches!(pod.workload.kind, "Deployment" | "StatefulSet") {
            return;
        }
        // Unset replicas default to 1.
        let replicas = pod
            .object
            .root
            .get_path(&["spec", "replicas"])
            .and_then(Node::as_i64)
            .unwrap_or(1);
        if replicas <= 1 {
            return;
        }
        let labels = labels_of(pod.metadata.and_then(|m| m.get("labels")));
        let namespace = pod.object.effective_namespace().unwrap_or("default");
        let anti = pod.spec.get_path(&["affinity", "podAntiAffinity"]);
        let required = anti
            .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
            .map(Node::items)
            .unwrap_or_default();
        let preferred = anti
            .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
            .map(Node::items)
            .unwrap_or_default();
        let spread = pod
            .get("topologySpreadConstraints")
            .map(Node::items)
            .unwrap_or_default();
        let covered = required
            .iter()
            .chain(preferred.iter().filter_map(|w| w.get("podAffinityTerm")))
            .chain(spread.iter())
            .any(|t| spreads_by_node(t, &labels, namespace));
        if covered {
            return;
        }
        out.report(
            pod.spec_path("affinity.podAntiAffinity"),
            format!(
                "{} {} runs {replicas} replicas with no pod anti-affinity or topology spread on {HOSTNAME}",
                pod.object.kind(),
                pod.object.name().unwrap_or("")
            ),
        );
        // The selector's matchLabels when they are all template labels (they name exactly
        // the workload's pods), else every template label.
        let selector = labels_of(
            pod.object
                .root
                .get_path(&["spec", "selector", "matchLabels"]),
        );
        let select = if !selector.is_empty() && selector.iter().all(|l| labels.contains(l)) {
            selector
        } else {
            labels
        };
        if select.is_empty() {
            return;
        }
        let match_labels: Vec<(&str, Val)> = select
            .iter()
            .map(|(k, v)| (k.as_str(), Val::str(v)))
            .collect();
        let term = Val::map(&[
            ("weight", Val::raw("100")),
            (
                "podAffinityTerm",
                Val::map(&[
                    ("topologyKey", Val::str(HOSTNAME)),
                    (
                        "labelSelector",
                        Val::map(&[("matchLabels", Val::map(&match_labels))]),
                    ),
                ]),
            ),
        ]);
        let fix = Fix::safe("prefer spreading the replicas over nodes (pod anti-affinity)");
        out.with_fix(fix.append(
            pod.spec,
            &pod.path,
            &[
                "affinity",
                "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution",
            ],
            vec![term],
        ));
    }
}
