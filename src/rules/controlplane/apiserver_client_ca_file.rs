//! CIS 1.2.25: API server does not verify client certificates.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set `--client-ca-file`: one finding on `command`
    /// for what is missing, or on the item of a flag given without a value.
    ///
    /// ## Why is this bad
    /// The client CA is what lets the API server verify client certificates, including the
    /// kubelets' and the control-plane components'. Without it those clients fall back to other,
    /// weaker, credentials.
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
    ///         - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    ///         - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    ///         - # no --client-ca-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.25: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverClientCaFile {
        id: "apiserver-client-ca-file",
        code: "KSPM725",
        title: "API server does not verify client certificates",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --client-ca-file on kube-apiserver.",
        peers: {
            "trivy": ["KCV0028"],
            "kubescape": ["C-0139"],
        },
    }
}

impl Rule for ApiserverClientCaFile {
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
        f.require_paths_fix(out, c, &["client-ca-file"]);
    }
}
