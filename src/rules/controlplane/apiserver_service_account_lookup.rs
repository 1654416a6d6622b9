//! CIS 1.2.21: API server does not look up service account tokens.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that sets `--service-account-lookup` to anything but
    /// `true`. The default is `true`, so a missing flag passes.
    ///
    /// ## Why is this bad
    /// Without the lookup the API server accepts a service account token as long as its
    /// signature is valid, even after the ServiceAccount or its token Secret was deleted: a
    /// stolen token cannot be revoked.
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
    ///         - --service-account-lookup=false   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_96 fails a manifest that does not set the flag. kspm follows CIS and
    /// kube-bench, which accept the absent flag because the default is `true`.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.21: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverServiceAccountLookup {
        id: "apiserver-service-account-lookup",
        code: "KSPM721",
        title: "API server does not look up service account tokens",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove --service-account-lookup=false (the default is true).",
        peers: {
            "checkov": ["CKV_K8S_96"],
            "trivy": ["KCV0024"],
            "kubescape": ["C-0135"],
        },
    }
}

impl Rule for ApiserverServiceAccountLookup {
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
        f.require_bool_fix(out, c, "service-account-lookup", true, true);
    }
}
