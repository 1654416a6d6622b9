//! CIS 1.2.5: API server does not verify kubelet certificates.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container without `--kubelet-certificate-authority`.
    ///
    /// ## Why is this bad
    /// Without the CA the API server does not verify the kubelet's serving certificate, so
    /// connections to kubelets (which carry `exec` sessions and logs) can be intercepted by
    /// anyone on the path to the node.
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
    ///         - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    ///         - # no --kubelet-certificate-authority: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    pub struct ApiserverKubeletCertificateAuthority {
        id: "apiserver-kubelet-certificate-authority",
        code: "KSPM705",
        title: "API server does not verify kubelet certificates",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates.",
        peers: {
            "checkov": ["CKV_K8S_73"],
            "trivy": ["KCV0006"],
            "kubescape": ["C-0117"],
        },
    }
}

impl Rule for ApiserverKubeletCertificateAuthority {
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
        f.require_paths_fix(out, c, &["kubelet-certificate-authority"]);
    }
}
