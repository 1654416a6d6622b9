//! CIS 1.2.10: AlwaysAdmit admission plugin enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--enable-admission-plugins` (or removed `--admission-control`) item of a
    /// kube-apiserver container that lists `AlwaysAdmit`.
    ///
    /// ## Why is this bad
    /// `AlwaysAdmit` admits every request unconditionally. It is deprecated and does nothing
    /// useful; listing it signals that admission control is not being relied on.
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
    ///         - --enable-admission-plugins=NodeRestriction,AlwaysAdmit   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.10: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwaysadmit
    pub struct ApiserverAlwaysAdmit {
        id: "apiserver-always-admit",
        code: "KSPM710",
        title: "AlwaysAdmit admission plugin enabled",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove AlwaysAdmit from --enable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_79"],
            "trivy": ["KCV0011"],
            "kubescape": ["C-0122"],
        },
    }
}

impl Rule for ApiserverAlwaysAdmit {
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
        f.forbid_plugin_fix(out, c, "AlwaysAdmit");
    }
}
