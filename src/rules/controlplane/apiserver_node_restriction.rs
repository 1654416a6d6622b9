//! CIS 1.2.14: NodeRestriction admission plugin not enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` does not list
    /// `NodeRestriction` (or whose `--disable-admission-plugins` does), on the last
    /// `--enable-admission-plugins` item, or on `command` when the flag is missing.
    ///
    /// ## Why is this bad
    /// NodeRestriction limits the Node and Pod objects a kubelet may modify to its own. Without
    /// it, a compromised node can relabel other nodes (attracting sensitive workloads) and alter
    /// pods elsewhere.
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
    ///         - --enable-admission-plugins=EventRateLimit   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.14: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
    pub struct ApiserverNodeRestriction {
        id: "apiserver-node-restriction",
        code: "KSPM714",
        title: "NodeRestriction admission plugin not enabled",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Add NodeRestriction to --enable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_85"],
            "trivy": ["KCV0016"],
            "kubescape": ["C-0127"],
        },
    }
}

impl Rule for ApiserverNodeRestriction {
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
        f.require_plugin_fix(out, c, "NodeRestriction");
    }
}
