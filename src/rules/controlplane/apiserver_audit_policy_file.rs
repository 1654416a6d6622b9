//! CIS 3.2.1: API server has no audit policy.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container without `--audit-policy-file`. The rule
    /// `audit-policy-coverage` checks the Policy file itself when it is in the repository.
    ///
    /// ## Why is this bad
    /// Without a policy file the API server records no audit events at all, whatever
    /// `--audit-log-path` says.
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
    ///         - # no --audit-policy-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 3.2.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    pub struct ApiserverAuditPolicyFile {
        id: "apiserver-audit-policy-file",
        code: "KSPM771",
        title: "API server has no audit policy",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Set --audit-policy-file to an audit Policy on kube-apiserver.",
        peers: {
            "kubescape": ["C-0160"],
        },
    }
}

impl Rule for ApiserverAuditPolicyFile {
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
        f.require_paths_fix(out, c, &["audit-policy-file"]);
    }
}
