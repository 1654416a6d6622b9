//! CIS 1.2.18 (v1.6): API server insecure bind address set.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--insecure-bind-address` item of a kube-apiserver container.
    ///
    /// ## Why is this bad
    /// The address exposes the unauthenticated insecure port beyond the node's loopback
    /// interface.
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
    ///         - --insecure-bind-address=0.0.0.0   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 1.2.18: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverInsecureBindAddress {
        id: "apiserver-insecure-bind-address",
        code: "KSPM802",
        title: "API server insecure bind address set",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove --insecure-bind-address from kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_86"],
        },
    }
}

impl Rule for ApiserverInsecureBindAddress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if !cx.options.legacy {
            return;
        }
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.forbid_fix(out, c, "insecure-bind-address");
    }
}
