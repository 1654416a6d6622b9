//! CIS 1.2.19: API server --audit-log-maxsize below 100.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--audit-log-maxsize` is missing, not a number, or below
    /// 100 (megabytes).
    ///
    /// ## Why is this bad
    /// A small file size makes the log rotate, and old files expire, after very little activity.
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
    ///         - --audit-log-maxsize=33   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.19: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    pub struct ApiserverAuditLogMaxsize {
        id: "apiserver-audit-log-maxsize",
        code: "KSPM719",
        title: "API server --audit-log-maxsize below 100",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --audit-log-maxsize=100 or more on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_94"],
            "trivy": ["KCV0022"],
            "kubescape": ["C-0133"],
        },
    }
}

impl Rule for ApiserverAuditLogMaxsize {
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
        f.require_min_int_fix(out, c, "audit-log-maxsize", 100);
    }
}
