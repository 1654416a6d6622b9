//! CIS 1.3.2: Controller manager profiling enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-controller-manager container whose `--profiling` is not `false` (it
    /// defaults to `true`, so a missing flag is reported on `command`).
    ///
    /// ## Why is this bad
    /// The `/debug/pprof` endpoints expose runtime details of a process that holds the
    /// service-account signing key and broad cluster credentials; they are not needed in
    /// production.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-controller-manager
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-controller-manager
    ///       image: registry.k8s.io/kube-controller-manager:v1.32.0
    ///       command:
    ///         - kube-controller-manager
    ///         - --profiling=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerProfiling {
        id: "controller-manager-profiling",
        code: "KSPM742",
        title: "Controller manager profiling enabled",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --profiling=false on kube-controller-manager.",
        peers: {
            "checkov": ["CKV_K8S_107"],
            "trivy": ["KCV0034"],
            "kubescape": ["C-0145"],
        },
    }
}

impl Rule for ControllerManagerProfiling {
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
        let Some(f) = Flags::for_component(c, Component::ControllerManager) else {
            return;
        };
        f.require_bool_fix(out, c, "profiling", false, true);
    }
}
