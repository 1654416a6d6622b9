//! Pods that no controller manages.

use crate::declare_rule;
use crate::k8s::{ObjectView, is_control_plane_static_pod};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a `Pod` object with no `metadata.ownerReferences`, unless it looks like a
    /// control-plane static pod manifest (labelled `tier: control-plane` or
    /// `component: kube-apiserver|kube-controller-manager|kube-scheduler|etcd`, or
    /// annotated by the kubelet as a static pod). The finding sits on `kind: Pod`.
    ///
    /// ## Why is this bad
    /// Nothing recreates a bare pod: it is gone after a node failure, a drain or an
    /// eviction, it cannot be rolled out or scaled, and a PodDisruptionBudget does not
    /// protect it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod        # reported: use a Deployment, StatefulSet, DaemonSet or Job
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/web:1.4.2
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
    pub struct NakedPod {
        id: "naked-pod",
        code: "KSPM334",
        title: "Unmanaged Pod",
        severity: Low,
        target: Object,
        help: "Run the pod through a Deployment, StatefulSet, DaemonSet or Job.",
        peers: {
            "kubescape": ["C-0073"],
        },
    }
}

impl Rule for NakedPod {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Pod" || !obj.group().is_empty() {
            return;
        }
        let owned = obj
            .metadata()
            .and_then(|m| m.get("ownerReferences"))
            .is_some_and(|o| !o.items().is_empty());
        if owned || is_control_plane_static_pod(obj) {
            return;
        }
        out.report(
            obj.path("kind"),
            format!(
                "Pod \"{}\" has no controller; nothing recreates it when its node goes away",
                obj.name().unwrap_or("")
            ),
        );
    }
}
