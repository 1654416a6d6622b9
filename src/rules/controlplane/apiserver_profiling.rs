//! CIS 1.2.15: API server profiling enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--profiling` is not `false` (it defaults to
    /// `true`, so a missing flag is reported on `command`).
    ///
    /// ## Why is this bad
    /// The `/debug/pprof` endpoints expose detailed runtime data about the process and let a
    /// caller trigger expensive profiles; they are not needed in production.
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
    ///         - --profiling=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.15: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverProfiling {
        id: "apiserver-profiling",
        code: "KSPM715",
        title: "API server profiling enabled",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --profiling=false on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_90"],
            "trivy": ["KCV0018"],
            "kubescape": ["C-0129"],
        },
    }
}

impl Rule for ApiserverProfiling {
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
        f.require_bool_fix(out, c, "profiling", false, true);
    }
}
