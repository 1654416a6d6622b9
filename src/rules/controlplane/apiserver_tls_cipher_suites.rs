//! CIS 1.2.29: API server allows weak TLS cipher suites.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--tls-cipher-suites` lists a suite outside the
    /// CIS 1.2.29 set (the TLS 1.3 suites, and ECDHE key exchange with AES-GCM or
    /// ChaCha20-Poly1305), on the item that lists it. A missing flag is reported on `command`:
    /// Go's default list still offers CBC suites. CIS marks this recommendation Manual.
    ///
    /// ## Why is this bad
    /// CBC-mode and static-RSA suites lack forward secrecy or have a history of padding-oracle
    /// attacks; a client that negotiates them weakens every connection to the API server.
    ///
    /// The unsafe fix keeps only the strong suites of the list, or, when none is strong or
    /// the flag is missing, writes the ECDHE suites with AES-GCM and ChaCha20-Poly1305; a
    /// client that speaks none of them can no longer connect.
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
    ///         - --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.29: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverTlsCipherSuites {
        id: "apiserver-tls-cipher-suites",
        code: "KSPM729",
        title: "API server allows weak TLS cipher suites",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Set --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only.",
        peers: {
            "checkov": ["CKV_K8S_105"],
            "kubescape": ["C-0277"],
        },
    }
}

impl Rule for ApiserverTlsCipherSuites {
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
        f.require_strong_ciphers_fix(out, c);
    }
}
