//! CIS 1.2.2 (v1.5): API server accepts basic authentication.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--basic-auth-file` item of a kube-apiserver container (the flag was
    /// removed in Kubernetes 1.19).
    ///
    /// ## Why is this bad
    /// Basic authentication reads clear-text passwords from a file on the node; they never
    /// expire and are sent with every request.
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
    ///         - --basic-auth-file=/etc/kubernetes/basic-auth.csv   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.5, 1.2.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverBasicAuthFile {
        id: "apiserver-basic-auth-file",
        code: "KSPM805",
        title: "API server accepts basic authentication",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove --basic-auth-file from kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_69"],
        },
    }
}

impl Rule for ApiserverBasicAuthFile {
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
        f.forbid_fix(out, c, "basic-auth-file");
    }
}
