//! Containers without a CPU request.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerView, PodSpecView, report_resource_gap};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container or init container without `resources.requests.cpu`, or with a zero
    /// request. A request the API server fills in from `resources.limits.cpu` counts as set,
    /// and so do pod-level resources (`spec.resources.requests.cpu`).
    ///
    /// ## Why is this bad
    /// The scheduler places pods by their requests. A container without a CPU request counts
    /// as needing nothing, so nodes get overcommitted, and under contention it receives the
    /// smallest CPU share (a BestEffort pod is also the first to be evicted).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported: no requests.cpu
    ///       image: registry.example/app:1.4.2
    ///       resources:
    ///         limits:
    ///           memory: 256Mi
    /// ```
    ///
    /// ## Differences from peers
    /// kube-linter, Polaris and Checkov report a missing request even when a limit is set;
    /// the API server copies the limit into the request, so kspm does not.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    pub struct CpuRequests {
        id: "cpu-requests",
        code: "KSPM310",
        title: "No CPU request",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Set resources.requests.cpu (for example `100m`) on every container and init container.",
        peers: {
            "kube-linter": ["unset-cpu-requirements"],
            "checkov": ["CKV_K8S_10"],
            "trivy": ["KSV015"],
            "kubescape": ["C-0268"],
            "polaris": ["cpuRequestsMissing"],
            "kube-score": ["container-resources"],
        },
    }
}

impl Rule for CpuRequests {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let before = out.findings.len();
        report_resource_gap(pod, c, "requests", "cpu", out);
        if out.findings.len() > before {
            out.with_fix(suggest::resource(c, "requests", "cpu"));
        }
    }
}
