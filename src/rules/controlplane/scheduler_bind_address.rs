//! CIS 1.4.2: kube-scheduler listens on every interface.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-scheduler container whose `--bind-address` is not a loopback address
    /// (`127.0.0.1`, `::1`, `localhost`). A missing flag is reported on `command`: the default
    /// is `0.0.0.0`.
    ///
    /// ## Why is this bad
    /// The secure port serves health, metrics and (with profiling) debug endpoints. Bound to
    /// every interface it is reachable from the node network and, with host networking, from
    /// pods, widening the attack surface of a component that holds cluster-wide credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-scheduler
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-scheduler
    ///       image: registry.k8s.io/kube-scheduler:v1.32.0
    ///       command:
    ///         - kube-scheduler
    ///         - --bind-address=0.0.0.0   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// kube-bench accepts a missing `--bind-address`; kspm reports it, as checkov does, because
    /// the component then listens on `0.0.0.0`, which is what CIS asks to avoid.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.4.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
    pub struct SchedulerBindAddress {
        id: "scheduler-bind-address",
        code: "KSPM752",
        title: "kube-scheduler listens on every interface",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Set --bind-address=127.0.0.1 on kube-scheduler.",
        peers: {
            "checkov": ["CKV_K8S_115"],
            "trivy": ["KCV0041"],
            "kubescape": ["C-0152"],
        },
    }
}

impl Rule for SchedulerBindAddress {
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
        let Some(f) = Flags::for_component(c, Component::Scheduler) else {
            return;
        };
        f.require_loopback_bind_fix(out, c);
    }
}
