//! CIS 1.2.7: API server authorization lacks Node.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--authorization-mode` (all occurrences
    /// together; modes are case-sensitive) does not include `Node`, on the last occurrence's
    /// item, or on `command` when the flag is missing. With structured authorization
    /// (`--authorization-config`) and no `--authorization-mode`, the configuration file decides
    /// and the rule stays silent.
    ///
    /// ## Why is this bad
    /// The Node authorizer limits each kubelet to the objects of the pods bound to its own node.
    /// Without it a kubelet's credentials (readable by anyone with root on any node) need
    /// broad RBAC grants to read every Secret and ConfigMap in the cluster.
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
    ///         - --authorization-mode=RBAC   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.7: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/authorization/
    pub struct ApiserverAuthzNode {
        id: "apiserver-authz-node",
        code: "KSPM707",
        title: "API server authorization lacks Node",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Include Node in --authorization-mode (for example Node,RBAC).",
        peers: {
            "checkov": ["CKV_K8S_75"],
            "trivy": ["KCV0008"],
            "kubescape": ["C-0119"],
        },
    }
}

impl Rule for ApiserverAuthzNode {
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
        f.require_authz_mode_fix(out, c, "Node");
    }
}
