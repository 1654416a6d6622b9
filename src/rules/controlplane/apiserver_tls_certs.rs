//! CIS 1.2.24: API server serving certificate not set.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set `--tls-cert-file` and `--tls-private-key-file`: one finding on `command`
    /// for what is missing, or on the item of a flag given without a value.
    ///
    /// ## Why is this bad
    /// Without an explicit serving certificate the API server generates a self-signed one that
    /// clients cannot verify, which trains them to skip verification and invites interception.
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
    ///         - # no --tls-private-key-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.24: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverTlsCerts {
        id: "apiserver-tls-certs",
        code: "KSPM724",
        title: "API server serving certificate not set",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --tls-cert-file and --tls-private-key-file on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_100"],
            "trivy": ["KCV0027"],
            "kubescape": ["C-0138"],
        },
    }
}

impl Rule for ApiserverTlsCerts {
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
        f.require_paths_fix(out, c, &["tls-cert-file", "tls-private-key-file"]);
    }
}
