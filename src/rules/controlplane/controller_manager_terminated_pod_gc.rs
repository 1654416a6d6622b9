//! CIS 1.3.1: Terminated pod garbage collection not tuned.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-controller-manager container without `--terminated-pod-gc-threshold`, or
    /// with a value that is not a positive integer (0 or less turns the collection off). CIS
    /// marks this recommendation Manual.
    ///
    /// ## Why is this bad
    /// The default threshold keeps up to 12,500 terminated pods before any is deleted. Their
    /// objects weigh on etcd and the API server, and a flood of short-lived pods can degrade the
    /// control plane before the collector starts.
    ///
    /// The fix is a suggestion (`display`): it writes the flag with a placeholder, because how
    /// many terminated pods to keep (for their logs and status) is a site decision.
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
    ///         - --profiling=false
    ///         - # no --terminated-pod-gc-threshold: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerTerminatedPodGc {
        id: "controller-manager-terminated-pod-gc",
        code: "KSPM741",
        title: "Terminated pod garbage collection not tuned",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Set --terminated-pod-gc-threshold (for example 10) on kube-controller-manager.",
        peers: {
            "checkov": ["CKV_K8S_106"],
            "trivy": ["KCV0033"],
            "kubescape": ["C-0144"],
        },
    }
}

impl Rule for ControllerManagerTerminatedPodGc {
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
        match f.last("terminated-pod-gc-threshold") {
            None => out.report(
                f.missing_path.clone(),
                format!(
                    "{} does not set --terminated-pod-gc-threshold (12500 terminated pods are kept)",
                    f.who
                ),
            ),
            Some(t) if t.text().parse::<i64>().is_ok_and(|n| n > 0) => return,
            Some(t) => out.report(
                t.value_path.clone(),
                format!("{} sets {}, not a positive threshold", f.who, t.display()),
            ),
        }
        let fix = Fix::display("set --terminated-pod-gc-threshold (e.g. 10)");
        out.with_fix(f.set_flag(
            c,
            fix,
            "terminated-pod-gc-threshold",
            "<terminated pods to keep, e.g. 10>",
        ));
    }
}
