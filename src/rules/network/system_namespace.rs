//! User workloads placed in the cluster's own namespaces.

use crate::declare_rule;
use crate::k8s::{PodSpecView, is_control_plane_static_pod};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public"];

declare_rule! {
    /// ## What it does
    /// Reports a workload (any kind with a pod template) whose `metadata.namespace` is
    /// `kube-system` or `kube-public`, unless it is a control-plane static pod manifest
    /// (labelled `tier: control-plane` or `component: kube-apiserver`, `etcd`, ...).
    ///
    /// ## Why is this bad
    /// `kube-system` holds the cluster's own components and the service accounts and
    /// secrets with the broadest rights; many policies exempt it from Pod Security
    /// admission and network policies. A workload there is trusted and reachable in ways
    /// an application should not be. `kube-public` is readable by unauthenticated users.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: kube-system   # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces
    /// - NSA/CISA Kubernetes Hardening Guidance: namespaces
    pub struct SystemNamespace {
        id: "system-namespace",
        code: "KSPM402",
        title: "User workload in a system namespace",
        severity: Medium,
        target: Pod,
        help: "Move the workload to an application namespace.",
        peers: {
            "trivy": ["KSV037"],
        },
    }
}

impl Rule for SystemNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let obj = &pod.object;
        let Some(ns) = obj.namespace().filter(|n| SYSTEM_NAMESPACES.contains(n)) else {
            return;
        };
        if is_control_plane_static_pod(obj) {
            return;
        }
        out.report(
            obj.path("metadata.namespace"),
            format!(
                "{} \"{}\" runs in the system namespace {ns}",
                obj.kind(),
                obj.name().unwrap_or("")
            ),
        );
    }
}
