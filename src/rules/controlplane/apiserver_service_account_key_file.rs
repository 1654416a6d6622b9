//! CIS 1.2.22: API server has no service account public key.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set `--service-account-key-file`: one finding on `command`
    /// for what is missing, or on the item of a flag given without a value.
    ///
    /// ## Why is this bad
    /// Without an explicit key file the API server verifies service account tokens with its TLS
    /// key, which then cannot be rotated without invalidating every token; separate keys let
    /// the signing key rotate.
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
    ///         - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    ///         - # no --service-account-key-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.22: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverServiceAccountKeyFile {
        id: "apiserver-service-account-key-file",
        code: "KSPM722",
        title: "API server has no service account public key",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --service-account-key-file to the public key(s) matching the controller manager's signing key.",
        peers: {
            "checkov": ["CKV_K8S_97"],
            "trivy": ["KCV0025"],
            "kubescape": ["C-0136"],
        },
    }
}

impl Rule for ApiserverServiceAccountKeyFile {
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
        f.require_paths_fix(out, c, &["service-account-key-file"]);
    }
}
