//! CIS 1.2.8: API server authorization lacks RBAC.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--authorization-mode` (all occurrences
    /// together; modes are case-sensitive) does not include `RBAC`, on the last occurrence's
    /// item, or on `command` when the flag is missing. With structured authorization
    /// (`--authorization-config`) and no `--authorization-mode`, the configuration file decides
    /// and the rule stays silent.
    ///
    /// ## Why is this bad
    /// Without RBAC, Roles and ClusterRoleBindings have no effect: authorization falls to
    /// whatever other mode is listed (often ABAC files or AlwaysAllow), and least-privilege
    /// access for users and service accounts cannot be expressed.
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
    ///         - --authorization-mode=Node   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.8: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/authorization/
    pub struct ApiserverAuthzRbac {
        id: "apiserver-authz-rbac",
        code: "KSPM708",
        title: "API server authorization lacks RBAC",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Include RBAC in --authorization-mode (for example Node,RBAC).",
        peers: {
            "checkov": ["CKV_K8S_77"],
            "trivy": ["KCV0009"],
            "kubescape": ["C-0120"],
        },
    }
}

impl Rule for ApiserverAuthzRbac {
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
        f.require_authz_mode_fix(out, c, "RBAC");
    }
}
