//! CIS 1.2.18: API server --audit-log-maxbackup below 10.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--audit-log-maxbackup` is missing, not a number, or below
    /// 10 (rotated files).
    ///
    /// ## Why is this bad
    /// The API server keeps at most this many rotated audit files and deletes older ones, so a
    /// small number loses history quickly on a busy cluster.
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
    ///         - --audit-log-maxbackup=3   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.18: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    pub struct ApiserverAuditLogMaxbackup {
        id: "apiserver-audit-log-maxbackup",
        code: "KSPM718",
        title: "API server --audit-log-maxbackup below 10",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --audit-log-maxbackup=10 or more on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_93"],
            "trivy": ["KCV0021"],
            "kubescape": ["C-0132"],
        },
    }
}

impl Rule for ApiserverAuditLogMaxbackup {
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
        f.require_min_int_fix(out, c, "audit-log-maxbackup", 10);
    }
}
