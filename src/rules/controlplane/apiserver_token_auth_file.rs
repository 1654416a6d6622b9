//! CIS 1.2.2: API server accepts static tokens.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that sets `--token-auth-file`. The finding sits on
    /// the flag's item.
    ///
    /// ## Why is this bad
    /// Static tokens live in a plain CSV file on the control-plane node, never expire, and can
    /// only be rotated or revoked by restarting the API server. A leaked token keeps working.
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
    ///         - --token-auth-file=/etc/kubernetes/tokens.csv   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverTokenAuthFile {
        id: "apiserver-token-auth-file",
        code: "KSPM702",
        title: "API server accepts static tokens",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove --token-auth-file; use client certificates, OIDC or webhook authentication.",
        peers: {
            "checkov": ["CKV_K8S_70"],
            "trivy": ["KCV0002"],
            "kubescape": ["C-0114"],
        },
    }
}

impl Rule for ApiserverTokenAuthFile {
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
        f.forbid_fix(out, c, "token-auth-file");
    }
}
