//! CIS 1.2.16: API server audit log not written.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container without `--audit-log-path`.
    ///
    /// ## Why is this bad
    /// Without an audit log there is no record of who read a Secret, created a pod or changed a
    /// binding: incidents cannot be investigated and many regulations' logging requirements are
    /// not met.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.32.0
    ///       command:
    ///         - kube-apiserver
    ///         - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    ///         - # no --audit-log-path: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.16: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    pub struct ApiserverAuditLogPath {
        id: "apiserver-audit-log-path",
        code: "KSPM716",
        title: "API server audit log not written",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Set --audit-log-path (and --audit-policy-file) on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_91"],
            "trivy": ["KCV0019"],
            "kubescape": ["C-0130"],
        },
    }
}

impl Rule for ApiserverAuditLogPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.require_paths_fix(out, c, &["audit-log-path"]);
    }
}
