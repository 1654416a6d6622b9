//! CIS 1.2.17: API server --audit-log-maxage below 30.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--audit-log-maxage` is missing, not a number, or below
    /// 30 (days).
    ///
    /// ## Why is this bad
    /// Audit files older than the limit are deleted. Keeping fewer than 30 days of history
    /// leaves too little to investigate an incident that is noticed late.
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
    ///         - --audit-log-path=/var/log/kubernetes/audit.log
    ///         - --audit-log-maxage=10   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.17: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    pub struct ApiserverAuditLogMaxage {
        id: "apiserver-audit-log-maxage",
        code: "KSPM717",
        title: "API server --audit-log-maxage below 30",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --audit-log-maxage=30 or more on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_92"],
            "trivy": ["KCV0020"],
            "kubescape": ["C-0131"],
        },
    }
}

impl Rule for ApiserverAuditLogMaxage {
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
        f.require_min_int_fix(out, c, "audit-log-maxage", 30);
    }
}
