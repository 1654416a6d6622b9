//! CIS 1.2.4: API server has no kubelet client certificate.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set both `--kubelet-client-certificate`
    /// and `--kubelet-client-key` (one finding on `command` for the missing ones; an empty value
    /// is reported on its item).
    ///
    /// ## Why is this bad
    /// Without a client certificate the API server cannot authenticate to kubelets, so kubelets
    /// must accept unauthenticated requests for `exec`, `logs` and `port-forward` to work.
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
    ///         - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    ///         - # no --kubelet-client-key: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    pub struct ApiserverKubeletClientCert {
        id: "apiserver-kubelet-client-cert",
        code: "KSPM704",
        title: "API server has no kubelet client certificate",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --kubelet-client-certificate and --kubelet-client-key on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_72"],
            "trivy": ["KCV0005"],
            "kubescape": ["C-0116"],
        },
    }
}

impl Rule for ApiserverKubeletClientCert {
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
        f.require_paths_fix(
            out,
            c,
            &["kubelet-client-certificate", "kubelet-client-key"],
        );
    }
}
